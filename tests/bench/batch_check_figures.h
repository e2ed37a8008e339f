// The CPU cost of the record batch's integrity checks, for storage-bench:
// CRC-32C (hardware and portable) next to XXH3-64 (the old format's
// checksum), and the broker's whole produce-path check (validate_for_append)
// of 1 KiB JSON-like records, plain and under each codec, per GB of
// uncompressed records. Prints one line per figure.
#pragma once

namespace strata::bench {

// REQUIRES: runs >= 1. Medians over `runs`.
void print_batch_check_figures(int runs);

}  // namespace strata::bench

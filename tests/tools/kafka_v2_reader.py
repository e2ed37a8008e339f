#!/usr/bin/python3
"""An independent reader of Kafka RecordBatch v2 segment files.

Written from Kafka's published layout, sharing no code with strata: it
walks every batch of the given .log files, checks magic 2 and the CRC-32C
(computed here, bit by bit), decompresses gzip/snappy (raw or xerial)/
lz4/zstd with Python's and Debian's modules, decodes every record and
prints one JSON object per record. Exit 1 with a message on the first
defect. Used by tests/integration/cli_compression_test.cpp.

    kafka_v2_reader.py SEGMENT.log [...]
"""
import gzip
import json
import struct
import sys


def crc32c(data):
    table = crc32c.table
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _table():
    out = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        out.append(c)
    return out


crc32c.table = _table()


def varint(buf, at):
    shift = value = 0
    while True:
        b = buf[at]
        at += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return (value >> 1) ^ -(value & 1), at
        shift += 7


def decompress(codec, data):
    if codec == 0:
        return data
    if codec == 1:
        return gzip.decompress(data)
    if codec == 2:
        import snappy
        if data[:8] == b"\x82SNAPPY\x00":
            out, at = b"", 16
            while at < len(data):
                (n,) = struct.unpack_from(">i", data, at)
                out += snappy.uncompress(data[at + 4:at + 4 + n])
                at += 4 + n
            return out
        return snappy.uncompress(data)
    if codec == 3:
        import lz4.frame
        return lz4.frame.decompress(data)
    if codec == 4:
        import zstandard
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    raise ValueError("unknown codec %d" % codec)


def records(base_offset, base_ts, count, data):
    at = 0
    for _ in range(count):
        length, at = varint(data, at)
        end = at + length
        at += 1  # attributes
        ts_delta, at = varint(data, at)
        off_delta, at = varint(data, at)
        fields = []
        for _ in range(2):
            n, at = varint(data, at)
            fields.append(None if n < 0 else data[at:at + n].decode("utf-8", "replace"))
            at += max(n, 0)
        nheaders, at = varint(data, at)
        headers = []
        for _ in range(nheaders):
            n, at = varint(data, at)
            name = data[at:at + n].decode()
            at += n
            n, at = varint(data, at)
            headers.append([name, None if n < 0 else data[at:at + n].decode("utf-8", "replace")])
            at += max(n, 0)
        if at != end:
            raise ValueError("record length %d does not match its fields" % length)
        yield {"offset": base_offset + off_delta, "timestamp": base_ts + ts_delta, "key": fields[0],
               "value": fields[1], "headers": headers}
    if at != len(data):
        raise ValueError("%d bytes after the last record" % (len(data) - at))


def read_segment(path):
    data = open(path, "rb").read()
    at = 0
    while at < len(data):
        base_offset, length, _epoch, magic, crc = struct.unpack_from(">qiibI", data, at)
        if magic != 2:
            raise ValueError("%s@%d: magic %d" % (path, at, magic))
        end = at + 12 + length
        if crc32c(data[at + 21:end]) != crc:
            raise ValueError("%s@%d: CRC-32C mismatch" % (path, at))
        attrs, last_delta, base_ts, max_ts, _pid, _pepoch, _seq, count = struct.unpack_from(
            ">hiqqqhii", data, at + 21)
        body = decompress(attrs & 7, data[at + 61:end])
        batch = list(records(base_offset, base_ts, count, body))
        if len(batch) != count or last_delta != count - 1:
            raise ValueError("%s@%d: count %d, lastOffsetDelta %d" % (path, at, count, last_delta))
        if max(r["timestamp"] for r in batch) != max_ts:
            raise ValueError("%s@%d: maxTimestamp" % (path, at))
        for r in batch:
            r["codec"] = attrs & 7
            print(json.dumps(r))
        at = end


def main():
    try:
        for path in sys.argv[1:]:
            read_segment(path)
    except (ValueError, IndexError, struct.error, OSError) as e:
        print("kafka_v2_reader: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

/// @file strata/export.h
/// @brief STRATA_API marks what the shared library exports: the public
/// classes and functions; everything else in it is hidden.
#pragma once

/// Exports a public class or function from libstrata.so (nothing with
/// STRATA_STATIC_DEFINE).
#if defined(STRATA_STATIC_DEFINE)
#define STRATA_API
#else
#define STRATA_API __attribute__((visibility("default")))
#endif

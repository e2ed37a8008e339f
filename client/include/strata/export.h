/// @file strata/export.h
/// @brief STRATA_API marks what the shared library exports: the public
/// classes and functions; everything else in it is hidden.
#pragma once

#if defined(STRATA_STATIC_DEFINE)
#define STRATA_API
#else
#define STRATA_API __attribute__((visibility("default")))
#endif

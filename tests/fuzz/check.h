// The fuzz targets' assertion: a broken property aborts, so libFuzzer keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond, what)                                                             \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "property broken: %s: %s\n", #cond, std::string(what).c_str()); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

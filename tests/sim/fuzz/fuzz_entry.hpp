// The entry points of the simulator's input fuzzers (scripts/fuzz_inputs.sh) and of their corpus replay
// (test_fuzz_corpus.cpp): the YAML configuration reader and the workload CSV reader. The only acceptable outcome of
// any input is a parsed result or nvfp4::Error; any other exception escapes (libFuzzer reports it, as it does
// crashes, hangs and sanitizer errors).
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "numerics/error.hpp"
#include "sim/config/sim_config.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::fuzz {

// True when the text parsed as a configuration. Relative paths resolve under a folder that does not exist, so no
// input makes the reader open a real file.
inline bool parse_config_one(const uint8_t* data, size_t size) {
  try {
    sim::parse_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml", "/nonexistent-fuzz");
    return true;
  } catch (const Error&) {
    return false;
  }
}

// True when the bytes parsed as a workload (the reader takes a path: the bytes go to a per-process scratch file).
inline bool parse_workload_one(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/nvfp4-fuzz-workload-" + std::to_string(getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    workload::read_csv(path);
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace nvfp4::fuzz

// Replays the committed corpora of the configuration and workload fuzzers (config_corpus/, workload_corpus/; see
// scripts/fuzz_inputs.sh) through the fuzzers' entry points: every input parses or throws nvfp4::Error. The corpora
// hold valid files too, so the test also checks that some inputs do parse and some do not.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz_entry.hpp"

namespace {
template <typename F>
void replay(const char* folder, F parse_one) {
  int inputs = 0, parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(entry.path().string());
    ++inputs;
    parsed += parse_one(bytes.data(), bytes.size()) ? 1 : 0;
  }
  CHECK(inputs >= 10);
  CHECK(parsed >= 1);
  CHECK(parsed < inputs);
}
}  // namespace

TEST_CASE("fuzz corpus: every configuration parses or throws nvfp4::Error", "[sim][fuzz]") {
  replay("fuzz/config_corpus", nvfp4::fuzz::parse_config_one);
}

TEST_CASE("fuzz corpus: every workload parses or throws nvfp4::Error", "[sim][fuzz]") {
  replay("fuzz/workload_corpus", nvfp4::fuzz::parse_workload_one);
}

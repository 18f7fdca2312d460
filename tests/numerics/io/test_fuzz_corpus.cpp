// Replays the fuzzer's committed corpus (fuzz_corpus/) through the same entry point as the libFuzzer target:
// each input must parse or throw nvfp4::Error; anything else (another exception, a crash, a sanitizer report in the
// ASan build) fails. The corpus holds valid files too, so the test also checks that some inputs do parse.
#include <catch2/catch.hpp>
#include <filesystem>

#include "numerics/io/atomic_file.hpp"
#include "fuzz_entry.hpp"

TEST_CASE("fuzz corpus: every input parses or throws nvfp4::Error", "[io][fuzz]") {
  int inputs = 0, parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator("fuzz_corpus")) {
    const std::vector<uint8_t> bytes = nvfp4::io_detail::read_whole_file(entry.path().string());
    INFO(entry.path().string());
    ++inputs;
    parsed += nvfp4::fuzz::parse_one(bytes.data(), bytes.size()) ? 1 : 0;  // throws only what is not nvfp4::Error
  }
  CHECK(inputs >= 20);
  CHECK(parsed >= 5);
  CHECK(parsed < inputs);
}

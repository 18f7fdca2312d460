// nvfp4-sram: price one SRAM bank with an ecc/ SRAM preset (docs/ecc.md, "nvfp4-sram"): energy per word access,
// leakage, area (macro models), provenance and tiling, as one JSON object. Used by the studies (LUT storage options).
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "ecc/sram_macro_model.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"

namespace {

constexpr const char* kUsage =
    "usage: nvfp4-sram --preset NAME --vdd V --word-bits W --words N\n"
    "  Prints one JSON object: read_pj and write_pj per word access, leakage_uw and area_um2 of the bank (area null\n"
    "  for literature presets), provenance (measured | scaled | extrapolated | literature) and the tiling.\n"
    "  W = physical bits per word (data + check bits). Presets: sun2017-65nm, sky130-openram.\n";

double number(const char* text, const char* flag) {
  double v = 0;
  const char* end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, v);
  if (ec != std::errc() || ptr != end) throw nvfp4::Error(std::string(flag) + " '" + text + "' is not a number");
  return v;
}

std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

int run(int argc, char** argv) {
  std::string preset;
  double vdd = -1, words = -1, word_bits = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) throw nvfp4::Error("option " + a + " needs a value\n" + kUsage);
    const char* v = argv[++i];
    if (a == "--preset") preset = v;
    else if (a == "--vdd") vdd = number(v, "--vdd");
    else if (a == "--word-bits") word_bits = number(v, "--word-bits");
    else if (a == "--words") words = number(v, "--words");
    else throw nvfp4::Error("unknown option " + a + "\n" + kUsage);
  }
  if (preset.empty() || vdd < 0 || words < 0 || word_bits < 0) throw nvfp4::Error(std::string("missing option\n") + kUsage);
  if (!(word_bits >= 1 && word_bits <= 4096 && word_bits == static_cast<int>(word_bits))) {
    throw nvfp4::Error("--word-bits must be an integer in 1..4096");
  }
  if (!(words >= 1 && words <= 1e12 && words == static_cast<double>(static_cast<int64_t>(words)))) {
    throw nvfp4::Error("--words must be an integer in 1..1e12");
  }
  const nvfp4::ecc::SramPreset& p = nvfp4::ecc::sram_preset(preset);
  const int w = static_cast<int>(word_bits);
  const nvfp4::ecc::SramBankCost c = p.energy->bank_cost(vdd, w, words * w / 8192.0);
  std::cout.precision(10);
  std::cout << "{\"preset\": " << json_string(preset) << ", \"vdd_v\": " << vdd << ", \"word_bits\": " << w
            << ", \"words\": " << static_cast<int64_t>(words) << ", \"read_pj\": " << c.read_pj
            << ", \"write_pj\": " << c.write_pj << ", \"leakage_uw\": " << c.leakage_uw << ", \"area_um2\": ";
  if (c.area_um2 >= 0) std::cout << c.area_um2;
  else std::cout << "null";
  std::cout << ", \"provenance\": " << json_string(std::string(nvfp4::ecc::to_string(c.provenance)))
            << ", \"detail\": " << json_string(c.detail) << ", \"model\": " << json_string(p.energy->describe())
            << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

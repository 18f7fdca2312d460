// Helper for torchao_oracle.py (not a test by itself): quantizes a raw fp32 file with a spec and writes the element
// codes (one byte per element, unpacked), the block scale codes (one byte each) and the tensor scale (fp32).
// Usage: numerics_quant_oracle_dump SCHEME RECIPE BLOCK ROWS COLS in.f32 codes.u8 scales.u8 tensor_scale.f32
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/quantize.hpp"

int main(int argc, char** argv) {
  try {
    if (argc != 10) throw nvfp4::Error("usage: SCHEME RECIPE BLOCK ROWS COLS in.f32 codes.u8 scales.u8 ts.f32");
    nvfp4::QuantSpec s = nvfp4::QuantSpec::defaults_for(nvfp4::parse_scheme(argv[1]));
    s.recipe = nvfp4::parse_recipe(argv[2]);
    s.block = std::stoi(argv[3]);
    const int64_t rows = std::stoll(argv[4]), cols = std::stoll(argv[5]);
    std::vector<float> x(static_cast<size_t>(rows * cols));
    std::ifstream in(argv[6], std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(x.data()), static_cast<std::streamsize>(x.size() * 4)))
      throw nvfp4::Error(std::string("cannot read ") + argv[6]);
    const nvfp4::QuantizedTensor q = nvfp4::quantize(x.data(), rows, cols, s);
    std::vector<uint8_t> codes(x.size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) codes[static_cast<size_t>(r * cols + c)] = q.code(r, c);
    std::ofstream(argv[7], std::ios::binary).write(reinterpret_cast<const char*>(codes.data()),
                                                    static_cast<std::streamsize>(codes.size()));
    std::ofstream(argv[8], std::ios::binary).write(reinterpret_cast<const char*>(q.scales.data()),
                                                    static_cast<std::streamsize>(q.scales.size()));
    std::ofstream(argv[9], std::ios::binary).write(reinterpret_cast<const char*>(&q.tensor_scale), 4);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

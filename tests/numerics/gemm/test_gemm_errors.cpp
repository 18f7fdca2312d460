// Bad operands are refused with a message that names the problem and both operands; nothing is computed.
#include <catch2/catch.hpp>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "tensor_builder.hpp"

using namespace nvfp4;
using namespace nvfp4::test;

namespace {

std::string error_of(const QuantizedTensor& a, const QuantizedTensor& b, const char* policy = "fp32-seq") {
  try {
    gemm(a, b, AccumPolicy::parse(policy));
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no error");
  return "";
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mismatched K names both shapes", "[gemm][errors]") {
  const std::string e = error_of(make_tensor(Scheme::NVFP4, 3, 40), make_tensor(Scheme::NVFP4, 5, 48));
  INFO(e);
  CHECK(has(e, "3x40"));
  CHECK(has(e, "5x48"));
}

TEST_CASE("K = 0 is refused", "[gemm][errors]") {
  const std::string e = error_of(make_tensor(Scheme::NVFP4, 3, 0), make_tensor(Scheme::NVFP4, 5, 0));
  INFO(e);
  CHECK(has(e, "K = 0"));
}

TEST_CASE("different block sizes name both", "[gemm][errors]") {
  const std::string e = error_of(make_tensor(Scheme::NVFP4, 2, 64, 16), make_tensor(Scheme::MXFP4, 2, 64, 32));
  INFO(e);
  CHECK(has(e, "nvfp4 block 16"));
  CHECK(has(e, "mxfp4 block 32"));
}

TEST_CASE("unsupported scheme pairs and policies", "[gemm][errors]") {
  std::string e = error_of(make_tensor(Scheme::FP16, 2, 16), make_tensor(Scheme::NVFP4, 2, 16));
  INFO(e);
  CHECK(has(e, "A fp16 x B nvfp4"));
  e = error_of(make_tensor(Scheme::NVFP4, 2, 16), make_tensor(Scheme::FP8, 2, 16), "blackwell-mma");
  CHECK(has(e, "blackwell-mma"));
  CHECK(has(e, "fp8"));
  AccumPolicy p = AccumPolicy::parse("fixed:16");
  p.width = 80;  // built by hand, not parsed
  CHECK_THROWS_AS(gemm(make_tensor(Scheme::NVFP4, 1, 16), make_tensor(Scheme::NVFP4, 1, 16), p), Error);
}

TEST_CASE("storage that does not match the shape is refused, not read out of bounds", "[gemm][errors]") {
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 2, 32), b = make_tensor(Scheme::NVFP4, 2, 32);
  a.codes.pop_back();
  std::string e = error_of(a, b);
  INFO(e);
  CHECK(has(e, "code bytes"));
  a = make_tensor(Scheme::NVFP4, 2, 32);
  b.scales.resize(3);
  e = error_of(a, b);
  CHECK(has(e, "scale bytes"));
}

TEST_CASE("an impossible quantization spec is refused naming the operand", "[gemm][errors]") {
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 2, 32), b = make_tensor(Scheme::NVFP4, 2, 32);
  b.spec.block = 12;  // not a power of two
  const std::string e = error_of(a, b);
  INFO(e);
  CHECK(has(e, "operand B"));
  CHECK(has(e, "block = 12"));
}

TEST_CASE("empty M or N gives an empty result", "[gemm][errors]") {
  CHECK(gemm(make_tensor(Scheme::NVFP4, 0, 32), make_tensor(Scheme::NVFP4, 3, 32), AccumPolicy{}).empty());
}

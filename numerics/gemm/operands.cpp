// Operand checks of the golden GEMM: every bad combination is refused with a message naming both sides.
#include "numerics/gemm/operands.hpp"

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::gemm_detail {
namespace {

std::string shape_of(const char* name, const QuantizedTensor& t) {
  return std::string(name) + " is " + std::to_string(t.rows) + "x" + std::to_string(t.cols) + " (" +
         std::string(to_string(t.spec.scheme)) + ")";
}

int unit_exp(Scheme s) {
  switch (s) {
    case Scheme::FP8: return -9;    // E4M3 values are integers times 2^-9
    case Scheme::FP16: return -24;  // fp16 values are integers times 2^-24
    case Scheme::INT4: return 0;
    default: return -1;             // E2M1: half units
  }
}

int scale_min_exp(Scheme s) {
  switch (s) {
    case Scheme::NVFP4: return -6;    // UE4M3: subnormals sit at exponent -6 in MMA-Sim's normalisation
    case Scheme::MXFP4: return -127;  // UE8M0
    default: return -126;
  }
}

void check_spec(const char* name, const QuantizedTensor& t) {
  try {
    t.spec.validate();
  } catch (const Error& e) {
    throw Error(std::string("gemm: operand ") + name + ": " + e.what());
  }
}

void check_storage(const char* name, const QuantizedTensor& t) {
  if (t.rows < 0 || t.cols < 0) throw Error(std::string("gemm: ") + shape_of(name, t) + ": negative dimension");
  const int64_t code_bytes = t.rows * t.row_stride_bytes();
  if (static_cast<int64_t>(t.codes.size()) != code_bytes) {
    throw Error(std::string("gemm: ") + shape_of(name, t) + " holds " + std::to_string(t.codes.size()) +
                " code bytes, expected " + std::to_string(code_bytes));
  }
  if (!has_block_scale(t.spec.scheme)) return;
  const ScaleGrid grid = scale_grid(t.spec, t.rows, t.cols);
  const int64_t scale_bytes_expected = grid.rows * grid.cols * scale_bytes(t.spec.scheme);
  if (static_cast<int64_t>(t.scales.size()) != scale_bytes_expected) {
    throw Error(std::string("gemm: ") + shape_of(name, t) + " holds " + std::to_string(t.scales.size()) +
                " scale bytes, expected " + std::to_string(scale_bytes_expected));
  }
}

}  // namespace

bool is_e2m1_scheme(Scheme s) {
  return s == Scheme::NVFP4 || s == Scheme::MXFP4 || s == Scheme::FP4 || s == Scheme::FP4Tensor;
}

GemmPlan plan_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy) {
  if (policy.kind == AccumPolicy::Kind::Fixed &&
      (policy.width < 8 || policy.width > 64 || policy.frac < 0 || policy.frac >= policy.width)) {
    throw Error("gemm: policy fixed:" + std::to_string(policy.width) + ":" + std::to_string(policy.frac) +
                " is out of range (W in 8..64, F in 0..W-1)");
  }
  if (a.cols != b.cols) {
    throw Error("gemm: reduction dimensions differ: " + shape_of("A", a) + ", " + shape_of("B", b) +
                " (D = A x B^T needs the same K)");
  }
  if (a.cols == 0) throw Error("gemm: K = 0: " + shape_of("A", a) + ", " + shape_of("B", b));
  if (!is_e2m1_scheme(a.spec.scheme)) {
    throw Error("gemm: unsupported scheme pair A " + std::string(to_string(a.spec.scheme)) + " x B " +
                std::string(to_string(b.spec.scheme)) +
                ": A (activations) must be nvfp4, mxfp4, fp4 or fp4-tensor");
  }
  if (policy.kind == AccumPolicy::Kind::BlackwellMma && !is_e2m1_scheme(b.spec.scheme)) {
    throw Error("gemm: policy blackwell-mma models FP4 x FP4 block-scaled MMA only; B is " +
                std::string(to_string(b.spec.scheme)) + " (use fp32-seq or fixed:W)");
  }
  check_spec("A", a);
  check_spec("B", b);
  check_storage("A", a);
  check_storage("B", b);

  GemmPlan p;
  p.m = a.rows;
  p.n = b.rows;
  p.k = a.cols;
  const bool a_scaled = has_block_scale(a.spec.scheme);
  const bool b_scaled = has_block_scale(b.spec.scheme);
  if (a_scaled && b_scaled && a.spec.block != b.spec.block) {
    throw Error("gemm: block sizes differ: A " + std::string(to_string(a.spec.scheme)) + " block " +
                std::to_string(a.spec.block) + ", B " + std::string(to_string(b.spec.scheme)) + " block " +
                std::to_string(b.spec.block));
  }
  p.chunk = a_scaled ? a.spec.block : (b_scaled ? b.spec.block : 16);
  if (p.chunk < 1 || p.chunk > 256 || (p.chunk & (p.chunk - 1)) != 0) {
    throw Error("gemm: block size " + std::to_string(p.chunk) + " is not a power of two in 1..256");
  }
  p.a_e2m1 = true;
  p.b_e2m1 = is_e2m1_scheme(b.spec.scheme);
  p.a_unit_exp = unit_exp(a.spec.scheme);
  p.b_unit_exp = unit_exp(b.spec.scheme);
  p.a_scale_min_exp = scale_min_exp(a.spec.scheme);
  p.b_scale_min_exp = scale_min_exp(b.spec.scheme);
  p.tensor_scale = a.tensor_scale * b.tensor_scale;
  return p;
}

}  // namespace nvfp4::gemm_detail

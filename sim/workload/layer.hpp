// One layer of a workload, as a GEMM D[M][N] = A[M][K] x B[N][K]^T. Convolutions are lowered (im2col): M = batch x
// output pixels, N = filters, K = filter_h x filter_w x channels (reduction order: filter row, filter column, channel).
#pragma once
#include <cstdint>
#include <string>

namespace nvfp4::sim {

struct ConvShape {
  int64_t batch = 1, ifmap_h = 0, ifmap_w = 0, channels = 0, filter_h = 0, filter_w = 0, num_filters = 0;
  int64_t stride = 1, padding = 0;
  int64_t ofmap_h = 0, ofmap_w = 0;
};

struct Layer {
  enum class Kind { Gemm, Conv };
  std::string name;
  Kind kind = Kind::Gemm;
  int64_t M = 0, N = 0, K = 0;
  ConvShape conv;                 // Conv only
  std::string activations;        // tensor source: "" (config default), a generator "normal(0,1)", or a .npy/.npz path
  std::string weights;
  std::string where;              // "file:line" for error messages
  int64_t macs() const { return M * N * K; }
};

}  // namespace nvfp4::sim

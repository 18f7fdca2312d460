// Where a layer's float tensors come from (docs/sim.md, "Tensors"): a seeded generator named in the workload
// ("normal(mean,std)", "uniform(lo,hi)", "laplace(mean,b)") or a NumPy file ("x.npy", "x.npz:member", relative to the
// workload file). Activations of a conv layer are an NHWC/HWC feature map (lowered here with im2col) or an already
// lowered M x K matrix; weights are N x K or N x R x S x C (filter row, column, channel: the lowering's K order).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/layer.hpp"

namespace nvfp4::sim {

struct LayerTensors {
  std::vector<float> a;  // M x K activations (lowered), row-major
  std::vector<float> b;  // N x K weights, row-major
};

// Checks every source of the layer before simulation (generator syntax; files readable, dtype and shape matching the
// layer). Throws nvfp4::Error naming the layer, the file and the mismatch.
void check_layer_sources(const Layer& layer, const std::string& default_a, const std::string& default_b,
                         const std::string& base_dir);

// Builds the tensors; generated ones are seeded by (seed, layer index, operand) so each layer is reproducible alone.
LayerTensors make_layer_tensors(const Layer& layer, int64_t layer_index, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed);

// Exposed for tests: the im2col lowering of an NHWC feature map (batch x H x W x C floats).
std::vector<float> im2col(const Layer& layer, const std::vector<float>& nhwc);

}  // namespace nvfp4::sim

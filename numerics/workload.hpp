// Workloads, read and materialised the same way by every tool (nvfp4, nvfp4sim, nvfp4-gpucheck, the Python sweeps):
// docs/workloads.md, "One workload format".
//
// A workload is a CSV of layers, each a GEMM D[M][N] = A[M][K] x B[N][K]^T. Convolutions are lowered (im2col):
// M = batch x output pixels, N = filters, K = filter_h x filter_w x channels (reduction order: filter row, filter
// column, channel). Accepted tables, told apart by the header:
//  native:         name,type,M,N,K,batch,ifmap_h,ifmap_w,channels,filter_h,filter_w,num_filters,stride,padding,
//                  activations,weights   (type gemm | conv; unused cells empty)
//  GEMM table:     name,M,N,K            (the native form without a type column: every row is a GEMM)
//  SCALE-Sim conv: "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"
//                  (SCALE-Sim's own lowering: no padding, ofmap = ceil((H - R + s) / s), as in its topology_utils.py)
//  SCALE-Sim GEMM: "Layer, M, N, K,"
// A layer's tensors come from a seeded generator ("normal(mean,std)", "uniform(lo,hi)", "laplace(mean,b)") or a NumPy
// file; a (workload, seed) pair means the same float tensors in every tool.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "numerics/quant_spec.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::workload {

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
  std::string activations;        // tensor source: "" (the tool's default), a generator "normal(0,1)", or a .npy/.npz path
  std::string weights;
  std::string where;              // "file:line" for error messages
  int64_t macs() const { return M * N * K; }
};

// The default tensor sources when neither the workload row nor the tool names one (nvfp4sim's workload.activations /
// workload.weights, nvfp4-gpucheck --activations / --weights) and the default seed.
inline constexpr const char* kDefaultActivations = "normal(0,1)";
inline constexpr const char* kDefaultWeights = "normal(0,0.05)";
inline constexpr uint64_t kDefaultSeed = 1;

// Reads a workload table. Every problem is an nvfp4::Error naming the file and line.
std::vector<Layer> read_csv(const std::string& path);

// A seeded generator: family normal | uniform | laplace with two parameters.
struct Generator {
  std::string family;
  double p0 = 0, p1 = 1;
};
// true and *g filled when `text` is a generator expression; false when it is not one (e.g. a file name).
bool parse_generator(const std::string& text, Generator* g);
// Fills out[0..n) from the generator's stream for `seed`: the same values on every platform with an IEEE double libm.
// The stream is kLanes interleaved xoshiro256** streams (element i takes one draw of lane i mod kLanes; lane 0 seeded
// by splitmix64, lane l+1 = lane l after xoshiro's jump(), 2^128 draws apart) and a rejection stream one jump further
// (the ziggurat's draws after a rejection, in element order), so the lanes run side by side in SIMD registers
// (docs/workloads.md).
void generate(const Generator& g, uint64_t seed, float* out, size_t n);
// The same stream drawn piecewise: consecutive fill() calls give the values of one generate() of their total length
// (for tensors too large to hold whole, drawn row chunk by row chunk).
class GeneratorStream {
 public:
  static constexpr int kLanes = 8;
  GeneratorStream(const Generator& g, uint64_t seed);
  // The fastest path this CPU has (AVX2 where present): the same bits as fill_portable.
  void fill(float* out, size_t n);
  // The definition, in portable scalar code (every platform; tests compare fill() with it).
  void fill_portable(float* out, size_t n);

 private:
  Generator g_;
  int family_;                     // 0 normal, 1 uniform, 2 laplace
  uint64_t state_[4][kLanes];      // word k of lane l at [k][l]: a SIMD register holds one word of several lanes
  uint64_t retry_[4];              // the ziggurat's further draws after a rejection, in element order
  int lane_ = 0;                   // the lane of the next element
};

struct LayerTensors {
  std::vector<float> a;  // M x K activations (lowered), row-major
  std::vector<float> b;  // N x K weights, row-major
};

// Checks every source of the layer before any work (generator syntax; files readable, dtype and shape matching the
// layer). Throws nvfp4::Error naming the layer, the file and the mismatch. Files are relative to `base_dir`.
void check_layer_sources(const Layer& layer, const std::string& default_a, const std::string& default_b,
                         const std::string& base_dir);

// Builds the tensors; generated ones are seeded by (seed, layer index, operand) so each layer is reproducible alone.
// A conv layer's generated activations are an NHWC feature map drawn once and lowered with im2col.
LayerTensors make_layer_tensors(const Layer& layer, int64_t layer_index, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed);

// One operand (0: the M x K activations, 1: the N x K weights) of what make_layer_tensors builds.
std::vector<float> make_operand(const Layer& layer, int64_t layer_index, int operand, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed);
// The stream of a generated operand whose rows are drawn in order (every generated one but a convolution's
// activations, drawn as a feature map and lowered): its values are make_operand's, row-major. nullopt otherwise.
std::optional<GeneratorStream> operand_stream(const Layer& layer, int64_t layer_index, int operand,
                                              const std::string& default_a, const std::string& default_b,
                                              uint64_t seed);

// A convolution's generated activations as drawn, before lowering: the batch x H x W x C feature map (NHWC) that
// make_operand(layer, index, 0, ...) lowers with im2col. nullopt unless the layer is a conv with generated activations.
std::optional<std::vector<float>> generated_feature_map(const Layer& layer, int64_t layer_index,
                                                        const std::string& default_a, const std::string& default_b,
                                                        uint64_t seed);
// quantize(make_operand(layer, index, operand, ...), rows, K, spec), bit for bit, with fewer passes over the floats,
// for generated operands (nullopt otherwise: then quantize make_operand's floats):
//  - a GEMM operand (weights, a GEMM's activations): drawn into uninitialized memory, its tensor amax taken piece by
//    piece while the piece is in cache, then encoded (any spec);
//  - a convolution's activations: the tensor amax taken over the feature map's pixels that some lowered row reads
//    (= the lowered matrix's, zeros aside; a 1x1 stride-2 layer skips three in four), then, when every block of K is
//    one pixel's channels and a block's encoding depends only on its values and the tensor amax (1-D blocks dividing
//    C or no block scale, whole bytes of codes per pixel, round-to-nearest), the pixels quantized once (rows of C
//    channels) and the codes and block scales lowered (im2col of bytes; a padding pixel takes the codes and scales of
//    C zeros); otherwise the float rows lowered and encoded a cache-sized chunk at a time. The M x K float matrix is
//    never built.
std::optional<QuantizedTensor> quantize_generated_operand(const Layer& layer, int64_t layer_index, int operand,
                                                          const std::string& default_a, const std::string& default_b,
                                                          uint64_t seed, const QuantSpec& spec);

// The im2col lowering of an NHWC feature map (batch x H x W x C floats) to M x K.
std::vector<float> im2col(const Layer& layer, const std::vector<float>& nhwc);

}  // namespace nvfp4::workload

// Residency across inferences (docs/sim.md, "Residency"): in the steady regime, which layers' weights stay pinned on
// chip across inferences (loaded once) and which layers hand their outputs to the next layer on chip. Decided once,
// before any simulation, from the layers' plans (their working sets per bank); the cold regime changes nothing.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/sim_config.hpp"
#include "sim/model/layer_plan.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::sim {

using workload::Layer;  // a workload layer, as every tool reads it (numerics/workload.hpp)
using workload::ConvShape;

// Activation elements as the bank stores a layer's input in the steady regime. A convolution whose channels are a
// multiple of the block keeps its feature map (batch x H x W x C; each block of the lowered matrix is one pixel's
// channel group, so im2col is an addressing pattern over the stored map, not a copy), or the lowered M x K matrix
// when that is smaller (stride > filter); otherwise (first layers with 1 or 3 channels, GEMMs) the lowered M x K.
int64_t stored_input_elements(const Layer& l, int block);

// Whether `next` consumes `prev`'s output: the pooling factor p >= 1 (1: the shapes match; p: a p x p pooling or a
// flatten on the output path between them), or 0. conv -> conv: same batch, next channels = prev filters, prev output
// H and W = p x next input H and W; conv -> gemm: next M = batch, next K = (OH / p) (OW / p) x filters; gemm -> gemm:
// same M, next K = prev N; gemm -> conv: prev M = batch x H x W, prev N = channels.
int64_t feeds(const Layer& prev, const Layer& next);

// The lanes' product tables (lut/lut_storage.hpp): a ROM (logic) is never loaded; a latch or SRAM table is written
// before use: once, before the first inference, and kept powered (steady: pinned, amortized with the weights), or
// before every inference (cold: nothing survives between inferences). A load fetches one table image from off-chip
// memory and writes it into every lane's copy.
struct LutLoad {
  std::string when = "never";       // "never" (logic) | "per-inference" (cold) | "once" (steady)
  int64_t image_bits = 0;           // one image: words x entry bits, read from off-chip memory per load
  int64_t words_written = 0;        // per load: copies x words
  int64_t copies = 0, words = 0, entry_bits = 0;
};
LutLoad plan_lut_load(const SimConfig& c);

struct ResidencySummary {
  int64_t pinned_weight_bits = 0, pinned_scale_bits = 0;  // held on chip across inferences
  int pinned_layers = 0, chained_layers = 0;              // layers with weights pinned / output kept on chip
  LutLoad lut;                                            // the product tables' load (both regimes)
};

// Steady regime: sets b_pinned, out_on_chip / a_on_chip and next_a_* on `plans` by the allocation rule of docs/sim.md:
// weights are pinned greedily in workload order while the pinned codes plus the largest weight-bank working set of
// the layers left unpinned fit the weight bank, and the pinned scales plus every layer's scales working set fit the
// scales bank; then a layer's output stays on chip when the next layer consumes it (feeds), the next layer's input is
// resident, and its stored input fits beside the layer's own activation and scales working sets.
ResidencySummary plan_residency(const std::vector<Layer>& layers, std::vector<LayerPlan>& plans, const SimConfig& c);

// Per-layer labels for the reports: weights "pinned" | "layer" (loaded every inference) | "streamed"; input
// "on-chip" | "layer" | "streamed"; output "on-chip" | "off-chip".
std::string weights_residency(const LayerPlan& p);
std::string input_residency(const LayerPlan& p);
std::string output_residency(const LayerPlan& p);

}  // namespace nvfp4::sim

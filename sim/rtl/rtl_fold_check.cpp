#include "sim/rtl/rtl_fold_check.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>

#include "numerics/error.hpp"

namespace nvfp4::sim {

namespace {
constexpr int kMaxEngines = 256;  // one Verilated engine instance per array position

// Evenly spaced folds j (F - 1) / (n - 1), j = 0 .. n - 1 (first and last included; all when F <= n). The picks
// rise by at least one per j, so `index` is one iff the first j reaching it lands on it: O(1) per fold.
bool sampled(int64_t index, int64_t folds, int64_t n) {
  if (folds <= n) return true;
  if (n == 1) return index == 0;
  using i128 = __int128;
  const i128 f = folds - 1, s = n - 1;
  const i128 j = (i128{index} * s + f - 1) / f;  // ceil(index (n - 1) / (F - 1))
  return j * f / s == index;
}
}  // namespace

std::string rtl_refusal(const SimConfig& c) {
  const ArraySpec& a = c.arch.array;
  if (a.dataflow != "os")
    return "the RTL engines compute whole dot products (the os dataflow's folds); '" + a.dataflow +
           "' folds hold partial sums over K chunks, which the RTL engine has no input for: use dataflow os";
  if (a.lanes != rtl::kLanes) return "the RTL engines have 16 lanes, this array " + std::to_string(a.lanes);
  if (int64_t{a.rows} * a.cols > kMaxEngines)
    return "one Verilated engine per array position: " + std::to_string(a.rows) + " x " + std::to_string(a.cols) +
           " is more than " + std::to_string(kMaxEngines);
  std::string why;
  if (!rtl::engine_for(c.activation_spec(), c.weight_spec(), a.accumulator, &why)) return why;
  return "";
}

namespace {
// The engine instances for the design, after refusing a design the RTL cannot run (before any instance is made).
int checked_instances(const SimConfig& c) {
  if (const std::string why = rtl_refusal(c); !why.empty()) throw Error("--datapath rtl: " + c.source_file + ": " + why);
  return c.arch.array.rows * c.arch.array.cols;
}
}  // namespace

RtlFoldCheck::RtlFoldCheck(sc_core::sc_module_name name, const Simulation& sim, const RtlSelection& sel)
    : sc_module(name), rtl_cycles("rtl_cycles"), rtl_mismatches("rtl_mismatches"), sample_(sel.folds),
      geometry_(geometry_of(sim.config().arch.array)), engine_(rtl::Engine::Fp32Seq),
      engines_(checked_instances(sim.config())) {
  const SimConfig& c = sim.config();
  std::string unused;
  engine_ = *rtl::engine_for(c.activation_spec(), c.weight_spec(), c.arch.array.accumulator, &unused);
  const std::vector<Layer>& layers = sim.layers();
  std::vector<bool> chosen(layers.size(), sel.layers.empty());
  for (const std::string& n : sel.layers) {
    const auto it = std::find_if(layers.begin(), layers.end(), [&](const Layer& l) { return l.name == n; });
    if (it == layers.end()) {
      std::string known;
      for (const Layer& l : layers) known += (known.empty() ? "" : ", ") + l.name;
      throw Error("--rtl-layers: no layer '" + n + "' in the workload (layers: " + known + ")");
    }
    chosen[static_cast<size_t>(it - layers.begin())] = true;
  }
  report_.engine = rtl::engine_name(engine_);
  report_.model_latency = geometry_.pipeline_depth - 1;
  report_.sample = sample_;
  slot_.assign(layers.size(), -1);
  held_.resize(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!chosen[i]) continue;
    slot_[i] = static_cast<int>(report_.layers.size());
    RtlLayerCheck l;
    l.layer = i;
    l.name = layers[i].name;
    l.folds = sim.plans()[i].folds;
    report_.layers.push_back(l);
  }
}

void RtlFoldCheck::operands(size_t layer, const QuantizedTensor& a, const QuantizedTensor& b,
                            const std::vector<float>& golden) {
  held_[layer] = Held{a, b, golden};
}

void RtlFoldCheck::fold(size_t layer, int64_t index, int64_t folds, const FoldWork& w) {
  if (!sampled(index, folds, sample_)) {
    if (index == folds - 1) held_[layer].reset();
    return;
  }
  if (!held_[layer]) throw Error("internal: --datapath rtl: layer " + std::to_string(layer) + " has no operands");
  const Held& h = *held_[layer];
  const int64_t K = h.a.cols, N = h.b.rows;
  if (w.k0 != 0 || w.k1 != K) throw Error("internal: --datapath rtl: a fold over part of K");
  const int64_t rows = w.m1 - w.m0, cols = w.n1 - w.n0;
  std::vector<rtl::Stream> streams;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) streams.push_back(rtl::Stream{r + c, {rtl::Dot{w.m0 + r, w.n0 + c}}});
  const rtl::Run run = engines_.run(h.a, h.b, engine_, streams);

  RtlLayerCheck& l = report_.layers[static_cast<size_t>(slot_[layer])];
  const int64_t mismatches_before = l.mismatches;
  for (size_t s = 0; s < streams.size(); ++s) {
    const rtl::Dot& dot = streams[s].dots[0];
    const float got = run.streams[s].d[0], want = h.d[static_cast<size_t>(dot.m * N + dot.n)];
    const uint32_t gb = std::bit_cast<uint32_t>(got), wb = std::bit_cast<uint32_t>(want);
    ++l.outputs;
    l.nonzero += wb != 0;
    if (gb != wb && l.mismatches++ == 0) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "[%lld][%lld] (fold %lld): rtl 0x%08x (%.9g) golden 0x%08x (%.9g)",
                    static_cast<long long>(dot.m), static_cast<long long>(dot.n), static_cast<long long>(index), gb,
                    got, wb, want);
      l.first = buf;
    }
  }
  const int64_t beats = (K + rtl::kLanes - 1) / rtl::kLanes;
  const int64_t latency = run.cycles - beats - (rows - 1) - (cols - 1);
  l.latency = l.folds_checked == 0 ? latency : l.latency == latency ? latency : -2;
  ++l.folds_checked;
  l.rtl_cycles += run.cycles;
  l.model_cycles += w.compute_cycles;
  l.edge_cycles += (geometry_.rows - rows) + (geometry_.cols - cols);
  total_cycles_ += static_cast<uint64_t>(run.cycles);
  rtl_cycles.write(total_cycles_);
  total_mismatches_ += static_cast<uint64_t>(l.mismatches - mismatches_before);
  rtl_mismatches.write(total_mismatches_);
  if (index == folds - 1) held_[layer].reset();
}

void RtlFoldCheck::trace(sc_core::sc_trace_file* f) const {
  sc_core::sc_trace(f, rtl_cycles, "rtl_cycles");
  sc_core::sc_trace(f, rtl_mismatches, "rtl_mismatches");
}

}  // namespace nvfp4::sim

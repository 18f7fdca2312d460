#include "sim/model/residency.hpp"

#include <algorithm>

#include "lut/lut_storage.hpp"

namespace nvfp4::sim {

int64_t stored_input_elements(const Layer& l, int block) {
  const int64_t lowered = l.M * l.K;
  if (l.kind != Layer::Kind::Conv || l.conv.channels % block != 0) return lowered;
  const ConvShape& c = l.conv;
  return std::min(lowered, c.batch * c.ifmap_h * c.ifmap_w * c.channels);
}

int64_t feeds(const Layer& prev, const Layer& next) {
  const bool pc = prev.kind == Layer::Kind::Conv, nc = next.kind == Layer::Kind::Conv;
  if (!pc && !nc) return next.M == prev.M && next.K == prev.N ? 1 : 0;
  if (!pc) return prev.M == next.conv.batch * next.conv.ifmap_h * next.conv.ifmap_w && prev.N == next.conv.channels;
  const ConvShape& o = prev.conv;
  if (nc) {
    const ConvShape& i = next.conv;
    if (i.batch != o.batch || i.channels != prev.N || i.ifmap_h <= 0 || i.ifmap_w <= 0) return 0;
    if (o.ofmap_h % i.ifmap_h || o.ofmap_w % i.ifmap_w) return 0;
    const int64_t p = o.ofmap_h / i.ifmap_h;
    return o.ofmap_w / i.ifmap_w == p ? p : 0;
  }
  if (next.M != o.batch) return 0;
  for (int64_t p = 1; p <= std::min(o.ofmap_h, o.ofmap_w); ++p)
    if (o.ofmap_h % p == 0 && o.ofmap_w % p == 0 && (o.ofmap_h / p) * (o.ofmap_w / p) * prev.N == next.K) return p;
  return 0;
}

LutLoad plan_lut_load(const SimConfig& c) {
  LutLoad l;
  const ArraySpec& x = c.arch.array;
  if (!lut::parse_lut_storage(x.lut_storage).written) return l;
  const lut::LaneTable t = lut::lane_table(lut::parse_multiplier_style(x.multiplier), lut::weight_format_of(x.weight_format));
  l.when = c.run.steady() ? "once" : "per-inference";
  l.copies = int64_t{x.rows} * x.cols * x.lanes;
  l.words = t.words();
  l.entry_bits = t.spec.entry_bits;
  l.image_bits = t.bits();
  l.words_written = l.copies * l.words;
  return l;
}

ResidencySummary plan_residency(const std::vector<Layer>& layers, std::vector<LayerPlan>& plans, const SimConfig& c) {
  ResidencySummary s;
  s.lut = plan_lut_load(c);
  if (!c.run.steady()) return s;
  const double act_bank = c.arch.activations.size_kib * 8192, wgt_bank = c.arch.weights.size_kib * 8192;
  const double scl_bank = c.arch.scales.size_kib * 8192;
  const size_t n = plans.size();
  // Scales working set of layer i while it runs, beyond what is pinned (its own pinned scales are part of that).
  auto scales_need = [&](size_t i) { return plans[i].a_scales_need + (plans[i].b_pinned ? 0 : plans[i].b_scales_need); };
  auto fits = [&]() {
    double pinned_w = 0, pinned_s = 0, free_w = 0, scales = 0;
    for (size_t i = 0; i < n; ++i) {
      if (plans[i].b_pinned) {
        pinned_w += plans[i].b_bits;
        pinned_s += plans[i].b_scale_total_bits;
      } else {
        free_w = std::max(free_w, plans[i].b_bank_need);
      }
      scales = std::max(scales, scales_need(i));
    }
    return pinned_w + free_w <= wgt_bank && pinned_s + scales <= scl_bank;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!plans[i].b_resident) continue;  // weights that do not fit their bank for one layer are never pinned
    plans[i].b_pinned = true;
    if (!fits()) plans[i].b_pinned = false;
  }
  for (const LayerPlan& p : plans)
    if (p.b_pinned) {
      ++s.pinned_layers;
      s.pinned_weight_bits += p.b_bits;
      s.pinned_scale_bits += p.b_scale_total_bits;
    }
  for (size_t i = 0; i + 1 < n; ++i) {
    LayerPlan &p = plans[i], &q = plans[i + 1];
    const int64_t pool = feeds(layers[i], layers[i + 1]);
    if (!pool || !q.a_resident || p.chunk_outputs) continue;
    // The next layer's stored input must be exactly this layer's (pooled) output.
    if (stored_input_elements(layers[i + 1], c.arch.array.block) * pool * pool != p.dims.M * p.dims.N) continue;
    if (p.a_bank_need + q.a_bits > act_bank) continue;
    if (s.pinned_scale_bits + scales_need(i) + q.a_scale_total_bits > scl_bank) continue;
    p.out_on_chip = q.a_on_chip = true;
    p.next_a_bits = q.a_bits;
    p.next_a_scale_bits = q.a_scale_total_bits;
    ++s.chained_layers;
  }
  return s;
}

std::string weights_residency(const LayerPlan& p) {
  return p.b_pinned ? "pinned" : p.b_resident ? "layer" : "streamed";
}
std::string input_residency(const LayerPlan& p) {
  return p.a_on_chip ? "on-chip" : p.a_resident ? "layer" : "streamed";
}
std::string output_residency(const LayerPlan& p) { return p.out_on_chip ? "on-chip" : "off-chip"; }

}  // namespace nvfp4::sim

#include "rtl_models/driver/engine_array.hpp"

#include <bit>
#include <cmath>

#include "Vrtl_engines.h"
#include "lut/engine.hpp"
#include "lut/mutation.hpp"
#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"
#include "verilated.h"

namespace nvfp4::rtl {

const char* engine_name(Engine e) {
  return e == Engine::Fp32Seq ? "dot_engine L=16 E2M1 mantissa-LUT, fp32-seq (tb_engines_top u_e0)"
                              : "dot_engine L=16 E2M1 array multiplier, fixed:32:16 (tb_engines_top u_e1)";
}

std::optional<Engine> engine_for(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& p, std::string* why) {
  const bool nv = a.scheme == Scheme::NVFP4 && b.scheme == Scheme::NVFP4 && a.block == kLanes && b.block == kLanes &&
                  !a.block_2d && !b.block_2d;
  if (!nv) {
    *why = "the RTL engines take NVFP4 x NVFP4 with 1-D blocks of 16 (this run: " + a.describe() + " x " +
           b.describe() + ")";
    return std::nullopt;
  }
  if (p.name() == "fp32-seq") return Engine::Fp32Seq;
  if (p.name() == "fixed:32:16") return Engine::Fixed32_16;
  *why = "the Verilated engines implement fp32-seq and fixed:32:16, not " + p.name();
  return std::nullopt;
}

namespace {

// D as the consumer of the engine's output computes it (numerics/gemm.hpp): a fixed-point NaN flag gives NaN.
float d_from_acc(uint32_t acc, bool nan, Engine e, float ts) {
  if (nan && e == Engine::Fixed32_16) return std::bit_cast<float>(lut::kCanonicalNanBits);
  const float d = e == Engine::Fixed32_16 ? std::ldexp(float(int32_t(acc)), -16) * ts : std::bit_cast<float>(acc) * ts;
  return std::isnan(d) ? std::bit_cast<float>(lut::kCanonicalNanBits) : d;
}

void tick(Vrtl_engines& top) {
  top.clk_i = 1;
  top.eval();
  top.clk_i = 0;
  top.eval();
}

// Where one instance is in its stream.
struct Cursor {
  size_t next = 0, got = 0;  // next dot to feed, results taken
  int64_t kb = 0;            // block of the dot being fed
};

}  // namespace

struct EngineArray::Impl {
  VerilatedContext ctx;
  std::vector<std::unique_ptr<Vrtl_engines>> tops;
  // Test only (docs/crosscheck.md, "Proving it can fail"): NVFP4_TEST_MUTATE_RTL="A,W" feeds weight code W ^ 1 to a
  // lane whose operands are activation code A and weight code W, so the lane reads a wrong table row.
  std::optional<std::pair<unsigned, unsigned>> mutation = lut::test_mutation_codes("NVFP4_TEST_MUTATE_RTL");
};

EngineArray::EngineArray(int instances) : impl_(std::make_unique<Impl>()) {
  if (instances < 1) throw Error("internal: an RTL engine array needs at least one instance");
  for (int i = 0; i < instances; ++i)
    impl_->tops.push_back(std::make_unique<Vrtl_engines>(&impl_->ctx, ("engines" + std::to_string(i)).c_str()));
}

EngineArray::~EngineArray() {
  for (auto& t : impl_->tops) t->final();
}

int EngineArray::instances() const { return static_cast<int>(impl_->tops.size()); }

Run EngineArray::run(const QuantizedTensor& a, const QuantizedTensor& b, Engine e, const std::vector<Stream>& streams) {
  if (streams.size() > impl_->tops.size()) throw Error("internal: more streams than RTL engine instances");
  const int64_t K = a.cols, nb = ceil_div(K, int64_t{kLanes});
  const int sel = static_cast<int>(e);
  const float ts = a.tensor_scale * b.tensor_scale;
  size_t total = 0;
  for (const Stream& s : streams) total += s.dots.size();
  const size_t used = streams.size();
  for (size_t i = 0; i < used; ++i) {  // reset: two cycles with rst_ni low
    Vrtl_engines* t = impl_->tops[i].get();
    t->rst_ni = 0;
    t->clk_i = 0;
    t->in_valid_i = 0;
    t->out_ready_i = 1;
    tick(*t);
    tick(*t);
    t->rst_ni = 1;
  }
  Run run;
  run.streams.resize(streams.size());
  std::vector<Cursor> cur(streams.size());
  size_t got = 0;
  int64_t cycle = 0, idle = 0;
  while (got < total) {
    bool progress = false;
    for (size_t i = 0; i < used; ++i) {
      Vrtl_engines& top = *impl_->tops[i];
      const Stream& s = streams[i];
      Cursor& c = cur[i];
      const bool feeding = cycle >= s.start && c.next < s.dots.size();
      top.in_valid_i = feeding;
      if (feeding) {
        const int64_t m = s.dots[c.next].m, n = s.dots[c.next].n;
        uint64_t av = 0, wv = 0;
        for (int j = 0; j < kLanes; ++j) {
          const int64_t k = c.kb * kLanes + j;
          if (k >= K) break;  // partial block: zero codes in the missing lanes
          const unsigned ac = a.code(m, k);
          unsigned wc = b.code(n, k);
          if (impl_->mutation && ac == impl_->mutation->first && wc == impl_->mutation->second) wc ^= 1u;
          av |= uint64_t(ac) << (4 * j);
          wv |= uint64_t(wc) << (4 * j);
        }
        top.a_i = av;
        top.w4_i = wv;
        top.sa_i = lut::block_scale_code(a, m, c.kb);
        top.sb_i = lut::block_scale_code(b, n, c.kb);
        top.first_i = c.kb == 0;
        top.last_i = c.kb == nb - 1;
      }
      top.eval();
      const bool took = feeding && ((top.in_ready_o >> sel) & 1u);
      if ((top.out_valid_o >> sel) & 1u) {
        if (c.got >= s.dots.size()) throw Error("internal: the RTL engine gave more results than dot products fed");
        run.streams[i].d.push_back(d_from_acc(top.acc_o[sel], (top.nan_o >> sel) & 1u, e, ts));
        run.streams[i].taken.push_back(cycle);
        ++c.got;
        ++got;
        progress = true;
      }
      if (took) {
        progress = true;
        if (++c.kb == nb) {
          c.kb = 0;
          ++c.next;
        }
      }
    }
    idle = progress ? 0 : idle + 1;
    if (idle > 1000)
      throw Error("the RTL engine gave no result for 1000 cycles after " + std::to_string(got) + " of " +
                  std::to_string(total));
    for (size_t i = 0; i < used; ++i) tick(*impl_->tops[i]);
    ++cycle;
  }
  run.cycles = cycle;
  return run;
}

}  // namespace nvfp4::rtl

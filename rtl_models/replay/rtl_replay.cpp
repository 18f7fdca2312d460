// nvfp4-rtl-replay: a replay set of nvfp4sim (numerics/replay.hpp) on the Verilated RTL dot engine
// (rtl_models/rtl/dot_engine.sv, three configurations in rtl_models/tb/tb_engines_top.sv), bit for bit.
// For each selected layer, a sample of outputs D[m][n] (all of them when M x N <= --sample) is streamed through the
// engine that matches the run (16 lanes, NVFP4 x NVFP4; fp32-seq: mantissa-LUT engine, fixed:32:16: the fixed-point
// engine), one block per beat, back to back; D = acc x tensor scales is compared with the simulator's output bits.
// The measured cycles (first beat in to last result out) are printed next to the simulator's cycle model for the same
// dot products on one engine: dots x ceil(K / L) beats + P pipeline stages (docs/rtl.md, "Replay").
// Output: one CSV row per layer on stdout (layer,name,policy,outputs,bits,mismatches,result,rtl_cycles,model_cycles,
// first_mismatch); exit 0 all equal, 1 a mismatch, 2 bad input. Layers the RTL has no engine for are rows with result
// SKIP and the reason.
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "Vrtl_replay_engines.h"
#include "lut/engine.hpp"
#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/replay.hpp"
#include "rtl_models/verilated_bits.hpp"
#include "verilated.h"

namespace {

using namespace nvfp4;
constexpr int L = 16;

struct Options {
  std::string dir;
  std::set<std::string> layers;  // empty: all
  int64_t sample = 256;
  int pipeline_depth = 4;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error("option " + a + " needs a value");
      return argv[++i];
    };
    auto number = [&](int64_t lo) {
      const std::string v = value();
      char* end = nullptr;
      const long long x = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || x < lo) throw Error("option " + a + ": '" + v + "' is not an integer >= " + std::to_string(lo));
      return static_cast<int64_t>(x);
    };
    if (a == "--layers") {
      std::string list = value(), cur;
      for (char c : list + ",") {
        if (c == ',') {
          if (!cur.empty()) o.layers.insert(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
    } else if (a == "--sample") o.sample = number(1);
    else if (a == "--pipeline-depth") o.pipeline_depth = static_cast<int>(number(1));
    else if (a == "--help" || a == "-h") {
      std::puts("usage: nvfp4-rtl-replay DIR [--layers a,b] [--sample N (default 256)] [--pipeline-depth P (default 4)]");
      std::exit(0);
    } else if (!a.empty() && a[0] == '-') throw Error("unknown option '" + a + "'");
    else if (o.dir.empty()) o.dir = a;
    else throw Error("unexpected argument '" + a + "'");
  }
  if (o.dir.empty()) throw Error("missing the replay set folder (nvfp4sim run --save-operands writes DIR/operands)");
  if (std::filesystem::is_regular_file(std::filesystem::path(o.dir) / "operands" / replay::kManifest))
    o.dir = (std::filesystem::path(o.dir) / "operands").string();
  return o;
}

// Which engine of the top runs this layer, or a reason why none can.
int engine_for(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& p, std::string* why) {
  const bool nv = a.spec.scheme == Scheme::NVFP4 && b.spec.scheme == Scheme::NVFP4 && a.spec.block == L &&
                  b.spec.block == L && !a.spec.block_2d && !b.spec.block_2d;
  if (!nv) {
    *why = "the RTL engines take 16-lane NVFP4 x NVFP4 with 1-D blocks of 16";
    return -1;
  }
  if (p.name() == "fp32-seq") return 0;
  if (p.name() == "fixed:32:16") return 1;
  *why = "the Verilated engines implement fp32-seq and fixed:32:16, not " + p.name();
  return -1;
}

// D as the consumer of the engine's output computes it (numerics/gemm.hpp): a fixed-point NaN flag gives NaN.
float d_from_acc(uint32_t acc, bool nan, int engine, float ts) {
  if (nan && engine == 1) return std::bit_cast<float>(lut::kCanonicalNanBits);
  const float d = engine == 1 ? std::ldexp(float(int32_t(acc)), -16) * ts : std::bit_cast<float>(acc) * ts;
  return std::isnan(d) ? std::bit_cast<float>(lut::kCanonicalNanBits) : d;
}

using nvfp4::rtl::put_bits;

struct Row {
  int64_t outputs = 0, mismatches = 0, nonzero = 0, rtl_cycles = 0, model_cycles = 0;
  std::string first;
};

Row run_layer(VerilatedContext& ctx, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d,
              int engine, const Options& o) {
  const int64_t M = a.rows, N = b.rows, K = a.cols, nb = (K + L - 1) / L, total = M * N;
  std::vector<int64_t> picks;
  if (total <= o.sample) {
    for (int64_t i = 0; i < total; ++i) picks.push_back(i);
  } else {
    for (int64_t i = 0; i < o.sample; ++i) picks.push_back(i * (total - 1) / (o.sample - 1));
  }
  Vrtl_replay_engines top(&ctx, "TOP");
  auto tick = [&] {
    top.clk_i = 1;
    top.eval();
    top.clk_i = 0;
    top.eval();
  };
  top.rst_ni = 0;
  top.clk_i = 0;
  top.in_valid_i = 0;
  top.out_ready_i = 1;
  tick();
  tick();
  top.rst_ni = 1;
  const float ts = a.tensor_scale * b.tensor_scale;
  Row r;
  size_t next_dot = 0, got = 0;
  int64_t kb = 0, cycles = 0, idle = 0;
  while (got < picks.size()) {
    const bool feeding = next_dot < picks.size();
    top.in_valid_i = feeding;
    if (feeding) {
      const int64_t m = picks[next_dot] / N, n = picks[next_dot] % N;
      uint64_t av = 0, wv = 0;
      for (int j = 0; j < L; ++j) {
        const int64_t k = kb * L + j;
        if (k >= K) break;  // partial block: zero codes in the missing lanes
        av |= uint64_t(a.code(m, k)) << (4 * j);
        wv |= uint64_t(b.code(n, k)) << (4 * j);
      }
      top.a_i = av;
      top.w4_i = wv;
      top.sa_i = lut::block_scale_code(a, m, kb);
      top.sb_i = lut::block_scale_code(b, n, kb);
      top.first_i = kb == 0;
      top.last_i = kb == nb - 1;
    }
    top.eval();
    const bool took = feeding && ((top.in_ready_o >> engine) & 1u);
    if ((top.out_valid_o >> engine) & 1u) {
      const int64_t i = picks[got];
      const float rtl = d_from_acc(top.acc_o[engine], (top.nan_o >> engine) & 1u, engine, ts);
      const uint32_t rb = std::bit_cast<uint32_t>(rtl), sb = std::bit_cast<uint32_t>(d[size_t(i)]);
      ++r.outputs;
      r.nonzero += sb != 0;
      if (rb != sb && r.mismatches++ == 0) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "[%lld][%lld]: rtl 0x%08x (%.9g) simulator 0x%08x (%.9g)",
                      static_cast<long long>(i / N), static_cast<long long>(i % N), rb, rtl, sb, d[size_t(i)]);
        r.first = buf;
      }
      ++got;
      idle = 0;
    } else if (++idle > 1000) {
      throw Error("the RTL engine gave no result for 1000 cycles after " + std::to_string(got) + " of " +
                  std::to_string(picks.size()));
    }
    if (took && ++kb == nb) {
      kb = 0;
      ++next_dot;
    }
    tick();
    ++cycles;
  }
  top.final();
  r.rtl_cycles = cycles;
  r.model_cycles = static_cast<int64_t>(picks.size()) * nb + o.pipeline_depth;
  return r;
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::vector<replay::Entry> entries = replay::read_manifest(o.dir);
  for (const std::string& name : o.layers) {
    bool found = false;
    for (const auto& e : entries) found = found || e.name == name;
    if (!found) throw Error("--layers: no layer '" + name + "' in " + o.dir);
  }
  VerilatedContext ctx;
  ctx.commandArgs(argc, argv);
  std::printf("layer,name,policy,outputs,bits,mismatches,result,rtl_cycles,model_cycles,first_mismatch\n");
  int failed = 0;
  for (const replay::Entry& e : entries) {
    if (!o.layers.empty() && !o.layers.count(e.name)) continue;
    const std::filesystem::path dir(o.dir);
    const QuantizedTensor a = load_quantized((dir / e.a).string()), b = load_quantized((dir / e.b).string());
    const std::vector<float> d = to_float32(read_npy((dir / e.d).string()));
    if (a.rows != e.M || b.rows != e.N || a.cols != e.K || b.cols != e.K || d.size() != size_t(e.M * e.N))
      throw Error(e.where + ": layer '" + e.name + "': the files' shapes do not match the manifest");
    const AccumPolicy p = AccumPolicy::parse(e.policy);
    std::string why;
    const int engine = engine_for(a, b, p, &why);
    if (engine < 0) {
      std::printf("%lld,\"%s\",%s,0,0,0,SKIP,0,0,\"%s\"\n", static_cast<long long>(e.index), e.name.c_str(),
                  e.policy.c_str(), why.c_str());
      continue;
    }
    const Row r = run_layer(ctx, a, b, d, engine, o);
    const bool ok = r.mismatches == 0 && r.nonzero > 0;
    failed += ok ? 0 : 1;
    std::printf("%lld,\"%s\",%s,%lld,%lld,%lld,%s,%lld,%lld,\"%s\"\n", static_cast<long long>(e.index),
                e.name.c_str(), e.policy.c_str(), static_cast<long long>(r.outputs),
                static_cast<long long>(r.outputs * 32), static_cast<long long>(r.mismatches),
                ok ? "equal" : (r.mismatches ? "MISMATCH" : "ALL-ZERO"), static_cast<long long>(r.rtl_cycles),
                static_cast<long long>(r.model_cycles), r.first.c_str());
  }
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

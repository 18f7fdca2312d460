// nvfp4-rtl-replay: a replay set of nvfp4sim (numerics/replay.hpp) on the Verilated RTL dot engine
// (rtl_models/rtl/dot_engine.sv, three configurations in rtl_models/tb/tb_engines_top.sv), bit for bit.
// For each selected layer, a sample of outputs D[m][n] (all of them when M x N <= --sample) is streamed through the
// engine that matches the run (16 lanes, NVFP4 x NVFP4; fp32-seq: mantissa-LUT engine, fixed:32:16: the fixed-point
// engine), one block per beat, back to back, by the driver nvfp4sim --datapath rtl uses too
// (rtl_models/driver/engine_array.hpp); D = acc x tensor scales is compared with the simulator's output bits. The
// measured cycles (first beat in to last result out) are printed; the comparison with the simulator's cycle model is
// nvfp4sim --datapath rtl's (on the simulator's own folds, docs/sim.md), not this tool's.
// Output: one CSV row per layer on stdout (layer,name,policy,outputs,bits,mismatches,result,rtl_cycles,
// first_mismatch); exit 0 all equal, 1 a mismatch, 2 bad input. Layers the RTL has no engine for are rows with result
// SKIP and the reason.
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/replay.hpp"
#include "rtl_models/driver/engine_array.hpp"

namespace {

using namespace nvfp4;

struct Options {
  std::string dir;
  std::set<std::string> layers;  // empty: all
  int64_t sample = 256;
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
    else if (a == "--help" || a == "-h") {
      std::puts("usage: nvfp4-rtl-replay DIR [--layers a,b] [--sample N (default 256)]");
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

struct Row {
  int64_t outputs = 0, mismatches = 0, nonzero = 0, rtl_cycles = 0;
  std::string first;
};

// The layer's sampled dot products back to back through one engine (rtl/engine_array.hpp drives it).
Row run_layer(rtl::EngineArray& engines, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d,
              rtl::Engine engine, const Options& o) {
  const int64_t N = b.rows, total = a.rows * N;
  rtl::Stream s;
  if (total <= o.sample) {
    for (int64_t i = 0; i < total; ++i) s.dots.push_back({i / N, i % N});
  } else {
    for (int64_t j = 0; j < o.sample; ++j) {
      const int64_t i = o.sample == 1 ? 0 : j * (total - 1) / (o.sample - 1);
      s.dots.push_back({i / N, i % N});
    }
  }
  const rtl::Run run = engines.run(a, b, engine, {s});
  Row r;
  for (size_t j = 0; j < s.dots.size(); ++j) {
    const int64_t i = s.dots[j].m * N + s.dots[j].n;
    const float rtl = run.streams[0].d[j];
    const uint32_t rb = std::bit_cast<uint32_t>(rtl), sb = std::bit_cast<uint32_t>(d[size_t(i)]);
    ++r.outputs;
    r.nonzero += sb != 0;
    if (rb != sb && r.mismatches++ == 0) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "[%lld][%lld]: rtl 0x%08x (%.9g) simulator 0x%08x (%.9g)",
                    static_cast<long long>(s.dots[j].m), static_cast<long long>(s.dots[j].n), rb, rtl, sb,
                    d[size_t(i)]);
      r.first = buf;
    }
  }
  r.rtl_cycles = run.cycles;
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
  rtl::EngineArray engines(1);
  std::printf("layer,name,policy,outputs,bits,mismatches,result,rtl_cycles,first_mismatch\n");
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
    const std::optional<rtl::Engine> engine = rtl::engine_for(a.spec, b.spec, p, &why);
    if (!engine) {
      std::printf("%lld,\"%s\",%s,0,0,0,SKIP,0,\"%s\"\n", static_cast<long long>(e.index), e.name.c_str(),
                  e.policy.c_str(), why.c_str());
      continue;
    }
    const Row r = run_layer(engines, a, b, d, *engine, o);
    const bool ok = r.mismatches == 0 && r.nonzero > 0;
    failed += ok ? 0 : 1;
    std::printf("%lld,\"%s\",%s,%lld,%lld,%lld,%s,%lld,\"%s\"\n", static_cast<long long>(e.index),
                e.name.c_str(), e.policy.c_str(), static_cast<long long>(r.outputs),
                static_cast<long long>(r.outputs * 32), static_cast<long long>(r.mismatches),
                ok ? "equal" : (r.mismatches ? "MISMATCH" : "ALL-ZERO"), static_cast<long long>(r.rtl_cycles),
                r.first.c_str());
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

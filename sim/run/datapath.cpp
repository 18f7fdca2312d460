#include "sim/run/datapath.hpp"

#include <cstdio>
#include <cstring>
#include <thread>

#include "lut/engine.hpp"
#include "numerics/error.hpp"

namespace nvfp4::sim {

Datapath parse_datapath(const std::string& name) {
  if (name == "golden") return Datapath::Golden;
  if (name == "engine") return Datapath::Engine;
  if (name == "rtl") return Datapath::Rtl;
  throw Error("--datapath '" + name + "': expected golden, engine or rtl");
}

const char* datapath_name(Datapath d) {
  return d == Datapath::Engine ? "engine" : d == Datapath::Rtl ? "rtl" : "golden";
}

std::vector<float> engine_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const ArraySpec& array, int threads,
                               std::shared_ptr<const std::vector<int64_t>> table) {
  lut::EngineConfig cfg;
  cfg.lanes = array.lanes;
  cfg.style = array.multiplier;
  cfg.accum = array.accumulator;
  cfg.weight = lut::element_format_of(b, "weights");
  cfg.table = std::move(table);
  const int64_t M = a.rows, N = b.rows;
  std::vector<float> d(static_cast<size_t>(M * N));
  const int t = std::max(1, std::min<int>(threads, static_cast<int>(M)));
  std::vector<std::thread> pool;
  std::exception_ptr failure;
  auto work = [&](int id) {
    try {
      lut::DotEngine engine(cfg);
      for (int64_t m = id; m < M; m += t)
        for (int64_t n = 0; n < N; ++n) d[static_cast<size_t>(m * N + n)] = engine.dot(a, m, b, n);
    } catch (...) {
      failure = std::current_exception();
    }
  };
  for (int i = 1; i < t; ++i) pool.emplace_back(work, i);
  work(0);
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
  return d;
}

DatapathCheck compare_datapath(const std::vector<float>& engine, const std::vector<float>& golden, int64_t cols) {
  DatapathCheck c;
  c.done = true;
  c.outputs = static_cast<int64_t>(golden.size());
  for (size_t i = 0; i < golden.size(); ++i) {
    uint32_t e, g;
    std::memcpy(&e, &engine[i], 4);
    std::memcpy(&g, &golden[i], 4);
    if (g != 0) ++c.nonzero;
    if (e == g) continue;
    if (c.mismatches++ == 0) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "[%lld][%lld]: engine 0x%08x (%.9g) golden 0x%08x (%.9g)",
                    static_cast<long long>(static_cast<int64_t>(i) / cols),
                    static_cast<long long>(static_cast<int64_t>(i) % cols), e, engine[i], g, golden[i]);
      c.first = buf;
    }
  }
  return c;
}

}  // namespace nvfp4::sim

#include "cuda/gpucheck/replay.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cuda/gpu.hpp"
#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/replay.hpp"

namespace nvfp4::gpucheck {
namespace {

namespace fs = std::filesystem;

struct ReplayLayer {
  replay::Entry entry;
  AccumPolicy policy;
  QuantizedTensor a, b;
  std::vector<float> d;  // the simulator's output
};

// The replay set may be given as the run folder (DIR/operands) or the operands folder itself.
std::string operands_dir(const std::string& dir) {
  if (fs::is_regular_file(fs::path(dir) / "operands" / replay::kManifest)) return (fs::path(dir) / "operands").string();
  return dir;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  std::string t = s.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

ReplayLayer load_layer(const std::string& dir, const replay::Entry& e) {
  ReplayLayer L{e, AccumPolicy::parse(e.policy), load_quantized((fs::path(dir) / e.a).string()),
                load_quantized((fs::path(dir) / e.b).string()), {}};
  const NpyArray d = read_npy((fs::path(dir) / e.d).string());
  if (L.a.rows != e.M || L.a.cols != e.K || L.b.rows != e.N || L.b.cols != e.K || d.shape.size() != 2 ||
      d.shape[0] != e.M || d.shape[1] != e.N)
    throw Error(e.where + ": layer '" + e.name + "': the files' shapes do not match M=" + std::to_string(e.M) +
                " N=" + std::to_string(e.N) + " K=" + std::to_string(e.K));
  L.d = to_float32(d);
  gpu::require_gpu_gemm_support(L.a.spec, L.b.spec, L.policy);
  return L;
}

}  // namespace

bool run_replay(const Options& o, RunReport& rep) {
  const std::string dir = operands_dir(o.replay_dir);
  const std::vector<replay::Entry> entries = replay::read_manifest(dir);
  // Inputs first: every file is read and checked on any machine, GPU or not (layers are loaded again one at a time
  // below so a large set never sits in memory at once).
  for (const replay::Entry& e : entries) (void)load_layer(dir, e);
  std::string why;
  if (!gpu::device_present(&why)) {
    if (o.skip_without_gpu) {
      std::printf("SKIP: no CUDA GPU on this machine (%s); replay set %s read and checked, nothing run\n", why.c_str(),
                  dir.c_str());
      return false;
    }
    throw Error("no CUDA GPU: " + why);
  }
  rep.replay_dir = dir;
  const fs::path summary = fs::path(dir).parent_path() / "summary.json";
  if (fs::is_regular_file(summary)) rep.simulator_summary = read_text(summary);
  rep.device = gpu::device_info();
  rep.command = o.command;
  std::printf("device: %s (sm_%d%d)\nreplay: %s (%zu layers)\n", rep.device.name.c_str(), rep.device.cc_major,
              rep.device.cc_minor, dir.c_str(), entries.size());
  for (const replay::Entry& e : entries) {
    const ReplayLayer L = load_layer(dir, e);
    if (rep.spec_a.empty()) {
      rep.spec_a = L.a.spec.describe();
      rep.spec_b = L.b.spec.describe();
    }
    if (std::find(rep.policies.begin(), rep.policies.end(), L.policy.name()) == rep.policies.end())
      rep.policies.push_back(L.policy.name());
    LayerReport lr;
    lr.name = e.name;
    lr.m = e.M;
    lr.n = e.N;
    lr.k = e.K;
    lr.golden_rows_checked = e.M;
    const gpu::DeviceQuantized ga = gpu::DeviceQuantized::upload(L.a), gb = gpu::DeviceQuantized::upload(L.b);
    const gpu::PreparedGemm g = gpu::prepare_gemm(ga, gb);
    gpu::DeviceBuffer<float> dd(static_cast<size_t>(e.M * e.N), "GEMM output");
    NVFP4_CUDA_CHECK(cudaMemset(dd.get(), 0xFF, dd.size() * sizeof(float)));  // poison: unwritten = NaN pattern
    gpu::run_gemm(g, L.policy, dd.get());
    NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
    const std::string kernel = "gemm " + gpu::last_gemm_kernel();
    if (std::find(rep.kernels.begin(), rep.kernels.end(), kernel) == rep.kernels.end()) rep.kernels.push_back(kernel);
    CompareResult c = compare_floats("D " + L.policy.name() + " vs simulator", dd.download(), L.d, e.N);
    const bool ok = c.pass() && !c.trivially_zero();
    std::printf("%s: M=%lld N=%lld K=%lld %s: %s", e.name.c_str(), static_cast<long long>(e.M),
                static_cast<long long>(e.N), static_cast<long long>(e.K), L.policy.name().c_str(),
                ok ? "equal" : "MISMATCH");
    if (!c.pass())
      std::printf(" (%lld of %lld differ; first %s)", static_cast<long long>(c.mismatches),
                  static_cast<long long>(c.elements), c.first.c_str());
    else if (c.trivially_zero())
      std::printf(" (every simulator output is zero: the comparison proves nothing)");
    else
      std::printf(" (%lld outputs, %lld bits)", static_cast<long long>(c.elements),
                  static_cast<long long>(c.elements) * 32);
    std::printf("\n");
    lr.checks.push_back(std::move(c));
    rep.layers.push_back(std::move(lr));
  }
  return true;
}

}  // namespace nvfp4::gpucheck

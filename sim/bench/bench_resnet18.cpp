// bench_sim_resnet18 (docs/BENCHMARKS.md, "## sim"): simulated MACs per host second of nvfp4sim on ResNet-18 (all
// conv and fc layers, batch 1, 224 x 224, 1.814 GMAC) on the edge-small preset, with numerics (golden GEMM), energy
// accounting and fault injection on; and, in the same run, SCALE-Sim (cycles only: its compute unit, via
// tests/sim/scalesim_compute_cycles.py) on the same layers on a 16 x 16 systolic array (the same 256 MACs per cycle).
// Times are CPU seconds (the development machines are shared): nvfp4sim's process CPU time, SCALE-Sim's child
// CPU time. SystemC elaborates once per process, so each benchmark runs exactly one iteration.
// Run from the repository root: build/bin/bench_sim_resnet18 [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <sys/resource.h>
#include <string>

#include "sim/config/sim_config.hpp"
#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"

namespace {

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double nvfp4sim_seconds = 0;

void BM_Nvfp4simResnet18EdgeSmall(benchmark::State& state) {
  using namespace nvfp4::sim;
  for (auto _ : state) {
    Simulation sim(load_config("sim/presets/edge-small.yaml"), nvfp4::workload::read_csv("sim/examples/resnet18.csv"),
                   "sim/examples/resnet18.csv");
    sim.validate();
    const double c0 = cpu_seconds();
    sim.run(RunControl{});
    const double cpu = cpu_seconds() - c0;
    nvfp4sim_seconds = cpu;
    int64_t macs = 0, cycles = 0;
    for (const auto& r : sim.results()) macs += r.timing.macs, cycles += r.timing.cycles;
    state.counters["MACs"] = static_cast<double>(macs);
    state.counters["sim_cycles"] = static_cast<double>(cycles);
    state.counters["cpu_s"] = cpu;
    state.counters["MACs_per_cpu_s"] = macs / cpu;
    state.counters["faults_on"] = sim.config().run.faults ? 1 : 0;
  }
}
BENCHMARK(BM_Nvfp4simResnet18EdgeSmall)->Iterations(1)->Unit(benchmark::kSecond);

double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

void BM_ScaleSimResnet18Os16x16(benchmark::State& state) {
  for (auto _ : state) {
    const double c0 = children_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = std::system("python3 tests/sim/scalesim_compute_cycles.py sim/examples/resnet18_scalesim.csv "
                               "os 16 16 > /dev/null");
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc != 0) {
      state.SkipWithError("SCALE-Sim failed (pip install scalesim: scripts/deps/pip-sim.txt)");
      return;
    }
    const double cpu = children_cpu_seconds() - c0;  // SCALE-Sim's own CPU time (the machine is shared)
    state.counters["child_wall_s"] = wall;
    state.counters["child_cpu_s"] = cpu;
    if (nvfp4sim_seconds > 0) state.counters["scalesim_cpu_over_nvfp4sim_cpu"] = cpu / nvfp4sim_seconds;
  }
}
BENCHMARK(BM_ScaleSimResnet18Os16x16)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

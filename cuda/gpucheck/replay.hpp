// nvfp4-gpucheck --replay DIR: a simulator run's stored operands (numerics/replay.hpp) on the GPU, under the run's
// accumulation policy, every output bit compared with the simulator's output (docs/cuda.md, "Replay").
#pragma once
#include "cuda/gpucheck/options.hpp"
#include "cuda/gpucheck/report.hpp"

namespace nvfp4::gpucheck {

// Reads and checks the whole replay set (manifest, files, shapes, policies) before touching the GPU; throws
// nvfp4::Error naming the file. Returns false (after printing SKIP) when there is no GPU and --skip-without-gpu.
bool run_replay(const Options& o, RunReport& rep);

}  // namespace nvfp4::gpucheck

#include "sim/run/operand_writer.hpp"

#include <filesystem>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::sim {

OperandWriter::OperandWriter(const OutputFolder& folder, const Simulation& sim)
    : folder_(folder), sim_(sim), entries_(sim.layers().size()), seen_(sim.layers().size(), false) {
  std::filesystem::create_directories(folder.partial("operands"));
}

void OperandWriter::observe(size_t i, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d) {
  const Layer& l = sim_.layers()[i];
  const std::string stem = replay::layer_stem(i, l.name);
  replay::Entry e;
  e.index = static_cast<int64_t>(i);
  e.name = l.name;
  e.M = l.M;
  e.N = l.N;
  e.K = l.K;
  e.policy = sim_.config().arch.array.accumulator.name();
  e.a = stem + ".a.npz";
  e.b = stem + ".b.npz";
  e.d = stem + ".d.npy";
  save_quantized(folder_.partial("operands/" + e.a), a);
  save_quantized(folder_.partial("operands/" + e.b), b);
  write_npy(folder_.partial("operands/" + e.d), from_float32(d, {l.M, l.N}));
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[i] = std::move(e);
  seen_[i] = true;
}

void OperandWriter::write_manifest() {
  for (size_t i = 0; i < seen_.size(); ++i)
    if (!seen_[i]) throw Error("internal: --save-operands: layer " + std::to_string(i) + " was not written");
  replay::write_manifest(folder_.partial("operands/" + std::string(replay::kManifest)), entries_);
}

}  // namespace nvfp4::sim

// --save-operands: the replay set of a run (numerics/replay.hpp) in DIR/operands/: per layer the stored operands as
// the array computed on them (quantized, then read back from the SRAM banks with their faults) and the output, plus
// the manifest that nvfp4-gpucheck --replay and scripts/crosscheck read.
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "numerics/quantized_tensor.hpp"
#include "numerics/replay.hpp"
#include "sim/run/report_writer.hpp"

namespace nvfp4::sim {

class OperandWriter {
 public:
  OperandWriter(const OutputFolder& folder, const Simulation& sim);
  // RunControl::observe: writes layer i's files into the partial folder.
  void observe(size_t i, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d);
  void write_manifest();  // after the run; every layer must have been observed

 private:
  const OutputFolder& folder_;
  const Simulation& sim_;
  std::vector<replay::Entry> entries_;
  std::vector<bool> seen_;
  std::mutex mutex_;
};

}  // namespace nvfp4::sim

#include "sim/dataflow/dataflow.hpp"

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::sim {

std::unique_ptr<Dataflow> make_output_stationary();
std::unique_ptr<Dataflow> make_weight_stationary();
std::unique_ptr<Dataflow> make_input_stationary();

int64_t Dataflow::compute_cycles(const GemmDims& d, const ArrayGeometry& g) const {
  return folds(d, g) * fold(d, g, 0).compute_cycles;
}

std::unique_ptr<Dataflow> make_dataflow(std::string_view name) {
  if (name == "os") return make_output_stationary();
  if (name == "ws") return make_weight_stationary();
  if (name == "is") return make_input_stationary();
  throw Error("unknown dataflow '" + std::string(name) + "' (os, ws, is)");
}

}  // namespace nvfp4::sim

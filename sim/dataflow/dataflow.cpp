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

namespace {
constexpr DataflowInfo kDataflows[] = {
    {"os", "output-stationary", "outputs (partial sums) of an R x C tile", make_output_stationary},
    {"ws", "weight-stationary", "an R-block x C tile of weights", make_weight_stationary},
    {"is", "input-stationary", "an R-block x C tile of activations", make_input_stationary},
};
}  // namespace

std::span<const DataflowInfo> dataflows() { return kDataflows; }

std::unique_ptr<Dataflow> make_dataflow(std::string_view name) {
  std::string names;
  for (const DataflowInfo& d : kDataflows) {
    if (d.name == name) return d.make();
    names += (names.empty() ? "" : ", ") + std::string(d.name);
  }
  throw Error("unknown dataflow '" + std::string(name) + "' (" + names + ")");
}

}  // namespace nvfp4::sim

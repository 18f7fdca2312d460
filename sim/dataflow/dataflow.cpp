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
class IndexWalker final : public FoldWalker {
 public:
  IndexWalker(const Dataflow& df, const GemmDims& d, const ArrayGeometry& g, FoldOrder order)
      : df_(df), d_(d), g_(g), order_(order) {}
  FoldWork next() override { return df_.fold(d_, g_, index_++, order_); }

 private:
  const Dataflow& df_;
  GemmDims d_;
  ArrayGeometry g_;
  FoldOrder order_;
  int64_t index_ = 0;
};
}  // namespace

std::unique_ptr<FoldWalker> Dataflow::walk(const GemmDims& d, const ArrayGeometry& g, FoldOrder order) const {
  return std::make_unique<IndexWalker>(*this, d, g, order);
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

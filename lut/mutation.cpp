#include "lut/mutation.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4::lut {
namespace {

class MutatedMultiplier : public LaneMultiplier {
 public:
  MutatedMultiplier(std::unique_ptr<LaneMultiplier> inner, unsigned a, unsigned w)
      : inner_(std::move(inner)), a_(a), w_(w) {}
  LaneProduct multiply(uint8_t a_code, uint16_t w_code) const override {
    LaneProduct p = inner_->multiply(a_code, w_code);
    if ((a_code & 0xF) == a_ && w_code == w_) p.fixed += 1;  // the wrong table entry
    return p;
  }
  std::string style() const override { return inner_->style(); }
  WeightFormat weight_format() const override { return inner_->weight_format(); }
  int table_lookups_per_product() const override { return inner_->table_lookups_per_product(); }

 private:
  std::unique_ptr<LaneMultiplier> inner_;
  unsigned a_, w_;
};

}  // namespace

std::optional<std::pair<unsigned, unsigned>> test_mutation_codes(const char* variable) {
  const char* env = std::getenv(variable);
  if (!env || !*env) return std::nullopt;
  int a = -1, w = -1;
  char tail = 0;
  if (std::sscanf(env, "%i,%i%c", &a, &w, &tail) != 2 || a < 0 || a > 15 || w < 0 || w > 0xFFFF)
    throw Error(std::string(variable) + "='" + env + "': expected 'A,W' (activation and weight codes)");
  return std::pair{static_cast<unsigned>(a), static_cast<unsigned>(w)};
}

std::unique_ptr<LaneMultiplier> apply_test_mutation(std::unique_ptr<LaneMultiplier> mul) {
  const auto codes = test_mutation_codes("NVFP4_TEST_MUTATE_LUT");
  if (!codes) return mul;
  return std::make_unique<MutatedMultiplier>(std::move(mul), codes->first, codes->second);
}

}  // namespace nvfp4::lut

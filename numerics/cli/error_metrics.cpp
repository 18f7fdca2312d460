#include "numerics/cli/error_metrics.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "numerics/error.hpp"

namespace nvfp4::cli {
namespace {

template <typename Ref>
ErrorMetrics compute(const std::vector<Ref>& ref, const std::vector<float>& test) {
  if (ref.size() != test.size()) throw Error("error metrics: sizes differ");
  ErrorMetrics m;
  double signal = 0, noise = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    const double r = ref[i], e = r - static_cast<double>(test[i]);
    signal += r * r;
    noise += e * e;
    if (std::fabs(e) > m.max_abs || (std::isnan(e) && m.max_at < 0)) {
      m.max_abs = std::fabs(e);
      m.max_at = static_cast<int64_t>(i);
    }
  }
  m.mse = ref.empty() ? 0 : noise / static_cast<double>(ref.size());
  if (noise == 0) m.sqnr_db = std::numeric_limits<double>::infinity();
  else m.sqnr_db = 10 * std::log10(signal / noise);  // -inf for a zero signal
  return m;
}

}  // namespace

ErrorMetrics error_metrics(const std::vector<double>& ref, const std::vector<float>& test) { return compute(ref, test); }
ErrorMetrics error_metrics(const std::vector<float>& ref, const std::vector<float>& test) { return compute(ref, test); }

std::string format_db(double db) {
  if (std::isinf(db) && db > 0) return "exact";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f dB", db);
  return buf;
}

}  // namespace nvfp4::cli

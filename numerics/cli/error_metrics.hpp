// Error of a quantized/approximate tensor against its float reference: MSE, SQNR and the largest error.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::cli {

struct ErrorMetrics {
  double mse = 0;           // mean of (ref - test)^2, in double
  double sqnr_db = 0;       // 10 log10( sum ref^2 / sum (ref - test)^2 ); +inf when equal, -inf for a zero reference
  double max_abs = 0;       // largest |ref - test|
  int64_t max_at = -1;      // its flat index
};

ErrorMetrics error_metrics(const std::vector<double>& ref, const std::vector<float>& test);
ErrorMetrics error_metrics(const std::vector<float>& ref, const std::vector<float>& test);

std::string format_db(double db);  // "19.84 dB", "exact", "-inf dB"

}  // namespace nvfp4::cli

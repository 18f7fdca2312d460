// Reads a `vdd_v,bit_error_rate` table with libfccp (Debian's "Fast C++ CSV Parser", <libfccp/csv.h>). Columns are
// read as text and parsed with std::from_chars, so every number is exact and every bad cell is named with its line.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"  // inside libfccp's fixed-size error-message buffers
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <charconv>
#include <cmath>
#include <string>

#include "ecc/failure_model.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

namespace {
double parse_number(const char* text, const std::string& where, const char* column) {
  std::string_view s(text ? text : "");
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    throw Error(where + ": " + column + " '" + std::string(s) + "' is not a finite number");
  }
  return v;
}
}  // namespace

TableFailureModel TableFailureModel::from_csv(const std::string& path, double nominal_vdd_v) {
  std::vector<Point> points;
  try {
    io::CSVReader<2, io::trim_chars<' ', '\t'>, io::no_quote_escape<','>, io::throw_on_overflow,
                  io::single_line_comment<'#'>>
        in(path);
    in.read_header(io::ignore_no_column, "vdd_v", "bit_error_rate");
    char* v_text = nullptr;
    char* p_text = nullptr;
    while (in.read_row(v_text, p_text)) {
      const std::string where = path + " line " + std::to_string(in.get_file_line());
      Point p{parse_number(v_text, where, "vdd_v"), parse_number(p_text, where, "bit_error_rate")};
      if (!(p.vdd_v > 0.0)) throw Error(where + ": vdd_v = " + std::string(v_text) + " must be > 0");
      if (!(p.bit_error_rate >= 0.0 && p.bit_error_rate <= 1.0)) {
        throw Error(where + ": bit_error_rate = " + std::string(p_text) + " is outside [0, 1]");
      }
      if (!points.empty() && !(p.vdd_v > points.back().vdd_v)) {
        throw Error(where + ": vdd_v must be strictly increasing (rows sorted by voltage, no repeats)");
      }
      if (!points.empty() && p.bit_error_rate > points.back().bit_error_rate) {
        throw Error(where + ": bit_error_rate rises with the voltage (non-monotone table)");
      }
      points.push_back(p);
    }
  } catch (const io::error::base& e) {
    throw Error("bit error rate table: " + std::string(e.what()));
  }
  if (points.empty()) throw Error(path + ": the bit error rate table has no data rows");
  return TableFailureModel(std::move(points), nominal_vdd_v, path);
}

}  // namespace nvfp4::ecc

// Reads a macro table (ecc/tech/*.csv, written by scripts/characterize --steps sram) with libfccp. Numbers are
// parsed with std::from_chars, so each double is the nearest to the CSV's (Liberty's) decimal digits.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"  // inside libfccp's fixed-size error-message buffers
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <charconv>
#include <cmath>
#include <string>

#include "ecc/sram_macro_model.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

namespace {
std::string_view trim(const char* text) {
  std::string_view s(text ? text : "");
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Numbers must be >= 0 (counts > 0) unless `signed_ok` (temperatures).
template <typename T>
T parse(const char* text, const std::string& where, const char* column, bool signed_ok = false) {
  const std::string_view s = trim(text);
  T v{};
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  bool ok = !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
  if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(v) && (signed_ok || v >= 0);
  else ok = ok && v > 0;
  if (!ok) throw Error(where + ": " + column + " '" + std::string(s) + "' is not a valid number");
  return v;
}
}  // namespace

std::vector<SramMacro> parse_sram_macro_table(std::string_view csv_text, const std::string& where) {
  std::vector<SramMacro> out;
  try {
    io::CSVReader<14, io::trim_chars<' ', '\t'>, io::no_quote_escape<','>, io::throw_on_overflow,
                  io::single_line_comment<'#'>>
        in(where, csv_text.data(), csv_text.data() + csv_text.size());
    in.read_header(io::ignore_no_column, "macro", "role", "process", "voltage_v", "temperature_c", "word_bits", "words",
                   "area_um2", "leakage_uw", "read_pj", "write_pj", "idle_pj", "provenance", "liberty_file");
    char *name = nullptr, *role = nullptr, *process = nullptr, *v = nullptr, *t = nullptr, *wb = nullptr,
         *words = nullptr, *area = nullptr, *leak = nullptr, *rd = nullptr, *wr = nullptr, *idle = nullptr,
         *prov = nullptr, *file = nullptr;
    while (in.read_row(name, role, process, v, t, wb, words, area, leak, rd, wr, idle, prov, file)) {
      const std::string at = where + " line " + std::to_string(in.get_file_line());
      SramMacro m;
      m.name = trim(name);
      m.role = trim(role);
      m.process = trim(process);
      m.liberty_file = trim(file);
      if (m.role != "tile" && m.role != "voltage-reference") {
        throw Error(at + ": role '" + m.role + "' is not tile or voltage-reference");
      }
      // The table holds characterization values only; the model derives (and labels) every other voltage itself.
      if (trim(prov) != "measured") throw Error(at + ": provenance '" + std::string(trim(prov)) + "' is not measured");
      m.voltage_v = parse<double>(v, at, "voltage_v");
      m.temperature_c = parse<double>(t, at, "temperature_c", true);
      m.word_bits = parse<int>(wb, at, "word_bits");
      m.words = parse<int64_t>(words, at, "words");
      m.area_um2 = parse<double>(area, at, "area_um2");
      m.leakage_uw = parse<double>(leak, at, "leakage_uw");
      m.read_pj = parse<double>(rd, at, "read_pj");
      m.write_pj = parse<double>(wr, at, "write_pj");
      m.idle_pj = parse<double>(idle, at, "idle_pj");
      if (!(m.voltage_v > 0)) throw Error(at + ": voltage_v must be > 0");
      out.push_back(std::move(m));
    }
  } catch (const io::error::base& e) {
    throw Error("SRAM macro table " + where + ": " + e.what());
  }
  if (out.empty()) throw Error("SRAM macro table " + where + ": no data rows");
  return out;
}

}  // namespace nvfp4::ecc

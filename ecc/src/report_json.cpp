// The JSON object of one injection (see ecc/report_json.hpp); hand-written to keep ecc/ free of a JSON dependency.
#include "ecc/report_json.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace nvfp4::ecc {

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

namespace {

std::string hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

std::string field_json(const FieldCounts& f) {
  std::ostringstream o;
  o << "{\"bits_stored\": " << f.bits_stored << ", \"raw_bit_errors\": " << f.raw_bit_errors
    << ", \"corrected_bits\": " << f.corrected_bits << ", \"due_bits\": " << f.due_bits
    << ", \"silent_bit_errors\": " << f.silent_bit_errors << "}";
  return o.str();
}

}  // namespace

std::string injection_json(const QuantizedTensor& q, const InjectionConfig& c, const InjectionReport& r, int indent) {
  const std::string p(static_cast<size_t>(indent), ' ');
  const StorageFootprint& f = r.footprint;
  const double prot_v = c.protected_vdd_v < 0.0 ? c.vdd_v : c.protected_vdd_v;
  const FieldCounts total = r.total_data();
  std::ostringstream o;
  o << "{\n";
  o << p << "  \"config\": {\"vdd_v\": " << json_number(c.vdd_v) << ", \"protected_vdd_v\": " << json_number(prot_v)
    << ", \"layout\": " << json_string(c.layout.name) << ", \"code_mask\": " << json_string(hex(c.layout.code_mask))
    << ", \"scale_mask\": " << json_string(hex(c.layout.scale_mask))
    << ", \"tensor_scale_protected\": " << (c.layout.tensor_scale ? "true" : "false")
    << ", \"word_bits\": " << c.word_bits << ", \"protected_code\": " << json_string(to_string(c.protected_code))
    << ", \"fault\": " << json_string(to_string(c.fault)) << ", \"seed\": " << c.seed
    << ", \"read_index\": " << c.read_index << ", \"on_due\": " << json_string(to_string(c.on_due))
    << ", \"failure_model\": " << json_string(c.failure ? c.failure->describe() : "") << "},\n";
  o << p << "  \"tensor\": {\"scheme\": " << json_string(to_string(q.spec.scheme)) << ", \"rows\": " << q.rows
    << ", \"cols\": " << q.cols << ", \"block\": " << q.spec.block << "},\n";
  o << p << "  \"storage\": {\"data_bits\": " << f.data_bits << ", \"protected_bits\": " << f.protected_bits
    << ", \"unprotected_bits\": " << f.unprotected_bits << ", \"protected_words\": " << f.protected_words
    << ", \"unprotected_words\": " << f.unprotected_words << ", \"check_bits_per_word\": " << f.check_bits_per_word
    << ", \"check_bits\": " << f.check_bits << ", \"padding_bits\": " << f.padding_bits
    << ", \"overhead\": " << json_number(f.overhead()) << "},\n";
  o << p << "  \"bit_error_rate\": {\"data_bank\": " << json_number(r.data_bank_ber)
    << ", \"protected_bank\": " << json_number(r.protected_bank_ber) << "},\n";
  o << p << "  \"codewords\": {\"total\": " << r.codewords << ", \"corrected\": " << r.corrected_words
    << ", \"detected_uncorrectable\": " << r.due_words << ", \"miscorrected\": " << r.miscorrected_words << "},\n";
  o << p << "  \"fields\": {\n";
  for (Field fld : {Field::Codes, Field::BlockScales, Field::TensorScale, Field::CheckBits}) {
    o << p << "    " << json_string(to_string(fld)) << ": " << field_json(r[fld]) << ",\n";
  }
  o << p << "    \"total_data\": " << field_json(total) << "\n" << p << "  },\n";
  const double observed = total.bits_stored == 0 ? 0.0
                                                 : static_cast<double>(total.silent_bit_errors) /
                                                       static_cast<double>(total.bits_stored);
  o << p << "  \"silent_bit_rate\": {\"observed\": " << json_number(observed)
    << ", \"analytic\": " << json_number(analytic_silent_bit_rate(q, c)) << "}\n";
  o << p << "}";
  return o.str();
}

}  // namespace nvfp4::ecc

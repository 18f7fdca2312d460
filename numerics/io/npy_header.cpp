// Strict parser and writer of the .npy header dictionary. Everything a file claims (lengths, shape) is checked before
// it is used to size anything; every failure throws nvfp4::Error naming the file.
#include "numerics/io/npy_header.hpp"

#include <cstring>
#include <string_view>

#include "numerics/error.hpp"

namespace nvfp4::npy_detail {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLength = 6;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw Error(name + ": not a valid .npy file: " + what);
}

// A cursor over the header text (a Python dict literal restricted to what NumPy writes).
class DictReader {
 public:
  DictReader(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::string_view rest() const { return text_.substr(pos_); }
  char peek() {
    skip_space();
    return at_end() ? '\0' : text_[pos_];
  }
  void expect(char c) {
    if (peek() != c) error(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string string_literal() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') error("expected a quoted string");
    ++pos_;
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') error("escape sequences are not supported in the header");
      ++pos_;
    }
    if (at_end()) error("unterminated string");
    std::string s(text_.substr(start, pos_ - start));
    ++pos_;
    return s;
  }
  bool boolean() {
    skip_space();
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    error("fortran_order must be True or False");
  }
  int64_t integer() {
    skip_space();
    const size_t start = pos_;
    int64_t v = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (__builtin_mul_overflow(v, int64_t{10}, &v) || __builtin_add_overflow(v, int64_t{text_[pos_] - '0'}, &v))
        error("shape dimension too large");
      ++pos_;
    }
    if (pos_ == start) error("shape must be a tuple of non-negative integers");
    if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2 long suffix, written by old NumPy
    return v;
  }
  // (), (n,), (a, b), (a, b,) - a 1-tuple needs its comma, as in Python.
  std::vector<int64_t> tuple() {
    if (!accept('(')) error("shape must be a tuple");
    std::vector<int64_t> dims;
    if (accept(')')) return dims;
    bool comma_after_last = false;
    for (;;) {
      dims.push_back(integer());
      comma_after_last = accept(',');
      if (accept(')')) break;
      if (!comma_after_last) error("malformed shape tuple");
      if (dims.size() > 64) error("more than 64 dimensions");
    }
    if (dims.size() == 1 && !comma_after_last) error("shape must be a tuple, e.g. (3,)");
    return dims;
  }
  [[noreturn]] void error(const std::string& what) const {
    fail(name_, "header: " + what + " at offset " + std::to_string(pos_) + " of '" + printable() + "'");
  }

 private:
  std::string printable() const {
    std::string s;
    for (char c : text_.substr(0, 200)) s += (c >= 32 && c < 127) ? c : '?';
    return s;
  }
  std::string_view text_;
  const std::string& name_;
  size_t pos_ = 0;
};

uint32_t read_le(const uint8_t* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string normalise_descr(const std::string& d) {
  if (d == "<u1" || d == "u1" || d == "|u1") return "|u1";
  return d;
}

}  // namespace

const char* supported_dtypes_text() { return "<f4, <f2, <f8, |u1, <u2, <i4, <u4, <i8, <u8"; }

int64_t dtype_item_size(const std::string& descr) {
  if (descr == "|u1") return 1;
  if (descr == "<f2" || descr == "<u2") return 2;
  if (descr == "<f4" || descr == "<i4" || descr == "<u4") return 4;
  if (descr == "<f8" || descr == "<i8" || descr == "<u8") return 8;
  return 0;
}

size_t npy_header_end(const uint8_t* bytes, size_t n, const std::string& name) {
  if (n < kMinPreamble) fail(name, "file is " + std::to_string(n) + " bytes, shorter than the .npy preamble");
  if (std::memcmp(bytes, kMagic, kMagicLength) != 0) fail(name, "missing the \\x93NUMPY magic");
  const int major = bytes[6], minor = bytes[7];
  if (minor != 0 || major < 1 || major > 3)
    fail(name, "unsupported format version " + std::to_string(major) + "." + std::to_string(minor));
  const size_t preamble = major == 1 ? 10 : 12;
  if (n < preamble) fail(name, "truncated preamble");
  const uint32_t header_length = read_le(bytes + 8, major == 1 ? 2 : 4);
  if (header_length > kMaxHeaderLength)
    fail(name, "header length " + std::to_string(header_length) + " exceeds the limit of " +
                   std::to_string(kMaxHeaderLength) + " bytes");
  return preamble + header_length;
}

NpyHeader parse_npy_header(const uint8_t* bytes, size_t n, const std::string& name) {
  NpyHeader h;
  h.data_offset = npy_header_end(bytes, n, name);
  if (n < h.data_offset)
    fail(name, "truncated header: " + std::to_string(h.data_offset) + " bytes announced, " + std::to_string(n) +
                   " present");
  const size_t preamble = bytes[6] == 1 ? 10 : 12;
  const std::string_view text(reinterpret_cast<const char*>(bytes) + preamble, h.data_offset - preamble);

  DictReader r(text, name);
  r.expect('{');
  bool have_descr = false, have_fortran = false, have_shape = false;
  std::string descr;
  while (!r.accept('}')) {
    const std::string key = r.string_literal();
    r.expect(':');
    if (key == "descr" && !have_descr) {
      if (r.peek() != '\'' && r.peek() != '"') r.error("descr must be a string (structured dtypes are not supported)");
      descr = r.string_literal();
      have_descr = true;
    } else if (key == "fortran_order" && !have_fortran) {
      h.fortran_order = r.boolean();
      have_fortran = true;
    } else if (key == "shape" && !have_shape) {
      h.shape = r.tuple();
      have_shape = true;
    } else {
      r.error("unexpected or repeated key '" + key + "'");
    }
    if (!r.accept(',')) {
      r.expect('}');
      break;
    }
  }
  // Only padding may follow the dict: spaces and the final newline.
  for (char c : r.rest())
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') r.error("unexpected text after the header dict");
  if (!have_descr || !have_fortran || !have_shape) r.error("header must have the keys descr, fortran_order, shape");

  if (!descr.empty() && descr[0] == '>') {
    std::string little = descr;
    little[0] = '<';
    if (dtype_item_size(little) > 0)
      fail(name, "big-endian dtype '" + descr + "' is not supported (in NumPy: a.astype('" + little + "'))");
  }
  h.dtype = normalise_descr(descr);
  h.item_size = dtype_item_size(h.dtype);
  if (h.item_size == 0)
    fail(name, "unsupported dtype '" + descr + "' (supported: " + supported_dtypes_text() + ")");

  int64_t count = 1;
  for (int64_t d : h.shape)
    if (__builtin_mul_overflow(count, d, &count)) fail(name, "shape has too many elements");
  uint64_t bytes_needed = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(count), static_cast<uint64_t>(h.item_size), &bytes_needed))
    fail(name, "shape has too many elements");
  h.data_bytes = bytes_needed;
  return h;
}

void validate_array(const NpyArray& a, const std::string& name) {
  const int64_t item = dtype_item_size(a.dtype);
  if (item == 0) throw Error(name + ": unsupported dtype '" + a.dtype + "' (supported: " + supported_dtypes_text() + ")");
  if (a.shape.size() > 64) throw Error(name + ": more than 64 dimensions");
  int64_t count = 1;
  for (int64_t d : a.shape)
    if (d < 0 || __builtin_mul_overflow(count, d, &count)) throw Error(name + ": invalid shape");
  if (static_cast<uint64_t>(count) * static_cast<uint64_t>(item) != a.data.size())
    throw Error(name + ": data holds " + std::to_string(a.data.size()) + " bytes but shape and dtype need " +
                std::to_string(count * item));
}

std::vector<uint8_t> serialize_npy_header(const NpyArray& a) {
  std::string dict = "{'descr': '" + a.dtype + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < a.shape.size(); ++i) {
    if (i) dict += ", ";
    dict += std::to_string(a.shape[i]);
  }
  if (a.shape.size() == 1) dict += ",";
  dict += "), }";
  // Pad with spaces so that preamble + header + '\n' is a multiple of 64 (what NumPy writes).
  size_t preamble = 10;
  size_t total = preamble + dict.size() + 1;
  if (((total + 63) / 64) * 64 - preamble > 65535) preamble = 12;
  total = preamble + dict.size() + 1;
  dict.append(((total + 63) / 64) * 64 - total, ' ');
  dict += '\n';

  std::vector<uint8_t> out(preamble + dict.size());
  std::memcpy(out.data(), kMagic, kMagicLength);
  out[6] = preamble == 10 ? 1 : 2;
  out[7] = 0;
  const uint32_t len = static_cast<uint32_t>(dict.size());
  for (size_t i = 0; i < preamble - 8; ++i) out[8 + i] = static_cast<uint8_t>(len >> (8 * i));
  std::memcpy(out.data() + preamble, dict.data(), dict.size());
  return out;
}

std::vector<uint8_t> serialize_npy(const NpyArray& a) {
  std::vector<uint8_t> out = serialize_npy_header(a);
  out.insert(out.end(), a.data.begin(), a.data.end());
  return out;
}

void fortran_to_c_order(NpyArray& a, int64_t item_size) {
  const size_t nd = a.shape.size();
  if (nd < 2) return;  // 0-d and 1-d arrays have one order
  std::vector<int64_t> fstride(nd);
  int64_t s = 1;
  for (size_t k = 0; k < nd; ++k) {
    fstride[k] = s;
    s *= a.shape[k];
  }
  std::vector<uint8_t> out(a.data.size());
  std::vector<int64_t> idx(nd, 0);
  const int64_t count = a.size();
  for (int64_t c = 0; c < count; ++c) {
    int64_t f = 0;
    for (size_t k = 0; k < nd; ++k) f += idx[k] * fstride[k];
    std::memcpy(&out[c * item_size], &a.data[f * item_size], item_size);
    for (size_t k = nd; k-- > 0;) {  // odometer over C order: last index fastest
      if (++idx[k] < a.shape[k]) break;
      idx[k] = 0;
    }
  }
  a.data.swap(out);
}

}  // namespace nvfp4::npy_detail

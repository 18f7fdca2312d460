// The quantized-tensor file (NVFP4_SPEC.md section 6): one .npz whose members carry everything needed to read it.
// Member list (also in docs/cli.md):
//   nvfp4_file_version  <i4 ()        1
//   scheme, recipe, rounding  |u1 (n,)  canonical names as ASCII bytes ("nvfp4", "te", "rn")
//   block               <i8 ()        elements per block along the reduction dim
//   block_2d            |u1 ()        1 = one scale per 16 x 16 tile
//   seed                <u8 ()        Philox key of stochastic rounding
//   shape               <i8 (2,)      rows, cols (cols = reduction dim K)
//   codes               |u1 (rows, row_stride_bytes)   QuantizedTensor::codes
//   scales              |u1 (scale_rows, scale_cols * scale_bytes), or (0,) when the scheme has no block scale
//   tensor_scale        <f4 ()        per-tensor decode scale
// Loading checks every member's dtype and shape against the others and the spec, and refuses unknown members.
#include <cmath>
#include <cstring>
#include <set>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/quant_spec.hpp"

namespace nvfp4 {
namespace {

constexpr int32_t kFileVersion = 1;
const std::set<std::string> kMembers = {"nvfp4_file_version", "scheme", "recipe", "rounding", "block", "block_2d",
                                        "seed", "shape", "codes", "scales", "tensor_scale"};

template <typename T>
NpyArray scalar(const char* dtype, T v) {
  NpyArray a;
  a.dtype = dtype;
  a.data.resize(sizeof(T));
  std::memcpy(a.data.data(), &v, sizeof(T));
  return a;
}

NpyArray text(std::string_view s) {
  NpyArray a;
  a.dtype = "|u1";
  a.shape = {static_cast<int64_t>(s.size())};
  a.data.assign(s.begin(), s.end());
  return a;
}

NpyArray bytes_2d(const std::vector<uint8_t>& v, int64_t rows, int64_t cols) {
  NpyArray a;
  a.dtype = "|u1";
  a.shape = {rows, cols};
  a.data = v;
  return a;
}

struct Layout {
  int64_t code_rows, code_cols;    // shape of `codes`
  int64_t scale_rows, scale_cols;  // shape of `scales` in bytes (0, 0 when unscaled)
};

Layout layout_of(const QuantizedTensor& q) {
  Layout l{q.rows, q.row_stride_bytes(), 0, 0};
  if (has_block_scale(q.spec.scheme)) {
    const ScaleGrid grid = scale_grid(q.spec, q.rows, q.cols);
    l.scale_rows = grid.rows;
    l.scale_cols = grid.cols * scale_bytes(q.spec.scheme);
  }
  return l;
}

// The pad nibble of odd-length rows of 4-bit schemes is 0 by the storage contract.
void check_pad_nibbles(const QuantizedTensor& q, const std::string& where) {
  if (code_bits(q.spec.scheme) != 4 || q.cols % 2 == 0) return;
  const int64_t stride = q.row_stride_bytes();
  for (int64_t r = 0; r < q.rows; ++r)
    if (q.codes[r * stride + stride - 1] & 0xF0)
      throw Error(where + ": codes: row " + std::to_string(r) + " has a non-zero pad nibble");
}

class MemberReader {
 public:
  MemberReader(std::map<std::string, NpyArray> m, std::string path) : m_(std::move(m)), path_(std::move(path)) {
    for (const std::string& k : kMembers)
      if (!m_.count(k))
        throw Error(path_ + ": missing member '" + k + "' (not a quantized-tensor file written by nvfp4?)");
    for (const auto& [k, v] : m_)
      if (!kMembers.count(k)) throw Error(path_ + ": unexpected member '" + k + "' in a quantized-tensor file");
  }
  const NpyArray& get(const std::string& key, const std::string& dtype, const std::vector<int64_t>& shape) {
    const NpyArray& a = m_.at(key);
    if (a.dtype != dtype) throw Error(where(key) + ": dtype " + a.dtype + ", expected " + dtype);
    if (a.shape != shape) throw Error(where(key) + ": shape " + show(a.shape) + ", expected " + show(shape));
    return a;
  }
  template <typename T>
  T scalar(const std::string& key, const std::string& dtype) {
    T v;
    std::memcpy(&v, get(key, dtype, {}).data.data(), sizeof(T));
    return v;
  }
  std::string text(const std::string& key) {
    const NpyArray& a = m_.at(key);
    if (a.dtype != "|u1" || a.shape.size() != 1 || a.shape[0] > 64)
      throw Error(where(key) + ": expected a short uint8 string (dtype |u1, 1-D)");
    std::string s(a.data.begin(), a.data.end());
    for (char c : s)
      if (c < 32 || c > 126) throw Error(where(key) + ": not a printable ASCII name");
    return s;
  }
  std::string where(const std::string& key) const { return path_ + ": member '" + key + "'"; }
  static std::string show(const std::vector<int64_t>& s) {
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
  }

 private:
  std::map<std::string, NpyArray> m_;
  std::string path_;
};

template <typename F>
auto with_context(const std::string& where, F f) {
  try {
    return f();
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
}

}  // namespace

void save_quantized(const std::string& path, const QuantizedTensor& q) {
  with_context(path, [&] {
    q.spec.validate();
    return 0;
  });
  if (q.rows < 0 || q.cols < 0) throw Error(path + ": negative tensor shape");
  const Layout l = layout_of(q);
  if (static_cast<int64_t>(q.codes.size()) != l.code_rows * l.code_cols)
    throw Error(path + ": codes hold " + std::to_string(q.codes.size()) + " bytes, the shape needs " +
                std::to_string(l.code_rows * l.code_cols));
  if (static_cast<int64_t>(q.scales.size()) != l.scale_rows * l.scale_cols)
    throw Error(path + ": scales hold " + std::to_string(q.scales.size()) + " bytes, the shape needs " +
                std::to_string(l.scale_rows * l.scale_cols));
  std::map<std::string, NpyArray> m;
  m["nvfp4_file_version"] = scalar("<i4", kFileVersion);
  m["scheme"] = text(to_string(q.spec.scheme));
  m["recipe"] = text(to_string(q.spec.recipe));
  m["rounding"] = text(to_string(q.spec.rounding));
  m["block"] = scalar("<i8", static_cast<int64_t>(q.spec.block));
  m["block_2d"] = scalar("|u1", static_cast<uint8_t>(q.spec.block_2d ? 1 : 0));
  m["seed"] = scalar("<u8", q.spec.seed);
  NpyArray shape;
  shape.dtype = "<i8";
  shape.shape = {2};
  shape.data.resize(16);
  std::memcpy(shape.data.data(), &q.rows, 8);
  std::memcpy(shape.data.data() + 8, &q.cols, 8);
  m["shape"] = shape;
  m["codes"] = bytes_2d(q.codes, l.code_rows, l.code_cols);
  if (has_block_scale(q.spec.scheme)) {
    m["scales"] = bytes_2d(q.scales, l.scale_rows, l.scale_cols);
  } else {
    m["scales"] = text("");
  }
  m["tensor_scale"] = scalar("<f4", q.tensor_scale);
  write_npz(path, m);
}

QuantizedTensor load_quantized(const std::string& path) {
  MemberReader r(read_npz(path), path);
  const int32_t version = r.scalar<int32_t>("nvfp4_file_version", "<i4");
  if (version != kFileVersion)
    throw Error(r.where("nvfp4_file_version") + ": version " + std::to_string(version) + ", this build reads " +
                std::to_string(kFileVersion));
  QuantizedTensor q;
  q.spec.scheme = with_context(r.where("scheme"), [&] { return parse_scheme(r.text("scheme")); });
  q.spec.recipe = with_context(r.where("recipe"), [&] { return parse_recipe(r.text("recipe")); });
  q.spec.rounding = with_context(r.where("rounding"), [&] { return parse_rounding(r.text("rounding")); });
  const int64_t block = r.scalar<int64_t>("block", "<i8");
  if (block < 1 || block > 256) throw Error(r.where("block") + ": " + std::to_string(block) + " is not in 1..256");
  q.spec.block = static_cast<int>(block);
  const uint8_t block_2d = r.scalar<uint8_t>("block_2d", "|u1");
  if (block_2d > 1) throw Error(r.where("block_2d") + ": must be 0 or 1");
  q.spec.block_2d = block_2d == 1;
  q.spec.seed = r.scalar<uint64_t>("seed", "<u8");
  with_context(path, [&] {
    q.spec.validate();
    return 0;
  });

  const NpyArray& shape = r.get("shape", "<i8", {2});
  std::memcpy(&q.rows, shape.data.data(), 8);
  std::memcpy(&q.cols, shape.data.data() + 8, 8);
  if (q.rows < 0 || q.cols < 0 || q.rows > (int64_t{1} << 40) || q.cols > (int64_t{1} << 40))
    throw Error(r.where("shape") + ": impossible shape " + MemberReader::show({q.rows, q.cols}));
  const Layout l = layout_of(q);
  q.codes = r.get("codes", "|u1", {l.code_rows, l.code_cols}).data;
  q.scales = has_block_scale(q.spec.scheme) ? r.get("scales", "|u1", {l.scale_rows, l.scale_cols}).data
                                            : r.get("scales", "|u1", {0}).data;
  // Any float: injected faults may make the stored scale NaN or Inf (nvfp4-inject); decoding propagates it as the
  // hardware does (NaN x anything = NaN), so the file stays readable.
  q.tensor_scale = r.scalar<float>("tensor_scale", "<f4");
  check_pad_nibbles(q, path);
  return q;
}

}  // namespace nvfp4

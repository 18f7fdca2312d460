#include "cuda/gpucheck/workload.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::gpucheck {
namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(trim(f));
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int64_t parse_size(const std::string& text, const std::string& column, const std::string& where) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used != text.size() || text.empty())
    throw Error(where + ": column " + column + " is '" + text + "', not an integer");
  if (v <= 0) throw Error(where + ": column " + column + " must be positive (got " + text + ")");
  return v;
}

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<GemmRow> read_workload_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open workload CSV '" + path + "'");
  std::string line;
  int line_no = 0;
  int col_name = -1, col_m = -1, col_n = -1, col_k = -1, col_type = -1;
  std::map<std::string, int> conv_cols;  // batch, ifmap_h, ifmap_w, channels, filter_h, filter_w, num_filters, ...
  std::vector<GemmRow> rows;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::vector<std::string> f = split_csv(t);
    const std::string where = path + ":" + std::to_string(line_no);
    if (!header) {
      for (size_t i = 0; i < f.size(); ++i) {
        const std::string h = lower(f[i]);
        if (h == "name") col_name = static_cast<int>(i);
        if (h == "m") col_m = static_cast<int>(i);
        if (h == "n") col_n = static_cast<int>(i);
        if (h == "k") col_k = static_cast<int>(i);
        if (h == "type") col_type = static_cast<int>(i);
        for (const char* c : {"batch", "ifmap_h", "ifmap_w", "channels", "filter_h", "filter_w", "num_filters",
                              "stride", "padding"})
          if (h == c) conv_cols[c] = static_cast<int>(i);
      }
      if (col_name < 0 || col_m < 0 || col_n < 0 || col_k < 0)
        throw Error(where + ": header must name the columns name, M, N, K (got '" + t + "')");
      header = true;
      continue;
    }
    const int need = std::max({col_name, col_m, col_n, col_k});
    if (static_cast<int>(f.size()) <= need)
      throw Error(where + ": expected at least " + std::to_string(need + 1) + " columns, got " +
                  std::to_string(f.size()));
    GemmRow r;
    r.name = f[col_name];
    if (r.name.empty()) throw Error(where + ": empty layer name");
    const std::string type = col_type >= 0 && col_type < static_cast<int>(f.size()) ? lower(f[col_type]) : "gemm";
    if (type == "conv") {
      // lowered like the simulator (im2col): M = batch x output pixels, N = filters, K = filter_h x filter_w x channels
      auto get = [&](const char* c, bool allow_zero) -> int64_t {
        auto it = conv_cols.find(c);
        if (it == conv_cols.end() || it->second >= static_cast<int>(f.size()))
          throw Error(where + ": conv row needs column " + std::string(c));
        if (allow_zero && f[it->second] == "0") return 0;
        return parse_size(f[it->second], c, where);
      };
      const int64_t batch = get("batch", false), ih = get("ifmap_h", false), iw = get("ifmap_w", false);
      const int64_t ch = get("channels", false), fh = get("filter_h", false), fw = get("filter_w", false);
      const int64_t nf = get("num_filters", false), st = get("stride", false), pad = get("padding", true);
      const int64_t oh = (ih + 2 * pad - fh) / st + 1, ow = (iw + 2 * pad - fw) / st + 1;
      if (ih + 2 * pad < fh || iw + 2 * pad < fw || oh <= 0 || ow <= 0)
        throw Error(where + ": conv filter " + std::to_string(fh) + "x" + std::to_string(fw) +
                    " does not fit the padded input");
      r.m = batch * oh * ow;
      r.n = nf;
      r.k = fh * fw * ch;
    } else if (type == "gemm") {
      r.m = parse_size(f[col_m], "M", where);
      r.n = parse_size(f[col_n], "N", where);
      r.k = parse_size(f[col_k], "K", where);
    } else {
      throw Error(where + ": unknown layer type '" + f[col_type] + "' (gemm or conv)");
    }
    r.where = where;
    rows.push_back(r);
  }
  if (!header) throw Error("workload CSV '" + path + "' is empty (no header line)");
  if (rows.empty()) throw Error("workload CSV '" + path + "' has a header but no GEMM rows");
  return rows;
}

std::vector<float> generate_tensor(uint64_t seed, int64_t count, float scale) {
  std::vector<float> v(static_cast<size_t>(count));
  uint64_t s = seed * 0xD1B54A32D192ED03ull + 1;
  for (int64_t i = 0; i < count; i += 2) {
    // Box-Muller in double, rounded once to float (the same data feeds the GPU and the CPU golden model).
    const double u1 = (static_cast<double>(splitmix64(s) >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(splitmix64(s) >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586 * u2;
    v[static_cast<size_t>(i)] = static_cast<float>(r * std::cos(a) * scale);
    if (i + 1 < count) v[static_cast<size_t>(i + 1)] = static_cast<float>(r * std::sin(a) * scale);
  }
  return v;
}

FloatTensor read_float_tensor(const std::string& spec) {
  NpyArray arr;
  const size_t colon = spec.rfind(".npz:");
  if (colon != std::string::npos) {
    const std::string file = spec.substr(0, colon + 4), member = spec.substr(colon + 5);
    auto members = read_npz(file);
    auto it = members.find(member);
    if (it == members.end()) throw Error("'" + file + "' has no member '" + member + "'");
    arr = it->second;
  } else {
    arr = read_npy(spec);
  }
  if (arr.shape.size() != 2)
    throw Error("'" + spec + "': expected a 2-D tensor (rows x reduction dim), got " +
                std::to_string(arr.shape.size()) + " dimensions");
  FloatTensor t;
  t.rows = arr.shape[0];
  t.cols = arr.shape[1];
  if (t.rows <= 0 || t.cols <= 0) throw Error("'" + spec + "': empty tensor");
  t.data = to_float32(arr);
  return t;
}

}  // namespace nvfp4::gpucheck

// Tensor sources of a workload layer (numerics/workload.hpp): generators, NumPy files, im2col.
#include "numerics/workload.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/workload/lowering_runs.hpp"

namespace nvfp4::workload {
namespace {

// Why a well-formed generator cannot draw ("" when it can): parameters finite, spread > 0, uniform lo < hi.
std::string generator_problem(const Generator& g) {
  if (!std::isfinite(g.p0) || !std::isfinite(g.p1)) return "parameters must be finite";
  if (g.family == "uniform") return g.p0 < g.p1 ? "" : "uniform(lo, hi) needs lo < hi";
  if (g.p1 <= 0) return g.family + (g.family == "normal" ? "(mean, std) needs std > 0" : "(mean, b) needs b > 0");
  return "";
}

bool looks_like_generator(const std::string& s) { return s.find('(') != std::string::npos; }

std::string resolve(const std::string& base_dir, const std::string& file) {
  std::filesystem::path p(file);
  return p.is_absolute() ? file : (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

NpyArray load_array(const std::string& spec, const std::string& base_dir) {
  const auto colon = spec.rfind(':');
  if (spec.size() > 4 && spec.find(".npz") != std::string::npos) {
    if (colon == std::string::npos || colon < spec.find(".npz"))
      throw Error("'" + spec + "': name the .npz member as file.npz:member");
    const std::string file = resolve(base_dir, spec.substr(0, colon)), member = spec.substr(colon + 1);
    auto all = read_npz(file);
    auto it = all.find(member);
    if (it == all.end()) throw Error(file + ": no member '" + member + "'");
    return std::move(it->second);
  }
  return read_npy(resolve(base_dir, spec));
}

std::string shape_text(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

// Float data of a file operand, checked against the layer; `is_weights` picks the accepted shapes.
std::vector<float> file_operand(const Layer& l, const std::string& spec, const std::string& base_dir, bool is_weights,
                                bool* is_feature_map) {
  const NpyArray arr = load_array(spec, base_dir);
  const auto& s = arr.shape;
  const std::string what = l.where + ": layer '" + l.name + "': " + (is_weights ? "weights" : "activations") + " '" +
                           spec + "' of shape " + shape_text(s);
  *is_feature_map = false;
  if (is_weights) {
    const bool ok2 = s.size() == 2 && s[0] == l.N && s[1] == l.K;
    const bool ok4 = l.kind == Layer::Kind::Conv && s.size() == 4 && s[0] == l.N && s[1] == l.conv.filter_h &&
                     s[2] == l.conv.filter_w && s[3] == l.conv.channels;
    if (!ok2 && !ok4)
      throw Error(what + " does not match the layer: expected (" + std::to_string(l.N) + ", " + std::to_string(l.K) +
                  ")" + (l.kind == Layer::Kind::Conv ? " or (N, R, S, C)" : ""));
  } else {
    const bool ok2 = s.size() == 2 && s[0] == l.M && s[1] == l.K;
    const ConvShape& c = l.conv;
    const bool ok3 = l.kind == Layer::Kind::Conv && c.batch == 1 && s.size() == 3 && s[0] == c.ifmap_h &&
                     s[1] == c.ifmap_w && s[2] == c.channels;
    const bool ok4 = l.kind == Layer::Kind::Conv && s.size() == 4 && s[0] == c.batch && s[1] == c.ifmap_h &&
                     s[2] == c.ifmap_w && s[3] == c.channels;
    if (!ok2 && !ok3 && !ok4)
      throw Error(what + " does not match the layer: expected (" + std::to_string(l.M) + ", " + std::to_string(l.K) +
                  ")" + (l.kind == Layer::Kind::Conv ? " or an NHWC feature map" : ""));
    *is_feature_map = !ok2;
  }
  try {
    return to_float32(arr);
  } catch (const Error& e) {
    throw Error(what + ": " + e.what());
  }
}

uint64_t operand_seed(uint64_t seed, int64_t layer, int operand) {
  return seed * 0x100000001B3ull ^ (static_cast<uint64_t>(layer) << 8) ^ static_cast<uint64_t>(operand);
}

}  // namespace

std::vector<float> im2col(const Layer& l, const std::vector<float>& x) {
  // Written front to back, every element once (into reserved memory): the padding as zeros, the rest copied; no
  // zero-fill of the whole matrix first (an M x K memset per conv layer, 7 MB for ResNet-18's conv1).
  std::vector<float> a;
  a.reserve(static_cast<size_t>(l.M * l.K));
  const int64_t C = l.conv.channels;
  detail::for_each_lowered_run(
      l,
      [&](int64_t pixel, int64_t n) {
        const float* src = &x[static_cast<size_t>(pixel * C)];
        a.insert(a.end(), src, src + n * C);
      },
      [&](int64_t n) { a.insert(a.end(), static_cast<size_t>(n * C), 0.0f); });
  if (a.size() != static_cast<size_t>(l.M * l.K)) throw Error("internal: im2col wrote " + std::to_string(a.size()) +
                                                              " of " + std::to_string(l.M * l.K) + " elements");
  return a;
}

void check_layer_sources(const Layer& l, const std::string& default_a, const std::string& default_b,
                         const std::string& base_dir) {
  for (int op = 0; op < 2; ++op) {
    const std::string& given = op == 0 ? l.activations : l.weights;
    const std::string spec = given.empty() ? (op == 0 ? default_a : default_b) : given;
    Generator g;
    if (looks_like_generator(spec)) {
      if (!parse_generator(spec, &g))
        throw Error(l.where + ": layer '" + l.name + "': unknown generator '" + spec +
                    "' (normal(mean,std), uniform(lo,hi), laplace(mean,b))");
      if (const std::string why = generator_problem(g); !why.empty())
        throw Error(l.where + ": layer '" + l.name + "': generator '" + spec + "': " + why);
      continue;
    }
    bool fm = false;
    try {
      file_operand(l, spec, base_dir, op == 1, &fm);
    } catch (const Error& e) {
      const std::string msg = e.what();
      if (msg.rfind(l.where, 0) == 0) throw;
      throw Error(l.where + ": layer '" + l.name + "': " + msg);
    }
  }
}

namespace {
const std::string& operand_spec(const Layer& l, int op, const std::string& default_a, const std::string& default_b) {
  const std::string& given = op == 0 ? l.activations : l.weights;
  return given.empty() ? (op == 0 ? default_a : default_b) : given;
}
}  // namespace

namespace {
// n values of the generator's stream, drawn in L1-sized pieces appended to reserved memory: one write per element
// (a sized vector would be zero-filled first, a second pass over up to tens of MB per layer). Same values as
// generate(): the stream does not depend on how it is drawn.
std::vector<float> generated(const Generator& g, uint64_t seed, size_t n) {
  std::vector<float> out;
  out.reserve(n);
  GeneratorStream stream(g, seed);
  float piece[4096];
  for (size_t at = 0; at < n;) {
    const size_t len = std::min(n - at, sizeof piece / sizeof piece[0]);
    stream.fill(piece, len);
    out.insert(out.end(), piece, piece + len);
    at += len;
  }
  return out;
}
}  // namespace

std::vector<float> make_operand(const Layer& l, int64_t index, int op, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed) {
  const std::string& spec = operand_spec(l, op, default_a, default_b);
  std::vector<float> out;
  Generator g;
  if (parse_generator(spec, &g)) {
    if (op == 0 && l.kind == Layer::Kind::Conv)
      return im2col(l, *generated_feature_map(l, index, default_a, default_b, seed));
    return generated(g, operand_seed(seed, index, op), static_cast<size_t>((op == 0 ? l.M : l.N) * l.K));
  }
  bool fm = false;
  out = file_operand(l, spec, base_dir, op == 1, &fm);
  return fm ? im2col(l, out) : out;
}

std::optional<std::vector<float>> generated_feature_map(const Layer& l, int64_t index, const std::string& default_a,
                                                        const std::string& default_b, uint64_t seed) {
  Generator g;
  if (l.kind != Layer::Kind::Conv || !parse_generator(operand_spec(l, 0, default_a, default_b), &g))
    return std::nullopt;
  const ConvShape& c = l.conv;
  return generated(g, operand_seed(seed, index, 0), static_cast<size_t>(c.batch * c.ifmap_h * c.ifmap_w * c.channels));
}

std::optional<GeneratorStream> operand_stream(const Layer& l, int64_t index, int op, const std::string& default_a,
                                              const std::string& default_b, uint64_t seed) {
  Generator g;
  if (!parse_generator(operand_spec(l, op, default_a, default_b), &g)) return std::nullopt;
  if (op == 0 && l.kind == Layer::Kind::Conv) return std::nullopt;  // drawn as a feature map, then lowered
  return GeneratorStream(g, operand_seed(seed, index, op));
}

LayerTensors make_layer_tensors(const Layer& l, int64_t index, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed) {
  LayerTensors t;
  t.a = make_operand(l, index, 0, default_a, default_b, base_dir, seed);
  t.b = make_operand(l, index, 1, default_a, default_b, base_dir, seed);
  return t;
}

}  // namespace nvfp4::workload

#include "sim/workload/tensor_source.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::sim {
namespace {

struct Generator {
  std::string family;  // normal | uniform | laplace
  double p0 = 0, p1 = 1;
};

bool parse_generator(const std::string& text, Generator* g) {
  const auto open = text.find('(');
  if (open == std::string::npos || text.back() != ')') return false;
  g->family = text.substr(0, open);
  if (g->family != "normal" && g->family != "uniform" && g->family != "laplace") return false;
  double a = 0, b = 0;
  char tail = 0;
  if (std::sscanf(text.c_str() + open + 1, "%lf ,%lf %c", &a, &b, &tail) != 3 || tail != ')') return false;
  g->p0 = a;
  g->p1 = b;
  return true;
}

// Why a well-formed generator cannot draw ("" when it can): parameters finite, spread > 0, uniform lo < hi.
std::string generator_problem(const Generator& g) {
  if (!std::isfinite(g.p0) || !std::isfinite(g.p1)) return "parameters must be finite";
  if (g.family == "uniform") return g.p0 < g.p1 ? "" : "uniform(lo, hi) needs lo < hi";
  if (g.p1 <= 0) return g.family + (g.family == "normal" ? "(mean, std) needs std > 0" : "(mean, b) needs b > 0");
  return "";
}

bool looks_like_generator(const std::string& s) { return s.find('(') != std::string::npos; }

// xoshiro256** seeded by splitmix64: fast, reproducible across platforms (std:: distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0]; s_[3] ^= s_[1]; s_[1] ^= s_[2]; s_[0] ^= s_[3]; s_[2] ^= t; s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Standard normal samples by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000; 128 layers): about
// 99% of the draws cost one table look-up and one compare, no log/sin/cos. Each 64-bit draw gives the layer index
// (low 7 bits) and the signed 32-bit abscissa (high 32 bits), so the two never share bits.
class Ziggurat {
 public:
  Ziggurat() {
    const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
    double dn = kR, tn = dn;
    const double q = vn / std::exp(-0.5 * dn * dn);
    kn_[0] = static_cast<uint32_t>((dn / q) * m1);
    kn_[1] = 0;
    wn_[0] = q / m1;
    wn_[127] = dn / m1;
    fn_[0] = 1.0;
    fn_[127] = std::exp(-0.5 * dn * dn);
    for (int i = 126; i >= 1; --i) {
      dn = std::sqrt(-2.0 * std::log(vn / dn + std::exp(-0.5 * dn * dn)));
      kn_[i + 1] = static_cast<uint32_t>((dn / tn) * m1);
      tn = dn;
      fn_[i] = std::exp(-0.5 * dn * dn);
      wn_[i] = dn / m1;
    }
  }
  double operator()(Rng& rng) const {
    for (;;) {
      const uint64_t r = rng.next();
      const int i = static_cast<int>(r & 127);
      const int32_t hz = static_cast<int32_t>(r >> 32);
      const double x = hz * wn_[i];
      const uint32_t mag = hz < 0 ? 0u - static_cast<uint32_t>(hz) : static_cast<uint32_t>(hz);
      if (mag < kn_[i]) return x;  // inside the layer's rectangle
      if (i == 0) {                // the tail beyond kR
        double tx, ty;
        do {
          tx = -std::log(1.0 - rng.uniform01()) / kR;
          ty = -std::log(1.0 - rng.uniform01());
        } while (ty + ty < tx * tx);
        return hz > 0 ? kR + tx : -kR - tx;
      }
      if (fn_[i] + rng.uniform01() * (fn_[i - 1] - fn_[i]) < std::exp(-0.5 * x * x)) return x;  // in the wedge
    }
  }

 private:
  static constexpr double kR = 3.442619855899;
  uint32_t kn_[128];
  double wn_[128], fn_[128];
};

void generate(const Generator& g, uint64_t seed, std::vector<float>& out) {
  Rng rng(seed);
  if (g.family == "uniform") {
    for (auto& v : out) v = static_cast<float>(g.p0 + (g.p1 - g.p0) * rng.uniform01());
  } else if (g.family == "normal") {
    static const Ziggurat normal;
    for (auto& v : out) v = static_cast<float>(g.p0 + g.p1 * normal(rng));
  } else {  // laplace: inverse CDF
    for (auto& v : out) {
      const double u = rng.uniform01() - 0.5;
      v = static_cast<float>(g.p0 - g.p1 * (u < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::fabs(u)));
    }
  }
}

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
  const ConvShape& c = l.conv;
  std::vector<float> a(static_cast<size_t>(l.M * l.K), 0.0f);
  const int64_t S = c.filter_w, C = c.channels;
  for (int64_t b = 0; b < c.batch; ++b)
    for (int64_t oy = 0; oy < c.ofmap_h; ++oy)
      for (int64_t ox = 0; ox < c.ofmap_w; ++ox) {
        float* row = &a[static_cast<size_t>(((b * c.ofmap_h + oy) * c.ofmap_w + ox) * l.K)];
        for (int64_t r = 0; r < c.filter_h; ++r) {
          const int64_t iy = oy * c.stride + r - c.padding;
          if (iy < 0 || iy >= c.ifmap_h) continue;
          for (int64_t s = 0; s < S; ++s) {
            const int64_t ix = ox * c.stride + s - c.padding;
            if (ix < 0 || ix >= c.ifmap_w) continue;
            const float* src = &x[static_cast<size_t>(((b * c.ifmap_h + iy) * c.ifmap_w + ix) * C)];
            std::copy(src, src + C, row + (r * S + s) * C);
          }
        }
      }
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

LayerTensors make_layer_tensors(const Layer& l, int64_t index, const std::string& default_a,
                                const std::string& default_b, const std::string& base_dir, uint64_t seed) {
  LayerTensors t;
  for (int op = 0; op < 2; ++op) {
    const std::string& given = op == 0 ? l.activations : l.weights;
    const std::string spec = given.empty() ? (op == 0 ? default_a : default_b) : given;
    std::vector<float>& out = op == 0 ? t.a : t.b;
    Generator g;
    if (parse_generator(spec, &g)) {
      if (op == 0 && l.kind == Layer::Kind::Conv) {
        std::vector<float> fmap(static_cast<size_t>(l.conv.batch * l.conv.ifmap_h * l.conv.ifmap_w * l.conv.channels));
        generate(g, operand_seed(seed, index, op), fmap);
        out = im2col(l, fmap);
      } else {
        out.resize(static_cast<size_t>((op == 0 ? l.M : l.N) * l.K));
        generate(g, operand_seed(seed, index, op), out);
      }
    } else {
      bool fm = false;
      out = file_operand(l, spec, base_dir, op == 1, &fm);
      if (fm) out = im2col(l, out);
    }
  }
  return t;
}

}  // namespace nvfp4::sim

// Runs the hand-derived edge-case vectors of data/edge_vectors.txt (format described at the top of that file) and
// compares raw bits: tensor scale, every block scale and every element code. A mismatch names the vector, the
// position and both values.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;

namespace {

struct Vector {
  std::string name;
  int line = 0;
  std::map<std::string, std::vector<std::string>> fields;  // key -> tokens (V*N expanded)
};

std::vector<std::string> expand(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string tok;
  while (in >> tok) {
    const auto star = tok.rfind('*');
    if (star != std::string::npos && star > 0) {
      const int n = std::stoi(tok.substr(star + 1));
      for (int i = 0; i < n; ++i) out.push_back(tok.substr(0, star));
    } else {
      out.push_back(tok);
    }
  }
  return out;
}

std::vector<Vector> read_vectors(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open test data " + path);
  std::vector<Vector> vs;
  std::string line, last_key;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first);
    if (line[0] == '[') {
      vs.push_back(Vector{line.substr(1, line.find(']') - 1), n, {}});
      continue;
    }
    if (vs.empty()) throw Error(path + ":" + std::to_string(n) + ": data before the first [vector]");
    std::vector<std::string>* dst;
    if (line[0] == '+') {
      dst = &vs.back().fields[last_key];
      line = line.substr(1);
    } else {
      const auto eq = line.find('=');
      if (eq == std::string::npos) throw Error(path + ":" + std::to_string(n) + ": expected 'key = values'");
      last_key = line.substr(0, line.find_last_not_of(" \t", eq - 1) + 1);
      dst = &vs.back().fields[last_key];
      line = line.substr(eq + 1);
    }
    for (auto& t : expand(line)) dst->push_back(t);
  }
  return vs;
}

float parse_value(const std::string& t) {
  if (t.rfind("bits:", 0) == 0) {
    const uint32_t b = static_cast<uint32_t>(std::stoul(t.substr(5), nullptr, 16));
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  char* end = nullptr;
  const float f = std::strtof(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0') throw Error("bad value token '" + t + "'");
  return f;
}

QuantSpec parse_spec(const std::vector<std::string>& t) {
  if (t.size() < 5) throw Error("spec needs SCHEME RECIPE BLOCK 1d|2d rn|sr [SEED]");
  QuantSpec s = QuantSpec::defaults_for(parse_scheme(t[0]));
  s.recipe = parse_recipe(t[1]);
  s.block = std::stoi(t[2]);
  s.block_2d = t[3] == "2d";
  s.rounding = parse_rounding(t[4]);
  if (t.size() > 5) s.seed = std::stoull(t[5]);
  return s;
}

std::string hex(uint32_t v) {
  std::ostringstream o;
  o << "0x" << std::hex << v;
  return o.str();
}

std::string data_dir() {
  const char* env = std::getenv("NVFP4_QUANT_TEST_DATA");
  return env ? env : NVFP4_QUANT_TEST_DATA;
}

// Checks one vector; returns "" when every bit matches, else a description of the first mismatch.
std::string check_vector(const Vector& v, int& nonzero_codes) {
  auto field = [&](const char* k) -> const std::vector<std::string>& {
    auto it = v.fields.find(k);
    if (it == v.fields.end()) throw Error("vector " + v.name + ": missing '" + k + "'");
    return it->second;
  };
  const QuantSpec spec = parse_spec(field("spec"));
  const int64_t rows = std::stoll(field("shape").at(0)), cols = std::stoll(field("shape").at(1));
  std::vector<float> x;
  for (const auto& t : field("x")) x.push_back(parse_value(t));
  if (static_cast<int64_t>(x.size()) != rows * cols)
    return "x has " + std::to_string(x.size()) + " values, shape needs " + std::to_string(rows * cols);

  const QuantizedTensor q = quantize(x.data(), rows, cols, spec);

  uint32_t ts;
  std::memcpy(&ts, &q.tensor_scale, 4);
  const uint32_t want_ts = static_cast<uint32_t>(std::stoul(field("tensor_scale").at(0), nullptr, 16));
  if (ts != want_ts) return "tensor_scale: got " + hex(ts) + ", expected " + hex(want_ts);

  const auto& sc = field("scales");
  const int sb = scale_bytes(spec.scheme);
  const size_t n_scales = sb == 0 ? 0 : q.scales.size() / static_cast<size_t>(sb);
  if (sc.size() != n_scales)
    return "scales: got " + std::to_string(n_scales) + " entries, expected " + std::to_string(sc.size());
  for (size_t i = 0; i < n_scales; ++i) {
    uint32_t got = q.scales[i * sb];
    if (sb == 2) got |= static_cast<uint32_t>(q.scales[i * sb + 1]) << 8;
    const uint32_t want = static_cast<uint32_t>(std::stoul(sc[i], nullptr, 16));
    if (got != want) return "scale[" + std::to_string(i) + "]: got " + hex(got) + ", expected " + hex(want);
  }

  const auto& cd = field("codes");
  if (static_cast<int64_t>(cd.size()) != rows * cols)
    return "codes has " + std::to_string(cd.size()) + " entries, shape needs " + std::to_string(rows * cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const uint32_t got = spec.scheme == Scheme::FP16 ? q.code16(r, c) : q.code(r, c);
      const uint32_t want = static_cast<uint32_t>(std::stoul(cd[static_cast<size_t>(r * cols + c)], nullptr, 16));
      nonzero_codes += got != 0;
      if (got != want)
        return "code[" + std::to_string(r) + ", " + std::to_string(c) + "] (input " +
               std::to_string(x[static_cast<size_t>(r * cols + c)]) + "): got " + hex(got) + ", expected " +
               hex(want);
    }
  return "";
}

}  // namespace

TEST_CASE("edge-case vectors of every recipe match their hand-derived bits") {
  const std::vector<Vector> vs = read_vectors(data_dir() + "/edge_vectors.txt");
  REQUIRE(vs.size() >= 30);
  int nonzero_codes = 0;
  for (const Vector& v : vs) {
    INFO("vector [" << v.name << "] at edge_vectors.txt:" << v.line);
    std::string err;
    try {
      err = check_vector(v, nonzero_codes);
    } catch (const std::exception& e) {
      err = std::string("threw: ") + e.what();
    }
    CHECK(err == "");
  }
  CHECK(nonzero_codes > 100);  // guard against trivially equal (all-zero) outputs
}

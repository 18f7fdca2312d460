// The sparse injector (only failing cells and the codewords holding one are touched) against the dense oracle
// (every bit gathered, every codeword encoded, read and decoded): the same bits and the same counts, on every scheme,
// layout, code, fault kind and DUE policy, at voltages with many faults so that every outcome occurs.
#include <catch2/catch.hpp>

#include <bit>
#include <cstring>
#include <random>

#include "dense_injector.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;
using namespace nvfp4::ecc;

namespace {

QuantizedTensor random_tensor(Scheme s, bool block_2d, int64_t rows, int64_t cols, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = nd(rng);
  QuantSpec spec = QuantSpec::defaults_for(s);
  spec.block_2d = block_2d;
  return quantize(x.data(), rows, cols, spec);
}

void require_same(const InjectionResult& sparse, const InjectionResult& dense) {
  REQUIRE(sparse.faulty.codes == dense.faulty.codes);
  REQUIRE(sparse.faulty.scales == dense.faulty.scales);
  REQUIRE(std::bit_cast<uint32_t>(sparse.faulty.tensor_scale) == std::bit_cast<uint32_t>(dense.faulty.tensor_scale));
  for (int f = 0; f < kFieldCount; ++f) {
    INFO("field " << to_string(static_cast<Field>(f)));
    const FieldCounts &a = sparse.report.fields[f], &b = dense.report.fields[f];
    REQUIRE(a.bits_stored == b.bits_stored);
    REQUIRE(a.raw_bit_errors == b.raw_bit_errors);
    REQUIRE(a.corrected_bits == b.corrected_bits);
    REQUIRE(a.due_bits == b.due_bits);
    REQUIRE(a.silent_bit_errors == b.silent_bit_errors);
  }
  REQUIRE(sparse.report.codewords == dense.report.codewords);
  REQUIRE(sparse.report.corrected_words == dense.report.corrected_words);
  REQUIRE(sparse.report.due_words == dense.report.due_words);
  REQUIRE(sparse.report.miscorrected_words == dense.report.miscorrected_words);
}

}  // namespace

TEST_CASE("sparse injection equals the dense oracle bit for bit and count for count", "[inject][sparse]") {
  const auto model = make_failure_model(sram_preset("sun2017-65nm"));
  struct Case {
    Scheme scheme;
    bool block_2d;
    int64_t rows, cols;
  };
  const Case cases[] = {{Scheme::NVFP4, false, 24, 80},  {Scheme::NVFP4, false, 7, 37}, {Scheme::NVFP4, true, 32, 48},
                        {Scheme::MXFP4, false, 9, 96},   {Scheme::FP8, false, 13, 29},  {Scheme::INT4, false, 10, 64},
                        {Scheme::FP4Tensor, false, 5, 33}};
  uint64_t corrected = 0, due = 0, silent = 0, miscorrected = 0;
  for (const Case& tc : cases) {
    const QuantizedTensor q = random_tensor(tc.scheme, tc.block_2d, tc.rows, tc.cols, 11);
    for (const char* layout : {"none", "scale", "sign-exp-scale", "full"}) {
      for (int word_bits : {16, 64, 72}) {
        for (FaultKind kind : {FaultKind::PersistentFlip, FaultKind::PersistentStuckAt, FaultKind::TransientFlip}) {
          for (ProtectedCode pc : {ProtectedCode::Secded, ProtectedCode::None}) {
            for (DuePolicy on_due : {DuePolicy::Keep, DuePolicy::Zero}) {
              InjectionConfig c;
              c.layout = ProtectionLayout::parse(layout, tc.scheme);
              c.word_bits = word_bits;
              c.protected_code = pc;
              c.vdd_v = 0.50;            // p ~ 1.6e-2 and 3e-2: many faults, many double and triple errors per codeword
              c.protected_vdd_v = 0.48;
              c.failure = model;
              c.fault = kind;
              c.seed = 5;
              c.read_index = 3;
              c.on_due = on_due;
              INFO("scheme " << int(tc.scheme) << " 2d " << tc.block_2d << " layout " << layout << " word "
                             << word_bits << " kind " << to_string(kind) << " code " << to_string(pc) << " due "
                             << to_string(on_due));
              const InjectionResult s = inject_faults(q, c), d = test::dense_inject_faults(q, c);
              require_same(s, d);
              corrected += s.report.corrected_words;
              due += s.report.due_words;
              miscorrected += s.report.miscorrected_words;
              silent += s.report.total_data().silent_bit_errors;
            }
          }
        }
      }
    }
  }
  // The comparison covered every decoder outcome (guard against a trivially equal, fault-free run).
  CHECK(corrected > 100);
  CHECK(due > 100);
  CHECK(miscorrected > 0);
  CHECK(silent > 1000);
}

TEST_CASE("in place with `only`: that field's bits and counts equal inject_faults', the rest as stored", "[inject]") {
  const auto model = make_failure_model(sram_preset("sun2017-65nm"));
  uint64_t raw = 0;
  for (Scheme s : {Scheme::NVFP4, Scheme::INT4, Scheme::FP8}) {
    const QuantizedTensor q = random_tensor(s, false, 21, 40, 17);
    for (const char* name : {"none", "scale", "sign-exp-scale", "full"}) {
      const ProtectionLayout named = ProtectionLayout::parse(name, s);
      // The named layout, and the simulator's per-bank views of it (the bank masks only the field it holds).
      ProtectionLayout codes_bank, scales_bank;
      codes_bank.code_mask = named.code_mask;
      scales_bank.scale_mask = named.scale_mask;
      for (const ProtectionLayout& layout : {named, codes_bank, scales_bank}) {
        for (FaultKind kind : {FaultKind::PersistentFlip, FaultKind::PersistentStuckAt}) {
          for (ProtectedCode pc : {ProtectedCode::Secded, ProtectedCode::None}) {
            InjectionConfig c;
            c.layout = layout;
            c.word_bits = 64;
            c.protected_code = pc;
            c.vdd_v = 0.50;
            c.protected_vdd_v = 0.48;
            c.failure = model;
            c.fault = kind;
            c.seed = 9;
            const InjectionResult whole = inject_faults(q, c);
            for (Field f : {Field::Codes, Field::BlockScales, Field::TensorScale}) {
              INFO("scheme " << int(s) << " layout " << name << " masks 0x" << std::hex << layout.code_mask << " 0x"
                             << layout.scale_mask << std::dec << " kind " << to_string(kind) << " code "
                             << to_string(pc) << " only " << to_string(f));
              QuantizedTensor t = q;
              const InjectionReport r = inject_faults_in_place(t, c, f);
              REQUIRE(t.codes == (f == Field::Codes ? whole.faulty.codes : q.codes));
              REQUIRE(t.scales == (f == Field::BlockScales ? whole.faulty.scales : q.scales));
              REQUIRE(std::bit_cast<uint32_t>(t.tensor_scale) ==
                      std::bit_cast<uint32_t>(f == Field::TensorScale ? whole.faulty.tensor_scale : q.tensor_scale));
              for (int g = 0; g < kFieldCount; ++g) {
                const FieldCounts &a = r.fields[g], &b = whole.report.fields[g];
                const bool counted = g == static_cast<int>(f) || g == static_cast<int>(Field::CheckBits);
                REQUIRE(a.bits_stored == b.bits_stored);
                REQUIRE(a.raw_bit_errors == (counted ? b.raw_bit_errors : 0));
                REQUIRE(a.corrected_bits == (counted ? b.corrected_bits : 0));
                REQUIRE(a.due_bits == (counted ? b.due_bits : 0));
                REQUIRE(a.silent_bit_errors == (counted ? b.silent_bit_errors : 0));
              }
              REQUIRE(r.codewords == whole.report.codewords);
              REQUIRE(r.corrected_words == whole.report.corrected_words);
              REQUIRE(r.due_words == whole.report.due_words);
              REQUIRE(r.miscorrected_words == whole.report.miscorrected_words);
              raw += r.fields[static_cast<int>(f)].raw_bit_errors;
            }
          }
        }
      }
    }
  }
  CHECK(raw > 1000);  // faults reached the fields compared
}

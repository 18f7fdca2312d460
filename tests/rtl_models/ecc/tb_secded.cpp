// Verilator test bench of rtl_models/ecc: the SECDED encoder and decoder equal nvfp4::ecc::SecdedCode bit for bit.
// Per width (8, 16, 32, 64, 72, 128): encoder outputs for fixed and random data; decoder outputs (data, corrected,
// detected-uncorrectable, position) for the clean codeword, every single-bit and every double-bit error, random
// triple errors and random words. The first mismatch stops the bench with the width, the input and both values.
// Harness in the style of Verilator's examples/make_tracing_c/sim_main.cpp (unique_ptr context/model, final()).
#include <verilated.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "Vtb_secded_top.h"
#include "ecc/secded.hpp"

using nvfp4::ecc::DecodeStatus;
using nvfp4::ecc::SecdedCode;
using nvfp4::ecc::WideWord;

namespace {

// Port <-> WideWord for Verilator's C types (CData/SData/IData/QData) and wide VlWide<N> ports.
template <class T>
void put(T& port, const WideWord& w, int bits) {
  if constexpr (std::is_integral_v<T>) {
    port = static_cast<T>(w.field(0, bits));
  } else {
    for (int i = 0; i < (bits + 31) / 32; ++i) port[i] = static_cast<uint32_t>(w.field(32 * i, std::min(32, bits - 32 * i)));
  }
}
template <class T>
WideWord get(const T& port, int bits) {
  WideWord w;
  if constexpr (std::is_integral_v<T>) {
    w.set_field(0, bits, static_cast<uint64_t>(port));
  } else {
    for (int i = 0; i < (bits + 31) / 32; ++i) w.set_field(32 * i, std::min(32, bits - 32 * i), port[i]);
  }
  return w;
}

std::string hex(const WideWord& w, int bits) {
  std::string s = "0x";
  char buf[20];
  for (int i = (bits + 63) / 64 - 1; i >= 0; --i) {
    std::snprintf(buf, sizeof buf, i == (bits + 63) / 64 - 1 ? "%llx" : "%016llx",
                  static_cast<unsigned long long>(w.limb[static_cast<size_t>(i)]));
    s += buf;
  }
  return s;
}

struct Ports {
  int k;
  std::function<void(const WideWord&)> set_enc_data;
  std::function<WideWord()> enc_cw;
  std::function<void(const WideWord&)> set_dec_cw;
  std::function<WideWord()> dec_data;
  std::function<bool()> corrected, due;
  std::function<int()> pos;
};

#define NVFP4_PORTS(m, K, N)                                                                          \
  Ports {                                                                                             \
    K, [&m](const WideWord& d) { put(m.enc_data_##K, d, K); }, [&m] { return get(m.enc_cw_##K, N); }, \
        [&m](const WideWord& c) { put(m.dec_cw_##K, c, N); }, [&m] { return get(m.dec_data_##K, K); }, \
        [&m] { return m.dec_corr_##K != 0; }, [&m] { return m.dec_due_##K != 0; },                     \
        [&m] { return static_cast<int>(m.dec_pos_##K); }                                              \
  }

class Checker {
 public:
  Checker(Vtb_secded_top& model, const Ports& p) : m_(model), p_(p), code_(p.k) {}

  bool encode(const WideWord& data) {
    p_.set_enc_data(data);
    m_.eval();
    const WideWord want = code_.encode(data), got = p_.enc_cw();
    ++checks_;
    if (got == want) return true;
    std::fprintf(stderr, "MISMATCH K=%d encode(%s): rtl %s, c++ %s\n", p_.k, hex(data, p_.k).c_str(),
                 hex(got, code_.codeword_bits()).c_str(), hex(want, code_.codeword_bits()).c_str());
    return false;
  }

  bool decode(const WideWord& cw) {
    p_.set_dec_cw(cw);
    m_.eval();
    const auto want = code_.decode(cw);
    const WideWord data = p_.dec_data();
    const bool corr = p_.corrected(), due = p_.due();
    const int pos = p_.pos();
    const bool want_corr = want.status == DecodeStatus::Corrected;
    const bool want_due = want.status == DecodeStatus::DetectedUncorrectable;
    const int want_pos = want_corr ? want.corrected_bit : 0;
    ++checks_;
    corrected_ += want_corr;
    detected_ += want_due;
    if (data == want.data && corr == want_corr && due == want_due && pos == want_pos) return true;
    const int n = code_.codeword_bits();
    std::fprintf(stderr,
                 "MISMATCH K=%d decode(%s): rtl data %s corrected %d due %d pos %d; c++ data %s status %s pos %d\n",
                 p_.k, hex(cw, n).c_str(), hex(data, p_.k).c_str(), corr, due, pos, hex(want.data, p_.k).c_str(),
                 std::string(to_string(want.status)).c_str(), want_pos);
    return false;
  }

  const SecdedCode& code() const { return code_; }
  uint64_t checks() const { return checks_; }
  uint64_t corrected() const { return corrected_; }
  uint64_t detected() const { return detected_; }

 private:
  Vtb_secded_top& m_;
  const Ports& p_;
  SecdedCode code_;
  uint64_t checks_ = 0, corrected_ = 0, detected_ = 0;
};

WideWord random_word(std::mt19937_64& rng, int bits) { return WideWord{{rng(), rng(), rng()}}.low_bits(bits); }

bool run_width(Vtb_secded_top& model, const Ports& p, std::mt19937_64& rng) {
  Checker c(model, p);
  const int k = p.k, n = c.code().codeword_bits();
  std::vector<WideWord> data{WideWord{}, WideWord{{~0ull, ~0ull, ~0ull}}.low_bits(k)};
  for (int i = 0; i < 30; ++i) data.push_back(random_word(rng, k));
  for (const auto& d : data) {
    if (!c.encode(d)) return false;
  }
  for (size_t t = 0; t < 3; ++t) {  // exhaustive single and double errors around three codewords
    const WideWord cw = c.code().encode(data[t == 2 ? 5 : t]);
    if (!c.decode(cw)) return false;
    for (int a = 0; a < n; ++a) {
      WideWord e1 = cw;
      e1.flip(a);
      if (!c.decode(e1)) return false;
      for (int b = a + 1; b < n; ++b) {
        WideWord e2 = e1;
        e2.flip(b);
        if (!c.decode(e2)) return false;
      }
    }
  }
  std::uniform_int_distribution<int> pos(0, n - 1);
  for (int t = 0; t < 3000; ++t) {  // triple errors (miscorrections must match too) and arbitrary words
    WideWord cw = c.code().encode(random_word(rng, k));
    int a = pos(rng), b = pos(rng), d = pos(rng);
    while (b == a) b = pos(rng);
    while (d == a || d == b) d = pos(rng);
    cw.flip(a);
    cw.flip(b);
    cw.flip(d);
    if (!c.decode(cw) || !c.decode(random_word(rng, n))) return false;
  }
  std::printf("K=%3d n=%3d: %llu encoder/decoder outputs equal (%llu corrected, %llu detected-uncorrectable)\n", k, n,
              static_cast<unsigned long long>(c.checks()), static_cast<unsigned long long>(c.corrected()),
              static_cast<unsigned long long>(c.detected()));
  // Guard against a bench that compares nothing interesting.
  return c.corrected() >= static_cast<uint64_t>(3 * n) && c.detected() >= static_cast<uint64_t>(3 * n * (n - 1) / 2);
}

}  // namespace

int main(int argc, char** argv) {
  const auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  const auto model = std::make_unique<Vtb_secded_top>(ctx.get(), "TOP");
  Vtb_secded_top& m = *model;
  const std::vector<Ports> widths{NVFP4_PORTS(m, 8, 13),  NVFP4_PORTS(m, 16, 22), NVFP4_PORTS(m, 32, 39),
                                  NVFP4_PORTS(m, 64, 72), NVFP4_PORTS(m, 72, 80), NVFP4_PORTS(m, 128, 137)};
  std::mt19937_64 rng(2024);
  int status = 0;
  for (const Ports& p : widths) {
    if (!run_width(m, p, rng)) {
      std::fprintf(stderr, "rtl_tb_secded: FAILED at K=%d\n", p.k);
      status = 1;
      break;
    }
  }
  model->final();
  if (status == 0) std::printf("rtl_tb_secded: all widths equal bit for bit\n");
  return status;
}

// sim_tlm_gemm_*: a virtual-platform host (an SC_MODULE initiator) uses the accelerator as a GEMM device through its
// TLM-2.0 socket (docs/sim.md, "TLM-2.0 interface"): it quantizes operands, writes E2M1 codes and E4M3 block scales
// into the banks in the documented layout (NVFP4_SPEC.md section 6: the QuantizedTensor's bytes), programs M, N, K,
// POLICY, the bank offsets and the tensor-scale registers, starts the job, polls STATUS and reads D from the outputs
// bank. Two jobs (fp32-seq at offset 0, fixed:26:0 at odd offsets whose codewords straddle the regions). Per job:
// - D equals, as raw bits, nvfp4::gemm over the operands as the host reads them back through the socket (the same
//   fault map and SECDED decoders the accelerator read through), under the programmed policy; at least 90% of D is
//   non-zero and at least half its values are distinct (no trivially equal or saturated outputs);
// - --expect exact (ECC-protected banks, faults on): the read-back operands equal what was written, D equals the
//   golden GEMM of the written operands, and the decoders corrected words during the job (ECC_CORRECTED grew);
// - --expect corrupted (unprotected banks, faults on): the read-back operands differ from what was written and D
//   differs from the golden GEMM of the written operands: the host sees the corruption (no ECC correction counted).
// Then bad programming: every refusal sets STATUS.error with its ERROR code, starts nothing and crashes nothing.
// - --expect detected (SECDED banks at a voltage where words take two or more faults): D differs from the golden GEMM
//   of the written operands and the host sees it in ECC_DUE (and ECC_CORRECTED) growing during the job.
// --expect cannot-feed: only the refusal array-cannot-feed (regions inside small banks the array cannot be fed from).
// Usage: sim_tlm_gemm_host_test CONFIG.yaml --expect exact|corrupted|detected|cannot-feed.
// Exit 1 naming the failed checks.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quantize.hpp"
#include "sim/model/accelerator.hpp"
#include "sim/model/register_map.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

namespace {
int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
  }
}
uint64_t bank_base(BankId b) { return regs::kBankBase + static_cast<uint64_t>(b) * regs::kBankStride; }

struct Job {
  uint32_t m, n, k;
  std::string policy;
  uint32_t a_codes, b_codes, a_scales, b_scales, d_out;
};
}  // namespace

struct Host : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Host> socket;
  const SimConfig& config;
  const std::string mode;
  const bool expect_exact;
  SC_HAS_PROCESS(Host);
  Host(sc_core::sc_module_name n, const SimConfig& c, std::string m)
      : sc_module(n), socket("socket"), config(c), mode(std::move(m)), expect_exact(mode == "exact") {
    SC_THREAD(main);
  }

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, void* data, size_t len) {
    tlm::tlm_generic_payload t;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(static_cast<unsigned>(len));
    t.set_streaming_width(static_cast<unsigned>(len));
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(t, delay);
    wait(delay);
    return t.get_response_status();
  }
  uint32_t read32(uint64_t a) {
    uint32_t v = 0;
    check(access(tlm::TLM_READ_COMMAND, a, &v, 4) == tlm::TLM_OK_RESPONSE, "register read at " + std::to_string(a));
    return v;
  }
  void write32(uint64_t a, uint32_t v) {
    check(access(tlm::TLM_WRITE_COMMAND, a, &v, 4) == tlm::TLM_OK_RESPONSE, "register write at " + std::to_string(a));
  }
  void write_bank(BankId b, uint64_t off, std::vector<uint8_t> bytes) {
    if (bytes.empty()) return;
    check(access(tlm::TLM_WRITE_COMMAND, bank_base(b) + off, bytes.data(), bytes.size()) == tlm::TLM_OK_RESPONSE,
          "bank write");
  }
  std::vector<uint8_t> read_bank(BankId b, uint64_t off, size_t len) {
    std::vector<uint8_t> v(len);
    if (len)
      check(access(tlm::TLM_READ_COMMAND, bank_base(b) + off, v.data(), len) == tlm::TLM_OK_RESPONSE, "bank read");
    return v;
  }
  uint32_t wait_done() {
    uint32_t s = 0;
    for (int i = 0; i < 100000; ++i) {
      s = read32(regs::kStatus);
      if (!(s & regs::kStatusBusy)) break;
      wait(sc_core::sc_time(1, sc_core::SC_US));
    }
    return s;
  }

  QuantizedTensor make_operand(const QuantSpec& spec, int64_t rows, int64_t k, uint32_t seed, float sigma) {
    std::mt19937 g(seed);
    std::normal_distribution<float> nd(0.0f, sigma);
    std::vector<float> x(static_cast<size_t>(rows * k));
    for (float& v : x) v = nd(g);
    return quantize(x.data(), rows, k, spec);
  }
  // The operand as the host reads it back from the banks (the documented layout, through the socket).
  QuantizedTensor read_back(const QuantizedTensor& written, BankId code_bank, uint64_t code_off, uint64_t scale_off) {
    QuantizedTensor q = written;
    q.codes = read_bank(code_bank, code_off, written.codes.size());
    q.scales = read_bank(BankId::Scales, scale_off, written.scales.size());
    return q;
  }

  static int64_t first_difference(const std::vector<float>& x, const std::vector<float>& y) {
    for (size_t i = 0; i < x.size(); ++i)
      if (std::bit_cast<uint32_t>(x[i]) != std::bit_cast<uint32_t>(y[i])) return static_cast<int64_t>(i);
    return -1;
  }
  static std::string element(const std::vector<float>& got, const std::vector<float>& want, int64_t i, uint32_t n) {
    char s[160];
    std::snprintf(s, sizeof s, "D[%lld][%lld]: accelerator 0x%08X (%g), golden 0x%08X (%g)",
                  static_cast<long long>(i / n), static_cast<long long>(i % n),
                  std::bit_cast<uint32_t>(got[static_cast<size_t>(i)]), got[static_cast<size_t>(i)],
                  std::bit_cast<uint32_t>(want[static_cast<size_t>(i)]), want[static_cast<size_t>(i)]);
    return s;
  }

  void run_job(const Job& j, uint32_t seed) {
    const std::string tag = "job " + std::to_string(j.m) + "x" + std::to_string(j.n) + "x" + std::to_string(j.k) +
                            " " + j.policy + ": ";
    const AccumPolicy policy = AccumPolicy::parse(j.policy);
    const QuantizedTensor a = make_operand(config.activation_spec(), j.m, j.k, seed, 1.0f);
    const QuantizedTensor b = make_operand(config.weight_spec(), j.n, j.k, seed + 1, 0.05f);
    write_bank(BankId::Activations, j.a_codes, a.codes);
    write_bank(BankId::Weights, j.b_codes, b.codes);
    write_bank(BankId::Scales, j.a_scales, a.scales);
    write_bank(BankId::Scales, j.b_scales, b.scales);
    write32(regs::kM, j.m);
    write32(regs::kN, j.n);
    write32(regs::kK, j.k);
    write32(regs::kPolicy, regs::encode_policy(policy));
    write32(regs::kACodes, j.a_codes);
    write32(regs::kBCodes, j.b_codes);
    write32(regs::kAScales, j.a_scales);
    write32(regs::kBScales, j.b_scales);
    write32(regs::kDOut, j.d_out);
    write32(regs::kATensorScale, std::bit_cast<uint32_t>(a.tensor_scale));
    write32(regs::kBTensorScale, std::bit_cast<uint32_t>(b.tensor_scale));
    const uint32_t corrected0 = read32(regs::kEccCorrected), due0 = read32(regs::kEccDue);
    const uint32_t jobs0 = read32(regs::kJobsDone);
    write32(regs::kCtrl, 1);
    check(read32(regs::kStatus) == regs::kStatusBusy, tag + "STATUS busy after start (ERROR " +
                                                          std::to_string(read32(regs::kError)) + ")");
    const uint32_t status = wait_done();
    check(status == regs::kStatusDone, tag + "STATUS done (got " + std::to_string(status) + ")");
    check(read32(regs::kJobsDone) == jobs0 + 1, tag + "JOBS_DONE counts the job");
    const uint32_t corrected = read32(regs::kEccCorrected) - corrected0, due = read32(regs::kEccDue) - due0;
    const uint64_t cycles = read32(regs::kCyclesLo) | uint64_t{read32(regs::kCyclesHi)} << 32;
    std::vector<float> d(static_cast<size_t>(j.m) * j.n);
    const std::vector<uint8_t> d_bytes = read_bank(BankId::Outputs, j.d_out, d.size() * 4);
    std::memcpy(d.data(), d_bytes.data(), d_bytes.size());

    const QuantizedTensor a_rb = read_back(a, BankId::Activations, j.a_codes, j.a_scales);
    const QuantizedTensor b_rb = read_back(b, BankId::Weights, j.b_codes, j.b_scales);
    const std::vector<float> golden_rb = gemm(a_rb, b_rb, policy), golden_w = gemm(a, b, policy);
    if (policy.kind != AccumPolicy::Kind::Fp32Seq) {  // else the test could not see whether POLICY reaches the GEMM
      const std::vector<float> fp32 = gemm(a, b, AccumPolicy::parse("fp32-seq"));
      check(first_difference(fp32, golden_w) >= 0, tag + "the policy changes outputs on these operands (vs fp32-seq)");
    }
    const int64_t rb_diff = first_difference(d, golden_rb);
    check(rb_diff < 0, tag + "D = golden GEMM of the operands read back through ECC, bit for bit; first difference " +
                           (rb_diff < 0 ? "" : element(d, golden_rb, rb_diff, j.n)));
    int64_t nonzero = 0, differ_w = 0;
    for (size_t i = 0; i < d.size(); ++i) {
      nonzero += std::bit_cast<uint32_t>(d[i]) << 1 != 0;
      differ_w += std::bit_cast<uint32_t>(d[i]) != std::bit_cast<uint32_t>(golden_w[i]);
    }
    std::vector<uint32_t> bits(d.size());
    for (size_t i = 0; i < d.size(); ++i) bits[i] = std::bit_cast<uint32_t>(d[i]);
    std::sort(bits.begin(), bits.end());
    const auto distinct = std::unique(bits.begin(), bits.end()) - bits.begin();
    check(distinct * 2 >= static_cast<int64_t>(d.size()), tag + "at least half of D's values are distinct (" +
                                                               std::to_string(distinct) + ")");
    check(nonzero * 10 >= static_cast<int64_t>(d.size()) * 9, tag + "at least 90% of D is non-zero (" +
                                                                    std::to_string(nonzero) + " of " +
                                                                    std::to_string(d.size()) + ")");
    const bool operands_intact = a_rb.codes == a.codes && a_rb.scales == a.scales && b_rb.codes == b.codes &&
                                 b_rb.scales == b.scales;
    const int64_t w_diff = first_difference(d, golden_w);
    if (expect_exact) {
      check(operands_intact, tag + "the operands read back equal those written (ECC corrected every fault)");
      check(w_diff < 0, tag + "D = golden GEMM of the written operands; first difference " +
                            (w_diff < 0 ? "" : element(d, golden_w, w_diff, j.n)));
      check(corrected > 0, tag + "the SECDED decoders corrected words during the job (ECC_CORRECTED grew by " +
                               std::to_string(corrected) + ")");
      check(due == 0, tag + "no detected-uncorrectable word (ECC_DUE grew by " + std::to_string(due) + ")");
    } else if (mode == "detected") {
      check(!operands_intact, tag + "multi-bit faults changed the stored operands");
      check(w_diff >= 0, tag + "D differs from the golden GEMM of the written operands");
      check(corrected > 0 && due > 0, tag + "the decoders corrected words and flagged detected-uncorrectable ones "
                                            "during the job: the host sees them in ECC_DUE (+" + std::to_string(due) +
                                            ", ECC_CORRECTED +" + std::to_string(corrected) + ")");
    } else {
      check(!operands_intact, tag + "faults changed the stored operands");
      check(w_diff >= 0, tag + "D differs from the golden GEMM of the written operands (the host sees the faults)");
      check(corrected == 0 && due == 0, tag + "no ECC event on unprotected banks (corrected " +
                                            std::to_string(corrected) + ", due " + std::to_string(due) + ")");
    }
    std::printf("%s%llu cycles, %lld of %zu outputs differ from the fault-free golden%s, ECC_CORRECTED +%u, "
                "ECC_DUE +%u; D = golden(read-back operands) bit for bit: %s\n",
                tag.c_str(), static_cast<unsigned long long>(cycles), static_cast<long long>(differ_w), d.size(),
                w_diff >= 0 ? (" (first " + element(d, golden_w, w_diff, j.n) + ")").c_str() : "", corrected, due,
                rb_diff < 0 ? "yes" : "NO");
  }

  // A start with the current registers must be refused with `code`, leaving STATUS.error set and nothing started.
  void expect_refused(regs::JobError code, const std::string& what) {
    const uint32_t jobs0 = read32(regs::kJobsDone);
    write32(regs::kCtrl, 1);
    const uint32_t status = read32(regs::kStatus), error = read32(regs::kError);
    check(status == regs::kStatusError, what + ": STATUS = error only (got " + std::to_string(status) + ")");
    check(error == static_cast<uint32_t>(code), what + ": ERROR = " + std::to_string(static_cast<uint32_t>(code)) +
                                                    " (" + std::string(regs::job_error_name(code)) + "), got " +
                                                    std::to_string(error));
    wait(sc_core::sc_time(10, sc_core::SC_US));
    check(read32(regs::kJobsDone) == jobs0, what + ": no job ran");
  }

  void program(uint32_t m, uint32_t n, uint32_t k, uint32_t policy, uint32_t as, uint32_t bs, uint32_t d) {
    write32(regs::kM, m);
    write32(regs::kN, n);
    write32(regs::kK, k);
    write32(regs::kPolicy, policy);
    write32(regs::kACodes, 0);
    write32(regs::kBCodes, 0);
    write32(regs::kAScales, as);
    write32(regs::kBScales, bs);
    write32(regs::kDOut, d);
  }

  void refusals() {
    using regs::JobError;
    const uint32_t fp32 = regs::encode_policy(AccumPolicy::parse("fp32-seq"));
    program(16, 16, 0, fp32, 0, 4096, 0);
    expect_refused(JobError::ZeroSize, "K = 0");
    program(16, 16, 200, fp32, 0, 4096, 0);
    expect_refused(JobError::KNotBlockMultiple, "K = 200 (not a multiple of 16)");
    program(100000, 16, 256, fp32, 0, 4096, 0);
    expect_refused(JobError::OutsideBank, "M = 100000 (A does not fit the activations bank)");
    program(16, 16, 0x40000000, fp32, 0, 4096, 0);
    expect_refused(JobError::OutsideBank, "K = 2^30");
    program(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFF0, fp32, 0, 4096, 0);
    expect_refused(JobError::OutsideBank, "M = N = 2^32 - 1 (sizes overflow 64 bits)");
    program(16, 16, 256, fp32, 0, 100, 0);
    expect_refused(JobError::Overlap, "B's scales overlap A's");
    program(16, 16, 256, fp32, 0, 4096, 2);
    expect_refused(JobError::Misaligned, "D_OUT = 2");
    program(16, 16, 256, 7, 0, 4096, 0);
    expect_refused(JobError::UnknownPolicy, "POLICY row 7");
    program(16, 16, 256, 2 | 100u << 8, 0, 4096, 0);
    expect_refused(JobError::UnknownPolicy, "POLICY fixed:100:0 (W > 64)");
    program(16, 16, 256, fp32 | 8u << 8, 0, 4096, 0);
    expect_refused(JobError::UnknownPolicy, "POLICY fp32-seq with a W field");
    program(16, 16, 256, regs::encode_policy(AccumPolicy::parse("blackwell-mma")), 0, 4096, 0);
    expect_refused(JobError::PolicyNotSupported, "POLICY blackwell-mma");
    // Start while busy: refused with busy; the running job finishes (done and error both set).
    program(64, 64, 1024, fp32, 0, 8192, 0);
    const uint32_t jobs0 = read32(regs::kJobsDone);
    write32(regs::kCtrl, 1);
    check(read32(regs::kStatus) == regs::kStatusBusy, "a valid job starts");
    write32(regs::kCtrl, 1);
    check(read32(regs::kStatus) == (regs::kStatusBusy | regs::kStatusError), "start while busy: STATUS busy + error");
    check(read32(regs::kError) == static_cast<uint32_t>(JobError::Busy), "start while busy: ERROR = busy");
    const uint32_t s = wait_done();
    check(s == (regs::kStatusDone | regs::kStatusError), "the running job finished (STATUS done + error)");
    check(read32(regs::kJobsDone) == jobs0 + 1, "only the first start ran");
  }

  void main() {
    if (mode == "cannot-feed") {  // regions inside their banks, but the layer plan refuses (tlm-small-banks.yaml)
      program(5, 4, 2048, regs::encode_policy(AccumPolicy::parse("fp32-seq")), 0, 640, 0);
      expect_refused(regs::JobError::ArrayCannotFeed, "5 x 4 x 2048 on banks that cannot feed the array");
      sc_core::sc_stop();
      return;
    }
    check(read32(regs::kId) == regs::kIdValue, "ID register reads 'NVF4'");
    check(regs::decode_policy(read32(regs::kPolicy)).name() == config.arch.array.accumulator.name(),
          "POLICY resets to the array's accumulator");
    run_job({40, 24, 512, "fp32-seq", 0, 0, 0, 2048, 0}, 11);
    run_job({33, 20, 384, "fixed:26:0", 1001, 777, 4001, 6003, 4096}, 21);
    refusals();
    sc_core::sc_stop();
  }
};

int sc_main(int argc, char** argv) {
  const std::string mode = argc == 4 ? argv[3] : "";
  if (argc != 4 || std::string(argv[2]) != "--expect" ||
      (mode != "exact" && mode != "corrupted" && mode != "detected" && mode != "cannot-feed")) {
    std::fprintf(stderr, "usage: %s CONFIG.yaml --expect exact|corrupted|detected|cannot-feed\n", argv[0]);
    return 2;
  }
  try {
    const SimConfig config = load_config(argv[1]);
    check(config.run.faults, "the configuration has faults on");
    const auto dataflow = make_dataflow(config.arch.array.dataflow);
    Accelerator acc("accelerator", config, *dataflow);
    acc.controller().stop_when_idle = false;
    Host host("host", config, mode);
    host.socket.bind(acc.socket);
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_SEC));
    for (int b = 0; b < kBankCount; ++b) {
      const ecc::MemoryReadCounts& c = acc.bank(static_cast<BankId>(b)).ecc_counts();
      std::printf("bank %-11s faulty cells %6lld; reads: raw bit errors %llu, corrected %llu, due %llu, silent %llu\n",
                  std::string(kBankNames[b]).c_str(),
                  static_cast<long long>(acc.bank(static_cast<BankId>(b)).memory().failing_cells()),
                  static_cast<unsigned long long>(c.raw_bit_errors), static_cast<unsigned long long>(c.corrected_bits),
                  static_cast<unsigned long long>(c.due_bits), static_cast<unsigned long long>(c.silent_bit_errors));
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  if (failures == 0) std::printf("all TLM GEMM host checks passed\n");
  return failures ? 1 : 0;
}

// sim_tlm_initiator: a small virtual-platform initiator drives the accelerator through its TLM-2.0 target socket
// (sim/model/register_map.hpp): identifies it, fills and reads back a bank memory, refuses out-of-range and K = 0
// requests, uses the debug transport (bank read / write, register read, register write refused), starts a GEMM
// through the control registers, polls STATUS and checks the reported cycles against the closed-form cycle model
// (compute = folds x (ceil(K/L) + R + C - 2 + P - 1) for os; stalls = cycles - compute).
// Usage: sim_tlm_initiator_test CONFIG.yaml. Exit 1 naming the first failed check.
#include <cstdio>
#include <cstring>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "numerics/error.hpp"
#include "sim/model/accelerator.hpp"
#include "sim/model/register_map.hpp"

using namespace nvfp4::sim;

namespace {
int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
  }
}
}  // namespace

struct Host : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Host> socket;
  const SimConfig& config;
  SC_HAS_PROCESS(Host);
  Host(sc_core::sc_module_name n, const SimConfig& c) : sc_module(n), socket("socket"), config(c) { SC_THREAD(main); }

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
    tlm::tlm_generic_payload t;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(len);
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
  uint32_t wait_done() {
    uint32_t s = 0;
    for (int i = 0; i < 100000; ++i) {
      s = read32(regs::kStatus);
      if (!(s & 1u)) break;
      wait(sc_core::sc_time(1, sc_core::SC_US));
    }
    return s;
  }

  void main() {
    check(read32(regs::kId) == regs::kIdValue, "ID register reads 'NVF4'");
    // Data memory: the weights bank window round-trips bytes.
    unsigned char pattern[64], back[64] = {};
    for (int i = 0; i < 64; ++i) pattern[i] = static_cast<unsigned char>(i * 37 + 5);
    const uint64_t wbase = regs::kBankBase + static_cast<uint64_t>(BankId::Weights) * regs::kBankStride;
    check(access(tlm::TLM_WRITE_COMMAND, wbase + 128, pattern, 64) == tlm::TLM_OK_RESPONSE, "bank write");
    check(access(tlm::TLM_READ_COMMAND, wbase + 128, back, 64) == tlm::TLM_OK_RESPONSE, "bank read");
    check(std::memcmp(pattern, back, 64) == 0, "bank memory returns what was written");
    // Debug transport: reads what b_transport reads, writes without time or counters; registers read only.
    {
      tlm::tlm_generic_payload t;
      unsigned char dbg[64] = {};
      t.set_command(tlm::TLM_READ_COMMAND);
      t.set_address(wbase + 128);
      t.set_data_ptr(dbg);
      t.set_data_length(64);
      check(socket->transport_dbg(t) == 64 && std::memcmp(dbg, pattern, 64) == 0, "debug read of the bank");
      for (unsigned char& c : dbg) c = static_cast<unsigned char>(c ^ 0x5A);
      t.set_command(tlm::TLM_WRITE_COMMAND);
      t.set_address(wbase + 256);
      check(socket->transport_dbg(t) == 64, "debug write of the bank");
      check(access(tlm::TLM_READ_COMMAND, wbase + 256, back, 64) == tlm::TLM_OK_RESPONSE &&
                std::memcmp(dbg, back, 64) == 0, "a bank read returns the debug write");
      uint32_t id = 0;
      t.set_command(tlm::TLM_READ_COMMAND);
      t.set_address(regs::kId);
      t.set_data_ptr(reinterpret_cast<unsigned char*>(&id));
      t.set_data_length(4);
      check(socket->transport_dbg(t) == 4 && id == regs::kIdValue, "debug read of the ID register");
      t.set_command(tlm::TLM_WRITE_COMMAND);
      t.set_address(regs::kCtrl);
      check(socket->transport_dbg(t) == 0, "a debug write to a register is refused");
    }
    const uint64_t wsize = static_cast<uint64_t>(config.arch.weights.size_kib * 1024);
    check(access(tlm::TLM_READ_COMMAND, wbase + wsize - 8, back, 16) == tlm::TLM_ADDRESS_ERROR_RESPONSE,
          "a read past the end of the bank is an address error");
    check(access(tlm::TLM_READ_COMMAND, 0x0F000000, back, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE,
          "an unmapped address is an address error");
    // K = 0 is refused with the error bit.
    write32(regs::kM, 8);
    write32(regs::kN, 8);
    write32(regs::kK, 0);
    write32(regs::kCtrl, 1);
    check(read32(regs::kStatus) == 4u, "K = 0 sets STATUS.error and starts nothing");
    // A real job.
    const uint32_t M = 37, N = 20, K = 208;  // K: a multiple of the block (ERROR k-not-block-multiple otherwise)
    write32(regs::kM, M);
    write32(regs::kN, N);
    write32(regs::kK, K);
    write32(regs::kBScales, 1024);  // A's 37 x 13 scale bytes sit at 0: B's must not overlap them
    write32(regs::kCtrl, 1);
    check(read32(regs::kStatus) & 1u, "STATUS.busy right after CTRL.start (ERROR " + std::to_string(read32(regs::kError)) + ")");
    const uint32_t s = wait_done();
    check(s == 2u, "STATUS.done after the job (got " + std::to_string(s) + ")");
    const uint64_t cycles = read32(regs::kCyclesLo) | (uint64_t{read32(regs::kCyclesHi)} << 32);
    const uint64_t stalls = read32(regs::kStallsLo) | (uint64_t{read32(regs::kStallsHi)} << 32);
    const ArraySpec& a = config.arch.array;
    const uint64_t folds = ((M + a.rows - 1) / a.rows) * ((N + a.cols - 1) / a.cols);
    const uint64_t compute = folds * ((K + a.lanes - 1) / a.lanes + a.rows + a.cols - 2 + a.pipeline_depth - 1);
    check(a.dataflow == "os", "this test's closed form is the os dataflow's");
    check(cycles - stalls == compute, "cycles - stalls = " + std::to_string(cycles - stalls) +
                                          ", closed-form compute cycles = " + std::to_string(compute));
    check(cycles >= compute && cycles > 0, "cycles cover the compute cycles");
    check(read32(regs::kJobsDone) == 1u, "one job done");
    std::printf("TLM job %ux%ux%u: %llu cycles (%llu compute, %llu stalls)\n", M, N, K,
                static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(compute),
                static_cast<unsigned long long>(stalls));
    sc_core::sc_stop();
  }
};

int sc_main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CONFIG.yaml\n", argv[0]);
    return 2;
  }
  try {
    const SimConfig config = load_config(argv[1]);
    const auto dataflow = make_dataflow(config.arch.array.dataflow);
    Accelerator acc("accelerator", config, *dataflow);
    acc.controller().stop_when_idle = false;
    Host host("host", config);
    host.socket.bind(acc.socket);
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_SEC));
    check(acc.bank(BankId::Weights).counts().write_words > 0, "the bank counted the data writes");
  } catch (const nvfp4::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  if (failures == 0) std::printf("all TLM checks passed\n");
  return failures ? 1 : 0;
}

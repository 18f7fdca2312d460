// Verilator harness shared by the test benches, in the style of Verilator's examples/make_tracing_c/sim_main.cpp:
// unique_ptr context and model, commandArgs first, VCD tracing switched on at run time (+trace or +trace=FILE.vcd),
// final() at the end, no exit(). Also the checker helpers: every comparison is of raw bits, and the first mismatch
// stops the bench with its index and both values.
#pragma once
#include <verilated.h>
#include <verilated_vcd_c.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include "rtl_models/verilated_bits.hpp"

namespace nvfp4::rtl_tb {

template <class Model>
class Harness {
 public:
  Harness(int argc, char** argv) : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->commandArgs(argc, argv);
    const std::string trace = ctx_->commandArgsPlusMatch("trace");  // "" when absent
    if (!trace.empty()) ctx_->traceEverOn(true);
    model_ = std::make_unique<Model>(ctx_.get(), "TOP");
    if (!trace.empty()) {
      vcd_ = std::make_unique<VerilatedVcdC>();
      model_->trace(vcd_.get(), 99);
      const auto eq = trace.find('=');
      const std::string path = eq == std::string::npos ? std::string("tb.vcd") : trace.substr(eq + 1);
      vcd_->open(path.c_str());
      std::printf("tracing to %s\n", path.c_str());
    }
  }
  ~Harness() {
    model_->final();
    if (vcd_) vcd_->close();
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  Model* operator->() { return model_.get(); }
  Model& model() { return *model_; }

  // Combinational model: one evaluation counts as one cycle.
  void eval() {
    model_->eval();
    dump();
    ++cycles_;
  }
  // Clocked model (clk_i): the falling half then the rising edge.
  void tick() {
    model_->clk_i = 1;
    model_->eval();
    dump();
    model_->clk_i = 0;
    model_->eval();
    dump();
    ++cycles_;
  }
  void settle() { model_->eval(); }  // combinational outputs after input changes, no time step
  uint64_t cycles() const { return cycles_; }

  void start_clock() { t0_ = std::chrono::steady_clock::now(); }
  // Prints simulated cycles and the simulation speed since start_clock().
  void report(const char* what, double macs = 0.0) const {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::printf("%s: simulated %llu cycles in %.3f s: %.3g cycles/s", what, static_cast<unsigned long long>(cycles_),
                s, s > 0 ? double(cycles_) / s : 0.0);
    if (macs > 0) std::printf(", %.3g MAC/s", s > 0 ? macs / s : 0.0);
    std::printf("\n");
  }

 private:
  void dump() {
    if (vcd_) vcd_->dump(ctx_->time());
    ctx_->timeInc(1);
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint64_t cycles_ = 0;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

// Counts checks; the first mismatch is printed with its index and both values, and later ones are not checked.
class Checker {
 public:
  bool same(const std::string& what, uint64_t index, uint64_t rtl, uint64_t model) {
    if (failed_) return false;
    if (rtl != model) {
      std::printf("MISMATCH %s at index %llu: rtl 0x%llx model 0x%llx\n", what.c_str(),
                  static_cast<unsigned long long>(index), static_cast<unsigned long long>(rtl),
                  static_cast<unsigned long long>(model));
      failed_ = true;
      return false;
    }
    ++matched_;
    return true;
  }
  void fail(const std::string& why) {
    if (!failed_) std::printf("FAIL %s\n", why.c_str());
    failed_ = true;
  }
  bool ok() const { return !failed_; }
  uint64_t matched() const { return matched_; }
  // Guard against trivially equal outputs: at least `min` of the matched values were non-zero.
  void require_nonzero(uint64_t nonzero, uint64_t min, const std::string& what) {
    if (nonzero < min) fail(what + ": only " + std::to_string(nonzero) + " non-zero outputs (want >= " + std::to_string(min) + ")");
  }
  int exit_code(const char* bench) const {
    std::printf("%s: %llu bit-exact checks, %s\n", bench, static_cast<unsigned long long>(matched_), ok() ? "PASS" : "FAIL");
    return ok() ? 0 : 1;
  }

 private:
  bool failed_ = false;
  uint64_t matched_ = 0;
};

using nvfp4::rtl::get_bits;
using nvfp4::rtl::put_bits;

inline int64_t sign_extend(uint64_t v, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  v &= (bits == 64) ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

}  // namespace nvfp4::rtl_tb

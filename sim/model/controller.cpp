#include "sim/model/controller.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/burst_extension.hpp"
#include "sim/model/cycle_time.hpp"
#include "sim/model/offchip_port_module.hpp"
#include "sim/model/sram_bank_module.hpp"

namespace nvfp4::sim {

Controller::Controller(sc_core::sc_module_name name, sc_core::sc_time clock, int64_t quantum_cycles,
                       std::array<const SramBankModule*, kBankCount> banks, const OffchipPortModule* offchip)
    : sc_module(name), offchip_socket("offchip_socket"), busy("busy"), layer("layer"), folds_done("folds_done"),
      clock_(clock), inverse_clock_(1.0 / static_cast<double>(clock.value())), compute_time_(clock), fold_time_(clock),
      banks_(banks), offchip_(offchip) {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(clock * static_cast<double>(quantum_cycles));
  qk_.reset();
  burst_ = new BurstExtension;  // owned by the payload (freed by its destructor); kept: no look-up per burst
  trans_.set_extension(burst_);
  SC_THREAD(run);
}

void Controller::enqueue(LayerJob job) {
  jobs_.push_back(std::move(job));
  job_added_.notify(sc_core::SC_ZERO_TIME);
}

// Inlined into the fold loop's functions (this file is their only user): one call less per burst.
__attribute__((always_inline)) inline sc_core::sc_time Controller::burst(int bank, uint64_t bits, bool write) {
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  if (bits == 0) return delay;
  burst_->bits = bits;
  burst_->pay_latency = false;
  trans_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  bank_sockets[bank]->b_transport(trans_, delay);
  return delay;
}

__attribute__((always_inline)) inline sc_core::sc_time Controller::offchip(uint64_t bits, bool pay_latency) {
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  if (bits == 0) return delay;
  burst_->bits = bits;
  burst_->pay_latency = pay_latency;
  trans_.set_command(tlm::TLM_READ_COMMAND);
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  offchip_socket->b_transport(trans_, delay);
  return delay;
}

ActionCounts Controller::snapshot() const {
  ActionCounts c;
  for (int i = 0; i < kBankCount; ++i) c.banks[i] = banks_[i]->counts();
  c.offchip_bits = offchip_->bits();
  return c;
}

namespace {
ActionCounts minus(const ActionCounts& after, const ActionCounts& before) {
  ActionCounts d;
  for (int i = 0; i < kBankCount; ++i) {
    d.banks[i].read_words = after.banks[i].read_words - before.banks[i].read_words;
    d.banks[i].write_words = after.banks[i].write_words - before.banks[i].write_words;
    d.banks[i].ecc_encodes = after.banks[i].ecc_encodes - before.banks[i].ecc_encodes;
    d.banks[i].ecc_decodes = after.banks[i].ecc_decodes - before.banks[i].ecc_decodes;
  }
  d.offchip_bits = after.offchip_bits - before.offchip_bits;
  return d;
}
}  // namespace

// Local cycle timeline of one layer. Streamed operand tiles are double-buffered: the fetch of a new tile may start
// once the tile before the current one is retired (when the current one came into use) and the port is free.
struct Controller::Timeline {
  explicit Timeline(int64_t start) : now(start), port_free(start), tile_since{start, start}, chunk_since(start) {}
  int64_t now, port_free;                // end of the last fold; when the off-chip port is free
  int64_t tile_in_use[2] = {-1, -1};     // streamed tile of each operand now in its bank
  int64_t tile_since[2];                 // when it came into use
  int64_t chunk_since;                   // when the chunk now in use came into use (its predecessor's buffer is free)
  bool latency_paid = false;             // the off-chip first-beat latency is paid once per layer
  // Outputs kept on chip (steady regime): finished outputs so far and the bits of the next layer's input written.
  int64_t finished = 0, kept_codes = 0, kept_scales = 0;
};

// One fold's traffic: bits per operand (0 activations, 1 weights) and the SRAM time spent filling banks.
struct Controller::FoldTraffic {
  uint64_t code[2] = {0, 0}, scale[2] = {0, 0};
  int64_t tile[2] = {0, 0};
  bool changed[2] = {false, false};      // a new tile of the operand came in for this fold
  sc_core::sc_time fill_time[3] = {sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME};  // A, W, S
  sc_core::sc_time out_time = sc_core::SC_ZERO_TIME;  // output bank time of chunked outputs / spilled partial sums
  // Chunked row stream (ws / is): chunk j holds rows [j c, j c + c) of the streamed operand (fetched again in every
  // fold: the tile does not stay in the bank) and, with chunked outputs, their partial sums of the previous K fold.
  bool spilled_in = false;               // partial sums of the previous K fold come back from off-chip memory
  bool chunk_fetch = false;              // chunks are fetched from off-chip memory
  int64_t out_row = 0;                   // output words per streamed row
  int64_t next_chunk_done = 0;           // when the next chunk's fetch completes
};

namespace {
constexpr int A = static_cast<int>(BankId::Activations), W = static_cast<int>(BankId::Weights),
              S = static_cast<int>(BankId::Scales), O = static_cast<int>(BankId::Outputs);

int64_t chunk_len(const LayerPlan& p, int64_t j) { return std::min(p.chunk_rows, p.stream_rows - j * p.chunk_rows); }
}  // namespace

int64_t Controller::cycles_of(const sc_core::sc_time& d, CyclesMemo& memo) const {
  // Each call site sees the same few delays fold after fold: its last one's cycles are kept.
  const uint64_t v = d.value(), c = clock_.value();
  if (v == memo.delay) return memo.cycles;
  // Whole clock periods (every bank delay, most off-chip ones): below 2^50 periods the product with the reciprocal
  // rounds to the quotient, and q x clock == d proves it is exact (no 64-bit division); otherwise as before: below 2^53
  // ticks the double quotient is exact for whole periods, so llround of it is the same number.
  int64_t cycles;
  if (v < (uint64_t{1} << 53)) {
    const auto q = static_cast<int64_t>(static_cast<double>(static_cast<int64_t>(v)) * inverse_clock_ + 0.5);
    if (static_cast<uint64_t>(q) * c == v) cycles = q;
    else if (v % c == 0) cycles = static_cast<int64_t>(v / c);
    else cycles = std::llround(d / clock_);
  } else {
    cycles = std::llround(d / clock_);
  }
  memo = {v, cycles};
  return cycles;
}

int64_t Controller::load_resident(const LayerPlan& p) {
  // Resident operands are loaded once (codes into their bank, block scales into the scales bank), unless they are on
  // chip already (steady regime: pinned weights, an input the previous layer wrote).
  const bool load_a = p.a_resident && !p.a_on_chip, load_b = p.b_resident && !p.b_pinned;
  const uint64_t res_a = load_a ? p.a_bits : 0, res_b = load_b ? p.b_bits : 0;
  const uint64_t res_s = (load_a ? p.a_scale_total_bits : 0) + (load_b ? p.b_scale_total_bits : 0);
  sc_core::sc_time prologue = offchip(res_a + res_b + res_s, true);
  prologue = std::max({prologue, burst(A, res_a, true), burst(W, res_b, true), burst(S, res_s, true)});
  CyclesMemo once;
  return cycles_of(prologue, once);
}

int64_t Controller::fetch(Timeline& tl, uint64_t bits, int64_t not_before) {
  const int64_t done = std::max(tl.port_free, not_before) + cycles_of(offchip(bits, !tl.latency_paid), fetch_cycles_);
  tl.latency_paid = true;
  tl.port_free = done;
  return done;
}

Controller::FoldTraffic Controller::fold_traffic(const LayerPlan& p, const FoldWork& w) const {
  FoldTraffic f;
  f.code[0] = static_cast<uint64_t>(w.a_elements * p.a_code_bits);
  f.code[1] = static_cast<uint64_t>(w.b_elements * p.b_code_bits);
  f.scale[0] = static_cast<uint64_t>(w.a_blocks * p.a_scale_bits);
  f.scale[1] = static_cast<uint64_t>(w.b_blocks * p.b_scale_bits);
  f.tile[0] = w.a_tile;
  f.tile[1] = w.b_tile;
  f.spilled_in = p.chunk_outputs && w.out_reads > 0;
  f.chunk_fetch = p.chunk_stream || f.spilled_in;
  f.out_row = p.stream_rows ? w.out_writes / p.stream_rows : 0;
  return f;
}

int64_t Controller::refill_tiles(const LayerPlan& p, FoldTraffic& f, Timeline& tl) {
  const bool resident[2] = {p.a_resident, p.b_resident};
  int64_t ready = tl.now;
  for (int op = 0; op < 2; ++op) {
    if (resident[op] || f.tile[op] == tl.tile_in_use[op] || (op == p.stream_op && p.chunk_stream)) continue;
    f.changed[op] = true;
    ready = std::max(ready, fetch(tl, f.code[op] + f.scale[op], tl.tile_since[op]));
    tl.tile_in_use[op] = f.tile[op];
    f.fill_time[op] += burst(op == 0 ? A : W, f.code[op], true);
    f.fill_time[2] += burst(S, f.scale[op], true);
  }
  return ready;
}

int64_t Controller::fetch_chunk(const LayerPlan& p, FoldTraffic& f, Timeline& tl, int64_t j) {
  const int64_t r = chunk_len(p, j);
  const int sop = p.stream_op;
  uint64_t bits = 0;
  if (p.chunk_stream) {
    const uint64_t c = f.code[sop] / p.stream_rows * r, sc = f.scale[sop] / p.stream_rows * r;
    f.fill_time[sop] += burst(sop == 0 ? A : W, c, true);
    f.fill_time[2] += burst(S, sc, true);
    bits += c + sc;
  }
  if (f.spilled_in) {
    const uint64_t ps = static_cast<uint64_t>(r * f.out_row * p.out_bits);
    f.out_time += burst(O, ps, true);
    bits += ps;
  }
  return fetch(tl, bits, tl.chunk_since);
}

int64_t Controller::stream_chunks(const LayerPlan& p, FoldTraffic& f, Timeline& tl, int64_t fold_start) {
  // Rows enter the array one per cycle; chunk j starts when chunk j - 1 is through and chunk j has arrived.
  const int64_t chunks = p.chunks();
  if (chunks <= 1) return fold_start + p.stream_rows;
  int64_t s = fold_start;
  for (int64_t j = 0; j < chunks; ++j) {
    if (f.chunk_fetch) {
      s = std::max(s, f.next_chunk_done);
      tl.chunk_since = s;
      if (j + 1 < chunks) f.next_chunk_done = fetch_chunk(p, f, tl, j + 1);
    }
    s += chunk_len(p, j);
    if (p.chunk_outputs && j + 1 < chunks) {  // this chunk's outputs / partial sums leave behind the stream
      const uint64_t ob = static_cast<uint64_t>(chunk_len(p, j) * f.out_row * p.out_bits);
      f.out_time += burst(O, ob, false);
      tl.port_free = std::max(tl.port_free, s) + cycles_of(offchip(ob, false), drain_cycles_);
    }
  }
  return s;
}

uint64_t Controller::drained_bits(const LayerPlan& p, const FoldWork& w, const FoldTraffic& f) const {
  // What leaves after the fold: its finished outputs, or with chunked outputs the last chunk's outputs / sums.
  if (!(w.final_k || p.chunk_outputs)) return 0;
  if (p.chunk_outputs) return static_cast<uint64_t>(chunk_len(p, p.chunks() - 1) * f.out_row * p.out_bits);
  return static_cast<uint64_t>(w.out_writes * p.out_bits);
}

void Controller::keep_outputs(const LayerPlan& p, FoldTraffic& f, Timeline& tl, uint64_t out_off) {
  // Kept on chip: the finished outputs are quantized into the activation / scales banks as the next layer's stored
  // input, pro rata in whole words (a word is written once it is full), the rest with the last outputs.
  const int64_t outputs = p.dims.M * p.dims.N;
  tl.finished += static_cast<int64_t>(out_off / p.out_bits);
  auto due = [&](int64_t total, int bank) {
    const int64_t word = banks_[bank]->config().word_bits;
    return tl.finished == outputs ? total : total * tl.finished / outputs / word * word;
  };
  const int64_t codes = due(p.next_a_bits, A) - tl.kept_codes, scales = due(p.next_a_scale_bits, S) - tl.kept_scales;
  tl.kept_codes += codes;
  tl.kept_scales += scales;
  f.fill_time[0] += burst(A, static_cast<uint64_t>(codes), true);
  f.fill_time[2] += burst(S, static_cast<uint64_t>(scales), true);
}

int64_t Controller::fold_cycles(const LayerPlan& p, const FoldWork& w, const FoldTraffic& f, int64_t stream_cycles,
                                uint64_t out_off) {
  // Compute (plus waits for chunks), bounded by each SRAM port (the fold's reads plus fills and output traffic).
  sc_core::sc_time busy_time = compute_time_(w.compute_cycles + stream_cycles - p.stream_rows);
  busy_time = std::max(busy_time, burst(A, f.code[0], false) + f.fill_time[0]);
  busy_time = std::max(busy_time, burst(W, f.code[1], false) + f.fill_time[1]);
  busy_time = std::max(busy_time, burst(S, f.scale[0] + f.scale[1], false) + f.fill_time[2]);
  busy_time = std::max(busy_time, burst(O, w.out_writes * p.out_bits, true) +
                                      burst(O, w.out_reads * p.out_bits, false) + burst(O, out_off, false) +
                                      f.out_time);
  return cycles_of(busy_time, busy_cycles_);
}

void Controller::run_fold(const LayerPlan& p, const FoldWork& w, Timeline& tl) {
  FoldTraffic f = fold_traffic(p, w);
  int64_t fold_start = refill_tiles(p, f, tl);
  if (p.chunks() > 1 && f.chunk_fetch) fold_start = std::max(fold_start, f.next_chunk_done = fetch_chunk(p, f, tl, 0));
  for (int op = 0; op < 2; ++op)
    if (f.changed[op]) tl.tile_since[op] = fold_start;
  const int64_t stream_end = stream_chunks(p, f, tl, fold_start);
  const uint64_t out_off = drained_bits(p, w, f);
  if (out_off && p.out_on_chip) keep_outputs(p, f, tl, out_off);
  const int64_t fold_end = fold_start + fold_cycles(p, w, f, stream_end - fold_start, out_off);
  // Finished outputs drain to off-chip memory behind the next folds (unless they stay on chip).
  if (out_off && !p.out_on_chip)
    tl.port_free = std::max(tl.port_free, fold_end) + cycles_of(offchip(out_off, false), drain_cycles_);
  qk_.inc(fold_time_(fold_end - tl.now));
  tl.now = fold_end;
}

LayerTiming Controller::run_layer(const LayerJob& job) {
  const LayerPlan& p = job.plan;
  LayerTiming t;
  const ActionCounts before = snapshot();
  t.start_ns = (sc_core::sc_time_stamp() + qk_.get_local_time()).to_seconds() * 1e9;
  t.prologue_cycles = load_resident(p);
  Timeline tl(t.prologue_cycles);
  const std::unique_ptr<FoldWalker> folds = p.folds > 0 ? p.dataflow->walk(p.dims, p.geometry, p.order) : nullptr;
  for (int64_t i = 0; i < p.folds; ++i) {
    const FoldWork w = folds->next();
    if (job.on_fold) job.on_fold(i, w);
    run_fold(p, w, tl);
    t.compute_cycles += w.compute_cycles;
    t.macs += w.macs;
    if (qk_.need_sync()) {
      folds_done.write(total_folds_ + static_cast<uint64_t>(i + 1));
      qk_.sync();
    }
  }
  const int64_t end = std::max(tl.now, tl.port_free);  // the last outputs leave the chip
  qk_.inc(cycles_time(clock_, end - tl.now));
  t.folds = p.folds;
  total_folds_ += static_cast<uint64_t>(p.folds);
  t.cycles = end;
  t.stall_cycles = t.cycles - t.compute_cycles;
  t.end_ns = (sc_core::sc_time_stamp() + qk_.get_local_time()).to_seconds() * 1e9;
  t.counts = minus(snapshot(), before);
  t.counts.cycles = static_cast<uint64_t>(t.cycles);
  qk_.sync();  // layer boundaries are exact in SystemC time
  return t;
}

void Controller::run() {
  for (;;) {
    while (jobs_.empty()) {
      busy.write(false);
      if (stop_when_idle) return;
      wait(job_added_);
    }
    LayerJob job = std::move(jobs_.front());
    jobs_.pop_front();
    running_ = true;
    busy.write(true);
    layer.write(static_cast<uint32_t>(results_.size()));
    if (job.compute) job.compute();
    results_.push_back(run_layer(job));
    running_ = false;
    if (on_layer_done) on_layer_done(results_.size());
  }
}

}  // namespace nvfp4::sim

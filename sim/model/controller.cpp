#include "sim/model/controller.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/burst_extension.hpp"
#include "sim/model/offchip_port_module.hpp"
#include "sim/model/sram_bank_module.hpp"

namespace nvfp4::sim {

Controller::Controller(sc_core::sc_module_name name, sc_core::sc_time clock, int64_t quantum_cycles,
                       std::array<const SramBankModule*, kBankCount> banks, const OffchipPortModule* offchip)
    : sc_module(name), offchip_socket("offchip_socket"), busy("busy"), layer("layer"), folds_done("folds_done"),
      clock_(clock), banks_(banks), offchip_(offchip) {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(clock * static_cast<double>(quantum_cycles));
  qk_.reset();
  trans_.set_extension(new BurstExtension);  // owned by the payload (freed by its destructor)
  SC_THREAD(run);
}

void Controller::enqueue(LayerJob job) {
  jobs_.push_back(std::move(job));
  job_added_.notify(sc_core::SC_ZERO_TIME);
}

sc_core::sc_time Controller::burst(int bank, uint64_t bits, bool write) {
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  if (bits == 0) return delay;
  auto* ext = trans_.get_extension<BurstExtension>();
  ext->bits = bits;
  ext->pay_latency = false;
  trans_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  bank_sockets[bank]->b_transport(trans_, delay);
  return delay;
}

sc_core::sc_time Controller::offchip(uint64_t bits, bool pay_latency) {
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  if (bits == 0) return delay;
  auto* ext = trans_.get_extension<BurstExtension>();
  ext->bits = bits;
  ext->pay_latency = pay_latency;
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

LayerTiming Controller::run_layer(const LayerPlan& p) {
  constexpr int A = static_cast<int>(BankId::Activations), W = static_cast<int>(BankId::Weights),
                S = static_cast<int>(BankId::Scales), O = static_cast<int>(BankId::Outputs);
  LayerTiming t;
  const ActionCounts before = snapshot();
  t.start_ns = (sc_core::sc_time_stamp() + qk_.get_local_time()).to_seconds() * 1e9;
  auto cycles_of = [this](const sc_core::sc_time& d) { return std::llround(d / clock_); };

  // Prologue: resident operands are loaded once (codes into their bank, block scales into the scales bank), unless
  // they are on chip already (steady regime: pinned weights, an input the previous layer wrote).
  const bool load_a = p.a_resident && !p.a_on_chip, load_b = p.b_resident && !p.b_pinned;
  const uint64_t res_a = load_a ? p.a_bits : 0, res_b = load_b ? p.b_bits : 0;
  const uint64_t res_s = (load_a ? p.a_scale_total_bits : 0) + (load_b ? p.b_scale_total_bits : 0);
  sc_core::sc_time prologue = offchip(res_a + res_b + res_s, true);
  prologue = std::max({prologue, burst(A, res_a, true), burst(W, res_b, true), burst(S, res_s, true)});
  t.prologue_cycles = cycles_of(prologue);

  // Local cycle timeline of the layer. Streamed operand tiles are double-buffered: the fetch of a new tile may start
  // once the tile before the current one is retired (when the current one came into use) and the port is free.
  int64_t now = t.prologue_cycles, port_free = now;
  int64_t tile_in_use[2] = {-1, -1}, tile_since[2] = {now, now};
  bool latency_paid = false;
  const bool resident[2] = {p.a_resident, p.b_resident};
  const Dataflow& df = *p.dataflow;
  const int sop = p.stream_op;
  const int64_t chunks = p.chunks();
  int64_t chunk_since = now;  // when the chunk now in use came into use (its predecessor's buffer is free then)
  // Outputs kept on chip (steady): the next layer's stored input is written as finished outputs come, pro rata.
  const int64_t outputs = p.dims.M * p.dims.N;
  int64_t finished = 0, kept_codes = 0, kept_scales = 0;
  auto fetch = [&](uint64_t bits, int64_t not_before) {  // an off-chip read on the shared port; returns when done
    const int64_t done = std::max(port_free, not_before) + cycles_of(offchip(bits, !latency_paid));
    latency_paid = true;
    port_free = done;
    return done;
  };
  for (int64_t i = 0; i < p.folds; ++i) {
    const FoldWork w = df.fold(p.dims, p.geometry, i, p.order);
    const uint64_t code[2] = {static_cast<uint64_t>(w.a_elements * p.a_code_bits),
                              static_cast<uint64_t>(w.b_elements * p.b_code_bits)};
    const uint64_t scale[2] = {static_cast<uint64_t>(w.a_blocks * p.a_scale_bits),
                               static_cast<uint64_t>(w.b_blocks * p.b_scale_bits)};
    const int64_t tile[2] = {w.a_tile, w.b_tile};
    int64_t ready = now;
    sc_core::sc_time fill_time[3] = {sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME};
    sc_core::sc_time out_time = sc_core::SC_ZERO_TIME;
    bool changed[2] = {false, false};
    for (int op = 0; op < 2; ++op) {
      if (resident[op] || tile[op] == tile_in_use[op] || (op == sop && p.chunk_stream)) continue;
      changed[op] = true;
      ready = std::max(ready, fetch(code[op] + scale[op], tile_since[op]));
      tile_in_use[op] = tile[op];
      fill_time[op] += burst(op == 0 ? A : W, code[op], true);
      fill_time[2] += burst(S, scale[op], true);
    }
    // Chunked row stream (ws / is): chunk j holds rows [j c, j c + c) of the streamed operand (fetched again in every
    // fold: the tile does not stay in the bank) and, with chunked outputs, their partial sums of the previous K fold.
    const bool spilled_in = p.chunk_outputs && w.out_reads > 0;
    const bool chunk_fetch = p.chunk_stream || spilled_in;
    const int64_t rows = p.stream_rows, out_row = rows ? w.out_writes / rows : 0;
    auto chunk_len = [&](int64_t j) { return std::min(p.chunk_rows, rows - j * p.chunk_rows); };
    auto fetch_chunk = [&](int64_t j) {
      const int64_t r = chunk_len(j);
      uint64_t bits = 0;
      if (p.chunk_stream) {
        const uint64_t c = code[sop] / rows * r, sc = scale[sop] / rows * r;
        fill_time[sop] += burst(sop == 0 ? A : W, c, true);
        fill_time[2] += burst(S, sc, true);
        bits += c + sc;
      }
      if (spilled_in) {
        const uint64_t ps = static_cast<uint64_t>(r * out_row * p.out_bits);
        out_time += burst(O, ps, true);
        bits += ps;
      }
      return fetch(bits, chunk_since);
    };
    int64_t next_done = 0;
    if (chunks > 1 && chunk_fetch) ready = std::max(ready, next_done = fetch_chunk(0));
    const int64_t fold_start = ready;
    for (int op = 0; op < 2; ++op)
      if (changed[op]) tile_since[op] = fold_start;
    // Rows enter the array one per cycle; chunk j starts when chunk j - 1 is through and chunk j has arrived.
    int64_t stream_end = fold_start + rows;
    if (chunks > 1) {
      int64_t s = fold_start;
      for (int64_t j = 0; j < chunks; ++j) {
        if (chunk_fetch) {
          s = std::max(s, next_done);
          chunk_since = s;
          if (j + 1 < chunks) next_done = fetch_chunk(j + 1);
        }
        s += chunk_len(j);
        if (p.chunk_outputs && j + 1 < chunks) {  // this chunk's outputs / partial sums leave behind the stream
          const uint64_t ob = static_cast<uint64_t>(chunk_len(j) * out_row * p.out_bits);
          out_time += burst(O, ob, false);
          port_free = std::max(port_free, s) + cycles_of(offchip(ob, false));
        }
      }
      stream_end = s;
    }
    // What leaves after the fold: its finished outputs, or with chunked outputs the last chunk's outputs / sums.
    const bool drains = w.final_k || p.chunk_outputs;
    const uint64_t out_off = !drains ? 0
                             : p.chunk_outputs ? static_cast<uint64_t>(chunk_len(chunks - 1) * out_row * p.out_bits)
                                               : static_cast<uint64_t>(w.out_writes * p.out_bits);
    if (p.out_on_chip && out_off) {  // kept on chip: quantized into the activation / scales banks, pro rata
      finished += static_cast<int64_t>(out_off / p.out_bits);
      // Whole words as the outputs come (a word is written once it is full), the rest with the last outputs.
      auto due = [&](int64_t total, int bank) {
        const int64_t word = banks_[bank]->config().word_bits;
        return finished == outputs ? total : total * finished / outputs / word * word;
      };
      const int64_t codes = due(p.next_a_bits, A) - kept_codes, scales = due(p.next_a_scale_bits, S) - kept_scales;
      kept_codes += codes;
      kept_scales += scales;
      fill_time[0] += burst(A, static_cast<uint64_t>(codes), true);
      fill_time[2] += burst(S, static_cast<uint64_t>(scales), true);
    }
    // Within the fold: compute (plus waits for chunks), bounded by the SRAM ports (the fold's reads plus fills).
    sc_core::sc_time busy_time = clock_ * static_cast<double>(w.compute_cycles + stream_end - fold_start - rows);
    busy_time = std::max(busy_time, burst(A, code[0], false) + fill_time[0]);
    busy_time = std::max(busy_time, burst(W, code[1], false) + fill_time[1]);
    busy_time = std::max(busy_time, burst(S, scale[0] + scale[1], false) + fill_time[2]);
    busy_time = std::max(busy_time, burst(O, w.out_writes * p.out_bits, true) +
                                        burst(O, w.out_reads * p.out_bits, false) + burst(O, out_off, false) +
                                        out_time);
    const int64_t fold_end = fold_start + cycles_of(busy_time);
    // Finished outputs drain to off-chip memory behind the next folds.
    if (out_off && !p.out_on_chip) port_free = std::max(port_free, fold_end) + cycles_of(offchip(out_off, false));
    t.compute_cycles += w.compute_cycles;
    t.macs += w.macs;
    qk_.inc(clock_ * static_cast<double>(fold_end - now));
    now = fold_end;
    if (qk_.need_sync()) {
      folds_done.write(total_folds_ + static_cast<uint64_t>(i + 1));
      qk_.sync();
    }
  }
  const int64_t end = std::max(now, port_free);  // the last outputs leave the chip
  qk_.inc(clock_ * static_cast<double>(end - now));
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
    results_.push_back(run_layer(job.plan));
    running_ = false;
    if (on_layer_done) on_layer_done(results_.size());
  }
}

}  // namespace nvfp4::sim

#include "sim/run/simulation.hpp"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include "sim/config/bank_protection.hpp"
#include "lut/actions.hpp"
#include "lut/lut_storage.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/memory_budget.hpp"
#include "numerics/quantize.hpp"
#include "sim/model/accelerator.hpp"
#include "sim/model/idle_initiator.hpp"
#include "sim/run/memory_need.hpp"
#include "sim/run/numerics_pool.hpp"
#include "sim/run/progress_bar.hpp"
#include "sim/run/streamed_weights.hpp"
#include "sim/run/zero_operands.hpp"

namespace nvfp4::sim {

ActionCounts datapath_actions(const GemmDims& d, const ArraySpec& a) {
  // Every output is one dot product of length K on one engine: lut's closed form, scaled per layer (not per MAC).
  const lut::EngineActions dot = lut::dot_actions(a.lanes, a.block, d.K);
  const uint64_t outputs = static_cast<uint64_t>(d.M * d.N);
  ActionCounts c;
  c.lane_multiplies = outputs * dot.lane_multiplies;
  c.adder_tree_adds = outputs * dot.adder_tree_adds;
  c.scale_unit_ops = outputs * dot.scale_unit_ops;
  c.accumulator_updates = outputs * dot.accumulator_updates;
  return c;
}

namespace {
double process_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}
double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}
}  // namespace

Simulation::Simulation(SimConfig config, std::vector<Layer> layers, std::string workload_path)
    : config_(std::move(config)), layers_(std::move(layers)),
      workload_dir_(std::filesystem::path(workload_path).parent_path().string()) {}

Simulation::~Simulation() = default;

void Simulation::validate(const std::string& memory_budget, bool save_outputs) {
  const std::string& file = config_.source_file;
  check_memory_budget(sram_memory_bytes(config_.arch), file + ": the SRAM banks (architecture.sram.*.size_kib)",
                      memory_budget);
  faults_ = make_fault_setup(config_);  // before the energy model, which needs the preset too: the message names the key
  const ArraySpec& arr = config_.arch.array;
  if (lut::parse_lut_storage(arr.lut_storage).voltage_faults && arr.lut_voltage_v > faults_.nominal_v + 1e-12)
    throw Error(file + ": key 'architecture.array.lut_voltage_v': " + std::to_string(arr.lut_voltage_v) +
                " V is above the nominal " + std::to_string(faults_.nominal_v) + " V of SRAM technology '" +
                config_.arch.sram_technology + "' (lut_storage sram)");
  energy_ = std::make_unique<EnergyModel>(config_, TechTable::load(config_.arch.technology));
  if (config_.run.float_reference) open_float_reference_library();  // a missing OpenBLAS is named before any work
  for (int i = 0; i < kBankCount; ++i) {
    const SramBankConfig& b = bank_config(config_.arch, static_cast<BankId>(i));
    if (b.voltage_v > faults_.nominal_v + 1e-12)
      throw Error(file + ": key 'architecture.sram." + b.name + ".voltage_v': " + std::to_string(b.voltage_v) +
                  " V is above the nominal " + std::to_string(faults_.nominal_v) + " V of SRAM technology '" +
                  config_.arch.sram_technology + "'");
  }
  // Probe the energy model once so a missing technology-table row is reported now, not mid-run.
  try {
    energy_->energy_pj(ActionCounts{});
    energy_->area_um2();
  } catch (const Error& e) {
    const ArraySpec& x = config_.arch.array;
    throw Error(file + ": cannot price this design (multiplier '" + x.multiplier + "', " +
                std::string(to_string(x.weight_format)) + " weights, accumulator " + x.accumulator.name() + "): " +
                e.what() + "; add the row to the technology table or choose a configuration it has");
  }

  // Sizes before work, O(layers log layers): each layer alone with the SRAM bank models, then the whole run: the
  // banks, the outputs kept to the end (--save-outputs) and the `threads` largest layers computed at once (the pool).
  const double banks = sram_memory_bytes(config_.arch);
  double kept = banks;
  std::vector<double> needs;
  for (const Layer& l : layers_) {
    needs.push_back(layer_memory_bytes(l, config_));
    check_memory_budget(banks + needs.back(),
                        l.where + ": layer '" + l.name + "' (M=" + std::to_string(l.M) + ", N=" + std::to_string(l.N) +
                            ", K=" + std::to_string(l.K) + ")",
                        memory_budget);
    if (save_outputs) kept += saved_output_bytes(l);
  }
  const size_t together = std::min(needs.size(), static_cast<size_t>(std::max<int64_t>(1, config_.run.threads)));
  std::partial_sort(needs.begin(), needs.begin() + static_cast<std::ptrdiff_t>(together), needs.end(),
                    std::greater<>());
  for (size_t i = 0; i < together; ++i) kept += needs[i];
  check_memory_budget(kept, file + ": the run (SRAM bank models, " + std::to_string(together) +
                                " largest layers at once for " + std::to_string(config_.run.threads) + " thread(s)" +
                                (save_outputs ? ", every layer's output kept by --save-outputs)" : ")"),
                      memory_budget);

  dataflow_ = make_dataflow(config_.arch.array.dataflow);  // the run's one Dataflow: plans and model share it
  plans_.clear();
  const bool steady = config_.run.steady();
  for (const Layer& l : layers_) {
    const int64_t stored = steady ? stored_input_elements(l, config_.arch.array.block) : 0;
    plans_.push_back(plan_layer(l.name, l.where, GemmDims{l.M, l.N, l.K}, config_, *dataflow_,
                                stored != l.M * l.K ? stored : 0));
    workload::check_layer_sources(l, config_.workload.activations, config_.workload.weights, workload_dir_);
  }
  steady_ = SteadyState{};
  steady_.residency = plan_residency(layers_, plans_, config_);
  lut_ = read_back_lut(config_, faults_);  // persistent: the same faulty entries for every layer
  validated_ = true;
}

void Simulation::compute_layer(size_t i, const RunControl& control) {
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_seconds();
  const Layer& l = layers_[i];
  LayerResult& r = results_[i];
  std::vector<float> reference;
  const std::vector<int64_t> ref_rows = reference_rows(l.M, config_.run.float_reference_rows);
  QuantizedTensor a, b;
  {
    const WorkloadOptions& w = config_.workload;
    const int64_t index = static_cast<int64_t>(i);
    // Without the float reference, generated operands are quantized as they are drawn (a conv's activations as the
    // feature map, lowered as codes): the same bits with fewer passes; the reference needs the floats.
    const bool ref = config_.run.float_reference;
    std::optional<QuantizedTensor> qa;
    if (!ref)
      qa = workload::quantize_generated_operand(l, index, 0, w.activations, w.weights, w.seed,
                                                config_.activation_spec());
    const std::vector<float> fa = qa ? std::vector<float>{}
                                     : workload::make_operand(l, index, 0, w.activations, w.weights, workload_dir_,
                                                              w.seed);
    a = qa ? std::move(*qa) : quantize(fa.data(), l.M, l.K, config_.activation_spec());
    std::optional<QuantizedTensor> qb;
    if (!ref && !streams_weights(l, config_))
      qb = workload::quantize_generated_operand(l, index, 1, w.activations, w.weights, w.seed,
                                                config_.weight_spec());
    if (qb) {
      b = std::move(*qb);
    } else if (streams_weights(l, config_)) {  // an LLM head: never held as floats
      const std::vector<float> picked = ref ? pick_rows(fa, ref_rows, l.K) : std::vector<float>{};
      b = quantize_streamed(*workload::operand_stream(l, index, 1, w.activations, w.weights, w.seed), l.N, l.K,
                            config_.weight_spec(), ref ? &picked : nullptr, ref ? &reference : nullptr);
    } else {
      const std::vector<float> fb =
          workload::make_operand(l, index, 1, w.activations, w.weights, workload_dir_, w.seed);
      b = quantize(fb.data(), l.N, l.K, config_.weight_spec());
      if (config_.run.float_reference) reference = float_gemm_rows(fa, fb, ref_rows, l.N, l.K);
    }
  }  // the float tensors (the largest buffers of a layer) are freed before the fault copies are made
  a = read_back_operand(std::move(a), config_, faults_, static_cast<int64_t>(i), 0, r.faults);  // in place
  b = read_back_operand(std::move(b), config_, faults_, static_cast<int64_t>(i), 1, r.faults);
  r.zero_operand_products = zero_operand_products(a, b);  // as read back: after fault injection
  r.operands_observed = true;
  std::vector<float> d(static_cast<size_t>(l.M * l.N));
  gemm_into(a, b, config_.arch.array.accumulator, d.data(), 1);
  // One engine thread per layer when layers already run on a pool; else every core on this layer.
  const int engine_threads =
      config_.run.threads > 1 ? 1 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (lut_.table) {  // faulty product tables: the engines' lanes read them; the golden GEMM shows what they changed
    std::vector<float> engine = engine_gemm(a, b, config_.arch.array, engine_threads, lut_.table);
    const DatapathCheck diff = compare_datapath(engine, d, l.N);
    r.lut_changed_outputs = diff.mismatches;
    d = std::move(engine);
  } else if (control.datapath == Datapath::Engine) {  // the engine's outputs are the layer's; the golden GEMM checks them
    std::vector<float> engine = engine_gemm(a, b, config_.arch.array, engine_threads);
    r.datapath = compare_datapath(engine, d, l.N);
    d = std::move(engine);
  }
  if (config_.run.float_reference) {
    r.sqnr = sqnr_rows(reference, d, ref_rows, l.M, l.N);
    r.has_sqnr = true;
  }
  if (control.folds && control.folds->wants(i)) control.folds->operands(i, a, b, d);
  if (control.observe) observed_[i] = Observed{std::move(a), std::move(b), d};
  if (control.save_outputs) r.output = std::move(d);
  r.host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.host_cpu_seconds = thread_cpu_seconds() - cpu0;
}

// The controller's hook for layer i (SystemC thread, layers in order): its numerics are done (computed here with one
// thread, else waited for), and the observer sees them in layer order.
void Simulation::finish_layer_numerics(size_t i, const RunControl& control, NumericsPool* pool) {
  if (pool) {
    pool->wait(i);
  } else {
    compute_layer(i, control);
  }
  if (control.observe) {
    const Observed& o = *observed_[i];
    control.observe(i, o.a, o.b, o.d);
    observed_[i].reset();
  }
}

void Simulation::run(const RunControl& control) {
  if (!validated_) validate();
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu_seconds();
  results_.assign(layers_.size(), LayerResult{});
  Accelerator top("accelerator", config_, *dataflow_);
  IdleInitiator host("host");
  host.socket.bind(top.socket);
  sc_core::sc_trace_file* trace = nullptr;
  if (!control.vcd_path.empty()) {
    trace = sc_core::sc_create_vcd_trace_file(control.vcd_path.c_str());
    trace->set_time_unit(1, sc_core::SC_NS);
    sc_core::sc_trace(trace, top.controller().busy, "busy");
    sc_core::sc_trace(trace, top.controller().layer, "layer");
    sc_core::sc_trace(trace, top.controller().folds_done, "folds_done");
    if (control.folds) control.folds->trace(trace);
  }
  ProgressBar bar(layers_.size(), control.progress);
  // Steady regime: the pinned weights are loaded once, before the first inference (a job of its own, no folds).
  const size_t first = steady_.residency.pinned_weight_bits > 0 ? 1 : 0;
  if (first) {
    LayerPlan load;
    load.name = "pinned weights load";
    load.dataflow = dataflow_.get();
    load.b_resident = true;
    load.b_bits = steady_.residency.pinned_weight_bits;
    load.b_scale_total_bits = steady_.residency.pinned_scale_bits;
    top.controller().enqueue(LayerJob{load, {}, {}});
  }
  top.controller().on_layer_done = [&](size_t done) {
    if (done > first) bar.update(done - first, layers_[done - first - 1].name);
  };
  // Numerics: on the SystemC thread (threads = 1), or on a pool of workers, largest layers first; SystemC time is
  // single-threaded either way and does not depend on the numerics.
  observed_.assign(layers_.size(), std::nullopt);
  std::unique_ptr<NumericsPool> pool;
  if (config_.run.threads > 1) {
    std::vector<int64_t> M, N, K;
    for (const Layer& l : layers_) M.push_back(l.M), N.push_back(l.N), K.push_back(l.K);
    pool = std::make_unique<NumericsPool>(largest_first(M, N, K), static_cast<int>(config_.run.threads),
                                          [this, &control](size_t i) { compute_layer(i, control); });
  }
  for (size_t i = 0; i < layers_.size(); ++i) {
    LayerJob job{plans_[i], [this, i, &control, &pool] { finish_layer_numerics(i, control, pool.get()); }, {}};
    if (control.folds && control.folds->wants(i)) {
      const int64_t folds = plans_[i].folds;
      job.on_fold = [&control, i, folds](int64_t f, const FoldWork& w) { control.folds->fold(i, f, folds, w); };
    }
    top.controller().enqueue(std::move(job));
  }
  sc_core::sc_start();
  pool.reset();
  if (trace) sc_core::sc_close_vcd_trace_file(trace);
  bar.finish();
  const auto& timing = top.controller().results();
  if (timing.size() != layers_.size() + first) throw Error("internal: the controller finished " +
                                                           std::to_string(timing.size()) + " of " +
                                                           std::to_string(layers_.size() + first) + " jobs");
  uint64_t inference_cycles = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    LayerResult& r = results_[i];
    r.timing = timing[i + first];
    r.counts = datapath_actions(GemmDims{layers_[i].M, layers_[i].N, layers_[i].K}, config_.arch.array);
    if (r.operands_observed) {
      r.counts.lane_multiplies_observed = r.counts.lane_multiplies;
      r.counts.lane_multiplies_zero_operand = r.zero_operand_products;
    }
    r.counts += timing[i + first].counts;
    r.energy_pj = energy_->energy_pj(r.counts);
    inference_cycles += static_cast<uint64_t>(r.timing.cycles);
  }
  if (first) {
    steady_.load.timing = timing[0];
    steady_.load.counts = timing[0].counts;
  }
  // The product tables' load (latch / SRAM storage; sim/model/residency.hpp): once with the pinned weights (steady), or
  // before every inference, charged to its first layer (cold). Energy only: its cycles are not simulated.
  const LutLoad& lut_load = steady_.residency.lut;
  ActionCounts lut_counts;
  lut_counts.offchip_bits = static_cast<uint64_t>(lut_load.image_bits);
  lut_counts.lut_words_written = static_cast<uint64_t>(lut_load.words_written);
  if (lut_load.when == "once") steady_.load.counts += lut_counts;
  if (lut_load.when == "per-inference" && !results_.empty()) {
    results_[0].counts += lut_counts;
    results_[0].energy_pj = energy_->energy_pj(results_[0].counts);
  }
  steady_.load.energy_pj = energy_->energy_pj(steady_.load.counts);  // zeros when nothing is pinned
  // Retention: the banks holding pinned data stay powered between inferences (the rest is power-gated).
  steady_.inference_seconds = static_cast<double>(inference_cycles) / (config_.arch.clock_mhz * 1e6);
  if (config_.run.steady()) {
    steady_.retention_power_uw =
        (steady_.residency.pinned_weight_bits ? energy_->bank_leakage_uw(BankId::Weights) : 0) +
        (steady_.residency.pinned_scale_bits ? energy_->bank_leakage_uw(BankId::Scales) : 0) +
        (lut_load.when == "once" ? energy_->lut_storage().leakage_uw : 0);  // the pinned product tables
    if (config_.run.inference_rate_hz > 0) {
      const double period = 1.0 / config_.run.inference_rate_hz;
      steady_.rate_met = period >= steady_.inference_seconds;
      steady_.idle_seconds = std::max(0.0, period - steady_.inference_seconds);
    }
    steady_.retention_pj = steady_.retention_power_uw * steady_.idle_seconds * 1e6;  // uW x s -> pJ
  }
  host_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  host_cpu_seconds_ = process_cpu_seconds() - cpu0;
}

}  // namespace nvfp4::sim

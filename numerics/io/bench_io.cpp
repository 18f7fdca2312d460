// Throughput of the tensor files (Google Benchmark; `cmake --build build --target bench`): .npy write/read of a
// 64 MiB float32 array, stored .npz write/read, and the quantized-tensor file of a 4096 x 4096 NVFP4 tensor.
// Files go to the system temp folder (page cache: this measures the code, not the disk).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"

namespace {

std::string temp_file(const char* name) {
  return (std::filesystem::temp_directory_path() / ("nvfp4-bench-" + std::to_string(::getpid()) + "-" + name)).string();
}

nvfp4::NpyArray big_array() {
  std::vector<float> v(size_t{4096} * 4096);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 1000) * 0.001f - 0.5f;
  return nvfp4::from_float32(v, {4096, 4096});
}

void BM_write_npy(benchmark::State& st) {
  const nvfp4::NpyArray a = big_array();
  const std::string path = temp_file("w.npy");
  for (auto _ : st) nvfp4::write_npy(path, a);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(a.data.size()));
  std::remove(path.c_str());
}

void BM_read_npy(benchmark::State& st) {
  const nvfp4::NpyArray a = big_array();
  const std::string path = temp_file("r.npy");
  nvfp4::write_npy(path, a);
  for (auto _ : st) benchmark::DoNotOptimize(nvfp4::read_npy(path).data.data());
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(a.data.size()));
  std::remove(path.c_str());
}

void BM_write_npz(benchmark::State& st) {
  const std::map<std::string, nvfp4::NpyArray> m = {{"x", big_array()}};
  const std::string path = temp_file("w.npz");
  for (auto _ : st) nvfp4::write_npz(path, m);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(m.at("x").data.size()));
  std::remove(path.c_str());
}

void BM_read_npz(benchmark::State& st) {
  const std::map<std::string, nvfp4::NpyArray> m = {{"x", big_array()}};
  const std::string path = temp_file("r.npz");
  nvfp4::write_npz(path, m);
  for (auto _ : st) benchmark::DoNotOptimize(nvfp4::read_npz(path).size());
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(m.at("x").data.size()));
  std::remove(path.c_str());
}

nvfp4::QuantizedTensor big_quantized() {
  const nvfp4::NpyArray a = big_array();
  const std::vector<float> v = nvfp4::to_float32(a);
  return nvfp4::quantize(v.data(), 4096, 4096, nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4));
}

// Bytes processed = the file's payload (codes + scales), 8.4 MiB for 4096 x 4096 NVFP4.
void BM_save_quantized(benchmark::State& st) {
  const nvfp4::QuantizedTensor q = big_quantized();
  const std::string path = temp_file("q.npz");
  for (auto _ : st) nvfp4::save_quantized(path, q);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(q.codes.size() + q.scales.size()));
  std::remove(path.c_str());
}

void BM_load_quantized(benchmark::State& st) {
  const nvfp4::QuantizedTensor q = big_quantized();
  const std::string path = temp_file("lq.npz");
  nvfp4::save_quantized(path, q);
  for (auto _ : st) benchmark::DoNotOptimize(nvfp4::load_quantized(path).codes.data());
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(q.codes.size() + q.scales.size()));
  std::remove(path.c_str());
}

}  // namespace

BENCHMARK(BM_write_npy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_npy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_write_npz)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_npz)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_save_quantized)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_load_quantized)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();

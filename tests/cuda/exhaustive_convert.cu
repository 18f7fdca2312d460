// Exhaustive GPU test: all 2^32 fp32 bit patterns through the device conversion kernels (E2M1 rn/rz, E4M3 satfinite,
// UE8M0 rz/rp, and the compare form of E2M1 rn that the quantize kernels use) compared with the CUDA 13 header host emulation (cuda_fp4.h / cuda_fp8.h, compiled for the host here)
// and with the numerics golden model. Optional: --dump DIR writes a strided sample (inputs and GPU codes) as .npy for
// tests/cuda/oracle_check.py (PyTorch and ml_dtypes as independent oracles).
#include <cuda_fp4.h>
#include <cuda_fp8.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "numerics/formats.hpp"
#include "numerics/npy.hpp"
#include "tests/cuda/gpu_skip.hpp"

using namespace nvfp4;

namespace {

const char* kKindNames[6] = {"e2m1_rn", "e2m1_rz", "e4m3", "ue8m0_rz", "ue8m0_rp", "e2m1_rn_fast"};

uint8_t header_ref(int kind, float x) {
  switch (kind) {
    case 0: return __nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundNearest);
    case 1: return __nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundZero);
    case 2: return __nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3);
    case 3: return __nv_cvt_float_to_e8m0(x, __NV_SATFINITE, cudaRoundZero);
    case 4: return __nv_cvt_float_to_e8m0(x, __NV_SATFINITE, cudaRoundPosInf);
    default: return __nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundNearest);
  }
}
uint8_t golden_ref(int kind, float x) {
  switch (kind) {
    case 0: return e2m1_from_float(x, Round::NearestEven);
    case 1: return e2m1_from_float(x, Round::TowardZero);
    case 2: return e4m3_from_float(x);
    case 3: return ue8m0_from_float(x, Round::TowardZero);
    case 4: return ue8m0_from_float(x, Round::TowardPosInf);
    default: return e2m1_from_float(x, Round::NearestEven);
  }
}

struct KindResult {
  std::atomic<uint64_t> vs_header{0}, vs_golden{0};
  std::atomic<uint32_t> first_header{0xFFFFFFFFu}, first_golden{0xFFFFFFFFu};
};

void atomic_min(std::atomic<uint32_t>& a, uint32_t v) {
  uint32_t cur = a.load();
  while (v < cur && !a.compare_exchange_weak(cur, v)) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    gputest::skip_without_gpu("exhaustive_convert");
    std::string dump;
    for (int i = 1; i + 1 < argc; ++i)
      if (std::string(argv[i]) == "--dump") dump = argv[i + 1];
    const uint32_t chunk = 1u << 28;
    gpu::DeviceBuffer<uint8_t> d_out(chunk, "conversion output");
    std::vector<uint8_t> h(chunk);
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    gputest::Tally tally;
    const auto t0 = std::chrono::steady_clock::now();
    for (int kind = 0; kind < 6; ++kind) {
      KindResult r;
      for (uint64_t first = 0; first < (1ull << 32); first += chunk) {
        gpu::convert_range(kind, static_cast<uint32_t>(first), chunk, d_out.get());
        NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
        NVFP4_CUDA_CHECK(cudaMemcpy(h.data(), d_out.get(), chunk, cudaMemcpyDeviceToHost));
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t)
          pool.emplace_back([&, t] {
            const uint32_t lo = static_cast<uint32_t>(uint64_t{chunk} * t / threads);
            const uint32_t hi = static_cast<uint32_t>(uint64_t{chunk} * (t + 1) / threads);
            uint64_t bad_h = 0, bad_g = 0;
            for (uint32_t i = lo; i < hi; ++i) {
              const uint32_t u = static_cast<uint32_t>(first) + i;
              float x;
              std::memcpy(&x, &u, 4);
              const uint8_t g = h[i];
              if (g != header_ref(kind, x)) {
                ++bad_h;
                atomic_min(r.first_header, u);
              }
              if (g != golden_ref(kind, x)) {
                ++bad_g;
                atomic_min(r.first_golden, u);
              }
            }
            r.vs_header += bad_h;
            r.vs_golden += bad_g;
          });
        for (auto& p : pool) p.join();
      }
      auto describe = [&](const char* ref, uint64_t n, uint32_t u, bool header) {
        std::string s = std::string(kKindNames[kind]) + " vs " + ref + ": " + std::to_string(n) + " of 2^32 differ";
        if (n) {
          float x;
          std::memcpy(&x, &u, 4);
          char buf[160];
          gpu::DeviceBuffer<uint8_t> one(1, "one");
          gpu::convert_range(kind, u, 1, one.get());
          const uint8_t g = one.download()[0];
          std::snprintf(buf, sizeof buf, "; first input 0x%08X (%.9g): gpu 0x%02X %s 0x%02X", u, double(x), g, ref,
                        header ? header_ref(kind, x) : golden_ref(kind, x));
          s += buf;
        }
        return s;
      };
      std::printf("  %s\n", describe("header", r.vs_header, r.first_header, true).c_str());
      std::printf("  %s\n", describe("golden", r.vs_golden, r.first_golden, false).c_str());
      tally.expect(r.vs_header == 0, describe("header", r.vs_header, r.first_header, true));
      tally.expect(r.vs_golden == 0, describe("golden", r.vs_golden, r.first_golden, false));
    }
    std::printf("exhaustive sweep: %.1f s on %u host threads\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), threads);

    if (!dump.empty()) {
      // strided sample plus the neighbourhood of every decision point, for the Python oracles
      std::vector<uint32_t> in;
      for (uint64_t u = 0; u < (1ull << 32); u += 4099) in.push_back(static_cast<uint32_t>(u));
      for (uint32_t base : {0x3E800000u, 0x3F400000u, 0x3FA00000u, 0x3FE00000u, 0x40200000u, 0x40600000u,
                            0x40A00000u, 0x40C00000u, 0x43E00000u, 0x43E80000u, 0x3A800000u, 0x3B000000u})
        for (int d = -64; d <= 64; ++d) {
          in.push_back(base + d);
          in.push_back((base + d) | 0x80000000u);
        }
      const size_t n = in.size();
      NpyArray inputs{"<u4", {static_cast<int64_t>(n)}, {}};
      inputs.data.resize(n * 4);
      std::memcpy(inputs.data.data(), in.data(), n * 4);
      write_npy(dump + "/inputs.npy", inputs);
      for (int kind : {0, 2, 3, 4}) {
        NpyArray codes{"|u1", {static_cast<int64_t>(n)}, std::vector<uint8_t>(n)};
        // the kernel converts contiguous ranges; gather the sample from the full-range results, chunk by chunk
        for (uint64_t first = 0; first < (1ull << 32); first += chunk) {
          gpu::convert_range(kind, static_cast<uint32_t>(first), chunk, d_out.get());
          NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
          NVFP4_CUDA_CHECK(cudaMemcpy(h.data(), d_out.get(), chunk, cudaMemcpyDeviceToHost));
          for (size_t i = 0; i < n; ++i)
            if (in[i] >= first && in[i] - first < chunk) codes.data[i] = h[in[i] - first];
        }
        write_npy(dump + "/" + kKindNames[kind] + ".npy", codes);
      }
      std::printf("wrote %zu sampled conversions to %s\n", n, dump.c_str());
    }
    return tally.finish("exhaustive_convert");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

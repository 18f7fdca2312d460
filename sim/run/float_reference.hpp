// The float reference of a layer (unquantized inputs) and the output SQNR against it, exact or estimated on a
// systematic sample of output rows (run.float_reference_rows; docs/sim.md, "Float reference and SQNR").
#pragma once
#include <cstdint>
#include <vector>

namespace nvfp4::sim {

// d = a x b^T in float: OpenBLAS cblas_sgemm on one thread (deterministic for a given OpenBLAS build and CPU kernel).
// OpenBLAS is opened (dlopen) on the first call, set to one thread and its idle workers stopped; a run without the
// float reference never loads it. Throws nvfp4::Error when it cannot be opened.
// a: M x K, b: N x K, row-major.
std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K);

// Opens OpenBLAS now (what float_gemm does on its first call): a run with the float reference calls it while it is
// validated, so a missing library is an error before any work. Throws nvfp4::Error naming the files it tried.
void open_float_reference_library();

// The same into d (M x N, leading dimension ldd >= N): a column slice of a wider reference.
void float_gemm_into(const float* a, const float* b, int64_t M, int64_t N, int64_t K, float* d, int64_t ldd);

// The rows of a (M x K) the reference uses, packed: rows.size() x K.
std::vector<float> pick_rows(const std::vector<float>& a, const std::vector<int64_t>& rows, int64_t K);

// The output rows the reference is computed on: every row when sample == 0 or sample >= M; else `sample` rows of a
// systematic sample, row floor((2j + 1) M / (2 sample)) for j = 0..sample-1 (increasing, distinct).
std::vector<int64_t> reference_rows(int64_t M, int64_t sample);

// The reference on the given rows of a only: rows.size() x N.
std::vector<float> float_gemm_rows(const std::vector<float>& a, const std::vector<float>& b,
                                   const std::vector<int64_t>& rows, int64_t N, int64_t K);

struct Sqnr {
  double db = 0;          // 10 log10(sum ref^2 / sum (out - ref)^2) over finite outputs; +inf when equal
  int64_t nonfinite = 0;  // outputs that are NaN or Inf (left out of db)
  // Sampled rows (estimate): the rows used, the layer's rows, and the estimate's standard error in dB (ratio
  // estimator, delta method, finite-population correction 1 - rows/rows_total); 0 when every row is used.
  int64_t rows = 0, rows_total = 0;
  double se_db = 0;
  bool sampled() const { return rows < rows_total; }
};
Sqnr sqnr(const std::vector<float>& reference, const std::vector<float>& out);
// The same over n outputs in the caller's memory (no copy; the sweeps' bindings pass NumPy arrays).
Sqnr sqnr(const float* reference, const float* out, int64_t n);

// SQNR of the output rows `rows` of out (M x N, row-major) against their reference (rows.size() x N).
Sqnr sqnr_rows(const std::vector<float>& reference, const std::vector<float>& out, const std::vector<int64_t>& rows,
               int64_t M, int64_t N);
Sqnr sqnr_rows(const float* reference, const float* out, const std::vector<int64_t>& rows, int64_t M, int64_t N);

}  // namespace nvfp4::sim

// Python bindings of the numerics core (module `nvfp4_native`, wrapped by scripts/nvfp4dse/native.py).
// Arrays cross the boundary as raw bytes (codes, scales, float32 data) so the Python side sees exactly the C++ bits;
// the wrapper turns them into NumPy arrays. nvfp4::Error becomes Python's ValueError subclass nvfp4_native.Error.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <nanobind/stl/tuple.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/npy.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/quantize.hpp"
#include "numerics/quantized_tensor.hpp"
#include "numerics/seed.hpp"
#include "numerics/workload.hpp"

namespace nb = nanobind;
using namespace nb::literals;

#ifdef NVFP4_NATIVE_HAVE_SIM
void bind_sim(nb::module_& m);  // sim_bindings.cpp: the simulator's configuration and SRAM fault path
#endif

namespace {

using FloatMatrix = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

nvfp4::QuantSpec make_spec(const std::string& scheme, std::optional<std::string> recipe, std::optional<int> block,
                           bool block_2d, const std::string& rounding, uint64_t seed, bool follow_hardware) {
  nvfp4::QuantSpec spec = nvfp4::QuantSpec::defaults_for(nvfp4::parse_scheme(scheme));
  if (recipe) spec.recipe = nvfp4::parse_recipe(*recipe);
  if (block) spec.block = *block;
  spec.block_2d = block_2d;
  spec.rounding = nvfp4::parse_rounding(rounding);
  spec.seed = seed;
  spec.follow_hardware_on_nonfinite = follow_hardware;
  spec.validate();
  return spec;
}

nb::bytes to_bytes(const void* p, size_t n) { return nb::bytes(static_cast<const char*>(p), n); }

// A new bytes object of n float32 values, uninitialised, for C++ to fill before Python sees it.
nb::bytes float_bytes(int64_t n) {
  PyObject* o = PyBytes_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(n) * static_cast<Py_ssize_t>(sizeof(float)));
  if (!o) throw nb::python_error();
  return nb::steal<nb::bytes>(o);
}

float* writable(nb::bytes& b) { return reinterpret_cast<float*>(PyBytes_AS_STRING(b.ptr())); }

std::vector<uint8_t> from_bytes(const nb::bytes& b) {
  const auto* p = static_cast<const uint8_t*>(b.data());
  return std::vector<uint8_t>(p, p + b.size());
}

}  // namespace

NB_MODULE(nvfp4_native, m) {
  m.doc() = "Bit-exact NVFP4 numerics core (C++), see docs/dse.md";
  nb::exception<nvfp4::Error>(m, "Error", PyExc_ValueError);

  nb::class_<nvfp4::QuantSpec>(m, "QuantSpec")
      .def_prop_ro("scheme", [](const nvfp4::QuantSpec& s) { return std::string(nvfp4::to_string(s.scheme)); })
      .def_prop_ro("recipe", [](const nvfp4::QuantSpec& s) { return std::string(nvfp4::to_string(s.recipe)); })
      .def_prop_ro("rounding", [](const nvfp4::QuantSpec& s) { return std::string(nvfp4::to_string(s.rounding)); })
      .def_ro("block", &nvfp4::QuantSpec::block)
      .def_ro("block_2d", &nvfp4::QuantSpec::block_2d)
      .def_ro("seed", &nvfp4::QuantSpec::seed)
      .def("describe", &nvfp4::QuantSpec::describe);

  m.def("make_spec", &make_spec, "scheme"_a = "nvfp4", "recipe"_a = nb::none(), "block"_a = nb::none(),
        "block_2d"_a = false, "rounding"_a = "rn", "seed"_a = 0, "follow_hardware"_a = false);

  nb::class_<nvfp4::QuantizedTensor>(m, "QuantizedTensor")
      .def("__init__",
           [](nvfp4::QuantizedTensor* t, const nvfp4::QuantSpec& spec, int64_t rows, int64_t cols,
              const nb::bytes& codes, const nb::bytes& scales, float tensor_scale) {
             new (t) nvfp4::QuantizedTensor{spec, rows, cols, from_bytes(codes), from_bytes(scales), tensor_scale};
           },
           "spec"_a, "rows"_a, "cols"_a, "codes"_a, "scales"_a, "tensor_scale"_a)
      .def_ro("spec", &nvfp4::QuantizedTensor::spec)
      .def_ro("rows", &nvfp4::QuantizedTensor::rows)
      .def_ro("cols", &nvfp4::QuantizedTensor::cols)
      .def_ro("tensor_scale", &nvfp4::QuantizedTensor::tensor_scale)
      .def_prop_ro("codes_bytes", [](const nvfp4::QuantizedTensor& t) { return to_bytes(t.codes.data(), t.codes.size()); })
      .def_prop_ro("scales_bytes",
                   [](const nvfp4::QuantizedTensor& t) { return to_bytes(t.scales.data(), t.scales.size()); })
      .def("row_stride_bytes", &nvfp4::QuantizedTensor::row_stride_bytes)
      .def("blocks_per_row", &nvfp4::QuantizedTensor::blocks_per_row);

  m.def(
      "quantize",
      [](FloatMatrix x, const nvfp4::QuantSpec& spec) {
        const float* p = x.data();
        const int64_t rows = static_cast<int64_t>(x.shape(0)), cols = static_cast<int64_t>(x.shape(1));
        nb::gil_scoped_release unlocked;
        return nvfp4::quantize(p, rows, cols, spec);
      },
      "x"_a, "spec"_a, "Quantize a C-contiguous float32 rows x cols array (cols = reduction dim).");

  m.def(
      "dequantize",
      [](const nvfp4::QuantizedTensor& q) {
        std::vector<float> out;
        {
          nb::gil_scoped_release unlocked;
          out = nvfp4::dequantize(q);
        }
        return to_bytes(out.data(), out.size() * sizeof(float));
      },
      "q"_a, "float32 bytes, rows x cols row-major.");

  m.def(
      "gemm",
      [](const nvfp4::QuantizedTensor& a, const nvfp4::QuantizedTensor& b, const std::string& accum, int threads) {
        const auto policy = nvfp4::AccumPolicy::parse(accum);
        nb::bytes d = float_bytes(a.rows * b.rows);  // D is written into the bytes object itself (no copy)
        {
          nb::gil_scoped_release unlocked;
          nvfp4::gemm_into(a, b, policy, writable(d), threads);
        }
        return d;
      },
      "a"_a, "b"_a, "accum"_a = "fp32-seq", "threads"_a = 1, "D = A x B^T as float32 bytes, M x N row-major.");

  m.def(
      "gemm_update",
      [](FloatMatrix d_ref, const nvfp4::QuantizedTensor& a_ref, const nvfp4::QuantizedTensor& b_ref,
         const nvfp4::QuantizedTensor& a, const nvfp4::QuantizedTensor& b, const std::string& accum,
         double max_fraction) -> nb::object {
        if (d_ref.shape(0) != static_cast<size_t>(a_ref.rows) || d_ref.shape(1) != static_cast<size_t>(b_ref.rows)) {
          throw nvfp4::Error("gemm_update: d_ref is not A_ref.rows x B_ref.rows");
        }
        const auto policy = nvfp4::AccumPolicy::parse(accum);
        nb::bytes out = float_bytes(a.rows * b.rows);
        bool done;
        {
          nb::gil_scoped_release unlocked;
          done = nvfp4::gemm_update_into(d_ref.data(), a_ref, b_ref, a, b, policy, writable(out), max_fraction);
        }
        if (!done) return nb::none();
        return out;
      },
      "d_ref"_a, "a_ref"_a, "b_ref"_a, "a"_a, "b"_a, "accum"_a, "max_fraction"_a,
      "D = A x B^T (float32 bytes) from d_ref = A_ref x B_ref^T, computing only the rows / columns whose operand rows "
      "differ (nvfp4::gemm_update_into: the same bits as gemm); None when it does not apply.");

  m.def(
      "same_bits",
      [](const nvfp4::QuantizedTensor& a, const nvfp4::QuantizedTensor& b) {
        return a.rows == b.rows && a.cols == b.cols && a.spec.describe() == b.spec.describe() &&
               std::memcmp(&a.tensor_scale, &b.tensor_scale, sizeof(float)) == 0 && a.codes == b.codes &&
               a.scales == b.scales;
      },
      "a"_a, "b"_a, "True when two quantized tensors store the same bits (spec, shape, codes, scales, tensor scale).");
  m.attr("SEED_MAX") = nvfp4::kSeedMax;  // the one seed range (numerics/seed.hpp): 0 .. SEED_MAX

  m.def("accum_name", [](const std::string& s) { return nvfp4::AccumPolicy::parse(s).name(); });
  m.def("bits_per_element", &nvfp4::bits_per_element, "spec"_a, "rows"_a, "cols"_a);
  m.def("save_quantized", &nvfp4::save_quantized, "path"_a, "q"_a);
  m.def("load_quantized", &nvfp4::load_quantized, "path"_a);
  // Workloads as every tool reads them (numerics/workload.hpp): the layers of a table, and a layer's float tensors
  // for a seed (the same bits nvfp4sim and nvfp4-gpucheck compute on).
  nb::class_<nvfp4::workload::Layer>(m, "WorkloadLayer")
      .def_ro("name", &nvfp4::workload::Layer::name)
      .def_prop_ro("type", [](const nvfp4::workload::Layer& l) {
        return std::string(l.kind == nvfp4::workload::Layer::Kind::Conv ? "conv" : "gemm");
      })
      .def_ro("M", &nvfp4::workload::Layer::M)
      .def_ro("N", &nvfp4::workload::Layer::N)
      .def_ro("K", &nvfp4::workload::Layer::K)
      .def_ro("activations", &nvfp4::workload::Layer::activations)
      .def_ro("weights", &nvfp4::workload::Layer::weights)
      .def_ro("where", &nvfp4::workload::Layer::where);
  m.attr("DEFAULT_ACTIVATIONS") = nvfp4::workload::kDefaultActivations;
  m.attr("DEFAULT_WEIGHTS") = nvfp4::workload::kDefaultWeights;
  m.attr("DEFAULT_SEED") = nvfp4::workload::kDefaultSeed;
  m.def("read_workload", &nvfp4::workload::read_csv, "path"_a,
        "Layers of a workload table (native, name,M,N,K or SCALE-Sim CSV).");
  m.def(
      "workload_tensors",
      [](const std::string& path, size_t index, uint64_t seed, const std::string& activations,
         const std::string& weights) {
        const auto layers = nvfp4::workload::read_csv(path);
        if (index >= layers.size())
          throw nvfp4::Error(path + ": layer index " + std::to_string(index) + " out of range (" +
                             std::to_string(layers.size()) + " layers)");
        const std::string dir = std::filesystem::path(path).parent_path().string();
        nvfp4::workload::check_layer_sources(layers[index], activations, weights, dir);
        const auto t = nvfp4::workload::make_layer_tensors(layers[index], static_cast<int64_t>(index), activations,
                                                           weights, dir, seed);
        return std::make_tuple(to_bytes(t.a.data(), t.a.size() * sizeof(float)),
                               to_bytes(t.b.data(), t.b.size() * sizeof(float)));
      },
      "path"_a, "index"_a, "seed"_a = nvfp4::workload::kDefaultSeed,
      "activations"_a = nvfp4::workload::kDefaultActivations, "weights"_a = nvfp4::workload::kDefaultWeights,
      "(A, B) float32 bytes of layer `index` (M x K and N x K, row-major) as every tool draws them.");
#ifdef NVFP4_NATIVE_HAVE_SIM
  bind_sim(m);
  m.attr("has_sim") = true;
#else
  m.attr("has_sim") = false;
#endif
}

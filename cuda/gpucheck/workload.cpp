#include "cuda/gpucheck/workload.hpp"


#include "numerics/error.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::gpucheck {

FloatTensor read_float_tensor(const std::string& spec) {
  NpyArray arr;
  const size_t colon = spec.rfind(".npz:");
  if (colon != std::string::npos) {
    const std::string file = spec.substr(0, colon + 4), member = spec.substr(colon + 5);
    auto members = read_npz(file);
    auto it = members.find(member);
    if (it == members.end()) throw Error("'" + file + "' has no member '" + member + "'");
    arr = it->second;
  } else {
    arr = read_npy(spec);
  }
  if (arr.shape.size() != 2)
    throw Error("'" + spec + "': expected a 2-D tensor (rows x reduction dim), got " +
                std::to_string(arr.shape.size()) + " dimensions");
  FloatTensor t;
  t.rows = arr.shape[0];
  t.cols = arr.shape[1];
  if (t.rows <= 0 || t.cols <= 0) throw Error("'" + spec + "': empty tensor");
  t.data = to_float32(arr);
  return t;
}

}  // namespace nvfp4::gpucheck

// Owning device allocation (plain cudaMalloc, never managed memory). Allocation failure throws nvfp4::Error that names
// the buffer and its size.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "cuda/host/cuda_check.hpp"

namespace nvfp4::gpu {

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(size_t count, const char* what) { allocate(count, what); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      ptr_ = std::exchange(o.ptr_, nullptr);
      count_ = std::exchange(o.count_, 0);
    }
    return *this;
  }

  void allocate(size_t count, const char* what) {
    release();
    if (count == 0) return;
    cudaError_t err = cudaMalloc(reinterpret_cast<void**>(&ptr_), count * sizeof(T));
    if (err != cudaSuccess) {
      (void)cudaGetLastError();  // clear the sticky-free allocation error
      ptr_ = nullptr;
      throw Error(std::string("out of GPU memory: cannot allocate ") + what + " (" +
                  std::to_string(count * sizeof(T)) + " bytes): " + cudaGetErrorString(err));
    }
    count_ = count;
  }
  void upload(const T* host, size_t count) {
    if (count > count_) throw Error("internal: upload larger than the device buffer");
    if (count) NVFP4_CUDA_CHECK(cudaMemcpy(ptr_, host, count * sizeof(T), cudaMemcpyHostToDevice));
  }
  void upload(const std::vector<T>& v) { upload(v.data(), v.size()); }
  std::vector<T> download(size_t count) const {
    if (count > count_) throw Error("internal: download larger than the device buffer");
    std::vector<T> v(count);
    if (count) NVFP4_CUDA_CHECK(cudaMemcpy(v.data(), ptr_, count * sizeof(T), cudaMemcpyDeviceToHost));
    return v;
  }
  std::vector<T> download() const { return download(count_); }

  T* get() const { return ptr_; }
  size_t size() const { return count_; }

 private:
  void release() {
    if (ptr_) cudaFree(ptr_);
    ptr_ = nullptr;
    count_ = 0;
  }
  T* ptr_ = nullptr;
  size_t count_ = 0;
};

}  // namespace nvfp4::gpu

# GPU test programs of the CUDA part. Plain executables (the GPU machine has no Catch2), included from
# cuda/CMakeLists.txt so they build wherever the CUDA part builds. Each prints SKIP and passes without a GPU.
set(_t ${PROJECT_SOURCE_DIR}/tests/cuda)

add_executable(test_cuda_gpu_kernels ${_t}/gpu_kernels_test.cu)
target_link_libraries(test_cuda_gpu_kernels PRIVATE nvfp4_gpucheck_core)
add_executable(test_cuda_exhaustive_convert ${_t}/exhaustive_convert.cu)
foreach(t test_cuda_gpu_kernels test_cuda_exhaustive_convert)
  set_target_properties(${t} PROPERTIES CUDA_ARCHITECTURES "${NVFP4_CUDA_ARCHS}")
  target_compile_options(${t} PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:${NVFP4_CUDA_EXACT_FLAGS}>)
  target_link_libraries(${t} PRIVATE nvfp4_cuda)
endforeach()

add_test(NAME test_cuda_gpu_kernels COMMAND test_cuda_gpu_kernels)
set_tests_properties(test_cuda_gpu_kernels PROPERTIES LABELS gpu TIMEOUT 600)
add_test(NAME test_cuda_exhaustive_convert COMMAND test_cuda_exhaustive_convert)
set_tests_properties(test_cuda_exhaustive_convert PROPERTIES LABELS "gpu;slow" TIMEOUT 1800)

# nvfp4-gpucheck end to end on a real layer table (GPU), and its bad-input handling (any machine).
add_test(NAME test_cuda_gpucheck_minilm
         COMMAND nvfp4-gpucheck --workload ${PROJECT_SOURCE_DIR}/tests/cuda/data/small_layers.csv --skip-without-gpu)
set_tests_properties(test_cuda_gpucheck_minilm PROPERTIES LABELS "gpu;integration" TIMEOUT 600)
add_test(NAME test_cuda_gpucheck_conv
         COMMAND nvfp4-gpucheck --workload ${PROJECT_SOURCE_DIR}/tests/cuda/data/mixed_layers.csv --weights-2d
                 --skip-without-gpu)
set_tests_properties(test_cuda_gpucheck_conv PROPERTIES LABELS "gpu;integration" TIMEOUT 600)
add_test(NAME test_cuda_gpucheck_npy
         COMMAND nvfp4-gpucheck --a ${_t}/data/acts_f16_48x80.npy --b ${_t}/data/weights_40x80.npy --weights-2d
                 --skip-without-gpu)
set_tests_properties(test_cuda_gpucheck_npy PROPERTIES LABELS "gpu;integration" TIMEOUT 120)
add_test(NAME test_cuda_gpucheck_bad_input
         COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:nvfp4-gpucheck> -DDATA=${_t}/data
                 -P ${_t}/gpucheck_bad_input.cmake)
set_tests_properties(test_cuda_gpucheck_bad_input PROPERTIES LABELS integration TIMEOUT 60)

# The native Blackwell code must contain the FP4 / UE8M0 conversion instructions (SASS and PTX, via cuobjdump).
add_test(NAME test_cuda_blackwell_sass
         COMMAND bash ${_t}/check_blackwell_sass.sh $<TARGET_OBJECTS:nvfp4_cuda_blackwell>)
set_tests_properties(test_cuda_blackwell_sass PROPERTIES LABELS unit TIMEOUT 60)

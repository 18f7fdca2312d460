# CTest registration for tests that need a sky130 Liberty file. The lookup itself is scripts/pdk/liberty.sh (search
# order: NVFP4_PDK_ROOT, PDK_ROOT in the volare/ciel layout, ../shared/pdk); it runs when the test runs, so setting
# the variables before `ctest` is enough. Without the file the test is reported as skipped, with the helper's message
# saying how to get the library.
#
#   nvfp4_add_pdk_test(NAME n LIBRARY sky130_fd_sc_hd CELL_LIB sky130_fd_sc_hd__tt_025C_1v80
#                      COMMAND prog args... [TIMEOUT s] [LABELS l...] [WORKING_DIRECTORY d])
# The command finds the path in the environment variable NVFP4_LIBERTY.
include_guard(GLOBAL)

function(nvfp4_add_pdk_test)
  cmake_parse_arguments(T "" "NAME;LIBRARY;CELL_LIB;TIMEOUT;WORKING_DIRECTORY" "COMMAND;LABELS" ${ARGN})
  if(NOT T_NAME OR NOT T_LIBRARY OR NOT T_CELL_LIB OR NOT T_COMMAND)
    message(FATAL_ERROR "nvfp4_add_pdk_test: NAME, LIBRARY, CELL_LIB and COMMAND are required")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS integration)
  endif()
  if(NOT T_WORKING_DIRECTORY)
    set(T_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  add_test(NAME ${T_NAME}
           COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/pdk/liberty.sh ${T_LIBRARY} ${T_CELL_LIB} -- ${T_COMMAND}
           WORKING_DIRECTORY ${T_WORKING_DIRECTORY})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}" SKIP_RETURN_CODE 77)
endfunction()

# One configure-time line saying whether the PDK tests will run here (they look again when they run).
execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/pdk/liberty.sh sky130_fd_sc_hd sky130_fd_sc_hd__tt_025C_1v80
                OUTPUT_VARIABLE _nvfp4_pdk_lib OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _nvfp4_pdk_rc)
if(_nvfp4_pdk_rc EQUAL 0)
  message(STATUS "nvfp4: sky130 PDK: ${_nvfp4_pdk_lib}")
else()
  message(STATUS "nvfp4: sky130 PDK: not found (tests that need it will be skipped; see docs/DEVELOPING.md, "
                 "'The sky130 PDK': set PDK_ROOT (volare/ciel) or NVFP4_PDK_ROOT)")
endif()

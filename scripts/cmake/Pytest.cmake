# nvfp4_add_pytest(NAME name PATH tests/dir_or_file [LABELS integration] [TIMEOUT s] [ENV VAR=value ...])
# Registers one pytest run as one CTest test. The interpreter is the one CMake found for the bindings
# (Python_EXECUTABLE) or python3 on PATH; pytest comes from scripts/deps/pip-dse.txt.
include_guard(GLOBAL)

# Cached so that every folder including this file sees it (the include guard runs this block once).
if(Python_EXECUTABLE)
  set(NVFP4_PYTHON_FOR_TESTS ${Python_EXECUTABLE} CACHE INTERNAL "interpreter of the pytest runs")
else()
  find_program(NVFP4_PYTHON_FOR_TESTS python3)
endif()

function(nvfp4_add_pytest)
  cmake_parse_arguments(T "" "NAME;PATH;TIMEOUT" "LABELS;ENV" ${ARGN})
  if(NOT NVFP4_PYTHON_FOR_TESTS)
    message(STATUS "nvfp4: pytest ${T_NAME}: OFF (no python3)")
    return()
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS integration)
  endif()
  add_test(NAME ${T_NAME}
           COMMAND ${NVFP4_PYTHON_FOR_TESTS} -m pytest -q -p no:cacheprovider ${PROJECT_SOURCE_DIR}/${T_PATH}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}"
                       ENVIRONMENT "NVFP4_BUILD_DIR=${PROJECT_BINARY_DIR};PYTHONDONTWRITEBYTECODE=1;${T_ENV}")
endfunction()

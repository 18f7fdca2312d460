# verilator --lint-only -Wall of secded_enc/secded_dec for several K; any message fails (no waivers are needed).
foreach(k 4 58 64 72 128)
  foreach(m secded_enc secded_dec)
    execute_process(COMMAND ${VERILATOR} --lint-only -Wall -GK=${k} -I${RTL_DIR} ${RTL_DIR}/${m}.sv
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
      message(FATAL_ERROR "verilator lint of ${m} K=${k} is not clean:\n${out}${err}")
    endif()
  endforeach()
endforeach()
message(STATUS "secded_enc/secded_dec lint clean for K = 4 58 64 72 128")

# SPDX-License-Identifier: BSL-1.0
# Runs an example program and compares its standard output with its golden file.
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${EXE} OUTPUT_FILE ${WORK_DIR}/out.txt RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited ${rc}")
endif()
file(READ ${WORK_DIR}/out.txt actual)
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "${EXE} printed:\n${actual}\nexpected (${EXPECTED}):\n${expected}")
endif()

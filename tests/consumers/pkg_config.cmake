# SPDX-License-Identifier: BSL-1.0
# A consumer that knows only pkg-config: compiles tests/consumers/consumer.cpp with the flags
# `pkg-config --cflags --libs trueup` gives for the installed prefix, then runs it.
#   cmake -DPC_DIR=PREFIX/LIBDIR/pkgconfig -DCXX=... -DWORK_DIR=... -DFLEET=... -DRULES=... -P pkg_config.cmake
find_program(PKG_CONFIG pkg-config REQUIRED)
if(NOT EXISTS ${PC_DIR}/trueup.pc)
  message(FATAL_ERROR "expected the installed ${PC_DIR}/trueup.pc, found none")
endif()
set(ENV{PKG_CONFIG_PATH} ${PC_DIR})
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs trueup OUTPUT_VARIABLE flags
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
message(STATUS "pkg-config --cflags --libs trueup: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY ${WORK_DIR})
get_filename_component(here ${CMAKE_CURRENT_LIST_FILE} DIRECTORY)
execute_process(COMMAND ${CXX} -O1 ${here}/consumer.cpp ${flags} -o ${WORK_DIR}/consumer COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK_DIR}/consumer ${FLEET} ${RULES} COMMAND_ERROR_IS_FATAL ANY)

# SPDX-License-Identifier: BSL-1.0
# Installs the build tree BUILD_DIR into an emptied PREFIX, so that the consumer tests never
# find what an earlier configuration installed there (another libdir, older libraries).
#   cmake -DBUILD_DIR=... -DPREFIX=... -P install.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} OUTPUT_QUIET
                COMMAND_ERROR_IS_FATAL ANY)

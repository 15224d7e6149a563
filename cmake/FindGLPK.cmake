# SPDX-License-Identifier: BSL-1.0
# FindGLPK: the GNU Linear Programming Kit (Debian libglpk-dev), which ships no CMake or
# pkg-config file. Defines the imported target GLPK::GLPK and GLPK_FOUND. Installed with
# trueup's CMake config, so that a consumer of the static trueup::trueup finds it too.
find_path(GLPK_INCLUDE_DIR glpk.h)
find_library(GLPK_LIBRARY glpk)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(GLPK REQUIRED_VARS GLPK_LIBRARY GLPK_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "trueup's whole-server and CAL stages need GLPK: apt-get install libglpk-dev")
if(GLPK_FOUND AND NOT TARGET GLPK::GLPK)
  add_library(GLPK::GLPK UNKNOWN IMPORTED)
  set_target_properties(GLPK::GLPK PROPERTIES IMPORTED_LOCATION "${GLPK_LIBRARY}"
                                              INTERFACE_INCLUDE_DIRECTORIES "${GLPK_INCLUDE_DIR}")
endif()
mark_as_advanced(GLPK_INCLUDE_DIR GLPK_LIBRARY)

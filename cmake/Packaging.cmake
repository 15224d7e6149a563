# SPDX-License-Identifier: BSL-1.0
# Debian packages with CPack (`scripts/package` builds and checks them): one per install
# component, each depending only on packages of Debian 12.
#
#   trueup          the command, the shipped rule packs (/usr/share/trueup/rules), the sample
#                   fleet (/usr/share/doc/trueup/examples/contoso)
#   libtrueup-dev   headers, static libraries (core, io, state, report), the CMake package and
#                   trueup.pc; depends on the -dev packages its static libraries need to link
#                   (and pkg-config, which finds libxlsxwriter), and on trueup for the packs
#   python3-trueup  the Python package trueup for Debian's python3 (3.11), with its rule packs
#
# Shared-library dependencies are computed by dpkg-shlibdeps (Debian's dpkg-dev).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trueup)
set(CPACK_PACKAGE_VENDOR "The trueup authors")
set(CPACK_PACKAGE_CONTACT "The trueup authors <trueup@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_COMPONENTS_ALL cli dev)
if(TRUEUP_BUILD_PYTHON)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

# Debian policy: each package carries its copyright file, /usr/share/doc/PACKAGE/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/trueup
        RENAME copyright COMPONENT cli)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/libtrueup-dev
        RENAME copyright COMPONENT dev)
if(TRUEUP_BUILD_PYTHON AND NOT SKBUILD)  # a wheel carries its licence in its metadata
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/python3-trueup
          RENAME copyright COMPONENT python)
endif()

set(CPACK_DEBIAN_CLI_PACKAGE_NAME trueup)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_CLI_DESCRIPTION "licence reconciliation: effective licence position, optimally
Reconciles a software inventory against the licences held, under the publishers' use rights,
and solves the optimal assignment of licences to installs, with the evidence for each install.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libtrueup-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "trueup (= ${PROJECT_VERSION}), libglpk-dev, libfmt-dev, libtomlplusplus-dev, libsqlite3-dev, libxlsxwriter-dev, libssl-dev, pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "cmake (>= 3.25)")
set(CPACK_COMPONENT_DEV_DESCRIPTION "licence reconciliation library (development files)
The C++20 library behind trueup: headers, static libraries, a CMake package
(find_package(trueup)) and a pkg-config file (trueup.pc).")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-trueup)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "${TRUEUP_PYTHON_DEB_DEPENDS}")  # bindings/python: the ABI built for
set(CPACK_DEBIAN_PYTHON_PACKAGE_RECOMMENDS "python3-pandas")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION "licence reconciliation for Python
The Python package trueup: reconcile inventories against entitlements from scripts, with
pandas DataFrames in and out.")
include(CPack)

# SPDX-License-Identifier: BSL-1.0
# trueup_setup_target(target [alias]): gives a library its trueup:: alias and export name.
function(trueup_setup_target target)
  set(alias ${target})
  if(ARGC GREATER 1)
    set(alias ${ARGV1})
  endif()
  add_library(trueup::${alias} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${alias})
endfunction()

# trueup_warnings(target): the project's warning set; errors when TRUEUP_WERROR is on.
function(trueup_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(TRUEUP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

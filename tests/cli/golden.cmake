# SPDX-License-Identifier: BSL-1.0
# The CLI end to end on the sample fleet: the table and the JSON match the committed golden
# files byte for byte; invalid input exits 2 and writes nothing; usage errors exit 2.
# Run by ctest with -DTRUEUP=<exe> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch dir>.
# Regenerate the golden files after an intended change with scripts/update-golden.
set(fleet ${SOURCE_DIR}/examples/contoso)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(expect_same actual expected what)
  file(READ ${actual} a)
  file(READ ${expected} e)
  if(NOT a STREQUAL e)
    execute_process(COMMAND diff -u ${expected} ${actual} OUTPUT_VARIABLE d)
    message(FATAL_ERROR "${what} differs from ${expected}:\n${d}")
  endif()
endfunction()

execute_process(COMMAND ${TRUEUP} reconcile ${fleet} --as-of 2026-06-30 OUTPUT_FILE ${WORK_DIR}/table.txt
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup reconcile exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/table.txt ${fleet}/expected-position.txt "the table")

execute_process(COMMAND ${TRUEUP} reconcile ${fleet} --as-of 2026-06-30 --format json -o ${WORK_DIR}/position.json
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup reconcile --format json exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/position.json ${fleet}/expected-position.json "the JSON position")

# --fail-on-shortfall turns findings into exit 1 (the sample fleet has shortfalls).
execute_process(COMMAND ${TRUEUP} reconcile ${fleet} --fail-on-shortfall OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "--fail-on-shortfall exited ${rc}, expected 1")
endif()

# Invalid input: exit 2, every error on stderr, no report written (not even a partial one).
file(COPY ${fleet}/devices.csv ${fleet}/installs.csv ${fleet}/entitlements.csv ${fleet}/access.csv
     DESTINATION ${WORK_DIR}/bad)
file(READ ${WORK_DIR}/bad/devices.csv devices)
string(REPLACE "PC-0141,pc-0141.contoso.local,desktop,owned,retired,2025-07-15"
               "PC-0141,pc-0141.contoso.local,desktop,owned,retired,2025-07-32" devices "${devices}")
file(WRITE ${WORK_DIR}/bad/devices.csv "${devices}")
file(APPEND ${WORK_DIR}/bad/installs.csv "I-99999,PC-9999,Microsoft Windows 10 Pro,Microsoft Corporation,,,\n")
file(APPEND ${WORK_DIR}/bad/access.csv "SRV-NOPE,user001,PC-0001\n")
execute_process(COMMAND ${TRUEUP} reconcile ${WORK_DIR}/bad --format json -o ${WORK_DIR}/bad.json
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "invalid input exited ${rc}, expected 2")
endif()
if(EXISTS ${WORK_DIR}/bad.json)
  message(FATAL_ERROR "invalid input wrote ${WORK_DIR}/bad.json")
endif()
foreach(expected
    "devices.csv:157:53: error[bad-date]"
    "installs.csv:429:9: error[unknown-device]"
    "access.csv:48:1: error[unknown-device]"
    "3 error(s) in the input; nothing was computed or written")
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stderr lacks '${expected}':\n${err}")
  endif()
endforeach()

# validate reads and checks without reconciling.
execute_process(COMMAND ${TRUEUP} validate ${fleet} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "242 devices, 427 installs, 178 entitlements, 46 accesses, 3 assignments, 5 prices: valid")
  message(FATAL_ERROR "trueup validate exited ${rc}: ${out}${err}")
endif()
execute_process(COMMAND ${TRUEUP} validate ${WORK_DIR}/bad RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "trueup validate on invalid input exited ${rc}, expected 2")
endif()

execute_process(COMMAND ${TRUEUP} reconcile RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "a usage error exited ${rc}, expected 2")
endif()

# check-claim: the reply to the sample's auditor's claim, as text and JSON, matches its golden
# files; it exits 0 whatever the claim says, and 2 (nothing written) for an invalid claim.
execute_process(COMMAND ${TRUEUP} check-claim ${fleet} --claim ${fleet}/auditor-claim.csv --as-of 2026-06-30
                OUTPUT_FILE ${WORK_DIR}/claim-reply.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup check-claim exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/claim-reply.txt ${fleet}/expected-claim-reply.txt "the reply to the claim")
execute_process(COMMAND ${TRUEUP} check-claim ${fleet} --claim ${fleet}/auditor-claim.csv --as-of 2026-06-30
                        --format json -o ${WORK_DIR}/claim-reply.json RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup check-claim --format json exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/claim-reply.json ${fleet}/expected-claim-reply.json "the JSON reply to the claim")
file(WRITE ${WORK_DIR}/bad-claim.csv "line,product,shortfall\n1,Windows 11 Pro,seven\n")
execute_process(COMMAND ${TRUEUP} check-claim ${fleet} --claim ${WORK_DIR}/bad-claim.csv --format json
                        -o ${WORK_DIR}/bad-claim.json RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR EXISTS ${WORK_DIR}/bad-claim.json OR NOT err MATCHES "bad-claim.csv:2:18: error\\[bad-number\\]")
  message(FATAL_ERROR "an invalid claim exited ${rc}, expected 2 and no output: ${err}")
endif()

# explain: an install covered by a downgrade right, a short install with every candidate
# licence's refusal, a device, a licence and a product, as text, match their golden files; the
# JSON of one; an unknown id exits 2 naming the nearest ids, with nothing written.
foreach(subject "install-downgrade;--install;I-00011" "install-short;--install;I-00200"
                "install-short-windows;--install;I-00038" "device;--device;PC-0092" "licence;--licence;L-0159" "product;--product;Office Standard 2016")
  list(GET subject 0 stem)
  list(GET subject 1 option)
  list(GET subject 2 id)
  execute_process(COMMAND ${TRUEUP} explain ${fleet} ${option} ${id} --as-of 2026-06-30
                  OUTPUT_FILE ${WORK_DIR}/explain-${stem}.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "trueup explain ${option} ${id} exited ${rc}: ${err}")
  endif()
  expect_same(${WORK_DIR}/explain-${stem}.txt ${fleet}/expected-explain-${stem}.txt "the explanation of ${id}")
endforeach()
execute_process(COMMAND ${TRUEUP} explain ${fleet} --install I-00200 --as-of 2026-06-30 --format json
                        -o ${WORK_DIR}/explain-install-short.json RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup explain --format json exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/explain-install-short.json ${fleet}/expected-explain-install-short.json
            "the JSON explanation of I-00200")
execute_process(COMMAND ${TRUEUP} explain ${fleet} --device PC-092 --as-of 2026-06-30 -o ${WORK_DIR}/unknown.txt
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR EXISTS ${WORK_DIR}/unknown.txt OR NOT err MATCHES "error\\[unknown-device\\]: expected a device id of the fleet, found PC-092; nearest: .*PC-0092")
  message(FATAL_ERROR "an unknown device exited ${rc}, expected 2, the nearest ids and no output: ${err}")
endif()

# reconcile --redact: the same secret writes byte-identical reports and the map back to the
# originals; every original device and licence id of the map is absent from the report; a
# secret too short (or missing) exits 2 with nothing written (tests/report/redact_test.cpp checks
# the pseudonyms themselves).
file(WRITE ${WORK_DIR}/key.txt "correct horse battery staple\n")
file(WRITE ${WORK_DIR}/short-key.txt "short\n")
foreach(run a b)
  execute_process(COMMAND ${TRUEUP} reconcile ${fleet} --as-of 2026-06-30 --redact --secret-file ${WORK_DIR}/key.txt
                          --format json -o ${WORK_DIR}/redacted-${run}.json --redaction-map ${WORK_DIR}/map-${run}.csv
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "trueup reconcile --redact exited ${rc}: ${err}")
  endif()
endforeach()
expect_same(${WORK_DIR}/redacted-b.json ${WORK_DIR}/redacted-a.json "a second redacted report")
expect_same(${WORK_DIR}/map-b.csv ${WORK_DIR}/map-a.csv "a second redaction map")
file(READ ${WORK_DIR}/redacted-a.json redacted)
file(STRINGS ${WORK_DIR}/map-a.csv map_rows)
list(LENGTH map_rows map_length)
if(map_length LESS 400)
  message(FATAL_ERROR "the redaction map has ${map_length} rows")
endif()
foreach(row IN LISTS map_rows)
  if(row MATCHES "^(device|licence),[^,]+,(.+)$")
    string(FIND "${redacted}" "\"${CMAKE_MATCH_2}\"" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "the redacted report names ${CMAKE_MATCH_2}")
    endif()
  endif()
endforeach()
# check-claim and deployment --redact: the reply names no original device or licence id, not
# even inside a text, and its map is the reconcile's (the same secret, the same pseudonyms);
# without --secret-file it is a usage error.
execute_process(COMMAND ${TRUEUP} check-claim ${fleet} --claim ${fleet}/auditor-claim.csv --as-of 2026-06-30 --redact
                        --secret-file ${WORK_DIR}/key.txt --format json -o ${WORK_DIR}/claim-redacted.json
                        --redaction-map ${WORK_DIR}/claim-map.csv RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trueup check-claim --redact exited ${rc}: ${err}")
endif()
expect_same(${WORK_DIR}/claim-map.csv ${WORK_DIR}/map-a.csv "the check-claim redaction map")
file(READ ${WORK_DIR}/claim-redacted.json claim_redacted)
string(FIND "${claim_redacted}" "dev-" pseudonym_at)
if(pseudonym_at EQUAL -1)
  message(FATAL_ERROR "the redacted claim reply names no device pseudonym")
endif()
foreach(row IN LISTS map_rows)
  if(row MATCHES "^(device|licence),[^,]+,(.+)$")
    string(FIND "${claim_redacted}" "${CMAKE_MATCH_2}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "the redacted claim reply names ${CMAKE_MATCH_2}")
    endif()
  endif()
endforeach()
execute_process(COMMAND ${TRUEUP} deployment ${fleet} --as-of 2026-06-30 --redact RESULT_VARIABLE rc
                ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "--redact needs --secret-file FILE")
  message(FATAL_ERROR "deployment --redact without a secret exited ${rc}, expected 2: ${err}")
endif()
execute_process(COMMAND ${TRUEUP} reconcile ${fleet} --redact --secret-file ${WORK_DIR}/short-key.txt --format json
                        -o ${WORK_DIR}/short.json RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR EXISTS ${WORK_DIR}/short.json OR NOT err MATCHES "error\\[bad-secret\\]: expected a secret of at least 16 bytes, found 5")
  message(FATAL_ERROR "a short secret exited ${rc}, expected 2 and no output: ${err}")
endif()

# Profile-guided optimisation, driven by scripts/build-pgo: CSAT_PGO=generate compiles counters into every
# object, a training run of csat writes them to CSAT_PGO_DIR, and CSAT_PGO=use compiles again from them, in the
# same build directory (GCC finds each object's counts by the object's path). GCC only: clang's profiles
# are another format with another workflow.
set(CSAT_PGO "" CACHE STRING "Profile-guided optimisation: empty, generate or use (see scripts/build-pgo)")
set(CSAT_PGO_DIR "${CMAKE_BINARY_DIR}/pgo-profile" CACHE PATH "Where the training run writes its counts")
if(NOT CSAT_PGO STREQUAL "" AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  message(FATAL_ERROR "CSAT_PGO needs g++ (the compiler is ${CMAKE_CXX_COMPILER_ID})")
endif()
if(CSAT_PGO STREQUAL "generate")
  # Atomic counters: the training runs csat on two threads, and racing increments would lose counts.
  add_compile_options(-fprofile-generate -fprofile-update=atomic "-fprofile-dir=${CSAT_PGO_DIR}")
  add_link_options(-fprofile-generate -fprofile-update=atomic)
elseif(CSAT_PGO STREQUAL "use")
  # Partial training: code the training never ran (the AVX2 and SSE2 scanners on a processor with AVX-512,
  # commands other than report) is optimised as in a plain release build, not for size. A source edited after
  # the training loses its profile for the functions that changed (a warning, not an error) until the script
  # trains again.
  add_compile_options(-fprofile-use -fprofile-partial-training "-fprofile-dir=${CSAT_PGO_DIR}"
                      -Wno-missing-profile -Wno-error=coverage-mismatch)
elseif(NOT CSAT_PGO STREQUAL "")
  message(FATAL_ERROR "CSAT_PGO must be empty, generate or use, not '${CSAT_PGO}'")
endif()

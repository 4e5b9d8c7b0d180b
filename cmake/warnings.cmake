# Warning flags live on an INTERFACE target so each of our targets opts in and third-party code is untouched.
add_library(csat_warnings INTERFACE)
target_compile_options(csat_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports false -Wrestrict on std::string concatenation at -O3 (GCC bug 105329).
  target_compile_options(csat_warnings INTERFACE -Wno-restrict)
endif()
if(CSAT_WERROR)
  target_compile_options(csat_warnings INTERFACE -Werror)
endif()

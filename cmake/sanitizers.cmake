# ASan + UBSan as an INTERFACE target: linking it into csat_core carries the flags to everything built on it.
# -g1 (line tables only) keeps reports readable and the CI build fast.
add_library(csat_sanitizers INTERFACE)
if(CSAT_SANITIZE)
  target_compile_options(csat_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g1)
  target_link_options(csat_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

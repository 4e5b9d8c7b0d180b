// Private to src/time: Howard Hinnant's date/tz.h, included as a system header so that its internals do not
// trip our warning flags (-Wconversion, -Wshadow, -Wold-style-cast) under -Werror. Include it from .cpp files
// only; csat/time.hpp forward-declares date::time_zone instead.
#pragma once
#pragma GCC system_header

#include <date/date.h>
#include <date/tz.h>

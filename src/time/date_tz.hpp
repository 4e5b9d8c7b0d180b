// Private: includes Howard Hinnant's date/tz.h as a system header, so its internals do not trip our
// warning flags (-Wconversion, -Wshadow, -Wold-style-cast) under -Werror.
#pragma once
#pragma GCC system_header

#include <date/date.h>
#include <date/tz.h>

/*
 * clock: monotonic time for timers and wall-clock time for the
 * protocol's "ts". Both clocks exist on every Linux, so clock_gettime
 * cannot fail here with valid arguments; a zero result would only mean
 * a broken libc, and callers treat time as advisory anyway.
 */
#include <stdint.h>
#include <time.h>

#include "clock.h"

static uint64_t	clock_read_ns(clockid_t);

static uint64_t
clock_read_ns(clockid_t id)
{
	struct timespec	ts;

	if (clock_gettime(id, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

uint64_t
clock_ms(void)
{
	return clock_read_ns(CLOCK_MONOTONIC) / UINT64_C(1000000);
}

uint64_t
clock_us(void)
{
	return clock_read_ns(CLOCK_MONOTONIC) / UINT64_C(1000);
}

uint64_t
clock_wall_ms(void)
{
	return clock_read_ns(CLOCK_REALTIME) / UINT64_C(1000000);
}

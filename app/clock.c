/*
 * clock.c: monotonic and wall-clock time in ms and us.
 */
#include "config.h"

#include <time.h>

#include "clock.h"

static int64_t
clock_us(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
vt_mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

int64_t
vt_mono_ms(void)
{
	return clock_us(CLOCK_MONOTONIC) / 1000;
}

int64_t
vt_mono_ms_since(int64_t start_us)
{
	return (clock_us(CLOCK_MONOTONIC) - start_us) / 1000;
}

int64_t
vt_wall_ms(void)
{
	return clock_us(CLOCK_REALTIME) / 1000;
}

int64_t
vt_thread_cpu_us(void)
{
	return clock_us(CLOCK_THREAD_CPUTIME_ID);
}

int64_t
vt_pace_rounds(int64_t cost_us, int64_t budget_us, int64_t least,
    int64_t most)
{
	int64_t	n = budget_us > 0 ? (cost_us + budget_us - 1) / budget_us : most;

	if (n < least)
		n = least;
	if (n > most)
		n = most;
	return n;
}

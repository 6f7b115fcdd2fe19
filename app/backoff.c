/*
 * backoff.c: doubling, capped waits between retries (see backoff.h).
 */
#include "config.h"

#include <unistd.h>

#include "backoff.h"
#include "clock.h"

/* The next random number of this process's sequence. */
static uint64_t
backoff_rand(struct vt_backoff *b)
{
	pid_t		pid = getpid();
	uint64_t	x;

	if (b->rng == 0 || b->rng_pid != pid) {
		b->rng = ((uint64_t)vt_mono_us() << 20) ^
		    ((uint64_t)pid << 40) ^ (uint64_t)(uintptr_t)b;
		if (b->rng == 0)
			b->rng = 0x9e3779b97f4a7c15ULL;
		b->rng_pid = pid;
	}
	x = b->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	b->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

void
vt_backoff_init(struct vt_backoff *b, int64_t base_ms, int64_t cap_ms,
    int jitter)
{
	b->failures = 0;
	b->step_ms = 0;
	b->next_at = 0;
	b->rng = 0;
	b->rng_pid = 0;
	b->jitter = jitter;
	vt_backoff_set(b, base_ms, cap_ms);
}

void
vt_backoff_set(struct vt_backoff *b, int64_t base_ms, int64_t cap_ms)
{
	b->base_ms = base_ms > 0 ? base_ms : 1;
	b->cap_ms = cap_ms >= b->base_ms ? cap_ms : b->base_ms;
}

int64_t
vt_backoff_fail(struct vt_backoff *b, int64_t now)
{
	int64_t	d, half;

	d = b->step_ms <= 0 ? b->base_ms : b->step_ms * 2;
	if (d > b->cap_ms)
		d = b->cap_ms;
	b->step_ms = d;
	b->failures++;
	if (b->jitter) {
		half = d / 2;
		d = half +
		    (int64_t)(backoff_rand(b) % (uint64_t)(d - half + 1));
	}
	b->next_at = now + d;
	return d;
}

void
vt_backoff_reset(struct vt_backoff *b)
{
	b->failures = 0;
	b->step_ms = 0;
}

int64_t
vt_backoff_left(const struct vt_backoff *b, int64_t now)
{
	return b->next_at > now ? b->next_at - now : 0;
}

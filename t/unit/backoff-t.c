/*
 * backoff-t.c: the one back-off (app/backoff.c): the doubling and the cap
 * of every user's schedule, the reset after a success, the wait left, the
 * clamped bounds and the jitter's range.
 */
#include "config.h"

#include <stdint.h>

#include "../tap.h"
#include "backoff.h"

/* The waits of n failures in a row at time 0, into out. */
static void
steps(struct vt_backoff *b, int64_t *out, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		out[i] = vt_backoff_fail(b, 0);
}

static int
same(const int64_t *got, const int64_t *want, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (got[i] != want[i]) {
			diag("step %d: got %lld, want %lld", i,
			    (long long)got[i], (long long)want[i]);
			return 0;
		}
	return 1;
}

int
main(void)
{
	static const int64_t	crash[] = { 50, 100, 200, 400, 800, 1600,
				    3200, 5000, 5000, 5000, 5000, 5000 };
	static const int64_t	rec[] = { 1000, 2000, 4000, 8000, 16000,
				    30000, 30000 };
	static const int64_t	retry[] = { 1000, 2000, 4000, 8000, 10000,
				    10000 };
	static const int64_t	accept[] = { 10, 20, 40, 80, 160, 320, 640,
				    1000, 1000 };
	struct vt_backoff	b;
	int64_t			got[16], d;
	int			i, inside;

	plan(22);

	/* The schedules of the master, the recorder and the worker. */
	vt_backoff_init(&b, 50, 5000, 0);
	steps(&b, got, 12);
	ok(same(got, crash, 12), "the workers' crash loop: 50 ms doubling "
	    "to 5 s");
	is_int(b.failures, 12, "failures are counted");
	vt_backoff_init(&b, 1000, 30000, 0);
	steps(&b, got, 7);
	ok(same(got, rec, 7), "the recorder's respawn: 1 s doubling to 30 s");
	vt_backoff_init(&b, 1000, 10000, 0);
	steps(&b, got, 6);
	ok(same(got, retry, 6), "the recorder's retries: 1 s doubling to 10 s");
	vt_backoff_init(&b, 10, 1000, 0);
	steps(&b, got, 9);
	ok(same(got, accept, 9), "a worker's accept: 10 ms doubling to 1 s");

	/* The wait, and a success. */
	vt_backoff_init(&b, 100, 1000, 0);
	is_int(vt_backoff_left(&b, 12345), 0, "nothing to wait before a "
	    "failure");
	is_int(vt_backoff_fail(&b, 1000), 100, "the first failure waits base");
	is_int(b.next_at, 1100, "next_at is now plus the wait");
	is_int(vt_backoff_left(&b, 1040), 60, "the wait left");
	is_int(vt_backoff_left(&b, 1100), 0, "due at next_at");
	is_int(vt_backoff_left(&b, 5000), 0, "and after it");
	is_int(vt_backoff_fail(&b, 2000), 200, "the second doubles");
	vt_backoff_reset(&b);
	is_int(b.failures, 0, "a success clears the failures");
	is_int(b.next_at, 2200, "and keeps the wait already set");
	is_int(vt_backoff_fail(&b, 3000), 100, "the next failure waits base "
	    "again");

	/* Bounds. */
	vt_backoff_init(&b, 0, -5, 0);
	is_int(b.base_ms, 1, "a base below 1 ms is 1 ms");
	is_int(b.cap_ms, 1, "a cap below the base is the base");
	vt_backoff_set(&b, 200, 400);
	is_int(vt_backoff_fail(&b, 0), 200, "new bounds apply to the next "
	    "failure");
	(void)vt_backoff_fail(&b, 0);
	is_int(vt_backoff_fail(&b, 0), 400, "and keep the cap");

	/* Jitter: each wait in [d/2, d], d on the same schedule. */
	vt_backoff_init(&b, 100, 1600, 1);
	inside = 1;
	for (i = 0; i < 200; i++) {
		int64_t	step;

		d = vt_backoff_fail(&b, 0);
		step = b.step_ms;
		if (d < step / 2 || d > step || b.next_at != d)
			inside = 0;
		if (i % 8 == 7)
			vt_backoff_reset(&b);
	}
	ok(inside, "jittered waits stay within [d/2, d]");
	vt_backoff_init(&b, 100, 1600, 1);
	for (i = 0; i < 6; i++)
		(void)vt_backoff_fail(&b, 0);
	is_int(b.step_ms, 1600, "the jittered schedule doubles to its cap");
	vt_backoff_init(&b, 1000, 1000, 1);
	d = vt_backoff_fail(&b, 0);
	ok(d >= 500 && d <= 1000, "a single step jitters too (%lld ms)",
	    (long long)d);
	return tap_exit_status();
}

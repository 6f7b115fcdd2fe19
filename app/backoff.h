/*
 * backoff.h: the one back-off of Vitals.  Every part that retries (the
 * database's reconnects, the master's respawns, the recorder's writes, a
 * worker's accept) waits base_ms after the first failure, twice as long
 * after each further one, never longer than cap_ms, and starts over after
 * a success.  With jitter, each wait is drawn uniformly from [d/2, d].
 * Times are monotonic milliseconds (clock.h).  The state is the caller's:
 * no statics.
 */
#ifndef VT_BACKOFF_H
#define VT_BACKOFF_H

#include <stdint.h>
#include <sys/types.h>

struct vt_backoff {
	int64_t		base_ms;
	int64_t		cap_ms;
	int		jitter;		/* draw from [d/2, d] */
	int		failures;	/* since the last success */
	int64_t		step_ms;	/* the last d; 0 after a success */
	int64_t		next_at;	/* no retry before; 0: none due */
	uint64_t	rng;		/* xorshift64* state for the jitter */
	pid_t		rng_pid;	/* reseeded in each process */
};

/*
 * Set up b: base_ms (at least 1), cap_ms (at least base_ms), jitter on or
 * off; no failure yet.
 */
void	vt_backoff_init(struct vt_backoff *b, int64_t base_ms, int64_t cap_ms,
	    int jitter);

/*
 * Change the bounds of b (clamped as by vt_backoff_init()); the failures
 * counted so far stay.
 */
void	vt_backoff_set(struct vt_backoff *b, int64_t base_ms, int64_t cap_ms);

/*
 * A failure at monotonic time now: count it, take the next step and set
 * b->next_at.  Returns the wait, in ms.
 */
int64_t	vt_backoff_fail(struct vt_backoff *b, int64_t now);

/*
 * A success: the next failure waits base_ms again.  A wait already set
 * (b->next_at) stays.
 */
void	vt_backoff_reset(struct vt_backoff *b);

/* How long until a retry is due at monotonic time now, in ms; 0: now. */
int64_t	vt_backoff_left(const struct vt_backoff *b, int64_t now);

#endif /* VT_BACKOFF_H */

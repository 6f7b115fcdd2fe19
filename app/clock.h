/*
 * clock.h: the two clocks Vitals uses.  Deadlines, ages and durations use
 * the monotonic clock; timestamps shown to people use the wall clock.
 * Both in milliseconds (or microseconds where named).  And the calling
 * thread's CPU time, for what a piece of work costs whatever else runs.
 */
#ifndef VT_CLOCK_H
#define VT_CLOCK_H

#include <stdint.h>

int64_t	vt_mono_ms(void);
int64_t	vt_mono_us(void);
int64_t	vt_wall_ms(void);

/* Whole milliseconds since start_us, a vt_mono_us() reading. */
int64_t	vt_mono_ms_since(int64_t start_us);

/* The calling thread's CPU time (user and system), in microseconds. */
int64_t	vt_thread_cpu_us(void);

/*
 * The pacing of a piece of work that costs what it finds (the TCP count,
 * the process scan, the CLOSE_WAIT walk): after a run that took cost_us
 * of CPU, how many rounds until the next, ceil(cost_us / budget_us) so
 * that its mean stays within budget_us a round, and between least and
 * most.
 */
int64_t	vt_pace_rounds(int64_t cost_us, int64_t budget_us, int64_t least,
	    int64_t most);

#endif /* VT_CLOCK_H */

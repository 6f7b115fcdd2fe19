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

#endif /* VT_CLOCK_H */

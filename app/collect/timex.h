/*
 * timex.h: the kernel's clock discipline as adjtimex(2) reports it
 * (node_exporter's timex collector): the offset from the reference clock,
 * the frequency adjustment, the maximum and estimated errors, the status
 * bits, whether the clock is synchronised, and the PPS figures.  Read
 * every tick (one system call); adjtimex with no mode bits only reads.
 */
#ifndef VT_COLLECT_TIMEX_H
#define VT_COLLECT_TIMEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/timex.h>

#include "vitals.h"

/* node_exporter's figures, in its units. */
struct vt_timex {
	int	have;			/* 0: adjtimex refused (EPERM) */
	int	sync_status;		/* 0 when the state is TIME_ERROR */
	double	offset_s;
	double	frequency_ratio;	/* 1 + freq / 2^16 ppm */
	double	maxerror_s;
	double	esterror_s;
	double	status;			/* the STA_* bits */
	double	loop_time_constant;
	double	tick_s;
	double	pps_frequency_hz;
	double	pps_jitter_s;
	double	pps_shift_s;
	double	pps_stability_hz;
	double	pps_jitter_total;
	double	pps_calibration_total;
	double	pps_error_total;
	double	pps_stability_exceeded_total;
	double	tai_offset_s;
};

/*
 * The figures of tx, as adjtimex(2) filled it and returned state (a
 * TIME_* clock state), into *out, with node_exporter's arithmetic: offset
 * and PPS jitter in nanoseconds when STA_NANO is set, else microseconds;
 * frequencies in 2^-16 ppm.  Pure.
 */
void	vt_timex_from(const struct timex *tx, int state, struct vt_timex *out);

/*
 * Call adjtimex(2) (reading only) and fill *out.  EPERM (a seccomp filter
 * without adjtimex) is no data, not an error, as node_exporter has it:
 * VT_OK with have = 0.  Other failures: VT_ERR with the reason in err.
 */
int	vt_timex_read(struct vt_timex *out, char *err, size_t errlen);

#endif /* VT_COLLECT_TIMEX_H */

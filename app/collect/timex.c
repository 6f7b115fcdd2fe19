/*
 * timex.c: adjtimex(2) (see timex.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/timex.h>

#include "collect/procfile.h"
#include "collect/timex.h"

/* adjtimex(2), NOTES: frequencies are in ppm with a 16-bit fraction. */
#define TIMEX_PPM16	(1000000.0 * 65536.0)

void
vt_timex_from(const struct timex *tx, int state, struct vt_timex *out)
{
	double	div = (tx->status & STA_NANO) ? 1e9 : 1e6;

	memset(out, 0, sizeof(*out));
	out->have = 1;
	out->sync_status = state != TIME_ERROR;
	out->offset_s = (double)tx->offset / div;
	out->frequency_ratio = 1 + (double)tx->freq / TIMEX_PPM16;
	out->maxerror_s = (double)tx->maxerror / 1e6;
	out->esterror_s = (double)tx->esterror / 1e6;
	out->status = (double)tx->status;
	out->loop_time_constant = (double)tx->constant;
	out->tick_s = (double)tx->tick / 1e6;
	out->pps_frequency_hz = (double)tx->ppsfreq / TIMEX_PPM16;
	out->pps_jitter_s = (double)tx->jitter / div;
	out->pps_shift_s = (double)tx->shift;
	out->pps_stability_hz = (double)tx->stabil / TIMEX_PPM16;
	out->pps_jitter_total = (double)tx->jitcnt;
	out->pps_calibration_total = (double)tx->calcnt;
	out->pps_error_total = (double)tx->errcnt;
	out->pps_stability_exceeded_total = (double)tx->stbcnt;
	out->tai_offset_s = (double)tx->tai;
}

int
vt_timex_read(struct vt_timex *out, char *err, size_t errlen)
{
	struct timex	tx;
	int		state;

	memset(out, 0, sizeof(*out));
	memset(&tx, 0, sizeof(tx));	/* modes 0: read only */
	if ((state = adjtimex(&tx)) == -1) {
		if (errno == EPERM)
			return VT_OK;
		return vt_pf_err(err, errlen, "adjtimex: %s", strerror(errno));
	}
	vt_timex_from(&tx, state, out);
	return VT_OK;
}

/*
 * rate.c: counter deltas, rates and CPU percentages (see rate.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "collect/rate.h"

/* The eight modes that partition a CPU's time. */
#define RATE_NPART	(VT_CPU_STEAL + 1)

static double	rate_of(uint64_t delta, double seconds);
static double	rate_clamp(double v);

static double
rate_of(uint64_t delta, double seconds)
{
	double	r;

	if (!(seconds > 0) || !isfinite(seconds))
		return 0.0;
	r = (double)delta / seconds;
	return isfinite(r) ? r : 0.0;
}

static double
rate_clamp(double v)
{
	if (!(v > 0))
		return 0.0;
	return v > 100.0 ? 100.0 : v;
}

uint64_t
vt_delta_u64(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : 0;
}

uint64_t
vt_delta_u32(uint64_t prev, uint64_t cur)
{
	uint32_t	step;

	if (prev > UINT32_MAX || cur > UINT32_MAX)
		return vt_delta_u64(prev, cur);
	step = (uint32_t)cur - (uint32_t)prev;	/* modulo 2^32 */
	return step < UINT32_C(0x80000000) ? step : 0;
}

double
vt_rate_u64(uint64_t prev, uint64_t cur, double seconds)
{
	return rate_of(vt_delta_u64(prev, cur), seconds);
}

double
vt_rate_u32(uint64_t prev, uint64_t cur, double seconds)
{
	return rate_of(vt_delta_u32(prev, cur), seconds);
}

double
vt_busy_percent(uint64_t prev_ms, uint64_t cur_ms, double seconds)
{
	return rate_clamp(rate_of(vt_delta_u32(prev_ms, cur_ms), seconds) /
	    10.0);
}

int
vt_cpu_percent(const struct vt_cpu_jiffies *prev,
    const struct vt_cpu_jiffies *cur, struct vt_cpu_percent *out)
{
	uint64_t	d[VT_CPU_NMODES], sum_prev = 0, sum_cur = 0, total = 0;
	int		i;

	memset(out, 0, sizeof(*out));
	out->id = cur->id;
	for (i = 0; i < RATE_NPART; i++) {
		sum_prev += prev->mode[i];
		sum_cur += cur->mode[i];
	}
	if (sum_cur < sum_prev)
		return VT_ERR;		/* the line was reset */
	for (i = 0; i < VT_CPU_NMODES; i++)
		d[i] = vt_delta_u64(prev->mode[i], cur->mode[i]);
	for (i = 0; i < RATE_NPART; i++)
		total += d[i];
	if (total == 0)
		return VT_ERR;
	for (i = 0; i < VT_CPU_NMODES; i++)
		out->mode[i] = rate_clamp((double)d[i] * 100.0 /
		    (double)total);
	out->busy = rate_clamp(100.0 - out->mode[VT_CPU_IDLE] -
	    out->mode[VT_CPU_IOWAIT]);
	out->valid = 1;
	return VT_OK;
}

size_t
vt_cpu_percent_all(const struct vt_proc_stat *prev,
    const struct vt_proc_stat *cur, struct vt_cpu_percent *total,
    struct vt_cpu_percent out[VT_MAX_CPUS])
{
	const struct vt_cpu_jiffies	*p;
	size_t				 i, j;

	(void)vt_cpu_percent(&prev->total, &cur->total, total);
	for (i = 0; i < cur->ncpu; i++) {
		p = NULL;
		/* Usually at the same index; search when CPUs came or went. */
		if (i < prev->ncpu && prev->cpu[i].id == cur->cpu[i].id) {
			p = &prev->cpu[i];
		} else {
			for (j = 0; j < prev->ncpu; j++) {
				if (prev->cpu[j].id == cur->cpu[i].id) {
					p = &prev->cpu[j];
					break;
				}
			}
		}
		if (p == NULL) {
			memset(&out[i], 0, sizeof(out[i]));
			out[i].id = cur->cpu[i].id;
			continue;
		}
		(void)vt_cpu_percent(p, &cur->cpu[i], &out[i]);
	}
	return cur->ncpu;
}

/*
 * rate-t.c: counter deltas and rates (reset, 32-bit wrap, bad intervals)
 * and CPU percentages (sums, bounds, backward modes, reset lines,
 * unplugged and new CPUs).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tap.h"
#include "collect/proc_stat.h"
#include "collect/rate.h"

static struct vt_proc_stat	sa, sb;

static void	jiffies(struct vt_cpu_jiffies *c, int id, uint64_t user,
		    uint64_t system, uint64_t idle, uint64_t iowait);
static double	sum8(const struct vt_cpu_percent *p);
static int	in_range(const struct vt_cpu_percent *p);

static void
jiffies(struct vt_cpu_jiffies *c, int id, uint64_t user, uint64_t system,
    uint64_t idle, uint64_t iowait)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->nmodes = VT_CPU_NMODES;
	c->mode[VT_CPU_USER] = user;
	c->mode[VT_CPU_SYSTEM] = system;
	c->mode[VT_CPU_IDLE] = idle;
	c->mode[VT_CPU_IOWAIT] = iowait;
}

static double
sum8(const struct vt_cpu_percent *p)
{
	double	s = 0;
	int	i;

	for (i = 0; i <= VT_CPU_STEAL; i++)
		s += p->mode[i];
	return s;
}

static int
in_range(const struct vt_cpu_percent *p)
{
	int	i;

	for (i = 0; i < VT_CPU_NMODES; i++) {
		if (!(p->mode[i] >= 0 && p->mode[i] <= 100))
			return 0;
	}
	return p->busy >= 0 && p->busy <= 100;
}

int
main(void)
{
	struct vt_cpu_jiffies	a, b;
	struct vt_cpu_percent	p, tot, all[VT_MAX_CPUS];
	struct timespec		t0, t1;
	char			root[4096], err[VT_ERRLEN];
	volatile double		spin = 0;
	size_t			n, i;
	int			okall;

	/* 64-bit counters. */
	is_int((long long)vt_delta_u64(10, 15), 5, "delta: forward");
	is_int((long long)vt_delta_u64(15, 10), 0, "delta: backwards is a "
	    "reset, 0");
	is_dbl(vt_rate_u64(100, 300, 2.0), 100.0, 1e-12, "rate: 200 in 2 s");
	is_dbl(vt_rate_u64(300, 100, 2.0), 0.0, 0, "rate: reset gives 0");
	is_dbl(vt_rate_u64(UINT64_MAX - 5, 10, 1.0), 0.0, 0,
	    "rate: a 64-bit counter does not wrap, it resets");
	is_dbl(vt_rate_u64(100, 300, 0.0), 0.0, 0, "rate: zero interval");
	is_dbl(vt_rate_u64(100, 300, -1.0), 0.0, 0, "rate: negative interval");
	is_dbl(vt_rate_u64(100, 300, NAN), 0.0, 0, "rate: NaN interval");
	is_dbl(vt_rate_u64(100, 300, INFINITY), 0.0, 0,
	    "rate: infinite interval");
	is_dbl(vt_rate_u64(0, 1000, 1e-3), 1e6, 1e-6,
	    "rate: a short interval is taken as it is");
	is_dbl(vt_rate_u64(0, UINT64_MAX, 1e-300), 0.0, 0,
	    "rate: an overflow to infinity gives 0");

	/* 32-bit counters: wrap versus reset. */
	is_int((long long)vt_delta_u32(4294967000ULL, 500), 796,
	    "u32: wrap past 2^32 gives the true step");
	is_dbl(vt_rate_u32(4294967000ULL, 500, 2.0), 398.0, 1e-12,
	    "u32: rate across the wrap");
	is_int((long long)vt_delta_u32(100000, 50), 0,
	    "u32: a big step back is a reset, 0");
	is_int((long long)vt_delta_u32(5, 10), 5, "u32: forward");
	is_int((long long)vt_delta_u32(0, 0x7fffffff), 0x7fffffff,
	    "u32: forward by 2^31 - 1");
	is_int((long long)vt_delta_u32(0, 0x80000000ULL), 0,
	    "u32: 2^31 or more is taken as a reset");
	is_int((long long)vt_delta_u32(5000000000ULL, 6000000000ULL),
	    1000000000, "u32: values past 2^32 are a 64-bit counter");
	is_int((long long)vt_delta_u32(6000000000ULL, 5000000000ULL), 0,
	    "... which resets, not wraps");
	is_dbl(vt_busy_percent(1000, 1500, 1.0), 50.0, 1e-12,
	    "busy: 500 ms of 1 s");
	is_dbl(vt_busy_percent(1000, 2500, 1.0), 100.0, 0,
	    "busy: clamped at 100");
	is_dbl(vt_busy_percent(4294967000ULL, 200, 1.0), 49.6, 1e-9,
	    "busy: across the 49.7-day wrap of io_ms");
	is_dbl(vt_busy_percent(2000, 1000, 1.0), 0.0, 0, "busy: reset is 0");
	is_dbl(vt_busy_percent(1000, 1500, 0.0), 0.0, 0,
	    "busy: zero interval is 0");

	/* CPU percent. */
	jiffies(&a, 0, 100, 50, 800, 50);
	jiffies(&b, 0, 200, 100, 1600, 100);
	is_int(vt_cpu_percent(&a, &b, &p), VT_OK, "cpu: valid");
	is_dbl(p.mode[VT_CPU_USER], 10.0, 1e-9, "cpu: user 10 %%");
	is_dbl(p.mode[VT_CPU_SYSTEM], 5.0, 1e-9, "cpu: system 5 %%");
	is_dbl(p.mode[VT_CPU_IDLE], 80.0, 1e-9, "cpu: idle 80 %%");
	is_dbl(p.busy, 15.0, 1e-9, "cpu: busy = 100 - idle - iowait");
	is_dbl(sum8(&p), 100.0, 1e-9, "cpu: the eight modes sum to 100");

	b.mode[VT_CPU_GUEST] = 40;
	vt_cpu_percent(&a, &b, &p);
	is_dbl(p.mode[VT_CPU_GUEST], 4.0, 1e-9,
	    "cpu: guest is a share of the time (inside user)");
	is_dbl(sum8(&p), 100.0, 1e-9, "cpu: and not counted twice");

	jiffies(&b, 0, 200, 100, 1600, 45);	/* iowait went back by 5 */
	is_int(vt_cpu_percent(&a, &b, &p), VT_OK,
	    "cpu: iowait going back a little: still valid");
	is_dbl(p.mode[VT_CPU_IOWAIT], 0.0, 0, "cpu: ... iowait 0, not < 0");
	ok(in_range(&p) && fabs(sum8(&p) - 100.0) < 1e-9,
	    "cpu: ... and the rest still sum to 100");

	jiffies(&b, 0, 10, 5, 80, 5);		/* the line was reset */
	is_int(vt_cpu_percent(&a, &b, &p), VT_ERR, "cpu: a reset line");
	ok(!p.valid && sum8(&p) == 0 && p.busy == 0,
	    "cpu: ... is not valid and all 0");
	is_int(vt_cpu_percent(&a, &a, &p), VT_ERR, "cpu: no time passed");
	ok(!p.valid && sum8(&p) == 0, "cpu: ... all 0, no division by 0");

	/* Per CPU: matched by id, across unplug and plug. */
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	jiffies(&sa.total, -1, 400, 200, 3200, 200);
	jiffies(&sb.total, -1, 800, 400, 6400, 400);
	for (i = 0; i < 4; i++)
		jiffies(&sa.cpu[i], (int)i, 100, 50, 800, 50);
	sa.ncpu = 4;
	jiffies(&sb.cpu[0], 0, 200, 100, 1600, 100);
	jiffies(&sb.cpu[1], 1, 100, 50, 1850, 0);
	jiffies(&sb.cpu[2], 3, 150, 50, 1800, 50);	/* cpu2 unplugged */
	jiffies(&sb.cpu[3], 4, 5, 5, 90, 0);		/* cpu4 is new */
	sb.ncpu = 4;
	n = vt_cpu_percent_all(&sa, &sb, &tot, all);
	is_int((long long)n, 4, "all: one result per current CPU");
	ok(tot.valid && fabs(sum8(&tot) - 100) < 1e-9, "all: the total");
	ok(all[0].valid && all[0].id == 0 && fabs(all[0].busy - 15) < 1e-9,
	    "all: cpu0");
	ok(all[1].valid && fabs(all[1].mode[VT_CPU_IDLE] - 100) < 1e-9,
	    "all: cpu1 idle all along");
	ok(all[2].valid && all[2].id == 3 &&
	    fabs(all[2].mode[VT_CPU_USER] - 50.0 / 1050 * 100) < 1e-9,
	    "all: cpu3 matched by id, not by position");
	ok(!all[3].valid && all[3].id == 4 && sum8(&all[3]) == 0,
	    "all: the new cpu4 is not valid this once");

	/* 64 CPUs from the constructed fixture, one minute later. */
	snprintf(root, sizeof(root), "%s/proc/server64", tap_fixture_root());
	if (vt_proc_stat_read(root, &sa, err, sizeof(err)) == VT_ERR)
		bail("server64: %s", err);
	sb = sa;
	for (i = 0; i < sb.ncpu; i++) {
		sb.cpu[i].mode[VT_CPU_USER] += 30 * i;
		sb.cpu[i].mode[VT_CPU_IDLE] += 6000 - 30 * i;
		sb.total.mode[VT_CPU_USER] += 30 * i;
		sb.total.mode[VT_CPU_IDLE] += 6000 - 30 * i;
	}
	n = vt_cpu_percent_all(&sa, &sb, &tot, all);
	for (okall = 1, i = 0; i < n; i++) {
		if (!all[i].valid || !in_range(&all[i]) ||
		    fabs(sum8(&all[i]) - 100) > 1e-9 ||
		    fabs(all[i].busy - (double)i / 2) > 1e-9)
			okall = 0;
	}
	ok(n == 64 && okall, "server64: 64 CPUs, busy 0 .. 31.5 %%, each "
	    "summing to 100");
	is_dbl(tot.busy, 63.0 * 64 / 2 * 30 / (6000.0 * 64) * 100, 1e-9,
	    "server64: total busy is the mean");

	/* The live machine: two snapshots around a short busy loop. */
	if (vt_proc_stat_read("/", &sa, err, sizeof(err)) == VT_ERR)
		bail("/proc/stat: %s", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < 100000; i++)
			spin += (double)i;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000 < 300);
	if (vt_proc_stat_read("/", &sb, err, sizeof(err)) == VT_ERR)
		bail("/proc/stat: %s", err);
	n = vt_cpu_percent_all(&sa, &sb, &tot, all);
	ok(tot.valid && in_range(&tot) && fabs(sum8(&tot) - 100) < 1e-6,
	    "live: total valid, in range, sums to 100");
	ok(tot.busy > 0, "live: a busy loop shows (%.1f %% busy over %zu "
	    "CPUs)", tot.busy, n);

	done_testing();
	return tap_exit_status();
}

/*
 * proc_live-t.c: every reader against this machine's real /proc (root
 * "/"), checked against what the C library says, and the cost of one
 * full collection pass, printed as diagnostics (not asserted: the
 * numbers depend on the machine).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/fs_usage.h"
#include "collect/proc_diskstats.h"
#include "collect/proc_loadavg.h"
#include "collect/proc_meminfo.h"
#include "collect/proc_mounts.h"
#include "collect/proc_net_dev.h"
#include "collect/proc_net_netstat.h"
#include "collect/proc_net_tcp.h"
#include "collect/proc_pid.h"
#include "collect/proc_pressure.h"
#include "collect/proc_self.h"
#include "collect/proc_stat.h"
#include "collect/proc_uptime.h"
#include "collect/procfile.h"
#include "sampler.h"

/* Big structs live here, not on the stack. */
static struct vt_proc_stat		st;
static struct vt_proc_meminfo		mi;
static struct vt_proc_loadavg		la;
static struct vt_proc_uptime		up;
static struct vt_proc_net_dev		nd;
static struct vt_proc_diskstats		ds;
static struct vt_proc_mounts		mt;
static struct vt_tcp_states		tcp;
static struct vt_proc_net_netstat	ns;
static struct vt_proc_pressure		pr;
static struct vt_pid_table		pids;

static double	now_us(void);
static int	pass(char *err, size_t errlen);

static double
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Every reader once, as the sampler would.  Returns the failures. */
static int
pass(char *err, size_t errlen)
{
	int	bad = 0;

	bad += vt_proc_stat_read("/", &st, err, errlen) != VT_OK;
	bad += vt_proc_meminfo_read("/", &mi, err, errlen) != VT_OK;
	bad += vt_proc_loadavg_read("/", &la, err, errlen) != VT_OK;
	bad += vt_proc_uptime_read("/", &up, err, errlen) != VT_OK;
	bad += vt_proc_net_dev_read("/", &nd, err, errlen) != VT_OK;
	bad += vt_proc_diskstats_read("/", NULL, &ds, err, errlen) != VT_OK;
	bad += vt_proc_mounts_read("/", NULL, &mt, err, errlen) != VT_OK;
	bad += vt_tcp_states_read("/", NULL, &tcp, err, errlen) != VT_OK;
	bad += vt_proc_net_netstat_read("/", &ns, err, errlen) != VT_OK;
	bad += vt_proc_pressure_read("/", &pr, err, errlen) != VT_OK;
	return bad;
}

/*
 * The sampler sizes the filesystems (statvfs through its helper) on the
 * process-scan ticks only, and carries the sizes between: every second
 * tick here (top_every 2).
 */
static void
fs_cadence(void)
{
	static struct vt_sampler	 s;
	struct vt_sampler_opts		 o;
	const struct vt_host		*h;
	unsigned long			 p1, p2;
	uint64_t			 size1;

	memset(&o, 0, sizeof(o));
	o.root = "/";
	o.statvfs = 1;
	o.top_every = 2;
	if (vt_sampler_init(&s, &o) == VT_ERR)
		bail("vt_sampler_init failed");
	h = vt_sampler_collect(&s, 1000, 1000000);
	p1 = s.fs.passes;
	if (h->mounts.n == 0) {
		skip(2, "no mount the sampler keeps");
		vt_sampler_free(&s);
		return;
	}
	size1 = h->mounts.m[0].size_bytes;
	h = vt_sampler_collect(&s, 2000, 2000000);
	ok(s.fs.passes == p1 && (h->have & VT_HAVE(VT_COL_FILESYSTEM)) &&
	    h->mounts.m[0].state == VT_FS_OK &&
	    h->mounts.m[0].size_bytes == size1,
	    "sampler: between scans the filesystems' sizes are carried, the "
	    "helper not asked (%lu passes)", s.fs.passes);
	h = vt_sampler_collect(&s, 3000, 3000000);
	p2 = s.fs.passes;
	ok(p2 == p1 + 1 && (h->have & VT_HAVE(VT_COL_FILESYSTEM)),
	    "sampler: a scan tick asks the helper again (%lu passes)", p2);
	vt_sampler_free(&s);
}

int
main(void)
{
	struct vt_fs_helper	h;
	struct sysinfo		si;
	struct timespec		boot;
	char			err[VT_ERRLEN];
	double			t0, t1, ts[10];
	size_t			i;
	int			k, found;

	is_int(pass(err, sizeof(err)), 0, "every reader works on this "
	    "machine's /proc");
	is_int((long long)st.ncpu, sysconf(_SC_NPROCESSORS_ONLN),
	    "per-CPU lines = online CPUs (%ld)", sysconf(_SC_NPROCESSORS_ONLN));
	if (sysinfo(&si) == 0)
		is_int((long long)mi.mem_total,
		    (long long)si.totalram * si.mem_unit,
		    "MemTotal = sysinfo's total RAM");
	else
		skip(1, "no sysinfo");
	clock_gettime(CLOCK_BOOTTIME, &boot);
	ok(up.uptime > (double)boot.tv_sec - 2 &&
	    up.uptime < (double)boot.tv_sec + 2, "uptime = CLOCK_BOOTTIME");
	ok(la.total >= 1 && la.last_pid > 0, "loadavg: tasks and a last pid");
	for (found = 0, i = 0; i < nd.n; i++)
		found += strcmp(nd.iface[i].name, "lo") == 0;
	is_int(found, 1, "net/dev: lo once");
	is_int(tcp.source, VT_TCP_SRC_NETLINK, "tcp: counted over netlink");
	ok(ns.has_listen, "netstat: ListenOverflows and ListenDrops present");
	diag("pressure: cpu %s, memory %s, io %s",
	    pr.res[VT_PSI_CPU].available ? "yes" : "no",
	    pr.res[VT_PSI_MEMORY].available ? "yes" : "no",
	    pr.res[VT_PSI_IO].available ? "yes" : "no");
	diag("%zu CPUs, %zu interfaces, %zu block devices, %zu mounts, "
	    "%llu sockets", st.ncpu, nd.n, ds.n, mt.n,
	    (unsigned long long)(vt_tcp_states_total(&tcp, VT_TCP_LISTEN) +
	    vt_tcp_states_total(&tcp, VT_TCP_ESTABLISHED) +
	    vt_tcp_states_total(&tcp, VT_TCP_TIME_WAIT)));

	/*
	 * The open descriptors: the listing's own one aside, the same (read
	 * once before, so the files the reader keeps open are open).
	 */
	{
		struct vt_proc_self	 ps;
		struct dirent		*de;
		DIR			*d;
		long long		 listed = -1;

		(void)vt_proc_self_read("/", sysconf(_SC_PAGESIZE), &ps, err,
		    sizeof(err));
		if ((d = opendir("/proc/self/fd")) != NULL) {
			for (listed = 0; (de = readdir(d)) != NULL; )
				listed += de->d_name[0] != '.';
			closedir(d);
		}
		is_int(vt_proc_self_read("/", sysconf(_SC_PAGESIZE), &ps, err,
		    sizeof(err)), VT_OK, "self: read");
		is_int((long long)ps.open_fds, listed - 1,
		    "self: %lld open descriptors, as /proc/self/fd lists "
		    "(less the listing's own)", listed - 1);
		/* The limits come from getrlimit(2): the file's numbers. */
		{
			struct vt_proc_self	pl;
			char			buf[4096];
			size_t			len;

			memset(&pl, 0, sizeof(pl));
			ok(vt_procfile_read("/", "proc/self/limits", buf,
			    sizeof(buf), &len, err, sizeof(err)) == VT_OK &&
			    vt_proc_limits_parse(buf, len, &pl, err,
			    sizeof(err)) == VT_OK &&
			    pl.max_fds == ps.max_fds &&
			    pl.max_vsize_bytes == ps.max_vsize_bytes,
			    "self: the limits are /proc/self/limits' (open "
			    "files %llu, address space %llu)",
			    (unsigned long long)ps.max_fds,
			    (unsigned long long)ps.max_vsize_bytes);
		}
	}

	/* The cost of the readers, each alone and all together. */
	for (k = 0; k < 10; k++)
		ts[k] = 0;
	t0 = now_us();
	for (k = 0; k < 200; k++)
		(void)pass(err, sizeof(err));
	t1 = now_us();
	diag("one pass of the ten readers: %.0f us (mean of 200)",
	    (t1 - t0) / 200);
	for (k = 0; k < 200; k++) {
		t0 = now_us();
		(void)vt_proc_stat_read("/", &st, err, sizeof(err));
		ts[0] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_meminfo_read("/", &mi, err, sizeof(err));
		ts[1] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_net_dev_read("/", &nd, err, sizeof(err));
		ts[2] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_diskstats_read("/", NULL, &ds, err, sizeof(err));
		ts[3] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_mounts_read("/", NULL, &mt, err, sizeof(err));
		ts[4] += now_us() - t0;
		t0 = now_us();
		(void)vt_tcp_states_read("/", NULL, &tcp, err, sizeof(err));
		ts[5] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_net_tcp_read("/", &tcp, err, sizeof(err));
		ts[6] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_net_netstat_read("/", &ns, err, sizeof(err));
		ts[7] += now_us() - t0;
		t0 = now_us();
		(void)vt_proc_pressure_read("/", &pr, err, sizeof(err));
		ts[8] += now_us() - t0;
	}
	diag("mean us: stat %.0f, meminfo %.0f, net/dev %.0f, diskstats %.0f "
	    "(with sysfs), mounts %.0f, tcp netlink %.0f, tcp files %.0f, "
	    "netstat %.0f, pressure %.0f", ts[0] / 200, ts[1] / 200,
	    ts[2] / 200, ts[3] / 200, ts[4] / 200, ts[5] / 200, ts[6] / 200,
	    ts[7] / 200, ts[8] / 200);

	vt_fs_helper_init(&h);
	(void)vt_fs_usage(&h, &mt, 1000, err, sizeof(err));
	t0 = now_us();
	for (k = 0; k < 50; k++)
		(void)vt_fs_usage(&h, &mt, 1000, err, sizeof(err));
	t1 = now_us();
	ok(h.timeouts == 0 && h.npending == 0, "statvfs helper: 51 passes, "
	    "no timeout, nothing left");
	is_int((long long)h.starts, 1, "statvfs helper: one helper for all");
	diag("statvfs pass (one request, %zu statvfs): %.0f us (mean of 50 "
	    "after the first)", mt.n, (t1 - t0) / 50);
	is_int((long long)vt_fs_helper_cleanup(&h), 0,
	    "statvfs helper: stopped");

	t0 = now_us();
	for (k = 0; k < 20; k++)
		(void)vt_proc_pid_scan("/", &pids, VT_PID_TABLE_MAX, 0, err,
		    sizeof(err));
	t1 = now_us();
	ok(pids.n > 0 && pids.complete, "process scan: complete");
	diag("process scan: %zu processes, %.0f us (%.1f us per process, "
	    "mean of 20)", pids.n, (t1 - t0) / 20, (t1 - t0) / 20 / pids.n);

	fs_cadence();
	done_testing();
	return tap_exit_status();
}

/*
 * sampler.c: the once-a-second host sampler (see sampler.h).
 *
 * Cost, measured here (2 vCPUs, ~150 processes): all collectors but the
 * process scan take about 1 ms a tick; the process scan about 2-4 ms, so
 * it runs every 5th tick by default.  The listeners' sock_diag dump, on a
 * socket kept open, takes about 0.05 ms a tick (0.5 ms with 1000
 * listeners); the walk of /proc/<pid>/fd that names their owners and the
 * CLOSE_WAIT holders runs on the process-scan ticks only, when there is
 * something to look for, under the process scan's budget.  The master
 * publishes its own CPU time as vitals_sampler_duration_seconds and in
 * /api/metrics.
 *
 * The collectors of issue 12, best of 50 calls here under a load of about
 * 15 (gcc -O2): timex (one adjtimex) 2 us every tick; on the scan ticks
 * time (zone and clocksources) 24 us, hwmon and thermal_zone 3 and 8 us on
 * this VM (it has none) and 316 and 77 us on server64's fixture tree (3
 * chips, 2 zones), the textfile directory 0.04 ms for 3 small files and
 * 22-31 ms at its bounds (64 files of 64 KB); its per-tick merge 0.02 ms.
 * node_exporter's /proc/net collectors add about 0.25 ms a tick (snmp
 * 0.09, netstat 0.07, conntrack 0.05, sockstat 0.03, softnet 0.02 ms,
 * medians of t/integration/proc-net.t here); udp_queues, arp and entropy
 * read tables that grow with the host, so they run on the process-scan
 * ticks (0.16, 0.04 and 0.03 ms here).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks_input.h"
#include "clock.h"
#include "collect/procfile.h"
#include "collect/sockowner.h"
#include "derive.h"
#include "log.h"
#include "poolview.h"
#include "render/checks.h"
#include "render/json.h"
#include "render/openmetrics.h"
#include "render/prom.h"
#include "sampler.h"
#include "scoreboard.h"

const char *const vt_collector_names[VT_COL_N] = {
	[VT_COL_STAT] = "stat",
	[VT_COL_MEMINFO] = "meminfo",
	[VT_COL_LOADAVG] = "loadavg",
	[VT_COL_UPTIME] = "uptime",
	[VT_COL_NET_DEV] = "net_dev",
	[VT_COL_DISKSTATS] = "diskstats",
	[VT_COL_MOUNTS] = "mounts",
	[VT_COL_FILESYSTEM] = "filesystem",
	[VT_COL_TCP] = "tcp",
	[VT_COL_NETCLASS] = "netclass",
	[VT_COL_UNAME] = "uname",
	[VT_COL_OS] = "os",
	[VT_COL_TEXTFILE] = "textfile",
	[VT_COL_TIMEX] = "timex",
	[VT_COL_TIME] = "time",
	[VT_COL_HWMON] = "hwmon",
	[VT_COL_THERMAL] = "thermal_zone",
	[VT_COL_SELF] = "self",
	[VT_COL_NETSTAT] = "netstat",
	[VT_COL_PRESSURE] = "pressure",
	[VT_COL_PROCESSES] = "processes",
	[VT_COL_LISTENERS] = "listeners",
	[VT_COL_FILE_NR] = "filefd",
	[VT_COL_VMSTAT] = "vmstat",
	[VT_COL_SNMP] = "snmp",
	[VT_COL_SOCKSTAT] = "sockstat",
	[VT_COL_SOFTNET] = "softnet",
	[VT_COL_ENTROPY] = "entropy",
	[VT_COL_UDP_QUEUES] = "udp_queues",
	[VT_COL_ARP] = "arp",
	[VT_COL_CONNTRACK] = "conntrack",
	[VT_COL_SELINUX] = "selinux",
	[VT_COL_UDEV] = "udev",
};

/* The netlink dumps of the listeners and of the CLOSE_WAIT sockets. */
#define SAMPLER_DIAG_TIMEOUT_MS	200

#define SAMPLER_WALK_MAX	(VT_SAMPLER_CW_MAX + VT_MAX_LISTENERS)

/*
 * The cadence of the CLOSE_WAIT holders' walk.  It reads the descriptor
 * table of every process (readlink of each /proc/<pid>/fd entry): 20 to
 * 81 ms a walk at 5 000 to 50 000 connections on a 2-core VM (./stack
 * bench --scale, issue 14), every fifth tick before it was paced.  Who
 * holds a pile of CLOSE_WAIT changes far more slowly than the pile: after
 * a walk that took C us of CPU, the next is ceil(C / (budget x
 * top_every)) scans later, at most SAMPLER_CW_EVERY_MAX scans (a minute
 * at top_every 5).
 * Between walks the holders are carried with the time they were found
 * (close_wait_holders.ts_ms in /api/metrics); the CLOSE_WAIT count itself
 * is the TCP collector's, not paced by this.
 */
#define SAMPLER_CW_BUDGET_US	500
#define SAMPLER_CW_EVERY_MAX	12

/*
 * A socket in CLOSE_WAIT stays with the process that holds it: it has
 * been shut down by its peer, and the one thing left to do with it is
 * close it, which takes it out of the state.  So a pass keeps the holder
 * a walk found for each socket of the pile while that process runs (the
 * scan's table, or kill(pid, 0) past it), and walks only for the sockets
 * it does not know: a pile that stays costs its dump, not a readlink of
 * every descriptor on the host (at 20 000 connections and 5 000 processes
 * the walk read 55 000 descriptors, some 4 ms a tick at one walk a
 * minute, more than the rest of the tick).  A socket handed to another
 * process after it entered the state (SCM_RIGHTS, or a fork whose parent
 * then closes its copy) keeps its first holder until that one exits, or
 * until the full walk every SAMPLER_CW_FULL_EVERY passes, which looks for
 * every socket again.
 */
#define SAMPLER_CW_FULL_EVERY	120

/*
 * The interfaces' attributes are read whole every this many scan ticks
 * even when no link notification came (a minute at top_every 5): the
 * bound on a change the watch missed (link_watch.h says why there should
 * be none).
 */
#define SAMPLER_NC_FULL_EVERY	12

/*
 * The cadence of the process scan: every top_every samples, or less often
 * where processes are many.  A scan reads /proc/<pid>/stat of every
 * process (and statm of those that ran): about 6.5 us a process on a
 * 2-core VM (./stack bench --scale), 33 ms at 5 000 processes.  After a
 * scan that took C us of CPU, the next is max(top_every, ceil(C /
 * SAMPLER_SCAN_BUDGET_US)) samples later, at most SAMPLER_SCAN_EVERY_MAX:
 * the scan's mean cost stays within 1 ms a tick up to about 4 500
 * processes.  The top tables carry the time of their scan
 * (processes.timestamp_ms in /api/metrics), and the CPU shares are
 * averaged over the time between the two scans, however long.
 */
#define SAMPLER_SCAN_BUDGET_US	1000
#define SAMPLER_SCAN_EVERY_MAX	30

/*
 * How many /proc/<pid>/stat files the process scan keeps open
 * (proc_pid.h): a quarter of the soft RLIMIT_NOFILE, the rest left to the
 * pool (1 024 under the unit: 256 processes read without an open).
 */
static size_t
sampler_pid_fds_cap(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return 256;
	return (size_t)(rl.rlim_cur / 4);
}

int
vt_sampler_init(struct vt_sampler *s, const struct vt_sampler_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->opt = *o;
	snprintf(s->root, sizeof(s->root), "%s", o->root ? o->root : "/");
	s->opt.root = s->root;
	if (s->opt.fs_deadline_ms <= 0)
		s->opt.fs_deadline_ms = 200;
	if (s->opt.top_every <= 0)
		s->opt.top_every = 5;
	if (s->opt.top_budget_ms <= 0)
		s->opt.top_budget_ms = 50;
	snprintf(s->listen_path, sizeof(s->listen_path), "%s",
	    o->listen_path ? o->listen_path : "");
	s->opt.listen_path = s->listen_path;
	vt_diag_reader_init(&s->lr);
	vt_link_watch_init(&s->links);
	s->filter.fstypes = vt_mounts_default_fstypes;
	s->filter.mountpoints = vt_mounts_default_mountpoints;
	vt_fs_helper_init(&s->fs);
	s->h[0] = calloc(1, sizeof(struct vt_host));
	s->h[1] = calloc(1, sizeof(struct vt_host));
	s->pids[0] = calloc(1, sizeof(struct vt_pid_table));
	s->pids[1] = calloc(1, sizeof(struct vt_pid_table));
	if ((s->pid_fds = malloc(sizeof(*s->pid_fds))) != NULL)
		vt_pid_fds_init(s->pid_fds, sampler_pid_fds_cap());
	s->checks = calloc(1, sizeof(struct vt_checks));
	s->checks_in = calloc(1, sizeof(struct vt_checks_input));
	if (s->checks != NULL)
		vt_checks_init(s->checks);
	if (s->opt.health_stale_ms <= 0)
		s->opt.health_stale_ms =
		    (int64_t)(s->opt.checks.health_stale_s * 1000);
	s->walk_inodes = calloc(SAMPLER_WALK_MAX, sizeof(s->walk_inodes[0]));
	s->walk_pids = calloc(SAMPLER_WALK_MAX, sizeof(s->walk_pids[0]));
	s->cw_pids = calloc(VT_SAMPLER_CW_MAX, sizeof(s->cw_pids[0]));
	s->cw_known[0] = calloc(VT_SAMPLER_CW_MAX, sizeof(s->cw_known[0][0]));
	s->cw_known[1] = calloc(VT_SAMPLER_CW_MAX, sizeof(s->cw_known[1][0]));
	s->walk_procs = calloc(VT_PID_TABLE_MAX, sizeof(s->walk_procs[0]));
	if ((s->mounts = malloc(sizeof(*s->mounts))) != NULL)
		vt_mounts_watch_init(s->mounts);
	if (s->mounts == NULL || s->h[0] == NULL || s->h[1] == NULL ||
	    s->pids[0] == NULL || s->pids[1] == NULL || s->pid_fds == NULL ||
	    s->checks == NULL ||
	    s->checks_in == NULL || s->walk_inodes == NULL ||
	    s->walk_pids == NULL || s->cw_pids == NULL ||
	    s->cw_known[0] == NULL || s->cw_known[1] == NULL ||
	    s->walk_procs == NULL ||
	    vt_buf_init(&s->checks_doc, 8 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->json, 64 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->prom, 128 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->om, 128 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->gz, 32 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_gzip_init(&s->gzip, VT_GZIP_LEVEL) == VT_ERR ||
	    vt_textfile_init(&s->tf, o->textfile_dir) == VT_ERR) {
		vt_sampler_free(s);
		return VT_ERR;
	}
	return VT_OK;
}

void
vt_sampler_free(struct vt_sampler *s)
{
	(void)vt_fs_helper_cleanup(&s->fs);
	free(s->h[0]);
	free(s->h[1]);
	free(s->pids[0]);
	free(s->pids[1]);
	if (s->pid_fds != NULL)
		vt_pid_fds_close(s->pid_fds);
	free(s->pid_fds);
	free(s->checks);
	free(s->checks_in);
	vt_buf_free(&s->checks_doc);
	free(s->walk_inodes);
	free(s->walk_pids);
	free(s->cw_pids);
	free(s->cw_known[0]);
	free(s->cw_known[1]);
	free(s->walk_procs);
	if (s->mounts != NULL)
		vt_mounts_watch_close(s->mounts);
	free(s->mounts);
	/* A zeroed sampler (never initialised, or freed) has fd 0: not ours. */
	if (s->lr.opens > 0)
		vt_diag_reader_close(&s->lr);
	if (s->links.opens > 0)
		vt_link_watch_close(&s->links);
	vt_buf_free(&s->json);
	vt_buf_free(&s->prom);
	vt_buf_free(&s->om);
	vt_buf_free(&s->gz);
	vt_gzip_free(&s->gzip);
	vt_textfile_free(&s->tf);
	memset(s, 0, sizeof(*s));
}

/* One line of a small /proc/sys file, trimmed, into dst. */
static void
sampler_line(const char *root, const char *rel, char *dst, size_t len)
{
	char	buf[256], err[64];
	size_t	n = 0;

	dst[0] = '\0';
	if (vt_procfile_read(root, rel, buf, sizeof(buf), &n, err,
	    sizeof(err)) == VT_ERR)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, buf, n);
	dst[n] = '\0';
}

/* Note a collector's result; log only when its state changes. */
static void
sampler_result(struct vt_sampler *s, struct vt_host *h, enum vt_collector c,
    int rc, const char *err, int64_t t0)
{
	uint64_t	bit = VT_HAVE(c);

	h->st.col_duration_s[c] = (double)(vt_mono_us() - t0) / 1e6;
	if (rc == VT_OK) {
		h->have |= bit;
		if (s->failing & bit)
			vt_log_info("collector_recovered", "collector=%s",
			    vt_collector_names[c]);
		s->failing &= ~bit;
		return;
	}
	s->col_errors[c]++;
	if (!(s->failing & bit)) {
		char	q[VT_ERRLEN + 8];

		vt_log_warn("collector_failed", "collector=%s error=%s",
		    vt_collector_names[c], vt_log_quote(q, sizeof(q), err));
	}
	s->failing |= bit;
}

/*
 * Between the process-scan ticks, the filesystems' sizes: the last
 * statvfs() of each mount, when the mount table is the one they were
 * taken for (a mount or an unmount is sized at once).  Sizes change
 * slowly, and a round trip to the helper and its statvfs calls were some
 * 0.1 ms of the idle master's tick, with the helper's (issue 14).
 * Returns 1 when carried, 0 when they must be taken now.
 */
static int
sampler_fs_carry(struct vt_host *h, const struct vt_host *p)
{
	size_t	i;

	if (!(p->have & VT_HAVE(VT_COL_FILESYSTEM)) ||
	    p->mounts.n != h->mounts.n)
		return 0;
	for (i = 0; i < h->mounts.n; i++)
		if (strcmp(p->mounts.m[i].mountpoint,
		    h->mounts.m[i].mountpoint) != 0 ||
		    strcmp(p->mounts.m[i].device, h->mounts.m[i].device) != 0)
			return 0;
	for (i = 0; i < h->mounts.n; i++) {
		const struct vt_mount	*f = &p->mounts.m[i];
		struct vt_mount		*t = &h->mounts.m[i];

		t->state = f->state;
		t->error = f->error;
		t->size_bytes = f->size_bytes;
		t->free_bytes = f->free_bytes;
		t->avail_bytes = f->avail_bytes;
		t->files = f->files;
		t->files_free = f->files_free;
	}
	h->have |= VT_HAVE(VT_COL_FILESYSTEM);
	return 1;
}

/*
 * The slow collectors' members of struct vt_host, from netclass to
 * disk_info (host.h): one range, zeroed on a scan tick and carried as a
 * whole between.  Zeroing and copying the whole host every tick (424 KiB,
 * 200 of them the slow members: the disks' udev rows, hwmon, netclass)
 * was about 6 % of an idle master's samples in perf (issue 14).
 */
#define SAMPLER_SLOW_FIRST	offsetof(struct vt_host, netclass)
#define SAMPLER_SLOW_END	(offsetof(struct vt_host, disk_info) +	\
	    sizeof(((struct vt_host *)0)->disk_info))
#define SAMPLER_SLOW_IN(m)						\
	_Static_assert(offsetof(struct vt_host, m) >= SAMPLER_SLOW_FIRST && \
	    offsetof(struct vt_host, m) < SAMPLER_SLOW_END,		\
	    "struct vt_host: " #m " is out of the slow range")
SAMPLER_SLOW_IN(uname);
SAMPLER_SLOW_IN(os);
SAMPLER_SLOW_IN(time);
SAMPLER_SLOW_IN(hwmon);
SAMPLER_SLOW_IN(thermal);
SAMPLER_SLOW_IN(entropy);
SAMPLER_SLOW_IN(udp);
SAMPLER_SLOW_IN(arp);
SAMPLER_SLOW_IN(selinux);

/*
 * Start h, the buffer this tick fills (p: the last tick's): zeroed but
 * for the slow range, which a scan tick zeroes (scan) and another keeps.
 */
static void
sampler_clear(struct vt_host *h, int scan)
{
	memset(h, 0, SAMPLER_SLOW_FIRST);
	memset((char *)h + SAMPLER_SLOW_END, 0,
	    sizeof(*h) - SAMPLER_SLOW_END);
	if (scan)
		memset((char *)h + SAMPLER_SLOW_FIRST, 0,
		    SAMPLER_SLOW_END - SAMPLER_SLOW_FIRST);
}

/*
 * Between the process-scan ticks, the slow collectors' last result
 * (and its success bit) carries forward.  The range is copied only when
 * h holds an older scan's than p: once after each scan tick, as the two
 * buffers alternate (s->slow_scan, which scan each holds).
 */
static void
sampler_slow_carry(struct vt_sampler *s, struct vt_host *h,
    const struct vt_host *p)
{
	static const enum vt_collector	slow[] = { VT_COL_NETCLASS,
	    VT_COL_UNAME, VT_COL_OS, VT_COL_TEXTFILE, VT_COL_TIME,
	    VT_COL_HWMON, VT_COL_THERMAL,
	    /* node_exporter's /proc/net collectors (issue 12, part A). */
	    VT_COL_ENTROPY, VT_COL_UDP_QUEUES, VT_COL_ARP, VT_COL_SELINUX,
	    VT_COL_UDEV };
	size_t				i;

	memcpy(h->hostname, p->hostname, sizeof(h->hostname));
	memcpy(h->kernel, p->kernel, sizeof(h->kernel));
	if (s->slow_scan[s->cur ^ 1] != s->slow_scan[s->cur]) {
		memcpy((char *)h + SAMPLER_SLOW_FIRST,
		    (const char *)p + SAMPLER_SLOW_FIRST,
		    SAMPLER_SLOW_END - SAMPLER_SLOW_FIRST);
		s->slow_scan[s->cur ^ 1] = s->slow_scan[s->cur];
	}
	for (i = 0; i < VT_ARRAY_LEN(slow); i++) {
		h->have |= p->have & VT_HAVE(slow[i]);
		h->st.col_duration_s[slow[i]] = p->st.col_duration_s[slow[i]];
	}
}

/*
 * The interfaces' attributes on a scan tick: read whole when a link
 * changed (link_watch.h), when the last read failed, on a fixture root
 * (no notifications of its own), and every SAMPLER_NC_FULL_EVERY scan
 * ticks whatever the watch says; otherwise the last read's, with
 * rx_nohandler read again (vt_netclass_nohandler_read()).  Reading them
 * whole was some 8 % of an idle master's CPU: about twenty sysfs files an
 * interface, every fifth tick.
 */
static int
sampler_netclass(struct vt_sampler *s, struct vt_host *h,
    const struct vt_host *p, char *err, size_t errlen)
{
	int	full;

	full = !vt_procfile_root_is_real(s->root);
	/* Asked every scan tick, so what is queued is drained as it comes. */
	if (!full && vt_link_watch_changed(&s->links))
		full = 1;
	if (!(p->have & VT_HAVE(VT_COL_NETCLASS)) ||
	    s->nc_scans % SAMPLER_NC_FULL_EVERY == 0)
		full = 1;
	s->nc_scans++;
	if (full) {
		s->nc_full++;
		return vt_netclass_read(s->root, &h->netclass, err, errlen);
	}
	h->netclass = p->netclass;
	return vt_netclass_nohandler_read(s->root, &h->netclass, err, errlen);
}

/*
 * The process scan, when due (SAMPLER_SCAN_*); between scans the last
 * result is carried.  Returns 1 when it scanned.
 */
static int
sampler_top(struct vt_sampler *s, struct vt_host *h, const struct vt_host *p,
    int64_t mono_us)
{
	struct vt_pid_table    *cur = s->pids[s->pcur ^ 1];
	struct vt_pid_table    *prev = s->pids[s->pcur];
	char			err[VT_ERRLEN];
	int64_t			t0 = vt_mono_us(), c0;
	int			rc;

	if (s->have_pids && s->samples < s->pids_next) {
		memcpy(h->top_cpu, p->top_cpu, sizeof(h->top_cpu));
		memcpy(h->top_mem, p->top_mem, sizeof(h->top_mem));
		h->ntop_cpu = p->ntop_cpu;
		h->ntop_mem = p->ntop_mem;
		h->top_ts_ms = p->top_ts_ms;
		if (p->have & VT_HAVE(VT_COL_PROCESSES))
			h->have |= VT_HAVE(VT_COL_PROCESSES);
		return 0;
	}
	/* Incremental: an idle process's rss is carried (proc_pid.h). */
	c0 = vt_thread_cpu_us();
	rc = vt_proc_pid_rescan(s->root, s->have_pids ? prev : NULL, cur,
	    s->pid_fds, VT_PID_TABLE_MAX, s->opt.top_budget_ms, err,
	    sizeof(err));
	s->pids_next = s->samples + (uint64_t)vt_pace_rounds(
	    vt_thread_cpu_us() - c0, SAMPLER_SCAN_BUDGET_US, s->opt.top_every,
	    SAMPLER_SCAN_EVERY_MAX);
	sampler_result(s, h, VT_COL_PROCESSES, rc, err, t0);
	if (rc == VT_ERR)
		return 1;
	h->ntop_mem = vt_pid_top_mem(cur, h->top_mem);
	if (s->have_pids)
		h->ntop_cpu = vt_pid_top_cpu(prev, cur,
		    (double)(mono_us - s->pids_mono_us) / 1e6, h->hz,
		    h->top_cpu);
	h->top_ts_ms = h->ts_ms;
	s->pids_mono_us = mono_us;
	s->pcur ^= 1;
	s->have_pids = 1;
	return 1;
}

static int
inode_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The owner the last walk found for inode, or NULL. */
static const struct vt_sampler_owner *
sampler_owner(const struct vt_sampler *s, uint64_t inode)
{
	size_t	i;

	for (i = 0; i < s->nowners; i++)
		if (s->owners[i].inode == inode)
			return &s->owners[i];
	return NULL;
}

/* Give the listeners their owners as last found. */
static void
sampler_owners_known(const struct vt_sampler *s, struct vt_host *h)
{
	const struct vt_sampler_owner	*o;
	size_t				 i;

	for (i = 0; i < h->listeners.n; i++) {
		struct vt_listen_entry	*e = &h->listeners.l[i];

		if (e->pid != 0 || (o = sampler_owner(s, e->inode)) == NULL ||
		    o->pid == 0)
			continue;
		e->pid = o->pid;
		memcpy(e->comm, o->comm, sizeof(e->comm));
	}
	h->listeners.owners_ts_ms = s->owners_ts_ms;
}

/*
 * 1 when a listener's owner must be looked for: not known, or its process
 * is gone, or nobody was found and the retry time has passed.
 */
static int
sampler_owner_stale(const struct vt_sampler *s, uint64_t inode, int64_t now)
{
	const struct vt_sampler_owner	*o = sampler_owner(s, inode);

	if (o == NULL)
		return 1;
	if (o->pid == 0)
		return now - o->ts_ms >= VT_SAMPLER_OWNER_RETRY_MS;
	return kill(o->pid, 0) == -1 && errno == ESRCH;
}

/*
 * The processes the owner walk reads: those of this tick's process scan
 * but kernel threads (no memory of their own, no descriptors) and
 * zombies, in pid order.  0 when the scan did not see every process: the
 * walk then reads the whole of /proc.
 */
static size_t
sampler_walk_procs(struct vt_sampler *s)
{
	const struct vt_pid_table	*t = s->pids[s->pcur];
	size_t				 i, n = 0;

	if (!s->have_pids || !t->complete)
		return 0;
	for (i = 0; i < t->n && n < VT_PID_TABLE_MAX; i++)
		if (t->p[i].rss_bytes > 0 && t->p[i].state != 'Z')
			s->walk_procs[n++] = t->p[i].pid;
	return n;
}

/* By inode. */
static int
cw_cmp(const void *a, const void *b)
{
	const struct vt_sampler_cw	*x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/*
 * Whether pid runs (a zombie has closed its descriptors): from the scan's
 * table when it saw every process, else kill(pid, 0).
 */
static int
sampler_running(const struct vt_sampler *s, int32_t pid)
{
	const struct vt_pid_table	*t = s->pids[s->pcur];
	const struct vt_pid_sample	*p;

	if (s->have_pids && t->complete)
		return (p = vt_pid_table_find(t, pid)) != NULL &&
		    p->state != 'Z';
	return kill(pid, 0) == 0 || errno == EPERM;
}

/*
 * Of the n CLOSE_WAIT sockets in s->walk_inodes, those whose holder the
 * last pass knew and which still runs (SAMPLER_CW_FULL_EVERY) go with it
 * into the next known table and s->cw_pids, *nknown of them; the others
 * stay at the front of walk_inodes, to be walked for.  Returns how many
 * stay.
 */
static size_t
sampler_cw_split(struct vt_sampler *s, size_t n, size_t *nknown)
{
	const struct vt_sampler_cw	*old = s->cw_known[s->cw_cur], *c;
	struct vt_sampler_cw		*next = s->cw_known[s->cw_cur ^ 1];
	struct vt_sampler_cw		 key;
	struct { int32_t pid; int run; } memo[16];	/* kill()s saved */
	size_t				 i, left = 0, k = 0;

	memset(memo, 0, sizeof(memo));
	for (i = 0; i < n; i++) {
		key.inode = s->walk_inodes[i];
		c = bsearch(&key, old, s->ncw_known[s->cw_cur], sizeof(*old),
		    cw_cmp);
		if (c != NULL && memo[c->pid & 15].pid != c->pid) {
			memo[c->pid & 15].pid = c->pid;
			memo[c->pid & 15].run = sampler_running(s, c->pid);
		}
		if (c != NULL && memo[c->pid & 15].run) {
			next[k] = *c;
			s->cw_pids[k++] = c->pid;
		} else
			s->walk_inodes[left++] = key.inode;
	}
	*nknown = k;
	return left;
}

/*
 * On a process-scan tick: one walk of the descriptor tables for the
 * listeners whose owner is not known and, when the host has CLOSE_WAIT
 * sockets, theirs (from a dump of that state alone); no walk when there
 * is nothing to look for.  Between scans the listeners keep the owners
 * found and the holders are carried.  The walk's time counts as the
 * listeners collector's.
 */
static void
sampler_owners(struct vt_sampler *s, struct vt_host *h,
    const struct vt_host *p, int scan)
{
	struct vt_sampler_owner		 keep[VT_MAX_LISTENERS];
	const struct vt_sampler_owner	*o;
	char				 err[VT_ERRLEN];
	uint64_t			 cw_total = 0, lino[VT_MAX_LISTENERS];
	struct vt_sampler_cw		*next = s->cw_known[s->cw_cur ^ 1];
	struct vt_sockowner_stats	 wst;
	size_t				 ncw = 0, nl = 0, n = 0, i, k, nkeep = 0;
	size_t				 np, nknown = 0, nk;
	int64_t				 t0 = vt_mono_us(), c0;
	int				 cw = 0, cw_ok = 0;

	if (!scan) {
		sampler_owners_known(s, h);
		h->close_wait_holders = p->close_wait_holders;
		return;
	}
	c0 = vt_thread_cpu_us();
	if (vt_tcp_states_total(&h->tcp, VT_TCP_CLOSE_WAIT) > 0 &&
	    vt_procfile_root_is_real(s->root)) {
		cw = 1;
		s->cw_scans++;
	}
	/* Due, or no pile known yet; else the holders are carried. */
	if (cw && (s->cw_scans >= s->cw_next ||
	    p->close_wait_holders.sockets == 0)) {
		cw_ok = vt_sock_inodes_read(&s->lr, 1U << VT_TCP_CLOSE_WAIT,
		    s->walk_inodes, VT_SAMPLER_CW_MAX, &ncw, &cw_total,
		    SAMPLER_DIAG_TIMEOUT_MS, err, sizeof(err)) == VT_OK;
		if (!cw_ok)
			ncw = 0;
		else if (s->cw_scans < s->cw_full_next)
			ncw = sampler_cw_split(s, ncw, &nknown);
		else
			s->cw_full_next = s->cw_scans + SAMPLER_CW_FULL_EVERY;
	}
	for (i = 0; i < h->listeners.n; i++)
		if (sampler_owner_stale(s, h->listeners.l[i].inode, h->ts_ms))
			lino[nl++] = h->listeners.l[i].inode;
	qsort(lino, nl, sizeof(lino[0]), inode_cmp);
	if (ncw + nl > 0) {
		memcpy(s->walk_inodes + ncw, lino, nl * sizeof(lino[0]));
		n = ncw + nl;
		qsort(s->walk_inodes, n, sizeof(s->walk_inodes[0]),
		    inode_cmp);
		for (i = 0, k = 0; i < n; i++)
			if (k == 0 ||
			    s->walk_inodes[i] != s->walk_inodes[k - 1])
				s->walk_inodes[k++] = s->walk_inodes[i];
		n = k;
		np = sampler_walk_procs(s);
		if (vt_sockowner_walk(s->root, np > 0 ? s->walk_procs : NULL,
		    np, &s->walk_cursor, s->walk_inodes, n,
		    s->walk_pids, s->opt.top_budget_ms, &wst, err,
		    sizeof(err)) == VT_ERR)
			memset(s->walk_pids, 0, n * sizeof(s->walk_pids[0]));
		else
			vt_log_debug("owner_walk", "sockets=%zu listeners=%zu "
			    "known=%zu procs=%zu fds=%zu matched=%zu "
			    "complete=%d us=%llu", ncw, nl, nknown, wst.procs,
			    wst.fds, wst.matched, wst.complete,
			    (unsigned long long)wst.walk_us);
	}

	/* The owners: the walk's where it looked, else as known. */
	for (i = 0; i < h->listeners.n && nkeep < VT_ARRAY_LEN(keep); i++) {
		struct vt_sampler_owner	*c = &keep[nkeep];
		uint64_t		 key = h->listeners.l[i].inode;
		const uint64_t		*f = NULL;

		if (bsearch(&key, lino, nl, sizeof(key), inode_cmp) != NULL)
			f = bsearch(&key, s->walk_inodes, n, sizeof(key),
			    inode_cmp);
		if (f != NULL) {
			memset(c, 0, sizeof(*c));
			c->inode = key;
			c->pid = s->walk_pids[f - s->walk_inodes];
			c->ts_ms = h->ts_ms;
			if (c->pid != 0 && vt_sockowner_comm(s->root, c->pid,
			    c->comm, sizeof(c->comm)) == VT_ERR)
				c->pid = 0;	/* gone since */
		} else if ((o = sampler_owner(s, key)) != NULL)
			*c = *o;
		else
			continue;
		nkeep++;
	}
	memcpy(s->owners, keep, nkeep * sizeof(keep[0]));
	s->nowners = nkeep;
	if (nl > 0 || s->owners_ts_ms == 0)
		s->owners_ts_ms = h->ts_ms;
	sampler_owners_known(s, h);

	/* The CLOSE_WAIT sockets: every walked inode not a listener's. */
	if (!cw) {
		memset(&h->close_wait_holders, 0,
		    sizeof(h->close_wait_holders));
		s->ncw_known[s->cw_cur] = 0;
	} else if (cw_ok) {
		/* Those known, then those walked for: next is the new table. */
		for (i = 0, k = nk = nknown; i < n && k < VT_SAMPLER_CW_MAX;
		    i++) {
			if (bsearch(&s->walk_inodes[i], lino, nl,
			    sizeof(lino[0]), inode_cmp) != NULL)
				continue;
			if (s->walk_pids[i] != 0) {
				next[nk].inode = s->walk_inodes[i];
				next[nk++].pid = s->walk_pids[i];
			}
			s->cw_pids[k++] = s->walk_pids[i];
		}
		qsort(next, nk, sizeof(next[0]), cw_cmp);
		s->ncw_known[s->cw_cur ^ 1] = nk;
		s->cw_cur ^= 1;
		vt_sock_holders_count(s->cw_pids, k, &h->close_wait_holders);
		if (cw_total > k)
			h->close_wait_holders.sockets = cw_total;
		for (i = 0; i < h->close_wait_holders.n; i++)
			(void)vt_sockowner_comm(s->root,
			    h->close_wait_holders.h[i].pid,
			    h->close_wait_holders.h[i].comm,
			    sizeof(h->close_wait_holders.h[i].comm));
	} else
		h->close_wait_holders = p->close_wait_holders;
	if (!cw || cw_ok)
		h->close_wait_holders.ts_ms = h->ts_ms;
	if (cw_ok)
		s->cw_next = s->cw_scans + (uint64_t)vt_pace_rounds(
		    vt_thread_cpu_us() - c0, (int64_t)SAMPLER_CW_BUDGET_US *
		    s->opt.top_every, 1, SAMPLER_CW_EVERY_MAX);
	h->st.col_duration_s[VT_COL_LISTENERS] +=
	    (double)(vt_mono_us() - t0) / 1e6;
}

const struct vt_host *
vt_sampler_collect(struct vt_sampler *s, int64_t ts_ms, int64_t mono_us)
{
	struct vt_host	       *h = s->h[s->cur ^ 1];
	const struct vt_host   *p = s->h[s->cur];
	char			err[VT_ERRLEN];
	double			interval_s;
	unsigned long		deaths, timeouts;
	int64_t			t0, start = vt_mono_us();
	int			rc, scan, pscan;
	size_t			i;

	/* The same ticks as sampler_top()'s scans. */
	scan = !s->have_pids || s->samples % (uint64_t)s->opt.top_every == 0;
	sampler_clear(h, scan);
	if (scan)
		s->slow_scan[s->cur ^ 1] = ++s->scans;
	h->ts_ms = ts_ms;
	h->hz = sysconf(_SC_CLK_TCK);
	if (h->hz <= 0)
		h->hz = 100;
	interval_s = s->samples > 0 && mono_us > s->last_mono_us ?
	    (double)(mono_us - s->last_mono_us) / 1e6 : 0;

#define COLLECT(col, call) do {						\
		t0 = vt_mono_us();					\
		err[0] = '\0';						\
		rc = (call);						\
		sampler_result(s, h, (col), rc, err, t0);		\
	} while (0)

	COLLECT(VT_COL_STAT, vt_proc_stat_read(s->root, &h->stat, err,
	    sizeof(err)));
	COLLECT(VT_COL_MEMINFO, vt_proc_meminfo_read(s->root, &h->mem, err,
	    sizeof(err)));
	COLLECT(VT_COL_LOADAVG, vt_proc_loadavg_read(s->root, &h->load, err,
	    sizeof(err)));
	COLLECT(VT_COL_UPTIME, vt_proc_uptime_read(s->root, &h->uptime, err,
	    sizeof(err)));
	COLLECT(VT_COL_NET_DEV, vt_proc_net_dev_read(s->root, &h->net, err,
	    sizeof(err)));
	COLLECT(VT_COL_DISKSTATS, vt_proc_diskstats_read(s->root, &p->disk,
	    &h->disk, err, sizeof(err)));
	COLLECT(VT_COL_MOUNTS, vt_proc_mounts_watched(s->mounts, s->root,
	    &s->filter, &h->mounts, err, sizeof(err)));
	if (s->opt.statvfs && (h->have & VT_HAVE(VT_COL_MOUNTS)) &&
	    (scan || !sampler_fs_carry(h, p))) {
		deaths = s->fs.deaths;
		timeouts = s->fs.timeouts;
		COLLECT(VT_COL_FILESYSTEM, vt_fs_usage(&s->fs, &h->mounts,
		    s->opt.fs_deadline_ms, err, sizeof(err)));
		for (i = 0; i < h->mounts.n; i++)
			if (h->mounts.m[i].state == VT_FS_TIMEOUT)
				s->fs_timeouts++;
		/* A lost helper is replaced (now, or after its back-off). */
		if (s->fs.deaths != deaths || s->fs.timeouts != timeouts)
			vt_log_warn("statvfs_helper_lost", "reason=%s "
			    "helper_starts=%lu", s->fs.deaths != deaths ?
			    "exited" : "deadline", s->fs.starts);
	}
	if (scan) {
		/* The names change rarely: read with the slow collectors. */
		sampler_line(s->root, "proc/sys/kernel/hostname", h->hostname,
		    sizeof(h->hostname));
		sampler_line(s->root, "proc/sys/kernel/osrelease", h->kernel,
		    sizeof(h->kernel));
		COLLECT(VT_COL_NETCLASS, sampler_netclass(s, h, p, err,
		    sizeof(err)));
		COLLECT(VT_COL_UNAME, vt_uname_read(s->root, &h->uname, err,
		    sizeof(err)));
		COLLECT(VT_COL_OS, vt_os_release_read(s->root, &h->os, err,
		    sizeof(err)));
		/* Its files stay in s->tf, rendered by vt_sampler_tick(). */
		COLLECT(VT_COL_TEXTFILE, vt_textfile_scan(&s->tf, err,
		    sizeof(err)));
		COLLECT(VT_COL_TIME, vt_time_info_read(s->root, ts_ms / 1000,
		    &h->time, err, sizeof(err)));
		COLLECT(VT_COL_HWMON, vt_hwmon_read(s->root, &h->hwmon, err,
		    sizeof(err)));
		COLLECT(VT_COL_THERMAL, vt_thermal_read(s->root, &h->thermal,
		    err, sizeof(err)));
		/* node_exporter's /proc/net collectors (issue 12, part A). */
		COLLECT(VT_COL_ENTROPY, vt_entropy_read(s->root, &h->entropy,
		    err, sizeof(err)));
		COLLECT(VT_COL_UDP_QUEUES, vt_proc_net_udp_read(s->root,
		    &h->udp, err, sizeof(err)));
		COLLECT(VT_COL_ARP, vt_proc_net_arp_read(s->root, &h->arp, err,
		    sizeof(err)));
		COLLECT(VT_COL_SELINUX, vt_selinux_read(s->root, &h->selinux,
		    err, sizeof(err)));
		/* The devices of this tick's diskstats (udev_disk.h). */
		if (h->have & VT_HAVE(VT_COL_DISKSTATS))
			COLLECT(VT_COL_UDEV, vt_disk_info_read(s->root,
			    &h->disk, &h->disk_info, err, sizeof(err)));
	} else
		sampler_slow_carry(s, h, p);
	COLLECT(VT_COL_TIMEX, vt_timex_read(&h->timex, err, sizeof(err)));
	COLLECT(VT_COL_SELF, vt_proc_self_read(s->root, sysconf(_SC_PAGESIZE),
	    &h->self,
	    err, sizeof(err)));
	COLLECT(VT_COL_NETSTAT, vt_proc_net_netstat_read(s->root, &h->netstat,
	    err, sizeof(err)));
	COLLECT(VT_COL_PRESSURE, vt_proc_pressure_read(s->root, &h->pressure,
	    err, sizeof(err)));
	COLLECT(VT_COL_FILE_NR, vt_proc_sys_fs_file_nr_read(s->root,
	    &h->filenr, err, sizeof(err)));
	COLLECT(VT_COL_VMSTAT, vt_proc_vmstat_read(s->root, &h->vmstat, err,
	    sizeof(err)));
	/* node_exporter's /proc/net collectors (issue 12, part A). */
	COLLECT(VT_COL_SNMP, vt_proc_net_snmp_read(s->root, &h->snmp, err,
	    sizeof(err)));
	COLLECT(VT_COL_SOCKSTAT, vt_proc_net_sockstat_read(s->root,
	    (uint64_t)sysconf(_SC_PAGESIZE), &h->sockstat, err, sizeof(err)));
	COLLECT(VT_COL_SOFTNET, vt_proc_net_softnet_read(s->root, &h->softnet,
	    err, sizeof(err)));
	COLLECT(VT_COL_CONNTRACK, vt_conntrack_read(s->root, &h->conntrack,
	    err, sizeof(err)));
	/*
	 * Paced: the count's mean cost stays within a budget, and a quiet
	 * host is not counted again (tcp_diag.h), nor are its listeners
	 * dumped again while their queues were empty (listeners.h): after
	 * snmp and sockstat, which tell whether TCP did anything.
	 */
	vt_tcp_activity_of((h->have & VT_HAVE(VT_COL_SNMP)) ? &h->snmp : NULL,
	    (h->have & VT_HAVE(VT_COL_SOCKSTAT)) ? &h->sockstat : NULL,
	    &s->tcp_act);
	COLLECT(VT_COL_TCP, vt_tcp_states_paced(s->root, &s->lr, &s->tcp_pace,
	    &s->tcp_act, ts_ms, &h->tcp, err, sizeof(err)));
	COLLECT(VT_COL_LISTENERS, vt_listeners_paced(&s->lr, s->root,
	    &s->lis_pace, &s->tcp_act, &h->listeners, SAMPLER_DIAG_TIMEOUT_MS,
	    err, sizeof(err)));
#undef COLLECT
	vt_derive(h, p, interval_s);
	pscan = sampler_top(s, h, p, mono_us);
	/* The owners' walk reads the processes this scan found. */
	sampler_owners(s, h, p, pscan);

	s->last_mono_us = mono_us;
	s->samples++;
	h->st.samples = s->samples;
	h->st.duration_s = (double)(vt_mono_us() - start) / 1e6;
	s->duration_sum_s += h->st.duration_s;
	h->st.duration_sum_s = s->duration_sum_s;
	memcpy(h->st.col_errors, s->col_errors, sizeof(h->st.col_errors));
	h->st.fs_timeouts = s->fs_timeouts;
	{
		struct rusage	ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0)
			h->st.cpu_time_us = (uint64_t)ru.ru_utime.tv_sec *
			    1000000 + (uint64_t)ru.ru_utime.tv_usec +
			    (uint64_t)ru.ru_stime.tv_sec * 1000000 +
			    (uint64_t)ru.ru_stime.tv_usec;
	}
	s->cur ^= 1;
	return h;
}

/* Whether a scrape asked for metrics_prom[e] lately (VT_EXPO_ASKED_MS). */
static int
sampler_asked(const struct vt_shm *shm, enum vt_expo e)
{
	int64_t	asked = __atomic_load_n(&shm->expo_asked_ms[e],
		    __ATOMIC_RELAXED);

	return asked != 0 && vt_mono_ms() - asked <= VT_EXPO_ASKED_MS;
}

#define SAMPLER_FORM(e)	(1u << (e))

/*
 * The gzipped twin of form e (VT_EXPO_TEXT or VT_EXPO_OM) of this sample,
 * from doc, when a scrape asks for it and it was not tried for this
 * sample yet.
 */
static void
sampler_gz(struct vt_sampler *s, struct vt_shm *shm, enum vt_expo e,
    const struct vt_buf *doc)
{
	enum vt_expo	z = (enum vt_expo)(e + 1);

	if ((s->forms_tried & SAMPLER_FORM(z)) || !sampler_asked(shm, z))
		return;
	s->forms_tried |= SAMPLER_FORM(z);
	vt_buf_reset(&s->gz);
	if (vt_gzip(&s->gzip, doc->data, doc->len, &s->gz) == VT_ERR) {
		vt_log_warn("gzip_failed", "bytes=%zu", doc->len);
		return;
	}
	(void)vt_doc_publish(&shm->metrics_prom[z], s->gz.data, s->gz.len,
	    s->text_ts_ms);
	s->forms |= SAMPLER_FORM(z);
}

void
vt_sampler_forms(struct vt_sampler *s, struct vt_shm *shm)
{
	if (!(s->forms & SAMPLER_FORM(VT_EXPO_TEXT)))
		return;
	if (!(s->forms_tried & SAMPLER_FORM(VT_EXPO_OM)) &&
	    (sampler_asked(shm, VT_EXPO_OM) ||
	    sampler_asked(shm, VT_EXPO_OM_GZ))) {
		s->forms_tried |= SAMPLER_FORM(VT_EXPO_OM);
		vt_buf_reset(&s->om);
		if (vt_render_openmetrics(s->prom.data, s->prom.len,
		    &s->om) == VT_ERR)
			vt_log_warn("render_failed",
			    "document=openmetrics bytes=%zu", s->om.len);
		else {
			(void)vt_doc_publish(&shm->metrics_prom[VT_EXPO_OM],
			    s->om.data, s->om.len, s->text_ts_ms);
			s->forms |= SAMPLER_FORM(VT_EXPO_OM);
		}
	}
	sampler_gz(s, shm, VT_EXPO_TEXT, &s->prom);
	if (s->forms & SAMPLER_FORM(VT_EXPO_OM))
		sampler_gz(s, shm, VT_EXPO_OM, &s->om);
}

/* One log line per transition, and the notify command's queue. */
static void
sampler_transitions(struct vt_sampler *s, const struct vt_host *h)
{
	const struct vt_checks *c = s->checks;
	char			q[256], v[32], t[32];
	int			i;

	for (i = 0; i < VT_CHECK_N; i++) {
		const struct vt_check_item *it = &c->item[i];

		if (!(c->changed & (1u << i)))
			continue;
		if (it->has_value)
			snprintf(v, sizeof(v), "%.6g", it->value);
		else
			snprintf(v, sizeof(v), "null");
		if (it->has_threshold)
			snprintf(t, sizeof(t), "%.6g", it->threshold);
		else
			snprintf(t, sizeof(t), "null");
		vt_log(it->state == VT_CHECK_OK ? VT_LOG_INFO : VT_LOG_WARN,
		    "check_transition", "check=%s from=%s to=%s value=%s "
		    "threshold=%s summary=%s", vt_check_names[i],
		    vt_check_state_names[c->from[i]],
		    vt_check_state_names[it->state], v, t,
		    vt_log_quote(q, sizeof(q), it->summary));
		if (s->opt.notify != NULL)
			vt_notify_queue(s->opt.notify, c, i, h->hostname);
	}
}

/*
 * Judge the sample: the engine's input from the sample, the pool view
 * and the shared health result; its time goes in the cost report.
 */
static void
sampler_judge(struct vt_sampler *s, struct vt_shm *shm,
    const struct vt_host *h)
{
	struct vt_health_result	hr;
	double			late = 0;
	int64_t			t0 = vt_mono_us();

	vt_health_last(&shm->health, &hr);
	if (h->interval_s > 0 && s->opt.interval_s > 0)
		late = h->interval_s - s->opt.interval_s;
	vt_checks_input_fill(s->checks_in, h, &s->pool, &hr, late);
	vt_checks_eval(s->checks, &s->opt.checks, s->checks_in);
	s->checks_us = vt_mono_us() - t0;
	s->checks->eval_us = s->checks_us;
	if (s->checks->changed != 0)
		sampler_transitions(s, h);
	vt_buf_reset(&s->checks_doc);
	if (vt_checks_json(s->checks, &s->checks_doc) == VT_OK)
		(void)vt_doc_publish(&shm->checks_json, s->checks_doc.data,
		    s->checks_doc.len, h->ts_ms);
	else
		vt_log_warn("render_failed", "document=checks bytes=%zu",
		    s->checks_doc.len);
}

/*
 * The members after the host's: the pool, the health, the checks, and
 * whether this server pushes each sample at /api/live (the page's
 * data-live, so that a page without push never subscribes).
 */
static int
sampler_members(struct vt_sampler *s, struct vt_shm *shm,
    const struct vt_host *h)
{
	struct vt_health_result	hr;

	vt_health_last(&shm->health, &hr);
	if (vt_buf_adds(&s->json, ",\"pool\":") == VT_ERR ||
	    vt_poolview_json(&s->pool, &s->json) == VT_ERR ||
	    vt_buf_adds(&s->json, ",\"health\":") == VT_ERR ||
	    vt_health_json(&hr, h->ts_ms, s->opt.health_stale_ms,
	    &s->json) == VT_ERR ||
	    vt_buf_adds(&s->json, ",\"checks\":") == VT_ERR ||
	    vt_buf_add(&s->json, s->checks_doc.data, s->checks_doc.len) ==
	    VT_ERR ||
	    vt_buf_adds(&s->json, s->opt.live_push ? ",\"live_push\":true" :
	    ",\"live_push\":false") == VT_ERR)
		return VT_ERR;
	return vt_buf_add(&s->json, "}", 1);
}

/*
 * The pool's own Unix socket joins the listeners, with the queue the
 * master's 10 Hz gauge last read: here, where the sample is published, so
 * every rendering of it has the whole list.  A pool listening on TCP is
 * in the kernel's dump already.
 */
static void
sampler_pool_listener(struct vt_sampler *s, struct vt_host *h)
{
	struct vt_listen_entry	e;

	if (!s->pool.queue_known || s->listen_path[0] == '\0')
		return;
	if (s->pid == 0)
		s->pid = (int32_t)getpid();	/* the master's: it ticks */
	memset(&e, 0, sizeof(e));
	e.family = AF_UNIX;
	snprintf(e.address, sizeof(e.address), "%s", s->listen_path);
	e.queue = (uint32_t)s->pool.listen_queue;
	e.backlog = (uint32_t)s->pool.listen_backlog;
	e.pid = s->pid;
	snprintf(e.comm, sizeof(e.comm), "vitals");
	vt_listeners_add(&h->listeners, &e);
	vt_listeners_sort(&h->listeners);
}

void
vt_sampler_tick(struct vt_sampler *s, struct vt_shm *shm)
{
	const struct vt_host   *h;
	struct vt_prom		w;
	int			json_ok = 0, e;

	h = vt_sampler_collect(s, vt_wall_ms(), vt_mono_us());
	s->forms = 0;
	s->forms_tried = 0;
	s->text_ts_ms = h->ts_ms;
	vt_buf_reset(&s->json);
	vt_buf_reset(&s->prom);
	/*
	 * The pool's figures go in with the host's, once a tick, from one
	 * view of the scoreboard: a request then only copies bytes.  They are
	 * at most one interval old, finer than any scrape interval.
	 */
	vt_poolview_fill(&s->pool, shm, vt_mono_ms(), NULL, 0);
	sampler_pool_listener(s, s->h[s->cur]);
	sampler_judge(s, shm, h);
	if (vt_render_json(h, &s->json) == VT_OK && s->json.len > 0 &&
	    s->json.data[s->json.len - 1] == '}') {
		s->json.len--;
		if (sampler_members(s, shm, h) == VT_OK) {
			(void)vt_doc_publish(&shm->metrics_json, s->json.data,
			    s->json.len, h->ts_ms);
			json_ok = 1;
		} else
			vt_log_warn("render_failed", "document=json bytes=%zu",
			    s->json.len);
	} else
		vt_log_warn("render_failed", "document=json bytes=%zu",
		    s->json.len);
	if (vt_render_prom(h, (enum vt_prom_names)s->opt.metric_names,
	    &s->prom) == VT_OK &&
	    vt_poolview_prom(&s->pool, &s->prom) == VT_OK) {
		vt_prom_init(&w, &s->prom,
		    (enum vt_prom_names)s->opt.metric_names);
		vt_checks_prom(s->checks, s->opt.notify != NULL ?
		    &s->opt.notify->st : NULL, &w);
		if (vt_prom_finish(&w) == VT_ERR)
			vt_log_warn("render_failed",
			    "document=prom part=checks bytes=%zu", s->prom.len);
		/* Last: the textfiles are checked against all of the above. */
		if (vt_textfile_render(&s->tf, &s->prom, s->prom.len) ==
		    VT_ERR)
			vt_log_warn("render_failed",
			    "document=prom part=textfile bytes=%zu",
			    s->prom.len);
		(void)vt_doc_publish(&shm->metrics_prom[VT_EXPO_TEXT],
		    s->prom.data, s->prom.len, h->ts_ms);
		s->forms |= SAMPLER_FORM(VT_EXPO_TEXT);
		vt_sampler_forms(s, shm);
	} else
		vt_log_warn("render_failed", "document=prom bytes=%zu",
		    s->prom.len);
	/* The other forms not published for this sample: none, not stale. */
	for (e = VT_EXPO_TEXT_GZ; e < VT_EXPO_N; e++)
		if (!(s->forms & SAMPLER_FORM(e)))
			(void)vt_doc_publish(&shm->metrics_prom[e], s->gz.data,
			    0, h->ts_ms);
	if (s->opt.fallback != NULL) {
		if (!json_ok)
			vt_buf_reset(&s->json);
		vt_fallback_tick(s->opt.fallback, &s->json, &s->checks_doc,
		    s->checks->changed != 0, vt_poolview_strained(&s->pool) ||
		    s->checks->verdict == VT_CHECK_WARNING ||
		    s->checks->verdict == VT_CHECK_CRITICAL, vt_mono_ms());
	}
	vt_ring_push(&shm->ring, &h->point);
	__atomic_store_n(&shm->sample_ts_ms, h->ts_ms, __ATOMIC_RELEASE);
	__atomic_store_n(&shm->sample_mono_ms, vt_mono_ms(), __ATOMIC_RELEASE);
}

/*
 * render-t.c: the /api/metrics JSON and the Prometheus text of a host
 * sample, against golden files.
 *
 * Each case builds a struct vt_host from a fixture tree under
 * t/fixtures/proc/<tree> with the collectors' pure parsers, as the
 * sampler would from /proc: the fixture is the current sample, and the
 * previous one is the same with known deltas taken off every counter
 * (deltas() below), so each rate is a number a reader can check by hand.
 * The output must equal t/expected/<case>.json, <case>.prom and (the
 * OpenMetrics the master makes of the .prom) <case>.om byte for byte,
 * and vm2-snake.prom for metric_names = snake_case.  VT_REGEN=1 rewrites
 * the golden files instead (then read them!).
 *
 * Beyond the goldens: the JSON parses and ends with '}', the first
 * sample has null rates, hand-computed values are where they should be,
 * every Prometheus family has one HELP and one TYPE line, label values
 * are escaped, and `promtool check metrics` (when on PATH) finds nothing
 * but its camelCase warning on node_exporter's own mixed-case names.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "expo.h"
#include "tap.h"
#include "buf.h"
#include "derive.h"
#include "host.h"
#include "render/json.h"
#include "render/openmetrics.h"
#include "render/prom.h"

#define HZ		100
#define PAGESIZE	4096
#define INTERVAL	2.0
#define OUTMAX		(4 * 1024 * 1024)

/* A case: a fixture tree and the fixed facts a real sample would add. */
struct rcase {
	const char	*name;		/* t/expected/<name>.{json,prom} */
	const char	*tree;		/* t/fixtures/proc/<tree> */
	const char	*hostname;
	const char	*kernel;
	int64_t		 ts_ms;
	double		 interval_s;	/* 0: the first sample */
};

static const struct rcase cases[] = {
	{ "vm2", "vm2", "vm2.example.net", "6.1.0-18-amd64",
	    1795367230590, INTERVAL },
	{ "vm2-first", "vm2", "vm2.example.net", "6.1.0-18-amd64",
	    1795367230590, 0 },
	{ "server64", "server64", "db-7.example.net", "6.1.0-27-amd64",
	    1703456789120, INTERVAL },
	{ "legacy", "legacy", "old", "2.6.32-754.el6.x86_64",
	    1300001250500, INTERVAL },
};

static struct vt_host		*cur, *prev;
static struct vt_pid_table	*pt_cur, *pt_prev;
static struct vt_buf		 out, om;

static char	*slurp(const char *tree, const char *rel, size_t *len);
static int	 tree_has(const char *tree, const char *rel);
static void	 load_pids(const char *tree, struct vt_pid_table *t);
static int	 pid_cmp(const void *a, const void *b);
static void	 load(const struct rcase *c, struct vt_host *h);
static uint64_t	 take(uint64_t v, uint64_t d);
static void	 deltas(const struct vt_host *h, struct vt_host *p);
static void	 build(const struct rcase *c);
static char	*expected_path(const char *name, const char *ext, char *dst,
		    size_t len);
static void	 golden(const char *name, const char *ext, const char *got,
		    size_t len);
static struct json_object *parse_json(const char *s, size_t len);
static struct json_object *jpath_found(struct json_object *root,
		    const char *path, int *found);
static struct json_object *jpath(struct json_object *root, const char *path);
static int	 is_null(struct json_object *root, const char *path);
static double	 jdbl(struct json_object *root, const char *path);
static const char *jstr(struct json_object *root, const char *path);
static int	 lint_prom(const char *s, size_t len, char *why, size_t wlen,
		    int *nfam);
static int	 lint_om(const char *text, const char *s, size_t len, char *why,
		    size_t wlen);
static void	 check_case(const struct rcase *c, int *skipped_promtool);
static void	 check_snake(const struct rcase *c, int *skipped_promtool);
static void	 check_promtool(const struct vt_buf *text, int strict,
		    int *skipped, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 check_values(void);
static void	 check_first(void);
static void	 check_escaping(void);
static void	 check_failed_collectors(void);
static void	 check_overflow(void);
static void	 check_numbers(void);

/* The whole file <fixtures>/proc/<tree>/<rel>, or NULL when missing. */
static char *
slurp(const char *tree, const char *rel, size_t *len)
{
	char	path[4096], *buf;
	FILE   *f;
	long	n;

	snprintf(path, sizeof(path), "%s/proc/%s/%s", tap_fixture_root(),
	    tree, rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1)
		bail("cannot size %s", path);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		bail("out of memory");
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		bail("short read on %s", path);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
tree_has(const char *tree, const char *rel)
{
	char		path[4096];
	struct stat	st;

	snprintf(path, sizeof(path), "%s/proc/%s/%s", tap_fixture_root(),
	    tree, rel);
	return stat(path, &st) == 0;
}

static int
pid_cmp(const void *a, const void *b)
{
	const struct vt_pid_sample	*x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The fixture's /proc/<pid>/{stat,statm}, sorted by pid as the scan. */
static void
load_pids(const char *tree, struct vt_pid_table *t)
{
	char		 dir[4096], rel[300], err[VT_ERRLEN], *b;
	struct dirent	*de;
	DIR		*d;
	size_t		 len;

	memset(t, 0, sizeof(*t));
	snprintf(dir, sizeof(dir), "%s/proc/%s/proc", tap_fixture_root(),
	    tree);
	if ((d = opendir(dir)) == NULL)
		bail("cannot list %s", dir);
	while ((de = readdir(d)) != NULL && t->n < VT_PID_TABLE_MAX) {
		struct vt_pid_sample	*s = &t->p[t->n];

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(rel, sizeof(rel), "proc/%s/stat", de->d_name);
		if ((b = slurp(tree, rel, &len)) == NULL)
			continue;
		if (vt_proc_pid_stat_parse(b, len, s, err, sizeof(err)) ==
		    VT_ERR)
			bail("%s: %s: %s", tree, rel, err);
		free(b);
		snprintf(rel, sizeof(rel), "proc/%s/statm", de->d_name);
		if ((b = slurp(tree, rel, &len)) == NULL ||
		    vt_proc_pid_statm_parse(b, len, PAGESIZE, &s->rss_bytes,
		    err, sizeof(err)) == VT_ERR)
			bail("%s: %s", tree, rel);
		free(b);
		t->n++;
	}
	closedir(d);
	qsort(t->p, t->n, sizeof(t->p[0]), pid_cmp);
	t->complete = 1;
}

/* One sample of the tree, through the pure parsers; have bits as parsed. */
static void
load(const struct rcase *c, struct vt_host *h)
{
	char	err[VT_ERRLEN], rel[600], *b;
	size_t	len, i;
	int	r, any;

	memset(h, 0, sizeof(*h));
	snprintf(h->hostname, sizeof(h->hostname), "%s", c->hostname);
	snprintf(h->kernel, sizeof(h->kernel), "%s", c->kernel);
	h->hz = HZ;
	h->ts_ms = c->ts_ms;

#define PARSE(col, rel_, call) do {					\
		if ((b = slurp(c->tree, (rel_), &len)) != NULL) {	\
			if ((call) == VT_OK)				\
				h->have |= VT_HAVE(col);		\
			else						\
				bail("%s: %s: %s", c->tree, (rel_), err); \
			free(b);					\
		}							\
	} while (0)

	PARSE(VT_COL_STAT, "proc/stat", vt_proc_stat_parse(b, len, &h->stat,
	    err, sizeof(err)));
	PARSE(VT_COL_MEMINFO, "proc/meminfo", vt_proc_meminfo_parse(b, len,
	    &h->mem, err, sizeof(err)));
	PARSE(VT_COL_LOADAVG, "proc/loadavg", vt_proc_loadavg_parse(b, len,
	    &h->load, err, sizeof(err)));
	PARSE(VT_COL_UPTIME, "proc/uptime", vt_proc_uptime_parse(b, len,
	    &h->uptime, err, sizeof(err)));
	PARSE(VT_COL_NET_DEV, "proc/net/dev", vt_proc_net_dev_parse(b, len,
	    &h->net, err, sizeof(err)));
	PARSE(VT_COL_DISKSTATS, "proc/diskstats", vt_proc_diskstats_parse(b,
	    len, &h->disk, err, sizeof(err)));
	PARSE(VT_COL_MOUNTS, "proc/self/mounts", vt_proc_mounts_parse(b, len,
	    NULL, &h->mounts, err, sizeof(err)));
	PARSE(VT_COL_NETSTAT, "proc/net/netstat",
	    vt_proc_net_netstat_parse(b, len, &h->netstat, err, sizeof(err)));
	PARSE(VT_COL_TCP, "proc/net/tcp", vt_proc_net_tcp_parse(b, len,
	    &h->tcp.v4, err, sizeof(err)));
	if ((b = slurp(c->tree, "proc/net/tcp6", &len)) != NULL) {
		if (vt_proc_net_tcp_parse(b, len, &h->tcp.v6, err,
		    sizeof(err)) == VT_ERR)
			bail("%s: tcp6: %s", c->tree, err);
		h->tcp.has_v6 = 1;
		free(b);
	}
	h->tcp.source = VT_TCP_SRC_PROC;
	PARSE(VT_COL_FILE_NR, "proc/sys/fs/file-nr",
	    vt_proc_sys_fs_file_nr_parse(b, len, &h->filenr, err, sizeof(err)));
	PARSE(VT_COL_VMSTAT, "proc/vmstat", vt_proc_vmstat_parse(b, len,
	    &h->vmstat, err, sizeof(err)));
	/* node_exporter's /proc/net collectors (issue 12, part A). */
	PARSE(VT_COL_SNMP, "proc/net/snmp", vt_proc_net_snmp_parse(b, len,
	    &h->snmp, err, sizeof(err)));
	if ((b = slurp(c->tree, "proc/net/snmp6", &len)) != NULL) {
		if (vt_proc_net_snmp6_parse(b, len, &h->snmp, err,
		    sizeof(err)) == VT_ERR)
			bail("%s: snmp6: %s", c->tree, err);
		free(b);
	}
	PARSE(VT_COL_SOCKSTAT, "proc/net/sockstat",
	    vt_proc_net_sockstat_parse(b, len, PAGESIZE, &h->sockstat.v4, err,
	    sizeof(err)));
	if ((b = slurp(c->tree, "proc/net/sockstat6", &len)) != NULL) {
		if (vt_proc_net_sockstat_parse(b, len, PAGESIZE,
		    &h->sockstat.v6, err, sizeof(err)) == VT_ERR)
			bail("%s: sockstat6: %s", c->tree, err);
		h->sockstat.has_v6 = 1;
		free(b);
	}
	PARSE(VT_COL_SOFTNET, "proc/net/softnet_stat",
	    vt_proc_net_softnet_parse(b, len, &h->softnet, err, sizeof(err)));
	PARSE(VT_COL_LISTENERS, "proc/net/tcp", vt_listeners_parse_proc(b, len,
	    AF_INET, &h->listeners, err, sizeof(err)));
	if ((b = slurp(c->tree, "proc/net/tcp6", &len)) != NULL) {
		if (vt_listeners_parse_proc(b, len, AF_INET6, &h->listeners,
		    err, sizeof(err)) == VT_ERR)
			bail("%s: tcp6 listeners: %s", c->tree, err);
		free(b);
	}
	for (r = 0, any = 0; r < VT_PSI_NRES; r++) {
		snprintf(rel, sizeof(rel), "proc/pressure/%s",
		    vt_psi_resource_names[r]);
		if ((b = slurp(c->tree, rel, &len)) == NULL)
			continue;
		if (vt_proc_pressure_parse(b, len, &h->pressure.res[r], err,
		    sizeof(err)) == VT_ERR)
			bail("%s: %s: %s", c->tree, rel, err);
		free(b);
		any = 1;
	}
	if (any)
		h->have |= VT_HAVE(VT_COL_PRESSURE);
#undef PARSE

	/*
	 * The slow collectors read directories (sysfs) or several files:
	 * their readers, on the fixture tree.  A tree without /sys/class/net
	 * has no interfaces and no error; one without the uname files or
	 * os-release has no uname or os collector.  machine falls back to
	 * uname(2) without kernel/arch: fixed here, so the goldens do not
	 * depend on the machine running the test.
	 */
	snprintf(rel, sizeof(rel), "%s/proc/%s", tap_fixture_root(), c->tree);
	if (vt_netclass_read(rel, &h->netclass, err, sizeof(err)) != VT_OK)
		bail("%s: netclass: %s", c->tree, err);
	h->have |= VT_HAVE(VT_COL_NETCLASS);
	if (vt_uname_read(rel, &h->uname, err, sizeof(err)) == VT_OK) {
		h->have |= VT_HAVE(VT_COL_UNAME);
		if (!tree_has(c->tree, "proc/sys/kernel/arch"))
			snprintf(h->uname.machine, sizeof(h->uname.machine),
			    "x86_64");
	}
	if (vt_os_release_read(rel, &h->os, err, sizeof(err)) != VT_OK)
		bail("%s: os-release: %s", c->tree, err);
	h->have |= VT_HAVE(VT_COL_OS);
	if (vt_entropy_read(rel, &h->entropy, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_ENTROPY);
	if (vt_proc_net_udp_read(rel, &h->udp, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_UDP_QUEUES);
	if (vt_proc_net_arp_read(rel, &h->arp, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_ARP);
	if (vt_conntrack_read(rel, &h->conntrack, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_CONNTRACK);
	if (vt_selinux_read(rel, &h->selinux, err, sizeof(err)) != VT_OK)
		bail("%s: selinux: %s", c->tree, err);
	h->have |= VT_HAVE(VT_COL_SELINUX);
	if (vt_proc_self_read(rel, PAGESIZE, &h->self, err, sizeof(err)) ==
	    VT_OK)
		h->have |= VT_HAVE(VT_COL_SELF);
	/*
	 * The time collector's zone is the machine's (fixed here); timex is
	 * a system call: a chrony-synchronised host's figures (STA_PLL |
	 * STA_NANO, an offset of -23.456 us, TAI 37 s).
	 */
	if (vt_hwmon_read(rel, &h->hwmon, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_HWMON);
	if (vt_thermal_read(rel, &h->thermal, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_THERMAL);
	if (vt_time_info_read(rel, 0, &h->time, err, sizeof(err)) == VT_OK) {
		h->have |= VT_HAVE(VT_COL_TIME);
		snprintf(h->time.zone, sizeof(h->time.zone), "CET");
		h->time.zone_offset_s = 3600;
	}
	{
		struct timex	tx;

		memset(&tx, 0, sizeof(tx));
		tx.status = STA_PLL | STA_NANO;
		tx.offset = -23456;
		tx.freq = -1234567;
		tx.maxerror = 12000;
		tx.esterror = 500;
		tx.constant = 7;
		tx.tick = 10000;
		tx.tai = 37;
		vt_timex_from(&tx, TIME_OK, &h->timex);
		h->have |= VT_HAVE(VT_COL_TIMEX);
	}

	/* The reader's flags: sysfs when the tree has it, else the names. */
	for (i = 0; i < h->disk.n; i++) {
		struct vt_disk	*d = &h->disk.disk[i];

		snprintf(rel, sizeof(rel), "sys/block/%s", d->name);
		if (vt_diskstats_ignored(d->name))
			d->flags |= VT_DISK_IGNORED;
		if (tree_has(c->tree, "sys/block") ? tree_has(c->tree, rel) :
		    !vt_diskstats_is_partition(d->name))
			d->flags |= VT_DISK_WHOLE;
	}
	/* udev's database, for the rows the flags above keep. */
	snprintf(rel, sizeof(rel), "%s/proc/%s", tap_fixture_root(), c->tree);
	if (vt_disk_info_read(rel, &h->disk, &h->disk_info, err,
	    sizeof(err)) != VT_OK)
		bail("%s: udev: %s", c->tree, err);
	h->have |= VT_HAVE(VT_COL_UDEV);

	/*
	 * The listeners' queues and owners, made up (the files have neither
	 * a backlog nor an owner): listener i has a backlog of 128, 256 or
	 * 512 and (37 i) modulo backlog + 1 waiting; even ones an owner.  The
	 * pool's socket joins them, and 400 of 412 CLOSE_WAIT sockets are
	 * python3's, 10 nginx's.
	 */
	for (i = 0; i < h->listeners.n; i++) {
		struct vt_listen_entry	*e = &h->listeners.l[i];

		e->backlog = 128U << (i % 3);
		e->queue = (uint32_t)((i * 37) % (e->backlog + 1));
		if (i % 2 == 0) {
			e->pid = (int32_t)(1000 + i);
			snprintf(e->comm, sizeof(e->comm), "daemon%zu", i);
		}
	}
	if (h->have & VT_HAVE(VT_COL_LISTENERS)) {
		struct vt_listen_entry	pool;

		memset(&pool, 0, sizeof(pool));
		pool.family = AF_UNIX;
		snprintf(pool.address, sizeof(pool.address),
		    "/run/vitals/vitals.sock");
		pool.queue = 3;
		pool.backlog = 511;
		pool.pid = 4242;
		snprintf(pool.comm, sizeof(pool.comm), "vitals");
		vt_listeners_add(&h->listeners, &pool);
		vt_listeners_sort(&h->listeners);
		h->listeners.owners_ts_ms = h->ts_ms;
		h->close_wait_holders.sockets = 412;
		h->close_wait_holders.attributed = 410;
		h->close_wait_holders.ts_ms = h->ts_ms;
		h->close_wait_holders.n = 2;
		h->close_wait_holders.h[0].pid = 326662;
		snprintf(h->close_wait_holders.h[0].comm, VT_COMM_LEN,
		    "python3");
		h->close_wait_holders.h[0].count = 400;
		h->close_wait_holders.h[1].pid = 911;
		snprintf(h->close_wait_holders.h[1].comm, VT_COMM_LEN, "nginx");
		h->close_wait_holders.h[1].count = 10;
	}

	/* statvfs, made up: a few states other than "ok" on server64. */
	if (h->have & VT_HAVE(VT_COL_MOUNTS))
		h->have |= VT_HAVE(VT_COL_FILESYSTEM);
	for (i = 0; i < h->mounts.n; i++) {
		struct vt_mount	*m = &h->mounts.m[i];
		uint64_t	 gib = (uint64_t)1 << 30;

		if (strcmp(m->mountpoint, "/mnt/nfs") == 0) {
			m->state = VT_FS_TIMEOUT;
			continue;
		}
		if (strcmp(m->mountpoint, "/var/lib/lxcfs") == 0) {
			m->state = VT_FS_ERROR;
			m->error = EACCES;
			continue;
		}
		m->state = VT_FS_OK;
		m->size_bytes = (i + 1) * 10 * gib;
		m->free_bytes = (i + 1) * 4 * gib;
		m->avail_bytes = (i + 1) * 4 * gib - gib / 2;
		m->files = (i + 1) * 655360;
		m->files_free = (i + 1) * 600000;
	}
}

/* v less a delta of d, but never below 0: the delta is then v. */
static uint64_t
take(uint64_t v, uint64_t d)
{
	return v > d ? v - d : 0;
}

/*
 * The previous sample: h with these deltas taken off, over INTERVAL
 * seconds at HZ.  Per CPU: user 60, nice 2, system 30, idle 90, iowait
 * 10, irq 1, softirq 5, steal 2 (200 jiffies: 2 s at 100 Hz), guest 4;
 * the total line the sum over CPUs.  ctxt 5000, forks 40, intr 3000.
 * Interface i (0-based): rx bytes (i+1) MB, tx bytes (i+1) 250 kB, rx
 * packets (i+1) 1000, tx packets (i+1) 500, errors and drops i+1.  Disk
 * i: reads (i+1) 100, writes (i+1) 50, read sectors (i+1) 2048, written
 * (i+1) 4096, io_ms 500 (25 % busy).  ListenOverflows 6, ListenDrops 8.
 * Process p: (p % 7 + 1) * 20 ticks.  Where a counter is smaller than
 * its delta, the previous value is 0.
 */
static void
deltas(const struct vt_host *h, struct vt_host *p)
{
	static const uint64_t	cpu_d[VT_CPU_NMODES] = { 60, 2, 30, 90, 10, 1,
				    5, 2, 4, 0 };
	size_t			i;
	int			m;

	memcpy(p, h, sizeof(*p));
	p->ts_ms = h->ts_ms - (int64_t)(INTERVAL * 1000);
	for (i = 0; i < p->stat.ncpu; i++) {
		for (m = 0; m < VT_CPU_NMODES; m++)
			p->stat.cpu[i].mode[m] = take(h->stat.cpu[i].mode[m],
			    cpu_d[m]);
	}
	for (m = 0; m < VT_CPU_NMODES; m++) {
		uint64_t	sum = 0;

		for (i = 0; i < h->stat.ncpu; i++)
			sum += h->stat.cpu[i].mode[m] -
			    p->stat.cpu[i].mode[m];
		p->stat.total.mode[m] = take(h->stat.total.mode[m], sum);
	}
	p->stat.ctxt = take(h->stat.ctxt, 5000);
	p->stat.processes = take(h->stat.processes, 40);
	p->stat.intr = take(h->stat.intr, 3000);
	for (i = 0; i < p->net.n; i++) {
		uint64_t	*v = p->net.iface[i].v, k = i + 1;

		v[VT_NETDEV_RX_BYTES] = take(v[VT_NETDEV_RX_BYTES],
		    k * 1000000);
		v[VT_NETDEV_TX_BYTES] = take(v[VT_NETDEV_TX_BYTES], k * 250000);
		v[VT_NETDEV_RX_PACKETS] = take(v[VT_NETDEV_RX_PACKETS],
		    k * 1000);
		v[VT_NETDEV_TX_PACKETS] = take(v[VT_NETDEV_TX_PACKETS],
		    k * 500);
		v[VT_NETDEV_RX_ERRS] = take(v[VT_NETDEV_RX_ERRS], k);
		v[VT_NETDEV_TX_ERRS] = take(v[VT_NETDEV_TX_ERRS], k);
		v[VT_NETDEV_RX_DROP] = take(v[VT_NETDEV_RX_DROP], k);
		v[VT_NETDEV_TX_DROP] = take(v[VT_NETDEV_TX_DROP], k);
	}
	for (i = 0; i < p->disk.n; i++) {
		uint64_t	*v = p->disk.disk[i].v, k = i + 1;

		v[VT_DISK_READS] = take(v[VT_DISK_READS], k * 100);
		v[VT_DISK_WRITES] = take(v[VT_DISK_WRITES], k * 50);
		v[VT_DISK_READ_SECTORS] = take(v[VT_DISK_READ_SECTORS],
		    k * 2048);
		v[VT_DISK_WRITE_SECTORS] = take(v[VT_DISK_WRITE_SECTORS],
		    k * 4096);
		v[VT_DISK_IO_MS] = take(v[VT_DISK_IO_MS], 500);
	}
	p->netstat.listen_overflows = take(h->netstat.listen_overflows, 6);
	p->netstat.listen_drops = take(h->netstat.listen_drops, 8);
	memcpy(pt_prev, pt_cur, sizeof(*pt_prev));
	for (i = 0; i < pt_prev->n; i++)
		pt_prev->p[i].ticks = take(pt_prev->p[i].ticks,
		    (uint64_t)(pt_prev->p[i].pid % 7 + 1) * 20);
}

/* cur: the sample of case c, with rates against a made-up previous one. */
static void
build(const struct rcase *c)
{
	int	col;

	load(c, cur);
	load_pids(c->tree, pt_cur);
	deltas(cur, prev);
	vt_derive(cur, prev, c->interval_s);
	if (pt_cur->n > 0) {
		cur->have |= VT_HAVE(VT_COL_PROCESSES);
		cur->ntop_mem = vt_pid_top_mem(pt_cur, cur->top_mem);
		/* The first sample has no earlier scan to compare with. */
		if (cur->interval_s > 0)
			cur->ntop_cpu = vt_pid_top_cpu(pt_prev, pt_cur,
			    cur->interval_s, cur->hz, cur->top_cpu);
		cur->top_ts_ms = cur->ts_ms;
	}
	cur->st.samples = cur->interval_s > 0 ? 42 : 1;
	cur->st.duration_s = 0.001234;
	cur->st.duration_sum_s = 0.05;
	cur->st.cpu_time_us = 1234567;
	for (col = 0; col < VT_COL_N; col++)
		cur->st.col_duration_s[col] = (col + 1) / 10000.0;
	cur->st.col_errors[VT_COL_TCP] = 3;
	cur->st.col_errors[VT_COL_FILESYSTEM] = 1;
	cur->st.fs_timeouts = 1;
}

static char *
expected_path(const char *name, const char *ext, char *dst, size_t len)
{
	const char	*src = getenv("VT_SRCDIR");

	if (src == NULL || *src == '\0')
		src = getenv("srcdir");
	snprintf(dst, len, "%s/t/expected/%s.%s",
	    src != NULL && *src != '\0' ? src : ".", name, ext);
	return dst;
}

/*
 * Compare got with the golden file, or write it when VT_REGEN is set.
 * On a mismatch, name the first differing line and keep the output in
 * ./render-t.<name>.<ext>.got for diff -u.
 */
static void
golden(const char *name, const char *ext, const char *got, size_t len)
{
	char		 path[4096], gotpath[512], *want;
	const char	*regen = getenv("VT_REGEN");
	const char	*w, *g, *we, *ge;
	size_t		 wlen = 0;
	FILE		*f;
	long		 n;
	int		 line = 1;

	expected_path(name, ext, path, sizeof(path));
	if (regen != NULL && *regen != '\0' && strcmp(regen, "0") != 0) {
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(got, 1, len, f) != len || fclose(f) != 0)
			bail("cannot write %s", path);
		ok(1, "%s.%s: written to %s", name, ext, path);
		return;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		ok(0, "%s.%s matches the golden file", name, ext);
		diag("cannot open %s (VT_REGEN=1 writes it)", path);
		return;
	}
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 ||
	    (want = malloc((size_t)n + 1)) == NULL)
		bail("cannot read %s", path);
	wlen = fread(want, 1, (size_t)n, f);
	want[wlen] = '\0';
	fclose(f);
	if (ok(wlen == len && memcmp(want, got, len) == 0,
	    "%s.%s matches t/expected/%s.%s", name, ext, name, ext)) {
		free(want);
		return;
	}
	for (w = want, g = got; ; w = we + 1, g = ge + 1, line++) {
		we = memchr(w, '\n', wlen - (size_t)(w - want));
		ge = memchr(g, '\n', len - (size_t)(g - got));
		if (we == NULL)
			we = want + wlen;
		if (ge == NULL)
			ge = got + len;
		if (we - w != ge - g || memcmp(w, g, (size_t)(we - w)) != 0 ||
		    we == want + wlen || ge == got + len)
			break;
	}
	diag("first difference at line %d of %s:", line, path);
	diag("-%.*s", (int)(we - w > 300 ? 300 : we - w), w);
	diag("+%.*s", (int)(ge - g > 300 ? 300 : ge - g), g);
	snprintf(gotpath, sizeof(gotpath), "render-t.%s.%s.got", name, ext);
	if ((f = fopen(gotpath, "wb")) != NULL) {
		if (fwrite(got, 1, len, f) == len)
			diag("output kept: diff -u %s %s", path, gotpath);
		fclose(f);
	}
	free(want);
}

/* The object parsed from exactly s[0..len), or NULL. */
static struct json_object *
parse_json(const char *s, size_t len)
{
	struct json_tokener	*tok;
	struct json_object	*o;

	if ((tok = json_tokener_new()) == NULL)
		bail("out of memory");
	o = json_tokener_parse_ex(tok, s, (int)len);
	if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/*
 * The member at a dotted path ("cpu.cores.0.user_percent": numbers index
 * arrays).  Sets *found; a JSON null is found with a NULL result.
 */
static struct json_object *
jpath_found(struct json_object *root, const char *path, int *found)
{
	struct json_object	*o = root;
	char			 buf[256], *p, *save = NULL;

	*found = 0;
	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p != NULL;
	    p = strtok_r(NULL, ".", &save)) {
		if (o == NULL)
			return NULL;
		if (isdigit((unsigned char)p[0]) &&
		    json_object_is_type(o, json_type_array)) {
			size_t	i = (size_t)strtoul(p, NULL, 10);

			if (i >= json_object_array_length(o))
				return NULL;
			o = json_object_array_get_idx(o, i);
		} else if (!json_object_object_get_ex(o, p, &o))
			return NULL;
	}
	*found = 1;
	return o;
}

static struct json_object *
jpath(struct json_object *root, const char *path)
{
	int	found;

	return jpath_found(root, path, &found);
}

static int
is_null(struct json_object *root, const char *path)
{
	int	found;

	return jpath_found(root, path, &found) == NULL && found;
}

static double
jdbl(struct json_object *root, const char *path)
{
	struct json_object	*o = jpath(root, path);

	return o != NULL ? json_object_get_double(o) : -12345.678;
}

static const char *
jstr(struct json_object *root, const char *path)
{
	struct json_object	*o = jpath(root, path);

	return o != NULL && json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : "(none)";
}

/*
 * The text format's structure: every family "# HELP name ...", then
 * "# TYPE name counter|gauge|untyped", then samples of that name only;
 * no name twice, no blank line, a final newline.  Returns 1 when fine,
 * else 0 with the reason in why.
 */
static int
lint_prom(const char *s, size_t len, char *why, size_t wlen, int *nfam)
{
	char		 fam[160] = "", seen[512][160];
	const char	*p = s, *e;
	size_t		 nseen = 0, i, n;
	int		 lineno = 0, state = 0;	/* 0 help, 1 type, 2 samples */

	*nfam = 0;
	if (len == 0 || s[len - 1] != '\n') {
		snprintf(why, wlen, "does not end with a newline");
		return 0;
	}
	for (; p < s + len; p = e + 1) {
		e = memchr(p, '\n', (size_t)(s + len - p));
		n = (size_t)(e - p);
		lineno++;
		if (n == 0) {
			snprintf(why, wlen, "line %d is empty", lineno);
			return 0;
		}
		if (n > 7 && memcmp(p, "# HELP ", 7) == 0) {
			const char	*sp = memchr(p + 7, ' ', n - 7);
			size_t		 fl;

			fl = sp != NULL ? (size_t)(sp - p - 7) : 0;
			if (sp == NULL || fl == 0 || fl >= sizeof(fam)) {
				snprintf(why, wlen, "line %d: bad HELP",
				    lineno);
				return 0;
			}
			memcpy(fam, p + 7, fl);
			fam[fl] = '\0';
			for (i = 0; i < nseen; i++) {
				if (strcmp(seen[i], fam) == 0) {
					snprintf(why, wlen, "line %d: %s again",
					    lineno, fam);
					return 0;
				}
			}
			if (nseen < VT_ARRAY_LEN(seen))
				memcpy(seen[nseen++], fam, fl + 1);
			(*nfam)++;
			state = 1;
			continue;
		}
		if (state == 1) {
			char	t1[300], t2[300], t3[300];

			snprintf(t1, sizeof(t1), "# TYPE %s counter", fam);
			snprintf(t2, sizeof(t2), "# TYPE %s gauge", fam);
			snprintf(t3, sizeof(t3), "# TYPE %s untyped", fam);
			if (!((n == strlen(t1) && memcmp(p, t1, n) == 0) ||
			    (n == strlen(t2) && memcmp(p, t2, n) == 0) ||
			    (n == strlen(t3) && memcmp(p, t3, n) == 0))) {
				snprintf(why, wlen, "line %d: no TYPE for %s",
				    lineno, fam);
				return 0;
			}
			state = 2;
			continue;
		}
		if (state != 2 || n <= strlen(fam) ||
		    memcmp(p, fam, strlen(fam)) != 0 ||
		    (p[strlen(fam)] != ' ' && p[strlen(fam)] != '{')) {
			snprintf(why, wlen, "line %d: %.*s: not a sample of %s",
			    lineno, (int)(n > 80 ? 80 : n), p,
			    fam[0] != '\0' ? fam : "a family");
			return 0;
		}
	}
	return 1;
}

/*
 * Check OpenMetrics s against the text it was made from: every sample
 * line of text is in s, in order, and nothing else is; a counter's
 * family is named without "_total" and its samples with it; there is no
 * "untyped" and no blank line; "# EOF" ends it.  1 when all hold, else 0
 * with the first reason in why.
 */
static int
lint_om(const char *text, const char *s, size_t len, char *why, size_t wlen)
{
	const char	*t = text, *p = s, *end = s + len, *tn, *pn;
	char		 family[160] = "", type[16] = "";

	if (len < 6 || memcmp(end - 6, "# EOF\n", 6) != 0) {
		snprintf(why, wlen, "does not end with # EOF");
		return 0;
	}
	end -= 6;
	for (; p < end; p = pn + 1) {
		pn = memchr(p, '\n', (size_t)(end - p));
		if (pn == NULL || pn == p) {
			snprintf(why, wlen, "blank or unterminated line");
			return 0;
		}
		if (strncmp(p, "# TYPE ", 7) == 0) {
			if (sscanf(p, "# TYPE %159s %15s", family, type) != 2 ||
			    strcmp(type, "untyped") == 0 ||
			    (strcmp(type, "counter") == 0 &&
			    strlen(family) > 6 &&
			    strcmp(family + strlen(family) - 6, "_total") == 0)) {
				snprintf(why, wlen, "TYPE line: %.*s",
				    (int)(pn - p), p);
				return 0;
			}
			continue;
		}
		if (*p == '#')
			continue;
		if (strcmp(type, "counter") == 0 &&
		    (strncmp(p, family, strlen(family)) != 0 ||
		    strncmp(p + strlen(family), "_total", 6) != 0)) {
			snprintf(why, wlen, "counter sample not %s_total: %.*s",
			    family, (int)(pn - p), p);
			return 0;
		}
		/* The next sample line of the text must be this one. */
		while (*t == '#' && (tn = strchr(t, '\n')) != NULL)
			t = tn + 1;
		tn = strchr(t, '\n');
		if (tn == NULL || tn - t != pn - p ||
		    memcmp(t, p, (size_t)(pn - p)) != 0) {
			snprintf(why, wlen, "sample differs from the text: %.*s",
			    (int)(pn - p), p);
			return 0;
		}
		t = tn + 1;
	}
	while (*t == '#' && (tn = strchr(t, '\n')) != NULL)
		t = tn + 1;
	if (*t != '\0') {
		snprintf(why, wlen, "a sample of the text is missing: %.80s", t);
		return 0;
	}
	return 1;
}

/* One test: promtool on text (see expo_promtool()), or a skip without it. */
static void
check_promtool(const struct vt_buf *text, int strict, int *skipped,
    const char *fmt, ...)
{
	char	why[512] = "", what[256];
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rc = expo_promtool(text->data, text->len, strict, why, sizeof(why));
	if (rc == -1) {
		skip(1, "promtool is not on PATH");
		(*skipped)++;
	} else if (!ok(rc == 1, "%s", what))
		diag("%s", why);
}

/* Render case c and check both outputs. */
static void
check_case(const struct rcase *c, int *skipped_promtool)
{
	struct json_object	*root;
	char			 why[512];
	int			 nfam, rc;

	build(c);
	vt_buf_reset(&out);
	ok(vt_render_json(cur, &out) == VT_OK, "%s: JSON renders", c->name);
	root = parse_json(out.data, out.len);
	ok(root != NULL, "%s: JSON parses as one object, nothing after it",
	    c->name);
	ok(out.len > 0 && out.data[out.len - 1] == '}',
	    "%s: JSON ends with '}'", c->name);
	ok(strstr(out.data, "\\/") == NULL, "%s: no escaped '/'", c->name);
	json_object_put(root);
	golden(c->name, "json", out.data, out.len);

	vt_buf_reset(&out);
	ok(vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_OK,
	    "%s: Prometheus text renders", c->name);
	why[0] = '\0';
	rc = lint_prom(out.data, out.len, why, sizeof(why), &nfam);
	if (!ok(rc, "%s: one HELP and TYPE per family, samples under them "
	    "(%d families)", c->name, nfam))
		diag("%s", why);
	golden(c->name, "prom", out.data, out.len);
	check_promtool(&out, 0, skipped_promtool, "%s: promtool check metrics: "
	    "nothing but node_exporter's camelCase names", c->name);

	/* The same families as OpenMetrics, as the master rewrites them. */
	vt_buf_reset(&om);
	ok(vt_render_openmetrics(out.data, out.len, &om) == VT_OK,
	    "%s: OpenMetrics renders", c->name);
	why[0] = '\0';
	if (!ok(lint_om(out.data, om.data, om.len, why, sizeof(why)),
	    "%s: OpenMetrics: the same samples, counters named without "
	    "_total, # EOF last", c->name))
		diag("%s", why);
	golden(c->name, "om", om.data, om.len);

	check_snake(c, skipped_promtool);
}

/*
 * metric_names = snake_case: the same samples under names with no
 * capital letter after a small one, and promtool reports nothing at all.
 * Its golden file is kept for vm2 alone.
 */
static void
check_snake(const struct rcase *c, int *skipped_promtool)
{
	char	 why[512], *nl, *p;
	int	 camel = 0, nfam, samples_node = 0, samples_snake = 0;

	vt_buf_reset(&out);
	if (vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_ERR)
		bail("render");
	for (p = out.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		samples_node += *p != '#';
	vt_buf_reset(&out);
	ok(vt_render_prom(cur, VT_PROM_NAMES_SNAKE, &out) == VT_OK,
	    "%s, snake_case: renders", c->name);
	for (p = out.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		const char	*q;

		samples_snake += *p != '#';
		if (*p == '#')
			continue;
		for (q = p + 1; q < nl && *q != '{' && *q != ' '; q++)
			if (q[-1] >= 'a' && q[-1] <= 'z' && *q >= 'A' &&
			    *q <= 'Z' && camel++ == 0)
				diag("camelCase: %.*s", (int)(nl - p), p);
	}
	ok(camel == 0, "%s, snake_case: no camelCase name", c->name);
	is_int(samples_snake, samples_node, "%s, snake_case: as many samples "
	    "as with node_exporter's names", c->name);
	why[0] = '\0';
	if (!ok(lint_prom(out.data, out.len, why, sizeof(why), &nfam),
	    "%s, snake_case: one HELP and TYPE per family", c->name))
		diag("%s", why);
	if (strcmp(c->name, "vm2") == 0)
		golden("vm2-snake", "prom", out.data, out.len);
	check_promtool(&out, 1, skipped_promtool, "%s, snake_case: promtool "
	    "check metrics reports nothing", c->name);
}

/* Values of vm2 worked out by hand from the fixture and deltas(). */
static void
check_values(void)
{
	struct json_object	*r;

	build(&cases[0]);
	vt_buf_reset(&out);
	if (vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_ERR)
		bail("vm2: prom failed");
	/* /proc/stat "cpu0 1144 0 1222 ...": 1144 jiffies at 100 Hz. */
	ok(expo_has_line(out.data,
	    "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 11.44"),
	    "cpu0 user: 1144 jiffies / 100 = 11.44 s");
	ok(expo_has_line(out.data,
	    "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 784.04"),
	    "cpu1 idle: 78404 / 100 = 784.04 s");
	ok(expo_has_line(out.data, "node_memory_MemTotal_bytes 25276502016"),
	    "MemTotal: 24684084 kB * 1024");
	ok(expo_has_line(out.data, "node_memory_Active_anon_bytes 1568768"),
	    "Active(anon): 1532 kB, node_exporter's name");
	ok(expo_has_line(out.data, "node_memory_HugePages_Total 0"),
	    "HugePages_Total: a count, no _bytes");
	ok(expo_has_line(out.data,
	    "node_disk_read_bytes_total{device=\"vda\"} 2056807424"),
	    "vda: 4017202 sectors * 512 bytes");
	ok(expo_has_line(out.data,
	    "node_disk_read_time_seconds_total{device=\"vda\"} 23.947"),
	    "vda: 23947 ms read time");
	ok(expo_has_line(out.data,
	    "node_disk_flush_requests_total{device=\"vda\"} 4712"),
	    "vda: flush column (kernel 5.5+)");
	ok(strstr(out.data, "device=\"loop0\"") == NULL &&
	    strstr(out.data, "device=\"zram0\"") == NULL,
	    "loop and zram devices left out, as node_exporter does");
	ok(expo_has_line(out.data,
	    "node_network_receive_bytes_total{device=\"eth0\"} 26966244"),
	    "eth0 receive bytes: the raw counter");
	ok(expo_has_line(out.data, "node_pressure_io_stalled_seconds_total 4.43129"),
	    "io full total=4431290 us");
	ok(expo_has_line(out.data, "node_boot_time_seconds 1795366400"),
	    "btime");
	ok(expo_has_line(out.data, "node_netstat_TcpExt_ListenOverflows 0") &&
	    expo_has_line(out.data, "node_netstat_TcpExt_ListenDrops 0"),
	    "ListenOverflows and ListenDrops");
	ok(strstr(out.data, "node_netstat_TcpExt_TW ") == NULL,
	    "netstat: only node_exporter's default fields");
	ok(expo_has_line(out.data, "node_time_seconds 1795367230.59"),
	    "node_time_seconds from ts_ms");
	ok(expo_has_line(out.data, "node_filesystem_size_bytes{device=\"/dev/vda\","
	    "fstype=\"ext4\",mountpoint=\"/\"} 10737418240"),
	    "filesystem labels: device, fstype, mountpoint");
	ok(expo_has_line(out.data, "node_disk_info{device=\"vda\",major=\"254\","
	    "minor=\"0\",model=\"\",path=\"\",revision=\"\",serial=\"\","
	    "wwn=\"\"} 1"),
	    "node_disk_info: vda 254:0, no udev database: empty labels, "
	    "byte for byte node_exporter's on this VM");
	ok(expo_has_line(out.data, "node_selinux_enabled 0") &&
	    strstr(out.data, "node_selinux_current_mode") == NULL,
	    "selinux: no /sys/fs/selinux, enabled 0 and no modes");
	cur->selinux.enabled = 1;
	cur->selinux.config_mode = VT_SELINUX_ENFORCING;
	cur->selinux.current_mode = VT_SELINUX_PERMISSIVE;
	vt_buf_reset(&out);
	if (vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_ERR)
		bail("vm2: prom failed");
	ok(expo_has_line(out.data, "node_selinux_enabled 1") &&
	    expo_has_line(out.data, "node_selinux_config_mode 1") &&
	    expo_has_line(out.data, "node_selinux_current_mode 0"),
	    "selinux: enforcing configured, permissive now (setenforce 0)");
	memset(&cur->selinux, 0, sizeof(cur->selinux));

	vt_buf_reset(&out);
	if (vt_render_json(cur, &out) == VT_ERR ||
	    (r = parse_json(out.data, out.len)) == NULL)
		bail("vm2: json failed");
	/* cpu0 deltas: user 60, nice 0 (was 0), system 30, idle 90,
	 * iowait 10, irq 0, softirq 5, steal 2: 197 jiffies. */
	is_dbl(jdbl(r, "cpu.cores.0.user_percent"), 30.46, 1e-9,
	    "cpu0 user: 60 / 197 = 30.46 %%");
	is_dbl(jdbl(r, "cpu.cores.0.busy_percent"), 49.24, 1e-9,
	    "cpu0 busy: 100 - (90 + 10) / 197 = 49.24 %%");
	is_int((long long)jdbl(r, "cpu.cores.0.cpu"), 0, "cores[0] is cpu 0");
	is_dbl(jdbl(r, "cpu.context_switches_per_second"), 2500, 1e-9,
	    "ctxt: 5000 over 2 s");
	is_str(jstr(r, "network.3.interface"), "eth0", "network[3] is eth0");
	is_dbl(jdbl(r, "network.3.rx_bytes_per_second"), 2000000, 1e-9,
	    "eth0: 4 MB over 2 s");
	is_dbl(jdbl(r, "network.0.rx_bytes_per_second"), 47838.5, 1e-9,
	    "lo: the whole 95677-byte counter over 2 s");
	is_dbl(jdbl(r, "memory.total_bytes"), 25276502016.0, 0.5,
	    "memory.total_bytes");
	is_dbl(jdbl(r, "memory.used_bytes"), 446750720.0, 0.5,
	    "memory.used_bytes: (24684084 - 24247804) kB");
	is_dbl(jdbl(r, "memory.used_percent"), 1.77, 1e-9,
	    "memory.used_percent: 436280 / 24684084");
	is_int((long long)json_object_array_length(jpath(r, "disks")), 1,
	    "disks: only the whole disk vda");
	is_str(jstr(r, "disks.0.name"), "vda", "disks[0] is vda");
	is_dbl(jdbl(r, "disks.0.busy_percent"), 25, 1e-9,
	    "vda busy: 500 ms of 2 s");
	/* vda is row 8 of diskstats (after loop0-7): delta 9 * 2048. */
	is_dbl(jdbl(r, "disks.0.read_bytes_per_second"), 4718592, 1e-9,
	    "vda: 18432 sectors * 512 bytes over 2 s");
	is_dbl(jdbl(r, "derived.net_rx_bytes_per_second"), 2000000, 1e-9,
	    "network total: eth0's 2 MB/s (ifb0, ifb1 idle), lo left out");
	is_dbl(jdbl(r, "derived.disk_read_bytes_per_second"), 4718592, 1e-9,
	    "disk total: vda's alone");
	is_dbl(jdbl(r, "derived.mem_available_bytes"), 24829751296.0, 0.5,
	    "derived.mem_available_bytes: MemAvailable 24247804 kB");
	is_dbl(jdbl(r, "filesystems.0.used_bytes"), 6442450944.0, 0.5,
	    "filesystems[0].used_bytes: 10 GiB - 4 GiB free");
	is_dbl(jdbl(r, "pressure.cpu.some_avg10"), 1.16, 1e-9,
	    "pressure.cpu.some_avg10");
	is_dbl(jdbl(r, "tcp.states.listen") + jdbl(r, "tcp.states.established"),
	    (double)(vt_tcp_states_total(&cur->tcp, VT_TCP_LISTEN) +
	    vt_tcp_states_total(&cur->tcp, VT_TCP_ESTABLISHED)), 1e-9,
	    "tcp states: v4 + v6");
	is_str(jstr(r, "host.kernel"), "6.1.0-18-amd64", "host.kernel");
	is_dbl(jdbl(r, "host.boot_time"), 1795366400, 0.5, "host.boot_time");
	ok(is_null(r, "processes.top_memory.0.cpu_percent"),
	    "top_memory has no CPU figure");
	json_object_put(r);
}

/* The first sample: no previous one, so every rate is null. */
static void
check_first(void)
{
	static const char *const	nulls[] = {
		"cpu.total.busy_percent", "cpu.total.user_percent",
		"cpu.cores.0.busy_percent", "cpu.cores.1.idle_percent",
		"cpu.context_switches_per_second", "cpu.forks_per_second",
		"network.3.rx_bytes_per_second",
		"network.3.tx_packets_per_second",
		"disks.0.reads_per_second", "disks.0.busy_percent",
		"tcp.listen_overflows_per_second",
		"derived.net_rx_bytes_per_second",
		"derived.disk_write_bytes_per_second",
	};
	struct json_object		*r;
	size_t				 i;

	build(&cases[1]);
	vt_buf_reset(&out);
	if (vt_render_json(cur, &out) == VT_ERR ||
	    (r = parse_json(out.data, out.len)) == NULL)
		bail("vm2-first: json failed");
	is_dbl(jdbl(r, "interval_s"), 0, 0, "first sample: interval_s 0");
	for (i = 0; i < VT_ARRAY_LEN(nulls); i++)
		ok(is_null(r, nulls[i]), "first sample: %s is null", nulls[i]);
	ok(jpath(r, "memory.total_bytes") != NULL &&
	    jpath(r, "network.3.rx_errors_total") != NULL &&
	    jpath(r, "disks.0.in_flight") != NULL,
	    "first sample: the non-rate values are there");
	is_int((long long)json_object_array_length(
	    jpath(r, "processes.top_cpu")), 0,
	    "first sample: no top_cpu without an earlier scan");
	json_object_put(r);
}

/* Names with a quote, a backslash, a newline and bytes that are not UTF-8. */
static void
check_escaping(void)
{
	struct json_object	*r;
	struct vt_mount		*m;
	char			 why[512];
	int			 nfam, rc;

	build(&cases[0]);
	snprintf(cur->net.iface[1].name, sizeof(cur->net.iface[1].name),
	    "we\"ird\\if");
	m = &cur->mounts.m[0];
	snprintf(m->mountpoint, sizeof(m->mountpoint), "/mnt/a\"b\\c\nd");
	snprintf(m->device, sizeof(m->device), "/dev/\xff\xfe" "bad");
	snprintf(cur->top_mem[0].comm, sizeof(cur->top_mem[0].comm),
	    "q\"uo/te");

	vt_buf_reset(&out);
	if (vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_ERR)
		bail("escaping: prom failed");
	ok(expo_has_line(out.data,
	    "node_network_receive_bytes_total{device=\"we\\\"ird\\\\if\"} 0"),
	    "label value: quote and backslash escaped");
	ok(strstr(out.data, "mountpoint=\"/mnt/a\\\"b\\\\c\\nd\"") != NULL,
	    "label value: newline escaped");
	ok(strstr(out.data, "device=\"/dev/\xef\xbf\xbd\xef\xbf\xbd" "bad\"")
	    != NULL, "label value: invalid UTF-8 bytes become U+FFFD");
	if (!ok(lint_prom(out.data, out.len, why, sizeof(why), &nfam),
	    "escaped text keeps its structure"))
		diag("%s", why);
	rc = expo_promtool(out.data, out.len, 0, why, sizeof(why));
	if (rc == -1)
		skip(1, "promtool is not on PATH");
	else if (!ok(rc == 1, "promtool accepts the escaped labels"))
		diag("%s", why);

	vt_buf_reset(&out);
	if (vt_render_json(cur, &out) == VT_ERR)
		bail("escaping: json failed");
	r = parse_json(out.data, out.len);
	ok(r != NULL, "escaped JSON parses");
	is_str(jstr(r, "network.1.interface"), "we\"ird\\if",
	    "JSON string round trip: quote and backslash");
	is_str(jstr(r, "filesystems.0.mountpoint"), "/mnt/a\"b\\c\nd",
	    "JSON string round trip: newline");
	is_str(jstr(r, "filesystems.0.device"),
	    "/dev/\xef\xbf\xbd\xef\xbf\xbd" "bad",
	    "JSON string: invalid UTF-8 bytes become U+FFFD");
	is_str(jstr(r, "processes.top_memory.0.name"), "q\"uo/te",
	    "JSON string: '/' unescaped, round trip");
	json_object_put(r);

	/* Control characters: \t and \b short, the others \u00xx. */
	snprintf(cur->hostname, sizeof(cur->hostname), "a\tb\bc\x01\x1f\x7f");
	vt_buf_reset(&out);
	if (vt_render_json(cur, &out) == VT_ERR)
		bail("escaping: json failed");
	ok(strstr(out.data, "\"hostname\":\"a\\tb\\bc\\u0001\\u001f\x7f\"") !=
	    NULL, "JSON string: control characters escaped as json-c does");
	r = parse_json(out.data, out.len);
	is_str(r != NULL ? jstr(r, "host.hostname") : NULL,
	    "a\tb\bc\x01\x1f\x7f",
	    "JSON string: control characters round trip");
	json_object_put(r);
}

/* Every collector failed: sections null, the text still well formed. */
static void
check_failed_collectors(void)
{
	struct json_object	*r;
	char			 why[512];
	int			 nfam, rc;

	build(&cases[0]);
	cur->have = 0;
	cur->top_ts_ms = 0;
	vt_buf_reset(&out);
	r = vt_render_json(cur, &out) == VT_OK ?
	    parse_json(out.data, out.len) : NULL;
	if (!ok(r != NULL, "nothing collected: JSON still renders"))
		bail("no JSON to look at");
	ok(is_null(r, "cpu") && is_null(r, "memory") &&
	    is_null(r, "filesystems") && is_null(r, "disks") &&
	    is_null(r, "network") && is_null(r, "pressure") &&
	    is_null(r, "processes") && is_null(r, "tcp.states") &&
	    is_null(r, "load.load1") && is_null(r, "host.boot_time"),
	    "nothing collected: the sections are null, not zeros");
	json_object_put(r);
	vt_buf_reset(&out);
	if (!ok(vt_render_prom(cur, VT_PROM_NAMES_NODE, &out) == VT_OK &&
	    lint_prom(out.data, out.len, why, sizeof(why), &nfam),
	    "nothing collected: Prometheus text well formed"))
		diag("%s", why);
	ok(strstr(out.data, "node_cpu_seconds_total") == NULL &&
	    strstr(out.data, "node_memory_") == NULL &&
	    expo_has_line(out.data,
	    "vitals_collector_success{collector=\"stat\"} 0"),
	    "nothing collected: no node_* families, collector_success 0");
	rc = expo_promtool(out.data, out.len, 0, why, sizeof(why));
	if (rc == -1)
		skip(1, "promtool is not on PATH");
	else if (!ok(rc == 1, "nothing collected: promtool clean"))
		diag("%s", why);
}

/* A buffer too small: VT_ERR, and the buffer as it was. */
static void
check_overflow(void)
{
	struct vt_buf	small;

	build(&cases[2]);
	if (vt_buf_init(&small, 64, 4096) == VT_ERR)
		bail("out of memory");
	vt_buf_adds(&small, "keep");
	ok(vt_render_json(cur, &small) == VT_ERR && small.len == 4 &&
	    strcmp(small.data, "keep") == 0,
	    "JSON past the cap: VT_ERR, buffer unchanged");
	ok(vt_render_prom(cur, VT_PROM_NAMES_NODE, &small) == VT_ERR &&
	    small.len == 4 &&
	    strcmp(small.data, "keep") == 0,
	    "Prometheus text past the cap: VT_ERR, buffer unchanged");
	vt_buf_free(&small);
}

/*
 * The text format's numbers: vt_prom_fmt_dbl() writes whole numbers
 * without snprintf; each value is also what its definition gives, the
 * shortest of "%.15g" .. "%.17g" that reads back as it.
 */
static void
check_numbers(void)
{
	static const double	v[] = { 0, 1, -1, 7, 10, 42, 1e3, 65536,
	    4294967295.0, 1e14, 999999999999999.0, -999999999999999.0,
	    1e15, -1e15, 9007199254740992.0, 1e300, 0.5, -0.25, 0.1,
	    1.0 / 3, 123456.789, 1e-7, 2.5e-320,
	    /* Short fractions, written without printf (prom_fixed). */
	    0.01, -3.25, 12345.67, 1796524915.89, 0.000058, 1.010286,
	    0.0001, 9.99e-5, 99999999.999999, 123456789.123456,
	    1234567890.12345, 12345678901234.5, 0.1 + 0.2, 1e13 + 0.25,
	    -0.000125, 5.5e-4, 1.0 / 1024 };
	char			 got[64], want[64];
	size_t			 i;
	int			 prec, same = 1;

	for (i = 0; i < VT_ARRAY_LEN(v); i++) {
		for (prec = 15; prec <= 17; prec++) {
			snprintf(want, sizeof(want), "%.*g", prec, v[i]);
			if (strtod(want, NULL) == v[i])
				break;
		}
		vt_prom_fmt_dbl(v[i], got, sizeof(got));
		if (strcmp(got, want) != 0) {
			diag("%.17g: \"%s\", want \"%s\"", v[i], got, want);
			same = 0;
		}
	}
	ok(same, "numbers: %zu values as \"%%.15g\" .. \"%%.17g\" give them",
	    VT_ARRAY_LEN(v));
	vt_prom_fmt_dbl(-0.0, got, sizeof(got));
	is_str(got, "-0", "numbers: -0 keeps its sign");
	vt_prom_fmt_dbl(NAN, got, sizeof(got));
	is_str(got, "NaN", "numbers: NaN");
	vt_prom_fmt_dbl(-INFINITY, got, sizeof(got));
	is_str(got, "-Inf", "numbers: -Inf");
	vt_prom_fmt_dbl(123456789012345.0, got, sizeof(got));
	is_str(got, "123456789012345", "numbers: 15 digits, whole");
	vt_prom_fmt_dbl(1e15, got, sizeof(got));
	is_str(got, "1e+15", "numbers: 10^15 as %%g writes it");

	/*
	 * 200 000 values: decimals of 0 to 8 places and 1 to 17 digits
	 * (the fast paths' edges), and doubles of any exponent, from a
	 * fixed LCG: each as the definition writes it.
	 */
	{
		static const double	p10[] = { 1, 10, 100, 1e3, 1e4, 1e5,
		    1e6, 1e7, 1e8 };
		uint64_t		x = 88172645463325252ULL, k, m;
		double			d;
		int			n, bad = 0;

		for (n = 0; n < 200000; n++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			if (n % 2 == 0) {
				m = 1;
				for (k = 0; k < 1 + (x >> 8) % 17; k++)
					m *= 10;
				d = (double)((x >> 20) % m) / p10[(x >> 4) % 9];
			} else {
				memcpy(&d, &x, sizeof(d));
				if (isnan(d) || isinf(d))
					continue;
			}
			if (x & 1)
				d = -d;
			for (prec = 15; prec <= 17; prec++) {
				snprintf(want, sizeof(want), "%.*g", prec, d);
				if (strtod(want, NULL) == d)
					break;
			}
			vt_prom_fmt_dbl(d, got, sizeof(got));
			if (strcmp(got, want) != 0 && bad++ < 5)
				diag("%.17g: \"%s\", want \"%s\"", d, got,
				    want);
		}
		is_int(bad, 0, "numbers: 200 000 decimals and doubles as "
		    "\"%%.15g\" .. \"%%.17g\" give them");
	}
}

int
main(void)
{
	size_t	i;
	int	skipped = 0;

	cur = calloc(1, sizeof(*cur));
	prev = calloc(1, sizeof(*prev));
	pt_cur = calloc(1, sizeof(*pt_cur));
	pt_prev = calloc(1, sizeof(*pt_prev));
	if (cur == NULL || prev == NULL || pt_cur == NULL || pt_prev == NULL ||
	    vt_buf_init(&out, 64 * 1024, OUTMAX) == VT_ERR ||
	    vt_buf_init(&om, 64 * 1024, OUTMAX) == VT_ERR)
		bail("out of memory");

	for (i = 0; i < VT_ARRAY_LEN(cases); i++)
		check_case(&cases[i], &skipped);
	check_values();
	check_first();
	check_escaping();
	check_failed_collectors();
	check_overflow();
	check_numbers();
	if (skipped > 0)
		diag("promtool not found: install Debian's prometheus package "
		    "to run those checks");

	vt_buf_free(&out);
	vt_buf_free(&om);
	free(cur);
	free(prev);
	free(pt_cur);
	free(pt_prev);
	done_testing();
	return tap_exit_status();
}

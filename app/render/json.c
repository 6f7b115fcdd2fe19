/*
 * json.c: the /api/metrics document (see json.h for its shape).
 *
 * The tree is built with json-c and serialised once.  Every number that
 * is not an integer goes through json_fmt(), which rounds it to a fixed
 * number of decimals and writes it without printf's locale or %.17g
 * noise; json_object_new_double_s() then emits that text as is.
 *
 * Every figure comes from the sample as it is: the derived ones (used
 * memory and space, rates, totals) were computed by vt_derive(), and
 * this file only decides which are known.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "render/json.h"
#include "render/utf8.h"

/* Decimals kept, by kind of value. */
#define J_PCT	2	/* percentages */
#define J_RATE	2	/* per-second rates */
#define J_LOAD	2	/* load averages, PSI averages, uptime */
#define J_IVAL	3	/* the sample interval */
#define J_SECS	6	/* the sampler's own durations */

/* Builder state: err is set by the first failure and checked at the end. */
struct jw {
	int	err;
};

static void	json_fmt(double v, int dec, char *dst, size_t len);
static struct json_object *jw_obj(struct jw *w);
static struct json_object *jw_arr(struct jw *w);
static void	jw_set(struct jw *w, struct json_object *o, const char *k,
		    struct json_object *v);
static void	jw_push(struct jw *w, struct json_object *a,
		    struct json_object *v);
static void	jw_null(struct jw *w, struct json_object *o, const char *k);
static void	jw_u64(struct jw *w, struct json_object *o, const char *k,
		    uint64_t v);
static void	jw_i64(struct jw *w, struct json_object *o, const char *k,
		    int64_t v);
static void	jw_bool(struct jw *w, struct json_object *o, const char *k,
		    int v);
static void	jw_str(struct jw *w, struct json_object *o, const char *k,
		    const char *s);
static void	jw_dbl(struct jw *w, struct json_object *o, const char *k,
		    double v, int dec);
static void	jw_maybe(struct jw *w, struct json_object *o, const char *k,
		    int known, double v, int dec);
static int	json_have(const struct vt_host *h, enum vt_collector c);
static int	json_rates(const struct vt_host *h);
static struct json_object *json_host(struct jw *w, const struct vt_host *h);
static struct json_object *json_load(struct jw *w, const struct vt_host *h);
static struct json_object *json_cpu_percent(struct jw *w,
		    const struct vt_cpu_percent *p, int known, int id);
static struct json_object *json_cpu(struct jw *w, const struct vt_host *h);
static struct json_object *json_memory(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_filesystems(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_disks(struct jw *w, const struct vt_host *h);
static struct json_object *json_network(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_derived(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_tcp(struct jw *w, const struct vt_host *h);
static struct json_object *json_pressure(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_top(struct jw *w,
		    const struct vt_top_proc *p, size_t n, int with_cpu);
static struct json_object *json_processes(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_listeners(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_close_wait(struct jw *w,
		    const struct vt_host *h);
static struct json_object *json_filefd(struct jw *w, const struct vt_host *h);
static struct json_object *json_vmstat(struct jw *w, const struct vt_host *h);
static struct json_object *json_sampler(struct jw *w,
		    const struct vt_host *h);

/*
 * Write v rounded to dec (0..6) decimals, without trailing zeros and
 * without a sign on zero: 12.5, 3, 0.07, -1.25.  Integer arithmetic, so
 * the locale cannot change the decimal point.  Magnitudes past 2^53 keep
 * no decimals.
 */
static void
json_fmt(double v, int dec, char *dst, size_t len)
{
	static const uint64_t	p10[] = { 1, 10, 100, 1000, 10000, 100000,
				    1000000 };
	char			frac[24];
	double			r;
	uint64_t		u, ip, fp;
	int			neg, i;

	r = round(v * (double)p10[dec]);
	if (!(fabs(r) < 9007199254740992.0)) {
		snprintf(dst, len, "%.0f", v);
		return;
	}
	neg = r < 0;
	u = (uint64_t)(neg ? -r : r);
	ip = u / p10[dec];
	fp = u % p10[dec];
	if (fp == 0) {
		snprintf(dst, len, "%s%" PRIu64, neg ? "-" : "", ip);
		return;
	}
	snprintf(frac, sizeof(frac), "%0*" PRIu64, dec, fp);
	for (i = dec - 1; i > 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	snprintf(dst, len, "%s%" PRIu64 ".%s", neg ? "-" : "", ip, frac);
}

static struct json_object *
jw_obj(struct jw *w)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		w->err = 1;
	return o;
}

static struct json_object *
jw_arr(struct jw *w)
{
	struct json_object	*a;

	if ((a = json_object_new_array()) == NULL)
		w->err = 1;
	return a;
}

/*
 * Put v (owned: released on failure) under key k of o.  A NULL o or v is
 * an earlier allocation failure: w->err is set.
 */
static void
jw_set(struct jw *w, struct json_object *o, const char *k,
    struct json_object *v)
{
	if (o == NULL || v == NULL || json_object_object_add(o, k, v) != 0) {
		json_object_put(v);
		w->err = 1;
	}
}

static void
jw_push(struct jw *w, struct json_object *a, struct json_object *v)
{
	if (a == NULL || v == NULL || json_object_array_add(a, v) != 0) {
		json_object_put(v);
		w->err = 1;
	}
}

static void
jw_null(struct jw *w, struct json_object *o, const char *k)
{
	if (o == NULL || json_object_object_add(o, k, NULL) != 0)
		w->err = 1;
}

static void
jw_u64(struct jw *w, struct json_object *o, const char *k, uint64_t v)
{
	jw_set(w, o, k, json_object_new_uint64(v));
}

static void
jw_i64(struct jw *w, struct json_object *o, const char *k, int64_t v)
{
	jw_set(w, o, k, json_object_new_int64(v));
}

static void
jw_bool(struct jw *w, struct json_object *o, const char *k, int v)
{
	jw_set(w, o, k, json_object_new_boolean(v != 0));
}

static void
jw_str(struct jw *w, struct json_object *o, const char *k, const char *s)
{
	char	clean[VT_UTF8_CLEAN_LEN(VT_PATH_LEN)];

	vt_utf8_clean(s, clean, sizeof(clean));
	jw_set(w, o, k, json_object_new_string(clean));
}

/* A double, or null when it is not finite. */
static void
jw_dbl(struct jw *w, struct json_object *o, const char *k, double v, int dec)
{
	char	txt[64];

	if (!isfinite(v)) {
		jw_null(w, o, k);
		return;
	}
	json_fmt(v, dec, txt, sizeof(txt));
	jw_set(w, o, k, json_object_new_double_s(v, txt));
}

/* A double when known, else null. */
static void
jw_maybe(struct jw *w, struct json_object *o, const char *k, int known,
    double v, int dec)
{
	if (known)
		jw_dbl(w, o, k, v, dec);
	else
		jw_null(w, o, k);
}

static int
json_have(const struct vt_host *h, enum vt_collector c)
{
	return (h->have & VT_HAVE(c)) != 0;
}

/* Rates exist from the second sample on. */
static int
json_rates(const struct vt_host *h)
{
	return isfinite(h->interval_s) && h->interval_s > 0;
}

static struct json_object *
json_host(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o = jw_obj(w);
	int			 st = json_have(h, VT_COL_STAT);

	jw_str(w, o, "hostname", h->hostname);
	jw_str(w, o, "kernel", h->kernel);
	if (st && (h->stat.has & VT_STAT_HAS_BTIME))
		jw_u64(w, o, "boot_time", h->stat.btime);
	else
		jw_null(w, o, "boot_time");
	jw_maybe(w, o, "uptime_seconds", json_have(h, VT_COL_UPTIME),
	    h->uptime.uptime, J_LOAD);
	return o;
}

static struct json_object *
json_load(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o = jw_obj(w);
	int			 la = json_have(h, VT_COL_LOADAVG);
	int			 st = json_have(h, VT_COL_STAT);

	jw_maybe(w, o, "load1", la, h->load.load1, J_LOAD);
	jw_maybe(w, o, "load5", la, h->load.load5, J_LOAD);
	jw_maybe(w, o, "load15", la, h->load.load15, J_LOAD);
	if (st && (h->stat.has & VT_STAT_HAS_RUNNING))
		jw_u64(w, o, "procs_running", h->stat.procs_running);
	else
		jw_null(w, o, "procs_running");
	if (st && (h->stat.has & VT_STAT_HAS_BLOCKED))
		jw_u64(w, o, "procs_blocked", h->stat.procs_blocked);
	else
		jw_null(w, o, "procs_blocked");
	if (la)
		jw_u64(w, o, "tasks_total", h->load.total);
	else
		jw_null(w, o, "tasks_total");
	return o;
}

/* busy_percent and one <mode>_percent per mode, after "cpu" if id >= 0. */
static struct json_object *
json_cpu_percent(struct jw *w, const struct vt_cpu_percent *p, int known,
    int id)
{
	struct json_object	*o = jw_obj(w);
	char			 key[48];
	int			 m;

	if (id >= 0)
		jw_i64(w, o, "cpu", id);
	known = known && p->valid;
	jw_maybe(w, o, "busy_percent", known, p->busy, J_PCT);
	for (m = 0; m < VT_CPU_NMODES; m++) {
		snprintf(key, sizeof(key), "%s_percent", vt_cpu_mode_names[m]);
		jw_maybe(w, o, key, known, p->mode[m], J_PCT);
	}
	return o;
}

static struct json_object *
json_cpu(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o, *cores;
	int			 rates = json_rates(h);
	size_t			 i;

	if (!json_have(h, VT_COL_STAT))
		return NULL;
	o = jw_obj(w);
	jw_u64(w, o, "count", h->stat.ncpu);
	jw_maybe(w, o, "context_switches_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_CTXT), h->ctxt_per_s, J_RATE);
	jw_maybe(w, o, "interrupts_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_INTR), h->intr_per_s, J_RATE);
	jw_maybe(w, o, "forks_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_PROCESSES), h->forks_per_s,
	    J_RATE);
	jw_set(w, o, "total", json_cpu_percent(w, &h->cpu_total, rates, -1));
	cores = jw_arr(w);
	/*
	 * cpu[i] is for stat.cpu[i] when i < ncpu; the sampler leaves ncpu
	 * 0 when it had no previous /proc/stat to compare with.
	 */
	for (i = 0; i < h->stat.ncpu && i < VT_MAX_CPUS; i++) {
		struct vt_cpu_percent	none;

		if (i < h->ncpu) {
			jw_push(w, cores, json_cpu_percent(w, &h->cpu[i],
			    rates, h->stat.cpu[i].id));
			continue;
		}
		memset(&none, 0, sizeof(none));
		jw_push(w, cores, json_cpu_percent(w, &none, 0,
		    h->stat.cpu[i].id));
	}
	jw_set(w, o, "cores", cores);
	return o;
}

static struct json_object *
json_memory(struct jw *w, const struct vt_host *h)
{
	const struct vt_proc_meminfo	*m = &h->mem;
	struct json_object		*o;

	if (!json_have(h, VT_COL_MEMINFO))
		return NULL;
	o = jw_obj(w);
	jw_u64(w, o, "total_bytes", m->mem_total);
	jw_u64(w, o, "free_bytes", m->mem_free);
	if (m->has_available)
		jw_u64(w, o, "available_bytes", m->mem_available);
	else
		jw_null(w, o, "available_bytes");
	jw_u64(w, o, "used_bytes", h->mem_used);
	jw_dbl(w, o, "used_percent", h->mem_used_percent, J_PCT);
	jw_u64(w, o, "buffers_bytes", m->buffers);
	jw_u64(w, o, "cached_bytes", m->cached);
	jw_u64(w, o, "swap_total_bytes", m->swap_total);
	jw_u64(w, o, "swap_free_bytes", m->swap_free);
	jw_u64(w, o, "swap_used_bytes", h->swap_used);
	return o;
}

static struct json_object *
json_filesystems(struct jw *w, const struct vt_host *h)
{
	static const char *const	 states[] = {
		[VT_FS_NOT_RUN] = "not_run", [VT_FS_OK] = "ok",
		[VT_FS_ERROR] = "error", [VT_FS_TIMEOUT] = "timeout",
		[VT_FS_HUNG] = "hung"
	};
	struct json_object		*a;
	size_t				 i;

	if (!json_have(h, VT_COL_MOUNTS))
		return NULL;
	a = jw_arr(w);
	for (i = 0; i < h->mounts.n && i < VT_MAX_MOUNTS; i++) {
		const struct vt_mount	*m = &h->mounts.m[i];
		const struct vt_fs_used	*u = &h->fs_used[i];
		struct json_object	*o = jw_obj(w);
		int			 ok = m->state == VT_FS_OK;

		jw_str(w, o, "mountpoint", m->mountpoint);
		jw_str(w, o, "device", m->device);
		jw_str(w, o, "fstype", m->fstype);
		jw_bool(w, o, "readonly", m->readonly);
		jw_str(w, o, "state", (unsigned)m->state < VT_ARRAY_LEN(states)
		    ? states[m->state] : "error");
		if (!ok) {
			jw_null(w, o, "size_bytes");
			jw_null(w, o, "free_bytes");
			jw_null(w, o, "avail_bytes");
			jw_null(w, o, "used_bytes");
			jw_null(w, o, "used_percent");
			jw_null(w, o, "files");
			jw_null(w, o, "files_free");
			jw_push(w, a, o);
			continue;
		}
		jw_u64(w, o, "size_bytes", m->size_bytes);
		jw_u64(w, o, "free_bytes", m->free_bytes);
		jw_u64(w, o, "avail_bytes", m->avail_bytes);
		jw_u64(w, o, "used_bytes", u->used_bytes);
		jw_dbl(w, o, "used_percent", u->used_percent, J_PCT);
		jw_u64(w, o, "files", m->files);
		jw_u64(w, o, "files_free", m->files_free);
		jw_push(w, a, o);
	}
	return a;
}

static struct json_object *
json_disks(struct jw *w, const struct vt_host *h)
{
	struct json_object	*a;
	int			 rates = json_rates(h);
	size_t			 i;

	if (!json_have(h, VT_COL_DISKSTATS))
		return NULL;
	a = jw_arr(w);
	for (i = 0; i < h->disk.n && i < VT_DISKSTATS_MAX; i++) {
		const struct vt_disk		*d = &h->disk.disk[i];
		const struct vt_disk_rate	*r = &h->disk_rate[i];
		struct json_object		*o;

		if (!vt_diskstats_selected(d))
			continue;
		o = jw_obj(w);
		jw_str(w, o, "name", d->name);
		jw_maybe(w, o, "reads_per_second", rates, r->reads, J_RATE);
		jw_maybe(w, o, "writes_per_second", rates, r->writes, J_RATE);
		jw_maybe(w, o, "read_bytes_per_second", rates, r->read_bytes,
		    J_RATE);
		jw_maybe(w, o, "write_bytes_per_second", rates, r->write_bytes,
		    J_RATE);
		jw_maybe(w, o, "busy_percent", rates, r->busy_percent, J_PCT);
		jw_u64(w, o, "in_flight", d->v[VT_DISK_IN_FLIGHT]);
		jw_push(w, a, o);
	}
	return a;
}

static struct json_object *
json_network(struct jw *w, const struct vt_host *h)
{
	struct json_object	*a;
	int			 rates = json_rates(h);
	size_t			 i;

	if (!json_have(h, VT_COL_NET_DEV))
		return NULL;
	a = jw_arr(w);
	for (i = 0; i < h->net.n && i < VT_MAX_IFACES; i++) {
		const struct vt_netdev_iface	*f = &h->net.iface[i];
		const struct vt_net_rate	*r = &h->net_rate[i];
		struct json_object		*o = jw_obj(w);

		jw_str(w, o, "interface", f->name);
		jw_maybe(w, o, "rx_bytes_per_second", rates, r->rx_bytes,
		    J_RATE);
		jw_maybe(w, o, "tx_bytes_per_second", rates, r->tx_bytes,
		    J_RATE);
		jw_maybe(w, o, "rx_packets_per_second", rates, r->rx_packets,
		    J_RATE);
		jw_maybe(w, o, "tx_packets_per_second", rates, r->tx_packets,
		    J_RATE);
		jw_u64(w, o, "rx_errors_total", f->v[VT_NETDEV_RX_ERRS]);
		jw_u64(w, o, "tx_errors_total", f->v[VT_NETDEV_TX_ERRS]);
		jw_u64(w, o, "rx_drops_total", f->v[VT_NETDEV_RX_DROP]);
		jw_u64(w, o, "tx_drops_total", f->v[VT_NETDEV_TX_DROP]);
		jw_push(w, a, o);
	}
	return a;
}

/*
 * The sums and the estimate the page and the charts show, named as the
 * ring's series.  A total is known when its rates are and at least one
 * interface or disk went into it.
 */
static struct json_object *
json_derived(struct jw *w, const struct vt_host *h)
{
	const struct vt_totals	*t = &h->totals;
	struct json_object	*o = jw_obj(w);
	int			 net, disk;

	net = json_rates(h) && json_have(h, VT_COL_NET_DEV) && t->net_n > 0;
	disk = json_rates(h) && json_have(h, VT_COL_DISKSTATS) &&
	    t->disk_n > 0;
	if (json_have(h, VT_COL_MEMINFO))
		jw_u64(w, o, "mem_available_bytes", h->mem_available);
	else
		jw_null(w, o, "mem_available_bytes");
	jw_maybe(w, o, "net_rx_bytes_per_second", net, t->net_rx_bytes,
	    J_RATE);
	jw_maybe(w, o, "net_tx_bytes_per_second", net, t->net_tx_bytes,
	    J_RATE);
	jw_maybe(w, o, "disk_read_bytes_per_second", disk, t->disk_read_bytes,
	    J_RATE);
	jw_maybe(w, o, "disk_write_bytes_per_second", disk,
	    t->disk_write_bytes, J_RATE);
	return o;
}

static struct json_object *
json_tcp(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o = jw_obj(w), *st;
	int			 ns = json_have(h, VT_COL_NETSTAT) &&
				    h->netstat.has_listen;
	int			 s;

	if (json_have(h, VT_COL_TCP)) {
		st = jw_obj(w);
		for (s = VT_TCP_ESTABLISHED; s < VT_TCP_NSTATES; s++)
			jw_u64(w, st, vt_tcp_state_names[s],
			    vt_tcp_states_total(&h->tcp, (enum vt_tcp_state)s));
		jw_set(w, o, "states", st);
		/* The count is paced on a busy host (tcp_diag.h). */
		jw_i64(w, o, "states_age_ms", h->tcp.counted_ms > 0 &&
		    h->ts_ms > h->tcp.counted_ms ?
		    h->ts_ms - h->tcp.counted_ms : 0);
	} else {
		jw_null(w, o, "states");
		jw_null(w, o, "states_age_ms");
	}
	if (ns) {
		jw_u64(w, o, "listen_overflows_total",
		    h->netstat.listen_overflows);
		jw_u64(w, o, "listen_drops_total", h->netstat.listen_drops);
	} else {
		jw_null(w, o, "listen_overflows_total");
		jw_null(w, o, "listen_drops_total");
	}
	jw_maybe(w, o, "listen_overflows_per_second", ns && json_rates(h),
	    h->listen_overflows_per_s, J_RATE);
	jw_maybe(w, o, "listen_drops_per_second", ns && json_rates(h),
	    h->listen_drops_per_s, J_RATE);
	return o;
}

static struct json_object *
json_pressure(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o;
	int			 r;

	if (!json_have(h, VT_COL_PRESSURE))
		return NULL;
	o = jw_obj(w);
	for (r = 0; r < VT_PSI_NRES; r++) {
		const struct vt_psi	*p = &h->pressure.res[r];
		struct json_object	*ro;

		if (!p->available) {
			jw_null(w, o, vt_psi_resource_names[r]);
			continue;
		}
		ro = jw_obj(w);
		jw_maybe(w, ro, "some_avg10", p->some.present, p->some.avg10,
		    J_LOAD);
		jw_maybe(w, ro, "some_avg60", p->some.present, p->some.avg60,
		    J_LOAD);
		jw_maybe(w, ro, "some_avg300", p->some.present, p->some.avg300,
		    J_LOAD);
		jw_maybe(w, ro, "full_avg10", p->full.present, p->full.avg10,
		    J_LOAD);
		jw_maybe(w, ro, "full_avg60", p->full.present, p->full.avg60,
		    J_LOAD);
		jw_maybe(w, ro, "full_avg300", p->full.present, p->full.avg300,
		    J_LOAD);
		jw_set(w, o, vt_psi_resource_names[r], ro);
	}
	return o;
}

static struct json_object *
json_top(struct jw *w, const struct vt_top_proc *p, size_t n, int with_cpu)
{
	struct json_object	*a = jw_arr(w);
	size_t			 i;

	for (i = 0; i < n && i < VT_MAX_PROCS; i++) {
		struct json_object	*o = jw_obj(w);
		char			 state[2] = { p[i].state, '\0' };
		char			 comm[VT_COMM_LEN + 1];

		/* comm is a fixed array: never trust it to be terminated. */
		memcpy(comm, p[i].comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		jw_i64(w, o, "pid", p[i].pid);
		jw_str(w, o, "name", comm);
		jw_str(w, o, "state", state);
		jw_maybe(w, o, "cpu_percent", with_cpu, p[i].cpu_percent,
		    J_PCT);
		jw_u64(w, o, "rss_bytes", p[i].rss_bytes);
		jw_push(w, a, o);
	}
	return a;
}

static struct json_object *
json_processes(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o;

	/* The scan runs every few samples: its last result is carried. */
	if (!json_have(h, VT_COL_PROCESSES) && h->top_ts_ms == 0)
		return NULL;
	o = jw_obj(w);
	jw_i64(w, o, "timestamp_ms", h->top_ts_ms);
	jw_set(w, o, "top_cpu", json_top(w, h->top_cpu, h->ntop_cpu, 1));
	jw_set(w, o, "top_memory", json_top(w, h->top_mem, h->ntop_mem, 0));
	return o;
}

/* The family's name in the document. */
static const char *
json_family(int family)
{
	switch (family) {
	case AF_INET:
		return "tcp";
	case AF_INET6:
		return "tcp6";
	case AF_UNIX:
		return "unix";
	default:
		return "other";
	}
}

/*
 * Every listener kept, the fullest first; null when the collector failed
 * and the pool's own socket is not known either.
 */
static struct json_object *
json_listeners(struct jw *w, const struct vt_host *h)
{
	struct json_object	*a;
	size_t			 i;

	if (!json_have(h, VT_COL_LISTENERS) && h->listeners.n == 0)
		return NULL;
	a = jw_arr(w);
	for (i = 0; i < h->listeners.n && i < VT_MAX_LISTENERS; i++) {
		const struct vt_listen_entry	*e = &h->listeners.l[i];
		struct json_object		*o = jw_obj(w);
		char				 addr[VT_LISTENER_ADDRLEN + 1];
		char				 comm[VT_COMM_LEN + 1];

		/* Fixed arrays: never trust them to be terminated. */
		memcpy(addr, e->address, VT_LISTENER_ADDRLEN);
		addr[VT_LISTENER_ADDRLEN] = '\0';
		memcpy(comm, e->comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		jw_str(w, o, "family", json_family(e->family));
		jw_str(w, o, "address", addr);
		if (e->family == AF_UNIX)
			jw_null(w, o, "port");
		else
			jw_u64(w, o, "port", e->port);
		jw_u64(w, o, "queue", e->queue);
		jw_u64(w, o, "backlog", e->backlog);
		jw_maybe(w, o, "fill_percent", e->backlog > 0,
		    100.0 * e->queue / e->backlog, J_PCT);
		if (e->pid > 0) {
			jw_i64(w, o, "pid", e->pid);
			jw_str(w, o, "process", comm);
		} else {
			jw_null(w, o, "pid");
			jw_null(w, o, "process");
		}
		jw_push(w, a, o);
	}
	return a;
}

/* Who holds the CLOSE_WAIT sockets; null before the first count. */
static struct json_object *
json_close_wait(struct jw *w, const struct vt_host *h)
{
	const struct vt_sock_holders	*c = &h->close_wait_holders;
	struct json_object		*o, *a;
	size_t				 i;

	if (c->ts_ms == 0)
		return NULL;
	o = jw_obj(w);
	jw_u64(w, o, "sockets", c->sockets);
	jw_u64(w, o, "attributed", c->attributed);
	jw_i64(w, o, "ts_ms", c->ts_ms);
	a = jw_arr(w);
	for (i = 0; i < c->n && i < VT_MAX_HOLDERS; i++) {
		struct json_object	*e = jw_obj(w);
		char			 comm[VT_COMM_LEN + 1];

		memcpy(comm, c->h[i].comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		jw_i64(w, e, "pid", c->h[i].pid);
		if (comm[0] != '\0')
			jw_str(w, e, "process", comm);
		else
			jw_null(w, e, "process");
		jw_u64(w, e, "count", c->h[i].count);
		jw_push(w, a, e);
	}
	jw_set(w, o, "top", a);
	return o;
}

static struct json_object *
json_filefd(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o;

	if (!json_have(h, VT_COL_FILE_NR))
		return NULL;
	o = jw_obj(w);
	jw_u64(w, o, "allocated", h->filenr.allocated);
	jw_u64(w, o, "maximum", h->filenr.max);
	return o;
}

static struct json_object *
json_vmstat(struct jw *w, const struct vt_host *h)
{
	const struct vt_proc_vmstat	*v = &h->vmstat;
	struct json_object		*o;

	if (!json_have(h, VT_COL_VMSTAT))
		return NULL;
	o = jw_obj(w);
	jw_u64(w, o, "pgfault", v->pgfault);
	jw_u64(w, o, "pgmajfault", v->pgmajfault);
	jw_u64(w, o, "pswpin", v->pswpin);
	jw_u64(w, o, "pswpout", v->pswpout);
	if (v->have_oom_kill)
		jw_u64(w, o, "oom_kill", v->oom_kill);
	else
		jw_null(w, o, "oom_kill");
	return o;
}

static struct json_object *
json_sampler(struct jw *w, const struct vt_host *h)
{
	struct json_object	*o = jw_obj(w), *e;
	int			 c;

	jw_dbl(w, o, "duration_seconds", h->st.duration_s, J_SECS);
	jw_u64(w, o, "samples", h->st.samples);
	jw_dbl(w, o, "cpu_seconds_total", (double)h->st.cpu_time_us / 1e6,
	    J_SECS);
	jw_u64(w, o, "statvfs_timeouts_total", h->st.fs_timeouts);
	e = jw_obj(w);
	for (c = 0; c < VT_COL_N; c++)
		jw_u64(w, e, vt_collector_names[c], h->st.col_errors[c]);
	jw_set(w, o, "errors", e);
	return o;
}

/* Put a section that may be null (its collector failed). */
#define JW_SECTION(w, o, k, v) do {					\
		struct json_object *sec_ = (v);				\
		if (sec_ == NULL && !(w)->err)				\
			jw_null((w), (o), (k));				\
		else							\
			jw_set((w), (o), (k), sec_);			\
	} while (0)

int
vt_render_json(const struct vt_host *h, struct vt_buf *out)
{
	struct jw		 w = { 0 };
	struct json_object	*root;
	const char		*s;
	size_t			 n = 0, start = out->len;
	int			 rc = VT_ERR;

	if ((root = jw_obj(&w)) == NULL)
		return VT_ERR;
	jw_i64(&w, root, "timestamp_ms", h->ts_ms);
	jw_dbl(&w, root, "interval_s", json_rates(h) ? h->interval_s : 0,
	    J_IVAL);
	jw_set(&w, root, "host", json_host(&w, h));
	jw_set(&w, root, "load", json_load(&w, h));
	JW_SECTION(&w, root, "cpu", json_cpu(&w, h));
	JW_SECTION(&w, root, "memory", json_memory(&w, h));
	JW_SECTION(&w, root, "filesystems", json_filesystems(&w, h));
	JW_SECTION(&w, root, "disks", json_disks(&w, h));
	JW_SECTION(&w, root, "network", json_network(&w, h));
	jw_set(&w, root, "derived", json_derived(&w, h));
	jw_set(&w, root, "tcp", json_tcp(&w, h));
	JW_SECTION(&w, root, "pressure", json_pressure(&w, h));
	JW_SECTION(&w, root, "processes", json_processes(&w, h));
	JW_SECTION(&w, root, "listeners", json_listeners(&w, h));
	if (json_have(h, VT_COL_LISTENERS) || h->listeners.n > 0)
		jw_u64(&w, root, "listeners_total", h->listeners.total);
	else
		jw_null(&w, root, "listeners_total");
	JW_SECTION(&w, root, "close_wait_holders", json_close_wait(&w, h));
	JW_SECTION(&w, root, "filefd", json_filefd(&w, h));
	JW_SECTION(&w, root, "vmstat", json_vmstat(&w, h));
	jw_set(&w, root, "sampler", json_sampler(&w, h));
	if (w.err)
		goto end;
	s = json_object_to_json_string_length(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (s == NULL || n == 0 || s[n - 1] != '}')
		goto end;
	if (vt_buf_add(out, s, n) == VT_ERR)
		goto end;
	rc = VT_OK;
end:
	json_object_put(root);
	if (rc == VT_ERR)
		vt_buf_truncate(out, start);
	return rc;
}

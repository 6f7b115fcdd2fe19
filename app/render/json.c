/*
 * json.c: the /api/metrics document (see json.h for its shape).
 *
 * Written as it goes, into the output buffer, in the form json-c's
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE gave when the
 * document was a json-c tree serialised once (no blanks; strings escaped
 * as json-c does).  The tree cost a malloc a value and a hash insert a
 * key, every tick, for a document that is only ever written (issue 14).
 * Every number that is not an integer goes through vt_jw_dbl() (jw.h),
 * which rounds it to a fixed number of decimals and writes it without
 * printf's locale or %.17g noise.
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

#include "render/json.h"
#include "render/jw.h"
#include "render/utf8.h"

/* Decimals kept, by kind of value. */
#define J_PCT	2	/* percentages */
#define J_RATE	2	/* per-second rates */
#define J_LOAD	2	/* load averages, PSI averages, uptime */
#define J_IVAL	3	/* the sample interval */
#define J_SECS	6	/* the sampler's own durations */

static int	json_have(const struct vt_host *h, enum vt_collector c);
static int	json_rates(const struct vt_host *h);
static void	json_host(struct vt_jw *w, const struct vt_host *h);
static void	json_load(struct vt_jw *w, const struct vt_host *h);
static void	json_cpu_percent(struct vt_jw *w,
		    const struct vt_cpu_percent *p, int known, int id);
static void	json_cpu(struct vt_jw *w, const struct vt_host *h);
static void	json_memory(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_filesystems(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_disks(struct vt_jw *w, const struct vt_host *h);
static void	json_network(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_derived(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_tcp(struct vt_jw *w, const struct vt_host *h);
static void	json_pressure(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_top(struct vt_jw *w,
		    const struct vt_top_proc *p, size_t n, int with_cpu);
static void	json_processes(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_listeners(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_close_wait(struct vt_jw *w,
		    const struct vt_host *h);
static void	json_filefd(struct vt_jw *w, const struct vt_host *h);
static void	json_vmstat(struct vt_jw *w, const struct vt_host *h);
static void	json_sampler(struct vt_jw *w,
		    const struct vt_host *h);

















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

static void
json_host(struct vt_jw *w, const struct vt_host *h)
{
	int			 st = json_have(h, VT_COL_STAT);

	vt_jw_open(w, '{');
	vt_jw_str(w, "hostname", h->hostname);
	vt_jw_str(w, "kernel", h->kernel);
	if (st && (h->stat.has & VT_STAT_HAS_BTIME))
		vt_jw_u64(w, "boot_time", h->stat.btime);
	else
		vt_jw_null(w, "boot_time");
	vt_jw_maybe(w, "uptime_seconds", json_have(h, VT_COL_UPTIME),
	    h->uptime.uptime, J_LOAD);
	vt_jw_close(w, '}');
}

static void
json_load(struct vt_jw *w, const struct vt_host *h)
{
	int			 la = json_have(h, VT_COL_LOADAVG);
	int			 st = json_have(h, VT_COL_STAT);

	vt_jw_open(w, '{');
	vt_jw_maybe(w, "load1", la, h->load.load1, J_LOAD);
	vt_jw_maybe(w, "load5", la, h->load.load5, J_LOAD);
	vt_jw_maybe(w, "load15", la, h->load.load15, J_LOAD);
	if (st && (h->stat.has & VT_STAT_HAS_RUNNING))
		vt_jw_u64(w, "procs_running", h->stat.procs_running);
	else
		vt_jw_null(w, "procs_running");
	if (st && (h->stat.has & VT_STAT_HAS_BLOCKED))
		vt_jw_u64(w, "procs_blocked", h->stat.procs_blocked);
	else
		vt_jw_null(w, "procs_blocked");
	if (la)
		vt_jw_u64(w, "tasks_total", h->load.total);
	else
		vt_jw_null(w, "tasks_total");
	vt_jw_close(w, '}');
}

/* busy_percent and one <mode>_percent per mode, after "cpu" if id >= 0. */
static void
json_cpu_percent(struct vt_jw *w, const struct vt_cpu_percent *p, int known,
    int id)
{
	char			 key[48];
	int			 m;

	vt_jw_open(w, '{');
	if (id >= 0)
		vt_jw_i64(w, "cpu", id);
	known = known && p->valid;
	vt_jw_maybe(w, "busy_percent", known, p->busy, J_PCT);
	for (m = 0; m < VT_CPU_NMODES; m++) {
		snprintf(key, sizeof(key), "%s_percent", vt_cpu_mode_names[m]);
		vt_jw_maybe(w, key, known, p->mode[m], J_PCT);
	}
	vt_jw_close(w, '}');
}

static void
json_cpu(struct vt_jw *w, const struct vt_host *h)
{
	int			 rates = json_rates(h);
	size_t			 i;

	if (!vt_jw_section(w, json_have(h, VT_COL_STAT), '{'))
		return;
	vt_jw_u64(w, "count", h->stat.ncpu);
	vt_jw_maybe(w, "context_switches_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_CTXT), h->ctxt_per_s, J_RATE);
	vt_jw_maybe(w, "interrupts_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_INTR), h->intr_per_s, J_RATE);
	vt_jw_maybe(w, "forks_per_second",
	    rates && (h->stat.has & VT_STAT_HAS_PROCESSES), h->forks_per_s,
	    J_RATE);
	vt_jw_key(w, "total");
	json_cpu_percent(w, &h->cpu_total, rates, -1);
	vt_jw_key(w, "cores");
	vt_jw_open(w, '[');
	/*
	 * cpu[i] is for stat.cpu[i] when i < ncpu; the sampler leaves ncpu
	 * 0 when it had no previous /proc/stat to compare with.
	 */
	for (i = 0; i < h->stat.ncpu && i < VT_MAX_CPUS; i++) {
		struct vt_cpu_percent	none;

		if (i < h->ncpu) {
			json_cpu_percent(w, &h->cpu[i], rates,
			    h->stat.cpu[i].id);
			continue;
		}
		memset(&none, 0, sizeof(none));
		json_cpu_percent(w, &none, 0, h->stat.cpu[i].id);
	}
	vt_jw_close(w, ']');
	vt_jw_close(w, '}');
}

static void
json_memory(struct vt_jw *w, const struct vt_host *h)
{
	const struct vt_proc_meminfo	*m = &h->mem;

	if (!vt_jw_section(w, json_have(h, VT_COL_MEMINFO), '{'))
		return;
	vt_jw_u64(w, "total_bytes", m->mem_total);
	vt_jw_u64(w, "free_bytes", m->mem_free);
	if (m->has_available)
		vt_jw_u64(w, "available_bytes", m->mem_available);
	else
		vt_jw_null(w, "available_bytes");
	vt_jw_u64(w, "used_bytes", h->mem_used);
	vt_jw_dbl(w, "used_percent", h->mem_used_percent, J_PCT);
	vt_jw_u64(w, "buffers_bytes", m->buffers);
	vt_jw_u64(w, "cached_bytes", m->cached);
	vt_jw_u64(w, "swap_total_bytes", m->swap_total);
	vt_jw_u64(w, "swap_free_bytes", m->swap_free);
	vt_jw_u64(w, "swap_used_bytes", h->swap_used);
	vt_jw_close(w, '}');
}

static void
json_filesystems(struct vt_jw *w, const struct vt_host *h)
{
	static const char *const	 states[] = {
		[VT_FS_NOT_RUN] = "not_run", [VT_FS_OK] = "ok",
		[VT_FS_ERROR] = "error", [VT_FS_TIMEOUT] = "timeout",
		[VT_FS_HUNG] = "hung"
	};
	size_t				 i;

	if (!vt_jw_section(w, json_have(h, VT_COL_MOUNTS), '['))
		return;
	for (i = 0; i < h->mounts.n && i < VT_MAX_MOUNTS; i++) {
		const struct vt_mount	*m = &h->mounts.m[i];
		const struct vt_fs_used	*u = &h->fs_used[i];
		int			 ok = m->state == VT_FS_OK;

		vt_jw_open(w, '{');
		vt_jw_str(w, "mountpoint", m->mountpoint);
		vt_jw_str(w, "device", m->device);
		vt_jw_str(w, "fstype", m->fstype);
		vt_jw_bool(w, "readonly", m->readonly);
		vt_jw_str(w, "state", (unsigned)m->state < VT_ARRAY_LEN(states)
		    ? states[m->state] : "error");
		if (!ok) {
			vt_jw_null(w, "size_bytes");
			vt_jw_null(w, "free_bytes");
			vt_jw_null(w, "avail_bytes");
			vt_jw_null(w, "used_bytes");
			vt_jw_null(w, "used_percent");
			vt_jw_null(w, "files");
			vt_jw_null(w, "files_free");
			vt_jw_close(w, '}');
			continue;
		}
		vt_jw_u64(w, "size_bytes", m->size_bytes);
		vt_jw_u64(w, "free_bytes", m->free_bytes);
		vt_jw_u64(w, "avail_bytes", m->avail_bytes);
		vt_jw_u64(w, "used_bytes", u->used_bytes);
		vt_jw_dbl(w, "used_percent", u->used_percent, J_PCT);
		vt_jw_u64(w, "files", m->files);
		vt_jw_u64(w, "files_free", m->files_free);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
}

static void
json_disks(struct vt_jw *w, const struct vt_host *h)
{
	int			 rates = json_rates(h);
	size_t			 i;

	if (!vt_jw_section(w, json_have(h, VT_COL_DISKSTATS), '['))
		return;
	for (i = 0; i < h->disk.n && i < VT_DISKSTATS_MAX; i++) {
		const struct vt_disk		*d = &h->disk.disk[i];
		const struct vt_disk_rate	*r = &h->disk_rate[i];

		if (!vt_diskstats_selected(d))
			continue;
		vt_jw_open(w, '{');
		vt_jw_str(w, "name", d->name);
		vt_jw_maybe(w, "reads_per_second", rates, r->reads, J_RATE);
		vt_jw_maybe(w, "writes_per_second", rates, r->writes, J_RATE);
		vt_jw_maybe(w, "read_bytes_per_second", rates, r->read_bytes,
		    J_RATE);
		vt_jw_maybe(w, "write_bytes_per_second", rates, r->write_bytes,
		    J_RATE);
		vt_jw_maybe(w, "busy_percent", rates, r->busy_percent, J_PCT);
		vt_jw_u64(w, "in_flight", d->v[VT_DISK_IN_FLIGHT]);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
}

static void
json_network(struct vt_jw *w, const struct vt_host *h)
{
	int			 rates = json_rates(h);
	size_t			 i;

	if (!vt_jw_section(w, json_have(h, VT_COL_NET_DEV), '['))
		return;
	for (i = 0; i < h->net.n && i < VT_MAX_IFACES; i++) {
		const struct vt_netdev_iface	*f = &h->net.iface[i];
		const struct vt_net_rate	*r = &h->net_rate[i];

		vt_jw_open(w, '{');
		vt_jw_str(w, "interface", f->name);
		vt_jw_maybe(w, "rx_bytes_per_second", rates, r->rx_bytes,
		    J_RATE);
		vt_jw_maybe(w, "tx_bytes_per_second", rates, r->tx_bytes,
		    J_RATE);
		vt_jw_maybe(w, "rx_packets_per_second", rates, r->rx_packets,
		    J_RATE);
		vt_jw_maybe(w, "tx_packets_per_second", rates, r->tx_packets,
		    J_RATE);
		vt_jw_u64(w, "rx_errors_total", f->v[VT_NETDEV_RX_ERRS]);
		vt_jw_u64(w, "tx_errors_total", f->v[VT_NETDEV_TX_ERRS]);
		vt_jw_u64(w, "rx_drops_total", f->v[VT_NETDEV_RX_DROP]);
		vt_jw_u64(w, "tx_drops_total", f->v[VT_NETDEV_TX_DROP]);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
}

/*
 * The sums and the estimate the page and the charts show, named as the
 * ring's series.  A total is known when its rates are and at least one
 * interface or disk went into it.
 */
static void
json_derived(struct vt_jw *w, const struct vt_host *h)
{
	const struct vt_totals	*t = &h->totals;
	int			 net, disk;

	vt_jw_open(w, '{');
	net = json_rates(h) && json_have(h, VT_COL_NET_DEV) && t->net_n > 0;
	disk = json_rates(h) && json_have(h, VT_COL_DISKSTATS) &&
	    t->disk_n > 0;
	if (json_have(h, VT_COL_MEMINFO))
		vt_jw_u64(w, "mem_available_bytes", h->mem_available);
	else
		vt_jw_null(w, "mem_available_bytes");
	vt_jw_maybe(w, "net_rx_bytes_per_second", net, t->net_rx_bytes,
	    J_RATE);
	vt_jw_maybe(w, "net_tx_bytes_per_second", net, t->net_tx_bytes,
	    J_RATE);
	vt_jw_maybe(w, "disk_read_bytes_per_second", disk, t->disk_read_bytes,
	    J_RATE);
	vt_jw_maybe(w, "disk_write_bytes_per_second", disk,
	    t->disk_write_bytes, J_RATE);
	vt_jw_close(w, '}');
}

static void
json_tcp(struct vt_jw *w, const struct vt_host *h)
{
	int			 ns = json_have(h, VT_COL_NETSTAT) &&
				    h->netstat.has_listen;
	int			 s;

	vt_jw_open(w, '{');
	if (json_have(h, VT_COL_TCP)) {
		vt_jw_key(w, "states");
		vt_jw_open(w, '{');
		for (s = VT_TCP_ESTABLISHED; s < VT_TCP_NSTATES; s++)
			vt_jw_u64(w, vt_tcp_state_names[s],
			    vt_tcp_states_total(&h->tcp, (enum vt_tcp_state)s));
		vt_jw_close(w, '}');
		/* The count is paced on a busy host (tcp_diag.h). */
		vt_jw_i64(w, "states_age_ms", h->tcp.counted_ms > 0 &&
		    h->ts_ms > h->tcp.counted_ms ?
		    h->ts_ms - h->tcp.counted_ms : 0);
	} else {
		vt_jw_null(w, "states");
		vt_jw_null(w, "states_age_ms");
	}
	if (ns) {
		vt_jw_u64(w, "listen_overflows_total",
		    h->netstat.listen_overflows);
		vt_jw_u64(w, "listen_drops_total", h->netstat.listen_drops);
	} else {
		vt_jw_null(w, "listen_overflows_total");
		vt_jw_null(w, "listen_drops_total");
	}
	vt_jw_maybe(w, "listen_overflows_per_second", ns && json_rates(h),
	    h->listen_overflows_per_s, J_RATE);
	vt_jw_maybe(w, "listen_drops_per_second", ns && json_rates(h),
	    h->listen_drops_per_s, J_RATE);
	vt_jw_close(w, '}');
}

static void
json_pressure(struct vt_jw *w, const struct vt_host *h)
{
	int			 r;

	if (!vt_jw_section(w, json_have(h, VT_COL_PRESSURE), '{'))
		return;
	for (r = 0; r < VT_PSI_NRES; r++) {
		const struct vt_psi	*p = &h->pressure.res[r];

		if (!p->available) {
			vt_jw_null(w, vt_psi_resource_names[r]);
			continue;
		}
		vt_jw_key(w, vt_psi_resource_names[r]);
		vt_jw_open(w, '{');
		vt_jw_maybe(w, "some_avg10", p->some.present, p->some.avg10,
		    J_LOAD);
		vt_jw_maybe(w, "some_avg60", p->some.present, p->some.avg60,
		    J_LOAD);
		vt_jw_maybe(w, "some_avg300", p->some.present, p->some.avg300,
		    J_LOAD);
		vt_jw_maybe(w, "full_avg10", p->full.present, p->full.avg10,
		    J_LOAD);
		vt_jw_maybe(w, "full_avg60", p->full.present, p->full.avg60,
		    J_LOAD);
		vt_jw_maybe(w, "full_avg300", p->full.present, p->full.avg300,
		    J_LOAD);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, '}');
}

static void
json_top(struct vt_jw *w, const struct vt_top_proc *p, size_t n, int with_cpu)
{
	size_t			 i;

	vt_jw_open(w, '[');
	for (i = 0; i < n && i < VT_MAX_PROCS; i++) {
		char			 state[2] = { p[i].state, '\0' };
		char			 comm[VT_COMM_LEN + 1];

		vt_jw_open(w, '{');
		/* comm is a fixed array: never trust it to be terminated. */
		memcpy(comm, p[i].comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		vt_jw_i64(w, "pid", p[i].pid);
		vt_jw_str(w, "name", comm);
		vt_jw_str(w, "state", state);
		vt_jw_maybe(w, "cpu_percent", with_cpu, p[i].cpu_percent,
		    J_PCT);
		vt_jw_u64(w, "rss_bytes", p[i].rss_bytes);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
}

static void
json_processes(struct vt_jw *w, const struct vt_host *h)
{
	/* The scan runs every few samples: its last result is carried. */
	if (!vt_jw_section(w, json_have(h, VT_COL_PROCESSES) || h->top_ts_ms != 0,
	    '{'))
		return;
	vt_jw_i64(w, "timestamp_ms", h->top_ts_ms);
	vt_jw_key(w, "top_cpu");
	json_top(w, h->top_cpu, h->ntop_cpu, 1);
	vt_jw_key(w, "top_memory");
	json_top(w, h->top_mem, h->ntop_mem, 0);
	vt_jw_close(w, '}');
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
static void
json_listeners(struct vt_jw *w, const struct vt_host *h)
{
	size_t			 i;

	if (!vt_jw_section(w, json_have(h, VT_COL_LISTENERS) || h->listeners.n > 0,
	    '['))
		return;
	for (i = 0; i < h->listeners.n && i < VT_MAX_LISTENERS; i++) {
		const struct vt_listen_entry	*e = &h->listeners.l[i];
		char				 addr[VT_LISTENER_ADDRLEN + 1];
		char				 comm[VT_COMM_LEN + 1];

		vt_jw_open(w, '{');
		/* Fixed arrays: never trust them to be terminated. */
		memcpy(addr, e->address, VT_LISTENER_ADDRLEN);
		addr[VT_LISTENER_ADDRLEN] = '\0';
		memcpy(comm, e->comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		vt_jw_str(w, "family", json_family(e->family));
		vt_jw_str(w, "address", addr);
		if (e->family == AF_UNIX)
			vt_jw_null(w, "port");
		else
			vt_jw_u64(w, "port", e->port);
		vt_jw_u64(w, "queue", e->queue);
		vt_jw_u64(w, "backlog", e->backlog);
		vt_jw_maybe(w, "fill_percent", e->backlog > 0,
		    100.0 * e->queue / e->backlog, J_PCT);
		if (e->pid > 0) {
			vt_jw_i64(w, "pid", e->pid);
			vt_jw_str(w, "process", comm);
		} else {
			vt_jw_null(w, "pid");
			vt_jw_null(w, "process");
		}
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
}

/* Who holds the CLOSE_WAIT sockets; null before the first count. */
static void
json_close_wait(struct vt_jw *w, const struct vt_host *h)
{
	const struct vt_sock_holders	*c = &h->close_wait_holders;
	size_t				 i;

	if (!vt_jw_section(w, c->ts_ms != 0, '{'))
		return;
	vt_jw_u64(w, "sockets", c->sockets);
	vt_jw_u64(w, "attributed", c->attributed);
	vt_jw_i64(w, "ts_ms", c->ts_ms);
	vt_jw_key(w, "top");
	vt_jw_open(w, '[');
	for (i = 0; i < c->n && i < VT_MAX_HOLDERS; i++) {
		char			 comm[VT_COMM_LEN + 1];

		vt_jw_open(w, '{');
		memcpy(comm, c->h[i].comm, VT_COMM_LEN);
		comm[VT_COMM_LEN] = '\0';
		vt_jw_i64(w, "pid", c->h[i].pid);
		if (comm[0] != '\0')
			vt_jw_str(w, "process", comm);
		else
			vt_jw_null(w, "process");
		vt_jw_u64(w, "count", c->h[i].count);
		vt_jw_close(w, '}');
	}
	vt_jw_close(w, ']');
	vt_jw_close(w, '}');
}

static void
json_filefd(struct vt_jw *w, const struct vt_host *h)
{
	if (!vt_jw_section(w, json_have(h, VT_COL_FILE_NR), '{'))
		return;
	vt_jw_u64(w, "allocated", h->filenr.allocated);
	vt_jw_u64(w, "maximum", h->filenr.max);
	vt_jw_close(w, '}');
}

static void
json_vmstat(struct vt_jw *w, const struct vt_host *h)
{
	const struct vt_proc_vmstat	*v = &h->vmstat;

	if (!vt_jw_section(w, json_have(h, VT_COL_VMSTAT), '{'))
		return;
	vt_jw_u64(w, "pgfault", v->pgfault);
	vt_jw_u64(w, "pgmajfault", v->pgmajfault);
	vt_jw_u64(w, "pswpin", v->pswpin);
	vt_jw_u64(w, "pswpout", v->pswpout);
	if (v->have_oom_kill)
		vt_jw_u64(w, "oom_kill", v->oom_kill);
	else
		vt_jw_null(w, "oom_kill");
	vt_jw_close(w, '}');
}

static void
json_sampler(struct vt_jw *w, const struct vt_host *h)
{
	int			 c;

	vt_jw_open(w, '{');
	vt_jw_dbl(w, "duration_seconds", h->st.duration_s, J_SECS);
	vt_jw_u64(w, "samples", h->st.samples);
	vt_jw_dbl(w, "cpu_seconds_total", (double)h->st.cpu_time_us / 1e6,
	    J_SECS);
	vt_jw_u64(w, "statvfs_timeouts_total", h->st.fs_timeouts);
	vt_jw_key(w, "errors");
	vt_jw_open(w, '{');
	for (c = 0; c < VT_COL_N; c++)
		vt_jw_u64(w, vt_collector_names[c], h->st.col_errors[c]);
	vt_jw_close(w, '}');
	vt_jw_close(w, '}');
}

int
vt_render_json(const struct vt_host *h, struct vt_buf *out)
{
	struct vt_jw	w;

	vt_jw_init(&w, out);
	vt_jw_open(&w, '{');
	vt_jw_i64(&w, "timestamp_ms", h->ts_ms);
	vt_jw_dbl(&w, "interval_s", json_rates(h) ? h->interval_s : 0, J_IVAL);
	vt_jw_key(&w, "host");
	json_host(&w, h);
	vt_jw_key(&w, "load");
	json_load(&w, h);
	vt_jw_key(&w, "cpu");
	json_cpu(&w, h);
	vt_jw_key(&w, "memory");
	json_memory(&w, h);
	vt_jw_key(&w, "filesystems");
	json_filesystems(&w, h);
	vt_jw_key(&w, "disks");
	json_disks(&w, h);
	vt_jw_key(&w, "network");
	json_network(&w, h);
	vt_jw_key(&w, "derived");
	json_derived(&w, h);
	vt_jw_key(&w, "tcp");
	json_tcp(&w, h);
	vt_jw_key(&w, "pressure");
	json_pressure(&w, h);
	vt_jw_key(&w, "processes");
	json_processes(&w, h);
	vt_jw_key(&w, "listeners");
	json_listeners(&w, h);
	if (json_have(h, VT_COL_LISTENERS) || h->listeners.n > 0)
		vt_jw_u64(&w, "listeners_total", h->listeners.total);
	else
		vt_jw_null(&w, "listeners_total");
	vt_jw_key(&w, "close_wait_holders");
	json_close_wait(&w, h);
	vt_jw_key(&w, "filefd");
	json_filefd(&w, h);
	vt_jw_key(&w, "vmstat");
	json_vmstat(&w, h);
	vt_jw_key(&w, "sampler");
	json_sampler(&w, h);
	vt_jw_close(&w, '}');
	if (w.err) {
		vt_buf_truncate(out, w.start);
		return VT_ERR;
	}
	return VT_OK;
}

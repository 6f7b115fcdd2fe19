/*
 * checks_input.c: the check engine's input from a sample, the pool view
 * and the health result (see checks_input.h).
 *
 * An input is present when its collector succeeded in this sample
 * (h->have); the CLOSE_WAIT holders when a process-scan tick has
 * attributed them (they carry its time), OOM kills when the kernel has
 * the counter.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "checks_input.h"
#include "collect/proc_net_tcp.h"

/* Copy the fullest listeners, by fill of their backlog. */
static void
input_listeners(struct vt_checks_input *in, const struct vt_listeners *ls)
{
	double	fill[VT_CHECK_MAX_LISTENERS];
	size_t	i, k, n = 0;

	for (i = 0; i < ls->n && i < VT_MAX_LISTENERS; i++) {
		const struct vt_listen_entry	*e = &ls->l[i];
		struct vt_check_listener	*d;
		double				 f;

		f = e->backlog > 0 ? (double)e->queue / e->backlog :
		    (double)e->queue;
		for (k = n; k > 0 && fill[k - 1] < f; k--)
			;
		if (k >= VT_CHECK_MAX_LISTENERS)
			continue;
		if (n < VT_CHECK_MAX_LISTENERS)
			n++;
		memmove(&in->listener[k + 1], &in->listener[k],
		    sizeof(in->listener[0]) * (n - 1 - k));
		memmove(&fill[k + 1], &fill[k], sizeof(fill[0]) * (n - 1 - k));
		fill[k] = f;
		d = &in->listener[k];
		memset(d, 0, sizeof(*d));
		d->family = e->family;
		snprintf(d->address, sizeof(d->address), "%s", e->address);
		d->port = e->port;
		d->queue = e->queue;
		d->backlog = e->backlog;
		d->pid = e->pid;
		snprintf(d->comm, sizeof(d->comm), "%s", e->comm);
	}
	in->nlisteners = n;
	in->listeners_total = ls->total;
}

static void
input_fs(struct vt_checks_input *in, const struct vt_host *h)
{
	size_t	i;

	for (i = 0; i < h->mounts.n && in->nfs < VT_MAX_MOUNTS; i++) {
		const struct vt_mount	*m = &h->mounts.m[i];
		struct vt_check_fs	*f = &in->fs[in->nfs];

		if (m->state != VT_FS_OK || m->size_bytes == 0)
			continue;
		snprintf(f->mountpoint, sizeof(f->mountpoint), "%s",
		    m->mountpoint);
		f->key = vt_checks_key(m->mountpoint);
		f->size = m->size_bytes;
		f->avail = m->avail_bytes;
		f->used = m->size_bytes > m->free_bytes ?
		    m->size_bytes - m->free_bytes : 0;
		f->files = m->files;
		f->files_free = m->files_free;
		in->nfs++;
	}
	in->fs_known = in->nfs > 0;
}

void
vt_checks_input_fill(struct vt_checks_input *in, const struct vt_host *h,
    const struct vt_poolview *pv, const struct vt_health_result *hr,
    double lateness_s)
{
	const struct vt_psi	*psi;

	memset(in, 0, sizeof(*in));
	in->now_ms = h->ts_ms;
	in->sampler_lateness_s = lateness_s > 0 ? lateness_s : 0;

	if (hr != NULL && hr->status >= 0) {
		in->health_known = 1;
		in->health_status = hr->status;
		in->health_latency_ms = hr->latency_ms;
		in->health_checked_ms = hr->checked_at_ms;
	}

	if (pv != NULL) {
		in->pool_known = 1;
		in->queue_known = pv->queue_known;
		in->listen_queue = pv->listen_queue;
		in->listen_backlog = pv->listen_backlog;
		in->workers = pv->idle + pv->busy;
		in->busy = pv->busy;
		in->crashes = pv->restarts[VT_RESTART_EXIT] +
		    pv->restarts[VT_RESTART_SIGNAL];
		in->watchdog_kills = pv->restarts[VT_RESTART_WATCHDOG];
		in->crash_backoffs = pv->crash_backoffs;
		in->queue_stall_ms = pv->queue_stall_ms;
		in->backoff_ms = pv->backoff_ms;
	}

	if (h->have & VT_HAVE(VT_COL_LISTENERS)) {
		in->listeners_known = 1;
		input_listeners(in, &h->listeners);
	}

	if ((h->have & VT_HAVE(VT_COL_NETSTAT)) && h->interval_s > 0) {
		in->netstat_known = 1;
		in->overflows_per_s = h->listen_overflows_per_s;
		in->drops_per_s = h->listen_drops_per_s;
	}

	if (h->have & VT_HAVE(VT_COL_TCP)) {
		in->tcp_known = 1;
		in->close_wait = h->tcp.v4.state[VT_TCP_CLOSE_WAIT] +
		    h->tcp.v6.state[VT_TCP_CLOSE_WAIT];
	}
	if (h->close_wait_holders.ts_ms != 0) {
		in->holders_known = 1;
		if (h->close_wait_holders.n > 0) {
			in->holder_pid = h->close_wait_holders.h[0].pid;
			snprintf(in->holder_comm, sizeof(in->holder_comm), "%s",
			    h->close_wait_holders.h[0].comm);
			in->holder_count = h->close_wait_holders.h[0].count;
		}
	}

	if (h->have & VT_HAVE(VT_COL_FILESYSTEM))
		input_fs(in, h);

	if ((h->have & VT_HAVE(VT_COL_MEMINFO)) && h->mem.mem_total > 0) {
		in->mem_known = 1;
		in->mem_available_percent = 100.0 * (double)h->mem_available /
		    (double)h->mem.mem_total;
	}
	psi = &h->pressure.res[VT_PSI_MEMORY];
	if ((h->have & VT_HAVE(VT_COL_PRESSURE)) && psi->available &&
	    psi->some.present) {
		in->psi_memory_known = 1;
		in->psi_memory_some = psi->some.avg10;
		in->psi_memory_full = psi->full.present ? psi->full.avg10 : 0;
	}
	if ((h->have & VT_HAVE(VT_COL_VMSTAT)) && h->vmstat.have_oom_kill) {
		in->oom_known = 1;
		in->oom_kills = h->vmstat.oom_kill;
	}

	psi = &h->pressure.res[VT_PSI_CPU];
	if ((h->have & VT_HAVE(VT_COL_PRESSURE)) && psi->available &&
	    psi->some.present) {
		in->psi_cpu_known = 1;
		in->psi_cpu_some = psi->some.avg10;
	}
	if ((h->have & VT_HAVE(VT_COL_LOADAVG)) && h->ncpu > 0) {
		in->load_known = 1;
		in->load1 = h->load.load1;
		in->ncpu = (unsigned)h->ncpu;
	}
	if (h->cpu_total.valid) {
		in->iowait_known = 1;
		in->iowait_percent = h->cpu_total.mode[VT_CPU_IOWAIT];
	}

	if ((h->have & VT_HAVE(VT_COL_FILE_NR)) && h->filenr.max != 0) {
		in->filenr_known = 1;
		in->files_allocated = h->filenr.allocated;
		in->files_max = h->filenr.max;
	}
}

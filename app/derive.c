/*
 * derive.c: the derived figures of a host sample (see derive.h).
 *
 * Units: rates per second, byte counts in bytes (diskstats sectors are
 * 512 bytes whatever the device), percentages 0..100.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "derive.h"

static void	derive_clear(struct vt_host *h);
static void	derive_cpu(struct vt_host *h, const struct vt_host *p,
		    double dt);
static void	derive_net(struct vt_host *h, const struct vt_host *p,
		    double dt);
static void	derive_disk(struct vt_host *h, const struct vt_host *p,
		    double dt);
static void	derive_listen(struct vt_host *h, const struct vt_host *p,
		    double dt);
static void	derive_memory(struct vt_host *h);
static void	derive_fs(struct vt_host *h);
static void	derive_totals(struct vt_host *h);
static void	derive_point(struct vt_host *h);

/* Every member vt_derive() writes, back to "nothing known". */
static void
derive_clear(struct vt_host *h)
{
	size_t	i;

	h->interval_s = 0;
	memset(&h->cpu_total, 0, sizeof(h->cpu_total));
	memset(h->cpu, 0, sizeof(h->cpu));
	h->ncpu = 0;
	memset(h->net_rate, 0, sizeof(h->net_rate));
	memset(h->disk_rate, 0, sizeof(h->disk_rate));
	h->ctxt_per_s = 0;
	h->forks_per_s = 0;
	h->intr_per_s = 0;
	h->listen_overflows_per_s = 0;
	h->listen_drops_per_s = 0;
	h->mem_available = 0;
	h->mem_used = 0;
	h->mem_used_percent = NAN;
	h->swap_used = 0;
	for (i = 0; i < VT_MAX_MOUNTS; i++) {
		h->fs_used[i].used_bytes = 0;
		h->fs_used[i].used_percent = NAN;
	}
	memset(&h->totals, 0, sizeof(h->totals));
	memset(&h->point, 0, sizeof(h->point));
}

static void
derive_cpu(struct vt_host *h, const struct vt_host *p, double dt)
{
	if ((h->have & p->have & VT_HAVE(VT_COL_STAT)) == 0)
		return;
	h->ncpu = vt_cpu_percent_all(&p->stat, &h->stat, &h->cpu_total,
	    h->cpu);
	h->ctxt_per_s = vt_rate_u64(p->stat.ctxt, h->stat.ctxt, dt);
	h->forks_per_s = vt_rate_u64(p->stat.processes, h->stat.processes,
	    dt);
	h->intr_per_s = vt_rate_u64(p->stat.intr, h->stat.intr, dt);
}

/* Interfaces are matched by name: they come and go. */
static void
derive_net(struct vt_host *h, const struct vt_host *p, double dt)
{
	size_t	i, j;

	for (i = 0; i < h->net.n; i++) {
		const struct vt_netdev_iface   *c = &h->net.iface[i], *o = NULL;
		struct vt_net_rate	       *r = &h->net_rate[i];

		for (j = 0; j < p->net.n && o == NULL; j++)
			if (strcmp(p->net.iface[j].name, c->name) == 0)
				o = &p->net.iface[j];
		if (o == NULL)
			continue;
		r->rx_bytes = vt_rate_u64(o->v[VT_NETDEV_RX_BYTES],
		    c->v[VT_NETDEV_RX_BYTES], dt);
		r->tx_bytes = vt_rate_u64(o->v[VT_NETDEV_TX_BYTES],
		    c->v[VT_NETDEV_TX_BYTES], dt);
		r->rx_packets = vt_rate_u64(o->v[VT_NETDEV_RX_PACKETS],
		    c->v[VT_NETDEV_RX_PACKETS], dt);
		r->tx_packets = vt_rate_u64(o->v[VT_NETDEV_TX_PACKETS],
		    c->v[VT_NETDEV_TX_PACKETS], dt);
		r->rx_errors = vt_rate_u64(o->v[VT_NETDEV_RX_ERRS],
		    c->v[VT_NETDEV_RX_ERRS], dt);
		r->tx_errors = vt_rate_u64(o->v[VT_NETDEV_TX_ERRS],
		    c->v[VT_NETDEV_TX_ERRS], dt);
		r->rx_drops = vt_rate_u64(o->v[VT_NETDEV_RX_DROP],
		    c->v[VT_NETDEV_RX_DROP], dt);
		r->tx_drops = vt_rate_u64(o->v[VT_NETDEV_TX_DROP],
		    c->v[VT_NETDEV_TX_DROP], dt);
	}
}

/* Disks too: a device can be added or removed between two samples. */
static void
derive_disk(struct vt_host *h, const struct vt_host *p, double dt)
{
	size_t	i, j;

	for (i = 0; i < h->disk.n; i++) {
		const struct vt_disk   *c = &h->disk.disk[i], *o = NULL;
		struct vt_disk_rate    *r = &h->disk_rate[i];

		for (j = 0; j < p->disk.n && o == NULL; j++)
			if (strcmp(p->disk.disk[j].name, c->name) == 0)
				o = &p->disk.disk[j];
		if (o == NULL)
			continue;
		r->reads = vt_rate_u64(o->v[VT_DISK_READS], c->v[VT_DISK_READS],
		    dt);
		r->writes = vt_rate_u64(o->v[VT_DISK_WRITES],
		    c->v[VT_DISK_WRITES], dt);
		r->read_bytes = 512.0 * vt_rate_u64(o->v[VT_DISK_READ_SECTORS],
		    c->v[VT_DISK_READ_SECTORS], dt);
		r->write_bytes = 512.0 *
		    vt_rate_u64(o->v[VT_DISK_WRITE_SECTORS],
		    c->v[VT_DISK_WRITE_SECTORS], dt);
		r->busy_percent = vt_busy_percent(o->v[VT_DISK_IO_MS],
		    c->v[VT_DISK_IO_MS], dt);
	}
}

static void
derive_listen(struct vt_host *h, const struct vt_host *p, double dt)
{
	if ((h->have & p->have & VT_HAVE(VT_COL_NETSTAT)) == 0)
		return;
	h->listen_overflows_per_s = vt_rate_u64(p->netstat.listen_overflows,
	    h->netstat.listen_overflows, dt);
	h->listen_drops_per_s = vt_rate_u64(p->netstat.listen_drops,
	    h->netstat.listen_drops, dt);
}

static void
derive_memory(struct vt_host *h)
{
	const struct vt_proc_meminfo	*m = &h->mem;

	/* Before 3.14 there is no MemAvailable: estimate it as free(1). */
	h->mem_available = m->has_available ? m->mem_available :
	    m->mem_free + m->buffers + m->cached;
	h->mem_used = m->mem_total > h->mem_available ?
	    m->mem_total - h->mem_available : 0;
	if (m->mem_total > 0)
		h->mem_used_percent = 100.0 * (double)h->mem_used /
		    (double)m->mem_total;
	h->swap_used = m->swap_total > m->swap_free ?
	    m->swap_total - m->swap_free : 0;
}

/* As df(1): used over what a user could have, used + avail. */
static void
derive_fs(struct vt_host *h)
{
	size_t	i;

	for (i = 0; i < h->mounts.n && i < VT_MAX_MOUNTS; i++) {
		const struct vt_mount  *m = &h->mounts.m[i];
		struct vt_fs_used      *u = &h->fs_used[i];

		if (m->state != VT_FS_OK)
			continue;
		u->used_bytes = m->size_bytes > m->free_bytes ?
		    m->size_bytes - m->free_bytes : 0;
		if (u->used_bytes + m->avail_bytes > 0)
			u->used_percent = 100.0 * (double)u->used_bytes /
			    (double)(u->used_bytes + m->avail_bytes);
	}
}

/* Loopback traffic never leaves the host: the totals leave it out. */
static void
derive_totals(struct vt_host *h)
{
	struct vt_totals	*t = &h->totals;
	size_t			 i;

	for (i = 0; i < h->net.n; i++) {
		if (strcmp(h->net.iface[i].name, "lo") == 0)
			continue;
		t->net_rx_bytes += h->net_rate[i].rx_bytes;
		t->net_tx_bytes += h->net_rate[i].tx_bytes;
		t->net_n++;
	}
	for (i = 0; i < h->disk.n; i++) {
		if (!vt_diskstats_selected(&h->disk.disk[i]))
			continue;
		t->disk_read_bytes += h->disk_rate[i].read_bytes;
		t->disk_write_bytes += h->disk_rate[i].write_bytes;
		t->disk_n++;
	}
}

static void
derive_point(struct vt_host *h)
{
	struct vt_point	*pt = &h->point;

	pt->ts_ms = h->ts_ms;
	pt->v[VT_S_CPU_PERCENT] = h->interval_s > 0 && h->cpu_total.valid ?
	    h->cpu_total.busy : 0;
	pt->v[VT_S_LOAD1] = h->load.load1;
	pt->v[VT_S_MEM_USED] = (double)h->mem_used;
	pt->v[VT_S_MEM_AVAILABLE] = (double)h->mem_available;
	pt->v[VT_S_SWAP_USED] = (double)h->swap_used;
	pt->v[VT_S_NET_RX] = h->totals.net_rx_bytes;
	pt->v[VT_S_NET_TX] = h->totals.net_tx_bytes;
	pt->v[VT_S_DISK_READ] = h->totals.disk_read_bytes;
	pt->v[VT_S_DISK_WRITE] = h->totals.disk_write_bytes;
	pt->v[VT_S_TCP_ESTABLISHED] = (double)vt_tcp_states_total(&h->tcp,
	    VT_TCP_ESTABLISHED);
	pt->v[VT_S_TCP_CLOSE_WAIT] = (double)vt_tcp_states_total(&h->tcp,
	    VT_TCP_CLOSE_WAIT);
}

void
vt_derive(struct vt_host *cur, const struct vt_host *prev, double interval_s)
{
	derive_clear(cur);
	if (prev != NULL && isfinite(interval_s) && interval_s > 0) {
		cur->interval_s = interval_s;
		derive_cpu(cur, prev, interval_s);
		derive_net(cur, prev, interval_s);
		derive_disk(cur, prev, interval_s);
		derive_listen(cur, prev, interval_s);
	}
	derive_memory(cur);
	derive_fs(cur);
	derive_totals(cur);
	derive_point(cur);
}

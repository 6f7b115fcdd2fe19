/*
 * derive-t.c: derive.c, the figures computed from a host sample, and the
 * sampler that calls it.
 *
 * A sample is read from a fixture tree under t/fixtures/proc with the
 * collectors' readers, as the sampler reads /proc; the previous sample
 * is the same with known deltas taken off a few counters, so every rate
 * is a number a reader can check by hand.  Memory figures are checked
 * against the fixture's meminfo, read here on its own.  Then: interfaces
 * and disks matched by name, a counter reset, a 32-bit wrap, every kind
 * of missing interval, missing collectors, filesystems, bounds, and two
 * ticks of the real sampler on a fixture tree.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "derive.h"
#include "host.h"
#include "sampler.h"

#define INTERVAL	2.0
#define KIB		UINT64_C(1024)
#define GIB		(UINT64_C(1) << 30)

static struct vt_host	*cur, *prev;

static void	tree_root(const char *tree, char *dst, size_t len);
static uint64_t	meminfo_kb(const char *tree, const char *key);
static void	load(const char *tree, struct vt_host *h);
static size_t	find_iface(const struct vt_host *h, const char *name);
static size_t	find_disk(const struct vt_host *h, const char *name);
static void	vm2_pair(void);
static void	test_memory(const char *tree);
static void	test_memory_bounds(void);
static void	test_rates(void);
static void	test_by_name(void);
static void	test_reset_wrap(void);
static void	test_no_interval(void);
static void	test_have(void);
static void	test_filesystems(void);
static void	test_sampler(void);

static void
tree_root(const char *tree, char *dst, size_t len)
{
	snprintf(dst, len, "%s/proc/%s", tap_fixture_root(), tree);
}

/* One "Key: N kB" line of the tree's meminfo, read without the parser. */
static uint64_t
meminfo_kb(const char *tree, const char *key)
{
	char		rel[256], needle[64], *text, *p;
	uint64_t	v;

	snprintf(rel, sizeof(rel), "proc/%s/proc/meminfo", tree);
	snprintf(needle, sizeof(needle), "\n%s:", key);
	text = tap_fixture(rel, NULL);
	if (strncmp(text, needle + 1, strlen(needle + 1)) == 0)
		p = text + strlen(needle + 1);
	else if ((p = strstr(text, needle)) != NULL)
		p += strlen(needle);
	else
		bail("%s: no %s in meminfo", tree, key);
	v = strtoull(p, NULL, 10);
	free(text);
	return v;
}

/* A sample of the tree, through the readers; have bits as they went. */
static void
load(const char *tree, struct vt_host *h)
{
	char	root[4096], err[VT_ERRLEN];

	tree_root(tree, root, sizeof(root));
	memset(h, 0, sizeof(*h));
	h->ts_ms = 1795367230590;
	if (vt_proc_stat_read(root, &h->stat, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_STAT);
	if (vt_proc_meminfo_read(root, &h->mem, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_MEMINFO);
	if (vt_proc_net_dev_read(root, &h->net, err, sizeof(err)) == VT_OK)
		h->have |= VT_HAVE(VT_COL_NET_DEV);
	if (vt_proc_diskstats_read(root, NULL, &h->disk, err, sizeof(err)) ==
	    VT_OK)
		h->have |= VT_HAVE(VT_COL_DISKSTATS);
	if (vt_proc_net_netstat_read(root, &h->netstat, err, sizeof(err)) ==
	    VT_OK)
		h->have |= VT_HAVE(VT_COL_NETSTAT);
	if ((h->have & VT_HAVE(VT_COL_MEMINFO)) == 0 ||
	    (h->have & VT_HAVE(VT_COL_NET_DEV)) == 0)
		bail("%s: meminfo or net/dev does not read", tree);
}

static size_t
find_iface(const struct vt_host *h, const char *name)
{
	size_t	i;

	for (i = 0; i < h->net.n; i++)
		if (strcmp(h->net.iface[i].name, name) == 0)
			return i;
	bail("no interface %s", name);
	return 0;
}

static size_t
find_disk(const struct vt_host *h, const char *name)
{
	size_t	i;

	for (i = 0; i < h->disk.n; i++)
		if (strcmp(h->disk.disk[i].name, name) == 0)
			return i;
	bail("no disk %s", name);
	return 0;
}

/*
 * cur: vm2 as captured, with 100 listen overflows and 200 drops; prev:
 * the same, INTERVAL seconds before, with these deltas.  CPU total line
 * and cpu0: user 60, idle 140 (30 % busy).  ctxt 5000, processes 40.
 * lo: rx 1000 bytes.  eth0: rx 4 000 000 bytes, tx 25 000, rx packets
 * 600.  vda: 100 reads, 18432 read sectors, 4096 written, io_ms 500.
 * ListenOverflows 6, ListenDrops 8.
 */
static void
vm2_pair(void)
{
	uint64_t       *v;

	load("vm2", cur);
	cur->netstat.listen_overflows = 100;
	cur->netstat.listen_drops = 200;
	memcpy(prev, cur, sizeof(*prev));
	prev->ts_ms -= (int64_t)(INTERVAL * 1000);
	prev->stat.total.mode[VT_CPU_USER] -= 60;
	prev->stat.total.mode[VT_CPU_IDLE] -= 140;
	prev->stat.cpu[0].mode[VT_CPU_USER] -= 60;
	prev->stat.cpu[0].mode[VT_CPU_IDLE] -= 140;
	prev->stat.ctxt -= 5000;
	prev->stat.processes -= 40;
	prev->net.iface[find_iface(prev, "lo")].v[VT_NETDEV_RX_BYTES] -= 1000;
	v = prev->net.iface[find_iface(prev, "eth0")].v;
	v[VT_NETDEV_RX_BYTES] -= 4000000;
	v[VT_NETDEV_TX_BYTES] -= 25000;
	v[VT_NETDEV_RX_PACKETS] -= 600;
	v = prev->disk.disk[find_disk(prev, "vda")].v;
	v[VT_DISK_READS] -= 100;
	v[VT_DISK_READ_SECTORS] -= 18432;
	v[VT_DISK_WRITE_SECTORS] -= 4096;
	v[VT_DISK_IO_MS] -= 500;
	prev->netstat.listen_overflows -= 6;
	prev->netstat.listen_drops -= 8;
}

/* Used = total - available, as the fixture's own meminfo says. */
static void
test_memory(const char *tree)
{
	uint64_t	total = meminfo_kb(tree, "MemTotal") * KIB;
	uint64_t	swap_total = meminfo_kb(tree, "SwapTotal") * KIB;
	uint64_t	swap_free = meminfo_kb(tree, "SwapFree") * KIB;
	uint64_t	avail;

	load(tree, cur);
	vt_derive(cur, NULL, 0);
	if (cur->mem.has_available)
		avail = meminfo_kb(tree, "MemAvailable") * KIB;
	else
		avail = (meminfo_kb(tree, "MemFree") +
		    meminfo_kb(tree, "Buffers") +
		    meminfo_kb(tree, "Cached")) * KIB;
	is_int((long long)cur->mem_available, (long long)avail,
	    "%s: available %s", tree, cur->mem.has_available ?
	    "is MemAvailable" : "is free + buffers + cached (no MemAvailable)");
	is_int((long long)cur->mem_used, (long long)(total - avail),
	    "%s: used = MemTotal - available", tree);
	is_dbl(cur->mem_used_percent, 100.0 * (double)(total - avail) /
	    (double)total, 1e-9, "%s: used percent of MemTotal", tree);
	is_int((long long)cur->swap_used, (long long)(swap_total - swap_free),
	    "%s: swap used = SwapTotal - SwapFree", tree);
	is_dbl(cur->point.v[VT_S_MEM_USED], (double)cur->mem_used, 0,
	    "%s: the chart point has the same used memory", tree);
	is_dbl(cur->point.v[VT_S_MEM_AVAILABLE], (double)avail, 0,
	    "%s: ... and the same available memory", tree);
	is_dbl(cur->point.v[VT_S_SWAP_USED], (double)cur->swap_used, 0,
	    "%s: ... and swap", tree);
}

/* Figures that would go negative or divide by zero. */
static void
test_memory_bounds(void)
{
	memset(cur, 0, sizeof(*cur));
	vt_derive(cur, NULL, 0);
	ok(cur->mem_used == 0 && isnan(cur->mem_used_percent),
	    "no MemTotal: used 0, no percentage (NAN, null in JSON)");
	cur->mem.mem_total = 1000;
	cur->mem.mem_available = 1500;
	cur->mem.has_available = 1;
	cur->mem.swap_total = 10;
	cur->mem.swap_free = 20;
	vt_derive(cur, NULL, 0);
	ok(cur->mem_used == 0 && cur->mem_used_percent == 0,
	    "available above total: used 0, not a wrapped unsigned");
	is_int((long long)cur->swap_used, 0, "swap free above total: 0 used");
}

static void
test_rates(void)
{
	size_t	lo, eth0, vda;

	vm2_pair();
	vt_derive(cur, prev, INTERVAL);
	lo = find_iface(cur, "lo");
	eth0 = find_iface(cur, "eth0");
	vda = find_disk(cur, "vda");
	is_dbl(cur->interval_s, INTERVAL, 0, "interval_s is the one given");
	is_dbl(cur->ctxt_per_s, 2500, 1e-9, "ctxt: 5000 over 2 s");
	is_dbl(cur->forks_per_s, 20, 1e-9, "forks: 40 over 2 s");
	ok(cur->cpu_total.valid, "CPU total valid");
	is_dbl(cur->cpu_total.busy, 30, 1e-9, "CPU busy: 60 of 200 jiffies");
	is_int((long long)cur->ncpu, 2, "both CPUs have a percentage");
	is_dbl(cur->point.v[VT_S_CPU_PERCENT], 30, 1e-9,
	    "the chart point's CPU is the total's busy");
	is_dbl(cur->net_rate[eth0].rx_bytes, 2000000, 1e-9,
	    "eth0 receive: 4 MB over 2 s");
	is_dbl(cur->net_rate[eth0].tx_bytes, 12500, 1e-9,
	    "eth0 transmit: 25 kB over 2 s");
	is_dbl(cur->net_rate[eth0].rx_packets, 300, 1e-9,
	    "eth0 packets: 600 over 2 s");
	is_dbl(cur->net_rate[lo].rx_bytes, 500, 1e-9, "lo: 1000 B over 2 s");
	is_dbl(cur->totals.net_rx_bytes, 2000000, 1e-9,
	    "network total: eth0 and the idle ifb0/ifb1, lo left out");
	is_dbl(cur->totals.net_tx_bytes, 12500, 1e-9,
	    "network transmit total");
	is_int((long long)cur->totals.net_n, 3, "three interfaces summed");
	is_dbl(cur->disk_rate[vda].reads, 50, 1e-9, "vda: 100 reads over 2 s");
	is_dbl(cur->disk_rate[vda].read_bytes, 4718592, 1e-9,
	    "vda: 18432 sectors * 512 bytes over 2 s");
	is_dbl(cur->disk_rate[vda].write_bytes, 1048576, 1e-9,
	    "vda: 4096 sectors written over 2 s");
	is_dbl(cur->disk_rate[vda].busy_percent, 25, 1e-9,
	    "vda busy: 500 ms of 2 s");
	is_dbl(cur->totals.disk_read_bytes, 4718592, 1e-9,
	    "disk total: vda alone");
	is_int((long long)cur->totals.disk_n, 1,
	    "one disk summed: loop and zram left out, as the JSON lists");
	is_dbl(cur->listen_overflows_per_s, 3, 1e-9, "listen overflows: 6/2");
	is_dbl(cur->listen_drops_per_s, 4, 1e-9, "listen drops: 8/2");
	ok(cur->point.v[VT_S_NET_RX] == cur->totals.net_rx_bytes &&
	    cur->point.v[VT_S_NET_TX] == cur->totals.net_tx_bytes &&
	    cur->point.v[VT_S_DISK_READ] == cur->totals.disk_read_bytes &&
	    cur->point.v[VT_S_DISK_WRITE] == cur->totals.disk_write_bytes,
	    "the chart point has the same totals");
	is_int((long long)cur->point.ts_ms, (long long)cur->ts_ms,
	    "the point's time is the sample's");
}

/* Interfaces and disks come and go: matched by name, not by place. */
static void
test_by_name(void)
{
	struct vt_netdev_iface	tmp;
	size_t			eth0, lo;

	vm2_pair();
	lo = find_iface(prev, "lo");
	eth0 = find_iface(prev, "eth0");
	tmp = prev->net.iface[lo];
	prev->net.iface[lo] = prev->net.iface[eth0];
	prev->net.iface[eth0] = tmp;
	vt_derive(cur, prev, INTERVAL);
	is_dbl(cur->net_rate[find_iface(cur, "eth0")].rx_bytes, 2000000, 1e-9,
	    "eth0 in another place before: the same rate");
	is_dbl(cur->net_rate[find_iface(cur, "lo")].rx_bytes, 500, 1e-9,
	    "... and lo's");

	vm2_pair();
	snprintf(prev->net.iface[find_iface(prev, "eth0")].name,
	    sizeof(prev->net.iface[0].name), "eth9");
	snprintf(prev->disk.disk[find_disk(prev, "vda")].name,
	    sizeof(prev->disk.disk[0].name), "vdz");
	vt_derive(cur, prev, INTERVAL);
	is_dbl(cur->net_rate[find_iface(cur, "eth0")].rx_bytes, 0, 0,
	    "an interface new since the previous sample: rate 0");
	is_dbl(cur->totals.net_rx_bytes, 0, 0,
	    "... and the total without it");
	is_dbl(cur->disk_rate[find_disk(cur, "vda")].read_bytes, 0, 0,
	    "a disk new since the previous sample: rate 0");
}

static void
test_reset_wrap(void)
{
	size_t	eth0, vda;

	vm2_pair();
	eth0 = find_iface(cur, "eth0");
	vda = find_disk(cur, "vda");
	prev->net.iface[eth0].v[VT_NETDEV_RX_BYTES] =
	    cur->net.iface[eth0].v[VT_NETDEV_RX_BYTES] + 1;
	prev->stat.ctxt = cur->stat.ctxt + 1;
	prev->disk.disk[vda].v[VT_DISK_IO_MS] = UINT64_C(4294967295) - 99;
	cur->disk.disk[vda].v[VT_DISK_IO_MS] = 400;
	prev->disk.disk[vda].v[VT_DISK_READ_SECTORS] =
	    cur->disk.disk[vda].v[VT_DISK_READ_SECTORS] + 512;
	prev->stat.total.mode[VT_CPU_IDLE] += 1000;
	vt_derive(cur, prev, INTERVAL);
	is_dbl(cur->net_rate[eth0].rx_bytes, 0, 0,
	    "a counter that went back (reset): rate 0, not negative");
	is_dbl(cur->ctxt_per_s, 0, 0, "ctxt reset: 0");
	is_dbl(cur->disk_rate[vda].read_bytes, 0, 0, "read sectors reset: 0");
	is_dbl(cur->totals.disk_read_bytes, 0, 0, "... and in the total");
	is_dbl(cur->disk_rate[vda].busy_percent, 25, 1e-9,
	    "io_ms wrapped at 2^32 (100 + 400 ms): 25 %% busy");
	ok(!cur->cpu_total.valid && cur->point.v[VT_S_CPU_PERCENT] == 0,
	    "a CPU line that went back: no percentage, the point has 0");
}

/* No previous sample or no usable interval: no rate, the rest still. */
static void
test_no_interval(void)
{
	static const struct {
		double		 dt;
		int		 with_prev;
		const char	*what;
	} cases[] = {
		{ 0, 1, "a zero interval" },
		{ -1, 1, "a negative interval" },
		{ NAN, 1, "a NaN interval" },
		{ INFINITY, 1, "an infinite interval" },
		{ INTERVAL, 0, "no previous sample" },
	};
	size_t	i, eth0, vda;

	for (i = 0; i < VT_ARRAY_LEN(cases); i++) {
		vm2_pair();
		/* Rates of an earlier call must not survive. */
		vt_derive(cur, prev, INTERVAL);
		vt_derive(cur, cases[i].with_prev ? prev : NULL, cases[i].dt);
		eth0 = find_iface(cur, "eth0");
		vda = find_disk(cur, "vda");
		ok(cur->interval_s == 0 && cur->ctxt_per_s == 0 &&
		    cur->ncpu == 0 && !cur->cpu_total.valid &&
		    cur->net_rate[eth0].rx_bytes == 0 &&
		    cur->disk_rate[vda].read_bytes == 0 &&
		    cur->disk_rate[vda].busy_percent == 0 &&
		    cur->listen_drops_per_s == 0 &&
		    cur->totals.net_rx_bytes == 0 &&
		    cur->totals.disk_read_bytes == 0 &&
		    cur->point.v[VT_S_CPU_PERCENT] == 0,
		    "%s: interval_s 0, every rate and total 0", cases[i].what);
		ok(cur->mem_used == (cur->mem.mem_total -
		    cur->mem.mem_available) && cur->mem_used > 0,
		    "%s: used memory all the same", cases[i].what);
	}
}

/* A collector that failed in either sample gives no rate from it. */
static void
test_have(void)
{
	vm2_pair();
	prev->have &= ~VT_HAVE(VT_COL_STAT);
	prev->have &= ~VT_HAVE(VT_COL_NETSTAT);
	vt_derive(cur, prev, INTERVAL);
	ok(cur->ncpu == 0 && !cur->cpu_total.valid && cur->ctxt_per_s == 0,
	    "no /proc/stat before: no CPU rates");
	ok(cur->listen_overflows_per_s == 0 && cur->listen_drops_per_s == 0,
	    "no netstat before: no listen rates");
	is_dbl(cur->totals.net_rx_bytes, 2000000, 1e-9,
	    "... the others still");
	vm2_pair();
	cur->have &= ~VT_HAVE(VT_COL_STAT);
	vt_derive(cur, prev, INTERVAL);
	ok(cur->ncpu == 0 && cur->forks_per_s == 0,
	    "no /proc/stat now: no CPU rates");
}

/* As df(1): used = size - free, percent of used + avail. */
static void
test_filesystems(void)
{
	struct vt_mount	*m = cur->mounts.m;

	memset(cur, 0, sizeof(*cur));
	cur->mounts.n = 5;
	m[0].state = VT_FS_OK;
	m[0].size_bytes = 10 * GIB;
	m[0].free_bytes = 4 * GIB;
	m[0].avail_bytes = 4 * GIB - GIB / 2;
	m[1].state = VT_FS_TIMEOUT;
	m[1].size_bytes = 10 * GIB;
	m[2].state = VT_FS_OK;
	m[3].state = VT_FS_OK;
	m[3].size_bytes = GIB;
	m[3].free_bytes = 2 * GIB;
	m[3].avail_bytes = GIB;
	m[4].state = VT_FS_ERROR;
	vt_derive(cur, NULL, 0);
	is_int((long long)cur->fs_used[0].used_bytes, (long long)(6 * GIB),
	    "used: 10 GiB - 4 GiB free");
	is_dbl(cur->fs_used[0].used_percent, 100.0 * 6 / 9.5, 1e-9,
	    "use: 6 of 6 + 3.5 GiB, as df");
	ok(cur->fs_used[1].used_bytes == 0 &&
	    isnan(cur->fs_used[1].used_percent),
	    "a mount whose statvfs timed out: nothing known");
	ok(cur->fs_used[2].used_bytes == 0 &&
	    isnan(cur->fs_used[2].used_percent),
	    "a mount of size 0: no percentage");
	ok(cur->fs_used[3].used_bytes == 0 &&
	    cur->fs_used[3].used_percent == 0,
	    "more free than size: 0 used, not a wrapped unsigned");
	ok(isnan(cur->fs_used[4].used_percent), "a failed statvfs: none");
}

/* Two ticks of the real sampler on vm2: the first has no rates. */
static void
test_sampler(void)
{
	struct vt_sampler_opts	 o;
	struct vt_sampler	 s;
	const struct vt_host	*h;
	char			 root[4096];
	uint64_t		 total, avail;

	tree_root("vm2", root, sizeof(root));
	memset(&o, 0, sizeof(o));
	o.root = root;
	o.top_every = 1000;
	if (vt_sampler_init(&s, &o) == VT_ERR)
		bail("vt_sampler_init failed");
	total = meminfo_kb("vm2", "MemTotal") * KIB;
	avail = meminfo_kb("vm2", "MemAvailable") * KIB;

	h = vt_sampler_collect(&s, 1000, 5000000);
	ok(h->interval_s == 0 && !h->cpu_total.valid && h->ncpu == 0,
	    "sampler, first tick: no interval, no rates");
	is_int((long long)h->mem_used, (long long)(total - avail),
	    "sampler, first tick: used memory derived");
	is_dbl(h->point.v[VT_S_MEM_USED], (double)(total - avail), 0,
	    "sampler, first tick: the point has it");

	h = vt_sampler_collect(&s, 2500, 6500000);
	is_dbl(h->interval_s, 1.5, 1e-9,
	    "sampler, second tick: the interval from the monotonic clock");
	ok(h->ctxt_per_s == 0 && h->totals.net_rx_bytes == 0 &&
	    h->totals.net_n == 3 && h->totals.disk_n == 1,
	    "sampler, second tick: the same tree, every rate 0, the "
	    "totals over the same interfaces and disks");
	ok(!h->cpu_total.valid,
	    "sampler, second tick: no CPU time passed, no percentage");
	is_int((long long)h->point.ts_ms, 2500, "sampler: the point's time");
	vt_sampler_free(&s);
}

int
main(void)
{
	cur = calloc(1, sizeof(*cur));
	prev = calloc(1, sizeof(*prev));
	if (cur == NULL || prev == NULL)
		bail("out of memory");

	test_memory("vm2");
	test_memory("server64");
	test_memory("legacy");
	test_memory_bounds();
	test_rates();
	test_by_name();
	test_reset_wrap();
	test_no_interval();
	test_have();
	test_filesystems();
	test_sampler();

	free(cur);
	free(prev);
	done_testing();
	return tap_exit_status();
}

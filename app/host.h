/*
 * host.h: one sample of the host, as the sampler builds it and the
 * renderers read it: the raw collector output (counters as the kernel
 * gives them, for Prometheus) and the figures derived from it once by
 * vt_derive() (derive.h): the rates against the previous sample, used
 * memory, swap and space, and the totals (for the JSON API, the page and
 * the charts).
 *
 * Owned by the sampler (the master), which keeps two and alternates;
 * renderers only read.  Fixed size: no pointers, no allocation.
 */
#ifndef VT_HOST_H
#define VT_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "collect/listeners.h"
#include "collect/os_release.h"
#include "collect/proc_diskstats.h"
#include "collect/proc_loadavg.h"
#include "collect/proc_meminfo.h"
#include "collect/proc_mounts.h"
#include "collect/proc_net_dev.h"
#include "collect/proc_net_netstat.h"
#include "collect/proc_net_snmp.h"
#include "collect/proc_net_sockstat.h"
#include "collect/proc_net_softnet.h"
#include "collect/proc_sys_kernel_random.h"
#include "collect/proc_net_udp.h"
#include "collect/proc_net_arp.h"
#include "collect/nf_conntrack.h"
#include "collect/proc_net_tcp.h"
#include "collect/proc_pid.h"
#include "collect/proc_pressure.h"
#include "collect/proc_self.h"
#include "collect/proc_stat.h"
#include "collect/proc_sys_fs.h"
#include "collect/proc_uptime.h"
#include "collect/proc_vmstat.h"
#include "collect/sys_class_hwmon.h"
#include "collect/sys_class_net.h"
#include "collect/sys_class_thermal.h"
#include "collect/sys_fs_selinux.h"
#include "collect/udev_disk.h"
#include "collect/time_info.h"
#include "collect/timex.h"
#include "collect/uname.h"
#include "collect/rate.h"
#include "ring.h"
#include "vitals.h"

enum vt_collector {
	VT_COL_STAT,
	VT_COL_MEMINFO,
	VT_COL_LOADAVG,
	VT_COL_UPTIME,
	VT_COL_NET_DEV,
	VT_COL_DISKSTATS,
	VT_COL_MOUNTS,		/* /proc/self/mounts */
	VT_COL_FILESYSTEM,	/* statvfs, with a deadline */
	VT_COL_TCP,
	VT_COL_NETCLASS,	/* /sys/class/net, slow cadence */
	VT_COL_UNAME,		/* /proc/sys/kernel, slow cadence */
	VT_COL_OS,		/* os-release, slow cadence */
	VT_COL_TEXTFILE,	/* textfile_dir, slow cadence */
	VT_COL_TIMEX,		/* adjtimex(2) */
	VT_COL_TIME,		/* zone and clocksources, slow cadence */
	VT_COL_HWMON,		/* /sys/class/hwmon, slow cadence */
	VT_COL_THERMAL,		/* /sys/class/thermal, slow cadence */
	VT_COL_SELF,		/* the master's process_* figures */
	VT_COL_NETSTAT,
	VT_COL_PRESSURE,
	VT_COL_PROCESSES,	/* top processes */
	VT_COL_LISTENERS,	/* TCP listeners' queues, sock_diag */
	VT_COL_FILE_NR,		/* /proc/sys/fs/file-nr */
	VT_COL_VMSTAT,		/* /proc/vmstat */
	/* node_exporter's /proc/net collectors (issue 12, part A). */
	VT_COL_SNMP,		/* /proc/net/snmp{,6}: node_netstat_* */
	VT_COL_SOCKSTAT,	/* /proc/net/sockstat{,6} */
	VT_COL_SOFTNET,		/* /proc/net/softnet_stat */
	VT_COL_ENTROPY,		/* /proc/sys/kernel/random, slow cadence */
	VT_COL_UDP_QUEUES,	/* /proc/net/udp{,6}, slow cadence */
	VT_COL_ARP,		/* /proc/net/arp, slow cadence */
	VT_COL_CONNTRACK,	/* netfilter, when its files exist */
	VT_COL_SELINUX,		/* /sys/fs/selinux, slow cadence */
	VT_COL_UDEV,		/* /run/udev/data: node_disk_info, slow */
	VT_COL_N
};

extern const char *const vt_collector_names[VT_COL_N];

/* 64 bits: node_exporter's collectors take Vitals past 32. */
#define VT_HAVE(c)	(UINT64_C(1) << (c))

struct vt_net_rate {
	double	rx_bytes;	/* per second */
	double	tx_bytes;
	double	rx_packets;
	double	tx_packets;
	double	rx_errors;
	double	tx_errors;
	double	rx_drops;
	double	tx_drops;
};

struct vt_disk_rate {
	double	reads;		/* completed, per second */
	double	writes;
	double	read_bytes;	/* per second */
	double	write_bytes;
	double	busy_percent;	/* io time over the interval */
};

/* A mount's used space, as df(1) counts it. */
struct vt_fs_used {
	uint64_t	used_bytes;	/* size - free */
	double		used_percent;	/* used of used + avail; NAN: none */
};

/* The sums the page and the charts show. */
struct vt_totals {
	double	net_rx_bytes;		/* per second, every interface but lo */
	double	net_tx_bytes;
	double	disk_read_bytes;	/* per second, vt_diskstats_selected() */
	double	disk_write_bytes;
	size_t	net_n;			/* interfaces summed */
	size_t	disk_n;			/* disks summed */
};

struct vt_sampler_stats {
	uint64_t	samples;		/* taken so far */
	double		duration_s;		/* of this sample */
	double		duration_sum_s;		/* of all samples */
	double		col_duration_s[VT_COL_N];
	uint64_t	col_errors[VT_COL_N];	/* failures so far */
	uint64_t	fs_timeouts;		/* statvfs past the deadline */
	uint64_t	cpu_time_us;		/* the master's own CPU */
};

struct vt_host {
	int64_t			ts_ms;		/* wall clock of the sample */
	double			interval_s;	/* since the previous; 0: none */
	char			hostname[VT_NAME_LEN];
	char			kernel[VT_NAME_LEN];	/* osrelease */
	long			hz;		/* USER_HZ: jiffies per second */
	uint64_t		have;		/* VT_HAVE(c): c succeeded */

	/* Raw, as collected. */
	struct vt_proc_stat	stat;
	struct vt_proc_meminfo	mem;
	struct vt_proc_loadavg	load;
	struct vt_proc_uptime	uptime;
	struct vt_proc_net_dev	net;
	struct vt_proc_diskstats disk;
	struct vt_proc_mounts	mounts;
	struct vt_tcp_states	tcp;
	struct vt_timex		timex;		/* every tick */
	struct vt_proc_self	self;		/* every tick */
	struct vt_proc_net_netstat netstat;
	struct vt_proc_pressure	pressure;
	struct vt_file_nr	filenr;
	struct vt_proc_vmstat	vmstat;
	/* node_exporter's /proc/net collectors (issue 12, part A). */
	struct vt_proc_net_snmp	snmp;
	struct vt_proc_net_sockstat sockstat;
	struct vt_proc_net_softnet softnet;
	struct vt_conntrack	conntrack;
	/*
	 * Slow-changing: read on the process-scan ticks, carried between.
	 * They stay together, from netclass to disk_info, in this order:
	 * the sampler zeroes and carries them as one range, and copies it
	 * only when the buffer it fills holds an older scan's (sampler.c,
	 * SAMPLER_SLOW_*, which checks at compile time that they are in).
	 */
	struct vt_netclass	netclass;
	struct vt_uname		uname;
	struct vt_os_release	os;
	struct vt_time_info	time;		/* zone, clocksources */
	struct vt_hwmon		hwmon;
	struct vt_thermal	thermal;
	struct vt_entropy	entropy;
	struct vt_proc_net_udp	udp;
	struct vt_proc_net_arp	arp;
	struct vt_selinux	selinux;
	struct vt_disk_info	disk_info;	/* the disk rows */

	/*
	 * Every listening socket's queue, and who holds the CLOSE_WAIT
	 * sockets; owners come from the process-scan ticks (listeners.h).
	 */
	struct vt_listeners	listeners;
	struct vt_sock_holders	close_wait_holders;

	/*
	 * Derived (derive.h).  Rates against the previous sample, valid
	 * when interval_s > 0.
	 */
	struct vt_cpu_percent	cpu_total;
	struct vt_cpu_percent	cpu[VT_MAX_CPUS];	/* as stat.cpu */
	size_t			ncpu;
	struct vt_net_rate	net_rate[VT_MAX_IFACES];	/* as net.iface */
	struct vt_disk_rate	disk_rate[VT_DISKSTATS_MAX];	/* as disk.disk */
	double			ctxt_per_s;
	double			forks_per_s;
	double			intr_per_s;
	double			listen_overflows_per_s;
	double			listen_drops_per_s;

	/* Derived from the raw figures of this sample alone. */
	uint64_t		mem_available;	/* MemAvailable, or estimated */
	uint64_t		mem_used;	/* mem_total - mem_available */
	double			mem_used_percent;	/* NAN: no total */
	uint64_t		swap_used;
	struct vt_fs_used	fs_used[VT_MAX_MOUNTS];	/* as mounts.m */
	struct vt_totals	totals;		/* of the rates above */

	/* Top processes (from a scan every few samples, see sampler.c). */
	struct vt_top_proc	top_cpu[VT_MAX_PROCS];
	size_t			ntop_cpu;
	struct vt_top_proc	top_mem[VT_MAX_PROCS];
	size_t			ntop_mem;
	int64_t			top_ts_ms;	/* when they were computed */

	/* The point the ring stores for the charts (derived too). */
	struct vt_point		point;

	struct vt_sampler_stats	st;
};

#endif /* VT_HOST_H */

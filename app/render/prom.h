/*
 * prom.h: the host part of /metrics: one host sample in the Prometheus
 * text exposition format 0.0.4, rendered once per sample by the master.
 *
 * Metric names, types, HELP texts, label names and units are
 * node_exporter's wherever node_exporter has the metric, so its
 * dashboards and alert rules work unchanged: node_cpu_seconds_total,
 * node_cpu_guest_seconds_total, node_boot_time_seconds,
 * node_context_switches_total, node_forks_total, node_intr_total,
 * node_procs_running, node_procs_blocked, node_load1/5/15,
 * node_memory_<Field>[_bytes] (one gauge per /proc/meminfo line),
 * node_network_{receive,transmit}_<field>_total{device},
 * node_disk_*{device} (node_exporter's device selection: rows without
 * VT_DISK_IGNORED; the discard and flush families when the kernel has
 * those columns), node_filesystem_*{device,fstype,mountpoint},
 * node_netstat_<Section>_<Name> (node_exporter's default field subset,
 * untyped), node_tcp_connection_states{state}, node_pressure_*,
 * node_uname_info, node_time_seconds, node_time_zone_offset_seconds,
 * node_time_clocksource_{available,current}_info, node_timex_*,
 * node_hwmon_* (collect/sys_class_hwmon.h names them),
 * node_thermal_zone_temp and node_cooling_device_{cur,max}_state.  Counters are the kernel's raw
 * counters in base units (seconds, bytes), never rates.  The sampler's
 * own families: vitals_sampler_duration_seconds,
 * vitals_sampler_samples_total, vitals_sampler_cpu_seconds_total,
 * vitals_collector_success{collector},
 * vitals_collector_duration_seconds{collector},
 * vitals_collector_errors_total{collector} and
 * vitals_filesystem_statvfs_timeouts_total.  The pool's vitals_* families
 * are rendered by poolview.c through the writer below and do not overlap
 * these.
 *
 * Every family appears once, as "# HELP", "# TYPE", then its samples;
 * a family without samples (a collector that failed, a column the kernel
 * lacks) is left out whole.  Label values are valid UTF-8 (see utf8.h)
 * with \, " and newline escaped.  Integers are written exactly, other
 * values in the shortest form that reads back as the same double.  The
 * text ends with a newline.
 *
 * Names: node_exporter's mixed-case names (node_memory_MemTotal_bytes,
 * node_netstat_TcpExt_ListenDrops) draw promtool's "snake_case" lint, as
 * they do for node_exporter itself.  They are the default because
 * Grafana's node_exporter dashboards and the usual alert rules
 * (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) query
 * exactly these names; a renamed family is an empty panel and an alert
 * that never fires.  VT_PROM_NAMES_SNAKE (metric_names = snake_case)
 * writes those families in snake case instead (node_memory_mem_total_bytes,
 * node_netstat_tcp_ext_listen_drops, node_memory_huge_pages_total_pages),
 * for a site that lints what it scrapes: promtool then reports nothing.
 * Every other family has the same name either way.
 */
#ifndef VT_RENDER_PROM_H
#define VT_RENDER_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "host.h"

/* The metric_names setting; conf.c lists the words in this order. */
enum vt_prom_names {
	VT_PROM_NAMES_NODE = 0,		/* "node_exporter" */
	VT_PROM_NAMES_SNAKE		/* "snake_case" */
};

#define VT_PROM_NAMELEN	128
#define VT_PROM_HELPLEN	192

/*
 * The writer: one family at a time, its samples, their labels.  The
 * caller owns the struct (on its stack) and the buffer; the writer only
 * appends to it.  An append that does not fit is remembered, and every
 * later call is harmless, so a renderer checks once, at vt_prom_finish().
 * Numbers are written exactly (integers) or in the shortest form that
 * reads back as the same double, with '.' whatever the locale.
 */
struct vt_prom {
	struct vt_buf	*b;
	size_t		 start;		/* b->len when the writer began */
	int		 err;		/* an append failed */
	char		 name[VT_PROM_NAMELEN];
	char		 help[VT_PROM_HELPLEN];
	const char	*type;
	int		 started;	/* HELP and TYPE are out */
	int		 nlabels;	/* in the sample being written */
	enum vt_prom_names names;
};

/* Start writing to out, after what it holds. */
void	vt_prom_init(struct vt_prom *w, struct vt_buf *out,
	    enum vt_prom_names names);

/*
 * VT_OK when everything fit; VT_ERR when an append did not, and out is
 * then as it was at vt_prom_init().
 */
int	vt_prom_finish(struct vt_prom *w);

/*
 * Make name (of type "counter", "gauge", "histogram" or "untyped") the
 * current family.  Its HELP and TYPE lines wait for its first sample, so
 * a family without samples leaves no trace unless vt_prom_header() asks
 * for them.  name and help are copied (cut at VT_PROM_NAMELEN and
 * VT_PROM_HELPLEN).
 */
void	vt_prom_family(struct vt_prom *w, const char *name, const char *type,
	    const char *help);

/* Write the current family's HELP and TYPE now, if they are not out. */
void	vt_prom_header(struct vt_prom *w);

/*
 * A sample line: vt_prom_begin() (or vt_prom_begin_sub() for a sample
 * named after the family plus suffix, a histogram's "_bucket", "_sum" and
 * "_count"), then any vt_prom_label*(), then one vt_prom_end_*() with the
 * value.  Label values are written as valid UTF-8 with \, " and newline
 * escaped; vt_prom_label_dbl() writes a number as a label value (a
 * histogram's "le").
 */
void	vt_prom_begin(struct vt_prom *w);
void	vt_prom_begin_sub(struct vt_prom *w, const char *suffix);
void	vt_prom_label(struct vt_prom *w, const char *k, const char *v);
void	vt_prom_label_dbl(struct vt_prom *w, const char *k, double v);
void	vt_prom_end_u64(struct vt_prom *w, uint64_t v);
void	vt_prom_end_dbl(struct vt_prom *w, double v);

/*
 * End the sample with v / 10^places written exactly, with places (1 to
 * 18) decimals: a count of microseconds as seconds, say, with no
 * rounding through a double.
 */
void	vt_prom_end_fixed(struct vt_prom *w, uint64_t v, unsigned places);

/* A sample without labels: vt_prom_begin() and vt_prom_end_*(). */
void	vt_prom_u64(struct vt_prom *w, uint64_t v);
void	vt_prom_dbl(struct vt_prom *w, double v);

/*
 * v in the shortest of %.15g, %.16g and %.17g that reads back as v, with
 * '.' as the decimal point whatever the locale; NaN and infinities as the
 * format spells them (NaN, +Inf, -Inf).  dst has room for 40 bytes.
 */
void	vt_prom_fmt_dbl(double v, char *dst, size_t len);

/*
 * Append s (NUL-terminated, at most VT_PATH_LEN bytes are kept) as UTF-8
 * with backslash and newline escaped, and the double quote too when quote
 * is set: a label value, or a HELP text when quote is 0.  VT_ERR when b
 * would pass its cap.
 */
int	vt_prom_escape(struct vt_buf *b, const char *s, int quote);

/*
 * Append the exposition text for h to out.  Returns VT_OK, or VT_ERR
 * when out would pass its cap; out is then as it was before the call.
 * h is only read; nothing is allocated.
 */
int	vt_render_prom(const struct vt_host *h, enum vt_prom_names names,
	    struct vt_buf *out);

#endif /* VT_RENDER_PROM_H */

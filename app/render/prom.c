/*
 * prom.c: the Prometheus text format 0.0.4 writer, and with it the host
 * part of /metrics (see prom.h for the writer and the families).
 *
 * A family's "# HELP" and "# TYPE" lines are written with its first
 * sample, so a family without samples leaves no trace.  HELP texts are
 * node_exporter's, word for word, where node_exporter has the metric.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "render/prom.h"
#include "render/utf8.h"

/* How a diskstats column becomes node_exporter's value. */
enum prom_scale {
	PROM_RAW,		/* as is */
	PROM_SECTORS,		/* 512-byte sectors to bytes */
	PROM_MS			/* milliseconds to seconds */
};

static const struct {
	enum vt_disk_field	 field;
	const char		*name;
	const char		*type;
	const char		*help;
	enum prom_scale		 scale;
} prom_disk[] = {
	{ VT_DISK_READS, "node_disk_reads_completed_total", "counter",
	    "The total number of reads completed successfully.", PROM_RAW },
	{ VT_DISK_READS_MERGED, "node_disk_reads_merged_total", "counter",
	    "The total number of reads merged.", PROM_RAW },
	{ VT_DISK_READ_SECTORS, "node_disk_read_bytes_total", "counter",
	    "The total number of bytes read successfully.", PROM_SECTORS },
	{ VT_DISK_READ_MS, "node_disk_read_time_seconds_total", "counter",
	    "The total number of seconds spent by all reads.", PROM_MS },
	{ VT_DISK_WRITES, "node_disk_writes_completed_total", "counter",
	    "The total number of writes completed successfully.", PROM_RAW },
	{ VT_DISK_WRITES_MERGED, "node_disk_writes_merged_total", "counter",
	    "The number of writes merged.", PROM_RAW },
	{ VT_DISK_WRITE_SECTORS, "node_disk_written_bytes_total", "counter",
	    "The total number of bytes written successfully.", PROM_SECTORS },
	{ VT_DISK_WRITE_MS, "node_disk_write_time_seconds_total", "counter",
	    "This is the total number of seconds spent by all writes.",
	    PROM_MS },
	{ VT_DISK_IN_FLIGHT, "node_disk_io_now", "gauge",
	    "The number of I/Os currently in progress.", PROM_RAW },
	{ VT_DISK_IO_MS, "node_disk_io_time_seconds_total", "counter",
	    "Total seconds spent doing I/Os.", PROM_MS },
	{ VT_DISK_WEIGHTED_IO_MS, "node_disk_io_time_weighted_seconds_total",
	    "counter", "The weighted # of seconds spent doing I/Os.",
	    PROM_MS },
	{ VT_DISK_DISCARDS, "node_disk_discards_completed_total", "counter",
	    "The total number of discards completed successfully.",
	    PROM_RAW },
	{ VT_DISK_DISCARDS_MERGED, "node_disk_discards_merged_total",
	    "counter", "The total number of discards merged.", PROM_RAW },
	{ VT_DISK_DISCARD_SECTORS, "node_disk_discarded_sectors_total",
	    "counter", "The total number of sectors discarded successfully.",
	    PROM_RAW },
	{ VT_DISK_DISCARD_MS, "node_disk_discard_time_seconds_total",
	    "counter",
	    "This is the total number of seconds spent by all discards.",
	    PROM_MS },
	{ VT_DISK_FLUSHES, "node_disk_flush_requests_total", "counter",
	    "The total number of flush requests completed successfully",
	    PROM_RAW },
	{ VT_DISK_FLUSH_MS, "node_disk_flush_requests_time_seconds_total",
	    "counter",
	    "This is the total number of seconds spent by all flush requests.",
	    PROM_MS },
};

/* PSI: resource, "some" and "full" families. */
static const struct {
	enum vt_psi_resource	 res;
	const char		*waiting;
	const char		*waiting_help;
	const char		*stalled;
	const char		*stalled_help;
} prom_psi[] = {
	{ VT_PSI_CPU, "node_pressure_cpu_waiting_seconds_total",
	    "Total time in seconds that processes have waited for CPU time",
	    "node_pressure_cpu_stalled_seconds_total",
	    "Total time in seconds no process could make progress due to CPU "
	    "congestion" },
	{ VT_PSI_IO, "node_pressure_io_waiting_seconds_total",
	    "Total time in seconds that processes have waited due to IO "
	    "congestion",
	    "node_pressure_io_stalled_seconds_total",
	    "Total time in seconds no process could make progress due to IO "
	    "congestion" },
	{ VT_PSI_MEMORY, "node_pressure_memory_waiting_seconds_total",
	    "Total time in seconds that processes have waited for memory",
	    "node_pressure_memory_stalled_seconds_total",
	    "Total time in seconds no process could make progress due to "
	    "memory congestion" },
};

/* node_exporter's CPU modes: the first eight columns. */
#define PROM_CPU_MODES	(VT_CPU_STEAL + 1)

/* node_filesystem_*: the first five need sizes from statvfs. */
#define PROM_FS_SIZES	5

/* What prom_per_collector gives for each collector. */
enum prom_col_figure {
	PROM_COL_SUCCESS,
	PROM_COL_DURATION,
	PROM_COL_ERRORS
};

static void	prom_add(struct vt_prom *w, const char *s, size_t n);
static void	prom_escaped(struct vt_prom *w, const char *s, int quote);
static void	prom_snake_units(char *name);
static void	prom_snake(char *name);
static int	prom_valid_name(const char *s);
static int	prom_have(const struct vt_host *h, enum vt_collector c);
static void	prom_stat(struct vt_prom *w, const struct vt_host *h);
static void	prom_loadavg(struct vt_prom *w, const struct vt_host *h);
static void	prom_meminfo(struct vt_prom *w, const struct vt_host *h);
static void	prom_netdev(struct vt_prom *w, const struct vt_host *h);
static void	prom_diskstats(struct vt_prom *w, const struct vt_host *h);
static void	prom_disk_info(struct vt_prom *w, const struct vt_host *h);
static void	prom_filesystem(struct vt_prom *w, const struct vt_host *h);
static void	prom_netstat_one(struct vt_prom *w, const char *section,
		    const char *field, uint64_t v);
static void	prom_netstat(struct vt_prom *w, const struct vt_host *h);
static void	prom_tcp(struct vt_prom *w, const struct vt_host *h);
static void	prom_pressure(struct vt_prom *w, const struct vt_host *h);
static void	prom_netclass(struct vt_prom *w, const struct vt_host *h);
static void	prom_os(struct vt_prom *w, const struct vt_host *h);
static void	prom_self(struct vt_prom *w, const struct vt_host *h);
static void	prom_uname_time(struct vt_prom *w, const struct vt_host *h);
static void	prom_time(struct vt_prom *w, const struct vt_host *h);
static void	prom_timex(struct vt_prom *w, const struct vt_host *h);
static void	prom_hwmon(struct vt_prom *w, const struct vt_host *h);
static void	prom_thermal(struct vt_prom *w, const struct vt_host *h);
static void	prom_per_collector(struct vt_prom *w, const struct vt_host *h,
		    const char *name, const char *type, const char *help,
		    enum prom_col_figure fig);
static void	prom_sampler(struct vt_prom *w, const struct vt_host *h);
static void	prom_listeners(struct vt_prom *w, const struct vt_host *h);
static void	prom_filefd(struct vt_prom *w, const struct vt_host *h);
static void	prom_vmstat(struct vt_prom *w, const struct vt_host *h);
static void	prom_sockstat_file(struct vt_prom *w,
		    const struct vt_sockstat *s);
static void	prom_sockstat(struct vt_prom *w, const struct vt_host *h);
static void	prom_softnet(struct vt_prom *w, const struct vt_host *h);
static void	prom_entropy(struct vt_prom *w, const struct vt_host *h);
static void	prom_udp_queues(struct vt_prom *w, const struct vt_host *h);
static void	prom_arp(struct vt_prom *w, const struct vt_host *h);
static void	prom_conntrack(struct vt_prom *w, const struct vt_host *h);
static void	prom_selinux(struct vt_prom *w, const struct vt_host *h);

/*
 * v as a decimal of dec (1..6) places, when it is the double nearest to
 * one with at most 15 significant digits and "%.15g" would print it in
 * fixed notation (|v| >= 1e-4): "%.15g" then prints exactly that decimal,
 * trailing zeros dropped, and it reads back as v (the division below is
 * correctly rounded, as strtod is).  Most fractions written are such
 * (CPU seconds of 1/100 s, load averages, durations in us).  1 when
 * written into dst (at least 24 bytes), else 0.
 */
static int
prom_fixed(double v, char *dst)
{
	static const double	p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	double			a = fabs(v), r;
	uint64_t		u, ip, fp;
	size_t			n;
	int			dec, i;
	char		       *p = dst;

	if (!(a >= 1e-4 && a < 1e14))
		return 0;
	for (dec = 1; dec <= 6; dec++) {
		r = round(a * p10[dec]);
		if (r / p10[dec] == a)
			break;
	}
	if (dec > 6 || a >= 1e15 / p10[dec])
		return 0;
	u = (uint64_t)r;
	ip = u / (uint64_t)p10[dec];
	fp = u % (uint64_t)p10[dec];
	if (v < 0)
		*p++ = '-';
	p += vt_u64_digits(ip, p);
	*p++ = '.';
	for (i = dec - 1; i >= 0; i--) {
		p[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	for (n = (size_t)dec; n > 1 && p[n - 1] == '0'; n--)
		;
	p[n] = '\0';
	return 1;
}

/*
 * The shortest of "%.15g" .. "%.17g" that reads back as v.  A whole
 * number under 10^15 (most values: counters, bytes, states) prints as
 * its digits under "%.15g" and reads back exactly, so it is written as
 * those digits without snprintf and strtod; -0 takes the long way for
 * its sign.  So are the short fractions (prom_fixed).
 */
void
vt_prom_fmt_dbl(double v, char *dst, size_t len)
{
	char	*p;
	int	 prec;
	size_t	 n;

	if (len >= 24 && v > -1e15 && v < 1e15 && v == (double)(int64_t)v &&
	    !(v == 0 && signbit(v))) {
		p = dst;
		if (v < 0)
			*p++ = '-';
		n = vt_u64_digits((uint64_t)(v < 0 ? -(int64_t)v :
		    (int64_t)v), p);
		p[n] = '\0';
		return;
	}
	if (len >= 24 && prom_fixed(v, dst))
		return;
	if (isnan(v)) {
		snprintf(dst, len, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(dst, len, "%s", v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(dst, len, "%.*g", prec, v);
		if (strtod(dst, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(dst, len, "%.17g", v);
	for (p = dst; *p != '\0'; p++) {
		if (*p == ',')
			*p = '.';
	}
}

static void
prom_add(struct vt_prom *w, const char *s, size_t n)
{
	if (n > 0 && vt_buf_add(w->b, s, n) == VT_ERR)
		w->err = 1;
}

/*
 * Write s as UTF-8 with backslash and newline escaped, and the double
 * quote too when quote is set (label values; HELP texts keep it).
 */
static void
prom_escaped(struct vt_prom *w, const char *s, int quote)
{
	if (vt_prom_escape(w->b, s, quote) == VT_ERR)
		w->err = 1;
}

int
vt_prom_escape(struct vt_buf *b, const char *s, int quote)
{
	char		 clean[VT_UTF8_CLEAN_LEN(VT_PATH_LEN)];
	const char	*p, *run;
	int		 rc = VT_OK;

	/*
	 * ASCII short enough not to be cut is its own clean form: the copy
	 * through vt_utf8_clean() is for the rest (most labels and texts
	 * are ASCII, and this runs for each of them every tick).
	 */
	for (p = s; *p != '\0' && !(*p & 0x80); p++)
		;
	if (*p != '\0' || (size_t)(p - s) >= sizeof(clean) - 1) {
		vt_utf8_clean(s, clean, sizeof(clean));
		s = clean;
	}
	for (p = run = s; *p != '\0'; p++) {
		if (*p != '\\' && *p != '\n' && !(quote && *p == '"'))
			continue;
		if (vt_buf_add(b, run, (size_t)(p - run)) == VT_ERR ||
		    vt_buf_add(b, *p == '\\' ? "\\\\" : *p == '\n' ? "\\n" :
		    "\\\"", 2) == VT_ERR)
			rc = VT_ERR;
		run = p + 1;
	}
	if (vt_buf_add(b, run, (size_t)(p - run)) == VT_ERR)
		rc = VT_ERR;
	return rc;
}

void
vt_prom_init(struct vt_prom *w, struct vt_buf *out, enum vt_prom_names names)
{
	memset(w, 0, sizeof(*w));
	w->b = out;
	w->start = out->len;
	w->names = names;
}

int
vt_prom_finish(struct vt_prom *w)
{
	if (!w->err)
		return VT_OK;
	vt_buf_truncate(w->b, w->start);
	return VT_ERR;
}

void
vt_prom_family(struct vt_prom *w, const char *name, const char *type,
    const char *help)
{
	size_t	n = strlen(name), k = strlen(help);

	/* Callers build names and texts well inside these bounds. */
	if (n >= sizeof(w->name))
		n = sizeof(w->name) - 1;
	if (k >= sizeof(w->help))
		k = sizeof(w->help) - 1;
	memcpy(w->name, name, n);
	w->name[n] = '\0';
	memcpy(w->help, help, k);
	w->help[k] = '\0';
	w->type = type;
	w->started = 0;
}

void
vt_prom_header(struct vt_prom *w)
{
	size_t	n = strlen(w->name);

	if (w->started)
		return;
	prom_add(w, "# HELP ", 7);
	prom_add(w, w->name, n);
	prom_add(w, " ", 1);
	prom_escaped(w, w->help, 0);
	prom_add(w, "\n# TYPE ", 8);
	prom_add(w, w->name, n);
	prom_add(w, " ", 1);
	prom_add(w, w->type, strlen(w->type));
	prom_add(w, "\n", 1);
	w->started = 1;
}

void
vt_prom_begin(struct vt_prom *w)
{
	vt_prom_begin_sub(w, "");
}

void
vt_prom_begin_sub(struct vt_prom *w, const char *suffix)
{
	vt_prom_header(w);
	prom_add(w, w->name, strlen(w->name));
	prom_add(w, suffix, strlen(suffix));
	w->nlabels = 0;
}

void
vt_prom_label(struct vt_prom *w, const char *k, const char *v)
{
	prom_add(w, w->nlabels++ == 0 ? "{" : ",", 1);
	prom_add(w, k, strlen(k));
	prom_add(w, "=\"", 2);
	prom_escaped(w, v, 1);
	prom_add(w, "\"", 1);
}

void
vt_prom_label_dbl(struct vt_prom *w, const char *k, double v)
{
	char	num[40];

	vt_prom_fmt_dbl(v, num, sizeof(num));
	vt_prom_label(w, k, num);
}

void
vt_prom_end_u64(struct vt_prom *w, uint64_t v)
{
	char	txt[32], *p = txt;

	if (w->nlabels > 0)
		*p++ = '}';
	*p++ = ' ';
	p += vt_u64_digits(v, p);
	*p++ = '\n';
	prom_add(w, txt, (size_t)(p - txt));
}

void
vt_prom_end_dbl(struct vt_prom *w, double v)
{
	char	txt[48], *p = txt;

	if (w->nlabels > 0)
		*p++ = '}';
	*p++ = ' ';
	vt_prom_fmt_dbl(v, p, sizeof(txt) - 3);
	p += strlen(p);
	*p++ = '\n';
	prom_add(w, txt, (size_t)(p - txt));
}

void
vt_prom_end_fixed(struct vt_prom *w, uint64_t v, unsigned places)
{
	char		txt[48];
	uint64_t	scale = 1;
	unsigned	i;
	int		n;

	for (i = 0; i < places; i++)
		scale *= 10;
	n = snprintf(txt, sizeof(txt), "%s %" PRIu64 ".%0*" PRIu64 "\n",
	    w->nlabels > 0 ? "}" : "", v / scale, (int)places, v % scale);
	prom_add(w, txt, (size_t)n);
}

void
vt_prom_u64(struct vt_prom *w, uint64_t v)
{
	vt_prom_begin(w);
	vt_prom_end_u64(w, v);
}

void
vt_prom_dbl(struct vt_prom *w, double v)
{
	vt_prom_begin(w);
	vt_prom_end_dbl(w, v);
}

/*
 * A word of a snake-case name that promtool reads as an abbreviated unit
 * (its list): SecPageTables would be sec_page_tables, "sec" as seconds.
 * Such a word is joined to the next one (secpage_tables), or to the one
 * before when it is last.
 */
static void
prom_snake_units(char *name)
{
	static const char *const abbrev[] = { "s", "ms", "us", "ns", "sec",
	    "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d" };
	char	*w = name, *end;
	size_t	 i, n;

	while (*w != '\0') {
		end = strchr(w, '_');
		n = end != NULL ? (size_t)(end - w) : strlen(w);
		for (i = 0; i < VT_ARRAY_LEN(abbrev); i++)
			if (strlen(abbrev[i]) == n && strncmp(w, abbrev[i], n) == 0)
				break;
		if (i < VT_ARRAY_LEN(abbrev) && w > name) {
			/* Drop the underscore after it, or the one before. */
			char	*u = end != NULL ? end : w - 1;

			memmove(u, u + 1, strlen(u + 1) + 1);
			if (end == NULL)
				break;
			continue;	/* w now starts the joined word */
		}
		if (end == NULL)
			break;
		w = end + 1;
	}
}

/*
 * For VT_PROM_NAMES_SNAKE: name in snake case, in place.
 * An underscore goes before a capital that follows a small letter
 * (MemTotal: mem_total) or that starts a word after an acronym of two
 * letters or more (TCPSynRetrans: tcp_syn_retrans); not after a single
 * capital (SReclaimable: sreclaimable, as "s" alone would read as an
 * abbreviated unit) nor after a digit (DirectMap2M: direct_map2m).  name
 * has room for VT_PROM_NAMELEN bytes; a name that would not fit is cut,
 * which cannot happen with the kernel's field names.
 */
static void
prom_snake(char *name)
{
	char	in[VT_PROM_NAMELEN];
	size_t	i, o = 0;

	snprintf(in, sizeof(in), "%s", name);
	for (i = 0; in[i] != '\0' && o < VT_PROM_NAMELEN - 2; i++) {
		char	c = in[i], prev = i > 0 ? in[i - 1] : '_';
		char	prev2 = i > 1 ? in[i - 2] : '_', next = in[i + 1];

		if (c >= 'A' && c <= 'Z') {
			if ((prev >= 'a' && prev <= 'z') ||
			    (prev >= 'A' && prev <= 'Z' && prev2 >= 'A' &&
			    prev2 <= 'Z' && next >= 'a' && next <= 'z'))
				name[o++] = '_';
			c = (char)(c - 'A' + 'a');
		}
		name[o++] = c;
	}
	name[o] = '\0';
	prom_snake_units(name);
}

/* 1 when s is a valid metric name, [a-zA-Z_:][a-zA-Z0-9_:]*. */
static int
prom_valid_name(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		char	c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return i > 0;
}

static int
prom_have(const struct vt_host *h, enum vt_collector c)
{
	return (h->have & VT_HAVE(c)) != 0;
}

static void
prom_stat(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_proc_stat	*s = &h->stat;
	double				 hz = h->hz > 0 ? (double)h->hz : 100.0;
	char				 id[16];
	size_t				 i;
	int				 m;

	if (!prom_have(h, VT_COL_STAT))
		return;
	vt_prom_family(w, "node_cpu_seconds_total", "counter",
	    "Seconds the CPUs spent in each mode.");
	for (i = 0; i < s->ncpu && i < VT_MAX_CPUS; i++) {
		snprintf(id, sizeof(id), "%d", s->cpu[i].id);
		for (m = 0; m < PROM_CPU_MODES && m < s->cpu[i].nmodes; m++) {
			vt_prom_begin(w);
			vt_prom_label(w, "cpu", id);
			vt_prom_label(w, "mode", vt_cpu_mode_names[m]);
			vt_prom_end_dbl(w, (double)s->cpu[i].mode[m] / hz);
		}
	}
	vt_prom_family(w, "node_cpu_guest_seconds_total", "counter",
	    "Seconds the CPUs spent in guests (VMs) for each mode.");
	for (i = 0; i < s->ncpu && i < VT_MAX_CPUS; i++) {
		snprintf(id, sizeof(id), "%d", s->cpu[i].id);
		/* guest and guest_nice are shares of user and nice. */
		for (m = VT_CPU_GUEST; m < VT_CPU_NMODES &&
		    m < s->cpu[i].nmodes; m++) {
			vt_prom_begin(w);
			vt_prom_label(w, "cpu", id);
			vt_prom_label(w, "mode",
			    m == VT_CPU_GUEST ? "user" : "nice");
			vt_prom_end_dbl(w, (double)s->cpu[i].mode[m] / hz);
		}
	}
	vt_prom_family(w, "node_boot_time_seconds", "gauge",
	    "Node boot time, in unixtime.");
	if (s->has & VT_STAT_HAS_BTIME)
		vt_prom_u64(w, s->btime);
	vt_prom_family(w, "node_context_switches_total", "counter",
	    "Total number of context switches.");
	if (s->has & VT_STAT_HAS_CTXT)
		vt_prom_u64(w, s->ctxt);
	vt_prom_family(w, "node_forks_total", "counter",
	    "Total number of forks.");
	if (s->has & VT_STAT_HAS_PROCESSES)
		vt_prom_u64(w, s->processes);
	vt_prom_family(w, "node_intr_total", "counter",
	    "Total number of interrupts serviced.");
	if (s->has & VT_STAT_HAS_INTR)
		vt_prom_u64(w, s->intr);
	vt_prom_family(w, "node_procs_running", "gauge",
	    "Number of processes in runnable state.");
	if (s->has & VT_STAT_HAS_RUNNING)
		vt_prom_u64(w, s->procs_running);
	vt_prom_family(w, "node_procs_blocked", "gauge",
	    "Number of processes blocked waiting for I/O to complete.");
	if (s->has & VT_STAT_HAS_BLOCKED)
		vt_prom_u64(w, s->procs_blocked);
}

static void
prom_loadavg(struct vt_prom *w, const struct vt_host *h)
{
	if (!prom_have(h, VT_COL_LOADAVG))
		return;
	vt_prom_family(w, "node_load1", "gauge", "1m load average.");
	vt_prom_dbl(w, h->load.load1);
	vt_prom_family(w, "node_load5", "gauge", "5m load average.");
	vt_prom_dbl(w, h->load.load5);
	vt_prom_family(w, "node_load15", "gauge", "15m load average.");
	vt_prom_dbl(w, h->load.load15);
}

/*
 * node_memory_MemTotal_bytes as node_memory_mem_total_bytes.  The lines
 * the kernel counts in pages rather than kB (HugePages_Total, ...) get
 * "_pages", which also keeps a gauge from ending in "_total".
 */
static void
prom_meminfo_snake(char *name, size_t len)
{
	size_t	n;

	prom_snake(name);
	n = strlen(name);
	if (n < 6 || strcmp(name + n - 6, "_bytes") != 0)
		snprintf(name + n, len - n, "_pages");
}

static void
prom_meminfo(struct vt_prom *w, const struct vt_host *h)
{
	static const char	 prefix[] = "node_memory_";
	const struct vt_proc_meminfo *m = &h->mem;
	char			 names[VT_MEMINFO_MAX][VT_PROM_NAMELEN];
	char			 help[VT_PROM_HELPLEN];
	size_t			 i, j, n;

	if (!prom_have(h, VT_COL_MEMINFO))
		return;
	n = m->n < VT_MEMINFO_MAX ? m->n : VT_MEMINFO_MAX;
	for (i = 0; i < n; i++) {
		names[i][0] = '\0';
		if (vt_proc_meminfo_metric_name(&m->e[i], names[i],
		    sizeof(names[i])) == VT_ERR || !prom_valid_name(names[i]) ||
		    strncmp(names[i], prefix, sizeof(prefix) - 1) != 0) {
			names[i][0] = '\0';
			continue;
		}
		if (w->names == VT_PROM_NAMES_SNAKE)
			prom_meminfo_snake(names[i], sizeof(names[i]));
		/* Two kernel names that map to one metric: the first wins. */
		for (j = 0; j < i; j++) {
			if (strcmp(names[j], names[i]) == 0)
				break;
		}
		if (j < i) {
			names[i][0] = '\0';
			continue;
		}
		snprintf(help, sizeof(help), "Memory information field %s.",
		    names[i] + sizeof(prefix) - 1);
		vt_prom_family(w, names[i], "gauge", help);
		vt_prom_u64(w, m->e[i].value);
	}
}

static void
prom_netdev(struct vt_prom *w, const struct vt_host *h)
{
	char	name[VT_PROM_NAMELEN], help[VT_PROM_HELPLEN];
	size_t	i;
	int	f;

	if (!prom_have(h, VT_COL_NET_DEV))
		return;
	for (f = 0; f < VT_NETDEV_NFIELDS; f++) {
		snprintf(name, sizeof(name), "node_network_%s_total",
		    vt_netdev_field_names[f]);
		snprintf(help, sizeof(help), "Network device statistic %s.",
		    vt_netdev_field_names[f]);
		vt_prom_family(w, name, "counter", help);
		for (i = 0; i < h->net.n && i < VT_MAX_IFACES; i++) {
			vt_prom_begin(w);
			vt_prom_label(w, "device", h->net.iface[i].name);
			vt_prom_end_u64(w, h->net.iface[i].v[f]);
		}
	}
	/*
	 * rx_nohandler is not in /proc/net/dev: node_exporter takes it from
	 * rtnetlink, Vitals from sysfs on the process-scan ticks
	 * (sys_class_net.h).  The devices are /proc/net/dev's, as above.
	 */
	if (!prom_have(h, VT_COL_NETCLASS))
		return;
	vt_prom_family(w, "node_network_receive_nohandler_total", "counter",
	    "Network device statistic receive_nohandler.");
	for (i = 0; i < h->net.n && i < VT_MAX_IFACES; i++) {
		const struct vt_netclass_iface	*nc;

		nc = vt_netclass_find(&h->netclass, h->net.iface[i].name);
		if (nc == NULL || !(nc->have & (1u << VT_NC_RX_NOHANDLER)))
			continue;
		vt_prom_begin(w);
		vt_prom_label(w, "device", nc->name);
		vt_prom_end_u64(w, (uint64_t)nc->v[VT_NC_RX_NOHANDLER]);
	}
}

static void
prom_diskstats(struct vt_prom *w, const struct vt_host *h)
{
	size_t	k, i;

	if (!prom_have(h, VT_COL_DISKSTATS))
		return;
	for (k = 0; k < VT_ARRAY_LEN(prom_disk); k++) {
		vt_prom_family(w, prom_disk[k].name, prom_disk[k].type,
		    prom_disk[k].help);
		for (i = 0; i < h->disk.n && i < VT_DISKSTATS_MAX; i++) {
			const struct vt_disk	*d = &h->disk.disk[i];
			uint64_t		 v = d->v[prom_disk[k].field];

			/* node_exporter's devices; absent columns stay out. */
			if ((d->flags & VT_DISK_IGNORED) ||
			    (int)prom_disk[k].field >= d->nfields)
				continue;
			vt_prom_begin(w);
			vt_prom_label(w, "device", d->name);
			if (prom_disk[k].scale == PROM_MS)
				vt_prom_end_dbl(w, (double)v / 1000.0);
			else if (prom_disk[k].scale == PROM_SECTORS &&
			    v <= UINT64_MAX / 512)
				vt_prom_end_u64(w, v * 512);
			else if (prom_disk[k].scale == PROM_SECTORS)
				vt_prom_end_dbl(w, (double)v * 512.0);
			else
				vt_prom_end_u64(w, v);
		}
	}
	prom_disk_info(w, h);
}

/*
 * node_exporter's node_disk_info: the diskstats devices, labelled from
 * udev's database (udev_disk.h), the labels in the order node_exporter
 * prints them.  A device that appeared since the last process-scan tick
 * waits for the next one, rather than show empty labels for a second.
 */
static void
prom_disk_info(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_udev_disk	*u;
	char				 num[16];
	size_t				 i;

	if (!prom_have(h, VT_COL_UDEV))
		return;
	vt_prom_family(w, "node_disk_info", "gauge",
	    "Info of /sys/block/<block_device>.");
	for (i = 0; i < h->disk.n && i < VT_DISKSTATS_MAX; i++) {
		const struct vt_disk	*d = &h->disk.disk[i];

		if ((d->flags & VT_DISK_IGNORED) || (u = vt_disk_info_find(
		    &h->disk_info, d->major, d->minor)) == NULL)
			continue;
		vt_prom_begin(w);
		vt_prom_label(w, "device", d->name);
		snprintf(num, sizeof(num), "%u", d->major);
		vt_prom_label(w, "major", num);
		snprintf(num, sizeof(num), "%u", d->minor);
		vt_prom_label(w, "minor", num);
		vt_prom_label(w, "model", u->model);
		vt_prom_label(w, "path", u->path);
		vt_prom_label(w, "revision", u->revision);
		vt_prom_label(w, "serial", u->serial);
		vt_prom_label(w, "wwn", u->wwn);
		vt_prom_end_u64(w, 1);
	}
}

static void
prom_filesystem(struct vt_prom *w, const struct vt_host *h)
{
	static const char *const	 names[][2] = {
		{ "node_filesystem_size_bytes", "Filesystem size in bytes." },
		{ "node_filesystem_free_bytes",
		    "Filesystem free space in bytes." },
		{ "node_filesystem_avail_bytes",
		    "Filesystem space available to non-root users in bytes." },
		{ "node_filesystem_files", "Filesystem total file nodes." },
		{ "node_filesystem_files_free",
		    "Filesystem total free file nodes." },
		{ "node_filesystem_readonly", "Filesystem read-only status." },
		{ "node_filesystem_device_error",
		    "Whether an error occurred while getting statistics for "
		    "the given device." },
	};
	size_t				 k, i;

	if (!prom_have(h, VT_COL_MOUNTS))
		return;
	for (k = 0; k < VT_ARRAY_LEN(names); k++) {
		vt_prom_family(w, names[k][0], "gauge", names[k][1]);
		for (i = 0; i < h->mounts.n && i < VT_MAX_MOUNTS; i++) {
			const struct vt_mount	*m = &h->mounts.m[i];
			uint64_t		 v[VT_ARRAY_LEN(names)] = {
				m->size_bytes, m->free_bytes, m->avail_bytes,
				m->files, m->files_free, m->readonly ? 1 : 0,
				m->state == VT_FS_OK ? 0 : 1
			};

			/*
			 * Sizes need a statvfs that worked.  A mount statvfs
			 * never ran on (it is disabled) is left out entirely:
			 * device_error 1 would raise alerts for nothing.
			 */
			if (m->state == VT_FS_NOT_RUN ||
			    (k < PROM_FS_SIZES && m->state != VT_FS_OK))
				continue;
			vt_prom_begin(w);
			vt_prom_label(w, "device", m->device);
			vt_prom_label(w, "fstype", m->fstype);
			vt_prom_label(w, "mountpoint", m->mountpoint);
			vt_prom_end_u64(w, v[k]);
		}
	}
}

/* One node_netstat_<Section>_<Name> family, untyped as node_exporter's. */
static void
prom_netstat_one(struct vt_prom *w, const char *section, const char *field,
    uint64_t v)
{
	char	name[VT_PROM_NAMELEN], help[VT_PROM_HELPLEN];

	snprintf(name, sizeof(name), "node_netstat_%s_%s", section, field);
	if (w->names == VT_PROM_NAMES_SNAKE)
		prom_snake(name);
	if (!prom_valid_name(name))
		return;
	snprintf(help, sizeof(help), "Statistic %s%s.", section, field);
	vt_prom_family(w, name, "untyped", help);
	vt_prom_u64(w, v);
}

/*
 * node_exporter's netstat collector: the default subset of
 * /proc/net/netstat (collector "netstat"), then of /proc/net/snmp and
 * snmp6 (collector "snmp"), which keeps only that subset.
 */
static void
prom_netstat(struct vt_prom *w, const struct vt_host *h)
{
	size_t	i;

	if (prom_have(h, VT_COL_NETSTAT)) {
		for (i = 0; i < h->netstat.n && i < VT_NETSTAT_MAX; i++) {
			const struct vt_netstat_entry	*e = &h->netstat.e[i];

			if (!vt_netstat_field_default(vt_pf_cstr(e->section),
			    vt_pf_cstr(e->name)))
				continue;
			prom_netstat_one(w, e->section, e->name, e->value);
		}
	}
	if (prom_have(h, VT_COL_SNMP)) {
		for (i = 0; i < h->snmp.n && i < VT_SNMP_MAX; i++)
			prom_netstat_one(w, h->snmp.e[i].section,
			    h->snmp.e[i].name, h->snmp.e[i].value);
	}
}

static void
prom_tcp(struct vt_prom *w, const struct vt_host *h)
{
	int	s;

	if (!prom_have(h, VT_COL_TCP))
		return;
	vt_prom_family(w, "node_tcp_connection_states", "gauge",
	    "Number of connection states.");
	for (s = VT_TCP_ESTABLISHED; s < VT_TCP_NSTATES; s++) {
		vt_prom_begin(w);
		vt_prom_label(w, "state", vt_tcp_state_names[s]);
		vt_prom_end_u64(w, vt_tcp_states_total(&h->tcp,
		    (enum vt_tcp_state)s));
	}
	/* The count is paced on a busy host (tcp_diag.h). */
	vt_prom_family(w, "vitals_tcp_states_age_seconds", "gauge",
	    "Age of the TCP state counts in this sample.");
	vt_prom_dbl(w, h->tcp.counted_ms > 0 && h->ts_ms > h->tcp.counted_ms ?
	    (double)(h->ts_ms - h->tcp.counted_ms) / 1000.0 : 0.0);
}

static void
prom_pressure(struct vt_prom *w, const struct vt_host *h)
{
	size_t	k;

	if (!prom_have(h, VT_COL_PRESSURE))
		return;
	for (k = 0; k < VT_ARRAY_LEN(prom_psi); k++) {
		const struct vt_psi	*p = &h->pressure.res[prom_psi[k].res];

		if (!p->available)
			continue;
		vt_prom_family(w, prom_psi[k].waiting, "counter",
		    prom_psi[k].waiting_help);
		if (p->some.present)
			vt_prom_dbl(w, (double)p->some.total_us / 1e6);
		/* "full" for cpu: 5.13+ (always 0 system-wide, but shown). */
		vt_prom_family(w, prom_psi[k].stalled, "counter",
		    prom_psi[k].stalled_help);
		if (p->full.present)
			vt_prom_dbl(w, (double)p->full.total_us / 1e6);
	}
}

/*
 * node_exporter's netclass collector (1.5.0, the version Debian 12
 * ships): node_network_up and node_network_info for every interface,
 * then one gauge (or counter) per one-value file, for the interfaces
 * whose driver answered it.  Speed is Mbit/s * 125000 (bytes/s), -1
 * included as node_exporter writes it (-125000: unknown).
 */
static void
prom_netclass(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_netclass	*nc = &h->netclass;
	char				 name[VT_PROM_NAMELEN];
	char				 help[VT_PROM_HELPLEN];
	size_t				 i;
	int				 a;

	if (!prom_have(h, VT_COL_NETCLASS) || nc->n == 0)
		return;
	vt_prom_family(w, "node_network_up", "gauge",
	    "Value is 1 if operstate is 'up', 0 otherwise.");
	for (i = 0; i < nc->n; i++) {
		vt_prom_begin(w);
		vt_prom_label(w, "device", nc->i[i].name);
		vt_prom_end_u64(w, strcmp(nc->i[i].operstate, "up") == 0);
	}
	vt_prom_family(w, "node_network_info", "gauge",
	    "Non-numeric data from /sys/class/net/<iface>, value is always 1.");
	for (i = 0; i < nc->n; i++) {
		const struct vt_netclass_iface	*f = &nc->i[i];

		vt_prom_begin(w);
		vt_prom_label(w, "address", f->address);
		vt_prom_label(w, "broadcast", f->broadcast);
		vt_prom_label(w, "device", f->name);
		vt_prom_label(w, "duplex", f->duplex);
		vt_prom_label(w, "ifalias", f->ifalias);
		vt_prom_label(w, "operstate", f->operstate);
		vt_prom_end_u64(w, 1);
	}
	for (a = 0; a < VT_NC_NATTR; a++) {
		if (a == VT_NC_RX_NOHANDLER)	/* a netdev family */
			continue;
		snprintf(name, sizeof(name), "node_network_%s",
		    vt_nc_attrs[a].metric);
		snprintf(help, sizeof(help), "Network device property: %s",
		    vt_nc_attrs[a].metric);
		vt_prom_family(w, name, vt_nc_attrs[a].counter ? "counter" :
		    "gauge", help);
		for (i = 0; i < nc->n; i++) {
			const struct vt_netclass_iface	*f = &nc->i[i];

			if (!(f->have & (1u << a)))
				continue;
			vt_prom_begin(w);
			vt_prom_label(w, "device", f->name);
			if (a == VT_NC_SPEED)
				vt_prom_end_dbl(w, (double)f->v[a] * 125000.0);
			else
				vt_prom_end_dbl(w, (double)f->v[a]);
		}
	}
}

/* node_exporter's os collector: os-release's identity, and its version. */
static void
prom_os(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_os_release	*o = &h->os;
	int				 k;

	if (!prom_have(h, VT_COL_OS) || !o->present)
		return;
	vt_prom_family(w, "node_os_info", "gauge",
	    "A metric with a constant '1' value labeled by build_id, id, "
	    "id_like, image_id, image_version, name, pretty_name, variant, "
	    "variant_id, version, version_codename, version_id.");
	vt_prom_begin(w);
	for (k = 0; k < VT_OS_NKEYS; k++)
		vt_prom_label(w, vt_os_labels[k], o->v[k]);
	vt_prom_end_u64(w, 1);
	if (o->version <= 0)
		return;
	vt_prom_family(w, "node_os_version", "gauge",
	    "Metric containing the major.minor part of the OS version.");
	vt_prom_begin(w);
	vt_prom_label(w, "id", o->v[VT_OS_ID]);
	vt_prom_label(w, "id_like", o->v[VT_OS_ID_LIKE]);
	vt_prom_label(w, "name", o->v[VT_OS_NAME]);
	vt_prom_end_dbl(w, o->version);
}

/*
 * The process_* families of Prometheus' client libraries, for the
 * master: the process that samples and renders, and the one a service
 * manager watches.  Workers come and go (max_requests) and are counted by
 * the vitals_* families; summing them here would make a counter that
 * goes back when one is replaced.
 */
static void
prom_self(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_proc_self	*p = &h->self;
	double				 hz = h->hz > 0 ? (double)h->hz : 100.0;

	if (!prom_have(h, VT_COL_SELF))
		return;
	vt_prom_family(w, "process_cpu_seconds_total", "counter",
	    "Total user and system CPU time spent in seconds, by the Vitals "
	    "master process (not its workers).");
	vt_prom_dbl(w, (double)p->cpu_ticks / hz);
	vt_prom_family(w, "process_open_fds", "gauge",
	    "Number of open file descriptors of the Vitals master process.");
	vt_prom_u64(w, p->open_fds);
	vt_prom_family(w, "process_max_fds", "gauge",
	    "Maximum number of open file descriptors of the Vitals master "
	    "process.");
	vt_prom_dbl(w, (double)p->max_fds);
	vt_prom_family(w, "process_virtual_memory_bytes", "gauge",
	    "Virtual memory size in bytes of the Vitals master process.");
	vt_prom_u64(w, p->vsize_bytes);
	vt_prom_family(w, "process_virtual_memory_max_bytes", "gauge",
	    "Maximum amount of virtual memory available in bytes to the "
	    "Vitals master process.");
	vt_prom_dbl(w, (double)p->max_vsize_bytes);
	vt_prom_family(w, "process_resident_memory_bytes", "gauge",
	    "Resident memory size in bytes of the Vitals master process.");
	vt_prom_u64(w, p->rss_bytes);
	if (prom_have(h, VT_COL_STAT)) {
		vt_prom_family(w, "process_start_time_seconds", "gauge",
		    "Start time of the Vitals master process since unix epoch "
		    "in seconds.");
		vt_prom_dbl(w, (double)h->stat.btime +
		    (double)p->start_ticks / hz);
	}
}

/*
 * node_uname_info with all of uname(2)'s fields when the uname collector
 * read them, else the two every sample has.
 */
static void
prom_uname_time(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_uname	*u = &h->uname;

	vt_prom_family(w, "node_uname_info", "gauge",
	    "Labeled system information as provided by the uname system "
	    "call.");
	vt_prom_begin(w);
	if (prom_have(h, VT_COL_UNAME)) {
		vt_prom_label(w, "domainname", u->domainname);
		vt_prom_label(w, "machine", u->machine);
		vt_prom_label(w, "nodename", u->nodename);
		vt_prom_label(w, "release", u->release);
		vt_prom_label(w, "sysname", u->sysname);
		vt_prom_label(w, "version", u->version);
	} else {
		vt_prom_label(w, "nodename", h->hostname);
		vt_prom_label(w, "release", h->kernel);
		vt_prom_label(w, "sysname", "Linux");
	}
	vt_prom_end_u64(w, 1);
	vt_prom_family(w, "node_time_seconds", "gauge",
	    "System time in seconds since epoch (1970).");
	vt_prom_dbl(w, (double)h->ts_ms / 1000.0);
	prom_time(w, h);
}

/* The rest of node_exporter's time collector. */
static void
prom_time(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_time_info	*t = &h->time;
	char				 dev[24];
	size_t				 i, k;

	if (!prom_have(h, VT_COL_TIME))
		return;
	vt_prom_family(w, "node_time_zone_offset_seconds", "gauge",
	    "System time zone offset in seconds.");
	vt_prom_begin(w);
	vt_prom_label(w, "time_zone", t->zone);
	vt_prom_end_dbl(w, (double)t->zone_offset_s);
	vt_prom_family(w, "node_time_clocksource_available_info", "gauge",
	    "Available clocksources read from "
	    "'/sys/devices/system/clocksource'.");
	for (i = 0; i < t->ncs; i++)
		for (k = 0; k < t->cs[i].navail; k++) {
			snprintf(dev, sizeof(dev), "%zu", i);
			vt_prom_begin(w);
			vt_prom_label(w, "clocksource", t->cs[i].avail[k]);
			vt_prom_label(w, "device", dev);
			vt_prom_end_u64(w, 1);
		}
	vt_prom_family(w, "node_time_clocksource_current_info", "gauge",
	    "Current clocksource read from "
	    "'/sys/devices/system/clocksource'.");
	for (i = 0; i < t->ncs; i++) {
		snprintf(dev, sizeof(dev), "%zu", i);
		vt_prom_begin(w);
		vt_prom_label(w, "clocksource", t->cs[i].current);
		vt_prom_label(w, "device", dev);
		vt_prom_end_u64(w, 1);
	}
}

/*
 * node_exporter's hwmon collector: the samples come sorted by family,
 * then the two annotation families.
 */
static void
prom_hwmon(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_hwmon	*hw = &h->hwmon;
	size_t			 i;

	if (!prom_have(h, VT_COL_HWMON))
		return;
	for (i = 0; i < hw->n; i++) {
		const struct vt_hwmon_sample	*s = &hw->s[i];

		if (i == 0 || strcmp(s->family, hw->s[i - 1].family) != 0)
			vt_prom_family(w, s->family, s->counter ? "counter" :
			    "gauge", s->help);
		vt_prom_begin(w);
		vt_prom_label(w, "chip", hw->chips[s->chip].name);
		vt_prom_label(w, "sensor", s->sensor);
		vt_prom_end_dbl(w, s->v);
	}
	vt_prom_family(w, "node_hwmon_chip_names", "gauge",
	    "Annotation metric for human-readable chip names");
	for (i = 0; i < hw->nchips; i++) {
		if (hw->chips[i].chip_name[0] == '\0')
			continue;
		vt_prom_begin(w);
		vt_prom_label(w, "chip", hw->chips[i].name);
		vt_prom_label(w, "chip_name", hw->chips[i].chip_name);
		vt_prom_end_u64(w, 1);
	}
	vt_prom_family(w, "node_hwmon_sensor_label", "gauge",
	    "Label for given chip and sensor");
	for (i = 0; i < hw->nlabels; i++) {
		vt_prom_begin(w);
		vt_prom_label(w, "chip", hw->chips[hw->labels[i].chip].name);
		vt_prom_label(w, "label", hw->labels[i].label);
		vt_prom_label(w, "sensor", hw->labels[i].sensor);
		vt_prom_end_u64(w, 1);
	}
}

/* node_exporter's thermal_zone collector. */
static void
prom_thermal(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_thermal	*t = &h->thermal;
	size_t			 i, k;

	if (!prom_have(h, VT_COL_THERMAL))
		return;
	vt_prom_family(w, "node_thermal_zone_temp", "gauge",
	    "Zone temperature in Celsius");
	for (i = 0; i < t->nz; i++) {
		vt_prom_begin(w);
		vt_prom_label(w, "type", t->z[i].type);
		vt_prom_label(w, "zone", t->z[i].name);
		vt_prom_end_dbl(w, (double)t->z[i].temp_milli / 1000.0);
	}
	for (k = 0; k < 2; k++) {
		vt_prom_family(w, k == 0 ? "node_cooling_device_cur_state" :
		    "node_cooling_device_max_state", "gauge", k == 0 ?
		    "Current throttle state of the cooling device" :
		    "Maximum throttle state of the cooling device");
		for (i = 0; i < t->nc; i++) {
			vt_prom_begin(w);
			vt_prom_label(w, "name", t->c[i].name);
			vt_prom_label(w, "type", t->c[i].type);
			vt_prom_end_dbl(w, (double)(k == 0 ? t->c[i].cur_state :
			    t->c[i].max_state));
		}
	}
}

/* node_exporter's timex collector: names, HELP and types as its. */
static void
prom_timex(struct vt_prom *w, const struct vt_host *h)
{
	static const struct {
		const char	*name, *type, *help;
		size_t		 off;
	} f[] = {
#define TX(n, t, d, m)	\
		{ "node_timex_" n, t, d, offsetof(struct vt_timex, m) }
		TX("offset_seconds", "gauge", "Time offset in between local "
		    "system and reference clock.", offset_s),
		TX("frequency_adjustment_ratio", "gauge", "Local clock "
		    "frequency adjustment.", frequency_ratio),
		TX("maxerror_seconds", "gauge", "Maximum error in seconds.",
		    maxerror_s),
		TX("estimated_error_seconds", "gauge", "Estimated error in "
		    "seconds.", esterror_s),
		TX("status", "gauge", "Value of the status array bits.",
		    status),
		TX("loop_time_constant", "gauge", "Phase-locked loop time "
		    "constant.", loop_time_constant),
		TX("tick_seconds", "gauge", "Seconds between clock ticks.",
		    tick_s),
		TX("pps_frequency_hertz", "gauge", "Pulse per second "
		    "frequency.", pps_frequency_hz),
		TX("pps_jitter_seconds", "gauge", "Pulse per second jitter.",
		    pps_jitter_s),
		TX("pps_shift_seconds", "gauge", "Pulse per second interval "
		    "duration.", pps_shift_s),
		TX("pps_stability_hertz", "gauge", "Pulse per second "
		    "stability, average of recent frequency changes.",
		    pps_stability_hz),
		TX("pps_jitter_total", "counter", "Pulse per second count of "
		    "jitter limit exceeded events.", pps_jitter_total),
		TX("pps_calibration_total", "counter", "Pulse per second count "
		    "of calibration intervals.", pps_calibration_total),
		TX("pps_error_total", "counter", "Pulse per second count of "
		    "calibration errors.", pps_error_total),
		TX("pps_stability_exceeded_total", "counter", "Pulse per "
		    "second count of stability limit exceeded events.",
		    pps_stability_exceeded_total),
		TX("tai_offset_seconds", "gauge", "International Atomic Time "
		    "(TAI) offset.", tai_offset_s),
#undef TX
	};
	size_t	i;

	if (!prom_have(h, VT_COL_TIMEX) || !h->timex.have)
		return;
	vt_prom_family(w, "node_timex_sync_status", "gauge",
	    "Is clock synchronized to a reliable server (1 = yes, 0 = no).");
	vt_prom_u64(w, (uint64_t)h->timex.sync_status);
	for (i = 0; i < VT_ARRAY_LEN(f); i++) {
		vt_prom_family(w, f[i].name, f[i].type, f[i].help);
		vt_prom_dbl(w, *(const double *)(const void *)
		    ((const char *)&h->timex + f[i].off));
	}
}

/*
 * One series per TCP address and port: sockets sharing both (SO_REUSEPORT
 * groups) are summed, so no two series have the same labels.  The pool's
 * Unix socket has its own families (vitals_listen_queue).
 */
static void
prom_listeners(struct vt_prom *w, const struct vt_host *h)
{
	static const char *const	names[2] = { "vitals_listener_queue",
					    "vitals_listener_backlog" };
	static const char *const	helps[2] = {
		"Connections waiting to be accepted by each TCP listener.",
		"Accept queue size (backlog) of each TCP listener.",
	};
	const struct vt_listeners	*l = &h->listeners;
	char				 port[8];
	size_t				 i, j, n = l->n;
	uint64_t			 v;
	int				 k, dup;

	if (n > VT_MAX_LISTENERS)
		n = VT_MAX_LISTENERS;
	for (k = 0; k < 2; k++) {
		vt_prom_family(w, names[k], "gauge", helps[k]);
		for (i = 0; i < n; i++) {
			const struct vt_listen_entry	*e = &l->l[i];

			if (e->family != AF_INET && e->family != AF_INET6)
				continue;
			for (j = 0, dup = 0; j < i && !dup; j++)
				dup = l->l[j].port == e->port &&
				    l->l[j].family == e->family &&
				    strncmp(l->l[j].address, e->address,
				    VT_LISTENER_ADDRLEN) == 0;
			if (dup)
				continue;
			for (j = i, v = 0; j < n; j++)
				if (l->l[j].port == e->port &&
				    l->l[j].family == e->family &&
				    strncmp(l->l[j].address, e->address,
				    VT_LISTENER_ADDRLEN) == 0)
					v += k == 0 ? l->l[j].queue :
					    l->l[j].backlog;
			snprintf(port, sizeof(port), "%u", (unsigned)e->port);
			vt_prom_begin(w);
			vt_prom_label(w, "address", e->address);
			vt_prom_label(w, "port", port);
			vt_prom_end_u64(w, v);
		}
	}
}

/* node_exporter's filefd collector: gauges. */
static void
prom_filefd(struct vt_prom *w, const struct vt_host *h)
{
	if (!prom_have(h, VT_COL_FILE_NR))
		return;
	vt_prom_family(w, "node_filefd_allocated", "gauge",
	    "File descriptor statistics: allocated.");
	vt_prom_u64(w, h->filenr.allocated);
	vt_prom_family(w, "node_filefd_maximum", "gauge",
	    "File descriptor statistics: maximum.");
	vt_prom_u64(w, h->filenr.max);
}

/*
 * node_exporter's vmstat collector: untyped, in the order of the file,
 * its default fields ^(oom_kill|pgpg|pswp|pg.*fault).*.
 */
static void
prom_vmstat(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_proc_vmstat	*v = &h->vmstat;
	const struct {
		const char	*name;
		uint64_t	 value;
	} f[] = {
		{ "pgpgin", v->pgpgin },
		{ "pgpgout", v->pgpgout },
		{ "pswpin", v->pswpin },
		{ "pswpout", v->pswpout },
		{ "pgfault", v->pgfault },
		{ "pgmajfault", v->pgmajfault },
		{ "oom_kill", v->oom_kill },
	};
	char	name[VT_PROM_NAMELEN], help[VT_PROM_HELPLEN];
	size_t	i;

	if (!prom_have(h, VT_COL_VMSTAT))
		return;
	for (i = 0; i < VT_ARRAY_LEN(f); i++) {
		if (strcmp(f[i].name, "oom_kill") == 0 && !v->have_oom_kill)
			continue;
		snprintf(name, sizeof(name), "node_vmstat_%s", f[i].name);
		snprintf(help, sizeof(help),
		    "/proc/vmstat information field %s.", f[i].name);
		vt_prom_family(w, name, "untyped", help);
		vt_prom_u64(w, f[i].value);
	}
}

/*
 * node_exporter's sockstat collector, one file: node_sockstat_<PROTO>_<key>
 * for each key the line has (inuse always: procfs reads a missing one as
 * 0), and _mem_bytes after the keys where there is a mem.  Gauges.
 */
static void
prom_sockstat_file(struct vt_prom *w, const struct vt_sockstat *s)
{
	char	name[VT_PROM_NAMELEN], help[VT_PROM_HELPLEN];
	size_t	i;
	int	f;

	for (i = 0; i < s->n && i < VT_SOCKSTAT_MAX; i++) {
		const struct vt_sockstat_proto	*p = &s->p[i];

		for (f = 0; f <= VT_SS_NFIELDS; f++) {
			const char	*key = f < VT_SS_NFIELDS ?
			    vt_sockstat_field_names[f] : "mem_bytes";
			int		 bit = f < VT_SS_NFIELDS ? f : VT_SS_MEM;

			if (f != VT_SS_INUSE && !(p->have & (1u << bit)))
				continue;
			snprintf(name, sizeof(name), "node_sockstat_%.*s_%s",
			    VT_SOCKSTAT_NAMELEN, p->name, key);
			if (w->names == VT_PROM_NAMES_SNAKE)
				prom_snake(name);
			if (!prom_valid_name(name))
				break;
			snprintf(help, sizeof(help),
			    "Number of %.*s sockets in state %s.",
			    VT_SOCKSTAT_NAMELEN, p->name, key);
			vt_prom_family(w, name, "gauge", help);
			vt_prom_u64(w, f < VT_SS_NFIELDS ? p->v[f] :
			    p->mem_bytes);
		}
	}
}

/* node_exporter's sockstat collector: sockstat, then sockstat6. */
static void
prom_sockstat(struct vt_prom *w, const struct vt_host *h)
{
	if (!prom_have(h, VT_COL_SOCKSTAT))
		return;
	if (h->sockstat.v4.has_used) {
		vt_prom_family(w, "node_sockstat_sockets_used", "gauge",
		    "Number of IPv4 sockets in use.");
		vt_prom_u64(w, h->sockstat.v4.used);
	}
	prom_sockstat_file(w, &h->sockstat.v4);
	if (h->sockstat.has_v6)
		prom_sockstat_file(w, &h->sockstat.v6);
}

/*
 * node_exporter's softnet collector: counters per line of the file, its
 * line number as the "cpu" label (see proc_net_softnet.h).
 */
static void
prom_softnet(struct vt_prom *w, const struct vt_host *h)
{
	static const struct {
		const char	*name;
		const char	*help;
		size_t		 off;
	} fam[] = {
		{ "node_softnet_processed_total", "Number of processed packets",
		    offsetof(struct vt_softnet_cpu, processed) },
		{ "node_softnet_dropped_total", "Number of dropped packets",
		    offsetof(struct vt_softnet_cpu, dropped) },
		{ "node_softnet_times_squeezed_total",
		    "Number of times processing packets ran out of quota",
		    offsetof(struct vt_softnet_cpu, time_squeezed) },
	};
	const struct vt_proc_net_softnet	*s = &h->softnet;
	char					 cpu[24];
	uint32_t				 v;
	size_t					 f, i;

	if (!prom_have(h, VT_COL_SOFTNET))
		return;
	for (f = 0; f < VT_ARRAY_LEN(fam); f++) {
		vt_prom_family(w, fam[f].name, "counter", fam[f].help);
		for (i = 0; i < s->n && i < VT_MAX_CPUS; i++) {
			memcpy(&v, (const char *)&s->cpu[i] + fam[f].off,
			    sizeof(v));
			snprintf(cpu, sizeof(cpu), "%zu", i);
			vt_prom_begin(w);
			vt_prom_label(w, "cpu", cpu);
			vt_prom_end_u64(w, v);
		}
	}
}

/*
 * node_exporter's entropy collector: gauges, in bits.  promtool wants
 * bytes for "_bits", so with metric_names = snake_case the unit word is
 * left out (node_entropy_available): the same value, no finding.
 */
static void
prom_entropy(struct vt_prom *w, const struct vt_host *h)
{
	int	snake = w->names == VT_PROM_NAMES_SNAKE;

	if (!prom_have(h, VT_COL_ENTROPY))
		return;
	vt_prom_family(w, snake ? "node_entropy_available" :
	    "node_entropy_available_bits", "gauge",
	    "Bits of available entropy.");
	vt_prom_u64(w, h->entropy.avail_bits);
	vt_prom_family(w, snake ? "node_entropy_pool_size" :
	    "node_entropy_pool_size_bits", "gauge",
	    "Bits of entropy pool.");
	vt_prom_u64(w, h->entropy.pool_bits);
}

/*
 * node_exporter's udp_queues collector: one gauge family, bytes queued,
 * labelled by queue and IP version, for each file that exists.
 */
static void
prom_udp_queues(struct vt_prom *w, const struct vt_host *h)
{
	const struct {
		int				 have;
		const char			*ip;
		const struct vt_udp_summary	*s;
	} v[] = {
		{ h->udp.has_v4, "v4", &h->udp.v4 },
		{ h->udp.has_v6, "v6", &h->udp.v6 },
	};
	size_t	i;

	if (!prom_have(h, VT_COL_UDP_QUEUES))
		return;
	vt_prom_family(w, "node_udp_queues", "gauge",
	    "Number of allocated memory in the kernel for UDP datagrams in "
	    "bytes.");
	for (i = 0; i < VT_ARRAY_LEN(v); i++) {
		if (!v[i].have)
			continue;
		vt_prom_begin(w);
		vt_prom_label(w, "ip", v[i].ip);
		vt_prom_label(w, "queue", "rx");
		vt_prom_end_u64(w, v[i].s->rx_queue);
		vt_prom_begin(w);
		vt_prom_label(w, "ip", v[i].ip);
		vt_prom_label(w, "queue", "tx");
		vt_prom_end_u64(w, v[i].s->tx_queue);
	}
}

/* node_exporter's arp collector: a gauge per device. */
static void
prom_arp(struct vt_prom *w, const struct vt_host *h)
{
	char	dev[VT_ARP_DEVLEN];
	size_t	i;

	if (!prom_have(h, VT_COL_ARP))
		return;
	vt_prom_family(w, "node_arp_entries", "gauge", "ARP entries by device");
	for (i = 0; i < h->arp.n && i < VT_MAX_IFACES; i++) {
		snprintf(dev, sizeof(dev), "%.*s", VT_ARP_DEVLEN - 1,
		    h->arp.d[i].device);
		vt_prom_begin(w);
		vt_prom_label(w, "device", dev);
		vt_prom_end_u64(w, h->arp.d[i].entries);
	}
}

/*
 * node_exporter's selinux collector: enabled, and the two modes (gauges:
 * -1, 0 or 1) only when it is.
 */
static void
prom_selinux(struct vt_prom *w, const struct vt_host *h)
{
	const struct vt_selinux	*se = &h->selinux;

	if (!prom_have(h, VT_COL_SELINUX))
		return;
	vt_prom_family(w, "node_selinux_enabled", "gauge",
	    "SELinux is enabled, 1 is true, 0 is false");
	vt_prom_u64(w, se->enabled ? 1 : 0);
	if (!se->enabled)
		return;
	vt_prom_family(w, "node_selinux_config_mode", "gauge",
	    "Configured SELinux enforcement mode");
	vt_prom_dbl(w, se->config_mode);
	vt_prom_family(w, "node_selinux_current_mode", "gauge",
	    "Current SELinux enforcement mode");
	vt_prom_dbl(w, se->current_mode);
}

/*
 * node_exporter's conntrack collector: gauges, the counters too (as
 * node_exporter 1.5 types them).  Nothing without the module.
 */
static void
prom_conntrack(struct vt_prom *w, const struct vt_host *h)
{
	static const char *const help[VT_CT_NSTATS] = {
		[VT_CT_FOUND] = "Number of searched entries which were "
		    "successful.",
		[VT_CT_INVALID] = "Number of packets seen which can not be "
		    "tracked.",
		[VT_CT_IGNORE] = "Number of packets seen which are already "
		    "connected to a conntrack entry.",
		[VT_CT_INSERT] = "Number of entries inserted into the list.",
		[VT_CT_INSERT_FAILED] = "Number of entries for which list "
		    "insertion was attempted but failed.",
		[VT_CT_DROP] = "Number of packets dropped due to conntrack "
		    "failure.",
		[VT_CT_EARLY_DROP] = "Number of dropped conntrack entries to "
		    "make room for new ones, if maximum table size was "
		    "reached.",
		[VT_CT_SEARCH_RESTART] = "Number of conntrack table lookups "
		    "which had to be restarted due to hashtable resizes.",
	};
	const struct vt_conntrack	*c = &h->conntrack;
	char				 name[VT_PROM_NAMELEN];
	int				 k;

	if (!prom_have(h, VT_COL_CONNTRACK) || !c->present)
		return;
	vt_prom_family(w, "node_nf_conntrack_entries", "gauge",
	    "Number of currently allocated flow entries for connection "
	    "tracking.");
	vt_prom_u64(w, c->entries);
	vt_prom_family(w, "node_nf_conntrack_entries_limit", "gauge",
	    "Maximum size of connection tracking table.");
	vt_prom_u64(w, c->limit);
	if (!c->has_stat)
		return;
	for (k = 0; k < VT_CT_NSTATS; k++) {
		snprintf(name, sizeof(name), "node_nf_conntrack_stat_%s",
		    vt_ct_stat_names[k]);
		vt_prom_family(w, name, "gauge", help[k]);
		vt_prom_u64(w, c->stat[k]);
	}
}

/* One family with a series per host collector, labeled by its name. */
static void
prom_per_collector(struct vt_prom *w, const struct vt_host *h,
    const char *name, const char *type, const char *help,
    enum prom_col_figure fig)
{
	int	c;

	vt_prom_family(w, name, type, help);
	for (c = 0; c < VT_COL_N; c++) {
		vt_prom_begin(w);
		vt_prom_label(w, "collector", vt_collector_names[c]);
		if (fig == PROM_COL_DURATION)
			vt_prom_end_dbl(w, h->st.col_duration_s[c]);
		else if (fig == PROM_COL_ERRORS)
			vt_prom_end_u64(w, h->st.col_errors[c]);
		else
			vt_prom_end_u64(w, prom_have(h,
			    (enum vt_collector)c));
	}
}

static void
prom_sampler(struct vt_prom *w, const struct vt_host *h)
{
	vt_prom_family(w, "vitals_sampler_duration_seconds", "gauge",
	    "Wall time the latest host sample took to collect.");
	vt_prom_dbl(w, h->st.duration_s);
	vt_prom_family(w, "vitals_sampler_samples_total", "counter",
	    "Host samples taken since the pool started.");
	vt_prom_u64(w, h->st.samples);
	vt_prom_family(w, "vitals_sampler_cpu_seconds_total", "counter",
	    "CPU time used by the master process, which runs the sampler.");
	vt_prom_dbl(w, (double)h->st.cpu_time_us / 1e6);
	prom_per_collector(w, h, "vitals_collector_success", "gauge",
	    "Whether each host collector succeeded in the latest sample.",
	    PROM_COL_SUCCESS);
	prom_per_collector(w, h, "vitals_collector_duration_seconds", "gauge",
	    "Wall time each host collector took in the latest sample.",
	    PROM_COL_DURATION);
	prom_per_collector(w, h, "vitals_collector_errors_total", "counter",
	    "Failures of each host collector since the pool started.",
	    PROM_COL_ERRORS);
	/*
	 * node_exporter's own pair, per Vitals collector (their names are
	 * Vitals', listed in the README): a dashboard or an alert on
	 * node_scrape_collector_success == 0 works unchanged.
	 */
	prom_per_collector(w, h, "node_scrape_collector_duration_seconds",
	    "gauge", "node_exporter: Duration of a collector scrape.",
	    PROM_COL_DURATION);
	prom_per_collector(w, h, "node_scrape_collector_success", "gauge",
	    "node_exporter: Whether a collector succeeded.", PROM_COL_SUCCESS);
	vt_prom_family(w, "vitals_filesystem_statvfs_timeouts_total", "counter",
	    "Filesystems whose statvfs missed the deadline, since the pool "
	    "started.");
	vt_prom_u64(w, h->st.fs_timeouts);
}

int
vt_render_prom(const struct vt_host *h, enum vt_prom_names names,
    struct vt_buf *out)
{
	struct vt_prom	w;

	vt_prom_init(&w, out, names);
	prom_stat(&w, h);
	prom_loadavg(&w, h);
	prom_meminfo(&w, h);
	prom_netdev(&w, h);
	prom_diskstats(&w, h);
	prom_filesystem(&w, h);
	prom_netstat(&w, h);
	prom_tcp(&w, h);
	prom_pressure(&w, h);
	prom_filefd(&w, h);
	prom_vmstat(&w, h);
	/* node_exporter's /proc/net collectors (issue 12, part A). */
	prom_sockstat(&w, h);
	prom_softnet(&w, h);
	prom_entropy(&w, h);
	prom_udp_queues(&w, h);
	prom_arp(&w, h);
	prom_conntrack(&w, h);
	prom_selinux(&w, h);
	prom_listeners(&w, h);
	prom_netclass(&w, h);
	prom_os(&w, h);
	prom_uname_time(&w, h);
	prom_timex(&w, h);
	prom_hwmon(&w, h);
	prom_thermal(&w, h);
	prom_self(&w, h);
	prom_sampler(&w, h);
	return vt_prom_finish(&w);
}

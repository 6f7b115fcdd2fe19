/*
 * html.c: the dashboard page and HTML escaping (see html.h).
 *
 * The page is written straight into the caller's buffer: literal markup
 * through hw_raw(), strings from the document only through hw_text()
 * (escaped and cut at VT_HTML_STR_MAX), numbers through html_fmt().  The
 * formats match the ones of app/static/dashboard.js (fmt() there), so a
 * figure reads the same before and after the script updates it: unknown
 * is an em dash, sizes and rates are IEC (KiB, MiB, GiB), values are
 * rounded half up before printing.  Every figure is a member of the
 * document: the sums and used sizes were derived once by the sampler
 * (app/derive.c), and nothing here computes them again.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/listeners.h"
#include "render/html.h"
#include "render/utf8.h"
#include "vitals.h"

#define HTML_DASH	"\xe2\x80\x94"		/* U+2014, for unknown */
#define HTML_REPL	"\xef\xbf\xbd"		/* U+FFFD */

/* The value formats; their names are the data-f attributes. */
enum html_fmt {
	F_STR,		/* a string, as is */
	F_INT,		/* a count: 1234 */
	F_PCT,		/* a percentage: 12.3 % */
	F_LOAD,		/* a load average: 0.24 */
	F_BYTES,	/* a size: 1.50 GiB */
	F_RATE,		/* bytes per second: 12.3 MiB/s */
	F_PS,		/* events per second: 96/s */
	F_DUR,		/* seconds as a duration: 3 d 4 h */
	F_MS,		/* milliseconds as a latency: 1.2 ms */
	F_AGE		/* milliseconds as an age: 0.4 s */
};

static const char *const html_fmt_names[] = {
	[F_STR] = "str", [F_INT] = "int", [F_PCT] = "pct", [F_LOAD] = "load",
	[F_BYTES] = "bytes", [F_RATE] = "rate", [F_PS] = "ps",
	[F_DUR] = "dur", [F_MS] = "ms", [F_AGE] = "age"
};

/* The checks block's bounds. */
#define HTML_CHECKS_MAX		32

/* A check's state, in the order of its weight. */
enum html_state {
	S_OK,
	S_UNKNOWN,
	S_WARNING,
	S_CRITICAL
};

static const struct {
	const char	*name, *word, *glyph;
} html_states[] = {
	/* U+2714 heavy check mark, U+25B2 triangle, U+2716 heavy x */
	[S_OK] = { "ok", "OK", "\xe2\x9c\x94" },
	[S_UNKNOWN] = { "unknown", "Unknown", "?" },
	[S_WARNING] = { "warning", "Warning", "\xe2\x96\xb2" },
	[S_CRITICAL] = { "critical", "Critical", "\xe2\x9c\x96" }
};

/* The checks, in the order of the checks block, as the page names them. */
static const struct {
	const char	*name, *label;
} html_check_names[] = {
	{ "database", "Database" }, { "pool_queue", "Pool queue" },
	{ "pool_restarts", "Pool restarts" }, { "listeners", "Listeners" },
	{ "listen_overflows", "Listen overflows" },
	{ "close_wait", "CLOSE_WAIT" }, { "filesystem", "Filesystems" },
	{ "memory", "Memory" }, { "cpu", "CPU" },
	{ "file_descriptors", "File descriptors" }, { "sampler", "Sampler" }
};

/*
 * Where a check's "chart" leads: the database panel, the pool, the TCP
 * chart (established and CLOSE_WAIT) for the network's checks, the
 * filesystems for the disk's, the memory and CPU charts.  The same
 * table is CHART_TARGETS in dashboard.js.
 */
static const struct {
	const char	*chart, *id;
} html_chart_ids[] = {
	{ "db", "database" }, { "pool", "pool" }, { "net", "fig-tcp" },
	{ "disk", "fs" }, { "mem", "fig-memory" }, { "cpu", "fig-cpu" }
};

/* The shared /health result's categories, as the database panel says them. */
static const struct {
	const char	*status, *word;
	enum html_state	 state;
} html_health[] = {
	{ "ok", "OK", S_OK },
	{ "unreachable", "Unreachable", S_CRITICAL },
	{ "timeout", "Not answering in time", S_CRITICAL },
	{ "auth", "Access denied", S_CRITICAL },
	{ "schema", "Wrong schema", S_CRITICAL },
	{ "error", "Error", S_CRITICAL },
	{ "unknown", "Not checked yet", S_UNKNOWN }
};

/* One item of the checks block, as the page shows it. */
struct html_item {
	struct json_object	*o;
	const char		*name, *summary;
	enum html_state		 state;
	double			 since_ms;
	int			 have_since;
	char			 text[96];	/* the sampler's own summary */
};

/* A listener's place in the array and its fill, for sorting. */
struct html_fill_ref {
	size_t	i;
	double	fill;
	int	known;
};

/* Builder state: the first failure sticks and is checked at the end. */
struct hw {
	struct vt_buf  *out;
	int		err;
	size_t		start;		/* where the page begins in out */
	size_t	       *age_at;		/* split: where the age's text goes */
	double		now_ms;		/* the sample's time, plus its age */
	double		age_ms;		/* the sample's age, when known */
	int		have_now;
	int		have_age;
};

static int	html_control(const unsigned char *p, size_t n);
static double	html_round(double v, int dec);
static void	html_fmt(double v, enum html_fmt f, char *dst, size_t len);
static struct json_object *html_get(struct json_object *o,
		    const char *path);
static int	html_num(struct json_object *o, const char *path, double *v);
static const char *html_str(struct json_object *o, const char *path);
static int	html_from_master(struct json_object *doc);
static void	hw_raw(struct hw *w, const char *s);
static void	hw_printf(struct hw *w, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
static void	hw_text(struct hw *w, const char *s);
static void	hw_value(struct hw *w, int known, double v, enum html_fmt f);
static void	hw_fig(struct hw *w, struct json_object *doc,
		    const char *path, enum html_fmt f);
static void	hw_cell(struct hw *w, struct json_object *o,
		    const char *path, enum html_fmt f);
static void	hw_empty(struct hw *w, int cols, const char *what);
static void	html_head(struct hw *w, struct json_object *doc);
static void	html_now(struct hw *w, struct json_object *doc);
static void	html_history(struct hw *w);
static void	html_table_begin(struct hw *w, const char *id,
		    const char *cls, const char *title, const char *cols);
static void	html_table_end(struct hw *w);
static void	html_network(struct hw *w, struct json_object *doc);
static void	html_filesystems(struct hw *w, struct json_object *doc);
static void	html_disks(struct hw *w, struct json_object *doc);
static void	html_tcp(struct hw *w, struct json_object *doc);
static void	html_pool_item(struct hw *w, struct json_object *doc,
		    const char *title, const char *path);
static void	html_pool(struct hw *w, struct json_object *doc);
static void	html_top(struct hw *w, struct json_object *doc,
		    const char *key, const char *id);
static void	html_processes(struct hw *w, struct json_object *doc);
static enum html_state html_state_of(const char *s);
static const char *html_check_label(const char *name);
static const char *html_chart_target(const char *chart);
static int	html_item(struct hw *w, struct json_object *items, size_t i,
		    struct html_item *it);
static void	hw_state(struct hw *w, enum html_state st, const char *word);
static void	hw_check_name(struct hw *w, const char *name);
static void	hw_ago(struct hw *w, int known, double ms);
static void	html_verdict(struct hw *w, struct json_object *doc);
static void	html_checks(struct hw *w, struct json_object *doc);
static void	html_database(struct hw *w, struct json_object *doc);
static int	html_fill(struct json_object *o, double *v);
static int	html_fill_cmp(const void *a, const void *b);
static void	html_listeners(struct hw *w, struct json_object *doc);
static int	html_page(struct json_object *doc, struct vt_buf *out,
		    size_t *age_at);

/*
 * A control character HTML does not want in text: C0 but tab, newline
 * and carriage return (NUL included), DEL, and C1 (U+0080 to U+009F).
 */
static int
html_control(const unsigned char *p, size_t n)
{
	if (n == 1)
		return (p[0] < 0x20 && p[0] != '\t' && p[0] != '\n' &&
		    p[0] != '\r') || p[0] == 0x7f;
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

int
vt_html_escape(const char *s, size_t len, struct vt_buf *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*rep;
	size_t			 start = out->len, i = 0, run = 0, n;
	int			 rc = VT_OK;

	while (i < len && rc == VT_OK) {
		switch (p[i]) {
		case '&':
			rep = "&amp;";
			n = 1;
			break;
		case '<':
			rep = "&lt;";
			n = 1;
			break;
		case '>':
			rep = "&gt;";
			n = 1;
			break;
		case '"':
			rep = "&quot;";
			n = 1;
			break;
		case '\'':
			rep = "&#39;";
			n = 1;
			break;
		default:
			rep = NULL;
			n = vt_utf8_seq(p + i, len - i);
			if (n == 0) {
				/* One bad byte, one replacement character. */
				rep = HTML_REPL;
				n = 1;
			} else if (html_control(p + i, n))
				rep = HTML_REPL;
			break;
		}
		if (rep == NULL) {
			i += n;
			continue;
		}
		if (i > run)
			rc = vt_buf_add(out, s + run, i - run);
		if (rc == VT_OK)
			rc = vt_buf_adds(out, rep);
		i += n;
		run = i;
	}
	if (rc == VT_OK && len > run)
		rc = vt_buf_add(out, s + run, len - run);
	if (rc == VT_ERR)
		vt_buf_truncate(out, start);
	return rc;
}

int
vt_html_escapes(const char *s, struct vt_buf *out)
{
	return vt_html_escape(s, strlen(s), out);
}

/*
 * Round half up to dec decimals, as Math.round does for the positive
 * values shown here; + 0.0 turns -0 into 0, as toFixed() prints it.
 */
static double
html_round(double v, int dec)
{
	double	p = pow(10, dec);

	return round(v * p) / p + 0.0;
}

/*
 * Write v in format f.  The same rules as fmt() in dashboard.js: change
 * both or neither.
 */
static void
html_fmt(double v, enum html_fmt f, char *dst, size_t len)
{
	static const char *const	units[] = { "B", "KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB" };
	size_t				u = 0;
	int				dec;
	long long			s, d, h, m;

	if (!isfinite(v)) {
		snprintf(dst, len, "%s", HTML_DASH);
		return;
	}
	switch (f) {
	case F_PCT:
		snprintf(dst, len, "%.1f %%", html_round(v, 1));
		return;
	case F_LOAD:
		snprintf(dst, len, "%.2f", html_round(v, 2));
		return;
	case F_PS:
		snprintf(dst, len, "%.0f/s", html_round(v, 0));
		return;
	case F_BYTES:
	case F_RATE:
		while (fabs(v) >= 1024 && u + 1 < VT_ARRAY_LEN(units)) {
			v /= 1024;
			u++;
		}
		dec = u == 0 ? 0 : fabs(v) < 10 ? 2 : fabs(v) < 100 ? 1 : 0;
		snprintf(dst, len, "%.*f %s%s", dec, html_round(v, dec),
		    units[u], f == F_RATE ? "/s" : "");
		return;
	case F_MS:
		if (fabs(v) < 10) {
			snprintf(dst, len, "%.1f ms", html_round(v, 1));
			return;
		}
		if (v < 10000) {
			snprintf(dst, len, "%.0f ms", html_round(v, 0));
			return;
		}
		/* FALLTHROUGH */
	case F_AGE:
		if (v < 10000) {
			snprintf(dst, len, "%.1f s", html_round(v / 1000, 1));
			return;
		}
		v /= 1000;
		/* FALLTHROUGH */
	case F_DUR:
		/* Bounded, so the conversion is defined (and years enough). */
		s = (long long)floor(v < 0 ? 0 : v > 1e15 ? 1e15 : v);
		d = s / 86400;
		h = s % 86400 / 3600;
		m = s % 3600 / 60;
		if (d > 0)
			snprintf(dst, len, "%lld d %lld h", d, h);
		else if (h > 0)
			snprintf(dst, len, "%lld h %lld min", h, m);
		else if (m > 0)
			snprintf(dst, len, "%lld min %lld s", m, s % 60);
		else
			snprintf(dst, len, "%lld s", s);
		return;
	case F_INT:
	case F_STR:
	default:
		snprintf(dst, len, "%.0f", html_round(v, 0));
		return;
	}
}

/* The member at a dotted path ("cpu.total.busy_percent"), or NULL. */
static struct json_object *
html_get(struct json_object *o, const char *path)
{
	char	key[64];
	size_t	n;

	while (o != NULL && *path != '\0') {
		n = strcspn(path, ".");
		if (n >= sizeof(key) ||
		    !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n;
		if (*path == '.')
			path++;
	}
	return o;
}

/* 1 and *v when the member is a number, else 0 (null, absent, other). */
static int
html_num(struct json_object *o, const char *path, double *v)
{
	o = html_get(o, path);
	if (!json_object_is_type(o, json_type_int) &&
	    !json_object_is_type(o, json_type_double))
		return 0;
	*v = json_object_get_double(o);
	return isfinite(*v);
}

/* The member when it is a string, else NULL. */
static const char *
html_str(struct json_object *o, const char *path)
{
	o = html_get(o, path);
	return json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : NULL;
}

/* 1 when the member is the boolean true, else 0. */
static int
html_bool(struct json_object *o, const char *path)
{
	o = html_get(o, path);
	return json_object_is_type(o, json_type_boolean) &&
	    json_object_get_boolean(o);
}

/*
 * The master's own page (app/fallback.c), served by nginx because the
 * pool did not answer: it says so, in the banner's note and the header
 * (dashboard.js writes the same words when a poll gets the fallback).
 */
#define HTML_MASTER_NOTE "The pool is not answering: this verdict is " \
	"the master\xe2\x80\x99s, served by nginx."

static int
html_from_master(struct json_object *doc)
{
	const char     *s = html_str(doc, "source");

	return s != NULL && strcmp(s, VT_HTML_SOURCE_MASTER) == 0;
}

/* Markup of our own: never a string from the document. */
static void
hw_raw(struct hw *w, const char *s)
{
	if (!w->err && vt_buf_adds(w->out, s) == VT_ERR)
		w->err = 1;
}

/* Numbers and literals only: nothing here is escaped. */
static void
hw_printf(struct hw *w, const char *fmt, ...)
{
	va_list	ap;

	if (w->err)
		return;
	va_start(ap, fmt);
	if (vt_buf_vprintf(w->out, fmt, ap) == VT_ERR)
		w->err = 1;
	va_end(ap);
}

/*
 * A string from the document, escaped, cut at VT_HTML_STR_MAX bytes (at
 * a character boundary when it is valid UTF-8).  NULL is the dash.
 */
static void
hw_text(struct hw *w, const char *s)
{
	size_t	n;

	if (s == NULL) {
		hw_raw(w, HTML_DASH);
		return;
	}
	n = strnlen(s, VT_HTML_STR_MAX + 1);
	if (n > VT_HTML_STR_MAX) {
		n = VT_HTML_STR_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (!w->err && vt_html_escape(s, n, w->out) == VT_ERR)
		w->err = 1;
}

static void
hw_value(struct hw *w, int known, double v, enum html_fmt f)
{
	char	txt[64];

	if (!known) {
		hw_raw(w, HTML_DASH);
		return;
	}
	html_fmt(v, f, txt, sizeof(txt));
	hw_raw(w, txt);
}

/* A figure the script updates: <span data-k="path" data-f="fmt">…</span>. */
static void
hw_fig(struct hw *w, struct json_object *doc, const char *path,
    enum html_fmt f)
{
	double	v = 0;
	int	known;

	hw_printf(w, "<span data-k=\"%s\" data-f=\"%s\">", path,
	    html_fmt_names[f]);
	if (f == F_STR)
		hw_text(w, html_str(doc, path));
	else {
		known = html_num(doc, path, &v);
		hw_value(w, known, v, f);
	}
	hw_raw(w, "</span>");
}

/* A numeric table cell. */
static void
hw_cell(struct hw *w, struct json_object *o, const char *path,
    enum html_fmt f)
{
	double	v = 0;
	int	known = html_num(o, path, &v);

	hw_raw(w, "<td class=\"num\">");
	hw_value(w, known, v, f);
	hw_raw(w, "</td>");
}

static void
hw_empty(struct hw *w, int cols, const char *what)
{
	hw_printf(w, "<tr><td colspan=\"%d\" class=\"empty\">%s</td></tr>",
	    cols, what);
}

static void
html_head(struct hw *w, struct json_object *doc)
{
	/*
	 * data-live: whether this server pushes samples at /api/live (the
	 * sampler's "live_push", from the pool's live_socket key), so that a
	 * page of a server without push never opens a subscription.
	 */
	hw_raw(w, "<!DOCTYPE html>\n<html lang=\"en\" data-live=\"");
	hw_raw(w, html_bool(doc, "live_push") ? "on" : "off");
	hw_raw(w, "\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"color-scheme\" content=\"light dark\">\n"
	    "<title>");
	hw_text(w, html_str(doc, "host.hostname"));
	hw_raw(w, " \xc2\xb7 Vitals</title>\n"
	    "<link rel=\"icon\" href=\"/static/favicon.svg\" "
	    "type=\"image/svg+xml\">\n"
	    "<link rel=\"stylesheet\" href=\"/static/vendor/uPlot.min.css\">\n"
	    "<link rel=\"stylesheet\" href=\"/static/dashboard.css\">\n"
	    "<script src=\"/static/vendor/uPlot.iife.min.js\" defer></script>\n"
	    "<script src=\"/static/dashboard.js\" defer></script>\n"
	    "</head>\n<body>\n");
	html_verdict(w, doc);
	hw_raw(w, "<header class=\"top\">\n<div class=\"id\">\n"
	    "<h1 id=\"hostname\">");
	hw_fig(w, doc, "host.hostname", F_STR);
	hw_raw(w, "</h1>\n<p class=\"sub\">");
	hw_fig(w, doc, "host.kernel", F_STR);
	hw_raw(w, " \xc2\xb7 up ");
	hw_fig(w, doc, "host.uptime_seconds", F_DUR);
	/*
	 * Only the state (Snapshot, Live, Reconnecting …) is a live region:
	 * the age changes every second and would be read out every second.
	 */
	hw_raw(w, "</p>\n</div>\n"
	    "<p id=\"live\" class=\"live\"><span class=\"dot\" "
	    "aria-hidden=\"true\"></span> <span id=\"live-state\" "
	    "role=\"status\" aria-live=\"polite\">");
	hw_raw(w, doc == NULL ? "Waiting for the first sample\xe2\x80\xa6" :
	    html_from_master(doc) ? "The pool is not answering: the "
	    "master\xe2\x80\x99s snapshot" : "Snapshot");
	hw_raw(w, "</span> <span class=\"age\">\xc2\xb7 sample ");
	if (w->age_at != NULL) {
		/* vt_html_page_split: the text goes in per request. */
		hw_printf(w, "<span data-k=\"sample_age_ms\" data-f=\"%s\">",
		    html_fmt_names[F_AGE]);
		*w->age_at = w->out->len - w->start;
		hw_raw(w, "</span>");
	} else
		hw_fig(w, doc, "sample_age_ms", F_AGE);
	hw_raw(w, " old</span></p>\n</header>\n");
}

/* One card of the "Now" list. */
#define CARD_BEGIN(w, title)						\
	hw_raw((w), "<div class=\"card\"><dt>" title "</dt><dd>")
#define CARD_END(w)	hw_raw((w), "</dd></div>\n")

static void
html_now(struct hw *w, struct json_object *doc)
{
	hw_raw(w, "<section class=\"now\" aria-labelledby=\"now-h\">\n"
	    "<h2 id=\"now-h\">Now</h2>\n<dl class=\"cards\">\n");

	CARD_BEGIN(w, "CPU busy");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "cpu.total.busy_percent", F_PCT);
	hw_raw(w, "</span> <span class=\"small\">");
	hw_fig(w, doc, "cpu.count", F_INT);
	hw_raw(w, " CPUs, iowait ");
	hw_fig(w, doc, "cpu.total.iowait_percent", F_PCT);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Load 1 / 5 / 15 min");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "load.load1", F_LOAD);
	hw_raw(w, "</span> <span class=\"small\">");
	hw_fig(w, doc, "load.load5", F_LOAD);
	hw_raw(w, " / ");
	hw_fig(w, doc, "load.load15", F_LOAD);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Memory used");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "memory.used_bytes", F_BYTES);
	hw_raw(w, "</span> <span class=\"small\">of ");
	hw_fig(w, doc, "memory.total_bytes", F_BYTES);
	hw_raw(w, " (");
	hw_fig(w, doc, "memory.used_percent", F_PCT);
	hw_raw(w, ")</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Swap used");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "memory.swap_used_bytes", F_BYTES);
	hw_raw(w, "</span> <span class=\"small\">of ");
	hw_fig(w, doc, "memory.swap_total_bytes", F_BYTES);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Network (all but lo)");
	hw_raw(w, "<span class=\"big\"><span aria-hidden=\"true\">"
	    "\xe2\x86\x93</span><span class=\"vh\">receive</span> ");
	hw_fig(w, doc, "derived.net_rx_bytes_per_second", F_RATE);
	hw_raw(w, "</span> <span class=\"small\"><span aria-hidden=\"true\">"
	    "\xe2\x86\x91</span><span class=\"vh\">transmit</span> ");
	hw_fig(w, doc, "derived.net_tx_bytes_per_second", F_RATE);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Disk read / write");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "derived.disk_read_bytes_per_second", F_RATE);
	hw_raw(w, "</span> <span class=\"small\">");
	hw_fig(w, doc, "derived.disk_write_bytes_per_second", F_RATE);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "TCP established");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "tcp.states.established", F_INT);
	hw_raw(w, "</span> <span class=\"small\">CLOSE_WAIT ");
	hw_fig(w, doc, "tcp.states.close_wait", F_INT);
	hw_raw(w, "</span>");
	CARD_END(w);

	CARD_BEGIN(w, "Workers busy");
	hw_raw(w, "<span class=\"big\">");
	hw_fig(w, doc, "pool.busy", F_INT);
	hw_raw(w, "</span> <span class=\"small\">of ");
	hw_fig(w, doc, "pool.workers", F_INT);
	hw_raw(w, ", queue ");
	hw_fig(w, doc, "pool.listen_queue", F_INT);
	hw_raw(w, "</span>");
	CARD_END(w);

	hw_raw(w, "</dl>\n</section>\n");
}

static void
html_history(struct hw *w)
{
	static const struct {
		const char	*value, *label;
	} ranges[] = {
		{ "5m", "5 min" }, { "15m", "15 min" }, { "1h", "1 h" },
		{ "6h", "6 h" }, { "24h", "24 h" }, { "7d", "7 d" },
		{ "30d", "30 d" }
	};
	static const struct {
		const char	*id, *title;
	} charts[] = {
		{ "cpu", "CPU busy (%)" }, { "load", "Load (1 min)" },
		{ "memory", "Memory" },
		{ "network", "Network per second (all but lo)" },
		{ "disk", "Disk I/O per second" },
		{ "tcp", "TCP established and CLOSE_WAIT" }
	};
	size_t	i;

	hw_raw(w, "<section class=\"history\" aria-labelledby=\"hist-h\">\n"
	    "<div class=\"section-head\">\n<h2 id=\"hist-h\">History</h2>\n"
	    "<fieldset class=\"ranges\" id=\"ranges\">"
	    "<legend>Range</legend>\n");
	for (i = 0; i < VT_ARRAY_LEN(ranges); i++)
		hw_printf(w, "<input type=\"radio\" name=\"range\" "
		    "id=\"range-%s\" value=\"%s\"%s><label for=\"range-%s\">"
		    "%s</label>\n", ranges[i].value, ranges[i].value,
		    i == 0 ? " checked" : "", ranges[i].value,
		    ranges[i].label);
	hw_raw(w, "</fieldset>\n</div>\n"
	    "<p id=\"history-status\" class=\"note\" role=\"status\" "
	    "aria-live=\"polite\"></p>\n"
	    "<noscript><p class=\"note\">The charts need JavaScript. The "
	    "figures on this page are from the latest sample; reload for "
	    "newer ones.</p></noscript>\n<div class=\"charts\">\n");
	for (i = 0; i < VT_ARRAY_LEN(charts); i++)
		hw_printf(w, "<figure class=\"chart\" id=\"fig-%s\" "
		    "aria-labelledby=\"chart-%s-h\"><figcaption>"
		    "<h3 id=\"chart-%s-h\">%s</h3></figcaption>"
		    "<div class=\"plot\" id=\"chart-%s\" data-chart=\"%s\">"
		    "</div></figure>\n", charts[i].id, charts[i].id,
		    charts[i].id, charts[i].title, charts[i].id, charts[i].id);
	hw_raw(w, "</div>\n</section>\n");
}

/* A section that holds one scrollable table. */
static void
html_table_begin(struct hw *w, const char *id, const char *cls,
    const char *title, const char *cols)
{
	hw_printf(w, "<section id=\"%s\" class=\"%s\" "
	    "aria-labelledby=\"%s-h\">\n"
	    "<h2 id=\"%s-h\">%s</h2>\n<div class=\"table-wrap\" "
	    "role=\"region\" aria-labelledby=\"%s-h\" tabindex=\"0\">\n"
	    "<table>\n<thead><tr>%s</tr></thead>\n<tbody id=\"%s-rows\">",
	    id, cls, id, id, title, id, cols, id);
}

static void
html_table_end(struct hw *w)
{
	hw_raw(w, "</tbody>\n</table>\n</div>\n</section>\n");
}

static void
html_network(struct hw *w, struct json_object *doc)
{
	struct json_object     *a = html_get(doc, "network");
	size_t			i, n = 0;
	double			v1 = 0, v2 = 0;
	int			k1, k2;

	html_table_begin(w, "net", "tbl", "Network",
	    "<th scope=\"col\">Interface</th>"
	    "<th scope=\"col\" class=\"num\">Receive</th>"
	    "<th scope=\"col\" class=\"num\">Transmit</th>"
	    "<th scope=\"col\" class=\"num\">Packets in</th>"
	    "<th scope=\"col\" class=\"num\">Packets out</th>"
	    "<th scope=\"col\" class=\"num\">Errors</th>"
	    "<th scope=\"col\" class=\"num\">Drops</th>");
	if (json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	for (i = 0; i < n && i < VT_MAX_IFACES; i++) {
		struct json_object     *o = json_object_array_get_idx(a, i);

		hw_raw(w, "<tr><th scope=\"row\">");
		hw_text(w, html_str(o, "interface"));
		hw_raw(w, "</th>");
		hw_cell(w, o, "rx_bytes_per_second", F_RATE);
		hw_cell(w, o, "tx_bytes_per_second", F_RATE);
		hw_cell(w, o, "rx_packets_per_second", F_PS);
		hw_cell(w, o, "tx_packets_per_second", F_PS);
		k1 = html_num(o, "rx_errors_total", &v1);
		k2 = html_num(o, "tx_errors_total", &v2);
		hw_raw(w, "<td class=\"num\">");
		hw_value(w, k1 && k2, v1 + v2, F_INT);
		hw_raw(w, "</td>");
		k1 = html_num(o, "rx_drops_total", &v1);
		k2 = html_num(o, "tx_drops_total", &v2);
		hw_raw(w, "<td class=\"num\">");
		hw_value(w, k1 && k2, v1 + v2, F_INT);
		hw_raw(w, "</td></tr>\n");
	}
	if (n == 0)
		hw_empty(w, 7, "No interfaces");
	html_table_end(w);
}

static void
html_filesystems(struct hw *w, struct json_object *doc)
{
	struct json_object     *a = html_get(doc, "filesystems");
	size_t			i, n = 0;
	double			pct;
	const char	       *state;
	int			ro;

	html_table_begin(w, "fs", "tbl wide", "Filesystems",
	    "<th scope=\"col\">Mount point</th>"
	    "<th scope=\"col\">Device</th>"
	    "<th scope=\"col\">Type</th>"
	    "<th scope=\"col\" class=\"num\">Size</th>"
	    "<th scope=\"col\" class=\"num\">Used</th>"
	    "<th scope=\"col\" class=\"num\">Available</th>"
	    "<th scope=\"col\">Use</th>");
	if (json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	for (i = 0; i < n && i < VT_MAX_MOUNTS; i++) {
		struct json_object     *o = json_object_array_get_idx(a, i);

		state = html_str(o, "state");
		ro = json_object_is_type(html_get(o, "readonly"),
		    json_type_boolean) &&
		    json_object_get_boolean(html_get(o, "readonly"));
		hw_raw(w, "<tr><th scope=\"row\">");
		hw_text(w, html_str(o, "mountpoint"));
		hw_raw(w, "</th><td>");
		hw_text(w, html_str(o, "device"));
		hw_raw(w, "</td><td>");
		hw_text(w, html_str(o, "fstype"));
		hw_raw(w, ro ? " (ro)</td>" : "</td>");
		hw_cell(w, o, "size_bytes", F_BYTES);
		hw_cell(w, o, "used_bytes", F_BYTES);
		hw_cell(w, o, "avail_bytes", F_BYTES);
		hw_raw(w, "<td class=\"use\">");
		if (html_num(o, "used_percent", &pct)) {
			hw_printf(w, "<meter min=\"0\" max=\"100\" "
			    "low=\"80\" high=\"90\" optimum=\"0\" "
			    "value=\"%.1f\"></meter> ",
			    html_round(pct, 1));
			hw_value(w, 1, pct, F_PCT);
		} else if (state != NULL && strcmp(state, "ok") != 0) {
			hw_raw(w, "<span class=\"state\">");
			hw_text(w, state);
			hw_raw(w, "</span>");
		} else
			hw_raw(w, HTML_DASH);
		hw_raw(w, "</td></tr>\n");
	}
	if (n == 0)
		hw_empty(w, 7, "No filesystems");
	html_table_end(w);
}

static void
html_disks(struct hw *w, struct json_object *doc)
{
	struct json_object     *a = html_get(doc, "disks");
	size_t			i, n = 0;

	html_table_begin(w, "disk", "tbl", "Disks",
	    "<th scope=\"col\">Disk</th>"
	    "<th scope=\"col\" class=\"num\">Read</th>"
	    "<th scope=\"col\" class=\"num\">Write</th>"
	    "<th scope=\"col\" class=\"num\">Reads</th>"
	    "<th scope=\"col\" class=\"num\">Writes</th>"
	    "<th scope=\"col\" class=\"num\">Busy</th>");
	if (json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	for (i = 0; i < n && i < VT_MAX_DISKS; i++) {
		struct json_object     *o = json_object_array_get_idx(a, i);

		hw_raw(w, "<tr><th scope=\"row\">");
		hw_text(w, html_str(o, "name"));
		hw_raw(w, "</th>");
		hw_cell(w, o, "read_bytes_per_second", F_RATE);
		hw_cell(w, o, "write_bytes_per_second", F_RATE);
		hw_cell(w, o, "reads_per_second", F_PS);
		hw_cell(w, o, "writes_per_second", F_PS);
		hw_cell(w, o, "busy_percent", F_PCT);
		hw_raw(w, "</tr>\n");
	}
	if (n == 0)
		hw_empty(w, 6, "No disks");
	html_table_end(w);
}

static void
html_tcp(struct hw *w, struct json_object *doc)
{
	struct json_object     *st = html_get(doc, "tcp.states");
	char			name[32];
	size_t			i, rows = 0;
	double			v;

	html_table_begin(w, "tcp", "tbl", "TCP connections",
	    "<th scope=\"col\">State</th>"
	    "<th scope=\"col\" class=\"num\">Connections</th>");
	if (json_object_is_type(st, json_type_object)) {
		json_object_object_foreach(st, key, val) {
			if (rows++ >= 32)
				break;
			/* Upper case, as ss(8) and netstat(8) write them. */
			for (i = 0; key[i] != '\0' && i + 1 < sizeof(name); i++)
				name[i] = key[i] >= 'a' && key[i] <= 'z' ?
				    (char)(key[i] - 'a' + 'A') : key[i];
			name[i] = '\0';
			hw_raw(w, strcmp(key, "close_wait") == 0 ?
			    "<tr class=\"watch\"><th scope=\"row\">" :
			    "<tr><th scope=\"row\">");
			hw_text(w, name);
			hw_raw(w, "</th><td class=\"num\">");
			v = json_object_get_double(val);
			hw_value(w, (json_object_is_type(val, json_type_int) ||
			    json_object_is_type(val, json_type_double)) &&
			    isfinite(v), v, F_INT);
			hw_raw(w, "</td></tr>\n");
		}
	}
	if (rows == 0)
		hw_empty(w, 2, "Not known");
	html_table_end(w);
}

/* One term of the pool's list. */
static void
html_pool_item(struct hw *w, struct json_object *doc, const char *title,
    const char *path)
{
	hw_printf(w, "<div><dt>%s</dt><dd>", title);
	hw_fig(w, doc, path, F_INT);
	hw_raw(w, "</dd></div>\n");
}

static void
html_pool(struct hw *w, struct json_object *doc)
{
	hw_raw(w, "<section id=\"pool\" class=\"pool\" "
	    "aria-labelledby=\"pool-h\">\n"
	    "<h2 id=\"pool-h\">FastCGI pool</h2>\n<dl class=\"pairs\">\n");
	html_pool_item(w, doc, "Workers", "pool.workers");
	html_pool_item(w, doc, "Idle", "pool.idle");
	html_pool_item(w, doc, "Busy", "pool.busy");
	html_pool_item(w, doc, "Requests accepted", "pool.accepted");
	html_pool_item(w, doc, "Workers restarted", "pool.restarts");
	html_pool_item(w, doc, "Watchdog kills", "pool.watchdog_kills");
	html_pool_item(w, doc, "Slow requests", "pool.slow_requests");
	html_pool_item(w, doc, "Listen queue", "pool.listen_queue");
	html_pool_item(w, doc, "Longest listen queue", "pool.listen_queue_max");
	html_pool_item(w, doc, "Listen backlog", "pool.listen_backlog");
	hw_raw(w, "<div><dt>Pool up for</dt><dd>");
	hw_fig(w, doc, "pool.uptime_s", F_DUR);
	hw_raw(w, "</dd></div>\n</dl>\n</section>\n");
}

static void
html_top(struct hw *w, struct json_object *doc, const char *key,
    const char *id)
{
	struct json_object     *a = html_get(html_get(doc, "processes"), key);
	size_t			i, n = 0;

	hw_printf(w, "<div class=\"table-wrap\" role=\"region\" "
	    "aria-labelledby=\"%s-h\" tabindex=\"0\">\n<table>\n"
	    "<caption id=\"%s-h\">%s</caption>\n"
	    "<thead><tr><th scope=\"col\" class=\"num\">PID</th>"
	    "<th scope=\"col\">Name</th><th scope=\"col\">State</th>"
	    "<th scope=\"col\" class=\"num\">CPU</th>"
	    "<th scope=\"col\" class=\"num\">Memory</th></tr></thead>\n"
	    "<tbody id=\"%s-rows\">", id, id,
	    strcmp(id, "top-cpu") == 0 ? "By CPU" : "By memory", id);
	if (json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	for (i = 0; i < n && i < VT_MAX_PROCS; i++) {
		struct json_object     *o = json_object_array_get_idx(a, i);

		hw_raw(w, "<tr>");
		hw_cell(w, o, "pid", F_INT);
		hw_raw(w, "<th scope=\"row\">");
		hw_text(w, html_str(o, "name"));
		hw_raw(w, "</th><td>");
		hw_text(w, html_str(o, "state"));
		hw_raw(w, "</td>");
		hw_cell(w, o, "cpu_percent", F_PCT);
		hw_cell(w, o, "rss_bytes", F_BYTES);
		hw_raw(w, "</tr>\n");
	}
	if (n == 0)
		hw_empty(w, 5, "Not known yet");
	hw_raw(w, "</tbody>\n</table>\n</div>\n");
}

static void
html_processes(struct hw *w, struct json_object *doc)
{
	hw_raw(w, "<section class=\"procs wide\" "
	    "aria-labelledby=\"procs-h\">\n"
	    "<h2 id=\"procs-h\">Top processes</h2>\n<div class=\"pair\">\n");
	html_top(w, doc, "top_cpu", "top-cpu");
	html_top(w, doc, "top_memory", "top-mem");
	hw_raw(w, "</div>\n</section>\n");
}

/*
 * The checks' states, from best to worst: the banner shows the worst,
 * and problems (warning and critical) come critical first.  Each state
 * has a word and a glyph besides its colour, so colour is never the only
 * signal.
 */
static enum html_state
html_state_of(const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < VT_ARRAY_LEN(html_states); i++)
		if (strcmp(s, html_states[i].name) == 0)
			return (enum html_state)i;
	return S_UNKNOWN;
}

/* A check's name as the page writes it, or NULL for a name it does not know. */
static const char *
html_check_label(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < VT_ARRAY_LEN(html_check_names); i++)
		if (strcmp(name, html_check_names[i].name) == 0)
			return html_check_names[i].label;
	return NULL;
}

/* The element a check's "chart" links to; the checks list otherwise. */
static const char *
html_chart_target(const char *chart)
{
	size_t	i;

	for (i = 0; chart != NULL && i < VT_ARRAY_LEN(html_chart_ids); i++)
		if (strcmp(chart, html_chart_ids[i].chart) == 0)
			return html_chart_ids[i].id;
	return "checks";
}

/*
 * Item i of the checks block, its sampler judged from the sample's age
 * when the page knows it (vt_html_page with "sample_age_ms"): stale past
 * VT_HTML_SAMPLER_WARN_MS is a warning, past VT_HTML_SAMPLER_CRIT_MS
 * critical, as dashboard.js judges it.  0 when the item is not an object.
 */
static int
html_item(struct hw *w, struct json_object *items, size_t i,
    struct html_item *it)
{
	char	age[32];
	double	v;

	memset(it, 0, sizeof(*it));
	it->o = json_object_array_get_idx(items, i);
	if (!json_object_is_type(it->o, json_type_object))
		return 0;
	it->name = html_str(it->o, "name");
	it->state = html_state_of(html_str(it->o, "state"));
	it->summary = html_str(it->o, "summary");
	it->have_since = html_num(it->o, "since_ms", &it->since_ms);
	if (it->name == NULL || strcmp(it->name, "sampler") != 0 ||
	    !w->have_age || w->age_ms <= VT_HTML_SAMPLER_WARN_MS)
		return 1;
	v = w->age_ms;
	it->state = v > VT_HTML_SAMPLER_CRIT_MS ? S_CRITICAL : S_WARNING;
	html_fmt(v, F_AGE, age, sizeof(age));
	snprintf(it->text, sizeof(it->text), "The last sample is %s old", age);
	it->summary = it->text;
	it->since_ms = w->now_ms - v;
	it->have_since = 1;
	return 1;
}

/* A state as a glyph (hidden from screen readers) and its word. */
static void
hw_state(struct hw *w, enum html_state st, const char *word)
{
	hw_printf(w, "<span class=\"glyph\" aria-hidden=\"true\">%s</span> ",
	    html_states[st].glyph);
	hw_raw(w, word != NULL ? word : html_states[st].word);
}

/* A check's name: the page's word for it, else the name, escaped. */
static void
hw_check_name(struct hw *w, const char *name)
{
	const char	*label = html_check_label(name);

	if (label != NULL)
		hw_raw(w, label);
	else
		hw_text(w, name);
}

/* How long ago the wall-clock time ms was, from the sample's time. */
static void
hw_ago(struct hw *w, int known, double ms)
{
	char	txt[64];

	if (!known || !w->have_now) {
		hw_raw(w, HTML_DASH);
		return;
	}
	html_fmt(w->now_ms > ms ? w->now_ms - ms : 0, F_AGE, txt, sizeof(txt));
	hw_raw(w, txt);
	hw_raw(w, " ago");
}

/*
 * The verdict banner, first on the page: "Healthy", or the problems,
 * critical first, each with its state, its summary and a link to its
 * chart.  Only the heading line is a live region: it changes when a
 * check changes state, while the summaries may count seconds.  With no
 * checks block the banner says so and nothing more.
 */
static void
html_verdict(struct hw *w, struct json_object *doc)
{
	struct json_object     *checks = html_get(doc, "checks");
	struct json_object     *items = html_get(checks, "items");
	struct html_item	it;
	enum html_state		st = S_UNKNOWN, worst = S_OK;
	const char	       *head = NULL;
	size_t			i, n = 0, pass = 0, unknown = 0, shown = 0;
	int			pass_no, have = 0, wrote = 0;

	if (doc == NULL)
		head = "Waiting for the first sample\xe2\x80\xa6";
	else if (!json_object_is_type(checks, json_type_object))
		head = "Checks not available";
	else {
		have = 1;
		st = html_state_of(html_str(checks, "verdict"));
		if (json_object_is_type(items, json_type_array))
			n = json_object_array_length(items);
		if (n > HTML_CHECKS_MAX)
			n = HTML_CHECKS_MAX;
		for (i = 0; i < n; i++) {
			if (!html_item(w, items, i, &it))
				continue;
			if (it.state > worst)
				worst = it.state;
			if (it.state == S_OK)
				pass++;
			else if (it.state == S_UNKNOWN)
				unknown++;
		}
		if (worst > st && worst >= S_WARNING)
			st = worst;
		if (st == S_OK)
			head = "Healthy";
	}
	hw_printf(w, "<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"%s\">\n<p class=\"verdict-head\" role=\"status\" "
	    "aria-live=\"polite\" aria-atomic=\"true\"><span class=\"glyph\" "
	    "aria-hidden=\"true\" id=\"verdict-glyph\">%s</span> "
	    "<strong id=\"verdict-state\">%s"
	    "</strong><span id=\"verdict-names\">", html_states[st].name,
	    html_states[st].glyph, head != NULL ? head : html_states[st].word);
	/* The problems' names, in the live region: critical first. */
	for (pass_no = S_CRITICAL; have && pass_no >= S_WARNING; pass_no--)
		for (i = 0; i < n; i++) {
			if (!html_item(w, items, i, &it) ||
			    it.state != (enum html_state)pass_no)
				continue;
			hw_raw(w, shown++ == 0 ? ": " : ", ");
			hw_check_name(w, it.name);
		}
	hw_raw(w, "</span></p>\n<ul id=\"verdict-list\" class=\"problems\">");
	for (pass_no = S_CRITICAL; have && pass_no >= S_WARNING; pass_no--)
		for (i = 0; i < n; i++) {
			if (!html_item(w, items, i, &it) ||
			    it.state != (enum html_state)pass_no)
				continue;
			hw_raw(w, "<li class=\"problem\" data-check=\"");
			hw_text(w, it.name);
			hw_printf(w, "\" data-state=\"%s\">",
			    html_states[it.state].name);
			hw_state(w, it.state, NULL);
			hw_printf(w, " \xe2\x80\x94 <a href=\"#%s\">",
			    html_chart_target(html_str(it.o, "chart")));
			hw_text(w, it.summary);
			hw_raw(w, "</a></li>\n");
		}
	hw_raw(w, "</ul>\n<p id=\"verdict-note\" class=\"verdict-note\">");
	if (have && st == S_OK) {
		hw_printf(w, "%zu %s pass", pass,
		    pass == 1 ? "check" : "checks");
		if (unknown > 0)
			hw_printf(w, "; %zu cannot be judged", unknown);
		hw_raw(w, ".");
		wrote = 1;
	} else if (have && shown == 0) {
		hw_text(w, html_str(checks, "headline"));
		wrote = 1;
	}
	if (html_from_master(doc))
		hw_raw(w, wrote ? " " HTML_MASTER_NOTE : HTML_MASTER_NOTE);
	hw_raw(w, "</p>\n</div>\n");
}

/* Every check: its state, since when, its summary. */
static void
html_checks(struct hw *w, struct json_object *doc)
{
	struct json_object     *checks = html_get(doc, "checks");
	struct json_object     *items = html_get(checks, "items");
	struct html_item	it;
	size_t			i, n = 0, rows = 0;

	hw_raw(w, "<section id=\"checks\" class=\"checks\" "
	    "aria-labelledby=\"checks-h\">\n<h2 id=\"checks-h\">Checks</h2>\n"
	    "<div class=\"table-wrap\" role=\"region\" "
	    "aria-labelledby=\"checks-h\" tabindex=\"0\">\n<table>\n"
	    "<thead><tr><th scope=\"col\">State</th>"
	    "<th scope=\"col\">Check</th><th scope=\"col\">Since</th>"
	    "<th scope=\"col\">Summary</th></tr></thead>\n"
	    "<tbody id=\"checks-rows\">");
	if (json_object_is_type(items, json_type_array))
		n = json_object_array_length(items);
	for (i = 0; i < n && i < HTML_CHECKS_MAX; i++) {
		if (!html_item(w, items, i, &it))
			continue;
		rows++;
		hw_raw(w, "<tr class=\"check\" data-check=\"");
		hw_text(w, it.name);
		hw_printf(w, "\" data-state=\"%s\"><td class=\"st\">",
		    html_states[it.state].name);
		hw_state(w, it.state, NULL);
		hw_raw(w, "</td><th scope=\"row\">");
		hw_check_name(w, it.name);
		hw_raw(w, "</th><td class=\"since\">");
		hw_ago(w, it.have_since, it.since_ms);
		hw_raw(w, "</td><td>");
		hw_text(w, it.summary);
		hw_raw(w, "</td></tr>\n");
	}
	if (rows == 0)
		hw_empty(w, 4, json_object_is_type(checks, json_type_object) ?
		    "No checks" : "Checks not available");
	hw_raw(w, "</tbody>\n</table>\n</div>\n</section>\n");
}

/* The database: the shared /health result, its latency, its age. */
static void
html_database(struct hw *w, struct json_object *doc)
{
	struct json_object     *health = html_get(doc, "health");
	const char	       *status = html_str(health, "status");
	enum html_state		st = S_UNKNOWN;
	const char	       *word = NULL;
	size_t			i;
	double			checked = 0;
	int			known;

	for (i = 0; status != NULL && i < VT_ARRAY_LEN(html_health); i++)
		if (strcmp(status, html_health[i].status) == 0) {
			st = html_health[i].state;
			word = html_health[i].word;
		}
	if (!json_object_is_type(health, json_type_object))
		word = "Not available";
	hw_printf(w, "<section id=\"database\" class=\"db\" "
	    "aria-labelledby=\"database-h\">\n"
	    "<h2 id=\"database-h\">Database</h2>\n<dl class=\"pairs\">\n"
	    "<div><dt>Status</dt><dd id=\"db-status\" data-state=\"%s\">",
	    html_states[st].name);
	hw_printf(w, "<span class=\"glyph\" aria-hidden=\"true\">%s</span> ",
	    html_states[st].glyph);
	if (word != NULL)
		hw_raw(w, word);
	else
		hw_text(w, status);
	hw_raw(w, "</dd></div>\n<div><dt>Latency</dt><dd>");
	hw_fig(w, doc, "health.latency_ms", F_MS);
	hw_raw(w, "</dd></div>\n<div><dt>Checked</dt><dd id=\"db-checked\">");
	known = html_num(health, "checked_ms", &checked);
	hw_ago(w, known, checked);
	hw_raw(w, "</dd></div>\n<div><dt>Schema version</dt><dd>");
	hw_fig(w, doc, "health.schema_version", F_INT);
	hw_raw(w, "</dd></div>\n</dl>\n</section>\n");
}

/* The fill of listener o in percent, from the document or its figures. */
static int
html_fill(struct json_object *o, double *v)
{
	double	q, b;

	if (html_num(o, "fill_percent", v))
		return 1;
	if (!html_num(o, "queue", &q) || !html_num(o, "backlog", &b) || b <= 0)
		return 0;
	*v = 100 * q / b;
	return 1;
}

/* Fullest first; the document's order between equals. */
static int
html_fill_cmp(const void *a, const void *b)
{
	const struct html_fill_ref	*x = a, *y = b;

	if (x->known != y->known)
		return x->known ? -1 : 1;
	if (x->known && x->fill != y->fill)
		return x->fill < y->fill ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Every listening socket's accept queue, fullest first: the address and
 * port (or the Unix socket's path), the process that holds it, the
 * queue against the backlog with a fill bar.
 */
static void
html_listeners(struct hw *w, struct json_object *doc)
{
	struct json_object     *a = html_get(doc, "listeners");
	struct html_fill_ref	ref[VT_MAX_LISTENERS];
	const char	       *family, *proc;
	size_t			i, n = 0;
	double			v, q, b, total;
	int			known;

	html_table_begin(w, "listeners", "tbl wide", "Listeners",
	    "<th scope=\"col\">Address</th>"
	    "<th scope=\"col\">Process</th>"
	    "<th scope=\"col\" class=\"num\">Queue</th>"
	    "<th scope=\"col\">Fill</th>");
	if (json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	if (n > VT_MAX_LISTENERS)
		n = VT_MAX_LISTENERS;
	for (i = 0; i < n; i++) {
		ref[i].i = i;
		ref[i].known = html_fill(json_object_array_get_idx(a, i),
		    &ref[i].fill);
	}
	qsort(ref, n, sizeof(ref[0]), html_fill_cmp);
	for (i = 0; i < n; i++) {
		struct json_object     *o = json_object_array_get_idx(a,
					    ref[i].i);

		family = html_str(o, "family");
		hw_raw(w, "<tr><th scope=\"row\">");
		if (family != NULL && strcmp(family, "tcp6") == 0 &&
		    html_num(o, "port", &v)) {
			hw_raw(w, "[");
			hw_text(w, html_str(o, "address"));
			hw_printf(w, "]:%.0f", v);
		} else if (html_num(o, "port", &v)) {
			hw_text(w, html_str(o, "address"));
			hw_printf(w, ":%.0f", v);
		} else
			hw_text(w, html_str(o, "address"));
		hw_raw(w, "</th><td>");
		proc = html_str(o, "process");
		if (proc != NULL)
			hw_text(w, proc);
		if (html_num(o, "pid", &v))
			hw_printf(w, proc != NULL ? " (%.0f)" : "pid %.0f", v);
		else if (proc == NULL)
			hw_raw(w, HTML_DASH);
		hw_raw(w, "</td><td class=\"num\">");
		known = html_num(o, "queue", &q);
		hw_value(w, known, q, F_INT);
		hw_raw(w, " / ");
		known = html_num(o, "backlog", &b);
		hw_value(w, known, b, F_INT);
		hw_raw(w, "</td><td class=\"use\">");
		if (ref[i].known) {
			hw_printf(w, "<meter min=\"0\" max=\"100\" "
			    "low=\"80\" high=\"90\" optimum=\"0\" "
			    "value=\"%.1f\"></meter> ",
			    html_round(ref[i].fill, 1));
			hw_value(w, 1, ref[i].fill, F_PCT);
		} else
			hw_raw(w, HTML_DASH);
		hw_raw(w, "</td></tr>\n");
	}
	if (n == 0)
		hw_empty(w, 4, json_object_is_type(a, json_type_array) ?
		    "No listeners" : "Not available");
	hw_raw(w, "</tbody>\n</table>\n</div>\n"
	    "<p id=\"listeners-more\" class=\"note\">");
	if (html_num(doc, "listeners_total", &total) && total > n)
		hw_printf(w, "The %zu fullest of %.0f listeners.", n, total);
	hw_raw(w, "</p>\n</section>\n");
}

void
vt_html_age(int64_t ms, char *dst, size_t len)
{
	html_fmt((double)ms, F_AGE, dst, len);
}

int
vt_html_page_split(struct json_object *doc, struct vt_buf *out,
    size_t *age_at)
{
	*age_at = 0;
	return html_page(doc, out, doc != NULL ? age_at : NULL);
}

int
vt_html_page(struct json_object *doc, struct vt_buf *out)
{
	return html_page(doc, out, NULL);
}

static int
html_page(struct json_object *doc, struct vt_buf *out, size_t *age_at)
{
	size_t		start = out->len;
	struct hw	w = { out, 0, start, age_at, 0, 0, 0, 0 };

	if (doc != NULL && !json_object_is_type(doc, json_type_object))
		doc = NULL;
	/*
	 * Relative times count from the sample's time plus its age when the
	 * document has it; a split page is rendered once per sample, so its
	 * times are the sample's (dashboard.js moves them on).
	 */
	w.have_age = html_num(doc, "sample_age_ms", &w.age_ms);
	w.have_now = html_num(doc, "timestamp_ms", &w.now_ms);
	if (w.have_now && w.have_age && w.age_ms > 0)
		w.now_ms += w.age_ms;
	html_head(&w, doc);
	hw_raw(&w, "<main id=\"main\">\n");
	html_now(&w, doc);
	html_checks(&w, doc);
	html_history(&w);
	hw_raw(&w, "<div class=\"tables\">\n");
	html_listeners(&w, doc);
	html_database(&w, doc);
	html_pool(&w, doc);
	html_network(&w, doc);
	html_disks(&w, doc);
	html_filesystems(&w, doc);
	html_tcp(&w, doc);
	html_processes(&w, doc);
	hw_raw(&w, "</div>\n</main>\n<footer class=\"foot\"><p>Vitals \xc2\xb7 "
	    "the same figures as JSON: <a href=\"/api/metrics\">/api/metrics"
	    "</a> \xc2\xb7 <a href=\"/api/history?range=5m\">/api/history</a>"
	    " \xc2\xb7 for Prometheus: <a href=\"/metrics\">/metrics</a></p>"
	    "</footer>\n</body>\n</html>\n");
	if (w.err) {
		vt_buf_truncate(out, start);
		return VT_ERR;
	}
	return VT_OK;
}

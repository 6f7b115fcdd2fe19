/*
 * jw.c: the JSON writer of the documents the master writes every tick
 * (see jw.h).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "render/jw.h"
#include "render/utf8.h"
#include "vitals.h"

static void	jw_fmt(double v, int dec, char *dst, size_t len);
static void	jw_sep(struct vt_jw *w);
static void	jw_digits(struct vt_jw *w, uint64_t v);

void
vt_jw_init(struct vt_jw *w, struct vt_buf *b)
{
	w->b = b;
	w->start = b->len;
	w->err = 0;
}

/*
 * Write v rounded to dec (0..6) decimals, without trailing zeros and
 * without a sign on zero: 12.5, 3, 0.07, -1.25.  Integer arithmetic, so
 * the locale cannot change the decimal point.  Magnitudes past 2^53 keep
 * no decimals.
 */
static void
jw_fmt(double v, int dec, char *dst, size_t len)
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

void
vt_jw_add(struct vt_jw *w, const char *s, size_t n)
{
	if (vt_buf_add(w->b, s, n) == VT_ERR)
		w->err = 1;
}

/*
 * The comma before a value, a key or an element: none right after an
 * opening brace or bracket, or a key's colon.
 */
static void
jw_sep(struct vt_jw *w)
{
	char	last;

	if (w->b->len == w->start)
		return;
	last = w->b->data[w->b->len - 1];
	if (last != '{' && last != '[' && last != ':')
		vt_jw_add(w, ",", 1);
}

/* An object ('{') or an array ('['): a value, or an array's element. */
void
vt_jw_open(struct vt_jw *w, char c)
{
	jw_sep(w);
	vt_jw_add(w, &c, 1);
}

void
vt_jw_close(struct vt_jw *w, char c)
{
	vt_jw_add(w, &c, 1);
}

/*
 * A string, escaped as json-c escapes it: the quote, the backslash and
 * the control characters (\b \f \n \r \t, else \u00xx); "/" and
 * everything else as it is.  s is valid UTF-8 (vt_utf8_clean).
 */
void
vt_jw_quoted(struct vt_jw *w, const char *s)
{
	static const char	hex[] = "0123456789abcdef";
	const char		*run = s, *esc;
	char			 u[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t			 n;

	vt_jw_add(w, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		vt_jw_add(w, run, (size_t)(s - run));
		run = s + 1;
		n = 2;
		switch (c) {
		case '"':	esc = "\\\""; break;
		case '\\':	esc = "\\\\"; break;
		case '\b':	esc = "\\b"; break;
		case '\f':	esc = "\\f"; break;
		case '\n':	esc = "\\n"; break;
		case '\r':	esc = "\\r"; break;
		case '\t':	esc = "\\t"; break;
		default:
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			esc = u;
			n = 6;
		}
		vt_jw_add(w, esc, n);
	}
	vt_jw_add(w, run, (size_t)(s - run));
	vt_jw_add(w, "\"", 1);
}

/* A key and its colon: the value follows. */
void
vt_jw_key(struct vt_jw *w, const char *k)
{
	jw_sep(w);
	vt_jw_quoted(w, k);
	vt_jw_add(w, ":", 1);
}

void
vt_jw_null(struct vt_jw *w, const char *k)
{
	vt_jw_key(w, k);
	vt_jw_add(w, "null", 4);
}

/*
 * A section: opened with c ('{' or '[') when known, else null (its
 * collector failed).  Returns whether it was opened.
 */
int
vt_jw_section(struct vt_jw *w, int known, char c)
{
	if (known) {
		vt_jw_open(w, c);
		return 1;
	}
	jw_sep(w);
	vt_jw_add(w, "null", 4);
	return 0;
}

/* The decimal digits of v. */
static void
jw_digits(struct vt_jw *w, uint64_t v)
{
	char	d[20];

	vt_jw_add(w, d, vt_u64_digits(v, d));
}

void
vt_jw_u64(struct vt_jw *w, const char *k, uint64_t v)
{
	vt_jw_key(w, k);
	jw_digits(w, v);
}

void
vt_jw_i64(struct vt_jw *w, const char *k, int64_t v)
{
	vt_jw_key(w, k);
	if (v < 0)
		vt_jw_add(w, "-", 1);
	/* The magnitude as unsigned: INT64_MIN too. */
	jw_digits(w, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void
vt_jw_bool(struct vt_jw *w, const char *k, int v)
{
	vt_jw_key(w, k);
	if (v)
		vt_jw_add(w, "true", 4);
	else
		vt_jw_add(w, "false", 5);
}

void
vt_jw_str(struct vt_jw *w, const char *k, const char *s)
{
	char	clean[VT_UTF8_CLEAN_LEN(VT_PATH_LEN)];

	vt_utf8_clean(s, clean, sizeof(clean));
	vt_jw_key(w, k);
	vt_jw_quoted(w, clean);
}

/* A double, or null when it is not finite. */
void
vt_jw_dbl(struct vt_jw *w, const char *k, double v, int dec)
{
	char	txt[64];

	if (!isfinite(v)) {
		vt_jw_null(w, k);
		return;
	}
	jw_fmt(v, dec, txt, sizeof(txt));
	vt_jw_key(w, k);
	vt_jw_add(w, txt, strlen(txt));
}

/* A double when known, else null. */
void
vt_jw_maybe(struct vt_jw *w, const char *k, int known, double v, int dec)
{
	if (known)
		vt_jw_dbl(w, k, v, dec);
	else
		vt_jw_null(w, k);
}

void
vt_jw_rawstr(struct vt_jw *w, const char *k, const char *s)
{
	vt_jw_key(w, k);
	vt_jw_quoted(w, s);
}

void
vt_jw_g6(struct vt_jw *w, const char *k, double v)
{
	char	txt[32];
	int	n;

	if (!isfinite(v)) {
		vt_jw_null(w, k);
		return;
	}
	n = snprintf(txt, sizeof(txt), "%.6g", v);
	vt_jw_key(w, k);
	vt_jw_add(w, txt, (size_t)n);
}

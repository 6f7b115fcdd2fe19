/*
 * openmetrics.c: text 0.0.4 to OpenMetrics 1.0.0 (see openmetrics.h).
 */
#include "config.h"

#include <string.h>

#include "render/openmetrics.h"
#include "vitals.h"

/* One line of the input, without its newline. */
struct om_line {
	const char	*p;
	size_t		 n;
};

/* The line at *pos, moving *pos past it; 0 at the end of the text. */
static int
om_next(const char *text, size_t len, size_t *pos, struct om_line *l)
{
	const char	*nl;

	if (*pos >= len)
		return 0;
	l->p = text + *pos;
	nl = memchr(l->p, '\n', len - *pos);
	l->n = nl != NULL ? (size_t)(nl - l->p) : len - *pos;
	*pos += l->n + (nl != NULL);
	return 1;
}

static int
om_starts(const struct om_line *l, const char *prefix)
{
	size_t	k = strlen(prefix);

	return l->n >= k && memcmp(l->p, prefix, k) == 0;
}

/*
 * For "# HELP name ..." or "# TYPE name ...": the name (*name, *nlen) and
 * the rest after its space (*rest, *rlen).  0 when the line has no name.
 */
static int
om_split(const struct om_line *l, const char **name, size_t *nlen,
    const char **rest, size_t *rlen)
{
	const char	*sp;

	if (l->n <= 7)
		return 0;
	*name = l->p + 7;
	sp = memchr(*name, ' ', l->n - 7);
	*nlen = sp != NULL ? (size_t)(sp - *name) : l->n - 7;
	*rest = sp != NULL ? sp + 1 : l->p + l->n;
	*rlen = (size_t)(l->p + l->n - *rest);
	return *nlen > 0;
}

static int
om_is_total(const char *name, size_t n)
{
	return n > 6 && memcmp(name + n - 6, "_total", 6) == 0;
}

/* The type named on the TYPE line for name, if l is that line. */
static int
om_type_of(const struct om_line *l, const char *name, size_t nlen,
    const char **type, size_t *tlen)
{
	const char	*n2;
	size_t		 n2len;

	return om_starts(l, "# TYPE ") &&
	    om_split(l, &n2, &n2len, type, tlen) && n2len == nlen &&
	    memcmp(n2, name, nlen) == 0;
}

/* HELP text, already escaped for 0.0.4 (\\ and \n); add \" for quotes. */
static int
om_help(struct vt_buf *out, const char *s, size_t n)
{
	const char	*run = s, *end = s + n, *q;

	while ((q = memchr(run, '"', (size_t)(end - run))) != NULL) {
		if (vt_buf_add(out, run, (size_t)(q - run)) == VT_ERR ||
		    vt_buf_add(out, "\\\"", 2) == VT_ERR)
			return VT_ERR;
		run = q + 1;
	}
	return vt_buf_add(out, run, (size_t)(end - run));
}

/*
 * Write HELP (when help is set) and TYPE for one family: its name less
 * "_total" when it is a counter that has it, its type in OpenMetrics'
 * words.
 */
static int
om_family(struct vt_buf *out, const char *name, size_t nlen,
    const char *type, size_t tlen, const char *help, size_t hlen)
{
	const char	*omtype = NULL;

	if (tlen == 7 && memcmp(type, "counter", 7) == 0) {
		if (om_is_total(name, nlen))
			nlen -= 6;
		else
			omtype = "unknown";
	} else if (tlen == 7 && memcmp(type, "untyped", 7) == 0)
		omtype = "unknown";
	if (help != NULL && (vt_buf_add(out, "# HELP ", 7) == VT_ERR ||
	    vt_buf_add(out, name, nlen) == VT_ERR ||
	    vt_buf_add(out, " ", 1) == VT_ERR ||
	    om_help(out, help, hlen) == VT_ERR ||
	    vt_buf_add(out, "\n", 1) == VT_ERR))
		return VT_ERR;
	if (vt_buf_add(out, "# TYPE ", 7) == VT_ERR ||
	    vt_buf_add(out, name, nlen) == VT_ERR ||
	    vt_buf_add(out, " ", 1) == VT_ERR)
		return VT_ERR;
	if (omtype != NULL)
		return vt_buf_adds(out, omtype) == VT_ERR ||
		    vt_buf_add(out, "\n", 1) == VT_ERR ? VT_ERR : VT_OK;
	return vt_buf_add(out, type, tlen) == VT_ERR ||
	    vt_buf_add(out, "\n", 1) == VT_ERR ? VT_ERR : VT_OK;
}

static int
om_rewrite(const char *text, size_t len, struct vt_buf *out)
{
	struct om_line	 l, t;
	size_t		 pos = 0, ahead, nlen, rlen, tlen;
	const char	*name, *rest, *type;

	while (om_next(text, len, &pos, &l)) {
		if (l.n == 0)
			continue;
		if (om_starts(&l, "# HELP ") &&
		    om_split(&l, &name, &nlen, &rest, &rlen)) {
			/* Its TYPE, as both writers put it, is the next line. */
			ahead = pos;
			if (om_next(text, len, &ahead, &t) &&
			    om_type_of(&t, name, nlen, &type, &tlen)) {
				pos = ahead;
			} else {
				type = "untyped";
				tlen = 7;
			}
			if (om_family(out, name, nlen, type, tlen, rest,
			    rlen) == VT_ERR)
				return VT_ERR;
			continue;
		}
		if (om_starts(&l, "# TYPE ") &&
		    om_split(&l, &name, &nlen, &rest, &rlen)) {
			if (om_family(out, name, nlen, rest, rlen, NULL,
			    0) == VT_ERR)
				return VT_ERR;
			continue;
		}
		if (l.p[0] == '#')
			continue;
		if (vt_buf_add(out, l.p, l.n) == VT_ERR ||
		    vt_buf_add(out, "\n", 1) == VT_ERR)
			return VT_ERR;
	}
	return vt_buf_adds(out, "# EOF\n");
}

int
vt_render_openmetrics(const char *text, size_t len, struct vt_buf *out)
{
	size_t	mark = out->len;

	if (om_rewrite(text, len, out) == VT_ERR) {
		vt_buf_truncate(out, mark);
		return VT_ERR;
	}
	return VT_OK;
}

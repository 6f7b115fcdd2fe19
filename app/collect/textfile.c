/*
 * textfile.c: the textfile validator (see textfile.h).
 *
 * The grammar is that of Prometheus' own parser (expfmt's TextParser, which
 * node_exporter's textfile collector runs), made stricter where expfmt
 * lets through what Prometheus' registry then refuses at scrape time
 * (the same series twice, colliding families) or what would break the
 * OpenMetrics rewrite.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect/procfile.h"
#include "collect/textfile.h"
#include "render/prom.h"
#include "render/utf8.h"
#include "vitals.h"

const char *const vt_tf_type_names[VT_TF_NTYPES] = {
	[VT_TF_UNTYPED] = "untyped",
	[VT_TF_COUNTER] = "counter",
	[VT_TF_GAUGE] = "gauge",
	[VT_TF_SUMMARY] = "summary",
	[VT_TF_HISTOGRAM] = "histogram",
};

/* What a sample is to its family. */
enum tf_kind {
	TF_BASE,		/* the family's name */
	TF_SUM,
	TF_COUNT,
	TF_BUCKET
};

static const char *const tf_suffixes[] = {
	[TF_BASE] = "", [TF_SUM] = "_sum", [TF_COUNT] = "_count",
	[TF_BUCKET] = "_bucket",
};

/* The rest of one line, without its newline. */
struct tf_cur {
	const char	*p;
	const char	*end;
};

struct tf_label {
	const char	*k;
	size_t		 klen;
	const char	*v;		/* as written, escapes and all */
	size_t		 vlen;
};

/* One file's parse. */
struct tf_state {
	struct vt_tf_parse	*p;
	size_t			 fam0;		/* its first family in p->fam */
	size_t			 nseries;
	size_t			 lineno;
	/* The current family: declared, or with samples (written). */
	int			 cur;
	const char		*name;
	size_t			 nlen;
	enum vt_tf_type		 type;
	int			 has_type;
	const char		*help;
	size_t			 hlen;
	int			 has_help;
	int			 written;
};

static void	tf_blank(struct tf_cur *c);
static size_t	tf_name_len(const struct tf_cur *c, int colon);
static int	tf_number(const char *s, size_t n, double *v);
static int	tf_utf8(const char *s, size_t n);
static int	tf_escapes(const char *s, size_t n, int quote);
static size_t	tf_om_len(const char *n, size_t len, enum vt_tf_type t);
static int	tf_label_cmp(const void *a, const void *b);
static const struct tf_label *tf_find(const struct tf_label *l, size_t nl,
		    const char *k);
static int	tf_is_sub(const char *n, size_t nlen, const char *base,
		    size_t blen, enum vt_tf_type bt);
static int	tf_kind_of(const struct tf_state *st, const char *n,
		    size_t nlen, enum tf_kind *kind);
static int	tf_header(struct tf_state *st, char *err, size_t errlen);
static int	tf_comment(struct tf_state *st, struct tf_cur *c, char *err,
		    size_t errlen);
static int	tf_labels(struct tf_state *st, struct tf_cur *c,
		    struct tf_label *l, size_t *nl, char *err, size_t errlen);
static int	tf_sample(struct tf_state *st, struct tf_cur *c, char *err,
		    size_t errlen);
static size_t	tf_key_len(const char *line);
static int	tf_series_cmp(const void *a, const void *b, void *text);
static int	tf_dups(struct tf_state *st, char *err, size_t errlen);

static void
tf_blank(struct tf_cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or, without colon, a label's. */
static size_t
tf_name_len(const struct tf_cur *c, int colon)
{
	size_t	i, n = (size_t)(c->end - c->p);

	for (i = 0; i < n; i++) {
		char	ch = c->p[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    ch == '_' || (colon && ch == ':') ||
		    (i > 0 && ch >= '0' && ch <= '9'))
			continue;
		break;
	}
	return i;
}

/*
 * A value as Go's ParseFloat reads the usual ones: a decimal number with
 * an optional exponent, or NaN, Inf, +Inf, -Inf in any case.  Hex floats
 * and digit separators, which nobody writes into a textfile, are refused.
 */
static int
tf_number(const char *s, size_t n, double *v)
{
	char	buf[64], *end;
	size_t	i = 0, digits = 0;

	if (n == 0 || n >= sizeof(buf))
		return VT_ERR;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strcasecmp(buf, "nan") == 0 || strcasecmp(buf, "inf") == 0 ||
	    strcasecmp(buf, "+inf") == 0 || strcasecmp(buf, "-inf") == 0) {
		*v = strtod(buf, NULL);
		return VT_OK;
	}
	if (buf[i] == '+' || buf[i] == '-')
		i++;
	for (; buf[i] >= '0' && buf[i] <= '9'; i++)
		digits++;
	if (buf[i] == '.')
		for (i++; buf[i] >= '0' && buf[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return VT_ERR;
	if (buf[i] == 'e' || buf[i] == 'E') {
		i++;
		if (buf[i] == '+' || buf[i] == '-')
			i++;
		if (buf[i] < '0' || buf[i] > '9')
			return VT_ERR;
		while (buf[i] >= '0' && buf[i] <= '9')
			i++;
	}
	if (i != n)
		return VT_ERR;
	*v = strtod(buf, &end);
	return end == buf + n ? VT_OK : VT_ERR;
}

static int
tf_utf8(const char *s, size_t n)
{
	size_t	i = 0, k;

	while (i < n) {
		if ((k = vt_utf8_seq((const unsigned char *)s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/*
 * 1 when every backslash of s starts \\ or \n, or \" when quote is set
 * (a label value; a HELP text has no quoted form), and a label value has
 * no bare double quote.
 */
static int
tf_escapes(const char *s, size_t n, int quote)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '"' && quote)
			return 0;
		if (s[i] != '\\')
			continue;
		if (i + 1 == n || !(s[i + 1] == '\\' || s[i + 1] == 'n' ||
		    (quote && s[i + 1] == '"')))
			return 0;
		i++;
	}
	return 1;
}

int
vt_tf_type_of(const char *word, size_t len)
{
	int	t;

	for (t = 0; t < VT_TF_NTYPES; t++)
		if (strlen(vt_tf_type_names[t]) == len &&
		    memcmp(vt_tf_type_names[t], word, len) == 0)
			return t;
	return -1;
}

/* 1 when n is base followed by one of the suffixes a bt family writes. */
static int
tf_is_sub(const char *n, size_t nlen, const char *base, size_t blen,
    enum vt_tf_type bt)
{
	size_t	k, sl;

	if (bt != VT_TF_SUMMARY && bt != VT_TF_HISTOGRAM)
		return 0;
	if (nlen <= blen || memcmp(n, base, blen) != 0)
		return 0;
	for (k = TF_SUM; k <= TF_BUCKET; k++) {
		if (k == TF_BUCKET && bt != VT_TF_HISTOGRAM)
			continue;
		sl = strlen(tf_suffixes[k]);
		if (nlen - blen == sl && memcmp(n + blen, tf_suffixes[k],
		    sl) == 0)
			return 1;
	}
	return 0;
}

/* A counter's name as OpenMetrics has it: without "_total". */
static size_t
tf_om_len(const char *n, size_t len, enum vt_tf_type t)
{
	return t == VT_TF_COUNTER && len > 6 &&
	    memcmp(n + len - 6, "_total", 6) == 0 ? len - 6 : len;
}

int
vt_tf_clash(const char *a, size_t alen, enum vt_tf_type at, const char *b,
    size_t blen, enum vt_tf_type bt)
{
	size_t	ao = tf_om_len(a, alen, at), bo = tf_om_len(b, blen, bt);

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 1;
	if (ao == bo && memcmp(a, b, ao) == 0)
		return 1;
	return tf_is_sub(a, alen, b, blen, bt) || tf_is_sub(b, blen, a,
	    alen, at);
}

void
vt_tf_families_of(const char *text, size_t len, struct vt_tf_family *fam,
    size_t max, size_t *n)
{
	const char	*p = text, *end = text + len, *nl, *sp;
	int		 t;

	for (; p < end && *n < max; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((size_t)(nl - p) <= 7 || memcmp(p, "# TYPE ", 7) != 0)
			continue;
		if ((sp = memchr(p + 7, ' ', (size_t)(nl - p - 7))) == NULL)
			continue;
		t = vt_tf_type_of(sp + 1, (size_t)(nl - sp - 1));
		fam[*n].off = (uint32_t)(p + 7 - text);
		fam[*n].len = (uint32_t)(sp - p - 7);
		fam[*n].type = t < 0 ? VT_TF_UNTYPED : (uint32_t)t;
		(*n)++;
	}
}

/*
 * 1 when the sample named n belongs to the current family, with what it
 * is to it in *kind.
 */
static int
tf_kind_of(const struct tf_state *st, const char *n, size_t nlen,
    enum tf_kind *kind)
{
	size_t	k, sl;

	if (!st->cur || nlen < st->nlen || memcmp(n, st->name, st->nlen) != 0)
		return 0;
	for (k = TF_BASE; k <= TF_BUCKET; k++) {
		sl = strlen(tf_suffixes[k]);
		if (nlen - st->nlen != sl || memcmp(n + st->nlen,
		    tf_suffixes[k], sl) != 0)
			continue;
		if (k == TF_BASE && st->type == VT_TF_HISTOGRAM)
			return 0;
		if (k != TF_BASE && st->type != VT_TF_SUMMARY &&
		    st->type != VT_TF_HISTOGRAM)
			return 0;
		if (k == TF_BUCKET && st->type != VT_TF_HISTOGRAM)
			return 0;
		*kind = (enum tf_kind)k;
		return 1;
	}
	return 0;
}

/*
 * Before the current family's first sample: check it against the file's
 * earlier families, then write its HELP and TYPE.
 */
static int
tf_header(struct tf_state *st, char *err, size_t errlen)
{
	struct vt_tf_parse	*p = st->p;
	struct vt_buf		*b = p->out;
	size_t			 i, off;
	int			 rc = 0;

	for (i = st->fam0; i < p->nfam; i++) {
		const char	*f = b->data + p->fam[i].off;
		size_t		 flen = p->fam[i].len;

		if (!vt_tf_clash(f, flen, p->fam[i].type, st->name, st->nlen,
		    st->type))
			continue;
		if (flen == st->nlen && memcmp(f, st->name, flen) == 0)
			return vt_pf_err(err, errlen, "line %zu: %.*s: samples "
			    "not together, or a second family of that name",
			    st->lineno, (int)flen, f);
		return vt_pf_err(err, errlen, "line %zu: family %.*s "
		    "collides with family %.*s", st->lineno, (int)st->nlen,
		    st->name, (int)flen, f);
	}
	if (p->nfam == p->fam_max)
		return vt_pf_err(err, errlen, "line %zu: more than %zu "
		    "families", st->lineno, p->fam_max);
	rc |= vt_buf_add(b, "# HELP ", 7);
	off = b->len;
	rc |= vt_buf_add(b, st->name, st->nlen);
	rc |= vt_buf_add(b, " ", 1);
	if (st->has_help)
		rc |= vt_buf_add(b, st->help, st->hlen);
	else
		rc |= vt_buf_adds(b, p->source);
	rc |= vt_buf_add(b, "\n# TYPE ", 8);
	rc |= vt_buf_add(b, st->name, st->nlen);
	rc |= vt_buf_add(b, " ", 1);
	rc |= vt_buf_adds(b, vt_tf_type_names[st->type]);
	rc |= vt_buf_add(b, "\n", 1);
	if (rc != 0)
		return vt_pf_err(err, errlen, "line %zu: the textfiles "
		    "pass %zu bytes in all", st->lineno, b->max);
	p->fam[p->nfam].off = (uint32_t)off;
	p->fam[p->nfam].len = (uint32_t)st->nlen;
	p->fam[p->nfam].type = st->type;
	p->nfam++;
	st->written = 1;
	return VT_OK;
}

/* A line that starts with '#', c past it. */
static int
tf_comment(struct tf_state *st, struct tf_cur *c, char *err, size_t errlen)
{
	const char	*name, *w;
	size_t		 nlen, i, wlen;
	int		 help, t;

	tf_blank(c);
	if ((size_t)(c->end - c->p) >= 4 && memcmp(c->p, "HELP", 4) == 0)
		help = 1;
	else if ((size_t)(c->end - c->p) >= 4 && memcmp(c->p, "TYPE", 4) == 0)
		help = 0;
	else
		return VT_OK;		/* a comment */
	c->p += 4;
	/* "# HELP" alone, or "# HELPER", is a comment to expfmt too. */
	if (c->p == c->end || (*c->p != ' ' && *c->p != '\t'))
		return VT_OK;
	tf_blank(c);
	if ((nlen = tf_name_len(c, 1)) == 0)
		return vt_pf_err(err, errlen, "line %zu: %s without a valid "
		    "metric name", st->lineno, help ? "HELP" : "TYPE");
	name = c->p;
	c->p += nlen;
	if (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		return vt_pf_err(err, errlen, "line %zu: invalid metric name "
		    "in %s", st->lineno, help ? "HELP" : "TYPE");
	tf_blank(c);

	if (!st->cur || st->nlen != nlen || memcmp(st->name, name, nlen) != 0) {
		/* Another family: not one this file has had samples of. */
		const struct vt_tf_parse	*p = st->p;

		for (i = st->fam0; i < p->nfam; i++)
			if (p->fam[i].len == nlen && memcmp(p->out->data +
			    p->fam[i].off, name, nlen) == 0)
				return vt_pf_err(err, errlen, "line %zu: %s "
				    "for %.*s after its samples", st->lineno,
				    help ? "HELP" : "TYPE", (int)nlen, name);
		st->cur = 1;
		st->name = name;
		st->nlen = nlen;
		st->type = VT_TF_UNTYPED;
		st->has_type = st->has_help = st->written = 0;
	} else if (st->written)
		return vt_pf_err(err, errlen, "line %zu: %s for %.*s after its "
		    "samples", st->lineno, help ? "HELP" : "TYPE", (int)nlen,
		    name);

	if (help) {
		if (st->has_help)
			return vt_pf_err(err, errlen, "line %zu: second HELP "
			    "for %.*s", st->lineno, (int)nlen, name);
		if (!tf_escapes(c->p, (size_t)(c->end - c->p), 0) ||
		    !tf_utf8(c->p, (size_t)(c->end - c->p)))
			return vt_pf_err(err, errlen, "line %zu: HELP of %.*s: "
			    "invalid escape or not UTF-8", st->lineno,
			    (int)nlen, name);
		st->help = c->p;
		st->hlen = (size_t)(c->end - c->p);
		st->has_help = 1;
		return VT_OK;
	}
	if (st->has_type)
		return vt_pf_err(err, errlen, "line %zu: second TYPE for %.*s",
		    st->lineno, (int)nlen, name);
	w = c->p;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		c->p++;
	wlen = (size_t)(c->p - w);
	tf_blank(c);
	if ((t = vt_tf_type_of(w, wlen)) < 0 || c->p != c->end)
		return vt_pf_err(err, errlen, "line %zu: TYPE of %.*s: not "
		    "counter, gauge, histogram, summary or untyped",
		    st->lineno, (int)nlen, name);
	st->type = (enum vt_tf_type)t;
	st->has_type = 1;
	return VT_OK;
}

static int
tf_label_cmp(const void *a, const void *b)
{
	const struct tf_label	*x = a, *y = b;
	size_t			 n = x->klen < y->klen ? x->klen : y->klen;
	int			 c = memcmp(x->k, y->k, n);

	if (c != 0)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

/* "{...}" at c, into l[0..*nl), sorted by name. */
static int
tf_labels(struct tf_state *st, struct tf_cur *c, struct tf_label *l,
    size_t *nl, char *err, size_t errlen)
{
	size_t	n, i;

	c->p++;				/* '{' */
	for (;;) {
		tf_blank(c);
		if (c->p < c->end && *c->p == '}')
			break;
		if ((n = tf_name_len(c, 0)) == 0)
			return vt_pf_err(err, errlen, "line %zu: invalid label "
			    "name", st->lineno);
		if (n >= 2 && c->p[0] == '_' && c->p[1] == '_')
			return vt_pf_err(err, errlen, "line %zu: label name "
			    "%.*s is reserved", st->lineno, (int)n, c->p);
		if (*nl == VT_TF_LABELS_MAX)
			return vt_pf_err(err, errlen, "line %zu: more than %d "
			    "labels", st->lineno, VT_TF_LABELS_MAX);
		l[*nl].k = c->p;
		l[*nl].klen = n;
		c->p += n;
		tf_blank(c);
		if (c->p == c->end || *c->p != '=')
			return vt_pf_err(err, errlen, "line %zu: expected '=' "
			    "after label name %.*s", st->lineno, (int)n,
			    l[*nl].k);
		c->p++;
		tf_blank(c);
		if (c->p == c->end || *c->p != '"')
			return vt_pf_err(err, errlen, "line %zu: label value "
			    "of %.*s not quoted", st->lineno, (int)n, l[*nl].k);
		l[*nl].v = ++c->p;
		while (c->p < c->end && *c->p != '"')
			c->p += *c->p == '\\' && c->p + 1 < c->end ? 2 : 1;
		if (c->p >= c->end)
			return vt_pf_err(err, errlen, "line %zu: label value "
			    "of %.*s not closed", st->lineno, (int)n, l[*nl].k);
		l[*nl].vlen = (size_t)(c->p - l[*nl].v);
		c->p++;
		if (!tf_escapes(l[*nl].v, l[*nl].vlen, 1) ||
		    !tf_utf8(l[*nl].v, l[*nl].vlen))
			return vt_pf_err(err, errlen, "line %zu: label value "
			    "of %.*s: invalid escape or not UTF-8", st->lineno,
			    (int)n, l[*nl].k);
		(*nl)++;
		tf_blank(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '}')
			break;
		return vt_pf_err(err, errlen, "line %zu: expected ',' or '}' "
		    "in the labels", st->lineno);
	}
	c->p++;				/* '}' */
	/* At most 32: an insertion sort. */
	for (i = 1; i < *nl; i++) {
		struct tf_label	t = l[i];
		size_t		j = i;

		for (; j > 0 && tf_label_cmp(&l[j - 1], &t) > 0; j--)
			l[j] = l[j - 1];
		l[j] = t;
	}
	for (i = 1; i < *nl; i++)
		if (tf_label_cmp(&l[i - 1], &l[i]) == 0)
			return vt_pf_err(err, errlen, "line %zu: label %.*s "
			    "twice", st->lineno, (int)l[i].klen, l[i].k);
	return VT_OK;
}

/* The label named k with a value; NULL: none. */
static const struct tf_label *
tf_find(const struct tf_label *l, size_t nl, const char *k)
{
	size_t	i, n = strlen(k);

	for (i = 0; i < nl; i++)
		if (l[i].klen == n && memcmp(l[i].k, k, n) == 0 &&
		    l[i].vlen > 0)
			return &l[i];
	return NULL;
}

static int
tf_sample(struct tf_state *st, struct tf_cur *c, char *err, size_t errlen)
{
	struct tf_label		 l[VT_TF_LABELS_MAX];
	const struct tf_label	*q;
	struct vt_buf		*b = st->p->out;
	const char		*name, *v;
	char			 num[40];
	enum tf_kind		 kind;
	size_t			 nlen, nl = 0, vlen, i, line, k = 0;
	double			 d, dq;
	int			 rc = 0;

	if ((nlen = tf_name_len(c, 1)) == 0)
		return vt_pf_err(err, errlen, "line %zu: invalid metric name",
		    st->lineno);
	name = c->p;
	c->p += nlen;
	tf_blank(c);
	if (c->p < c->end && *c->p == '{') {
		if (tf_labels(st, c, l, &nl, err, errlen) == VT_ERR)
			return VT_ERR;
		tf_blank(c);
	}
	/* The value is a word of its own. */
	if (c->p < c->end && c->p[-1] != ' ' && c->p[-1] != '\t' &&
	    c->p[-1] != '}')
		return vt_pf_err(err, errlen, "line %zu: invalid metric name "
		    "or labels", st->lineno);
	v = c->p;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		c->p++;
	vlen = (size_t)(c->p - v);
	if (tf_number(v, vlen, &d) == VT_ERR)
		return vt_pf_err(err, errlen, "line %zu: %.*s: value %.*s is "
		    "not a number", st->lineno, (int)nlen, name,
		    (int)(vlen > 40 ? 40 : vlen), v);
	tf_blank(c);
	if (c->p != c->end)
		return vt_pf_err(err, errlen, "line %zu: %.*s: a timestamp or "
		    "text after the value (client-side timestamps are not "
		    "supported)", st->lineno, (int)nlen, name);

	if (!tf_kind_of(st, name, nlen, &kind)) {
		if (st->cur && nlen == st->nlen &&
		    memcmp(name, st->name, nlen) == 0)
			return vt_pf_err(err, errlen, "line %zu: %s %.*s has "
			    "no sample of that name", st->lineno,
			    vt_tf_type_names[st->type], (int)nlen, name);
		/* A family of its own, untyped, without HELP. */
		st->cur = 1;
		st->name = name;
		st->nlen = nlen;
		st->type = VT_TF_UNTYPED;
		st->has_type = st->has_help = st->written = 0;
		kind = TF_BASE;
	}
	if (st->type == VT_TF_SUMMARY && kind == TF_BASE &&
	    ((q = tf_find(l, nl, "quantile")) == NULL ||
	    tf_number(q->v, q->vlen, &dq) == VT_ERR))
		return vt_pf_err(err, errlen, "line %zu: summary %.*s: a "
		    "sample without a numeric quantile label", st->lineno,
		    (int)st->nlen, st->name);
	if (kind == TF_BUCKET && ((q = tf_find(l, nl, "le")) == NULL ||
	    tf_number(q->v, q->vlen, &dq) == VT_ERR))
		return vt_pf_err(err, errlen, "line %zu: histogram %.*s: a "
		    "bucket without a numeric le label", st->lineno,
		    (int)st->nlen, st->name);
	if (!st->written && tf_header(st, err, errlen) == VT_ERR)
		return VT_ERR;
	if (st->nseries == st->p->series_max)
		return vt_pf_err(err, errlen, "line %zu: more than %zu samples",
		    st->lineno, st->p->series_max);

	line = b->len;
	rc |= vt_buf_add(b, name, nlen);
	for (i = 0; i < nl; i++) {
		if (l[i].vlen == 0)
			continue;	/* the same series as without it */
		rc |= vt_buf_add(b, k++ == 0 ? "{" : ",", 1);
		rc |= vt_buf_add(b, l[i].k, l[i].klen);
		rc |= vt_buf_add(b, "=\"", 2);
		rc |= vt_buf_add(b, l[i].v, l[i].vlen);
		rc |= vt_buf_add(b, "\"", 1);
	}
	if (k > 0)
		rc |= vt_buf_add(b, "}", 1);
	vt_prom_fmt_dbl(d, num, sizeof(num));
	rc |= vt_buf_add(b, " ", 1);
	rc |= vt_buf_adds(b, num);
	rc |= vt_buf_add(b, "\n", 1);
	if (rc != 0)
		return vt_pf_err(err, errlen, "line %zu: the textfiles "
		    "pass %zu bytes in all", st->lineno, b->max);
	st->p->series[st->nseries++] = (uint32_t)line;
	return VT_OK;
}

/* The series of a sample line: all of it before the value's space. */
static size_t
tf_key_len(const char *line)
{
	const char	*nl = strchr(line, '\n');

	while (nl > line && nl[-1] != ' ')
		nl--;
	return (size_t)(nl - line);
}

static int
tf_series_cmp(const void *a, const void *b, void *text)
{
	const char	*x = (const char *)text + *(const uint32_t *)a;
	const char	*y = (const char *)text + *(const uint32_t *)b;
	size_t		 xl = tf_key_len(x), yl = tf_key_len(y);
	int		 c = memcmp(x, y, xl < yl ? xl : yl);

	if (c != 0)
		return c;
	return xl < yl ? -1 : xl > yl;
}

/* No series twice: sorted by their keys, no two alike. */
static int
tf_dups(struct tf_state *st, char *err, size_t errlen)
{
	uint32_t	*s = st->p->series;
	char		*text;
	size_t		 i, n;

	/* The text ends with a newline: strchr() stops there. */
	if (vt_buf_add(st->p->out, "", 1) == VT_ERR)
		return vt_pf_err(err, errlen, "over %zu bytes",
		    st->p->out->max);
	st->p->out->len--;
	text = st->p->out->data;
	qsort_r(s, st->nseries, sizeof(s[0]), tf_series_cmp, text);
	for (i = 1; i < st->nseries; i++) {
		if (tf_series_cmp(&s[i - 1], &s[i], text) != 0)
			continue;
		n = tf_key_len(text + s[i]) - 1;
		return vt_pf_err(err, errlen, "series %.*s%s twice",
		    (int)(n > 80 ? 80 : n), text + s[i], n > 80 ? "..." : "");
	}
	return VT_OK;
}

int
vt_textfile_parse(struct vt_tf_parse *p, const char *buf, size_t len,
    char *err, size_t errlen)
{
	struct tf_state	 st;
	struct tf_cur	 c;
	const char	*nl, *end = buf + len;
	size_t		 start = p->out->len;

	memset(&st, 0, sizeof(st));
	st.p = p;
	st.fam0 = p->nfam;
	if (memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "a NUL byte");
	if (len > 0 && buf[len - 1] != '\n')
		return vt_pf_err(err, errlen, "no newline at the end "
		    "(written half?)");
	for (c.p = buf; c.p < end; c.p = nl + 1) {
		nl = memchr(c.p, '\n', (size_t)(end - c.p));
		c.end = nl;
		st.lineno++;
		tf_blank(&c);
		if (c.p == c.end)
			continue;
		if (*c.p == '#') {
			c.p++;
			if (tf_comment(&st, &c, err, errlen) == VT_ERR)
				goto fail;
			continue;
		}
		if (tf_sample(&st, &c, err, errlen) == VT_ERR)
			goto fail;
	}
	if (tf_dups(&st, err, errlen) == VT_ERR)
		goto fail;
	return VT_OK;
fail:
	vt_buf_truncate(p->out, start);
	p->nfam = st.fam0;
	return VT_ERR;
}

/*
 * negotiate.c: the two content negotiations of /metrics (see negotiate.h).
 *
 * Both headers are lists of "token *( ; param )" separated by commas; each
 * element is taken apart in place, bounded by the header's length, and
 * anything malformed in one element makes that element count for nothing.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "negotiate.h"

/* One list element: its token and the parameters we read. */
struct ng_elem {
	const char	*tok;
	size_t		 toklen;
	int		 q;		/* thousandths, 0..1000 */
	const char	*version;	/* "version=" value, or NULL */
	size_t		 vlen;
};

static const char *
ng_skip_ows(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static size_t
ng_trim(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* A qvalue ("0", "0.5", "1.000") as thousandths; -1 when malformed. */
static int
ng_qvalue(const char *s, size_t n)
{
	int	q, scale = 100;
	size_t	i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* Parse one element, s..end (no comma inside).  0 when malformed. */
static int
ng_elem(const char *s, const char *end, struct ng_elem *e)
{
	const char	*semi, *eq, *v;
	size_t		 klen, vlen;

	memset(e, 0, sizeof(*e));
	e->q = 1000;
	s = ng_skip_ows(s, end);
	semi = memchr(s, ';', (size_t)(end - s));
	e->tok = s;
	e->toklen = ng_trim(s, (size_t)((semi != NULL ? semi : end) - s));
	if (e->toklen == 0)
		return 0;
	while (semi != NULL) {
		s = ng_skip_ows(semi + 1, end);
		semi = memchr(s, ';', (size_t)(end - s));
		klen = (size_t)((semi != NULL ? semi : end) - s);
		if ((eq = memchr(s, '=', klen)) == NULL)
			return 0;
		v = ng_skip_ows(eq + 1, end);
		vlen = ng_trim(v, (size_t)((semi != NULL ? semi : end) - v));
		klen = ng_trim(s, (size_t)(eq - s));
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (klen == 1 && (*s == 'q' || *s == 'Q')) {
			if ((e->q = ng_qvalue(v, vlen)) < 0)
				return 0;
		} else if (klen == 7 && strncasecmp(s, "version", 7) == 0) {
			e->version = v;
			e->vlen = vlen;
		}
	}
	return 1;
}

static int
ng_is(const struct ng_elem *e, const char *tok)
{
	size_t	n = strlen(tok);

	return e->toklen == n && strncasecmp(e->tok, tok, n) == 0;
}

static int
ng_version(const struct ng_elem *e, const char *const *ok)
{
	if (e->version == NULL)
		return 1;
	for (; *ok != NULL; ok++)
		if (strlen(*ok) == e->vlen &&
		    memcmp(*ok, e->version, e->vlen) == 0)
			return 1;
	return 0;
}

/*
 * Walk the comma-separated list h, calling fn on each well-formed
 * element with arg.
 */
static void
ng_each(const char *h, void (*fn)(const struct ng_elem *, void *), void *arg)
{
	const char	*end, *comma;
	struct ng_elem	 e;

	if (h == NULL)
		return;
	end = h + strlen(h);
	while (h < end) {
		comma = memchr(h, ',', (size_t)(end - h));
		if (ng_elem(h, comma != NULL ? comma : end, &e))
			fn(&e, arg);
		h = comma != NULL ? comma + 1 : end;
	}
}

/* Accept-Encoding: the q of gzip by name and of the wildcard. */
struct ng_gzip {
	int	named;		/* -1: not named */
	int	star;
};

static void
ng_gzip_elem(const struct ng_elem *e, void *arg)
{
	struct ng_gzip	*g = arg;

	if (ng_is(e, "gzip") || ng_is(e, "x-gzip")) {
		if (e->q > g->named)
			g->named = e->q;
	} else if (ng_is(e, "*") && e->q > g->star)
		g->star = e->q;
}

int
vt_accepts_gzip(const char *accept_encoding)
{
	struct ng_gzip	g = { -1, -1 };

	ng_each(accept_encoding, ng_gzip_elem, &g);
	/* A named entry beats the wildcard, "gzip;q=0, *" refuses gzip. */
	return g.named >= 0 ? g.named > 0 : g.star > 0;
}

/* Accept: the best q of each format we can write. */
struct ng_format {
	int	om;
	int	text;
};

static void
ng_format_elem(const struct ng_elem *e, void *arg)
{
	static const char *const om_versions[] = { "1.0.0", "0.0.1", NULL };
	static const char *const text_versions[] = { "0.0.4", NULL };
	struct ng_format	*f = arg;

	if (ng_is(e, "application/openmetrics-text") &&
	    ng_version(e, om_versions)) {
		if (e->q > f->om)
			f->om = e->q;
	} else if (ng_is(e, "text/plain") && ng_version(e, text_versions)) {
		if (e->q > f->text)
			f->text = e->q;
	}
}

int
vt_prefers_openmetrics(const char *accept)
{
	struct ng_format	f = { 0, 0 };

	ng_each(accept, ng_format_elem, &f);
	return f.om > 0 && f.om >= f.text;
}

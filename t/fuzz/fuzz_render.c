/*
 * fuzz_render.c: the renderers' handling of untrusted text
 * (app/render/utf8.c, html.c, openmetrics.c), in one target.
 *
 * The input's first line names what to drive, the rest is its input:
 *
 *	escape		bytes (a hostname, an interface or process
 *			name) through vt_utf8_clean() and vt_html_escape():
 *			the results must be valid UTF-8, with no markup
 *			character left
 *	page		an /api/metrics document (JSON) through
 *			vt_html_page(): every '<' of the page must open or
 *			close one of the template's own tags, and the page
 *			must be valid UTF-8
 *	openmetrics	text 0.0.4 through vt_render_openmetrics()
 *
 * An unknown name is ignored.
 */
#include "config.h"

#include <strings.h>

#include <json-c/json.h>

#include "vitals.h"
#include "buf.h"
#include "render/html.h"
#include "render/openmetrics.h"
#include "render/utf8.h"
#include "fuzz.h"

#define PAGE_MAX	(4u << 20)	/* the worker's cap on a reply body */

/* The elements of the page's template (as t/unit/html-t.c lists them). */
static const char *const tags[] = {
	"!DOCTYPE", "html", "head", "meta", "title", "link", "script", "body",
	"header", "div", "h1", "h2", "h3", "p", "span", "main", "section",
	"dl", "dt", "dd", "fieldset", "legend", "input", "label", "noscript",
	"figure", "figcaption", "table", "caption", "thead", "tbody", "tr",
	"th", "td", "meter", "footer", "a", "strong", "ul", "li"
};

/*
 * 1 when s[0..len) is UTF-8 as RFC 3629 has it (no overlong forms, no
 * surrogates, nothing past U+10FFFF), written apart from utf8.c so that
 * the two can disagree.
 */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, k, n;
	uint32_t	c;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			c = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			c = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			c = s[i] & 0x07;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
		i += n + 1;
	}
	return 1;
}

static void
escape(const char *in, size_t len)
{
	static struct vt_buf	b;
	static int		init;
	char		       *s, *clean;
	size_t			n, i;

	if (!init) {
		if (vt_buf_init(&b, 4096, PAGE_MAX) != VT_OK)
			abort();
		init = 1;
	}
	s = fuzz_cstr((const uint8_t *)in, len);
	if ((clean = malloc(VT_UTF8_CLEAN_LEN(len))) == NULL)
		abort();
	n = vt_utf8_clean(s, clean, VT_UTF8_CLEAN_LEN(len));
	FUZZ_CHECK(clean[n] == '\0' && n == strlen(clean));
	FUZZ_CHECK(valid_utf8((const unsigned char *)clean, n));
	/* A short buffer cuts before a character, never inside one. */
	n = vt_utf8_clean(s, clean, 1 + len % 7);
	FUZZ_CHECK(n < 1 + len % 7 && clean[n] == '\0');
	FUZZ_CHECK(valid_utf8((const unsigned char *)clean, n));
	for (i = 0; i < len; i++)
		FUZZ_CHECK(vt_utf8_seq((const unsigned char *)in + i,
		    len - i) <= 4);

	vt_buf_reset(&b);
	FUZZ_CHECK(vt_html_escape(in, len, &b) == VT_OK);
	FUZZ_CHECK(valid_utf8((const unsigned char *)b.data, b.len));
	FUZZ_CHECK(memchr(b.data, '\0', b.len) == NULL);
	for (i = 0; i < b.len; i++)
		FUZZ_CHECK(b.data[i] != '<' && b.data[i] != '>' &&
		    b.data[i] != '"' && b.data[i] != '\'');
	free(clean);
	free(s);
}

/* The name after each '<' of p[0..len) must be one of the template's. */
static void
markup(const char *p, size_t len)
{
	const char     *end = p + len, *name;
	size_t		i, n;
	int		known;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		p++;
		if (p < end && *p == '/')
			p++;
		name = p;
		while (p < end && (*p == '!' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			p++;
		n = (size_t)(p - name);
		known = 0;
		for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			if (strlen(tags[i]) == n &&
			    strncasecmp(tags[i], name, n) == 0)
				known = 1;
		if (!known)
			fprintf(stderr, "unknown markup: <%.*s\n", (int)n,
			    name);
		FUZZ_CHECK(known);
	}
}

static void
page(const char *in, size_t len)
{
	static struct vt_buf	b;
	static int		init;
	struct json_tokener    *tok;
	struct json_object     *doc;

	if (!init) {
		if (vt_buf_init(&b, 4096, PAGE_MAX) != VT_OK)
			abort();
		init = 1;
	}
	if ((tok = json_tokener_new()) == NULL)
		abort();
	doc = json_tokener_parse_ex(tok, in, (int)len);
	json_tokener_free(tok);
	/* The sampler's document is an object; anything else is no sample. */
	if (doc != NULL && !json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		doc = NULL;
	}
	vt_buf_reset(&b);
	FUZZ_CHECK(vt_html_page(doc, &b) == VT_OK);
	FUZZ_CHECK(valid_utf8((const unsigned char *)b.data, b.len));
	markup(b.data, b.len);
	json_object_put(doc);
}

static void
openmetrics(const char *in, size_t len)
{
	static struct vt_buf	b;
	static int		init;

	if (!init) {
		if (vt_buf_init(&b, 4096, PAGE_MAX) != VT_OK)
			abort();
		init = 1;
	}
	vt_buf_reset(&b);
	if (vt_render_openmetrics(in, len, &b) == VT_OK)
		FUZZ_CHECK(b.len >= 6 &&
		    memcmp(b.data + b.len - 6, "# EOF\n", 6) == 0);
}

static const struct {
	const char     *name;
	void		(*run)(const char *, size_t);
} modes[] = {
	{ "escape", escape },
	{ "page", page },
	{ "openmetrics", openmetrics },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char     *in = (const char *)data, *nl;
	size_t		i, namelen;

	if ((nl = memchr(in, '\n', size)) == NULL)
		return 0;
	namelen = (size_t)(nl - in);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strlen(modes[i].name) == namelen &&
		    memcmp(modes[i].name, in, namelen) == 0) {
			modes[i].run(nl + 1, size - namelen - 1);
			break;
		}
	}
	return 0;
}

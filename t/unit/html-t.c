/*
 * html-t.c: render/html.c, the dashboard page and its escaping.
 *
 * vt_html_escape() on each of & < > " ', on valid and invalid UTF-8 and
 * on control characters; then the page for documents with hostile
 * strings (a hostname with <script>, an interface named "><img …), for
 * no document at all, for wrong types, for a real sampler document
 * (t/expected/vm2.json) and for one far past the bounds: every tag of the
 * output must be one the template writes, with no attribute it does not
 * write, and the size must stay bounded.  Then the verdict banner, the
 * checks list, the database panel and the listeners table for the
 * documents of t/fixtures/html/ (healthy, warning, critical, hostile
 * strings), with the block absent, with a stale sample, and far past
 * their bounds.  Last, the handler of GET / on
 * a scoreboard of the test's own: before the first sample, with one,
 * with a newer one, with a document that does not parse.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "collect/listeners.h"
#include "handlers/handlers.h"
#include "render/html.h"
#include "scoreboard.h"
#include "shmdoc.h"
#include "tap.h"
#include "vitals.h"

#define PAGE_MAX	(4u << 20)	/* the worker's cap on a reply body */

/* A sample with a hostile string in every place a string goes. */
static const char hostile_doc[] =
    "{\"timestamp_ms\":1795367230590,\"interval_s\":1,"
    "\"host\":{\"hostname\":\"<script>alert(1)</script>\","
    "\"kernel\":\"6.1 & <b>bold</b>\",\"uptime_seconds\":90061.5},"
    "\"load\":{\"load1\":0.245,\"load5\":1,\"load15\":12.5},"
    "\"cpu\":{\"count\":2,\"total\":{\"busy_percent\":12.25,"
    "\"iowait_percent\":0}},"
    "\"memory\":{\"total_bytes\":25276502016,\"used_bytes\":446750720,"
    "\"used_percent\":1.77,\"swap_total_bytes\":0,\"swap_used_bytes\":0},"
    "\"filesystems\":[{\"mountpoint\":\"/mnt/it's \\\"here\\\"\","
    "\"device\":\"/dev/<sda>\",\"fstype\":\"ext4\",\"readonly\":true,"
    "\"state\":\"ok\",\"size_bytes\":10737418240,"
    "\"free_bytes\":4294967296,\"avail_bytes\":3758096384,"
    "\"used_bytes\":6442450944,\"used_percent\":63.16},"
    "{\"mountpoint\":\"/nfs\","
    "\"device\":\"srv:/x\",\"fstype\":\"nfs\",\"readonly\":false,"
    "\"state\":\"timeout<i>\",\"size_bytes\":null}],"
    "\"disks\":[{\"name\":\"vd'a\",\"read_bytes_per_second\":4718592,"
    "\"write_bytes_per_second\":1536,\"reads_per_second\":450,"
    "\"writes_per_second\":null,\"busy_percent\":25}],"
    "\"network\":[{\"interface\":\"lo\",\"rx_bytes_per_second\":1000,"
    "\"tx_bytes_per_second\":1000},"
    "{\"interface\":\"\\\"><img src=x onerror=alert(1)>\","
    "\"rx_bytes_per_second\":2000000,\"tx_bytes_per_second\":17087.5,"
    "\"rx_packets_per_second\":331,\"tx_packets_per_second\":201,"
    "\"rx_errors_total\":1,\"tx_errors_total\":2,\"rx_drops_total\":0,"
    "\"tx_drops_total\":0}],"
    "\"derived\":{\"mem_available_bytes\":24829751296,"
    "\"net_rx_bytes_per_second\":2000000,"
    "\"net_tx_bytes_per_second\":17087.5,"
    "\"disk_read_bytes_per_second\":4718592,"
    "\"disk_write_bytes_per_second\":1536},"
    "\"tcp\":{\"states\":{\"established\":7,\"close_wait\":3,"
    "\"<x onmouseover=y>\":1}},"
    "\"processes\":{\"top_cpu\":[{\"pid\":42,"
    "\"name\":\"</td><script>x</script>\",\"state\":\"R\","
    "\"cpu_percent\":99.5,\"rss_bytes\":1048576}],\"top_memory\":[]},"
    "\"sample_age_ms\":412,"
    "\"pool\":{\"workers\":2,\"idle\":1,\"busy\":1,\"accepted\":12345,"
    "\"restarts\":0,\"listen_queue\":0,\"listen_backlog\":1024,"
    "\"uptime_s\":3700}}";

static const char *const tags[] = {
	"!DOCTYPE", "html", "head", "meta", "title", "link", "script", "body",
	"header", "div", "h1", "h2", "h3", "p", "span", "main", "section",
	"dl", "dt", "dd", "fieldset", "legend", "input", "label", "noscript",
	"figure", "figcaption", "table", "caption", "thead", "tbody", "tr",
	"th", "td", "meter", "footer", "a", "ul", "li", "strong"
};

static const char *const attrs[] = {
	"lang", "charset", "name", "content", "rel", "href", "type", "src",
	"defer", "id", "class", "role", "aria-live", "aria-hidden",
	"aria-labelledby", "data-k", "data-f", "value", "checked", "for",
	"data-chart", "tabindex", "scope", "colspan", "min", "max", "low",
	"high", "optimum", "data-state", "data-check", "aria-atomic",
	"data-live"
};

static int
in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

/*
 * Walk the markup as a browser's tokenizer would, roughly: every '<' must
 * open a tag of the template's (or close one), each attribute must be one
 * of the template's with a double-quoted value, and a script must be an
 * empty element loading a file under /static/.  Returns NULL, or what was
 * wrong (in a static buffer).
 */
static const char *
markup_check(const char *s)
{
	static char	why[200];
	const char     *p = s, *name, *v;
	size_t		n;
	int		closing;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		closing = *p == '/';
		if (closing)
			p++;
		name = p;
		while (*p == '!' || isalnum((unsigned char)*p))
			p++;
		n = (size_t)(p - name);
		if (!in_list(tags, VT_ARRAY_LEN(tags), name, n)) {
			snprintf(why, sizeof(why), "unexpected tag <%.40s",
			    name);
			return why;
		}
		if (!closing && n == 6 && strncmp(name, "script", 6) == 0 &&
		    strncmp(p, " src=\"/static/", 14) != 0) {
			snprintf(why, sizeof(why), "a script not from /static/:"
			    " %.60s", p);
			return why;
		}
		for (;;) {
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p == '>' || *p == '\0')
				break;
			if (n == 8 && strncmp(name, "!DOCTYPE", 8) == 0 &&
			    strncmp(p, "html", 4) == 0) {
				p += 4;
				continue;
			}
			v = p;
			while (isalnum((unsigned char)*p) || *p == '-')
				p++;
			if (!in_list(attrs, VT_ARRAY_LEN(attrs), v,
			    (size_t)(p - v))) {
				snprintf(why, sizeof(why), "unexpected "
				    "attribute in <%.*s: %.40s", (int)n, name,
				    v);
				return why;
			}
			if (*p != '=')
				continue;
			if (p[1] != '"') {
				snprintf(why, sizeof(why), "unquoted value: "
				    "%.40s", v);
				return why;
			}
			if ((p = strchr(p + 2, '"')) == NULL)
				return "an attribute value never ends";
			p++;
		}
		if (*p == '\0')
			return "a tag never ends";
	}
	/* Scripts: exactly the two files, each closed at once. */
	n = 0;
	for (p = s; (p = strstr(p, "<script")) != NULL; p++, n++)
		if (strstr(p, "></script>") != strchr(p, '>'))
			return "a script element with content";
	if (n != 2)
		return "not exactly two scripts";
	return NULL;
}

static struct json_object *
parse(const char *s)
{
	struct json_object	*o = json_tokener_parse(s);

	if (o == NULL)
		bail("test document does not parse");
	return o;
}

static void
test_escape(void)
{
	struct vt_buf	b;
	static const char nul[] = "a\0b";

	vt_buf_init(&b, 16, 1024);

	ok(vt_html_escapes("a<b>&\"'c", &b) == VT_OK, "escape returns 0");
	is_str(b.data, "a&lt;b&gt;&amp;&quot;&#39;c",
	    "& < > \" ' become entities");

	vt_buf_reset(&b);
	vt_html_escapes("plain text, tab\tand\nnewline", &b);
	is_str(b.data, "plain text, tab\tand\nnewline",
	    "plain text, tab and newline pass");

	vt_buf_reset(&b);
	vt_html_escapes("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", &b);
	is_str(b.data, "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "valid UTF-8 (2, 3 and 4 bytes) passes");

	vt_buf_reset(&b);
	vt_html_escapes("a\xff" "b", &b);
	is_str(b.data, "a\xef\xbf\xbd" "b", "a stray byte becomes U+FFFD");

	vt_buf_reset(&b);
	vt_html_escapes("\xc0\xaf", &b);
	is_str(b.data, "\xef\xbf\xbd\xef\xbf\xbd",
	    "an overlong '/' becomes two U+FFFD");

	vt_buf_reset(&b);
	vt_html_escapes("\xed\xa0\x80", &b);
	is_str(b.data, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "a UTF-16 surrogate is not UTF-8");

	vt_buf_reset(&b);
	vt_html_escapes("\xf4\x90\x80\x80", &b);
	is_str(b.data, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "nothing past U+10FFFF");

	vt_buf_reset(&b);
	vt_html_escape("x\xe2\x82", 3, &b);
	is_str(b.data, "x\xef\xbf\xbd\xef\xbf\xbd",
	    "a sequence cut by the end of the string");

	vt_buf_reset(&b);
	vt_html_escape("<\xe2\x82<", 4, &b);
	is_str(b.data, "&lt;\xef\xbf\xbd\xef\xbf\xbd&lt;",
	    "a cut sequence does not swallow the markup after it");

	vt_buf_reset(&b);
	vt_html_escapes("\x01\x1b[31m\x7f\xc2\x85", &b);
	is_str(b.data, "\xef\xbf\xbd\xef\xbf\xbd[31m\xef\xbf\xbd\xef\xbf\xbd",
	    "C0, DEL and C1 controls become U+FFFD, one each");

	vt_buf_reset(&b);
	vt_html_escape(nul, 3, &b);
	is_str(b.data, "a\xef\xbf\xbd" "b", "a NUL inside the length too");

	vt_buf_reset(&b);
	ok(vt_html_escape("", 0, &b) == VT_OK && b.len == 0,
	    "the empty string");

	vt_buf_free(&b);
	vt_buf_init(&b, 8, 16);
	vt_buf_adds(&b, "keep");
	ok(vt_html_escapes("<<<<", &b) == VT_ERR,
	    "past the buffer's cap: -1");
	is_str(b.data, "keep", "... and the buffer is as it was");
	ok(vt_html_escapes("<", &b) == VT_OK, "what fits still goes in");
	is_str(b.data, "keep&lt;", "... appended");
	vt_buf_free(&b);
}

static void
test_hostile(void)
{
	struct json_object	*doc = parse(hostile_doc);
	struct vt_buf		 b;
	const char		*why;

	vt_buf_init(&b, 4096, PAGE_MAX);
	ok(vt_html_page(doc, &b) == VT_OK, "the hostile page renders");
	why = markup_check(b.data);
	ok(why == NULL, "only the template's own markup%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<script>") == NULL, "no <script> from the hostname");
	ok(strstr(b.data, "<img") == NULL, "no <img from the interface name");
	ok(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "the hostname, escaped");
	ok(strstr(b.data, "<title>&lt;script&gt;alert(1)&lt;/script&gt; ") !=
	    NULL, "... in the title too");
	ok(strstr(b.data, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") !=
	    NULL, "the interface name, escaped");
	ok(strstr(b.data, "/mnt/it&#39;s &quot;here&quot;") != NULL,
	    "quotes in a mount point");
	ok(strstr(b.data, "6.1 &amp; &lt;b&gt;bold&lt;/b&gt;") != NULL,
	    "the kernel string");
	ok(strstr(b.data, "&lt;X ONMOUSEOVER=Y&gt;") != NULL,
	    "a TCP state name (a JSON key) is escaped too");
	ok(strstr(b.data, "timeout&lt;i&gt;") != NULL,
	    "a filesystem's state");
	ok(strstr(b.data, "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;") != NULL,
	    "a process name");

	/* The figures, formatted as dashboard.js formats them. */
	ok(strstr(b.data, "data-f=\"pct\">12.3 %</span>") != NULL,
	    "CPU busy: 12.25 rounds half up to 12.3 %%");
	ok(strstr(b.data, "data-k=\"load.load1\" data-f=\"load\">0.25<") !=
	    NULL, "load: two decimals");
	ok(strstr(b.data, ">23.5 GiB<") != NULL, "memory total in GiB");
	ok(strstr(b.data, ">426 MiB<") != NULL, "memory used in MiB");
	ok(strstr(b.data, ">1 d 1 h<") != NULL, "uptime as a duration");
	ok(strstr(b.data, ">0.4 s<") != NULL, "the sample's age");
	ok(strstr(b.data, "data-k=\"derived.net_rx_bytes_per_second\" "
	    "data-f=\"rate\">1.91 MiB/s<") != NULL,
	    "network receive: the document's total (all but lo)");
	ok(strstr(b.data, ">4.50 MiB/s<") != NULL, "disk read rate");
	ok(strstr(b.data, ">1.50 KiB/s<") != NULL, "disk write rate");
	ok(strstr(b.data, ">16.7 KiB/s<") != NULL, "transmit rate");
	ok(strstr(b.data, "<td class=\"num\">3</td>") != NULL,
	    "errors: receive and transmit added");
	ok(strstr(b.data, "<tr class=\"watch\"><th scope=\"row\">CLOSE_WAIT"
	    "</th><td class=\"num\">3</td>") != NULL,
	    "CLOSE_WAIT has its row, marked");
	ok(strstr(b.data, "value=\"63.2\"></meter> 63.2 %") != NULL,
	    "a filesystem's use, as a meter and as text");
	ok(strstr(b.data, "<td class=\"num\">6.00 GiB</td>") != NULL,
	    "a filesystem's used size, from the document");
	ok(strstr(b.data, "ext4 (ro)") != NULL, "a read-only filesystem");
	ok(strstr(b.data, ">12345<") != NULL, "the pool's accepted count");
	ok(strstr(b.data, ">1 h 1 min<") != NULL, "the pool's uptime");
	ok(strstr(b.data, "data-k=\"load.load15\" data-f=\"load\">12.50<") !=
	    NULL, "load 15: 12.50");
	ok(strstr(b.data, "<td class=\"num\">\xe2\x80\x94</td>") != NULL,
	    "a null rate is a dash");
	ok(b.len > 0 && b.data[b.len - 1] == '\n' &&
	    strstr(b.data, "</html>\n") == b.data + b.len - 8,
	    "the page ends with </html>");

	vt_buf_free(&b);
	json_object_put(doc);
}

static void
test_no_sample(void)
{
	struct vt_buf		 b;
	struct json_object	*wrong;
	const char		*why;

	vt_buf_init(&b, 4096, PAGE_MAX);
	ok(vt_html_page(NULL, &b) == VT_OK, "no sample yet: a page still");
	ok(strstr(b.data, "Waiting for the first sample") != NULL,
	    "... that says it waits for one");
	why = markup_check(b.data);
	ok(why == NULL, "... with the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<title>\xe2\x80\x94 \xc2\xb7 Vitals</title>") !=
	    NULL, "... and a dash for the host name");

	/* Every member of the wrong type. */
	wrong = parse("{\"host\":{\"hostname\":42,\"kernel\":[],"
	    "\"uptime_seconds\":\"long\"},\"cpu\":[1],\"network\":{},"
	    "\"filesystems\":\"/\",\"disks\":7,\"tcp\":{\"states\":[]},"
	    "\"processes\":{\"top_cpu\":{}},\"pool\":null}");
	vt_buf_reset(&b);
	ok(vt_html_page(wrong, &b) == VT_OK, "a document of wrong types");
	why = markup_check(b.data);
	ok(why == NULL, "... renders dashes%s%s", why ? ": " : "",
	    why ? why : "");
	ok(strstr(b.data, "<h1 id=\"hostname\"><span data-k=\"host.hostname\" "
	    "data-f=\"str\">\xe2\x80\x94</span></h1>") != NULL,
	    "... a number is not taken for the host name");
	json_object_put(wrong);

	/* Numbers past every sensible range. */
	wrong = parse("{\"host\":{\"uptime_seconds\":1e300},\"memory\":"
	    "{\"total_bytes\":1e300,\"used_bytes\":-5,\"used_percent\":"
	    "-1e300},\"sample_age_ms\":1e308,\"load\":{\"load1\":-0.001}}");
	vt_buf_reset(&b);
	ok(vt_html_page(wrong, &b) == VT_OK, "huge and negative numbers");
	why = markup_check(b.data);
	ok(why == NULL, "... render%s%s", why ? ": " : "", why ? why : "");
	ok(strstr(b.data, ">11574074074 d 1 h<") != NULL,
	    "... a duration is capped at 10^15 s");
	ok(strstr(b.data, "data-f=\"load\">0.00<") != NULL,
	    "... -0.001 rounds to 0.00, not -0.00");
	json_object_put(wrong);

	wrong = parse("[1,2,3]");
	vt_buf_reset(&b);
	ok(vt_html_page(wrong, &b) == VT_OK &&
	    strstr(b.data, "Waiting for the first sample") != NULL,
	    "a document that is not an object: as no sample");
	json_object_put(wrong);
	vt_buf_free(&b);
}

static void
test_real_sample(void)
{
	struct json_object	*doc, *host;
	struct vt_buf		 b, want;
	const char		*why;
	char			*text;

	text = tap_fixture("../expected/vm2.json", NULL);
	doc = parse(text);
	vt_buf_init(&b, 4096, PAGE_MAX);
	vt_buf_init(&want, 64, 4096);
	ok(vt_html_page(doc, &b) == VT_OK, "vm2's sample renders");
	why = markup_check(b.data);
	ok(why == NULL, "... with the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	if (json_object_object_get_ex(doc, "host", &host) &&
	    json_object_object_get_ex(host, "hostname", &host)) {
		vt_buf_adds(&want, "<h1 id=\"hostname\"><span "
		    "data-k=\"host.hostname\" data-f=\"str\">");
		vt_html_escapes(json_object_get_string(host), &want);
		ok(strstr(b.data, want.data) != NULL, "... with its host name");
	} else
		skip(1, "vm2.json has no host name");
	ok(b.len < 64 * 1024, "... in less than 64 KiB (%zu bytes)", b.len);
	ok(strstr(b.data, "<html lang=\"en\" data-live=\"off\">") != NULL,
	    "... data-live off: the sample has no live_push");
	json_object_object_add(doc, "live_push",
	    json_object_new_boolean(1));
	vt_buf_reset(&b);
	ok(vt_html_page(doc, &b) == VT_OK &&
	    strstr(b.data, "<html lang=\"en\" data-live=\"on\">") != NULL,
	    "live_push true: data-live on");
	json_object_object_add(doc, "live_push",
	    json_object_new_string("true"));
	vt_buf_reset(&b);
	ok(vt_html_page(doc, &b) == VT_OK &&
	    strstr(b.data, "data-live=\"off\"") != NULL,
	    "live_push a string, not a boolean: data-live off");
	json_object_put(doc);
	free(text);
	vt_buf_free(&want);
	vt_buf_free(&b);
}

/*
 * The master's fallback page (app/fallback.c, "source"): the header and
 * the banner say the pool is not answering; the pool's own page does not.
 */
static void
test_master_page(void)
{
	struct json_object	*doc;
	struct vt_buf		 b;
	char			*text;

	text = tap_fixture("../expected/vm2.json", NULL);
	doc = parse(text);
	vt_buf_init(&b, 4096, PAGE_MAX);
	ok(vt_html_page(doc, &b) == VT_OK, "the pool's page renders");
	ok(strstr(b.data, "not answering") == NULL,
	    "... and says nothing of the master");
	json_object_object_add(doc, "source",
	    json_object_new_string(VT_HTML_SOURCE_MASTER));
	vt_buf_reset(&b);
	ok(vt_html_page(doc, &b) == VT_OK, "the master's page renders");
	ok(strstr(b.data, "role=\"status\" aria-live=\"polite\">The pool "
	    "is not answering: the master\xe2\x80\x99s snapshot</span>") !=
	    NULL, "... its header says the pool is not answering");
	ok(strstr(b.data, "The pool is not answering: this verdict is the "
	    "master\xe2\x80\x99s, served by nginx.</p>") != NULL,
	    "... and so does its banner's note");
	json_object_object_add(doc, "source", json_object_new_string("x"));
	vt_buf_reset(&b);
	ok(vt_html_page(doc, &b) == VT_OK &&
	    strstr(b.data, "not answering") == NULL,
	    "another source: the pool's page");
	json_object_put(doc);
	free(text);
	vt_buf_free(&b);
}

/* A document far past every bound: the page stays bounded. */
static void
test_bounds(void)
{
	struct json_object	*doc, *arr, *o;
	struct vt_buf		 b;
	char			*big;
	size_t			 i, rows;
	const char		*p;

	big = malloc(20000);
	memset(big, '<', 19999);
	big[19999] = '\0';
	doc = json_object_new_object();
	o = json_object_new_object();
	json_object_object_add(o, "hostname", json_object_new_string(big));
	json_object_object_add(doc, "host", o);
	arr = json_object_new_array();
	for (i = 0; i < 1000; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "interface",
		    json_object_new_string(big));
		json_object_object_add(o, "rx_bytes_per_second",
		    json_object_new_double(1));
		json_object_array_add(arr, o);
	}
	json_object_object_add(doc, "network", arr);

	vt_buf_init(&b, 4096, PAGE_MAX);
	ok(vt_html_page(doc, &b) == VT_OK, "1000 interfaces of 20000 bytes");
	for (rows = 0, p = b.data; (p = strstr(p, "<tr><th scope=\"row\">"
	    "&lt;")) != NULL; p++)
		rows++;
	is_int(rows, VT_MAX_IFACES, "only VT_MAX_IFACES rows");
	ok(strstr(b.data, "<title>&lt;&lt;") != NULL &&
	    strstr(b.data, "<title>&lt;&lt;")[7 + 4 * VT_HTML_STR_MAX] == ' ',
	    "a string is cut at VT_HTML_STR_MAX bytes");
	ok(b.len < 1024 * 1024, "the page stays under 1 MiB (%zu bytes)",
	    b.len);
	vt_buf_free(&b);

	vt_buf_init(&b, 64, 8192);
	vt_buf_adds(&b, "before");
	ok(vt_html_page(doc, &b) == VT_ERR, "past the buffer's cap: -1");
	is_str(b.data, "before", "... and the buffer is as it was");
	vt_buf_free(&b);

	/* A string cut inside a UTF-8 sequence is cut before it. */
	memset(big, 'a', VT_HTML_STR_MAX - 1);
	memcpy(big + VT_HTML_STR_MAX - 1, "\xc3\xa9tail", 7);
	o = json_object_new_object();
	json_object_object_add(o, "hostname", json_object_new_string(big));
	json_object_object_add(doc, "host", o);
	vt_buf_init(&b, 4096, PAGE_MAX);
	vt_html_page(doc, &b);
	p = strstr(b.data, "<title>");
	ok(p != NULL && strncmp(p + 7 + VT_HTML_STR_MAX - 1, " \xc2\xb7",
	    3) == 0, "a cut string ends before a character, not inside");
	vt_buf_free(&b);

	json_object_put(doc);
	free(big);
}

/* The handler, on a scoreboard of its own: GET / as the worker runs it. */
static void
test_handler(void)
{
	static const char	 broken[] = "{\"host\":{\"hostname\":";
	static const char	 second[] =
	    "{\"host\":{\"hostname\":\"second\"}}";
	struct vt_shm		*shm;
	struct vt_ctx		 ctx;
	struct vt_request	 req;
	struct vt_reply		 rep;
	struct vt_buf		 body;
	char			 err[VT_ERRLEN], *doc;
	const char		*why;
	int			 fd, st;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("scoreboard: %s", err);
	memset(&ctx, 0, sizeof(ctx));
	ctx.shm = shm;
	ctx.listen_fd = -1;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.ctx = &ctx;
	vt_buf_init(&body, 16384, PAGE_MAX);
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;

	st = vt_handle_dashboard(&req, &rep);
	ok(st == 200 && rep.status == 200, "no sample yet: 200 (%d)", st);
	ok(strstr(body.data, "Waiting for the first sample") != NULL,
	    "... a page that waits for one");

	/*
	 * The sampler's document: the pool's figures of its tick in, the
	 * per-request sample_age_ms out; published as five seconds old.
	 */
	doc = strdup(hostile_doc);
	{
		char	*age = strstr(doc, "\"sample_age_ms\":412,");

		memmove(age, age + 20, strlen(age + 20) + 1);
	}
	vt_doc_publish(&shm->metrics_json, doc, strlen(doc),
	    vt_wall_ms() - 5000);
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;
	st = vt_handle_dashboard(&req, &rep);
	is_int(st, 200, "a sample: 200");
	is_str(rep.content_type, "text/html; charset=utf-8",
	    "text/html in UTF-8");
	is_str(rep.cache_control, "no-store", "never cached");
	why = markup_check(body.data);
	ok(why == NULL, "the template's markup only%s%s", why ? ": " : "",
	    why ? why : "");
	ok(strstr(body.data, "&lt;script&gt;alert(1)&lt;/script&gt;") !=
	    NULL && strstr(body.data, "<img") == NULL,
	    "the hostile strings, escaped");
	ok(strstr(body.data, "data-k=\"pool.workers\" data-f=\"int\">2<") !=
	    NULL, "the pool's figures are the sample's, as in /api/metrics");
	ok(strstr(body.data, "data-k=\"sample_age_ms\" data-f=\"age\">5.") !=
	    NULL, "the sample's age, per request: 5 s");
	ok(strstr(doc, "sample_age_ms") == NULL, "(not in the document)");

	/* The same sample again: the kept tree; then a newer one. */
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;
	ok(vt_handle_dashboard(&req, &rep) == 200 &&
	    strstr(body.data, "&lt;script&gt;alert(1)") != NULL,
	    "the same sample again");
	vt_doc_publish(&shm->metrics_json, second, strlen(second),
	    vt_wall_ms() + 1000);
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;
	ok(vt_handle_dashboard(&req, &rep) == 200 &&
	    strstr(body.data, "<title>second \xc2\xb7 Vitals</title>") != NULL,
	    "a newer sample replaces it");

	/* A document that does not parse: the waiting page, not an error. */
	vt_doc_publish(&shm->metrics_json, broken, strlen(broken),
	    vt_wall_ms() + 2000);
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;
	ok(vt_handle_dashboard(&req, &rep) == 200 &&
	    strstr(body.data, "Waiting for the first sample") != NULL,
	    "a broken document: the waiting page");

	/* A reply buffer too small for the page: a JSON 500. */
	vt_buf_free(&body);
	vt_buf_init(&body, 64, 1024);
	memset(&rep, 0, sizeof(rep));
	rep.body = &body;
	st = vt_handle_dashboard(&req, &rep);
	ok(st == 500 && strstr(body.data, "\"status\":500") != NULL,
	    "past the reply's cap: 500, as JSON (%d)", st);

	vt_buf_free(&body);
	free(doc);
}

/* The page for the fixture t/fixtures/html/<name>.json, into b. */
static struct json_object *
render_fixture(const char *name, int64_t age_ms, struct vt_buf *b)
{
	struct json_object	*doc;
	char			 path[128], *text;

	snprintf(path, sizeof(path), "html/%s.json", name);
	text = tap_fixture(path, NULL);
	doc = parse(text);
	free(text);
	if (age_ms >= 0)
		json_object_object_add(doc, "sample_age_ms",
		    json_object_new_int64(age_ms));
	vt_buf_reset(b);
	if (vt_html_page(doc, b) == VT_ERR)
		bail("the %s page does not render", name);
	return doc;
}

/* How many times s occurs in the page. */
static size_t
count(const char *page, const char *s)
{
	size_t		n = 0;
	const char     *p = page;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Every href is one of the page's own: a fragment or a path. */
static int
hrefs_ok(const char *page)
{
	const char	*p = page;

	while ((p = strstr(p, "href=\"")) != NULL) {
		p += 6;
		if (*p != '#' && *p != '/')
			return 0;
	}
	return 1;
}

/* The page from the first occurrence of what, or "". */
static const char *
after(const char *page, const char *what)
{
	const char	*p = strstr(page, what);

	return p != NULL ? p : "";
}

static void
test_verdict(void)
{
	struct json_object	*doc;
	struct vt_buf		 b;
	const char		*why, *p, *q, *r;

	vt_buf_init(&b, 4096, PAGE_MAX);

	doc = render_fixture("healthy", 300, &b);
	why = markup_check(b.data);
	ok(why == NULL, "healthy: the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<body>\n<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"ok\">") != NULL,
	    "healthy: the banner comes first in the body, state ok");
	ok(strstr(b.data, "<strong id=\"verdict-state\">Healthy</strong>"
	    "<span id=\"verdict-names\"></span>") != NULL,
	    "... it says Healthy");
	ok(strstr(b.data, "aria-hidden=\"true\" id=\"verdict-glyph\">"
	    "\xe2\x9c\x94</span>") != NULL, "... with a check mark");
	ok(strstr(b.data, "<p class=\"verdict-head\" role=\"status\" "
	    "aria-live=\"polite\"") != NULL, "... in a live region");
	ok(strstr(b.data, "<ul id=\"verdict-list\" class=\"problems\"></ul>") !=
	    NULL, "... no problem listed");
	ok(strstr(b.data, ">11 checks pass.</p>") != NULL,
	    "... and how many checks pass");
	is_int(count(b.data, "<tr class=\"check\""), 11, "every check listed");
	ok(strstr(b.data, "<tr class=\"check\" data-check=\"database\" "
	    "data-state=\"ok\"><td class=\"st\"><span class=\"glyph\" "
	    "aria-hidden=\"true\">\xe2\x9c\x94</span> OK</td>"
	    "<th scope=\"row\">Database</th><td class=\"since\">1 h 1 min "
	    "ago</td><td>Database answers in 1.2 ms</td></tr>") != NULL,
	    "a check%ss row: state, name, since when, summary", "'");
	ok(strstr(b.data, "<dd id=\"db-status\" data-state=\"ok\"><span "
	    "class=\"glyph\" aria-hidden=\"true\">\xe2\x9c\x94</span> OK</dd>")
	    != NULL, "the database panel: OK");
	ok(strstr(b.data, "data-k=\"health.latency_ms\" data-f=\"ms\">1.2 ms<")
	    != NULL, "... its latency");
	ok(strstr(b.data, "<dd id=\"db-checked\">2.8 s ago</dd>") != NULL,
	    "... checked 2.8 s ago (2.5 s before the sample, 0.3 s old)");
	ok(strstr(b.data, "data-k=\"health.schema_version\" data-f=\"int\">3<")
	    != NULL, "... its schema version");
	p = after(b.data, "<tbody id=\"listeners-rows\">");
	ok(strstr(p, "<tr><th scope=\"row\">0.0.0.0:443</th><td>nginx (812)"
	    "</td><td class=\"num\">3 / 511</td><td class=\"use\"><meter "
	    "min=\"0\" max=\"100\" low=\"80\" high=\"90\" optimum=\"0\" "
	    "value=\"0.6\"></meter> 0.6 %</td></tr>") ==
	    p + strlen("<tbody id=\"listeners-rows\">"),
	    "listeners: address:port, process (pid), queue / backlog, a bar");
	ok(strstr(p, "<th scope=\"row\">/run/vitals/vitals.sock</th>"
	    "<td>vitals (700)</td>") != NULL, "... a Unix socket by its path");
	ok(strstr(p, "<th scope=\"row\">[::1]:3306</th><td>\xe2\x80\x94</td>")
	    != NULL, "... IPv6 in brackets, an unknown owner as a dash");
	ok(strstr(b.data, "<p id=\"listeners-more\" class=\"note\"></p>") !=
	    NULL, "... all of them shown: no note");
	json_object_put(doc);

	doc = render_fixture("warning", 300, &b);
	why = markup_check(b.data);
	ok(why == NULL, "warning: the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"warning\">") != NULL, "warning: the banner's state");
	ok(strstr(b.data, "\xe2\x96\xb2</span> <strong id=\"verdict-state\">"
	    "Warning</strong><span id=\"verdict-names\">: CLOSE_WAIT</span>")
	    != NULL, "... Warning, a glyph, the check's name");
	ok(strstr(b.data, "<li class=\"problem\" data-check=\"close_wait\" "
	    "data-state=\"warning\"><span class=\"glyph\" aria-hidden=\"true\">"
	    "\xe2\x96\xb2</span> Warning \xe2\x80\x94 <a href=\"#fig-tcp\">"
	    "CLOSE_WAIT 412 and rising for 6 min; most held by python3 pid "
	    "326662</a></li>") != NULL,
	    "... the problem: state, summary, a link to its chart");
	is_int(count(b.data, "<li class=\"problem\""), 1, "... only it");
	ok(strstr(b.data, "<td class=\"since\">6 min 0 s ago</td>") != NULL,
	    "... warning for 6 min");
	ok(strstr(b.data, "<p id=\"verdict-note\" class=\"verdict-note\">"
	    "</p>") != NULL, "... no note: the list says it");
	json_object_put(doc);

	doc = render_fixture("critical", 300, &b);
	why = markup_check(b.data);
	ok(why == NULL, "critical: the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"critical\">") != NULL,
	    "critical: the banner's state");
	ok(strstr(b.data, "\xe2\x9c\x96</span> <strong id=\"verdict-state\">"
	    "Critical</strong><span id=\"verdict-names\">: Database, "
	    "Listeners, CLOSE_WAIT</span>") != NULL,
	    "... the problems' names, critical first");
	p = strstr(b.data, "data-check=\"database\" data-state=\"critical\">");
	q = strstr(b.data, "<li class=\"problem\" data-check=\"listeners\"");
	r = strstr(b.data, "<li class=\"problem\" data-check=\"close_wait\"");
	ok(p != NULL && q != NULL && r != NULL && p < q && q < r,
	    "... worst first, then in the checks' order");
	ok(strstr(b.data, "Critical \xe2\x80\x94 <a href=\"#database\">"
	    "Database unreachable for 12 s (connection refused)</a></li>") !=
	    NULL,
	    "... \"Critical \xe2\x80\x94 Database unreachable for 12 s\", "
	    "linked to the database panel");
	is_int(count(b.data, "<li class=\"problem\""), 3,
	    "... three problems; unknown and ok are not");
	ok(strstr(b.data, "<tr class=\"check\" data-check=\"cpu\" "
	    "data-state=\"unknown\"><td class=\"st\"><span class=\"glyph\" "
	    "aria-hidden=\"true\">?</span> Unknown</td><th scope=\"row\">CPU"
	    "</th><td class=\"since\">\xe2\x80\x94</td>") != NULL,
	    "an unknown check: ?, Unknown, no since");
	ok(strstr(b.data, "<dd id=\"db-status\" data-state=\"critical\">"
	    "<span class=\"glyph\" aria-hidden=\"true\">\xe2\x9c\x96</span> "
	    "Unreachable</dd>") != NULL, "the database panel: Unreachable");
	ok(strstr(b.data, "data-f=\"ms\">\xe2\x80\x94<") != NULL,
	    "... no latency");
	p = after(b.data, "<tbody id=\"listeners-rows\">");
	q = strstr(p, "127.0.0.1:8080");
	r = strstr(p, "/run/vitals/vitals.sock");
	ok(q != NULL && r != NULL && q < r && r < strstr(p, "0.0.0.0:443"),
	    "listeners: fullest first");
	ok(strstr(p, "<td class=\"num\">129 / 128</td><td class=\"use\">"
	    "<meter min=\"0\" max=\"100\" low=\"80\" high=\"90\" optimum=\"0\" "
	    "value=\"100.8\"></meter> 100.8 %</td>") != NULL,
	    "... the full one: 129 of 128, 100.8 %%");
	ok(strstr(b.data, "<p id=\"listeners-more\" class=\"note\">The 3 "
	    "fullest of 70 listeners.</p>") != NULL,
	    "... and how many there are in all");
	json_object_put(doc);

	/* The sampler, judged from the sample's age. */
	doc = render_fixture("healthy", 12000, &b);
	ok(strstr(b.data, "data-state=\"warning\">") != NULL &&
	    strstr(b.data, "<span id=\"verdict-names\">: Sampler</span>") !=
	    NULL, "a sample 12 s old: the sampler is a warning");
	ok(strstr(b.data, "<li class=\"problem\" data-check=\"sampler\" "
	    "data-state=\"warning\">") != NULL && strstr(b.data,
	    "<a href=\"#checks\">The last sample is 12 s old</a>") != NULL,
	    "... \"The last sample is 12 s old\"");
	json_object_put(doc);
	doc = render_fixture("healthy", 45000, &b);
	ok(strstr(b.data, "<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"critical\">") != NULL && strstr(b.data,
	    "The last sample is 45 s old") != NULL,
	    "45 s old: critical");
	json_object_put(doc);
	doc = render_fixture("healthy", 4900, &b);
	ok(strstr(b.data, "data-state=\"ok\">") != NULL,
	    "4.9 s old: still healthy");
	json_object_put(doc);

	/* Served per sample: rendered once, times from the sample. */
	{
		char	*text = tap_fixture("html/healthy.json", NULL);
		size_t	 age_at;

		doc = parse(text);
		free(text);
		vt_buf_reset(&b);
		ok(vt_html_page_split(doc, &b, &age_at) == VT_OK &&
		    strstr(b.data, "data-state=\"ok\">") != NULL &&
		    strstr(b.data, "<dd id=\"db-checked\">2.5 s ago</dd>") !=
		    NULL, "the split page: healthy, times from the sample");
		json_object_put(doc);
	}

	/* The block absent: neutral, and says so. */
	doc = parse(hostile_doc);
	vt_buf_reset(&b);
	vt_html_page(doc, &b);
	ok(strstr(b.data, "<div id=\"verdict\" class=\"verdict\" "
	    "data-state=\"unknown\">") != NULL && strstr(b.data,
	    "<strong id=\"verdict-state\">Checks not available</strong>") !=
	    NULL, "no checks block: \"Checks not available\"");
	ok(strstr(b.data, "<ul id=\"verdict-list\" class=\"problems\"></ul>\n"
	    "<p id=\"verdict-note\" class=\"verdict-note\"></p>") != NULL,
	    "... and nothing else in the banner");
	ok(strstr(b.data, "<tbody id=\"checks-rows\"><tr><td colspan=\"4\" "
	    "class=\"empty\">Checks not available</td></tr>") != NULL,
	    "... nor in the checks list");
	ok(strstr(b.data, "\xe2\x80\x94</span> Not available</dd>") == NULL &&
	    strstr(b.data, "aria-hidden=\"true\">?</span> Not available</dd>")
	    != NULL, "no health block: the database is Not available");
	ok(strstr(b.data, "<tbody id=\"listeners-rows\"><tr><td colspan=\"4\" "
	    "class=\"empty\">Not available</td></tr>") != NULL,
	    "no listeners: Not available");
	json_object_put(doc);

	vt_buf_reset(&b);
	vt_html_page(NULL, &b);
	ok(strstr(b.data, "<strong id=\"verdict-state\">Waiting for the first "
	    "sample\xe2\x80\xa6</strong>") != NULL,
	    "no sample yet: the banner waits for one");

	/* A verdict without items: the headline says it. */
	doc = parse("{\"checks\":{\"verdict\":\"warning\",\"headline\":"
	    "\"<x> disk\",\"items\":[]},\"listeners\":[]}");
	vt_buf_reset(&b);
	vt_html_page(doc, &b);
	ok(strstr(b.data, "data-state=\"warning\">") != NULL &&
	    strstr(b.data, "<p id=\"verdict-note\" class=\"verdict-note\">"
	    "&lt;x&gt; disk</p>") != NULL,
	    "a warning with no item: the headline, escaped");
	ok(strstr(b.data, "class=\"empty\">No checks<") != NULL &&
	    strstr(b.data, "class=\"empty\">No listeners<") != NULL,
	    "... empty lists say they are empty");
	json_object_put(doc);
	vt_buf_free(&b);
}

static void
test_verdict_hostile(void)
{
	struct json_object	*doc;
	struct vt_buf		 b;
	const char		*why;

	vt_buf_init(&b, 4096, PAGE_MAX);
	doc = render_fixture("hostile-checks", 300, &b);
	why = markup_check(b.data);
	ok(why == NULL, "hostile checks: the template's markup only%s%s",
	    why ? ": " : "", why ? why : "");
	ok(strstr(b.data, "<img") == NULL && strstr(b.data, "<svg") == NULL &&
	    strstr(b.data, "<b>") == NULL && strstr(b.data, "<i>") == NULL,
	    "... no tag from the document");
	ok(hrefs_ok(b.data), "... every link is the page's own");
	ok(strstr(b.data, "data-check=\"database&quot;&gt;&lt;img src=x "
	    "onerror=alert(1)&gt;\" data-state=\"critical\">") != NULL,
	    "a check's name, escaped in its attribute");
	ok(strstr(b.data, "<a href=\"#checks\">&lt;script&gt;alert(&#39;s&#39;)"
	    "&lt;/script&gt; &amp; &quot;q&quot;</a>") != NULL,
	    "a summary, escaped; an unknown chart links to the checks");
	ok(strstr(b.data, "held by &lt;/li&gt;&lt;b&gt;evil&lt;/b&gt;") !=
	    NULL, "... another");
	ok(strstr(b.data, "data-check=\"x\" data-state=\"unknown\">") != NULL,
	    "a state of its own is unknown");
	ok(strstr(b.data, "[&lt;svg onload=alert(1)&gt;]:80</th>"
	    "<td>&lt;/td&gt;&lt;script&gt;p&lt;/script&gt; (1)</td>") != NULL,
	    "a listener's address and process, escaped");
	ok(strstr(b.data, "/tmp/&#39;&quot;&lt;a&gt;.sock</th><td>a&amp;b</td>"
	    "<td class=\"num\">\xe2\x80\x94 / \xe2\x80\x94</td>"
	    "<td class=\"use\">\xe2\x80\x94</td>") != NULL,
	    "... a path, unknown figures");
	ok(strstr(b.data, "aria-hidden=\"true\">?</span> &lt;b&gt;odd&lt;/b&gt;"
	    "</dd>") != NULL, "a health status of its own, escaped");
	ok(strstr(b.data, "<p id=\"listeners-more\" class=\"note\"></p>") !=
	    NULL, "listeners_total not a number: no note");
	json_object_put(doc);
	vt_buf_free(&b);
}

/* Checks and listeners far past the bounds: cut, and the page bounded. */
static void
test_verdict_bounds(void)
{
	struct json_object	*doc, *checks, *items, *ls, *o;
	struct vt_buf		 b;
	char			*big;
	size_t			 i;
	const char		*p, *end;

	big = malloc(20000);
	memset(big, '<', 19999);
	big[19999] = '\0';
	doc = json_object_new_object();
	checks = json_object_new_object();
	items = json_object_new_array();
	for (i = 0; i < 1000; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(big));
		json_object_object_add(o, "state",
		    json_object_new_string("critical"));
		json_object_object_add(o, "summary",
		    json_object_new_string(big));
		json_object_array_add(items, o);
	}
	json_object_object_add(checks, "verdict",
	    json_object_new_string("critical"));
	json_object_object_add(checks, "items", items);
	json_object_object_add(doc, "checks", checks);
	ls = json_object_new_array();
	for (i = 0; i < 1000; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "family",
		    json_object_new_string("tcp"));
		json_object_object_add(o, "address",
		    json_object_new_string(big));
		json_object_object_add(o, "port", json_object_new_int(80));
		json_object_object_add(o, "process",
		    json_object_new_string(big));
		json_object_object_add(o, "fill_percent",
		    json_object_new_double((double)i));
		json_object_array_add(ls, o);
	}
	json_object_object_add(doc, "listeners", ls);
	json_object_object_add(doc, "listeners_total",
	    json_object_new_int(1000));

	vt_buf_init(&b, 4096, PAGE_MAX);
	ok(vt_html_page(doc, &b) == VT_OK,
	    "1000 checks and 1000 listeners of 20000-byte strings");
	is_int(count(b.data, "<li class=\"problem\""), 32,
	    "the banner lists 32 problems at most");
	is_int(count(b.data, "<tr class=\"check\""), 32,
	    "the checks list has 32 rows at most");
	p = after(b.data, "<tbody id=\"listeners-rows\">");
	end = strstr(p, "</tbody>");
	for (i = 0; end != NULL && (p = strstr(p, "<tr>")) != NULL && p < end;
	    p++)
		i++;
	is_int(i, VT_MAX_LISTENERS, "the listeners table: VT_MAX_LISTENERS");
	ok(strstr(b.data, "value=\"63.0\"></meter>") != NULL &&
	    strstr(b.data, "value=\"64.0\"></meter>") == NULL,
	    "... the first VT_MAX_LISTENERS of the document, fullest first");
	ok(strstr(b.data, "The 64 fullest of 1000 listeners.") != NULL,
	    "... and how many there are");
	ok(b.len < 2 * 1024 * 1024, "the page stays under 2 MiB (%zu bytes)",
	    b.len);
	vt_buf_free(&b);
	json_object_put(doc);
	free(big);
}

int
main(void)
{
	test_escape();
	test_hostile();
	test_no_sample();
	test_real_sample();
	test_master_page();
	test_bounds();
	test_verdict();
	test_verdict_hostile();
	test_verdict_bounds();
	test_handler();
	done_testing();
	return tap_exit_status();
}

/*
 * html.h: the dashboard page (GET /) and the HTML escaping it rests on.
 *
 * The page is the first paint of the dashboard: every figure of the
 * latest sample, readable without JavaScript.  app/static/dashboard.js
 * then polls /api/metrics and /api/history and updates the same elements
 * in place (each figure carries data-k, its path in the /api/metrics
 * document, and data-f, its format), so the server and the script render
 * the same document the same way.  The page has no inline script or
 * style: the CSP of the nginx site allows only files under /static/.
 *
 * Every string that reaches the page goes through vt_html_escape():
 * hostnames, interface names, mount points and process names are the
 * kernel's bytes, not trusted text; so are the checks' summaries, which
 * quote them.
 *
 * The page opens with the verdict (#verdict, data-state ok, warning,
 * critical or unknown): "Healthy", or the problems of the document's
 * "checks" block, critical first, each linked to its chart; then every
 * check (.check[data-check=name][data-state=state]), the database's
 * /health result (#database) and every listener's accept queue
 * (#listeners).  A document without those blocks renders as before,
 * with each of them saying it is not available.
 */
#ifndef VT_RENDER_HTML_H
#define VT_RENDER_HTML_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"

/* The longest string the page takes from the document, in bytes. */
#define VT_HTML_STR_MAX	512

/*
 * A cap for a buffer that holds a whole page: the bounds above keep a
 * real page far below it (about 13 KB on a 2-CPU host), and it is the
 * worker's cap on any reply body.
 */
#define VT_HTML_PAGE_MAX	(4u << 20)

/*
 * The sampler check as the page judges it from the sample's age (the
 * defaults of check_sampler_warning and check_sampler_critical, as
 * dashboard.js judges it): stale past the first is a warning, past the
 * second critical.  In milliseconds.
 */
#define VT_HTML_SAMPLER_WARN_MS		5000
#define VT_HTML_SAMPLER_CRIT_MS		30000

/*
 * Append the len bytes at s to out, escaped for HTML text and for quoted
 * attribute values (double or single quotes): & < > " ' become entities;
 * a byte that does not start a valid UTF-8 sequence, a NUL and the C0
 * and C1 controls other than tab, newline and carriage return become
 * U+FFFD.  Not for unquoted attributes, URLs, <script> or <style>.
 * Returns VT_OK, or VT_ERR when out would pass its cap (out is then as
 * it was).
 */
int	vt_html_escape(const char *s, size_t len, struct vt_buf *out);

/* The same for a NUL-terminated string. */
int	vt_html_escapes(const char *s, struct vt_buf *out);

/* The "source" of the master's own page, as nginx's X-Vitals-Source. */
#define VT_HTML_SOURCE_MASTER	"master-fallback"

/*
 * Append the whole page for doc, an /api/metrics document (the sampler's
 * object with "sample_age_ms" and "pool" added), to out.  doc may be NULL
 * (no sample yet): the page then says so and the script fills it in.
 * Missing or null members show as a dash; arrays are cut at the bounds of
 * vitals.h (32 checks, VT_MAX_LISTENERS listeners) and strings at
 * VT_HTML_STR_MAX, so the page's size is bounded whatever the document
 * holds.  The sampler check is judged from "sample_age_ms" (a warning
 * past 5 s, critical past 30 s), as dashboard.js judges it from the
 * sample's timestamp; relative times count from the sample's time plus
 * that age.  With "source" VT_HTML_SOURCE_MASTER (the master's fallback
 * page, app/fallback.h) the header and the banner say that the pool is
 * not answering and this is the master's snapshot.  doc is only read.
 * Returns VT_OK, or VT_ERR when out would pass its cap (out is then as it
 * was).
 */
int	vt_html_page(struct json_object *doc, struct vt_buf *out);

/*
 * The same page for a document without "sample_age_ms", in two parts for
 * serving it many times per sample: the age's text is left out and
 * *age_at gets its offset from where the page begins in out; put
 * vt_html_age's text there.  With doc NULL the page has no age
 * (*age_at is 0: nothing goes in).  Without an age the sampler check is
 * the document's, and relative times count from the sample's time.
 */
int	vt_html_page_split(struct json_object *doc, struct vt_buf *out,
	    size_t *age_at);

/* A sample's age in milliseconds as the page writes it ("0.4 s"). */
void	vt_html_age(int64_t ms, char *dst, size_t len);

#endif /* VT_RENDER_HTML_H */

/*
 * openmetrics.h: /metrics in the OpenMetrics 1.0.0 text format, for the
 * scrapers that ask for it (Prometheus sends "Accept:
 * application/openmetrics-text;version=1.0.0,...").
 *
 * Rather than a second renderer for every family, the master rewrites the
 * text 0.0.4 document it has just rendered (vt_render_prom plus
 * vt_pool_prom), once a tick.  The two formats differ, for what those
 * write, in four ways:
 *
 *  - a counter's family is named without "_total" in HELP and TYPE (its
 *    samples keep it): "# TYPE node_forks counter" then node_forks_total;
 *  - "untyped" is "unknown";
 *  - HELP escapes the double quote too;
 *  - the text ends with "# EOF".
 *
 * Sample lines, labels and values are the same in both.  A counter whose
 * name lacks "_total" (none of ours does) would be invalid as an
 * OpenMetrics counter, so it is typed "unknown" instead; comment lines
 * other than HELP and TYPE, and blank lines, are dropped (OpenMetrics has
 * neither).
 */
#ifndef VT_RENDER_OPENMETRICS_H
#define VT_RENDER_OPENMETRICS_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the OpenMetrics form of len bytes of text 0.0.4 to out.  Returns
 * VT_OK, or VT_ERR when out would pass its cap (out is then as it was).
 */
int	vt_render_openmetrics(const char *text, size_t len,
	    struct vt_buf *out);

#endif /* VT_RENDER_OPENMETRICS_H */

/*
 * render/checks.h: the checks rendered: the "checks" and "health"
 * members of /api/metrics, the GET /api/checks document, and the
 * vitals_check_* and vitals_notify_* families of /metrics.
 *
 * The JSON item of a check is {"name", "state", "since_ms", "value",
 * "threshold", "unit", "summary", "chart"}, value and threshold null when
 * the check has none, chart null when no chart of the page shows it.
 * Ownership: the caller owns the buffers and puts any object returned.
 */
#ifndef VT_RENDER_CHECKS_H
#define VT_RENDER_CHECKS_H

#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "checks.h"
#include "health.h"
#include "notify.h"
#include "render/prom.h"

/* One check's item; the caller puts it. */
struct json_object *vt_checks_item_json(int check,
	    const struct vt_check_item *it);

/*
 * Append the checks document, {"verdict", "headline", "evaluated_ms",
 * "items":[…]} in the fixed order, no whitespace, to out.  VT_OK, or
 * VT_ERR with out unchanged.
 */
int	vt_checks_json(const struct vt_checks *s, struct vt_buf *out);

/*
 * Append the "health" member's value: {"status", "latency_ms",
 * "checked_ms", "schema_version"}; status is "unknown" (and the rest
 * null) when hr was never probed or is older than stale_ms at now_ms.
 */
int	vt_health_json(const struct vt_health_result *hr, int64_t now_ms,
	    int64_t stale_ms, struct vt_buf *out);

/*
 * Write vitals_check_state{check,state}, vitals_check_transitions_total
 * {check,to}, vitals_check_value{check} (absent when null) and, when n
 * is not NULL, vitals_notify_runs_total{result} through w.
 */
void	vt_checks_prom(const struct vt_checks *s,
	    const struct vt_notify_stats *n, struct vt_prom *w);

#endif /* VT_RENDER_CHECKS_H */

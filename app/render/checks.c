/*
 * render/checks.c: the checks as JSON and as Prometheus families (see
 * render/checks.h).  The JSON is written as it goes (jw.h), every tick:
 * the json-c tree it was cost a malloc a value; the one json-c object
 * left is the item the stale-sample answer puts into a parsed document
 * (handlers/checks.c).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "render/checks.h"
#include "render/jw.h"
#include "shmdoc.h"

/* One check's item (checks.h), as a value. */
static void
checks_item(struct vt_jw *w, int check, const struct vt_check_item *it)
{
	vt_jw_open(w, '{');
	vt_jw_rawstr(w, "name", vt_check_names[check]);
	vt_jw_rawstr(w, "state", vt_check_state_names[it->state]);
	vt_jw_i64(w, "since_ms", it->since_ms);
	if (it->has_value)
		vt_jw_g6(w, "value", it->value);
	else
		vt_jw_null(w, "value");
	if (it->has_threshold)
		vt_jw_g6(w, "threshold", it->threshold);
	else
		vt_jw_null(w, "threshold");
	vt_jw_rawstr(w, "unit", it->unit != NULL ? it->unit : "");
	vt_jw_rawstr(w, "summary", it->summary);
	if (vt_check_charts[check] != NULL)
		vt_jw_rawstr(w, "chart", vt_check_charts[check]);
	else
		vt_jw_null(w, "chart");
	vt_jw_close(w, '}');
}

/* The end of a document: VT_OK, or VT_ERR with out as it was. */
static int
checks_done(struct vt_jw *w)
{
	if (!w->err)
		return VT_OK;
	vt_buf_truncate(w->b, w->start);
	return VT_ERR;
}

struct json_object *
vt_checks_item_json(int check, const struct vt_check_item *it)
{
	struct json_object	*o = NULL;
	struct vt_buf		 b;
	struct vt_jw		 w;

	if (vt_buf_init(&b, 1024, VT_DOC_MAX) == VT_ERR)
		return NULL;
	vt_jw_init(&w, &b);
	checks_item(&w, check, it);
	if (checks_done(&w) == VT_OK && vt_buf_add(&b, "", 1) == VT_OK)
		o = json_tokener_parse(b.data);
	vt_buf_free(&b);
	return o;
}

int
vt_checks_json(const struct vt_checks *s, struct vt_buf *out)
{
	struct vt_jw	w;
	int		i;

	vt_jw_init(&w, out);
	vt_jw_open(&w, '{');
	vt_jw_rawstr(&w, "verdict", vt_check_state_names[s->verdict]);
	vt_jw_rawstr(&w, "headline", s->headline);
	vt_jw_i64(&w, "evaluated_ms", s->evaluated_ms);
	vt_jw_key(&w, "items");
	vt_jw_open(&w, '[');
	for (i = 0; i < VT_CHECK_N; i++)
		checks_item(&w, i, &s->item[i]);
	vt_jw_close(&w, ']');
	vt_jw_close(&w, '}');
	return checks_done(&w);
}

int
vt_health_json(const struct vt_health_result *hr, int64_t now_ms,
    int64_t stale_ms, struct vt_buf *out)
{
	struct vt_jw	w;
	int		known;

	known = hr->status >= 0 && hr->status <= VT_DB_ERROR &&
	    now_ms - hr->checked_at_ms <= stale_ms;
	vt_jw_init(&w, out);
	vt_jw_open(&w, '{');
	vt_jw_rawstr(&w, "status", known ?
	    vt_db_err_name((enum vt_db_err)hr->status) : "unknown");
	if (known)
		vt_jw_g6(&w, "latency_ms", hr->latency_ms);
	else
		vt_jw_null(&w, "latency_ms");
	if (hr->status >= 0)
		vt_jw_i64(&w, "checked_ms", hr->checked_at_ms);
	else
		vt_jw_null(&w, "checked_ms");
	if (known && hr->schema_version >= 0)
		vt_jw_i64(&w, "schema_version", hr->schema_version);
	else
		vt_jw_null(&w, "schema_version");
	vt_jw_close(&w, '}');
	return checks_done(&w);
}

void
vt_checks_prom(const struct vt_checks *s, const struct vt_notify_stats *n,
    struct vt_prom *w)
{
	int	i, st;

	vt_prom_family(w, "vitals_check_state", "gauge",
	    "State of each built-in check: 1 for its current state, 0 for "
	    "the others.");
	for (i = 0; i < VT_CHECK_N; i++)
		for (st = 0; st < VT_CHECK_STATES; st++) {
			vt_prom_begin(w);
			vt_prom_label(w, "check", vt_check_names[i]);
			vt_prom_label(w, "state", vt_check_state_names[st]);
			vt_prom_end_u64(w, s->item[i].state ==
			    (enum vt_check_state)st);
		}
	vt_prom_family(w, "vitals_check_transitions_total", "counter",
	    "State changes of each built-in check, by the state entered.");
	for (i = 0; i < VT_CHECK_N; i++)
		for (st = 0; st < VT_CHECK_STATES; st++) {
			vt_prom_begin(w);
			vt_prom_label(w, "check", vt_check_names[i]);
			vt_prom_label(w, "to", vt_check_state_names[st]);
			vt_prom_end_u64(w, s->transitions[i][st]);
		}
	vt_prom_family(w, "vitals_check_value", "gauge",
	    "The value that decided each built-in check, in the check's "
	    "unit.");
	for (i = 0; i < VT_CHECK_N; i++) {
		if (!s->item[i].has_value || !isfinite(s->item[i].value))
			continue;
		vt_prom_begin(w);
		vt_prom_label(w, "check", vt_check_names[i]);
		vt_prom_end_dbl(w, s->item[i].value);
	}
	vt_prom_family(w, "vitals_sampler_checks_duration_seconds", "gauge",
	    "Time the check engine took on the last sample.");
	vt_prom_begin(w);
	vt_prom_end_fixed(w, (uint64_t)(s->eval_us > 0 ? s->eval_us : 0), 6);
	if (n == NULL)
		return;
	vt_prom_family(w, "vitals_notify_runs_total", "counter",
	    "Runs of the notify command, by result.");
	for (st = 0; st < VT_NOTIFY_RESULTS; st++) {
		vt_prom_begin(w);
		vt_prom_label(w, "result", vt_notify_result_names[st]);
		vt_prom_end_u64(w, n->runs[st]);
	}
}

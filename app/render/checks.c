/*
 * render/checks.c: the checks as JSON and as Prometheus families (see
 * render/checks.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "render/checks.h"

/* A number with six significant digits, as written in the document. */
static struct json_object *
checks_num(double v)
{
	char	s[32];

	if (!isfinite(v))
		return NULL;
	snprintf(s, sizeof(s), "%.6g", v);
	return json_object_new_double_s(v, s);
}

struct json_object *
vt_checks_item_json(int check, const struct vt_check_item *it)
{
	struct json_object     *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "name",
	    json_object_new_string(vt_check_names[check]));
	json_object_object_add(o, "state",
	    json_object_new_string(vt_check_state_names[it->state]));
	json_object_object_add(o, "since_ms",
	    json_object_new_int64(it->since_ms));
	json_object_object_add(o, "value", it->has_value ?
	    checks_num(it->value) : NULL);
	json_object_object_add(o, "threshold", it->has_threshold ?
	    checks_num(it->threshold) : NULL);
	json_object_object_add(o, "unit",
	    json_object_new_string(it->unit != NULL ? it->unit : ""));
	json_object_object_add(o, "summary",
	    json_object_new_string(it->summary));
	json_object_object_add(o, "chart", vt_check_charts[check] != NULL ?
	    json_object_new_string(vt_check_charts[check]) : NULL);
	return o;
}

/* Serialise o after what out holds and put it. */
static int
checks_emit(struct json_object *o, struct vt_buf *out)
{
	const char     *s;
	size_t		n = 0;
	int		rc = VT_ERR;

	if (o == NULL)
		return VT_ERR;
	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (s != NULL && n > 0)
		rc = vt_buf_add(out, s, n);
	json_object_put(o);
	return rc;
}

int
vt_checks_json(const struct vt_checks *s, struct vt_buf *out)
{
	struct json_object     *o = json_object_new_object();
	struct json_object     *items = json_object_new_array();
	int			i;

	if (o == NULL || items == NULL) {
		json_object_put(o);
		json_object_put(items);
		return VT_ERR;
	}
	json_object_object_add(o, "verdict",
	    json_object_new_string(vt_check_state_names[s->verdict]));
	json_object_object_add(o, "headline",
	    json_object_new_string(s->headline));
	json_object_object_add(o, "evaluated_ms",
	    json_object_new_int64(s->evaluated_ms));
	for (i = 0; i < VT_CHECK_N; i++)
		json_object_array_add(items, vt_checks_item_json(i,
		    &s->item[i]));
	json_object_object_add(o, "items", items);
	return checks_emit(o, out);
}

int
vt_health_json(const struct vt_health_result *hr, int64_t now_ms,
    int64_t stale_ms, struct vt_buf *out)
{
	struct json_object     *o = json_object_new_object();
	int			known;

	if (o == NULL)
		return VT_ERR;
	known = hr->status >= 0 && hr->status <= VT_DB_ERROR &&
	    now_ms - hr->checked_at_ms <= stale_ms;
	json_object_object_add(o, "status", json_object_new_string(known ?
	    vt_db_err_name((enum vt_db_err)hr->status) : "unknown"));
	json_object_object_add(o, "latency_ms", known ?
	    checks_num(hr->latency_ms) : NULL);
	json_object_object_add(o, "checked_ms", hr->status >= 0 ?
	    json_object_new_int64(hr->checked_at_ms) : NULL);
	json_object_object_add(o, "schema_version", known &&
	    hr->schema_version >= 0 ?
	    json_object_new_int(hr->schema_version) : NULL);
	return checks_emit(o, out);
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

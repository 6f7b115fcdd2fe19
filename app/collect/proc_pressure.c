/*
 * proc_pressure.c: parse /proc/pressure/{cpu,memory,io} (see proc_pressure.h).
 *
 * "some avg10=1.17 avg60=0.35 avg300=0.54 total=4170113"
 * "full avg10=0.00 avg60=0.00 avg300=0.00 total=0"
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_pressure.h"

const char *const vt_psi_resource_names[VT_PSI_NRES] = {
	"cpu", "memory", "io"
};

static int	psi_value(struct vt_span w, const char *key, struct vt_span *v);

/* When w is "key=value", store value in *v and return 1; else 0. */
static int
psi_value(struct vt_span w, const char *key, struct vt_span *v)
{
	size_t	n = strlen(key);

	if (w.len <= n + 1 || memcmp(w.p, key, n) != 0 || w.p[n] != '=')
		return 0;
	v->p = w.p + n + 1;
	v->len = w.len - n - 1;
	return 1;
}

int
vt_proc_pressure_parse(const char *buf, size_t len, struct vt_psi *out,
    char *err, size_t errlen)
{
	struct vt_psi_line	*pl;
	struct vt_span		 line, w[6], v;
	size_t			 pos = 0;
	unsigned		 lineno = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "pressure: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "pressure: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != 5)
			return vt_pf_err(err, errlen,
			    "pressure: line %u: expected 5 fields", lineno);
		if (vt_pf_eq(w[0], "some"))
			pl = &out->some;
		else if (vt_pf_eq(w[0], "full"))
			pl = &out->full;
		else
			return vt_pf_err(err, errlen,
			    "pressure: line %u: not some or full", lineno);
		if (pl->present)
			return vt_pf_err(err, errlen,
			    "pressure: line %u: repeated", lineno);
		if (!psi_value(w[1], "avg10", &v) ||
		    vt_pf_decimal(v, &pl->avg10) == VT_ERR ||
		    !psi_value(w[2], "avg60", &v) ||
		    vt_pf_decimal(v, &pl->avg60) == VT_ERR ||
		    !psi_value(w[3], "avg300", &v) ||
		    vt_pf_decimal(v, &pl->avg300) == VT_ERR ||
		    !psi_value(w[4], "total", &v) ||
		    vt_pf_u64(v, &pl->total_us) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "pressure: line %u: bad value", lineno);
		pl->present = 1;
	}
	if (!out->some.present)
		return vt_pf_err(err, errlen, "pressure: no \"some\" line");
	out->available = 1;
	return VT_OK;
}

int
vt_proc_pressure_read(const char *root, struct vt_proc_pressure *out,
    char *err, size_t errlen)
{
	char	buf[512], rel[64], e[VT_ERRLEN];
	size_t	len;
	int	i, r, rc = VT_OK;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < VT_PSI_NRES; i++) {
		snprintf(rel, sizeof(rel), "proc/pressure/%s",
		    vt_psi_resource_names[i]);
		r = vt_procfile_read(root, rel, buf, sizeof(buf), &len, e,
		    sizeof(e));
		if (r == VT_ERR && (errno == ENOENT || errno == EOPNOTSUPP))
			continue;
		if (r != VT_OK) {
			rc = vt_pf_err(err, errlen, "%s", e);
			continue;
		}
		if (vt_proc_pressure_parse(buf, len, &out->res[i], e,
		    sizeof(e)) == VT_ERR) {
			memset(&out->res[i], 0, sizeof(out->res[i]));
			rc = vt_pf_err(err, errlen, "%s: %s", rel, e);
		}
	}
	return rc;
}

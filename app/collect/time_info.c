/*
 * time_info.c: the time zone and the clock sources (see time_info.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/procfile.h"
#include "collect/time_info.h"

#define CS_DIR	"sys/devices/system/clocksource"

int
vt_clocksource_parse(const char *file, const char *buf, size_t len,
    struct vt_clocksource *cs, char *err, size_t errlen)
{
	struct vt_span	line, w;
	size_t		pos = 0, wpos = 0;
	int		avail = strcmp(file, "available_clocksource") == 0;

	if (len == 0 || vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "clocksource: %s: empty or cut",
		    file);
	vt_pf_line(buf, len, &pos, &line);
	if (pos != len || memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "clocksource: %s: more than one "
		    "line", file);
	if (avail)
		cs->navail = 0;
	while (vt_pf_next_word(line, &wpos, &w)) {
		char	*dst;

		if (!avail) {
			if (cs->current[0] != '\0')
				return vt_pf_err(err, errlen, "clocksource: "
				    "%s: more than one name", file);
			dst = cs->current;
		} else if (cs->navail == VT_CS_AVAIL_MAX)
			return vt_pf_err(err, errlen, "clocksource: %s: more "
			    "than %d names", file, VT_CS_AVAIL_MAX);
		else
			dst = cs->avail[cs->navail++];
		if (vt_pf_copy(w, dst, VT_CS_NAME_LEN) == VT_ERR)
			return vt_pf_err(err, errlen, "clocksource: %s: a name "
			    "too long", file);
	}
	if (!avail && cs->current[0] == '\0')
		return vt_pf_err(err, errlen, "clocksource: %s: empty", file);
	return VT_OK;
}

void
vt_time_zone(int64_t ts_s, struct vt_time_info *out)
{
	time_t		t = (time_t)ts_s;
	struct tm	tm;

	out->zone[0] = '\0';
	out->zone_offset_s = 0;
	if (localtime_r(&t, &tm) == NULL)
		return;
	snprintf(out->zone, sizeof(out->zone), "%s",
	    tm.tm_zone != NULL ? tm.tm_zone : "");
	out->zone_offset_s = tm.tm_gmtoff;
}

int
vt_time_info_read(const char *root, int64_t ts_s, struct vt_time_info *out,
    char *err, size_t errlen)
{
	static const char *const files[] = { "available_clocksource",
	    "current_clocksource" };
	char		 names[VT_CS_MAX][VT_NAME_LEN];
	char		 rel[VT_PATH_LEN], buf[512];
	size_t		 n, i, k, len;
	int		 rc;

	memset(out, 0, sizeof(*out));
	vt_time_zone(ts_s, out);
	/* node_exporter numbers them in the order of a sorted glob. */
	if (vt_pf_dir_names(root, CS_DIR, "clocksource", names, VT_CS_MAX, &n,
	    err, errlen) == VT_ERR)
		return VT_ERR;
	for (i = 0; i < n; i++) {
		for (k = 0; k < VT_ARRAY_LEN(files); k++) {
			snprintf(rel, sizeof(rel), CS_DIR "/%s/%s", names[i],
			    files[k]);
			rc = vt_procfile_read(root, rel, buf, sizeof(buf), &len,
			    err, errlen);
			if (rc == VT_PF_TRUNCATED)
				rc = vt_pf_err(err, errlen, "%s: too long",
				    rel);
			if (rc == VT_OK)
				rc = vt_clocksource_parse(files[k], buf, len,
				    &out->cs[i], err, errlen);
			if (rc != VT_OK) {
				memset(out, 0, sizeof(*out));
				return VT_ERR;
			}
		}
		out->ncs = i + 1;
	}
	return VT_OK;
}

/*
 * proc_uptime.c: parse /proc/uptime (see proc_uptime.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_uptime.h"

int
vt_proc_uptime_parse(const char *buf, size_t len, struct vt_proc_uptime *out,
    char *err, size_t errlen)
{
	struct vt_span	line, w[3];
	size_t		pos = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/uptime: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/uptime: truncated (no newline at the end)");
	vt_pf_line(buf, len, &pos, &line);
	if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != 2 ||
	    vt_pf_decimal(w[0], &out->uptime) == VT_ERR ||
	    vt_pf_decimal(w[1], &out->idle) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return vt_pf_err(err, errlen,
		    "proc/uptime: expected two decimal numbers");
	}
	return VT_OK;
}

int
vt_proc_uptime_read(const char *root, struct vt_proc_uptime *out, char *err,
    size_t errlen)
{
	char	buf[128];
	size_t	len;

	if (vt_procfile_read(root, "proc/uptime", buf, sizeof(buf), &len, err,
	    errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_uptime_parse(buf, len, out, err, errlen);
}

/*
 * proc_loadavg.c: parse /proc/loadavg (see proc_loadavg.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_loadavg.h"

int
vt_proc_loadavg_parse(const char *buf, size_t len,
    struct vt_proc_loadavg *out, char *err, size_t errlen)
{
	struct vt_span	line, w[6], run, tot;
	const char     *slash;
	size_t		pos = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/loadavg: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/loadavg: truncated (no newline at the end)");
	vt_pf_line(buf, len, &pos, &line);
	if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != 5)
		return vt_pf_err(err, errlen,
		    "proc/loadavg: expected 5 fields");
	if ((slash = memchr(w[3].p, '/', w[3].len)) == NULL)
		return vt_pf_err(err, errlen,
		    "proc/loadavg: no running/total field");
	run.p = w[3].p;
	run.len = (size_t)(slash - w[3].p);
	tot.p = slash + 1;
	tot.len = w[3].len - run.len - 1;
	if (vt_pf_decimal(w[0], &out->load1) == VT_ERR ||
	    vt_pf_decimal(w[1], &out->load5) == VT_ERR ||
	    vt_pf_decimal(w[2], &out->load15) == VT_ERR ||
	    vt_pf_u64(run, &out->running) == VT_ERR ||
	    vt_pf_u64(tot, &out->total) == VT_ERR ||
	    vt_pf_u64(w[4], &out->last_pid) == VT_ERR)
		return vt_pf_err(err, errlen, "proc/loadavg: bad number");
	return VT_OK;
}

int
vt_proc_loadavg_read(const char *root, struct vt_proc_loadavg *out,
    char *err, size_t errlen)
{
	char	buf[256];
	size_t	len;

	if (vt_procfile_read(root, "proc/loadavg", buf, sizeof(buf), &len, err,
	    errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_loadavg_parse(buf, len, out, err, errlen);
}

/*
 * proc_vmstat.c: parse /proc/vmstat (see proc_vmstat.h).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_vmstat.h"

/* /proc/vmstat is about 5 KB on Linux 6.x (190 lines). */
#define VMSTAT_BUFSZ	(32 * 1024)

/* The fields kept, and where they go; the last one is optional. */
static const struct {
	const char	*name;
	size_t		 off;
} vmstat_fields[] = {
	{ "pgfault", offsetof(struct vt_proc_vmstat, pgfault) },
	{ "pgmajfault", offsetof(struct vt_proc_vmstat, pgmajfault) },
	{ "pgpgin", offsetof(struct vt_proc_vmstat, pgpgin) },
	{ "pgpgout", offsetof(struct vt_proc_vmstat, pgpgout) },
	{ "pswpin", offsetof(struct vt_proc_vmstat, pswpin) },
	{ "pswpout", offsetof(struct vt_proc_vmstat, pswpout) },
	{ "oom_kill", offsetof(struct vt_proc_vmstat, oom_kill) },
};

#define VMSTAT_OOM	6	/* the index of oom_kill above */

int
vt_proc_vmstat_parse(const char *buf, size_t len, struct vt_proc_vmstat *out,
    char *err, size_t errlen)
{
	struct vt_span	line, w[3];
	size_t		pos = 0, i;
	unsigned	seen = 0;
	uint64_t	v;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/vmstat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/vmstat: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != 2)
			goto bad;
		for (i = 0; i < VT_ARRAY_LEN(vmstat_fields); i++)
			if (vt_pf_eq(w[0], vmstat_fields[i].name))
				break;
		if (i == VT_ARRAY_LEN(vmstat_fields))
			continue;
		if (seen & (1u << i)) {
			memset(out, 0, sizeof(*out));
			return vt_pf_err(err, errlen,
			    "proc/vmstat: %s twice", vmstat_fields[i].name);
		}
		if (vt_pf_u64(w[1], &v) == VT_ERR)
			goto bad;
		memcpy((char *)out + vmstat_fields[i].off, &v, sizeof(v));
		seen |= 1u << i;
	}
	for (i = 0; i < VMSTAT_OOM; i++)
		if (!(seen & (1u << i))) {
			memset(out, 0, sizeof(*out));
			return vt_pf_err(err, errlen, "proc/vmstat: no %s",
			    vmstat_fields[i].name);
		}
	out->have_oom_kill = (seen & (1u << VMSTAT_OOM)) != 0;
	return VT_OK;

bad:
	memset(out, 0, sizeof(*out));
	return vt_pf_err(err, errlen, "proc/vmstat: bad line \"%.*s\"",
	    (int)(line.len > 40 ? 40 : line.len), line.p);
}

int
vt_proc_vmstat_read(const char *root, struct vt_proc_vmstat *out, char *err,
    size_t errlen)
{
	char	buf[VMSTAT_BUFSZ];
	size_t	len;

	if (vt_procfile_read(root, "proc/vmstat", buf, sizeof(buf), &len, err,
	    errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_vmstat_parse(buf, len, out, err, errlen);
}

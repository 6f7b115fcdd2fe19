/*
 * proc_sys_fs.c: parse /proc/sys/fs/file-nr (see proc_sys_fs.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_sys_fs.h"

int
vt_proc_sys_fs_file_nr_parse(const char *buf, size_t len,
    struct vt_file_nr *out, char *err, size_t errlen)
{
	struct vt_span	line, w[4];
	size_t		pos = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/sys/fs/file-nr: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/sys/fs/file-nr: truncated (no newline at the end)");
	vt_pf_line(buf, len, &pos, &line);
	if (pos != len)
		return vt_pf_err(err, errlen,
		    "proc/sys/fs/file-nr: more than one line");
	if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != 3)
		return vt_pf_err(err, errlen,
		    "proc/sys/fs/file-nr: expected 3 fields");
	if (vt_pf_u64(w[0], &out->allocated) == VT_ERR ||
	    vt_pf_u64(w[1], &out->unused) == VT_ERR ||
	    vt_pf_u64(w[2], &out->max) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return vt_pf_err(err, errlen,
		    "proc/sys/fs/file-nr: bad number");
	}
	return VT_OK;
}

int
vt_proc_sys_fs_file_nr_read(const char *root, struct vt_file_nr *out,
    char *err, size_t errlen)
{
	char	buf[128];
	size_t	len;

	if (vt_procfile_read(root, "proc/sys/fs/file-nr", buf, sizeof(buf),
	    &len, err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_sys_fs_file_nr_parse(buf, len, out, err, errlen);
}

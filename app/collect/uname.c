/*
 * uname.c: the kernel's uname strings from /proc/sys/kernel/ (see
 * uname.h).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "collect/procfile.h"
#include "collect/uname.h"

int
vt_uname_value_parse(const char *buf, size_t len, char *dst, char *err,
    size_t errlen)
{
	struct vt_span	line;
	size_t		pos = 0;

	dst[0] = '\0';
	if (len == 0)
		return vt_pf_err(err, errlen, "uname: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "uname: truncated (no newline at the end)");
	vt_pf_line(buf, len, &pos, &line);
	if (pos != len)
		return vt_pf_err(err, errlen, "uname: more than one line");
	if (memchr(line.p, '\0', line.len) != NULL ||
	    vt_pf_copy(line, dst, VT_UNAME_LEN) == VT_ERR) {
		dst[0] = '\0';
		return vt_pf_err(err, errlen, "uname: value too long");
	}
	return VT_OK;
}

int
vt_uname_read(const char *root, struct vt_uname *out, char *err,
    size_t errlen)
{
	static const struct {
		const char	*rel;
		size_t		 off;
	} f[] = {
		{ "proc/sys/kernel/ostype", offsetof(struct vt_uname, sysname) },
		{ "proc/sys/kernel/hostname",
		    offsetof(struct vt_uname, nodename) },
		{ "proc/sys/kernel/osrelease",
		    offsetof(struct vt_uname, release) },
		{ "proc/sys/kernel/version", offsetof(struct vt_uname, version) },
		{ "proc/sys/kernel/domainname",
		    offsetof(struct vt_uname, domainname) },
		{ "proc/sys/kernel/arch", offsetof(struct vt_uname, machine) },
	};
	struct utsname	u;
	char		buf[VT_UNAME_LEN + 2];
	size_t		i, len;
	int		rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < VT_ARRAY_LEN(f); i++) {
		char	*dst = (char *)out + f[i].off;

		rc = vt_procfile_read(root, f[i].rel, buf, sizeof(buf), &len,
		    err, errlen);
		if (rc == VT_ERR && errno == ENOENT &&
		    strcmp(f[i].rel, "proc/sys/kernel/arch") == 0 &&
		    uname(&u) == 0) {
			/* Before Linux 6.1: the machine the binary runs on. */
			snprintf(dst, VT_UNAME_LEN, "%s", u.machine);
			continue;
		}
		if (rc == VT_PF_TRUNCATED)
			rc = vt_pf_err(err, errlen, "%s: too long", f[i].rel);
		if (rc != VT_OK ||
		    vt_uname_value_parse(buf, len, dst, err, errlen) != VT_OK) {
			memset(out, 0, sizeof(*out));
			return VT_ERR;
		}
	}
	return VT_OK;
}

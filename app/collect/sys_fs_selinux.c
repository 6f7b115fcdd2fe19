/*
 * sys_fs_selinux.c: SELinux's state (see sys_fs_selinux.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/sys_fs_selinux.h"

/* /etc/selinux/config is a few hundred bytes; 8 KiB is plenty. */
#define SELINUX_CONFIG_MAX	8192

int
vt_selinux_enforce_parse(const char *buf, size_t len, int *mode, char *err,
    size_t errlen)
{
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return vt_pf_err(err, errlen,
		    "sys/fs/selinux/enforce: not 0 or 1");
	*mode = buf[0] == '1' ? VT_SELINUX_ENFORCING : VT_SELINUX_PERMISSIVE;
	return VT_OK;
}

int
vt_selinux_config_parse(const char *buf, size_t len, int *mode, char *err,
    size_t errlen)
{
	struct vt_span	line, k, v;
	size_t		pos = 0;

	*mode = VT_SELINUX_DISABLED;
	if (memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "etc/selinux/config: NUL byte");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "etc/selinux/config: truncated");
	while (vt_pf_line(buf, len, &pos, &line)) {
		const char	*eq;

		/* go-selinux's readConfig: the first key = value wins. */
		line = vt_pf_trim(line);
		if (line.len == 0 || line.p[0] == '#' ||
		    (eq = memchr(line.p, '=', line.len)) == NULL)
			continue;
		k.p = line.p;
		k.len = (size_t)(eq - line.p);
		if (!vt_pf_eq(vt_pf_trim(k), "SELINUX"))
			continue;	/* SELINUXTYPE=, SETLOCALDEFS= */
		v.p = eq + 1;
		v.len = line.len - k.len - 1;
		v = vt_pf_trim(v);
		if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"') {
			v.p++;
			v.len -= 2;
		}
		if (vt_pf_eq(v, "enforcing"))
			*mode = VT_SELINUX_ENFORCING;
		else if (vt_pf_eq(v, "permissive"))
			*mode = VT_SELINUX_PERMISSIVE;
		break;
	}
	return VT_OK;
}

int
vt_selinux_read(const char *root, struct vt_selinux *out, char *err,
    size_t errlen)
{
	char	buf[SELINUX_CONFIG_MAX];
	size_t	len;
	int	missing, rc;

	memset(out, 0, sizeof(*out));
	out->config_mode = out->current_mode = VT_SELINUX_DISABLED;
	/*
	 * The messages are set first: vt_procfile_read_opt() leaves err
	 * alone when a file is longer than its buffer, and overwrites it for
	 * any other failure.
	 */
	(void)vt_pf_err(err, errlen, "sys/fs/selinux/enforce: too long");
	rc = vt_procfile_read_opt(root, "sys/fs/selinux/enforce", buf,
	    VT_PF_ONE_MAX, &len, &missing, err, errlen);
	if (rc == VT_ERR)
		return VT_ERR;
	if (missing)
		return VT_OK;
	if (vt_selinux_enforce_parse(buf, len, &out->current_mode, err,
	    errlen) == VT_ERR)
		goto fail;
	(void)vt_pf_err(err, errlen, "etc/selinux/config: too long");
	if (vt_procfile_read_opt(root, "etc/selinux/config", buf, sizeof(buf),
	    &len, &missing, err, errlen) == VT_ERR ||
	    vt_selinux_config_parse(buf, len, &out->config_mode, err,
	    errlen) == VT_ERR)
		goto fail;
	out->enabled = 1;
	return VT_OK;
fail:
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

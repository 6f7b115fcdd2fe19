/*
 * sys_class_thermal.c: /sys/class/thermal (see sys_class_thermal.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/sys_class_thermal.h"

#define THERMAL_DIR	"sys/class/thermal"

static int	th_file(const char *root, const char *dev, const char *file,
		    int64_t *v, char *dst, size_t dstlen, char *err,
		    size_t errlen);

int
vt_thermal_value_parse(const char *buf, size_t len, int64_t *v, char *dst,
    size_t dstlen, char *err, size_t errlen)
{
	struct vt_span	line;
	size_t		pos = 0;

	if (len == 0 || vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "thermal: empty or cut");
	vt_pf_line(buf, len, &pos, &line);
	if (pos != len || memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "thermal: more than one line");
	if (v != NULL) {
		if (vt_pf_i64(line, v) == VT_ERR)
			return vt_pf_err(err, errlen, "thermal: not a number");
		return VT_OK;
	}
	if (line.len == 0 || vt_pf_copy(line, dst, dstlen) == VT_ERR)
		return vt_pf_err(err, errlen, "thermal: empty or too long");
	return VT_OK;
}

/*
 * dev's file: VT_OK, VT_ERR (malformed: err says why), or 1 when the
 * sensor gave no data (ENODATA, EAGAIN) and the device is to be skipped.
 */
static int
th_file(const char *root, const char *dev, const char *file, int64_t *v,
    char *dst, size_t dstlen, char *err, size_t errlen)
{
	char	rel[VT_PATH_LEN], buf[128];
	size_t	len;
	int	rc;

	snprintf(rel, sizeof(rel), THERMAL_DIR "/%s/%s", dev, file);
	errno = 0;
	rc = vt_procfile_read(root, rel, buf, sizeof(buf), &len, err, errlen);
	if (rc == VT_ERR && (errno == ENODATA || errno == EAGAIN))
		return 1;
	if (rc == VT_PF_TRUNCATED)
		return vt_pf_err(err, errlen, "%s: too long", rel);
	if (rc != VT_OK)
		return VT_ERR;
	if (vt_thermal_value_parse(buf, len, v, dst, dstlen, err, errlen) ==
	    VT_ERR)
		return vt_pf_err(err, errlen, "%s: malformed", rel);
	return VT_OK;
}

int
vt_thermal_read(const char *root, struct vt_thermal *out, char *err,
    size_t errlen)
{
	char	names[4 * VT_THERMAL_MAX][VT_NAME_LEN];
	size_t	n, i, zl = strlen("thermal_zone"), cl = strlen("cooling_device");
	int	rc;

	memset(out, 0, sizeof(*out));
	if (vt_pf_dir_names(root, THERMAL_DIR, "", names, VT_ARRAY_LEN(names),
	    &n, err, errlen) == VT_ERR)
		return VT_ERR;
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], "thermal_zone", zl) == 0 &&
		    out->nz < VT_THERMAL_MAX) {
			struct vt_thermal_zone	*z = &out->z[out->nz];

			snprintf(z->name, sizeof(z->name), "%s", names[i] + zl);
			rc = th_file(root, names[i], "type", NULL, z->type,
			    sizeof(z->type), err, errlen);
			if (rc == VT_OK)
				rc = th_file(root, names[i], "temp",
				    &z->temp_milli, NULL, 0, err, errlen);
			if (rc == VT_ERR)
				goto fail;
			if (rc == VT_OK)
				out->nz++;
		} else if (strncmp(names[i], "cooling_device", cl) == 0 &&
		    out->nc < VT_THERMAL_MAX) {
			struct vt_cooling_device *c = &out->c[out->nc];

			snprintf(c->name, sizeof(c->name), "%s", names[i] + cl);
			rc = th_file(root, names[i], "type", NULL, c->type,
			    sizeof(c->type), err, errlen);
			if (rc == VT_OK)
				rc = th_file(root, names[i], "cur_state",
				    &c->cur_state, NULL, 0, err, errlen);
			if (rc == VT_OK)
				rc = th_file(root, names[i], "max_state",
				    &c->max_state, NULL, 0, err, errlen);
			if (rc == VT_ERR)
				goto fail;
			if (rc == VT_OK)
				out->nc++;
		}
	}
	return VT_OK;
fail:
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

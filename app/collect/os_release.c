/*
 * os_release.c: parse os-release(5) (see os_release.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "collect/os_release.h"
#include "collect/procfile.h"

/* The file is a few hundred bytes; 8 KiB is far past any real one. */
#define OS_RELEASE_MAX	8192

const char *const vt_os_labels[VT_OS_NKEYS] = {
	[VT_OS_BUILD_ID] = "build_id",
	[VT_OS_ID] = "id",
	[VT_OS_ID_LIKE] = "id_like",
	[VT_OS_IMAGE_ID] = "image_id",
	[VT_OS_IMAGE_VERSION] = "image_version",
	[VT_OS_NAME] = "name",
	[VT_OS_PRETTY_NAME] = "pretty_name",
	[VT_OS_VARIANT] = "variant",
	[VT_OS_VARIANT_ID] = "variant_id",
	[VT_OS_VERSION] = "version",
	[VT_OS_VERSION_CODENAME] = "version_codename",
	[VT_OS_VERSION_ID] = "version_id",
};

static int	os_key(struct vt_span k);
static int	os_value(struct vt_span v, char *dst, size_t len);
static double	os_major_minor(const char *s);

/* The index of key k (its label in capitals), or -1. */
static int
os_key(struct vt_span k)
{
	char	lower[32];
	size_t	i;
	int	j;

	if (k.len == 0 || k.len >= sizeof(lower))
		return -1;
	for (i = 0; i < k.len; i++)
		lower[i] = (char)(k.p[i] >= 'A' && k.p[i] <= 'Z' ?
		    k.p[i] - 'A' + 'a' : k.p[i]);
	lower[k.len] = '\0';
	for (j = 0; j < VT_OS_NKEYS; j++)
		if (strcmp(lower, vt_os_labels[j]) == 0)
			return j;
	return -1;
}

/*
 * Unquote v into dst: bare (no blanks or quotes), '...' or "..." with
 * backslash escapes of \ " $ `.  A value longer than dst is cut (the
 * renderers make label values valid UTF-8, utf8.h).
 * Returns VT_OK, or VT_ERR when the quoting is broken.
 */
static int
os_value(struct vt_span v, char *dst, size_t len)
{
	size_t	i, o = 0;
	char	q = 0, c;

	if (v.len > 0 && (v.p[0] == '"' || v.p[0] == '\'')) {
		q = v.p[0];
		if (v.len < 2 || v.p[v.len - 1] != q)
			return VT_ERR;
		v.p++;
		v.len -= 2;
	}
	for (i = 0; i < v.len; i++) {
		c = v.p[i];
		if (q == 0 && (c == ' ' || c == '\t' || c == '"' ||
		    c == '\'' || c == '\\' || c == '`' || c == '$'))
			return VT_ERR;
		if (q == '\'' && c == '\'')
			return VT_ERR;
		if (q == '"' && (c == '"' || c == '`' || c == '$'))
			return VT_ERR;
		if (q == '"' && c == '\\') {
			if (++i == v.len || strchr("\\\"$`", v.p[i]) == NULL)
				return VT_ERR;
			c = v.p[i];
		}
		if (c == '\0')
			return VT_ERR;
		if (o + 1 < len)
			dst[o++] = c;
	}
	dst[o] = '\0';
	return VT_OK;
}

/*
 * node_exporter's ^[0-9]+\.?[0-9]* of VERSION_ID as a number ("12" 12,
 * "22.04" 22.04, "9.3.2" 9.3), or 0 without leading digits.
 */
static double
os_major_minor(const char *s)
{
	double	v = 0, scale = 0.1;

	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	if (*s++ != '.')
		return v;
	for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
		v += (*s - '0') * scale;
	return v;
}

int
vt_os_release_parse(const char *buf, size_t len, struct vt_os_release *out,
    char *err, size_t errlen)
{
	struct vt_span	 line, k, v;
	const char	*eq;
	size_t		 pos = 0, n = 0;
	int		 key;

	memset(out, 0, sizeof(*out));
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "os-release: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		n++;
		line = vt_pf_trim(line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if ((eq = memchr(line.p, '=', line.len)) == NULL) {
			memset(out, 0, sizeof(*out));
			return vt_pf_err(err, errlen,
			    "os-release: line %zu: no '='", n);
		}
		k.p = line.p;
		k.len = (size_t)(eq - line.p);
		v.p = eq + 1;
		v.len = line.len - k.len - 1;
		if ((key = os_key(k)) == -1) {
			char	tmp[2];

			/* Unknown keys still have to be well formed. */
			if (os_value(v, tmp, sizeof(tmp)) == VT_OK)
				continue;
			key = VT_OS_NKEYS;
		}
		if (key == VT_OS_NKEYS || os_value(v, out->v[key],
		    sizeof(out->v[key])) == VT_ERR) {
			memset(out, 0, sizeof(*out));
			return vt_pf_err(err, errlen,
			    "os-release: line %zu: bad quoting", n);
		}
	}
	out->version = os_major_minor(out->v[VT_OS_VERSION_ID]);
	out->present = 1;
	return VT_OK;
}

int
vt_os_release_read(const char *root, struct vt_os_release *out, char *err,
    size_t errlen)
{
	char	buf[OS_RELEASE_MAX];
	size_t	len;
	int	rc;

	memset(out, 0, sizeof(*out));
	rc = vt_procfile_read(root, "etc/os-release", buf, sizeof(buf), &len,
	    err, errlen);
	if (rc == VT_ERR && errno == ENOENT)
		rc = vt_procfile_read(root, "usr/lib/os-release", buf,
		    sizeof(buf), &len, err, errlen);
	if (rc == VT_ERR && errno == ENOENT)
		return VT_OK;
	if (rc == VT_PF_TRUNCATED)
		return vt_pf_err(err, errlen, "os-release: larger than %d bytes",
		    OS_RELEASE_MAX);
	if (rc != VT_OK)
		return VT_ERR;
	return vt_os_release_parse(buf, len, out, err, errlen);
}

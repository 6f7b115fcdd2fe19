/*
 * udev_disk.c: block devices' identity from udev's database (see
 * udev_disk.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/udev_disk.h"

/*
 * A database file is a few KiB (one S: line per /dev/disk/by-* link);
 * lines are streamed through this, so only a line longer than it fails.
 */
#define UDEV_LINE_MAX	4096

static int	udev_chunk(const char *chunk, size_t len, void *arg,
		    char *err, size_t errlen);

int
vt_udev_props_parse(const char *buf, size_t len, struct vt_udev_disk *d,
    char *err, size_t errlen)
{
	static const struct {
		const char	*key;
		size_t		 off, size;
	} props[] = {
		{ "ID_PATH", offsetof(struct vt_udev_disk, path),
		    VT_UDEV_PATH_LEN },
		{ "ID_WWN", offsetof(struct vt_udev_disk, wwn),
		    VT_UDEV_VALUE_LEN },
		{ "ID_MODEL", offsetof(struct vt_udev_disk, model),
		    VT_UDEV_VALUE_LEN },
		{ "ID_REVISION", offsetof(struct vt_udev_disk, revision),
		    VT_UDEV_VALUE_LEN },
	};
	struct vt_span	line, k, v;
	const char     *eq;
	size_t		pos = 0, i;

	if (memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "run/udev/data: NUL byte");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "run/udev/data: truncated");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (!vt_pf_prefix(line, "E:") ||
		    (eq = memchr(line.p, '=', line.len)) == NULL)
			continue;
		k.p = line.p + 2;
		k.len = (size_t)(eq - k.p);
		v.p = eq + 1;
		v.len = line.len - (size_t)(v.p - line.p);
		/* SCSI_IDENT_SERIAL is the label's; ID_SERIAL_SHORT else. */
		if (vt_pf_eq(k, "SCSI_IDENT_SERIAL") ||
		    (vt_pf_eq(k, "ID_SERIAL_SHORT") && !d->serial_scsi)) {
			if (v.len >= sizeof(d->serial))
				v.len = sizeof(d->serial) - 1;
			vt_pf_copy(v, d->serial, sizeof(d->serial));
			d->serial_scsi |= vt_pf_eq(k, "SCSI_IDENT_SERIAL");
			continue;
		}
		for (i = 0; i < VT_ARRAY_LEN(props); i++) {
			if (!vt_pf_eq(k, props[i].key))
				continue;
			if (v.len >= props[i].size)
				v.len = props[i].size - 1;
			vt_pf_copy(v, (char *)d + props[i].off, props[i].size);
			break;
		}
	}
	return VT_OK;
}

static int
udev_chunk(const char *chunk, size_t len, void *arg, char *err,
    size_t errlen)
{
	return vt_udev_props_parse(chunk, len, arg, err, errlen);
}

int
vt_disk_info_read(const char *root, const struct vt_proc_diskstats *ds,
    struct vt_disk_info *out, char *err, size_t errlen)
{
	struct vt_udev_disk	*d;
	char			 buf[UDEV_LINE_MAX], rel[VT_PATH_LEN];
	size_t			 i;

	(void)err;
	(void)errlen;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < ds->n && i < VT_DISKSTATS_MAX; i++) {
		if (ds->disk[i].flags & VT_DISK_IGNORED)
			continue;
		d = &out->d[out->n++];
		d->major = ds->disk[i].major;
		d->minor = ds->disk[i].minor;
		snprintf(rel, sizeof(rel), "run/udev/data/b%u:%u", d->major,
		    d->minor);
		errno = 0;
		if (vt_procfile_stream(root, rel, buf, sizeof(buf), udev_chunk,
		    d, NULL, 0) == VT_OK || errno == ENOENT)
			continue;
		/* As node_exporter: the device stays, its labels empty. */
		memset(d->path, 0, sizeof(*d) - offsetof(struct vt_udev_disk,
		    path));
		out->unreadable++;
	}
	return VT_OK;
}

const struct vt_udev_disk *
vt_disk_info_find(const struct vt_disk_info *di, unsigned major,
    unsigned minor)
{
	size_t	i;

	for (i = 0; i < di->n && i < VT_DISKSTATS_MAX; i++)
		if (di->d[i].major == major && di->d[i].minor == minor)
			return &di->d[i];
	return NULL;
}

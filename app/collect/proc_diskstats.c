/*
 * proc_diskstats.c: parse /proc/diskstats and tell disks from partitions
 * (see proc_diskstats.h).
 *
 * The kernel writes "%4d %7d %pg" and then the counters separated by
 * single blanks, one line per block device and partition.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/procfile.h"
#include "collect/proc_diskstats.h"

const char *const vt_disk_field_names[VT_DISK_NFIELDS] = {
	"reads", "reads_merged", "read_sectors", "read_ms",
	"writes", "writes_merged", "write_sectors", "write_ms",
	"in_flight", "io_ms", "weighted_io_ms",
	"discards", "discards_merged", "discard_sectors", "discard_ms",
	"flushes", "flush_ms"
};

static size_t	disk_digits(const char *s);
static int	disk_only_digits(const char *s);

/* The number of decimal digits at the start of s. */
static size_t
disk_digits(const char *s)
{
	size_t	n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* 1 when s is one or more digits and nothing else (regex \d+$). */
static int
disk_only_digits(const char *s)
{
	size_t	n = disk_digits(s);

	return n > 0 && s[n] == '\0';
}

int
vt_diskstats_ignored(const char *name)
{
	const char	*p = name;
	size_t		 n;

	/* z?ram\d+ */
	if (*p == 'z')
		p++;
	if (strncmp(p, "ram", 3) == 0 && disk_only_digits(p + 3))
		return 1;
	if (strncmp(name, "loop", 4) == 0 && disk_only_digits(name + 4))
		return 1;
	if (strncmp(name, "fd", 2) == 0 && disk_only_digits(name + 2))
		return 1;
	/* (h|s|v|xv)d[a-z]\d+: exactly one letter, as node_exporter. */
	p = name;
	if (strncmp(p, "xv", 2) == 0)
		p += 2;
	else if (*p == 'h' || *p == 's' || *p == 'v')
		p++;
	else
		p = NULL;
	if (p != NULL && p[0] == 'd' && p[1] >= 'a' && p[1] <= 'z' &&
	    disk_only_digits(p + 2))
		return 1;
	/* nvme\d+n\d+p\d+ */
	if (strncmp(name, "nvme", 4) == 0) {
		p = name + 4;
		if ((n = disk_digits(p)) > 0 && p[n] == 'n') {
			p += n + 1;
			if ((n = disk_digits(p)) > 0 && p[n] == 'p' &&
			    disk_only_digits(p + n + 1))
				return 1;
		}
	}
	return 0;
}

int
vt_diskstats_is_partition(const char *name)
{
	const char	*p = name;
	size_t		 len = strlen(name), i;

	/* (h|s|v|xv)d[a-z]+\d+: sda1, sdaa1, xvdb2. */
	if (strncmp(p, "xv", 2) == 0)
		p += 2;
	else if (*p == 'h' || *p == 's' || *p == 'v')
		p++;
	else
		p = NULL;
	if (p != NULL && p[0] == 'd' && p[1] >= 'a' && p[1] <= 'z') {
		p++;
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (disk_only_digits(p))
			return 1;
	}
	/* <something ending in a digit>p\d+: nvme0n1p1, mmcblk0p2, nbd0p1. */
	i = len;
	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i < len && i >= 2 && name[i - 1] == 'p' &&
	    name[i - 2] >= '0' && name[i - 2] <= '9')
		return 1;
	return 0;
}

int
vt_diskstats_selected(const struct vt_disk *d)
{
	return (d->flags & VT_DISK_WHOLE) && !(d->flags & VT_DISK_IGNORED);
}

int
vt_proc_diskstats_parse(const char *buf, size_t len,
    struct vt_proc_diskstats *out, char *err, size_t errlen)
{
	struct vt_disk	*d;
	struct vt_span	 line, w[3 + VT_DISK_NFIELDS];
	uint64_t	 maj, min;
	size_t		 pos = 0, nw, i;
	unsigned	 lineno = 0;

	memset(out, 0, sizeof(*out));
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/diskstats: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		nw = vt_pf_words(line, w, VT_ARRAY_LEN(w));
		if (nw == 0)
			continue;
		/* 14 columns before 4.18, 18 before 5.5, 20 since. */
		if (nw < 14)
			return vt_pf_err(err, errlen,
			    "proc/diskstats: line %u: %zu columns", lineno,
			    nw);
		if (out->n >= VT_DISKSTATS_MAX) {
			out->ndropped++;
			continue;
		}
		d = &out->disk[out->n];
		if (vt_pf_u64(w[0], &maj) == VT_ERR || maj > UINT32_MAX ||
		    vt_pf_u64(w[1], &min) == VT_ERR || min > UINT32_MAX)
			return vt_pf_err(err, errlen,
			    "proc/diskstats: line %u: bad device number",
			    lineno);
		d->major = (unsigned)maj;
		d->minor = (unsigned)min;
		if (vt_pf_copy(w[2], d->name, sizeof(d->name)) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/diskstats: line %u: name too long", lineno);
		nw -= 3;
		if (nw > VT_DISK_NFIELDS)
			nw = VT_DISK_NFIELDS;
		for (i = 0; i < nw; i++) {
			if (vt_pf_u64(w[3 + i], &d->v[i]) == VT_ERR)
				return vt_pf_err(err, errlen,
				    "proc/diskstats: line %u: bad counter %zu",
				    lineno, i + 1);
		}
		d->nfields = (int)nw;
		out->n++;
	}
	return VT_OK;
}

int
vt_proc_diskstats_read(const char *root, const struct vt_proc_diskstats *prev,
    struct vt_proc_diskstats *out, char *err, size_t errlen)
{
	char		buf[VT_PROC_DISKSTATS_BUFSZ];
	char		rel[VT_PATH_LEN], path[VT_PATH_LEN * 2], *c;
	struct stat	st;
	size_t		len, i;
	int		have_sysfs = -1;

	if (vt_procfile_read(root, "proc/diskstats", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	if (vt_proc_diskstats_parse(buf, len, out, err, errlen) == VT_ERR)
		return VT_ERR;
	for (i = 0; i < out->n; i++) {
		if (vt_diskstats_ignored(out->disk[i].name))
			out->disk[i].flags |= VT_DISK_IGNORED;
		if (prev != NULL && i < prev->n &&
		    prev->disk[i].major == out->disk[i].major &&
		    prev->disk[i].minor == out->disk[i].minor &&
		    strcmp(prev->disk[i].name, out->disk[i].name) == 0) {
			out->disk[i].flags |= prev->disk[i].flags &
			    VT_DISK_WHOLE;
			continue;
		}
		if (have_sysfs == -1)
			have_sysfs = vt_procfile_path(root, "sys/block", path,
			    sizeof(path)) == VT_OK && stat(path, &st) == 0 &&
			    S_ISDIR(st.st_mode);
		if (!have_sysfs) {
			if (!vt_diskstats_is_partition(out->disk[i].name))
				out->disk[i].flags |= VT_DISK_WHOLE;
			continue;
		}
		/* sysfs spells "cciss/c0d0" as "cciss!c0d0". */
		snprintf(rel, sizeof(rel), "sys/block/%s", out->disk[i].name);
		for (c = rel + sizeof("sys/block/") - 1; *c != '\0'; c++) {
			if (*c == '/')
				*c = '!';
		}
		if (vt_procfile_path(root, rel, path, sizeof(path)) == VT_OK &&
		    stat(path, &st) == 0)
			out->disk[i].flags |= VT_DISK_WHOLE;
	}
	return VT_OK;
}

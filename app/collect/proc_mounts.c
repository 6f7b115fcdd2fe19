/*
 * proc_mounts.c: parse /proc/self/mounts (see proc_mounts.h).
 *
 * One mount per line: "device mountpoint fstype options 0 0".  The
 * kernel escapes space, tab, newline and backslash in the first two
 * fields as octal "\040", "\011", "\012" and "\134".
 */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "collect/procfile.h"
#include "collect/proc_mounts.h"

const char *const vt_mounts_default_fstypes[] = {
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
	"debugfs", "devpts", "devtmpfs", "efivarfs", "erofs", "fusectl",
	"hugetlbfs", "iso9660", "mqueue", "nsfs", "proc", "procfs", "pstore",
	"ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs",
	"tmpfs", "tracefs",
	NULL
};

const char *const vt_mounts_default_mountpoints[] = {
	"/dev", "/proc", "/sys", "/run/credentials/", "/var/lib/docker/",
	"/var/lib/containers/storage/",
	NULL
};

/* What mounts_chunk needs between calls. */
struct mounts_stream {
	const struct vt_mounts_filter	*filter;
	struct vt_proc_mounts		*out;
	unsigned			 lineno;
};

static int	mounts_unescape(struct vt_span s, char *dst, size_t dstlen);
static int	mounts_in_list(const char *s, const char *const *list);
static int	mounts_under(const char *mp, const char *const *list);
static int	mounts_readonly(struct vt_span opts);
static int	mounts_lines(const char *buf, size_t len,
		    const struct vt_mounts_filter *filter,
		    struct vt_proc_mounts *out, unsigned *lineno, char *err,
		    size_t errlen);
static int	mounts_chunk(const char *buf, size_t len, void *arg,
		    char *err, size_t errlen);

/*
 * Decode the kernel's octal escapes from s into dst.  Returns VT_OK, or
 * VT_ERR when dst is too small.
 */
static int
mounts_unescape(struct vt_span s, char *dst, size_t dstlen)
{
	size_t	i, n = 0;
	char	c;

	for (i = 0; i < s.len; i++) {
		c = s.p[i];
		if (c == '\\' && i + 3 < s.len &&
		    s.p[i + 1] >= '0' && s.p[i + 1] <= '3' &&
		    s.p[i + 2] >= '0' && s.p[i + 2] <= '7' &&
		    s.p[i + 3] >= '0' && s.p[i + 3] <= '7') {
			c = (char)((s.p[i + 1] - '0') << 6 |
			    (s.p[i + 2] - '0') << 3 | (s.p[i + 3] - '0'));
			i += 3;
		}
		if (n + 1 >= dstlen)
			return VT_ERR;
		dst[n++] = c;
	}
	if (dstlen == 0)
		return VT_ERR;
	dst[n] = '\0';
	return VT_OK;
}

static int
mounts_in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return 1;
	}
	return 0;
}

static int
mounts_under(const char *mp, const char *const *list)
{
	size_t	n;

	for (; *list != NULL; list++) {
		n = strlen(*list);
		if (n == 0)
			continue;
		if ((*list)[n - 1] == '/') {
			/* Strictly below: the prefix and at least one byte. */
			if (strncmp(mp, *list, n) == 0 && mp[n] != '\0')
				return 1;
		} else if (strncmp(mp, *list, n) == 0 &&
		    (mp[n] == '\0' || mp[n] == '/')) {
			return 1;
		}
	}
	return 0;
}

static int
mounts_readonly(struct vt_span opts)
{
	const char	*p = opts.p, *end = opts.p + opts.len, *comma;
	struct vt_span	 o;

	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		o.p = p;
		o.len = comma == NULL ? (size_t)(end - p) : (size_t)(comma - p);
		if (vt_pf_eq(o, "ro"))
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

static int
mounts_chunk(const char *buf, size_t len, void *arg, char *err,
    size_t errlen)
{
	struct mounts_stream	*ms = arg;

	return mounts_lines(buf, len, ms->filter, ms->out, &ms->lineno, err,
	    errlen);
}

/*
 * Add the mounts in buf[0..len) (whole lines) to *out; *lineno counts
 * lines across calls.
 */
static int
mounts_lines(const char *buf, size_t len,
    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
    unsigned *lineno, char *err, size_t errlen)
{
	const char *const	*fstypes = vt_mounts_default_fstypes;
	const char *const	*mountpoints = vt_mounts_default_mountpoints;
	struct vt_mount		 cur;
	struct vt_span		 line, w[6];
	size_t			 pos = 0, i, nw;

	if (filter != NULL && filter->fstypes != NULL)
		fstypes = filter->fstypes;
	if (filter != NULL && filter->mountpoints != NULL)
		mountpoints = filter->mountpoints;
	while (vt_pf_line(buf, len, &pos, &line)) {
		(*lineno)++;
		nw = vt_pf_words(line, w, VT_ARRAY_LEN(w));
		if (nw == 0)
			continue;
		if (nw != 6)
			return vt_pf_err(err, errlen,
			    "proc/self/mounts: line %u: %zu fields, not 6",
			    *lineno, nw);
		memset(&cur, 0, sizeof(cur));
		if (mounts_unescape(w[0], cur.device, sizeof(cur.device)) ==
		    VT_ERR ||
		    mounts_unescape(w[1], cur.mountpoint,
		    sizeof(cur.mountpoint)) == VT_ERR ||
		    vt_pf_copy(w[2], cur.fstype, sizeof(cur.fstype)) ==
		    VT_ERR) {
			/* Too long to report; not worth failing the file. */
			out->nexcluded++;
			continue;
		}
		if (cur.mountpoint[0] != '/')
			return vt_pf_err(err, errlen,
			    "proc/self/mounts: line %u: mount point is not "
			    "absolute", *lineno);
		cur.readonly = mounts_readonly(w[3]);
		/* A later mount on the same point hides the earlier one. */
		for (i = 0; i < out->n; i++) {
			if (strcmp(out->m[i].mountpoint, cur.mountpoint) == 0)
				break;
		}
		if (i < out->n) {
			memmove(&out->m[i], &out->m[i + 1],
			    (out->n - i - 1) * sizeof(out->m[0]));
			out->n--;
			out->nexcluded++;
		}
		if (mounts_in_list(cur.fstype, fstypes) ||
		    mounts_under(cur.mountpoint, mountpoints)) {
			out->nexcluded++;
			continue;
		}
		if (out->n >= VT_MAX_MOUNTS) {
			out->ndropped++;
			continue;
		}
		out->m[out->n++] = cur;
	}
	return VT_OK;
}

int
vt_proc_mounts_parse(const char *buf, size_t len,
    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
    char *err, size_t errlen)
{
	unsigned	lineno = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/self/mounts: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/self/mounts: truncated (no newline at the end)");
	return mounts_lines(buf, len, filter, out, &lineno, err, errlen);
}

int
vt_proc_mounts_read(const char *root, const struct vt_mounts_filter *filter,
    struct vt_proc_mounts *out, char *err, size_t errlen)
{
	char			buf[VT_PROC_MOUNTS_BUFSZ];
	struct mounts_stream	ms;

	memset(out, 0, sizeof(*out));
	ms.filter = filter;
	ms.out = out;
	ms.lineno = 0;
	if (vt_procfile_stream(root, "proc/self/mounts", buf, sizeof(buf),
	    mounts_chunk, &ms, err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	if (ms.lineno == 0)
		return vt_pf_err(err, errlen, "proc/self/mounts: empty");
	return VT_OK;
}

void
vt_mounts_watch_init(struct vt_mounts_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

void
vt_mounts_watch_close(struct vt_mounts_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->have = 0;
}

int
vt_proc_mounts_watched(struct vt_mounts_watch *w, const char *root,
    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
    char *err, size_t errlen)
{
	struct pollfd	pfd;
	int		rc;

	if (!vt_procfile_root_is_real(root))
		return vt_proc_mounts_read(root, filter, out, err, errlen);
	/* Opened first: a change from here on shows at the next poll. */
	if (w->fd < 0) {
		w->have = 0;
		w->fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC |
		    O_NOCTTY);
	}
	if (w->fd >= 0 && w->have) {
		pfd.fd = w->fd;
		pfd.events = POLLPRI;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) == 0) {
			memcpy(out->m, w->last.m, w->last.n * sizeof(out->m[0]));
			out->n = w->last.n;
			out->nexcluded = w->last.nexcluded;
			out->ndropped = w->last.ndropped;
			return VT_OK;
		}
	}
	w->reads++;
	rc = vt_proc_mounts_read(root, filter, out, err, errlen);
	w->have = rc == VT_OK && w->fd >= 0;
	if (w->have)
		w->last = *out;
	return rc;
}

/*
 * procfile.c: read a small kernel file whole into a caller's buffer, and
 * look at it through bounded spans (see procfile.h).
 *
 * The one piece of state here is the table of kept descriptors (see
 * vt_procfile_read in procfile.h): a file of procfs or sysfs is opened
 * once and read again with pread at offset 0, which makes the kernel
 * generate it afresh, instead of open, read and close every second.
 * Measured in the master with strace -c over 10 s on an idle host: about
 * 40 openat and 40 close a tick fewer, and ... (see the commit).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "collect/procfile.h"

/*
 * Kept descriptors: the files a sampler reads every tick are about a
 * hundred on a small host (/sys/class/net alone is some twenty files an
 * interface); past this many, further files are read the old way (open,
 * read, close).  At 64, as before, the interfaces' files took every slot
 * and some twenty files of /proc were opened and closed every tick.  A
 * slot is found by its path's hash first, so the lookup stays a scan of
 * integers.  A slot remembers the process that opened it: after a fork,
 * the child's /proc/self is another file, so a slot of another pid is
 * reopened rather than used (the child closes the parent's descriptor,
 * which it inherited).
 */
#define PF_KEEP_MAX	256

struct pf_kept {
	char		path[VT_PATH_LEN * 2];
	uint32_t	hash;		/* of path */
	int		fd;		/* -1: a free slot */
	pid_t		owner;
	size_t		whole_below;	/* pf_whole_below(path) */
};

static struct pf_kept	pf_kept[PF_KEEP_MAX];
static int		pf_kept_init;
static uint64_t		pf_opens;

static int	pf_blank(char c);
static int	pf_keepable(const char *path, int fd);
static uint32_t	pf_hash(const char *path);
static pid_t	pf_self(void);
static struct pf_kept *pf_slot(const char *path, uint32_t hash, pid_t self);
static int	pf_read_fd(int fd, size_t whole_below, char *buf,
		    size_t cap, size_t *got, int *more);
static size_t	pf_whole_below(const char *path);

static int
pf_blank(char c)
{
	return c == ' ' || c == '\t';
}

int
vt_pf_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return VT_ERR;
}

int
vt_procfile_root_is_real(const char *root)
{
	return root == NULL || root[0] == '\0' ||
	    (root[0] == '/' && root[1] == '\0');
}

int
vt_procfile_path(const char *root, const char *rel, char *dst, size_t dstlen)
{
	size_t	rlen, len;

	if (root == NULL || *root == '\0')
		root = "/";
	while (*rel == '/')
		rel++;
	rlen = strlen(root);
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	if (rlen == 1 && root[0] == '/')
		rlen = 0;
	/* Every read builds one: copied, not formatted (snprintf was 2 % of
	 * the idle master's tick). */
	len = strlen(rel);
	if (rlen + 1 + len >= dstlen)
		return VT_ERR;
	memcpy(dst, root, rlen);
	dst[rlen] = '/';
	memcpy(dst + rlen + 1, rel, len + 1);
	return VT_OK;
}

/*
 * Only files the kernel generates at each read are kept: procfs and
 * sysfs.  A regular file (a fixture tree) is opened every time, so a file
 * deleted or replaced between two reads is seen as such.  Per-process
 * directories (proc/<pid>/...) are not kept: there are thousands, and the
 * process scan has its own reader.
 */
static int
pf_keepable(const char *path, int fd)
{
	struct statfs	 sf;
	const char	*p;

	if ((p = strstr(path, "/proc/")) != NULL && p[6] >= '0' &&
	    p[6] <= '9')
		return 0;
	if (fstatfs(fd, &sf) == -1)
		return 0;
	return sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC;
}

/*
 * A read's error that is the file's answer, not a sign that the file is
 * gone: an attribute with no value now (a virtual interface's speed or
 * duplex, a down link's carrier: EINVAL; ENODATA; EOPNOTSUPP).  A kept
 * file that answers so stays kept, and is not opened again to be asked
 * again: that was a dozen opens on each process-scan tick here (lo and
 * two ifb interfaces).  A file that is gone answers ENODEV (sysfs) or
 * ESRCH (procfs), and is opened again.
 */
static int
pf_answer(int e)
{
	return e == EINVAL || e == ENODATA || e == EOPNOTSUPP;
}

/* FNV-1a: a slot's key, compared before its path. */
static uint32_t
pf_hash(const char *path)
{
	uint32_t	h = 2166136261u;

	for (; *path != '\0'; path++)
		h = (h ^ (unsigned char)*path) * 16777619u;
	return h;
}

/*
 * This process's pid, asked of the kernel once per process, not once a
 * read (a hundred getpid calls a tick in the master): the fork handler
 * makes a child ask again.
 */
static pid_t	pf_pid;

static void
pf_forked(void)
{
	pf_pid = 0;
}

static pid_t
pf_self(void)
{
	static int	registered;

	if (!registered) {
		(void)pthread_atfork(NULL, NULL, pf_forked);
		registered = 1;
	}
	if (pf_pid == 0)
		pf_pid = getpid();
	return pf_pid;
}

/* The slot of path (kept by this process or not), or NULL. */
static struct pf_kept *
pf_slot(const char *path, uint32_t hash, pid_t self)
{
	int	i;

	if (!pf_kept_init) {
		for (i = 0; i < PF_KEEP_MAX; i++)
			pf_kept[i].fd = -1;
		pf_kept_init = 1;
	}
	for (i = 0; i < PF_KEEP_MAX; i++) {
		if (pf_kept[i].fd == -1 || pf_kept[i].hash != hash ||
		    strcmp(pf_kept[i].path, path) != 0)
			continue;
		if (pf_kept[i].owner == self)
			return &pf_kept[i];
		/* Inherited over fork: not this process's file. */
		close(pf_kept[i].fd);
		pf_kept[i].fd = -1;
		return NULL;
	}
	return NULL;
}

/*
 * A first read shorter than this from a kept file (procfs, sysfs) is the
 * whole file, and the read that would return 0 is not made (one syscall
 * of two for most files, some fifty a tick).  The kernel fills a read of
 * such a file to its end or to its end of buffer: sysfs and /proc/sys
 * answer whole in one read, a single_open() file is one record returned
 * whole, and an iterated seq_file stops short only when its buffer (a
 * page at least) cannot take the next record, which leaves it more than
 * a page less one record: a record of 2 KB or more, which no file read
 * here has (vmstat's, diskstats' and net/dev's are a line each), would
 * be needed to stop under this.  2 KiB, not less: meminfo, stat and snmp
 * (1.2 to 1.5 KB here) are then one read each.
 */
#define PF_WHOLE_BELOW	2048

/*
 * The files /proc generates with one show() of the whole file (single_open
 * in the kernel: proc_create_single, proc_create_net_single,
 * single_open_size): a read as large as the file returns all of it,
 * whatever its size, so a first read shorter than the buffer is the
 * whole file.  netstat (4 KB) and snmp6 (3 KB) are past PF_WHOLE_BELOW.
 */
static const char *const pf_single[] = {
	"/proc/meminfo", "/proc/stat", "/proc/net/netstat", "/proc/net/snmp",
	"/proc/net/snmp6", "/proc/net/sockstat", "/proc/net/sockstat6",
};

/* How short a kept file's first read must be to be the whole file. */
static size_t
pf_whole_below(const char *path)
{
	size_t	i, n, len = strlen(path);

	for (i = 0; i < VT_ARRAY_LEN(pf_single); i++) {
		n = strlen(pf_single[i]);
		if (len >= n && strcmp(path + len - n, pf_single[i]) == 0)
			return SIZE_MAX;
	}
	return PF_WHOLE_BELOW;
}

/*
 * Read fd whole into buf (at most cap bytes): a kept file (whole_below
 * not 0) with pread from offset 0, and a first read shorter than
 * whole_below and than cap taken as the whole file (PF_WHOLE_BELOW); else
 * with read from the file offset.  *more is set when the file holds more
 * than cap bytes.  Returns VT_OK or VT_ERR (errno set).
 */
static int
pf_read_fd(int fd, size_t whole_below, char *buf, size_t cap, size_t *got,
    int *more)
{
	ssize_t	n;
	char	extra;
	int	positional = whole_below > 0;

	*got = 0;
	*more = 0;
	while (*got < cap) {
		if (positional)
			n = pread(fd, buf + *got, cap - *got, (off_t)*got);
		else
			n = read(fd, buf + *got, cap - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return VT_ERR;
		if (n == 0)
			return VT_OK;
		*got += (size_t)n;
		if (positional && *got == (size_t)n && *got < cap &&
		    *got < whole_below)
			return VT_OK;
	}
	/* Full: one more byte tells a file of exactly cap bytes. */
	do {
		n = positional ? pread(fd, &extra, 1, (off_t)cap) :
		    read(fd, &extra, 1);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return VT_ERR;
	*more = n > 0;
	return VT_OK;
}

int
vt_procfile_read(const char *root, const char *rel, char *buf, size_t cap,
    size_t *len, char *err, size_t errlen)
{
	char		 path[VT_PATH_LEN * 2];
	struct pf_kept	*k;
	size_t		 got, whole_below;
	pid_t		 self = pf_self();
	uint32_t	 hash;
	int		 fd, saved, more, i, rc;

	*len = 0;
	if (vt_procfile_path(root, rel, path, sizeof(path)) == VT_ERR) {
		errno = ENAMETOOLONG;
		return vt_pf_err(err, errlen, "%s: path too long", rel);
	}
	hash = pf_hash(path);
	if ((k = pf_slot(path, hash, self)) != NULL) {
		if (pf_read_fd(k->fd, k->whole_below, buf, cap, &got,
		    &more) == VT_OK)
			goto done;
		if (pf_answer(errno))
			goto fail;
		/* A file that went away (an interface removed): forget the
		 * descriptor and try the path again. */
		close(k->fd);
		k->fd = -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		saved = errno;
		vt_pf_err(err, errlen, "open %s: %s", path, strerror(saved));
		errno = saved;
		return VT_ERR;
	}
	pf_opens++;
	k = NULL;
	if (pf_keepable(path, fd))
		for (i = 0; i < PF_KEEP_MAX && k == NULL; i++)
			if (pf_kept[i].fd == -1)
				k = &pf_kept[i];
	whole_below = k != NULL ? pf_whole_below(path) : 0;
	rc = pf_read_fd(fd, whole_below, buf, cap, &got, &more);
	saved = errno;
	if (k != NULL && (rc == VT_OK || pf_answer(saved))) {
		memcpy(k->path, path, sizeof(k->path));
		k->hash = hash;
		k->fd = fd;
		k->owner = self;
		k->whole_below = whole_below;
	} else
		close(fd);
	errno = saved;
	if (rc == VT_ERR)
		goto fail;
done:
	*len = got;
	if (more) {
		vt_pf_err(err, errlen, "%s: larger than %zu bytes", path, cap);
		return VT_PF_TRUNCATED;
	}
	return VT_OK;
fail:
	saved = errno;
	vt_pf_err(err, errlen, "read %s: %s", path, strerror(saved));
	errno = saved;
	return VT_ERR;
}

uint64_t
vt_procfile_opens(void)
{
	return pf_opens;
}

void
vt_procfile_forget(void)
{
	int	i;

	for (i = 0; pf_kept_init && i < PF_KEEP_MAX; i++) {
		if (pf_kept[i].fd != -1)
			close(pf_kept[i].fd);
		pf_kept[i].fd = -1;
	}
}

int
vt_pf_one_u64(const char *buf, size_t len, uint64_t *out)
{
	struct vt_span	line;
	size_t		pos = 0;

	if (len == 0 || vt_pf_complete(buf, len) == VT_ERR ||
	    !vt_pf_line(buf, len, &pos, &line) || pos != len)
		return VT_ERR;
	return vt_pf_u64(line, out);
}

int
vt_procfile_read_u64(const char *root, const char *rel, uint64_t *out,
    char *err, size_t errlen)
{
	char	buf[VT_PF_ONE_MAX];
	size_t	len;
	int	rc;

	*out = 0;
	if ((rc = vt_procfile_read(root, rel, buf, sizeof(buf), &len, err,
	    errlen)) == VT_ERR)
		return VT_ERR;
	if (rc != VT_OK || vt_pf_one_u64(buf, len, out) == VT_ERR) {
		*out = 0;
		errno = EINVAL;
		return vt_pf_err(err, errlen, "%s: not one number", rel);
	}
	return VT_OK;
}

int
vt_procfile_read_opt(const char *root, const char *rel, char *buf, size_t cap,
    size_t *len, int *missing, char *err, size_t errlen)
{
	*missing = 0;
	switch (vt_procfile_read(root, rel, buf, cap, len, err, errlen)) {
	case VT_OK:
		return VT_OK;
	case VT_ERR:
		if (errno != ENOENT)
			return VT_ERR;
		*missing = 1;
		*len = 0;
		return VT_OK;
	default:
		*len = 0;
		return VT_ERR;
	}
}

/* What pf_table_chunk needs between calls. */
struct pf_table {
	const char	*file;
	const char	*header;
	vt_pf_chunk_fn	 fn;
	void		*arg;
	int		 seen;		/* the header line was seen */
};

/* A chunk of whole lines: the header first, then the rows. */
static int
pf_table_chunk(const char *buf, size_t len, void *arg, char *err,
    size_t errlen)
{
	struct pf_table	*t = arg;
	struct vt_span	 line;
	size_t		 pos = 0;

	if (!t->seen) {
		vt_pf_line(buf, len, &pos, &line);
		line = vt_pf_trim(line);
		if (!vt_pf_prefix(line, t->header))
			return vt_pf_err(err, errlen, "%s: no header",
			    t->file);
		t->seen = 1;
	}
	return t->fn(buf + pos, len - pos, t->arg, err, errlen);
}

int
vt_pf_table(const char *file, const char *header, const char *buf, size_t len,
    vt_pf_chunk_fn fn, void *arg, char *err, size_t errlen)
{
	struct pf_table	t = { file, header, fn, arg, 0 };

	if (len == 0)
		return vt_pf_err(err, errlen, "%s: empty", file);
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "%s: truncated (no newline at the end)", file);
	return pf_table_chunk(buf, len, &t, err, errlen);
}

int
vt_procfile_stream_table(const char *root, const char *rel,
    const char *header, char *buf, size_t cap, vt_pf_chunk_fn fn, void *arg,
    char *err, size_t errlen)
{
	struct pf_table	t = { rel, header, fn, arg, 0 };

	/* A row the parser refuses must not read as a missing file. */
	errno = 0;
	if (vt_procfile_stream(root, rel, buf, cap, pf_table_chunk, &t, err,
	    errlen) == VT_ERR) {
		if (errno == ENOENT && t.seen)
			errno = EINVAL;
		return VT_ERR;
	}
	if (!t.seen) {
		errno = EINVAL;
		return vt_pf_err(err, errlen, "%s: empty", rel);
	}
	return VT_OK;
}

int
vt_procfile_stream(const char *root, const char *rel, char *buf, size_t cap,
    vt_pf_chunk_fn fn, void *arg, char *err, size_t errlen)
{
	char	path[VT_PATH_LEN * 2];
	size_t	have = 0, end;
	ssize_t	n;
	int	fd, saved;

	if (vt_procfile_path(root, rel, path, sizeof(path)) == VT_ERR) {
		errno = ENAMETOOLONG;
		return vt_pf_err(err, errlen, "%s: path too long", rel);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		saved = errno;
		vt_pf_err(err, errlen, "open %s: %s", path, strerror(saved));
		errno = saved;
		return VT_ERR;
	}
	for (;;) {
		n = read(fd, buf + have, cap - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			vt_pf_err(err, errlen, "read %s: %s", path,
			    strerror(saved));
			close(fd);
			errno = saved;
			return VT_ERR;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		/* Whole lines go now; a partial one waits for more. */
		for (end = have; end > 0 && buf[end - 1] != '\n'; end--)
			continue;
		if (end == 0) {
			if (have < cap)
				continue;
			close(fd);
			errno = EFBIG;
			return vt_pf_err(err, errlen,
			    "%s: a line longer than %zu bytes", path, cap);
		}
		if (fn(buf, end, arg, err, errlen) == VT_ERR) {
			close(fd);
			errno = 0;
			return VT_ERR;
		}
		memmove(buf, buf + end, have - end);
		have -= end;
	}
	close(fd);
	if (have > 0) {
		errno = 0;
		return vt_pf_err(err, errlen,
		    "%s: truncated (no newline at the end)", path);
	}
	return VT_OK;
}

int
vt_pf_complete(const char *buf, size_t len)
{
	if (len == 0 || buf[len - 1] == '\n')
		return VT_OK;
	return VT_ERR;
}

int
vt_pf_line(const char *buf, size_t len, size_t *pos, struct vt_span *line)
{
	const char	*nl;
	size_t		 start = *pos;

	if (start >= len)
		return 0;
	nl = memchr(buf + start, '\n', len - start);
	line->p = buf + start;
	if (nl == NULL) {
		line->len = len - start;
		*pos = len;
	} else {
		line->len = (size_t)(nl - (buf + start));
		*pos = start + line->len + 1;
	}
	return 1;
}

int
vt_pf_next_word(struct vt_span line, size_t *pos, struct vt_span *word)
{
	size_t	i = *pos, start;

	while (i < line.len && pf_blank(line.p[i]))
		i++;
	if (i >= line.len) {
		*pos = line.len;
		return 0;
	}
	start = i;
	while (i < line.len && !pf_blank(line.p[i]))
		i++;
	word->p = line.p + start;
	word->len = i - start;
	*pos = i;
	return 1;
}

size_t
vt_pf_words(struct vt_span line, struct vt_span *w, size_t max)
{
	struct vt_span	word;
	size_t		pos = 0, n = 0;

	while (vt_pf_next_word(line, &pos, &word)) {
		if (n < max)
			w[n] = word;
		n++;
	}
	return n;
}

struct vt_span
vt_pf_word(const struct vt_span *w, size_t n, size_t i)
{
	struct vt_span	empty = { "", 0 };

	if (i >= n)
		return empty;
	return w[i];
}

struct vt_span
vt_pf_cstr(const char *s)
{
	struct vt_span	r;

	r.p = s;
	r.len = strlen(s);
	return r;
}

struct vt_span
vt_pf_trim(struct vt_span s)
{
	while (s.len > 0 && pf_blank(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && pf_blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

int
vt_pf_eq(struct vt_span s, const char *lit)
{
	size_t	n = strlen(lit);

	return s.len == n && memcmp(s.p, lit, n) == 0;
}

int
vt_pf_prefix(struct vt_span s, const char *lit)
{
	size_t	n = strlen(lit);

	return s.len >= n && memcmp(s.p, lit, n) == 0;
}

int
vt_pf_copy(struct vt_span s, char *dst, size_t dstlen)
{
	size_t	n = s.len;
	int	rc = VT_OK;

	if (dstlen == 0)
		return VT_ERR;
	if (n >= dstlen) {
		n = dstlen - 1;
		rc = VT_ERR;
	}
	memcpy(dst, s.p, n);
	dst[n] = '\0';
	return rc;
}

int
vt_pf_u64(struct vt_span s, uint64_t *out)
{
	uint64_t	v = 0, d;
	size_t		i;

	if (s.len == 0)
		return VT_ERR;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return VT_ERR;
		d = (uint64_t)(s.p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return VT_ERR;
		v = v * 10 + d;
	}
	*out = v;
	return VT_OK;
}

int
vt_pf_i64(struct vt_span s, int64_t *out)
{
	uint64_t	v;
	int		neg = 0;

	if (s.len > 0 && s.p[0] == '-') {
		neg = 1;
		s.p++;
		s.len--;
	}
	if (vt_pf_u64(s, &v) == VT_ERR)
		return VT_ERR;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return VT_ERR;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return VT_ERR;
		*out = (int64_t)v;
	}
	return VT_OK;
}

int
vt_pf_hex32(struct vt_span s, uint32_t *out)
{
	uint32_t	v = 0, d;
	size_t		i;
	char		c;

	if (s.len == 0 || s.len > 8)
		return VT_ERR;
	for (i = 0; i < s.len; i++) {
		c = s.p[i];
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return VT_ERR;
		v = v << 4 | d;
	}
	*out = v;
	return VT_OK;
}

int
vt_pf_decimal(struct vt_span s, double *out)
{
	struct vt_span	ip = s, fp = { "", 0 };
	const char     *dot;
	uint64_t	iv, fv = 0;
	double		scale = 1.0;
	size_t		i;

	if ((dot = memchr(s.p, '.', s.len)) != NULL) {
		ip.len = (size_t)(dot - s.p);
		fp.p = dot + 1;
		fp.len = s.len - ip.len - 1;
		/* "1." and ".5" are not what the kernel writes. */
		if (fp.len == 0 || fp.len > 18)
			return VT_ERR;
		if (vt_pf_u64(fp, &fv) == VT_ERR)
			return VT_ERR;
		for (i = 0; i < fp.len; i++)
			scale *= 10.0;
	}
	if (vt_pf_u64(ip, &iv) == VT_ERR)
		return VT_ERR;
	*out = (double)iv + (double)fv / scale;
	return VT_OK;
}

static int
pf_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
vt_pf_dir_names(const char *root, const char *rel, const char *prefix,
    char (*names)[VT_NAME_LEN], size_t max, size_t *n, char *err,
    size_t errlen)
{
	char		 path[VT_PATH_LEN * 2];
	struct dirent	*de;
	DIR		*d;
	size_t		 pl = strlen(prefix);

	*n = 0;
	if (vt_procfile_path(root, rel, path, sizeof(path)) == VT_ERR)
		return vt_pf_err(err, errlen, "%s: path too long", rel);
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? VT_OK : vt_pf_err(err, errlen,
		    "%s: %s", rel, strerror(errno));
	while ((de = readdir(d)) != NULL && *n < max)
		if (de->d_name[0] != '.' &&
		    strncmp(de->d_name, prefix, pl) == 0 &&
		    strlen(de->d_name) < VT_NAME_LEN)
			memcpy(names[(*n)++], de->d_name,
			    strlen(de->d_name) + 1);
	closedir(d);
	qsort(names, *n, sizeof(names[0]), pf_name_cmp);
	return VT_OK;
}

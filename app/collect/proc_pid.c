/*
 * proc_pid.c: scan /proc/<pid>/stat and statm, and rank the processes
 * (see proc_pid.h).
 *
 * stat is "pid (comm) S ppid pgrp session tty tpgid flags minflt cminflt
 * majflt cmajflt utime stime cutime cstime priority nice threads
 * itrealvalue starttime vsize rss ...": after the last ')', the state is
 * word 0, utime word 11, stime word 12 and starttime word 19.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "collect/procfile.h"
#include "collect/proc_pid.h"

static int	pid_cmp(const void *a, const void *b);
static int	pid_read_at(int dfd, const char *rel, char *buf, size_t cap,
		    size_t *len, int *keep);
static void	pid_insert(struct vt_top_proc *out, size_t *n,
		    const struct vt_pid_sample *s, double cpu, uint64_t key,
		    uint64_t *keys);

int
vt_proc_pid_stat_parse(const char *buf, size_t len, struct vt_pid_sample *out,
    char *err, size_t errlen)
{
	struct vt_span	 rest, pidw, comm, w[20];
	const char	*lp, *rp;
	uint64_t	 pid, ut, st;
	size_t		 i;

	if (len == 0)
		return vt_pf_err(err, errlen, "pid stat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "pid stat: truncated (no newline at the end)");
	if ((lp = memchr(buf, '(', len)) == NULL)
		return vt_pf_err(err, errlen, "pid stat: no '('");
	for (rp = NULL, i = len; i > (size_t)(lp - buf) + 1; i--) {
		if (buf[i - 1] == ')') {
			rp = buf + i - 1;
			break;
		}
	}
	if (rp == NULL)
		return vt_pf_err(err, errlen, "pid stat: no ')'");
	pidw.p = buf;
	pidw.len = (size_t)(lp - buf);
	pidw = vt_pf_trim(pidw);
	if (vt_pf_u64(pidw, &pid) == VT_ERR || pid == 0 || pid > INT32_MAX)
		return vt_pf_err(err, errlen, "pid stat: bad pid");
	comm.p = lp + 1;
	comm.len = (size_t)(rp - lp - 1);
	rest.p = rp + 1;
	rest.len = len - (size_t)(rest.p - buf);
	if (rest.len > 0 && rest.p[rest.len - 1] == '\n')
		rest.len--;
	if (vt_pf_words(rest, w, VT_ARRAY_LEN(w)) < 20 || w[0].len != 1 ||
	    vt_pf_u64(w[11], &ut) == VT_ERR ||
	    vt_pf_u64(w[12], &st) == VT_ERR ||
	    vt_pf_u64(w[19], &out->starttime) == VT_ERR)
		return vt_pf_err(err, errlen, "pid stat: bad fields");
	out->pid = (int32_t)pid;
	out->state = w[0].p[0];
	vt_pf_copy(comm, out->comm, sizeof(out->comm));
	out->ticks = ut + st;
	return VT_OK;
}

int
vt_proc_pid_statm_parse(const char *buf, size_t len, long pagesize,
    uint64_t *rss_bytes, char *err, size_t errlen)
{
	uint64_t	vsize;

	return vt_proc_pid_statm_vm_parse(buf, len, pagesize, &vsize,
	    rss_bytes, err, errlen);
}

int
vt_proc_pid_statm_vm_parse(const char *buf, size_t len, long pagesize,
    uint64_t *vsize_bytes, uint64_t *rss_bytes, char *err, size_t errlen)
{
	struct vt_span	line, w[2];
	uint64_t	size, pages;
	size_t		pos = 0;

	*vsize_bytes = *rss_bytes = 0;
	if (len == 0 || vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "pid statm: empty or truncated");
	vt_pf_line(buf, len, &pos, &line);
	if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) < 2 ||
	    vt_pf_u64(w[0], &size) == VT_ERR ||
	    vt_pf_u64(w[1], &pages) == VT_ERR || pagesize <= 0 ||
	    pages > UINT64_MAX / (uint64_t)pagesize ||
	    size > UINT64_MAX / (uint64_t)pagesize)
		return vt_pf_err(err, errlen, "pid statm: bad size or resident");
	*vsize_bytes = size * (uint64_t)pagesize;
	*rss_bytes = pages * (uint64_t)pagesize;
	return VT_OK;
}

static int
pid_cmp(const void *a, const void *b)
{
	const struct vt_pid_sample	*x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Read a small file below dfd.  Returns VT_OK or VT_ERR (errno set).
 * With keep, a file that read is left open and its descriptor stored
 * there (-1 otherwise).
 */
static int
pid_read_at(int dfd, const char *rel, char *buf, size_t cap, size_t *len,
    int *keep)
{
	ssize_t	n;
	int	fd, saved;

	*len = 0;
	if (keep != NULL)
		*keep = -1;
	if ((fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC)) == -1)
		return VT_ERR;
	do {
		n = read(fd, buf, cap);
	} while (n == -1 && errno == EINTR);
	saved = errno;
	if (n > 0 && keep != NULL)
		*keep = fd;
	else
		close(fd);
	if (n == -1) {
		errno = saved;
		return VT_ERR;
	}
	*len = (size_t)n;
	return VT_OK;
}

int
vt_proc_pid_scan(const char *root, struct vt_pid_table *out, size_t max_pids,
    int budget_ms, char *err, size_t errlen)
{
	return vt_proc_pid_rescan(root, NULL, out, NULL, max_pids, budget_ms,
	    err, errlen);
}

void
vt_pid_fds_init(struct vt_pid_fds *fds, size_t cap)
{
	fds->n[0] = fds->n[1] = 0;
	fds->cur = 0;
	fds->opens = 0;
	fds->cap = cap < VT_PID_FDS_MAX ? cap : VT_PID_FDS_MAX;
}

void
vt_pid_fds_close(struct vt_pid_fds *fds)
{
	size_t	i;
	int	t;

	for (t = 0; t < 2; t++) {
		for (i = 0; i < fds->n[t]; i++)
			if (fds->k[t][i].fd >= 0)
				(void)close(fds->k[t][i].fd);
		fds->n[t] = 0;
	}
}

static int
pid_fd_cmp(const void *a, const void *b)
{
	int32_t	x = ((const struct vt_pid_fd *)a)->pid;
	int32_t	y = ((const struct vt_pid_fd *)b)->pid;

	return x < y ? -1 : x > y;
}

/* The last scan's kept descriptor of pid, taken out of its table; or -1. */
static int
pid_fd_take(struct vt_pid_fds *fds, int32_t pid)
{
	struct vt_pid_fd	 key, *f;
	int			 fd;

	key.pid = pid;
	f = bsearch(&key, fds->k[fds->cur], fds->n[fds->cur],
	    sizeof(key), pid_fd_cmp);
	if (f == NULL || f->fd < 0)
		return -1;
	fd = f->fd;
	f->fd = -1;
	return fd;
}

/* Keep fd for the next scan; closed when there is no room. */
static void
pid_fd_keep(struct vt_pid_fds *fds, int32_t pid, int fd)
{
	int	nx = fds->cur ^ 1;

	if (fds->n[nx] >= fds->cap) {
		(void)close(fd);
		return;
	}
	fds->k[nx][fds->n[nx]].pid = pid;
	fds->k[nx][fds->n[nx]++].fd = fd;
}

/*
 * The scan is over: close what the last scan kept and this one did not
 * take (processes gone), and make this scan's the table to take from.
 */
static void
pid_fds_turn(struct vt_pid_fds *fds)
{
	size_t	i;
	int	nx = fds->cur ^ 1;

	for (i = 0; i < fds->n[fds->cur]; i++)
		if (fds->k[fds->cur][i].fd >= 0)
			(void)close(fds->k[fds->cur][i].fd);
	fds->n[fds->cur] = 0;
	qsort(fds->k[nx], fds->n[nx], sizeof(fds->k[nx][0]), pid_fd_cmp);
	fds->cur = nx;
}

/*
 * /proc/<name>/stat into buf: through the descriptor fds kept for the
 * pid, or opened (and kept, when fds is not NULL).  VT_OK or VT_ERR.
 */
static int
pid_read_stat(int dfd, const char *name, int32_t pid, struct vt_pid_fds *fds,
    char *buf, size_t cap, size_t *len)
{
	char	rel[32];
	ssize_t	n;
	int	fd;

	*len = 0;
	if (fds != NULL && (fd = pid_fd_take(fds, pid)) >= 0) {
		do {
			n = pread(fd, buf, cap, 0);
		} while (n == -1 && errno == EINTR);
		if (n > 0) {
			*len = (size_t)n;
			pid_fd_keep(fds, pid, fd);
			return VT_OK;
		}
		/* That process is gone; the pid may be another's now. */
		(void)close(fd);
	}
	snprintf(rel, sizeof(rel), "%.10s/stat", name);
	if (fds == NULL)
		return pid_read_at(dfd, rel, buf, cap, len, NULL);
	if (pid_read_at(dfd, rel, buf, cap, len, &fd) == VT_ERR)
		return VT_ERR;
	fds->opens++;
	if (fd >= 0)
		pid_fd_keep(fds, pid, fd);
	return VT_OK;
}

int
vt_proc_pid_rescan(const char *root, const struct vt_pid_table *prev,
    struct vt_pid_table *out, struct vt_pid_fds *fds, size_t max_pids,
    int budget_ms, char *err, size_t errlen)
{
	int64_t			 start = vt_mono_us();
	struct vt_pid_sample	*s;
	const struct vt_pid_sample *was;
	struct dirent		*de;
	DIR			*dir;
	char			 path[VT_PATH_LEN * 2], rel[32], buf[1024];
	size_t			 len, seen = 0;
	long			 pagesize = sysconf(_SC_PAGESIZE);
	int32_t			 pid;
	int			 dfd, fd, stop = 0;
	const char		*c;

	out->n = 0;
	out->nskipped = 0;
	out->nreused = 0;
	out->complete = 0;
	out->scan_us = 0;
	out->scans = prev != NULL ? prev->scans + 1 : 1;
	if (max_pids > VT_PID_TABLE_MAX)
		max_pids = VT_PID_TABLE_MAX;
	if (vt_procfile_path(root, "proc", path, sizeof(path)) == VT_ERR)
		return vt_pf_err(err, errlen, "proc: path too long");
	if ((dir = opendir(path)) == NULL)
		return vt_pf_err(err, errlen, "opendir %s: %s", path,
		    strerror(errno));
	dfd = dirfd(dir);
	if (fds != NULL && !vt_procfile_root_is_real(root))
		fds = NULL;
	while ((de = readdir(dir)) != NULL) {
		for (c = de->d_name; *c >= '0' && *c <= '9'; c++)
			continue;
		if (*c != '\0' || c == de->d_name || c - de->d_name > 10)
			continue;
		pid = (int32_t)strtol(de->d_name, NULL, 10);
		/* The clock costs ~20 ns; checking every 16 pids is plenty. */
		if (!stop && budget_ms > 0 && (++seen & 15) == 0 &&
		    vt_mono_us() - start > (int64_t)budget_ms * 1000)
			stop = 1;
		if (stop || out->n >= max_pids) {
			out->nskipped++;
			/* Not read this time, still kept for the next. */
			if (fds != NULL && (fd = pid_fd_take(fds, pid)) >= 0)
				pid_fd_keep(fds, pid, fd);
			continue;
		}
		s = &out->p[out->n];
		memset(s, 0, sizeof(*s));
		if (pid_read_stat(dfd, de->d_name, pid, fds, buf, sizeof(buf),
		    &len) == VT_ERR ||
		    vt_proc_pid_stat_parse(buf, len, s, NULL, 0) == VT_ERR)
			continue;	/* gone, or a kernel we cannot read */
		/* The same process, idle since: its rss is still right. */
		was = prev != NULL ? vt_pid_table_find(prev, s->pid) : NULL;
		if (was != NULL && was->starttime == s->starttime &&
		    was->ticks == s->ticks &&
		    ((uint64_t)s->pid + out->scans) % VT_PID_RSS_REFRESH != 0) {
			s->rss_bytes = was->rss_bytes;
			out->nreused++;
			out->n++;
			continue;
		}
		snprintf(rel, sizeof(rel), "%.10s/statm", de->d_name);
		if (pid_read_at(dfd, rel, buf, sizeof(buf), &len, NULL) == VT_OK)
			(void)vt_proc_pid_statm_parse(buf, len, pagesize,
			    &s->rss_bytes, NULL, 0);
		out->n++;
	}
	closedir(dir);
	if (fds != NULL)
		pid_fds_turn(fds);
	qsort(out->p, out->n, sizeof(out->p[0]), pid_cmp);
	out->complete = out->nskipped == 0;
	out->scan_us = (uint64_t)(vt_mono_us() - start);
	return VT_OK;
}

const struct vt_pid_sample *
vt_pid_table_find(const struct vt_pid_table *t, int32_t pid)
{
	size_t	lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->p[mid].pid == pid)
			return &t->p[mid];
		if (t->p[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Keep out[0..*n) sorted by keys[] descending (ties: lower pid first),
 * at most VT_MAX_PROCS long, and insert s with the given key.
 */
static void
pid_insert(struct vt_top_proc *out, size_t *n, const struct vt_pid_sample *s,
    double cpu, uint64_t key, uint64_t *keys)
{
	size_t	i;

	i = *n;
	if (i == VT_MAX_PROCS) {
		if (key <= keys[i - 1])
			return;
		i--;
	} else {
		(*n)++;
	}
	while (i > 0 && (keys[i - 1] < key ||
	    (keys[i - 1] == key && out[i - 1].pid > s->pid))) {
		out[i] = out[i - 1];
		keys[i] = keys[i - 1];
		i--;
	}
	keys[i] = key;
	memset(&out[i], 0, sizeof(out[i]));
	out[i].pid = s->pid;
	out[i].state = s->state;
	memcpy(out[i].comm, s->comm, sizeof(out[i].comm));
	out[i].cpu_percent = cpu;
	out[i].rss_bytes = s->rss_bytes;
}

size_t
vt_pid_top_cpu(const struct vt_pid_table *prev,
    const struct vt_pid_table *cur, double seconds, long hz,
    struct vt_top_proc out[VT_MAX_PROCS])
{
	const struct vt_pid_sample	*s, *p;
	uint64_t			 keys[VT_MAX_PROCS], d;
	size_t				 i, n = 0;

	if (!(seconds > 0) || hz <= 0)
		return 0;
	for (i = 0; i < cur->n; i++) {
		s = &cur->p[i];
		p = vt_pid_table_find(prev, s->pid);
		if (p != NULL && p->starttime == s->starttime)
			d = s->ticks >= p->ticks ? s->ticks - p->ticks : 0;
		else
			d = prev->complete ? s->ticks : 0;
		if (d == 0)
			continue;
		pid_insert(out, &n, s, (double)d / (double)hz / seconds * 100.0,
		    d, keys);
	}
	return n;
}

size_t
vt_pid_top_mem(const struct vt_pid_table *cur,
    struct vt_top_proc out[VT_MAX_PROCS])
{
	uint64_t	keys[VT_MAX_PROCS];
	size_t		i, n = 0;

	for (i = 0; i < cur->n; i++) {
		if (cur->p[i].rss_bytes == 0)
			continue;
		pid_insert(out, &n, &cur->p[i], 0.0, cur->p[i].rss_bytes,
		    keys);
	}
	return n;
}

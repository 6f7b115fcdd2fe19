/*
 * sockowner.c: socket inodes to processes (see sockowner.h).
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
#include "collect/sockowner.h"

static int	pid_cmp(const void *a, const void *b);
static int	walk_pid(int procfd, const char *name, int32_t pid,
		    const uint64_t *inodes, size_t n, int32_t *pids,
		    struct vt_sockowner_stats *st);
static ssize_t	inode_find(const uint64_t *inodes, size_t n, uint64_t ino);
static int	walk_one(int procfd, int32_t pid, const uint64_t *inodes,
		    size_t n, int32_t *pids, int budget_ms, int64_t start,
		    struct vt_sockowner_stats *st);

int
vt_sockowner_parse_link(const char *s, size_t len, uint64_t *inode)
{
	struct vt_span	num;

	if (len < 10 || memcmp(s, "socket:[", 8) != 0 || s[len - 1] != ']')
		return VT_ERR;
	num.p = s + 8;
	num.len = len - 9;
	return vt_pf_u64(num, inode);
}

static ssize_t
inode_find(const uint64_t *inodes, size_t n, uint64_t ino)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (inodes[mid] == ino)
			return (ssize_t)mid;
		if (inodes[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Match the descriptors of one process; returns the inodes newly owned. */
static int
walk_pid(int procfd, const char *name, int32_t pid, const uint64_t *inodes,
    size_t n, int32_t *pids, struct vt_sockowner_stats *st)
{
	char		rel[32], link[64];
	struct dirent	*de;
	DIR		*dir;
	ssize_t		 len, i;
	uint64_t	 ino;
	int		 fd, got = 0;

	snprintf(rel, sizeof(rel), "%.10s/fd", name);
	if ((fd = openat(procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return 0;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	st->procs++;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		st->fds++;
		len = readlinkat(fd, de->d_name, link, sizeof(link));
		if (len <= 0 || (size_t)len >= sizeof(link) ||
		    vt_sockowner_parse_link(link, (size_t)len, &ino) ==
		    VT_ERR)
			continue;
		if ((i = inode_find(inodes, n, ino)) < 0)
			continue;
		if (pids[i] == 0)
			got++;
		if (pids[i] == 0 || pid < pids[i])
			pids[i] = pid;
	}
	closedir(dir);
	return got;
}

/* One process, unless the budget is spent: 1 to go on, 0 to stop. */
static int
walk_one(int procfd, int32_t pid, const uint64_t *inodes, size_t n,
    int32_t *pids, int budget_ms, int64_t start,
    struct vt_sockowner_stats *st)
{
	char	name[16];

	if (budget_ms > 0 && vt_mono_us() - start > (int64_t)budget_ms * 1000) {
		st->complete = 0;
		return 0;
	}
	snprintf(name, sizeof(name), "%d", (int)pid);
	st->matched += (size_t)walk_pid(procfd, name, pid, inodes, n, pids,
	    st);
	return st->matched < n;
}

int
vt_sockowner_walk(const char *root, const int32_t *procs, size_t nprocs,
    size_t *cursor, const uint64_t *inodes, size_t n, int32_t *pids,
    int budget_ms, struct vt_sockowner_stats *st, char *err, size_t errlen)
{
	struct vt_sockowner_stats	 local;
	struct dirent			*de;
	DIR				*dir;
	char				 path[VT_PATH_LEN * 2];
	const char			*c;
	int64_t				 start = vt_mono_us();
	size_t				 i, at;
	long				 pid;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof(*st));
	st->complete = 1;
	memset(pids, 0, n * sizeof(pids[0]));
	if (n == 0)
		return VT_OK;
	if (vt_procfile_path(root, "proc", path, sizeof(path)) == VT_ERR)
		return vt_pf_err(err, errlen, "proc: path too long");
	if ((dir = opendir(path)) == NULL)
		return vt_pf_err(err, errlen, "opendir %s: %s", path,
		    strerror(errno));
	if (procs != NULL) {
		at = cursor != NULL && *cursor < nprocs ? *cursor : 0;
		for (i = 0; i < nprocs; i++)
			if (!walk_one(dirfd(dir), procs[(at + i) % nprocs],
			    inodes, n, pids, budget_ms, start, st))
				break;
		if (cursor != NULL)
			*cursor = st->complete || nprocs == 0 ? 0 :
			    (at + i) % nprocs;
	} else {
		while ((de = readdir(dir)) != NULL) {
			for (c = de->d_name; *c >= '0' && *c <= '9'; c++)
				continue;
			if (*c != '\0' || c == de->d_name ||
			    c - de->d_name > 10)
				continue;
			pid = strtol(de->d_name, NULL, 10);
			if (pid <= 0 || pid > INT32_MAX)
				continue;
			if (!walk_one(dirfd(dir), (int32_t)pid, inodes, n, pids,
			    budget_ms, start, st))
				break;
		}
		if (cursor != NULL)
			*cursor = 0;
	}
	closedir(dir);
	st->walk_us = (uint64_t)(vt_mono_us() - start);
	return VT_OK;
}

int
vt_sockowner_comm(const char *root, int32_t pid, char *comm, size_t len)
{
	char	rel[40], buf[64], err[VT_ERRLEN];
	size_t	n = 0;

	comm[0] = '\0';
	snprintf(rel, sizeof(rel), "proc/%d/comm", (int)pid);
	if (vt_procfile_read(root, rel, buf, sizeof(buf), &n, err,
	    sizeof(err)) == VT_ERR || n == 0)
		return VT_ERR;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(comm, buf, n);
	comm[n] = '\0';
	return VT_OK;
}

static int
pid_cmp(const void *a, const void *b)
{
	int32_t	x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

void
vt_sock_holders_count(int32_t *pids, size_t n, struct vt_sock_holders *out)
{
	struct vt_sock_holder	h;
	size_t			i, j, k;

	memset(out, 0, sizeof(*out));
	out->sockets = n;
	if (n == 0)
		return;
	qsort(pids, n, sizeof(pids[0]), pid_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && pids[j] == pids[i]; j++)
			continue;
		if (pids[i] == 0)
			continue;
		out->attributed += j - i;
		memset(&h, 0, sizeof(h));
		h.pid = pids[i];
		h.count = (uint32_t)(j - i);
		/* Insert by count, most first; pids come in rising order. */
		k = out->n;
		if (k == VT_MAX_HOLDERS) {
			if (h.count <= out->h[k - 1].count)
				continue;
			k--;
		} else
			out->n++;
		while (k > 0 && out->h[k - 1].count < h.count) {
			out->h[k] = out->h[k - 1];
			k--;
		}
		out->h[k] = h;
	}
}

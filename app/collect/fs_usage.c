/*
 * fs_usage.c: statvfs for each mount in a long-lived helper process,
 * under a deadline (see fs_usage.h for why and how).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "collect/procfile.h"
#include "collect/fs_usage.h"

/* The back-offs: a helper that keeps dying, a mount that keeps hanging. */
#define FS_BACKOFF_MIN_MS	1000
#define FS_BACKOFF_MAX_MS	60000

/*
 * At shutdown, how long to wait for the killed helpers to be gone: a
 * SIGKILL takes well under a millisecond here, but tearing down a large
 * address space (ASan's shadow) can take a good part of a second.
 */
#define FS_CLEANUP_WAIT_MS	1000

/*
 * A request: a struct fs_req_head, then per mount its index (uint32_t)
 * and its mount point with the NUL.  It is one message, so it is bounded.
 */
struct fs_req_head {
	uint32_t	n;
};
#define FS_REQ_MAX	(sizeof(struct fs_req_head) + \
			    VT_MAX_MOUNTS * (sizeof(uint32_t) + VT_PATH_LEN))

/* The answer, one message per mount. */
struct fs_rec {
	uint32_t	idx;		/* index into the mount table */
	int32_t		error;		/* errno, or 0 */
	uint64_t	size, free, avail, files, files_free;
};

static uint64_t	fs_mul(uint64_t a, uint64_t b);
static void	fs_child_answer(vt_statvfs_fn fn, uint32_t idx,
		    const char *path, int fd);
static void	fs_child(vt_statvfs_fn fn, int fd, pid_t parent)
		    __attribute__((noreturn));
static int	fs_gone(pid_t pid, int pidfd);
static void	fs_kill(pid_t pid, int pidfd);
static void	fs_wait_gone(int pidfd, int ms);
static void	fs_reap_pending(struct vt_fs_helper *h);
static int	fs_is_hung(const struct vt_fs_helper *h, const char *mp,
		    int64_t now);
static void	fs_add_pending(struct vt_fs_helper *h, pid_t pid, int pidfd,
		    const char *mp);
static void	fs_add_skip(struct vt_fs_helper *h, const char *mp,
		    int64_t until);
static void	fs_drop(struct vt_fs_helper *h, int died);
static void	fs_check_live(struct vt_fs_helper *h);
static int	fs_start(struct vt_fs_helper *h);
static size_t	fs_request(const struct vt_proc_mounts *m, const size_t *want,
		    size_t nwant, unsigned char *buf);

/* a * b, saturating: no filesystem is 16 EiB, but no wrap either. */
static uint64_t
fs_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

/* In the helper: one statvfs, one record. */
static void
fs_child_answer(vt_statvfs_fn fn, uint32_t idx, const char *path, int fd)
{
	struct statvfs	st;
	struct fs_rec	rec;
	uint64_t	frsize;
	ssize_t		n;

	memset(&rec, 0, sizeof(rec));
	memset(&st, 0, sizeof(st));
	rec.idx = idx;
	errno = 0;
	if (fn(path, &st) == -1) {
		rec.error = errno != 0 ? errno : EIO;
	} else {
		frsize = st.f_frsize != 0 ? st.f_frsize : st.f_bsize;
		rec.size = fs_mul(st.f_blocks, frsize);
		rec.free = fs_mul(st.f_bfree, frsize);
		rec.avail = fs_mul(st.f_bavail, frsize);
		rec.files = st.f_files;
		rec.files_free = st.f_ffree;
	}
	do {
		n = send(fd, &rec, sizeof(rec), MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR && !vt_child_stopping());
	if (n != (ssize_t)sizeof(rec))
		_exit(1);
}

/*
 * The helper: the start-up of every child, but with its socket kept (a
 * stuck helper must not hold the master's listening socket or any other),
 * a blocking socket, then one request at a time until the caller closes
 * its end, SIGTERM arrives or a request is malformed.
 */
static void
fs_child(vt_statvfs_fn fn, int fd, pid_t parent)
{
	struct vt_child_start	 cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_CLOSE_ALL,
		.parent = parent,
		.keep_fd = fd,
		.log_level = VT_LOG_WARN,
		.orphan_code = 0,
	};
	unsigned char		 req[FS_REQ_MAX];
	struct fs_req_head	 head;
	const char		*path;
	uint32_t		 i, idx;
	size_t			 off, len;
	ssize_t			 n;
	int			 fl;

	vt_child_start(&cs, NULL);
	/* Named, so that ps and top (and the bench) tell it from a worker. */
	(void)prctl(PR_SET_NAME, VT_FS_HELPER_NAME);
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		_exit(1);
	if (fn == NULL)
		fn = statvfs;
	for (;;) {
		n = recv(fd, req, sizeof(req), 0);
		if (n == -1 && errno == EINTR && !vt_child_stopping())
			continue;
		if (n <= 0)
			_exit(n == 0 ? 0 : 1);
		len = (size_t)n;
		if (len < sizeof(head))
			_exit(1);
		memcpy(&head, req, sizeof(head));
		if (head.n > VT_MAX_MOUNTS)
			_exit(1);
		off = sizeof(head);
		for (i = 0; i < head.n; i++) {
			if (len - off < sizeof(idx) + 1)
				_exit(1);
			memcpy(&idx, req + off, sizeof(idx));
			off += sizeof(idx);
			path = (const char *)req + off;
			if (memchr(path, '\0', len - off) == NULL)
				_exit(1);
			off += strlen(path) + 1;
			fs_child_answer(fn, idx, path, fd);
		}
	}
}

/* 1 when the helper has been reaped (by us or by anybody), else 0. */
static int
fs_gone(pid_t pid, int pidfd)
{
	siginfo_t	si;
	pid_t		r;

	if (pidfd >= 0) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED | WNOHANG) == 0)
			return si.si_pid != 0;
		return errno == ECHILD;
	}
	r = waitpid(pid, NULL, WNOHANG);
	return r == pid || (r == -1 && errno == ECHILD);
}

static void
fs_kill(pid_t pid, int pidfd)
{
	if (pidfd >= 0 && pidfd_send_signal(pidfd, SIGKILL, NULL, 0) == 0)
		return;
	if (pidfd < 0)
		(void)kill(pid, SIGKILL);
}

/* Give a killed helper up to ms to exit (a pidfd is readable then). */
static void
fs_wait_gone(int pidfd, int ms)
{
	struct pollfd	pfd;
	int64_t		start = vt_mono_us();
	long		left;

	if (pidfd < 0)
		return;
	while ((left = ms - (long)vt_mono_ms_since(start)) > 0) {
		pfd.fd = pidfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == 1)
			return;
	}
}

static void
fs_reap_pending(struct vt_fs_helper *h)
{
	size_t	i = 0;

	while (i < h->npending) {
		if (!fs_gone(h->pending[i].pid, h->pending[i].pidfd)) {
			fs_kill(h->pending[i].pid, h->pending[i].pidfd);
			i++;
			continue;
		}
		if (h->pending[i].pidfd >= 0)
			close(h->pending[i].pidfd);
		h->pending[i] = h->pending[h->npending - 1];
		h->npending--;
	}
}

/* Held by a stuck helper, or timed out within its back-off. */
static int
fs_is_hung(const struct vt_fs_helper *h, const char *mp, int64_t now)
{
	size_t	i;

	for (i = 0; i < h->npending; i++)
		if (strcmp(h->pending[i].mountpoint, mp) == 0)
			return 1;
	for (i = 0; i < h->nskip; i++)
		if (now < h->skip[i].until &&
		    strcmp(h->skip[i].mountpoint, mp) == 0)
			return 1;
	return 0;
}

/*
 * Remember a helper that has not been reaped.  When the table is full the
 * oldest is forgotten: it has been killed, and the process's own reaper
 * collects it whenever the kernel lets it die.
 */
static void
fs_add_pending(struct vt_fs_helper *h, pid_t pid, int pidfd, const char *mp)
{
	if (h->npending == VT_FS_MAX_PENDING) {
		if (h->pending[0].pidfd >= 0)
			close(h->pending[0].pidfd);
		memmove(&h->pending[0], &h->pending[1],
		    (VT_FS_MAX_PENDING - 1) * sizeof(h->pending[0]));
		h->npending--;
	}
	h->pending[h->npending].pid = pid;
	h->pending[h->npending].pidfd = pidfd;
	snprintf(h->pending[h->npending].mountpoint,
	    sizeof(h->pending[h->npending].mountpoint), "%s", mp);
	h->npending++;
}

/*
 * Skip a mount until "until".  When the list is full, the entry that ends
 * first makes room.
 */
static void
fs_add_skip(struct vt_fs_helper *h, const char *mp, int64_t until)
{
	size_t	i, j = 0;

	for (i = 0; i < h->nskip; i++)
		if (strcmp(h->skip[i].mountpoint, mp) == 0)
			break;
	if (i < h->nskip)
		j = i;
	else if (h->nskip < VT_FS_MAX_PENDING)
		j = h->nskip++;
	else {
		for (i = 1; i < h->nskip; i++)
			if (h->skip[i].until < h->skip[j].until)
				j = i;
	}
	snprintf(h->skip[j].mountpoint, sizeof(h->skip[j].mountpoint), "%s",
	    mp);
	h->skip[j].until = until;
}

/*
 * Forget the live helper after it exited (died: it was not asked to), now
 * reaped or about to be.  One that had answered a pass is replaced at
 * once; one that died before it answered any waits out the back-off.
 */
static void
fs_drop(struct vt_fs_helper *h, int died)
{
	if (h->sock >= 0)
		close(h->sock);
	if (!fs_gone(h->pid, h->pidfd)) {
		fs_kill(h->pid, h->pidfd);
		fs_add_pending(h, h->pid, h->pidfd, "");
	} else if (h->pidfd >= 0) {
		close(h->pidfd);
	}
	if (died) {
		h->deaths++;
		if (h->passes > 0)
			vt_backoff_reset(&h->respawn);
		else
			(void)vt_backoff_fail(&h->respawn, vt_mono_ms());
	}
	h->pid = 0;
	h->pidfd = h->sock = -1;
	h->passes = 0;
}

/* Between passes the helper waits for a request: did it exit instead? */
static void
fs_check_live(struct vt_fs_helper *h)
{
	if (h->pid > 0 && fs_gone(h->pid, h->pidfd))
		fs_drop(h, 1);
}

/* Start a helper; 0, or -1 with errno set. */
static int
fs_start(struct vt_fs_helper *h)
{
	pid_t	pid, parent = getpid();
	int	sv[2], saved;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0)
		fs_child(h->statvfs_fn, sv[1], parent);
	close(sv[1]);
	h->pid = pid;
	h->pidfd = pidfd_open(pid, 0);
	h->sock = sv[0];
	h->passes = 0;
	h->starts++;
	return 0;
}

/* Write the request for the mounts in want into buf; its length. */
static size_t
fs_request(const struct vt_proc_mounts *m, const size_t *want, size_t nwant,
    unsigned char *buf)
{
	struct fs_req_head	head = { .n = (uint32_t)nwant };
	uint32_t		idx;
	size_t			i, off, len;

	memcpy(buf, &head, sizeof(head));
	off = sizeof(head);
	for (i = 0; i < nwant; i++) {
		idx = (uint32_t)want[i];
		memcpy(buf + off, &idx, sizeof(idx));
		off += sizeof(idx);
		len = strnlen(m->m[want[i]].mountpoint, VT_PATH_LEN - 1);
		memcpy(buf + off, m->m[want[i]].mountpoint, len);
		buf[off + len] = '\0';
		off += len + 1;
	}
	return off;
}

void
vt_fs_helper_init(struct vt_fs_helper *h)
{
	memset(h, 0, sizeof(*h));
	h->statvfs_fn = NULL;
	h->pidfd = h->sock = -1;
	vt_backoff_init(&h->respawn, FS_BACKOFF_MIN_MS, FS_BACKOFF_MAX_MS, 0);
	vt_backoff_init(&h->hang, FS_BACKOFF_MIN_MS, FS_BACKOFF_MAX_MS, 0);
}

size_t
vt_fs_helper_cleanup(struct vt_fs_helper *h)
{
	int64_t	start = vt_mono_us();
	size_t	i;

	/* The live one joins the pending ones: all killed, then waited. */
	if (h->pid > 0) {
		fs_kill(h->pid, h->pidfd);
		fs_drop(h, 0);
	}
	for (i = 0; i < h->npending; i++)
		fs_kill(h->pending[i].pid, h->pending[i].pidfd);
	fs_reap_pending(h);
	while (h->npending > 0 &&
	    (int64_t)vt_mono_ms_since(start) < FS_CLEANUP_WAIT_MS) {
		fs_wait_gone(h->pending[0].pidfd, FS_CLEANUP_WAIT_MS -
		    (int)vt_mono_ms_since(start));
		fs_reap_pending(h);
	}
	return h->npending;
}

int
vt_fs_usage(struct vt_fs_helper *h, struct vt_proc_mounts *m,
    int deadline_ms, char *err, size_t errlen)
{
	int64_t		 start = vt_mono_us(), now = vt_mono_ms();
	unsigned char	 req[FS_REQ_MAX];
	struct fs_rec	 rec;
	struct vt_mount	*mt;
	struct pollfd	 pfd;
	size_t		 want[VT_MAX_MOUNTS], nwant = 0, ndone = 0;
	size_t		 i, reqlen;
	const char	*hung = "";
	ssize_t		 n;
	long		 left;
	int		 died = 0, skipped = 0, saved;

	fs_reap_pending(h);
	fs_check_live(h);
	for (i = 0; i < m->n; i++) {
		mt = &m->m[i];
		mt->error = 0;
		mt->size_bytes = mt->free_bytes = mt->avail_bytes = 0;
		mt->files = mt->files_free = 0;
		if (fs_is_hung(h, mt->mountpoint, now)) {
			mt->state = VT_FS_HUNG;
			skipped = 1;
			continue;
		}
		/* Until its record arrives. */
		mt->state = VT_FS_TIMEOUT;
		want[nwant++] = i;
	}
	if (nwant == 0)
		return VT_OK;
	if (h->pid == 0) {
		if (vt_backoff_left(&h->respawn, now) > 0) {
			errno = EAGAIN;
			goto fail;
		}
		if (fs_start(h) == -1)
			goto fail;
	}
	reqlen = fs_request(m, want, nwant, req);
	/* It waits for a request, so the socket has room for it. */
	if (send(h->sock, req, reqlen, MSG_NOSIGNAL | MSG_DONTWAIT) !=
	    (ssize_t)reqlen) {
		saved = errno;
		fs_drop(h, 1);
		errno = saved;
		goto fail;
	}

	while (ndone < nwant) {
		if ((left = deadline_ms - (long)vt_mono_ms_since(start)) <= 0)
			break;
		pfd.fd = h->sock;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;	/* EINTR or time: the loop rechecks */
		n = recv(h->sock, &rec, sizeof(rec), MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n != (ssize_t)sizeof(rec)) {
			died = 1;	/* end of file, or not our record */
			break;
		}
		if (rec.idx >= m->n)
			continue;
		mt = &m->m[rec.idx];
		if (rec.error != 0) {
			mt->state = VT_FS_ERROR;
			mt->error = rec.error;
		} else {
			mt->state = VT_FS_OK;
			mt->size_bytes = rec.size;
			mt->free_bytes = rec.free;
			mt->avail_bytes = rec.avail;
			mt->files = rec.files;
			mt->files_free = rec.files_free;
		}
		ndone++;
	}

	if (ndone == nwant) {
		h->passes++;
		vt_backoff_reset(&h->respawn);
		if (!skipped)
			vt_backoff_reset(&h->hang);
		return VT_OK;
	}
	if (died) {
		/* Exited mid-pass: what it did not answer failed. */
		for (i = 0; i < nwant; i++) {
			mt = &m->m[want[i]];
			if (mt->state == VT_FS_TIMEOUT) {
				mt->state = VT_FS_ERROR;
				mt->error = ECHILD;
			}
		}
		fs_drop(h, 1);
		return VT_OK;
	}
	/* The helper works in order: it is stuck on the first miss. */
	for (i = 0; i < nwant; i++) {
		if (m->m[want[i]].state == VT_FS_TIMEOUT) {
			hung = m->m[want[i]].mountpoint;
			break;
		}
	}
	h->timeouts++;
	fs_add_skip(h, hung, vt_mono_ms() +
	    vt_backoff_fail(&h->hang, vt_mono_ms()));
	fs_kill(h->pid, h->pidfd);
	close(h->sock);
	if (fs_gone(h->pid, h->pidfd)) {
		if (h->pidfd >= 0)
			close(h->pidfd);
	} else {
		fs_add_pending(h, h->pid, h->pidfd, hung);
	}
	h->pid = 0;
	h->pidfd = h->sock = -1;
	h->passes = 0;
	return VT_OK;

fail:
	saved = errno;
	for (i = 0; i < nwant; i++) {
		m->m[want[i]].state = VT_FS_ERROR;
		m->m[want[i]].error = saved;
	}
	if (saved == EAGAIN)
		return vt_pf_err(err, errlen, "statvfs helper: keeps exiting, "
		    "restart in %lld ms", (long long)vt_backoff_left(
		    &h->respawn, vt_mono_ms()));
	return vt_pf_err(err, errlen, "statvfs helper: %s", strerror(saved));
}

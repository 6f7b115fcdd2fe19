/*
 * fs_usage.c: statvfs for each mount in a helper child, under a deadline
 * (see fs_usage.h for why and how).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "collect/procfile.h"
#include "collect/fs_usage.h"

/* One per mount, written whole (well under PIPE_BUF, so never split). */
struct fs_rec {
	uint32_t	idx;		/* index into the mount table */
	int32_t		error;		/* errno, or 0 */
	uint64_t	size, free, avail, files, files_free;
};

static uint64_t	fs_mul(uint64_t a, uint64_t b);
static void	fs_child(vt_statvfs_fn fn, const struct vt_proc_mounts *m,
		    const size_t *want, size_t nwant, int wfd)
		    __attribute__((noreturn));
static int	fs_gone(pid_t pid, int pidfd);
static void	fs_kill(pid_t pid, int pidfd);
static void	fs_reap_pending(struct vt_fs_helper *h);
static int	fs_is_hung(const struct vt_fs_helper *h, const char *mp);
static void	fs_add_pending(struct vt_fs_helper *h, pid_t pid, int pidfd,
		    const char *mp);

/* a * b, saturating: no filesystem is 16 EiB, but no wrap either. */
static uint64_t
fs_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

/*
 * The helper: default signals (so SIGPIPE ends it when the caller has
 * stopped listening), no descriptors but the pipe (a stuck helper must
 * not hold the caller's sockets), one record per mount, in order.
 */
static void
fs_child(vt_statvfs_fn fn, const struct vt_proc_mounts *m, const size_t *want,
    size_t nwant, int wfd)
{
	struct sigaction	sa;
	struct statvfs		st;
	struct fs_rec		rec;
	sigset_t		none;
	uint64_t		frsize;
	size_t			i;
	ssize_t			n;
	int			sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (wfd != 3) {
		if (dup2(wfd, 3) == -1)
			_exit(1);
		wfd = 3;
	}
	(void)close_range(4, ~0U, 0);
	if (fn == NULL)
		fn = statvfs;
	for (i = 0; i < nwant; i++) {
		memset(&rec, 0, sizeof(rec));
		memset(&st, 0, sizeof(st));
		rec.idx = (uint32_t)want[i];
		if (fn(m->m[want[i]].mountpoint, &st) == -1) {
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
			n = write(wfd, &rec, sizeof(rec));
		} while (n == -1 && errno == EINTR);
		if (n != (ssize_t)sizeof(rec))
			_exit(1);
	}
	_exit(0);
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

static int
fs_is_hung(const struct vt_fs_helper *h, const char *mp)
{
	size_t	i;

	for (i = 0; i < h->npending; i++) {
		if (strcmp(h->pending[i].mountpoint, mp) == 0)
			return 1;
	}
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

void
vt_fs_helper_init(struct vt_fs_helper *h)
{
	memset(h, 0, sizeof(*h));
	h->statvfs_fn = NULL;
}

size_t
vt_fs_helper_cleanup(struct vt_fs_helper *h)
{
	size_t	i;

	for (i = 0; i < h->npending; i++)
		fs_kill(h->pending[i].pid, h->pending[i].pidfd);
	fs_reap_pending(h);
	return h->npending;
}

int
vt_fs_usage(struct vt_fs_helper *h, struct vt_proc_mounts *m,
    int deadline_ms, char *err, size_t errlen)
{
	int64_t		 start = vt_mono_us();
	struct fs_rec	 rec;
	struct vt_mount	*mt;
	struct pollfd	 pfd;
	unsigned char	 acc[sizeof(struct fs_rec) * 16];
	size_t		 want[VT_MAX_MOUNTS], nwant = 0, ndone = 0, acclen = 0;
	size_t		 i, off;
	const char	*hung = "";
	ssize_t		 n;
	long		 left;
	pid_t		 pid;
	int		 p[2], pidfd, eof = 0, saved;

	fs_reap_pending(h);
	for (i = 0; i < m->n; i++) {
		mt = &m->m[i];
		mt->error = 0;
		mt->size_bytes = mt->free_bytes = mt->avail_bytes = 0;
		mt->files = mt->files_free = 0;
		if (fs_is_hung(h, mt->mountpoint)) {
			mt->state = VT_FS_HUNG;
			continue;
		}
		/* Until its record arrives. */
		mt->state = VT_FS_TIMEOUT;
		want[nwant++] = i;
	}
	if (nwant == 0)
		return VT_OK;
	if (pipe2(p, O_CLOEXEC) == -1)
		goto fail;
	if ((pid = fork()) == -1) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		errno = saved;
		goto fail;
	}
	if (pid == 0) {
		close(p[0]);
		fs_child(h->statvfs_fn, m, want, nwant, p[1]);
	}
	close(p[1]);
	h->forks++;
	pidfd = pidfd_open(pid, 0);

	while (!eof && ndone < nwant) {
		if ((left = deadline_ms - (long)vt_mono_ms_since(start)) <= 0)
			break;
		pfd.fd = p[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;	/* EINTR or time: the loop rechecks */
		n = read(p[0], acc + acclen, sizeof(acc) - acclen);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (n == 0) {
			eof = 1;
			break;
		}
		acclen += (size_t)n;
		for (off = 0; acclen - off >= sizeof(rec); off += sizeof(rec)) {
			memcpy(&rec, acc + off, sizeof(rec));
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
		memmove(acc, acc + off, acclen - off);
		acclen -= off;
	}
	close(p[0]);

	if (ndone < nwant) {
		/* The helper works in order: it is stuck on the first miss. */
		for (i = 0; i < nwant; i++) {
			if (m->m[want[i]].state == VT_FS_TIMEOUT) {
				hung = m->m[want[i]].mountpoint;
				break;
			}
		}
		h->timeouts++;
		fs_kill(pid, pidfd);
	}
	/* A finished helper is exiting: give it what is left of the time. */
	if (pidfd >= 0 &&
	    (left = deadline_ms - (long)vt_mono_ms_since(start)) > 0) {
		pfd.fd = pidfd;
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, (int)left);
	}
	if (fs_gone(pid, pidfd)) {
		if (pidfd >= 0)
			close(pidfd);
	} else {
		fs_add_pending(h, pid, pidfd, hung);
	}
	return VT_OK;

fail:
	saved = errno;
	for (i = 0; i < nwant; i++) {
		m->m[want[i]].state = VT_FS_ERROR;
		m->m[want[i]].error = saved;
	}
	return vt_pf_err(err, errlen, "statvfs helper: %s", strerror(saved));
}

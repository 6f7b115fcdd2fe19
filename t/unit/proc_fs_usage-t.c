/*
 * proc_fs_usage-t.c: statvfs in a long-lived helper under a deadline.
 * The deadline test injects a statvfs that sleeps for 10 s on one mount:
 * the call must come back within the deadline (plus slack), with that
 * mount (and the ones after it) timed out and the ones before it
 * measured; the next pass runs in a new helper and skips the hung mount.
 * Were the deadline not enforced, the call would take 10 s and fail.
 * The helper is started once and kept: many passes, one start; one
 * killed from outside is replaced; one that keeps dying waits out a
 * back-off instead of being forked again on every pass.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/fs_usage.h"

#define DEADLINE_MS	300
#define SLACK_MS	250

static int	fake_statvfs(const char *path, struct statvfs *st);
static long	ms_since(const struct timespec *t0);
static void	table(struct vt_proc_mounts *m);
static int	leftover_children(void);
static int	zombies(void);
static void	wait_gone(int pidfd);
static void	wait_pending(const struct vt_fs_helper *h);

/*
 * "/slow" sleeps 10 s, "/denied" fails with EACCES, "/crash" ends the
 * helper, the rest are fake.
 */
static int
fake_statvfs(const char *path, struct statvfs *st)
{
	struct timespec	ts = { 10, 0 };

	if (strcmp(path, "/slow") == 0) {
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			continue;
	}
	if (strcmp(path, "/crash") == 0)
		_exit(3);
	if (strcmp(path, "/denied") == 0) {
		errno = EACCES;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->f_frsize = 4096;
	st->f_bsize = 4096;
	st->f_blocks = 1000;
	st->f_bfree = 600;
	st->f_bavail = 500;
	st->f_files = 300;
	st->f_ffree = 200;
	return 0;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
table(struct vt_proc_mounts *m)
{
	static const char *const	mps[] = { "/fast", "/slow", "/denied" };
	size_t				i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < VT_ARRAY_LEN(mps); i++) {
		snprintf(m->m[i].mountpoint, sizeof(m->m[i].mountpoint), "%s",
		    mps[i]);
		snprintf(m->m[i].fstype, sizeof(m->m[i].fstype), "nfs4");
	}
	m->n = VT_ARRAY_LEN(mps);
}

/* Children of ours not yet reaped (zombies included). */
static int
leftover_children(void)
{
	siginfo_t	si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1)
		return errno == ECHILD ? 0 : -1;
	return 1;	/* a child exists (alive, or exited and unreaped) */
}

/* 1 when a child of ours has exited and is not reaped. */
static int
zombies(void)
{
	siginfo_t	si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1)
		return 0;
	return si.si_pid != 0;
}

/*
 * Wait (at most 5 s) until the process of pidfd has exited: a killed
 * process under ASan can take a good part of a second to go.
 */
static void
wait_gone(int pidfd)
{
	struct pollfd	pfd = { .fd = pidfd, .events = POLLIN };

	if (pidfd >= 0)
		(void)poll(&pfd, 1, 5000);
}

/* The same for every helper that a pass left pending. */
static void
wait_pending(const struct vt_fs_helper *h)
{
	size_t	i;

	for (i = 0; i < h->npending; i++)
		wait_gone(h->pending[i].pidfd);
}

int
main(void)
{
	struct vt_proc_mounts	 real, m;
	struct vt_fs_helper	 h;
	struct statvfs		 sv;
	struct timespec		 t0, pause = { 0, 100 * 1000 * 1000 };
	struct vt_mount		*root = NULL;
	char			 err[VT_ERRLEN];
	long			 ms;
	size_t			 i;
	pid_t			 sleeper, helper;
	int			 rc, k, good, pidfd;

	/* The real statvfs on this machine's real mounts. */
	vt_fs_helper_init(&h);
	if (vt_proc_mounts_read("/", NULL, &real, err, sizeof(err)) ==
	    VT_ERR)
		bail("cannot read /proc/self/mounts: %s", err);
	rc = vt_fs_usage(&h, &real, 2000, err, sizeof(err));
	is_int(rc, VT_OK, "real mounts: the pass runs");
	for (i = 0; i < real.n; i++) {
		if (strcmp(real.m[i].mountpoint, "/") == 0)
			root = &real.m[i];
	}
	if (root != NULL && statvfs("/", &sv) == 0) {
		is_int(root->state, VT_FS_OK, "/: measured");
		is_int((long long)root->size_bytes,
		    (long long)(sv.f_blocks * sv.f_frsize),
		    "/: size = f_blocks * f_frsize");
		is_int((long long)root->files, (long long)sv.f_files,
		    "/: files");
		ok(root->avail_bytes <= root->free_bytes &&
		    root->free_bytes <= root->size_bytes,
		    "/: avail <= free <= size");
	} else {
		skip(4, "no / among the mounts here");
	}
	is_int((long long)h.npending, 0, "real mounts: no helper pending");
	ok(h.pid > 0 && kill(h.pid, 0) == 0,
	    "real mounts: the helper stays, waiting for the next pass");
	is_int((long long)vt_fs_helper_cleanup(&h), 0,
	    "cleanup: the helper is gone");
	is_int(leftover_children(), 0, "cleanup: no child left");

	/* The deadline. */
	vt_fs_helper_init(&h);
	h.statvfs_fn = fake_statvfs;
	table(&m);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	ms = ms_since(&t0);
	is_int(rc, VT_OK, "slow mount: the pass runs");
	ok(ms >= DEADLINE_MS - 5 && ms < DEADLINE_MS + SLACK_MS,
	    "slow mount: back after %ld ms (deadline %d ms)", ms, DEADLINE_MS);
	is_int(m.m[0].state, VT_FS_OK, "the mount before it was measured");
	is_int((long long)m.m[0].size_bytes, 4096000, "... size");
	is_int((long long)m.m[0].avail_bytes, 2048000, "... avail");
	is_int((long long)m.m[0].free_bytes, 2457600, "... free");
	is_int((long long)m.m[0].files_free, 200, "... free inodes");
	is_int(m.m[1].state, VT_FS_TIMEOUT, "the slow mount timed out");
	is_int(m.m[2].state, VT_FS_TIMEOUT,
	    "the one after it never ran: timed out too");
	is_int((long long)h.timeouts, 1, "one timeout counted");
	is_int((long long)h.starts, 1, "one helper started");
	is_int(h.pid, 0, "the stuck helper is no longer the live one");

	/*
	 * The next pass, once the killed helper is gone: a new
	 * helper, the mount that hung skipped for its back-off all the same.
	 */
	wait_pending(&h);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	ms = ms_since(&t0);
	ok(rc == VT_OK && ms < 100, "after a timeout: the next pass is quick "
	    "(%ld ms)", ms);
	is_int((long long)h.starts, 2, "... in a new helper");
	is_int(m.m[1].state, VT_FS_HUNG, "... the hung mount is skipped");
	is_int(m.m[0].state, VT_FS_OK, "... the mount before it is measured");
	is_int((long long)m.m[0].size_bytes, 4096000, "... with its size");
	is_int(m.m[2].state, VT_FS_ERROR, "... and the one after it is tried");
	is_int((long long)h.timeouts, 1, "... no new timeout");
	is_int((long long)h.npending, 0, "... the killed helper was reaped");

	/* The killed helper is reaped on a later pass, not left behind. */
	nanosleep(&pause, NULL);
	snprintf(m.m[1].mountpoint, sizeof(m.m[1].mountpoint), "/quick");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	ms = ms_since(&t0);
	ok(rc == VT_OK && ms < 100, "next pass: quick (%ld ms)", ms);
	is_int(m.m[1].state, VT_FS_OK, "next pass: the mount answers now");
	is_int(m.m[2].state, VT_FS_ERROR, "a failing statvfs: error");
	is_int(m.m[2].error, EACCES, "... with its errno");
	is_int((long long)h.npending, 0, "no helper pending");
	is_int(zombies(), 0, "no zombie left");

	/* Many passes, one helper. */
	for (good = 0, k = 0; k < 50; k++)
		good += vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err)) ==
		    VT_OK && m.m[0].state == VT_FS_OK &&
		    m.m[1].state == VT_FS_OK;
	is_int(good, 50, "50 more passes: every one measured");
	is_int((long long)h.starts, 2, "... all in the same helper");

	/* A helper killed from outside is replaced on the next pass. */
	helper = h.pid;
	pidfd = helper > 0 ? pidfd_open(helper, 0) : -1;
	ok(helper > 0 && kill(helper, SIGKILL) == 0, "helper killed (SIGKILL)");
	wait_gone(pidfd);
	if (pidfd >= 0)
		close(pidfd);
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	is_int(rc, VT_OK, "after the kill: the pass runs");
	ok(h.pid > 0 && h.pid != helper, "... in a new helper");
	is_int((long long)h.starts, 3, "... started once more");
	is_int((long long)h.deaths, 1, "... the death counted");
	is_int(m.m[0].state, VT_FS_OK, "... and the mounts have sizes");
	is_int((long long)m.m[1].size_bytes, 4096000, "... all of them");
	is_int(zombies(), 0, "... the dead one reaped");

	/*
	 * A helper that could not be reaped (stuck in the kernel) keeps
	 * its mount out of later passes.  Stand one in: a sleeping child
	 * registered as pending on "/quick".
	 */
	if ((sleeper = fork()) == 0) {
		pause.tv_sec = 30;
		nanosleep(&pause, NULL);
		_exit(0);
	}
	h.pending[0].pid = sleeper;
	h.pending[0].pidfd = pidfd_open(sleeper, 0);
	snprintf(h.pending[0].mountpoint, sizeof(h.pending[0].mountpoint),
	    "/quick");
	h.npending = 1;
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	is_int(m.m[1].state, VT_FS_HUNG, "pending helper: its mount skipped");
	is_int(m.m[0].state, VT_FS_OK, "pending helper: the others measured");
	nanosleep(&pause, NULL);	/* 100 ms: the kill has landed */
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	is_int(m.m[1].state, VT_FS_OK,
	    "once the stuck helper is gone the mount is tried again");
	is_int((long long)h.npending, 0, "... and it was reaped");
	is_int(zombies(), 0, "no zombie left");

	/* Nothing to do, and cleanup. */
	m.n = 0;
	is_int(vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err)), VT_OK,
	    "no mounts: fine");
	is_int((long long)vt_fs_helper_cleanup(&h), 0, "cleanup: none left");
	is_int(leftover_children(), 0, "no child left");

	/* A helper that keeps dying is not forked again on every pass. */
	vt_fs_helper_init(&h);
	h.statvfs_fn = fake_statvfs;
	table(&m);
	snprintf(m.m[1].mountpoint, sizeof(m.m[1].mountpoint), "/crash");
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	is_int(rc, VT_OK, "a helper that dies: the pass runs");
	is_int(m.m[0].state, VT_FS_OK, "... what it answered is kept");
	is_int(m.m[1].state, VT_FS_ERROR, "... the rest failed");
	is_int((long long)h.deaths, 1, "... its death counted");
	rc = vt_fs_usage(&h, &m, DEADLINE_MS, err, sizeof(err));
	is_int(rc, VT_ERR, "died before answering a pass: the next pass "
	    "fails (%s)", err);
	is_int((long long)h.starts, 1, "... without a new helper (back-off)");
	is_int(m.m[0].state, VT_FS_ERROR, "... every mount an error");
	is_int((long long)vt_fs_helper_cleanup(&h), 0, "cleanup: none left");
	is_int(leftover_children(), 0, "no child left");

	done_testing();
	return tap_exit_status();
}

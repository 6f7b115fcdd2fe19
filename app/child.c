/*
 * child.c: the table of the master's children, their one spawn and one
 * reap path, their respawn policies and their start-up (see child.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "collect/procfile.h"

/*
 * Workers: a crash within a second is a crash loop, 50 ms doubling to 5 s
 * before the pool is topped up again; a worker that lived longer is
 * replaced at once.  The recorder: 1 s doubling to 30 s after every exit,
 * starting over after a minute of life.  The new master of an upgrade is
 * never replaced, and outlives us.
 */
static const struct vt_child_policy	child_policies[VT_CHILD_KINDS] = {
	[VT_CHILD_WORKER] = { .respawn = 1, .healthy_ms = 1000,
	    .backoff_min_ms = 50, .backoff_max_ms = 5000 },
	[VT_CHILD_RECORDER] = { .respawn = 1, .healthy_ms = 60000,
	    .healthy_waits = 1, .backoff_min_ms = 1000,
	    .backoff_max_ms = 30000 },
	[VT_CHILD_UPGRADE] = { .outlives = 1, .backoff_min_ms = 1,
	    .backoff_max_ms = 1 },
	[VT_CHILD_NOTIFY] = { .backoff_min_ms = 1, .backoff_max_ms = 1 },
};

/* Set by TERM, INT or QUIT in a child. */
static volatile sig_atomic_t	child_stop;

const struct vt_child_policy *
vt_child_policy(enum vt_child_kind kind)
{
	return &child_policies[kind];
}

void
vt_children_init(struct vt_children *t)
{
	int	k;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < VT_CHILD_KINDS; k++)
		vt_backoff_init(&t->backoff[k],
		    child_policies[k].backoff_min_ms,
		    child_policies[k].backoff_max_ms, 0);
}

struct vt_child *
vt_child_at(struct vt_children *t, enum vt_child_kind kind, int slot)
{
	if (kind == VT_CHILD_WORKER)
		return &t->c[slot];
	return &t->c[VT_MAX_SLOTS + (int)kind - 1];
}

struct vt_child *
vt_child_spawn(struct vt_children *t, enum vt_child_kind kind, int slot,
    uint32_t generation, void (*fn)(void *), void *arg)
{
	struct vt_child	*c = vt_child_at(t, kind, slot);
	pid_t		 pid;

	if (c->pid != 0) {
		errno = EBUSY;
		return NULL;
	}
	if ((pid = fork()) == -1)
		return NULL;
	if (pid == 0) {
		/* The master's kept /proc files are not the child's. */
		vt_procfile_forget();
		fn(arg);
		_exit(VT_EX_SOFTWARE);
	}
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->kind = kind;
	c->slot = slot;
	c->generation = generation;
	c->started = vt_mono_ms();
	return c;
}

void
vt_child_stop(struct vt_child *c, int64_t grace_ms)
{
	if (c->pid <= 0 || c->stopping)
		return;
	c->stopping = 1;
	c->kill_at = grace_ms > 0 ? vt_mono_ms() + grace_ms : 0;
	kill(c->pid, SIGTERM);
}

void
vt_child_kill_all(struct vt_children *t)
{
	int	i;

	for (i = 0; i < VT_CHILD_MAX; i++)
		if (t->c[i].pid > 0 && !child_policies[t->c[i].kind].outlives)
			kill(t->c[i].pid, SIGKILL);
}

int
vt_child_count(const struct vt_children *t, enum vt_child_kind kind, int live)
{
	int	i, n = 0;

	for (i = 0; i < VT_CHILD_MAX; i++)
		if (t->c[i].pid > 0 && t->c[i].kind == kind &&
		    !(live && t->c[i].stopping))
			n++;
	return n;
}

int
vt_child_any(const struct vt_children *t)
{
	int	i;

	for (i = 0; i < VT_CHILD_MAX; i++)
		if (t->c[i].pid > 0 && !child_policies[t->c[i].kind].outlives)
			return 1;
	return 0;
}

void
vt_child_reap(struct vt_children *t, void (*fn)(void *, struct vt_child *,
    int), void *arg)
{
	pid_t	pid;
	int	status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < VT_CHILD_MAX; i++)
			if (t->c[i].pid == pid)
				break;
		if (i == VT_CHILD_MAX)
			continue;
		fn(arg, &t->c[i], status);
		memset(&t->c[i], 0, sizeof(t->c[i]));
	}
}

int64_t
vt_child_respawn_delay(const struct vt_child_policy *p, struct vt_backoff *b,
    int64_t age_ms, int64_t now)
{
	if (!p->respawn)
		return -1;
	if (age_ms >= p->healthy_ms) {
		vt_backoff_reset(b);
		if (!p->healthy_waits)
			return 0;
	}
	return vt_backoff_fail(b, now);
}

void
vt_child_exit_text(int status, char *dst, size_t len)
{
	if (WIFEXITED(status))
		snprintf(dst, len, "exited with code %d", WEXITSTATUS(status));
	else
		snprintf(dst, len, "exited on signal %d", WTERMSIG(status));
}

static void
child_on_stop(int sig)
{
	(void)sig;
	child_stop = 1;
}

/*
 * Nothing the master had open is ours (its socket, signalfd, memfd) but
 * keep, when it is above stderr.
 */
static void
child_close_all(int keep)
{
	long	fd, max;

	if (keep <= STDERR_FILENO) {
		if (close_range(3, ~0U, 0) == 0)
			return;
	} else if ((keep == 3 || close_range(3, (unsigned)keep - 1, 0) == 0) &&
	    close_range((unsigned)keep + 1, ~0U, 0) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			(void)close((int)fd);
}

void
vt_child_start(const struct vt_child_start *s, sigset_t *waitmask)
{
	struct sigaction	sa;
	sigset_t		mask;
	int			i;

	/* The master blocks its signals for its signalfd: not ours. */
	sigemptyset(&mask);
	if (!(s->flags & VT_CHILD_EXEC)) {
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = child_on_stop;	/* no SA_RESTART */
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGQUIT, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
		sigaction(SIGPIPE, &sa, NULL);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGCHLD, &sa, NULL);
	}
	if (s->flags & VT_CHILD_STOP_IN_WAIT) {
		sigaddset(&mask, SIGTERM);
		sigaddset(&mask, SIGINT);
		sigaddset(&mask, SIGQUIT);
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (waitmask != NULL)
		sigemptyset(waitmask);

	for (i = 0; i < s->nclose; i++)
		if (s->close_fds[i] >= 0)
			close(s->close_fds[i]);
	if (s->flags & VT_CHILD_CLOSE_ALL)
		child_close_all(s->keep_fd);

	/* If the master dies, finish what is in hand and go. */
	if (s->flags & VT_CHILD_DIE_WITH_PARENT) {
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != s->parent)
			_exit(s->orphan_code);
	}
	vt_log_init("vitals");
	vt_log_set_level(s->log_level);
}

int
vt_child_stopping(void)
{
	return child_stop;
}

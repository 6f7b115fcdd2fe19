/*
 * child-t.c: the child table (app/child.c): each kind's respawn policy
 * (pure), the one spawn and reap path with real forks, asking a child to
 * go, and the start-up chain in a child (the stop flag, the mask, the
 * parent check).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "child.h"
#include "clock.h"

struct reaped {
	int			n;
	enum vt_child_kind	kind;
	int			slot;
	int			stopping;
	int			status;
};

static void
on_reaped(void *arg, struct vt_child *c, int status)
{
	struct reaped	*r = arg;

	r->n++;
	r->kind = c->kind;
	r->slot = c->slot;
	r->stopping = c->stopping;
	r->status = status;
}

/* Reap until one more child is gone, for at most 5 s. */
static int
reap_one(struct vt_children *t, struct reaped *r)
{
	int64_t	until = vt_mono_ms() + 5000;
	int	n = r->n;

	while (r->n == n && vt_mono_ms() < until) {
		vt_child_reap(t, on_reaped, r);
		if (r->n == n)
			usleep(5000);
	}
	return r->n > n;
}

static void
run_exit3(void *arg)
{
	(void)arg;
	_exit(3);
}

/* Starts as the recorder does, then waits for TERM. */
static void
run_until_stopped(void *arg)
{
	struct vt_child_start	cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_CLOSE_ALL,
		.parent = getppid(),
		.log_level = VT_LOG_ERR,
		.orphan_code = 9,
	};
	int64_t			until;

	(void)arg;
	vt_child_start(&cs, NULL);
	until = vt_mono_ms() + 5000;
	while (!vt_child_stopping() && vt_mono_ms() < until)
		usleep(1000);
	_exit(vt_child_stopping() ? 7 : 8);
}

/* Starts as a worker does: 0 when TERM stays blocked, waitmask empty. */
static void
run_stop_in_wait(void *arg)
{
	struct vt_child_start	cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_STOP_IN_WAIT,
		.parent = getppid(),
		.log_level = VT_LOG_ERR,
	};
	sigset_t		now, wait;

	(void)arg;
	vt_child_start(&cs, &wait);
	sigprocmask(SIG_SETMASK, NULL, &now);
	_exit(sigismember(&now, SIGTERM) == 1 &&
	    sigismember(&now, SIGHUP) == 0 &&
	    sigismember(&wait, SIGTERM) == 0 ? 0 : 1);
}

/*
 * Starts as the statvfs helper does: every descriptor above stderr closed
 * but the one it keeps (its socket).  0 when only fd 20 is left of 19, 20
 * and 21 (the lowest free one may be the log's own, log.c).
 */
static void
run_keep_fd(void *arg)
{
	struct vt_child_start	cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_CLOSE_ALL,
		.parent = getppid(),
		.keep_fd = 20,
		.log_level = VT_LOG_ERR,
	};

	(void)arg;
	vt_child_start(&cs, NULL);
	_exit(fcntl(20, F_GETFD) != -1 && fcntl(21, F_GETFD) == -1 &&
	    fcntl(19, F_GETFD) == -1 ? 0 : 1);
}

/* A parent that is not ours: the chain exits with orphan_code. */
static void
run_orphan(void *arg)
{
	struct vt_child_start	cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT,
		.parent = getppid() + 1,
		.log_level = VT_LOG_ERR,
		.orphan_code = 9,
	};

	(void)arg;
	vt_child_start(&cs, NULL);
	_exit(0);
}

static void
policies(void)
{
	const struct vt_child_policy	*w = vt_child_policy(VT_CHILD_WORKER);
	const struct vt_child_policy	*r = vt_child_policy(VT_CHILD_RECORDER);
	const struct vt_child_policy	*u = vt_child_policy(VT_CHILD_UPGRADE);
	struct vt_backoff		 b;

	vt_backoff_init(&b, w->backoff_min_ms, w->backoff_max_ms, 0);
	is_int(vt_child_respawn_delay(w, &b, 10, 0), 50, "a worker dead "
	    "young: 50 ms");
	is_int(vt_child_respawn_delay(w, &b, 999, 0), 100, "again: 100 ms");
	is_int(vt_child_respawn_delay(w, &b, 1000, 0), 0, "a worker that "
	    "lived a second is replaced at once");
	is_int(b.failures, 0, "and the crash loop starts over");
	is_int(vt_child_respawn_delay(w, &b, 10, 0), 50, "from 50 ms");

	vt_backoff_init(&b, r->backoff_min_ms, r->backoff_max_ms, 0);
	is_int(vt_child_respawn_delay(r, &b, 10, 0), 1000, "the recorder "
	    "waits 1 s");
	is_int(vt_child_respawn_delay(r, &b, 30000, 0), 2000, "then 2 s");
	is_int(vt_child_respawn_delay(r, &b, 60000, 0), 1000, "after a "
	    "minute of life 1 s again, never at once");
	is_int(vt_child_respawn_delay(u, &b, 10, 0), -1, "the new master of "
	    "an upgrade is never replaced");
	ok(u->outlives && !w->outlives && !r->outlives, "only it outlives "
	    "the master");
}

int
main(void)
{
	struct vt_children	t;
	struct vt_child	       *c;
	struct reaped		r;
	sigset_t		block;
	char			how[64];
	int			fd;

	plan(34);
	policies();

	vt_child_exit_text(3 << 8, how, sizeof(how));
	is_str(how, "exited with code 3", "exit text of a code");
	vt_child_exit_text(SIGKILL, how, sizeof(how));
	is_str(how, "exited on signal 9", "exit text of a signal");

	/* The master's mask: stop signals wait for the child's handler. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);

	memset(&r, 0, sizeof(r));
	vt_children_init(&t);
	is_int(vt_child_any(&t), 0, "an empty table");
	c = vt_child_spawn(&t, VT_CHILD_WORKER, 2, 7, run_exit3, NULL);
	ok(c != NULL && c == vt_child_at(&t, VT_CHILD_WORKER, 2),
	    "a worker goes to the entry of its slot");
	ok(c != NULL && c->pid > 0 && c->kind == VT_CHILD_WORKER &&
	    c->slot == 2 && c->generation == 7 && c->started > 0,
	    "the entry is filled");
	is_int(vt_child_count(&t, VT_CHILD_WORKER, 1), 1, "one worker alive");
	is_int(vt_child_any(&t), 1, "a child is alive");
	ok(reap_one(&t, &r), "reaped");
	ok(r.kind == VT_CHILD_WORKER && r.slot == 2 && WIFEXITED(r.status) &&
	    WEXITSTATUS(r.status) == 3, "the reap callback sees the kind, "
	    "the slot and the status");
	is_int(vt_child_at(&t, VT_CHILD_WORKER, 2)->pid, 0, "the entry is "
	    "free again");
	is_int(vt_child_any(&t), 0, "no child left");

	c = vt_child_spawn(&t, VT_CHILD_RECORDER, 0, 1, run_until_stopped,
	    NULL);
	ok(c != NULL && c == vt_child_at(&t, VT_CHILD_RECORDER, 0),
	    "the recorder has its own entry");
	errno = 0;
	ok(vt_child_spawn(&t, VT_CHILD_RECORDER, 0, 1, run_exit3, NULL) ==
	    NULL && errno == EBUSY, "a taken entry is not forked again");
	usleep(20000);
	if (c != NULL)
		vt_child_stop(c, 0);
	ok(c != NULL && c->stopping && c->kill_at == 0, "asked to go, no "
	    "SIGKILL planned");
	ok(reap_one(&t, &r), "reaped after TERM");
	ok(r.kind == VT_CHILD_RECORDER && r.stopping &&
	    WIFEXITED(r.status) && WEXITSTATUS(r.status) == 7, "the start-up "
	    "chain's handler set the stop flag");

	c = vt_child_spawn(&t, VT_CHILD_WORKER, 0, 1, run_until_stopped,
	    NULL);
	if (c != NULL)
		vt_child_stop(c, 60000);
	ok(c != NULL && c->kill_at > vt_mono_ms() + 50000, "a grace sets "
	    "kill_at");
	ok(reap_one(&t, &r) && WIFEXITED(r.status) &&
	    WEXITSTATUS(r.status) == 7, "TERM sent at once (also before the "
	    "child's handler was set: the mask keeps it)");

	c = vt_child_spawn(&t, VT_CHILD_WORKER, 1, 1, run_stop_in_wait, NULL);
	ok(c != NULL && reap_one(&t, &r) && WIFEXITED(r.status) &&
	    WEXITSTATUS(r.status) == 0, "a worker's start keeps TERM blocked "
	    "for its wait");
	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 19) == -1 ||
	    dup2(fd, 20) == -1 || dup2(fd, 21) == -1)
		bail("cannot open /dev/null as fds 19, 20 and 21");
	c = vt_child_spawn(&t, VT_CHILD_WORKER, 1, 1, run_keep_fd, NULL);
	ok(c != NULL && reap_one(&t, &r) && WIFEXITED(r.status) &&
	    WEXITSTATUS(r.status) == 0, "CLOSE_ALL spares keep_fd, and only "
	    "it");
	close(fd);
	close(19);
	close(20);
	close(21);
	c = vt_child_spawn(&t, VT_CHILD_WORKER, 1, 1, run_orphan, NULL);
	ok(c != NULL && reap_one(&t, &r) && WIFEXITED(r.status) &&
	    WEXITSTATUS(r.status) == 9, "a child whose parent is gone exits "
	    "with orphan_code");

	c = vt_child_spawn(&t, VT_CHILD_UPGRADE, 0, 1, run_until_stopped,
	    NULL);
	ok(c != NULL && vt_child_any(&t) == 0, "a new master is not waited "
	    "for");
	vt_child_kill_all(&t);
	usleep(50000);
	vt_child_reap(&t, on_reaped, &r);
	ok(c != NULL && c->pid > 0, "nor killed at the end of a stop");
	if (c != NULL)
		vt_child_stop(c, 0);
	ok(reap_one(&t, &r) && r.kind == VT_CHILD_UPGRADE, "but reaped "
	    "through the same path");
	return tap_exit_status();
}

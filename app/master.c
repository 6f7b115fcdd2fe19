/*
 * master.c: supervision of the worker pool (see master.h).
 *
 * The loop waits on a signalfd (CHLD, TERM, INT, QUIT, HUP, USR2) with a
 * 100 ms tick for the watchdog and the listen-queue gauge.  A worker's
 * entry in the child table is that of its scoreboard slot; the slot is
 * written by the master before fork and by the worker after, so each
 * slot has one writer at a time.
 *
 * Every child (workers, the recorder, the new master of an upgrade) is
 * forked and reaped through the child table (child.c); what each kind
 * does on exit is here.  A rolling restart (HUP) is reload.c's, a binary
 * upgrade (USR2) upgrade.c's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "master.h"
#include "master_int.h"
#include "health.h"
#include "qlen.h"
#include "recorder.h"
#include "sampler.h"
#include "scoreboard.h"
#include "sdnotify.h"
#include "worker.h"

#define MASTER_TICK_MS		100

/*
 * After the pool was last seen doing something, or a connection woke
 * the master, it stays at MASTER_TICK_MS this long before it may sleep
 * until the next sample (master_quiet()): one more look a tick later,
 * which finds a request that came with the wake in flight or done.  A
 * longer hold cost an idle master scraped once a second three wakes a
 * scrape; under steady traffic the pool is seldom quiet anyway.
 */
#define MASTER_ACTIVE_HOLD_MS	MASTER_TICK_MS

int
vt_master_workers_for(const struct vt_conf *c)
{
	long	n;

	if (c->workers > 0)
		return c->workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 2)
		n = 2;
	if (n > VT_MAX_WORKERS)
		n = VT_MAX_WORKERS;
	return (int)n;
}

void
vt_master_publish_limits(struct master *m)
{
	struct vt_limits	l;

	memset(&l, 0, sizeof(l));
	l.workers = m->target;
	l.max_requests = m->conf.max_requests;
	l.request_timeout = m->conf.request_timeout;
	l.shutdown_timeout = m->conf.shutdown_timeout;
	l.read_timeout = m->conf.read_timeout;
	l.slow_threshold = m->conf.slow_threshold;
	l.backlog = m->conf.backlog;
	vt_limits_set(m->shm, &l);
}

void
vt_master_write_pid(struct master *m)
{
	char	tmp[VT_PATH_LEN + 8], buf[32];
	int	fd, n;

	if (m->conf.pid_file[0] == '\0')
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", m->conf.pid_file);
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644))
	    == -1 || write(fd, buf, (size_t)n) != n || close(fd) == -1 ||
	    rename(tmp, m->conf.pid_file) == -1)
		vt_log_sys(VT_LOG_WARN, "pid_file_failed", "path=%s",
		    m->conf.pid_file);
}

static void
master_remove_pid(struct master *m)
{
	char	buf[32];
	int	fd;
	ssize_t	n;

	if (m->conf.pid_file[0] == '\0')
		return;
	/* Only if it is still ours: after an upgrade it names the new one. */
	if ((fd = open(m->conf.pid_file, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		if (atol(buf) == (long)getpid())
			unlink(m->conf.pid_file);
	}
}


static int
master_live(const struct master *m)
{
	return vt_child_count(&m->kids, VT_CHILD_WORKER, 1);
}

uint32_t
vt_master_slot_state(const struct master *m, int i)
{
	struct vt_slot	s;

	if (vt_slot_read(&m->shm->slots[i], &s) == VT_ERR)
		return VT_SLOT_EMPTY;
	return s.state;
}

/* In the child: the worker's own slot, then the request loop. */
static void
master_worker_main(void *arg)
{
	const struct vt_worker_args	*a = arg;
	struct vt_slot			*s = &a->shm->slots[a->slot];

	vt_slot_write_begin(s);
	s->pid = getpid();
	vt_slot_write_end(s);
	vt_worker_run(a);
}

int
vt_master_spawn_worker(struct master *m)
{
	struct vt_worker_args	a;
	struct vt_child	       *c;
	struct vt_slot	       *s;
	int			i;

	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (vt_child_at(&m->kids, VT_CHILD_WORKER, i)->pid == 0 &&
		    vt_master_slot_state(m, i) == VT_SLOT_EMPTY)
			break;
	if (i == VT_MAX_SLOTS) {
		vt_log_err("no_free_slot", "workers=%d", m->target);
		return -1;
	}
	s = &m->shm->slots[i];
	if ((uint32_t)i + 1 > m->shm->slot_hwm)
		__atomic_store_n(&m->shm->slot_hwm, (uint32_t)i + 1,
		    __ATOMIC_RELEASE);
	vt_slot_write_begin(s);
	s->pid = 0;
	s->state = VT_SLOT_STARTING;
	s->generation = m->generation;
	s->started_ms = vt_wall_ms();
	s->requests = 0;
	s->method[0] = s->path[0] = s->request_id[0] = '\0';
	s->unhealthy_since_ms = 0;
	s->accept_errno = 0;
	s->accept_failures = 0;
	vt_slot_write_end(s);

	memset(&a, 0, sizeof(a));
	a.conf = &m->conf;
	a.shm = m->shm;
	a.slot = i;
	a.listen_fd = m->l.fd;
	a.generation = m->generation;

	if ((c = vt_child_spawn(&m->kids, VT_CHILD_WORKER, i, m->generation,
	    master_worker_main, &a)) == NULL) {
		vt_log_sys(VT_LOG_ERR, "fork_failed", "slot=%d", i);
		vt_slot_clear(s);
		return -1;
	}
	vt_log_debug("worker_start", "pid=%ld slot=%d generation=%u",
	    (long)c->pid, i, m->generation);
	return i;
}

void
vt_master_stop_worker(struct master *m, int i)
{
	vt_child_stop(vt_child_at(&m->kids, VT_CHILD_WORKER, i),
	    (int64_t)(m->conf.shutdown_timeout * 1000));
}

/* In the child: the recorder. */
static void
master_rec_main(void *arg)
{
	struct master	*m = arg;

	vt_recorder_run(&m->conf, m->shm);
}

/*
 * The recorder: a child that copies the ring into MariaDB.  Started when a
 * database is configured (after a takeover, by the new master only),
 * replaced with back-off when it dies.
 */
static void
master_rec_spawn(struct master *m)
{
	struct vt_backoff	*b = &m->kids.backoff[VT_CHILD_RECORDER];
	struct vt_child		*c;

	if (m->conf.db_config[0] == '\0' || m->stopping ||
	    vt_child_at(&m->kids, VT_CHILD_RECORDER, 0)->pid > 0 ||
	    m->up.takeover_from > 0 || vt_backoff_left(b, vt_mono_ms()) > 0)
		return;
	if ((c = vt_child_spawn(&m->kids, VT_CHILD_RECORDER, 0, m->generation,
	    master_rec_main, m)) == NULL) {
		vt_log_sys(VT_LOG_ERR, "fork_failed", "child=recorder");
		b->next_at = vt_mono_ms() + b->base_ms;
		return;
	}
	vt_log_debug("recorder_start", "pid=%ld", (long)c->pid);
}

static void
master_rec_reaped(struct master *m, const struct vt_child *c, int status)
{
	char	how[64];
	int64_t	delay;

	vt_child_exit_text(status, how, sizeof(how));
	if (c->stopping || m->stopping) {
		vt_log_info("recorder_exit", "pid=%ld status=\"%s\"",
		    (long)c->pid, how);
		return;
	}
	delay = vt_child_respawn_delay(vt_child_policy(VT_CHILD_RECORDER),
	    &m->kids.backoff[VT_CHILD_RECORDER], vt_mono_ms() - c->started,
	    vt_mono_ms());
	vt_log_warn("recorder_exit", "pid=%ld status=\"%s\" restart_in_ms=%lld",
	    (long)c->pid, how, (long long)delay);
}

static void
master_worker_reaped(struct master *m, const struct vt_child *w, int status)
{
	char		how[64];
	int		i = w->slot, cause, in_request;
	int64_t		delay;
	uint32_t	st;

	/* A worker that died mid-request leaves the busy gauge raised. */
	st = vt_master_slot_state(m, i);
	in_request = st == VT_SLOT_READING || st == VT_SLOT_BUSY;
	if (in_request)
		__atomic_sub_fetch(&m->shm->c.busy, 1, __ATOMIC_RELAXED);
	vt_slot_clear(&m->shm->slots[i]);
	vt_health_release(&m->shm->health, w->pid);

	vt_child_exit_text(status, how, sizeof(how));

	if (w->watchdog)
		cause = VT_RESTART_WATCHDOG;
	else if (WIFEXITED(status) &&
	    WEXITSTATUS(status) == VT_WORKER_EXIT_RECYCLE)
		cause = VT_RESTART_RECYCLE;
	else if (w->stopping &&
	    (WIFSIGNALED(status) || WEXITSTATUS(status) == VT_WORKER_EXIT_OK))
		cause = -1;	/* we asked it to go */
	else if (WIFSIGNALED(status))
		cause = VT_RESTART_SIGNAL;
	else
		cause = VT_RESTART_EXIT;

	if (cause >= 0 && !m->stopping)
		vt_count(&m->shm->c.restarts[cause], 1);
	if ((cause == VT_RESTART_EXIT || cause == VT_RESTART_SIGNAL) &&
	    in_request) {
		/*
		 * A worker that dies inside a request was able to start: the
		 * request killed it (a bad peer, a handler's bug).  It is
		 * replaced at once and does not count toward the crash loop,
		 * which is for a worker that cannot start; one bad peer must
		 * not stop the pool.
		 */
		vt_log_warn("worker_exit", "pid=%ld slot=%d status=\"%s\" "
		    "cause=%s during=%s", (long)w->pid, i, how,
		    vt_restart_cause_name(cause), vt_slot_state_name(st));
	} else if (cause == VT_RESTART_EXIT || cause == VT_RESTART_SIGNAL) {
		vt_log_warn("worker_exit", "pid=%ld slot=%d status=\"%s\" "
		    "cause=%s", (long)w->pid, i, how,
		    vt_restart_cause_name(cause));
		delay = m->stopping ? 0 : vt_child_respawn_delay(
		    vt_child_policy(VT_CHILD_WORKER),
		    &m->kids.backoff[VT_CHILD_WORKER],
		    vt_mono_ms() - w->started, vt_mono_ms());
		if (delay > 0) {
			vt_count(&m->shm->c.crash_backoffs, 1);
			vt_log_warn("crash_loop", "failures=%d backoff_ms=%lld",
			    m->kids.backoff[VT_CHILD_WORKER].failures,
			    (long long)delay);
		}
	} else {
		vt_log(cause < 0 ? VT_LOG_DEBUG : VT_LOG_INFO, "worker_exit",
		    "pid=%ld slot=%d status=\"%s\" cause=%s", (long)w->pid, i,
		    how, cause < 0 ? "stop" : vt_restart_cause_name(cause));
	}
	vt_reload_reaped(m, i);
}

/* The one reap path: what each kind of child does when it is gone. */
static void
master_reaped(void *arg, struct vt_child *c, int status)
{
	struct master	*m = arg;

	switch (c->kind) {
	case VT_CHILD_WORKER:
		master_worker_reaped(m, c, status);
		break;
	case VT_CHILD_RECORDER:
		master_rec_reaped(m, c, status);
		break;
	case VT_CHILD_UPGRADE:
		vt_upgrade_reaped(m, c, status);
		break;
	case VT_CHILD_NOTIFY:
		vt_notify_reaped(&m->notify, c, status);
		break;
	case VT_CHILD_KINDS:
		break;
	}
}

/*
 * A worker whose accepts have failed for this long, without one success,
 * is replaced (it has backed off to about a second between tries).
 */
#define MASTER_UNHEALTHY_MS	3000

static void
master_watchdog(struct master *m)
{
	int64_t		now = vt_mono_ms();
	int64_t		limit = (int64_t)(m->conf.request_timeout * 1000);
	int		i;

	for (i = 0; i < VT_MAX_SLOTS; i++) {
		struct vt_child *w = vt_child_at(&m->kids, VT_CHILD_WORKER, i);
		struct vt_slot	s;

		if (w->pid <= 0)
			continue;
		if (w->kill_at > 0 && now >= w->kill_at) {
			vt_log_warn("worker_kill", "pid=%ld slot=%d reason="
			    "shutdown_timeout", (long)w->pid, i);
			kill(w->pid, SIGKILL);
			w->kill_at = 0;
			continue;
		}
		if (w->watchdog ||
		    vt_slot_read(&m->shm->slots[i], &s) == VT_ERR)
			continue;
		if (s.state == VT_SLOT_IDLE && s.accept_errno == EMFILE &&
		    s.unhealthy_since_ms > 0 &&
		    now - s.unhealthy_since_ms > MASTER_UNHEALTHY_MS) {
			/*
			 * Out of descriptors of its own (EMFILE): a fresh
			 * worker has the master's limit.  Out of the system's
			 * (ENFILE) a new one would fail the same: the worker
			 * backs off instead, and /status shows it failing.
			 */
			vt_log_warn("worker_replace", "pid=%ld slot=%d "
			    "reason=accept_failing failures=%u errno=%d "
			    "failing_ms=%lld", (long)w->pid, i,
			    s.accept_failures, s.accept_errno,
			    (long long)(now - s.unhealthy_since_ms));
			w->watchdog = 1;
			kill(w->pid, SIGKILL);
			continue;
		}
		if (limit > 0 &&
		    (s.state == VT_SLOT_READING || s.state == VT_SLOT_BUSY) &&
		    s.req_start_mono_ms > 0 &&
		    now - s.req_start_mono_ms > limit) {
			char	q[160];

			vt_log_warn("watchdog_kill", "pid=%ld slot=%d state=%s "
			    "method=%s path=%s request_id=%s duration_ms=%lld",
			    (long)w->pid, i, vt_slot_state_name(s.state),
			    s.method[0] ? s.method : "-",
			    vt_log_quote(q, sizeof(q), s.path),
			    s.request_id[0] ? s.request_id : "-",
			    (long long)(now - s.req_start_mono_ms));
			w->watchdog = 1;
			kill(w->pid, SIGKILL);
		}
	}
}

/*
 * How long connections have waited in the socket while no worker took
 * one: the pool serves nobody (every worker stopped, hung or busy, or
 * none running).  Read from the accept counter at this gauge's 10 Hz, so
 * the pool_queue check can tell a stalled pool, within a second, from a
 * busy one that keeps accepting (that one moves the counter).  A failed
 * read of the queue makes it 0: nothing is known to wait.
 */
static void
master_gauge_stall(struct master *m, uint32_t q)
{
	uint64_t	acc = vt_load(&m->shm->c.accepted);
	int64_t		now = vt_mono_ms();

	if (q == 0 || acc != m->stall_accepted) {
		m->stall_accepted = acc;
		m->stall_since = 0;
	} else if (m->stall_since == 0)
		m->stall_since = now;
	__atomic_store_n(&m->shm->c.queue_stall_ms, m->stall_since > 0 ?
	    (uint64_t)(now - m->stall_since) : 0, __ATOMIC_RELAXED);
}

/*
 * The crash loop's back-off, as a gauge: how long until the master may
 * start workers again, while it has fewer than it wants (0 otherwise).
 */
static void
master_gauge_backoff(struct master *m)
{
	int64_t	left = 0;

	if (!m->stopping && master_live(m) < m->target)
		left = vt_backoff_left(&m->kids.backoff[VT_CHILD_WORKER],
		    vt_mono_ms());
	__atomic_store_n(&m->shm->c.backoff_ms, (uint64_t)left,
	    __ATOMIC_RELAXED);
}

/*
 * The listen queue, ten times a second.  A read that fails (sock_diag
 * refused: a unit without AF_NETLINK, a seccomp filter) makes the gauge
 * unknown (backlog 0: /status says null, /metrics leaves the series out)
 * instead of a false 0; it is counted, and logged once per outage.
 */
static void
master_gauge_queue(struct master *m)
{
	uint32_t	q, b;

	if (vt_qlen_read(&m->qlen, m->l.fd, &q, &b) == VT_ERR) {
		if (!m->qlen_failing)
			vt_log_sys(VT_LOG_WARN, "collector_failed",
			    "collector=listen_queue");
		m->qlen_failing = 1;
		vt_count(&m->shm->c.listen_queue_errors, 1);
		__atomic_store_n(&m->shm->c.listen_queue, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&m->shm->c.listen_backlog, 0,
		    __ATOMIC_RELAXED);
		master_gauge_stall(m, 0);
		return;
	}
	if (m->qlen_failing)
		vt_log_info("collector_recovered", "collector=listen_queue");
	m->qlen_failing = 0;
	__atomic_store_n(&m->shm->c.listen_queue, q, __ATOMIC_RELAXED);
	__atomic_store_n(&m->shm->c.listen_backlog, b, __ATOMIC_RELAXED);
	vt_count_max(&m->shm->c.listen_queue_max, q);
	master_gauge_stall(m, q);
}

static void
master_maintain(struct master *m)
{
	int	i, live;

	if (m->stopping)
		return;
	master_rec_spawn(m);
	if (m->reload.rolling) {
		vt_reload_step(m);
		return;
	}
	live = master_live(m);
	if (live < m->target &&
	    vt_backoff_left(&m->kids.backoff[VT_CHILD_WORKER],
	    vt_mono_ms()) == 0) {
		for (; live < m->target; live++)
			if (vt_master_spawn_worker(m) < 0)
				break;
	}
	for (i = VT_MAX_SLOTS - 1; i >= 0 && live > m->target; i--) {
		struct vt_child *w = vt_child_at(&m->kids, VT_CHILD_WORKER, i);

		if (w->pid > 0 && !w->stopping) {
			vt_master_stop_worker(m, i);
			live--;
		}
	}
	vt_upgrade_takeover(m);
}

/*
 * 1 when nothing but the next sample needs the master before it is due:
 * every worker wanted is running and idle, healthy, not being stopped;
 * no connection waits; nothing is starting, stopping, reloading or
 * upgrading; the recorder runs (or there is none) and no notify command
 * is running.  Anything else (a request in flight, for the watchdog; a
 * queue, for the stall gauge; a back-off to wait out) keeps the 10 Hz.
 * Conservative by design: what it does not know of is not quiet.
 */
static int
master_quiet(struct master *m)
{
	int	i, idle = 0;

	if (m->stopping || m->reload.rolling || m->up.takeover_from > 0 ||
	    !m->sched.on || m->qlen_failing || m->notify.pid > 0 ||
	    vt_load(&m->shm->c.listen_queue) > 0 ||
	    vt_child_at(&m->kids, VT_CHILD_UPGRADE, 0)->pid > 0 ||
	    (m->conf.db_config[0] != '\0' &&
	    vt_child_at(&m->kids, VT_CHILD_RECORDER, 0)->pid <= 0))
		return 0;
	for (i = 0; i < VT_MAX_SLOTS; i++) {
		struct vt_child	*w = vt_child_at(&m->kids, VT_CHILD_WORKER, i);
		struct vt_slot	 s;

		if (w->pid <= 0)
			continue;
		if (w->stopping || w->kill_at > 0 || w->watchdog ||
		    vt_slot_read(&m->shm->slots[i], &s) == VT_ERR ||
		    s.state != VT_SLOT_IDLE || s.unhealthy_since_ms > 0)
			return 0;
		idle++;
	}
	return idle == m->target;
}

/*
 * Live push: hand the sample just published to nginx (publish.c), once;
 * a tick whose rendering failed left the previous document, which is not
 * published again.  The exchange goes on in the loop, never blocking.
 */
static void
master_publish(struct master *m)
{
	int64_t	stamp = 0;

	if (m->conf.live_socket[0] == '\0')
		return;
	vt_buf_reset(&m->live_doc);
	if (vt_doc_copy(&m->shm->metrics_json, &m->live_doc, &stamp) ==
	    VT_ERR || stamp == m->live_stamp)
		return;
	m->live_stamp = stamp;
	vt_publish_sample(&m->live, m->live_doc.data, m->live_doc.len,
	    vt_mono_ms());
}

/* Take a sample when one is due; keep to the schedule, skip if behind. */
static void
master_sample(struct master *m)
{
	int64_t	now = vt_mono_ms();
	int64_t	step = (int64_t)(m->conf.sample_interval * 1000);

	if (!m->sched.on || m->up.takeover_from > 0 || now < m->sched.next)
		return;
	vt_sampler_tick(&m->sched.sampler, m->shm);
	master_publish(m);
	m->sched.next += step;
	if (m->sched.next <= vt_mono_ms())
		m->sched.next = vt_mono_ms() + step;
}

static void
master_stop(struct master *m, const char *why)
{
	struct vt_child	*up = vt_child_at(&m->kids, VT_CHILD_UPGRADE, 0);
	struct vt_child	*rec = vt_child_at(&m->kids, VT_CHILD_RECORDER, 0);
	int		 i;

	if (m->stopping)
		return;
	m->stopping = 1;
	m->reload.rolling = 0;
	m->stop_deadline = vt_mono_ms() +
	    (int64_t)(m->conf.shutdown_timeout * 1000);
	vt_log_info("stopping", "reason=%s workers=%d handover=%s", why,
	    master_live(m), up->pid > 0 ? "yes" : "no");
	if (up->pid > 0)
		m->up.handed_over = 1;
	vt_sd_notify("STOPPING=1");
	vt_notify_kill(&m->notify);
	if (rec->pid > 0)
		kill(rec->pid, SIGTERM);
	for (i = 0; i < VT_MAX_SLOTS; i++)
		vt_master_stop_worker(m, i);
}

/*
 * The signals the signalfd holds: 1 when one was a SIGCHLD (the caller
 * reaps), else 0.
 */
static int
master_signals(struct master *m)
{
	struct signalfd_siginfo	si;
	ssize_t			n;
	int			chld = 0;

	while ((n = read(m->sfd, &si, sizeof(si))) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			chld = 1;
			break;
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			master_stop(m, si.ssi_signo == SIGINT ? "SIGINT" :
			    si.ssi_signo == SIGQUIT ? "SIGQUIT" : "SIGTERM");
			break;
		case SIGHUP:
			vt_reload_start(m);
			break;
		case SIGUSR2:
			vt_upgrade_start(m);
			break;
		}
	}
	return chld;
}

static int
master_init(struct master *m, struct vt_conf *conf, int argc, char **argv)
{
	char		err[VT_ERRLEN], q[VT_ERRLEN + 8], note[512];
	sigset_t	mask;
	int		inherit, kept;

	memset(m, 0, sizeof(*m));
	m->conf = *conf;
	m->argc = argc;
	m->argv = argv;
	m->sfd = m->shm_fd = -1;
	m->reload.roll_new = m->reload.roll_old = -1;
	vt_qlen_init(&m->qlen);
	vt_children_init(&m->kids);
	inherit = vt_upgrade_init(m);

	if (vt_listen_acquire(&m->conf, &m->l, err, sizeof(err)) == VT_ERR) {
		vt_log_err("listen_failed", "error=%s",
		    vt_log_quote(q, sizeof(q), err));
		return VT_EX_OSERR;
	}
	if (m->l.path[0] != '\0')
		snprintf(m->listen_path, sizeof(m->listen_path), "%s",
		    m->l.path);
	if ((m->shm = vt_shm_take(inherit, &m->shm_fd, &kept, note,
	    sizeof(note), err, sizeof(err))) == NULL) {
		vt_log_err("scoreboard_failed", "error=%s",
		    vt_log_quote(q, sizeof(q), err));
		return VT_EX_OSERR;
	}
	/* An upgrade from another layout: what was kept, what was not. */
	if (note[0] != '\0' && kept)
		vt_log_info("scoreboard_migrated", "%s", note);
	else if (note[0] != '\0')
		vt_log_warn("scoreboard_not_migrated", "%s", note);
	/* Every process of the pool counts its lost log lines here. */
	vt_log_set_counters(&m->shm->c.log_dropped, &m->shm->c.log_suppressed);
	m->generation = m->shm->generation + (inherit >= 0 ? 1 : 0);
	m->shm->generation = m->generation;
	m->shm->master_pid = getpid();
	m->target = vt_master_workers_for(&m->conf);
	vt_master_publish_limits(m);

	{
		struct vt_sampler_opts	o = { .root = m->conf.proc_root,
			.statvfs = 1, .metric_names = m->conf.metric_names,
			.interval_s = m->conf.sample_interval,
			.checks = m->conf.checks, .notify = &m->notify,
			.fallback = &m->fallback,
			.live_push = m->conf.live_socket[0] != '\0',
			.textfile_dir = m->conf.textfile_dir,
			.listen_path = m->l.is_unix &&
			    strncmp(m->l.desc, "unix:", 5) == 0 ?
			    m->l.desc + 5 : NULL };

		vt_notify_init(&m->notify, m->conf.notify_command,
		    m->conf.notify_timeout);
		/* Without it the pool runs on; nginx then answers JSON 5xx. */
		(void)vt_fallback_init(&m->fallback, m->conf.fallback_dir);

		if (vt_sampler_init(&m->sched.sampler, &o) == VT_ERR) {
			vt_log_err("sampler_failed", "error=\"out of memory\"");
			return VT_EX_OSERR;
		}
		m->sched.on = 1;
		if (vt_publish_init(&m->live, m->conf.live_socket,
		    (int64_t)(m->conf.sample_interval * 1000),
		    &m->shm->live) == VT_ERR ||
		    vt_buf_init(&m->live_doc, 64 * 1024, VT_DOC_MAX) ==
		    VT_ERR) {
			vt_log_err("publisher_failed",
			    "error=\"out of memory\"");
			return VT_EX_OSERR;
		}
		/*
		 * After an upgrade, the old master samples until it is told
		 * to stop; start one interval after taking over.
		 */
		m->sched.next = vt_mono_ms() + (m->up.takeover_from > 0 ?
		    VT_MASTER_START_WAIT_MS : 0);
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((m->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		vt_log_sys(VT_LOG_ERR, "signalfd_failed", NULL);
		return VT_EX_OSERR;
	}
	vt_log_info("start", "version=%s listen=%s source=%s workers=%d "
	    "max_requests=%d request_timeout=%g%s", PACKAGE_VERSION,
	    m->l.desc, vt_listen_source_name(m->l.source), m->target,
	    m->conf.max_requests, m->conf.request_timeout,
	    m->up.takeover_from > 0 ? " upgrade=yes" : "");
	if (m->up.takeover_from == 0) {
		vt_master_write_pid(m);
		vt_sd_notify("READY=1");
	}
	return 0;
}

int
vt_master_run(struct vt_conf *conf, int argc, char **argv)
{
	static struct master	m;	/* large: keep it off the stack */
	struct pollfd		pfd[3];
	int64_t			active_until = 0, tick_next = 0, now;
	int			rc, wait, npfd, quiet = 0, sig = 1, chld = 1;

	if ((rc = master_init(&m, conf, argc, argv)) != 0)
		return rc;
	for (;;) {
		/*
		 * The signalfd is read when the poll below said it holds a
		 * signal, and children are reaped when one was a SIGCHLD
		 * (both once at the start): two system calls a wake fewer
		 * than asking each time.  Every child's death is a SIGCHLD
		 * there (master_init blocks it for the signalfd).
		 */
		if (sig)
			chld |= master_signals(&m);
		if (chld)
			vt_child_reap(&m.kids, master_reaped, &m);
		chld = 0;
		master_watchdog(&m);
		if (m.stopping) {
			if (!vt_child_any(&m.kids))
				break;
			if (vt_mono_ms() >= m.stop_deadline) {
				vt_child_kill_all(&m.kids);
				m.stop_deadline = vt_mono_ms() + 1000;
			}
		} else {
			master_maintain(&m);
			master_gauge_queue(&m);
			master_gauge_backoff(&m);
			master_sample(&m);
			if (m.sched.on)
				vt_sampler_forms(&m.sched.sampler, m.shm);
			vt_notify_poll(&m.notify, &m.kids, vt_mono_ms());
		}
		/*
		 * The pace (MASTER_ACTIVE_HOLD_MS, master_quiet()): quiet,
		 * the master sleeps until the next sample or a connection;
		 * else it wakes at MASTER_TICK_MS.  Signals (a worker's
		 * death) wake it either way.
		 */
		now = vt_mono_ms();
		if (!master_quiet(&m))
			active_until = now + MASTER_ACTIVE_HOLD_MS;
		quiet = now >= active_until;
		/*
		 * Active, the loop keeps a schedule of MASTER_TICK_MS, not
		 * that long after each wake: the watchdog and the gauges read
		 * at 10 Hz whatever the loop's own work takes (a wait counted
		 * from the end of the work gave 9.7 wakes a second, 9 on a
		 * loaded host: master-pace.t).  Late by more than a tick, it
		 * starts again from now.
		 */
		if (tick_next <= now)
			tick_next = now - tick_next < MASTER_TICK_MS ?
			    tick_next + MASTER_TICK_MS : now + MASTER_TICK_MS;
		pfd[0].fd = m.sfd;
		pfd[0].events = POLLIN;
		wait = quiet ? (int)(m.conf.sample_interval * 1000) :
		    (int)(tick_next - now);
		if (m.sched.on && !m.stopping && m.sched.next - now < wait)
			wait = (int)(m.sched.next - now);
		if (wait < 0)
			wait = 0;
		/* The publication in flight, if any, under its deadline. */
		npfd = 1;
		if ((pfd[npfd].fd = vt_publish_poll_fd(&m.live,
		    &pfd[npfd].events, now, &wait)) >= 0)
			npfd++;
		/* A listening socket polls readable while a connection waits. */
		if (quiet) {
			pfd[npfd].fd = m.l.fd;
			pfd[npfd].events = POLLIN;
			pfd[npfd++].revents = 0;
		}
		if ((rc = poll(pfd, (nfds_t)npfd, wait)) == -1 &&
		    errno != EINTR) {
			vt_log_sys(VT_LOG_ERR, "poll_failed", NULL);
			break;
		}
		sig = rc == -1 || (pfd[0].revents & (POLLIN | POLLERR)) != 0;
		if (quiet && (pfd[npfd - 1].revents & POLLIN))
			active_until = vt_mono_ms() + MASTER_ACTIVE_HOLD_MS;
		vt_publish_step(&m.live, vt_mono_ms());
	}
	if (!m.up.handed_over && m.listen_path[0] != '\0')
		unlink(m.listen_path);
	if (!m.up.handed_over) {
		master_remove_pid(&m);
		vt_fallback_remove(&m.fallback);
	}
	vt_fallback_free(&m.fallback);
	vt_publish_free(&m.live);
	vt_buf_free(&m.live_doc);
	vt_qlen_close(&m.qlen);
	vt_sampler_free(&m.sched.sampler);
	vt_log_info("stopped", "handover=%s", m.up.handed_over ? "yes" : "no");
	return 0;
}

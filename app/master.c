/*
 * master.c: supervision of the worker pool (see master.h).
 *
 * The loop waits on a signalfd (CHLD, TERM, INT, QUIT, HUP, USR2) with a
 * 100 ms tick for the watchdog and the listen-queue gauge.  Workers are
 * tracked in a private table indexed by scoreboard slot; a new worker's
 * slot is written by the master before fork and by the worker after, so
 * each slot has one writer at a time.
 *
 * Upgrade (USR2), after nginx's binary upgrade: the master forks a child
 * that execs the binary path it started from (a new build in place is
 * picked up), handing over the listening socket as socket activation does
 * (fd 3, LISTEN_FDS=1, LISTEN_PID) and the scoreboard's memfd.  The new
 * master starts its workers; once they accept it sends TERM to the old
 * master, which stops its workers gracefully and exits.  Both pools
 * accept from the same socket meanwhile, so no connection is refused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backoff.h"
#include "clock.h"
#include "log.h"
#include "master.h"
#include "health.h"
#include "qlen.h"
#include "recorder.h"
#include "sampler.h"
#include "scoreboard.h"
#include "sdnotify.h"
#include "worker.h"

#define MASTER_TICK_MS		100
#define MASTER_START_WAIT_MS	5000	/* a new worker must accept by then */
#define MASTER_QUICK_DEATH_MS	1000	/* dying younger counts as a crash */
#define MASTER_BACKOFF_MIN_MS	50
#define MASTER_BACKOFF_MAX_MS	5000

struct mworker {
	pid_t		pid;		/* 0: slot not ours */
	uint32_t	generation;
	int64_t		started;	/* monotonic ms */
	int		stopping;
	int64_t		kill_at;	/* SIGKILL if still alive then */
	int		watchdog;	/* killed by the watchdog */
};

struct master {
	struct vt_conf		conf;
	int			argc;
	char		      **argv;
	char			exe[PATH_MAX];
	struct vt_listener	l;
	struct vt_shm	       *shm;
	int			shm_fd;
	int			sfd;
	struct mworker		w[VT_MAX_SLOTS];
	int			target;
	uint32_t		generation;
	int			stopping;
	int64_t			stop_deadline;
	int			rolling;
	int			roll_new;	/* slot of the new worker, or -1 */
	int			roll_old;	/* slot of the one it replaces */
	struct vt_backoff	crash;		/* the pool's crash loop */
	pid_t			upgrade_pid;	/* our child, the new master */
	pid_t			takeover_from;	/* the old master, until told */
	int64_t			takeover_started;
	int			handed_over;
	char			listen_path[VT_PATH_LEN];
	struct vt_sampler	sampler;
	int			sampling;
	int64_t			next_sample;	/* monotonic ms */
	pid_t			rec_pid;	/* the recorder, 0: none */
	int64_t			rec_started;
	struct vt_backoff	rec_backoff;
	int			rec_stopping;
};

#define MASTER_REC_BACKOFF_MIN_MS	1000
#define MASTER_REC_BACKOFF_MAX_MS	30000

static int
master_workers_for(const struct vt_conf *c)
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

static void
master_publish_limits(struct master *m)
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

static void
master_write_pid(struct master *m)
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
	int	i, n = 0;

	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (m->w[i].pid > 0 && !m->w[i].stopping)
			n++;
	return n;
}

static int
master_any(const struct master *m)
{
	int	i;

	if (m->rec_pid > 0)
		return 1;
	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (m->w[i].pid > 0)
			return 1;
	return 0;
}

static uint32_t
master_slot_state(const struct master *m, int i)
{
	struct vt_slot	s;

	if (vt_slot_read(&m->shm->slots[i], &s) == VT_ERR)
		return VT_SLOT_EMPTY;
	return s.state;
}

static int
master_spawn(struct master *m)
{
	struct vt_worker_args	a;
	struct vt_slot	       *s;
	pid_t			pid;
	int			i;

	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (m->w[i].pid == 0 &&
		    master_slot_state(m, i) == VT_SLOT_EMPTY)
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
	vt_slot_write_end(s);

	memset(&a, 0, sizeof(a));
	a.conf = &m->conf;
	a.shm = m->shm;
	a.slot = i;
	a.listen_fd = m->l.fd;
	a.generation = m->generation;
	a.close_fds[0] = m->sfd;
	a.close_fds[1] = m->shm_fd;
	a.close_fds[2] = a.close_fds[3] = -1;

	if ((pid = fork()) == -1) {
		vt_log_sys(VT_LOG_ERR, "fork_failed", "slot=%d", i);
		vt_slot_clear(s);
		return -1;
	}
	if (pid == 0) {
		vt_slot_write_begin(s);
		s->pid = getpid();
		vt_slot_write_end(s);
		vt_worker_run(&a);
	}
	m->w[i].pid = pid;
	m->w[i].generation = m->generation;
	m->w[i].started = vt_mono_ms();
	m->w[i].stopping = 0;
	m->w[i].kill_at = 0;
	m->w[i].watchdog = 0;
	vt_log_debug("worker_start", "pid=%ld slot=%d generation=%u",
	    (long)pid, i, m->generation);
	return i;
}

static void
master_stop_worker(struct master *m, int i)
{
	if (m->w[i].pid <= 0 || m->w[i].stopping)
		return;
	m->w[i].stopping = 1;
	m->w[i].kill_at = vt_mono_ms() +
	    (int64_t)(m->conf.shutdown_timeout * 1000);
	kill(m->w[i].pid, SIGTERM);
}

/*
 * The recorder: a child that copies the ring into MariaDB.  Started when a
 * database is configured (after a takeover, by the new master only),
 * replaced with back-off when it dies.
 */
static void
master_rec_spawn(struct master *m)
{
	pid_t	pid;

	if (m->conf.db_config[0] == '\0' || m->rec_pid > 0 || m->stopping ||
	    m->takeover_from > 0 ||
	    vt_backoff_left(&m->rec_backoff, vt_mono_ms()) > 0)
		return;
	if ((pid = fork()) == -1) {
		vt_log_sys(VT_LOG_ERR, "fork_failed", "child=recorder");
		m->rec_backoff.next_at = vt_mono_ms() +
		    MASTER_REC_BACKOFF_MIN_MS;
		return;
	}
	if (pid == 0) {
		close(m->sfd);
		vt_recorder_run(&m->conf, m->shm);
	}
	m->rec_pid = pid;
	m->rec_started = vt_mono_ms();
	m->rec_stopping = 0;
	vt_log_debug("recorder_start", "pid=%ld", (long)pid);
}

/* How a child ended, for the log: "exited with code 3". */
static void
master_exit_text(int status, char *dst, size_t len)
{
	if (WIFEXITED(status))
		snprintf(dst, len, "exited with code %d", WEXITSTATUS(status));
	else
		snprintf(dst, len, "exited on signal %d", WTERMSIG(status));
}

static void
master_rec_reaped(struct master *m, int status)
{
	char	how[64];
	int64_t	delay;

	master_exit_text(status, how, sizeof(how));
	if (m->rec_stopping || m->stopping) {
		vt_log_info("recorder_exit", "pid=%ld status=\"%s\"",
		    (long)m->rec_pid, how);
		m->rec_pid = 0;
		m->rec_stopping = 0;
		return;
	}
	if (vt_mono_ms() - m->rec_started > 60000)
		vt_backoff_reset(&m->rec_backoff);
	delay = vt_backoff_fail(&m->rec_backoff, vt_mono_ms());
	vt_log_warn("recorder_exit", "pid=%ld status=\"%s\" restart_in_ms=%lld",
	    (long)m->rec_pid, how, (long long)delay);
	m->rec_pid = 0;
}

static void
master_reaped(struct master *m, pid_t pid, int status)
{
	struct mworker *w = NULL;
	char		how[64];
	int		i, cause = -1, quick;
	uint32_t	st;

	if (pid == m->upgrade_pid) {
		master_exit_text(status, how, sizeof(how));
		if (!m->handed_over)
			vt_log_err("upgrade_failed", "pid=%ld status=\"%s\"",
			    (long)pid, how);
		m->upgrade_pid = 0;
		return;
	}
	if (pid == m->rec_pid) {
		master_rec_reaped(m, status);
		return;
	}
	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (m->w[i].pid == pid) {
			w = &m->w[i];
			break;
		}
	if (w == NULL)
		return;

	/* A worker that died mid-request leaves the busy gauge raised. */
	st = master_slot_state(m, i);
	if (st == VT_SLOT_READING || st == VT_SLOT_BUSY)
		__atomic_sub_fetch(&m->shm->c.busy, 1, __ATOMIC_RELAXED);
	vt_slot_clear(&m->shm->slots[i]);
	vt_health_release(&m->shm->health, pid);

	master_exit_text(status, how, sizeof(how));

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
	quick = vt_mono_ms() - w->started < MASTER_QUICK_DEATH_MS;
	if (cause == VT_RESTART_EXIT || cause == VT_RESTART_SIGNAL) {
		vt_log_warn("worker_exit", "pid=%ld slot=%d status=\"%s\" "
		    "cause=%s", (long)pid, i, how, vt_restart_cause_name(cause));
		if (quick && !m->stopping) {
			int64_t	delay;

			delay = vt_backoff_fail(&m->crash, vt_mono_ms());
			vt_count(&m->shm->c.crash_backoffs, 1);
			vt_log_warn("crash_loop", "failures=%d backoff_ms=%lld",
			    m->crash.failures, (long long)delay);
		} else if (!quick)
			vt_backoff_reset(&m->crash);
	} else {
		vt_log(cause < 0 ? VT_LOG_DEBUG : VT_LOG_INFO, "worker_exit",
		    "pid=%ld slot=%d status=\"%s\" cause=%s", (long)pid, i,
		    how, cause < 0 ? "stop" : vt_restart_cause_name(cause));
	}
	if (m->rolling && i == m->roll_new)
		m->roll_new = -1;	/* died starting: the roll tries again */
	if (m->rolling && i == m->roll_old)
		m->roll_old = -1;
	memset(w, 0, sizeof(*w));
}

static void
master_reap(struct master *m)
{
	pid_t	pid;
	int	status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		master_reaped(m, pid, status);
}

static void
master_watchdog(struct master *m)
{
	int64_t		now = vt_mono_ms();
	int64_t		limit = (int64_t)(m->conf.request_timeout * 1000);
	int		i;

	for (i = 0; i < VT_MAX_SLOTS; i++) {
		struct mworker *w = &m->w[i];
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
		if (limit <= 0 || w->watchdog ||
		    vt_slot_read(&m->shm->slots[i], &s) == VT_ERR)
			continue;
		if ((s.state == VT_SLOT_READING || s.state == VT_SLOT_BUSY) &&
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

static void
master_gauge_queue(struct master *m)
{
	uint32_t	q, b;

	if (vt_qlen_read(m->l.fd, &q, &b) == VT_ERR)
		return;
	__atomic_store_n(&m->shm->c.listen_queue, q, __ATOMIC_RELAXED);
	__atomic_store_n(&m->shm->c.listen_backlog, b, __ATOMIC_RELAXED);
	vt_count_max(&m->shm->c.listen_queue_max, q);
}

/* One step of a rolling restart: new worker up, then the old one down. */
static void
master_roll(struct master *m)
{
	int	i, old = -1;

	if (m->roll_new >= 0) {
		uint32_t	st = master_slot_state(m, m->roll_new);

		if (st == VT_SLOT_STARTING && vt_mono_ms() -
		    m->w[m->roll_new].started < MASTER_START_WAIT_MS)
			return;	/* not accepting yet */
		if (m->roll_old >= 0)
			master_stop_worker(m, m->roll_old);
		m->roll_new = -1;
		return;
	}
	if (m->roll_old >= 0 && m->w[m->roll_old].pid > 0)
		return;	/* wait for the old one to finish and go */
	m->roll_old = -1;
	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (m->w[i].pid > 0 && !m->w[i].stopping &&
		    m->w[i].generation != m->generation) {
			old = i;
			break;
		}
	if (old < 0) {
		m->rolling = 0;
		vt_log_info("reload_done", "generation=%u workers=%d",
		    m->generation, m->target);
		vt_sd_notify("READY=1");
		return;
	}
	if (master_live(m) > m->target) {
		/* The pool shrank: this one goes without a replacement. */
		master_stop_worker(m, old);
		m->roll_old = old;
		return;
	}
	if ((m->roll_new = master_spawn(m)) >= 0)
		m->roll_old = old;
}

static void
master_maintain(struct master *m)
{
	int	i, live;

	if (m->stopping)
		return;
	master_rec_spawn(m);
	if (m->rolling) {
		master_roll(m);
		return;
	}
	live = master_live(m);
	if (live < m->target &&
	    vt_backoff_left(&m->crash, vt_mono_ms()) == 0) {
		for (; live < m->target; live++)
			if (master_spawn(m) < 0)
				break;
	}
	for (i = VT_MAX_SLOTS - 1; i >= 0 && live > m->target; i--)
		if (m->w[i].pid > 0 && !m->w[i].stopping) {
			master_stop_worker(m, i);
			live--;
		}
	if (m->takeover_from > 0) {
		int	ready = 0;

		for (i = 0; i < VT_MAX_SLOTS; i++)
			if (m->w[i].pid > 0 &&
			    master_slot_state(m, i) == VT_SLOT_IDLE)
				ready++;
		if (ready >= m->target || vt_mono_ms() - m->takeover_started >
		    MASTER_START_WAIT_MS) {
			char	msg[64];

			vt_log_info("upgrade_takeover", "old_master=%ld",
			    (long)m->takeover_from);
			snprintf(msg, sizeof(msg), "MAINPID=%ld\nREADY=1",
			    (long)getpid());
			vt_sd_notify(msg);
			master_write_pid(m);
			kill(m->takeover_from, SIGTERM);
			m->takeover_from = 0;
			m->next_sample = vt_mono_ms() +
			    (int64_t)(m->conf.sample_interval * 1000);
		}
	}
}

/* Take a sample when one is due; keep to the schedule, skip if behind. */
static void
master_sample(struct master *m)
{
	int64_t	now = vt_mono_ms();
	int64_t	step = (int64_t)(m->conf.sample_interval * 1000);

	if (!m->sampling || m->takeover_from > 0 || now < m->next_sample)
		return;
	vt_sampler_tick(&m->sampler, m->shm);
	m->next_sample += step;
	if (m->next_sample <= vt_mono_ms())
		m->next_sample = vt_mono_ms() + step;
}

static void
master_stop(struct master *m, const char *why)
{
	int	i;

	if (m->stopping)
		return;
	m->stopping = 1;
	m->rolling = 0;
	m->stop_deadline = vt_mono_ms() +
	    (int64_t)(m->conf.shutdown_timeout * 1000);
	vt_log_info("stopping", "reason=%s workers=%d handover=%s", why,
	    master_live(m), m->upgrade_pid > 0 ? "yes" : "no");
	if (m->upgrade_pid > 0)
		m->handed_over = 1;
	vt_sd_notify("STOPPING=1");
	if (m->rec_pid > 0)
		kill(m->rec_pid, SIGTERM);
	for (i = 0; i < VT_MAX_SLOTS; i++)
		master_stop_worker(m, i);
}

static void
master_reload(struct master *m)
{
	struct vt_conf		c;
	enum vt_cli_action	action;
	char			err[VT_ERRLEN];
	int			code;

	if (m->stopping)
		return;
	vt_sd_notify("RELOADING=1");
	vt_conf_defaults(&c);
	if (vt_conf_args(&c, m->argc, m->argv, &action, &code, err,
	    sizeof(err)) == VT_ERR) {
		char	q[VT_ERRLEN + 8];

		vt_log_err("reload_failed", "error=%s; keeping the running "
		    "configuration", vt_log_quote(q, sizeof(q), err));
		vt_sd_notify("READY=1");
		return;
	}
	if (strcmp(c.listen, m->conf.listen) != 0)
		vt_log_warn("reload_listen_ignored", "the listening socket "
		    "changes only on restart");
	/* The recorder reads its settings once: restart it to take new ones. */
	if (m->rec_pid > 0) {
		m->rec_stopping = 1;
		kill(m->rec_pid, SIGTERM);
	}
	m->conf = c;
	vt_log_set_level(m->conf.log_level);
	m->sampler.opt.metric_names = m->conf.metric_names;
	m->target = master_workers_for(&m->conf);
	m->generation++;
	m->shm->generation = m->generation;
	master_publish_limits(m);
	m->rolling = 1;
	m->roll_new = m->roll_old = -1;
	vt_log_info("reload", "generation=%u workers=%d", m->generation,
	    m->target);
}

static void
master_upgrade(struct master *m)
{
	char	num[32];
	pid_t	pid;

	if (m->upgrade_pid > 0 || m->stopping || m->takeover_from > 0) {
		vt_log_warn("upgrade_ignored", "an upgrade or stop is under way");
		return;
	}
	if ((pid = fork()) == -1) {
		vt_log_sys(VT_LOG_ERR, "upgrade_failed", "step=fork");
		return;
	}
	if (pid == 0) {
		sigset_t	none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* fd 3 and LISTEN_*: the socket-activation hand-over. */
		if (m->l.fd != 3 && dup2(m->l.fd, 3) == -1)
			_exit(127);
		if (m->l.fd == 3)
			(void)fcntl(3, F_SETFD, 0);
		(void)fcntl(m->shm_fd, F_SETFD, 0);
		snprintf(num, sizeof(num), "%ld", (long)getpid());
		setenv("LISTEN_PID", num, 1);
		setenv("LISTEN_FDS", "1", 1);
		snprintf(num, sizeof(num), "%d", m->shm_fd);
		setenv("VITALS_SHM_FD", num, 1);
		snprintf(num, sizeof(num), "%ld", (long)getppid());
		setenv("VITALS_UPGRADE_FROM", num, 1);
		if (m->listen_path[0] != '\0')
			setenv("VITALS_LISTEN_PATH", m->listen_path, 1);
		execv(m->exe, m->argv);
		vt_log_sys(VT_LOG_ERR, "upgrade_exec_failed", "path=%s", m->exe);
		_exit(127);
	}
	m->upgrade_pid = pid;
	vt_log_info("upgrade", "new_master=%ld binary=%s", (long)pid, m->exe);
}

static int
master_signals(struct master *m)
{
	struct signalfd_siginfo	si;
	ssize_t			n;

	while ((n = read(m->sfd, &si, sizeof(si))) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			break;	/* reaped after the loop */
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			master_stop(m, si.ssi_signo == SIGINT ? "SIGINT" :
			    si.ssi_signo == SIGQUIT ? "SIGQUIT" : "SIGTERM");
			break;
		case SIGHUP:
			master_reload(m);
			break;
		case SIGUSR2:
			master_upgrade(m);
			break;
		}
	}
	return VT_OK;
}

static int
master_init(struct master *m, struct vt_conf *conf, int argc, char **argv)
{
	char		err[VT_ERRLEN], q[VT_ERRLEN + 8];
	const char     *e;
	sigset_t	mask;
	ssize_t		n;
	int		inherit = -1;

	memset(m, 0, sizeof(*m));
	m->conf = *conf;
	m->argc = argc;
	m->argv = argv;
	m->sfd = m->shm_fd = -1;
	m->roll_new = m->roll_old = -1;
	vt_backoff_init(&m->crash, MASTER_BACKOFF_MIN_MS, MASTER_BACKOFF_MAX_MS,
	    0);
	vt_backoff_init(&m->rec_backoff, MASTER_REC_BACKOFF_MIN_MS,
	    MASTER_REC_BACKOFF_MAX_MS, 0);
	n = readlink("/proc/self/exe", m->exe, sizeof(m->exe) - 1);
	if (n <= 0)
		snprintf(m->exe, sizeof(m->exe), "%s", argv[0]);
	else
		m->exe[n] = '\0';

	if ((e = getenv("VITALS_UPGRADE_FROM")) != NULL) {
		m->takeover_from = (pid_t)atol(e);
		m->takeover_started = vt_mono_ms();
		unsetenv("VITALS_UPGRADE_FROM");
	}
	if ((e = getenv("VITALS_SHM_FD")) != NULL) {
		inherit = atoi(e);
		unsetenv("VITALS_SHM_FD");
	}
	if ((e = getenv("VITALS_LISTEN_PATH")) != NULL) {
		snprintf(m->listen_path, sizeof(m->listen_path), "%s", e);
		unsetenv("VITALS_LISTEN_PATH");
	}

	if (vt_listen_acquire(&m->conf, &m->l, err, sizeof(err)) == VT_ERR) {
		vt_log_err("listen_failed", "error=%s",
		    vt_log_quote(q, sizeof(q), err));
		return VT_EX_OSERR;
	}
	if (m->l.path[0] != '\0')
		snprintf(m->listen_path, sizeof(m->listen_path), "%s", m->l.path);
	if ((m->shm = vt_shm_create(inherit, &m->shm_fd, err, sizeof(err)))
	    == NULL) {
		vt_log_err("scoreboard_failed", "error=%s",
		    vt_log_quote(q, sizeof(q), err));
		return VT_EX_OSERR;
	}
	m->generation = m->shm->generation + (inherit >= 0 ? 1 : 0);
	m->shm->generation = m->generation;
	m->shm->master_pid = getpid();
	m->target = master_workers_for(&m->conf);
	master_publish_limits(m);

	{
		struct vt_sampler_opts	o = { .root = m->conf.proc_root,
			.statvfs = 1, .metric_names = m->conf.metric_names };

		if (vt_sampler_init(&m->sampler, &o) == VT_ERR) {
			vt_log_err("sampler_failed", "error=\"out of memory\"");
			return VT_EX_OSERR;
		}
		m->sampling = 1;
		/*
		 * After an upgrade, the old master samples until it is told
		 * to stop; start one interval after taking over.
		 */
		m->next_sample = vt_mono_ms() + (m->takeover_from > 0 ?
		    MASTER_START_WAIT_MS : 0);
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
	    m->takeover_from > 0 ? " upgrade=yes" : "");
	if (m->takeover_from == 0) {
		master_write_pid(m);
		vt_sd_notify("READY=1");
	}
	return 0;
}

int
vt_master_run(struct vt_conf *conf, int argc, char **argv)
{
	static struct master	m;	/* large: keep it off the stack */
	struct pollfd		pfd;
	int			rc, i, wait;

	if ((rc = master_init(&m, conf, argc, argv)) != 0)
		return rc;
	for (;;) {
		master_signals(&m);
		master_reap(&m);
		master_watchdog(&m);
		if (m.stopping) {
			if (!master_any(&m))
				break;
			if (vt_mono_ms() >= m.stop_deadline) {
				for (i = 0; i < VT_MAX_SLOTS; i++)
					if (m.w[i].pid > 0)
						kill(m.w[i].pid, SIGKILL);
				if (m.rec_pid > 0)
					kill(m.rec_pid, SIGKILL);
				m.stop_deadline = vt_mono_ms() + 1000;
			}
		} else {
			master_maintain(&m);
			master_gauge_queue(&m);
			master_sample(&m);
		}
		pfd.fd = m.sfd;
		pfd.events = POLLIN;
		wait = MASTER_TICK_MS;
		if (m.sampling && !m.stopping && m.next_sample - vt_mono_ms() <
		    wait)
			wait = (int)(m.next_sample - vt_mono_ms());
		if (wait < 0)
			wait = 0;
		if (poll(&pfd, 1, wait) == -1 && errno != EINTR) {
			vt_log_sys(VT_LOG_ERR, "poll_failed", NULL);
			break;
		}
	}
	if (!m.handed_over && m.listen_path[0] != '\0')
		unlink(m.listen_path);
	if (!m.handed_over)
		master_remove_pid(&m);
	vt_sampler_free(&m.sampler);
	vt_log_info("stopped", "handover=%s", m.handed_over ? "yes" : "no");
	return 0;
}

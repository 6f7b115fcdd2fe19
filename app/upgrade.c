/*
 * upgrade.c: USR2, the binary upgrade, after nginx's.  The master forks a
 * child that execs the binary path it started from (a new build in place
 * is picked up), handing over the listening socket as socket activation
 * does (fd 3, LISTEN_FDS=1, LISTEN_PID) and the scoreboard's memfd
 * (VITALS_SHM_FD).  The new master starts its workers; once they accept
 * it sends TERM to the old master, which stops its workers gracefully and
 * exits.  Both pools accept from the same socket meanwhile, so no
 * connection is refused.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "master_int.h"
#include "sdnotify.h"

int
vt_upgrade_init(struct master *m)
{
	const char     *e;
	ssize_t		n;
	int		inherit = -1;

	n = readlink("/proc/self/exe", m->up.exe, sizeof(m->up.exe) - 1);
	if (n <= 0)
		snprintf(m->up.exe, sizeof(m->up.exe), "%s", m->argv[0]);
	else
		m->up.exe[n] = '\0';

	if ((e = getenv("VITALS_UPGRADE_FROM")) != NULL) {
		m->up.takeover_from = (pid_t)atol(e);
		m->up.takeover_started = vt_mono_ms();
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
	return inherit;
}

/* In the child: hand the socket and the scoreboard over, exec. */
static void
upgrade_exec(void *arg)
{
	struct master		*m = arg;
	struct vt_child_start	 cs = {
		.flags = VT_CHILD_EXEC,
		.parent = getppid(),
		.log_level = m->conf.log_level,
	};
	char			 num[32];
	int			 shm_fd = m->shm_fd;

	vt_child_start(&cs, NULL);
	/*
	 * fd 3 is the socket's place; a master that got its socket on stdin
	 * made its memfd there.  Move the memfd first, or dup2 closes it and
	 * the new master starts from an empty scoreboard.
	 */
	if (shm_fd == 3 && (shm_fd = fcntl(3, F_DUPFD, 4)) == -1)
		_exit(127);
	/* fd 3 and LISTEN_*: the socket-activation hand-over. */
	if (m->l.fd != 3 && dup2(m->l.fd, 3) == -1)
		_exit(127);
	if (m->l.fd == 3)
		(void)fcntl(3, F_SETFD, 0);
	(void)fcntl(shm_fd, F_SETFD, 0);
	snprintf(num, sizeof(num), "%ld", (long)getpid());
	setenv("LISTEN_PID", num, 1);
	setenv("LISTEN_FDS", "1", 1);
	snprintf(num, sizeof(num), "%d", shm_fd);
	setenv("VITALS_SHM_FD", num, 1);
	snprintf(num, sizeof(num), "%ld", (long)getppid());
	setenv("VITALS_UPGRADE_FROM", num, 1);
	if (m->listen_path[0] != '\0')
		setenv("VITALS_LISTEN_PATH", m->listen_path, 1);
	execv(m->up.exe, m->argv);
	vt_log_sys(VT_LOG_ERR, "upgrade_exec_failed", "path=%s", m->up.exe);
	_exit(127);
}

void
vt_upgrade_start(struct master *m)
{
	struct vt_child	*c = vt_child_at(&m->kids, VT_CHILD_UPGRADE, 0);

	if (c->pid > 0 || m->stopping || m->up.takeover_from > 0) {
		vt_log_warn("upgrade_ignored", "an upgrade or stop is under "
		    "way");
		return;
	}
	if ((c = vt_child_spawn(&m->kids, VT_CHILD_UPGRADE, 0, m->generation,
	    upgrade_exec, m)) == NULL) {
		vt_log_sys(VT_LOG_ERR, "upgrade_failed", "step=fork");
		return;
	}
	vt_log_info("upgrade", "new_master=%ld binary=%s", (long)c->pid,
	    m->up.exe);
}

void
vt_upgrade_takeover(struct master *m)
{
	char	msg[64];
	int	i, ready = 0;

	if (m->up.takeover_from <= 0)
		return;
	for (i = 0; i < VT_MAX_SLOTS; i++)
		if (vt_child_at(&m->kids, VT_CHILD_WORKER, i)->pid > 0 &&
		    vt_master_slot_state(m, i) == VT_SLOT_IDLE)
			ready++;
	if (ready < m->target && vt_mono_ms() - m->up.takeover_started <=
	    VT_MASTER_START_WAIT_MS)
		return;
	vt_log_info("upgrade_takeover", "old_master=%ld",
	    (long)m->up.takeover_from);
	snprintf(msg, sizeof(msg), "MAINPID=%ld\nREADY=1", (long)getpid());
	vt_sd_notify(msg);
	vt_master_write_pid(m);
	kill(m->up.takeover_from, SIGTERM);
	m->up.takeover_from = 0;
	m->sched.next = vt_mono_ms() +
	    (int64_t)(m->conf.sample_interval * 1000);
}

void
vt_upgrade_reaped(struct master *m, const struct vt_child *c, int status)
{
	char	how[64];

	vt_child_exit_text(status, how, sizeof(how));
	if (!m->up.handed_over)
		vt_log_err("upgrade_failed", "pid=%ld status=\"%s\"",
		    (long)c->pid, how);
}

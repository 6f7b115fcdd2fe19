/*
 * notify.c: the notify command of check transitions (see notify.h).
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "notify.h"

const char *const vt_notify_result_names[VT_NOTIFY_RESULTS] = {
	"ok", "failed", "timeout", "dropped",
};

void
vt_notify_init(struct vt_notify *n, const char *command, double timeout_s)
{
	memset(n, 0, sizeof(*n));
	vt_notify_set(n, command, timeout_s);
}

void
vt_notify_set(struct vt_notify *n, const char *command, double timeout_s)
{
	snprintf(n->command, sizeof(n->command), "%s",
	    command != NULL ? command : "");
	n->timeout_ms = (int64_t)(timeout_s * 1000);
	if (n->timeout_ms <= 0)
		n->timeout_ms = 10000;
}

static void
notify_num(char *dst, size_t len, int has, double v)
{
	if (has)
		snprintf(dst, len, "%.6g", v);
	else
		dst[0] = '\0';
}

void
vt_notify_queue(struct vt_notify *n, const struct vt_checks *s, int i,
    const char *host)
{
	const struct vt_check_item	*it = &s->item[i];
	struct vt_notify_event		*e;

	if (n->command[0] == '\0')
		return;
	if (n->qlen == VT_NOTIFY_QUEUE) {
		n->st.runs[VT_NOTIFY_DROPPED]++;
		vt_log_warn("notify_dropped", "check=%s to=%s queued=%zu",
		    vt_check_names[i], vt_check_state_names[it->state],
		    n->qlen);
		return;
	}
	e = &n->q[(n->qhead + n->qlen) % VT_NOTIFY_QUEUE];
	n->qlen++;
	snprintf(e->check, sizeof(e->check), "%s", vt_check_names[i]);
	snprintf(e->state, sizeof(e->state), "%s",
	    vt_check_state_names[it->state]);
	snprintf(e->previous, sizeof(e->previous), "%s",
	    vt_check_state_names[s->from[i]]);
	snprintf(e->summary, sizeof(e->summary), "%s", it->summary);
	notify_num(e->value, sizeof(e->value), it->has_value, it->value);
	notify_num(e->threshold, sizeof(e->threshold), it->has_threshold,
	    it->threshold);
	snprintf(e->since, sizeof(e->since), "%lld",
	    (long long)it->since_ms);
	if (host != NULL)
		snprintf(n->host, sizeof(n->host), "%s", host);
}

/* In the child: its own group, stdin /dev/null, the environment, exec. */
static void
notify_main(void *arg)
{
	struct vt_notify	*n = arg;
	struct vt_notify_event	*e = &n->cur;
	struct vt_child_start	 st;
	int			 fd;

	memset(&st, 0, sizeof(st));
	st.flags = VT_CHILD_CLOSE_ALL | VT_CHILD_EXEC;
	st.parent = getppid();
	st.orphan_code = 0;
	vt_child_start(&st, NULL);
	(void)setpgid(0, 0);
	/* The master ignores SIGPIPE; an ignored signal outlives exec. */
	signal(SIGPIPE, SIG_DFL);
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (setenv("VITALS_CHECK", e->check, 1) == -1 ||
	    setenv("VITALS_STATE", e->state, 1) == -1 ||
	    setenv("VITALS_PREVIOUS", e->previous, 1) == -1 ||
	    setenv("VITALS_SUMMARY", e->summary, 1) == -1 ||
	    setenv("VITALS_VALUE", e->value, 1) == -1 ||
	    setenv("VITALS_THRESHOLD", e->threshold, 1) == -1 ||
	    setenv("VITALS_SINCE", e->since, 1) == -1 ||
	    setenv("VITALS_HOST", n->host, 1) == -1)
		_exit(127);
	execl("/bin/sh", "sh", "-c", n->command, (char *)NULL);
	_exit(127);
}

void
vt_notify_poll(struct vt_notify *n, struct vt_children *t, int64_t now_ms)
{
	struct vt_child	*c;

	if (n->pid > 0) {
		if (!n->killed && now_ms - n->started_ms >= n->timeout_ms) {
			n->killed = 1;
			(void)kill(-n->pid, SIGKILL);
			(void)kill(n->pid, SIGKILL);
		}
		return;
	}
	if (n->qlen == 0)
		return;
	n->cur = n->q[n->qhead];
	n->qhead = (n->qhead + 1) % VT_NOTIFY_QUEUE;
	n->qlen--;
	if ((c = vt_child_spawn(t, VT_CHILD_NOTIFY, 0, 0, notify_main,
	    n)) == NULL) {
		n->st.runs[VT_NOTIFY_FAILED]++;
		vt_log_sys(VT_LOG_WARN, "notify_failed", "check=%s to=%s",
		    n->cur.check, n->cur.state);
		return;
	}
	/* Both sides set the group, so a kill right away finds it. */
	(void)setpgid(c->pid, c->pid);
	n->pid = c->pid;
	n->started_ms = now_ms;
	n->killed = 0;
}

void
vt_notify_reaped(struct vt_notify *n, const struct vt_child *c, int status)
{
	char	how[64];

	if (c->pid != n->pid)
		return;
	n->pid = 0;
	/* Whatever the command left behind in its group goes too. */
	(void)kill(-c->pid, SIGKILL);
	vt_child_exit_text(status, how, sizeof(how));
	if (n->killed) {
		n->st.runs[VT_NOTIFY_TIMEOUT]++;
		vt_log_warn("notify_timeout", "check=%s to=%s pid=%ld "
		    "timeout_ms=%lld", n->cur.check, n->cur.state,
		    (long)c->pid, (long long)n->timeout_ms);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		n->st.runs[VT_NOTIFY_OK]++;
		vt_log_info("notify_done", "check=%s to=%s pid=%ld",
		    n->cur.check, n->cur.state, (long)c->pid);
	} else {
		n->st.runs[VT_NOTIFY_FAILED]++;
		vt_log_warn("notify_failed", "check=%s to=%s pid=%ld "
		    "status=\"%s\"", n->cur.check, n->cur.state,
		    (long)c->pid, how);
	}
}

void
vt_notify_kill(struct vt_notify *n)
{
	if (n->pid > 0) {
		(void)kill(-n->pid, SIGKILL);
		n->killed = 1;
	}
}

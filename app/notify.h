/*
 * notify.h: the notify command, run by the master on each check
 * transition.
 *
 * The master queues a transition (a small bounded queue; one that does
 * not fit is dropped and counted) and runs one command at a time, as
 * `/bin/sh -c COMMAND` in its own process group with the transition in
 * its environment (VITALS_CHECK, VITALS_STATE, VITALS_PREVIOUS,
 * VITALS_SUMMARY, VITALS_VALUE, VITALS_THRESHOLD, VITALS_SINCE,
 * VITALS_HOST), stdin /dev/null and stdout and stderr on the master's
 * stderr (the log).  A command still running at the timeout gets SIGKILL,
 * to its whole group.  Nothing here waits: the master's loop calls
 * vt_notify_poll() each turn and the reaper hands exits to
 * vt_notify_reaped().
 */
#ifndef VT_NOTIFY_H
#define VT_NOTIFY_H

#include <stdint.h>
#include <sys/types.h>

#include "checks.h"
#include "child.h"

#define VT_NOTIFY_QUEUE	16

enum vt_notify_result {
	VT_NOTIFY_OK = 0,	/* exited 0 */
	VT_NOTIFY_FAILED,	/* exited otherwise, or could not start */
	VT_NOTIFY_TIMEOUT,	/* killed at the timeout */
	VT_NOTIFY_DROPPED,	/* the queue was full */
	VT_NOTIFY_RESULTS
};

extern const char *const vt_notify_result_names[VT_NOTIFY_RESULTS];

struct vt_notify_stats {
	uint64_t	runs[VT_NOTIFY_RESULTS];
};

/* One queued transition, with its text already rendered. */
struct vt_notify_event {
	char	check[24];
	char	state[16];
	char	previous[16];
	char	summary[192];
	char	value[32];
	char	threshold[32];
	char	since[24];
};

struct vt_notify {
	char			command[1024];	/* "": off */
	int64_t			timeout_ms;
	char			host[64];
	struct vt_notify_event	q[VT_NOTIFY_QUEUE];
	size_t			qhead, qlen;
	pid_t			pid;		/* running; 0: none */
	int64_t			started_ms;	/* monotonic */
	int			killed;		/* at the timeout */
	struct vt_notify_event	cur;		/* the one running */
	struct vt_notify_stats	st;
};

/* Set up from the command (copied; "" or NULL: off) and the timeout. */
void	vt_notify_init(struct vt_notify *n, const char *command,
	    double timeout_s);

/*
 * A new command and timeout (a reload): the queue, a command running and
 * the counters are kept.  An empty command turns notifying off.
 */
void	vt_notify_set(struct vt_notify *n, const char *command,
	    double timeout_s);

/*
 * Queue the transition of check i of s (from s->from[i] to its state).
 * Off: nothing.  A full queue drops it, counted and logged.
 */
void	vt_notify_queue(struct vt_notify *n, const struct vt_checks *s, int i,
	    const char *host);

/*
 * At monotonic now_ms: kill a command past its timeout (SIGKILL to its
 * group), start the next queued one when none runs, as a child of kind
 * VT_CHILD_NOTIFY in t; the child closes every descriptor above stderr.
 * Never waits.
 */
void	vt_notify_poll(struct vt_notify *n, struct vt_children *t,
	    int64_t now_ms);

/* The master reaped our child with status: count and log the result. */
void	vt_notify_reaped(struct vt_notify *n, const struct vt_child *c,
	    int status);

/* SIGKILL to the running command's group, if any (at the master's exit). */
void	vt_notify_kill(struct vt_notify *n);

#endif /* VT_NOTIFY_H */

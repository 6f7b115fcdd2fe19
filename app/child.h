/*
 * child.h: the children of the master, of every kind, in one table.
 *
 * Each kind (a worker, the recorder, the new master of an upgrade) has a
 * respawn policy; each child has an entry: its kind, its slot, its pid,
 * when it started and whether it was asked to go.  A child is forked by
 * vt_child_spawn() only and reaped by vt_child_reap() only; what a kind
 * does on exit is the caller's, what it waits before it is replaced is
 * vt_child_respawn_delay()'s, with the kind's back-off (backoff.h).  A
 * new kind (a publisher, a notifier) is one more enum value, one row of
 * child.c's policy table and one case of the master's reap.
 *
 * The statvfs helper of collect/fs_usage.c is not a kind: it is the
 * sampler's, long-lived, killed and replaced by the sampler within one
 * pass under a deadline, and a killed one stuck in the kernel is tracked
 * with its mount beside its replacement, where this table has one entry
 * per kind; the sampler also runs without a master (unit tests).  It
 * starts through vt_child_start() all the same (VT_CHILD_CLOSE_ALL with
 * its socket as keep_fd), and vt_child_reap() skips its pid silently when
 * it collects it first (fs_usage.h says more).
 *
 * In the child, vt_child_start() is the start-up every kind goes through,
 * in this order: signals (the kind's stop handler, the rest ignored or
 * default, then the mask), the master's descriptors closed, SIGTERM asked
 * for when the master dies and a check that it has not already, logging.
 */
#ifndef VT_CHILD_H
#define VT_CHILD_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "backoff.h"
#include "log.h"
#include "scoreboard.h"
#include "vitals.h"

enum vt_child_kind {
	VT_CHILD_WORKER,
	VT_CHILD_RECORDER,
	VT_CHILD_UPGRADE,	/* the new master of a USR2 upgrade */
	VT_CHILD_NOTIFY,	/* the notify command of a check transition */
	VT_CHILD_KINDS
};

/* What the master does when a child of a kind exits unasked. */
struct vt_child_policy {
	int		respawn;	/* replace it */
	int		outlives;	/* may outlive the master */
	int64_t		healthy_ms;	/* lived this long: back-off anew */
	int		healthy_waits;	/* a healthy one waits the base too */
	int64_t		backoff_min_ms;
	int64_t		backoff_max_ms;
};

struct vt_child {
	pid_t			pid;		/* 0: the entry is free */
	enum vt_child_kind	kind;
	int			slot;		/* a worker's scoreboard slot */
	uint32_t		generation;	/* of the configuration */
	int64_t			started;	/* monotonic ms */
	int			stopping;	/* asked to go */
	int64_t			kill_at;	/* SIGKILL then; 0: never */
	int			watchdog;	/* killed by the watchdog */
};

/* One entry per worker slot, then one per other kind. */
#define VT_CHILD_MAX	(VT_MAX_SLOTS + VT_CHILD_KINDS - 1)

struct vt_children {
	struct vt_child		c[VT_CHILD_MAX];
	struct vt_backoff	backoff[VT_CHILD_KINDS];
};

/* The respawn policy of a kind. */
const struct vt_child_policy *vt_child_policy(enum vt_child_kind kind);

/* An empty table, with each kind's back-off set from its policy. */
void	vt_children_init(struct vt_children *t);

/* The entry of a kind (a worker's: of its slot), free or not. */
struct vt_child *vt_child_at(struct vt_children *t, enum vt_child_kind kind,
	    int slot);

/*
 * Fork a child of "kind" into its entry and run fn(arg) in it; fn does
 * not return.  In the master, returns the filled entry; NULL when the
 * entry is taken or fork failed (errno says why; nothing is logged).
 */
struct vt_child *vt_child_spawn(struct vt_children *t, enum vt_child_kind kind,
	    int slot, uint32_t generation, void (*fn)(void *), void *arg);

/*
 * Ask a child to go: SIGTERM now, and c->kill_at set grace_ms ahead (0:
 * none) for the caller's SIGKILL.  Nothing if the entry is free or the
 * child was asked already.
 */
void	vt_child_stop(struct vt_child *c, int64_t grace_ms);

/* SIGKILL to every child but those that outlive the master. */
void	vt_child_kill_all(struct vt_children *t);

/* Children alive of a kind; not counting those asked to go if "live". */
int	vt_child_count(const struct vt_children *t, enum vt_child_kind kind,
	    int live);

/* 1 while any child is alive, but those that outlive the master. */
int	vt_child_any(const struct vt_children *t);

/*
 * Reap every child that has exited, without waiting: for each of ours,
 * fn(arg, c, status) with the entry still filled, then the entry is
 * freed.  Other pids (a helper reaped by its own caller) are skipped.
 */
void	vt_child_reap(struct vt_children *t,
	    void (*fn)(void *, struct vt_child *, int), void *arg);

/*
 * The wait before a child of policy p that exited unasked after age_ms,
 * at monotonic time now, is replaced, counting the failure in b: -1 when
 * it is not replaced, 0 at once, else the wait in ms (also b->next_at).
 * A child that lived p->healthy_ms starts the back-off over.  Pure but for
 * b.
 */
int64_t	vt_child_respawn_delay(const struct vt_child_policy *p,
	    struct vt_backoff *b, int64_t age_ms, int64_t now);

/* How a child ended, for the log: "exited with code 3", "... on signal 9". */
void	vt_child_exit_text(int status, char *dst, size_t len);

/* How a kind of child starts: what vt_child_start() does. */
#define VT_CHILD_DIE_WITH_PARENT	0x01	/* PDEATHSIG and parent check */
#define VT_CHILD_STOP_IN_WAIT		0x02	/* TERM, INT, QUIT blocked */
#define VT_CHILD_CLOSE_ALL		0x04	/* every fd above stderr */
#define VT_CHILD_EXEC			0x08	/* an exec follows: mask only */

struct vt_child_start {
	int			flags;
	pid_t			parent;		/* getppid() on entry */
	int			keep_fd;	/* CLOSE_ALL spares it */
	enum vt_log_level	log_level;
	int			orphan_code;	/* exit status if parent gone */
};

/*
 * The start-up chain of a freshly forked child (see above).  TERM, INT and
 * QUIT set the flag vt_child_stopping() reads, without SA_RESTART (a sleep
 * ends early); HUP, USR2 and PIPE are ignored; CHLD is default.  With
 * VT_CHILD_STOP_IN_WAIT the stop signals stay blocked and *waitmask (if
 * not NULL) is the empty mask to wait with; else nothing is blocked.
 * With VT_CHILD_EXEC only the mask is cleared: the program exec'd sets its
 * own.  VT_CHILD_CLOSE_ALL closes every descriptor above stderr but
 * s->keep_fd (when it is above stderr: 0 keeps none).  Exits with
 * s->orphan_code when the parent is already gone.
 */
void	vt_child_start(const struct vt_child_start *s, sigset_t *waitmask);

/* 1 once TERM, INT or QUIT arrived in this child. */
int	vt_child_stopping(void);

#endif /* VT_CHILD_H */

/*
 * master_int.h: the master's state, shared by the files of the master
 * only: master.c (the loop, the pool, the recorder, the reaping),
 * reload.c (HUP: the rolling restart) and upgrade.c (USR2: the new
 * binary).  Nothing outside them includes it.
 */
#ifndef VT_MASTER_INT_H
#define VT_MASTER_INT_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "child.h"
#include "conf.h"
#include "listen.h"
#include "notify.h"
#include "publish.h"
#include "qlen.h"
#include "sampler.h"
#include "scoreboard.h"

#define VT_MASTER_START_WAIT_MS	5000	/* a new worker must accept by then */

/* A rolling restart (reload.c): one new worker up, then one old down. */
struct vt_reload {
	int		rolling;
	int		roll_new;	/* slot of the new worker, or -1 */
	int		roll_old;	/* slot of the one it replaces */
};

/* A binary upgrade (upgrade.c), from either side. */
struct vt_upgrade {
	char		exe[PATH_MAX];	/* the binary to re-execute */
	pid_t		takeover_from;	/* the old master, until told */
	int64_t		takeover_started;
	int		handed_over;	/* our socket is the new master's */
};

/* The sampler's schedule. */
struct vt_schedule {
	struct vt_sampler	sampler;
	int			on;
	int64_t			next;	/* monotonic ms */
};

struct master {
	struct vt_conf		conf;
	int			argc;
	char		      **argv;
	struct vt_listener	l;
	char			listen_path[VT_PATH_LEN];
	struct vt_shm	       *shm;
	int			shm_fd;
	int			sfd;
	struct vt_children	kids;
	int			target;		/* workers wanted */
	uint32_t		generation;
	int			stopping;
	struct vt_qlen		qlen;		/* the queue gauge's socket */
	int			qlen_failing;	/* the queue's last read failed */
	uint64_t		stall_accepted;	/* accepted at the last gauge */
	int64_t			stall_since;	/* queue waiting, none taken */
	int64_t			stop_deadline;
	struct vt_reload	reload;
	struct vt_upgrade	up;
	struct vt_schedule	sched;
	struct vt_notify	notify;		/* check transitions' command */
	struct vt_fallback	fallback;	/* the verdict for nginx */
	struct vt_publish	live;		/* each sample to nginx's Nchan */
	struct vt_buf		live_doc;	/* the sample it publishes */
	int64_t			live_stamp;	/* of the last one published */
};

/* master.c: the pool, for reload.c and upgrade.c. */
int		vt_master_workers_for(const struct vt_conf *c);
void		vt_master_publish_limits(struct master *m);
void		vt_master_write_pid(struct master *m);
uint32_t	vt_master_slot_state(const struct master *m, int slot);

/* Start a worker in a free slot; returns the slot, or -1 (logged). */
int		vt_master_spawn_worker(struct master *m);

/* Ask the worker of a slot to go, SIGKILL after shutdown_timeout. */
void		vt_master_stop_worker(struct master *m, int slot);

/* reload.c: re-read the configuration and start a rolling restart. */
void		vt_reload_start(struct master *m);

/* One step of the rolling restart under way, from the loop. */
void		vt_reload_step(struct master *m);

/* The worker of a slot is gone: the roll does not wait for it. */
void		vt_reload_reaped(struct master *m, int slot);

/*
 * upgrade.c: read what an old master handed over (the environment) and
 * the path of our binary; returns the inherited scoreboard's memfd or -1.
 */
int		vt_upgrade_init(struct master *m);

/* Fork and exec the new master (USR2). */
void		vt_upgrade_start(struct master *m);

/* In a new master: once the workers accept, tell the old one to go. */
void		vt_upgrade_takeover(struct master *m);

/* The new master we forked exited (status as from waitpid). */
void		vt_upgrade_reaped(struct master *m, const struct vt_child *c,
		    int status);

#endif /* VT_MASTER_INT_H */

/*
 * master.h: the pool's master process.  It owns the listening socket and
 * the scoreboard, forks the workers and supervises them: replaces the
 * dead (with back-off in a crash loop), recycles, kills requests that run
 * past the watchdog, stops gracefully (TERM/INT/QUIT), restarts the
 * workers one at a time on HUP and re-executes itself on USR2.  It never
 * serves a request and never blocks on a worker.
 */
#ifndef VT_MASTER_H
#define VT_MASTER_H

#include "conf.h"
#include "listen.h"

/*
 * Run the pool until it is stopped; returns the process exit status.
 * argv is kept to re-read the configuration on HUP and to re-execute the
 * binary on USR2.
 */
int	vt_master_run(struct vt_conf *conf, int argc, char **argv);

#endif /* VT_MASTER_H */

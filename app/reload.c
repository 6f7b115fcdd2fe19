/*
 * reload.c: HUP, the rolling restart.  The configuration is read again
 * from the command line's file; if it is valid the generation goes up and
 * the workers are replaced one at a time: a new worker first, and once it
 * accepts (or VT_MASTER_START_WAIT_MS passed) an old one is asked to go.
 * The pool never has fewer workers than before.  The listening socket
 * changes only on restart; the recorder is restarted to read its
 * settings.
 */
#include "config.h"

#include <string.h>

#include "clock.h"
#include "log.h"
#include "master_int.h"
#include "sdnotify.h"

void
vt_reload_start(struct master *m)
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
	if (strcmp(c.fallback_dir, m->conf.fallback_dir) != 0) {
		vt_fallback_remove(&m->fallback);
		(void)vt_fallback_set(&m->fallback, c.fallback_dir);
	}
	/* Another textfile_dir: read from the next process-scan tick. */
	if (strcmp(c.textfile_dir, m->conf.textfile_dir) != 0) {
		vt_textfile_free(&m->sched.sampler.tf);
		if (vt_textfile_init(&m->sched.sampler.tf, c.textfile_dir) ==
		    VT_ERR)
			vt_log_err("reload_textfile_failed", "error=\"out of "
			    "memory\"; the textfile collector is off");
	}
	/* The recorder reads its settings once: restart it to take new ones. */
	vt_child_stop(vt_child_at(&m->kids, VT_CHILD_RECORDER, 0), 0);
	m->conf = c;
	vt_log_set_level(m->conf.log_level);
	m->sched.sampler.opt.metric_names = m->conf.metric_names;
	/* The checks judge by the new thresholds from the next tick on. */
	m->sched.sampler.opt.checks = m->conf.checks;
	m->sched.sampler.opt.interval_s = m->conf.sample_interval;
	m->sched.sampler.opt.live_push = m->conf.live_socket[0] != '\0';
	vt_publish_set_interval(&m->live,
	    (int64_t)(m->conf.sample_interval * 1000));
	vt_publish_set_path(&m->live, m->conf.live_socket);
	m->sched.sampler.opt.health_stale_ms =
	    (int64_t)(m->conf.checks.health_stale_s * 1000);
	vt_notify_set(&m->notify, m->conf.notify_command,
	    m->conf.notify_timeout);
	m->target = vt_master_workers_for(&m->conf);
	m->generation++;
	m->shm->generation = m->generation;
	vt_master_publish_limits(m);
	m->reload.rolling = 1;
	m->reload.roll_new = m->reload.roll_old = -1;
	vt_log_info("reload", "generation=%u workers=%d", m->generation,
	    m->target);
}

void
vt_reload_step(struct master *m)
{
	struct vt_reload	*r = &m->reload;
	struct vt_child		*w;
	int			 i, old = -1;

	if (r->roll_new >= 0) {
		uint32_t	st = vt_master_slot_state(m, r->roll_new);

		w = vt_child_at(&m->kids, VT_CHILD_WORKER, r->roll_new);
		if (st == VT_SLOT_STARTING && vt_mono_ms() - w->started <
		    VT_MASTER_START_WAIT_MS)
			return;	/* not accepting yet */
		if (r->roll_old >= 0)
			vt_master_stop_worker(m, r->roll_old);
		r->roll_new = -1;
		return;
	}
	if (r->roll_old >= 0 &&
	    vt_child_at(&m->kids, VT_CHILD_WORKER, r->roll_old)->pid > 0)
		return;	/* wait for the old one to finish and go */
	r->roll_old = -1;
	for (i = 0; i < VT_MAX_SLOTS; i++) {
		w = vt_child_at(&m->kids, VT_CHILD_WORKER, i);
		if (w->pid > 0 && !w->stopping &&
		    w->generation != m->generation) {
			old = i;
			break;
		}
	}
	if (old < 0) {
		r->rolling = 0;
		vt_log_info("reload_done", "generation=%u workers=%d",
		    m->generation, m->target);
		vt_sd_notify("READY=1");
		return;
	}
	if (vt_child_count(&m->kids, VT_CHILD_WORKER, 1) > m->target) {
		/* The pool shrank: this one goes without a replacement. */
		vt_master_stop_worker(m, old);
		r->roll_old = old;
		return;
	}
	if ((r->roll_new = vt_master_spawn_worker(m)) >= 0)
		r->roll_old = old;
}

void
vt_reload_reaped(struct master *m, int slot)
{
	if (m->reload.rolling && slot == m->reload.roll_new)
		m->reload.roll_new = -1;	/* died starting: try again */
	if (m->reload.rolling && slot == m->reload.roll_old)
		m->reload.roll_old = -1;
}

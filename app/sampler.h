/*
 * sampler.h: the host sampler, run by the master once a second.
 *
 * Each tick reads every collector under the proc root, derives the rates
 * and the other computed figures against the previous sample once
 * (vt_derive(), derive.h), renders the /api/metrics JSON and the
 * Prometheus text once, and publishes them and a ring point to shared
 * memory.  A collector that fails is counted and logged (once per change
 * of state) and the others go on; statvfs runs in a helper with a
 * deadline, and the process scan runs every few ticks, so no collector
 * can delay the next tick by more than its own budget.
 */
#ifndef VT_SAMPLER_H
#define VT_SAMPLER_H

#include <stdint.h>

#include "buf.h"
#include "checks.h"
#include "gzip.h"
#include "collect/fs_usage.h"
#include "collect/link_watch.h"
#include "collect/listeners.h"
#include "collect/tcp_diag.h"
#include "collect/textfile_dir.h"
#include "fallback.h"
#include "host.h"
#include "notify.h"
#include "poolview.h"

struct vt_shm;

struct vt_sampler_opts {
	const char     *root;		/* the proc root: "/" in production */
	int		statvfs;	/* run statvfs on the mounts */
	int		fs_deadline_ms;
	int		top_every;	/* scan processes every N samples */
	int		top_budget_ms;
	int		metric_names;	/* enum vt_prom_names */
	double		interval_s;	/* the schedule, for the lateness */
	struct vt_checks_conf checks;	/* the thresholds */
	int64_t		health_stale_ms;	/* older health: "unknown" */
	struct vt_notify *notify;	/* transitions go here; NULL: none */
	struct vt_fallback *fallback;	/* the master's files; NULL: none */
	const char     *listen_path;	/* the pool's Unix socket; NULL: TCP */
	int		live_push;	/* samples are published for /api/live */
	const char     *textfile_dir;	/* *.prom files; NULL or "": none */
};

/*
 * The CLOSE_WAIT sockets attributed to processes on a process-scan tick:
 * the first this many of a dump.
 */
#define VT_SAMPLER_CW_MAX	65536

/*
 * A listener's owner, as a walk found it: pid 0 when the walk found
 * nobody (another user's process), not looked for again before
 * VT_SAMPLER_OWNER_RETRY_MS.
 */
#define VT_SAMPLER_OWNER_RETRY_MS	60000
struct vt_sampler_owner {
	uint64_t	inode;
	int32_t		pid;
	char		comm[VT_COMM_LEN];
	int64_t		ts_ms;		/* of the walk */
};

/* A CLOSE_WAIT socket and the process a walk found holding it. */
struct vt_sampler_cw {
	uint64_t	inode;
	int32_t		pid;
};

struct vt_sampler {
	struct vt_sampler_opts	opt;
	char			root[VT_PATH_LEN];
	struct vt_host	       *h[2];		/* current and previous */
	int			cur;
	uint64_t		scans;		/* scan ticks so far */
	uint64_t		slow_scan[2];	/* the scan h[i] holds */
	struct vt_pid_table    *pids[2];
	struct vt_pid_fds      *pid_fds;	/* their stat files, kept */
	int			pcur;
	int			have_pids;
	int64_t			pids_mono_us;
	struct vt_fs_helper	fs;
	struct vt_mounts_filter	filter;
	struct vt_mounts_watch *mounts;	/* read again when changed */
	uint64_t		failing;	/* collectors failing now */
	struct vt_buf		json;
	struct vt_buf		prom;
	struct vt_buf		om;		/* OpenMetrics of prom */
	struct vt_buf		gz;		/* either, gzipped */
	struct vt_gzip		gzip;
	/* This sample's forms of /metrics (scoreboard.h's vt_expo bits). */
	unsigned		forms;		/* published */
	unsigned		forms_tried;	/* rendered, or failed */
	int64_t			text_ts_ms;	/* the sample's stamp */
	struct vt_poolview	pool;		/* the tick's view of the pool */
	struct vt_checks       *checks;		/* the engine's state */
	struct vt_checks_input *checks_in;
	struct vt_buf		checks_doc;	/* /api/checks */
	int64_t			checks_us;	/* the engine, this tick */
	uint64_t		samples;
	int64_t			last_mono_us;
	double			duration_sum_s;
	uint64_t		col_errors[VT_COL_N];
	uint64_t		fs_timeouts;

	/* Listeners and socket owners (listeners.h, sockowner.h). */
	char			listen_path[VT_LISTENER_ADDRLEN];
	int32_t			pid;		/* getpid(), first tick */
	struct vt_diag_reader	lr;
	struct vt_tcp_pace	tcp_pace;	/* the TCP states' cadence */
	struct vt_tcp_activity	tcp_act;	/* this tick's */
	struct vt_listeners_pace lis_pace;	/* the listeners' dump */
	struct vt_sampler_owner	owners[VT_MAX_LISTENERS];	/* by inode */
	size_t			nowners;
	int64_t			owners_ts_ms;
	uint64_t	       *walk_inodes;	/* VT_SAMPLER_CW_MAX + listeners */
	int32_t		       *walk_pids;
	int32_t		       *cw_pids;
	int32_t		       *walk_procs;	/* VT_PID_TABLE_MAX */
	size_t			walk_cursor;	/* vt_sockowner_walk() */
	uint64_t		pids_next;	/* the sample that scans */
	uint64_t		cw_scans;	/* scans with CLOSE_WAIT */
	uint64_t		cw_next;	/* the one that looks next */
	/* The holders found so far, by inode; [cw_cur] is the last pass's. */
	struct vt_sampler_cw   *cw_known[2];	/* VT_SAMPLER_CW_MAX each */
	size_t			ncw_known[2];
	int			cw_cur;
	uint64_t		cw_full_next;	/* the scan that walks for all */

	struct vt_textfile	tf;		/* textfile_dir's files */

	/* The interfaces' attributes (sampler_netclass()). */
	struct vt_link_watch	links;
	uint64_t		nc_scans;	/* scan ticks */
	uint64_t		nc_full;	/* whole reads, for the tests */
};

/* Allocate the buffers; 0 or -1. */
int	vt_sampler_init(struct vt_sampler *s, const struct vt_sampler_opts *o);
void	vt_sampler_free(struct vt_sampler *s);

/*
 * Take one sample at wall time ts_ms (monotonic mono_us for the
 * interval): collect, then vt_derive() against the previous sample.
 * Returns the sample.
 */
const struct vt_host *vt_sampler_collect(struct vt_sampler *s, int64_t ts_ms,
	    int64_t mono_us);

/*
 * Collect, judge (the checks: a log line and a notify per transition),
 * render and publish to the scoreboard's documents and ring.
 */
void	vt_sampler_tick(struct vt_sampler *s, struct vt_shm *shm);

/*
 * The forms of /metrics besides the text (OpenMetrics, gzip) that scrapes
 * ask for (scoreboard.h), rendered from the last sample's text when not
 * yet published for it.  vt_sampler_tick() calls it; the master calls it
 * between ticks too (10 times a second), so that a form first asked for
 * is published within a tenth of a second, not at the next sample:
 * scrapes get the nearest published form only until then.
 */
void	vt_sampler_forms(struct vt_sampler *s, struct vt_shm *shm);

#endif /* VT_SAMPLER_H */

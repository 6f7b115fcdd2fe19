/*
 * checks.h: the check engine, which judges each sample.
 *
 * vt_checks_eval() is a pure function of its input (plain numbers and
 * small arrays, filled by checks_input.c from the sample, the pool view
 * and the shared health result), the configured thresholds and the
 * previous state, which it updates: no I/O, no clock, no logging.  Each
 * check gets a state (ok, warning, critical, or unknown when its input is
 * missing), since when, the value and threshold that decided it, a unit
 * and a one-line summary.  A condition must hold hold_s before a check
 * leaves ok (and before it escalates) and be clear clear_s before it
 * steps down, so states do not flap.  The trends (CLOSE_WAIT growth, a
 * filesystem's fill rate, OOM kills and restarts in a window) live in the
 * state, in fixed rings: the state's size never changes.
 *
 * Ownership: the caller owns the input, the conf and the state (the state
 * is large: allocate it, do not put it on a small stack).
 */
#ifndef VT_CHECKS_H
#define VT_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "collect/listeners.h"
#include "vitals.h"

/* The checks, in the contract's fixed order. */
enum vt_check {
	VT_CHECK_DATABASE = 0,
	VT_CHECK_POOL_QUEUE,
	VT_CHECK_POOL_RESTARTS,
	VT_CHECK_LISTENERS,
	VT_CHECK_LISTEN_OVERFLOWS,
	VT_CHECK_CLOSE_WAIT,
	VT_CHECK_FILESYSTEM,
	VT_CHECK_MEMORY,
	VT_CHECK_CPU,
	VT_CHECK_FILE_DESCRIPTORS,
	VT_CHECK_SAMPLER,
	VT_CHECK_N
};

/* A check's state; the order is the order of the state set in /metrics. */
enum vt_check_state {
	VT_CHECK_OK = 0,
	VT_CHECK_WARNING,
	VT_CHECK_CRITICAL,
	VT_CHECK_UNKNOWN,
	VT_CHECK_STATES
};

extern const char *const vt_check_names[VT_CHECK_N];
extern const char *const vt_check_state_names[VT_CHECK_STATES];
/* The page's chart for a check ("db", "pool" ...), or NULL. */
extern const char *const vt_check_charts[VT_CHECK_N];

/* The thresholds: one conf key each (conf.c, the README's table). */
struct vt_checks_conf {
	double	hold_s;			/* before leaving ok or escalating */
	double	clear_s;		/* before stepping down */
	double	health_stale_s;		/* an older health result: unknown */
	double	database_warning;	/* probe latency, s */
	double	database_critical;
	double	pool_queue_warning;	/* connections waiting */
	double	pool_queue_critical;
	double	pool_busy;		/* every worker busy this long, s */
	double	pool_stall;		/* waiting, none accepted this long, s */
	double	pool_restarts_warning;	/* unplanned restarts in the window */
	double	pool_restarts_critical;
	double	pool_restarts_window;	/* s */
	double	listeners_warning;	/* queue, percent of the backlog */
	double	listeners_critical;
	double	listen_overflows_warning;	/* per second */
	double	listen_overflows_critical;
	double	close_wait_warning;	/* sockets */
	double	close_wait_critical;
	double	close_wait_growth;	/* minutes of steady growth */
	double	close_wait_growth_min;	/* sockets, for growth to count */
	double	filesystem_warning;	/* percent used, space or inodes */
	double	filesystem_critical;
	double	filesystem_predict_hours;	/* predicted full within */
	double	filesystem_predict_used;	/* percent, to predict */
	double	memory_warning;		/* percent available, below */
	double	memory_critical;
	double	memory_pressure_warning;	/* PSI memory some avg10 */
	double	memory_pressure_critical;	/* PSI memory full avg10 */
	double	memory_oom_window;	/* s: an OOM kill in it warns */
	double	cpu_warning;		/* PSI cpu some avg10, percent */
	double	cpu_critical;
	double	cpu_load_warning;	/* load1 per CPU, without PSI */
	double	cpu_load_critical;
	double	cpu_iowait_warning;	/* percent */
	double	file_descriptors_warning;	/* percent of file-max */
	double	file_descriptors_critical;
	double	sampler_warning;	/* sample age, s (the reader's) */
	double	sampler_critical;
};

/* A listener as the engine sees it (the fullest few). */
struct vt_check_listener {
	int		family;		/* AF_INET, AF_INET6, AF_UNIX */
	char		address[VT_LISTENER_ADDRLEN];
	uint16_t	port;
	uint32_t	queue;
	uint32_t	backlog;
	int32_t		pid;		/* 0: not known */
	char		comm[VT_COMM_LEN];
};

#define VT_CHECK_MAX_LISTENERS	4	/* listeners handed to the engine */

/* A mounted filesystem's space and inodes. */
struct vt_check_fs {
	char		mountpoint[VT_PATH_LEN];
	uint64_t	key;		/* a hash of the mount point */
	uint64_t	size;		/* bytes */
	uint64_t	avail;		/* bytes, a user's view */
	uint64_t	used;		/* bytes, size - free */
	uint64_t	files;		/* inodes; 0: not counted */
	uint64_t	files_free;
};

/* Everything the checks read; a *_known of 0 makes its check unknown. */
struct vt_checks_input {
	int64_t		now_ms;		/* wall clock of the sample */

	int		health_known;	/* a result exists */
	int		health_status;	/* enum vt_db_err */
	double		health_latency_ms;
	int64_t		health_checked_ms;	/* wall clock */

	int		pool_known;
	int		queue_known;
	uint64_t	listen_queue;
	uint64_t	listen_backlog;
	unsigned	workers;	/* live */
	unsigned	busy;
	uint64_t	crashes;	/* exits and signals, since start */
	uint64_t	watchdog_kills;
	uint64_t	crash_backoffs;
	uint64_t	queue_stall_ms;	/* waiting, none accepted, this long */
	uint64_t	backoff_ms;	/* until workers may start again */

	int		listeners_known;
	/* The fullest first. */
	struct vt_check_listener listener[VT_CHECK_MAX_LISTENERS];
	size_t		nlisteners;
	size_t		listeners_total;

	int		netstat_known;	/* and a rate: a previous sample */
	double		overflows_per_s;
	double		drops_per_s;

	int		tcp_known;
	uint64_t	close_wait;
	int		holders_known;
	int32_t		holder_pid;	/* holds the most; 0: none */
	char		holder_comm[VT_COMM_LEN];
	uint32_t	holder_count;

	int		fs_known;
	struct vt_check_fs fs[VT_MAX_MOUNTS];
	size_t		nfs;

	int		mem_known;
	double		mem_available_percent;
	int		psi_memory_known;
	double		psi_memory_some;	/* avg10, percent */
	double		psi_memory_full;
	int		oom_known;
	uint64_t	oom_kills;	/* since boot */

	int		psi_cpu_known;
	double		psi_cpu_some;	/* avg10, percent */
	int		load_known;
	double		load1;
	unsigned	ncpu;
	int		iowait_known;
	double		iowait_percent;

	int		filenr_known;
	uint64_t	files_allocated;
	uint64_t	files_max;

	double		sampler_lateness_s;	/* this tick's, >= 0 */
};

/* One check's outcome, as rendered. */
struct vt_check_item {
	enum vt_check_state	state;
	int64_t			since_ms;	/* wall clock */
	int			has_value;
	double			value;
	int			has_threshold;
	double			threshold;
	const char	       *unit;	/* s, percent, count, per_s or "" */
	char			summary[192];
};

/* Hold and clear tracking of one check (see checks.c). */
struct vt_check_track {
	int64_t		level_since[VT_CHECK_STATES];	/* raw >= level since */
	int64_t		below_since;	/* raw below the state since */
	int		settled;	/* has had a known state */
};

#define VT_CHECK_RING	128

/* A few counters sampled at a spacing, to take deltas over a window. */
struct vt_check_ring {
	int64_t		t[VT_CHECK_RING];
	uint64_t	v[VT_CHECK_RING][3];
	size_t		n;		/* filled */
	size_t		head;		/* next to write */
};

#define VT_CHECK_CW_MINUTES	16
#define VT_CHECK_FS_POINTS	36	/* one per 5 minutes: 3 hours */

/* A filesystem's recent free space, for the prediction. */
struct vt_check_fs_trend {
	uint64_t	key;		/* 0: free entry */
	int64_t		t[VT_CHECK_FS_POINTS];
	double		avail[VT_CHECK_FS_POINTS];
	size_t		n;
	size_t		head;
	int64_t		seen_ms;	/* last sample that had it */
};

struct vt_checks {
	int			started;	/* evaluated once */
	struct vt_check_item	item[VT_CHECK_N];
	struct vt_check_track	track[VT_CHECK_N];
	uint64_t		transitions[VT_CHECK_N][VT_CHECK_STATES];
	enum vt_check_state	verdict;
	char			headline[512];
	int64_t			evaluated_ms;
	int64_t			eval_us;	/* its time, set by the caller */

	/* This evaluation's transitions: a bit per check, and from what. */
	unsigned		changed;

	/*
	 * A bit per check whose level this evaluation carries its own
	 * duration (a stalled pool, a crash loop's back-off): it fires
	 * without check_hold, which would only delay what is already sure.
	 */
	unsigned		immediate;
	enum vt_check_state	from[VT_CHECK_N];

	/* Trends. */
	int64_t			busy_since_ms;	/* every worker busy; 0: not */
	int64_t			db_fail_since_ms;	/* failing; 0: not */
	struct vt_check_ring	restarts;	/* crash, watchdog, back-off */
	struct vt_check_ring	oom;
	uint64_t		cw[VT_CHECK_CW_MINUTES];	/* a minute apart */
	size_t			cw_n;
	int64_t			cw_last_ms;
	struct vt_check_fs_trend fs[VT_MAX_MOUNTS];
};

/* The defaults, sized for a small public server. */
void	vt_checks_conf_defaults(struct vt_checks_conf *c);

/* A fresh state: every check unknown, nothing counted. */
void	vt_checks_init(struct vt_checks *s);

/*
 * Judge one sample: update s from in under c.  Afterwards s->item holds
 * every check, s->verdict and s->headline the whole, and s->changed a bit
 * (1u << check) for each check whose state changed, s->from[check] its
 * previous state; the counts in s->transitions include them.  A check's
 * first known state counts as a transition only when it is not ok.
 */
void	vt_checks_eval(struct vt_checks *s, const struct vt_checks_conf *c,
	    const struct vt_checks_input *in);

/*
 * The state of the sampler check for a reader that sees the sample
 * age_ms old: ok, warning or critical under c.  Fills item (its summary
 * says how old the sample is).
 */
void	vt_checks_sampler(const struct vt_checks_conf *c, int64_t age_ms,
	    int64_t now_ms, struct vt_check_item *item);

/* A 64-bit hash of a mount point, never 0 (the trends' key). */
uint64_t vt_checks_key(const char *s);

#endif /* VT_CHECKS_H */

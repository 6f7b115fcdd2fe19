/*
 * checks.c: the check engine (see checks.h).
 *
 * Each check is one function that reads the input and its trend, fills
 * its item (value, threshold, unit, summary) and returns the raw level of
 * this sample; checks_step() then applies the hold and clear times to
 * move the check's state.  Times are wall-clock milliseconds from the
 * input, never read from a clock here, so a test drives them.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "checks.h"
#include "db.h"

const char *const vt_check_names[VT_CHECK_N] = {
	"database", "pool_queue", "pool_restarts", "listeners",
	"listen_overflows", "close_wait", "filesystem", "memory", "cpu",
	"file_descriptors", "sampler",
};

const char *const vt_check_state_names[VT_CHECK_STATES] = {
	"ok", "warning", "critical", "unknown",
};

const char *const vt_check_charts[VT_CHECK_N] = {
	"db", "pool", "pool", "net", "net", "net", "disk", "mem", "cpu",
	NULL, NULL,
};

#define CHECKS_FS_STEP_MS	(5 * 60 * 1000)
#define CHECKS_FS_FORGET_MS	(60 * 60 * 1000)
#define CHECKS_CW_STEP_MS	(60 * 1000)

void
vt_checks_conf_defaults(struct vt_checks_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->hold_s = 3;
	c->clear_s = 15;
	c->health_stale_s = 10;
	c->database_warning = 0.1;
	c->database_critical = 0.4;
	c->pool_queue_warning = 1;
	c->pool_queue_critical = 32;
	c->pool_busy = 10;
	c->pool_stall = 1;
	c->pool_restarts_warning = 1;
	c->pool_restarts_critical = 5;
	c->pool_restarts_window = 60;
	c->listeners_warning = 50;
	c->listeners_critical = 90;
	c->listen_overflows_warning = 0.1;
	c->listen_overflows_critical = 10;
	c->close_wait_warning = 100;
	c->close_wait_critical = 1000;
	c->close_wait_growth = 5;
	c->close_wait_growth_min = 20;
	c->filesystem_warning = 85;
	c->filesystem_critical = 95;
	c->filesystem_predict_hours = 24;
	c->filesystem_predict_used = 60;
	c->memory_warning = 10;
	c->memory_critical = 5;
	c->memory_pressure_warning = 20;
	c->memory_pressure_critical = 10;
	c->memory_oom_window = 300;
	c->cpu_warning = 60;
	c->cpu_critical = 90;
	c->cpu_load_warning = 2;
	c->cpu_load_critical = 4;
	c->cpu_iowait_warning = 30;
	c->file_descriptors_warning = 80;
	c->file_descriptors_critical = 95;
	c->sampler_warning = 5;
	c->sampler_critical = 30;
}

void
vt_checks_init(struct vt_checks *s)
{
	int	i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < VT_CHECK_N; i++) {
		s->item[i].state = VT_CHECK_UNKNOWN;
		s->item[i].unit = "";
	}
	s->verdict = VT_CHECK_UNKNOWN;
	snprintf(s->headline, sizeof(s->headline), "Not judged yet");
}

uint64_t
vt_checks_key(const char *s)
{
	uint64_t	h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h == 0 ? 1 : h;
}

static void
say(struct vt_check_item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct vt_check_item *it, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(it->summary, sizeof(it->summary), fmt, ap);
	va_end(ap);
}

static void
set_value(struct vt_check_item *it, double v, const char *unit)
{
	it->has_value = 1;
	it->value = v;
	it->unit = unit;
}

static void
set_threshold(struct vt_check_item *it, double t)
{
	it->has_threshold = 1;
	it->threshold = t;
}

/* The level of v against thresholds that rise: at or above is worse. */
static enum vt_check_state
level_above(double v, double warn, double crit)
{
	if (v >= crit)
		return VT_CHECK_CRITICAL;
	if (v >= warn)
		return VT_CHECK_WARNING;
	return VT_CHECK_OK;
}

/* The level of v against thresholds that fall: below is worse. */
static enum vt_check_state
level_below(double v, double warn, double crit)
{
	if (v < crit)
		return VT_CHECK_CRITICAL;
	if (v < warn)
		return VT_CHECK_WARNING;
	return VT_CHECK_OK;
}

static enum vt_check_state
worst(enum vt_check_state a, enum vt_check_state b)
{
	return a > b ? a : b;
}

/* The threshold of a level: the warning one unless critical. */
static double
threshold_of(enum vt_check_state l, double warn, double crit)
{
	return l == VT_CHECK_CRITICAL ? crit : warn;
}

/* Whole seconds the raw level of check i has been at least l. */
static long long
held_for(const struct vt_checks *s, int i, enum vt_check_state l,
    int64_t now)
{
	int64_t	since = s->track[i].level_since[l];

	if (since == 0 || now < since)
		return 0;
	return (long long)((now - since) / 1000);
}

static const char *
plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Keep counters at most one per step; the oldest are overwritten. */
static void
ring_push(struct vt_check_ring *r, int64_t now, int64_t step,
    const uint64_t v[3])
{
	size_t	last;

	if (r->n > 0) {
		last = (r->head + VT_CHECK_RING - 1) % VT_CHECK_RING;
		if (now - r->t[last] < step && now >= r->t[last])
			return;
	}
	r->t[r->head] = now;
	memcpy(r->v[r->head], v, sizeof(r->v[0]));
	r->head = (r->head + 1) % VT_CHECK_RING;
	if (r->n < VT_CHECK_RING)
		r->n++;
}

/* cur minus the oldest entry at or after from (0 where a counter fell). */
static void
ring_delta(const struct vt_check_ring *r, int64_t from, const uint64_t cur[3],
    uint64_t out[3])
{
	size_t	k, idx, oldest = VT_CHECK_RING;
	int	j;

	for (k = 0; k < r->n; k++) {
		idx = (r->head + VT_CHECK_RING - r->n + k) % VT_CHECK_RING;
		if (r->t[idx] >= from) {
			oldest = idx;
			break;
		}
	}
	for (j = 0; j < 3; j++)
		out[j] = oldest == VT_CHECK_RING || cur[j] < r->v[oldest][j] ?
		    0 : cur[j] - r->v[oldest][j];
}

static enum vt_check_state
check_database(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	static const char *const words[] = {
		[VT_DB_OK] = "answering",
		[VT_DB_TIMEOUT] = "not answering within its deadline",
		[VT_DB_UNREACHABLE] = "unreachable",
		[VT_DB_AUTH] = "refusing the login (auth)",
		[VT_DB_SCHEMA] = "missing its schema",
		[VT_DB_ERROR] = "failing (error)",
	};
	enum vt_check_state	l;
	double			lat;
	int64_t			age;

	if (!in->health_known) {
		s->db_fail_since_ms = 0;
		say(it, "No database health result yet");
		return VT_CHECK_UNKNOWN;
	}
	age = in->now_ms - in->health_checked_ms;
	if (age > (int64_t)(c->health_stale_s * 1000)) {
		set_value(it, (double)age / 1000, "s");
		set_threshold(it, c->health_stale_s);
		say(it, "Database health result %lld s old: the probe is not "
		    "running", (long long)(age / 1000));
		return VT_CHECK_UNKNOWN;
	}
	if (in->health_status != VT_DB_OK) {
		if (s->db_fail_since_ms == 0)
			s->db_fail_since_ms = in->now_ms;
		age = (in->now_ms - s->db_fail_since_ms) / 1000;
		set_value(it, (double)age, "s");
		say(it, "Database %s for %lld s",
		    in->health_status > 0 && in->health_status <= VT_DB_ERROR ?
		    words[in->health_status] : "failing", (long long)age);
		return VT_CHECK_CRITICAL;
	}
	s->db_fail_since_ms = 0;
	lat = in->health_latency_ms / 1000;
	l = level_above(lat, c->database_warning, c->database_critical);
	set_value(it, lat, "s");
	set_threshold(it, threshold_of(l, c->database_warning,
	    c->database_critical));
	if (l == VT_CHECK_OK)
		say(it, "Database answered in %.1f ms", in->health_latency_ms);
	else
		say(it, "Database slow: answered in %.0f ms (%s at %.0f ms)",
		    in->health_latency_ms, vt_check_state_names[l],
		    it->threshold * 1000);
	return l;
}

/*
 * A pool that serves nobody: connections have waited pool_stall seconds
 * and no worker took one (the master's 10 Hz gauge).  Every worker is
 * then stopped, hung or busy, or none runs: critical at once, in words
 * that say which, since this is what the page shows while the pool
 * cannot serve it (the master's fallback files, see fallback.h).
 */
static enum vt_check_state
pool_stalled(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	char	who[64];
	double	t = (double)in->queue_stall_ms / 1000;

	if (in->workers == 0)
		snprintf(who, sizeof(who), "no worker running");
	else if (in->busy >= in->workers)
		snprintf(who, sizeof(who), "all %u %s busy, none accepting",
		    in->workers, plural(in->workers, "worker", "workers"));
	else
		snprintf(who, sizeof(who), "no worker accepting (%u %s "
		    "stopped or hung)", in->workers - in->busy,
		    plural(in->workers - in->busy, "worker", "workers"));
	set_value(it, t, "s");
	set_threshold(it, c->pool_stall);
	say(it, "Pool stuck: %s; %llu %s waiting for %.0f s (backlog %llu)",
	    who, (unsigned long long)in->listen_queue,
	    plural(in->listen_queue, "connection", "connections"), t,
	    (unsigned long long)in->listen_backlog);
	s->immediate |= 1u << VT_CHECK_POOL_QUEUE;
	return VT_CHECK_CRITICAL;
}

static enum vt_check_state
check_pool_queue(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	l;
	int			busy;

	if (!in->pool_known || !in->queue_known) {
		say(it, "The pool's listen queue was not read yet");
		return VT_CHECK_UNKNOWN;
	}
	busy = in->workers > 0 && in->busy >= in->workers;
	if (!busy)
		s->busy_since_ms = 0;
	else if (s->busy_since_ms == 0)
		s->busy_since_ms = in->now_ms;
	if (in->listen_queue > 0 &&
	    (double)in->queue_stall_ms >= c->pool_stall * 1000)
		return pool_stalled(s, c, in, it);
	l = level_above((double)in->listen_queue, c->pool_queue_warning,
	    c->pool_queue_critical);
	set_value(it, (double)in->listen_queue, "count");
	set_threshold(it, threshold_of(l, c->pool_queue_warning,
	    c->pool_queue_critical));
	if (l != VT_CHECK_OK) {
		say(it, "%llu %s waiting for a worker for %lld s "
		    "(backlog %llu)",
		    (unsigned long long)in->listen_queue,
		    plural(in->listen_queue, "connection", "connections"),
		    held_for(s, VT_CHECK_POOL_QUEUE, VT_CHECK_WARNING,
		    in->now_ms), (unsigned long long)in->listen_backlog);
		return l;
	}
	if (busy && in->now_ms - s->busy_since_ms >=
	    (int64_t)(c->pool_busy * 1000)) {
		say(it, "All %u workers busy for %lld s", in->workers,
		    (long long)((in->now_ms - s->busy_since_ms) / 1000));
		return VT_CHECK_WARNING;
	}
	say(it, "No connections waiting; %u of %u workers busy", in->busy,
	    in->workers);
	return VT_CHECK_OK;
}

static enum vt_check_state
check_pool_restarts(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	uint64_t		cur[3], d[3], n;
	int64_t			win = (int64_t)(c->pool_restarts_window * 1000);
	char			next[80];
	enum vt_check_state	l;

	if (!in->pool_known) {
		say(it, "The pool's counters were not read yet");
		return VT_CHECK_UNKNOWN;
	}
	cur[0] = in->crashes;
	cur[1] = in->watchdog_kills;
	cur[2] = in->crash_backoffs;
	ring_push(&s->restarts, in->now_ms, win / 100 > 100 ? win / 100 : 100,
	    cur);
	ring_delta(&s->restarts, in->now_ms - win, cur, d);
	n = d[0] + d[1];
	l = level_above((double)n, c->pool_restarts_warning,
	    c->pool_restarts_critical);
	if (d[2] > 0 || in->backoff_ms > 0) {
		/* A crash loop: the back-off is its proof, no hold. */
		l = VT_CHECK_CRITICAL;
		s->immediate |= 1u << VT_CHECK_POOL_RESTARTS;
	}
	set_value(it, (double)n, "count");
	set_threshold(it, threshold_of(l, c->pool_restarts_warning,
	    c->pool_restarts_critical));
	if (in->backoff_ms > 0)
		snprintf(next, sizeof(next), "; crash loop back-off: workers "
		    "start again in %.1f s", (double)in->backoff_ms / 1000);
	else if (d[2] > 0)
		snprintf(next, sizeof(next), "; crash loop back-off");
	else
		next[0] = '\0';
	if (n == 0 && next[0] == '\0')
		say(it, "No unplanned worker restarts in %.0f s",
		    c->pool_restarts_window);
	else
		say(it, "Workers restarted %llu %s in %.0f s (%llu %s, %llu "
		    "watchdog %s)%s", (unsigned long long)n,
		    plural(n, "time", "times"), c->pool_restarts_window,
		    (unsigned long long)d[0], plural(d[0], "crash", "crashes"),
		    (unsigned long long)d[1], plural(d[1], "kill", "kills"),
		    next);
	return l;
}

/* "127.0.0.1:8080", "[::1]:8080", or a Unix socket's path. */
static void
listener_name(const struct vt_check_listener *l, char *dst, size_t len)
{
	if (l->family == AF_UNIX)
		snprintf(dst, len, "%s", l->address);
	else if (l->family == AF_INET6)
		snprintf(dst, len, "[%s]:%u", l->address, (unsigned)l->port);
	else
		snprintf(dst, len, "%s:%u", l->address, (unsigned)l->port);
}

/* " (python3 pid 4242)", or nothing when the owner is not known. */
static void
owner_name(int32_t pid, const char *comm, char *dst, size_t len)
{
	if (pid > 0)
		snprintf(dst, len, " (%s pid %ld)", comm[0] != '\0' ? comm :
		    "?", (long)pid);
	else
		dst[0] = '\0';
}

static enum vt_check_state
check_listeners(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	const struct vt_check_listener *top = NULL;
	char			name[VT_LISTENER_ADDRLEN + 16], who[64];
	double			fill, best = -1;
	enum vt_check_state	l;
	size_t			i;

	(void)s;
	if (!in->listeners_known) {
		say(it, "Listening sockets not collected yet");
		return VT_CHECK_UNKNOWN;
	}
	for (i = 0; i < in->nlisteners && i < VT_CHECK_MAX_LISTENERS; i++) {
		const struct vt_check_listener *x = &in->listener[i];

		fill = x->backlog > 0 ? 100.0 * x->queue / x->backlog : 0;
		if (fill > best) {
			best = fill;
			top = x;
		}
	}
	if (top == NULL || top->queue == 0) {
		set_value(it, 0, "percent");
		set_threshold(it, c->listeners_warning);
		say(it, "%zu %s, none with connections waiting",
		    in->listeners_total, plural(in->listeners_total, "listener",
		    "listeners"));
		return VT_CHECK_OK;
	}
	l = level_above(best, c->listeners_warning, c->listeners_critical);
	set_value(it, best, "percent");
	set_threshold(it, threshold_of(l, c->listeners_warning,
	    c->listeners_critical));
	listener_name(top, name, sizeof(name));
	owner_name(top->pid, top->comm, who, sizeof(who));
	if (top->queue >= top->backlog)
		say(it, "Listener %s%s queue %u of %u (full)", name, who,
		    top->queue, top->backlog);
	else
		say(it, "Listener %s%s queue %u of %u (%.0f%%)", name, who,
		    top->queue, top->backlog, best);
	return l;
}

static enum vt_check_state
check_listen_overflows(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	l;
	double			v;

	(void)s;
	if (!in->netstat_known) {
		say(it, "Listen overflow counters not read yet");
		return VT_CHECK_UNKNOWN;
	}
	v = in->overflows_per_s > in->drops_per_s ? in->overflows_per_s :
	    in->drops_per_s;
	l = level_above(v, c->listen_overflows_warning,
	    c->listen_overflows_critical);
	set_value(it, v, "per_s");
	set_threshold(it, threshold_of(l, c->listen_overflows_warning,
	    c->listen_overflows_critical));
	if (l == VT_CHECK_OK)
		say(it, "No listen queue overflows");
	else
		say(it, "Listen queue overflows %.1f/s, drops %.1f/s: a "
		    "listener's backlog is full", in->overflows_per_s,
		    in->drops_per_s);
	return l;
}

static enum vt_check_state
check_close_wait(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	char			who[96] = "", rising[48] = "";
	enum vt_check_state	l;
	uint64_t		cw = in->close_wait;
	size_t			k, up = 0;

	if (!in->tcp_known) {
		say(it, "TCP socket states not read yet");
		return VT_CHECK_UNKNOWN;
	}
	if (s->cw_n == 0 || in->now_ms - s->cw_last_ms >= CHECKS_CW_STEP_MS ||
	    in->now_ms < s->cw_last_ms) {
		if (s->cw_n == VT_CHECK_CW_MINUTES) {
			memmove(s->cw, s->cw + 1,
			    sizeof(s->cw[0]) * (s->cw_n - 1));
			s->cw_n--;
		}
		s->cw[s->cw_n++] = cw;
		s->cw_last_ms = in->now_ms;
	}
	/* Minutes of steady growth, up to this sample. */
	if (cw >= s->cw[s->cw_n - 1])
		for (k = s->cw_n - 1; k > 0 && s->cw[k] > s->cw[k - 1]; k--)
			up++;
	l = level_above((double)cw, c->close_wait_warning,
	    c->close_wait_critical);
	set_value(it, (double)cw, "count");
	set_threshold(it, threshold_of(l, c->close_wait_warning,
	    c->close_wait_critical));
	if (up > 0 && (double)cw >= c->close_wait_growth_min) {
		snprintf(rising, sizeof(rising), " and rising for %zu min", up);
		if ((double)up >= c->close_wait_growth && l == VT_CHECK_OK) {
			l = VT_CHECK_WARNING;
			set_threshold(it, c->close_wait_growth);
			it->value = (double)cw;
		}
	}
	if (in->holders_known && in->holder_pid > 0 && cw > 0)
		snprintf(who, sizeof(who), "; most held by %s pid %ld",
		    in->holder_comm[0] != '\0' ? in->holder_comm : "?",
		    (long)in->holder_pid);
	say(it, "CLOSE_WAIT %llu%s%s", (unsigned long long)cw, rising, who);
	return l;
}

/* The trend entry of a mount, found or taken; NULL when all are taken. */
static struct vt_check_fs_trend *
fs_trend(struct vt_checks *s, uint64_t key, int64_t now)
{
	struct vt_check_fs_trend	*free_one = NULL;
	size_t				 i;

	for (i = 0; i < VT_MAX_MOUNTS; i++) {
		struct vt_check_fs_trend *t = &s->fs[i];

		if (t->key == key)
			return t;
		if (t->key != 0 && now - t->seen_ms > CHECKS_FS_FORGET_MS)
			memset(t, 0, sizeof(*t));
		if (t->key == 0 && free_one == NULL)
			free_one = t;
	}
	if (free_one != NULL)
		free_one->key = key;
	return free_one;
}

/*
 * Hours until avail reaches 0 at the rate of a least-squares line through
 * the kept points and the current one, as predict_linear() does; -1 when
 * it is not falling or there is too little history (3 points over 10 min).
 */
static double
fs_hours_left(const struct vt_check_fs_trend *t, int64_t now, double avail)
{
	double	mt = 0, mv = 0, sxy = 0, sxx = 0, x, slope;
	size_t	k, idx, n = t->n + 1;
	int64_t	first;

	if (t->n < 2)
		return -1;
	first = t->t[(t->head + VT_CHECK_FS_POINTS - t->n) %
	    VT_CHECK_FS_POINTS];
	if (now - first < 10 * 60 * 1000)
		return -1;
	for (k = 0; k < n; k++) {
		idx = (t->head + VT_CHECK_FS_POINTS - t->n + k) %
		    VT_CHECK_FS_POINTS;
		mt += k < t->n ? (double)(t->t[idx] - now) / 3.6e6 : 0;
		mv += k < t->n ? t->avail[idx] : avail;
	}
	mt /= (double)n;
	mv /= (double)n;
	for (k = 0; k < n; k++) {
		idx = (t->head + VT_CHECK_FS_POINTS - t->n + k) %
		    VT_CHECK_FS_POINTS;
		x = (k < t->n ? (double)(t->t[idx] - now) / 3.6e6 : 0) - mt;
		sxy += x * ((k < t->n ? t->avail[idx] : avail) - mv);
		sxx += x * x;
	}
	if (sxx <= 0)
		return -1;
	slope = sxy / sxx;	/* bytes per hour */
	if (slope >= 0)
		return -1;
	/* The line's value now, then the hours to reach zero. */
	return (mv + slope * (0 - mt)) / -slope;
}

static void
fs_remember(struct vt_check_fs_trend *t, int64_t now, double avail)
{
	size_t	last = (t->head + VT_CHECK_FS_POINTS - 1) % VT_CHECK_FS_POINTS;

	t->seen_ms = now;
	if (t->n > 0 && now - t->t[last] < CHECKS_FS_STEP_MS &&
	    now >= t->t[last])
		return;
	t->t[t->head] = now;
	t->avail[t->head] = avail;
	t->head = (t->head + 1) % VT_CHECK_FS_POINTS;
	if (t->n < VT_CHECK_FS_POINTS)
		t->n++;
}

static enum vt_check_state
check_filesystem(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	best_l = VT_CHECK_OK, l;
	double			best_v = -1, pct, ipct, hours;
	size_t			i, best = 0;
	int			why = 0, best_why = 0;	/* 1 inodes, 2 trend */
	double			best_hours = -1;

	if (!in->fs_known || in->nfs == 0) {
		say(it, "No filesystem sizes yet");
		return VT_CHECK_UNKNOWN;
	}
	for (i = 0; i < in->nfs; i++) {
		const struct vt_check_fs	*f = &in->fs[i];
		struct vt_check_fs_trend	*t;

		pct = f->used + f->avail > 0 ? 100.0 * (double)f->used /
		    (double)(f->used + f->avail) : 0;
		ipct = f->files > 0 ? 100.0 * (double)(f->files -
		    f->files_free) / (double)f->files : 0;
		why = ipct > pct ? 1 : 0;
		l = level_above(why ? ipct : pct, c->filesystem_warning,
		    c->filesystem_critical);
		hours = -1;
		if ((t = fs_trend(s, f->key, in->now_ms)) != NULL) {
			hours = fs_hours_left(t, in->now_ms, (double)f->avail);
			fs_remember(t, in->now_ms, (double)f->avail);
		}
		if (l == VT_CHECK_OK && hours >= 0 &&
		    hours <= c->filesystem_predict_hours &&
		    pct >= c->filesystem_predict_used) {
			l = VT_CHECK_WARNING;
			why = 2;
		}
		if (l > best_l || (l == best_l && (why == 1 ? ipct : pct) >
		    best_v)) {
			best_l = l;
			best_v = why == 1 ? ipct : pct;
			best = i;
			best_why = why;
			best_hours = hours;
		}
	}
	set_value(it, best_v, "percent");
	set_threshold(it, threshold_of(best_l, c->filesystem_warning,
	    c->filesystem_critical));
	if (best_l == VT_CHECK_OK)
		say(it, "Fullest filesystem %s %.1f%% used",
		    in->fs[best].mountpoint, best_v);
	else if (best_why == 2)
		say(it, "%s %.1f%% full, predicted full in %.1f h at the "
		    "recent rate", in->fs[best].mountpoint, best_v, best_hours);
	else
		say(it, "%s %s%.1f%% %s (%s at %.0f%%)",
		    in->fs[best].mountpoint, best_why == 1 ? "inodes " : "",
		    best_v, best_why == 1 ? "used" : "full",
		    vt_check_state_names[best_l], it->threshold);
	return best_l;
}

static enum vt_check_state
check_memory(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	l, lp = VT_CHECK_OK;
	int64_t			win = (int64_t)(c->memory_oom_window * 1000);
	uint64_t		cur[3] = { 0, 0, 0 }, d[3] = { 0, 0, 0 };

	if (!in->mem_known) {
		say(it, "Memory figures not read yet");
		return VT_CHECK_UNKNOWN;
	}
	if (in->oom_known) {
		cur[0] = in->oom_kills;
		ring_push(&s->oom, in->now_ms, win / 100 > 100 ? win / 100 :
		    100, cur);
		ring_delta(&s->oom, in->now_ms - win, cur, d);
	}
	l = level_below(in->mem_available_percent, c->memory_warning,
	    c->memory_critical);
	set_value(it, in->mem_available_percent, "percent");
	set_threshold(it, threshold_of(l, c->memory_warning,
	    c->memory_critical));
	if (in->psi_memory_known) {
		if (in->psi_memory_full >= c->memory_pressure_critical)
			lp = VT_CHECK_CRITICAL;
		else if (in->psi_memory_some >= c->memory_pressure_warning)
			lp = VT_CHECK_WARNING;
	}
	if (l != VT_CHECK_OK && l >= lp) {
		say(it, "Memory available %.1f%% (%s under %.0f%%)",
		    in->mem_available_percent, vt_check_state_names[l],
		    it->threshold);
		return l;
	}
	if (lp != VT_CHECK_OK) {
		set_value(it, lp == VT_CHECK_CRITICAL ? in->psi_memory_full :
		    in->psi_memory_some, "percent");
		set_threshold(it, lp == VT_CHECK_CRITICAL ?
		    c->memory_pressure_critical : c->memory_pressure_warning);
		say(it, "Memory pressure: tasks stalled %.1f%% of the last "
		    "10 s (%s)", it->value, lp == VT_CHECK_CRITICAL ?
		    "all of them" : "some");
		return lp;
	}
	if (d[0] > 0) {
		set_value(it, (double)d[0], "count");
		set_threshold(it, 1);
		say(it, "OOM killer ran %llu %s in the last %.0f min; memory "
		    "available %.1f%%", (unsigned long long)d[0],
		    plural(d[0], "time", "times"), c->memory_oom_window / 60,
		    in->mem_available_percent);
		return VT_CHECK_WARNING;
	}
	say(it, "Memory available %.1f%%", in->mem_available_percent);
	return VT_CHECK_OK;
}

static enum vt_check_state
check_cpu(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	l;
	double			load = 0;

	(void)s;
	if (in->load_known && in->ncpu > 0)
		load = in->load1 / in->ncpu;
	if (in->psi_cpu_known) {
		l = level_above(in->psi_cpu_some, c->cpu_warning,
		    c->cpu_critical);
		set_value(it, in->psi_cpu_some, "percent");
		set_threshold(it, threshold_of(l, c->cpu_warning,
		    c->cpu_critical));
		if (l != VT_CHECK_OK) {
			say(it, "CPU saturated: tasks waited for a CPU %.0f%% "
			    "of the last 10 s (load %.2f per CPU)",
			    in->psi_cpu_some, load);
			return l;
		}
	} else if (in->load_known && in->ncpu > 0) {
		l = level_above(load, c->cpu_load_warning,
		    c->cpu_load_critical);
		set_value(it, load, "");
		set_threshold(it, threshold_of(l, c->cpu_load_warning,
		    c->cpu_load_critical));
		if (l != VT_CHECK_OK) {
			say(it, "CPU saturated: load %.2f per CPU (%s at %.1f)",
			    load, vt_check_state_names[l], it->threshold);
			return l;
		}
	} else {
		say(it, "CPU pressure and load not read yet");
		return VT_CHECK_UNKNOWN;
	}
	if (in->iowait_known && in->iowait_percent >= c->cpu_iowait_warning) {
		set_value(it, in->iowait_percent, "percent");
		set_threshold(it, c->cpu_iowait_warning);
		say(it, "CPUs waiting on I/O %.0f%% of the time (warning at "
		    "%.0f%%)", in->iowait_percent, c->cpu_iowait_warning);
		return VT_CHECK_WARNING;
	}
	if (in->psi_cpu_known)
		say(it, "CPU pressure %.0f%%, load %.2f per CPU",
		    in->psi_cpu_some, load);
	else
		say(it, "Load %.2f per CPU", load);
	return VT_CHECK_OK;
}

static enum vt_check_state
check_file_descriptors(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	enum vt_check_state	l;
	double			pct;

	(void)s;
	if (!in->filenr_known || in->files_max == 0) {
		say(it, "Open file counts not read yet");
		return VT_CHECK_UNKNOWN;
	}
	pct = 100.0 * (double)in->files_allocated / (double)in->files_max;
	l = level_above(pct, c->file_descriptors_warning,
	    c->file_descriptors_critical);
	set_value(it, pct, "percent");
	set_threshold(it, threshold_of(l, c->file_descriptors_warning,
	    c->file_descriptors_critical));
	if (l == VT_CHECK_OK)
		say(it, "Open files %llu of %llu",
		    (unsigned long long)in->files_allocated,
		    (unsigned long long)in->files_max);
	else
		say(it, "Open files %.0f%% of fs.file-max (%llu of %llu)", pct,
		    (unsigned long long)in->files_allocated,
		    (unsigned long long)in->files_max);
	return l;
}

static enum vt_check_state
check_sampler(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in, struct vt_check_item *it)
{
	(void)s;
	set_value(it, in->sampler_lateness_s, "s");
	set_threshold(it, c->sampler_warning);
	if (in->sampler_lateness_s >= 0.05)
		say(it, "Sampled %.2f s late", in->sampler_lateness_s);
	else
		say(it, "Sampling on time");
	return VT_CHECK_OK;
}

void
vt_checks_sampler(const struct vt_checks_conf *c, int64_t age_ms,
    int64_t now_ms, struct vt_check_item *it)
{
	double	age = (double)age_ms / 1000;

	memset(it, 0, sizeof(*it));
	it->state = level_above(age, c->sampler_warning, c->sampler_critical);
	it->since_ms = now_ms - age_ms;
	set_value(it, age, "s");
	set_threshold(it, threshold_of(it->state, c->sampler_warning,
	    c->sampler_critical));
	if (it->state == VT_CHECK_OK)
		say(it, "Last sample %.1f s old", age);
	else
		say(it, "Sampler stalled: last sample %.0f s old", age);
}

/* Move check i toward its raw level under the hold and clear times. */
static void
checks_step(struct vt_checks *s, const struct vt_checks_conf *c, int i,
    enum vt_check_state raw, int64_t now)
{
	struct vt_check_track  *tr = &s->track[i];
	struct vt_check_item   *it = &s->item[i];
	enum vt_check_state	cur = it->state, next = cur, held = VT_CHECK_OK;
	int64_t			hold = (s->immediate & (1u << i)) ? 0 :
				    (int64_t)(c->hold_s * 1000);
	int64_t			clear = (int64_t)(c->clear_s * 1000);
	int			l;

	if (raw == VT_CHECK_UNKNOWN) {
		memset(tr->level_since, 0, sizeof(tr->level_since));
		tr->below_since = 0;
		next = VT_CHECK_UNKNOWN;
	} else {
		for (l = VT_CHECK_WARNING; l <= VT_CHECK_CRITICAL; l++)
			if ((int)raw < l)
				tr->level_since[l] = 0;
			else if (tr->level_since[l] == 0)
				tr->level_since[l] = now;
		for (l = VT_CHECK_WARNING; l <= VT_CHECK_CRITICAL; l++)
			if (tr->level_since[l] != 0 &&
			    now - tr->level_since[l] >= hold)
				held = (enum vt_check_state)l;
		if (cur == VT_CHECK_UNKNOWN) {
			/* Out of unknown once the level has held. */
			if (held == raw)
				next = held;
			tr->below_since = 0;
		} else if (held > cur) {
			next = held;
			tr->below_since = 0;
		} else if (raw < cur) {
			if (tr->below_since == 0)
				tr->below_since = now;
			if (now - tr->below_since >= clear)
				next = held;
		} else
			tr->below_since = 0;
	}
	if (next == cur)
		return;
	tr->below_since = 0;
	it->state = next;
	it->since_ms = now;
	/* A check's first known state is news only when it is a problem. */
	if (!tr->settled) {
		tr->settled = next != VT_CHECK_UNKNOWN;
		if (next == VT_CHECK_OK || next == VT_CHECK_UNKNOWN)
			return;
	}
	s->transitions[i][next]++;
	s->changed |= 1u << i;
	s->from[i] = cur;
}

typedef enum vt_check_state (*checks_fn)(struct vt_checks *,
    const struct vt_checks_conf *, const struct vt_checks_input *,
    struct vt_check_item *);

static const checks_fn checks_fns[VT_CHECK_N] = {
	check_database, check_pool_queue, check_pool_restarts,
	check_listeners, check_listen_overflows, check_close_wait,
	check_filesystem, check_memory, check_cpu, check_file_descriptors,
	check_sampler,
};

/* The verdict, and the headline: the problems, worst first. */
static void
checks_verdict(struct vt_checks *s)
{
	size_t	n = 0;
	int	i, known = 0, l;

	s->verdict = VT_CHECK_OK;
	s->headline[0] = '\0';
	for (i = 0; i < VT_CHECK_N; i++) {
		if (s->item[i].state == VT_CHECK_UNKNOWN)
			continue;
		known++;
		s->verdict = worst(s->verdict, s->item[i].state);
	}
	if (known == 0) {
		s->verdict = VT_CHECK_UNKNOWN;
		snprintf(s->headline, sizeof(s->headline),
		    "Nothing to judge yet");
		return;
	}
	for (l = VT_CHECK_CRITICAL; l >= VT_CHECK_WARNING; l--)
		for (i = 0; i < VT_CHECK_N; i++)
			if ((int)s->item[i].state == l &&
			    n < sizeof(s->headline))
				n += (size_t)snprintf(s->headline + n,
				    sizeof(s->headline) - n, "%s%s",
				    n > 0 ? "; " : "", s->item[i].summary);
	if (n == 0)
		snprintf(s->headline, sizeof(s->headline), "Healthy");
}

void
vt_checks_eval(struct vt_checks *s, const struct vt_checks_conf *c,
    const struct vt_checks_input *in)
{
	enum vt_check_state	raw;
	struct vt_check_item	it;
	int			i;

	s->changed = 0;
	s->immediate = 0;
	for (i = 0; i < VT_CHECK_N; i++) {
		memset(&it, 0, sizeof(it));
		it.unit = "";
		raw = checks_fns[i](s, c, in, &it);
		it.state = s->item[i].state;
		it.since_ms = s->item[i].since_ms != 0 ? s->item[i].since_ms :
		    in->now_ms;
		s->item[i] = it;
		checks_step(s, c, i, raw, in->now_ms);
	}
	s->started = 1;
	s->evaluated_ms = in->now_ms;
	checks_verdict(s);
}

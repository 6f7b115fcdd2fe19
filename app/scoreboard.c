/*
 * scoreboard.c: the shared mapping of scoreboard.h: its creation, its
 * adoption or migration after an upgrade, slots, counters and limits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "scoreboard.h"

const double vt_hist_bounds[VT_HIST_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 5
};

/* How a counter crosses an upgrade. */
enum ctr_keep {
	CTR_SUM,	/* a count: the new pool goes on from it */
	CTR_MAX,	/* a high-water mark: kept */
	CTR_GAUGE	/* a level of the old pool; the new one has its own */
};

/* The counters by name; "by_class" with n = 6 is by_class.0 … by_class.5. */
static const struct ctr_def {
	const char     *name;
	size_t		off;
	int		n;
	enum ctr_keep	keep;
} ctr_defs[] = {
#define CTR(f, n, k)	{ #f, offsetof(struct vt_counters, f), n, k }
	CTR(accepted, 1, CTR_SUM),
	CTR(by_class, 6, CTR_SUM),
	CTR(restarts, VT_RESTART_MAX, CTR_SUM),
	CTR(slow_requests, 1, CTR_SUM),
	CTR(accept_errors, 1, CTR_SUM),
	CTR(bad_requests, 1, CTR_SUM),
	CTR(busy, 1, CTR_GAUGE),
	CTR(max_busy, 1, CTR_MAX),
	CTR(all_busy, 1, CTR_SUM),
	CTR(listen_queue, 1, CTR_GAUGE),
	CTR(listen_queue_max, 1, CTR_MAX),
	CTR(listen_backlog, 1, CTR_GAUGE),
	CTR(crash_backoffs, 1, CTR_SUM),
	CTR(listen_queue_errors, 1, CTR_SUM),
	CTR(log_dropped, 1, CTR_SUM),
	CTR(log_suppressed, 1, CTR_SUM),
	CTR(queue_stall_ms, 1, CTR_GAUGE),
	CTR(backoff_ms, 1, CTR_GAUGE),
#undef CTR
};

#define CTR_ROWS	(1 + 6 + VT_RESTART_MAX + 15)
_Static_assert(CTR_ROWS == VT_COUNTERS_N,
    "every field of struct vt_counters needs a row in ctr_defs");

/* The name of counter index i (a uint64 of struct vt_counters). */
static int
ctr_name(size_t i, char *buf, size_t len, enum ctr_keep *keep)
{
	size_t	k, idx;

	for (k = 0; k < VT_ARRAY_LEN(ctr_defs); k++) {
		idx = ctr_defs[k].off / sizeof(uint64_t);
		if (i < idx || i >= idx + (size_t)ctr_defs[k].n)
			continue;
		if (ctr_defs[k].n == 1)
			snprintf(buf, len, "%s", ctr_defs[k].name);
		else
			snprintf(buf, len, "%s.%zu", ctr_defs[k].name, i - idx);
		*keep = ctr_defs[k].keep;
		return VT_OK;
	}
	return VT_ERR;
}

static void
desc_add(struct vt_shm *shm, uint32_t id, const void *at, size_t elem,
    size_t count)
{
	struct vt_shm_part	*p = &shm->desc.part[shm->desc.nparts++];

	p->id = id;
	p->elem_size = (uint32_t)elem;
	p->offset = (uint64_t)((const char *)at - (const char *)shm);
	p->count = count;
}

void
vt_shm_describe(struct vt_shm *shm)
{
	enum ctr_keep	keep;
	size_t		i;

	memset(&shm->desc, 0, sizeof(shm->desc));
	shm->desc.part_size = sizeof(struct vt_shm_part);
	desc_add(shm, VT_PART_POOL_START, &shm->pool_start_ms,
	    sizeof(int64_t), 2);
	desc_add(shm, VT_PART_GENERATION, &shm->generation,
	    sizeof(uint32_t), 1);
	desc_add(shm, VT_PART_COUNTERS, &shm->c, sizeof(uint64_t),
	    VT_COUNTERS_N);
	desc_add(shm, VT_PART_COUNTER_NAMES, shm->counter_names,
	    VT_SHM_NAME_LEN, VT_COUNTERS_N);
	desc_add(shm, VT_PART_ROUTES, shm->routes,
	    sizeof(struct vt_route_stats), VT_ROUTE_MAX);
	desc_add(shm, VT_PART_RING_HEAD, &shm->ring.head, sizeof(uint64_t), 1);
	desc_add(shm, VT_PART_RING_POINTS, shm->ring.p,
	    sizeof(struct vt_point), VT_RING_CAP);
	for (i = 0; i < VT_COUNTERS_N; i++)
		if (ctr_name(i, shm->counter_names[i], VT_SHM_NAME_LEN,
		    &keep) == VT_ERR)
			shm->counter_names[i][0] = '\0';
}

/* Part id of old, checked to lie inside it; NULL when absent or bad. */
static const struct vt_shm_part *
old_part(const char *old, size_t oldsize, uint32_t id, void *copy)
{
	const struct vt_shm	*h = (const void *)old;
	struct vt_shm_part	 p;
	uint32_t		 i, n = h->desc.nparts;
	size_t			 at, stride = h->desc.part_size;

	if (stride < sizeof(p))
		return NULL;
	at = offsetof(struct vt_shm, desc.part);
	for (i = 0; i < n; i++, at += stride) {
		if (at > oldsize || oldsize - at < sizeof(p))
			return NULL;
		memcpy(&p, old + at, sizeof(p));
		if (p.id != id)
			continue;
		if (p.elem_size == 0 || p.offset > oldsize ||
		    p.count > (oldsize - p.offset) / p.elem_size)
			return NULL;
		memcpy(copy, &p, sizeof(p));
		return copy;
	}
	return NULL;
}

static uint64_t
old_u64(const char *at)
{
	return __atomic_load_n((const uint64_t *)(const void *)at,
	    __ATOMIC_RELAXED);
}

/* The counters, matched by name.  Returns how many were kept. */
static size_t
migrate_counters(struct vt_shm *dst, const char *old, size_t oldsize,
    size_t *known)
{
	struct vt_shm_part	 pc, pn;
	char			 name[VT_SHM_NAME_LEN], mine[VT_SHM_NAME_LEN];
	enum ctr_keep		 keep;
	uint64_t		*to = (uint64_t *)(void *)&dst->c;
	size_t			 i, j, kept = 0;

	*known = 0;
	if (old_part(old, oldsize, VT_PART_COUNTERS, &pc) == NULL ||
	    old_part(old, oldsize, VT_PART_COUNTER_NAMES, &pn) == NULL ||
	    pc.elem_size != sizeof(uint64_t) || pn.count < pc.count)
		return 0;
	*known = pc.count;
	for (i = 0; i < pc.count; i++) {
		memset(name, 0, sizeof(name));
		memcpy(name, old + pn.offset + i * pn.elem_size,
		    pn.elem_size < sizeof(name) - 1 ? pn.elem_size :
		    sizeof(name) - 1);
		for (j = 0; j < VT_COUNTERS_N; j++)
			if (ctr_name(j, mine, sizeof(mine), &keep) == VT_OK &&
			    strcmp(mine, name) == 0)
				break;
		if (j == VT_COUNTERS_N || keep == CTR_GAUGE)
			continue;
		if (keep == CTR_MAX)
			vt_count_max(&to[j], old_u64(old + pc.offset + i * 8));
		else
			vt_count(&to[j], old_u64(old + pc.offset + i * 8));
		kept++;
	}
	return kept;
}

/* Per-route counts and histograms, by route id.  Returns routes kept. */
static size_t
migrate_routes(struct vt_shm *dst, const char *old, size_t oldsize)
{
	struct vt_shm_part	p;
	size_t			i, n, len;

	if (old_part(old, oldsize, VT_PART_ROUTES, &p) == NULL)
		return 0;
	n = p.count < VT_ROUTE_MAX ? (size_t)p.count : VT_ROUTE_MAX;
	len = p.elem_size < sizeof(dst->routes[0]) ? p.elem_size :
	    sizeof(dst->routes[0]);
	for (i = 0; i < n; i++)
		memcpy(&dst->routes[i], old + p.offset + i * p.elem_size, len);
	return n;
}

/*
 * The sample ring: the newest points, each its common prefix with this
 * struct vt_point.  Head goes on from the old one when the copy fills the
 * window a reader sees; otherwise the points are renumbered from 0, since
 * a reader takes every position in [head - VT_RING_LEN, head) as written.
 * The old master may still push one: copy, then check that it did not lap
 * the window (the ring keeps VT_RING_SLACK spare points).
 */
static size_t
migrate_ring(struct vt_shm *dst, const char *old, size_t oldsize)
{
	struct vt_shm_part	ph, pp;
	struct vt_ring	       *r = &dst->ring;
	uint64_t		h, h2, i, n, head;
	size_t			len;
	int			tries;

	if (old_part(old, oldsize, VT_PART_RING_HEAD, &ph) == NULL ||
	    old_part(old, oldsize, VT_PART_RING_POINTS, &pp) == NULL ||
	    ph.elem_size != sizeof(uint64_t) || ph.count < 1 ||
	    pp.count <= VT_RING_SLACK || pp.elem_size < sizeof(int64_t))
		return 0;
	len = pp.elem_size < sizeof(r->p[0]) ? pp.elem_size : sizeof(r->p[0]);
	for (tries = 0; tries < 100; tries++) {
		h = __atomic_load_n((const uint64_t *)(const void *)
		    (old + ph.offset), __ATOMIC_ACQUIRE);
		n = pp.count - VT_RING_SLACK;
		if (n > VT_RING_LEN)
			n = VT_RING_LEN;
		if (n > h)
			n = h;
		head = n == h || n == VT_RING_LEN ? h : n;
		memset(r->p, 0, sizeof(r->p));
		for (i = 0; i < n; i++)
			memcpy(&r->p[(head - n + i) % VT_RING_CAP],
			    old + pp.offset + ((h - n + i) % pp.count) *
			    pp.elem_size, len);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		h2 = __atomic_load_n((const uint64_t *)(const void *)
		    (old + ph.offset), __ATOMIC_ACQUIRE);
		if (h2 - h < VT_RING_SLACK) {
			__atomic_store_n(&r->head, head, __ATOMIC_RELEASE);
			return (size_t)n;
		}
	}
	return 0;
}

int
vt_shm_migrate(struct vt_shm *dst, const void *oldp, size_t oldsize,
    char *note, size_t notelen)
{
	const char		*old = oldp;
	const struct vt_shm	*h = oldp;
	struct vt_shm_part	 p;
	size_t			 ctrs, known, routes, points;
	int			 pool = 0;

	if (oldsize < offsetof(struct vt_shm, desc) ||
	    h->magic != VT_SHM_MAGIC) {
		snprintf(note, notelen, "kept=none not_kept=all "
		    "reason=\"not a scoreboard\"");
		return VT_ERR;
	}
	if (h->version < VT_SHM_DESC_SINCE ||
	    oldsize < offsetof(struct vt_shm, desc.part)) {
		snprintf(note, notelen, "from_version=%u to_version=%d "
		    "kept=none not_kept=\"history, counters, route counts, "
		    "pool start\" reason=\"version %u does not describe its "
		    "layout\"", h->version, VT_SHM_VERSION, h->version);
		return VT_ERR;
	}
	if (old_part(old, oldsize, VT_PART_POOL_START, &p) != NULL &&
	    p.elem_size == sizeof(int64_t) && p.count >= 2) {
		memcpy(&dst->pool_start_ms, old + p.offset, sizeof(int64_t));
		memcpy(&dst->pool_start_mono_ms, old + p.offset + 8,
		    sizeof(int64_t));
		pool = 1;
	}
	if (old_part(old, oldsize, VT_PART_GENERATION, &p) != NULL &&
	    p.elem_size == sizeof(uint32_t))
		memcpy(&dst->generation, old + p.offset, sizeof(uint32_t));
	ctrs = migrate_counters(dst, old, oldsize, &known);
	routes = migrate_routes(dst, old, oldsize);
	points = migrate_ring(dst, old, oldsize);
	snprintf(note, notelen, "from_version=%u to_version=%d "
	    "kept=\"pool start: %s, counters: %zu of %zu, routes: %zu, "
	    "history points: %zu\" not_kept=\"gauges (busy, listen queue), "
	    "worker slots, health, recorder figures, published documents\"",
	    h->version, VT_SHM_VERSION, pool ? "yes" : "no", ctrs, known,
	    routes, points);
	return pool || ctrs > 0 || routes > 0 || points > 0 ? VT_OK : VT_ERR;
}

static struct vt_shm *
shm_adopt(int fd)
{
	struct stat	st;
	struct vt_shm  *shm;

	if (fstat(fd, &st) == -1 || (size_t)st.st_size != sizeof(*shm))
		return NULL;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (shm == MAP_FAILED)
		return NULL;
	if (shm->magic != VT_SHM_MAGIC || shm->version != VT_SHM_VERSION ||
	    shm->size != sizeof(*shm)) {
		munmap(shm, sizeof(*shm));
		return NULL;
	}
	return shm;
}

/*
 * A test build can play another layout: VITALS_TEST_SHM_PAD adds bytes
 * past it, VITALS_TEST_SHM_VERSION labels it with another version.  Read
 * once and forgotten: the master an upgrade starts has the plain layout.
 */
static void
shm_test_layout(size_t *pad, uint32_t *version)
{
#ifdef VT_TEST_HOOKS
	const char     *e;

	if ((e = getenv("VITALS_TEST_SHM_PAD")) != NULL) {
		*pad = (size_t)strtoul(e, NULL, 10);
		if (*pad > (1u << 24))
			*pad = 1u << 24;
	}
	if ((e = getenv("VITALS_TEST_SHM_VERSION")) != NULL)
		*version = (uint32_t)strtoul(e, NULL, 10);
	unsetenv("VITALS_TEST_SHM_PAD");
	unsetenv("VITALS_TEST_SHM_VERSION");
#else
	(void)pad;
	(void)version;
#endif
}

/*
 * Migrate from the mapping behind fd, of another layout, into shm.
 * Returns 0 when something was kept.
 */
static int
shm_migrate_fd(struct vt_shm *shm, int fd, char *note, size_t notelen)
{
	struct stat	st;
	void	       *old;
	int		rc;

	if (fstat(fd, &st) == -1 || st.st_size <= 0) {
		snprintf(note, notelen, "kept=none not_kept=all "
		    "reason=\"the inherited scoreboard cannot be read\"");
		return VT_ERR;
	}
	old = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (old == MAP_FAILED) {
		snprintf(note, notelen, "kept=none not_kept=all "
		    "reason=\"mmap: %s\"", strerror(errno));
		return VT_ERR;
	}
	rc = vt_shm_migrate(shm, old, (size_t)st.st_size, note, notelen);
	munmap(old, (size_t)st.st_size);
	return rc;
}

struct vt_shm *
vt_shm_take(int inherit_fd, int *fdp, int *kept, char *note, size_t notelen,
    char *err, size_t errlen)
{
	struct vt_shm  *shm;
	size_t		size, pad = 0;
	uint32_t	version = VT_SHM_VERSION;
	int		fd;

	*kept = 0;
	if (notelen > 0)
		note[0] = '\0';
	shm_test_layout(&pad, &version);
	/* A number that names nothing must not become our new memfd's. */
	if (inherit_fd >= 0 && fcntl(inherit_fd, F_GETFD) == -1) {
		snprintf(note, notelen, "kept=none not_kept=all reason=\"no "
		    "scoreboard behind fd %d\"", inherit_fd);
		inherit_fd = -1;
	}
	if (inherit_fd >= 0 && (shm = shm_adopt(inherit_fd)) != NULL) {
		*kept = 1;
		(void)fcntl(inherit_fd, F_SETFD, FD_CLOEXEC);
		*fdp = inherit_fd;
		return shm;
	}
	size = sizeof(*shm) + pad;
	if ((fd = memfd_create("vitals-scoreboard", MFD_CLOEXEC)) == -1) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		goto fail;
	}
	if (ftruncate(fd, (off_t)size) == -1) {
		snprintf(err, errlen, "ftruncate scoreboard: %s",
		    strerror(errno));
		goto fail;
	}
	shm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED) {
		snprintf(err, errlen, "mmap scoreboard: %s", strerror(errno));
		goto fail;
	}
	/* A new memfd reads as zeros: every slot is empty, every count 0. */
	shm->magic = VT_SHM_MAGIC;
	shm->version = version;
	shm->size = size;
	vt_shm_describe(shm);
	shm->pool_start_ms = vt_wall_ms();
	shm->pool_start_mono_ms = vt_mono_ms();
	/* Another layout (another version or size): migrate, then drop it. */
	if (inherit_fd >= 0) {
		*kept = shm_migrate_fd(shm, inherit_fd, note, notelen) ==
		    VT_OK;
		close(inherit_fd);
	}
	*fdp = fd;
	return shm;

fail:
	if (fd != -1)
		close(fd);
	if (inherit_fd >= 0)
		close(inherit_fd);
	return NULL;
}

struct vt_shm *
vt_shm_create(int inherit_fd, int *fdp, char *err, size_t errlen)
{
	char	note[8];
	int	kept;

	return vt_shm_take(inherit_fd, fdp, &kept, note, sizeof(note), err,
	    errlen);
}

void
vt_slot_write_begin(struct vt_slot *s)
{
	__atomic_fetch_add(&s->seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void
vt_slot_write_end(struct vt_slot *s)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&s->seq, 1, __ATOMIC_RELAXED);
}

int
vt_slot_read(const struct vt_slot *s, struct vt_slot *out)
{
	uint32_t	a, b;
	int		tries;

	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		memcpy(out, (const void *)s, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
		if (a == b) {
			out->method[sizeof(out->method) - 1] = '\0';
			out->path[sizeof(out->path) - 1] = '\0';
			out->request_id[sizeof(out->request_id) - 1] = '\0';
			return VT_OK;
		}
	}
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

void
vt_slot_clear(struct vt_slot *s)
{
	uint32_t	seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);

	/* Leave the counter even and past any reader's snapshot. */
	__atomic_store_n(&s->seq, (seq | 1) + 1, __ATOMIC_RELAXED);
	vt_slot_write_begin(s);
	s->pid = 0;
	s->state = VT_SLOT_EMPTY;
	s->generation = 0;
	s->started_ms = 0;
	s->req_start_mono_ms = 0;
	s->req_start_ms = 0;
	s->requests = 0;
	s->method[0] = s->path[0] = s->request_id[0] = '\0';
	vt_slot_write_end(s);
}

void
vt_count_max(uint64_t *c, uint64_t v)
{
	uint64_t	cur = __atomic_load_n(c, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(c, &cur, v, 1,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

void
vt_route_record(struct vt_shm *shm, int route, int status,
    int64_t duration_us)
{
	struct vt_route_stats  *r;
	int			cls = status / 100;

	if (cls < 1 || cls > 5)
		cls = 5;
	vt_count(&shm->c.by_class[cls], 1);
	if (route < 0 || route >= VT_ROUTE_MAX)
		return;
	r = &shm->routes[route];
	vt_count(&r->by_class[cls], 1);
	vt_hist_add(r->hist, &r->sum_us, &r->count, duration_us);
}

void
vt_hist_add(uint64_t *hist, uint64_t *sum_us, uint64_t *count, int64_t us)
{
	double	secs = (double)us / 1e6;
	int	b;

	for (b = 0; b < VT_HIST_BUCKETS && secs > vt_hist_bounds[b]; b++)
		;
	vt_count(&hist[b], 1);
	vt_count(sum_us, us > 0 ? (uint64_t)us : 0);
	vt_count(count, 1);
}

void
vt_limits_set(struct vt_shm *shm, const struct vt_limits *l)
{
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(&shm->limits, l, sizeof(*l));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);
}

void
vt_limits_get(const struct vt_shm *shm, struct vt_limits *out)
{
	uint32_t	a, b;
	int		tries;

	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&shm->limits_seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		memcpy(out, (const void *)&shm->limits, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&shm->limits_seq, __ATOMIC_RELAXED);
		if (a == b)
			return;
	}
	memset(out, 0, sizeof(*out));
}

const char *
vt_slot_state_name(uint32_t state)
{
	static const char *const names[] = {
		"empty", "starting", "idle", "reading", "busy", "exiting"
	};

	return state < VT_ARRAY_LEN(names) ? names[state] : "unknown";
}

const char *
vt_restart_cause_name(int cause)
{
	static const char *const names[] = {
		"exit", "signal", "watchdog", "recycle"
	};

	return cause >= 0 && cause < VT_RESTART_MAX ? names[cause] : "unknown";
}

const char *
vt_live_result_name(int result)
{
	static const char *const names[VT_LIVE_RESULTS] = {
		[VT_LIVE_OK] = "ok",
		[VT_LIVE_CONNECT] = "connect_error",
		[VT_LIVE_TIMEOUT] = "timeout",
		[VT_LIVE_IO] = "io_error",
		[VT_LIVE_STATUS] = "http_error",
		[VT_LIVE_SKIPPED] = "skipped",
	};

	return result >= 0 && result < VT_LIVE_RESULTS ? names[result] :
	    "unknown";
}

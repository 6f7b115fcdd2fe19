/*
 * shm_migrate-t.c: the scoreboard's migration across a binary upgrade
 * (vt_shm_migrate, vt_shm_take in app/scoreboard.c).  Mappings of this
 * layout come from vt_shm_create; one of another layout is built by hand
 * in memory from its self-description: other offsets, a shorter point, a
 * longer route element, counters in another order with names this build
 * does not know.
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"
#include "scoreboard.h"
#include "tap.h"

/* The hand-built layout: a point of ts and three series, a small ring. */
#define OLD_SERIES	3
#define OLD_CAP		200
#define OLD_HEAD	1000
#define OLD_ROUTES	20
#define OLD_ROUTE_SIZE	(sizeof(struct vt_route_stats) + 16)
#define OLD_PART_SIZE	32	/* a future entry with one more field */

static const char *const old_names[] = {
	"restarts.2", "future_thing", "accepted", "busy", "max_busy",
	"by_class.2"
};
static const uint64_t old_values[] = { 4, 77, 13446, 3, 9, 13000 };
#define OLD_NCTR	(sizeof(old_names) / sizeof(old_names[0]))

struct old_point {
	int64_t	ts_ms;
	double	v[OLD_SERIES];
};

static struct vt_shm *
fresh(void)
{
	struct vt_shm  *shm;
	char		err[VT_ERRLEN];
	int		fd;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	close(fd);
	return shm;
}

static size_t
put_part(char *buf, size_t at_desc, int i, uint32_t id, uint32_t elem,
    uint64_t off, uint64_t count)
{
	struct vt_shm_part	p = { id, elem, off, count };

	memcpy(buf + at_desc + (size_t)i * OLD_PART_SIZE, &p, sizeof(p));
	return off + elem * count;
}

/*
 * The other layout: the header, then the description, then (in an order
 * of its own) the ring's points, the route stats, the counter names, the
 * counters, the head, the pool's start and generation.
 */
static char *
build_old(size_t *sizep, uint32_t version)
{
	size_t			desc = offsetof(struct vt_shm, desc);
	size_t			parts = offsetof(struct vt_shm, desc.part);
	size_t			at = parts + 8 * OLD_PART_SIZE + 24;
	size_t			o_pts, o_routes, o_names, o_ctr, o_head, o_pool;
	size_t			o_gen, size, i;
	uint32_t		magic = VT_SHM_MAGIC;
	uint64_t		size64;
	struct old_point	pt;
	struct vt_route_stats	rs;
	uint64_t		head = OLD_HEAD;
	int64_t			pool[2] = { 1700000000000, 123456 };
	uint32_t		gen = 41, n = 0;
	char		       *buf;

	o_pts = at;
	o_routes = o_pts + OLD_CAP * sizeof(struct old_point);
	o_names = o_routes + OLD_ROUTES * OLD_ROUTE_SIZE;
	o_ctr = o_names + OLD_NCTR * 40;
	o_head = o_ctr + OLD_NCTR * 8;
	o_pool = o_head + 8;
	o_gen = o_pool + 16;
	size = o_gen + 4 + 4096;
	if ((buf = calloc(1, size)) == NULL)
		bail("out of memory");

	put_part(buf, parts, n++, VT_PART_RING_POINTS,
	    sizeof(struct old_point), o_pts, OLD_CAP);
	put_part(buf, parts, n++, 99, 8, o_pool, 1);	/* unknown to us */
	put_part(buf, parts, n++, VT_PART_ROUTES, OLD_ROUTE_SIZE, o_routes,
	    OLD_ROUTES);
	put_part(buf, parts, n++, VT_PART_COUNTER_NAMES, 40, o_names,
	    OLD_NCTR);
	put_part(buf, parts, n++, VT_PART_COUNTERS, 8, o_ctr, OLD_NCTR);
	put_part(buf, parts, n++, VT_PART_RING_HEAD, 8, o_head, 1);
	put_part(buf, parts, n++, VT_PART_POOL_START, 8, o_pool, 2);
	put_part(buf, parts, n++, VT_PART_GENERATION, 4, o_gen, 1);

	for (i = OLD_HEAD - OLD_CAP; i < OLD_HEAD; i++) {
		pt.ts_ms = 1700000000000 + (int64_t)i * 1000;
		pt.v[0] = (double)i;
		pt.v[1] = 0.5;
		pt.v[2] = (double)i * 2;
		memcpy(buf + o_pts + (i % OLD_CAP) * sizeof(pt), &pt,
		    sizeof(pt));
	}
	for (i = 0; i < OLD_ROUTES; i++) {
		memset(&rs, 0, sizeof(rs));
		rs.by_class[2] = 100 + i;
		rs.hist[3] = 10 + i;
		rs.count = 100 + i;
		memcpy(buf + o_routes + i * OLD_ROUTE_SIZE, &rs, sizeof(rs));
		memset(buf + o_routes + i * OLD_ROUTE_SIZE + sizeof(rs), 0xff,
		    16);
	}
	for (i = 0; i < OLD_NCTR; i++) {
		memcpy(buf + o_names + i * 40, old_names[i],
		    strlen(old_names[i]));
		memcpy(buf + o_ctr + i * 8, &old_values[i], 8);
	}
	memcpy(buf + o_head, &head, 8);
	memcpy(buf + o_pool, pool, sizeof(pool));
	memcpy(buf + o_gen, &gen, 4);

	/* magic, version, size: where every version has them. */
	size64 = size;
	memcpy(buf + offsetof(struct vt_shm, magic), &magic, 4);
	memcpy(buf + offsetof(struct vt_shm, version), &version, 4);
	memcpy(buf + offsetof(struct vt_shm, size), &size64, 8);
	memcpy(buf + desc, &n, 4);
	n = OLD_PART_SIZE;
	memcpy(buf + desc + 4, &n, 4);
	*sizep = size;
	return buf;
}

static void
check_same_layout(void)
{
	struct vt_shm  *src = fresh(), *dst = fresh();
	static struct vt_point big[VT_RING_LEN];
	struct vt_point	pt, out[400];
	char		note[512];
	size_t		i, n;

	src->pool_start_ms = 1600000000000;
	src->generation = 7;
	src->c.accepted = 13446;
	src->c.by_class[2] = 13440;
	src->c.restarts[VT_RESTART_RECYCLE] = 3;
	src->c.busy = 2;
	src->c.max_busy = 4;
	src->c.listen_queue = 5;
	src->c.listen_queue_max = 11;
	src->c.log_dropped = 8;
	src->routes[2].count = 21;
	src->routes[2].hist[VT_HIST_BUCKETS] = 1;
	src->routes[2].sum_us = 9999;
	for (i = 0; i < 251; i++) {
		memset(&pt, 0, sizeof(pt));
		pt.ts_ms = 1600000000000 + (int64_t)i * 1000;
		pt.v[VT_S_CPU_PERCENT] = (double)i / 10;
		pt.v[VT_S_TCP_CLOSE_WAIT] = (double)i;
		vt_ring_push(&src->ring, &pt);
	}

	ok(vt_shm_migrate(dst, src, src->size, note, sizeof(note)) == VT_OK,
	    "same layout: migrated");
	diag("note: %s", note);
	is_int((long long)dst->c.accepted, 13446, "accepted kept");
	is_int((long long)dst->c.by_class[2], 13440, "2xx kept");
	is_int((long long)dst->c.restarts[VT_RESTART_RECYCLE], 3,
	    "restarts by cause kept");
	is_int((long long)dst->c.log_dropped, 8, "dropped log lines kept");
	is_int((long long)dst->c.max_busy, 4, "a high-water mark kept");
	is_int((long long)dst->c.listen_queue_max, 11,
	    "the listen queue's high-water mark kept");
	is_int((long long)dst->c.busy, 0, "a gauge of the old pool not");
	is_int((long long)dst->c.listen_queue, 0, "nor the listen queue");
	is_int((long long)dst->pool_start_ms, 1600000000000,
	    "the pool's start kept");
	is_int((long long)dst->generation, 7, "the generation kept");
	is_int((long long)dst->routes[2].count, 21, "a route's count kept");
	is_int((long long)dst->routes[2].sum_us, 9999, "and its sum");
	is_int((long long)dst->routes[2].hist[VT_HIST_BUCKETS], 1,
	    "and its +Inf bucket");
	is_int((long long)vt_ring_head(&dst->ring), 251,
	    "the ring's head goes on from the old one");
	n = vt_ring_copy(&dst->ring, 0, out, 400, NULL, NULL);
	is_int((long long)n, 251, "all 251 points of the history");
	ok(n == 251 && out[0].ts_ms == 1600000000000 &&
	    out[250].v[VT_S_TCP_CLOSE_WAIT] == 250 &&
	    out[100].v[VT_S_CPU_PERCENT] == 10,
	    "each point as it was, oldest first");
	ok(strstr(note, "history points: 251") != NULL &&
	    strstr(note, "not_kept=") != NULL,
	    "the note says what was kept and what was not");

	/* A full ring: the window a reader sees, at the same positions. */
	for (i = 251; i < 4000; i++) {
		pt.ts_ms = 1600000000000 + (int64_t)i * 1000;
		vt_ring_push(&src->ring, &pt);
	}
	memset(&dst->ring, 0, sizeof(dst->ring));
	(void)vt_shm_migrate(dst, src, src->size, note, sizeof(note));
	is_int((long long)vt_ring_head(&dst->ring), 4000,
	    "a full ring: head kept");
	n = vt_ring_since(&dst->ring, 0, big, VT_RING_LEN);
	ok(n == VT_RING_LEN && big[0].ts_ms == 1600000000000 + 400 * 1000 &&
	    big[n - 1].ts_ms == 1600000000000 + 3999 * 1000,
	    "the newest %d points, none of them empty", VT_RING_LEN);
	munmap(src, sizeof(*src));
	munmap(dst, sizeof(*dst));
}

static void
check_other_layout(void)
{
	struct vt_shm  *dst = fresh();
	struct vt_point	out[VT_RING_LEN];
	char		note[512], *old;
	size_t		size, n;
	int		good = 1;

	old = build_old(&size, 9);
	ok(vt_shm_migrate(dst, old, size, note, sizeof(note)) == VT_OK,
	    "another layout (version 9, other offsets): migrated");
	diag("note: %s", note);
	is_int((long long)dst->c.accepted, 13446, "accepted, found by name");
	is_int((long long)dst->c.by_class[2], 13000, "2xx, found by name");
	is_int((long long)dst->c.restarts[VT_RESTART_WATCHDOG], 4,
	    "watchdog restarts, found by name");
	is_int((long long)dst->c.max_busy, 9, "max_busy kept");
	is_int((long long)dst->c.busy, 0, "busy (a gauge) not");
	ok(strstr(note, "counters: 4 of 6") != NULL,
	    "an unknown counter and a gauge are not counted as kept");
	is_int((long long)dst->pool_start_ms, 1700000000000,
	    "the pool's start kept");
	is_int((long long)dst->pool_start_mono_ms, 123456,
	    "its monotonic start too");
	is_int((long long)dst->generation, 41, "the generation kept");
	is_int((long long)dst->routes[VT_ROUTE_MAX - 1].count,
	    100 + VT_ROUTE_MAX - 1, "routes past ours are dropped, ours kept");
	is_int((long long)dst->routes[3].hist[3], 13,
	    "a longer route element: its common prefix");
	is_int((long long)vt_ring_head(&dst->ring), OLD_CAP - VT_RING_SLACK,
	    "a window shorter than ours: renumbered from 0");
	n = vt_ring_copy(&dst->ring, 0, out, VT_RING_LEN, NULL, NULL);
	is_int((long long)n, OLD_CAP - VT_RING_SLACK,
	    "the old ring's points, less its slack");
	if (n > 0)
		good = out[n - 1].ts_ms == 1700000000000 +
		    (int64_t)(OLD_HEAD - 1) * 1000 &&
		    out[n - 1].v[0] == OLD_HEAD - 1 &&
		    out[n - 1].v[2] == 2 * (OLD_HEAD - 1) &&
		    out[0].v[0] == OLD_HEAD - (double)n;
	ok(n > 0 && good, "a shorter point: its series copied, in order");
	ok(n > 0 && out[n - 1].v[VT_S_TCP_CLOSE_WAIT] == 0,
	    "series the old point lacked read as zero");
	free(old);
	munmap(dst, sizeof(*dst));
}

static void
check_refused(void)
{
	struct vt_shm		*dst = fresh();
	struct vt_shm_part	 bad;
	char			 note[512], *old;
	size_t			 size, at;

	old = build_old(&size, 5);
	ok(vt_shm_migrate(dst, old, size, note, sizeof(note)) == VT_ERR,
	    "version 5 (no self-description): nothing migrated");
	ok(strstr(note, "kept=none") != NULL &&
	    strstr(note, "does not describe") != NULL,
	    "and the note says so");
	diag("note: %s", note);
	is_int((long long)dst->c.accepted, 0, "nothing was copied");
	free(old);

	old = build_old(&size, 9);
	memcpy(old, "XXXX", 4);
	ok(vt_shm_migrate(dst, old, size, note, sizeof(note)) == VT_ERR,
	    "no magic: refused");
	free(old);

	/* A part that points past the end is skipped, not read. */
	old = build_old(&size, 9);
	at = offsetof(struct vt_shm, desc.part);
	memcpy(&bad, old + at, sizeof(bad));
	bad.offset = size - 10;
	memcpy(old + at, &bad, sizeof(bad));
	ok(vt_shm_migrate(dst, old, size, note, sizeof(note)) == VT_OK,
	    "a part out of bounds: the rest migrated");
	ok(strstr(note, "history points: 0") != NULL,
	    "and the bad part left behind");
	ok(vt_shm_migrate(dst, old, 20, note, sizeof(note)) == VT_ERR,
	    "a mapping cut short: refused");
	free(old);
	munmap(dst, sizeof(*dst));
}

static void
check_take(void)
{
	struct vt_shm  *a, *b;
	char		err[VT_ERRLEN], note[512], *old;
	size_t		size;
	int		fd, fd2, mfd, kept;

	if ((a = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	a->c.accepted = 5;
	if ((b = vt_shm_take(dup(fd), &fd2, &kept, note, sizeof(note), err,
	    sizeof(err))) == NULL)
		bail("vt_shm_take: %s", err);
	b->c.accepted++;
	is_int(kept, 1, "the same layout: kept");
	is_int((long long)a->c.accepted, 6,
	    "the same layout is adopted, shared as it is");
	is_str(note, "", "with nothing to say");
	munmap(a, sizeof(*a));
	munmap(b, sizeof(*b));
	close(fd);
	close(fd2);

	old = build_old(&size, 9);
	if ((mfd = memfd_create("old", 0)) == -1 ||
	    write(mfd, old, size) != (ssize_t)size)
		bail("memfd: %m");
	if ((b = vt_shm_take(mfd, &fd2, &kept, note, sizeof(note), err,
	    sizeof(err))) == NULL)
		bail("vt_shm_take: %s", err);
	is_int(kept, 1, "another layout: kept");
	ok(fcntl(mfd, F_GETFD) == -1, "another layout: the old fd closed");
	is_int((long long)b->c.accepted, 13446, "and migrated");
	is_int((long long)b->size, (long long)sizeof(*b),
	    "into a mapping of this layout");
	ok(strstr(note, "from_version=9") != NULL, "the note names the "
	    "old version");
	munmap(b, sizeof(*b));
	close(fd2);
	free(old);

	/* A number that names nothing: a fresh mapping, and a note. */
	if ((b = vt_shm_take(1000, &fd2, &kept, note, sizeof(note), err,
	    sizeof(err))) == NULL)
		bail("vt_shm_take: %s", err);
	ok(kept == 0 && strstr(note, "no scoreboard behind fd 1000") != NULL,
	    "an inherited fd that is closed: nothing kept, and said");
	is_int((long long)b->c.accepted, 0, "a fresh scoreboard");
	ok(fcntl(fd2, F_GETFD) != -1, "whose memfd stays open");
	munmap(b, sizeof(*b));
	close(fd2);
}

/* Every counter has a name, and no two the same. */
static void
check_names(void)
{
	struct vt_shm  *shm = fresh();
	size_t		i, j, named = 0, dup = 0;

	for (i = 0; i < VT_COUNTERS_N; i++) {
		named += shm->counter_names[i][0] != '\0';
		for (j = 0; j < i; j++)
			dup += strcmp(shm->counter_names[i],
			    shm->counter_names[j]) == 0;
	}
	is_int((long long)named, (long long)VT_COUNTERS_N,
	    "every field of struct vt_counters has a name");
	is_int((long long)dup, 0, "no two the same");
	is_str(shm->counter_names[offsetof(struct vt_counters, restarts) / 8 +
	    VT_RESTART_WATCHDOG], "restarts.2", "an array's element: name.i");
	munmap(shm, sizeof(*shm));
}

int
main(void)
{
	check_names();
	check_same_layout();
	check_other_layout();
	check_refused();
	check_take();
	done_testing();
	return tap_exit_status();
}

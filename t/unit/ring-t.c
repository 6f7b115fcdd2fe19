/*
 * ring-t.c: app/ring.c, the sample ring: order, wrap-around, capacity,
 * readers that keep their place and count what they lost, reads by time,
 * the empty ring, and a reader racing a writer in another process over a
 * MAP_SHARED mapping.
 *
 * Every point written here is a function of its position k: ts_ms and
 * every value derive from k, and the last value is a checksum of the
 * others.  A point mixed from two writes, or a slot the writer reused
 * under the reader, cannot pass point_k().
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "ring.h"
#include "vitals.h"
#include "tap.h"

#define TS_BASE		1700000000000LL
#define RACE_MS		400		/* how long the reader races */
#define WRITER_MAX_MS	5000		/* the writer stops by itself */

/* The mapping both processes share. */
struct race {
	struct vt_ring	ring;
	uint32_t	stop;
	uint64_t	pushed;
};

static struct vt_point	out[VT_RING_CAP];

static double
point_sum(const struct vt_point *pt)
{
	double	s = (double)pt->ts_ms;
	int	j;

	for (j = 0; j < VT_S_COUNT - 1; j++)
		s += pt->v[j] * (double)(j + 1);
	return s;
}

static void
point_make(struct vt_point *pt, uint64_t k)
{
	int	j;

	pt->ts_ms = TS_BASE + (int64_t)k * 1000;
	for (j = 0; j < VT_S_COUNT - 1; j++)
		pt->v[j] = (double)(k * VT_S_COUNT + (uint64_t)j);
	pt->v[VT_S_COUNT - 1] = point_sum(pt);
}

/* The position a point was written for, or -1 when it is torn. */
static int64_t
point_k(const struct vt_point *pt)
{
	struct vt_point	want;
	int64_t		k;

	if (pt->ts_ms < TS_BASE || (pt->ts_ms - TS_BASE) % 1000 != 0)
		return -1;
	k = (pt->ts_ms - TS_BASE) / 1000;
	point_make(&want, (uint64_t)k);
	if (memcmp(&want, pt, sizeof(want)) != 0)
		return -1;
	return k;
}

static void
push_to(struct vt_ring *r, uint64_t head)
{
	struct vt_point	pt;
	uint64_t	k;

	for (k = vt_ring_head(r); k < head; k++) {
		point_make(&pt, k);
		vt_ring_push(r, &pt);
	}
}

/* 1 when out[0..n) are the points at positions first, first + 1, ... */
static int
run_of(size_t n, uint64_t first)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (point_k(&out[i]) != (int64_t)(first + i))
			return 0;
	}
	return 1;
}

static struct vt_ring *
ring_map(void)
{
	struct vt_ring	*r;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	return r;
}

static void
test_names(void)
{
	int	i, set = 1;

	for (i = 0; i < VT_S_COUNT; i++)
		set = set && vt_series_names[i] != NULL &&
		    vt_series_names[i][0] != '\0';
	ok(set, "every series has a name");
	is_str(vt_series_names[VT_S_CPU_PERCENT], "cpu_percent",
	    "names: the first series");
	is_str(vt_series_names[VT_S_TCP_CLOSE_WAIT], "tcp_close_wait",
	    "names: the last series");
}

static void
test_empty(void)
{
	struct vt_ring	*r = ring_map();
	uint64_t	 next = 99, lost = 99;

	is_int((long long)vt_ring_head(r), 0, "empty: head 0");
	is_int((long long)vt_ring_copy(r, 0, out, 10, &next, &lost), 0,
	    "empty: copy gives nothing");
	ok(next == 0 && lost == 0, "empty: next 0, nothing lost");
	is_int((long long)vt_ring_copy(r, 5, out, 10, &next, &lost), 0,
	    "empty: a position past head gives nothing");
	ok(next == 0 && lost == 0, "empty: next is head, nothing lost");
	is_int((long long)vt_ring_since(r, 0, out, 10), 0,
	    "empty: since gives nothing");
	is_int((long long)vt_ring_copy(r, 0, NULL, 0, NULL, NULL), 0,
	    "empty: next and lost may be NULL");
	munmap(r, sizeof(*r));
}

static void
test_order(void)
{
	struct vt_ring	*r = ring_map();
	struct vt_point	 pt;
	uint64_t	 next, lost;
	size_t		 n;

	point_make(&pt, 0);
	vt_ring_push(r, &pt);
	is_int((long long)vt_ring_head(r), 1, "one push: head 1");
	n = vt_ring_copy(r, 0, out, 10, &next, &lost);
	ok(n == 1 && memcmp(&out[0], &pt, sizeof(pt)) == 0,
	    "one push: copied back as written");
	ok(next == 1 && lost == 0, "one push: next 1, nothing lost");

	push_to(r, 10);
	n = vt_ring_copy(r, 0, out, 100, &next, &lost);
	ok(n == 10 && run_of(n, 0), "ten pushes: all ten, oldest first");
	ok(next == 10 && lost == 0, "ten pushes: next 10");
	n = vt_ring_copy(r, 4, out, 100, &next, &lost);
	ok(n == 6 && run_of(n, 4) && next == 10 && lost == 0,
	    "from 4: positions 4 to 9");
	n = vt_ring_copy(r, 0, out, 3, &next, &lost);
	ok(n == 3 && run_of(n, 0) && next == 3 && lost == 0,
	    "at most 3: the oldest 3, next 3");
	n = vt_ring_copy(r, next, out, 3, &next, &lost);
	ok(n == 3 && run_of(n, 3) && next == 6,
	    "a reader keeping its place goes on from 3");
	n = vt_ring_copy(r, 10, out, 3, &next, &lost);
	ok(n == 0 && next == 10 && lost == 0, "from head: nothing new");
	n = vt_ring_copy(r, 25, out, 3, &next, &lost);
	ok(n == 0 && next == 10 && lost == 0,
	    "from past head: nothing, next is head");
	n = vt_ring_copy(r, 0, out, 0, &next, &lost);
	ok(n == 0 && next == 0, "at most 0: nothing, next unchanged");
	munmap(r, sizeof(*r));
}

static void
test_wrap(void)
{
	struct vt_ring	*r = ring_map();
	uint64_t	 next, lost, h, keep;
	size_t		 n;

	/* Fill to the last physical slot, then wrap past it. */
	push_to(r, VT_RING_LEN);
	n = vt_ring_copy(r, 0, out, VT_RING_CAP, &next, &lost);
	ok(n == VT_RING_LEN && run_of(n, 0) && lost == 0,
	    "full: %d points, nothing lost", VT_RING_LEN);
	keep = next;

	push_to(r, VT_RING_CAP);
	n = vt_ring_copy(r, 0, out, VT_RING_CAP, &next, &lost);
	ok(n == VT_RING_LEN && run_of(n, VT_RING_SLACK),
	    "capacity: a reader gets the newest %d, not the slack",
	    VT_RING_LEN);
	ok(next == VT_RING_CAP && lost == VT_RING_SLACK,
	    "capacity: the %d oldest are lost", VT_RING_SLACK);

	h = 2 * VT_RING_CAP + 123;
	push_to(r, h);
	n = vt_ring_copy(r, 0, out, VT_RING_LEN, &next, &lost);
	ok(n == VT_RING_LEN && run_of(n, h - VT_RING_LEN),
	    "wrapped twice: the newest %d in order across the seam",
	    VT_RING_LEN);
	ok(next == h && lost == h - VT_RING_LEN,
	    "wrapped twice: next is head, lost counts from position 0");
	n = vt_ring_copy(r, h - 5, out, VT_RING_LEN, &next, &lost);
	ok(n == 5 && run_of(n, h - 5) && next == h && lost == 0,
	    "wrapped: a recent position gives the last 5");
	n = vt_ring_copy(r, keep, out, 10, &next, &lost);
	ok(n == 10 && run_of(n, h - VT_RING_LEN) &&
	    next == h - VT_RING_LEN + 10 && lost == h - VT_RING_LEN - keep,
	    "a reader left behind resumes at the oldest kept, counting "
	    "%llu lost", (unsigned long long)lost);
	munmap(r, sizeof(*r));
}

static void
test_since(void)
{
	struct vt_ring	*r = ring_map();
	uint64_t	 h = VT_RING_CAP + 500;
	size_t		 n;

	push_to(r, h);
	n = vt_ring_since(r, TS_BASE + (int64_t)(h - 11) * 1000, out, 100);
	ok(n == 10 && run_of(n, h - 10),
	    "since: the points strictly newer, oldest first");
	n = vt_ring_since(r, TS_BASE + (int64_t)(h - 1) * 1000, out, 100);
	is_int((long long)n, 0, "since the newest: nothing");
	n = vt_ring_since(r, 0, out, 5);
	ok(n == 5 && run_of(n, h - 5), "since long ago, at most 5: the "
	    "newest 5");
	n = vt_ring_since(r, 0, out, VT_RING_CAP);
	ok(n == VT_RING_LEN && run_of(n, h - VT_RING_LEN),
	    "since long ago: at most the ring's length");
	n = vt_ring_since(r, TS_BASE + (int64_t)(h - 11) * 1000 + 500, out,
	    100);
	ok(n == 10 && run_of(n, h - 10), "since a time between points");
	munmap(r, sizeof(*r));
}

static void
writer(struct race *x)
{
	struct vt_point	pt;
	int64_t		t0 = vt_mono_ms();
	uint64_t	k;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (k = vt_ring_head(&x->ring);
	    !__atomic_load_n(&x->stop, __ATOMIC_RELAXED); k++) {
		point_make(&pt, k);
		vt_ring_push(&x->ring, &pt);
		if (k % 4096 == 0 && vt_mono_ms() - t0 > WRITER_MAX_MS)
			break;
	}
	__atomic_store_n(&x->pushed, k, __ATOMIC_RELAXED);
	_exit(0);
}

/*
 * A writer in another process pushes as fast as it can (lapping the ring
 * many times a second, far beyond the sampler's one a second) while this
 * process reads windows of several sizes, and a reader that keeps its
 * place.  Every point copied must be whole and at its position; a read
 * may come back empty when the writer kept lapping it.
 */
static void
test_race(void)
{
	static const size_t	 sizes[] = { 1, 7, 64, 512, VT_RING_LEN };
	struct race		*x;
	uint64_t		 h, next, lost, pos = 0;
	uint64_t		 reads = 0, empty = 0, points = 0, bad = 0;
	uint64_t		 steps = 0, step_bad = 0, lost_total = 0;
	int64_t			 t0, since;
	size_t			 n, i, max;
	pid_t			 pid;
	int			 status = -1;

	x = mmap(NULL, sizeof(*x), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	push_to(&x->ring, VT_RING_CAP);
	if ((pid = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (pid == 0)
		writer(x);

	t0 = vt_mono_ms();
	for (i = 0; vt_mono_ms() - t0 < RACE_MS; i++) {
		/* A window ending at head, as /api/history reads it. */
		max = sizes[i % VT_ARRAY_LEN(sizes)];
		h = vt_ring_head(&x->ring);
		n = vt_ring_copy(&x->ring, h > max ? h - max : 0, out, max,
		    &next, &lost);
		reads++;
		if (n == 0)
			empty++;
		else if (!run_of(n, next - n))
			bad++;
		points += n;

		/* A reader that keeps its place, as the recorder does. */
		n = vt_ring_copy(&x->ring, pos, out, 256, &next, &lost);
		steps++;
		if (n > 0 && (!run_of(n, pos + lost) || next != pos + lost + n))
			step_bad++;
		if (n > 0) {
			lost_total += lost;
			pos = next;
		}
		points += n;

		/* A read by time: newer than a point the writer passed. */
		since = TS_BASE + (int64_t)(vt_ring_head(&x->ring) - 20) * 1000;
		n = vt_ring_since(&x->ring, since, out, 32);
		if (n > 0 && (point_k(&out[0]) < 0 ||
		    out[0].ts_ms <= since || !run_of(n, (uint64_t)
		    point_k(&out[0]))))
			bad++;
		points += n;
	}
	__atomic_store_n(&x->stop, 1, __ATOMIC_RELAXED);
	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid: %s", strerror(errno));

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "race: the writer "
	    "exited 0");
	ok(x->pushed > 4 * (uint64_t)VT_RING_CAP, "race: the writer lapped "
	    "the ring (%llu points pushed)", (unsigned long long)x->pushed);
	ok(points > 0 && empty < reads, "race: reads got points (%llu "
	    "points, %llu of %llu windows lapped and empty)",
	    (unsigned long long)points, (unsigned long long)empty,
	    (unsigned long long)reads);
	is_int((long long)bad, 0, "race: no torn or misplaced point in any "
	    "window or read by time");
	is_int((long long)step_bad, 0, "race: a reader keeping its place "
	    "sees a gap only where it counts points lost (%llu steps, %llu "
	    "lost)", (unsigned long long)steps,
	    (unsigned long long)lost_total);
	munmap(x, sizeof(*x));
}

int
main(void)
{
	test_names();
	test_empty();
	test_order();
	test_wrap();
	test_since();
	test_race();
	done_testing();
	return tap_exit_status();
}

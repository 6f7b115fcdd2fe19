/*
 * scoreboard-t.c: app/scoreboard.c, the pool's shared mapping: creating
 * and adopting it, the slots' seqlock and the limits' seqlock against a
 * writer and readers in forked processes, a writer that died mid-write,
 * the slot high-water mark, the counters, the route histogram and the
 * names of states and restart causes.
 *
 * Every record the writers publish derives from one counter k, so a copy
 * mixed from two writes cannot pass its check: torn reads are counted,
 * not guessed.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "scoreboard.h"
#include "vitals.h"
#include "hung.h"
#include "tap.h"

#define RACE_MS		400		/* how long the readers read */
#define WRITER_MAX_MS	5000		/* the writer stops by itself */
#define READERS		2
#define COUNTERS	4		/* processes adding to one counter */
#define COUNT_EACH	200000

/* What the racing processes report, in a mapping of its own. */
struct report {
	uint32_t	stop;
	uint64_t	writes;
	uint64_t	reads[READERS];
	uint64_t	failed[READERS];	/* returned -1 */
	uint64_t	torn[READERS];
	uint64_t	failed_dirty[READERS];	/* -1 but not marked empty */
	uint64_t	backwards[READERS];	/* older than a read before */
};

static struct report *
report_map(void)
{
	struct report	*rep;

	rep = mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rep == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	return rep;
}

/* Wait for pid; 1 when it exited 0. */
static int
reap(pid_t pid)
{
	int	status;

	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid: %s", strerror(errno));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A slot as worker k would write it (k > 0). */
static void
slot_fill(struct vt_slot *s, uint64_t k)
{
	s->pid = (int32_t)(k & 0x3fffffff);
	s->state = (uint32_t)(k % (VT_SLOT_EXITING + 1));
	s->generation = (uint32_t)(k * 3);
	s->started_ms = (int64_t)k * 5;
	s->req_start_mono_ms = (int64_t)k * 7;
	s->req_start_ms = (int64_t)k * 11;
	s->requests = k;
	snprintf(s->method, sizeof(s->method), "M%llu",
	    (unsigned long long)(k % 100000));
	snprintf(s->path, sizeof(s->path), "/path/%llu/%llu",
	    (unsigned long long)k, (unsigned long long)(k * 13));
	snprintf(s->request_id, sizeof(s->request_id), "id-%llu",
	    (unsigned long long)k);
}

/* 1 when the copy is whole: every field from the same k. */
static int
slot_whole(const struct vt_slot *s)
{
	struct vt_slot	want;

	memset(&want, 0, sizeof(want));
	slot_fill(&want, s->requests);
	return s->pid == want.pid && s->state == want.state &&
	    s->generation == want.generation &&
	    s->started_ms == want.started_ms &&
	    s->req_start_mono_ms == want.req_start_mono_ms &&
	    s->req_start_ms == want.req_start_ms &&
	    strcmp(s->method, want.method) == 0 &&
	    strcmp(s->path, want.path) == 0 &&
	    strcmp(s->request_id, want.request_id) == 0;
}

static int
slot_empty(const struct vt_slot *s)
{
	struct vt_slot	zero;

	memset(&zero, 0, sizeof(zero));
	return memcmp(s, &zero, sizeof(zero)) == 0;
}

static void
limits_fill(struct vt_limits *l, uint64_t k)
{
	memset(l, 0, sizeof(*l));
	l->workers = (int32_t)(k & 0xffff) + 1;
	l->max_requests = (int32_t)(k & 0xffffff);
	l->request_timeout = (double)k / 4;
	l->shutdown_timeout = (double)k / 8;
	l->read_timeout = (double)k / 16;
	l->slow_threshold = (double)k / 32;
	l->backlog = (int32_t)(k & 0x7fffffff);
}

/* The k a limits copy was written for, or -1 when it is torn. */
static int64_t
limits_k(const struct vt_limits *l)
{
	struct vt_limits	want;
	uint64_t		k = (uint64_t)(l->request_timeout * 4);

	limits_fill(&want, k);
	return memcmp(&want, l, sizeof(want)) == 0 ? (int64_t)k : -1;
}

static void
test_create(void)
{
	struct vt_shm	*shm, *again, *fresh;
	char		 err[VT_ERRLEN];
	int		 fd = -1, fd2 = -1, fd3 = -1, i, empty = 1;

	err[0] = '\0';
	shm = vt_shm_create(-1, &fd, err, sizeof(err));
	if (shm == NULL)
		bail("vt_shm_create: %s", err);
	ok(shm->magic == VT_SHM_MAGIC && shm->version == VT_SHM_VERSION &&
	    shm->size == sizeof(*shm), "create: magic, version and size");
	ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	    "create: a memfd, close-on-exec");
	ok(shm->pool_start_ms > 0 && shm->pool_start_mono_ms > 0,
	    "create: the pool's start is set");
	for (i = 0; i < VT_MAX_SLOTS; i++)
		empty = empty && shm->slots[i].state == VT_SLOT_EMPTY &&
		    shm->slots[i].pid == 0;
	ok(empty && vt_slot_hwm(shm) == 0 && vt_load(&shm->c.accepted) == 0,
	    "create: every slot empty, every count 0");

	/* An upgrade hands the memfd on: the same memory, counts kept. */
	shm->c.accepted = 42;
	again = vt_shm_create(dup(fd), &fd2, err, sizeof(err));
	ok(again != NULL && again != shm && vt_load(&again->c.accepted) == 42 &&
	    again->pool_start_ms == shm->pool_start_ms,
	    "adopt: the inherited mapping, counts and start kept");
	if (again != NULL) {
		vt_count(&again->c.accepted, 1);
		is_int((long long)vt_load(&shm->c.accepted), 43,
		    "adopt: one memory behind both mappings");
		munmap(again, sizeof(*again));
		close(fd2);
	}

	/*
	 * Another layout (another binary): not adopted, a mapping of this
	 * layout is made and the counts migrate into it (shm_migrate-t tests
	 * the migration itself).
	 */
	shm->version = VT_SHM_VERSION + 1;
	fresh = vt_shm_create(dup(fd), &fd3, err, sizeof(err));
	ok(fresh != NULL && fresh->version == VT_SHM_VERSION &&
	    vt_load(&fresh->c.accepted) == 43,
	    "adopt: another version is not adopted; a new mapping, counts "
	    "migrated");
	if (fresh != NULL) {
		vt_count(&fresh->c.accepted, 1);
		is_int((long long)vt_load(&shm->c.accepted), 43,
		    "adopt: the new mapping is memory of its own");
		munmap(fresh, sizeof(*fresh));
		close(fd3);
	}
	fd3 = -1;
	fresh = vt_shm_create(open("/dev/null", O_RDONLY), &fd3, err,
	    sizeof(err));
	ok(fresh != NULL && fresh->magic == VT_SHM_MAGIC,
	    "adopt: a descriptor of another size is not adopted");
	if (fresh != NULL) {
		munmap(fresh, sizeof(*fresh));
		close(fd3);
	}

	/* The high-water mark, bounded by the slots that exist. */
	__atomic_store_n(&shm->slot_hwm, 5, __ATOMIC_RELEASE);
	is_int(vt_slot_hwm(shm), 5, "hwm: as the master raised it");
	__atomic_store_n(&shm->slot_hwm, VT_MAX_SLOTS + 7, __ATOMIC_RELEASE);
	is_int(vt_slot_hwm(shm), VT_MAX_SLOTS, "hwm: never past the slots");
	munmap(shm, sizeof(*shm));
	close(fd);
}

static void
test_slot_single(void)
{
	struct vt_slot	s, got;
	uint32_t	seq;
	int64_t		t0;
	int		rc;

	memset(&s, 0, sizeof(s));
	rc = vt_slot_read(&s, &got);
	ok(rc == VT_OK && slot_empty(&got), "slot: a zeroed slot reads empty");

	vt_slot_write_begin(&s);
	ok(s.seq & 1, "slot: odd while written");
	slot_fill(&s, 12345);
	vt_slot_write_end(&s);
	ok(!(s.seq & 1) && s.seq == 2, "slot: even again, moved by 2");
	rc = vt_slot_read(&s, &got);
	ok(rc == VT_OK && got.requests == 12345 && slot_whole(&got),
	    "slot: read back as written");

	/* A writer that never terminates its strings. */
	vt_slot_write_begin(&s);
	memset(s.method, 'M', sizeof(s.method));
	memset(s.path, 'P', sizeof(s.path));
	memset(s.request_id, 'R', sizeof(s.request_id));
	vt_slot_write_end(&s);
	rc = vt_slot_read(&s, &got);
	ok(rc == VT_OK && strlen(got.method) == sizeof(got.method) - 1 &&
	    strlen(got.path) == sizeof(got.path) - 1 &&
	    strlen(got.request_id) == sizeof(got.request_id) - 1,
	    "slot: a reader's strings are always terminated");

	/* The owner died between begin and end: the counter stays odd. */
	vt_slot_write_begin(&s);
	slot_fill(&s, 777);
	seq = s.seq;
	memset(&got, 0x5a, sizeof(got));
	t0 = vt_mono_us();
	rc = vt_slot_read(&s, &got);
	is_int(rc, VT_ERR, "dead writer: the read gives up");
	ok(vt_mono_us() - t0 < 100000, "dead writer: after a bounded number "
	    "of tries, without waiting (%lld us)",
	    (long long)(vt_mono_us() - t0));
	ok(slot_empty(&got) && got.state == VT_SLOT_EMPTY,
	    "dead writer: the copy is marked empty");

	vt_slot_clear(&s);
	ok(!(s.seq & 1) && s.seq > seq, "clear: the counter is even and "
	    "past any snapshot (%u after %u)", s.seq, seq);
	rc = vt_slot_read(&s, &got);
	ok(rc == VT_OK && got.state == VT_SLOT_EMPTY && got.pid == 0 &&
	    got.requests == 0 && got.path[0] == '\0',
	    "clear: the slot reads empty again");
	seq = s.seq;
	vt_slot_clear(&s);
	ok(!(s.seq & 1) && s.seq > seq, "clear: an even counter stays even");
}

/* The owner of a slot, writing as fast as it can. */
static void
slot_writer(struct vt_slot *s, struct report *rep)
{
	int64_t		t0 = vt_mono_ms();
	uint64_t	k;

	for (k = 1; !__atomic_load_n(&rep->stop, __ATOMIC_RELAXED); k++) {
		vt_slot_write_begin(s);
		slot_fill(s, k);
		vt_slot_write_end(s);
		if (k % 1024 == 0 && vt_mono_ms() - t0 > WRITER_MAX_MS)
			break;
	}
	rep->writes = k;
	_exit(0);
}

static void
slot_reader(const struct vt_slot *s, struct report *rep, int r)
{
	struct vt_slot	got;
	uint64_t	last = 0;

	while (!__atomic_load_n(&rep->stop, __ATOMIC_RELAXED)) {
		rep->reads[r]++;
		if (vt_slot_read(s, &got) == VT_ERR) {
			rep->failed[r]++;
			if (!slot_empty(&got))
				rep->failed_dirty[r]++;
			continue;
		}
		if (got.requests == 0 && slot_empty(&got))
			continue;
		if (!slot_whole(&got))
			rep->torn[r]++;
		else if (got.requests < last)
			rep->backwards[r]++;
		else
			last = got.requests;
	}
	_exit(0);
}

/*
 * One writer process and READERS reader processes on one slot of a real
 * scoreboard mapping: every successful read is one whole record, never
 * older than one read before it; a read that gives up is marked empty.
 */
static void
test_slot_race(void)
{
	struct vt_shm	*shm;
	struct report	*rep = report_map();
	struct vt_slot	 got;
	char		 err[VT_ERRLEN];
	pid_t		 w, rd[READERS];
	uint64_t	 reads = 0, failed = 0, torn = 0, dirty = 0, back = 0;
	int		 fd, i, clean;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	if ((w = hung_spawn()) == 0)
		slot_writer(&shm->slots[3], rep);
	for (i = 0; i < READERS; i++)
		if ((rd[i] = hung_spawn()) == 0)
			slot_reader(&shm->slots[3], rep, i);
	usleep(RACE_MS * 1000);
	__atomic_store_n(&rep->stop, 1, __ATOMIC_RELAXED);
	clean = reap(w);
	for (i = 0; i < READERS; i++) {
		clean = reap(rd[i]) && clean;
		reads += rep->reads[i];
		failed += rep->failed[i];
		torn += rep->torn[i];
		dirty += rep->failed_dirty[i];
		back += rep->backwards[i];
	}
	ok(clean, "slot race: writer and readers exited 0");
	ok(rep->writes > 1000 && reads > 1000, "slot race: %llu writes, "
	    "%llu reads (%llu gave up)", (unsigned long long)rep->writes,
	    (unsigned long long)reads, (unsigned long long)failed);
	is_int((long long)torn, 0, "slot race: no torn read");
	is_int((long long)back, 0, "slot race: no read older than one "
	    "before it");
	is_int((long long)dirty, 0, "slot race: a read that gave up is "
	    "marked empty");
	ok(vt_slot_read(&shm->slots[3], &got) == VT_OK && slot_whole(&got) &&
	    got.requests == rep->writes - 1, "slot race: the writer's last "
	    "record reads back whole once it stops");
	munmap(rep, sizeof(*rep));
	munmap(shm, sizeof(*shm));
	close(fd);
}

static void
limits_writer(struct vt_shm *shm, struct report *rep)
{
	struct vt_limits	l;
	int64_t			t0 = vt_mono_ms();
	uint64_t		k;

	/* Past the 99 the test set before. */
	for (k = 100; !__atomic_load_n(&rep->stop, __ATOMIC_RELAXED); k++) {
		limits_fill(&l, k);
		vt_limits_set(shm, &l);
		if (k % 1024 == 0 && vt_mono_ms() - t0 > WRITER_MAX_MS)
			break;
	}
	rep->writes = k;
	_exit(0);
}

static void
limits_reader(const struct vt_shm *shm, struct report *rep, int r)
{
	struct vt_limits	l, zero;
	int64_t			k, last = 0;

	memset(&zero, 0, sizeof(zero));
	while (!__atomic_load_n(&rep->stop, __ATOMIC_RELAXED)) {
		rep->reads[r]++;
		vt_limits_get(shm, &l);
		if (memcmp(&l, &zero, sizeof(l)) == 0) {
			/* Gave up (or nothing written yet): all zeros. */
			rep->failed[r]++;
			continue;
		}
		if ((k = limits_k(&l)) < 0)
			rep->torn[r]++;
		else if (k < last)
			rep->backwards[r]++;
		else
			last = k;
	}
	_exit(0);
}

/* The master's limits, the other seqlock of the mapping. */
static void
test_limits(void)
{
	struct vt_shm		*shm;
	struct vt_limits	 l, got;
	struct report		*rep = report_map();
	char			 err[VT_ERRLEN];
	pid_t			 w, rd[READERS];
	uint64_t		 reads = 0, torn = 0, back = 0;
	int64_t			 t0;
	int			 fd, i, clean;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	limits_fill(&l, 99);
	vt_limits_set(shm, &l);
	vt_limits_get(shm, &got);
	ok(memcmp(&l, &got, sizeof(l)) == 0 && shm->limits_seq == 2,
	    "limits: read back as set");

	/* A master that died mid-write: the reader gives up with zeros. */
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);
	t0 = vt_mono_us();
	vt_limits_get(shm, &got);
	memset(&l, 0, sizeof(l));
	ok(memcmp(&l, &got, sizeof(l)) == 0 && vt_mono_us() - t0 < 100000,
	    "limits: an odd counter gives zeros after bounded tries");
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);

	if ((w = hung_spawn()) == 0)
		limits_writer(shm, rep);
	for (i = 0; i < READERS; i++)
		if ((rd[i] = hung_spawn()) == 0)
			limits_reader(shm, rep, i);
	usleep(RACE_MS * 1000);
	__atomic_store_n(&rep->stop, 1, __ATOMIC_RELAXED);
	clean = reap(w);
	for (i = 0; i < READERS; i++) {
		clean = reap(rd[i]) && clean;
		reads += rep->reads[i];
		torn += rep->torn[i];
		back += rep->backwards[i];
	}
	ok(clean && rep->writes > 1000 && reads > 1000, "limits race: %llu "
	    "writes, %llu reads", (unsigned long long)rep->writes,
	    (unsigned long long)reads);
	is_int((long long)torn, 0, "limits race: no torn read");
	is_int((long long)back, 0, "limits race: no read older than one "
	    "before it");
	munmap(rep, sizeof(*rep));
	munmap(shm, sizeof(*shm));
	close(fd);
}

/* Counters from several processes at once: no increment is lost. */
static void
test_counters(void)
{
	struct vt_shm	*shm;
	char		 err[VT_ERRLEN];
	pid_t		 pid[COUNTERS];
	uint64_t	 j;
	int		 fd, i, clean = 1;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	for (i = 0; i < COUNTERS; i++) {
		if ((pid[i] = hung_spawn()) != 0)
			continue;
		for (j = 0; j < COUNT_EACH; j++) {
			vt_count(&shm->c.accepted, 1);
			vt_count_max(&shm->c.max_busy, j * COUNTERS +
			    (uint64_t)i);
		}
		_exit(0);
	}
	for (i = 0; i < COUNTERS; i++)
		clean = reap(pid[i]) && clean;
	ok(clean, "counters: the processes exited 0");
	is_int((long long)vt_load(&shm->c.accepted),
	    (long long)COUNTERS * COUNT_EACH,
	    "vt_count: every increment of %d processes counted", COUNTERS);
	is_int((long long)vt_load(&shm->c.max_busy),
	    (long long)COUNTERS * COUNT_EACH - 1,
	    "vt_count_max: the largest value of any process");
	vt_count_max(&shm->c.max_busy, 3);
	is_int((long long)vt_load(&shm->c.max_busy),
	    (long long)COUNTERS * COUNT_EACH - 1,
	    "vt_count_max: a smaller value does not lower it");
	vt_count(&shm->c.slow_requests, 5);
	vt_count(&shm->c.slow_requests, 0);
	is_int((long long)vt_load(&shm->c.slow_requests), 5,
	    "vt_count: adds n");
	munmap(shm, sizeof(*shm));
	close(fd);
}

static void
test_routes(void)
{
	struct vt_shm		*shm;
	struct vt_route_stats	*r;
	char			 err[VT_ERRLEN];
	int			 fd;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	r = &shm->routes[2];
	vt_route_record(shm, 2, 200, 100);	/* 0.0001 s: the first bound */
	vt_route_record(shm, 2, 204, 101);
	vt_route_record(shm, 2, 404, 2000);
	vt_route_record(shm, 2, 503, 10 * 1000000);
	vt_route_record(shm, 2, 600, -5);
	ok(r->hist[1] == 1 && r->hist[4] == 1 && r->hist[VT_HIST_BUCKETS] == 1,
	    "route: durations land in their buckets, 10 s in +Inf");
	ok(r->hist[0] == 2 && r->count == 5, "route: a bound is inclusive; "
	    "a negative duration is in the first bucket, counted");
	ok(r->by_class[2] == 2 && r->by_class[4] == 1 && r->by_class[5] == 2,
	    "route: by class; a status past 5xx counts as 5xx");
	is_int((long long)r->sum_us, 100 + 101 + 2000 + 10 * 1000000,
	    "route: the sum of durations; a negative one adds 0");
	vt_route_record(shm, -1, 200, 1);
	vt_route_record(shm, VT_ROUTE_MAX, 302, 1);
	ok(shm->c.by_class[2] == 3 && shm->c.by_class[3] == 1 &&
	    shm->c.by_class[4] == 1 && shm->c.by_class[5] == 2,
	    "route: the pool counts every class, known route or not");
	ok(r->count == 5 && shm->routes[0].count == 0 &&
	    shm->routes[VT_ROUTE_MAX - 1].count == 0,
	    "route: an unknown route touches no route's figures");
	munmap(shm, sizeof(*shm));
	close(fd);
}

static void
test_names(void)
{
	is_str(vt_slot_state_name(VT_SLOT_EMPTY), "empty", "state: empty");
	is_str(vt_slot_state_name(VT_SLOT_STARTING), "starting",
	    "state: starting");
	is_str(vt_slot_state_name(VT_SLOT_IDLE), "idle", "state: idle");
	is_str(vt_slot_state_name(VT_SLOT_READING), "reading",
	    "state: reading");
	is_str(vt_slot_state_name(VT_SLOT_BUSY), "busy", "state: busy");
	is_str(vt_slot_state_name(VT_SLOT_EXITING), "exiting",
	    "state: exiting");
	is_str(vt_slot_state_name(VT_SLOT_EXITING + 1), "unknown",
	    "state: past the last is unknown");
	is_str(vt_restart_cause_name(VT_RESTART_EXIT), "exit", "cause: exit");
	is_str(vt_restart_cause_name(VT_RESTART_SIGNAL), "signal",
	    "cause: signal");
	is_str(vt_restart_cause_name(VT_RESTART_WATCHDOG), "watchdog",
	    "cause: watchdog");
	is_str(vt_restart_cause_name(VT_RESTART_RECYCLE), "recycle",
	    "cause: recycle");
	is_str(vt_restart_cause_name(VT_RESTART_MAX), "unknown",
	    "cause: past the last is unknown");
	is_str(vt_restart_cause_name(-1), "unknown",
	    "cause: a negative one is unknown");
}

int
main(void)
{
	test_create();
	test_slot_single();
	test_slot_race();
	test_limits();
	test_counters();
	test_routes();
	test_names();
	done_testing();
	return tap_exit_status();
}

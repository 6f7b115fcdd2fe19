/*
 * health-t.c: app/health.c, the single-flight health probe, through its
 * own interface and the real app/db.c underneath.
 *
 * No mocks: the probe's database is a MariaDB option file.  A "dead" one
 * names a socket path where nothing listens (a real, fast unreachable);
 * a "hung" one names a socket served by a child process that accepts and
 * never says a word, so a probe runs to its deadline, and the child
 * counts the connections it was given: how many probes touched the
 * network.  The shared state lives in a MAP_SHARED mapping, as it does in
 * the scoreboard, and the rival workers are forked processes.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "health.h"
#include "log.h"
#include "vitals.h"
#include "hung.h"
#include "tap.h"

#define TIMEOUT_MS	300		/* the probe's deadline */
#define SLACK_MS	200		/* scheduling on a loaded machine */
#define RIVALS		8		/* workers wanting a probe at once */
#define HAMMERS		4		/* workers asking for a while */
#define HAMMER_MS	600
#define HAMMER_CACHE_MS	100
#define REAP_MS		5000

/* What a forked worker reports. */
struct answer {
	int32_t	source;		/* enum vt_health_source */
	int32_t	status;
	int64_t	elapsed_ms;
	int64_t	calls;
	int64_t	by_source[4];
};

struct shared {
	struct vt_health_state	h;
	struct answer		a[RIVALS];
};

static struct shared		*sh;
static struct vt_health_state	*h;
static char			 tmpdir[VT_PATH_LEN];
static char			 dead_cnf[VT_PATH_LEN], hung_cnf[VT_PATH_LEN];
static int			 accept_pipe = -1;
static int			 accepted;

static void
write_file(const char *path, const char *fmt, ...)
{
	va_list	ap;
	FILE   *f;

	if ((f = fopen(path, "w")) == NULL)
		bail("cannot write %s: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0)
		bail("cannot write %s: %s", path, strerror(errno));
}

static void
tmp_path(char *dst, size_t len, const char *name)
{
	if ((size_t)snprintf(dst, len, "%s/%s", tmpdir, name) >= len)
		bail("path too long");
}

/* Connections the hung server has taken so far (hung.h). */
static int
accepts(void)
{
	return hung_accepts(accept_pipe, &accepted, 20);
}

/* Wait for pid, at most REAP_MS; 1 when it exited 0. */
static int
reap(pid_t pid)
{
	int64_t	t0 = vt_mono_ms();
	pid_t	w;
	int	status = 0;

	while ((w = waitpid(pid, &status, WNOHANG)) == 0 &&
	    vt_mono_ms() - t0 < REAP_MS)
		usleep(1000);
	if (w == 0) {
		kill(pid, SIGKILL);
		(void)waitpid(pid, &status, 0);
		diag("pid %d did not finish in %d ms", (int)pid, REAP_MS);
		return 0;
	}
	return w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Wait until pid holds the probe and has stamped its claim; 0 when it did
 * not within REAP_MS.
 */
static int
await_owner(pid_t pid)
{
	int64_t	t0 = vt_mono_ms();

	while (__atomic_load_n(&h->owner, __ATOMIC_ACQUIRE) != (int32_t)pid ||
	    __atomic_load_n(&h->owner_since_mono_ms, __ATOMIC_ACQUIRE) == 0) {
		if (vt_mono_ms() - t0 > REAP_MS)
			return 0;
		usleep(500);
	}
	return 1;
}

static void
state_reset(void)
{
	memset(sh, 0, sizeof(*sh));
}

/*
 * A worker that probes the hung server and stays in its probe: returned
 * once it holds the claim and the server has its connection, so its
 * probe is counted and its deadline running.
 */
static pid_t
hung_prober(void)
{
	struct vt_health_result	 r;
	struct vt_db		*db = NULL;
	int64_t			 t0 = vt_mono_ms();
	int			 before = accepts();
	pid_t			 pid;

	if ((pid = hung_spawn()) == 0) {
		vt_health_get(h, &db, hung_cnf, NULL, TIMEOUT_MS, 0, &r);
		_exit(0);
	}
	if (!await_owner(pid))
		bail("the prober %d never claimed the probe", (int)pid);
	while (accepts() == before)
		if (vt_mono_ms() - t0 > REAP_MS)
			bail("the prober %d never reached the server", (int)pid);
	return pid;
}

static void
test_last(void)
{
	struct vt_health_result	r;

	state_reset();
	memset(&r, 0x5a, sizeof(r));
	vt_health_last(h, &r);
	is_int(r.status, -1, "never probed: status -1");
}

/* One process: probe, cache, expiry, the results counted. */
static void
test_cache(void)
{
	struct vt_health_result	 r, again, last;
	struct vt_db		*db = NULL, *none = NULL;
	enum vt_health_source	 src;

	state_reset();
	src = vt_health_get(h, &db, dead_cnf, NULL, TIMEOUT_MS, 1000, &r);
	is_int(src, VT_HEALTH_PROBED, "no result yet: this worker probes");
	is_int(r.status, VT_DB_UNREACHABLE, "a dead socket: unreachable");
	ok(db != NULL, "the worker's connection is opened on first use");
	ok(r.checked_mono_ms > 0 && r.checked_at_ms > 0,
	    "the result is stamped");
	ok(h->probes == 1 && h->results[VT_DB_UNREACHABLE] == 1 &&
	    h->owner == 0, "one probe counted by its category, the probe "
	    "released");
	vt_health_last(h, &last);
	ok(memcmp(&last, &r, sizeof(r)) == 0, "the result is shared as "
	    "returned");

	usleep(2000);
	src = vt_health_get(h, &db, dead_cnf, NULL, TIMEOUT_MS, 1000, &again);
	ok(src == VT_HEALTH_CACHED && again.checked_mono_ms ==
	    r.checked_mono_ms && again.status == r.status && h->probes == 1,
	    "within health_cache: the shared result, no probe");

	usleep(20 * 1000);
	src = vt_health_get(h, &db, dead_cnf, NULL, TIMEOUT_MS, 10, &again);
	ok(src == VT_HEALTH_PROBED && again.checked_mono_ms >
	    r.checked_mono_ms && h->probes == 2,
	    "past health_cache: probed again, a newer result");
	is_int(again.status, VT_DB_UNREACHABLE, "in the worker's back-off: "
	    "still the category that started it");

	usleep(2000);
	src = vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 0, &again);
	ok(src == VT_HEALTH_PROBED && again.status == VT_DB_ERROR &&
	    none == NULL && h->results[VT_DB_ERROR] == 1,
	    "no db_config: probed as an error, no connection");
	vt_db_close(db);
}

/* The prober itself never runs past its deadline. */
static void
test_deadline(void)
{
	struct vt_health_result	 r;
	struct vt_db		*db = NULL;
	enum vt_health_source	 src;
	int			 before = accepts();
	int64_t			 t0, took;

	state_reset();
	t0 = vt_mono_ms();
	src = vt_health_get(h, &db, hung_cnf, NULL, TIMEOUT_MS, 1000, &r);
	took = vt_mono_ms() - t0;
	ok(src == VT_HEALTH_PROBED && r.status == VT_DB_TIMEOUT,
	    "a server that never answers: probed, timeout");
	ok(took >= TIMEOUT_MS * 9 / 10 && took <= TIMEOUT_MS + SLACK_MS,
	    "the probe ends at its deadline (%lld ms of %d)", (long long)took,
	    TIMEOUT_MS);
	is_int(accepts() - before, 1, "one connection to the server");
	ok(h->owner == 0 && h->results[VT_DB_TIMEOUT] == 1,
	    "the probe is released, its timeout counted");
	vt_db_close(db);
}

/*
 * RIVALS workers want a probe at the same moment, with nothing cached and
 * a server that never answers: exactly one of them probes, the others
 * share its probe or give up at the deadline, none waits longer.
 */
static void
test_single_flight(void)
{
	struct vt_health_result	 r;
	struct vt_db		*db = NULL;
	pid_t			 pid[RIVALS];
	char			 c;
	int			 go[2], i, clean = 1, probed = 0, others = 1;
	int			 status_ok = 1, before = accepts();
	int64_t			 t0, slowest = 0;

	state_reset();
	if (pipe(go) == -1)
		bail("pipe: %s", strerror(errno));
	for (i = 0; i < RIVALS; i++) {
		if ((pid[i] = hung_spawn()) != 0)
			continue;
		close(go[1]);
		/* Every rival waits here until the parent lets them all go. */
		if (read(go[0], &c, 1) != 0)
			_exit(1);
		t0 = vt_mono_ms();
		sh->a[i].source = (int32_t)vt_health_get(h, &db, hung_cnf,
		    NULL, TIMEOUT_MS, 1000, &r);
		sh->a[i].elapsed_ms = vt_mono_ms() - t0;
		sh->a[i].status = r.status;
		_exit(0);
	}
	close(go[0]);
	close(go[1]);
	for (i = 0; i < RIVALS; i++) {
		clean = reap(pid[i]) && clean;
		if (sh->a[i].source == VT_HEALTH_PROBED)
			probed++;
		else
			others = others &&
			    (sh->a[i].source == VT_HEALTH_SHARED ||
			    sh->a[i].source == VT_HEALTH_INFLIGHT_TIMEOUT ||
			    sh->a[i].source == VT_HEALTH_CACHED);
		status_ok = status_ok && sh->a[i].status == VT_DB_TIMEOUT;
		if (sh->a[i].elapsed_ms > slowest)
			slowest = sh->a[i].elapsed_ms;
	}
	ok(clean, "rivals: all %d exited 0", RIVALS);
	is_int(probed, 1, "rivals: exactly one of %d probed", RIVALS);
	is_int((long long)h->probes, 1, "rivals: one probe counted");
	is_int(accepts() - before, 1, "rivals: one connection reached the "
	    "server");
	ok(others, "rivals: the others shared the probe or gave up at its "
	    "deadline");
	ok(status_ok, "rivals: every one answers timeout");
	ok(slowest <= TIMEOUT_MS + SLACK_MS, "rivals: none waited past the "
	    "deadline (slowest %lld ms)", (long long)slowest);
	ok(h->owner == 0, "rivals: the probe is released");
}

/*
 * While a probe is in flight: with no result to share, a worker waits for
 * it no longer than the deadline; with a result at most one deadline past
 * health_cache, it answers that result at once.  Neither probes.
 */
static void
test_in_flight(void)
{
	struct vt_health_result	 r, first, last;
	struct vt_db		*none = NULL;
	enum vt_health_source	 src;
	pid_t			 pid;
	int64_t			 t0, took;
	int			 before;

	state_reset();
	before = accepts();
	pid = hung_prober();
	t0 = vt_mono_ms();
	src = vt_health_get(h, &none, dead_cnf, NULL, TIMEOUT_MS, 1000, &r);
	took = vt_mono_ms() - t0;
	ok(src == VT_HEALTH_SHARED || src == VT_HEALTH_INFLIGHT_TIMEOUT,
	    "in flight, nothing to share: waits for the probe (source %d)",
	    (int)src);
	is_int(r.status, VT_DB_TIMEOUT, "in flight, nothing to share: the "
	    "answer is timeout");
	ok(took <= TIMEOUT_MS + SLACK_MS, "in flight: no longer than the "
	    "deadline (%lld ms)", (long long)took);
	ok(none == NULL && h->probes == 1, "in flight: the waiter did not "
	    "probe");
	ok(reap(pid), "in flight: the prober exited 0");
	is_int(accepts() - before, 1, "in flight: one connection reached "
	    "the server");

	/* A result exists, older than health_cache by less than a deadline. */
	state_reset();
	vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 0, &first);
	usleep(10 * 1000);
	pid = hung_prober();
	t0 = vt_mono_ms();
	src = vt_health_get(h, &none, dead_cnf, NULL, TIMEOUT_MS, 1, &r);
	took = vt_mono_ms() - t0;
	is_int(src, VT_HEALTH_SHARED, "in flight, a recent result: shared");
	ok(r.status == VT_DB_ERROR && r.checked_mono_ms ==
	    first.checked_mono_ms, "in flight: the previous result, as it was");
	ok(took < SLACK_MS, "in flight, a recent result: at once (%lld ms)",
	    (long long)took);
	ok(none == NULL && h->probes == 2, "in flight, a recent result: no "
	    "second probe");
	ok(reap(pid), "in flight: the prober exited 0");
	vt_health_last(h, &last);
	ok(last.status == VT_DB_TIMEOUT && last.checked_mono_ms >
	    first.checked_mono_ms && h->owner == 0,
	    "the probe in flight publishes its result when it ends");
}

/*
 * A probe that began late (the recorder's refresh, or the first request
 * after a quiet spell) while the last result was still an answer: a
 * request in the probe's tail, when that result is past health_cache plus
 * a deadline, still answers it at once instead of waiting on the probe.
 */
static void
test_late_flight(void)
{
	struct vt_health_result	 r, first;
	struct vt_db		*none = NULL;
	enum vt_health_source	 src;
	pid_t			 pid;
	int64_t			 t0, took, since;
	const int		 cache = 100;

	state_reset();
	vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 0, &first);
	usleep(200 * 1000);
	pid = hung_prober();
	since = __atomic_load_n(&h->owner_since_mono_ms, __ATOMIC_ACQUIRE);
	/* The result is past cache + deadline, the probe still in flight. */
	while (vt_mono_ms() - first.checked_mono_ms <= cache + TIMEOUT_MS + 50)
		usleep(2 * 1000);
	if (since - first.checked_mono_ms > cache + TIMEOUT_MS ||
	    vt_mono_ms() - since >= TIMEOUT_MS - 20) {
		skip(3, "the machine was too slow to set the scene (claim "
		    "%lld ms after the result)",
		    (long long)(since - first.checked_mono_ms));
		(void)reap(pid);
		return;
	}
	t0 = vt_mono_ms();
	src = vt_health_get(h, &none, dead_cnf, NULL, TIMEOUT_MS, cache, &r);
	took = vt_mono_ms() - t0;
	is_int(src, VT_HEALTH_SHARED, "late probe in flight: the result it "
	    "replaces is shared");
	ok(r.checked_mono_ms == first.checked_mono_ms && took < SLACK_MS / 4,
	    "late probe in flight: that result, at once (%lld ms)",
	    (long long)took);
	ok(reap(pid) && h->probes == 2, "late probe in flight: no probe of "
	    "its own");
}

/*
 * A prober killed mid-probe leaves its claim.  The master's release frees
 * it at once; without it, others wait no longer than a deadline, and the
 * claim is taken over once it is two deadlines old.
 */
static void
test_crashed(void)
{
	struct vt_health_result	 r;
	struct vt_db		*none = NULL;
	enum vt_health_source	 src;
	pid_t			 pid;
	int64_t			 t0, took, since;

	state_reset();
	pid = hung_prober();
	since = __atomic_load_n(&h->owner_since_mono_ms, __ATOMIC_ACQUIRE);
	kill(pid, SIGKILL);
	(void)reap(pid);
	ok(h->owner == pid, "a prober killed mid-probe leaves its claim");
	vt_health_release(h, getpid());
	ok(h->owner == pid, "release of another pid leaves the claim");

	t0 = vt_mono_ms();
	src = vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 1000, &r);
	took = vt_mono_ms() - t0;
	ok(src == VT_HEALTH_INFLIGHT_TIMEOUT && r.status == VT_DB_TIMEOUT,
	    "a stale claim younger than two deadlines: timeout, not a probe");
	ok(took <= TIMEOUT_MS + SLACK_MS && h->probes == 1,
	    "a stale claim: no longer than the deadline (%lld ms), nothing "
	    "probed", (long long)took);

	while (vt_mono_ms() - since <= 2 * TIMEOUT_MS)
		usleep(5 * 1000);
	src = vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 1000, &r);
	ok(src == VT_HEALTH_PROBED && r.status == VT_DB_ERROR &&
	    h->probes == 2, "a claim two deadlines old is taken over");
	ok(h->owner == 0, "the takeover releases the probe");

	state_reset();
	pid = hung_prober();
	kill(pid, SIGKILL);
	(void)reap(pid);
	vt_health_release(h, pid);
	ok(h->owner == 0, "the master's release of the dead prober frees "
	    "the claim");
	t0 = vt_mono_ms();
	src = vt_health_get(h, &none, NULL, NULL, TIMEOUT_MS, 1000, &r);
	took = vt_mono_ms() - t0;
	ok(src == VT_HEALTH_PROBED && took < SLACK_MS,
	    "after the release: the next worker probes at once (%lld ms)",
	    (long long)took);
}

/*
 * A prober stopped past two deadlines (SIGSTOP, a debugger, a machine
 * that swaps) has its claim taken over.  When it resumes and ends, it
 * must not free the claim of the worker whose probe is now in flight.
 */
static void
test_stopped(void)
{
	pid_t	p, q;
	int64_t	since;

	state_reset();
	p = hung_prober();
	since = __atomic_load_n(&h->owner_since_mono_ms, __ATOMIC_ACQUIRE);
	kill(p, SIGSTOP);
	while (vt_mono_ms() - since <= 2 * TIMEOUT_MS)
		usleep(5 * 1000);
	q = hung_prober();
	ok(h->owner == q, "stopped prober: its claim is taken over");
	kill(p, SIGCONT);
	ok(reap(p), "stopped prober: it resumes and ends");
	ok(h->owner == q, "stopped prober: it leaves the new claim alone");
	ok(reap(q), "stopped prober: the worker that took over ends");
	ok(h->owner == 0 && h->probes == 2, "stopped prober: the claim is "
	    "free, two probes counted");
}

/*
 * HAMMERS workers ask for health without pause for HAMMER_MS: a probe
 * starts only when the shared result is older than health_cache, so the
 * probes are at most one per period, plus the first.
 */
static void
test_periods(void)
{
	struct vt_health_result	 r;
	struct vt_db		*db = NULL;
	pid_t			 pid[HAMMERS];
	char			 c;
	int			 go[2], i, clean = 1, known = 1;
	int64_t			 t0, span, probed = 0, calls = 0;
	enum vt_health_source	 src;

	state_reset();
	if (pipe(go) == -1)
		bail("pipe: %s", strerror(errno));
	for (i = 0; i < HAMMERS; i++) {
		if ((pid[i] = hung_spawn()) != 0)
			continue;
		close(go[1]);
		if (read(go[0], &c, 1) != 0)
			_exit(1);
		t0 = vt_mono_ms();
		while (vt_mono_ms() - t0 < HAMMER_MS) {
			src = vt_health_get(h, &db, dead_cnf, NULL,
			    TIMEOUT_MS, HAMMER_CACHE_MS, &r);
			sh->a[i].calls++;
			if ((unsigned)src < VT_ARRAY_LEN(sh->a[i].by_source))
				sh->a[i].by_source[src]++;
			usleep(200);
		}
		_exit(0);
	}
	close(go[0]);
	t0 = vt_mono_ms();
	close(go[1]);
	for (i = 0; i < HAMMERS; i++) {
		clean = reap(pid[i]) && clean;
		probed += sh->a[i].by_source[VT_HEALTH_PROBED];
		calls += sh->a[i].calls;
		known = known && sh->a[i].by_source[VT_HEALTH_INFLIGHT_TIMEOUT]
		    == 0;
	}
	span = vt_mono_ms() - t0;
	ok(clean, "periods: the workers exited 0");
	is_int((long long)h->probes, (long long)probed,
	    "periods: every probe counted once");
	ok(probed >= 2 && probed <= span / HAMMER_CACHE_MS + 1,
	    "periods: %lld probes for %lld calls in %lld ms, at most one "
	    "per %d ms", (long long)probed, (long long)calls,
	    (long long)span, HAMMER_CACHE_MS);
	ok(known, "periods: a fast probe never leaves a worker waiting out "
	    "a deadline");
}

int
main(void)
{
	char	sock[VT_PATH_LEN], cmd[VT_PATH_LEN + 16];
	pid_t	server;

	signal(SIGPIPE, SIG_IGN);
	vt_log_set_level(VT_LOG_ERR);	/* the failed probes are expected */
	if (tap_tmpdir("vt-health-t", tmpdir, sizeof(tmpdir)) == -1)
		bail("temporary directory: %s", strerror(errno));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	h = &sh->h;

	tmp_path(sock, sizeof(sock), "absent.sock");
	tmp_path(dead_cnf, sizeof(dead_cnf), "dead.cnf");
	write_file(dead_cnf, "[vitals]\nsocket=%s\nuser=nobody\n", sock);
	tmp_path(sock, sizeof(sock), "hung.sock");
	tmp_path(hung_cnf, sizeof(hung_cnf), "hung.cnf");
	write_file(hung_cnf, "[vitals]\nsocket=%s\nuser=nobody\n", sock);
	server = hung_server(sock, &accept_pipe);

	test_last();
	test_cache();
	test_deadline();
	test_single_flight();
	test_in_flight();
	test_late_flight();
	test_crashed();
	test_stopped();
	test_periods();

	kill(server, SIGKILL);
	(void)waitpid(server, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("cannot remove %s", tmpdir);
	done_testing();
	return tap_exit_status();
}

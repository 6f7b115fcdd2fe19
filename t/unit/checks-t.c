/*
 * checks-t.c: the check engine (app/checks.c) from input fixtures: each
 * check at ok, warning and critical, unknown on missing input, the hold
 * and clear times, the trends, the summaries' exact text, the verdict and
 * the headline, and the transitions counted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checks.h"
#include "db.h"
#include "render/checks.h"
#include "tap.h"

#define T0	1700000000000LL		/* wall ms of the first sample */

static struct vt_checks		*S;
static struct vt_checks_conf	 C;
static struct vt_checks_input	 I;

/* A healthy host: every input known, nothing near a threshold. */
static void
healthy(int64_t now)
{
	memset(&I, 0, sizeof(I));
	I.now_ms = now;
	I.health_known = 1;
	I.health_status = VT_DB_OK;
	I.health_latency_ms = 1.2;
	I.health_checked_ms = now - 500;
	I.pool_known = I.queue_known = 1;
	I.listen_backlog = 4096;
	I.workers = 4;
	I.busy = 1;
	I.listeners_known = 1;
	I.nlisteners = 1;
	I.listeners_total = 3;
	I.listener[0].family = AF_INET;
	strcpy(I.listener[0].address, "0.0.0.0");
	I.listener[0].port = 443;
	I.listener[0].backlog = 511;
	I.netstat_known = 1;
	I.tcp_known = 1;
	I.close_wait = 3;
	I.fs_known = 1;
	I.nfs = 1;
	strcpy(I.fs[0].mountpoint, "/");
	I.fs[0].key = vt_checks_key("/");
	I.fs[0].size = 100000;
	I.fs[0].used = 41000;
	I.fs[0].avail = 59000;
	I.fs[0].files = 1000;
	I.fs[0].files_free = 900;
	I.mem_known = 1;
	I.mem_available_percent = 62.5;
	I.psi_memory_known = 1;
	I.oom_known = 1;
	I.oom_kills = 7;
	I.psi_cpu_known = 1;
	I.psi_cpu_some = 3;
	I.load_known = 1;
	I.load1 = 0.8;
	I.ncpu = 2;
	I.iowait_known = 1;
	I.iowait_percent = 1;
	I.filenr_known = 1;
	I.files_allocated = 1234;
	I.files_max = 100000;
}

static void
fresh(void)
{
	vt_checks_conf_defaults(&C);
	vt_checks_init(S);
}

/* Evaluate I once at now (the health result kept fresh). */
static void
eval_at(int64_t now)
{
	I.now_ms = now;
	if (I.health_known && now - I.health_checked_ms < 5000)
		I.health_checked_ms = now - 500;
	vt_checks_eval(S, &C, &I);
}

/* Evaluate once a second from from_s to to_s after T0, inclusive. */
static void
run(int from_s, int to_s)
{
	int	t;

	for (t = from_s; t <= to_s; t++)
		eval_at(T0 + (int64_t)t * 1000);
}

static const char *
state(int check)
{
	return vt_check_state_names[S->item[check].state];
}

static void
test_healthy(void)
{
	int	i, bad = 0;

	fresh();
	healthy(T0);
	run(0, 5);
	for (i = 0; i < VT_CHECK_N; i++)
		if (S->item[i].state != VT_CHECK_OK) {
			diag("%s is %s: %s", vt_check_names[i], state(i),
			    S->item[i].summary);
			bad++;
		}
	is_int(bad, 0, "healthy input: every check ok");
	is_str(vt_check_state_names[S->verdict], "ok", "verdict ok");
	is_str(S->headline, "Healthy", "headline Healthy");
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database answered in 1.2 ms",
	    "database ok summary");
	is_str(S->item[VT_CHECK_POOL_QUEUE].summary,
	    "No connections waiting; 1 of 4 workers busy", "pool_queue ok");
	is_str(S->item[VT_CHECK_LISTENERS].summary,
	    "3 listeners, none with connections waiting", "listeners ok");
	is_str(S->item[VT_CHECK_FILESYSTEM].summary,
	    "Fullest filesystem / 41.0% used", "filesystem ok");
	bad = 0;
	for (i = 0; i < VT_CHECK_N; i++)
		bad += (int)(S->transitions[i][0] + S->transitions[i][1] +
		    S->transitions[i][2] + S->transitions[i][3]);
	is_int(bad, 0, "the first ok states count no transition");
}

static void
test_unknown(void)
{
	int	i, unknown = 0;

	fresh();
	memset(&I, 0, sizeof(I));
	run(0, 2);
	for (i = 0; i < VT_CHECK_N; i++)
		if (S->item[i].state == VT_CHECK_UNKNOWN)
			unknown++;
	is_int(unknown, VT_CHECK_N - 1, "no input: all but sampler unknown");
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "No database health result yet", "database unknown summary");
	is_str(S->item[VT_CHECK_FILE_DESCRIPTORS].summary,
	    "Open file counts not read yet", "file_descriptors unknown");
	is_str(S->headline, "Healthy", "unknown checks are not problems");

	/* A stale health result: unknown, not ok. */
	fresh();
	healthy(T0);
	run(0, 1);
	I.health_checked_ms = T0 - 20000;
	eval_at(T0 + 2000);
	is_str(state(VT_CHECK_DATABASE), "unknown", "stale health: unknown");
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database health result 22 s old: the probe is not running",
	    "stale health summary");
	is_int((long long)S->transitions[VT_CHECK_DATABASE][VT_CHECK_UNKNOWN],
	    1, "ok -> unknown counted");
}

static void
test_database(void)
{
	fresh();
	healthy(T0);
	run(0, 1);
	I.health_status = VT_DB_UNREACHABLE;
	run(2, 4);
	is_str(state(VT_CHECK_DATABASE), "ok", "unreachable 2 s: still ok "
	    "(hold 3 s)");
	eval_at(T0 + 5000);
	is_str(state(VT_CHECK_DATABASE), "critical",
	    "after the hold: critical");
	ok(S->changed == 1u << VT_CHECK_DATABASE, "changed bit of database");
	is_str(vt_check_state_names[S->from[VT_CHECK_DATABASE]], "ok",
	    "from ok");
	is_int(S->item[VT_CHECK_DATABASE].since_ms, T0 + 5000, "since");
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database unreachable for 3 s", "summary");
	is_str(vt_check_state_names[S->verdict], "critical", "verdict");
	is_str(S->headline, "Database unreachable for 3 s", "headline");
	run(6, 16);
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database unreachable for 14 s", "the duration grows");
	I.health_status = VT_DB_OK;
	run(17, 30);
	is_str(state(VT_CHECK_DATABASE), "critical", "clear 14 s: still "
	    "critical (clear 15 s)");
	eval_at(T0 + 32000);
	is_str(state(VT_CHECK_DATABASE), "ok", "after the clear time: ok");
	is_int((long long)S->transitions[VT_CHECK_DATABASE][VT_CHECK_CRITICAL],
	    1, "one transition to critical");
	is_int((long long)S->transitions[VT_CHECK_DATABASE][VT_CHECK_OK], 1,
	    "one transition to ok");

	/* Slow answers. */
	fresh();
	healthy(T0);
	I.health_latency_ms = 150;
	run(0, 4);
	is_str(state(VT_CHECK_DATABASE), "warning", "150 ms: warning");
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database slow: answered in 150 ms (warning at 100 ms)",
	    "slow summary");
	I.health_latency_ms = 450;
	run(5, 8);
	is_str(state(VT_CHECK_DATABASE), "critical", "450 ms: critical");
	is_dbl(S->item[VT_CHECK_DATABASE].threshold, 0.4, 1e-9,
	    "critical threshold 0.4 s");
	I.health_status = VT_DB_TIMEOUT;
	run(9, 9);
	is_str(S->item[VT_CHECK_DATABASE].summary,
	    "Database not answering within its deadline for 0 s",
	    "timeout summary");
}

static void
test_flap(void)
{
	int	k;

	fresh();
	healthy(T0);
	run(0, 0);
	for (k = 0; k < 5; k++) {
		I.health_status = VT_DB_UNREACHABLE;
		run(1 + 4 * k, 2 + 4 * k);
		I.health_status = VT_DB_OK;
		run(3 + 4 * k, 4 + 4 * k);
	}
	is_str(state(VT_CHECK_DATABASE), "ok", "2 s failures never fire");
	is_int((long long)S->transitions[VT_CHECK_DATABASE][VT_CHECK_CRITICAL],
	    0, "no transition counted");
}

static void
test_pool(void)
{
	fresh();
	healthy(T0);
	run(0, 0);
	I.listen_queue = 3;
	run(1, 4);
	is_str(state(VT_CHECK_POOL_QUEUE), "warning", "queue 3: warning");
	is_str(S->item[VT_CHECK_POOL_QUEUE].summary,
	    "3 connections waiting for a worker for 3 s (backlog 4096)",
	    "queue summary");
	I.listen_queue = 40;
	run(5, 8);
	is_str(state(VT_CHECK_POOL_QUEUE), "critical", "queue 40: critical");
	is_int((long long)S->transitions[VT_CHECK_POOL_QUEUE][VT_CHECK_WARNING],
	    1, "ok -> warning counted");
	is_int((long long)
	    S->transitions[VT_CHECK_POOL_QUEUE][VT_CHECK_CRITICAL],
	    1, "warning -> critical counted");

	fresh();
	healthy(T0);
	I.busy = 4;
	run(0, 12);
	is_str(state(VT_CHECK_POOL_QUEUE), "ok", "all busy 12 s: ok yet");
	run(13, 13);
	is_str(state(VT_CHECK_POOL_QUEUE), "warning", "all busy 13 s: warning");
	is_str(S->item[VT_CHECK_POOL_QUEUE].summary, "All 4 workers busy for "
	    "13 s", "busy summary");

	/* Restarts in the window. */
	fresh();
	healthy(T0);
	run(0, 1);
	I.crashes = 1;
	run(2, 5);
	is_str(state(VT_CHECK_POOL_RESTARTS), "warning", "1 crash: warning");
	is_str(S->item[VT_CHECK_POOL_RESTARTS].summary,
	    "Workers restarted 1 time in 60 s (1 crash, 0 watchdog kills)",
	    "one crash summary");
	I.crashes = 3;
	I.watchdog_kills = 2;
	I.crash_backoffs = 1;
	run(6, 9);
	is_str(state(VT_CHECK_POOL_RESTARTS), "critical", "5: critical");
	is_str(S->item[VT_CHECK_POOL_RESTARTS].summary,
	    "Workers restarted 5 times in 60 s (3 crashes, 2 watchdog kills); "
	    "crash loop back-off", "crash loop summary");
	run(10, 68);
	is_str(state(VT_CHECK_POOL_RESTARTS), "critical", "within the window");
	run(69, 90);
	is_str(state(VT_CHECK_POOL_RESTARTS), "ok", "window passed, cleared");
	is_str(S->item[VT_CHECK_POOL_RESTARTS].summary,
	    "No unplanned worker restarts in 60 s", "ok summary");
}

static void
test_listeners(void)
{
	fresh();
	healthy(T0);
	I.nlisteners = 2;
	I.listener[1] = I.listener[0];
	I.listener[0].family = AF_INET;
	strcpy(I.listener[0].address, "127.0.0.1");
	I.listener[0].port = 8080;
	I.listener[0].queue = 129;
	I.listener[0].backlog = 128;
	I.listener[0].pid = 4242;
	strcpy(I.listener[0].comm, "python3");
	run(0, 3);
	is_str(state(VT_CHECK_LISTENERS), "critical", "129 of 128: critical");
	is_str(S->item[VT_CHECK_LISTENERS].summary,
	    "Listener 127.0.0.1:8080 (python3 pid 4242) queue 129 of 128 "
	    "(full)", "full summary");
	ok(S->transitions[VT_CHECK_LISTENERS][VT_CHECK_CRITICAL] == 1,
	    "a first state that is a problem counts");

	fresh();
	I.listener[0].queue = 70;
	I.listener[0].family = AF_INET6;
	strcpy(I.listener[0].address, "::1");
	I.listener[0].pid = 0;
	run(0, 3);
	is_str(state(VT_CHECK_LISTENERS), "warning", "70 of 128: warning");
	is_str(S->item[VT_CHECK_LISTENERS].summary,
	    "Listener [::1]:8080 queue 70 of 128 (55%)", "warning summary");

	fresh();
	healthy(T0);
	I.overflows_per_s = 3.2;
	I.drops_per_s = 3.2;
	run(0, 3);
	is_str(state(VT_CHECK_LISTEN_OVERFLOWS), "warning", "3.2/s: warning");
	is_str(S->item[VT_CHECK_LISTEN_OVERFLOWS].summary,
	    "Listen queue overflows 3.2/s, drops 3.2/s: a listener's backlog "
	    "is full", "overflows summary");
	I.overflows_per_s = 20;
	run(4, 7);
	is_str(state(VT_CHECK_LISTEN_OVERFLOWS), "critical", "20/s: critical");
}

static void
test_close_wait(void)
{
	int	m;

	fresh();
	healthy(T0);
	I.holders_known = 1;
	I.holder_pid = 326662;
	strcpy(I.holder_comm, "python3");
	for (m = 0; m <= 6; m++) {
		I.close_wait = 40 + 62 * (uint64_t)m;	/* 40 .. 412 */
		eval_at(T0 + (int64_t)m * 60000);
	}
	eval_at(T0 + 6 * 60000 + 5000);
	is_str(state(VT_CHECK_CLOSE_WAIT), "warning", "412: warning");
	is_str(S->item[VT_CHECK_CLOSE_WAIT].summary,
	    "CLOSE_WAIT 412 and rising for 6 min; most held by python3 pid "
	    "326662", "rising summary");

	/* Growth alone, under the count threshold. */
	fresh();
	healthy(T0);
	for (m = 0; m <= 5; m++) {
		I.close_wait = 30 + 10 * (uint64_t)m;
		eval_at(T0 + (int64_t)m * 60000);
		eval_at(T0 + (int64_t)m * 60000 + 4000);
	}
	is_str(state(VT_CHECK_CLOSE_WAIT), "warning", "5 min of growth warns");
	is_str(S->item[VT_CHECK_CLOSE_WAIT].summary,
	    "CLOSE_WAIT 80 and rising for 5 min", "growth summary");
	I.close_wait = 70;
	eval_at(T0 + 6 * 60000);
	is_str(S->item[VT_CHECK_CLOSE_WAIT].summary, "CLOSE_WAIT 70",
	    "falling: no longer rising");

	fresh();
	healthy(T0);
	I.close_wait = 1500;
	run(0, 3);
	is_str(state(VT_CHECK_CLOSE_WAIT), "critical", "1500: critical");
	is_str(S->item[VT_CHECK_CLOSE_WAIT].summary, "CLOSE_WAIT 1500",
	    "no holder known: none named");
}

static void
test_filesystem(void)
{
	int	k;

	fresh();
	healthy(T0);
	strcpy(I.fs[0].mountpoint, "/var");
	I.fs[0].used = 96000;
	I.fs[0].avail = 4000;
	run(0, 3);
	is_str(state(VT_CHECK_FILESYSTEM), "critical", "96%%: critical");
	is_str(S->item[VT_CHECK_FILESYSTEM].summary,
	    "/var 96.0% full (critical at 95%)", "space summary");

	fresh();
	healthy(T0);
	I.fs[0].files_free = 90;
	run(0, 3);
	is_str(state(VT_CHECK_FILESYSTEM), "warning", "inodes 91%%: warning");
	is_str(S->item[VT_CHECK_FILESYSTEM].summary,
	    "/ inodes 91.0% used (warning at 85%)", "inodes summary");

	/* 70% used, losing 1000 bytes every 5 minutes: 30000 left, 2.5 h. */
	fresh();
	healthy(T0);
	for (k = 0; k <= 6; k++) {
		I.fs[0].used = 70000 + 1000 * (uint64_t)k;
		I.fs[0].avail = 30000 - 1000 * (uint64_t)k;
		eval_at(T0 + (int64_t)k * 300000);
		eval_at(T0 + (int64_t)k * 300000 + 4000);
	}
	is_str(state(VT_CHECK_FILESYSTEM), "warning", "predicted: warning");
	is_str(S->item[VT_CHECK_FILESYSTEM].summary,
	    "/ 76.0% full, predicted full in 2.0 h at the recent rate",
	    "prediction summary");
	C.filesystem_predict_hours = 1;
	eval_at(T0 + 6 * 300000 + 8000);
	is_str(state(VT_CHECK_FILESYSTEM), "warning", "2 h left against 1 h: "
	    "warning until the clear time");
	is_str(S->item[VT_CHECK_FILESYSTEM].summary,
	    "Fullest filesystem / 76.0% used", "the summary says what is seen");
}

static void
test_memory_cpu_fds(void)
{
	fresh();
	healthy(T0);
	I.mem_available_percent = 3;
	run(0, 3);
	is_str(state(VT_CHECK_MEMORY), "critical", "3%% available: critical");
	is_str(S->item[VT_CHECK_MEMORY].summary,
	    "Memory available 3.0% (critical under 5%)", "memory summary");

	fresh();
	healthy(T0);
	run(0, 1);
	I.oom_kills = 9;
	run(2, 5);
	is_str(state(VT_CHECK_MEMORY), "warning", "OOM kills: warning");
	is_str(S->item[VT_CHECK_MEMORY].summary,
	    "OOM killer ran 2 times in the last 5 min; memory available 62.5%",
	    "oom summary");
	run(6, 305);
	is_str(state(VT_CHECK_MEMORY), "warning", "within 5 min: warning");
	run(306, 330);
	is_str(state(VT_CHECK_MEMORY), "ok", "5 min later: ok");

	fresh();
	healthy(T0);
	I.psi_memory_full = 12;
	I.psi_memory_some = 25;
	run(0, 3);
	is_str(state(VT_CHECK_MEMORY), "critical", "PSI full 12%%: critical");
	is_str(S->item[VT_CHECK_MEMORY].summary,
	    "Memory pressure: tasks stalled 12.0% of the last 10 s (all of "
	    "them)", "pressure summary");

	fresh();
	healthy(T0);
	I.psi_cpu_some = 95;
	run(0, 3);
	is_str(state(VT_CHECK_CPU), "critical", "PSI cpu 95%%: critical");
	is_str(S->item[VT_CHECK_CPU].summary,
	    "CPU saturated: tasks waited for a CPU 95% of the last 10 s (load "
	    "0.40 per CPU)", "cpu summary");

	fresh();
	healthy(T0);
	I.psi_cpu_known = 0;
	I.load1 = 10;
	run(0, 3);
	is_str(state(VT_CHECK_CPU), "critical", "load 5 per CPU: critical");
	is_str(S->item[VT_CHECK_CPU].summary,
	    "CPU saturated: load 5.00 per CPU (critical at 4.0)",
	    "load summary");
	I.load1 = 1;
	I.iowait_percent = 40;
	run(4, 30);
	is_str(state(VT_CHECK_CPU), "warning", "iowait 40%%: warning");
	is_str(S->item[VT_CHECK_CPU].summary,
	    "CPUs waiting on I/O 40% of the time (warning at 30%)",
	    "iowait summary");

	fresh();
	healthy(T0);
	I.files_allocated = 960;
	I.files_max = 1000;
	run(0, 3);
	is_str(state(VT_CHECK_FILE_DESCRIPTORS), "critical", "96%%: critical");
	is_str(S->item[VT_CHECK_FILE_DESCRIPTORS].summary,
	    "Open files 96% of fs.file-max (960 of 1000)", "fds summary");
	I.files_allocated = 850;
	run(4, 30);
	is_str(state(VT_CHECK_FILE_DESCRIPTORS), "warning", "85%%: warning");
}

static void
test_sampler_headline(void)
{
	struct vt_check_item	it;

	vt_checks_conf_defaults(&C);
	vt_checks_sampler(&C, 1200, T0, &it);
	is_str(vt_check_state_names[it.state], "ok", "sample 1.2 s old: ok");
	is_str(it.summary, "Last sample 1.2 s old", "ok summary");
	vt_checks_sampler(&C, 7000, T0, &it);
	is_str(vt_check_state_names[it.state], "warning", "7 s: warning");
	vt_checks_sampler(&C, 42000, T0, &it);
	is_str(vt_check_state_names[it.state], "critical", "42 s: critical");
	is_str(it.summary, "Sampler stalled: last sample 42 s old",
	    "stalled summary");

	fresh();
	healthy(T0);
	I.close_wait = 150;
	I.health_status = VT_DB_UNREACHABLE;
	run(0, 3);
	is_str(vt_check_state_names[S->verdict], "critical", "verdict");
	is_str(S->headline, "Database unreachable for 3 s; CLOSE_WAIT 150",
	    "headline: worst first");
	I.sampler_lateness_s = 0.25;
	run(4, 4);
	is_str(S->item[VT_CHECK_SAMPLER].summary, "Sampled 0.25 s late",
	    "the master's sampler item");
}

/* The JSON document and the Prometheus families of a judged state. */
static void
test_render(void)
{
	struct vt_buf		b;
	struct vt_prom		w;
	struct vt_notify_stats	n = { { 3, 1, 2, 0 } };
	const char	       *p;
	int			lines = 0;
	const char	       *want = "{\"verdict\":\"critical\","
	    "\"headline\":\"Database unreachable for 3 s\","
	    "\"evaluated_ms\":1700000003000,\"items\":[{\"name\":"
	    "\"database\",\"state\":\"critical\",\"since_ms\":"
	    "1700000003000,\"value\":3,\"threshold\":null,\"unit\":\"s\","
	    "\"summary\":\"Database unreachable for 3 s\",\"chart\":\"db\"},"
	    "{\"name\":\"pool_queue\",";

	fresh();
	healthy(T0);
	I.health_status = VT_DB_UNREACHABLE;
	run(0, 3);
	if (vt_buf_init(&b, 1024, 1 << 20) == VT_ERR)
		bail("out of memory");
	is_int(vt_checks_json(S, &b), VT_OK, "checks JSON rendered");
	vt_buf_add(&b, "", 1);
	ok(strncmp(b.data, want, strlen(want)) == 0,
	    "the document starts with the verdict and the database item");
	ok(strstr(b.data, "{\"name\":\"sampler\",") != NULL &&
	    strstr(b.data, "\"chart\":null}]}") != NULL,
	    "the sampler item last, its chart null");
	vt_buf_reset(&b);
	vt_prom_init(&w, &b, VT_PROM_NAMES_NODE);
	vt_checks_prom(S, &n, &w);
	is_int(vt_prom_finish(&w), VT_OK, "families rendered");
	vt_buf_add(&b, "", 1);
	for (p = b.data; (p = strstr(p, "\nvitals_check_state{")) != NULL; p++)
		lines++;
	is_int(lines, VT_CHECK_N * VT_CHECK_STATES, "a state set per check");
	ok(strstr(b.data, "vitals_check_state{check=\"database\","
	    "state=\"critical\"} 1\n") != NULL, "database critical is 1");
	ok(strstr(b.data, "vitals_check_transitions_total{check=\"database\","
	    "to=\"critical\"} 1\n") != NULL, "its transition counted");
	ok(strstr(b.data, "vitals_check_value{check=\"database\"} 3\n") !=
	    NULL, "its value");
	ok(strstr(b.data, "vitals_notify_runs_total{result=\"timeout\"} 2\n")
	    != NULL, "notify runs by result");
	vt_buf_free(&b);
}

int
main(void)
{
	if ((S = calloc(1, sizeof(*S))) == NULL)
		bail("out of memory");
	test_healthy();
	test_unknown();
	test_database();
	test_flap();
	test_pool();
	test_listeners();
	test_close_wait();
	test_filesystem();
	test_memory_cpu_fds();
	test_sampler_headline();
	test_render();
	free(S);
	done_testing();
	return tap_exit_status();
}

/*
 * proc_pid-t.c: /proc/<pid>/stat and statm parsing, the scan, and the
 * top-by-CPU (two tables) and top-by-memory rankings.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/proc_pid.h"

static struct vt_pid_table	prev, cur;

static void	add(struct vt_pid_table *t, int32_t pid, uint64_t ticks,
		    uint64_t start, uint64_t rss);
static int	stat_str(const char *s, struct vt_pid_sample *out);
static void	kept_fds(void);
static const struct vt_pid_sample *find(const struct vt_pid_table *t,
		    int32_t pid);

static void
add(struct vt_pid_table *t, int32_t pid, uint64_t ticks, uint64_t start,
    uint64_t rss)
{
	struct vt_pid_sample	*s = &t->p[t->n++];

	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->state = 'S';
	snprintf(s->comm, sizeof(s->comm), "p%d", (int)pid);
	s->ticks = ticks;
	s->starttime = start;
	s->rss_bytes = rss;
}

static int
stat_str(const char *s, struct vt_pid_sample *out)
{
	char	err[VT_ERRLEN];

	memset(out, 0, sizeof(*out));
	return vt_proc_pid_stat_parse(s, strlen(s), out, err, sizeof(err));
}

static const struct vt_pid_sample *
find(const struct vt_pid_table *t, int32_t pid)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (t->p[i].pid == pid)
			return &t->p[i];
	}
	return NULL;
}

/*
 * The stat files kept between scans (vt_pid_fds): the first scan opens
 * each, the next opens only the new process's; the descriptor of a
 * process gone is closed; the figures are those of a scan that opens.
 */
static void
kept_fds(void)
{
	static struct vt_pid_fds	fds;
	static struct vt_pid_table	a, b, c, o;
	const struct vt_pid_sample     *me, *x;
	char				err[VT_ERRLEN];
	uint64_t			o1, o2;
	pid_t				child;
	int				st, p[2];

	vt_pid_fds_init(&fds, VT_PID_FDS_MAX);
	is_int(vt_proc_pid_rescan("/", NULL, &a, &fds, VT_PID_TABLE_MAX, 0,
	    err, sizeof(err)), VT_OK, "kept: scans /proc");
	o1 = fds.opens;
	ok(a.complete && o1 == a.n && fds.n[fds.cur] == a.n,
	    "kept: the first scan opens and keeps every stat (%llu, %zu)",
	    (unsigned long long)o1, a.n);
	if (pipe(p) == -1)
		bail("pipe: %s", strerror(errno));
	if ((child = fork()) == 0) {
		char	ch;

		close(p[1]);
		(void)read(p[0], &ch, 1);
		_exit(0);
	}
	close(p[0]);
	is_int(vt_proc_pid_rescan("/", &a, &b, &fds, VT_PID_TABLE_MAX, 0,
	    err, sizeof(err)), VT_OK, "kept: scans again");
	o2 = fds.opens;
	ok(find(&b, (int32_t)child) != NULL && o2 - o1 >= 1 &&
	    o2 - o1 <= 1 + (b.n > a.n ? b.n - a.n : 0) + 8,
	    "kept: the next scan opens the new process's stat (%llu opens, "
	    "%zu -> %zu processes)", (unsigned long long)(o2 - o1), a.n, b.n);
	close(p[1]);
	(void)waitpid(child, &st, 0);
	is_int(vt_proc_pid_rescan("/", &b, &c, &fds, VT_PID_TABLE_MAX, 0,
	    err, sizeof(err)), VT_OK, "kept: and again");
	(void)vt_proc_pid_scan("/", &o, VT_PID_TABLE_MAX, 0, err, sizeof(err));
	ok(find(&c, (int32_t)child) == NULL && fds.n[fds.cur] == c.n,
	    "kept: the process gone is gone, its descriptor closed (%zu kept, "
	    "%zu processes)", fds.n[fds.cur], c.n);
	me = find(&c, (int32_t)getpid());
	x = find(&o, (int32_t)getpid());
	ok(me != NULL && x != NULL && me->starttime == x->starttime &&
	    strcmp(me->comm, x->comm) == 0 && me->ticks <= x->ticks &&
	    x->ticks - me->ticks <= 5,
	    "kept: our own stat read through the kept file is the opened "
	    "one's");
	vt_pid_fds_close(&fds);
	ok(fds.n[0] == 0 && fds.n[1] == 0, "kept: closed");
}

int
main(void)
{
	struct vt_top_proc		 top[VT_MAX_PROCS];
	struct vt_pid_sample		 s;
	const struct vt_pid_sample	*p;
	char				 root[4096], err[VT_ERRLEN], *file, *b;
	uint64_t			 rss;
	size_t				 n, i, len, k;
	int				 bad = 0, sorted;

	/* The scan over the captured tree. */
	snprintf(root, sizeof(root), "%s/proc/vm2", tap_fixture_root());
	is_int(vt_proc_pid_scan(root, &cur, VT_PID_TABLE_MAX, 0, err,
	    sizeof(err)), VT_OK, "vm2: scans");
	is_int((long long)cur.n, 5, "vm2: 5 processes captured");
	ok(cur.complete && cur.nskipped == 0, "vm2: complete");
	ok(cur.p[0].pid == 2 && cur.p[1].pid == 6 && cur.p[2].pid == 12 &&
	    cur.p[3].pid == 1164 && cur.p[4].pid == 9596, "vm2: sorted by pid");
	p = find(&cur, 1164);
	ok(p != NULL && strcmp(p->comm, "bash") == 0 && p->state == 'S',
	    "vm2: 1164 is bash, sleeping");
	ok(p != NULL && p->ticks == 6 + 13 && p->starttime == 4086,
	    "vm2: bash utime+stime 19, started at 4086");
	ok(p != NULL && p->rss_bytes == 1121ULL * 4096,
	    "vm2: bash rss from statm (1121 pages)");
	p = find(&cur, 12);
	is_str(p != NULL ? p->comm : NULL, "kworker/u8:0-kvfree_rcu_reclaim",
	    "vm2: a kernel worker's 31-character name");
	ok(p != NULL && p->state == 'I' && p->rss_bytes == 0,
	    "vm2: idle kernel thread, no rss");
	p = find(&cur, 9596);
	ok(p != NULL && p->rss_bytes == 25792ULL * 4096 && p->ticks == 17,
	    "vm2: mariadbd");

	snprintf(root, sizeof(root), "%s/proc/server64", tap_fixture_root());
	is_int(vt_proc_pid_scan(root, &cur, VT_PID_TABLE_MAX, 0, err,
	    sizeof(err)), VT_OK, "server64: scans");
	is_int((long long)cur.n, 8, "server64: 8 processes");
	p = find(&cur, 3999);
	is_str(p != NULL ? p->comm : NULL, "evil) R 1 (x",
	    "server64: a comm with ') R 1 (' ends at the last ')'");
	ok(p != NULL && p->state == 'R' && p->ticks == 10,
	    "server64: ... and the fields after it are right");
	is_str(find(&cur, 3100) != NULL ? find(&cur, 3100)->comm : NULL,
	    "tmux: server", "server64: a comm with a blank");
	n = vt_pid_top_mem(&cur, top);
	is_int((long long)n, 6, "server64: 6 processes with memory");
	ok(top[0].pid == 2200 && strcmp(top[0].comm, "java") == 0 &&
	    top[0].rss_bytes == 8000000ULL * 4096, "top memory: java first");
	ok(top[1].pid == 1500 && top[5].pid == 3999,
	    "top memory: postgres second, the smallest last");

	is_int(vt_proc_pid_scan(root, &cur, 3, 0, err, sizeof(err)), VT_OK,
	    "server64, capped at 3: scans");
	ok(cur.n == 3 && cur.nskipped == 5 && !cur.complete,
	    "capped: 3 kept, 5 skipped, incomplete");
	snprintf(root, sizeof(root), "%s/proc/no-such-tree",
	    tap_fixture_root());
	is_int(vt_proc_pid_scan(root, &cur, 10, 0, err, sizeof(err)), VT_ERR,
	    "no proc dir: error");
	snprintf(root, sizeof(root), "%s/proc/malformed", tap_fixture_root());
	ok(vt_proc_pid_scan(root, &cur, 10, 0, err, sizeof(err)) == VT_OK &&
	    cur.n == 0, "malformed stat: skipped, not fatal");
	snprintf(root, sizeof(root), "%s/proc/truncated", tap_fixture_root());
	ok(vt_proc_pid_scan(root, &cur, 10, 0, err, sizeof(err)) == VT_OK &&
	    cur.n == 0, "truncated stat: skipped");

	/* The incremental scan: what it reuses of the previous table. */
	snprintf(root, sizeof(root), "%s/proc/vm2", tap_fixture_root());
	vt_proc_pid_scan(root, &prev, VT_PID_TABLE_MAX, 0, err, sizeof(err));
	((struct vt_pid_sample *)find(&prev, 1164))->rss_bytes = 777;
	((struct vt_pid_sample *)find(&prev, 9596))->ticks = 16;
	((struct vt_pid_sample *)find(&prev, 9596))->rss_bytes = 777;
	((struct vt_pid_sample *)find(&prev, 2))->starttime = 1;
	is_int(vt_proc_pid_rescan(root, &prev, &cur, NULL, VT_PID_TABLE_MAX, 0,
	    err,
	    sizeof(err)), VT_OK, "rescan: scans");
	ok(cur.n == 5 && cur.scans == 2, "rescan: 5 processes, scan 2");
	is_int((long long)find(&cur, 1164)->rss_bytes, 777,
	    "rescan: bash, same start time and no CPU since: rss carried");
	is_int((long long)find(&cur, 9596)->rss_bytes, 25792LL * 4096,
	    "rescan: mariadbd used CPU: statm read again");
	is_int((long long)cur.nreused, 3,
	    "rescan: 3 statm reads saved (bash and two kernel threads)");
	prev.scans = VT_PID_RSS_REFRESH - 1;	/* 1164 % 12 == 0 */
	vt_proc_pid_rescan(root, &prev, &cur, NULL, VT_PID_TABLE_MAX, 0,
	    err,
	    sizeof(err));
	is_int((long long)find(&cur, 1164)->rss_bytes, 1121LL * 4096,
	    "rescan: every %d scans an idle process is read anyway",
	    VT_PID_RSS_REFRESH);

	/* The parsers alone. */
	is_int(stat_str("42 (a b) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
	    "18 19 20 21\n", &s), VT_OK, "a minimal stat line");
	ok(s.pid == 42 && s.ticks == 11 + 12 && s.starttime == 19,
	    "... utime 11 + stime 12, starttime 19");
	is_int(stat_str("42 () S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "19 20 21\n", &s), VT_OK, "an empty comm");
	is_int(stat_str("42 (a) S 1 2 3\n", &s), VT_ERR, "too few fields");
	is_int(stat_str("42 a S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "19 20\n", &s), VT_ERR, "no parentheses");
	is_int(stat_str("x (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "19 20\n", &s), VT_ERR, "a bad pid");
	is_int(stat_str("42 (a) SS 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
	    "18 19 20\n", &s), VT_ERR, "a two-letter state");
	is_int(stat_str("42 (a) S 1 2 3 4 5 6 7 8 9 10 x 12 13 14 15 16 17 18 "
	    "19 20\n", &s), VT_ERR, "a bad utime");
	ok(vt_proc_pid_statm_parse("10 5 1 1 0 1 0\n", 15, 4096, &rss, err,
	    sizeof(err)) == VT_OK && rss == 5 * 4096, "statm: resident pages");
	is_int(vt_proc_pid_statm_parse("10\n", 3, 4096, &rss, err,
	    sizeof(err)), VT_ERR, "statm: one field");
	is_int(vt_proc_pid_statm_parse("10 5 1", 6, 4096, &rss, err,
	    sizeof(err)), VT_ERR, "statm: cut");
	file = tap_fixture("proc/vm2/proc/9596/stat", &len);
	for (k = 0; k + 1 < len; k++) {
		if ((b = malloc(k > 0 ? k : 1)) == NULL)
			bail("out of memory");
		memcpy(b, file, k);
		if (vt_proc_pid_stat_parse(b, k, &s, err, sizeof(err)) !=
		    VT_ERR)
			bad++;
		free(b);
	}
	free(file);
	is_int(bad, 0, "every cut of a stat line fails cleanly");

	/* Top by CPU from two tables. */
	memset(&prev, 0, sizeof(prev));
	memset(&cur, 0, sizeof(cur));
	add(&prev, 10, 100, 5, 0);
	add(&prev, 20, 50, 6, 0);
	add(&prev, 40, 1000, 7, 0);
	prev.complete = 1;
	add(&cur, 10, 300, 5, 0);	/* +200 ticks */
	add(&cur, 20, 50, 6, 0);	/* idle */
	add(&cur, 40, 10, 99, 0);	/* pid reused: a new process */
	add(&cur, 50, 40, 120, 0);	/* new since prev */
	cur.complete = 1;
	n = vt_pid_top_cpu(&prev, &cur, 2.0, 100, top);
	is_int((long long)n, 3, "top CPU: the three that used CPU");
	ok(n == 3 && top[0].pid == 10 && top[1].pid == 50 && top[2].pid == 40,
	    "top CPU: ordered by use");
	is_dbl(top[0].cpu_percent, 100.0, 1e-9,
	    "top CPU: 200 ticks at 100 Hz in 2 s is 100 %%");
	is_dbl(top[1].cpu_percent, 20.0, 1e-9,
	    "top CPU: a new process counts all its ticks");
	is_dbl(top[2].cpu_percent, 5.0, 1e-9,
	    "top CPU: a reused pid is a new process, not -990 ticks");
	prev.complete = 0;
	n = vt_pid_top_cpu(&prev, &cur, 2.0, 100, top);
	ok(n == 1 && top[0].pid == 10,
	    "top CPU: after an incomplete scan, new pids count nothing");
	is_int((long long)vt_pid_top_cpu(&prev, &cur, 0.0, 100, top), 0,
	    "top CPU: a zero interval gives nothing");
	is_int((long long)vt_pid_top_cpu(&prev, &cur, -1.0, 100, top), 0,
	    "top CPU: a negative interval gives nothing");

	memset(&prev, 0, sizeof(prev));
	memset(&cur, 0, sizeof(cur));
	prev.complete = 1;
	for (i = 0; i < 30; i++) {
		add(&prev, (int32_t)(100 + i), 0, 1, 0);
		add(&cur, (int32_t)(100 + i), (i % 7) + 1, 1, 0);
	}
	n = vt_pid_top_cpu(&prev, &cur, 1.0, 100, top);
	for (sorted = 1, i = 1; i < n; i++) {
		if (top[i].cpu_percent > top[i - 1].cpu_percent ||
		    (top[i].cpu_percent == top[i - 1].cpu_percent &&
		    top[i].pid < top[i - 1].pid))
			sorted = 0;
	}
	ok(n == VT_MAX_PROCS && sorted && top[0].pid == 106 &&
	    top[3].pid == 127 && top[4].pid == 105,
	    "top CPU: 30 busy, the %d busiest, ties by pid", VT_MAX_PROCS);
	is_dbl(top[0].cpu_percent, 7.0, 1e-9, "top CPU: 7 ticks in 1 s");

	/* The live /proc: we are in it. */
	is_int(vt_proc_pid_scan("/", &cur, VT_PID_TABLE_MAX, 1000, err,
	    sizeof(err)), VT_OK, "live: scans /proc");
	p = find(&cur, (int32_t)getpid());
	ok(p != NULL && p->rss_bytes > 0 && p->state == 'R',
	    "live: finds itself, running, with memory");
	diag("live scan: %zu processes in %llu us", cur.n,
	    (unsigned long long)cur.scan_us);
	memcpy(&prev, &cur, sizeof(prev));
	is_int(vt_proc_pid_rescan("/", &prev, &cur, NULL, VT_PID_TABLE_MAX,
	    1000, err, sizeof(err)), VT_OK, "live: rescans /proc");
	ok(cur.nreused > 0 && find(&cur, (int32_t)getpid()) != NULL,
	    "live: the idle processes' statm not read again (%zu of %zu)",
	    cur.nreused, cur.n);
	diag("live rescan: %zu processes in %llu us", cur.n,
	    (unsigned long long)cur.scan_us);
	kept_fds();

	done_testing();
	return tap_exit_status();
}

/*
 * proc_file-t.c: the shared helpers of procfile.h: paths under a root,
 * whole-file reads with a cap, and the bounded span accessors.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/procfile.h"

/* What count_lines has seen. */
struct seen {
	size_t	calls;
	size_t	bytes;
	size_t	lines;
	int	stop_after;	/* fail on this call (0: never) */
};

static struct vt_span	sp(const char *s);
static long	self_stat_pid(void);
static void	kept_reads(void);
static int	count_lines(const char *buf, size_t len, void *arg, char *err,
		    size_t errlen);

/* A vt_procfile_stream callback: chunks must be whole lines. */
static int
count_lines(const char *buf, size_t len, void *arg, char *err, size_t errlen)
{
	struct seen	*s = arg;
	size_t		 i;

	s->calls++;
	if (len == 0 || buf[len - 1] != '\n')
		return vt_pf_err(err, errlen, "a chunk of partial lines");
	s->bytes += len;
	for (i = 0; i < len; i++)
		s->lines += buf[i] == '\n';
	if (s->stop_after > 0 && (int)s->calls == s->stop_after)
		return vt_pf_err(err, errlen, "stopped");
	return VT_OK;
}

static struct vt_span
sp(const char *s)
{
	return vt_pf_cstr(s);
}

/* The pid at the head of a /proc/<pid>/stat read through procfile. */
static long
self_stat_pid(void)
{
	char	buf[512];
	size_t	len;

	if (vt_procfile_read("/", "proc/self/stat", buf, sizeof(buf) - 1,
	    &len, NULL, 0) == VT_ERR)
		return -1;
	buf[len] = '\0';
	return atol(buf);
}

/*
 * Files of procfs stay open and are read again from offset 0; regular
 * files (fixtures) are opened at every read; a forked child does not read
 * its parent's /proc/self.
 */
static void
kept_reads(void)
{
	char		dir[4096], path[4200];
	char		a[128], b[128], err[VT_ERRLEN];
	size_t		la, lb;
	uint64_t	o0, o1;
	FILE	       *f;
	pid_t		pid;
	int		st, rc;

	o0 = vt_procfile_opens();
	rc = vt_procfile_read("/", "proc/uptime", a, sizeof(a), &la, err,
	    sizeof(err));
	o1 = vt_procfile_opens();
	ok(rc == VT_OK && la > 0 && o1 == o0 + 1,
	    "kept: /proc/uptime, opened once");
	usleep(30000);
	rc = vt_procfile_read("/", "proc/uptime", b, sizeof(b), &lb, err,
	    sizeof(err));
	ok(rc == VT_OK && vt_procfile_opens() == o1,
	    "kept: read again without an open");
	ok(lb > 0 && (la != lb || memcmp(a, b, la) != 0),
	    "kept: the second read is fresh (%.*s -> %.*s)", (int)la - 1, a,
	    (int)lb - 1, b);

	if (tap_tmpdir("proc_file-t", dir, sizeof(dir)) == -1)
		bail("temporary directory: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/proc/loadavg", dir);
	if ((f = fopen(path, "w")) == NULL)
		bail("%s: %s", path, strerror(errno));
	fputs("0.01 0.02 0.03 1/2 3\n", f);
	fclose(f);
	o0 = vt_procfile_opens();
	rc = vt_procfile_read(dir, "proc/loadavg", a, sizeof(a), &la, err,
	    sizeof(err));
	ok(rc == VT_OK && la == 21, "fixture: read");
	unlink(path);
	errno = 0;
	rc = vt_procfile_read(dir, "proc/loadavg", a, sizeof(a), &la, err,
	    sizeof(err));
	ok(rc == VT_ERR && errno == ENOENT && vt_procfile_opens() == o0 + 1,
	    "fixture: a file deleted between two reads is missing at the "
	    "second (not kept)");
	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	rmdir(dir);

	ok(self_stat_pid() == (long)getpid(), "/proc/self/stat: our pid");
	if ((pid = fork()) == 0)
		_exit(self_stat_pid() == (long)getpid() ? 0 : 1);
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0,
	    "after fork, the child's /proc/self/stat is the child's");

	vt_procfile_forget();
	o0 = vt_procfile_opens();
	rc = vt_procfile_read("/", "proc/uptime", a, sizeof(a), &la, err,
	    sizeof(err));
	ok(rc == VT_OK && vt_procfile_opens() == o0 + 1,
	    "forget: the next read opens again");

	/* An attribute without a value (lo has no link speed): EINVAL. */
	o0 = vt_procfile_opens();
	errno = 0;
	rc = vt_procfile_read("/", "sys/class/net/lo/speed", a, sizeof(a),
	    &la, err, sizeof(err));
	if (rc != VT_ERR || errno != EINVAL) {
		skip(1, "lo's speed reads here (rc %d, %s)", rc,
		    strerror(errno));
	} else {
		errno = 0;
		rc = vt_procfile_read("/", "sys/class/net/lo/speed", a,
		    sizeof(a), &la, err, sizeof(err));
		ok(rc == VT_ERR && errno == EINVAL &&
		    vt_procfile_opens() == o0 + 1 &&
		    strstr(err, "lo/speed") != NULL,
		    "kept: a file that answers EINVAL is asked again without "
		    "an open, and answers the same (%s)", err);
	}
}

/*
 * A host's sampler keeps well over 64 files (some twenty an interface in
 * /sys/class/net): 200 files of /proc/sys read twice, the second round
 * without an open.
 */
#define MANY	200

static void
kept_many(void)
{
	static char	names[MANY][300];
	const char     *dirs[] = { "proc/sys/net/ipv4", "proc/sys/kernel",
			    "proc/sys/vm" };
	char		path[256], buf[4096], err[VT_ERRLEN];
	struct dirent  *de;
	size_t		len, d;
	uint64_t	o0;
	DIR	       *dp;
	int		n = 0, i, fails = 0;

	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]) && n < MANY; d++) {
		snprintf(path, sizeof(path), "/%s", dirs[d]);
		if ((dp = opendir(path)) == NULL)
			continue;
		while (n < MANY && (de = readdir(dp)) != NULL) {
			if (de->d_type != DT_REG)
				continue;
			snprintf(names[n], sizeof(names[n]), "%s/%s", dirs[d],
			    de->d_name);
			/* Write-only or refused files are not read twice. */
			if (vt_procfile_read("/", names[n], buf, sizeof(buf),
			    &len, err, sizeof(err)) != VT_ERR)
				n++;
		}
		closedir(dp);
	}
	if (n < 100) {
		skip(2, "only %d readable files under /proc/sys", n);
		return;
	}
	o0 = vt_procfile_opens();
	for (i = 0; i < n; i++)
		if (vt_procfile_read("/", names[i], buf, sizeof(buf), &len, err,
		    sizeof(err)) == VT_ERR)
			fails++;
	is_int(fails, 0, "kept: %d files of /proc/sys read again", n);
	is_int((long long)(vt_procfile_opens() - o0), 0,
	    "kept: ... without opening one of them");
	vt_procfile_forget();
}

/*
 * The first word of every line of buf[0..len), joined: what a read that
 * stopped short of the end would lose, while the numbers move between
 * two reads.
 */
static void
line_keys(const char *buf, size_t len, char *out, size_t cap)
{
	size_t	i = 0, o = 0;

	while (i < len && o + 2 < cap) {
		while (i < len && buf[i] != ' ' && buf[i] != '\t' &&
		    buf[i] != '\n' && o + 2 < cap)
			out[o++] = buf[i++];
		out[o++] = '|';
		while (i < len && buf[i] != '\n')
			i++;
		i++;
	}
	out[o] = '\0';
}

/*
 * Kept files read without the read that returns 0 (PF_WHOLE_BELOW, and
 * the single_open files past it): each read again, kept, has every line
 * a fresh read through stdio has, for the files the sampler reads every
 * tick.
 */
static void
kept_whole(void)
{
	static const char *const files[] = { "proc/meminfo", "proc/stat",
	    "proc/vmstat", "proc/net/snmp", "proc/net/snmp6",
	    "proc/net/netstat", "proc/net/dev", "proc/diskstats",
	    "proc/net/sockstat", "proc/loadavg" };
	static char	buf[65536], ref[65536], ka[16384], kb[16384];
	char		err[VT_ERRLEN], path[64];
	size_t		i, len, rlen;
	FILE	       *f;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/%s", files[i]);
		if ((f = fopen(path, "r")) == NULL) {
			skip(1, "%s: not readable here", path);
			continue;
		}
		rlen = fread(ref, 1, sizeof(ref), f);
		fclose(f);
		/* Twice: the first opens and keeps, the second preads. */
		if (vt_procfile_read("/", files[i], buf, sizeof(buf), &len, err,
		    sizeof(err)) == VT_ERR ||
		    vt_procfile_read("/", files[i], buf, sizeof(buf), &len,
		    err, sizeof(err)) == VT_ERR) {
			ok(0, "%s: read (%s)", path, err);
			continue;
		}
		line_keys(ref, rlen, ka, sizeof(ka));
		line_keys(buf, len, kb, sizeof(kb));
		ok(strcmp(ka, kb) == 0 && len > 0 && buf[len - 1] == '\n',
		    "%s read kept: every line (%zu bytes; stdio %zu)", path,
		    len, rlen);
	}
	vt_procfile_forget();
}

int
main(void)
{
	struct vt_span	w[3], line, word;
	struct seen	seen;
	char		path[64], buf[64], root[4096], err[VT_ERRLEN], *heap;
	char		small[200], troot[4096];
	uint64_t	u;
	int64_t		i64;
	uint32_t	h;
	double		d;
	size_t		len, pos, n;
	int		rc;

	/* Paths. */
	vt_procfile_path("/", "proc/stat", path, sizeof(path));
	is_str(path, "/proc/stat", "root / gives /proc/stat");
	vt_procfile_path(NULL, "/proc/stat", path, sizeof(path));
	is_str(path, "/proc/stat", "NULL root and a leading slash");
	vt_procfile_path("", "proc/stat", path, sizeof(path));
	is_str(path, "/proc/stat", "empty root");
	vt_procfile_path("/tmp/tree//", "proc/stat", path, sizeof(path));
	is_str(path, "/tmp/tree/proc/stat", "trailing slashes of a root");
	vt_procfile_path("t/fixtures/x", "proc/stat", path, sizeof(path));
	is_str(path, "t/fixtures/x/proc/stat", "a relative root");
	is_int(vt_procfile_path("/a/very/long/root/that/does/not/fit",
	    "proc/stat", path, 20), VT_ERR, "a path too long: error");

	/* Reads with a cap. */
	snprintf(root, sizeof(root), "%s/proc/vm2", tap_fixture_root());
	rc = vt_procfile_read(root, "proc/loadavg", buf, sizeof(buf), &len,
	    err, sizeof(err));
	ok(rc == VT_OK && len == 26 &&
	    memcmp(buf, "0.24 0.13 0.07 1/97 16280\n", 26) == 0,
	    "a whole small file");
	rc = vt_procfile_read(root, "proc/loadavg", buf, 10, &len, err,
	    sizeof(err));
	ok(rc == VT_PF_TRUNCATED && len == 10, "cap 10: truncated, 10 bytes");
	ok(strstr(err, "larger than 10 bytes") != NULL, "... says so (%s)",
	    err);
	rc = vt_procfile_read(root, "proc/loadavg", buf, 26, &len, err,
	    sizeof(err));
	ok(rc == VT_OK && len == 26, "a file of exactly the cap: whole");
	errno = 0;
	rc = vt_procfile_read(root, "proc/nothing", buf, sizeof(buf), &len,
	    err, sizeof(err));
	ok(rc == VT_ERR && errno == ENOENT && len == 0,
	    "missing: VT_ERR, errno ENOENT");
	ok(strstr(err, "proc/nothing") != NULL, "... names the path (%s)",
	    err);
	rc = vt_procfile_read(root, "proc", buf, sizeof(buf), &len, err,
	    sizeof(err));
	ok(rc == VT_ERR && errno == EISDIR, "a directory: VT_ERR, EISDIR");
	rc = vt_procfile_read("/", "proc/self/stat", buf, sizeof(buf), &len,
	    NULL, 0);
	ok(rc == VT_PF_TRUNCATED, "no err buffer: still works");

	kept_reads();
	kept_many();
	kept_whole();

	/* Streaming: whole lines through a small buffer. */
	memset(&seen, 0, sizeof(seen));
	rc = vt_procfile_stream(root, "proc/meminfo", small,
	    sizeof(small), count_lines, &seen, err, sizeof(err));
	ok(rc == VT_OK && seen.lines == 54 && seen.bytes == 1503 &&
	    seen.calls > 5, "stream: meminfo's 54 lines, %zu bytes, in "
	    "%zu whole-line chunks", seen.bytes, seen.calls);
	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 2;
	rc = vt_procfile_stream(root, "proc/meminfo", small,
	    sizeof(small), count_lines, &seen, err, sizeof(err));
	ok(rc == VT_ERR && seen.calls == 2 && strcmp(err, "stopped") ==
	    0, "stream: the callback can stop it");
	memset(&seen, 0, sizeof(seen));
	rc = vt_procfile_stream(root, "proc/net/tcp", small, 100,
	    count_lines, &seen, err, sizeof(err));
	ok(rc == VT_ERR && strstr(err, "longer than 100") != NULL,
	    "stream: a line longer than the buffer (%s)", err);
	snprintf(troot, sizeof(troot), "%s/proc/truncated",
	    tap_fixture_root());
	memset(&seen, 0, sizeof(seen));
	rc = vt_procfile_stream(troot, "proc/meminfo", small,
	    sizeof(small), count_lines, &seen, err, sizeof(err));
	ok(rc == VT_ERR && strstr(err, "truncated") != NULL,
	    "stream: a cut last line (%s)", err);
	errno = 0;
	rc = vt_procfile_stream(root, "proc/none", small,
	    sizeof(small), count_lines, &seen, err, sizeof(err));
	ok(rc == VT_ERR && errno == ENOENT, "stream: missing: ENOENT");

	/* Lines and words, never past len. */
	heap = malloc(9);
	memcpy(heap, "a b\ncd e", 8);	/* no newline, no NUL at 8 */
	pos = 0;
	n = 0;
	while (vt_pf_line(heap, 8, &pos, &line))
		n++;
	is_int((long long)n, 2, "two lines, the last without a newline");
	ok(line.len == 4 && memcmp(line.p, "cd e", 4) == 0, "... it is whole");
	is_int(vt_pf_complete(heap, 8), VT_ERR, "a last line cut: incomplete");
	is_int(vt_pf_complete(heap, 4), VT_OK, "ending at a newline: complete");
	is_int(vt_pf_complete(heap, 0), VT_OK, "empty: complete");
	free(heap);

	n = vt_pf_words(sp("  one\ttwo  three four "), w, 3);
	is_int((long long)n, 4, "four words counted");
	ok(vt_pf_eq(w[0], "one") && vt_pf_eq(w[1], "two") &&
	    vt_pf_eq(w[2], "three"), "three stored, tabs are blanks");
	ok(vt_pf_word(w, 3, 3).len == 0 && vt_pf_word(w, 3, 99).len == 0,
	    "a word out of range is empty");
	pos = 0;
	ok(!vt_pf_next_word(sp("   "), &pos, &word), "blanks only: no word");
	ok(vt_pf_trim(sp(" \t x y \t")).len == 3, "trim");
	ok(vt_pf_prefix(sp("cpu12"), "cpu") && !vt_pf_prefix(sp("cp"), "cpu"),
	    "prefix");
	ok(vt_pf_copy(sp("abcdef"), path, 4) == VT_ERR &&
	    strcmp(path, "abc") == 0, "copy: too long is truncated, VT_ERR");
	ok(vt_pf_copy(sp("abc"), path, 4) == VT_OK, "copy: exact fit");

	/* Numbers. */
	ok(vt_pf_u64(sp("18446744073709551615"), &u) == VT_OK &&
	    u == UINT64_MAX, "u64: the largest");
	is_int(vt_pf_u64(sp("18446744073709551616"), &u), VT_ERR,
	    "u64: one more overflows");
	is_int(vt_pf_u64(sp(""), &u), VT_ERR, "u64: empty");
	is_int(vt_pf_u64(sp("+1"), &u), VT_ERR, "u64: a sign");
	is_int(vt_pf_u64(sp("1 "), &u), VT_ERR, "u64: a trailing blank");
	ok(vt_pf_i64(sp("-9223372036854775808"), &i64) == VT_OK &&
	    i64 == INT64_MIN, "i64: the smallest");
	is_int(vt_pf_i64(sp("9223372036854775808"), &i64), VT_ERR,
	    "i64: past the largest");
	ok(vt_pf_hex32(sp("0A"), &h) == VT_OK && h == 10, "hex: 0A");
	ok(vt_pf_hex32(sp("ffffFFFF"), &h) == VT_OK && h == UINT32_MAX,
	    "hex: 8 digits, any case");
	is_int(vt_pf_hex32(sp("123456789"), &h), VT_ERR, "hex: 9 digits");
	is_int(vt_pf_hex32(sp("0x1"), &h), VT_ERR, "hex: no 0x");
	ok(vt_pf_decimal(sp("295.29"), &d) == VT_OK && d > 295.289999 &&
	    d < 295.290001, "decimal: 295.29");
	ok(vt_pf_decimal(sp("7"), &d) == VT_OK && d == 7.0, "decimal: 7");
	is_int(vt_pf_decimal(sp("1.2.3"), &d), VT_ERR, "decimal: two dots");
	is_int(vt_pf_decimal(sp(".5"), &d), VT_ERR, "decimal: no integer part");
	is_int(vt_pf_decimal(sp("1,5"), &d), VT_ERR, "decimal: a comma");

	is_int(vt_pf_err(NULL, 0, "x %d", 1), VT_ERR, "err: NULL is fine");

	done_testing();
	return tap_exit_status();
}

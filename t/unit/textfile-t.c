/*
 * textfile-t.c: the textfile collector: the validator of the Prometheus
 * text format (collect/textfile.c) on fixtures and on one case per rule,
 * every prefix of the fixtures, and the directory reader
 * (collect/textfile_dir.c) on a directory made here: a good file, a
 * duplicate family, a malformed one, an oversized one, a FIFO, a dangling
 * symlink, one that collides with Vitals' own families; then a file
 * replaced, one removed, the file limit and a missing directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/textfile.h"
#include "collect/textfile_dir.h"
#include "render/openmetrics.h"

static struct vt_buf		out;
static struct vt_tf_family	fam[64];
static uint32_t			series[256];
static char			tmp[4096];

static int	parse(const char *s, size_t len, char *err, size_t errlen);
static int	cut(const char *buf, size_t len);
static void	golden(const char *name, const char *got, size_t len);
static void	put(const char *name, const char *text);
static void	bad(const char *text, const char *why, const char *what);
static void	bad_n(const char *text, size_t len, const char *why,
		    const char *what);
static void	good(const char *text, const char *want, const char *what);
static char    *rendered(struct vt_textfile *tf, const char *own);

static int
parse(const char *s, size_t len, char *err, size_t errlen)
{
	struct vt_tf_parse	p = { .out = &out, .fam = fam,
	    .fam_max = VT_ARRAY_LEN(fam), .series = series,
	    .series_max = VT_ARRAY_LEN(series),
	    .source = "Metric read from t.prom" };

	vt_buf_reset(&out);
	return vt_textfile_parse(&p, s, len, err, errlen);
}

static int
cut(const char *buf, size_t len)
{
	return parse(buf, len, NULL, 0);
}

/* Compare with t/expected/textfile/<name>, or write it with VT_REGEN=1. */
static void
golden(const char *name, const char *got, size_t len)
{
	char	 path[4096];
	char	*want;
	size_t	 wlen;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/../expected/textfile/%s",
	    tap_fixture_root(), name);
	if (getenv("VT_REGEN") != NULL) {
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(got, 1, len, f) != len || fclose(f) != 0)
			bail("cannot write %s", path);
		diag("wrote %s", path);
	}
	snprintf(path, sizeof(path), "../expected/textfile/%s", name);
	want = tap_fixture(path, &wlen);
	if (!ok(wlen == len && memcmp(want, got, len) == 0, "%s: as the golden "
	    "file", name))
		diag("got:\n%.*s", (int)len, got);
	free(want);
}

static void
put(const char *name, const char *text)
{
	char	path[8192];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0)
		bail("cannot write %s", path);
}

static void
bad(const char *text, const char *why, const char *what)
{
	bad_n(text, strlen(text), why, what);
}

static void
bad_n(const char *text, size_t len, const char *why, const char *what)
{
	char	err[VT_ERRLEN] = "";

	is_int(parse(text, len, err, sizeof(err)), VT_ERR, "refused: %s",
	    what);
	if (!ok(strstr(err, why) != NULL, "  because: %s", why))
		diag("error: %s", err);
	is_int((long long)out.len, 0, "  and nothing written");
}

static void
good(const char *text, const char *want, const char *what)
{
	char	err[VT_ERRLEN] = "";

	if (!is_int(parse(text, strlen(text), err, sizeof(err)), VT_OK,
	    "accepted: %s", what))
		diag("error: %s", err);
	if (!ok(out.len == strlen(want) && memcmp(out.data, want, out.len) ==
	    0, "  in its canonical form"))
		diag("got: %.*s", (int)out.len, out.data);
}

/* The reader's part of /metrics after own, with tmp written as DIR. */
static char *
rendered(struct vt_textfile *tf, const char *own)
{
	struct vt_buf	b;
	char	       *s, *p, *q;
	size_t		n = strlen(tmp);

	if (vt_buf_init(&b, 1024, 1 << 20) == VT_ERR ||
	    vt_buf_adds(&b, own) == VT_ERR)
		bail("out of memory");
	if (vt_textfile_render(tf, &b, b.len) == VT_ERR)
		bail("render failed");
	if ((s = calloc(1, b.len + 1)) == NULL)
		bail("out of memory");
	for (p = b.data + strlen(own), q = s; p < b.data + b.len;) {
		if ((size_t)(b.data + b.len - p) >= n &&
		    memcmp(p, tmp, n) == 0) {
			memcpy(q, "DIR", 3);
			q += 3;
			p += n;
		} else
			*q++ = *p++;
	}
	vt_buf_free(&b);
	return s;
}

static const char own[] =
    "# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\n"
    "node_load1 0.5\n"
    "# HELP node_forks_total Total number of forks.\n"
    "# TYPE node_forks_total counter\nnode_forks_total 10\n";

int
main(void)
{
	struct vt_textfile	 tf;
	struct timespec		 ts[2] = { { 1764900000, 0 },
	    { 1764900000, 0 } };
	char			 err[VT_ERRLEN], *text, *s, path[8192], big[300];
	const char		*base;
	size_t			 len, i;
	struct vt_buf		 om;

	if (vt_buf_init(&out, 4096, 64 * 1024) == VT_ERR)
		bail("out of memory");

	/* The fixtures. */
	text = tap_fixture("textfile/good.prom", &len);
	is_int(parse(text, len, err, sizeof(err)), VT_OK, "good.prom: valid");
	golden("good.prom", out.data, out.len);
	is_int((long long)fam[0].len, (long long)strlen("apt_upgrades_pending"),
	    "the first family's name is where it says");
	ok(memcmp(out.data + fam[0].off, "apt_upgrades_pending", 20) == 0,
	    "  in the text");
	if (vt_buf_init(&om, 4096, 64 * 1024) == VT_ERR)
		bail("out of memory");
	is_int(vt_render_openmetrics(out.data, out.len, &om), VT_OK,
	    "its canonical form goes through the OpenMetrics rewrite");
	ok(strstr(om.data, "# TYPE backup_runs_total unknown\n") != NULL,
	    "  an untyped family as unknown");
	vt_buf_free(&om);
	free(text);
	is_int((long long)tap_fixture_cuts("textfile/good.prom", cut), 0,
	    "good.prom: every prefix cut mid-line is refused (no newline)");
	text = tap_fixture("textfile/truncated.prom", &len);
	is_int(parse(text, len, err, sizeof(err)), VT_ERR, "truncated.prom");
	ok(strstr(err, "no newline at the end") != NULL, "  %s", err);
	free(text);
	text = tap_fixture("textfile/malformed.prom", &len);
	is_int(parse(text, len, err, sizeof(err)), VT_ERR, "malformed.prom");
	ok(strstr(err, "line 4: a: samples not together") != NULL, "  %s",
	    err);
	free(text);
	text = tap_fixture("textfile/timestamp.prom", &len);
	is_int(parse(text, len, err, sizeof(err)), VT_ERR, "timestamp.prom");
	ok(strstr(err, "timestamp") != NULL, "  %s", err);
	free(text);
	text = tap_fixture("textfile/dupseries.prom", &len);
	is_int(parse(text, len, err, sizeof(err)), VT_ERR, "dupseries.prom");
	ok(strstr(err, "series a{x=\"1\"} twice") != NULL, "  %s", err);
	free(text);

	/* One case per rule. */
	good("", "", "an empty file");
	good("# just a comment\n\n", "", "comments and blank lines only");
	good("a 1\n", "# HELP a Metric read from t.prom\n# TYPE a untyped\n"
	    "a 1\n", "no HELP, no TYPE: node_exporter's HELP, untyped");
	good("a{} 1.50\n", "# HELP a Metric read from t.prom\n"
	    "# TYPE a untyped\na 1.5\n", "empty braces; the value rewritten");
	good("# HELP a x\n# HELP b y\nb 1\n", "# HELP b y\n# TYPE b untyped\n"
	    "b 1\n", "a family without samples is dropped");
	good("a:b_c 1e3\n", "# HELP a:b_c Metric read from t.prom\n"
	    "# TYPE a:b_c untyped\na:b_c 1000\n", "colons in a name");
	good("# HELPER a\na 1\n", "# HELP a Metric read from t.prom\n"
	    "# TYPE a untyped\na 1\n", "# HELPER is a comment");
	bad("1a 1\n", "invalid metric name", "a name with a digit first");
	bad("a-b 1\n", "invalid metric name", "a dash in a name");
	bad("a{1x=\"1\"} 1\n", "invalid label name", "a bad label name");
	bad("a{x:y=\"1\"} 1\n", "expected '='", "a colon in a label name");
	bad("a{__x=\"1\"} 1\n", "reserved", "a reserved label name");
	bad("a{x=1} 1\n", "not quoted", "an unquoted label value");
	bad("a{x=\"1} 1\n", "not closed", "an unclosed label value");
	bad("a{x=\"\\t\"} 1\n", "invalid escape", "an escape other than "
	    "\\\\, \\\" and \\n");
	bad("a{x=\"\xc3\x28\"} 1\n", "not UTF-8", "a label value not UTF-8");
	bad("a{x=\"1\",x=\"2\"} 1\n", "label x twice", "a label twice");
	bad("a{x=\"1\" y=\"2\"} 1\n", "expected ','", "labels without a comma");
	bad("a\n", "not a number", "no value");
	bad("a 1x\n", "not a number", "a value that is not a number");
	bad("a 0x10\n", "not a number", "a hex value");
	bad("a 1 2 3\n", "timestamp", "text after the timestamp");
	bad("# HELP a x\\y\na 1\n", "invalid escape", "a HELP with \\y");
	bad("# HELP a x\n# HELP a y\na 1\n", "second HELP", "a second HELP");
	bad("# TYPE a gauge\n# TYPE a counter\na 1\n", "second TYPE",
	    "a second TYPE");
	bad("a 1\n# TYPE a gauge\n", "after its samples", "TYPE after samples");
	bad("a 1\n# HELP a x\n", "after its samples", "HELP after samples");
	bad("# TYPE a gauges\na 1\n", "not counter, gauge", "an unknown type");
	bad("# TYPE a gauge x\na 1\n", "not counter, gauge", "text after "
	    "the type");
	bad("# TYPE\tx-y gauge\n", "invalid metric name", "a bad name in TYPE");
	bad("# HELP  \n", "without a valid metric name", "HELP without name");
	bad("# TYPE s summary\ns 1\n", "without a numeric quantile",
	    "a summary sample without quantile");
	bad("# TYPE s summary\ns{quantile=\"x\"} 1\n", "numeric quantile",
	    "a quantile that is not a number");
	bad("# TYPE h histogram\nh_bucket 1\n", "without a numeric le",
	    "a bucket without le");
	bad("# TYPE h histogram\nh 1\n", "histogram h has no sample",
	    "a histogram sample without suffix");
	bad("# TYPE s summary\ns_sum 1\n# TYPE s_count gauge\ns_count 2\n",
	    "family s_count collides with family s", "a family named as "
	    "another's _count");
	bad("# TYPE c_total counter\nc_total 1\n# TYPE c gauge\nc 2\n",
	    "collides", "a gauge named as a counter less _total");
	bad("a{x=\"1\"} 1\na{x=\"1\"} 2\n", "twice", "the same series twice");
	bad_n("a 1\x00\n", 5, "NUL", "a NUL byte");
	bad("a 1", "no newline", "no newline at the end");
	memset(big, '1', sizeof(big));
	memcpy(big, "a ", 2);
	memcpy(big + sizeof(big) - 2, "\n", 2);
	bad(big, "not a number", "a value of 295 digits");

	/* Collisions. */
	ok(vt_tf_clash("x", 1, VT_TF_GAUGE, "x", 1, VT_TF_COUNTER),
	    "clash: the same name");
	ok(vt_tf_clash("x_total", 7, VT_TF_COUNTER, "x", 1, VT_TF_GAUGE),
	    "clash: a counter less _total");
	ok(vt_tf_clash("h_bucket", 8, VT_TF_GAUGE, "h", 1, VT_TF_HISTOGRAM),
	    "clash: a histogram's _bucket");
	ok(!vt_tf_clash("h_bucket", 8, VT_TF_GAUGE, "h", 1, VT_TF_SUMMARY),
	    "no clash: a summary has no _bucket");
	ok(!vt_tf_clash("x_total", 7, VT_TF_GAUGE, "x", 1, VT_TF_GAUGE),
	    "no clash: a gauge named _total");

	/* The directory. */
	if (tap_tmpdir("vt-textfile", tmp, sizeof(tmp)) == -1)
		bail("temporary directory: %s", strerror(errno));
	put("a.prom", "# HELP cron_ok Whether the job ran.\n"
	    "# TYPE cron_ok gauge\ncron_ok{job=\"backup\"} 1\n");
	put("b.prom", "# TYPE cron_ok gauge\ncron_ok{job=\"apt\"} 1\n");
	put("c.prom", "# TYPE broken gauge\nbroken{x=\"1\" 1\n");
	put("g.prom", "node_load1 7\n");
	put("i.prom", "node_forks 7\n");
	put("k.prom", "node_textfile_scrape_error 0\n");
	put("m.txt", "ignored 1\n");
	put("z.prom", "# HELP zfs_ok Pool healthy.\n# TYPE zfs_ok gauge\n"
	    "zfs_ok{pool=\"tank\"} 1\n");
	{
		FILE	*f;

		snprintf(path, sizeof(path), "%s/d.prom", tmp);
		if ((f = fopen(path, "w")) == NULL)
			bail("cannot write %s", path);
		for (i = 0; i < VT_TF_FILE_MAX / 16 + 1; i++)
			fputs("big_one_sample 1\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/e.prom", tmp);
	if (mkfifo(path, 0600) == -1)
		bail("mkfifo: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/f.prom", tmp);
	if (symlink("nowhere.prom", path) == -1)
		bail("symlink: %s", strerror(errno));
	for (base = "abcdgikz"; *base != '\0'; base++) {
		snprintf(path, sizeof(path), "%s/%c.prom", tmp, *base);
		if (utimensat(AT_FDCWD, path, ts, 0) == -1)
			bail("utimensat: %s", strerror(errno));
	}
	is_int(vt_textfile_init(&tf, tmp), VT_OK, "reader: init");
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_OK,
	    "reader: scan (bad files are no error of the collector)");
	is_int((long long)tf.nfiles, 10, "ten *.prom files, m.txt ignored");
	ok(tf.files[0].ok, "a.prom accepted");
	ok(!tf.files[1].ok && strstr(tf.files[1].perr, "collides with "
	    "cron_ok of a.prom") != NULL, "b.prom: %s", tf.files[1].perr);
	ok(!tf.files[2].ok && strstr(tf.files[2].perr, "line 2") != NULL,
	    "c.prom: %s", tf.files[2].perr);
	ok(!tf.files[3].ok && strstr(tf.files[3].perr, "over 65536 bytes") !=
	    NULL, "d.prom: %s", tf.files[3].perr);
	ok(!tf.files[4].ok && strstr(tf.files[4].perr, "not a regular file") !=
	    NULL, "e.prom (a FIFO): %s", tf.files[4].perr);
	ok(!tf.files[5].ok && strstr(tf.files[5].perr, "cannot open") !=
	    NULL, "f.prom (dangling): %s", tf.files[5].perr);
	ok(!tf.files[8].ok && strstr(tf.files[8].perr, "collector's own") !=
	    NULL, "k.prom: %s", tf.files[8].perr);
	s = rendered(&tf, own);
	golden("dir.prom", s, strlen(s));
	ok(tf.files[6].clash && strstr(tf.files[6].cerr, "Vitals' own "
	    "node_load1") != NULL, "g.prom: %s", tf.files[6].cerr);
	ok(tf.files[7].clash && strstr(tf.files[7].cerr, "Vitals' own "
	    "node_forks_total") != NULL, "i.prom: %s", tf.files[7].cerr);
	ok(strstr(s, "node_textfile_scrape_error 1\n") != NULL,
	    "scrape_error 1");
	free(s);
	s = rendered(&tf, "");
	ok(strstr(s, "node_load1 7\n") != NULL, "without that own family, "
	    "g.prom is in");
	free(s);

	/* Replaced, removed. */
	for (base = "bcdgik"; *base != '\0'; base++) {
		snprintf(path, sizeof(path), "%s/%c.prom", tmp, *base);
		(void)unlink(path);
	}
	put("c.prom", "# TYPE fixed gauge\nfixed 2\n");
	snprintf(path, sizeof(path), "%s/a.prom", tmp);
	(void)unlink(path);
	put("b.prom", "# TYPE cron_ok gauge\ncron_ok{job=\"apt\"} 1\n");
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_OK, "rescan");
	s = rendered(&tf, own);
	ok(strstr(s, "cron_ok{job=\"apt\"} 1\n") != NULL &&
	    strstr(s, "job=\"backup\"") == NULL, "a.prom removed: b.prom's "
	    "cron_ok is in, a.prom's is gone");
	ok(strstr(s, "fixed 2\n") != NULL, "c.prom replaced: in");
	ok(strstr(s, "node_textfile_scrape_error 1\n") != NULL,
	    "the FIFO and the dangling link still count");
	free(s);
	snprintf(path, sizeof(path), "%s/e.prom", tmp);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s/f.prom", tmp);
	(void)unlink(path);
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_OK, "rescan");
	s = rendered(&tf, own);
	ok(strstr(s, "node_textfile_scrape_error 0\n") != NULL,
	    "every file good: scrape_error 0");
	free(s);

	/* The file limit. */
	for (i = 0; i < VT_TF_FILES_MAX + 2; i++) {
		char	name[32], body[64];

		snprintf(name, sizeof(name), "n%03zu.prom", i);
		snprintf(body, sizeof(body), "many_%zu 1\n", i);
		put(name, body);
	}
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_OK, "rescan");
	is_int((long long)tf.nfiles, VT_TF_FILES_MAX, "at most %d files",
	    VT_TF_FILES_MAX);
	is_int((long long)tf.skipped, 5, "the other 5 skipped");
	s = rendered(&tf, own);
	ok(strstr(s, "node_textfile_scrape_error 1\n") != NULL,
	    "skipped files: scrape_error 1");
	free(s);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	if (system(path) != 0)
		diag("could not remove %s", tmp);
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_ERR,
	    "a missing directory: the collector fails");
	ok(strstr(err, "No such file") != NULL, "  %s", err);
	s = rendered(&tf, own);
	is_str(s, "# HELP node_textfile_scrape_error 1 if there was an error "
	    "opening or reading a file, 0 otherwise\n"
	    "# TYPE node_textfile_scrape_error gauge\n"
	    "node_textfile_scrape_error 1\n", "  scrape_error 1 alone");
	free(s);
	vt_textfile_free(&tf);

	is_int(vt_textfile_init(&tf, ""), VT_OK, "off");
	is_int(vt_textfile_scan(&tf, err, sizeof(err)), VT_OK, "  scan: ok");
	s = rendered(&tf, own);
	is_str(s, "# HELP node_textfile_scrape_error 1 if there was an error "
	    "opening or reading a file, 0 otherwise\n"
	    "# TYPE node_textfile_scrape_error gauge\n"
	    "node_textfile_scrape_error 0\n", "  scrape_error 0, as "
	    "node_exporter without a directory");
	free(s);
	vt_textfile_free(&tf);
	vt_buf_free(&out);
	done_testing();
	return tap_exit_status();
}

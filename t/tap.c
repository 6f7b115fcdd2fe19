/*
 * tap.c: the TAP producer behind tap.h.  Each check prints one
 * "ok N - name" or "not ok N - name" line; done_testing() prints the plan
 * when none was given up front.  The exit status is non-zero when any
 * check failed, so prove and the Automake driver agree.
 */
#include "tap.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_n;
static int	tap_failed;
static int	tap_planned = -1;

void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static int
tap_vresult(int cond, const char *fmt, va_list ap)
{
	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

int
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	return cond;
}

int
is_int(long long got, long long want, const char *fmt, ...)
{
	va_list	ap;
	int	cond = got == want;

	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		diag("     got: %lld\n    want: %lld", got, want);
	return cond;
}

int
is_dbl(double got, double want, double eps, const char *fmt, ...)
{
	va_list	ap;
	int	cond = fabs(got - want) <= eps;

	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		diag("     got: %.9g\n    want: %.9g (+/- %g)", got, want, eps);
	return cond;
}

int
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list	ap;
	int	cond;

	if (got == NULL || want == NULL)
		cond = got == want;
	else
		cond = strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		diag("     got: '%s'\n    want: '%s'", got ? got : "(null)",
		    want ? want : "(null)");
	return cond;
}

void
diag(const char *fmt, ...)
{
	va_list	ap;
	char	buf[8192], *line, *save = NULL;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fflush(stdout);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "# %s\n", line);
	fflush(stderr);
}

void
skip(int n, const char *fmt, ...)
{
	va_list	ap;
	char	why[512];
	int	i;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++)
		printf("ok %d # skip %s\n", ++tap_n, why);
	fflush(stdout);
}

void
skip_all(const char *fmt, ...)
{
	va_list	ap;

	printf("1..0 # skip ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(0);
}

void
bail(const char *fmt, ...)
{
	va_list	ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(255);
}

void
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_n);
	fflush(stdout);
}

int
tap_exit_status(void)
{
	if (tap_planned >= 0 && tap_planned != tap_n)
		return 255;
	return tap_failed > 0 ? 1 : 0;
}

const char *
tap_fixture_root(void)
{
	static char	root[4096];
	const char     *env = getenv("VT_FIXTURES");
	const char     *srcdir = getenv("srcdir");

	if (env != NULL && *env != '\0')
		return env;
	snprintf(root, sizeof(root), "%s/t/fixtures",
	    srcdir != NULL && *srcdir != '\0' ? srcdir : ".");
	return root;
}

char *
tap_fixture(const char *rel, size_t *len)
{
	char	path[4096], *buf;
	FILE   *f;
	long	n;

	snprintf(path, sizeof(path), "%s/%s", tap_fixture_root(), rel);
	if ((f = fopen(path, "rb")) == NULL)
		bail("cannot open fixture %s", path);
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1)
		bail("cannot size fixture %s", path);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		bail("out of memory");
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		bail("short read on fixture %s", path);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

size_t
tap_fixture_cuts(const char *rel, tap_parse_fn parse)
{
	char	*file, *b;
	size_t	 len, k, bad = 0;
	int	 rc;

	file = tap_fixture(rel, &len);
	for (k = 0; k < len; k++) {
		if ((b = malloc(k > 0 ? k : 1)) == NULL)
			bail("out of memory");
		memcpy(b, file, k);
		rc = parse(b, k);
		/* A prefix that ends a line is a shorter, valid file. */
		if (k > 0 && file[k - 1] != '\n' && rc != -1)
			bad++;
		free(b);
	}
	free(file);
	return bad;
}

/* How many characters of its template mkdtemp(3) replaces. */
#define TAP_MKDTEMP_X	6

int
tap_tmpdir(const char *name, char *dst, size_t len)
{
	const char	*tmp = getenv("TMPDIR");
	int		 n;

	n = snprintf(dst, len, "%s/%s.",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp", name);
	if (n < 0 || (size_t)n + TAP_MKDTEMP_X >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* The part mkdtemp(3) replaces: six 'X's, as it requires. */
	memset(dst + n, 'X', TAP_MKDTEMP_X);
	dst[n + TAP_MKDTEMP_X] = '\0';
	return mkdtemp(dst) != NULL ? 0 : -1;
}

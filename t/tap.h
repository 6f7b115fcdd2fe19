/*
 * tap.h: a small TAP producer for the unit tests (TAP version 13 output,
 * read by Automake's tap-driver.sh and by prove).
 */
#ifndef VT_TAP_H
#define VT_TAP_H

#include <stddef.h>

void	plan(int n);
void	done_testing(void);
int	ok(int cond, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	is_int(long long got, long long want, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	is_dbl(double got, double want, double eps, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
int	is_str(const char *got, const char *want, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	skip(int n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	skip_all(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	bail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
int	tap_exit_status(void);

/*
 * Read a fixture file below $VT_FIXTURES (or t/fixtures relative to
 * $srcdir) into a buffer from malloc; NUL-terminated.  Bails on error.
 */
char	*tap_fixture(const char *rel, size_t *len);
/*
 * Feed every prefix of fixture rel to parse, each copied into a heap block
 * of exactly its length, so ASan catches any read past it.  Returns how
 * many prefixes cut mid-line the parser accepted (a clean parser: 0).
 */
typedef int (*tap_parse_fn)(const char *buf, size_t len);
size_t	tap_fixture_cuts(const char *rel, tap_parse_fn parse);

/* The fixture root, for readers that take a directory. */
const char *tap_fixture_root(void);

/*
 * Make a new private directory $TMPDIR/<name>.<6 random characters>
 * (/tmp when TMPDIR is unset or empty) and write its path to dst.
 * Returns 0, or -1 with errno set (the caller bails or skips).
 */
int	tap_tmpdir(const char *name, char *dst, size_t len);

#endif /* VT_TAP_H */

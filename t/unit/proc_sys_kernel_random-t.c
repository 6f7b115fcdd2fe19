/*
 * proc_sys_kernel_random-t.c: the entropy collector, and the one-number
 * file parser it reads with (vt_pf_one_u64(), procfile.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/procfile.h"
#include "collect/proc_sys_kernel_random.h"

static struct vt_entropy	en;

static int	read_tree(const char *tree);
static int	one(const char *s, uint64_t *v);
static int	cut_parse(const char *buf, size_t len);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_entropy_read(root, &en, err, sizeof(err));
}

static int
one(const char *s, uint64_t *v)
{
	return vt_pf_one_u64(s, strlen(s), v);
}

static int
cut_parse(const char *buf, size_t len)
{
	uint64_t	v;

	return vt_pf_one_u64(buf, len, &v);
}

int
main(void)
{
	char		root[4096], err[VT_ERRLEN];
	uint64_t	v;

	ok(one("4096\n", &v) == VT_OK && v == 4096, "one: 4096");
	ok(one("18446744073709551615\n", &v) == VT_OK && v == UINT64_MAX,
	    "one: 2^64 - 1");
	is_int(one("", &v), VT_ERR, "one: empty");
	is_int(one("4096", &v), VT_ERR, "one: no newline");
	is_int(one("4096\n1\n", &v), VT_ERR, "one: two lines");
	is_int(one("-1\n", &v), VT_ERR, "one: below zero");
	is_int(one("4 096\n", &v), VT_ERR, "one: two words");
	is_int(one("\n", &v), VT_ERR, "one: a blank line");

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	ok(en.avail_bits == 256 && en.pool_bits == 256,
	    "vm2: 256 of 256 bits (Linux 5.18 and later)");
	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int(read_tree("legacy"), VT_OK, "legacy: reads");
	ok(en.avail_bits == 183 && en.pool_bits == 4096,
	    "legacy: 183 of 4096 bits");
	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut: error");
	is_int(read_tree("malformed"), VT_ERR, "poolsize of two lines: error");
	ok(en.avail_bits == 0 && en.pool_bits == 0, "an error leaves zeros");

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(),
	    "nonexistent");
	errno = 0;
	is_int(vt_entropy_read(root, &en, err, sizeof(err)), VT_ERR,
	    "no such tree: error");
	is_int(errno, ENOENT, "... ENOENT");
	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(),
	    "malformed");
	errno = 0;
	is_int(vt_procfile_read_u64(root, "proc/sys/kernel/random/poolsize",
	    &v, err, sizeof(err)), VT_ERR, "read_u64: malformed");
	is_int(errno, EINVAL, "... EINVAL, not ENOENT");

	is_int((long long)tap_fixture_cuts(
	    "proc/legacy/proc/sys/kernel/random/poolsize", cut_parse), 0,
	    "legacy poolsize: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts(
	    "proc/vm2/proc/sys/kernel/random/entropy_avail", cut_parse), 0,
	    "vm2 entropy_avail: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

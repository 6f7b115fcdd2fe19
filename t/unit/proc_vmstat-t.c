/*
 * proc_vmstat-t.c: the /proc/vmstat parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_vmstat.h"

static struct vt_proc_vmstat	vs;

static int	parse_str(const char *s);
static int	parse_cut(const char *buf, size_t len);
static int	read_tree(const char *tree);

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_vmstat_parse(s, strlen(s), &vs, err, sizeof(err));
}

static int
parse_cut(const char *buf, size_t len)
{
	return vt_proc_vmstat_parse(buf, len, &vs, NULL, 0);
}

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_vmstat_read(root, &vs, err, sizeof(err));
}

int
main(void)
{
	static const char	base[] = "pgpgin 1\npgpgout 2\npswpin 3\n"
				    "pswpout 4\npgfault 5\npgmajfault 6\n";
	char			buf[512];

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	is_int((long long)vs.pgfault, 178763715, "vm2: pgfault");
	is_int((long long)vs.pgmajfault, 27370, "vm2: pgmajfault");
	is_int((long long)vs.pgpgin, 11886877, "vm2: pgpgin");
	is_int((long long)vs.pgpgout, 11759556, "vm2: pgpgout");
	is_int((long long)vs.pswpin, 0, "vm2: pswpin");
	is_int((long long)vs.pswpout, 0, "vm2: pswpout");
	is_int(vs.have_oom_kill, 1, "vm2: has oom_kill");
	is_int((long long)vs.oom_kill, 0, "vm2: oom_kill");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int((long long)vs.pgfault, 98765432109876LL,
	    "server64: pgfault past 2^32");
	is_int((long long)vs.pswpout, 8765, "server64: pswpout");
	is_int((long long)vs.oom_kill, 3, "server64: oom_kill");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads");
	is_int(vs.have_oom_kill, 0, "legacy: no oom_kill (before 4.13)");
	is_int((long long)vs.pgmajfault, 3456, "legacy: pgmajfault");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "bad number: error");
	is_int((long long)vs.pgfault, 0, "an error leaves zeros");

	is_int(parse_str(base), VT_OK, "the six required fields: reads");
	is_int((long long)vs.pgmajfault, 6, "pgmajfault 6");
	is_int(parse_str("pgpgin 1\npgpgout 2\npswpin 3\npswpout 4\n"
	    "pgfault 5\n"), VT_ERR, "no pgmajfault: error");
	snprintf(buf, sizeof(buf), "%spgfault 7\n", base);
	is_int(parse_str(buf), VT_ERR, "a field twice: error");
	snprintf(buf, sizeof(buf), "%snr_foo\n", base);
	is_int(parse_str(buf), VT_ERR, "a line of one word: error");
	snprintf(buf, sizeof(buf), "%snr_foo 1 2\n", base);
	is_int(parse_str(buf), VT_ERR, "a line of three words: error");
	snprintf(buf, sizeof(buf), "%soom_kill -1\n", base);
	is_int(parse_str(buf), VT_ERR, "negative: error");
	snprintf(buf, sizeof(buf), "nr_dirty x\n%s", base);
	is_int(parse_str(buf), VT_OK,
	    "a field not kept is not parsed (only its shape is checked)");

	is_int((long long)tap_fixture_cuts("proc/vm2/proc/vmstat", parse_cut),
	    0, "every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

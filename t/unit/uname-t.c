/*
 * uname-t.c: the uname strings from /proc/sys/kernel/, os-release(5)
 * and the master's own /proc/self figures: the slow collectors'
 * parsers and readers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "../tap.h"
#include "collect/os_release.h"
#include "collect/proc_self.h"
#include "collect/uname.h"

static struct vt_uname		un;
static struct vt_os_release	osr;
static struct vt_proc_self	ps;

static int	cut_uname(const char *buf, size_t len);
static int	cut_os(const char *buf, size_t len);
static int	cut_limits(const char *buf, size_t len);
static int	os_str(const char *s);
static void	root_of(const char *tree, char *dst, size_t len);

static int
cut_uname(const char *buf, size_t len)
{
	char	v[VT_UNAME_LEN];

	return vt_uname_value_parse(buf, len, v, NULL, 0);
}

static int
cut_os(const char *buf, size_t len)
{
	return vt_os_release_parse(buf, len, &osr, NULL, 0);
}

static int
cut_limits(const char *buf, size_t len)
{
	return vt_proc_limits_parse(buf, len, &ps, NULL, 0);
}

static int
os_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_os_release_parse(s, strlen(s), &osr, err, sizeof(err));
}

static void
root_of(const char *tree, char *dst, size_t len)
{
	snprintf(dst, len, "%s/proc/%s", tap_fixture_root(), tree);
}

int
main(void)
{
	char		root[4096], err[VT_ERRLEN];
	struct utsname	u;

	/* uname */
	root_of("vm2", root, sizeof(root));
	is_int(vt_uname_read(root, &un, err, sizeof(err)), VT_OK, "vm2: uname");
	is_str(un.sysname, "Linux", "vm2: sysname");
	is_str(un.nodename, "vm2.example.net", "vm2: nodename");
	is_str(un.release, "6.18.44-fc-v1272", "vm2: release");
	is_str(un.version, "#1 SMP PREEMPT_DYNAMIC @0", "vm2: version");
	is_str(un.machine, "x86_64", "vm2: machine from kernel/arch");
	is_str(un.domainname, "(none)", "vm2: domainname as the kernel says");
	root_of("server64", root, sizeof(root));
	is_int(vt_uname_read(root, &un, err, sizeof(err)), VT_OK,
	    "server64: uname");
	if (uname(&u) == -1)
		bail("uname(2) failed");
	is_str(un.machine, u.machine,
	    "server64 (no kernel/arch, Linux 6.1): machine from uname(2)");
	is_str(un.domainname, "example.net", "server64: domainname");
	root_of("malformed", root, sizeof(root));
	is_int(vt_uname_read(root, &un, err, sizeof(err)), VT_ERR,
	    "malformed (two lines): error");
	is_str(un.sysname, "", "an error leaves nothing");
	root_of("truncated", root, sizeof(root));
	is_int(vt_uname_read(root, &un, err, sizeof(err)), VT_ERR,
	    "truncated: error");
	root_of("nonexistent", root, sizeof(root));
	is_int(vt_uname_read(root, &un, err, sizeof(err)), VT_ERR,
	    "missing files: error");
	{
		char	v[VT_UNAME_LEN], big[80];

		memset(big, 'a', sizeof(big));
		big[sizeof(big) - 1] = '\n';
		is_int(vt_uname_value_parse(big, sizeof(big), v, NULL, 0),
		    VT_ERR, "over 64 bytes: error");
		is_int(vt_uname_value_parse("\n", 1, v, NULL, 0), VT_OK,
		    "an empty line: an empty value");
		is_int(vt_uname_value_parse("", 0, v, NULL, 0), VT_ERR,
		    "an empty file: error");
	}
	is_int((long long)tap_fixture_cuts("proc/vm2/proc/sys/kernel/version",
	    cut_uname), 0, "uname: every cut fails cleanly");

	/* os-release */
	root_of("vm2", root, sizeof(root));
	is_int(vt_os_release_read(root, &osr, err, sizeof(err)), VT_OK,
	    "vm2: os-release");
	ok(osr.present, "vm2: present");
	is_str(osr.v[VT_OS_PRETTY_NAME], "Debian GNU/Linux 12 (bookworm)",
	    "vm2: pretty_name");
	is_str(osr.v[VT_OS_ID], "debian", "vm2: id, bare");
	is_str(osr.v[VT_OS_VERSION_CODENAME], "bookworm", "vm2: codename");
	ok(osr.version == 12.0, "vm2: version 12");
	root_of("server64", root, sizeof(root));
	is_int(vt_os_release_read(root, &osr, err, sizeof(err)), VT_OK,
	    "server64: os-release");
	is_str(osr.v[VT_OS_NAME], "Ubuntu", "server64: single quotes");
	is_str(osr.v[VT_OS_VARIANT], "Server \"minimal\" \\ $HOME",
	    "server64: escapes in double quotes");
	ok(osr.version > 22.0399 && osr.version < 22.0401,
	    "server64: version 22.04");
	is_str(osr.v[VT_OS_ID_LIKE], "debian", "server64: id_like");
	is_str(osr.v[VT_OS_BUILD_ID], "", "server64: no build_id");
	root_of("malformed", root, sizeof(root));
	is_int(vt_os_release_read(root, &osr, err, sizeof(err)), VT_ERR,
	    "malformed (unterminated quote): error");
	root_of("truncated", root, sizeof(root));
	is_int(vt_os_release_read(root, &osr, err, sizeof(err)), VT_ERR,
	    "truncated: error");
	root_of("nonexistent", root, sizeof(root));
	is_int(vt_os_release_read(root, &osr, err, sizeof(err)), VT_OK,
	    "no os-release: no error");
	ok(!osr.present, "no os-release: nothing to report");
	is_int(os_str("VERSION_ID=9.3.2\n"), VT_OK, "9.3.2 reads");
	ok(osr.version > 9.2999 && osr.version < 9.3001,
	    "9.3.2: major.minor 9.3, as node_exporter's regexp");
	is_int(os_str("VERSION_ID=rolling\n"), VT_OK, "rolling reads");
	ok(osr.version == 0, "rolling: no version");
	is_int(os_str("NAME=two words\n"), VT_ERR, "bare blank: error");
	is_int(os_str("NAME=\"a\"b\"\n"), VT_ERR, "stray quote: error");
	is_int(os_str("NAME=\"a\\q\"\n"), VT_ERR, "unknown escape: error");
	is_int(os_str("just words\n"), VT_ERR, "no '=': error");
	is_int(os_str("FOO=\"x\n"), VT_ERR, "unknown key, broken: error");
	is_int(os_str("  # comment\n\nID=x\n"), VT_OK, "comments, blanks");
	is_int((long long)tap_fixture_cuts("proc/server64/etc/os-release",
	    cut_os), 0, "os-release: every cut fails cleanly");

	/* /proc/self */
	root_of("server64", root, sizeof(root));
	is_int(vt_proc_self_read(root, 4096, &ps, err, sizeof(err)), VT_OK,
	    "server64: self");
	is_int((long long)ps.cpu_ticks, 12345 + 6789, "utime + stime");
	is_int((long long)ps.start_ticks, 3456000, "starttime");
	is_int((long long)ps.vsize_bytes, 54784LL * 4096, "vsize from statm");
	is_int((long long)ps.rss_bytes, 3050LL * 4096, "rss from statm");
	is_int((long long)ps.open_fds, 41, "41 descriptors");
	is_int((long long)ps.max_fds, 1024, "soft limit, not hard");
	is_int((long long)ps.max_vsize_bytes, 335544320, "address space");
	root_of("vm2", root, sizeof(root));
	is_int(vt_proc_self_read(root, 4096, &ps, err, sizeof(err)), VT_OK,
	    "vm2: self");
	ok(ps.max_vsize_bytes == VT_LIMIT_UNLIMITED, "unlimited: the maximum");
	root_of("malformed", root, sizeof(root));
	is_int(vt_proc_self_read(root, 4096, &ps, err, sizeof(err)), VT_ERR,
	    "malformed: error");
	is_int((long long)ps.rss_bytes, 0, "an error leaves zeros");
	is_int((long long)tap_fixture_cuts("proc/vm2/proc/self/limits",
	    cut_limits), 0, "limits: every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

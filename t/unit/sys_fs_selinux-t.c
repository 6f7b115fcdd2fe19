/*
 * sys_fs_selinux-t.c: SELinux's state (node_exporter's selinux
 * collector): the enforce file, /etc/selinux/config, and the reader on
 * the fixture trees (el9: a RHEL 9 host, enforcing; vm2: Debian, none).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/sys_fs_selinux.h"

static struct vt_selinux	se;

static int	config(const char *s, int *mode);
static int	enforce(const char *s, int *mode);
static int	cut_config(const char *buf, size_t len);
static int	read_tree(const char *tree);

static int
config(const char *s, int *mode)
{
	char	err[VT_ERRLEN];

	return vt_selinux_config_parse(s, strlen(s), mode, err, sizeof(err));
}

static int
enforce(const char *s, int *mode)
{
	char	err[VT_ERRLEN];

	return vt_selinux_enforce_parse(s, strlen(s), mode, err, sizeof(err));
}

static int
cut_config(const char *buf, size_t len)
{
	int	mode;

	return vt_selinux_config_parse(buf, len, &mode, NULL, 0);
}

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_selinux_read(root, &se, err, sizeof(err));
}

int
main(void)
{
	int	mode = 99;

	is_int(read_tree("el9"), VT_OK, "el9: reads");
	ok(se.enabled == 1, "el9: enabled");
	is_int(se.current_mode, VT_SELINUX_ENFORCING,
	    "el9: enforce \"1\" (no newline, as the kernel writes it)");
	is_int(se.config_mode, VT_SELINUX_ENFORCING,
	    "el9: SELINUX=enforcing, SELINUXTYPE= and comments skipped");
	is_int(read_tree("vm2"), VT_OK, "vm2 (Debian): reads");
	ok(se.enabled == 0, "vm2: no /sys/fs/selinux: not enabled");
	is_int(read_tree("nonexistent"), VT_OK, "no tree at all: no error");
	ok(se.enabled == 0, "no tree at all: not enabled");
	is_int(read_tree("malformed"), VT_ERR, "enforce \"2\": error");
	ok(se.enabled == 0, "an error leaves nothing enabled");

	is_int(enforce("0\n", &mode), VT_OK, "enforce 0 and a newline");
	is_int(mode, VT_SELINUX_PERMISSIVE, "enforce 0: permissive");
	is_int(enforce("", &mode), VT_ERR, "enforce empty: error");
	is_int(enforce("1\n\n", &mode), VT_ERR, "enforce two lines: error");
	is_int(enforce("-1", &mode), VT_ERR, "enforce -1: error");

	is_int(config("SELINUX=permissive\n", &mode), VT_OK, "permissive");
	is_int(mode, VT_SELINUX_PERMISSIVE, "permissive: 0");
	config("SELINUX=disabled\n", &mode);
	is_int(mode, VT_SELINUX_DISABLED, "disabled: -1");
	config("SELINUX=Enforcing\n", &mode);
	is_int(mode, VT_SELINUX_DISABLED,
	    "an unknown value (case matters, as in go-selinux): -1");
	config(" SELINUX = \"enforcing\" \n", &mode);
	is_int(mode, VT_SELINUX_ENFORCING, "blanks and quotes dropped");
	config("#SELINUX=enforcing\nSELINUXTYPE=mls\n", &mode);
	is_int(mode, VT_SELINUX_DISABLED, "only a comment: -1");
	config("SELINUX=permissive\nSELINUX=enforcing\n", &mode);
	is_int(mode, VT_SELINUX_PERMISSIVE, "the first SELINUX= wins");
	is_int(config("", &mode), VT_OK, "an empty file: reads");
	is_int(mode, VT_SELINUX_DISABLED, "an empty file: -1");
	is_int(vt_selinux_config_parse("SELINUX=en\0forcing\n", 19, &mode,
	    NULL, 0), VT_ERR, "a NUL byte: error");
	is_int((long long)tap_fixture_cuts("proc/el9/etc/selinux/config",
	    cut_config), 0, "config: every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

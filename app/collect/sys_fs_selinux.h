/*
 * sys_fs_selinux.h: SELinux's state (node_exporter's selinux collector):
 * whether it is enabled, the mode the kernel enforces now
 * (<root>/sys/fs/selinux/enforce) and the mode configured for the next
 * boot (SELINUX= in <root>/etc/selinux/config).  Modes are go-selinux's
 * numbers: 1 enforcing, 0 permissive, -1 disabled.  It changes with
 * setenforce(8) or a reboot, so the sampler reads it on the process-scan
 * ticks.  Debian's kernels run without it: enabled 0 and nothing else.
 */
#ifndef VT_COLLECT_SYS_FS_SELINUX_H
#define VT_COLLECT_SYS_FS_SELINUX_H

#include <stddef.h>

#include "vitals.h"

#define VT_SELINUX_ENFORCING	1
#define VT_SELINUX_PERMISSIVE	0
#define VT_SELINUX_DISABLED	(-1)

struct vt_selinux {
	int	enabled;	/* 1: selinuxfs answers with a policy */
	int	config_mode;	/* VT_SELINUX_*; valid when enabled */
	int	current_mode;	/* VT_SELINUX_ENFORCING or _PERMISSIVE */
};

/*
 * The text of selinuxfs' enforce file in buf[0..len): "0" or "1" and a
 * newline (the kernel writes no newline; both are taken).  Into *mode.
 * Returns VT_OK, or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_selinux_enforce_parse(const char *buf, size_t len, int *mode,
	    char *err, size_t errlen);

/*
 * The text of /etc/selinux/config in buf[0..len): the last SELINUX=
 * line that is not a comment gives the mode (enforcing, permissive; any
 * other value, or none, is disabled, as go-selinux reads it; quotes and
 * blanks around the value are dropped).  Returns VT_OK, or VT_ERR (a
 * NUL byte, a line cut short) with a reason in err.  No I/O, no state.
 */
int	vt_selinux_config_parse(const char *buf, size_t len, int *mode,
	    char *err, size_t errlen);

/*
 * Read both under root.  No <root>/sys/fs/selinux/enforce (selinuxfs not
 * mounted, or no policy loaded): enabled 0 and VT_OK, as node_exporter
 * says 0 there.  go-selinux also takes SELinux as disabled when the
 * process' context is "kernel" (no policy); selinuxfs has no enforce file
 * then, which this test covers.  A missing config is mode disabled.
 * Returns VT_OK, or VT_ERR (a malformed file) with a reason in err.
 */
int	vt_selinux_read(const char *root, struct vt_selinux *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_SYS_FS_SELINUX_H */

/*
 * uname.h: what uname(2) says of the kernel (node_exporter's uname
 * collector), from the files /proc/sys/kernel/ gives the same strings in,
 * so a fixture tree can stand in for the host: ostype (sysname),
 * hostname (nodename), osrelease (release), version, domainname, and
 * arch (machine; Linux 6.1 and later, else uname(2)'s machine).
 */
#ifndef VT_COLLECT_UNAME_H
#define VT_COLLECT_UNAME_H

#include <stddef.h>

#include "vitals.h"

/* As struct utsname's fields: 65 bytes on Linux. */
#define VT_UNAME_LEN	65

struct vt_uname {
	char	sysname[VT_UNAME_LEN];
	char	nodename[VT_UNAME_LEN];
	char	release[VT_UNAME_LEN];
	char	version[VT_UNAME_LEN];
	char	machine[VT_UNAME_LEN];
	char	domainname[VT_UNAME_LEN];
};

/*
 * Parse one of those files (one line, ending with a newline) in
 * buf[0..len) into dst (VT_UNAME_LEN bytes).  Returns VT_OK, or VT_ERR
 * with a reason in err: empty, cut (no newline), more than one line, or
 * longer than the kernel's 64 bytes.  No I/O, no state.
 */
int	vt_uname_value_parse(const char *buf, size_t len, char *dst,
	    char *err, size_t errlen);

/*
 * Read the six values under <root>/proc/sys/kernel/.  machine falls back
 * to uname(2) when the kernel has no "arch" file (the binary's own
 * architecture, whatever the root).  Returns VT_OK, or VT_ERR when a file
 * is missing or malformed (out is then zeroed).
 */
int	vt_uname_read(const char *root, struct vt_uname *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_UNAME_H */

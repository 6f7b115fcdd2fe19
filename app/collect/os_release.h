/*
 * os_release.h: the operating system's identity from os-release(5)
 * (node_exporter's os collector): /etc/os-release, or
 * /usr/lib/os-release when the first is missing.  The file changes with
 * an upgrade only, so the sampler reads it on the process-scan ticks.
 */
#ifndef VT_COLLECT_OS_RELEASE_H
#define VT_COLLECT_OS_RELEASE_H

#include <stddef.h>

#include "vitals.h"

#define VT_OS_VALUE_LEN	128	/* longer values are cut at a character */

/* The keys node_exporter reports, in its label order (sorted). */
enum vt_os_key {
	VT_OS_BUILD_ID,
	VT_OS_ID,
	VT_OS_ID_LIKE,
	VT_OS_IMAGE_ID,
	VT_OS_IMAGE_VERSION,
	VT_OS_NAME,
	VT_OS_PRETTY_NAME,
	VT_OS_VARIANT,
	VT_OS_VARIANT_ID,
	VT_OS_VERSION,
	VT_OS_VERSION_CODENAME,
	VT_OS_VERSION_ID,
	VT_OS_NKEYS
};

/* The label names: "build_id", "id" ... */
extern const char *const vt_os_labels[VT_OS_NKEYS];

struct vt_os_release {
	char	v[VT_OS_NKEYS][VT_OS_VALUE_LEN];	/* "" when absent */
	double	version;	/* VERSION_ID's leading major.minor; 0: none */
	int	present;	/* a file was read */
};

/*
 * Parse os-release text in buf[0..len) into *out.  The format is
 * os-release(5)'s: KEY=VALUE lines, blank lines and '#' comments; a value
 * bare, in single quotes (literal) or in double quotes (with \\, \", \$
 * and \` escapes).  Unknown keys are skipped; a line that is none of
 * these, or a file cut mid-line, is an error.  Returns VT_OK, or VT_ERR
 * with a reason in err.  No I/O, no state.
 */
int	vt_os_release_parse(const char *buf, size_t len,
	    struct vt_os_release *out, char *err, size_t errlen);

/*
 * Read <root>/etc/os-release, else <root>/usr/lib/os-release, and parse
 * it.  Returns VT_OK (present = 0 when neither exists: nothing to report,
 * and no error, as with node_exporter), or VT_ERR with a reason in err.
 */
int	vt_os_release_read(const char *root, struct vt_os_release *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_OS_RELEASE_H */

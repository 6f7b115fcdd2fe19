/*
 * time_info.h: node_exporter's time collector, less node_time_seconds
 * (the sample's own time, rendered from it): the local time zone's name
 * and offset (node_time_zone_offset_seconds{time_zone}) and the kernel's
 * clock sources from <root>/sys/devices/system/clocksource/clocksourceN/
 * (node_time_clocksource_available_info and _current_info, labelled with
 * the device's index as node_exporter numbers them).  Slow-changing:
 * read on the process-scan ticks.
 */
#ifndef VT_COLLECT_TIME_INFO_H
#define VT_COLLECT_TIME_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_CS_MAX	4	/* clocksource devices; Linux has one */
#define VT_CS_AVAIL_MAX	8	/* sources a device lists */
#define VT_CS_NAME_LEN	32	/* the kernel's names are short: "tsc" */
#define VT_TZ_LEN	16	/* "CET", "+0530" */

struct vt_clocksource {
	char	current[VT_CS_NAME_LEN];
	char	avail[VT_CS_AVAIL_MAX][VT_CS_NAME_LEN];
	size_t	navail;
};

struct vt_time_info {
	char			zone[VT_TZ_LEN];	/* "": unknown */
	int64_t			zone_offset_s;		/* east of UTC */
	struct vt_clocksource	cs[VT_CS_MAX];		/* clocksource0 ... */
	size_t			ncs;
};

/*
 * Parse file ("available_clocksource": names separated by spaces, or
 * "current_clocksource": one name) of one line in buf[0..len) into *cs.
 * VT_ERR with a reason in err when it is empty, cut (no newline), has more
 * than one line, a name too long, or more names than VT_CS_AVAIL_MAX.
 * No I/O, no state.
 */
int	vt_clocksource_parse(const char *file, const char *buf, size_t len,
	    struct vt_clocksource *cs, char *err, size_t errlen);

/*
 * The local time zone at ts_s (seconds since the epoch), from the
 * process's TZ (localtime_r()), into zone and zone_offset_s.
 */
void	vt_time_zone(int64_t ts_s, struct vt_time_info *out);

/*
 * The zone at ts_s and the clock sources under root, in name order.  No
 * clocksource directory is no error (ncs = 0).  Returns VT_OK, or VT_ERR
 * with the reason in err when a file is malformed (out is then zeroed).
 */
int	vt_time_info_read(const char *root, int64_t ts_s,
	    struct vt_time_info *out, char *err, size_t errlen);

#endif /* VT_COLLECT_TIME_INFO_H */

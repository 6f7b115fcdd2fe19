/*
 * sys_class_thermal.h: the thermal zones and cooling devices of
 * /sys/class/thermal/ (node_exporter's thermal_zone collector):
 * node_thermal_zone_temp{zone,type} in degrees Celsius (the kernel gives
 * millidegrees), node_cooling_device_cur_state and _max_state{name,type}.
 * Zones and devices are named as node_exporter names them, by the number
 * after "thermal_zone" / "cooling_device".  Read on the process-scan
 * ticks.  A host without them (a VM: this one) has none, which is no
 * error; a zone whose sensor answers ENODATA or EAGAIN (some ACPI zones
 * do) is left out, as node_exporter leaves it.
 */
#ifndef VT_COLLECT_SYS_CLASS_THERMAL_H
#define VT_COLLECT_SYS_CLASS_THERMAL_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_THERMAL_MAX		32	/* zones, and cooling devices */
#define VT_THERMAL_NAME_LEN	16	/* "12" */
#define VT_THERMAL_TYPE_LEN	32	/* "x86_pkg_temp", "intel_powerclamp" */

struct vt_thermal_zone {
	char	name[VT_THERMAL_NAME_LEN];
	char	type[VT_THERMAL_TYPE_LEN];
	int64_t	temp_milli;		/* millidegrees Celsius */
};

struct vt_cooling_device {
	char	name[VT_THERMAL_NAME_LEN];
	char	type[VT_THERMAL_TYPE_LEN];
	int64_t	cur_state;
	int64_t	max_state;
};

struct vt_thermal {
	struct vt_thermal_zone		z[VT_THERMAL_MAX];	/* by name */
	size_t				nz;
	struct vt_cooling_device	c[VT_THERMAL_MAX];	/* by name */
	size_t				nc;
};

/*
 * One of those one-line files in buf[0..len): a number (temp, cur_state,
 * max_state) into *v when v is set, else a word (type) into dst
 * (dstlen bytes).  VT_ERR with a reason in err when it is empty, cut,
 * more than one line, not a number, or a word too long.  No I/O.
 */
int	vt_thermal_value_parse(const char *buf, size_t len, int64_t *v,
	    char *dst, size_t dstlen, char *err, size_t errlen);

/*
 * Read <root>/sys/class/thermal/.  Returns VT_OK (nothing without the
 * directory), or VT_ERR with the reason in err when a file is malformed
 * (out is then empty).
 */
int	vt_thermal_read(const char *root, struct vt_thermal *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_SYS_CLASS_THERMAL_H */

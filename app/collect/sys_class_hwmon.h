/*
 * sys_class_hwmon.h: the hardware monitors of /sys/class/hwmon/
 * (node_exporter's hwmon collector): temperatures, fans, voltages,
 * currents, power and energy, with node_exporter's family names, HELP,
 * units and labels ({chip, sensor}), and its annotations
 * node_hwmon_chip_names{chip, chip_name} and node_hwmon_sensor_label{chip,
 * label, sensor}.  A chip is named as node_exporter names it: from its
 * device link ("platform_coretemp_0"), else its name file, cleaned to
 * [a-z0-9_:].  Read on the process-scan ticks; a host without hwmon (a VM:
 * this one) has none, which is no error.  The samples are kept sorted by
 * family, chip and sensor, the order they are rendered in.
 */
#ifndef VT_COLLECT_SYS_CLASS_HWMON_H
#define VT_COLLECT_SYS_CLASS_HWMON_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_HWMON_CHIPS_MAX	16
#define VT_HWMON_SAMPLES_MAX	256	/* in all chips; the rest skipped */
#define VT_HWMON_LABELS_MAX	64
#define VT_HWMON_NAME_LEN	64
#define VT_HWMON_SENSOR_LEN	24	/* "temp12", "beep_enable0" */
#define VT_HWMON_HELP_LEN	128

struct vt_hwmon_sample {
	uint8_t	chip;				/* index in chips */
	uint8_t	counter;			/* else a gauge */
	char	sensor[VT_HWMON_SENSOR_LEN];
	char	family[VT_HWMON_NAME_LEN];	/* node_hwmon_temp_celsius */
	char	help[VT_HWMON_HELP_LEN];
	double	v;				/* in the family's unit */
};

struct vt_hwmon_label {
	uint8_t	chip;
	char	sensor[VT_HWMON_SENSOR_LEN];
	char	label[VT_HWMON_NAME_LEN];	/* "Package id 0" */
};

struct vt_hwmon_chip {
	char	name[VT_HWMON_NAME_LEN];	/* the chip label */
	char	chip_name[VT_HWMON_NAME_LEN];	/* "": no name file */
};

struct vt_hwmon {
	struct vt_hwmon_chip	chips[VT_HWMON_CHIPS_MAX];
	size_t			nchips;
	struct vt_hwmon_sample	s[VT_HWMON_SAMPLES_MAX];
	size_t			n;
	struct vt_hwmon_label	labels[VT_HWMON_LABELS_MAX];
	size_t			nlabels;
	size_t			skipped;	/* past the bounds */
};

/*
 * node_exporter's metric for the file of sensor type (temp, fan, in ...)
 * with element ("input", "crit", "" for a bare file), bare set when the
 * sensor also has a bare file: the family name, its HELP, the factor from
 * the kernel's unit (millidegrees, millivolts, microwatts ...) and
 * whether it counts.  Returns VT_OK, or VT_ERR for a type node_exporter
 * does not read.  Pure.
 */
int	vt_hwmon_metric(const char *type, const char *element, int bare,
	    char *family, size_t flen, char *help, size_t hlen,
	    double *scale, int *counter);

/*
 * Split a sensor file's name as node_exporter does
 * (^([^0-9]+)([0-9]*)?(_(.+))?$): "temp1_crit_alarm" is type "temp",
 * number 1, element "crit_alarm".  VT_ERR when it does not match.  Pure.
 */
int	vt_hwmon_split(const char *file, char *type, size_t tlen, int *num,
	    char *element, size_t elen);

/* name lower-cased, [^a-z0-9:_] to '_', trimmed of '_', into dst. */
void	vt_hwmon_clean(const char *name, char *dst, size_t dstlen);

/*
 * Read <root>/sys/class/hwmon/.  Returns VT_OK (nothing without the
 * directory; an unreadable or malformed value is left out, as
 * node_exporter leaves it), or VT_ERR with the reason in err when the
 * directory cannot be listed.
 */
int	vt_hwmon_read(const char *root, struct vt_hwmon *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_SYS_CLASS_HWMON_H */

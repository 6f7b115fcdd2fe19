/*
 * sys_class_hwmon.c: /sys/class/hwmon (see sys_class_hwmon.h), with
 * node_exporter 1.5's rules (collector/hwmon_linux.go), quirks included:
 * temp1_crit_alarm is node_hwmon_temp_crit_alarm_celsius there, so it is
 * here too, or the dashboards built on it would be empty.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/procfile.h"
#include "collect/sys_class_hwmon.h"

#define HWMON_DIR	"sys/class/hwmon"
#define HWMON_FILES_MAX	192	/* sensor files of one chip */
#define HWMON_ELEM_LEN	32
#define HWMON_VALUE_LEN	128	/* node_exporter reads 128 bytes */

static const char *const hw_types[] = { "vrm", "beep_enable",
    "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power",
    "energy", "humidity", "intrusion" };

/* One sensor file of a chip, as read. */
struct hw_file {
	char	sensor[VT_HWMON_SENSOR_LEN];
	char	type[VT_HWMON_SENSOR_LEN];
	char	element[HWMON_ELEM_LEN];
	char	value[HWMON_VALUE_LEN];
};

static int	hw_sample_cmp(const void *a, const void *b, void *chips);
static int	hw_number(const char *s, double *v);
static void	hw_chip_label(const char *dir, char *dst, size_t len);
static size_t	hw_collect(const char *dir, struct hw_file *f, size_t n,
		    size_t max);
static void	hw_chip(struct vt_hwmon *out, const char *dir);
static int	hw_join(char *dst, size_t len, const char *dir,
		    const char *name);

/* dir/name into dst; VT_ERR when it does not fit. */
static int
hw_join(char *dst, size_t len, const char *dir, const char *name)
{
	int	n = snprintf(dst, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? VT_ERR : VT_OK;
}

void
vt_hwmon_clean(const char *name, char *dst, size_t dstlen)
{
	size_t	i, o = 0, start;

	for (i = 0; name[i] != '\0' && o + 1 < dstlen; i++) {
		char	c = name[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == ':' || c == '_'))
			c = '_';
		dst[o++] = c;
	}
	while (o > 0 && dst[o - 1] == '_')
		o--;
	dst[o] = '\0';
	for (start = 0; dst[start] == '_'; start++)
		;
	memmove(dst, dst + start, o - start + 1);
}

int
vt_hwmon_split(const char *file, char *type, size_t tlen, int *num,
    char *element, size_t elen)
{
	size_t	t = 0, d;
	long	v = 0;

	while (file[t] != '\0' && !(file[t] >= '0' && file[t] <= '9'))
		t++;
	if (t == 0 || t >= tlen)
		return VT_ERR;
	for (d = t; file[d] >= '0' && file[d] <= '9'; d++) {
		v = v * 10 + (file[d] - '0');
		if (v > INT_MAX / 10)
			return VT_ERR;
	}
	if (file[d] != '\0' && (file[d] != '_' || file[d + 1] == '\0'))
		return VT_ERR;
	if (file[d] != '\0' && strlen(file + d + 1) >= elen)
		return VT_ERR;
	memcpy(type, file, t);
	type[t] = '\0';
	*num = (int)v;
	snprintf(element, elen, "%s", file[d] != '\0' ? file + d + 1 : "");
	return VT_OK;
}

int
vt_hwmon_metric(const char *type, const char *element, int bare,
    char *family, size_t flen, char *help, size_t hlen, double *scale,
    int *counter)
{
	char		 name[VT_HWMON_NAME_LEN], clean[HWMON_ELEM_LEN];
	const char	*e = element;
	int		 bare_only = strcmp(type, "beep_enable") == 0 ||
	    strcmp(type, "vrm") == 0 || strcmp(type, "update_interval") == 0;

	*scale = 1;
	*counter = 0;
	if (bare_only) {
		if (element[0] != '\0')
			return VT_ERR;
		if (strcmp(type, "beep_enable") == 0) {
			snprintf(family, flen, "node_hwmon_beep_enabled");
			snprintf(help, hlen, "Hardware beep enabled");
		} else if (strcmp(type, "vrm") == 0) {
			snprintf(family, flen,
			    "node_hwmon_voltage_regulator_version");
			snprintf(help, hlen, "Hardware voltage regulator");
		} else {
			snprintf(family, flen,
			    "node_hwmon_update_interval_seconds");
			snprintf(help, hlen, "Hardware monitor update interval");
			*scale = 0.001;
		}
		return VT_OK;
	}
	if (strcmp(element, "label") == 0)
		return VT_ERR;
	vt_hwmon_clean(element, clean, sizeof(clean));
	if (strcmp(element, "input") == 0)
		snprintf(name, sizeof(name), "node_hwmon_%s%s", type,
		    bare ? "_input" : "");
	else if (element[0] != '\0')
		snprintf(name, sizeof(name), "node_hwmon_%s_%s", type, clean);
	else
		snprintf(name, sizeof(name), "node_hwmon_%s", type);

#define OUT(suffix, ...) do {						\
		snprintf(family, flen, "%s%s", name, suffix);		\
		snprintf(help, hlen, __VA_ARGS__);			\
	} while (0)
	if (strcmp(element, "fault") == 0 || strcmp(element, "alarm") == 0)
		OUT("", "Hardware sensor %s status (%s)", element, type);
	else if (strcmp(element, "beep") == 0)
		OUT("_enabled", "Hardware monitor sensor has beeping enabled");
	else if (strcmp(type, "in") == 0 || strcmp(type, "cpu") == 0) {
		OUT("_volts", "Hardware monitor for voltage (%s)", e);
		*scale = 0.001;
	} else if (strcmp(type, "temp") == 0 && strcmp(element, "type") != 0) {
		OUT("_celsius", "Hardware monitor for temperature (%s)",
		    e[0] != '\0' ? e : "input");
		*scale = 0.001;
	} else if (strcmp(type, "curr") == 0) {
		OUT("_amps", "Hardware monitor for current (%s)", e);
		*scale = 0.001;
	} else if (strcmp(type, "energy") == 0) {
		OUT("_joule_total", "Hardware monitor for joules used so far "
		    "(%s)", e);
		*scale = 1e-6;
		*counter = 1;
	} else if (strcmp(type, "power") == 0 &&
	    strcmp(element, "accuracy") == 0) {
		OUT("", "Hardware monitor power meter accuracy, as a ratio");
		*scale = 1e-6;
	} else if (strcmp(type, "power") == 0 &&
	    (strcmp(element, "average_interval") == 0 ||
	    strcmp(element, "average_interval_min") == 0 ||
	    strcmp(element, "average_interval_max") == 0)) {
		OUT("_seconds", "Hardware monitor power usage update interval "
		    "(%s)", e);
		*scale = 0.001;
	} else if (strcmp(type, "power") == 0) {
		OUT("_watt", "Hardware monitor for power usage in watts (%s)",
		    e);
		*scale = 1e-6;
	} else if (strcmp(type, "humidity") == 0) {
		OUT("", "Hardware monitor for humidity, as a ratio (multiply "
		    "with 100.0 to get the humidity as a percentage) (%s)", e);
		*scale = 1e-6;
	} else if (strcmp(type, "fan") == 0 && (strcmp(element, "input") == 0 ||
	    strcmp(element, "min") == 0 || strcmp(element, "max") == 0 ||
	    strcmp(element, "target") == 0))
		OUT("_rpm", "Hardware monitor for fan revolutions per minute "
		    "(%s)", e);
	else
		OUT("", "Hardware monitor %s element %s", type, e);
#undef OUT
	return VT_OK;
}

/* By family, then chip label, then sensor: the rendering order. */
static int
hw_sample_cmp(const void *a, const void *b, void *chips)
{
	const struct vt_hwmon_sample	*x = a, *y = b;
	const struct vt_hwmon_chip	*c = chips;
	int				 r;

	if ((r = strcmp(x->family, y->family)) != 0)
		return r;
	if ((r = strcmp(c[x->chip].name, c[y->chip].name)) != 0)
		return r;
	return strcmp(x->sensor, y->sensor);
}

/* Go's ParseFloat on the usual forms: the whole string a number. */
static int
hw_number(const char *s, double *v)
{
	char	*end;

	if (*s == '\0' || *s == ' ' || *s == '\t')
		return VT_ERR;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 ? VT_OK : VT_ERR;
}

/* node_exporter's hwmonName: the device link, else name, else the dir. */
static void
hw_chip_label(const char *dir, char *dst, size_t len)
{
	char	path[PATH_MAX], real[PATH_MAX], name[VT_HWMON_NAME_LEN];
	char	dev[VT_HWMON_NAME_LEN], type[VT_HWMON_NAME_LEN], *slash;
	size_t	n = 0;
	int	fd;
	ssize_t	r;

	if (hw_join(path, sizeof(path), dir, "device") == VT_OK &&
	    realpath(path, real) != NULL &&
	    (slash = strrchr(real, '/')) != NULL) {
		vt_hwmon_clean(slash + 1, dev, sizeof(dev));
		*slash = '\0';
		slash = strrchr(real, '/');
		vt_hwmon_clean(slash != NULL ? slash + 1 : "", type,
		    sizeof(type));
		if (type[0] != '\0' && dev[0] != '\0' &&
		    (size_t)snprintf(dst, len, "%s_%s", type, dev) < len)
			return;
		if (dev[0] != '\0') {
			snprintf(dst, len, "%s", dev);
			return;
		}
	}
	if (hw_join(path, sizeof(path), dir, "name") == VT_OK &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		r = read(fd, name, sizeof(name) - 1);
		n = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	name[n] = '\0';
	vt_hwmon_clean(name, dst, len);
	if (dst[0] != '\0')
		return;
	if (realpath(dir, real) != NULL && (slash = strrchr(real, '/')) != NULL)
		vt_hwmon_clean(slash + 1, dst, len);
}

/* The sensor files of dir, after f[0..n); returns the new count. */
static size_t
hw_collect(const char *dir, struct hw_file *f, size_t n, size_t max)
{
	char		 path[PATH_MAX], buf[128];
	struct dirent	*de;
	DIR		*d;
	size_t		 i, k;
	ssize_t		 r;
	int		 num, fd;

	if ((d = opendir(dir)) == NULL)
		return n;
	while ((de = readdir(d)) != NULL && n < max) {
		struct hw_file	*h = &f[n];

		if (vt_hwmon_split(de->d_name, h->type, sizeof(h->type), &num,
		    h->element, sizeof(h->element)) == VT_ERR)
			continue;
		for (i = 0; i < VT_ARRAY_LEN(hw_types); i++)
			if (strcmp(h->type, hw_types[i]) == 0)
				break;
		if (i == VT_ARRAY_LEN(hw_types))
			continue;
		if ((size_t)snprintf(h->sensor, sizeof(h->sensor), "%s%d",
		    h->type, num) >= sizeof(h->sensor))
			continue;
		/* As node_exporter: one read of at most 128 bytes. */
		if (hw_join(path, sizeof(path), dir, de->d_name) == VT_ERR ||
		    (fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
			continue;
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r < 0)
			continue;
		buf[r] = '\0';
		for (k = (size_t)r; k > 0 && buf[k - 1] == '\n'; k--)
			buf[k - 1] = '\0';
		for (k = 0; buf[k] == '\n'; k++)
			;
		snprintf(h->value, sizeof(h->value), "%s", buf + k);
		n++;
	}
	closedir(d);
	return n;
}

/* One chip's directory. */
static void
hw_chip(struct vt_hwmon *out, const char *dir)
{
	struct hw_file		 f[HWMON_FILES_MAX];	/* 40 KB of stack */
	struct vt_hwmon_chip	*c;
	char			 path[PATH_MAX];
	size_t			 n, i, k;
	int			 bare, counter, fd;
	double			 v, scale;
	ssize_t			 r;

	if (out->nchips == VT_HWMON_CHIPS_MAX) {
		out->skipped++;
		return;
	}
	c = &out->chips[out->nchips];
	memset(c, 0, sizeof(*c));
	hw_chip_label(dir, c->name, sizeof(c->name));
	if (hw_join(path, sizeof(path), dir, "name") == VT_OK &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		char	raw[VT_HWMON_NAME_LEN];

		r = read(fd, raw, sizeof(raw) - 1);
		close(fd);
		raw[r > 0 ? r : 0] = '\0';
		vt_hwmon_clean(raw, c->chip_name, sizeof(c->chip_name));
	}
	n = hw_collect(dir, f, 0, HWMON_FILES_MAX);
	if (hw_join(path, sizeof(path), dir, "device") == VT_OK)
		n = hw_collect(path, f, n, HWMON_FILES_MAX);
	for (i = 0; i < n; i++) {
		struct vt_hwmon_sample	*s;

		if (strcmp(f[i].element, "label") == 0) {
			if (out->nlabels == VT_HWMON_LABELS_MAX) {
				out->skipped++;
				continue;
			}
			out->labels[out->nlabels].chip = (uint8_t)out->nchips;
			snprintf(out->labels[out->nlabels].sensor,
			    VT_HWMON_SENSOR_LEN, "%s", f[i].sensor);
			snprintf(out->labels[out->nlabels].label,
			    VT_HWMON_NAME_LEN, "%s", f[i].value);
			out->nlabels++;
			continue;
		}
		for (k = 0, bare = 0; k < n && !bare; k++)
			bare = strcmp(f[k].sensor, f[i].sensor) == 0 &&
			    f[k].element[0] == '\0';
		if (out->n == VT_HWMON_SAMPLES_MAX) {
			out->skipped++;
			continue;
		}
		s = &out->s[out->n];
		if (vt_hwmon_metric(f[i].type, f[i].element, bare, s->family,
		    sizeof(s->family), s->help, sizeof(s->help), &scale,
		    &counter) == VT_ERR)
			continue;
		if (strcmp(f[i].type, "beep_enable") == 0)
			v = strcmp(f[i].value, "1") == 0;
		else if (hw_number(f[i].value, &v) == VT_ERR)
			continue;
		s->chip = (uint8_t)out->nchips;
		s->counter = (uint8_t)counter;
		snprintf(s->sensor, sizeof(s->sensor), "%s", f[i].sensor);
		s->v = v * scale;
		out->n++;
	}
	out->nchips++;
}

int
vt_hwmon_read(const char *root, struct vt_hwmon *out, char *err,
    size_t errlen)
{
	char		 names[VT_HWMON_CHIPS_MAX * 2][VT_NAME_LEN];
	char		 path[VT_PATH_LEN], dir[PATH_MAX];
	struct stat	 st;
	size_t		 n, i;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_path(root, HWMON_DIR, path, sizeof(path)) == VT_ERR)
		return vt_pf_err(err, errlen, "hwmon: path too long");
	if (vt_pf_dir_names(root, HWMON_DIR, "", names, VT_ARRAY_LEN(names),
	    &n, err, errlen) == VT_ERR)
		return VT_ERR;
	for (i = 0; i < n; i++) {
		if (hw_join(dir, sizeof(dir), path, names[i]) == VT_OK &&
		    stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			hw_chip(out, dir);
	}
	qsort_r(out->s, out->n, sizeof(out->s[0]), hw_sample_cmp, out->chips);
	return VT_OK;
}

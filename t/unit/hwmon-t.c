/*
 * hwmon-t.c: node_exporter's hwmon and thermal_zone collectors on a
 * physical server's /sys (t/fixtures/proc/server64: coretemp, acpitz and
 * a Nuvoton Super I/O chip; two ACPI zones, two cooling devices), on
 * trees without them (this VM has none), on malformed and truncated
 * zones, and node_exporter's naming rules one by one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/sys_class_hwmon.h"
#include "collect/sys_class_thermal.h"

static struct vt_hwmon		hw;
static struct vt_thermal	th;

static int	cut_temp(const char *buf, size_t len);
static void	root_of(const char *tree, char *dst, size_t len);
static const struct vt_hwmon_sample *find(const char *family,
		    const char *chip, const char *sensor);
static void	metric(const char *type, const char *element, int bare,
		    const char *family, double scale);

static int
cut_temp(const char *buf, size_t len)
{
	int64_t	v;

	return vt_thermal_value_parse(buf, len, &v, NULL, 0, NULL, 0);
}

static void
root_of(const char *tree, char *dst, size_t len)
{
	snprintf(dst, len, "%s/proc/%s", tap_fixture_root(), tree);
}

static const struct vt_hwmon_sample *
find(const char *family, const char *chip, const char *sensor)
{
	size_t	i;

	for (i = 0; i < hw.n; i++)
		if (strcmp(hw.s[i].family, family) == 0 &&
		    strcmp(hw.chips[hw.s[i].chip].name, chip) == 0 &&
		    strcmp(hw.s[i].sensor, sensor) == 0)
			return &hw.s[i];
	return NULL;
}

static void
metric(const char *type, const char *element, int bare, const char *family,
    double scale)
{
	char	f[VT_HWMON_NAME_LEN], h[VT_HWMON_HELP_LEN];
	double	s;
	int	c;

	if (family == NULL) {
		is_int(vt_hwmon_metric(type, element, bare, f, sizeof(f), h,
		    sizeof(h), &s, &c), VT_ERR, "%s/%s: no metric", type,
		    element);
		return;
	}
	is_int(vt_hwmon_metric(type, element, bare, f, sizeof(f), h,
	    sizeof(h), &s, &c), VT_OK, "%s/%s%s", type, element,
	    bare ? " (with a bare file)" : "");
	is_str(f, family, "  %s", family);
	is_dbl(s, scale, 1e-15, "  scale %g", scale);
}

int
main(void)
{
	char				 root[4096], err[VT_ERRLEN];
	char				 t[32], e[32], c[64];
	const struct vt_hwmon_sample	*s;
	size_t				 i;
	int				 num;

	/* Thermal zones. */
	root_of("server64", root, sizeof(root));
	is_int(vt_thermal_read(root, &th, err, sizeof(err)), VT_OK,
	    "server64: thermal");
	is_int((long long)th.nz, 2, "two zones");
	is_str(th.z[0].name, "0", "zone 0, named as node_exporter does");
	is_str(th.z[0].type, "acpitz", "  acpitz");
	is_int(th.z[0].temp_milli, 27800, "  27.8 degrees C");
	is_str(th.z[1].type, "x86_pkg_temp", "zone 1: x86_pkg_temp");
	is_int((long long)th.nc, 2, "two cooling devices");
	is_str(th.c[1].type, "intel_powerclamp", "device 1: intel_powerclamp");
	is_int(th.c[1].max_state, 50, "  max_state 50");
	root_of("vm2", root, sizeof(root));
	is_int(vt_thermal_read(root, &th, err, sizeof(err)), VT_OK,
	    "vm2 (no /sys/class/thermal): no error");
	is_int((long long)(th.nz + th.nc), 0, "  and nothing");
	root_of("malformed", root, sizeof(root));
	is_int(vt_thermal_read(root, &th, err, sizeof(err)), VT_ERR,
	    "malformed (temp: hot): error");
	ok(strstr(err, "thermal_zone0/temp") != NULL, "  %s", err);
	root_of("truncated", root, sizeof(root));
	is_int(vt_thermal_read(root, &th, err, sizeof(err)), VT_ERR,
	    "truncated (no newline): error");
	is_int((long long)tap_fixture_cuts("proc/server64/sys/class/thermal/"
	    "thermal_zone0/temp", cut_temp), 0, "temp: every cut fails");

	/* The naming rules. */
	ok(vt_hwmon_split("temp1_crit_alarm", t, sizeof(t), &num, e,
	    sizeof(e)) == VT_OK && strcmp(t, "temp") == 0 && num == 1 &&
	    strcmp(e, "crit_alarm") == 0, "split temp1_crit_alarm");
	ok(vt_hwmon_split("beep_enable", t, sizeof(t), &num, e, sizeof(e)) ==
	    VT_OK && strcmp(t, "beep_enable") == 0 && num == 0 && e[0] == '\0',
	    "split beep_enable");
	ok(vt_hwmon_split("pwm1", t, sizeof(t), &num, e, sizeof(e)) == VT_OK &&
	    strcmp(t, "pwm") == 0 && num == 1 && e[0] == '\0', "split pwm1");
	is_int(vt_hwmon_split("temp1x", t, sizeof(t), &num, e, sizeof(e)),
	    VT_ERR, "temp1x: no match");
	is_int(vt_hwmon_split("temp1_", t, sizeof(t), &num, e, sizeof(e)),
	    VT_ERR, "temp1_: no match");
	is_int(vt_hwmon_split("1temp", t, sizeof(t), &num, e, sizeof(e)),
	    VT_ERR, "1temp: no match");
	vt_hwmon_clean("_Platform.Coretemp-0_", c, sizeof(c));
	is_str(c, "platform_coretemp_0", "clean: lower, [^a-z0-9:_] to _, "
	    "trimmed");
	metric("temp", "input", 0, "node_hwmon_temp_celsius", 0.001);
	metric("temp", "input", 1, "node_hwmon_temp_input_celsius", 0.001);
	metric("temp", "crit_alarm", 0, "node_hwmon_temp_crit_alarm_celsius",
	    0.001);
	metric("temp", "type", 0, "node_hwmon_temp_type", 1);
	metric("fan", "input", 0, "node_hwmon_fan_rpm", 1);
	metric("fan", "alarm", 0, "node_hwmon_fan_alarm", 1);
	metric("fan", "beep", 0, "node_hwmon_fan_beep_enabled", 1);
	metric("fan", "pulses", 0, "node_hwmon_fan_pulses", 1);
	metric("in", "max", 0, "node_hwmon_in_max_volts", 0.001);
	metric("curr", "input", 0, "node_hwmon_curr_amps", 0.001);
	metric("power", "input", 0, "node_hwmon_power_watt", 1e-6);
	metric("power", "accuracy", 0, "node_hwmon_power_accuracy", 1e-6);
	metric("power", "average_interval", 0,
	    "node_hwmon_power_average_interval_seconds", 0.001);
	metric("energy", "input", 0, "node_hwmon_energy_joule_total", 1e-6);
	metric("humidity", "input", 0, "node_hwmon_humidity", 1e-6);
	metric("pwm", "", 0, "node_hwmon_pwm", 1);
	metric("pwm", "enable", 0, "node_hwmon_pwm_enable", 1);
	metric("update_interval", "", 0, "node_hwmon_update_interval_seconds",
	    0.001);
	metric("vrm", "", 0, "node_hwmon_voltage_regulator_version", 1);
	metric("beep_enable", "", 0, "node_hwmon_beep_enabled", 1);
	metric("vrm", "x", 0, NULL, 0);
	metric("temp", "label", 0, NULL, 0);

	/* The chips. */
	root_of("server64", root, sizeof(root));
	is_int(vt_hwmon_read(root, &hw, err, sizeof(err)), VT_OK,
	    "server64: hwmon");
	is_int((long long)hw.nchips, 3, "three chips");
	is_str(hw.chips[0].name, "platform_coretemp_0", "hwmon0: named from "
	    "its device link, as node_exporter names it");
	is_str(hw.chips[0].chip_name, "coretemp", "  chip_name coretemp");
	is_str(hw.chips[1].name, "acpitz", "hwmon1 (no device link): its name");
	is_str(hw.chips[2].name, "platform_nct6775_656", "hwmon2");
	s = find("node_hwmon_temp_celsius", "platform_coretemp_0", "temp1");
	ok(s != NULL && s->v == 45.0, "coretemp temp1: 45 degrees C");
	s = find("node_hwmon_temp_crit_celsius", "acpitz", "temp1");
	ok(s != NULL && s->v == 119.0, "acpitz crit: 119 degrees C");
	ok(s != NULL && strcmp(s->help, "Hardware monitor for temperature "
	    "(crit)") == 0, "  HELP as node_exporter's");
	s = find("node_hwmon_fan_rpm", "platform_nct6775_656", "fan1");
	ok(s != NULL && s->v == 1205, "fan1: 1205 rpm");
	s = find("node_hwmon_in_volts", "platform_nct6775_656", "in0");
	ok(s != NULL && s->v == 0.88, "in0: 0.88 V");
	s = find("node_hwmon_power_watt", "platform_nct6775_656", "power1");
	ok(s != NULL && s->v == 24, "power1: 24 W");
	s = find("node_hwmon_beep_enabled", "platform_nct6775_656",
	    "beep_enable0");
	ok(s != NULL && s->v == 1, "beep_enable0: 1");
	ok(find("node_hwmon_temp_celsius", "platform_nct6775_656", "temp7") ==
	    NULL, "temp7 (garbage): left out");
	is_int((long long)hw.nlabels, 3, "three sensor labels");
	for (i = 1; i < hw.n; i++)
		if (strcmp(hw.s[i - 1].family, hw.s[i].family) > 0)
			break;
	is_int((long long)i, (long long)hw.n, "samples sorted by family");
	root_of("vm2", root, sizeof(root));
	is_int(vt_hwmon_read(root, &hw, err, sizeof(err)), VT_OK,
	    "vm2 (no /sys/class/hwmon): no error");
	is_int((long long)(hw.n + hw.nchips), 0, "  and nothing");
	done_testing();
	return tap_exit_status();
}

/*
 * time-t.c: node_exporter's time and timex collectors: the clock sources
 * of the fixture trees (and every prefix of their files), the time zone
 * under a few TZ values, node_exporter's arithmetic on struct timex, and
 * adjtimex(2) on this machine against a call of our own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include "../tap.h"
#include "collect/time_info.h"
#include "collect/timex.h"

static struct vt_time_info	ti;

static int	cut_avail(const char *buf, size_t len);
static int	cut_current(const char *buf, size_t len);
static void	root_of(const char *tree, char *dst, size_t len);

static int
cut_avail(const char *buf, size_t len)
{
	struct vt_clocksource	cs;

	memset(&cs, 0, sizeof(cs));
	return vt_clocksource_parse("available_clocksource", buf, len, &cs,
	    NULL, 0);
}

static int
cut_current(const char *buf, size_t len)
{
	struct vt_clocksource	cs;

	memset(&cs, 0, sizeof(cs));
	return vt_clocksource_parse("current_clocksource", buf, len, &cs,
	    NULL, 0);
}

static void
root_of(const char *tree, char *dst, size_t len)
{
	snprintf(dst, len, "%s/proc/%s", tap_fixture_root(), tree);
}

int
main(void)
{
	char			root[4096], err[VT_ERRLEN];
	struct timex		tx;
	struct vt_timex		t;
	int			state;

	/* Clock sources. */
	root_of("server64", root, sizeof(root));
	is_int(vt_time_info_read(root, 0, &ti, err, sizeof(err)), VT_OK,
	    "server64: read");
	is_int((long long)ti.ncs, 1, "server64: one device");
	is_str(ti.cs[0].current, "tsc", "server64: current tsc");
	is_int((long long)ti.cs[0].navail, 3, "server64: three available "
	    "(the trailing space is no name)");
	is_str(ti.cs[0].avail[2], "acpi_pm", "server64: the third acpi_pm");
	root_of("vm2", root, sizeof(root));
	is_int(vt_time_info_read(root, 0, &ti, err, sizeof(err)), VT_OK,
	    "vm2: read");
	is_str(ti.cs[0].current, "kvm-clock", "vm2: current kvm-clock");
	is_int((long long)ti.cs[0].navail, 4, "vm2: four available");
	root_of("malformed", root, sizeof(root));
	is_int(vt_time_info_read(root, 0, &ti, err, sizeof(err)), VT_ERR,
	    "malformed (two names on two lines): error");
	ok(strstr(err, "more than one line") != NULL, "  %s", err);
	is_int((long long)ti.ncs, 0, "  and nothing kept");
	root_of("truncated", root, sizeof(root));
	is_int(vt_time_info_read(root, 0, &ti, err, sizeof(err)), VT_ERR,
	    "truncated: error");
	root_of("empty", root, sizeof(root));
	is_int(vt_time_info_read(root, 0, &ti, err, sizeof(err)), VT_OK,
	    "no clocksource directory: no error");
	is_int((long long)ti.ncs, 0, "  and no device");
	is_int((long long)tap_fixture_cuts("proc/server64/sys/devices/system/"
	    "clocksource/clocksource0/available_clocksource", cut_avail), 0,
	    "available_clocksource: every cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/vm2/sys/devices/system/"
	    "clocksource/clocksource0/current_clocksource", cut_current), 0,
	    "current_clocksource: every cut fails cleanly");
	{
		struct vt_clocksource	cs;

		memset(&cs, 0, sizeof(cs));
		is_int(vt_clocksource_parse("available_clocksource",
		    "a b c d e f g h i\n", 18, &cs, err, sizeof(err)), VT_ERR,
		    "more than 8 sources: error");
		memset(&cs, 0, sizeof(cs));
		is_int(vt_clocksource_parse("current_clocksource", "a b\n", 4,
		    &cs, err, sizeof(err)), VT_ERR, "two current: error");
		is_int(vt_clocksource_parse("current_clocksource",
		    "0123456789012345678901234567890123456789\n", 41, &cs, err,
		    sizeof(err)), VT_ERR, "a name of 40 bytes: error");
	}

	/* The zone. */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	vt_time_zone(1764900000, &ti);		/* 2025-12-05 */
	is_str(ti.zone, "CET", "TZ CET in December: CET");
	is_int(ti.zone_offset_s, 3600, "  +3600 s");
	vt_time_zone(1751700000, &ti);		/* 2025-07-05 */
	is_str(ti.zone, "CEST", "in July: CEST");
	is_int(ti.zone_offset_s, 7200, "  +7200 s");
	setenv("TZ", "UTC0", 1);
	tzset();
	vt_time_zone(1764900000, &ti);
	is_str(ti.zone, "UTC", "TZ UTC0: UTC");
	is_int(ti.zone_offset_s, 0, "  0 s");

	/* node_exporter's arithmetic. */
	memset(&tx, 0, sizeof(tx));
	tx.status = STA_PLL;
	tx.offset = -1500;		/* microseconds without STA_NANO */
	tx.freq = 65536 * 10;		/* +10 ppm */
	tx.maxerror = 250000;
	tx.esterror = 16;
	tx.tick = 10000;
	tx.ppsfreq = 65536;
	tx.jitter = 2000;
	tx.shift = 4;
	tx.stabil = 65536 * 2;
	tx.jitcnt = 3;
	tx.calcnt = 4;
	tx.errcnt = 5;
	tx.stbcnt = 6;
	tx.tai = 37;
	tx.constant = 6;
	vt_timex_from(&tx, TIME_OK, &t);
	is_int(t.sync_status, 1, "TIME_OK: synchronised");
	is_dbl(t.offset_s, -0.0015, 1e-12, "offset: -1500 us");
	is_dbl(t.frequency_ratio, 1.00001, 1e-12, "frequency: 1 + 10 ppm");
	is_dbl(t.maxerror_s, 0.25, 1e-12, "maxerror: 250000 us");
	is_dbl(t.esterror_s, 16e-6, 1e-15, "esterror: 16 us");
	is_dbl(t.status, STA_PLL, 0, "status: the bits");
	is_dbl(t.tick_s, 0.01, 1e-12, "tick: 10000 us");
	is_dbl(t.pps_frequency_hz, 1e-6, 1e-15, "ppsfreq: 1 ppm");
	is_dbl(t.pps_jitter_s, 0.002, 1e-12, "jitter: 2000 us");
	is_dbl(t.pps_shift_s, 4, 0, "shift: as is");
	is_dbl(t.pps_stability_hz, 2e-6, 1e-15, "stabil: 2 ppm");
	is_dbl(t.pps_jitter_total + t.pps_calibration_total +
	    t.pps_error_total + t.pps_stability_exceeded_total, 18, 0,
	    "the PPS counts");
	is_dbl(t.tai_offset_s, 37, 0, "tai: 37 s");
	is_dbl(t.loop_time_constant, 6, 0, "constant");
	tx.status |= STA_NANO;
	vt_timex_from(&tx, TIME_ERROR, &t);
	is_int(t.sync_status, 0, "TIME_ERROR: not synchronised");
	is_dbl(t.offset_s, -1.5e-6, 1e-15, "STA_NANO: offset in ns");
	is_dbl(t.pps_jitter_s, 2e-6, 1e-15, "STA_NANO: jitter in ns");
	is_dbl(t.maxerror_s, 0.25, 1e-12, "  maxerror still in us");

	/* This machine. */
	is_int(vt_timex_read(&t, err, sizeof(err)), VT_OK, "adjtimex here");
	memset(&tx, 0, sizeof(tx));
	state = adjtimex(&tx);
	if (state == -1)
		is_int(t.have, 0, "adjtimex refused: no data");
	else {
		is_int(t.have, 1, "  figures");
		is_int(t.sync_status, state != TIME_ERROR, "  sync_status as "
		    "adjtimex's own state (%d)", state);
		is_dbl(t.tick_s, (double)tx.tick / 1e6, 1e-12, "  tick as "
		    "adjtimex's own (%ld us)", (long)tx.tick);
		is_dbl(t.tai_offset_s, tx.tai, 0, "  TAI offset");
	}
	done_testing();
	return tap_exit_status();
}

/*
 * fuzz_proc.c: every pure parser of a kernel file (app/collect/proc_*.c)
 * and the device-name rules that stand in for /sys/block, in one target.
 *
 * The input's first line names the file, as its path under /proc (the
 * table below: "stat", "net/dev", "pid/stat" for /proc/<pid>/stat ...);
 * the rest is the file's text, handed to the parser as a span that ends
 * exactly where libFuzzer's buffer ends, so a read past the length is
 * caught.  An unknown name is ignored.  After a parse that succeeds, the
 * strings a renderer would print are checked for their terminator and
 * passed through vt_utf8_clean(), as the renderers do.
 *
 * "class/net/<file>" is a file of /sys/class/net/<iface>/ ("class/net/mtu");
 * "sys/kernel/uname" any of the one-line files the uname collector reads.
 * "clocksource/available" and "clocksource/current" the clock sources'
 * files; "thermal/temp" and "thermal/type" a thermal zone's or cooling
 * device's; "hwmon/name" a name of /sys/class/hwmon/<chip>/, split and
 * mapped to its family as node_exporter does, and cleaned as a chip name.
 * "sys/one-number" any file of one number (vt_pf_one_u64(): the entropy
 * pool's and conntrack's sysctl files).  "selinux/enforce" and
 * "selinux/config" SELinux's /sys/fs/selinux/enforce and
 * /etc/selinux/config; "udev/data" a file of /run/udev/data/.
 *
 * "sock_diag" is not a file: the rest is a netlink reply of a sock_diag
 * dump (sequence number 1), the bytes the listeners collector receives,
 * parsed into a list of listeners; "net/tcp-listen" and "net/tcp6-listen"
 * are the listeners' parser of those files.
 *
 * The seeds in t/fuzz/corpus/fuzz_proc/ are fixture files under
 * t/fixtures/proc/ with their name line added in front, and replies built
 * by t/unit/listeners-t's shapes (sock_diag-*).
 */
#include "config.h"

#include <sys/socket.h>

#include "collect/listeners.h"
#include "collect/os_release.h"
#include "collect/procfile.h"
#include "collect/proc_diskstats.h"
#include "collect/proc_loadavg.h"
#include "collect/proc_meminfo.h"
#include "collect/proc_mounts.h"
#include "collect/proc_net_dev.h"
#include "collect/proc_net_netstat.h"
#include "collect/proc_net_snmp.h"
#include "collect/proc_net_sockstat.h"
#include "collect/proc_net_softnet.h"
#include "collect/proc_net_udp.h"
#include "collect/proc_net_arp.h"
#include "collect/nf_conntrack.h"
#include "collect/proc_net_tcp.h"
#include "collect/proc_pid.h"
#include "collect/proc_pressure.h"
#include "collect/proc_self.h"
#include "collect/procfile.h"
#include "collect/sys_class_hwmon.h"
#include "collect/sys_class_thermal.h"
#include "collect/time_info.h"
#include "collect/proc_stat.h"
#include "collect/proc_sys_fs.h"
#include "collect/proc_uptime.h"
#include "collect/proc_vmstat.h"
#include "collect/sys_class_net.h"
#include "collect/sys_fs_selinux.h"
#include "collect/udev_disk.h"
#include "collect/uname.h"
#include "render/utf8.h"
#include "fuzz.h"

static char	clean[VT_UTF8_CLEAN_LEN(VT_PATH_LEN)];

/* A kernel string, as a renderer would print it. */
static void
text(const char *s, size_t arrlen)
{
	size_t	n;

	FUZZ_CHECK(FUZZ_TERMINATED(s, arrlen));
	n = vt_utf8_clean(s, clean, sizeof(clean));
	FUZZ_CHECK(n < sizeof(clean) && clean[n] == '\0');
	/* A result that fits is cut nowhere: each byte is 1 to 3 bytes. */
	FUZZ_CHECK(n >= strlen(s));
}

static int
f_stat(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_stat	s;

	memset(&s, 0, sizeof(s));
	return vt_proc_stat_parse(b, n, &s, err, errlen);
}

static int
f_meminfo(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_meminfo	m;
	char				name[128];
	uint64_t			v;
	size_t				i;

	memset(&m, 0, sizeof(m));
	if (vt_proc_meminfo_parse(b, n, &m, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(m.n <= VT_MEMINFO_MAX);
	for (i = 0; i < m.n; i++) {
		text(m.e[i].name, sizeof(m.e[i].name));
		FUZZ_CHECK(vt_proc_meminfo_get(&m, m.e[i].name, &v) == VT_OK);
		(void)vt_proc_meminfo_metric_name(&m.e[i], name, sizeof(name));
	}
	return VT_OK;
}

static int
f_loadavg(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_proc_loadavg	l;

	return vt_proc_loadavg_parse(b, n, &l, err, errlen);
}

static int
f_uptime(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_proc_uptime	u;

	return vt_proc_uptime_parse(b, n, &u, err, errlen);
}

static int
f_net_dev(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_dev	d;
	size_t				i;

	memset(&d, 0, sizeof(d));
	if (vt_proc_net_dev_parse(b, n, &d, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(d.n <= VT_MAX_IFACES);
	for (i = 0; i < d.n; i++)
		text(d.iface[i].name, sizeof(d.iface[i].name));
	return VT_OK;
}

static int
f_diskstats(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_diskstats	d;
	size_t				i;

	memset(&d, 0, sizeof(d));
	if (vt_proc_diskstats_parse(b, n, &d, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(d.n <= VT_DISKSTATS_MAX);
	for (i = 0; i < d.n; i++) {
		text(d.disk[i].name, sizeof(d.disk[i].name));
		(void)vt_diskstats_ignored(d.disk[i].name);
		(void)vt_diskstats_is_partition(d.disk[i].name);
		(void)vt_diskstats_selected(&d.disk[i]);
	}
	return VT_OK;
}

static int
f_mounts(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_mounts	m;
	size_t				i;

	memset(&m, 0, sizeof(m));
	if (vt_proc_mounts_parse(b, n, NULL, &m, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(m.n <= VT_MAX_MOUNTS);
	for (i = 0; i < m.n; i++) {
		text(m.m[i].device, sizeof(m.m[i].device));
		text(m.m[i].mountpoint, sizeof(m.m[i].mountpoint));
		text(m.m[i].fstype, sizeof(m.m[i].fstype));
	}
	return VT_OK;
}

static int
f_net_tcp(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_tcp_counts	c, acc;
	const char	       *nl;
	int			rc;

	rc = vt_proc_net_tcp_parse(b, n, &c, err, errlen);
	/* The streaming reader hands over whole lines after the header. */
	if ((nl = memchr(b, '\n', n)) != NULL) {
		memset(&acc, 0, sizeof(acc));
		(void)vt_proc_net_tcp_add_lines(nl + 1,
		    n - (size_t)(nl + 1 - b), &acc, err, errlen);
	}
	return rc;
}

static int
f_net_netstat(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_netstat	s;
	uint64_t				v;
	size_t					i;

	memset(&s, 0, sizeof(s));
	if (vt_proc_net_netstat_parse(b, n, &s, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(s.n <= VT_NETSTAT_MAX);
	for (i = 0; i < s.n; i++) {
		text(s.e[i].section, sizeof(s.e[i].section));
		text(s.e[i].name, sizeof(s.e[i].name));
		FUZZ_CHECK(vt_proc_net_netstat_get(&s, s.e[i].section,
		    s.e[i].name, &v) == VT_OK);
	}
	return VT_OK;
}

static int
f_pressure(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_psi	p;

	memset(&p, 0, sizeof(p));
	return vt_proc_pressure_parse(b, n, &p, err, errlen);
}

static int
f_pid_stat(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_pid_sample	s;

	memset(&s, 0, sizeof(s));
	if (vt_proc_pid_stat_parse(b, n, &s, err, errlen) != VT_OK)
		return VT_ERR;
	text(s.comm, sizeof(s.comm));
	return VT_OK;
}

static int
f_pid_statm(const char *b, size_t n, char *err, size_t errlen)
{
	uint64_t	rss;

	return vt_proc_pid_statm_parse(b, n, 4096, &rss, err, errlen);
}

static int
f_file_nr(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_file_nr	f;

	return vt_proc_sys_fs_file_nr_parse(b, n, &f, err, errlen);
}

static int
f_vmstat(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_proc_vmstat	v;

	return vt_proc_vmstat_parse(b, n, &v, err, errlen);
}

/*
 * A file of /sys/class/net/<iface>/: the name after "class/net/" picks
 * the attribute (the rest of the name line), so each file is a seed.
 */
static int
f_netclass(const char *file, const char *b, size_t n, char *err,
    size_t errlen)
{
	struct vt_netclass_iface	f;

	memset(&f, 0, sizeof(f));
	if (vt_netclass_attr_parse(file, b, n, &f, err, errlen) != VT_OK)
		return VT_ERR;
	text(f.address, sizeof(f.address));
	text(f.broadcast, sizeof(f.broadcast));
	text(f.duplex, sizeof(f.duplex));
	text(f.operstate, sizeof(f.operstate));
	text(f.ifalias, sizeof(f.ifalias));
	return VT_OK;
}

static int
f_clocksource(const char *file, const char *b, size_t n, char *err,
    size_t errlen)
{
	struct vt_clocksource	cs;
	size_t			i;

	memset(&cs, 0, sizeof(cs));
	if (vt_clocksource_parse(file, b, n, &cs, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(cs.navail <= VT_CS_AVAIL_MAX);
	text(cs.current, sizeof(cs.current));
	for (i = 0; i < cs.navail; i++)
		text(cs.avail[i], sizeof(cs.avail[i]));
	return VT_OK;
}

static int
f_cs_avail(const char *b, size_t n, char *err, size_t errlen)
{
	return f_clocksource("available_clocksource", b, n, err, errlen);
}

static int
f_cs_current(const char *b, size_t n, char *err, size_t errlen)
{
	return f_clocksource("current_clocksource", b, n, err, errlen);
}

static int
f_thermal_temp(const char *b, size_t n, char *err, size_t errlen)
{
	int64_t	v;

	return vt_thermal_value_parse(b, n, &v, NULL, 0, err, errlen);
}

static int
f_thermal_type(const char *b, size_t n, char *err, size_t errlen)
{
	char	t[VT_THERMAL_TYPE_LEN];

	if (vt_thermal_value_parse(b, n, NULL, t, sizeof(t), err,
	    errlen) != VT_OK)
		return VT_ERR;
	text(t, sizeof(t));
	return VT_OK;
}

/* A file name of a hwmon chip's directory: split, mapped, cleaned. */
static int
f_hwmon_name(const char *b, size_t n, char *err, size_t errlen)
{
	char	name[256], type[VT_HWMON_SENSOR_LEN], elem[32];
	char	fam[VT_HWMON_NAME_LEN], help[VT_HWMON_HELP_LEN];
	double	scale;
	int	num, counter;

	if (n >= sizeof(name) || memchr(b, '\0', n) != NULL)
		return vt_pf_err(err, errlen, "not a file name");
	memcpy(name, b, n);
	name[n] = '\0';
	vt_hwmon_clean(name, fam, sizeof(fam));
	text(fam, sizeof(fam));
	FUZZ_CHECK(fam[0] != '_' && (fam[0] == '\0' ||
	    fam[strlen(fam) - 1] != '_'));
	if (vt_hwmon_split(name, type, sizeof(type), &num, elem,
	    sizeof(elem)) != VT_OK)
		return vt_pf_err(err, errlen, "no sensor file");
	text(type, sizeof(type));
	text(elem, sizeof(elem));
	FUZZ_CHECK(num >= 0);
	if (vt_hwmon_metric(type, elem, num & 1, fam, sizeof(fam), help,
	    sizeof(help), &scale, &counter) == VT_OK) {
		text(fam, sizeof(fam));
		text(help, sizeof(help));
		FUZZ_CHECK(scale > 0 && (counter == 0 || counter == 1));
	}
	return VT_OK;
}

static int
f_uname(const char *b, size_t n, char *err, size_t errlen)
{
	char	v[VT_UNAME_LEN];

	if (vt_uname_value_parse(b, n, v, err, errlen) != VT_OK)
		return VT_ERR;
	text(v, sizeof(v));
	return VT_OK;
}

static int
f_os_release(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_os_release	o;
	int				k;

	if (vt_os_release_parse(b, n, &o, err, errlen) != VT_OK)
		return VT_ERR;
	for (k = 0; k < VT_OS_NKEYS; k++)
		text(o.v[k], sizeof(o.v[k]));
	FUZZ_CHECK(o.version >= 0);
	return VT_OK;
}

static int
f_limits(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_proc_self	p;

	return vt_proc_limits_parse(b, n, &p, err, errlen);
}

/* A table of kept fields: bounded, terminated, each one found again. */
static void
snmp_check(const struct vt_proc_net_snmp *s)
{
	uint64_t	v;
	size_t		i;

	FUZZ_CHECK(s->n <= VT_SNMP_MAX);
	for (i = 0; i < s->n; i++) {
		text(s->e[i].section, sizeof(s->e[i].section));
		text(s->e[i].name, sizeof(s->e[i].name));
		FUZZ_CHECK(vt_netstat_field_default(
		    vt_pf_cstr(s->e[i].section), vt_pf_cstr(s->e[i].name)));
		FUZZ_CHECK(vt_proc_net_snmp_get(s, s->e[i].section,
		    s->e[i].name, &v) == VT_OK);
	}
}

static int
f_snmp(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_snmp	s;

	if (vt_proc_net_snmp_parse(b, n, &s, err, errlen) != VT_OK) {
		FUZZ_CHECK(s.n == 0);
		return VT_ERR;
	}
	snmp_check(&s);
	return VT_OK;
}

static int
f_snmp6(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_snmp	s;

	memset(&s, 0, sizeof(s));
	if (vt_proc_net_snmp6_parse(b, n, &s, err, errlen) != VT_OK) {
		FUZZ_CHECK(s.n == 0);
		return VT_ERR;
	}
	snmp_check(&s);
	return VT_OK;
}

static int
f_sockstat(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_sockstat	s;
	size_t				i;

	if (vt_proc_net_sockstat_parse(b, n, 4096, &s, err, errlen) !=
	    VT_OK) {
		FUZZ_CHECK(s.n == 0);
		return VT_ERR;
	}
	FUZZ_CHECK(s.n <= VT_SOCKSTAT_MAX);
	for (i = 0; i < s.n; i++) {
		text(s.p[i].name, sizeof(s.p[i].name));
		FUZZ_CHECK(s.p[i].have < (1u << VT_SS_NFIELDS));
	}
	return VT_OK;
}

static int
f_softnet(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_softnet	s;

	if (vt_proc_net_softnet_parse(b, n, &s, err, errlen) != VT_OK) {
		FUZZ_CHECK(s.n == 0);
		return VT_ERR;
	}
	FUZZ_CHECK(s.n <= VT_MAX_CPUS && s.n + s.ndropped > 0);
	return VT_OK;
}

static int
f_one(const char *b, size_t n, char *err, size_t errlen)
{
	uint64_t	v;

	/* A helper without a reason of its own: the reader words it. */
	if (vt_pf_one_u64(b, n, &v) == VT_ERR)
		return vt_pf_err(err, errlen, "not one number");
	return VT_OK;
}

static int
f_udp(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_udp_summary	s, acc;
	const char	       *nl;
	int			rc;

	rc = vt_proc_net_udp_parse(b, n, &s, err, errlen);
	FUZZ_CHECK(rc == VT_OK || s.sockets == 0);
	/* The streaming reader hands over whole lines after the header. */
	if ((nl = memchr(b, '\n', n)) != NULL) {
		memset(&acc, 0, sizeof(acc));
		(void)vt_proc_net_udp_add_lines(nl + 1,
		    n - (size_t)(nl + 1 - b), &acc, err, errlen);
	}
	return rc;
}

static int
f_arp(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_proc_net_arp	a;
	size_t				i;

	if (vt_proc_net_arp_parse(b, n, &a, err, errlen) != VT_OK) {
		FUZZ_CHECK(a.n == 0);
		return VT_ERR;
	}
	FUZZ_CHECK(a.n <= VT_MAX_IFACES);
	for (i = 0; i < a.n; i++) {
		text(a.d[i].device, sizeof(a.d[i].device));
		FUZZ_CHECK(a.d[i].entries > 0);
	}
	return VT_OK;
}

static int
f_conntrack(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_conntrack	c;
	int			k;

	memset(&c, 0, sizeof(c));
	if (vt_nf_conntrack_stat_parse(b, n, &c, err, errlen) != VT_OK) {
		for (k = 0; k < VT_CT_NSTATS; k++)
			FUZZ_CHECK(c.stat[k] == 0);
		return VT_ERR;
	}
	return VT_OK;
}

/* SELinux's two files: a mode is one of go-selinux's three numbers. */
static int
f_selinux_enforce(const char *b, size_t n, char *err, size_t errlen)
{
	int	mode = 99;

	if (vt_selinux_enforce_parse(b, n, &mode, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(mode == VT_SELINUX_ENFORCING ||
	    mode == VT_SELINUX_PERMISSIVE);
	return VT_OK;
}

static int
f_selinux_config(const char *b, size_t n, char *err, size_t errlen)
{
	int	mode = 99;

	if (vt_selinux_config_parse(b, n, &mode, err, errlen) != VT_OK)
		return VT_ERR;
	FUZZ_CHECK(mode >= VT_SELINUX_DISABLED && mode <= VT_SELINUX_ENFORCING);
	return VT_OK;
}

/* A udev database file: every string terminated and cleaned. */
static int
f_udev(const char *b, size_t n, char *err, size_t errlen)
{
	struct vt_udev_disk	d;

	memset(&d, 0, sizeof(d));
	if (vt_udev_props_parse(b, n, &d, err, errlen) != VT_OK)
		return VT_ERR;
	text(d.path, sizeof(d.path));
	text(d.wwn, sizeof(d.wwn));
	text(d.model, sizeof(d.model));
	text(d.serial, sizeof(d.serial));
	text(d.revision, sizeof(d.revision));
	return VT_OK;
}

/* A parsed list: bounded, terminated strings, sorted. */
static void
listeners_check(struct vt_listeners *l)
{
	size_t	i;

	FUZZ_CHECK(l->n <= VT_MAX_LISTENERS && l->n <= l->total);
	vt_listeners_sort(l);
	for (i = 0; i < l->n; i++)
		text(l->l[i].address, sizeof(l->l[i].address));
}

static int
f_listen(const char *b, size_t n, int family, char *err, size_t errlen)
{
	static struct vt_listeners	l;

	memset(&l, 0, sizeof(l));
	if (vt_listeners_parse_proc(b, n, family, &l, err, errlen) != VT_OK)
		return VT_ERR;
	listeners_check(&l);
	return VT_OK;
}

static int
f_listen4(const char *b, size_t n, char *err, size_t errlen)
{
	return f_listen(b, n, AF_INET, err, errlen);
}

static int
f_listen6(const char *b, size_t n, char *err, size_t errlen)
{
	return f_listen(b, n, AF_INET6, err, errlen);
}

/* The reply is copied to an aligned buffer, as recvmsg() fills one. */
static int
f_sock_diag(const char *b, size_t n, char *err, size_t errlen)
{
	static struct vt_listeners	l;
	static union {
		uint64_t	align;
		char		b[VT_DIAG_BUFSZ];
	} u;
	int				done, rc;

	if (n > sizeof(u.b))
		n = sizeof(u.b);
	memcpy(u.b, b, n);
	memset(&l, 0, sizeof(l));
	rc = vt_diag_parse(u.b, n, 1, vt_listeners_diag_fn, &l, &done, err,
	    errlen);
	if (rc == 1)
		return VT_OK;
	listeners_check(&l);
	return rc;
}

static const struct {
	const char     *name;
	int		(*parse)(const char *, size_t, char *, size_t);
} files[] = {
	{ "stat", f_stat },
	{ "meminfo", f_meminfo },
	{ "loadavg", f_loadavg },
	{ "uptime", f_uptime },
	{ "net/dev", f_net_dev },
	{ "diskstats", f_diskstats },
	{ "self/mounts", f_mounts },
	{ "net/tcp", f_net_tcp },
	{ "net/tcp6", f_net_tcp },
	{ "net/netstat", f_net_netstat },
	{ "pressure/cpu", f_pressure },
	{ "pressure/memory", f_pressure },
	{ "pressure/io", f_pressure },
	{ "pid/stat", f_pid_stat },
	{ "pid/statm", f_pid_statm },
	{ "sys/fs/file-nr", f_file_nr },
	{ "vmstat", f_vmstat },
	{ "net/tcp-listen", f_listen4 },
	{ "net/tcp6-listen", f_listen6 },
	{ "sock_diag", f_sock_diag },
	{ "sys/kernel/uname", f_uname },
	{ "os-release", f_os_release },
	{ "self/limits", f_limits },
	{ "clocksource/available", f_cs_avail },
	{ "clocksource/current", f_cs_current },
	{ "thermal/temp", f_thermal_temp },
	{ "thermal/type", f_thermal_type },
	{ "hwmon/name", f_hwmon_name },
	{ "net/snmp", f_snmp },
	{ "net/snmp6", f_snmp6 },
	{ "net/sockstat", f_sockstat },
	{ "net/sockstat6", f_sockstat },
	{ "net/softnet_stat", f_softnet },
	{ "sys/one-number", f_one },
	{ "net/udp", f_udp },
	{ "net/udp6", f_udp },
	{ "net/arp", f_arp },
	{ "net/stat/nf_conntrack", f_conntrack },
	{ "selinux/enforce", f_selinux_enforce },
	{ "selinux/config", f_selinux_config },
	{ "udev/data", f_udev },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char     *in = (const char *)data, *nl;
	char		err[VT_ERRLEN];
	size_t		i, namelen;

	if ((nl = memchr(in, '\n', size)) == NULL)
		return 0;
	namelen = (size_t)(nl - in);
	if (namelen > 10 && memcmp(in, "class/net/", 10) == 0) {
		char	file[32];

		if (namelen - 10 >= sizeof(file))
			return 0;
		memcpy(file, in + 10, namelen - 10);
		file[namelen - 10] = '\0';
		err[0] = '\0';
		if (f_netclass(file, nl + 1, size - namelen - 1, err,
		    sizeof(err)) != VT_OK) {
			FUZZ_CHECK(err[0] != '\0');
			FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)));
		}
		return 0;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (strlen(files[i].name) != namelen ||
		    memcmp(files[i].name, in, namelen) != 0)
			continue;
		err[0] = '\0';
		if (files[i].parse(nl + 1, size - namelen - 1, err,
		    sizeof(err)) != VT_OK) {
			FUZZ_CHECK(err[0] != '\0');
			FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)));
		}
		return 0;
	}
	return 0;
}

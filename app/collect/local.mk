# app/collect/local.mk: build lines of this part (included by Makefile.am).
#
# The collectors: one pure parser and one reader per kernel source, the
# shared file helper, the statvfs helper and the rate arithmetic.  They
# go into the internal library; each has a TAP test fed from
# t/fixtures/proc/.

app_libvitals_a_SOURCES += \
	app/collect/procfile.c app/collect/procfile.h \
	app/collect/proc_stat.c app/collect/proc_stat.h \
	app/collect/proc_meminfo.c app/collect/proc_meminfo.h \
	app/collect/proc_loadavg.c app/collect/proc_loadavg.h \
	app/collect/proc_uptime.c app/collect/proc_uptime.h \
	app/collect/proc_net_dev.c app/collect/proc_net_dev.h \
	app/collect/proc_diskstats.c app/collect/proc_diskstats.h \
	app/collect/proc_mounts.c app/collect/proc_mounts.h \
	app/collect/fs_usage.c app/collect/fs_usage.h \
	app/collect/proc_net_tcp.c app/collect/proc_net_tcp.h \
	app/collect/sys_class_net.c app/collect/sys_class_net.h \
	app/collect/link_watch.c app/collect/link_watch.h \
	app/collect/uname.c app/collect/uname.h \
	app/collect/os_release.c app/collect/os_release.h \
	app/collect/textfile.c app/collect/textfile.h \
	app/collect/textfile_dir.c app/collect/textfile_dir.h \
	app/collect/timex.c app/collect/timex.h \
	app/collect/time_info.c app/collect/time_info.h \
	app/collect/sys_class_hwmon.c app/collect/sys_class_hwmon.h \
	app/collect/sys_class_thermal.c app/collect/sys_class_thermal.h \
	app/collect/proc_self.c app/collect/proc_self.h \
	app/collect/sock_diag.c app/collect/sock_diag.h \
	app/collect/tcp_diag.c app/collect/tcp_diag.h \
	app/collect/proc_net_netstat.c app/collect/proc_net_netstat.h \
	app/collect/proc_pressure.c app/collect/proc_pressure.h \
	app/collect/proc_pid.c app/collect/proc_pid.h \
	app/collect/rate.c app/collect/rate.h \
	app/collect/listeners.c app/collect/listeners.h \
	app/collect/sockowner.c app/collect/sockowner.h \
	app/collect/proc_sys_fs.c app/collect/proc_sys_fs.h \
	app/collect/proc_vmstat.c app/collect/proc_vmstat.h

# node_exporter's /proc/net collectors (issue 12, part A).
app_libvitals_a_SOURCES += \
	app/collect/proc_net_snmp.c app/collect/proc_net_snmp.h \
	app/collect/proc_net_sockstat.c app/collect/proc_net_sockstat.h \
	app/collect/proc_net_softnet.c app/collect/proc_net_softnet.h \
	app/collect/proc_sys_kernel_random.c \
	app/collect/proc_sys_kernel_random.h \
	app/collect/proc_net_udp.c app/collect/proc_net_udp.h \
	app/collect/proc_net_arp.c app/collect/proc_net_arp.h \
	app/collect/nf_conntrack.c app/collect/nf_conntrack.h

# node_exporter's last default families on the CI host (issue 12).
app_libvitals_a_SOURCES += \
	app/collect/sys_fs_selinux.c app/collect/sys_fs_selinux.h \
	app/collect/udev_disk.c app/collect/udev_disk.h

VT_COLLECT_TESTS = \
	t/unit/proc_file-t \
	t/unit/proc_stat-t \
	t/unit/proc_meminfo-t \
	t/unit/proc_loadavg-t \
	t/unit/proc_uptime-t \
	t/unit/proc_net_dev-t \
	t/unit/proc_diskstats-t \
	t/unit/proc_mounts-t \
	t/unit/proc_fs_usage-t \
	t/unit/proc_net_tcp-t \
	t/unit/sys_class_net-t \
	t/unit/link_watch-t \
	t/unit/uname-t \
	t/unit/textfile-t \
	t/unit/time-t \
	t/unit/hwmon-t \
	t/unit/proc_net_netstat-t \
	t/unit/proc_pressure-t \
	t/unit/proc_pid-t \
	t/unit/rate-t \
	t/unit/proc_live-t \
	t/unit/proc_sys_fs-t \
	t/unit/proc_vmstat-t \
	t/unit/listeners-t \
	t/unit/sockowner-t

VT_COLLECT_TESTS += \
	t/unit/proc_net_snmp-t \
	t/unit/proc_net_sockstat-t \
	t/unit/proc_net_softnet-t \
	t/unit/proc_sys_kernel_random-t \
	t/unit/proc_net_udp-t \
	t/unit/proc_net_arp-t \
	t/unit/nf_conntrack-t \
	t/unit/sys_fs_selinux-t \
	t/unit/udev_disk-t

check_PROGRAMS += $(VT_COLLECT_TESTS)
TESTS += $(VT_COLLECT_TESTS)

t_unit_proc_file_t_SOURCES = t/unit/proc_file-t.c
t_unit_proc_file_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_stat_t_SOURCES = t/unit/proc_stat-t.c
t_unit_proc_stat_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_meminfo_t_SOURCES = t/unit/proc_meminfo-t.c
t_unit_proc_meminfo_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_loadavg_t_SOURCES = t/unit/proc_loadavg-t.c
t_unit_proc_loadavg_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_uptime_t_SOURCES = t/unit/proc_uptime-t.c
t_unit_proc_uptime_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_dev_t_SOURCES = t/unit/proc_net_dev-t.c
t_unit_proc_net_dev_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_diskstats_t_SOURCES = t/unit/proc_diskstats-t.c
t_unit_proc_diskstats_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_mounts_t_SOURCES = t/unit/proc_mounts-t.c
t_unit_proc_mounts_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_fs_usage_t_SOURCES = t/unit/proc_fs_usage-t.c
t_unit_proc_fs_usage_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_tcp_t_SOURCES = t/unit/proc_net_tcp-t.c
t_unit_proc_net_tcp_t_LDADD = $(VT_TEST_LIBS)
t_unit_sys_fs_selinux_t_SOURCES = t/unit/sys_fs_selinux-t.c
t_unit_sys_fs_selinux_t_LDADD = $(VT_TEST_LIBS)
t_unit_udev_disk_t_SOURCES = t/unit/udev_disk-t.c
t_unit_udev_disk_t_LDADD = $(VT_TEST_LIBS)
t_unit_sys_class_net_t_SOURCES = t/unit/sys_class_net-t.c
t_unit_sys_class_net_t_LDADD = $(VT_TEST_LIBS)
t_unit_link_watch_t_SOURCES = t/unit/link_watch-t.c
t_unit_link_watch_t_LDADD = $(VT_TEST_LIBS)
t_unit_uname_t_SOURCES = t/unit/uname-t.c
t_unit_uname_t_LDADD = $(VT_TEST_LIBS)
t_unit_textfile_t_SOURCES = t/unit/textfile-t.c
t_unit_textfile_t_LDADD = $(VT_TEST_LIBS)
t_unit_time_t_SOURCES = t/unit/time-t.c
t_unit_time_t_LDADD = $(VT_TEST_LIBS)
t_unit_hwmon_t_SOURCES = t/unit/hwmon-t.c
t_unit_hwmon_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_netstat_t_SOURCES = t/unit/proc_net_netstat-t.c
t_unit_proc_net_netstat_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_pressure_t_SOURCES = t/unit/proc_pressure-t.c
t_unit_proc_pressure_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_pid_t_SOURCES = t/unit/proc_pid-t.c
t_unit_proc_pid_t_LDADD = $(VT_TEST_LIBS)
t_unit_rate_t_SOURCES = t/unit/rate-t.c
t_unit_rate_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_live_t_SOURCES = t/unit/proc_live-t.c
t_unit_proc_live_t_LDADD = $(VT_TEST_LIBS)

t_unit_proc_sys_fs_t_SOURCES = t/unit/proc_sys_fs-t.c
t_unit_proc_sys_fs_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_vmstat_t_SOURCES = t/unit/proc_vmstat-t.c
t_unit_proc_vmstat_t_LDADD = $(VT_TEST_LIBS)
t_unit_listeners_t_SOURCES = t/unit/listeners-t.c
t_unit_listeners_t_LDADD = $(VT_TEST_LIBS)
t_unit_sockowner_t_SOURCES = t/unit/sockowner-t.c
t_unit_sockowner_t_LDADD = $(VT_TEST_LIBS)

t_unit_proc_net_snmp_t_SOURCES = t/unit/proc_net_snmp-t.c
t_unit_proc_net_snmp_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_sockstat_t_SOURCES = t/unit/proc_net_sockstat-t.c
t_unit_proc_net_sockstat_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_softnet_t_SOURCES = t/unit/proc_net_softnet-t.c
t_unit_proc_net_softnet_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_sys_kernel_random_t_SOURCES = t/unit/proc_sys_kernel_random-t.c
t_unit_proc_sys_kernel_random_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_udp_t_SOURCES = t/unit/proc_net_udp-t.c
t_unit_proc_net_udp_t_LDADD = $(VT_TEST_LIBS)
t_unit_proc_net_arp_t_SOURCES = t/unit/proc_net_arp-t.c
t_unit_proc_net_arp_t_LDADD = $(VT_TEST_LIBS)
t_unit_nf_conntrack_t_SOURCES = t/unit/nf_conntrack-t.c
t_unit_nf_conntrack_t_LDADD = $(VT_TEST_LIBS)

EXTRA_DIST += app/collect/local.mk

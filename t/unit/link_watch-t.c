/*
 * link_watch-t.c: the rtnetlink link watch (link_watch.h) and the
 * sampler's use of it for the interfaces' attributes, in a network
 * namespace of the test's own (its lo is the only interface; changing it
 * touches nothing of the host), with /sys mounted again in a mount
 * namespace of its own so /sys/class/net shows that namespace's
 * interfaces.  Skipped where namespaces cannot be made (not root).
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/link_watch.h"
#include "collect/sys_class_net.h"
#include "sampler.h"

/* lo's flags or MTU, through the ioctls ip(8) would use. */
static void
lo_set(int up, int mtu)
{
	struct ifreq	ifr;
	int		fd;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		bail("lo: %s", strerror(errno));
	if (up) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1)
			bail("lo up: %s", strerror(errno));
	}
	if (mtu > 0) {
		ifr.ifr_mtu = mtu;
		if (ioctl(fd, SIOCSIFMTU, &ifr) == -1)
			bail("lo mtu: %s", strerror(errno));
	}
	close(fd);
}

static void
test_watch(void)
{
	struct vt_link_watch	w;
	int			a, b;

	vt_link_watch_init(&w);
	ok(vt_link_watch_changed(&w) == 1 && w.fd != -1,
	    "the first call opens the socket and says changed (nothing known)");
	ok(vt_link_watch_changed(&w) == 0,
	    "nothing happened since: not changed, no notification");
	lo_set(1, 0);
	a = vt_link_watch_changed(&w);
	b = vt_link_watch_changed(&w);
	ok(a == 1 && b == 0,
	    "lo brought up: changed once (%d), then not (%d); %lu "
	    "notifications", a, b, w.events);
	lo_set(0, 1500);
	a = vt_link_watch_changed(&w);
	b = vt_link_watch_changed(&w);
	ok(a == 1 && b == 0, "lo's MTU set: changed once (%d), then not (%d)",
	    a, b);
	is_int((long long)w.opens, 1, "one socket for all of it, kept open");
	vt_link_watch_close(&w);
	ok(w.fd == -1, "closed");
}

/* lo's MTU in the sample, or -1. */
static long long
sample_mtu(const struct vt_host *h)
{
	const struct vt_netclass_iface	*lo;

	if (!(h->have & VT_HAVE(VT_COL_NETCLASS)) ||
	    (lo = vt_netclass_find(&h->netclass, "lo")) == NULL ||
	    !(lo->have & (1u << VT_NC_MTU)))
		return -1;
	return lo->v[VT_NC_MTU];
}

static void
test_sampler(void)
{
	static struct vt_sampler	 s;
	struct vt_sampler_opts		 o;
	const struct vt_host		*h;
	uint64_t			 full;
	int				 i, carried = 1;

	memset(&o, 0, sizeof(o));
	o.root = "/";
	o.top_every = 1;	/* every tick a scan tick */
	if (vt_sampler_init(&s, &o) == VT_ERR)
		bail("vt_sampler_init failed");
	h = vt_sampler_collect(&s, 1000, 1000000);
	is_int(sample_mtu(h), 1500, "first tick: lo read whole, MTU 1500");
	full = s.nc_full;
	for (i = 0; i < 3; i++) {
		h = vt_sampler_collect(&s, 2000 + i * 1000,
		    2000000 + i * 1000000);
		carried &= sample_mtu(h) == 1500 &&
		    (vt_netclass_find(&h->netclass, "lo")->have &
		    (1u << VT_NC_RX_NOHANDLER)) != 0;
	}
	ok(s.nc_full == full && carried,
	    "three scan ticks without a notification: no whole read (%llu), "
	    "lo carried with its MTU, its rx_nohandler read",
	    (unsigned long long)s.nc_full);
	lo_set(0, 9000);
	h = vt_sampler_collect(&s, 5000, 5000000);
	ok(s.nc_full == full + 1 && sample_mtu(h) == 9000,
	    "lo's MTU set to 9000: the next scan tick reads it whole and "
	    "says %lld", sample_mtu(h));
	h = vt_sampler_collect(&s, 6000, 6000000);
	ok(s.nc_full == full + 1 && sample_mtu(h) == 9000,
	    "then carried again (%lld)", sample_mtu(h));
	/* The bound on a missed notification: a whole read every 12th. */
	for (i = 0; i < 12; i++)
		(void)vt_sampler_collect(&s, 7000 + i * 1000,
		    7000000 + i * 1000000);
	ok(s.nc_full == full + 2,
	    "twelve quiet scan ticks later one whole read all the same "
	    "(%llu in all)", (unsigned long long)s.nc_full);
	is_int((long long)s.links.opens, 1, "the sampler's watch: one socket");
	vt_sampler_free(&s);
}

int
main(void)
{
	plan(12);
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL) == -1) {
		skip(12, "no namespaces of the test's own (%s)",
		    strerror(errno));
		return tap_exit_status();
	}
	test_watch();
	test_sampler();
	return tap_exit_status();
}

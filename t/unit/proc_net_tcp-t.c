/*
 * proc_net_tcp-t.c: TCP sockets by state, from the /proc/net/tcp{,6}
 * files (fixtures) and from netlink sock_diag (live).  The live part
 * leaves real loopback sockets in CLOSE_WAIT (connect to a listener,
 * accept, close the accepted side, keep the client) and checks that the
 * netlink count rises by exactly that many and falls back once the
 * clients are closed.  It runs in a private network namespace when it
 * can (root), so other processes' sockets cannot disturb the count.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/proc_net_snmp.h"
#include "collect/proc_net_tcp.h"
#include "collect/tcp_diag.h"

#define NV4	5
#define NV6	3
#define NEST	4	/* ESTABLISHED pairs for the lean count */

static struct vt_tcp_states	ts;
/* One netlink socket for every dump of the live part, as the sampler keeps. */
static struct vt_diag_reader	reader;

static int	read_tree(const char *tree, char *err, size_t errlen);
static int	cuts(const char *rel);
static int	private_netns(void);
static int	listener(int family);
static int	pair(int lfd, int family, int *client);
static int	wait_count(enum vt_tcp_state state, int family, uint64_t want,
		    uint64_t *got);
static uint64_t	count_of(const struct vt_tcp_states *s, int family,
		    enum vt_tcp_state state);
static int	settled(struct vt_tcp_states *file);
static int	lean_agrees(void);

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_tcp_states_read(root, NULL, &ts, err, errlen);
}

/*
 * What shows TCP activity (tcp_diag.h), from vm2's snmp and sockstat; and
 * the paced count over vm2's files: a quiet tick carries the last count,
 * anything that moved counts again, and a quiet host is counted at least
 * every VT_TCP_EVERY_MAX ticks.
 */
static void
test_paced(void)
{
	static struct vt_proc_net_snmp		snmp;
	static struct vt_proc_net_sockstat	ss;
	struct vt_tcp_pace			pace;
	struct vt_tcp_activity			a, b;
	struct vt_tcp_states			st;
	char					root[4096], err[VT_ERRLEN];
	int					i, at = 0;

	snprintf(root, sizeof(root), "%s/proc/vm2", tap_fixture_root());
	if (vt_proc_net_snmp_read(root, &snmp, err, sizeof(err)) == VT_ERR ||
	    vt_proc_net_sockstat_read(root, 4096, &ss, err, sizeof(err)) ==
	    VT_ERR)
		bail("vm2's snmp or sockstat: %s", err);
	vt_tcp_activity_of(&snmp, &ss, &a);
	ok(a.ok, "activity: every figure read from vm2");
	ok(a.v[3] == 97586663 && a.v[4] == 96744343,
	    "activity: InSegs and OutSegs as the file says");
	ok(a.v[10] == 2017 && a.v[8] == 5, "activity: tw 2017, inuse 5");
	vt_tcp_activity_of(NULL, &ss, &b);
	ok(!b.ok, "activity: no snmp, not ok");

	memset(&pace, 0, sizeof(pace));
	is_int(vt_tcp_states_paced(root, NULL, &pace, &a, 1000, &st, err,
	    sizeof(err)), VT_OK, "paced: the first tick counts");
	is_int(st.counted_ms, 1000, "... stamped now");
	(void)vt_tcp_states_paced(root, NULL, &pace, &a, 2000, &st, err,
	    sizeof(err));
	is_int(st.counted_ms, 1000, "paced: quiet, the last count carried");
	is_int((long long)st.v4.state[VT_TCP_TIME_WAIT], 4,
	    "... with its counts");
	b = a;
	b.v[3]++;
	(void)vt_tcp_states_paced(root, NULL, &pace, &b, 3000, &st, err,
	    sizeof(err));
	is_int(st.counted_ms, 3000, "paced: a segment in, counted again");
	for (i = 1; i <= VT_TCP_EVERY_MAX && at == 0; i++) {
		(void)vt_tcp_states_paced(root, NULL, &pace, &b,
		    3000 + i * 1000, &st, err, sizeof(err));
		if (st.counted_ms == 3000 + i * 1000)
			at = i;
	}
	is_int(at, VT_TCP_EVERY_MAX, "paced: quiet, counted again after "
	    "VT_TCP_EVERY_MAX ticks");
	(void)vt_tcp_states_paced(root, NULL, &pace, NULL, 50000, &st, err,
	    sizeof(err));
	is_int(st.counted_ms, 50000, "paced: no activity known, counted");
	b.ok = 0;
	(void)vt_tcp_states_paced(root, NULL, &pace, &b, 51000, &st, err,
	    sizeof(err));
	is_int(st.counted_ms, 51000, "paced: activity not all read, counted");
}

static int
cut_parse(const char *buf, size_t len)
{
	static struct vt_tcp_counts	c;
	char	err[VT_ERRLEN];

	return vt_proc_net_tcp_parse(buf, len, &c, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

/* A network namespace of our own, with lo up.  Returns 1 or 0. */
static int
private_netns(void)
{
	struct ifreq	ifr;
	int		fd, rc;

	if (unshare(CLONE_NEWNET) == -1)
		return 0;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc == 0;
}

/* A listener on the loopback address, any port.  Returns fd or -1. */
static int
listener(int family)
{
	struct sockaddr_in6	a6;
	struct sockaddr_in	a4;
	int			fd;

	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (family == AF_INET) {
		memset(&a4, 0, sizeof(a4));
		a4.sin_family = AF_INET;
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&a4, sizeof(a4)) == -1)
			goto fail;
	} else {
		memset(&a6, 0, sizeof(a6));
		a6.sin6_family = AF_INET6;
		a6.sin6_addr = in6addr_loopback;
		if (bind(fd, (struct sockaddr *)&a6, sizeof(a6)) == -1)
			goto fail;
	}
	if (listen(fd, 16) == -1)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/*
 * Connect a client to the listener, accept it and close the accepted
 * side: the client, which we keep, is then in CLOSE_WAIT.
 */
static int
pair(int lfd, int family, int *client)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof(ss);
	int			c, a;

	if (getsockname(lfd, (struct sockaddr *)&ss, &sl) == -1)
		return -1;
	if ((c = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(c, (struct sockaddr *)&ss, sl) == -1 ||
	    (a = accept(lfd, NULL, NULL)) == -1) {
		close(c);
		return -1;
	}
	close(a);
	*client = c;
	return 0;
}

static uint64_t
count_of(const struct vt_tcp_states *s, int family, enum vt_tcp_state state)
{
	if (family == AF_INET)
		return s->v4.state[state];
	if (family == AF_INET6)
		return s->v6.state[state];
	return vt_tcp_states_total(s, state);
}

/*
 * Poll the netlink count until it is want (the FIN crosses loopback in
 * microseconds, but give it up to 2 s).  Returns 1 when it got there.
 */
static int
wait_count(enum vt_tcp_state state, int family, uint64_t want, uint64_t *got)
{
	struct timespec	ts10 = { 0, 10 * 1000 * 1000 };
	char		err[VT_ERRLEN];
	int		i;

	for (i = 0; i < 200; i++) {
		if (vt_tcp_diag_count(&reader, &ts, 1000, err,
		    sizeof(err)) == VT_ERR) {
			diag("netlink: %s", err);
			return 0;
		}
		*got = count_of(&ts, family, state);
		if (*got == want)
			return 1;
		nanosleep(&ts10, NULL);
	}
	return 0;
}

/*
 * Read netlink, the files, netlink again, until the two netlink reads
 * agree (nothing moved meanwhile).  Returns 1 when the files then agree
 * with them on every state, 0 otherwise.
 */
static int
settled(struct vt_tcp_states *file)
{
	struct timespec		ts10 = { 0, 10 * 1000 * 1000 };
	struct vt_tcp_states	a, b;
	char			err[VT_ERRLEN];
	int			i;

	for (i = 0; i < 100; i++) {
		if (vt_tcp_diag_count(&reader, &a, 1000, err,
		    sizeof(err)) == VT_ERR ||
		    vt_proc_net_tcp_read("/", file, err, sizeof(err)) ==
		    VT_ERR ||
		    vt_tcp_diag_count(&reader, &b, 1000, err,
		    sizeof(err)) == VT_ERR)
			return 0;
		if (memcmp(&a.v4, &b.v4, sizeof(a.v4)) == 0 &&
		    memcmp(&a.v6, &b.v6, sizeof(a.v6)) == 0)
			return memcmp(&a.v4, &file->v4, sizeof(a.v4)) == 0 &&
			    memcmp(&a.v6, &file->v6, sizeof(a.v6)) == 0;
		nanosleep(&ts10, NULL);
	}
	return 0;
}

/*
 * The lean count (ESTABLISHED from snmp's CurrEstab, the other states
 * from a dump without it) against the files, settled as above: a snmp
 * read and a lean count between two file reads that agree.  Returns 1
 * when every state's total is the same.
 */
static int
lean_agrees(void)
{
	static struct vt_proc_net_snmp	snmp;
	struct timespec			ts10 = { 0, 10 * 1000 * 1000 };
	struct vt_tcp_states		a, b, lean;
	uint64_t			ce;
	char				err[VT_ERRLEN];
	int				i, s, same;

	for (i = 0; i < 100; i++) {
		if (vt_proc_net_tcp_read("/", &a, err, sizeof(err)) == VT_ERR ||
		    vt_proc_net_snmp_read("/", &snmp, err, sizeof(err)) ==
		    VT_ERR ||
		    vt_proc_net_snmp_get(&snmp, "Tcp", "CurrEstab", &ce) ==
		    VT_ERR ||
		    vt_tcp_diag_count_lean(&reader, ce, &lean, 1000, err,
		    sizeof(err)) == VT_ERR ||
		    vt_proc_net_tcp_read("/", &b, err, sizeof(err)) == VT_ERR) {
			diag("lean: %s", err);
			return 0;
		}
		if (memcmp(&a.v4, &b.v4, sizeof(a.v4)) != 0 ||
		    memcmp(&a.v6, &b.v6, sizeof(a.v6)) != 0) {
			nanosleep(&ts10, NULL);
			continue;
		}
		for (s = 1, same = lean.est_derived; s < VT_TCP_NSTATES; s++)
			if (vt_tcp_states_total(&lean, (enum vt_tcp_state)s) !=
			    vt_tcp_states_total(&a, (enum vt_tcp_state)s)) {
				diag("lean: %s %llu, the files %llu",
				    vt_tcp_state_names[s], (unsigned long long)
				    vt_tcp_states_total(&lean,
				    (enum vt_tcp_state)s), (unsigned long long)
				    vt_tcp_states_total(&a,
				    (enum vt_tcp_state)s));
				same = 0;
			}
		return same;
	}
	return 0;
}

int
main(void)
{
	struct vt_tcp_states	file;
	struct sockaddr_storage	sa;
	socklen_t		sl;
	char			err[VT_ERRLEN];
	uint64_t		cw4, cw6, got = 0;
	int			l4, l6, c4[NV4], c6[NV6], i, isolated, have6, r;
	int			est[NEST][2];

	vt_diag_reader_init(&reader);
	test_paced();

	/* Fixtures: the files. */
	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_int(ts.source, VT_TCP_SRC_PROC, "vm2: a fixture root uses files");
	is_int((long long)ts.v4.state[VT_TCP_LISTEN], 1, "vm2: 1 listener");
	is_int((long long)ts.v4.state[VT_TCP_TIME_WAIT], 4,
	    "vm2: 4 TIME_WAIT (short lines)");
	is_int((long long)ts.v4.state[VT_TCP_ESTABLISHED], 0,
	    "vm2: none established");
	ok(ts.has_v6 && vt_tcp_states_total(&ts, VT_TCP_LISTEN) == 1,
	    "vm2: tcp6 present and empty");

	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)ts.v4.state[VT_TCP_ESTABLISHED], 150,
	    "server64: 150 established");
	is_int((long long)ts.v4.state[VT_TCP_LISTEN], 12,
	    "server64: 12 listen");
	is_int((long long)ts.v4.state[VT_TCP_TIME_WAIT], 80,
	    "server64: 80 time-wait");
	is_int((long long)ts.v4.state[VT_TCP_CLOSE_WAIT], 37,
	    "server64: 37 CLOSE_WAIT");
	is_int((long long)ts.v4.state[VT_TCP_SYN_RECV], 3,
	    "server64: 3 SYN_RECV (request socks)");
	ok(ts.v4.state[VT_TCP_SYN_SENT] == 4 &&
	    ts.v4.state[VT_TCP_FIN_WAIT1] == 2 &&
	    ts.v4.state[VT_TCP_FIN_WAIT2] == 5 &&
	    ts.v4.state[VT_TCP_LAST_ACK] == 1 &&
	    ts.v4.state[VT_TCP_CLOSING] == 1 && ts.v4.state[VT_TCP_CLOSE] == 1,
	    "server64: the rare states");
	is_int((long long)ts.v6.state[VT_TCP_ESTABLISHED], 40,
	    "server64: 40 established over IPv6");
	is_int((long long)ts.v6.state[VT_TCP_LISTEN], 6,
	    "server64: 6 IPv6 listeners");
	is_int((long long)vt_tcp_states_total(&ts, VT_TCP_CLOSE_WAIT), 39,
	    "server64: 39 CLOSE_WAIT in all");
	is_str(vt_tcp_state_names[VT_TCP_CLOSE_WAIT], "close_wait",
	    "state names follow node_exporter");

	is_int(read_tree("legacy", err, sizeof(err)), VT_OK,
	    "legacy: reads without tcp6");
	ok(!ts.has_v6 && ts.v4.state[VT_TCP_LISTEN] == 1 &&
	    ts.v4.state[VT_TCP_ESTABLISHED] == 1, "legacy: IPv4 only");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "a state of ZZ: error");
	is_int(read_tree("no-such-tree", err, sizeof(err)), VT_ERR,
	    "no files: error");
	is_int(cuts("proc/vm2/proc/net/tcp"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/net/tcp6"), 0,
	    "server64 tcp6: every mid-line cut fails cleanly");

	/* Live: netlink against real sockets. */
	if (vt_tcp_diag_count(NULL, &ts, 1000, err, sizeof(err)) == VT_ERR) {
		skip(17, "no sock_diag here: %s", err);
		done_testing();
		return tap_exit_status();
	}
	isolated = private_netns();
	if (!isolated)
		diag("no private network namespace (not root?): counting in "
		    "the shared one, other sockets may disturb the counts");
	is_int(vt_tcp_states_read("/", NULL, &ts, err, sizeof(err)), VT_OK,
	    "live: root \"/\" reads");
	is_int(ts.source, VT_TCP_SRC_NETLINK, "live: root \"/\" uses netlink");
	cw4 = ts.v4.state[VT_TCP_CLOSE_WAIT];
	cw6 = ts.v6.state[VT_TCP_CLOSE_WAIT];

	if ((l4 = listener(AF_INET)) == -1)
		bail("listen on 127.0.0.1: %s", strerror(errno));
	for (i = 0; i < NV4; i++) {
		if (pair(l4, AF_INET, &c4[i]) == -1)
			bail("loopback pair: %s", strerror(errno));
	}
	have6 = (l6 = listener(AF_INET6)) != -1;
	for (i = 0; have6 && i < NV6; i++) {
		if (pair(l6, AF_INET6, &c6[i]) == -1)
			bail("IPv6 loopback pair: %s", strerror(errno));
	}

	r = wait_count(VT_TCP_CLOSE_WAIT, AF_INET, cw4 + NV4, &got);
	ok(r, "netlink: IPv4 CLOSE_WAIT rose by %d (%llu -> %llu)", NV4,
	    (unsigned long long)cw4, (unsigned long long)got);
	if (have6) {
		r = wait_count(VT_TCP_CLOSE_WAIT, AF_INET6, cw6 + NV6, &got);
		ok(r, "netlink: IPv6 CLOSE_WAIT rose by %d (%llu -> %llu)", NV6,
		    (unsigned long long)cw6, (unsigned long long)got);
	} else {
		skip(1, "no IPv6 loopback");
	}
	ok(ts.v4.state[VT_TCP_LISTEN] >= 1, "netlink: our listener is seen");
	if (isolated) {
		is_int(vt_proc_net_tcp_read("/", &file, err, sizeof(err)),
		    VT_OK, "files: read in the same namespace");
		is_int((long long)file.v4.state[VT_TCP_CLOSE_WAIT],
		    (long long)ts.v4.state[VT_TCP_CLOSE_WAIT],
		    "files and netlink agree on IPv4 CLOSE_WAIT");
		is_int((long long)file.v6.state[VT_TCP_CLOSE_WAIT],
		    (long long)ts.v6.state[VT_TCP_CLOSE_WAIT],
		    "files and netlink agree on IPv6 CLOSE_WAIT");
		is_int((long long)file.v4.state[VT_TCP_LISTEN],
		    (long long)ts.v4.state[VT_TCP_LISTEN],
		    "files and netlink agree on listeners");
		/*
		 * Every state: sockets still settle (the closed accepted
		 * sides pass FIN_WAIT2), so compare a file read taken
		 * between two equal netlink reads.
		 */
		ok(settled(&file), "files and netlink agree on every state");
		/*
		 * The same, asked per family: the way a kernel that refuses
		 * TCPDIAG_GETSOCK is asked (sock_diag.c).
		 */
		reader.per_family = 1;
		ok(settled(&file), "per family: files and netlink agree on "
		    "every state");
		reader.per_family = 0;
		/* Connections that stay ESTABLISHED on both sides. */
		for (i = 0; i < NEST; i++) {
			est[i][0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
			    0);
			sl = sizeof(sa);
			if (est[i][0] == -1 || getsockname(l4,
			    (struct sockaddr *)&sa, &sl) == -1 ||
			    connect(est[i][0], (struct sockaddr *)&sa, sl) ==
			    -1 || (est[i][1] = accept(l4, NULL, NULL)) == -1)
				bail("an established pair: %s",
				    strerror(errno));
		}
		ok(lean_agrees(), "lean: ESTABLISHED from CurrEstab (%d pairs "
		    "open), every state as the files count it", NEST);
		for (i = 0; i < NEST; i++) {
			close(est[i][0]);
			close(est[i][1]);
		}
	} else {
		skip(7, "shared namespace: the two reads are not atomic");
	}
	/* This kernel answers both families in one dump (sock_diag.c). */
	ok(!reader.per_family && reader.has_v6 == have6,
	    "netlink: one dump for both families (per_family %d, has_v6 %d)",
	    reader.per_family, reader.has_v6);

	for (i = 0; i < NV4; i++)
		close(c4[i]);
	for (i = 0; have6 && i < NV6; i++)
		close(c6[i]);
	r = wait_count(VT_TCP_CLOSE_WAIT, AF_INET, cw4, &got);
	ok(r, "netlink: IPv4 CLOSE_WAIT back to %llu after closing",
	    (unsigned long long)cw4);
	if (have6) {
		r = wait_count(VT_TCP_CLOSE_WAIT, AF_INET6, cw6, &got);
		ok(r, "netlink: IPv6 CLOSE_WAIT back to %llu",
		    (unsigned long long)cw6);
	} else {
		skip(1, "no IPv6 loopback");
	}
	close(l4);
	if (have6)
		close(l6);
	ok(reader.opens == 1, "netlink: one kept socket served every dump "
	    "(%llu opened)", (unsigned long long)reader.opens);
	vt_diag_reader_close(&reader);
	is_int(vt_tcp_diag_count(NULL, &ts, 0, err, sizeof(err)), VT_ERR,
	    "netlink: a zero deadline is a clean error");
	ok(strstr(err, "timed out") != NULL, "... saying so (%s)", err);

	done_testing();
	return tap_exit_status();
}

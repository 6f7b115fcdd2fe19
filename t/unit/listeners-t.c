/*
 * listeners-t.c: the listeners collector.  The sock_diag parser is fed
 * reply buffers built here (one socket, several, both families, the end
 * of the dump, an error, a stale sequence number, short and malformed
 * messages); the /proc/net/tcp parser the fixture trees and lines made
 * here; the list keeps the fullest sockets when there are too many.  Then
 * a live read: a listener of this process with a backlog of 4 and two
 * connections waiting shows queue 2 and backlog 4, over one netlink
 * socket kept between reads.  Last, the paced read, in a network
 * namespace of its own (root only: no other test's listener there): the
 * dump is skipped while the TCP activity given is the same and every
 * queue was empty (a backlog changed by a second listen(2) is not seen),
 * and while only segments or active opens moved; made again after
 * VT_TCP_EVERY_MAX ticks, on a passive open or a change of the sockets in
 * use, for a connection waiting (with the namespace's own counters),
 * after a queue that was not empty, and without a full activity.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/listeners.h"
#include "collect/proc_net_snmp.h"
#include "collect/proc_net_sockstat.h"

#define SEQ	7

/* A reply buffer under construction. */
struct reply {
	union {
		struct nlmsghdr	h;
		char		b[8192];
	} u;
	size_t	len;
};

static void	add_sock(struct reply *r, unsigned seq, int family,
		    const char *addr, uint16_t port, uint32_t rq, uint32_t wq,
		    uint32_t inode);
static void	add_hdr(struct reply *r, unsigned seq, uint16_t type,
		    const void *data, size_t len);
static int	parse(const struct reply *r, struct vt_listeners *l,
		    int *done);
static int	proc_read(const char *tree, struct vt_listeners *l);
static const struct vt_listen_entry *find_port(const struct vt_listeners *l,
		    uint16_t port);
static void	test_diag(void);
static void	test_keep(void);
static void	test_proc(void);
static void	test_live(void);
static void	test_paced(void);

static void
add_hdr(struct reply *r, unsigned seq, uint16_t type, const void *data,
    size_t len)
{
	struct nlmsghdr	h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	h.nlmsg_type = type;
	h.nlmsg_flags = NLM_F_MULTI;
	h.nlmsg_seq = seq;
	if (r->len + NLMSG_SPACE(len) > sizeof(r->u.b))
		bail("reply buffer too small");
	memset(r->u.b + r->len, 0, NLMSG_SPACE(len));
	memcpy(r->u.b + r->len, &h, sizeof(h));
	if (len > 0)
		memcpy(r->u.b + r->len + NLMSG_HDRLEN, data, len);
	r->len += NLMSG_SPACE(len);
}

static void
add_sock(struct reply *r, unsigned seq, int family, const char *addr,
    uint16_t port, uint32_t rq, uint32_t wq, uint32_t inode)
{
	struct inet_diag_msg	m;

	memset(&m, 0, sizeof(m));
	m.idiag_family = (uint8_t)family;
	m.idiag_state = 10;
	m.id.idiag_sport = htons(port);
	if (inet_pton(family, addr, m.id.idiag_src) != 1)
		bail("bad address %s", addr);
	m.idiag_rqueue = rq;
	m.idiag_wqueue = wq;
	m.idiag_inode = inode;
	add_hdr(r, seq, SOCK_DIAG_BY_FAMILY, &m, sizeof(m));
}

static int
parse(const struct reply *r, struct vt_listeners *l, int *done)
{
	char	err[VT_ERRLEN];
	int	rc;

	rc = vt_diag_parse(r->u.b, r->len, SEQ, vt_listeners_diag_fn, l, done,
	    err, sizeof(err));
	if (rc == VT_ERR)
		diag("parse: %s", err);
	return rc;
}

static const struct vt_listen_entry *
find_port(const struct vt_listeners *l, uint16_t port)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (l->l[i].port == port)
			return &l->l[i];
	return NULL;
}

static void
test_diag(void)
{
	static struct reply	r;
	struct vt_listeners	l;
	struct nlmsgerr		e;
	int			done;

	memset(&r, 0, sizeof(r));
	memset(&l, 0, sizeof(l));
	add_sock(&r, SEQ, AF_INET, "127.0.0.1", 8080, 5, 4, 1001);
	add_sock(&r, SEQ, AF_INET6, "::1", 443, 3, 511, 1002);
	add_sock(&r, SEQ + 1, AF_INET, "10.0.0.1", 22, 99, 128, 1003);
	is_int(parse(&r, &l, &done), VT_OK, "two sockets: parse");
	is_int(done, 0, "no NLMSG_DONE yet");
	is_int((long long)l.n, 2, "the stale sequence number is skipped");
	add_hdr(&r, SEQ, NLMSG_DONE, "\0\0\0\0", 4);
	memset(&l, 0, sizeof(l));
	is_int(parse(&r, &l, &done), VT_OK, "with NLMSG_DONE: parse");
	is_int(done, 1, "NLMSG_DONE seen");
	vt_listeners_sort(&l);
	is_str(l.l[0].address, "127.0.0.1", "the fullest first: 5 of 4");
	is_int(l.l[0].port, 8080, "its port");
	is_int(l.l[0].queue, 5, "its queue");
	is_int(l.l[0].backlog, 4, "its backlog");
	is_int((long long)l.l[0].inode, 1001, "its inode");
	is_int(l.l[0].family, AF_INET, "its family");
	is_str(l.l[1].address, "::1", "IPv6 as text, no brackets");
	is_int(l.l[1].backlog, 511, "IPv6 backlog");
	is_int(l.l[1].pid, 0, "no owner yet");

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	e.error = -ENOENT;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), 1, "ENOENT: no such family (1)");
	memset(&r, 0, sizeof(r));
	e.error = -EOPNOTSUPP;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), 1, "EOPNOTSUPP: no such request (1)");
	memset(&r, 0, sizeof(r));
	e.error = -EINVAL;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), 1, "EINVAL: no such request (1)");

	/* The reply to TCPDIAG_GETSOCK has its type, and is read alike. */
	memset(&r, 0, sizeof(r));
	memset(&l, 0, sizeof(l));
	add_sock(&r, SEQ, AF_INET6, "::1", 9000, 2, 64, 1004);
	((struct nlmsghdr *)(void *)r.u.b)->nlmsg_type = TCPDIAG_GETSOCK;
	add_hdr(&r, SEQ, 99, "\0\0\0\0", 4);
	is_int(parse(&r, &l, &done), VT_OK, "TCPDIAG_GETSOCK reply: parse");
	is_int((long long)l.n, 1, "its socket taken, another type skipped");
	is_int(l.n == 1 ? l.l[0].port : 0, 9000, "its port");
	memset(&r, 0, sizeof(r));
	e.error = -EPERM;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), VT_ERR, "EPERM: error");
	/* A code no kernel sends (the fuzzer's): an error, not a negation. */
	memset(&r, 0, sizeof(r));
	e.error = INT_MIN;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), VT_ERR, "INT_MIN: error");
	memset(&r, 0, sizeof(r));
	e.error = 5;
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, sizeof(e));
	is_int(parse(&r, &l, &done), VT_ERR, "a positive code: error");
	memset(&r, 0, sizeof(r));
	add_hdr(&r, SEQ, NLMSG_ERROR, &e, 4);
	is_int(parse(&r, &l, &done), VT_ERR, "a short error: error");
	memset(&r, 0, sizeof(r));
	add_hdr(&r, SEQ, SOCK_DIAG_BY_FAMILY, "abcdefgh", 8);
	is_int(parse(&r, &l, &done), VT_ERR, "a short message: error");
	memset(&r, 0, sizeof(r));
	memset(&l, 0, sizeof(l));
	add_sock(&r, SEQ, AF_INET, "127.0.0.1", 1, 0, 1, 1);
	r.len += 3;
	is_int(parse(&r, &l, &done), VT_ERR, "trailing bytes: error");
	r.len = 10;
	memset(&l, 0, sizeof(l));
	is_int(parse(&r, &l, &done), VT_ERR, "a cut header: error");
	is_int((long long)l.n, 0, "nothing taken from a cut header");
	is_int(vt_diag_parse(r.u.b, 0, SEQ, vt_listeners_diag_fn, &l, &done,
	    NULL, 0), VT_OK, "an empty buffer: nothing, not done");
}

static void
test_keep(void)
{
	struct vt_listeners	l;
	struct vt_listen_entry	e;
	size_t			i;
	int			sorted = 1;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < 1000; i++) {
		memset(&e, 0, sizeof(e));
		e.family = AF_INET;
		snprintf(e.address, sizeof(e.address), "127.0.0.1");
		e.port = (uint16_t)(10000 + i);
		e.backlog = 128;
		e.queue = (uint32_t)(i % 100 == 7 ? 100 + i / 100 : i % 3);
		vt_listeners_add(&l, &e);
	}
	vt_listeners_sort(&l);
	is_int((long long)l.total, 1000, "1000 listeners: total 1000");
	is_int((long long)l.n, VT_MAX_LISTENERS, "VT_MAX_LISTENERS kept");
	is_int(l.l[0].queue, 109, "the fullest first");
	is_int(l.l[0].port, 10907, "its port");
	is_int(l.l[9].queue, 100, "the ten long queues lead");
	is_int(l.l[10].queue, 2, "then the others, by queue");
	for (i = 1; i < l.n; i++)
		if (l.l[i].queue > l.l[i - 1].queue)
			sorted = 0;
	ok(sorted, "sorted by fill");

	/* Fill is a ratio: 3 of 4 beats 100 of 4096. */
	memset(&l, 0, sizeof(l));
	e.queue = 100;
	e.backlog = 4096;
	e.port = 1;
	vt_listeners_add(&l, &e);
	e.queue = 3;
	e.backlog = 4;
	e.port = 2;
	vt_listeners_add(&l, &e);
	vt_listeners_sort(&l);
	is_int(l.l[0].port, 2, "3 of 4 is fuller than 100 of 4096");
}

static int
proc_read(const char *tree, struct vt_listeners *l)
{
	struct vt_diag_reader	r;
	char			root[4096], err[VT_ERRLEN];
	int			rc;

	vt_diag_reader_init(&r);
	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	rc = vt_listeners_read(&r, root, l, 1000, err, sizeof(err));
	if (rc == VT_ERR)
		diag("%s: %s", tree, err);
	is_int(r.fd, -1, "%s: a fixture root opens no netlink socket", tree);
	return rc;
}

static void
test_proc(void)
{
	static const char	lines[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr "
	    "tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000005 "
	    "00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n"
	    "   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 "
	    "00:00000000 00000000  1000        0 4243 1 0 20 4 30 10 -1\n";
	static const char	lines6[] =
	    "   0: 00000000000000000000000001000000:0050 "
	    "00000000000000000000000000000000:0000 0A 00000000:0000000C "
	    "00:00000000 00000000     0        0 77 1 0 100 0 0 10 0\n";
	static struct vt_listeners	l;
	const struct vt_listen_entry	*e;
	char				err[VT_ERRLEN];

	is_int(proc_read("vm2", &l), VT_OK, "vm2: reads");
	is_int((long long)l.total, 1, "vm2: one listener");
	is_str(l.l[0].address, "0.0.0.0", "vm2: on every address");
	is_int(l.l[0].port, 2024, "vm2: port 2024");
	is_int((long long)l.l[0].inode, 555, "vm2: inode");

	is_int(proc_read("server64", &l), VT_OK, "server64: reads");
	is_int((long long)l.total, 18, "server64: 12 IPv4 and 6 IPv6");
	ok((e = find_port(&l, 80)) != NULL && strcmp(e->address,
	    "127.0.0.1") == 0, "server64: 127.0.0.1:80");
	ok(l.l[l.n - 1].family == AF_INET6 && l.l[l.n - 1].port == 9100 &&
	    strcmp(l.l[l.n - 1].address, "::") == 0,
	    "server64: [::]:9100 (last: all empty, by family and port)");

	is_int(proc_read("legacy", &l), VT_OK, "legacy: reads (no tcp6)");
	is_int((long long)l.total, 1, "legacy: one listener");
	is_int(proc_read("malformed", &l), VT_ERR, "malformed: error");
	is_int((long long)l.n, 0, "malformed: empty");
	is_int(proc_read("truncated", &l), VT_ERR, "truncated: error");

	memset(&l, 0, sizeof(l));
	is_int(vt_listeners_parse_proc(lines, strlen(lines), AF_INET, &l, err,
	    sizeof(err)), VT_OK, "made lines: parse");
	is_int((long long)l.n, 1, "only the LISTEN line");
	is_int(l.l[0].port, 8080, "port 8080");
	is_int(l.l[0].queue, 5, "rx_queue is the queue");
	is_int(l.l[0].backlog, 0, "no backlog in the file");
	is_int(vt_listeners_parse_proc(lines6, strlen(lines6), AF_INET6, &l,
	    err, sizeof(err)), VT_OK, "an IPv6 line: parse");
	is_str(l.l[1].address, "::1", "::1 from the kernel's host-order words");
	is_int(l.l[1].queue, 12, "IPv6 queue");
	is_int(vt_listeners_parse_proc("   0: 0100007F:1F9 00000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000 0 0 1 1\n", 74, AF_INET,
	    &l, err, sizeof(err)), VT_ERR, "a 3-digit port: error");
	is_int(vt_listeners_parse_proc("   0: 0100007F:1F90 00000000:0000 0A "
	    "00000000:00000000\n", 54, AF_INET, &l, err, sizeof(err)),
	    VT_ERR, "a short line: error");
	is_int(vt_listeners_parse_proc(lines6, strlen(lines6), AF_INET, &l,
	    err, sizeof(err)), VT_ERR, "an IPv6 line read as IPv4: error");
}

/* A listener on 127.0.0.1, a port of the kernel's, backlog 4: its fd. */
static int
listener(struct sockaddr_in *sa)
{
	socklen_t	sl = sizeof(*sa);
	int		fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)sa, sizeof(*sa)) == -1 ||
	    listen(fd, 4) == -1 ||
	    getsockname(fd, (struct sockaddr *)sa, &sl) == -1)
		bail("listener: %s", strerror(errno));
	return fd;
}

static void
test_live(void)
{
	struct vt_diag_reader		 r;
	struct sockaddr_in		 sa;
	static struct vt_listeners	 l;
	const struct vt_listen_entry	*e;
	char				 err[VT_ERRLEN];
	int				 lfd, c[2], i;

	lfd = listener(&sa);
	for (i = 0; i < 2; i++)
		if ((c[i] = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(c[i], (struct sockaddr *)&sa, sizeof(sa)) == -1)
			bail("client: %s", strerror(errno));
	vt_diag_reader_init(&r);
	if (vt_listeners_read(&r, "/", &l, 1000, err, sizeof(err)) == VT_ERR) {
		skip(6, "no sock_diag here: %s", err);
		goto end;
	}
	e = find_port(&l, ntohs(sa.sin_port));
	ok(e != NULL, "live: this process's listener is listed");
	ok(e != NULL && e->queue == 2 && e->backlog == 4,
	    "live: queue 2, backlog 4 (got %u, %u)", e ? e->queue : 0,
	    e ? e->backlog : 0);
	ok(e != NULL && strcmp(e->address, "127.0.0.1") == 0,
	    "live: address 127.0.0.1");
	is_int(vt_listeners_read(&r, "/", &l, 1000, err, sizeof(err)), VT_OK,
	    "live: a second read");
	is_int((long long)r.opens, 1, "live: one netlink socket for both");
	ok(r.fd != -1, "live: kept open");
end:
	vt_diag_reader_close(&r);
	close(c[0]);
	close(c[1]);
	close(lfd);
}

/* The backlog and queue of port in a paced read with act; 1 if listed. */
static int
paced(struct vt_diag_reader *r, struct vt_listeners_pace *pace,
    const struct vt_tcp_activity *act, uint16_t port, uint32_t *backlog,
    uint32_t *queue)
{
	static struct vt_listeners	 l;
	const struct vt_listen_entry	*e;
	char				 err[VT_ERRLEN];

	*backlog = *queue = 0;
	if (vt_listeners_paced(r, "/", pace, act, &l, 1000, err,
	    sizeof(err)) == VT_ERR || (e = find_port(&l, port)) == NULL)
		return 0;
	*backlog = e->backlog;
	*queue = e->queue;
	return 1;
}

/* This namespace's TCP activity now, from its snmp and sockstat. */
static void
real_activity(struct vt_tcp_activity *a)
{
	static struct vt_proc_net_snmp		snmp;
	static struct vt_proc_net_sockstat	ss;
	char					err[VT_ERRLEN];

	if (vt_proc_net_snmp_read("/", &snmp, err, sizeof(err)) == VT_ERR ||
	    vt_proc_net_sockstat_read("/", (uint64_t)sysconf(_SC_PAGESIZE),
	    &ss, err, sizeof(err)) == VT_ERR)
		bail("activity: %s", err);
	vt_tcp_activity_of(&snmp, &ss, a);
	if (!a->ok)
		bail("activity: not every figure read");
}

static void
test_paced(void)
{
	static struct vt_listeners_pace	 pace;
	struct vt_tcp_activity		 a, b;
	struct vt_diag_reader		 r;
	struct sockaddr_in		 sa;
	struct ifreq			 ifr;
	uint32_t			 bl = 0, q = 0;
	uint16_t			 port;
	int				 lfd, c, s, fd, i, got, skipped = 1;

	if (unshare(CLONE_NEWNET) == -1) {
		skip(12, "paced: no network namespace of its own (%s)",
		    strerror(errno));
		return;
	}
	/* A new namespace's lo is down. */
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		bail("lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1)
		bail("lo up: %s", strerror(errno));
	close(fd);
	lfd = listener(&sa);
	port = ntohs(sa.sin_port);
	memset(&a, 0, sizeof(a));
	for (i = 0; i < VT_TCP_ACT_N; i++)
		a.v[i] = (uint64_t)i + 1;
	a.ok = 1;
	b = a;
	b.v[3]++;	/* a segment in */
	vt_diag_reader_init(&r);

	got = paced(&r, &pace, &a, port, &bl, &q);
	ok(got && bl == 4 && q == 0,
	    "paced: the first read dumps: backlog 4, queue 0 (%u, %u)", bl, q);
	/* listen(2) again: another backlog, nothing TCP's counters show. */
	if (listen(lfd, 8) == -1)
		bail("listen 8: %s", strerror(errno));
	for (i = 1; i < VT_TCP_EVERY_MAX; i++)
		if (!paced(&r, &pace, &a, port, &bl, &q) || bl != 4)
			skipped = 0;
	ok(skipped, "paced: the same activity, queues empty: the last dump "
	    "for %d ticks (backlog still 4)", VT_TCP_EVERY_MAX - 1);
	got = paced(&r, &pace, &a, port, &bl, &q);
	ok(got && bl == 8,
	    "paced: dumped again after VT_TCP_EVERY_MAX ticks: backlog 8 (%u)",
	    bl);
	if (listen(lfd, 6) == -1)
		bail("listen 6: %s", strerror(errno));
	/* Segments, opens of this host's own: no queue moves. */
	b.v[3]++;
	b.v[0]++;
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && bl == 8,
	    "paced: segments and an active open alone (a keep-alive "
	    "scraper): skipped, backlog 8 (%u)", bl);
	b.v[VT_TCP_ACT_PASSIVE_OPENS]++;
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && bl == 6,
	    "paced: a passive open: dumped, backlog 6 (%u)", bl);
	if (listen(lfd, 9) == -1)
		bail("listen 9: %s", strerror(errno));
	b.v[VT_TCP_ACT_INUSE6]++;
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && bl == 9,
	    "paced: the sockets in use changed: dumped, backlog 9 (%u)", bl);
	/*
	 * A connection waiting, with this namespace's own counters: its
	 * handshake is a passive open, so the dump is made.
	 */
	real_activity(&b);
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && q == 0, "paced: the real activity: queue 0 (%u)", q);
	if ((c = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		bail("client: %s", strerror(errno));
	real_activity(&b);
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && q == 1,
	    "paced: a connection waiting, the real counters: queue 1 (%u)",
	    q);
	if ((s = accept(lfd, NULL, NULL)) == -1)
		bail("accept: %s", strerror(errno));
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && q == 0,
	    "paced: accepted, the same activity: dumped, as the last queue "
	    "was not empty: queue 0 (%u)", q);
	if (listen(lfd, 5) == -1)
		bail("listen 5: %s", strerror(errno));
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && bl == 9,
	    "paced: and now skipped again (backlog 9, %u)", bl);
	b.ok = 0;
	got = paced(&r, &pace, &b, port, &bl, &q);
	ok(got && bl == 5,
	    "paced: an activity not read in full: dumped, backlog 5 (%u)", bl);
	if (listen(lfd, 7) == -1)
		bail("listen 7: %s", strerror(errno));
	got = paced(&r, &pace, NULL, port, &bl, &q);
	ok(got && bl == 7,
	    "paced: no activity: dumped, backlog 7 (%u)", bl);
	vt_diag_reader_close(&r);
	close(s);
	close(c);
	close(lfd);
}

int
main(void)
{
	test_diag();
	test_keep();
	test_proc();
	test_live();
	test_paced();
	done_testing();
	return tap_exit_status();
}

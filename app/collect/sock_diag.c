/*
 * sock_diag.c: dumps of TCP sockets over NETLINK_SOCK_DIAG, on a socket
 * kept open between reads (see sock_diag.h).
 *
 * Opening a netlink socket per read cost the sampler a socket(2) and a
 * close(2) each tick for each purpose (DESIGN.md); one socket serves the
 * TCP states, the listeners and the CLOSE_WAIT inodes, one dump after
 * another, told apart by their sequence numbers.
 *
 * One dump for both address families.  IPv4 and IPv6 TCP sockets live in
 * one kernel hash table, and a dump of any state past LISTEN walks every
 * bucket of it (262 144 on a 24 GiB host) whether or not it holds a
 * socket: two dumps, one per family (SOCK_DIAG_BY_FAMILY), walked it
 * twice.  The older request, TCPDIAG_GETSOCK (struct inet_diag_req), is
 * answered by the same code with the family left unset (AF_UNSPEC:
 * inet_diag_dump_compat in net/ipv4/inet_diag.c), so one walk reports
 * both, for about half the CPU.  A kernel that refuses it (an error
 * reply) is asked per family from then on.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "collect/procfile.h"
#include "collect/sock_diag.h"

/* The deadline of the IPv6 probe when the socket is opened. */
#define VT_DIAG_PROBE_MS	100

static int	reader_open(struct vt_diag_reader *r, char *err,
		    size_t errlen);
static int	reader_fail(struct vt_diag_reader *r);
static void	probe_fn(const struct inet_diag_msg *m, void *arg);
static int	reader_dump(struct vt_diag_reader *r, int family,
		    unsigned states, vt_diag_fn fn, void *arg,
		    int64_t start_us, int timeout_ms, char *err,
		    size_t errlen);

int
vt_diag_parse(const void *buf, size_t len, unsigned seq, vt_diag_fn fn,
    void *arg, int *done, char *err, size_t errlen)
{
	const struct nlmsghdr	*h = buf;
	const struct nlmsgerr	*e;
	struct inet_diag_msg	 d;
	int			 left;

	*done = 0;
	if (len > (size_t)INT_MAX)
		return vt_pf_err(err, errlen, "sock_diag: reply too long");
	left = (int)len;
	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_seq != seq)
			continue;	/* a stale reply */
		if (h->nlmsg_type == NLMSG_DONE) {
			*done = 1;
			return VT_OK;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return vt_pf_err(err, errlen,
				    "sock_diag: short error");
			e = NLMSG_DATA(h);
			if (e->error == -ENOENT || e->error == -EOPNOTSUPP ||
			    e->error == -EINVAL)
				return 1;
			/* The kernel's are -errno; anything else is a number. */
			if (e->error < 0 && e->error > -4096)
				return vt_pf_err(err, errlen, "sock_diag: %s",
				    strerror(-e->error));
			return vt_pf_err(err, errlen, "sock_diag: error %d",
			    e->error);
		}
		/* A reply has the type of its request. */
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY &&
		    h->nlmsg_type != TCPDIAG_GETSOCK)
			continue;
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(d)))
			return vt_pf_err(err, errlen,
			    "sock_diag: short message");
		/* A copy: the parser may be handed an unaligned buffer. */
		memcpy(&d, NLMSG_DATA(h), sizeof(d));
		fn(&d, arg);
	}
	if (left != 0)
		return vt_pf_err(err, errlen, "sock_diag: malformed reply");
	return VT_OK;
}

void
vt_diag_reader_init(struct vt_diag_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	vt_backoff_init(&r->bo, 100, 30000, 0);
}

void
vt_diag_reader_close(struct vt_diag_reader *r)
{
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
}

static int
reader_open(struct vt_diag_reader *r, char *err, size_t errlen)
{
	if (r->fd != -1)
		return VT_OK;
	if (vt_backoff_left(&r->bo, vt_mono_ms()) > 0)
		return vt_pf_err(err, errlen,
		    "sock_diag: waiting to reopen after an error");
	r->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_SOCK_DIAG);
	if (r->fd == -1) {
		vt_pf_err(err, errlen, "sock_diag socket: %s",
		    strerror(errno));
		return reader_fail(r);
	}
	r->opens++;
	/*
	 * Whether the kernel has IPv6 to dump, asked once per socket: a dump
	 * of AF_INET6 in no state, which walks nothing.  The dumps of both
	 * families at once cannot tell.
	 */
	r->has_v6 = reader_dump(r, AF_INET6, 0, probe_fn, NULL, vt_mono_us(),
	    VT_DIAG_PROBE_MS, err, errlen) == VT_OK;
	return VT_OK;
}

/* The vt_diag_fn of the IPv6 probe, which asks for no socket. */
static void
probe_fn(const struct inet_diag_msg *m, void *arg)
{
	(void)m;
	(void)arg;
}

/* Close after an error and start the back-off; returns VT_ERR. */
static int
reader_fail(struct vt_diag_reader *r)
{
	vt_diag_reader_close(r);
	(void)vt_backoff_fail(&r->bo, vt_mono_ms());
	return VT_ERR;
}

/*
 * Dump one address family (AF_UNSPEC: both, through TCPDIAG_GETSOCK) in
 * the states of the mask and hand each socket to fn.  Returns VT_OK,
 * VT_ERR, or 1 when the kernel has no such family.
 */
static int
reader_dump(struct vt_diag_reader *r, int family, unsigned states,
    vt_diag_fn fn, void *arg, int64_t start_us, int timeout_ms, char *err,
    size_t errlen)
{
	union {
		struct {
			struct nlmsghdr		nlh;
			struct inet_diag_req_v2	r;
		} v2;
		struct {
			struct nlmsghdr		nlh;
			struct inet_diag_req	r;
		} both;
	} req;
	size_t			reqlen;
	union {
		struct nlmsghdr	h;
		char		b[VT_DIAG_BUFSZ];
	} u;
	struct sockaddr_nl	sa;
	struct iovec		iov;
	struct msghdr		msg;
	struct pollfd		pfd;
	ssize_t			n;
	long			left;
	int			rc, done;

	memset(&req, 0, sizeof(req));
	if (family == AF_UNSPEC) {
		reqlen = sizeof(req.both);
		req.both.nlh.nlmsg_type = TCPDIAG_GETSOCK;
		req.both.r.idiag_family = AF_INET;	/* not read */
		req.both.r.idiag_states = states;
	} else {
		reqlen = sizeof(req.v2);
		req.v2.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.v2.r.sdiag_family = (__u8)family;
		req.v2.r.sdiag_protocol = IPPROTO_TCP;
		req.v2.r.idiag_states = states;
	}
	/* The header is the same in both requests. */
	req.v2.nlh.nlmsg_len = (__u32)reqlen;
	req.v2.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.v2.nlh.nlmsg_seq = ++r->seq;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(r->fd, &req, reqlen, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		return vt_pf_err(err, errlen, "sock_diag send: %s",
		    strerror(errno));
	for (;;) {
		if ((left = timeout_ms - (long)vt_mono_ms_since(start_us)) <= 0)
			return vt_pf_err(err, errlen, "sock_diag: timed out");
		pfd.fd = r->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			return vt_pf_err(err, errlen, "sock_diag poll: %s",
			    strerror(errno));
		}
		if (!(pfd.revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = u.b;
		iov.iov_len = sizeof(u.b);
		msg.msg_name = &sa;
		msg.msg_namelen = sizeof(sa);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(r->fd, &msg, MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return vt_pf_err(err, errlen, "sock_diag recv: %s",
			    strerror(errno));
		}
		if (msg.msg_flags & MSG_TRUNC)
			return vt_pf_err(err, errlen,
			    "sock_diag: reply larger than %zu bytes",
			    sizeof(u.b));
		if (n == 0)
			return vt_pf_err(err, errlen, "sock_diag: no reply");
		rc = vt_diag_parse(u.b, (size_t)n, r->seq, fn, arg, &done,
		    err, errlen);
		if (rc != VT_OK)
			return rc == 1 && family != AF_INET ? 1 : VT_ERR;
		if (done)
			return VT_OK;
	}
}

int
vt_diag_dump(struct vt_diag_reader *r, unsigned states, vt_diag_fn fn,
    void *arg, int timeout_ms, int *has_v6, char *err, size_t errlen)
{
	int64_t	start = vt_mono_us();
	int	rc;

	if (has_v6 != NULL)
		*has_v6 = 0;
	if (reader_open(r, err, errlen) == VT_ERR)
		return VT_ERR;
	if (!r->per_family) {
		rc = reader_dump(r, AF_UNSPEC, states, fn, arg, start,
		    timeout_ms, err, errlen);
		if (rc == VT_ERR)
			return reader_fail(r);
		if (rc == VT_OK) {
			if (has_v6 != NULL)
				*has_v6 = r->has_v6;
			vt_backoff_reset(&r->bo);
			return VT_OK;
		}
		/* Refused before any socket: per family from now on. */
		r->per_family = 1;
	}
	if (reader_dump(r, AF_INET, states, fn, arg, start, timeout_ms, err,
	    errlen) != VT_OK)
		return reader_fail(r);
	rc = reader_dump(r, AF_INET6, states, fn, arg, start, timeout_ms, err,
	    errlen);
	if (rc == VT_ERR)
		return reader_fail(r);
	if (has_v6 != NULL)
		*has_v6 = rc == VT_OK;
	vt_backoff_reset(&r->bo);
	return VT_OK;
}

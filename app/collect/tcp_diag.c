/*
 * tcp_diag.c: TCP sockets by state over NETLINK_SOCK_DIAG (see
 * tcp_diag.h).
 */
#include "config.h"

#include <errno.h>
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
#include "collect/tcp_diag.h"

/*
 * States 1..12: TCP_NEW_SYN_RECV (12) is how request sockets are stored;
 * the kernel reports them as SYN_RECV.  13, TCP_BOUND_INACTIVE (6.8+),
 * is a bound socket that is not a connection, and /proc/net/tcp does not
 * list it either: not asked for.
 */
#define DIAG_STATES	(((1U << 13) - 1) & ~1U)

static int	diag_family(int fd, int family, unsigned seq,
		    struct vt_tcp_counts *acc, int64_t start_us,
		    int timeout_ms, char *err, size_t errlen);

/*
 * Dump one address family and count the states.  Returns VT_OK, VT_ERR,
 * or 1 when the kernel has no such family (IPv6 compiled out).
 */
static int
diag_family(int fd, int family, unsigned seq, struct vt_tcp_counts *acc,
    int64_t start_us, int timeout_ms, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req_v2	r;
	} req;
	union {
		struct nlmsghdr	h;
		char		b[VT_TCP_DIAG_BUFSZ];
	} u;
	struct sockaddr_nl	 sa;
	struct iovec		 iov;
	struct msghdr		 msg;
	struct pollfd		 pfd;
	struct nlmsghdr		*h;
	struct inet_diag_msg	*d;
	struct nlmsgerr		*e;
	ssize_t			 n;
	long			 left;
	int			 len;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = seq;
	req.r.sdiag_family = (__u8)family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = DIAG_STATES;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		return vt_pf_err(err, errlen, "sock_diag send: %s",
		    strerror(errno));

	for (;;) {
		if ((left = timeout_ms - (long)vt_mono_ms_since(start_us)) <= 0)
			return vt_pf_err(err, errlen, "sock_diag: timed out");
		pfd.fd = fd;
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
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
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
		len = (int)n;
		for (h = &u.h; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;	/* a stale reply */
			if (h->nlmsg_type == NLMSG_DONE)
				return VT_OK;
			if (h->nlmsg_type == NLMSG_ERROR) {
				e = NLMSG_DATA(h);
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return vt_pf_err(err, errlen,
					    "sock_diag: short error");
				if (e->error == -ENOENT &&
				    family == AF_INET6)
					return 1;
				return vt_pf_err(err, errlen,
				    "sock_diag: %s", strerror(-e->error));
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*d)))
				return vt_pf_err(err, errlen,
				    "sock_diag: short message");
			d = NLMSG_DATA(h);
			if (d->idiag_state > 0 &&
			    d->idiag_state < VT_TCP_NSTATES)
				acc->state[d->idiag_state]++;
			else
				acc->other++;
		}
		if (len != 0)
			return vt_pf_err(err, errlen,
			    "sock_diag: malformed reply");
	}
}

int
vt_tcp_diag_count(struct vt_tcp_states *out, int timeout_ms, char *err,
    size_t errlen)
{
	int64_t		start = vt_mono_us();
	int		fd, rc;

	memset(out, 0, sizeof(*out));
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return vt_pf_err(err, errlen, "sock_diag socket: %s",
		    strerror(errno));
	if (diag_family(fd, AF_INET, 1, &out->v4, start, timeout_ms, err,
	    errlen) != VT_OK)
		goto fail;
	rc = diag_family(fd, AF_INET6, 2, &out->v6, start, timeout_ms, err,
	    errlen);
	if (rc == VT_ERR)
		goto fail;
	out->has_v6 = rc == VT_OK;
	out->source = VT_TCP_SRC_NETLINK;
	close(fd);
	return VT_OK;

fail:
	close(fd);
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

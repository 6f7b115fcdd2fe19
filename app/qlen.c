/*
 * qlen.c: listen-queue length of a listening socket (see qlen.h).
 */
#include "config.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "qlen.h"
#include "vitals.h"

static int	qlen_open(struct vt_qlen *q);
static int	qlen_unix(struct vt_qlen *q, uint32_t *queued,
		    uint32_t *backlog);
static int	qlen_tcp(int fd, uint32_t *queued, uint32_t *backlog);

void
vt_qlen_init(struct vt_qlen *q)
{
	memset(q, 0, sizeof(*q));
	q->nl = -1;
	q->fd = -1;
}

void
vt_qlen_close(struct vt_qlen *q)
{
	if (q->nl != -1)
		close(q->nl);
	q->nl = -1;
}

/*
 * The kept socket, opened when closed.  A receive waits at most 200 ms:
 * the kernel answers a sock_diag request before sendto returns, so the
 * wait only bounds a kernel that does not.
 */
static int
qlen_open(struct vt_qlen *q)
{
	struct timeval	tv = { .tv_sec = 0, .tv_usec = 200000 };

	if (q->nl != -1)
		return VT_OK;
	if ((q->nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return VT_ERR;
	q->opens++;
	(void)setsockopt(q->nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return VT_OK;
}

static int
qlen_unix(struct vt_qlen *q, uint32_t *queued, uint32_t *backlog)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	udr;
	} req;
	struct sockaddr_nl	nladdr = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr	nlh;
		char		buf[4096];
	} resp;
	struct nlmsghdr	       *h;
	ssize_t			n;
	int			rc = VT_ERR;

	if (qlen_open(q) == VT_ERR)
		return VT_ERR;
	q->asks++;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.nlh.nlmsg_seq = ++q->seq;
	req.udr.sdiag_family = AF_UNIX;
	req.udr.udiag_states = ~0u;
	req.udr.udiag_ino = (uint32_t)q->ino;
	req.udr.udiag_show = UDIAG_SHOW_RQLEN;
	req.udr.udiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req.udr.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (sendto(q->nl, &req, sizeof(req), 0, (struct sockaddr *)&nladdr,
	    sizeof(nladdr)) == -1)
		goto done;
	if ((n = recv(q->nl, &resp, sizeof(resp), 0)) <= 0)
		goto done;
	for (h = &resp.nlh; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		struct unix_diag_msg   *m;
		struct rtattr	       *a;
		int			alen;

		/* A late answer to an earlier request: the socket is out
		 * of step, and is replaced below. */
		if (h->nlmsg_seq != q->seq)
			break;
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE)
			break;
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		m = NLMSG_DATA(h);
		alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
		for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen);
		    a = RTA_NEXT(a, alen)) {
			if (a->rta_type == UNIX_DIAG_RQLEN &&
			    RTA_PAYLOAD(a) >= sizeof(struct unix_diag_rqlen)) {
				struct unix_diag_rqlen	rq;

				memcpy(&rq, RTA_DATA(a), sizeof(rq));
				*queued = rq.udiag_rqueue;
				*backlog = rq.udiag_wqueue;
				q->backlog = rq.udiag_wqueue;
				q->quiet = 0;
				rc = VT_OK;
			}
		}
		break;
	}
done:
	/* After any failure the next read starts on a fresh socket, with
	 * nothing of this exchange left in it. */
	if (rc == VT_ERR)
		vt_qlen_close(q);
	return rc;
}

/*
 * A Unix listener's queue without asking the kernel, when poll says it is
 * empty (see qlen.h): 1 when answered, 0 when netlink must be asked (a
 * connection waits, the backlog is not known or due again, poll failed).
 */
static int
qlen_quiet(struct vt_qlen *q, int fd, uint32_t *queued, uint32_t *backlog)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };

	if (q->backlog == 0 || q->quiet >= VT_QLEN_REFRESH ||
	    poll(&pfd, 1, 0) != 0)
		return 0;
	q->quiet++;
	*queued = 0;
	*backlog = q->backlog;
	return 1;
}

static int
qlen_tcp(int fd, uint32_t *queued, uint32_t *backlog)
{
	struct tcp_info	ti;
	socklen_t	len = sizeof(ti);

	/* On a listening socket, unacked is the queue and sacked its size. */
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return VT_ERR;
	*queued = ti.tcpi_unacked;
	*backlog = ti.tcpi_sacked;
	return VT_OK;
}

int
vt_qlen_read(struct vt_qlen *q, int fd, uint32_t *queued, uint32_t *backlog)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);
	struct stat		st;
	int			rc;

	if (q->fd != fd) {
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
		    fstat(fd, &st) == -1)
			return VT_ERR;
		q->fd = fd;
		q->family = ss.ss_family;
		q->ino = (uint64_t)st.st_ino;
		q->backlog = 0;
	}
	if (q->family == AF_UNIX && qlen_quiet(q, fd, queued, backlog))
		return VT_OK;
	if (q->family == AF_UNIX)
		rc = qlen_unix(q, queued, backlog);
	else if (q->family == AF_INET || q->family == AF_INET6)
		rc = qlen_tcp(fd, queued, backlog);
	else {
		errno = EAFNOSUPPORT;
		rc = VT_ERR;
	}
	/* The fd may name another socket now: learn it again. */
	if (rc == VT_ERR)
		q->fd = -1;
	return rc;
}

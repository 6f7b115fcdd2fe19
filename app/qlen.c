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
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "qlen.h"
#include "vitals.h"

static int
qlen_unix(int fd, uint32_t *queued, uint32_t *backlog)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	udr;
	} req;
	struct sockaddr_nl	nladdr = { .nl_family = AF_NETLINK };
	struct timeval		tv = { .tv_sec = 0, .tv_usec = 200000 };
	union {
		struct nlmsghdr	nlh;
		char		buf[4096];
	} resp;
	struct stat		st;
	struct nlmsghdr	       *h;
	ssize_t			n;
	int			nl, rc = VT_ERR;

	if (fstat(fd, &st) == -1)
		return VT_ERR;
	if ((nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return VT_ERR;
	(void)setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.udr.sdiag_family = AF_UNIX;
	req.udr.udiag_states = ~0u;
	req.udr.udiag_ino = (uint32_t)st.st_ino;
	req.udr.udiag_show = UDIAG_SHOW_RQLEN;
	req.udr.udiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req.udr.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (sendto(nl, &req, sizeof(req), 0, (struct sockaddr *)&nladdr,
	    sizeof(nladdr)) == -1)
		goto done;
	if ((n = recv(nl, &resp, sizeof(resp), 0)) <= 0)
		goto done;
	for (h = &resp.nlh; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		struct unix_diag_msg   *m;
		struct rtattr	       *a;
		int			alen;

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
				rc = VT_OK;
			}
		}
		break;
	}
done:
	close(nl);
	return rc;
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
vt_qlen_read(int fd, uint32_t *queued, uint32_t *backlog)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return VT_ERR;
	if (ss.ss_family == AF_UNIX)
		return qlen_unix(fd, queued, backlog);
	if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
		return qlen_tcp(fd, queued, backlog);
	errno = EAFNOSUPPORT;
	return VT_ERR;
}

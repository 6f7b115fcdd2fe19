/*
 * qlen-t.c: the listen-queue gauge (app/qlen.c) against real sockets: a
 * Unix listener (through sock_diag) and a TCP one (TCP_INFO) with
 * connections waiting unaccepted, read again and again as the master's
 * 10 Hz gauge does; and what a read does when the fd it knew names
 * another socket.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../tap.h"
#include "qlen.h"
#include "vitals.h"

#define BACKLOG	8
#define WAITING	3

/* A Unix listener at path (removed first), backlog BACKLOG, or -1. */
static int
unix_listener(const char *path)
{
	struct sockaddr_un	sa;
	int			fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, BACKLOG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* n clients of the Unix listener at path, left unaccepted, into fds. */
static int
unix_clients(const char *path, int *fds, int n)
{
	struct sockaddr_un	sa;
	int			i;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (i = 0; i < n; i++) {
		if ((fds[i] = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)) == -1)
			return -1;
	}
	return 0;
}

int
main(void)
{
	struct vt_qlen		q;
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	char			dir[VT_PATH_LEN], a[108], b[108];
	uint32_t		queued = 99, backlog = 99;
	int			l1, l2, lt, c[WAITING], ct[WAITING], i, fails;

	if (tap_tmpdir("qlen-t", dir, sizeof(dir)) == -1)
		bail("temporary directory: %s", strerror(errno));
	if (strlen(dir) + sizeof("/a.sock") > sizeof(a))
		bail("TMPDIR too long for a Unix socket path: %s", dir);
	snprintf(a, sizeof(a), "%s/a.sock", dir);
	snprintf(b, sizeof(b), "%s/b.sock", dir);
	vt_qlen_init(&q);

	if ((l1 = unix_listener(a)) == -1 || unix_clients(a, c, WAITING) == -1)
		bail("unix listener: %s", strerror(errno));
	is_int(vt_qlen_read(&q, l1, &queued, &backlog), 0, "unix: reads");
	is_int(queued, WAITING, "unix: %d connections waiting", WAITING);
	is_int(backlog, BACKLOG, "unix: backlog %d", BACKLOG);
	for (i = 0, fails = 0; i < 50; i++)
		if (vt_qlen_read(&q, l1, &queued, &backlog) != 0 ||
		    queued != WAITING)
			fails++;
	is_int(fails, 0, "unix: 50 reads more, each the same");
	is_int((long long)q.opens, 1, "one netlink socket for every read");
	close(c[0]);
	/* The closed client's connection stays queued until accepted. */
	(void)vt_qlen_read(&q, l1, &queued, &backlog);
	ok(queued <= WAITING, "unix: a client gone, %u queued", queued);

	/* Another socket behind the same fd: learnt again. */
	if ((l2 = unix_listener(b)) == -1 || dup2(l2, l1) == -1)
		bail("second listener: %s", strerror(errno));
	close(l2);
	fails = 0;
	for (i = 0; i < 2; i++)
		if (vt_qlen_read(&q, l1, &queued, &backlog) != 0)
			fails++;
	ok(fails <= 1, "the fd names another socket: at most one read fails "
	    "(%d)", fails);
	is_int(vt_qlen_read(&q, l1, &queued, &backlog), 0, "... then it reads");
	is_int(queued, 0, "... the new socket's queue: 0");

	/* A quiet queue: poll answers, netlink is asked once in a while. */
	{
		uint64_t	asks = q.asks;
		int		c2;

		for (i = 0, fails = 0; i < 50; i++)
			if (vt_qlen_read(&q, l1, &queued, &backlog) != 0 ||
			    queued != 0 || backlog != BACKLOG)
				fails++;
		is_int(fails, 0, "unix, empty: 50 reads, each 0 of %d",
		    BACKLOG);
		ok(q.asks - asks <= 1, "... asking the kernel at most once "
		    "(%llu)", (unsigned long long)(q.asks - asks));
		for (i = 0; i < VT_QLEN_REFRESH; i++)
			(void)vt_qlen_read(&q, l1, &queued, &backlog);
		ok(q.asks - asks >= 1, "... and again after %d quiet reads",
		    VT_QLEN_REFRESH);
		if (unix_clients(b, &c2, 1) == -1)
			bail("client of b: %s", strerror(errno));
		is_int(vt_qlen_read(&q, l1, &queued, &backlog), 0,
		    "unix: a connection comes");
		is_int(queued, 1, "... the next read counts it");
		close(c2);
	}

	/* TCP on loopback: TCP_INFO. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lt = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(lt, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lt, BACKLOG) == -1 ||
	    getsockname(lt, (struct sockaddr *)&sin, &len) == -1)
		bail("tcp listener: %s", strerror(errno));
	for (i = 0; i < WAITING; i++)
		if ((ct[i] = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(ct[i], (struct sockaddr *)&sin, sizeof(sin)) == -1)
			bail("tcp client: %s", strerror(errno));
	is_int(vt_qlen_read(&q, lt, &queued, &backlog), 0, "tcp: reads");
	is_int(queued, WAITING, "tcp: %d connections waiting", WAITING);
	is_int(backlog, BACKLOG, "tcp: backlog %d", BACKLOG);
	is_int(vt_qlen_read(&q, lt, &queued, &backlog), 0, "tcp: again");

	for (i = 1; i < WAITING; i++)
		close(c[i]);
	for (i = 0; i < WAITING; i++)
		close(ct[i]);
	close(l1);
	close(lt);
	is_int(vt_qlen_read(&q, l1, &queued, &backlog), -1,
	    "a closed fd: -1");
	vt_qlen_close(&q);
	(void)unlink(a);
	(void)unlink(b);
	(void)rmdir(dir);
	done_testing();
	return tap_exit_status();
}

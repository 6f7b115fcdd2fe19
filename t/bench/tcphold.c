/*
 * tcphold: open N TCP connections on loopback and hold them in known
 * states, for the scale bench (t/bench/scale) and t/integration/scale-tcp.t.
 *
 * usage: tcphold CONNECTIONS CLOSE_WAIT_PERCENT SECONDS [ADDR]
 *
 * It listens on as many loopback ports as the connections need (at most
 * VT_HOLD_PER_PORT each, so the ephemeral port range is never exhausted),
 * then connects and accepts one connection at a time: blocking calls on
 * loopback, no epoll.  Of every hundred connections, CLOSE_WAIT_PERCENT
 * have their accepting side shut down for writing (shutdown(SHUT_WR), not
 * close), so the connecting side sits in CLOSE_WAIT and the accepting side
 * in FIN_WAIT2 for as long as they are held.
 *
 * A process holds at most VT_HOLD_PER_CHILD connections (two descriptors
 * each, under RLIMIT_NOFILE's hard limit); more are spread over children,
 * each forked with its share.  When every connection is held it prints
 * one line on stdout, "ready CONNECTIONS ESTABLISHED CLOSE_WAIT
 * LISTENERS BACKLOG_TOTAL" (the sockets it made, in kernel terms: 2 *
 * ESTABLISHED + CLOSE_WAIT + FIN_WAIT2 + LISTENERS), then holds until
 * SIGTERM, SIGINT or SECONDS have passed, and exits; its children die with
 * it (PR_SET_PDEATHSIG) and are reaped.  Nothing waits unbounded: every
 * connect and accept has a 5 s timeout (SO_SNDTIMEO / SO_RCVTIMEO), and
 * the whole run is bounded by SECONDS through alarm(2).
 *
 * Exit status: 0 after a full hold, 1 when a connection could not be made
 * (the reason on stderr), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define VT_HOLD_PER_PORT	20000
#define VT_HOLD_MAX_PORTS	16
#define VT_HOLD_MAX_CHILDREN	64
#define VT_HOLD_BACKLOG		1024
#define VT_HOLD_TIMEOUT_S	5

static volatile sig_atomic_t	hold_stop;

static void	hold_on_signal(int sig);
static int	hold_timeouts(int fd);
static int	hold_listen(const char *addr, struct sockaddr_in *sin);
static int	hold_run(const struct sockaddr_in *ports, int nports, long from,
		    long count, int percent);

static void
hold_on_signal(int sig)
{
	(void)sig;
	hold_stop = 1;
}

static int
hold_timeouts(int fd)
{
	struct timeval	tv = { .tv_sec = VT_HOLD_TIMEOUT_S };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1)
		return -1;
	return 0;
}

/* A listening socket on ADDR, port chosen by the kernel, into *sin. */
static int
hold_listen(const char *addr, struct sockaddr_in *sin)
{
	socklen_t	len = sizeof(*sin);
	int		fd;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1) {
		fprintf(stderr, "tcphold: bad address %s\n", addr);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    hold_timeouts(fd) == -1 ||
	    bind(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    listen(fd, VT_HOLD_BACKLOG) == -1 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) == -1) {
		perror("tcphold: listen");
		return -1;
	}
	return fd;
}

/*
 * Connections from..from+count-1 (their number picks the port, and
 * whether the connection goes to CLOSE_WAIT), through the listening
 * sockets lfd[] (inherited).  Returns 0 when all are held, -1 otherwise.
 */
static int	hold_lfd[VT_HOLD_MAX_PORTS];

static int
hold_run(const struct sockaddr_in *ports, int nports, long from, long count,
    int percent)
{
	long	i, n;
	int	c, s, p;

	for (i = 0; i < count && !hold_stop; i++) {
		n = from + i;
		p = (int)(n / VT_HOLD_PER_PORT);
		if (p >= nports)
			p = nports - 1;
		if ((c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
		    hold_timeouts(c) == -1 ||
		    connect(c, (const struct sockaddr *)&ports[p],
		    sizeof(ports[p])) == -1) {
			fprintf(stderr, "tcphold: connection %ld: connect: "
			    "%s\n", n, strerror(errno));
			return -1;
		}
		while ((s = accept4(hold_lfd[p], NULL, NULL, SOCK_CLOEXEC))
		    == -1 && errno == EINTR && !hold_stop)
			continue;
		if (s == -1) {
			fprintf(stderr, "tcphold: connection %ld: accept: "
			    "%s\n", n, strerror(errno));
			return -1;
		}
		/* Spread evenly: connection n is in CLOSE_WAIT when the
		 * running share crosses a whole number. */
		if ((n + 1) * percent / 100 != n * percent / 100 &&
		    shutdown(s, SHUT_WR) == -1) {
			perror("tcphold: shutdown");
			return -1;
		}
	}
	return hold_stop ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	ports[VT_HOLD_MAX_PORTS];
	struct sigaction	sa;
	struct rlimit		rl;
	pid_t			kids[VT_HOLD_MAX_CHILDREN];
	const char	       *addr = "127.0.0.1";
	long			conns, per_child, from, cw;
	int			percent, seconds, nports, nkids = 0, i, st;
	int			ready[2], rc = 0;
	char			c;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: tcphold CONNECTIONS CLOSE_WAIT_PERCENT "
		    "SECONDS [ADDR]\n");
		return 2;
	}
	conns = atol(argv[1]);
	percent = atoi(argv[2]);
	seconds = atoi(argv[3]);
	if (argc == 5)
		addr = argv[4];
	if (conns < 0 || percent < 0 || percent > 100 || seconds <= 0 ||
	    (conns + VT_HOLD_PER_PORT - 1) / VT_HOLD_PER_PORT >
	    VT_HOLD_MAX_PORTS) {
		fprintf(stderr, "tcphold: bad arguments\n");
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hold_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);

	/* Two descriptors a connection, and room for the listeners. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	per_child = ((long)rl.rlim_cur - 64) / 2;
	if (per_child > 9000)
		per_child = 9000;
	if (per_child < 1 || (conns + per_child - 1) / per_child >
	    VT_HOLD_MAX_CHILDREN) {
		fprintf(stderr, "tcphold: %ld connections do not fit in %d "
		    "processes of %ld\n", conns, VT_HOLD_MAX_CHILDREN,
		    per_child);
		return 2;
	}

	nports = (int)((conns + VT_HOLD_PER_PORT - 1) / VT_HOLD_PER_PORT);
	if (nports == 0)
		nports = 1;
	for (i = 0; i < nports; i++)
		if ((hold_lfd[i] = hold_listen(addr, &ports[i])) == -1)
			return 1;
	if (pipe2(ready, O_CLOEXEC) == -1) {
		perror("tcphold: pipe");
		return 1;
	}

	for (from = 0; from < conns; from += per_child) {
		long	n = conns - from < per_child ? conns - from : per_child;
		pid_t	pid = fork();

		if (pid == -1) {
			perror("tcphold: fork");
			rc = 1;
			break;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(1);
			close(ready[0]);
			if (hold_run(ports, nports, from, n, percent) == -1)
				_exit(1);
			c = 'r';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			while (!hold_stop)
				pause();
			_exit(0);
		}
		kids[nkids++] = pid;
	}
	close(ready[1]);

	/* One byte from each child that holds its share; EOF early means
	 * one failed (or the alarm came first). */
	for (i = 0; rc == 0 && i < nkids; i++) {
		ssize_t	r;

		while ((r = read(ready[0], &c, 1)) == -1 && errno == EINTR &&
		    !hold_stop)
			continue;
		if (r != 1)
			rc = 1;
	}
	if (rc == 0) {
		cw = 0;
		for (from = 0; from < conns; from++)
			if ((from + 1) * percent / 100 != from * percent / 100)
				cw++;
		printf("ready %ld %ld %ld %d %d\n", conns, conns - cw, cw,
		    nports, nports * VT_HOLD_BACKLOG);
		fflush(stdout);
		while (!hold_stop)
			pause();
	}
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGTERM);
	for (i = 0; i < nkids; i++)
		while (waitpid(kids[i], &st, 0) == -1 && errno == EINTR)
			continue;
	return rc;
}

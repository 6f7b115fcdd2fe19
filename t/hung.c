/*
 * hung.c: a peer that never answers, and children that die with the test
 * (see hung.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hung.h"
#include "tap.h"

int
hung_listener(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		bail("socket path too long: %s", path);
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 64) == -1)
		bail("listener %s: %s", path, strerror(errno));
	return fd;
}

pid_t
hung_server(const char *path, int *acceptfd)
{
	int	lfd = hung_listener(path), p[2], fds[64], n = 0, fd;
	pid_t	pid;

	if (pipe(p) == -1)
		bail("pipe: %s", strerror(errno));
	if ((pid = hung_spawn()) == 0) {
		close(p[0]);
		for (;;) {
			if ((fd = accept(lfd, NULL, NULL)) == -1) {
				if (errno == EINTR)
					continue;
				_exit(1);
			}
			if (n < (int)(sizeof(fds) / sizeof(fds[0])))
				fds[n++] = fd;
			else
				close(fd);
			if (write(p[1], "a", 1) != 1)
				_exit(1);
		}
	}
	close(lfd);
	close(p[1]);
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1)
		bail("fcntl: %s", strerror(errno));
	*acceptfd = p[0];
	return pid;
}

int
hung_accepts(int acceptfd, int *count, int settle_ms)
{
	char	buf[64];
	ssize_t	r;

	usleep((useconds_t)settle_ms * 1000);
	while ((r = read(acceptfd, buf, sizeof(buf))) > 0)
		*count += (int)r;
	return *count;
}

pid_t
hung_spawn(void)
{
	pid_t	pid;

	if ((pid = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (pid == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return pid;
}

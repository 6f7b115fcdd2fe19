/*
 * listen.c: find or make the listening socket (see listen.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"

#define LISTEN_SD_FD	3

static int
listen_is_listening(int fd)
{
	int		val = 0;
	socklen_t	len = sizeof(val);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &val, &len) == 0 &&
	    val != 0;
}

static int
listen_finish(struct vt_listener *l, int fd, char *err, size_t errlen)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);
	int			fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		snprintf(err, errlen, "listening socket: %s", strerror(errno));
		return VT_ERR;
	}
	l->fd = fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    ss.ss_family == AF_UNIX) {
		struct sockaddr_un     *sun = (struct sockaddr_un *)&ss;
		char			path[sizeof(sun->sun_path) + 1];
		size_t			n = 0;

		if (len > offsetof(struct sockaddr_un, sun_path))
			n = len - offsetof(struct sockaddr_un, sun_path);
		if (n > sizeof(sun->sun_path))
			n = sizeof(sun->sun_path);
		memcpy(path, sun->sun_path, n);
		path[n] = '\0';
		l->is_unix = 1;
		snprintf(l->desc, sizeof(l->desc), "unix:%s", path);
	} else {
		char	host[INET6_ADDRSTRLEN + 8], serv[NI_MAXSERV];

		if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
		    serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) == 0)
			snprintf(l->desc, sizeof(l->desc), "%s%s%s:%s",
			    ss.ss_family == AF_INET6 ? "[" : "", host,
			    ss.ss_family == AF_INET6 ? "]" : "", serv);
		else
			snprintf(l->desc, sizeof(l->desc), "fd:%d", fd);
	}
	return VT_OK;
}

static int
listen_systemd(struct vt_listener *l, char *err, size_t errlen)
{
	const char     *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int		fd;

	if (pid == NULL || fds == NULL || atol(pid) != (long)getpid())
		return 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (atoi(fds) != 1) {
		snprintf(err, errlen, "socket activation passed %s sockets; "
		    "Vitals takes exactly one", fds);
		return -1;
	}
	if (!listen_is_listening(LISTEN_SD_FD)) {
		snprintf(err, errlen, "socket activation: fd 3 is not a "
		    "listening socket");
		return -1;
	}
	/* Move it off fd 3 so nothing later mistakes it for something else. */
	if ((fd = fcntl(LISTEN_SD_FD, F_DUPFD_CLOEXEC, 10)) == -1) {
		snprintf(err, errlen, "dup socket: %s", strerror(errno));
		return -1;
	}
	close(LISTEN_SD_FD);
	l->source = VT_LISTEN_SYSTEMD;
	return listen_finish(l, fd, err, errlen) == VT_OK ? 1 : -1;
}

static int
listen_stdin(struct vt_listener *l, char *err, size_t errlen)
{
	int	fd, null;

	if (!listen_is_listening(STDIN_FILENO))
		return 0;
	if ((fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10)) == -1) {
		snprintf(err, errlen, "dup socket: %s", strerror(errno));
		return -1;
	}
	/* Keep fd 0 open, on /dev/null, so no later open() lands there. */
	if ((null = open("/dev/null", O_RDONLY)) != -1) {
		dup2(null, STDIN_FILENO);
		if (null != STDIN_FILENO)
			close(null);
	}
	l->source = VT_LISTEN_STDIN;
	return listen_finish(l, fd, err, errlen) == VT_OK ? 1 : -1;
}

/*
 * A stale socket file (left by a crash) is replaced; a live one (something
 * accepts connections on it) is not: two pools on one path is a mistake.
 */
static int
listen_unix_path_free(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un	sun;
	struct stat		st;
	int			fd, rc;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? VT_OK : VT_ERR;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return VT_ERR;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return VT_ERR;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0 || errno == EAGAIN) {
		snprintf(err, errlen, "%s is in use by a running server", path);
		return VT_ERR;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "unlink %s: %s", path, strerror(errno));
		return VT_ERR;
	}
	return VT_OK;
}

static int
listen_unix(const struct vt_conf *c, struct vt_listener *l, char *err,
    size_t errlen)
{
	struct sockaddr_un	sun;
	int			fd;
	mode_t			old;

	if (strlen(c->listen) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path longer than %zu bytes",
		    sizeof(sun.sun_path) - 1);
		return VT_ERR;
	}
	if (listen_unix_path_free(c->listen, err, errlen) == VT_ERR)
		return VT_ERR;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, c->listen, strlen(c->listen));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return VT_ERR;
	}
	/* Create it with the final mode: no window with wider access. */
	old = umask(0777 & ~(mode_t)c->socket_mode);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		snprintf(err, errlen, "bind %s: %s", c->listen, strerror(errno));
		close(fd);
		return VT_ERR;
	}
	umask(old);
	if (chmod(c->listen, (mode_t)c->socket_mode) == -1 ||
	    listen(fd, c->backlog) == -1) {
		snprintf(err, errlen, "listen %s: %s", c->listen,
		    strerror(errno));
		close(fd);
		unlink(c->listen);
		return VT_ERR;
	}
	snprintf(l->path, sizeof(l->path), "%s", c->listen);
	l->source = VT_LISTEN_CREATED;
	return listen_finish(l, fd, err, errlen);
}

static int
listen_tcp(const struct vt_conf *c, struct vt_listener *l, char *err,
    size_t errlen)
{
	struct addrinfo	hints, *res = NULL;
	char		host[VT_PATH_LEN], *colon, *h = host;
	int		fd, on = 1, rc;

	snprintf(host, sizeof(host), "%s", c->listen);
	if ((colon = strrchr(host, ':')) == NULL) {
		snprintf(err, errlen, "--listen %s: expected PATH or HOST:PORT",
		    c->listen);
		return VT_ERR;
	}
	*colon = '\0';
	if (*h == '[' && colon > h && colon[-1] == ']') {
		h++;
		colon[-1] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &res)) != 0) {
		snprintf(err, errlen, "--listen %s: %s", c->listen,
		    gai_strerror(rc));
		return VT_ERR;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
	    res->ai_protocol);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(fd, c->backlog) == -1) {
		snprintf(err, errlen, "listen %s: %s", c->listen,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		freeaddrinfo(res);
		return VT_ERR;
	}
	freeaddrinfo(res);
	l->source = VT_LISTEN_CREATED;
	return listen_finish(l, fd, err, errlen);
}

int
vt_listen_acquire(const struct vt_conf *c, struct vt_listener *l, char *err,
    size_t errlen)
{
	int	r;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	if ((r = listen_systemd(l, err, errlen)) != 0 ||
	    (r = listen_stdin(l, err, errlen)) != 0) {
		if (r < 0)
			return VT_ERR;
		/* An explicit --backlog resizes an inherited queue too. */
		if (c->backlog_set && listen(l->fd, c->backlog) == -1)
			vt_log_sys(VT_LOG_WARN, "backlog_resize_failed",
			    "backlog=%d", c->backlog);
		return VT_OK;
	}
	if (c->listen[0] == '\0') {
		snprintf(err, errlen, "no listening socket: run under systemd "
		    "socket activation or spawn-fcgi, or pass --listen "
		    "PATH|HOST:PORT");
		return VT_ERR;
	}
	if (strchr(c->listen, '/') != NULL)
		return listen_unix(c, l, err, errlen);
	return listen_tcp(c, l, err, errlen);
}

void
vt_listen_unlink(struct vt_listener *l)
{
	if (l->source == VT_LISTEN_CREATED && l->path[0] != '\0') {
		unlink(l->path);
		l->path[0] = '\0';
	}
}

const char *
vt_listen_source_name(enum vt_listen_source s)
{
	switch (s) {
	case VT_LISTEN_SYSTEMD:
		return "systemd";
	case VT_LISTEN_STDIN:
		return "stdin";
	case VT_LISTEN_CREATED:
		return "listen";
	}
	return "unknown";
}

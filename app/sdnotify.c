/*
 * sdnotify.c: the sd_notify datagram (see sdnotify.h).
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sdnotify.h"
#include "vitals.h"

int
vt_sd_notify(const char *state)
{
	const char	       *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un	sun;
	socklen_t		len;
	size_t			n;
	int			fd, rc;

	if (path == NULL || *path == '\0')
		return VT_OK;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path))
		return VT_ERR;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return VT_ERR;
	rc = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) < 0 ? VT_ERR : VT_OK;
	close(fd);
	return rc;
}

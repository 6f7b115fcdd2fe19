/*
 * expo.c: helpers for the tests of the Prometheus exposition (see expo.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expo.h"
#include "tap.h"

/* See expo.h. */
int
expo_has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* See expo.h. */
int
expo_promtool(const char *text, size_t len, int strict, char *why, size_t wlen)
{
	static const char	 camel[] =
	    " metric names should be written in 'snake_case' not 'camelCase'";
	char			 in[] = "/tmp/expo.XXXXXX", cmd[256];
	char			 line[1024];
	FILE			*p;
	int			 fd, st, good = 1;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		return -1;
	if ((fd = mkstemp(in)) == -1)
		bail("mkstemp: %s", strerror(errno));
	if (write(fd, text, len) != (ssize_t)len)
		bail("write: %s", strerror(errno));
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", in);
	if ((p = popen(cmd, "r")) == NULL)
		bail("popen: %s", strerror(errno));
	while (fgets(line, sizeof(line), p) != NULL) {
		size_t	l = strlen(line);
		char	*sp;

		if (l > 0 && line[l - 1] == '\n')
			line[--l] = '\0';
		sp = strchr(line, ' ');
		if (!strict && sp != NULL && strcmp(sp, camel) == 0 &&
		    (strncmp(line, "node_memory_", 12) == 0 ||
		    strncmp(line, "node_netstat_", 13) == 0))
			continue;
		if (good)
			snprintf(why, wlen, "promtool: %.400s", line);
		good = 0;
	}
	st = pclose(p);
	unlink(in);
	/* 0: clean; 3: lint findings only (checked above). */
	if (good && !(WIFEXITED(st) && (WEXITSTATUS(st) == 0 ||
	    (!strict && WEXITSTATUS(st) == 3)))) {
		snprintf(why, wlen, "promtool exited with status %d", st);
		good = 0;
	}
	return good;
}

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
#include "vitals.h"

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
	/* node_exporter's own names that promtool lints, and its finding. */
	static const struct {
		const char	*prefix;
		const char	*finding;
	} allowed[] = {
		{ "node_memory_", " metric names should be written in "
		    "'snake_case' not 'camelCase'" },
		{ "node_netstat_", " metric names should be written in "
		    "'snake_case' not 'camelCase'" },
		{ "node_entropy_", " use base unit \"bytes\" instead of "
		    "\"bits\"" },
	};
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
		size_t	l = strlen(line), i;
		char	*sp;

		if (l > 0 && line[l - 1] == '\n')
			line[--l] = '\0';
		sp = strchr(line, ' ');
		for (i = 0; !strict && sp != NULL && i < VT_ARRAY_LEN(allowed);
		    i++)
			if (strcmp(sp, allowed[i].finding) == 0 &&
			    strncmp(line, allowed[i].prefix,
			    strlen(allowed[i].prefix)) == 0)
				break;
		if (!strict && sp != NULL && i < VT_ARRAY_LEN(allowed))
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

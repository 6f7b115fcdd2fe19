/*
 * conf-t.c: the configuration parser: a good file, each kind of bad line,
 * flags over the file, and the messages naming file, line and key.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

static int
parse(struct vt_conf *c, const char *text, char *err, size_t errlen)
{
	vt_conf_defaults(c);
	err[0] = '\0';
	return vt_conf_parse(c, "t.conf", text, strlen(text), err, errlen);
}

int
main(void)
{
	struct vt_conf		c;
	enum vt_cli_action	act;
	char			err[VT_ERRLEN], path[] = "/tmp/vt-conf-XXXXXX";
	int			code, fd;

	vt_conf_defaults(&c);
	is_int(c.socket_mode, 0660, "default socket mode is 0660");
	is_int(c.backlog, 4096, "default backlog is 4096");
	is_int(c.health_timeout, 500, "default health timeout is 500 ms");
	is_str(c.proc_root, "/", "default proc root is /");

	is_int(parse(&c, "# a comment\n\n; another\n"
	    "listen = /run/vitals.sock\r\n"
	    "workers=4\n"
	    "  max_requests   =   500  \n"
	    "request_timeout = 2.5\n"
	    "socket_mode = 0600\n"
	    "log_level = debug\n"
	    "db_config = \"/etc/vitals/my.cnf\"\n", err, sizeof(err)),
	    0, "a good file parses");
	is_str(c.listen, "/run/vitals.sock", "listen (CRLF line ending)");
	is_int(c.workers, 4, "workers");
	is_int(c.max_requests, 500, "max_requests with spaces around");
	ok(c.request_timeout > 2.49 && c.request_timeout < 2.51,
	    "request_timeout takes a fraction");
	is_int(c.socket_mode, 0600, "socket_mode is octal");
	is_int(c.log_level, VT_LOG_DEBUG, "log_level");
	is_str(c.db_config, "/etc/vitals/my.cnf", "quotes are stripped");

	is_int(parse(&c, "workers = 2\nbogus = 1\n", err, sizeof(err)), -1,
	    "unknown key fails");
	is_str(err, "t.conf:2: unknown key 'bogus'", "message: file:line: key");
	is_int(parse(&c, "workers 2\n", err, sizeof(err)), -1,
	    "missing = fails");
	is_str(err, "t.conf:1: expected 'key = value'", "message for no '='");
	is_int(parse(&c, " = 3\n", err, sizeof(err)), -1, "missing key fails");
	ok(strstr(err, "t.conf:1:") != NULL, "missing key names the line");
	is_int(parse(&c, "\nworkers = many\n", err, sizeof(err)), -1,
	    "non-number fails");
	ok(strstr(err, "t.conf:2: key 'workers': bad value 'many'") != NULL,
	    "bad value names line, key and value: %s", err);
	is_int(parse(&c, "workers = 0\n", err, sizeof(err)), -1,
	    "below the minimum fails");
	is_int(parse(&c, "workers = 100000\n", err, sizeof(err)), -1,
	    "above the maximum fails");
	is_int(parse(&c, "workers = 2.5\n", err, sizeof(err)), -1,
	    "a fraction for a whole number fails");
	is_int(parse(&c, "socket_mode = 0999\n", err, sizeof(err)), -1,
	    "a non-octal mode fails");
	is_int(parse(&c, "log_level = loud\n", err, sizeof(err)), -1,
	    "unknown log level fails");
	is_int(parse(&c, "request_timeout = nan\n", err, sizeof(err)), -1,
	    "NaN is not a number here");
	is_int(c.metric_names, 0, "metric_names: node_exporter by default");
	is_int(parse(&c, "metric_names = snake_case\n", err, sizeof(err)), 0,
	    "metric_names = snake_case parses");
	is_int(c.metric_names, 1, "metric_names: snake_case is 1");
	is_int(parse(&c, "metric_names = Snake\n", err, sizeof(err)), -1,
	    "an unknown metric_names fails");
	is_str(err, "t.conf:1: key 'metric_names': bad value 'Snake' (expects "
	    "one of node_exporter, snake_case)", "and lists the choices");
	{
		char	big[2048];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "listen = ", 9);
		is_int(parse(&c, big, err, sizeof(err)), -1,
		    "an over-long line fails");
		ok(strstr(err, "longer than") != NULL, "and says so");
	}
	{
		char	longval[400];

		memset(longval, 'x', sizeof(longval));
		memcpy(longval, "listen = /", 10);
		longval[sizeof(longval) - 1] = '\0';
		is_int(parse(&c, longval, err, sizeof(err)), -1,
		    "a value longer than its field fails");
	}
	is_int(vt_conf_parse(&c, "t.conf", "workers = 3\0x\n", 14, err,
	    sizeof(err)), -1, "a NUL byte fails");

	/* Flags over the file; --config loaded first whatever its place. */
	if ((fd = mkstemp(path)) == -1)
		bail("mkstemp");
	if (write(fd, "workers = 3\nbacklog = 77\n", 25) != 25)
		bail("write");
	close(fd);
	{
		char   *argv[] = { "vitals", "--workers", "5", "--config", path,
		    "--max-requests=9", NULL };

		vt_conf_defaults(&c);
		is_int(vt_conf_args(&c, 6, argv, &act, &code, err, sizeof(err)),
		    0, "args with --config parse");
		is_int(c.workers, 5, "a flag wins over the file");
		is_int(c.backlog, 77, "the file's value stays where no flag");
		is_int(c.backlog_set, 1, "backlog marked as set");
		is_int(c.max_requests, 9, "--key=value form");
		is_int(act, VT_CLI_RUN, "action: run");
	}
	{
		char   *argv[] = { "vitals", "--no-such", "1", NULL };

		vt_conf_defaults(&c);
		is_int(vt_conf_args(&c, 3, argv, &act, &code, err, sizeof(err)),
		    -1, "unknown flag fails");
		is_int(code, VT_EX_USAGE, "with EX_USAGE");
	}
	{
		char   *argv[] = { "vitals", "--workers", "zero", NULL };

		vt_conf_defaults(&c);
		is_int(vt_conf_args(&c, 3, argv, &act, &code, err, sizeof(err)),
		    -1, "bad flag value fails");
		is_int(code, VT_EX_CONFIG, "with EX_CONFIG");
	}
	unlink(path);
	strcpy(path, "/tmp/vt-conf-XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		bail("mkstemp");
	if (write(fd, "workers = 2\nlisten_on = x\n", 26) != 26)
		bail("write");
	close(fd);
	{
		char   *argv[] = { "vitals", "--config", path, NULL };
		char	want[300];

		vt_conf_defaults(&c);
		is_int(vt_conf_args(&c, 3, argv, &act, &code, err, sizeof(err)),
		    -1, "a bad file fails");
		is_int(code, VT_EX_CONFIG, "with EX_CONFIG (78)");
		snprintf(want, sizeof(want), "%s:2: unknown key 'listen_on'",
		    path);
		is_str(err, want, "naming the file, line and key");
	}
	unlink(path);
	{
		char   *argv[] = { "vitals", "--config", "/nonexistent/v.conf",
		    NULL };

		is_int(vt_conf_args(&c, 3, argv, &act, &code, err, sizeof(err)),
		    -1, "a missing file fails");
		ok(strstr(err, "/nonexistent/v.conf") != NULL,
		    "naming the file");
	}
	{
		char   *argv[] = { "vitals", "--help", NULL };

		is_int(vt_conf_args(&c, 2, argv, &act, &code, err, sizeof(err)),
		    0, "--help parses");
		is_int(act, VT_CLI_HELP, "action: help");
	}
	done_testing();
	return tap_exit_status();
}

/*
 * conf.c: settings from a file and from argv, through one table
 * ({key, type, offset, bounds, help}), as nginx's command tables do.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

enum conf_type {
	CONF_STR,
	CONF_INT,
	CONF_DBL,
	CONF_MODE,
	CONF_LEVEL,
	CONF_CHOICE		/* one of the words in choices: its index */
};

struct conf_key {
	const char     *key;
	enum conf_type	type;
	size_t		off;
	size_t		size;		/* CONF_STR: the field's size */
	double		min, max;
	const char     *arg;
	const char     *help;
	const char *const *choices;	/* CONF_CHOICE: NULL-terminated */
};

/* metric_names: in the order of enum vt_prom_names (render/prom.h). */
static const char *const conf_metric_names[] = {
	"node_exporter", "snake_case", NULL
};

#define F(field)	offsetof(struct vt_conf, field)
#define S(field)	sizeof(((struct vt_conf *)0)->field)
/* A check's threshold, a member of struct vt_checks_conf. */
#define CK(key, field, lo, hi, arg, help)				\
	{ key, CONF_DBL, F(checks.field), 0, lo, hi, arg, help, NULL }

static const struct conf_key conf_keys[] = {
	{ "listen", CONF_STR, F(listen), S(listen), 0, 0, "PATH|HOST:PORT",
	  "listen here when no socket is inherited (systemd, spawn-fcgi)", NULL },
	{ "socket_mode", CONF_MODE, F(socket_mode), 0, 0, 07777, "MODE",
	  "permissions of a --listen PATH socket (octal; default 0660)", NULL },
	{ "backlog", CONF_INT, F(backlog), 0, 1, 65535, "N",
	  "listen backlog (default 4096; capped by net.core.somaxconn)", NULL },
	{ "workers", CONF_INT, F(workers), 0, 1, VT_MAX_WORKERS, "N",
	  "worker processes (default: one per CPU, at least 2)", NULL },
	{ "max_requests", CONF_INT, F(max_requests), 0, 0, 1e9, "N",
	  "recycle a worker after about N requests (0: never; default 0)", NULL },
	{ "request_timeout", CONF_DBL, F(request_timeout), 0, 0, 86400, "S",
	  "kill a worker whose request runs longer (0: never; default 10)", NULL },
	{ "shutdown_timeout", CONF_DBL, F(shutdown_timeout), 0, 0, 3600, "S",
	  "how long a graceful stop waits for requests (default 10)", NULL },
	{ "read_timeout", CONF_DBL, F(read_timeout), 0, 0.01, 3600, "S",
	  "total time a FastCGI connection has to send its whole request, "
	  "and deadline of each write (default 2)", NULL },
	{ "slow_threshold", CONF_DBL, F(slow_threshold), 0, 0.001, 3600, "S",
	  "count a request as slow past this (default 1)", NULL },
	{ "pid_file", CONF_STR, F(pid_file), S(pid_file), 0, 0, "FILE",
	  "the master writes its pid here (and the new master after USR2)", NULL },
	{ "log_level", CONF_LEVEL, F(log_level), 0, 0, 0, "LEVEL",
	  "error, warn, info or debug (default info)", NULL },
	{ "proc_root", CONF_STR, F(proc_root), S(proc_root), 0, 0, "DIR",
	  "read DIR/proc instead of /proc (default /)", NULL },
	{ "sample_interval", CONF_DBL, F(sample_interval), 0, 0.1, 60, "S",
	  "seconds between samples of the host (default 1)", NULL },
	{ "db_config", CONF_STR, F(db_config), S(db_config), 0, 0, "FILE",
	  "MariaDB option file with the connection settings", NULL },
	{ "db_group", CONF_STR, F(db_group), S(db_group), 0, 0, "NAME",
	  "group of the option file to read (default vitals)", NULL },
	{ "health_timeout", CONF_INT, F(health_timeout), 0, 10, 60000, "MS",
	  "deadline of the /health database probe (default 500)", NULL },
	{ "health_cache", CONF_INT, F(health_cache), 0, 0, 600000, "MS",
	  "how long a /health result is reused (default 1000)", NULL },
	{ "sql_dir", CONF_STR, F(sql_dir), S(sql_dir), 0, 0, "DIR",
	  "where --migrate finds the migrations", NULL },
	{ "metric_names", CONF_CHOICE, F(metric_names), 0, 0, 0, "STYLE",
	  "/metrics names: node_exporter (its mixed-case node_memory_* and "
	  "node_netstat_*, the default) or snake_case (promtool's lint)",
	  conf_metric_names },
	{ "health_interval", CONF_DBL, F(health_interval), 0, 0.1, 3600, "S",
	  "the recorder refreshes the database health result this often, "
	  "for the database check (default 2)", NULL },
	{ "notify_command", CONF_STR, F(notify_command), S(notify_command),
	  0, 0, "COMMAND", "run by /bin/sh -c on each check transition "
	  "(default: none)", NULL },
	{ "fallback_dir", CONF_STR, F(fallback_dir), S(fallback_dir), 0, 0,
	  "DIR", "the master writes its verdict and the page here each tick, "
	  "for nginx to serve when the pool cannot (default: none)", NULL },
	{ "notify_timeout", CONF_DBL, F(notify_timeout), 0, 0.1, 3600, "S",
	  "the notify command is killed after this long (default 10)", NULL },
	{ "live_socket", CONF_STR, F(live_socket), S(live_socket), 0, 0, "PATH",
	  "nginx's live-push publisher socket: each sample is published "
	  "there for /api/live (default: none, no publishing)", NULL },
	{ "textfile_dir", CONF_STR, F(textfile_dir), S(textfile_dir), 0, 0,
	  "DIR", "*.prom files (the Prometheus text format, as for "
	  "node_exporter's textfile collector) merged into /metrics "
	  "(default: none)", NULL },
	CK("check_hold", hold_s, 0, 3600, "S",
	    "a condition holds this long before a check leaves ok or "
	    "escalates (default 3)"),
	CK("check_clear", clear_s, 0, 86400, "S",
	    "a condition is clear this long before a check steps down "
	    "(default 15)"),
	CK("check_health_stale", health_stale_s, 1, 3600, "S",
	    "a database health result older than this makes the database "
	    "check unknown (default 10)"),
	CK("check_database_warning", database_warning, 0, 3600, "S",
	    "database probe latency that warns (default 0.1)"),
	CK("check_database_critical", database_critical, 0, 3600, "S",
	    "database probe latency that is critical (default 0.4); a failed "
	    "probe is critical"),
	CK("check_pool_queue_warning", pool_queue_warning, 0, 1e9, "N",
	    "connections waiting in the pool's socket that warn (default 1)"),
	CK("check_pool_queue_critical", pool_queue_critical, 0, 1e9, "N",
	    "connections waiting that are critical (default 32)"),
	CK("check_pool_busy", pool_busy, 0, 86400, "S",
	    "every worker busy this long warns (default 10)"),
	CK("check_pool_stall", pool_stall, 0.1, 3600, "S",
	    "connections waiting this long with none accepted (every worker "
	    "stopped, hung or busy, or none running) are critical at once "
	    "(default 1)"),
	CK("check_pool_restarts_warning", pool_restarts_warning, 0, 1e9, "N",
	    "worker crashes and watchdog kills in the window that warn "
	    "(default 1)"),
	CK("check_pool_restarts_critical", pool_restarts_critical, 0, 1e9, "N",
	    "crashes and kills in the window that are critical (default 5; a "
	    "crash loop back-off is critical)"),
	CK("check_pool_restarts_window", pool_restarts_window, 1, 3600, "S",
	    "the window of the restart count (default 60)"),
	CK("check_listeners_warning", listeners_warning, 0, 1000, "PERCENT",
	    "a listener's queue, percent of its backlog, that warns (default "
	    "50)"),
	CK("check_listeners_critical", listeners_critical, 0, 1000, "PERCENT",
	    "a listener's queue that is critical (default 90)"),
	CK("check_listen_overflows_warning", listen_overflows_warning,
	    0, 1e9, "PER_S",
	    "ListenOverflows or ListenDrops per second that warn (default "
	    "0.1)"),
	CK("check_listen_overflows_critical", listen_overflows_critical,
	    0, 1e9, "PER_S",
	    "overflows per second that are critical (default 10)"),
	CK("check_close_wait_warning", close_wait_warning, 0, 1e12, "N",
	    "CLOSE_WAIT sockets that warn (default 100)"),
	CK("check_close_wait_critical", close_wait_critical, 0, 1e12, "N",
	    "CLOSE_WAIT sockets that are critical (default 1000)"),
	CK("check_close_wait_growth", close_wait_growth, 1, 15, "MIN",
	    "minutes of steady CLOSE_WAIT growth that warn (default 5)"),
	CK("check_close_wait_growth_min", close_wait_growth_min, 0, 1e12, "N",
	    "CLOSE_WAIT sockets below which growth is ignored (default 20)"),
	CK("check_filesystem_warning", filesystem_warning, 0, 100, "PERCENT",
	    "space or inodes used that warn (default 85)"),
	CK("check_filesystem_critical", filesystem_critical, 0, 100, "PERCENT",
	    "space or inodes used that are critical (default 95)"),
	CK("check_filesystem_predict_hours", filesystem_predict_hours,
	    0, 8760, "H",
	    "warn when predicted full within this many hours at the recent "
	    "rate (default 24)"),
	CK("check_filesystem_predict_used", filesystem_predict_used,
	    0, 100, "PERCENT",
	    "the prediction warns only past this much used (default 60)"),
	CK("check_memory_warning", memory_warning, 0, 100, "PERCENT",
	    "memory available, percent, under which it warns (default 10)"),
	CK("check_memory_critical", memory_critical, 0, 100, "PERCENT",
	    "memory available under which it is critical (default 5)"),
	CK("check_memory_pressure_warning", memory_pressure_warning,
	    0, 100, "PERCENT",
	    "PSI memory some avg10 that warns (default 20)"),
	CK("check_memory_pressure_critical", memory_pressure_critical,
	    0, 100, "PERCENT",
	    "PSI memory full avg10 that is critical (default 10)"),
	CK("check_memory_oom_window", memory_oom_window, 1, 86400, "S",
	    "an OOM kill within this many seconds warns (default 300)"),
	CK("check_cpu_warning", cpu_warning, 0, 100, "PERCENT",
	    "PSI cpu some avg10 that warns (default 60)"),
	CK("check_cpu_critical", cpu_critical, 0, 100, "PERCENT",
	    "PSI cpu some avg10 that is critical (default 90)"),
	CK("check_cpu_load_warning", cpu_load_warning, 0, 1e6, "LOAD",
	    "load1 per CPU that warns, without PSI (default 2)"),
	CK("check_cpu_load_critical", cpu_load_critical, 0, 1e6, "LOAD",
	    "load1 per CPU that is critical, without PSI (default 4)"),
	CK("check_cpu_iowait_warning", cpu_iowait_warning, 0, 100, "PERCENT",
	    "iowait that warns (default 30)"),
	CK("check_file_descriptors_warning", file_descriptors_warning,
	    0, 100, "PERCENT",
	    "open files, percent of fs.file-max, that warn (default 80)"),
	CK("check_file_descriptors_critical", file_descriptors_critical,
	    0, 100, "PERCENT",
	    "open files that are critical (default 95)"),
	CK("check_sampler_warning", sampler_warning, 0, 86400, "S",
	    "a sample this old warns (default 5)"),
	CK("check_sampler_critical", sampler_critical, 0, 86400, "S",
	    "a sample this old is critical (default 30)"),
};

#undef F
#undef S
#undef CK

void
vt_conf_defaults(struct vt_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->socket_mode = 0660;
	c->backlog = 4096;
	c->workers = 0;
	c->max_requests = 0;
	c->request_timeout = 10;
	c->shutdown_timeout = 10;
	c->read_timeout = 2;
	c->slow_threshold = 1;
	c->log_level = VT_LOG_INFO;
	strcpy(c->proc_root, "/");
	c->sample_interval = 1;
	strcpy(c->db_group, "vitals");
	c->health_timeout = 500;
	c->health_cache = 1000;
	c->health_interval = 2;
	vt_checks_conf_defaults(&c->checks);
	c->notify_timeout = 10;
}

static const struct conf_key *
conf_find(const char *key)
{
	char	norm[64];
	size_t	i;

	for (i = 0; key[i] != '\0' && i < sizeof(norm) - 1; i++)
		norm[i] = key[i] == '-' ? '_' : key[i];
	if (key[i] != '\0')
		return NULL;
	norm[i] = '\0';
	for (i = 0; i < VT_ARRAY_LEN(conf_keys); i++)
		if (strcmp(conf_keys[i].key, norm) == 0)
			return &conf_keys[i];
	return NULL;
}

static int
conf_number(const char *s, int base, double *out)
{
	char   *end;
	double	v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	if (base == 10)
		v = strtod(s, &end);
	else
		v = (double)strtol(s, &end, base);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
vt_conf_set(struct vt_conf *c, const char *key, const char *value,
    char *err, size_t errlen)
{
	const struct conf_key  *k = conf_find(key);
	char		       *field;
	double			v;

	if (k == NULL) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return VT_ERR;
	}
	field = (char *)c + k->off;
	switch (k->type) {
	case CONF_STR:
		if (strlen(value) >= k->size) {
			snprintf(err, errlen, "key '%s': value longer than %zu bytes",
			    k->key, k->size - 1);
			return VT_ERR;
		}
		memcpy(field, value, strlen(value) + 1);
		return VT_OK;
	case CONF_LEVEL:
		if (vt_log_level_parse(value, (enum vt_log_level *)(void *)field)
		    == -1) {
			snprintf(err, errlen, "key '%s': bad value '%.64s' "
			    "(expects error, warn, info or debug)", k->key, value);
			return VT_ERR;
		}
		return VT_OK;
	case CONF_CHOICE: {
		char	words[128] = "";
		size_t	n = 0;
		int	i;

		for (i = 0; k->choices[i] != NULL; i++) {
			if (strcmp(value, k->choices[i]) == 0) {
				*(int *)(void *)field = i;
				return VT_OK;
			}
			if (n < sizeof(words))
				n += (size_t)snprintf(words + n,
				    sizeof(words) - n, "%s%s", i > 0 ? ", " : "",
				    k->choices[i]);
		}
		snprintf(err, errlen, "key '%s': bad value '%.64s' (expects "
		    "one of %s)", k->key, value, words);
		return VT_ERR;
	}
	case CONF_INT:
	case CONF_MODE:
		if (conf_number(value, k->type == CONF_MODE ? 8 : 10, &v) == -1 ||
		    v != floor(v) || v < k->min || v > k->max) {
			snprintf(err, errlen, "key '%s': bad value '%.64s' "
			    "(expects %s from %.0f to %.0f)", k->key, value,
			    k->type == CONF_MODE ? "an octal mode" : "a whole number",
			    k->min, k->max);
			return VT_ERR;
		}
		*(int *)(void *)field = (int)v;
		if (strcmp(k->key, "backlog") == 0)
			c->backlog_set = 1;
		return VT_OK;
	case CONF_DBL:
		if (conf_number(value, 10, &v) == -1 || v < k->min || v > k->max) {
			snprintf(err, errlen, "key '%s': bad value '%.64s' "
			    "(expects a number from %g to %g)", k->key, value,
			    k->min, k->max);
			return VT_ERR;
		}
		*(double *)(void *)field = v;
		return VT_OK;
	}
	return VT_ERR;
}

static int
conf_line(struct vt_conf *c, char *line, char *err, size_t errlen)
{
	char   *eq, *key, *val, *end;
	size_t	n;

	while (isspace((unsigned char)*line))
		line++;
	if (*line == '\0' || *line == '#' || *line == ';')
		return VT_OK;
	if ((eq = strchr(line, '=')) == NULL) {
		snprintf(err, errlen, "expected 'key = value'");
		return VT_ERR;
	}
	key = line;
	for (end = eq; end > key && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	if (*key == '\0') {
		snprintf(err, errlen, "missing key before '='");
		return VT_ERR;
	}
	for (val = eq + 1; isspace((unsigned char)*val); val++)
		;
	n = strlen(val);
	while (n > 0 && isspace((unsigned char)val[n - 1]))
		val[--n] = '\0';
	if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
		val[n - 1] = '\0';
		val++;
	}
	return vt_conf_set(c, key, val, err, errlen);
}

int
vt_conf_parse(struct vt_conf *c, const char *name, const char *buf,
    size_t len, char *err, size_t errlen)
{
	char	line[1024], why[VT_ERRLEN];
	size_t	pos = 0, n;
	int	lineno = 0;

	while (pos < len) {
		const char     *nl = memchr(buf + pos, '\n', len - pos);
		size_t		end = nl != NULL ? (size_t)(nl - buf) : len;

		lineno++;
		n = end - pos;
		if (n > 0 && buf[end - 1] == '\r')
			n--;
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line longer than %zu bytes",
			    name, lineno, sizeof(line) - 1);
			return VT_ERR;
		}
		if (memchr(buf + pos, '\0', n) != NULL) {
			snprintf(err, errlen, "%s:%d: NUL byte in line",
			    name, lineno);
			return VT_ERR;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		if (conf_line(c, line, why, sizeof(why)) == VT_ERR) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			return VT_ERR;
		}
		pos = end + 1;
	}
	return VT_OK;
}

int
vt_conf_load(struct vt_conf *c, const char *path, char *err, size_t errlen)
{
	char	buf[65536];
	ssize_t	n;
	size_t	len = 0;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return VT_ERR;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0) {
		len += (size_t)n;
		if (len == sizeof(buf)) {
			close(fd);
			snprintf(err, errlen, "%s: larger than %zu bytes", path,
			    sizeof(buf) - 1);
			return VT_ERR;
		}
	}
	close(fd);
	if (n == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return VT_ERR;
	}
	if (vt_conf_parse(c, path, buf, len, err, errlen) == VT_ERR)
		return VT_ERR;
	snprintf(c->config_file, sizeof(c->config_file), "%s", path);
	return VT_OK;
}

/* Split "--name=value" or "--name value"; returns the flag name. */
static int
conf_flag(int argc, char **argv, int *i, char *name, size_t namelen,
    const char **value)
{
	const char     *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t		n = eq != NULL ? (size_t)(eq - a) : strlen(a);

	if (n >= namelen)
		return -1;
	memcpy(name, a, n);
	name[n] = '\0';
	if (eq != NULL)
		*value = eq + 1;
	else if (*i + 1 < argc)
		*value = argv[++*i];
	else
		*value = NULL;
	return 0;
}

int
vt_conf_args(struct vt_conf *c, int argc, char **argv,
    enum vt_cli_action *action, int *exit_code, char *err, size_t errlen)
{
	char		name[64], why[VT_ERRLEN];
	const char     *value;
	int		i, pass;

	*action = VT_CLI_RUN;
	/* Pass 0 loads --config; pass 1 applies the other flags over it. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < argc; i++) {
			const char     *a = argv[i];

			if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
				*action = VT_CLI_HELP;
				continue;
			}
			if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
				*action = VT_CLI_VERSION;
				continue;
			}
			if (strcmp(a, "--migrate") == 0) {
				*action = VT_CLI_MIGRATE;
				continue;
			}
			if (strncmp(a, "--", 2) != 0 ||
			    conf_flag(argc, argv, &i, name, sizeof(name),
			    &value) == -1) {
				snprintf(err, errlen, "unknown argument '%.64s' "
				    "(see --help)", a);
				*exit_code = VT_EX_USAGE;
				return VT_ERR;
			}
			if (strcmp(name, "config") == 0) {
				if (value == NULL) {
					snprintf(err, errlen, "--config needs a FILE");
					*exit_code = VT_EX_USAGE;
					return VT_ERR;
				}
				if (pass == 0 &&
				    vt_conf_load(c, value, err, errlen) == VT_ERR) {
					*exit_code = VT_EX_CONFIG;
					return VT_ERR;
				}
				continue;
			}
			if (conf_find(name) == NULL) {
				snprintf(err, errlen, "unknown option '--%s' "
				    "(see --help)", name);
				*exit_code = VT_EX_USAGE;
				return VT_ERR;
			}
			if (value == NULL) {
				snprintf(err, errlen, "--%s needs a value", name);
				*exit_code = VT_EX_USAGE;
				return VT_ERR;
			}
			if (pass == 1 &&
			    vt_conf_set(c, name, value, why, sizeof(why)) == VT_ERR) {
				snprintf(err, errlen, "--%s: %s", name, why);
				*exit_code = VT_EX_CONFIG;
				return VT_ERR;
			}
		}
	}
	return VT_OK;
}

void
vt_conf_usage(FILE *f, const char *prog)
{
	size_t	i, j;

	fprintf(f, "usage: %s [--config FILE] [options]\n\n"
	    "Vitals: a pool of FastCGI workers serving host vitals behind "
	    "nginx.\n\noptions (each is also a `key = value` line of the "
	    "--config file,\nwith underscores):\n", prog);
	for (i = 0; i < VT_ARRAY_LEN(conf_keys); i++) {
		char	flag[64];

		for (j = 0; conf_keys[i].key[j] != '\0' && j < sizeof(flag) - 1;
		    j++)
			flag[j] = conf_keys[i].key[j] == '_' ? '-' :
			    conf_keys[i].key[j];
		flag[j] = '\0';
		fprintf(f, "  --%s %s\n      %s\n", flag, conf_keys[i].arg,
		    conf_keys[i].help);
	}
	fprintf(f, "  --config FILE\n      read settings from FILE first\n"
	    "  --migrate\n      apply the database migrations and exit\n"
	    "  --help, --version\n\n"
	    "signals: TERM/INT graceful stop, HUP reload and restart workers "
	    "one by one,\n         USR2 re-execute the binary keeping the "
	    "socket\n");
}

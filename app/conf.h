/*
 * conf.h: the configuration of a Vitals pool.
 *
 * One table in conf.c lists every setting: its key, type, bounds, default
 * and help.  A key may come from a `key = value` file (--config) or as a
 * flag (--key-name VALUE or --key-name=VALUE); flags win over the file.
 */
#ifndef VT_CONF_H
#define VT_CONF_H

#include <stdio.h>

#include "checks.h"
#include "log.h"
#include "vitals.h"

struct vt_conf {
	char		listen[VT_PATH_LEN];	/* PATH or HOST:PORT, or "" */
	int		socket_mode;		/* for --listen PATH */
	int		backlog;
	int		backlog_set;		/* given explicitly */
	int		workers;		/* 0: one per CPU, at least 2 */
	int		max_requests;		/* 0: never recycle */
	double		request_timeout;	/* seconds; 0: no watchdog */
	double		shutdown_timeout;	/* seconds */
	double		read_timeout;		/* seconds: whole request; a write */
	double		slow_threshold;		/* seconds */
	char		pid_file[VT_PATH_LEN];
	enum vt_log_level log_level;
	char		proc_root[VT_PATH_LEN];
	double		sample_interval;	/* seconds */
	char		db_config[VT_PATH_LEN];	/* MariaDB option file */
	char		db_group[64];
	int		health_timeout;		/* ms */
	int		health_cache;		/* ms */
	char		sql_dir[VT_PATH_LEN];
	int		metric_names;		/* enum vt_prom_names */
	double		health_interval;	/* s: the recorder's probe */
	struct vt_checks_conf checks;		/* check_* thresholds */
	char		notify_command[1024];	/* "": none */
	char		fallback_dir[VT_PATH_LEN];	/* "": none */
	double		notify_timeout;		/* s */
	char		live_socket[VT_PATH_LEN];	/* nginx's publisher; "": none */
	char		textfile_dir[VT_PATH_LEN];	/* *.prom files; "": none */
	char		config_file[VT_PATH_LEN];	/* what was loaded */
};

/* What argv asked for besides settings. */
enum vt_cli_action {
	VT_CLI_RUN = 0,
	VT_CLI_HELP,
	VT_CLI_VERSION,
	VT_CLI_MIGRATE
};

void	vt_conf_defaults(struct vt_conf *c);

/*
 * Set one key (dashes or underscores) from its text value.  On error
 * returns -1 with a sentence in err naming the key and what it expects.
 */
int	vt_conf_set(struct vt_conf *c, const char *key, const char *value,
	    char *err, size_t errlen);

/*
 * Parse `key = value` text.  "name" is the file name used in messages:
 * errors read "NAME:LINE: ...".  Pure: no I/O.  Returns 0 or -1.
 */
int	vt_conf_parse(struct vt_conf *c, const char *name, const char *buf,
	    size_t len, char *err, size_t errlen);

/* Read and parse a file (at most 64 KiB). */
int	vt_conf_load(struct vt_conf *c, const char *path, char *err,
	    size_t errlen);

/*
 * Apply argv: --config FILE is loaded first, then every other flag.
 * Fills *action.  Returns 0, or -1 with err set and *exit_code set to
 * VT_EX_USAGE (bad flag) or VT_EX_CONFIG (bad file or value).
 */
int	vt_conf_args(struct vt_conf *c, int argc, char **argv,
	    enum vt_cli_action *action, int *exit_code, char *err,
	    size_t errlen);

/* Print the option list, from the table. */
void	vt_conf_usage(FILE *f, const char *prog);

#endif /* VT_CONF_H */

/*
 * checkconf.c: `vitals --check-config`, for an operator before a start or
 * a reload.  It loads the configuration exactly as the program does
 * (conf.c), then checks what conf.c cannot see from the text alone: the
 * DB option file (it exists, the service user can read it, nobody else
 * can), the SQL folder, the folders of the socket and the pid file, and
 * /proc under proc_root.  A problem is named like a parse error, by where
 * the key was set: "FILE:LINE: key 'KEY': why", or "--key-name: why".
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkconf.h"
#include "conf.h"

#ifndef VT_SYSCONF_DIR
#define VT_SYSCONF_DIR	"/etc"
#endif
#ifndef VT_STATIC_DIR
#define VT_STATIC_DIR	"/usr/share/vitals/static"
#endif
#ifndef VT_SQL_DIR
#define VT_SQL_DIR	"/usr/share/vitals/sql"
#endif

/*
 * The user the service runs as: vitals.service's User=, or VITALS_USER
 * as vitals-spawn takes it.
 */
#define CHECK_SERVICE_USER	"vitals"
#define CHECK_MAX_ARGS		128

struct check {
	const struct vt_conf	*conf;
	int			 argc;
	char		       **argv;
	int			 problems;
};

static void	check_origin(struct check *k, const char *key, char *out,
		    size_t outlen);
static void	check_problem(struct check *k, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Where KEY was set: "--key-name" when a flag set it (flags win), else
 * "FILE:LINE" of its line in the configuration file, else "default".
 */
static void
check_origin(struct check *k, const char *key, char *out, size_t outlen)
{
	char		flag[72], line[512];
	const char     *file = k->conf->config_file;
	size_t		i, n = strlen(key);
	FILE	       *f;
	int		lineno = 0, found = 0;

	snprintf(flag, sizeof(flag), "--%s", key);
	for (i = 2; flag[i] != '\0'; i++)
		if (flag[i] == '_')
			flag[i] = '-';
	for (i = 1; i < (size_t)k->argc; i++) {
		const char     *a = k->argv[i];
		size_t		fl = strlen(flag);

		if (strncmp(a, flag, fl) == 0 &&
		    (a[fl] == '\0' || a[fl] == '=')) {
			snprintf(out, outlen, "%s", flag);
			return;
		}
	}
	snprintf(out, outlen, "default");
	if (file[0] == '\0' || (f = fopen(file, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char   *p = line;
		size_t	j;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		for (j = 0; j < n; j++) {
			char	c = p[j] == '-' ? '_' : p[j];

			if (c != key[j])
				break;
		}
		if (j == n && (p[n] == ' ' || p[n] == '\t' || p[n] == '='))
			found = lineno;
	}
	fclose(f);
	if (found > 0)
		snprintf(out, outlen, "%s:%d", file, found);
}

/* One problem: a line on stderr, counted. */
static void
check_problem(struct check *k, const char *key, const char *fmt, ...)
{
	char		where[VT_PATH_LEN + 16], why[VT_ERRLEN];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	check_origin(k, key, where, sizeof(where));
	if (strncmp(where, "--", 2) == 0)
		fprintf(stderr, "vitals: %s: %s\n", where, why);
	else
		fprintf(stderr, "vitals: %s: key '%s': %s\n", where, key, why);
	k->problems++;
}

/*
 * Whether the service user may read a file of this mode, owner and group.
 * Returns 1 (yes), 0 (no) or -1 (no such user: nothing to judge by).
 */
static const char *
check_user(void)
{
	const char     *u = getenv("VITALS_USER");

	return u != NULL && u[0] != '\0' ? u : CHECK_SERVICE_USER;
}

static int
check_user_reads(const struct stat *st)
{
	struct passwd  *pw = getpwnam(check_user());
	gid_t		groups[64];
	int		n = 64, i;

	if (pw == NULL)
		return -1;
	if (st->st_uid == pw->pw_uid)
		return (st->st_mode & S_IRUSR) != 0;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		n = 0;
	for (i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			return (st->st_mode & S_IRGRP) != 0;
	return (st->st_mode & S_IROTH) != 0;
}

/* The DB option file: there, a regular file, readable, private. */
static void
check_db_config(struct check *k)
{
	const char     *path = k->conf->db_config;
	char		line[512], want[80];
	struct stat	st;
	FILE	       *f;
	int		has_group = 0;

	if (path[0] == '\0') {
		fprintf(stderr, "vitals: warning: db_config is not set: "
		    "/health answers 503 and no history is recorded\n");
		return;
	}
	if (stat(path, &st) == -1) {
		check_problem(k, "db_config", "%s: %s", path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		check_problem(k, "db_config", "%s is not a regular file", path);
		return;
	}
	if ((st.st_mode & (S_IROTH | S_IWOTH)) != 0)
		check_problem(k, "db_config", "%s is world-readable or "
		    "-writable (mode %04o) and holds a password: "
		    "chmod o-rwx %s", path, (unsigned)(st.st_mode & 07777),
		    path);
	if (geteuid() == 0) {
		if (check_user_reads(&st) == 0)
			check_problem(k, "db_config", "%s is not readable by "
			    "user '%s' (owner %u, group %u, mode %04o)", path,
			    check_user(), (unsigned)st.st_uid,
			    (unsigned)st.st_gid,
			    (unsigned)(st.st_mode & 07777));
	} else if (access(path, R_OK) == -1) {
		check_problem(k, "db_config", "%s: %s", path, strerror(errno));
		return;
	}
	if ((f = fopen(path, "r")) == NULL) {
		check_problem(k, "db_config", "%s: %s", path, strerror(errno));
		return;
	}
	snprintf(want, sizeof(want), "[%s]", k->conf->db_group);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, want, strlen(want)) == 0)
			has_group = 1;
	fclose(f);
	if (!has_group)
		check_problem(k, "db_group", "%s has no %s group", path, want);
}

/* A folder that must exist. */
static void
check_dir(struct check *k, const char *key, const char *dir)
{
	struct stat	st;

	if (stat(dir, &st) == -1)
		check_problem(k, key, "%s: %s", dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		check_problem(k, key, "%s is not a folder", dir);
}

/* The folder of a file the program creates (a socket, a pid file). */
static void
check_parent(struct check *k, const char *key, const char *path)
{
	char	copy[VT_PATH_LEN];

	snprintf(copy, sizeof(copy), "%s", path);
	check_dir(k, key, dirname(copy));
}

static void
check_paths(struct check *k)
{
	const struct vt_conf   *c = k->conf;
	const char	       *sql = c->sql_dir[0] != '\0' ? c->sql_dir :
				    VT_SQL_DIR;
	char			p[VT_PATH_LEN + 32];
	struct stat		st;

	snprintf(p, sizeof(p), "%s/migrations", sql);
	check_dir(k, "sql_dir", p);
	snprintf(p, sizeof(p), "%s/proc/stat",
	    c->proc_root[0] != '\0' ? c->proc_root : "");
	if (access(p, R_OK) == -1)
		check_problem(k, "proc_root", "%s: %s", p, strerror(errno));
	if (c->listen[0] == '/')
		check_parent(k, "listen", c->listen);
	if (c->pid_file[0] != '\0')
		check_parent(k, "pid_file", c->pid_file);
	/* nginx serves the assets, not the pool: a warning only. */
	if (stat(VT_STATIC_DIR, &st) == -1 || !S_ISDIR(st.st_mode))
		fprintf(stderr, "vitals: warning: %s (the page's assets, "
		    "served by nginx) is missing\n", VT_STATIC_DIR);
}

/* What the pool would use. */
static void
check_print(const struct vt_conf *c)
{
	long	cpus = sysconf(_SC_NPROCESSORS_ONLN);

	printf("config = %s\n", c->config_file[0] != '\0' ?
	    c->config_file : "(none: the defaults)");
	printf("listen = %s\n", c->listen[0] != '\0' ? c->listen :
	    "(inherited: systemd's socket or spawn-fcgi's)");
	if (c->workers > 0)
		printf("workers = %d\n", c->workers);
	else
		printf("workers = %ld (one per CPU)\n", cpus < 2 ? 2 : cpus);
	printf("max_requests = %d\n", c->max_requests);
	printf("request_timeout = %g\n", c->request_timeout);
	printf("shutdown_timeout = %g\n", c->shutdown_timeout);
	printf("db_config = %s\n", c->db_config[0] != '\0' ? c->db_config :
	    "(none)");
	printf("db_group = %s\n", c->db_group);
	printf("sql_dir = %s\n", c->sql_dir[0] != '\0' ? c->sql_dir :
	    VT_SQL_DIR);
	printf("proc_root = %s\n", c->proc_root[0] != '\0' ? c->proc_root :
	    "/");
	printf("pid_file = %s\n", c->pid_file[0] != '\0' ? c->pid_file :
	    "(none)");
	printf("static = %s\n", VT_STATIC_DIR);
}

int
vt_checkconf_wanted(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--check-config") == 0)
			return 1;
	return 0;
}

int
vt_checkconf_main(int argc, char **argv)
{
	static const char	dflt[] = VT_SYSCONF_DIR "/vitals/vitals.conf";
	struct vt_conf		conf;
	struct check		k;
	enum vt_cli_action	action;
	char		       *args[CHECK_MAX_ARGS + 3];
	char			err[VT_ERRLEN];
	int			i, n = 0, has_config = 0, code = 0;

	if (argc > CHECK_MAX_ARGS) {
		fprintf(stderr, "vitals: too many arguments\n");
		return VT_EX_USAGE;
	}
	args[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check-config") == 0)
			continue;
		if (strncmp(argv[i], "--config", 8) == 0)
			has_config = 1;
		args[n++] = argv[i];
	}
	/* Without --config, the installed file, as the service uses it. */
	if (!has_config && access(dflt, F_OK) == 0) {
		args[n++] = "--config";
		args[n++] = (char *)dflt;
	}
	args[n] = NULL;

	vt_conf_defaults(&conf);
	if (vt_conf_args(&conf, n, args, &action, &code, err,
	    sizeof(err)) == VT_ERR) {
		fprintf(stderr, "vitals: %s\n", err);
		return code;
	}
	k.conf = &conf;
	k.argc = n;
	k.argv = args;
	k.problems = 0;
	check_db_config(&k);
	check_paths(&k);
	check_print(&conf);
	if (k.problems > 0) {
		fprintf(stderr, "vitals: %d problem(s) found\n", k.problems);
		return VT_EX_CONFIG;
	}
	printf("vitals: configuration OK\n");
	return 0;
}

/*
 * main.c: the vitals program: arguments and configuration, logging, then
 * the master (which acquires the socket and forks the pool).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "checkconf.h"
#include "conf.h"
#include "log.h"
#include "master.h"
#include "migrate.h"

int
main(int argc, char **argv)
{
	struct vt_conf		conf;
	enum vt_cli_action	action;
	char			err[VT_ERRLEN], q[VT_ERRLEN + 8];
	int			code = 0;

	vt_log_init("vitals");
	if (vt_checkconf_wanted(argc, argv))
		return vt_checkconf_main(argc, argv);
	vt_conf_defaults(&conf);
	if (vt_conf_args(&conf, argc, argv, &action, &code, err,
	    sizeof(err)) == VT_ERR) {
		fprintf(stderr, "vitals: %s\n", err);
		vt_log_err("config_error", "error=%s",
		    vt_log_quote(q, sizeof(q), err));
		return code;
	}
	switch (action) {
	case VT_CLI_HELP:
		vt_conf_usage(stdout, "vitals");
		return 0;
	case VT_CLI_VERSION:
#ifdef VT_TEST_HOOKS
		printf("vitals %s (test hooks)\n", PACKAGE_VERSION);
#else
		printf("vitals %s\n", PACKAGE_VERSION);
#endif
		return 0;
	case VT_CLI_MIGRATE: {
		/* The option file here is an admin's: it creates tables. */
		int	n = vt_migrate_run(conf.db_config[0] != '\0' ?
			    conf.db_config : NULL, conf.db_group,
			    conf.sql_dir[0] != '\0' ? conf.sql_dir : VT_SQL_DIR,
			    err, sizeof(err));

		if (n < 0) {
			fprintf(stderr, "vitals: --migrate: %s\n", err);
			return VT_EX_SOFTWARE;
		}
		printf("vitals: %d migration(s) applied\n", n);
		return 0;
	}
	case VT_CLI_RUN:
		break;
	}
	vt_log_set_level(conf.log_level);
	return vt_master_run(&conf, argc, argv);
}

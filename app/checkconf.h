/*
 * checkconf.h: `vitals --check-config [--config FILE] [--key value ...]`,
 * which validates the configuration, the DB option file and the paths,
 * prints what the pool would use, and exits without starting anything.
 */
#ifndef VT_CHECKCONF_H
#define VT_CHECKCONF_H

/* Whether argv holds --check-config. */
int	vt_checkconf_wanted(int argc, char **argv);

/*
 * Run the check for argv (--check-config among the other flags) and
 * return the exit code: 0 when everything would work, VT_EX_CONFIG (78)
 * with one "FILE:LINE: key 'KEY': why" line (or "--key: why" for a flag)
 * on stderr per problem, VT_EX_USAGE for a bad flag.  What it would use
 * goes to stdout as "key = value" lines.  Run as root, it judges the DB
 * option file's permissions for the service user: VITALS_USER from the
 * environment, or "vitals".
 */
int	vt_checkconf_main(int argc, char **argv);

#endif /* VT_CHECKCONF_H */

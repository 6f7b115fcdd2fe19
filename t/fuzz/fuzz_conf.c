/*
 * fuzz_conf.c: the `key = value` configuration file (app/conf.c).  The
 * input is the file's text, parsed over the defaults as --config does,
 * but without the read: vt_conf_parse() is pure.  A refusal must say why
 * and where; the strings of the result must stay terminated.
 */
#include "config.h"

#include "conf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vt_conf	c;
	char			err[VT_ERRLEN];

	vt_conf_defaults(&c);
	err[0] = '\0';
	if (vt_conf_parse(&c, "fuzz.conf", (const char *)data, size, err,
	    sizeof(err)) != VT_OK) {
		FUZZ_CHECK(strncmp(err, "fuzz.conf:", 10) == 0);
		FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)));
		return 0;
	}
	FUZZ_CHECK(FUZZ_TERMINATED(c.listen, sizeof(c.listen)));
	FUZZ_CHECK(FUZZ_TERMINATED(c.pid_file, sizeof(c.pid_file)));
	FUZZ_CHECK(FUZZ_TERMINATED(c.proc_root, sizeof(c.proc_root)));
	FUZZ_CHECK(FUZZ_TERMINATED(c.db_config, sizeof(c.db_config)));
	FUZZ_CHECK(FUZZ_TERMINATED(c.db_group, sizeof(c.db_group)));
	FUZZ_CHECK(FUZZ_TERMINATED(c.sql_dir, sizeof(c.sql_dir)));
	return 0;
}

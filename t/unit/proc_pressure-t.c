/*
 * proc_pressure-t.c: /proc/pressure/{cpu,memory,io}: values, and absent
 * files as "not available" rather than an error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_pressure.h"

static struct vt_proc_pressure	pr;

static int	read_tree(const char *tree, char *err, size_t errlen);
static int	parse_str(const char *s, struct vt_psi *psi);

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_pressure_read(root, &pr, err, errlen);
}

static int
parse_str(const char *s, struct vt_psi *psi)
{
	char	err[VT_ERRLEN];

	return vt_proc_pressure_parse(s, strlen(s), psi, err, sizeof(err));
}

int
main(void)
{
	struct vt_psi	psi;
	char		err[VT_ERRLEN], *file, *b;
	size_t		len, k;
	int		bad = 0;

	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	ok(pr.res[VT_PSI_CPU].available && pr.res[VT_PSI_MEMORY].available &&
	    pr.res[VT_PSI_IO].available, "vm2: all three available");
	is_dbl(pr.res[VT_PSI_CPU].some.avg10, 1.16, 1e-9,
	    "vm2: cpu some avg10");
	is_dbl(pr.res[VT_PSI_CPU].some.avg300, 0.27, 1e-9,
	    "vm2: cpu some avg300");
	is_int((long long)pr.res[VT_PSI_CPU].some.total_us, 6071701,
	    "vm2: cpu some total");
	ok(pr.res[VT_PSI_CPU].full.present &&
	    pr.res[VT_PSI_CPU].full.total_us == 0, "vm2: cpu full, all 0");
	is_dbl(pr.res[VT_PSI_IO].full.avg60, 0.30, 1e-9, "vm2: io full avg60");
	is_int((long long)pr.res[VT_PSI_IO].full.total_us, 4431290,
	    "vm2: io full total");
	is_int((long long)pr.res[VT_PSI_MEMORY].some.total_us, 0,
	    "vm2: memory some total");

	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_dbl(pr.res[VT_PSI_IO].some.avg10, 45.67, 1e-9,
	    "server64: io some avg10");
	is_int((long long)pr.res[VT_PSI_IO].some.total_us, 5555555555LL,
	    "server64: io some total past 2^32");
	is_dbl(pr.res[VT_PSI_MEMORY].full.avg300, 0.05, 1e-9,
	    "server64: memory full avg300");
	is_str(vt_psi_resource_names[VT_PSI_MEMORY], "memory",
	    "resource names");

	is_int(read_tree("legacy", err, sizeof(err)), VT_OK,
	    "legacy: no /proc/pressure is not an error");
	ok(!pr.res[VT_PSI_CPU].available && !pr.res[VT_PSI_MEMORY].available &&
	    !pr.res[VT_PSI_IO].available, "legacy: none available");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR,
	    "empty files: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "malformed cpu and io: error");
	ok(!pr.res[VT_PSI_CPU].available && !pr.res[VT_PSI_IO].available,
	    "malformed: nothing half-filled");
	ok(pr.res[VT_PSI_MEMORY].available &&
	    pr.res[VT_PSI_MEMORY].some.total_us == 42,
	    "malformed: the good file between them (memory) still read");
	is_int(parse_str("some avg10=0.00 avg60=0.00 avg300=0.00\n", &psi),
	    VT_ERR, "no total: error");

	is_int(parse_str("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
	    &psi), VT_ERR, "no some line: error");
	is_int(parse_str("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	    "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", &psi), VT_ERR,
	    "some twice: error");
	is_int(parse_str("some avg60=0.00 avg10=0.00 avg300=0.00 total=0\n",
	    &psi), VT_ERR, "keys out of order: error");
	is_int(parse_str("some avg10= avg60=0.00 avg300=0.00 total=0\n", &psi),
	    VT_ERR, "empty value: error");
	is_int(parse_str("some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n",
	    &psi), VT_OK, "some only (cpu before 5.13): fine");
	ok(psi.available && !psi.full.present && psi.some.total_us == 7,
	    "... full absent");

	file = tap_fixture("proc/vm2/proc/pressure/io", &len);
	for (k = 0; k < len; k++) {
		if ((b = malloc(k > 0 ? k : 1)) == NULL)
			bail("out of memory");
		memcpy(b, file, k);
		if (vt_proc_pressure_parse(b, k, &psi, err, sizeof(err)) !=
		    VT_ERR && file[k > 0 ? k - 1 : 0] != '\n')
			bad++;
		free(b);
	}
	free(file);
	is_int(bad, 0, "vm2 io: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

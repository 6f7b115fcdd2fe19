/*
 * sampler_carry-t.c: the slow collectors' results between process-scan
 * ticks (sampler.c, SAMPLER_SLOW_*).
 *
 * The sampler fills two host buffers in turn and zeroes only what a tick
 * collects again; the slow members (os-release, netclass, the disks' udev
 * rows ...) are read on a scan tick and carried, copied into the other
 * buffer only when it holds an older scan's.  On a copy of the vm2 tree,
 * with a scan every third tick, os-release's PRETTY_NAME is changed
 * between scans: every tick must show the last scan's name, never the
 * one a buffer held two ticks before, and the other slow members must
 * be the scan's, byte for byte.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "host.h"
#include "sampler.h"

static char	dir[4096], root[4200];

/* Copy the vm2 fixture tree to a private directory; root is the copy. */
static void
make_tree(void)
{
	char	cmd[8600];

	if (tap_tmpdir("sampler_carry-t", dir, sizeof(dir)) == -1)
		bail("tap_tmpdir failed");
	snprintf(root, sizeof(root), "%s/vm2", dir);
	snprintf(cmd, sizeof(cmd), "cp -R '%s/proc/vm2' '%s'",
	    tap_fixture_root(), root);
	if (system(cmd) != 0)
		bail("could not copy the vm2 tree");
}

/* Write the copy's os-release with PRETTY_NAME name. */
static void
set_pretty(const char *name)
{
	char	path[4300];
	FILE   *f;

	snprintf(path, sizeof(path), "%s/etc/os-release", root);
	if ((f = fopen(path, "w")) == NULL)
		bail("cannot write %s", path);
	fprintf(f, "PRETTY_NAME=\"%s\"\nID=debian\nVERSION_ID=\"12\"\n", name);
	if (fclose(f) != 0)
		bail("cannot write %s", path);
}

static const char *
pretty(const struct vt_host *h)
{
	return h->os.v[VT_OS_PRETTY_NAME];
}

int
main(void)
{
	struct vt_sampler_opts	 o;
	struct vt_sampler	*s;
	const struct vt_host	*h;
	struct vt_host		*scan;
	char			 name[64], cmd[4200];
	uint64_t		 n_scan = 0;
	int			 t;

	make_tree();
	set_pretty("scan 0");
	s = calloc(1, sizeof(*s));
	scan = calloc(1, sizeof(*scan));
	if (s == NULL || scan == NULL)
		bail("out of memory");
	memset(&o, 0, sizeof(o));
	o.root = root;
	o.top_every = 3;
	if (vt_sampler_init(s, &o) == VT_ERR)
		bail("vt_sampler_init failed");

	for (t = 0; t < 12; t++) {
		h = vt_sampler_collect(s, 1000 + 1000 * t,
		    5000000 + 1000000 * (int64_t)t);
		/* Scan k reads "scan k-1"; the file is "scan k" after it. */
		snprintf(name, sizeof(name), "scan %llu",
		    (unsigned long long)s->scans - 1);
		if (s->scans != n_scan) {
			n_scan = s->scans;
			ok(t % 3 == 0, "tick %d is a scan tick", t);
			is_str(pretty(h), name, "tick %d reads %s", t, name);
			memcpy(scan, h, sizeof(*scan));
			snprintf(name, sizeof(name), "scan %llu",
			    (unsigned long long)n_scan);
			set_pretty(name);
			continue;
		}
		is_str(pretty(h), name,
		    "tick %d carries the last scan's os-release (%s)", t, name);
		ok(memcmp(&h->netclass, &scan->netclass,
		    sizeof(h->netclass)) == 0 &&
		    memcmp(&h->uname, &scan->uname, sizeof(h->uname)) == 0 &&
		    memcmp(&h->disk_info, &scan->disk_info,
		    sizeof(h->disk_info)) == 0 &&
		    memcmp(&h->time, &scan->time, sizeof(h->time)) == 0,
		    "tick %d: the slow members are the scan's, byte for byte",
		    t);
		ok((h->have & VT_HAVE(VT_COL_OS)) &&
		    (h->have & VT_HAVE(VT_COL_NETCLASS)) ==
		    (scan->have & VT_HAVE(VT_COL_NETCLASS)),
		    "tick %d: their success bits carry too", t);
	}
	is_int((long long)s->scans, 4, "12 ticks, a scan every third: 4");
	vt_sampler_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	free(s);
	free(scan);
	done_testing();
	return tap_exit_status();
}

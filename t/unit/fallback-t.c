/*
 * fallback-t.c: when the master writes its fallback files (app/fallback.c):
 * all three at the first tick; not again while the pool is calm and no
 * file was served, until VT_FALLBACK_CALM_MS; the JSON files every tick
 * while they are needed or after a file was read (seen by the master's
 * inotify watch of the directory); all three on a transition.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "fallback.h"
#include "vitals.h"

static char	dir[VT_PATH_LEN];

/* The inode of dir/name (each write is a new file renamed over it). */
static unsigned long
ino_of(const char *name)
{
	char		path[VT_PATH_LEN + 32];
	struct stat	st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* Read dir/name as nginx would. */
static void
serve(const char *name)
{
	char	path[VT_PATH_LEN + 32], b[64];
	int	fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY)) == -1)
		bail("%s: %s", path, strerror(errno));
	if (read(fd, b, sizeof(b)) < 0)
		bail("read %s: %s", path, strerror(errno));
	close(fd);
}

int
main(void)
{
	struct vt_fallback	f;
	struct vt_buf		m, c;
	unsigned long		im, ic, ip;
	int64_t			now = 1000000;
	int			i, same;

	if (tap_tmpdir("fallback-t", dir, sizeof(dir)) == -1)
		bail("temporary directory: %s", strerror(errno));
	if (vt_buf_init(&m, 1024, 65536) == VT_ERR ||
	    vt_buf_init(&c, 1024, 65536) == VT_ERR ||
	    vt_buf_adds(&m, "{\"ts\":1,\"host\":{}}") == VT_ERR ||
	    vt_buf_adds(&c, "{\"verdict\":\"ok\",\"items\":[]}") == VT_ERR)
		bail("buffers");
	is_int(vt_fallback_init(&f, dir), VT_OK, "init");

	vt_fallback_tick(&f, &m, &c, 0, 0, now);
	im = ino_of("metrics.json");
	ic = ino_of("checks.json");
	ip = ino_of("page.html");
	ok(im != 0 && ic != 0, "first tick: the JSON files written");
	diag("page.html %s", ip != 0 ? "written" : "not rendered "
	    "(a document the page renderer refuses)");

	for (i = 1, same = 1; i < VT_FALLBACK_CALM_MS / 1000; i++) {
		vt_fallback_tick(&f, &m, &c, 0, 0, now + i * 1000);
		if (ino_of("metrics.json") != im || ino_of("checks.json") != ic)
			same = 0;
	}
	ok(same, "calm, nothing served: not written again for %d s",
	    VT_FALLBACK_CALM_MS / 1000);
	now += VT_FALLBACK_CALM_MS;
	vt_fallback_tick(&f, &m, &c, 0, 0, now);
	ok(ino_of("metrics.json") != im && ino_of("checks.json") != ic,
	    "... and written at %d s", VT_FALLBACK_CALM_MS / 1000);

	im = ino_of("metrics.json");
	vt_fallback_tick(&f, &m, &c, 0, 1, now + 1000);
	ok(ino_of("metrics.json") != im, "needed: written at the next tick");
	im = ino_of("metrics.json");
	vt_fallback_tick(&f, &m, &c, 0, 1, now + 2000);
	ok(ino_of("metrics.json") != im, "... and the one after");

	now += 3000;
	im = ino_of("metrics.json");
	vt_fallback_tick(&f, &m, &c, 0, 0, now);
	ok(ino_of("metrics.json") == im, "calm again: not written");
	/* Seen by the watch, whatever the mount's atime option. */
	serve("metrics.json");
	vt_fallback_tick(&f, &m, &c, 0, 0, now + 1000);
	ok(ino_of("metrics.json") != im, "a file served: written at "
	    "the next tick");
	for (i = 2, same = 0; i < 5; i++) {
		im = ino_of("metrics.json");
		vt_fallback_tick(&f, &m, &c, 0, 0, now + i * 1000);
		if (ino_of("metrics.json") != im)
			same++;
	}
	is_int(same, 3, "... and every tick after, for a while");
	now += VT_FALLBACK_READ_HOLD_MS + 1000;
	vt_fallback_tick(&f, &m, &c, 0, 0, now);
	im = ino_of("metrics.json");
	vt_fallback_tick(&f, &m, &c, 0, 0, now + 1000);
	ok(ino_of("metrics.json") == im, "nothing served for %d s: calm",
	    VT_FALLBACK_READ_HOLD_MS / 1000);

	ic = ino_of("checks.json");
	vt_fallback_tick(&f, &m, &c, 1, 0, now + 2000);
	ok(ino_of("checks.json") != ic, "a transition: written at once");

	vt_fallback_remove(&f);
	ok(ino_of("metrics.json") == 0 && ino_of("checks.json") == 0 &&
	    ino_of("page.html") == 0, "removed");
	vt_fallback_free(&f);
	vt_buf_free(&m);
	vt_buf_free(&c);
	(void)rmdir(dir);
	done_testing();
	return tap_exit_status();
}

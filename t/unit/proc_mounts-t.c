/*
 * proc_mounts-t.c: the /proc/self/mounts parser: the default and a
 * caller's exclusion lists, octal escapes, read-only, a mount point
 * mounted over; the watch that parses the real table again only when a
 * mount or an unmount changed it.
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/proc_mounts.h"

static struct vt_proc_mounts	mt;

static int	read_tree(const char *tree, const struct vt_mounts_filter *f,
		    char *err, size_t errlen);
static int	parse_str(const char *s, const struct vt_mounts_filter *f);
static const struct vt_mount *mount_at(const char *mp);
static int	cuts(const char *rel);
static void	check_watch(void);
static int	watch_child(void);

static int
read_tree(const char *tree, const struct vt_mounts_filter *f, char *err,
    size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_mounts_read(root, f, &mt, err, errlen);
}

static int
parse_str(const char *s, const struct vt_mounts_filter *f)
{
	char	err[VT_ERRLEN];

	return vt_proc_mounts_parse(s, strlen(s), f, &mt, err, sizeof(err));
}

static const struct vt_mount *
mount_at(const char *mp)
{
	size_t	i;

	for (i = 0; i < mt.n; i++) {
		if (strcmp(mt.m[i].mountpoint, mp) == 0)
			return &mt.m[i];
	}
	return NULL;
}

static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return vt_proc_mounts_parse(buf, len, NULL, &mt, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

/*
 * In a private mount namespace (a child process, root only): a tmpfs
 * mounted and unmounted under the watch.  The exit status has a bit for
 * each step that went wrong; 64: no namespace here.
 */
static int
watch_child(void)
{
	static const char *const	 none[] = { NULL };
	struct vt_mounts_filter		 f = { none, none };
	struct vt_mounts_watch		 w;
	static struct vt_proc_mounts	 a;
	char				 dir[512], err[VT_ERRLEN];
	size_t				 i;
	int				 bad = 0, seen = 0;

	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    tap_tmpdir("vt-mounts", dir, sizeof(dir)) == -1)
		return 64;
	vt_mounts_watch_init(&w);
	if (vt_proc_mounts_watched(&w, "/", &f, &a, err, sizeof(err)) != VT_OK ||
	    w.reads != 1)
		bad |= 1;
	/* Nothing changed: the same table, not parsed again. */
	if (vt_proc_mounts_watched(&w, "/", &f, &a, err, sizeof(err)) != VT_OK ||
	    w.reads != 1 || a.n != w.last.n)
		bad |= 2;
	if (mount("vt-test", dir, "tmpfs", 0, "size=64k") == -1) {
		rmdir(dir);
		return 64;
	}
	if (vt_proc_mounts_watched(&w, "/", &f, &a, err, sizeof(err)) != VT_OK ||
	    w.reads != 2)
		bad |= 4;
	for (i = 0; i < a.n; i++)
		seen += strcmp(a.m[i].mountpoint, dir) == 0;
	if (seen != 1)
		bad |= 8;
	(void)vt_proc_mounts_watched(&w, "/", &f, &a, err, sizeof(err));
	if (w.reads != 2)
		bad |= 16;
	umount(dir);
	rmdir(dir);
	(void)vt_proc_mounts_watched(&w, "/", &f, &a, err, sizeof(err));
	for (i = 0, seen = 0; i < a.n; i++)
		seen += strcmp(a.m[i].mountpoint, dir) == 0;
	if (w.reads != 3 || seen != 0)
		bad |= 32;
	vt_mounts_watch_close(&w);
	return bad;
}

static void
check_watch(void)
{
	pid_t	pid;
	int	st = 0;

	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(watch_child());
	if (pid == -1 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		ok(0, "watch: the child ran");
		return;
	}
	if (WEXITSTATUS(st) == 64) {
		skip(5, "no private mount namespace here (not root?)");
		return;
	}
	ok(!(WEXITSTATUS(st) & 1), "watch: the first read parses the table");
	ok(!(WEXITSTATUS(st) & 2), "watch: unchanged, the same table, no parse");
	ok(!(WEXITSTATUS(st) & (4 | 8)),
	    "watch: a mount, parsed again, the new mount point listed");
	ok(!(WEXITSTATUS(st) & 16), "watch: then unchanged again, no parse");
	ok(!(WEXITSTATUS(st) & 32),
	    "watch: an unmount, parsed again, the mount point gone");
}

int
main(void)
{
	static const char *const	 only_zfs[] = { "zfs", NULL };
	static const char *const	 no_mp[] = { NULL };
	struct vt_mounts_filter		 f;
	const struct vt_mount		*m;
	char				 err[VT_ERRLEN], buf[16384];
	size_t				 i, n;
	int				 dup;

	/* vm2: captured; only the ext4 root survives the defaults. */
	is_int(read_tree("vm2", NULL, err, sizeof(err)), VT_OK, "vm2: reads");
	is_int((long long)mt.n, 1, "vm2: one real filesystem");
	is_str(mt.m[0].mountpoint, "/", "vm2: it is /");
	is_str(mt.m[0].device, "/dev/vda", "vm2: on /dev/vda");
	is_str(mt.m[0].fstype, "ext4", "vm2: ext4");
	ok(!mt.m[0].readonly, "vm2: read-write");
	is_int((long long)mt.nexcluded, 18, "vm2: 18 pseudo mounts left out");
	is_int(mt.m[0].state, VT_FS_NOT_RUN, "no statvfs yet");

	/* server64: constructed, 35 lines. */
	is_int(read_tree("server64", NULL, err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)mt.n, 9, "server64: 9 real filesystems");
	ok(mount_at("/") != NULL && strcmp(mount_at("/")->device,
	    "/dev/nvme0n1p2") == 0, "server64: / on nvme0n1p2");
	m = mount_at("/mnt/backup disk");
	ok(m != NULL, "server64: \\040 decoded to a blank");
	ok(m != NULL && m->readonly, "server64: ... and read-only");
	m = mount_at("/srv/data");
	ok(m != NULL && strcmp(m->device, "/dev/md1") == 0,
	    "server64: /srv/data mounted over: the later md1 wins");
	for (dup = 0, i = 0; i < mt.n; i++)
		dup += strcmp(mt.m[i].mountpoint, "/srv/data") == 0;
	is_int(dup, 1, "server64: and is listed once");
	ok(mount_at("/mnt/nfs") != NULL &&
	    strcmp(mount_at("/mnt/nfs")->fstype, "nfs4") == 0,
	    "server64: the NFS mount is kept (statvfs guards it)");
	ok(mount_at("/var/lib/lxcfs") != NULL, "server64: fuse.lxcfs kept");
	ok(mount_at("/tank/pg") != NULL, "server64: zfs datasets kept");
	ok(mount_at("/run") == NULL && mount_at("/run/user/1000") == NULL,
	    "server64: tmpfs left out");
	ok(mount_at("/snap/core20/2015") == NULL, "server64: squashfs out");
	for (dup = 0, i = 0; i < mt.n; i++)
		dup += strncmp(mt.m[i].mountpoint, "/var/lib/docker/", 16) == 0;
	is_int(dup, 0, "server64: docker's overlays left out by mount point");
	is_int((long long)mt.nexcluded, 26,
	    "server64: 25 left out + 1 mounted over");

	/* A caller's lists replace the defaults. */
	f.fstypes = only_zfs;
	f.mountpoints = NULL;
	is_int(read_tree("server64", &f, err, sizeof(err)), VT_OK,
	    "server64, only zfs excluded: reads");
	is_int((long long)mt.n, 13, "server64: 13 kept");
	ok(mount_at("/run") != NULL && mount_at("/tank") == NULL,
	    "server64: tmpfs now in, zfs out");
	ok(mount_at("/dev/shm") == NULL, "server64: /dev still out by place");
	f.fstypes = NULL;
	f.mountpoints = no_mp;
	is_int(read_tree("server64", &f, err, sizeof(err)), VT_OK,
	    "server64, no mount point exclusion: reads");
	ok(mount_at("/var/lib/docker/overlay2/3f2a9c1d0b7e/merged") != NULL,
	    "server64: the overlay now in");

	/* legacy: rootfs under /. */
	is_int(read_tree("legacy", NULL, err, sizeof(err)), VT_OK,
	    "legacy: reads");
	is_int((long long)mt.n, 2, "legacy: / and /data");
	ok(mount_at("/") != NULL && strcmp(mount_at("/")->fstype, "ext3") ==
	    0, "legacy: / is the ext3 mounted over rootfs");

	/* Escapes and the mount point rules. */
	is_int(parse_str("/dev/sda1 /a\\011b\\012c\\134d ext4 ro,relatime 0 "
	    "0\n", NULL), VT_OK, "tab, newline, backslash escapes");
	is_str(mt.m[0].mountpoint, "/a\tb\nc\\d", "... decoded");
	ok(mt.m[0].readonly, "\"ro\" first: read-only");
	parse_str("/dev/sda1 /x ext4 rw,errors=ro,noatime 0 0\n", NULL);
	ok(!mt.m[0].readonly, "\"errors=ro\" is not read-only");
	parse_str("/dev/sda1 /x\\9 ext4 rw 0 0\n", NULL);
	is_str(mt.m[0].mountpoint, "/x\\9", "a bare backslash stays");
	parse_str("a /devices ext4 rw 0 0\nb /var/lib/docker ext4 rw 0 0\n",
	    NULL);
	ok(mount_at("/devices") != NULL,
	    "/dev excludes /dev and below, not /devices");
	ok(mount_at("/var/lib/docker") != NULL,
	    "/var/lib/docker/ excludes below it, not itself");

	/* Bad input. */
	is_int(read_tree("empty", NULL, err, sizeof(err)), VT_ERR,
	    "empty: error");
	is_int(read_tree("truncated", NULL, err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", NULL, err, sizeof(err)), VT_ERR,
	    "3 fields: error");
	is_int(parse_str("dev relative ext4 rw 0 0\n", NULL), VT_ERR,
	    "a relative mount point: error");

	/* Long names are skipped, not fatal; the table is bounded. */
	n = (size_t)snprintf(buf, sizeof(buf), "d /");
	memset(buf + n, 'x', 300);
	n += 300;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, " ext4 rw 0 0\n");
	ok(vt_proc_mounts_parse(buf, n, NULL, &mt, err, sizeof(err)) ==
	    VT_OK && mt.n == 0 && mt.nexcluded == 1,
	    "a 300-byte mount point: left out, counted");
	for (n = 0, i = 0; i < 70; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "/dev/x%zu /m%zu ext4 rw 0 0\n", i, i);
	ok(vt_proc_mounts_parse(buf, n, NULL, &mt, err, sizeof(err)) ==
	    VT_OK && mt.n == VT_MAX_MOUNTS && mt.ndropped == 70 - VT_MAX_MOUNTS,
	    "70 mounts: %d kept, the rest counted", VT_MAX_MOUNTS);

	is_int(cuts("proc/vm2/proc/self/mounts"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/self/mounts"), 0,
	    "server64: every mid-line cut fails cleanly");

	check_watch();
	done_testing();
	return tap_exit_status();
}

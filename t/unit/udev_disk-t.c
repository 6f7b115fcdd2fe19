/*
 * udev_disk-t.c: udev's database for node_disk_info: the "E:" lines'
 * parser, and the reader on the fixture trees (server64: an NVMe disk,
 * a SATA disk and a SAS disk with a label serial; vm2: no /run/udev).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/udev_disk.h"

static struct vt_proc_diskstats	ds;
static struct vt_disk_info	di;
static struct vt_udev_disk	one;

static void	add_row(const char *name, unsigned major, unsigned minor,
		    unsigned flags);
static int	read_tree(const char *tree);
static int	parse(const char *s);
static int	cut(const char *buf, size_t len);

static void
add_row(const char *name, unsigned major, unsigned minor, unsigned flags)
{
	struct vt_disk	*d = &ds.disk[ds.n++];

	snprintf(d->name, sizeof(d->name), "%s", name);
	d->major = major;
	d->minor = minor;
	d->flags = flags;
}

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_disk_info_read(root, &ds, &di, err, sizeof(err));
}

static int
parse(const char *s)
{
	char	err[VT_ERRLEN];

	memset(&one, 0, sizeof(one));
	return vt_udev_props_parse(s, strlen(s), &one, err, sizeof(err));
}

static int
cut(const char *buf, size_t len)
{
	memset(&one, 0, sizeof(one));
	return vt_udev_props_parse(buf, len, &one, NULL, 0);
}

int
main(void)
{
	const struct vt_udev_disk	*u;
	char				 longv[300];

	add_row("nvme0n1", 259, 0, VT_DISK_WHOLE);
	add_row("nvme0n1p1", 259, 1, 0);
	add_row("sda", 8, 0, VT_DISK_WHOLE);
	add_row("sdb", 8, 16, VT_DISK_WHOLE);
	add_row("loop0", 7, 0, VT_DISK_WHOLE | VT_DISK_IGNORED);

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int((long long)di.n, 4, "server64: every row but the ignored loop0");
	ok(vt_disk_info_find(&di, 7, 0) == NULL, "loop0: not looked up");
	u = vt_disk_info_find(&di, 259, 0);
	ok(u != NULL, "nvme0n1: found by 259:0");
	is_str(u->model, "SAMSUNG MZQL23T8HCLS-00A07", "nvme0n1: ID_MODEL");
	is_str(u->serial, "S64HNE0T512345", "nvme0n1: ID_SERIAL_SHORT");
	is_str(u->wwn, "eui.0025388b21b3c1a7", "nvme0n1: ID_WWN");
	is_str(u->revision, "GDC5602Q", "nvme0n1: ID_REVISION");
	is_str(u->path, "pci-0000:41:00.0-nvme-1",
	    "nvme0n1: ID_PATH, not ID_PATH_TAG");
	u = vt_disk_info_find(&di, 259, 1);
	ok(u != NULL && u->model[0] == '\0' && u->path[0] == '\0',
	    "nvme0n1p1: no database file, empty strings");
	u = vt_disk_info_find(&di, 8, 16);
	is_str(u->serial, "8HJ2ABCD",
	    "sdb: SCSI_IDENT_SERIAL (the label's) over ID_SERIAL_SHORT");
	is_str(vt_disk_info_find(&di, 8, 0)->model, "ST4000NM0035-1V4107",
	    "sda: ID_MODEL, not ID_MODEL_ENC");
	is_int((long long)di.unreadable, 0, "server64: no unreadable file");

	is_int(read_tree("vm2"), VT_OK, "vm2: no /run/udev: reads");
	is_int((long long)di.n, 4, "vm2: the same rows");
	ok(vt_disk_info_find(&di, 8, 0)->serial[0] == '\0',
	    "vm2: every string empty, as node_exporter gives");

	is_int(read_tree("truncated"), VT_OK, "truncated file: still VT_OK");
	u = vt_disk_info_find(&di, 8, 0);
	ok(u->model[0] == '\0' && u->serial[0] == '\0',
	    "truncated file: the device stays, its labels empty");
	is_int((long long)di.unreadable, 1, "truncated file: counted");

	is_int(parse("E:ID_MODEL=a=b\n"), VT_OK, "a value with '='");
	is_str(one.model, "a=b", "a value with '=': kept whole");
	is_int(parse("E:ID_MODEL\nS:ID_MODEL=x\nE:XID_MODEL=y\n"), VT_OK,
	    "no '=', another line type, another key: read");
	is_str(one.model, "", "... and all skipped");
	is_int(parse("E:SCSI_IDENT_SERIAL=L\nE:ID_SERIAL_SHORT=S\n"), VT_OK,
	    "label serial first");
	is_str(one.serial, "L", "the label serial stays");
	memset(longv, 'x', sizeof(longv));
	memcpy(longv, "E:ID_PATH=", 10);
	longv[sizeof(longv) - 2] = '\n';
	longv[sizeof(longv) - 1] = '\0';
	is_int(parse(longv), VT_OK, "a 288-byte ID_PATH: read");
	is_int((long long)strlen(one.path), VT_UDEV_PATH_LEN - 1,
	    "a 288-byte ID_PATH: cut to the field");
	is_int(parse("E:ID_MODEL=x"), VT_ERR, "no newline: error");
	is_int(vt_udev_props_parse("E:ID_MODEL=a\0b\n", 15, &one, NULL, 0),
	    VT_ERR, "a NUL byte: error");
	is_int((long long)tap_fixture_cuts(
	    "proc/server64/run/udev/data/b8:16", cut), 0,
	    "b8:16: every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

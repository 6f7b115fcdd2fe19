/*
 * proc_sys_fs.h: /proc/sys/fs/file-nr, the system's open file handles
 * (node_exporter's filefd collector): allocated, allocated but unused
 * (always 0 since Linux 2.6), and the maximum, fs.file-max.
 */
#ifndef VT_COLLECT_PROC_SYS_FS_H
#define VT_COLLECT_PROC_SYS_FS_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_file_nr {
	uint64_t	allocated;
	uint64_t	unused;
	uint64_t	max;		/* 0: not read */
};

/*
 * Parse the text of /proc/sys/fs/file-nr ("1474\t0\t2466248\n": three
 * numbers on one line) in buf[0..len) into *out.  Returns VT_OK, or VT_ERR
 * with a reason in err.  No I/O, no state.
 */
int	vt_proc_sys_fs_file_nr_parse(const char *buf, size_t len,
	    struct vt_file_nr *out, char *err, size_t errlen);

/* Read <root>/proc/sys/fs/file-nr and parse it.  Returns VT_OK or VT_ERR. */
int	vt_proc_sys_fs_file_nr_read(const char *root, struct vt_file_nr *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_SYS_FS_H */

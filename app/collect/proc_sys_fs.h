/*
 * proc_sys_fs.h: /proc/sys/fs/file-nr, the system's open file handles
 * (node_exporter's filefd collector): allocated, allocated but unused
 * (always 0 since Linux 2.6), and the maximum, fs.file-max.
 */
#ifndef VT_COLLECT_PROC_SYS_FS_H
#define VT_COLLECT_PROC_SYS_FS_H

#include <stdint.h>

struct vt_file_nr {
	uint64_t	allocated;
	uint64_t	unused;
	uint64_t	max;		/* 0: not read */
};

#endif /* VT_COLLECT_PROC_SYS_FS_H */

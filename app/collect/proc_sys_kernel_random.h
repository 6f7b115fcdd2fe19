/*
 * proc_sys_kernel_random.h: /proc/sys/kernel/random/entropy_avail and
 * poolsize, in bits (node_exporter's entropy collector).  Since Linux
 * 5.18 both are always 256 (the pool is a BLAKE2s hash, never "empty");
 * before, a starved pool was why a TLS server or sshd stalled at boot.
 * Gauges, read on the process-scan ticks.
 */
#ifndef VT_COLLECT_PROC_SYS_KERNEL_RANDOM_H
#define VT_COLLECT_PROC_SYS_KERNEL_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_entropy {
	uint64_t	avail_bits;	/* entropy_avail */
	uint64_t	pool_bits;	/* poolsize */
};

/*
 * Read both files under <root>/proc/sys/kernel/random/ (each one number,
 * parsed by vt_pf_one_u64()).  Either missing or malformed is an error,
 * as in node_exporter.  Returns VT_OK, or VT_ERR with a reason in err.
 */
int	vt_entropy_read(const char *root, struct vt_entropy *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_PROC_SYS_KERNEL_RANDOM_H */

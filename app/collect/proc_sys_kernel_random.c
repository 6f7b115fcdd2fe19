/*
 * proc_sys_kernel_random.c: read the entropy pool's two figures (see
 * proc_sys_kernel_random.h).  The parser is vt_pf_one_u64() (procfile.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_sys_kernel_random.h"

int
vt_entropy_read(const char *root, struct vt_entropy *out, char *err,
    size_t errlen)
{
	if (vt_procfile_read_u64(root, "proc/sys/kernel/random/entropy_avail",
	    &out->avail_bits, err, errlen) == VT_ERR ||
	    vt_procfile_read_u64(root, "proc/sys/kernel/random/poolsize",
	    &out->pool_bits, err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

/*
 * derive.h: every figure of a host sample that is computed from the raw
 * collector output, in one place: the rates against the previous sample,
 * used memory, swap and space, the network and disk totals, and the point
 * the charts draw.  The sampler calls it once a tick; the renderers and
 * the page only read what it wrote.
 */
#ifndef VT_DERIVE_H
#define VT_DERIVE_H

#include "host.h"

/*
 * Fill the derived members of cur (see host.h) from its raw members and
 * from prev, the sample taken interval_s seconds before it.  Without a
 * previous sample (prev NULL, or interval_s zero, negative or not
 * finite) cur->interval_s is 0 and every rate is 0; the other figures
 * need only cur.  Interfaces and disks are matched to prev by name, the
 * CPUs by id; a counter that went backwards gives a rate of 0 (rate.h).
 * Pure: reads prev and cur's raw members, writes cur's derived ones
 * (all of them, so a second call gives the same result), keeps nothing.
 */
void	vt_derive(struct vt_host *cur, const struct vt_host *prev,
	    double interval_s);

#endif /* VT_DERIVE_H */

/*
 * checks_input.h: the adapter from what the master has on a tick (the
 * host sample, the pool view, the shared health result) to the check
 * engine's input (checks.h).  Pure: it reads its arguments only.
 */
#ifndef VT_CHECKS_INPUT_H
#define VT_CHECKS_INPUT_H

#include "checks.h"
#include "health.h"
#include "host.h"
#include "poolview.h"

/*
 * Fill in from the sample h, the pool view pv (NULL: no pool) and the
 * last health result hr (status -1: never probed).  lateness_s is how
 * late this tick ran.  A check's input is marked known only when its
 * collector succeeded (and, for rates, when there was a previous sample).
 */
void	vt_checks_input_fill(struct vt_checks_input *in,
	    const struct vt_host *h, const struct vt_poolview *pv,
	    const struct vt_health_result *hr, double lateness_s);

#endif /* VT_CHECKS_INPUT_H */

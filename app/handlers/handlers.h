/*
 * handlers.h: the endpoint handlers, one file per endpoint family.  Each
 * checks its parameters, reads shared memory (never /proc, never the
 * database without a deadline), renders and returns a status.
 */
#ifndef VT_HANDLERS_H
#define VT_HANDLERS_H

#include "reply.h"

/* health.c */
int	vt_handle_health_live(const struct vt_request *, struct vt_reply *);
int	vt_handle_health(const struct vt_request *, struct vt_reply *);
int	vt_handle_health_ready(const struct vt_request *, struct vt_reply *);

/* metrics.c */
int	vt_handle_api_metrics(const struct vt_request *, struct vt_reply *);
int	vt_handle_metrics(const struct vt_request *, struct vt_reply *);

/* checks.c */
int	vt_handle_api_checks(const struct vt_request *, struct vt_reply *);
/* history.c */
int	vt_handle_api_history(const struct vt_request *, struct vt_reply *);

/* status.c */
int	vt_handle_status(const struct vt_request *, struct vt_reply *);

/* dashboard.c */
int	vt_handle_dashboard(const struct vt_request *, struct vt_reply *);

/* testhooks.c: compiled in only with --enable-test-hooks */
int	vt_handle_test_sleep(const struct vt_request *, struct vt_reply *);

#endif /* VT_HANDLERS_H */

/*
 * history_db.h: the long ranges of /api/history (6h, 24h, 7d, 30d), read
 * from the recorder's tables and downsampled in SQL to at most about 500
 * points per series: samples_10s up to 48 hours, samples_1m beyond.
 *
 * The document has the shape of the ring-backed ranges (handlers/
 * history.c), with "source":"database":
 *
 *	{"range":"6h","step_seconds":60,"source":"database","points":N,
 *	 "timestamps_ms":[…],"series":{"cpu_percent":[…],…}}
 *
 * A point is the mean of a step (weighted by the samples of its rows),
 * timestamped at the step's start; a step without rows has no point.
 * Series are every VT_S_* name, in order.
 */
#ifndef VT_HISTORY_DB_H
#define VT_HISTORY_DB_H

#include <stddef.h>

#include "buf.h"
#include "db.h"

#define VT_HISTORY_DB_POINTS	500	/* per series, at most about */

/* The length of a long range in seconds ("6h" ...), or -1 if not one. */
int	vt_history_db_range(const char *range);

/*
 * The step of a range: the smallest of 10 s, 20 s, 30 s, 1, 2, 3, 5, 10,
 * 15, 20, 30 min, 1, 2, 3, 6, 12 h that is a multiple of its table's
 * resolution and gives at most VT_HISTORY_DB_POINTS steps.  Seconds, or
 * -1 for a range that is not a long one.
 */
int	vt_history_db_step(int range_s);

/*
 * Read the history of "host" (NULL: this host, as the recorder names it)
 * over "range" ending now, with one query under timeout_ms, and write the
 * document, ending with "\n", into out (reset first).  Returns VT_OK, or
 * VT_ERR with out reset, the category in *cat (VT_DB_ERROR for a bad
 * range or a document past out's cap) and the reason in err, which may
 * carry the driver's text: log it, reply with the category only.  The
 * caller's struct vt_db is used as it is (connected on demand, in
 * back-off: fails at once).
 */
int	vt_history_db(struct vt_db *db, const char *host, const char *range,
	    int timeout_ms, struct vt_buf *out, enum vt_db_err *cat, char *err,
	    size_t errlen);

#endif /* VT_HISTORY_DB_H */

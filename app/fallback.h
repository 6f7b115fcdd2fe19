/*
 * fallback.h: the master's verdict where nginx can serve it without the
 * pool.
 *
 * The page, /api/metrics and /api/checks are served by the workers, so a
 * pool that cannot serve (every worker stopped or hung, a crash loop in
 * back-off) cannot say so itself: the operator would see a 502, a 504 or
 * a spinner.  The master keeps sampling and judging meanwhile, so it also
 * writes what it published into a directory (fallback_dir): metrics.json,
 * checks.json and page.html (the page of GET /, by the same renderer).
 * How often depends on whether anyone may need them:
 *  - the pool looks strained (vt_poolview_strained: connections waiting,
 *    no idle worker, a crash loop) or the verdict is not OK, or nginx
 *    served a file in the last VT_FALLBACK_READ_HOLD_MS: the JSON files
 *    every tick, the page every VT_FALLBACK_PAGE_MS;
 *  - otherwise, all three every VT_FALLBACK_CALM_MS;
 *  - and all three on every check transition.
 * A served file is seen from an inotify watch of the directory (IN_ACCESS:
 * nginx's read(2) or sendfile(2) of any file in it), drained once a tick
 * with one read(2) that finds nothing while nobody reads; whatever the
 * mount's atime option.  (It was the files' atime, three stat(2)s a tick,
 * blind on a noatime mount.)  Without the watch (inotify's per-user
 * limit, logged) reads are not seen.  So the calm period bounds only the
 * age of the first answer to a fault the master cannot see (nginx unable
 * to reach the socket, say): that read is seen, and the files are fresh
 * from the next tick; the page says how old its sample is.  Writing three
 * files every tick while nobody needed them was a fifth of the idle
 * master's CPU on ext4 (the rename alone about 90 us a file); every 5 s
 * it was still a tenth (a round of three about 1.6 ms on this VM's disk,
 * perf of the idle master of ./stack up, issue 14), so calm is 30 s.
 *
  * transition.  nginx answers those three paths from these files when the
 * pool does not answer in time, keeping the 5xx status, with
 * X-Vitals-Source: master-fallback and Cache-Control: no-store
 * (conf/nginx/vitals-routes.conf); the open page reads them the same way
 * (dashboard.js).
 *
 * Each file is replaced whole (written beside it, then renamed), so nginx
 * never serves half of one.  Its size is bounded by the published
 * document's (VT_DOC_MAX) and the page's (VT_HTML_PAGE_MAX) caps.  No
 * fsync: the directory is meant for tmpfs (/run), and a file lost in a
 * crash is rewritten on the next tick.  A failed write is counted and
 * logged once per outage; the tick goes on.
 *
 * Ownership: the master owns the struct; the sampler is lent a pointer.
 */
#ifndef VT_FALLBACK_H
#define VT_FALLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "vitals.h"

/* The page is rendered this often at most, and on every transition. */
#define VT_FALLBACK_PAGE_MS	2000
/* Every file is written this often at least. */
#define VT_FALLBACK_CALM_MS	30000
/* A file seen served keeps the JSON files written every tick this long. */
#define VT_FALLBACK_READ_HOLD_MS 10000

struct vt_fallback {
	char		dir[VT_PATH_LEN];	/* "": off */
	struct vt_buf	page;
	int64_t		page_at;	/* monotonic ms of the last page */
	int64_t		json_at;	/* ... of the last JSON files */
	int64_t		read_at;	/* ... a served file was last seen */
	int64_t		page_us;	/* its render's cost */
	uint64_t	writes;
	uint64_t	errors;
	int		failing;	/* the last write failed */
	int		watch;		/* inotify fd on dir ... */
	int		watching;	/* ... when set */
};

/*
 * Set f up to write into dir ("" or NULL: off), creating dir (one level,
 * mode 0755) when it is missing.  VT_OK, or VT_ERR (logged) when dir is
 * not usable: f is then off, and the pool runs on without it.
 */
int	vt_fallback_init(struct vt_fallback *f, const char *dir);

/* Point f at another dir (a reload), keeping its figures. */
int	vt_fallback_set(struct vt_fallback *f, const char *dir);

/*
 * One tick's files, those due (see above): metrics (the /api/metrics
 * document), checks (the /api/checks one) and the page.  transition is
 * not 0 when a check changed state, needed when the pool looks strained
 * or the verdict is not OK.  now is monotonic ms.
 */
void	vt_fallback_tick(struct vt_fallback *f, const struct vt_buf *metrics,
	    const struct vt_buf *checks, int transition, int needed,
	    int64_t now);

/*
 * Remove the files (a master that stops without a successor): a stale
 * verdict must not stand in for a pool that is gone; nginx then answers
 * its JSON 502.
 */
void	vt_fallback_remove(struct vt_fallback *f);

void	vt_fallback_free(struct vt_fallback *f);

#endif /* VT_FALLBACK_H */

/*
 * fallback.h: the master's verdict where nginx can serve it without the
 * pool.
 *
 * The page, /api/metrics and /api/checks are served by the workers, so a
 * pool that cannot serve (every worker stopped or hung, a crash loop in
 * back-off) cannot say so itself: the operator would see a 502, a 504 or
 * a spinner.  The master keeps sampling and judging meanwhile, so it also
 * writes what it published into a directory (fallback_dir): metrics.json
 * and checks.json on every tick, page.html (the page of GET /, by the
 * same renderer) every VT_FALLBACK_PAGE_MS and on every check
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

struct vt_fallback {
	char		dir[VT_PATH_LEN];	/* "": off */
	struct vt_buf	page;
	int64_t		page_at;	/* monotonic ms of the last page */
	int64_t		page_us;	/* its render's cost */
	uint64_t	writes;
	uint64_t	errors;
	int		failing;	/* the last write failed */
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
 * One tick's files: metrics (the /api/metrics document), checks (the
 * /api/checks one), and the page when VT_FALLBACK_PAGE_MS have passed
 * since the last or transition is not 0.  now is monotonic ms.
 */
void	vt_fallback_tick(struct vt_fallback *f, const struct vt_buf *metrics,
	    const struct vt_buf *checks, int transition, int64_t now);

/*
 * Remove the files (a master that stops without a successor): a stale
 * verdict must not stand in for a pool that is gone; nginx then answers
 * its JSON 502.
 */
void	vt_fallback_remove(struct vt_fallback *f);

void	vt_fallback_free(struct vt_fallback *f);

#endif /* VT_FALLBACK_H */

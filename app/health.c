/*
 * health.c: the single-flight database probe (see health.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "health.h"
#include "log.h"
#include "scoreboard.h"
#include "vitals.h"

#define HEALTH_POLL_MS	2

void
vt_health_last(const struct vt_health_state *h, struct vt_health_result *out)
{
	uint32_t	a, b;
	int		tries;

	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&h->seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		memcpy(out, (const void *)&h->r, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&h->seq, __ATOMIC_RELAXED);
		if (a == b) {
			/* A zeroed mapping means "never probed". */
			if (out->checked_mono_ms == 0)
				out->status = -1;
			return;
		}
	}
	memset(out, 0, sizeof(*out));
	out->status = -1;
}

static void
health_publish(struct vt_health_state *h, const struct vt_health_result *r)
{
	__atomic_fetch_add(&h->seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(&h->r, r, sizeof(*r));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&h->seq, 1, __ATOMIC_RELAXED);
}

static int
health_claim(struct vt_health_state *h, int timeout_ms, int64_t now)
{
	int32_t	owner = __atomic_load_n(&h->owner, __ATOMIC_ACQUIRE);
	int64_t	since = __atomic_load_n(&h->owner_since_mono_ms,
		    __ATOMIC_ACQUIRE);

	/* A prober that outlived two deadlines is gone or stuck: take over. */
	if (owner != 0 && now - since <= 2 * (int64_t)timeout_ms)
		return 0;
	if (!__atomic_compare_exchange_n(&h->owner, &owner, (int32_t)getpid(),
	    0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return 0;
	__atomic_store_n(&h->owner_since_mono_ms, now, __ATOMIC_RELEASE);
	return 1;
}

/* Was the result r still an answer at monotonic time t? */
static int
health_fresh(const struct vt_health_result *r, int64_t t, int cache_ms,
    int slack_ms)
{
	return t - r->checked_mono_ms <= (int64_t)cache_ms + slack_ms;
}

static void
health_probe(struct vt_health_state *h, struct vt_db **db,
    const char *option_file, const char *group, int timeout_ms,
    struct vt_health_result *out)
{
	struct vt_db_probe	p;
	char			err[VT_ERRLEN], q[VT_ERRLEN + 8];

	memset(&p, 0, sizeof(p));
	vt_count(&h->probes, 1);
	if (*db == NULL)
		*db = vt_db_open(option_file, group);
	if (*db == NULL) {
		p.status = VT_DB_ERROR;
		snprintf(err, sizeof(err), option_file == NULL ?
		    "db_config is not set" : "cannot set up a connection");
	} else {
		err[0] = '\0';
		(void)vt_db_probe(*db, timeout_ms, &p, err, sizeof(err));
	}
	memset(out, 0, sizeof(*out));
	out->status = (int32_t)p.status;
	out->schema_version = p.schema_version;
	out->db_time = p.db_time;
	out->latency_ms = p.latency_ms;
	out->checked_at_ms = vt_wall_ms();
	out->checked_mono_ms = vt_mono_ms();
	if (p.status != VT_DB_OK && !p.backoff)
		/* The driver's words stay in the log. */
		vt_log_warn("health_probe_failed", "category=%s latency_ms=%.1f "
		    "error=%s", vt_db_err_name(p.status), p.latency_ms,
		    vt_log_quote(q, sizeof(q), err));
	if ((unsigned)p.status < VT_ARRAY_LEN(h->results))
		vt_count(&h->results[p.status], 1);
	health_publish(h, out);
}

enum vt_health_source
vt_health_get(struct vt_health_state *h, struct vt_db **db,
    const char *option_file, const char *group, int timeout_ms, int cache_ms,
    struct vt_health_result *out)
{
	int64_t		now = vt_mono_ms(), deadline = now + timeout_ms;
	struct timespec	ts = { 0, HEALTH_POLL_MS * 1000000L };

	vt_health_last(h, out);
	if (out->status >= 0 && now - out->checked_mono_ms <= cache_ms)
		return VT_HEALTH_CACHED;
	if (health_claim(h, timeout_ms, now)) {
		health_probe(h, db, option_file, group, timeout_ms, out);
		/*
		 * Free the claim, unless a rival took it over because this
		 * probe outlived two deadlines (a stopped process).
		 */
		vt_health_release(h, getpid());
		return VT_HEALTH_PROBED;
	}
	/*
	 * Someone else is probing.  A result at most one deadline past its
	 * cache time is still an answer, and so is one that was an answer
	 * when the probe in flight began: that probe replaces it within a
	 * deadline, so the answer is never older than cache_ms plus two
	 * deadlines.  Without the second rule every request that came in
	 * during the tail of a late-started probe (the recorder's refresh,
	 * or the first request after a quiet spell) waited on it, and with
	 * a hung database several workers at once sat out the deadline.
	 * With neither, wait for the probe in flight only while it is
	 * younger than the deadline.
	 */
	if (out->status >= 0 && (health_fresh(out, now, cache_ms, timeout_ms) ||
	    (health_fresh(out, now, cache_ms, 2 * timeout_ms) &&
	    health_fresh(out, __atomic_load_n(&h->owner_since_mono_ms,
	    __ATOMIC_ACQUIRE), cache_ms, timeout_ms))))
		return VT_HEALTH_SHARED;
	for (;;) {
		int64_t	since = __atomic_load_n(&h->owner_since_mono_ms,
			    __ATOMIC_ACQUIRE);
		int32_t	owner = __atomic_load_n(&h->owner, __ATOMIC_ACQUIRE);

		now = vt_mono_ms();
		if (owner == 0) {
			vt_health_last(h, out);
			if (out->status >= 0 &&
			    health_fresh(out, now, cache_ms, timeout_ms))
				return VT_HEALTH_SHARED;
		}
		if ((owner != 0 && now - since >= timeout_ms) ||
		    now >= deadline)
			break;
		nanosleep(&ts, NULL);
	}
	memset(out, 0, sizeof(*out));
	out->status = VT_DB_TIMEOUT;
	out->checked_at_ms = vt_wall_ms();
	out->checked_mono_ms = vt_mono_ms();
	return VT_HEALTH_INFLIGHT_TIMEOUT;
}

void
vt_health_release(struct vt_health_state *h, pid_t pid)
{
	int32_t	owner = (int32_t)pid;

	(void)__atomic_compare_exchange_n(&h->owner, &owner, 0, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

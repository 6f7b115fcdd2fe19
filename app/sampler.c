/*
 * sampler.c: the once-a-second host sampler (see sampler.h).
 *
 * Cost, measured here (2 vCPUs, ~150 processes): all collectors but the
 * process scan take about 1 ms a tick; the process scan about 2-4 ms, so
 * it runs every 5th tick by default.  The master publishes its own CPU
 * time as vitals_sampler_duration_seconds and in /api/metrics.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checks_input.h"
#include "clock.h"
#include "collect/procfile.h"
#include "derive.h"
#include "log.h"
#include "poolview.h"
#include "render/checks.h"
#include "render/json.h"
#include "render/openmetrics.h"
#include "render/prom.h"
#include "sampler.h"
#include "scoreboard.h"

/*
 * zlib's level for /metrics: 6 (its default) takes the 30-40 KB text to
 * about 5 KB in well under a millisecond, once a tick, where nginx would
 * spend about as much per scrape at its level 1.
 */
#define SAMPLER_GZIP_LEVEL	6

const char *const vt_collector_names[VT_COL_N] = {
	"stat", "meminfo", "loadavg", "uptime", "net_dev", "diskstats",
	"mounts", "filesystem", "tcp", "netstat", "pressure", "processes",
};

int
vt_sampler_init(struct vt_sampler *s, const struct vt_sampler_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->opt = *o;
	snprintf(s->root, sizeof(s->root), "%s", o->root ? o->root : "/");
	s->opt.root = s->root;
	if (s->opt.fs_deadline_ms <= 0)
		s->opt.fs_deadline_ms = 200;
	if (s->opt.top_every <= 0)
		s->opt.top_every = 5;
	if (s->opt.top_budget_ms <= 0)
		s->opt.top_budget_ms = 50;
	s->filter.fstypes = vt_mounts_default_fstypes;
	s->filter.mountpoints = vt_mounts_default_mountpoints;
	vt_fs_helper_init(&s->fs);
	s->h[0] = calloc(1, sizeof(struct vt_host));
	s->h[1] = calloc(1, sizeof(struct vt_host));
	s->pids[0] = calloc(1, sizeof(struct vt_pid_table));
	s->pids[1] = calloc(1, sizeof(struct vt_pid_table));
	s->checks = calloc(1, sizeof(struct vt_checks));
	s->checks_in = calloc(1, sizeof(struct vt_checks_input));
	if (s->checks != NULL)
		vt_checks_init(s->checks);
	if (s->opt.health_stale_ms <= 0)
		s->opt.health_stale_ms =
		    (int64_t)(s->opt.checks.health_stale_s * 1000);
	if (s->h[0] == NULL || s->h[1] == NULL || s->pids[0] == NULL ||
	    s->pids[1] == NULL || s->checks == NULL || s->checks_in == NULL ||
	    vt_buf_init(&s->checks_doc, 8 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->json, 64 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->prom, 128 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->om, 128 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_buf_init(&s->gz, 32 * 1024, VT_DOC_MAX) == VT_ERR ||
	    vt_gzip_init(&s->gzip, SAMPLER_GZIP_LEVEL) == VT_ERR) {
		vt_sampler_free(s);
		return VT_ERR;
	}
	return VT_OK;
}

void
vt_sampler_free(struct vt_sampler *s)
{
	(void)vt_fs_helper_cleanup(&s->fs);
	free(s->h[0]);
	free(s->h[1]);
	free(s->pids[0]);
	free(s->pids[1]);
	free(s->checks);
	free(s->checks_in);
	vt_buf_free(&s->checks_doc);
	vt_buf_free(&s->json);
	vt_buf_free(&s->prom);
	vt_buf_free(&s->om);
	vt_buf_free(&s->gz);
	vt_gzip_free(&s->gzip);
	memset(s, 0, sizeof(*s));
}

/* One line of a small /proc/sys file, trimmed, into dst. */
static void
sampler_line(const char *root, const char *rel, char *dst, size_t len)
{
	char	buf[256], err[64];
	size_t	n = 0;

	dst[0] = '\0';
	if (vt_procfile_read(root, rel, buf, sizeof(buf), &n, err,
	    sizeof(err)) == VT_ERR)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, buf, n);
	dst[n] = '\0';
}

/* Note a collector's result; log only when its state changes. */
static void
sampler_result(struct vt_sampler *s, struct vt_host *h, enum vt_collector c,
    int rc, const char *err, int64_t t0)
{
	unsigned	bit = VT_HAVE(c);

	h->st.col_duration_s[c] = (double)(vt_mono_us() - t0) / 1e6;
	if (rc == VT_OK) {
		h->have |= bit;
		if (s->failing & bit)
			vt_log_info("collector_recovered", "collector=%s",
			    vt_collector_names[c]);
		s->failing &= ~bit;
		return;
	}
	s->col_errors[c]++;
	if (!(s->failing & bit)) {
		char	q[VT_ERRLEN + 8];

		vt_log_warn("collector_failed", "collector=%s error=%s",
		    vt_collector_names[c], vt_log_quote(q, sizeof(q), err));
	}
	s->failing |= bit;
}

static void
sampler_top(struct vt_sampler *s, struct vt_host *h, const struct vt_host *p,
    int64_t mono_us)
{
	struct vt_pid_table    *cur = s->pids[s->pcur ^ 1];
	struct vt_pid_table    *prev = s->pids[s->pcur];
	char			err[VT_ERRLEN];
	int64_t			t0 = vt_mono_us();
	int			rc;

	/* Between scans, carry the last result forward. */
	if (s->have_pids && s->samples % (uint64_t)s->opt.top_every != 0) {
		memcpy(h->top_cpu, p->top_cpu, sizeof(h->top_cpu));
		memcpy(h->top_mem, p->top_mem, sizeof(h->top_mem));
		h->ntop_cpu = p->ntop_cpu;
		h->ntop_mem = p->ntop_mem;
		h->top_ts_ms = p->top_ts_ms;
		if (p->have & VT_HAVE(VT_COL_PROCESSES))
			h->have |= VT_HAVE(VT_COL_PROCESSES);
		return;
	}
	rc = vt_proc_pid_scan(s->root, cur, VT_PID_TABLE_MAX,
	    s->opt.top_budget_ms, err, sizeof(err));
	sampler_result(s, h, VT_COL_PROCESSES, rc, err, t0);
	if (rc == VT_ERR)
		return;
	h->ntop_mem = vt_pid_top_mem(cur, h->top_mem);
	if (s->have_pids)
		h->ntop_cpu = vt_pid_top_cpu(prev, cur,
		    (double)(mono_us - s->pids_mono_us) / 1e6, h->hz,
		    h->top_cpu);
	h->top_ts_ms = h->ts_ms;
	s->pids_mono_us = mono_us;
	s->pcur ^= 1;
	s->have_pids = 1;
}

const struct vt_host *
vt_sampler_collect(struct vt_sampler *s, int64_t ts_ms, int64_t mono_us)
{
	struct vt_host	       *h = s->h[s->cur ^ 1];
	const struct vt_host   *p = s->h[s->cur];
	char			err[VT_ERRLEN];
	double			interval_s;
	unsigned long		deaths, timeouts;
	int64_t			t0, start = vt_mono_us();
	int			rc;
	size_t			i;

	memset(h, 0, sizeof(*h));
	h->ts_ms = ts_ms;
	h->hz = sysconf(_SC_CLK_TCK);
	if (h->hz <= 0)
		h->hz = 100;
	interval_s = s->samples > 0 && mono_us > s->last_mono_us ?
	    (double)(mono_us - s->last_mono_us) / 1e6 : 0;
	sampler_line(s->root, "proc/sys/kernel/hostname", h->hostname,
	    sizeof(h->hostname));
	sampler_line(s->root, "proc/sys/kernel/osrelease", h->kernel,
	    sizeof(h->kernel));

#define COLLECT(col, call) do {						\
		t0 = vt_mono_us();					\
		err[0] = '\0';						\
		rc = (call);						\
		sampler_result(s, h, (col), rc, err, t0);		\
	} while (0)

	COLLECT(VT_COL_STAT, vt_proc_stat_read(s->root, &h->stat, err,
	    sizeof(err)));
	COLLECT(VT_COL_MEMINFO, vt_proc_meminfo_read(s->root, &h->mem, err,
	    sizeof(err)));
	COLLECT(VT_COL_LOADAVG, vt_proc_loadavg_read(s->root, &h->load, err,
	    sizeof(err)));
	COLLECT(VT_COL_UPTIME, vt_proc_uptime_read(s->root, &h->uptime, err,
	    sizeof(err)));
	COLLECT(VT_COL_NET_DEV, vt_proc_net_dev_read(s->root, &h->net, err,
	    sizeof(err)));
	COLLECT(VT_COL_DISKSTATS, vt_proc_diskstats_read(s->root, &h->disk,
	    err, sizeof(err)));
	COLLECT(VT_COL_MOUNTS, vt_proc_mounts_read(s->root, &s->filter,
	    &h->mounts, err, sizeof(err)));
	if (s->opt.statvfs && (h->have & VT_HAVE(VT_COL_MOUNTS))) {
		deaths = s->fs.deaths;
		timeouts = s->fs.timeouts;
		COLLECT(VT_COL_FILESYSTEM, vt_fs_usage(&s->fs, &h->mounts,
		    s->opt.fs_deadline_ms, err, sizeof(err)));
		for (i = 0; i < h->mounts.n; i++)
			if (h->mounts.m[i].state == VT_FS_TIMEOUT)
				s->fs_timeouts++;
		/* A lost helper is replaced (now, or after its back-off). */
		if (s->fs.deaths != deaths || s->fs.timeouts != timeouts)
			vt_log_warn("statvfs_helper_lost", "reason=%s "
			    "helper_starts=%lu", s->fs.deaths != deaths ?
			    "exited" : "deadline", s->fs.starts);
	}
	COLLECT(VT_COL_TCP, vt_tcp_states_read(s->root, &h->tcp, err,
	    sizeof(err)));
	COLLECT(VT_COL_NETSTAT, vt_proc_net_netstat_read(s->root, &h->netstat,
	    err, sizeof(err)));
	COLLECT(VT_COL_PRESSURE, vt_proc_pressure_read(s->root, &h->pressure,
	    err, sizeof(err)));
#undef COLLECT
	vt_derive(h, p, interval_s);
	sampler_top(s, h, p, mono_us);

	s->last_mono_us = mono_us;
	s->samples++;
	h->st.samples = s->samples;
	h->st.duration_s = (double)(vt_mono_us() - start) / 1e6;
	s->duration_sum_s += h->st.duration_s;
	h->st.duration_sum_s = s->duration_sum_s;
	memcpy(h->st.col_errors, s->col_errors, sizeof(h->st.col_errors));
	h->st.fs_timeouts = s->fs_timeouts;
	{
		struct rusage	ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0)
			h->st.cpu_time_us = (uint64_t)ru.ru_utime.tv_sec *
			    1000000 + (uint64_t)ru.ru_utime.tv_usec +
			    (uint64_t)ru.ru_stime.tv_sec * 1000000 +
			    (uint64_t)ru.ru_stime.tv_usec;
	}
	s->cur ^= 1;
	return h;
}

/*
 * Publish one /metrics document (VT_EXPO_TEXT or VT_EXPO_OM) and its
 * gzipped twin.  An empty document (its rendering failed) or a failed
 * compression publishes an empty twin, which workers take as "send the
 * uncompressed one".
 */
static void
sampler_publish(struct vt_sampler *s, struct vt_shm *shm, enum vt_expo e,
    const struct vt_buf *doc, int64_t ts_ms)
{
	vt_buf_reset(&s->gz);
	if (doc->len > 0) {
		(void)vt_doc_publish(&shm->metrics_prom[e], doc->data,
		    doc->len, ts_ms);
		if (vt_gzip(&s->gzip, doc->data, doc->len, &s->gz) == VT_ERR) {
			vt_log_warn("gzip_failed", "bytes=%zu", doc->len);
			vt_buf_reset(&s->gz);
		}
	}
	(void)vt_doc_publish(&shm->metrics_prom[e + 1], s->gz.data, s->gz.len,
	    ts_ms);
}

/* One log line per transition, and the notify command's queue. */
static void
sampler_transitions(struct vt_sampler *s, const struct vt_host *h)
{
	const struct vt_checks *c = s->checks;
	char			q[256], v[32], t[32];
	int			i;

	for (i = 0; i < VT_CHECK_N; i++) {
		const struct vt_check_item *it = &c->item[i];

		if (!(c->changed & (1u << i)))
			continue;
		if (it->has_value)
			snprintf(v, sizeof(v), "%.6g", it->value);
		else
			snprintf(v, sizeof(v), "null");
		if (it->has_threshold)
			snprintf(t, sizeof(t), "%.6g", it->threshold);
		else
			snprintf(t, sizeof(t), "null");
		vt_log(it->state == VT_CHECK_OK ? VT_LOG_INFO : VT_LOG_WARN,
		    "check_transition", "check=%s from=%s to=%s value=%s "
		    "threshold=%s summary=%s", vt_check_names[i],
		    vt_check_state_names[c->from[i]],
		    vt_check_state_names[it->state], v, t,
		    vt_log_quote(q, sizeof(q), it->summary));
		if (s->opt.notify != NULL)
			vt_notify_queue(s->opt.notify, c, i, h->hostname);
	}
}

/*
 * Judge the sample: the engine's input from the sample, the pool view
 * and the shared health result; its time goes in the cost report.
 */
static void
sampler_judge(struct vt_sampler *s, struct vt_shm *shm,
    const struct vt_host *h)
{
	struct vt_health_result	hr;
	double			late = 0;
	int64_t			t0 = vt_mono_us();

	vt_health_last(&shm->health, &hr);
	if (h->interval_s > 0 && s->opt.interval_s > 0)
		late = h->interval_s - s->opt.interval_s;
	vt_checks_input_fill(s->checks_in, h, &s->pool, &hr, late);
	vt_checks_eval(s->checks, &s->opt.checks, s->checks_in);
	s->checks_us = vt_mono_us() - t0;
	s->checks->eval_us = s->checks_us;
	if (s->checks->changed != 0)
		sampler_transitions(s, h);
	vt_buf_reset(&s->checks_doc);
	if (vt_checks_json(s->checks, &s->checks_doc) == VT_OK)
		(void)vt_doc_publish(&shm->checks_json, s->checks_doc.data,
		    s->checks_doc.len, h->ts_ms);
	else
		vt_log_warn("render_failed", "document=checks bytes=%zu",
		    s->checks_doc.len);
}

/* The members after the host's: the pool, the health, the checks. */
static int
sampler_members(struct vt_sampler *s, struct vt_shm *shm,
    const struct vt_host *h)
{
	struct vt_health_result	hr;

	vt_health_last(&shm->health, &hr);
	if (vt_buf_adds(&s->json, ",\"pool\":") == VT_ERR ||
	    vt_poolview_json(&s->pool, &s->json) == VT_ERR ||
	    vt_buf_adds(&s->json, ",\"health\":") == VT_ERR ||
	    vt_health_json(&hr, h->ts_ms, s->opt.health_stale_ms,
	    &s->json) == VT_ERR ||
	    vt_buf_adds(&s->json, ",\"checks\":") == VT_ERR ||
	    vt_buf_add(&s->json, s->checks_doc.data, s->checks_doc.len) ==
	    VT_ERR)
		return VT_ERR;
	return vt_buf_add(&s->json, "}", 1);
}

void
vt_sampler_tick(struct vt_sampler *s, struct vt_shm *shm)
{
	const struct vt_host   *h;
	struct vt_prom		w;

	h = vt_sampler_collect(s, vt_wall_ms(), vt_mono_us());
	vt_buf_reset(&s->json);
	vt_buf_reset(&s->prom);
	/*
	 * The pool's figures go in with the host's, once a tick, from one
	 * view of the scoreboard: a request then only copies bytes.  They are
	 * at most one interval old, finer than any scrape interval.
	 */
	vt_poolview_fill(&s->pool, shm, vt_mono_ms(), NULL, 0);
	sampler_judge(s, shm, h);
	if (vt_render_json(h, &s->json) == VT_OK && s->json.len > 0 &&
	    s->json.data[s->json.len - 1] == '}') {
		s->json.len--;
		if (sampler_members(s, shm, h) == VT_OK)
			(void)vt_doc_publish(&shm->metrics_json, s->json.data,
			    s->json.len, h->ts_ms);
		else
			vt_log_warn("render_failed", "document=json bytes=%zu",
			    s->json.len);
	} else
		vt_log_warn("render_failed", "document=json bytes=%zu",
		    s->json.len);
	if (vt_render_prom(h, (enum vt_prom_names)s->opt.metric_names,
	    &s->prom) == VT_OK &&
	    vt_poolview_prom(&s->pool, &s->prom) == VT_OK) {
		vt_prom_init(&w, &s->prom,
		    (enum vt_prom_names)s->opt.metric_names);
		vt_checks_prom(s->checks, s->opt.notify != NULL ?
		    &s->opt.notify->st : NULL, &w);
		if (vt_prom_finish(&w) == VT_ERR)
			vt_log_warn("render_failed",
			    "document=prom part=checks bytes=%zu", s->prom.len);
		sampler_publish(s, shm, VT_EXPO_TEXT, &s->prom, h->ts_ms);
		vt_buf_reset(&s->om);
		if (vt_render_openmetrics(s->prom.data, s->prom.len,
		    &s->om) == VT_ERR)
			vt_log_warn("render_failed",
			    "document=openmetrics bytes=%zu", s->om.len);
		sampler_publish(s, shm, VT_EXPO_OM, &s->om, h->ts_ms);
	} else
		vt_log_warn("render_failed", "document=prom bytes=%zu",
		    s->prom.len);
	vt_ring_push(&shm->ring, &h->point);
	__atomic_store_n(&shm->sample_ts_ms, h->ts_ms, __ATOMIC_RELEASE);
	__atomic_store_n(&shm->sample_mono_ms, vt_mono_ms(), __ATOMIC_RELEASE);
}

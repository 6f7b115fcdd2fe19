/*
 * scoreboard.c: the shared mapping of scoreboard.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "scoreboard.h"

const double vt_hist_bounds[VT_HIST_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 5
};

static struct vt_shm *
shm_adopt(int fd)
{
	struct stat	st;
	struct vt_shm  *shm;

	if (fstat(fd, &st) == -1 || (size_t)st.st_size != sizeof(*shm))
		return NULL;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (shm == MAP_FAILED)
		return NULL;
	if (shm->magic != VT_SHM_MAGIC || shm->version != VT_SHM_VERSION ||
	    shm->size != sizeof(*shm)) {
		munmap(shm, sizeof(*shm));
		return NULL;
	}
	return shm;
}

struct vt_shm *
vt_shm_create(int inherit_fd, int *fdp, char *err, size_t errlen)
{
	struct vt_shm  *shm;
	int		fd;

	if (inherit_fd >= 0) {
		if ((shm = shm_adopt(inherit_fd)) != NULL) {
			(void)fcntl(inherit_fd, F_SETFD, FD_CLOEXEC);
			*fdp = inherit_fd;
			return shm;
		}
		/* Another layout (an older binary): start afresh. */
		close(inherit_fd);
	}
	if ((fd = memfd_create("vitals-scoreboard", MFD_CLOEXEC)) == -1) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return NULL;
	}
	if (ftruncate(fd, (off_t)sizeof(*shm)) == -1) {
		snprintf(err, errlen, "ftruncate scoreboard: %s",
		    strerror(errno));
		close(fd);
		return NULL;
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (shm == MAP_FAILED) {
		snprintf(err, errlen, "mmap scoreboard: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	/* A new memfd reads as zeros: every slot is empty, every count 0. */
	shm->magic = VT_SHM_MAGIC;
	shm->version = VT_SHM_VERSION;
	shm->size = sizeof(*shm);
	shm->pool_start_ms = vt_wall_ms();
	shm->pool_start_mono_ms = vt_mono_ms();
	*fdp = fd;
	return shm;
}

void
vt_slot_write_begin(struct vt_slot *s)
{
	__atomic_fetch_add(&s->seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void
vt_slot_write_end(struct vt_slot *s)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&s->seq, 1, __ATOMIC_RELAXED);
}

int
vt_slot_read(const struct vt_slot *s, struct vt_slot *out)
{
	uint32_t	a, b;
	int		tries;

	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		memcpy(out, (const void *)s, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
		if (a == b) {
			out->method[sizeof(out->method) - 1] = '\0';
			out->path[sizeof(out->path) - 1] = '\0';
			out->request_id[sizeof(out->request_id) - 1] = '\0';
			return VT_OK;
		}
	}
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

void
vt_slot_clear(struct vt_slot *s)
{
	uint32_t	seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);

	/* Leave the counter even and past any reader's snapshot. */
	__atomic_store_n(&s->seq, (seq | 1) + 1, __ATOMIC_RELAXED);
	vt_slot_write_begin(s);
	s->pid = 0;
	s->state = VT_SLOT_EMPTY;
	s->generation = 0;
	s->started_ms = 0;
	s->req_start_mono_ms = 0;
	s->req_start_ms = 0;
	s->requests = 0;
	s->method[0] = s->path[0] = s->request_id[0] = '\0';
	vt_slot_write_end(s);
}

void
vt_count_max(uint64_t *c, uint64_t v)
{
	uint64_t	cur = __atomic_load_n(c, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(c, &cur, v, 1,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

void
vt_route_record(struct vt_shm *shm, int route, int status,
    int64_t duration_us)
{
	struct vt_route_stats  *r;
	int			cls = status / 100, b;
	double			secs = (double)duration_us / 1e6;

	if (cls < 1 || cls > 5)
		cls = 5;
	vt_count(&shm->c.by_class[cls], 1);
	if (route < 0 || route >= VT_ROUTE_MAX)
		return;
	r = &shm->routes[route];
	vt_count(&r->by_class[cls], 1);
	for (b = 0; b < VT_HIST_BUCKETS && secs > vt_hist_bounds[b]; b++)
		;
	vt_count(&r->hist[b], 1);
	vt_count(&r->sum_us, duration_us > 0 ? (uint64_t)duration_us : 0);
	vt_count(&r->count, 1);
}

void
vt_limits_set(struct vt_shm *shm, const struct vt_limits *l)
{
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(&shm->limits, l, sizeof(*l));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&shm->limits_seq, 1, __ATOMIC_RELAXED);
}

void
vt_limits_get(const struct vt_shm *shm, struct vt_limits *out)
{
	uint32_t	a, b;
	int		tries;

	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&shm->limits_seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		memcpy(out, (const void *)&shm->limits, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&shm->limits_seq, __ATOMIC_RELAXED);
		if (a == b)
			return;
	}
	memset(out, 0, sizeof(*out));
}

const char *
vt_slot_state_name(uint32_t state)
{
	static const char *const names[] = {
		"empty", "starting", "idle", "reading", "busy", "exiting"
	};

	return state < VT_ARRAY_LEN(names) ? names[state] : "unknown";
}

const char *
vt_restart_cause_name(int cause)
{
	static const char *const names[] = {
		"exit", "signal", "watchdog", "recycle"
	};

	return cause >= 0 && cause < VT_RESTART_MAX ? names[cause] : "unknown";
}

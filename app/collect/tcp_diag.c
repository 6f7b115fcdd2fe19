/*
 * tcp_diag.c: TCP sockets by state over NETLINK_SOCK_DIAG (see
 * tcp_diag.h).
 */
#include "config.h"

#include <linux/inet_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "clock.h"
#include "collect/procfile.h"
#include "collect/tcp_diag.h"

/*
 * States 1..12: TCP_NEW_SYN_RECV (12) is how request sockets are stored;
 * the kernel reports them as SYN_RECV.  13, TCP_BOUND_INACTIVE (6.8+),
 * is a bound socket that is not a connection, and /proc/net/tcp does not
 * list it either: not asked for.
 */
#define DIAG_STATES	(((1U << 13) - 1) & ~1U)

static void	count_fn(const struct inet_diag_msg *m, void *arg);
static int	tcp_diag_states(struct vt_diag_reader *r, unsigned states,
		    struct vt_tcp_states *out, int timeout_ms, char *err,
		    size_t errlen);

/* The vt_diag_fn of the dump: arg is the struct vt_tcp_states. */
static void
count_fn(const struct inet_diag_msg *m, void *arg)
{
	struct vt_tcp_states   *out = arg;
	struct vt_tcp_counts   *c = m->idiag_family == AF_INET6 ?
			    &out->v6 : &out->v4;

	if (m->idiag_state > 0 && m->idiag_state < VT_TCP_NSTATES)
		c->state[m->idiag_state]++;
	else
		c->other++;
}

/* A dump of the states in the mask into *out. */
static int
tcp_diag_states(struct vt_diag_reader *r, unsigned states,
    struct vt_tcp_states *out, int timeout_ms, char *err, size_t errlen)
{
	struct vt_diag_reader	once;
	int			rc, has_v6 = 0;

	memset(out, 0, sizeof(*out));
	if (r == NULL) {
		vt_diag_reader_init(&once);
		r = &once;
	}
	rc = vt_diag_dump(r, states, count_fn, out, timeout_ms, &has_v6, err,
	    errlen);
	if (r == &once)
		vt_diag_reader_close(&once);
	if (rc == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	out->has_v6 = has_v6;
	out->source = VT_TCP_SRC_NETLINK;
	return VT_OK;
}

int
vt_tcp_diag_count(struct vt_diag_reader *r, struct vt_tcp_states *out,
    int timeout_ms, char *err, size_t errlen)
{
	return tcp_diag_states(r, DIAG_STATES, out, timeout_ms, err, errlen);
}

int
vt_tcp_diag_count_lean(struct vt_diag_reader *r, uint64_t curr_estab,
    struct vt_tcp_states *out, int timeout_ms, char *err, size_t errlen)
{
	uint64_t	cw;

	if (tcp_diag_states(r, DIAG_STATES & ~(1U << VT_TCP_ESTABLISHED), out,
	    timeout_ms, err, errlen) == VT_ERR)
		return VT_ERR;
	cw = vt_tcp_states_total(out, VT_TCP_CLOSE_WAIT);
	out->established = curr_estab > cw ? curr_estab - cw : 0;
	out->est_derived = 1;
	return VT_OK;
}

void
vt_tcp_activity_of(const struct vt_proc_net_snmp *snmp,
    const struct vt_proc_net_sockstat *ss, struct vt_tcp_activity *a)
{
	/*
	 * Those of node_exporter's subset, which proc_net_snmp.c keeps, at
	 * the indexes tcp_diag.h names (two names at one index do not
	 * compile: -Woverride-init); then sockstat's, in use first, and
	 * sockstat6's in use last.
	 */
	static const char *const tcp[] = { "ActiveOpens",
	    [VT_TCP_ACT_PASSIVE_OPENS] = "PassiveOpens",
	    [VT_TCP_ACT_CURR_ESTAB] = "CurrEstab", "InSegs", "OutSegs",
	    "RetransSegs", "InErrs", "OutRsts" };
	static const enum vt_sockstat_field f4[] = { VT_SS_INUSE,
	    VT_SS_ORPHAN, VT_SS_TW, VT_SS_ALLOC };
	_Static_assert(VT_TCP_ACT_INUSE == VT_ARRAY_LEN(tcp),
	    "VT_TCP_ACT_INUSE: sockstat's in use follows snmp's counters");
	_Static_assert(VT_TCP_ACT_INUSE6 == VT_ARRAY_LEN(tcp) +
	    VT_ARRAY_LEN(f4) && VT_TCP_ACT_INUSE6 == VT_TCP_ACT_N - 1,
	    "VT_TCP_ACT_INUSE6: sockstat6's in use is last");
	const struct vt_sockstat_proto	*p;
	size_t				 i, n = 0;

	memset(a, 0, sizeof(*a));
	if (snmp == NULL || ss == NULL)
		return;
	for (i = 0; i < VT_ARRAY_LEN(tcp); i++)
		if (vt_proc_net_snmp_get(snmp, "Tcp", tcp[i], &a->v[n++]) ==
		    VT_ERR)
			return;
	if ((p = vt_sockstat_find(&ss->v4, "TCP")) == NULL)
		return;
	for (i = 0; i < VT_ARRAY_LEN(f4); i++) {
		if (!(p->have & (1U << f4[i])))
			return;
		a->v[n++] = p->v[f4[i]];
	}
	if (ss->has_v6 && (p = vt_sockstat_find(&ss->v6, "TCP6")) != NULL)
		a->v[n] = p->v[VT_SS_INUSE];
	n++;
	a->ok = n == VT_TCP_ACT_N;
}

int
vt_tcp_activity_same(const struct vt_tcp_activity *a,
    const struct vt_tcp_activity *b)
{
	return a != NULL && a->ok && b->ok &&
	    memcmp(a->v, b->v, sizeof(a->v)) == 0;
}

int
vt_tcp_activity_listen_same(const struct vt_tcp_activity *a,
    const struct vt_tcp_activity *b)
{
	static const int	i[] = { VT_TCP_ACT_PASSIVE_OPENS,
	    VT_TCP_ACT_INUSE, VT_TCP_ACT_INUSE6 };
	size_t			k;

	if (a == NULL || !a->ok || !b->ok)
		return 0;
	for (k = 0; k < VT_ARRAY_LEN(i); k++)
		if (a->v[i[k]] != b->v[i[k]])
			return 0;
	return 1;
}

void
vt_tcp_activity_keep(struct vt_tcp_activity *to,
    const struct vt_tcp_activity *a)
{
	if (a != NULL)
		*to = *a;
	else
		memset(to, 0, sizeof(*to));
}

/* The sockets of a count in every state but ESTABLISHED. */
static uint64_t
tcp_dumped(const struct vt_tcp_states *s)
{
	uint64_t	n = 0;
	int		st;

	for (st = VT_TCP_ESTABLISHED + 1; st < VT_TCP_NSTATES; st++)
		n += vt_tcp_states_total(s, (enum vt_tcp_state)st);
	return n;
}

int
vt_tcp_states_paced(const char *root, struct vt_diag_reader *r,
    struct vt_tcp_pace *pace, const struct vt_tcp_activity *act,
    int64_t now_ms, struct vt_tcp_states *out, char *err, size_t errlen)
{
	int64_t		t0, every;
	int		rc, real, quiet;

	pace->calls++;
	/* Nothing shows that TCP did anything since the last count. */
	quiet = vt_tcp_activity_same(act, &pace->act) &&
	    pace->calls - pace->counted < VT_TCP_EVERY_MAX;
	if (pace->have && (pace->calls < pace->next || quiet)) {
		*out = pace->last;
		return VT_OK;
	}
	real = vt_procfile_root_is_real(root);
	t0 = vt_thread_cpu_us();
	rc = VT_ERR;
	if (real && act != NULL && act->ok)
		rc = vt_tcp_diag_count_lean(r,
		    act->v[VT_TCP_ACT_CURR_ESTAB], out,
		    VT_TCP_DIAG_TIMEOUT_MS, err, errlen);
	if (rc == VT_ERR)
		rc = vt_tcp_states_read(root, r, out, err, errlen);
	pace->cost_us = vt_thread_cpu_us() - t0;
	if (rc == VT_ERR) {
		pace->have = 0;
		return VT_ERR;
	}
	out->counted_ms = now_ms;
	pace->last = *out;
	pace->have = 1;
	pace->counted = pace->calls;
	vt_tcp_activity_keep(&pace->act, act);
	every = real ? vt_pace_rounds(pace->cost_us, VT_TCP_BUDGET_US, 1,
	    tcp_dumped(out) >= VT_TCP_BUSY_SOCKETS ? VT_TCP_EVERY_MAX_BUSY :
	    VT_TCP_EVERY_MAX) : 1;
	pace->next = pace->calls + (uint64_t)every;
	return VT_OK;
}

/*
 * tcp_diag.h: count TCP sockets by state over NETLINK_SOCK_DIAG, the
 * interface ss(8) uses, through sock_diag.h's reader: one dump per
 * address family with every state selected and no extensions; only the
 * state of each socket is read.
 */
#ifndef VT_COLLECT_TCP_DIAG_H
#define VT_COLLECT_TCP_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"
#include "collect/proc_net_snmp.h"
#include "collect/proc_net_sockstat.h"
#include "collect/proc_net_tcp.h"
#include "collect/sock_diag.h"

/*
 * Fill out (source VT_TCP_SRC_NETLINK) for AF_INET and AF_INET6 in the
 * caller's network namespace over r's socket (NULL: a socket opened and
 * closed for this call), within timeout_ms.  An address family the kernel
 * lacks (no IPv6) leaves its counts 0 and has_v6 0.  Returns VT_OK, or
 * VT_ERR with a reason in err (no netlink, a timeout, a malformed or
 * truncated reply): the caller then falls back to the files.
 */
int	vt_tcp_diag_count(struct vt_diag_reader *r, struct vt_tcp_states *out,
	    int timeout_ms, char *err, size_t errlen);

/*
 * The same without the ESTABLISHED sockets, whose number comes from the
 * kernel instead: CurrEstab of /proc/net/snmp (curr_estab, read by the
 * caller this tick) counts the connections ESTABLISHED or CLOSE_WAIT, in
 * the namespace, both families (tcp_set_state() keeps it), so
 * ESTABLISHED is curr_estab less the CLOSE_WAIT sockets the dump found
 * (0 if a race makes that negative), in out->established with
 * out->est_derived set.  Each socket the dump reports costs the kernel
 * about 1 us, and on a busy server most are ESTABLISHED: a quarter of
 * the reports at 20 000 loopback connections with a quarter of them in
 * CLOSE_WAIT.  TIME_WAIT stays in the dump: sockstat's tw also counts
 * the time-wait sockets whose substate is FIN_WAIT2, which the dump
 * reports as FIN_WAIT2, so it cannot stand for the state.  Kernels
 * before 6.10 missed CurrEstab's increment on the rare SYN_RECV ->
 * CLOSE_WAIT step (a connection's first segment carrying a FIN): there
 * the figure may run a little low.  Returns as vt_tcp_diag_count().
 */
int	vt_tcp_diag_count_lean(struct vt_diag_reader *r, uint64_t curr_estab,
	    struct vt_tcp_states *out, int timeout_ms, char *err,
	    size_t errlen);

/*
 * The cadence of the count.  A dump costs the kernel a walk of the whole
 * established hash (sized by RAM: 262 144 buckets on a 24 GiB host, about
 * 1.3 ms of CPU for both families with a handful of sockets) plus about
 * 1 us per socket to report and parse (./stack bench --scale on main:
 * 65 ms of CPU a tick at 46 000 sockets).  So the count is paced on any
 * host, not only on one with many sockets: the walk alone, every tick,
 * was more than the idle master's whole budget (issue 14: 1 ms a tick).
 * After a dump that took C us of CPU, the next is ceil(C / budget) ticks
 * later, at most VT_TCP_EVERY_MAX, so a CLOSE_WAIT pile-up shows within
 * 10 s on any host (every 10th tick with the walk above).  The budget is
 * a tenth of the idle master's whole target (1 ms a tick): at 250 us it
 * was a quarter of it, and the count ran every 6th tick under any
 * traffic (the walk alone then cost 0.22 ms a tick, bench --scale's
 * idle point, scraped once a second).  The
 * totals that matter every second are read every tick by their own
 * collectors (connections established and in CLOSE_WAIT from
 * /proc/net/snmp's CurrEstab, TIME_WAIT and in use from sockstat).
 * Between dumps the sample carries the last counts with the wall time
 * they were taken (counted_ms), so a reader knows how fresh they are
 * (tcp.states_age_ms, vitals_tcp_states_age_seconds).  Fixture roots
 * (/proc/net/tcp) are counted every tick.
 *
 * And whatever the number of sockets, a count is skipped while nothing
 * TCP did since the last one shows (struct vt_tcp_activity below): on a
 * quiet host it runs once in VT_TCP_EVERY_MAX ticks.
 *
 * Past VT_TCP_BUSY_SOCKETS sockets in the dump (every state but
 * ESTABLISHED, which the lean count leaves out: TIME_WAIT, CLOSE_WAIT,
 * FIN_WAIT2 ...) the bound is VT_TCP_EVERY_MAX_BUSY ticks: there the
 * report alone costs the kernel about 1 us a socket (10 ms a dump at
 * 5 000 connections in CLOSE_WAIT and their 5 000 ends in FIN_WAIT2, a
 * millisecond a tick at one dump in ten), and a pile of that size is a
 * slow leak or a load that lasts, which a count 30 s old still shows.
 * The sample says how old (tcp.states_age_ms).
 */
#define VT_TCP_BUDGET_US	100
#define VT_TCP_EVERY_MAX	10
#define VT_TCP_BUSY_SOCKETS	5000
#define VT_TCP_EVERY_MAX_BUSY	30

/*
 * What shows that TCP did something: the kernel's TCP counters of
 * /proc/net/snmp (segments in and out, opens, resets, retransmits, the
 * connections established) and the TCP lines of /proc/net/sockstat{,6}
 * (sockets in use, orphans, TIME_WAIT, allocated), both read every tick
 * by their own collectors.  A socket changes state on a segment sent or
 * received, or on a timer that frees it or makes it TIME_WAIT (in use,
 * orphans, tw), or when it starts listening (in use).  A few changes
 * show in none of these until the next segment anywhere on the host (a
 * FIN queued behind unsent data by shutdown(), a request socket dropped
 * after its last SYN-ACK): VT_TCP_EVERY_MAX bounds how long they wait.
 */
#define VT_TCP_ACT_N	13
#define VT_TCP_ACT_CURR_ESTAB	2	/* v[] of snmp's CurrEstab */
#define VT_TCP_ACT_PASSIVE_OPENS 1	/* ... PassiveOpens */
#define VT_TCP_ACT_INUSE	8	/* sockstat's TCP inuse */
#define VT_TCP_ACT_INUSE6	12	/* sockstat6's TCP6 inuse */

struct vt_tcp_activity {
	uint64_t		v[VT_TCP_ACT_N];
	int			ok;		/* every figure was read */
};

/*
 * Fill *a from this tick's snmp and sockstat (either NULL: a->ok 0, and
 * the count is not skipped).
 */
void	vt_tcp_activity_of(const struct vt_proc_net_snmp *snmp,
	    const struct vt_proc_net_sockstat *ss, struct vt_tcp_activity *a);

/*
 * Whether a (may be NULL) and b were both read in full and are the same:
 * nothing TCP did shows between them.
 */
int	vt_tcp_activity_same(const struct vt_tcp_activity *a,
	    const struct vt_tcp_activity *b);

/*
 * As vt_tcp_activity_same(), for what can change a listener: the passive
 * opens (a connection joins an accept queue only when its handshake
 * completes, which counts one) and the sockets in use, both families (a
 * listener that comes or goes).  listeners.h says why that is enough.
 */
int	vt_tcp_activity_listen_same(const struct vt_tcp_activity *a,
	    const struct vt_tcp_activity *b);

/* The activity a (may be NULL: none) kept in *to, as a pace's. */
void	vt_tcp_activity_keep(struct vt_tcp_activity *to,
	    const struct vt_tcp_activity *a);

struct vt_tcp_pace {
	uint64_t		calls;		/* ticks seen */
	uint64_t		next;		/* the tick that counts next */
	uint64_t		counted;	/* the tick that counted last */
	int64_t			cost_us;	/* CPU of the last count */
	int			have;		/* last holds a count */
	struct vt_tcp_states	last;
	struct vt_tcp_activity	act;		/* as the last count began */
};

/*
 * One tick of the paced count into *out: a new count when it is due and
 * act (may be NULL) differs from the last count's, stamped now_ms, or
 * else the last one with its own stamp.  The count is the lean one
 * (vt_tcp_diag_count_lean) on the real root when act was read in full,
 * else vt_tcp_states_read (proc_net_tcp.h).
 * Returns VT_OK, or VT_ERR with a reason in err when a due count failed
 * (it is tried again at the next tick).
 */
int	vt_tcp_states_paced(const char *root, struct vt_diag_reader *r,
	    struct vt_tcp_pace *pace, const struct vt_tcp_activity *act,
	    int64_t now_ms, struct vt_tcp_states *out, char *err,
	    size_t errlen);

#endif /* VT_COLLECT_TCP_DIAG_H */

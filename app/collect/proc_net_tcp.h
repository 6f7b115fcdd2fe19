/*
 * proc_net_tcp.h: TCP sockets counted by state, IPv4 and IPv6 apart.
 *
 * Two sources with the same meaning: the kernel's sock_diag netlink
 * interface (tcp_diag.h, used when the root is "/") and the text files
 * /proc/net/tcp and /proc/net/tcp6 (the only source a fixture tree has).
 * Both walk the kernel's whole established-socket hash table, which is
 * sized by RAM, not by the number of sockets: on the development VM
 * (24 GiB, 262 144 buckets, a handful of sockets) netlink takes 0.35 ms
 * for both families and the two files 6.7 ms.  Both count listeners,
 * request sockets (as SYN_RECV) and time-wait sockets (as their
 * substate, TIME_WAIT or FIN_WAIT2), in the reader's network namespace.
 */
#ifndef VT_COLLECT_PROC_NET_TCP_H
#define VT_COLLECT_PROC_NET_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* The kernel's numbering (include/net/tcp_states.h). */
enum vt_tcp_state {
	VT_TCP_ESTABLISHED = 1,
	VT_TCP_SYN_SENT,
	VT_TCP_SYN_RECV,
	VT_TCP_FIN_WAIT1,
	VT_TCP_FIN_WAIT2,
	VT_TCP_TIME_WAIT,
	VT_TCP_CLOSE,
	VT_TCP_CLOSE_WAIT,
	VT_TCP_LAST_ACK,
	VT_TCP_LISTEN,
	VT_TCP_CLOSING,
	VT_TCP_NSTATES		/* index 0 is unused */
};

/* node_exporter's tcpstat labels: "established" ... "closing"; [0] "". */
extern const char *const vt_tcp_state_names[VT_TCP_NSTATES];

struct vt_tcp_counts {
	uint64_t	state[VT_TCP_NSTATES];
	uint64_t	other;		/* states the kernel may add later */
};

#define VT_TCP_SRC_NONE		0
#define VT_TCP_SRC_NETLINK	1
#define VT_TCP_SRC_PROC		2

struct vt_tcp_states {
	struct vt_tcp_counts	v4;
	struct vt_tcp_counts	v6;
	int			source;		/* VT_TCP_SRC_* */
	int			has_v6;		/* IPv6 was there to count */
	int64_t			counted_ms;	/* wall clock of the count;
						 * 0: not paced (tcp_diag.h) */
	int			est_derived;	/* ESTABLISHED from the
						 * kernel's CurrEstab, both
						 * families in established
						 * (tcp_diag.h), not in v4
						 * and v6 */
	uint64_t		established;
};

/* v4 + v6 for one state (ESTABLISHED: established when derived). */
uint64_t vt_tcp_states_total(const struct vt_tcp_states *s,
	    enum vt_tcp_state state);

/*
 * Parse a whole /proc/net/tcp or /proc/net/tcp6 text (header line, then
 * one socket per line; the state is the 4th column, in hex) into *out.
 * Returns VT_OK, or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_net_tcp_parse(const char *buf, size_t len,
	    struct vt_tcp_counts *out, char *err, size_t errlen);

/*
 * The same for socket lines only (no header), adding to *acc: for a
 * reader that streams a large file in pieces.  buf must hold whole lines.
 */
int	vt_proc_net_tcp_add_lines(const char *buf, size_t len,
	    struct vt_tcp_counts *acc, char *err, size_t errlen);

/*
 * Count from <root>/proc/net/tcp and tcp6, streamed through a
 * VT_PROC_NET_TCP_BUFSZ stack buffer (the files can be megabytes).  A
 * missing tcp6 (IPv6 disabled) leaves has_v6 0; a missing tcp is an
 * error.  Returns VT_OK or VT_ERR.
 */
#define VT_PROC_NET_TCP_BUFSZ	(32 * 1024)
int	vt_proc_net_tcp_read(const char *root, struct vt_tcp_states *out,
	    char *err, size_t errlen);

/*
 * The collector: netlink over r's socket (NULL: one opened for the call)
 * when root is "/" (or NULL or ""), falling back to the files when
 * netlink fails; the files for any other root.  out->source says which.
 * Returns VT_OK or VT_ERR.
 */
#define VT_TCP_DIAG_TIMEOUT_MS	500
struct vt_diag_reader;
int	vt_tcp_states_read(const char *root, struct vt_diag_reader *r,
	    struct vt_tcp_states *out, char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_NET_TCP_H */

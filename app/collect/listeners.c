/*
 * listeners.c: the TCP listeners' accept queues over NETLINK_SOCK_DIAG,
 * and the inodes of the sockets in a given state (see listeners.h).
 *
 * A dump asks for one address family and the LISTEN state only, with no
 * extensions: the kernel then sends 72 bytes per socket, and the reply
 * is read through sock_diag.c's reader: a bounded stack buffer, one
 * deadline, a socket kept open between ticks.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "collect/listeners.h"
#include "collect/procfile.h"

#define LISTEN_STATE		10	/* TCP_LISTEN */
#define LISTEN_PROC_BUFSZ	(64 * 1024)

/* What vt_sock_inodes_read() collects through its vt_diag_fn. */
struct inode_acc {
	uint64_t	*inodes;
	size_t		 cap;
	size_t		 n;
	uint64_t	 total;
};

/* What the /proc/net/tcp stream hands its parser. */
struct proc_acc {
	struct vt_listeners	*out;
	int			 family;
};

static int	listen_cmp(const void *a, const void *b);
static int	listen_fuller(const struct vt_listen_entry *a,
		    const struct vt_listen_entry *b);
static void	inode_fn(const struct inet_diag_msg *m, void *arg);
static int	proc_line(struct vt_span line, int family,
		    struct vt_listeners *out);
static int	proc_chunk(const char *chunk, size_t len, void *arg,
		    char *err, size_t errlen);

void
vt_listeners_diag_fn(const struct inet_diag_msg *m, void *arg)
{
	struct vt_listeners	*l = arg;
	struct vt_listen_entry	 e;

	memset(&e, 0, sizeof(e));
	e.family = m->idiag_family;
	if (e.family != AF_INET && e.family != AF_INET6)
		return;
	if (inet_ntop(e.family, m->id.idiag_src, e.address,
	    sizeof(e.address)) == NULL)
		e.address[0] = '\0';
	e.port = ntohs(m->id.idiag_sport);
	e.queue = m->idiag_rqueue;
	e.backlog = m->idiag_wqueue;
	e.inode = m->idiag_inode;
	vt_listeners_add(l, &e);
}

/*
 * 1 when a is fuller than b: queue over backlog (a backlog of 0, not
 * known, counts as 1), then the longer queue.
 */
static int
listen_fuller(const struct vt_listen_entry *a, const struct vt_listen_entry *b)
{
	uint64_t	ab = a->backlog > 0 ? a->backlog : 1;
	uint64_t	bb = b->backlog > 0 ? b->backlog : 1;
	uint64_t	x = (uint64_t)a->queue * bb, y = (uint64_t)b->queue * ab;

	if (x != y)
		return x > y;
	return a->queue > b->queue;
}

void
vt_listeners_add(struct vt_listeners *l, const struct vt_listen_entry *e)
{
	size_t	i, least = 0;

	l->total++;
	if (l->n < VT_MAX_LISTENERS) {
		l->l[l->n++] = *e;
		return;
	}
	for (i = 1; i < l->n; i++)
		if (listen_fuller(&l->l[least], &l->l[i]))
			least = i;
	if (listen_fuller(e, &l->l[least]))
		l->l[least] = *e;
}

static int
listen_cmp(const void *a, const void *b)
{
	const struct vt_listen_entry	*x = a, *y = b;
	int				 c;

	if (listen_fuller(x, y))
		return -1;
	if (listen_fuller(y, x))
		return 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if ((c = strcmp(x->address, y->address)) != 0)
		return c;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

void
vt_listeners_sort(struct vt_listeners *l)
{
	if (l->n > 1)
		qsort(l->l, l->n, sizeof(l->l[0]), listen_cmp);
}

/*
 * One line of /proc/net/tcp{,6}: "sl: local rem st tx:rx tr:when retr
 * uid timeout inode ...".  The address is the kernel's 32-bit words in
 * host order, each as %08X; the port is %04X.
 */
static int
proc_line(struct vt_span line, int family, struct vt_listeners *out)
{
	struct vt_span		w[10], a, port, q;
	struct vt_listen_entry	e;
	unsigned char		addr[16];
	const char		*colon;
	uint32_t		st, word, rx, p;
	uint64_t		inode;
	size_t			nw, i, nwords = family == AF_INET6 ? 4 : 1;

	nw = vt_pf_words(line, w, VT_ARRAY_LEN(w));
	if (nw == 0 || vt_pf_eq(w[0], "sl"))
		return VT_OK;
	if (nw < 10)
		return VT_ERR;
	if (vt_pf_hex32(w[3], &st) == VT_ERR)
		return VT_ERR;
	if (st != LISTEN_STATE)
		return VT_OK;
	if ((colon = memchr(w[1].p, ':', w[1].len)) == NULL)
		return VT_ERR;
	a.p = w[1].p;
	a.len = (size_t)(colon - w[1].p);
	port.p = colon + 1;
	port.len = w[1].len - a.len - 1;
	if (a.len != nwords * 8 || port.len != 4 ||
	    vt_pf_hex32(port, &p) == VT_ERR)
		return VT_ERR;
	for (i = 0; i < nwords; i++) {
		struct vt_span	h = { a.p + i * 8, 8 };

		if (vt_pf_hex32(h, &word) == VT_ERR)
			return VT_ERR;
		memcpy(addr + i * 4, &word, 4);
	}
	if ((colon = memchr(w[4].p, ':', w[4].len)) == NULL)
		return VT_ERR;
	q.p = colon + 1;
	q.len = w[4].len - (size_t)(colon - w[4].p) - 1;
	if (vt_pf_hex32(q, &rx) == VT_ERR ||
	    vt_pf_u64(w[9], &inode) == VT_ERR)
		return VT_ERR;
	memset(&e, 0, sizeof(e));
	e.family = family;
	if (inet_ntop(family, addr, e.address, sizeof(e.address)) == NULL)
		return VT_ERR;
	e.port = (uint16_t)p;
	e.queue = rx;
	e.inode = inode;
	vt_listeners_add(out, &e);
	return VT_OK;
}

int
vt_listeners_parse_proc(const char *buf, size_t len, int family,
    struct vt_listeners *out, char *err, size_t errlen)
{
	struct vt_span	line;
	size_t		pos = 0;

	if (family != AF_INET && family != AF_INET6)
		return vt_pf_err(err, errlen, "proc/net/tcp: bad family");
	while (vt_pf_line(buf, len, &pos, &line))
		if (proc_line(line, family, out) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/net/tcp%s: bad line \"%.*s\"",
			    family == AF_INET6 ? "6" : "",
			    (int)(line.len > 60 ? 60 : line.len), line.p);
	return VT_OK;
}

static int
proc_chunk(const char *chunk, size_t len, void *arg, char *err, size_t errlen)
{
	struct proc_acc	*pa = arg;

	return vt_listeners_parse_proc(chunk, len, pa->family, pa->out, err,
	    errlen);
}

static void
inode_fn(const struct inet_diag_msg *m, void *arg)
{
	struct inode_acc	*a = arg;

	a->total++;
	if (a->n < a->cap)
		a->inodes[a->n++] = m->idiag_inode;
}

int
vt_listeners_read(struct vt_diag_reader *r, const char *root,
    struct vt_listeners *out, int timeout_ms, char *err, size_t errlen)
{
	char		buf[LISTEN_PROC_BUFSZ];
	struct proc_acc	pa = { out, AF_INET };
	int		rc;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_root_is_real(root)) {
		rc = vt_diag_dump(r, 1U << LISTEN_STATE,
		    vt_listeners_diag_fn, out, timeout_ms, NULL, err, errlen);
	} else {
		rc = vt_procfile_stream(root, "proc/net/tcp", buf, sizeof(buf),
		    proc_chunk, &pa, err, errlen);
		pa.family = AF_INET6;
		if (rc == VT_OK && vt_procfile_stream(root, "proc/net/tcp6",
		    buf, sizeof(buf), proc_chunk, &pa, err, errlen) == VT_ERR &&
		    errno != ENOENT)
			rc = VT_ERR;
	}
	if (rc == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	vt_listeners_sort(out);
	return VT_OK;
}

/* Whether every listener of l has an empty queue. */
static int
listeners_empty(const struct vt_listeners *l)
{
	size_t	i;

	if (l->total > l->n)
		return 0;	/* those cut may not be */
	for (i = 0; i < l->n; i++)
		if (l->l[i].queue > 0)
			return 0;
	return 1;
}

int
vt_listeners_paced(struct vt_diag_reader *r, const char *root,
    struct vt_listeners_pace *pace, const struct vt_tcp_activity *act,
    struct vt_listeners *out, int timeout_ms, char *err, size_t errlen)
{
	pace->calls++;
	if (pace->have && vt_tcp_activity_listen_same(act, &pace->act) &&
	    pace->calls - pace->dumped < VT_TCP_EVERY_MAX &&
	    listeners_empty(&pace->last) && vt_procfile_root_is_real(root)) {
		*out = pace->last;
		return VT_OK;
	}
	pace->have = 0;
	if (vt_listeners_read(r, root, out, timeout_ms, err, errlen) ==
	    VT_ERR)
		return VT_ERR;
	pace->last = *out;
	pace->have = 1;
	pace->dumped = pace->calls;
	vt_tcp_activity_keep(&pace->act, act);
	return VT_OK;
}

int
vt_sock_inodes_read(struct vt_diag_reader *r, unsigned statemask,
    uint64_t *inodes, size_t cap, size_t *n, uint64_t *total,
    int timeout_ms, char *err, size_t errlen)
{
	struct inode_acc	a = { inodes, cap, 0, 0 };
	int			rc;

	rc = vt_diag_dump(r, statemask, inode_fn, &a, timeout_ms, NULL, err,
	    errlen);
	*n = rc == VT_OK ? a.n : 0;
	*total = rc == VT_OK ? a.total : 0;
	return rc;
}

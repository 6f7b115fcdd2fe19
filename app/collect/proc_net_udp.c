/*
 * proc_net_udp.c: sum the queues of /proc/net/udp{,6} (see
 * proc_net_udp.h).
 *
 * The kernel writes each socket as udp4_format_sock() does: "%5d:
 * %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK
 * %u" (slot, local, remote, state, tx_queue:rx_queue, timer, retransmits,
 * uid, timeouts, inode, refcount, pointer, drops), udp6 with 32-digit
 * addresses, each line padded to 127 (IPv4) columns.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_udp.h"

/* procfs (node_exporter's reader) wants at least this many columns. */
#define UDP_MIN_COLUMNS	10

/* The header line starts so ("   sl  local_address rem_address ..."). */
#define UDP_HEADER	"sl "

static int	udp_queues(struct vt_span w, uint32_t *tx, uint32_t *rx);
static int	udp_lines(const char *buf, size_t len, void *arg, char *err,
		    size_t errlen);
static int	udp_read_file(const char *root, const char *rel,
		    struct vt_udp_summary *acc, int *have, char *err,
		    size_t errlen);

/* "tx:rx", both hexadecimal.  Returns VT_OK or VT_ERR. */
static int
udp_queues(struct vt_span w, uint32_t *tx, uint32_t *rx)
{
	const char	*c = memchr(w.p, ':', w.len);
	struct vt_span	 a, b;

	if (c == NULL)
		return VT_ERR;
	a.p = w.p;
	a.len = (size_t)(c - w.p);
	b.p = c + 1;
	b.len = w.len - a.len - 1;
	if (vt_pf_hex32(a, tx) == VT_ERR || vt_pf_hex32(b, rx) == VT_ERR)
		return VT_ERR;
	return VT_OK;
}

int
vt_proc_net_udp_add_lines(const char *buf, size_t len,
    struct vt_udp_summary *acc, char *err, size_t errlen)
{
	struct vt_span	line, w[UDP_MIN_COLUMNS];
	uint32_t	st, tx, rx;
	size_t		pos = 0;

	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/udp: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (vt_pf_trim(line).len == 0)
			continue;
		if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) < UDP_MIN_COLUMNS)
			return vt_pf_err(err, errlen,
			    "proc/net/udp: short socket line");
		if (w[0].len < 2 || w[0].p[w[0].len - 1] != ':' ||
		    memchr(w[1].p, ':', w[1].len) == NULL ||
		    memchr(w[2].p, ':', w[2].len) == NULL ||
		    vt_pf_hex32(w[3], &st) == VT_ERR ||
		    udp_queues(w[4], &tx, &rx) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/net/udp: malformed socket line");
		acc->tx_queue += tx;
		acc->rx_queue += rx;
		acc->sockets++;
	}
	return VT_OK;
}

static int
udp_lines(const char *buf, size_t len, void *arg, char *err, size_t errlen)
{
	return vt_proc_net_udp_add_lines(buf, len, arg, err, errlen);
}

int
vt_proc_net_udp_parse(const char *buf, size_t len, struct vt_udp_summary *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (vt_pf_table("proc/net/udp", UDP_HEADER, buf, len, udp_lines, out,
	    err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

/* Stream one file; a missing one leaves *have 0 and is not an error. */
static int
udp_read_file(const char *root, const char *rel, struct vt_udp_summary *acc,
    int *have, char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_UDP_BUFSZ];

	memset(acc, 0, sizeof(*acc));
	*have = 0;
	if (vt_procfile_stream_table(root, rel, UDP_HEADER, buf, sizeof(buf),
	    udp_lines, acc, err, errlen) == VT_ERR) {
		memset(acc, 0, sizeof(*acc));
		return errno == ENOENT ? VT_OK : VT_ERR;
	}
	*have = 1;
	return VT_OK;
}

int
vt_proc_net_udp_read(const char *root, struct vt_proc_net_udp *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (udp_read_file(root, "proc/net/udp", &out->v4, &out->has_v4, err,
	    errlen) == VT_ERR ||
	    udp_read_file(root, "proc/net/udp6", &out->v6, &out->has_v6, err,
	    errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	if (!out->has_v4 && !out->has_v6) {
		errno = ENOENT;
		return vt_pf_err(err, errlen,
		    "proc/net/udp and udp6: both missing");
	}
	return VT_OK;
}

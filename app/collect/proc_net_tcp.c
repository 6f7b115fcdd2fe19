/*
 * proc_net_tcp.c: count TCP sockets by state from /proc/net/tcp{,6}, and
 * pick the source for the collector (see proc_net_tcp.h).
 *
 * Each socket line starts "%4d: %08X:%04X %08X:%04X %02X" (tcp6 has
 * 32-digit addresses): slot, local, remote, state.  IPv4 lines are padded
 * with blanks to 149 columns; time-wait lines are shorter.  Only the
 * state column matters here.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_tcp.h"
#include "collect/tcp_diag.h"

const char *const vt_tcp_state_names[VT_TCP_NSTATES] = {
	"", "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",
	"time_wait", "close", "close_wait", "last_ack", "listen", "closing"
};

/* The header line starts so ("  sl  local_address rem_address ..."). */
#define TCP_HEADER	"sl "

static int	tcp_lines(const char *buf, size_t len, void *arg, char *err,
		    size_t errlen);
static int	tcp_read_file(const char *root, const char *rel,
		    struct vt_tcp_counts *acc, int *missing, char *err,
		    size_t errlen);

uint64_t
vt_tcp_states_total(const struct vt_tcp_states *s, enum vt_tcp_state state)
{
	if ((int)state <= 0 || state >= VT_TCP_NSTATES)
		return 0;
	if (state == VT_TCP_ESTABLISHED && s->est_derived)
		return s->established;
	return s->v4.state[state] + s->v6.state[state];
}

int
vt_proc_net_tcp_add_lines(const char *buf, size_t len,
    struct vt_tcp_counts *acc, char *err, size_t errlen)
{
	struct vt_span	line, w[4];
	uint32_t	st;
	size_t		pos = 0;

	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/tcp: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) < 4) {
			if (vt_pf_trim(line).len == 0)
				continue;
			return vt_pf_err(err, errlen,
			    "proc/net/tcp: short socket line");
		}
		if (w[0].len < 2 || w[0].p[w[0].len - 1] != ':' ||
		    memchr(w[1].p, ':', w[1].len) == NULL ||
		    w[3].len != 2 || vt_pf_hex32(w[3], &st) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/net/tcp: malformed socket line");
		if (st > 0 && st < VT_TCP_NSTATES)
			acc->state[st]++;
		else
			acc->other++;
	}
	return VT_OK;
}

static int
tcp_lines(const char *buf, size_t len, void *arg, char *err, size_t errlen)
{
	return vt_proc_net_tcp_add_lines(buf, len, arg, err, errlen);
}

int
vt_proc_net_tcp_parse(const char *buf, size_t len, struct vt_tcp_counts *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return vt_pf_table("proc/net/tcp", TCP_HEADER, buf, len, tcp_lines,
	    out, err, errlen);
}

/*
 * Stream one file through a stack buffer, whole lines at a time.  A
 * missing file sets *missing and is not an error.
 */
static int
tcp_read_file(const char *root, const char *rel, struct vt_tcp_counts *acc,
    int *missing, char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_TCP_BUFSZ];

	memset(acc, 0, sizeof(*acc));
	*missing = 0;
	if (vt_procfile_stream_table(root, rel, TCP_HEADER, buf, sizeof(buf),
	    tcp_lines, acc, err, errlen) == VT_ERR) {
		if (errno == ENOENT) {
			*missing = 1;
			return VT_OK;
		}
		return VT_ERR;
	}
	return VT_OK;
}

int
vt_proc_net_tcp_read(const char *root, struct vt_tcp_states *out, char *err,
    size_t errlen)
{
	int	missing;

	memset(out, 0, sizeof(*out));
	if (tcp_read_file(root, "proc/net/tcp", &out->v4, &missing, err,
	    errlen) == VT_ERR)
		return VT_ERR;
	if (missing)
		return vt_pf_err(err, errlen, "proc/net/tcp: missing");
	if (tcp_read_file(root, "proc/net/tcp6", &out->v6, &missing, err,
	    errlen) == VT_ERR)
		return VT_ERR;
	out->has_v6 = !missing;
	out->source = VT_TCP_SRC_PROC;
	return VT_OK;
}

int
vt_tcp_states_read(const char *root, struct vt_diag_reader *r,
    struct vt_tcp_states *out, char *err, size_t errlen)
{
	if (vt_procfile_root_is_real(root)) {
		if (vt_tcp_diag_count(r, out, VT_TCP_DIAG_TIMEOUT_MS, err,
		    errlen) == VT_OK)
			return VT_OK;
	}
	return vt_proc_net_tcp_read(root, out, err, errlen);
}

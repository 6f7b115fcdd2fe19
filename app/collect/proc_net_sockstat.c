/*
 * proc_net_sockstat.c: parse /proc/net/sockstat{,6} (see
 * proc_net_sockstat.h).
 *
 * The kernel writes each line with seq_printf(), single blanks between
 * words: "sockets: used %d", "TCP: inuse %d orphan %d tw %d alloc %d mem
 * %ld", "UDP: inuse %d mem %ld", "FRAG: inuse %u memory %lu" ...
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_sockstat.h"

const char *const vt_sockstat_field_names[VT_SS_NFIELDS] = {
	"inuse", "orphan", "tw", "alloc", "mem", "memory"
};

static int	sockstat_line(struct vt_span line, uint64_t pagesize,
		    struct vt_sockstat *out);

/* One line: "Proto: key value ...".  Returns VT_OK or VT_ERR. */
static int
sockstat_line(struct vt_span line, uint64_t pagesize, struct vt_sockstat *out)
{
	struct vt_sockstat_proto	 p;
	struct vt_span			 proto, k, v;
	size_t				 pos = 0, f, npairs = 0;
	uint64_t			 x;

	if (!vt_pf_next_word(line, &pos, &proto) || proto.len < 2 ||
	    proto.p[proto.len - 1] != ':')
		return VT_ERR;
	proto.len--;
	memset(&p, 0, sizeof(p));
	while (vt_pf_next_word(line, &pos, &k)) {
		if (!vt_pf_next_word(line, &pos, &v) ||
		    vt_pf_u64(v, &x) == VT_ERR)
			return VT_ERR;
		npairs++;
		if (vt_pf_eq(proto, "sockets")) {
			if (vt_pf_eq(k, "used")) {
				out->used = x;
				out->has_used = 1;
			}
			continue;
		}
		for (f = 0; f < VT_SS_NFIELDS; f++)
			if (vt_pf_eq(k, vt_sockstat_field_names[f]))
				break;
		if (f == VT_SS_NFIELDS)
			continue;
		p.v[f] = x;
		p.have |= 1u << f;
	}
	if (npairs == 0)
		return VT_ERR;
	if (vt_pf_eq(proto, "sockets"))
		return VT_OK;
	if (out->n >= VT_SOCKSTAT_MAX ||
	    vt_pf_copy(proto, p.name, sizeof(p.name)) == VT_ERR) {
		out->ndropped++;
		return VT_OK;
	}
	/* Pages to bytes; a product past 2^64 is no real machine's. */
	if ((p.have & (1u << VT_SS_MEM)) && pagesize > 0 &&
	    p.v[VT_SS_MEM] <= UINT64_MAX / pagesize)
		p.mem_bytes = p.v[VT_SS_MEM] * pagesize;
	out->p[out->n++] = p;
	return VT_OK;
}

int
vt_proc_net_sockstat_parse(const char *buf, size_t len, uint64_t pagesize,
    struct vt_sockstat *out, char *err, size_t errlen)
{
	struct vt_span	line;
	size_t		pos = 0;
	unsigned	lineno = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/net/sockstat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/sockstat: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		if (vt_pf_trim(line).len == 0)
			continue;
		if (sockstat_line(line, pagesize, out) == VT_ERR) {
			memset(out, 0, sizeof(*out));
			return vt_pf_err(err, errlen,
			    "proc/net/sockstat: line %u: bad line", lineno);
		}
	}
	return VT_OK;
}

int
vt_proc_net_sockstat_read(const char *root, uint64_t pagesize,
    struct vt_proc_net_sockstat *out, char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_SOCKSTAT_BUFSZ];
	size_t	len;
	int	missing;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_read(root, "proc/net/sockstat", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK ||
	    vt_proc_net_sockstat_parse(buf, len, pagesize, &out->v4, err,
	    errlen) == VT_ERR)
		goto fail;
	/* IPv6 disabled (ipv6.disable=1): no sockstat6, no error. */
	if (vt_procfile_read_opt(root, "proc/net/sockstat6", buf, sizeof(buf),
	    &len, &missing, err, errlen) == VT_ERR)
		goto fail;
	if (missing)
		return VT_OK;
	if (vt_proc_net_sockstat_parse(buf, len, pagesize, &out->v6, err,
	    errlen) == VT_ERR)
		goto fail;
	out->has_v6 = 1;
	return VT_OK;

fail:
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

const struct vt_sockstat_proto *
vt_sockstat_find(const struct vt_sockstat *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->p[i].name, name) == 0)
			return &s->p[i];
	return NULL;
}

/*
 * proc_net_netstat.c: parse /proc/net/netstat (see proc_net_netstat.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_netstat.h"

static int	netstat_pair(struct vt_span names, struct vt_span values,
		    struct vt_span sect, struct vt_proc_net_netstat *out);

/*
 * Add one "names" / "values" pair (both without the "Section:" prefix).
 * Returns VT_OK, or VT_ERR when the counts differ or a value is bad.
 */
static int
netstat_pair(struct vt_span names, struct vt_span values, struct vt_span sect,
    struct vt_proc_net_netstat *out)
{
	struct vt_netstat_entry	*e;
	struct vt_span		 nw, vw;
	uint64_t		 v;
	size_t			 npos = 0, vpos = 0;
	int			 hn, hv;

	for (;;) {
		hn = vt_pf_next_word(names, &npos, &nw);
		hv = vt_pf_next_word(values, &vpos, &vw);
		if (!hn && !hv)
			return VT_OK;
		if (hn != hv || vt_pf_u64(vw, &v) == VT_ERR)
			return VT_ERR;
		if (out->n >= VT_NETSTAT_MAX ||
		    nw.len >= VT_NETSTAT_NAMELEN) {
			out->ndropped++;
			continue;
		}
		e = &out->e[out->n++];
		vt_pf_copy(sect, e->section, sizeof(e->section));
		vt_pf_copy(nw, e->name, sizeof(e->name));
		e->value = v;
	}
}

int
vt_proc_net_netstat_parse(const char *buf, size_t len,
    struct vt_proc_net_netstat *out, char *err, size_t errlen)
{
	struct vt_span	 l1, l2, s1, s2;
	const char	*c1, *c2;
	size_t		 pos = 0;
	unsigned	 lineno = 0;
	uint64_t	 o, d;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/net/netstat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/netstat: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &l1)) {
		lineno++;
		if (vt_pf_trim(l1).len == 0)
			continue;
		if (!vt_pf_line(buf, len, &pos, &l2))
			return vt_pf_err(err, errlen,
			    "proc/net/netstat: line %u: no values line",
			    lineno);
		lineno++;
		c1 = memchr(l1.p, ':', l1.len);
		c2 = memchr(l2.p, ':', l2.len);
		if (c1 == NULL || c2 == NULL)
			return vt_pf_err(err, errlen,
			    "proc/net/netstat: line %u: no section", lineno);
		s1.p = l1.p;
		s1.len = (size_t)(c1 - l1.p);
		s2.p = l2.p;
		s2.len = (size_t)(c2 - l2.p);
		if (s1.len != s2.len || memcmp(s1.p, s2.p, s1.len) != 0)
			return vt_pf_err(err, errlen,
			    "proc/net/netstat: line %u: sections differ",
			    lineno);
		if (!vt_pf_eq(s1, "TcpExt") && !vt_pf_eq(s1, "IpExt"))
			continue;
		l1.len -= s1.len + 1;
		l1.p = c1 + 1;
		l2.len -= s2.len + 1;
		l2.p = c2 + 1;
		if (netstat_pair(l1, l2, s1, out) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/net/netstat: line %u: names and values "
			    "do not match", lineno);
	}
	if (vt_proc_net_netstat_get(out, "TcpExt", "ListenOverflows", &o) ==
	    VT_OK &&
	    vt_proc_net_netstat_get(out, "TcpExt", "ListenDrops", &d) ==
	    VT_OK) {
		out->listen_overflows = o;
		out->listen_drops = d;
		out->has_listen = 1;
	}
	return VT_OK;
}

int
vt_proc_net_netstat_get(const struct vt_proc_net_netstat *s,
    const char *section, const char *name, uint64_t *value)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->e[i].name, name) == 0 &&
		    strcmp(s->e[i].section, section) == 0) {
			*value = s->e[i].value;
			return VT_OK;
		}
	}
	return VT_ERR;
}

int
vt_proc_net_netstat_read(const char *root, struct vt_proc_net_netstat *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_NETSTAT_BUFSZ];
	size_t	len;

	if (vt_procfile_read(root, "proc/net/netstat", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_net_netstat_parse(buf, len, out, err, errlen);
}

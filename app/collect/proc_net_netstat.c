/*
 * proc_net_netstat.c: parse /proc/net/netstat (see proc_net_netstat.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_netstat.h"

/*
 * node_exporter's default --collector.netstat.fields (1.5.0, Debian 12's):
 *
 *   ^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|
 *   Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|
 *   TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|
 *   RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|
 *   RcvbufErrors|SndbufErrors))$
 *
 * as section and name: a section "*" is any, a name ending in '*' a
 * prefix.  TcpExt_TCPOFOQueue and TcpExt_TCPRcvQDrop are in the default
 * from 1.6 on and were exported before this list was checked against
 * 1.5: they stay (a family more breaks no dashboard, one fewer would).
 */
#define NS(sect, name)	{ sect, sizeof(sect) - 1, name, sizeof(name) - 1 }

/*
 * With their lengths, so that most entries are passed over on a length
 * or a first byte: this runs for each of some 350 fields of netstat and
 * snmp every tick.
 */
static const struct {
	const char	*section;
	size_t		 slen;
	const char	*name;
	size_t		 nlen;
} netstat_default[] = {
	NS("*", "InErrors"), NS("*", "InErrs"),
	NS("Ip", "Forwarding"),
	NS("Ip6", "InOctets"), NS("Ip6", "OutOctets"),
	NS("IpExt", "InOctets"), NS("IpExt", "OutOctets"),
	NS("Icmp", "InMsgs"), NS("Icmp", "OutMsgs"),
	NS("Icmp6", "InMsgs"), NS("Icmp6", "OutMsgs"),
	NS("TcpExt", "Listen*"), NS("TcpExt", "Syncookies*"),
	NS("TcpExt", "TCPSynRetrans"), NS("TcpExt", "TCPTimeouts"),
	NS("TcpExt", "TCPOFOQueue"), NS("TcpExt", "TCPRcvQDrop"),
	NS("Tcp", "ActiveOpens"), NS("Tcp", "InSegs"), NS("Tcp", "OutSegs"),
	NS("Tcp", "OutRsts"), NS("Tcp", "PassiveOpens"),
	NS("Tcp", "RetransSegs"), NS("Tcp", "CurrEstab"),
	NS("Udp", "InDatagrams"), NS("Udp", "OutDatagrams"),
	NS("Udp", "NoPorts"), NS("Udp", "RcvbufErrors"),
	NS("Udp", "SndbufErrors"),
	NS("Udp6", "InDatagrams"), NS("Udp6", "OutDatagrams"),
	NS("Udp6", "NoPorts"), NS("Udp6", "RcvbufErrors"),
	NS("Udp6", "SndbufErrors"),
};

#undef NS

static int	netstat_pair(struct vt_span names, struct vt_span values,
		    struct vt_span sect, vt_netstat_field_fn fn, void *arg);
static int	netstat_keep(struct vt_span sect, struct vt_span name,
		    struct vt_span value, void *arg);

int
vt_netstat_field_default(struct vt_span section, struct vt_span name)
{
	size_t	i, n;

	for (i = 0; i < VT_ARRAY_LEN(netstat_default); i++) {
		const char	*ps = netstat_default[i].section;
		const char	*pn = netstat_default[i].name;

		if (ps[0] != '*' && (section.len != netstat_default[i].slen ||
		    memcmp(section.p, ps, section.len) != 0))
			continue;
		n = netstat_default[i].nlen;
		if (name.len == 0 || name.p[0] != pn[0])
			continue;
		if (pn[n - 1] == '*') {
			if (name.len >= n - 1 && memcmp(name.p, pn, n - 1) == 0)
				return 1;
		} else if (name.len == n && memcmp(name.p, pn, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Hand one "names" / "values" pair (both without the "Section:" prefix)
 * to fn, field by field.  Returns VT_OK, or VT_ERR when the counts
 * differ or fn refused a value.
 */
static int
netstat_pair(struct vt_span names, struct vt_span values, struct vt_span sect,
    vt_netstat_field_fn fn, void *arg)
{
	struct vt_span	nw, vw;
	size_t		npos = 0, vpos = 0;
	int		hn, hv;

	for (;;) {
		hn = vt_pf_next_word(names, &npos, &nw);
		hv = vt_pf_next_word(values, &vpos, &vw);
		if (!hn && !hv)
			return VT_OK;
		if (hn != hv || fn(sect, nw, vw, arg) == VT_ERR)
			return VT_ERR;
	}
}

int
vt_netstat_pairs(const char *file, const char *buf, size_t len,
    vt_netstat_field_fn fn, void *arg, char *err, size_t errlen)
{
	struct vt_span	 l1, l2, s1, s2;
	const char	*c1, *c2;
	size_t		 pos = 0;
	unsigned	 lineno = 0;

	if (len == 0)
		return vt_pf_err(err, errlen, "%s: empty", file);
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "%s: truncated (no newline at the end)", file);
	while (vt_pf_line(buf, len, &pos, &l1)) {
		lineno++;
		if (vt_pf_trim(l1).len == 0)
			continue;
		if (!vt_pf_line(buf, len, &pos, &l2))
			return vt_pf_err(err, errlen,
			    "%s: line %u: no values line", file, lineno);
		lineno++;
		c1 = memchr(l1.p, ':', l1.len);
		c2 = memchr(l2.p, ':', l2.len);
		if (c1 == NULL || c2 == NULL)
			return vt_pf_err(err, errlen,
			    "%s: line %u: no section", file, lineno);
		s1.p = l1.p;
		s1.len = (size_t)(c1 - l1.p);
		s2.p = l2.p;
		s2.len = (size_t)(c2 - l2.p);
		if (s1.len != s2.len || memcmp(s1.p, s2.p, s1.len) != 0)
			return vt_pf_err(err, errlen,
			    "%s: line %u: sections differ", file, lineno);
		l1.len -= s1.len + 1;
		l1.p = c1 + 1;
		l2.len -= s2.len + 1;
		l2.p = c2 + 1;
		if (netstat_pair(l1, l2, s1, fn, arg) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "%s: line %u: names and values do not match",
			    file, lineno);
	}
	return VT_OK;
}

/* Keep a TcpExt or IpExt field; the other sections are not looked at. */
static int
netstat_keep(struct vt_span sect, struct vt_span name, struct vt_span value,
    void *arg)
{
	struct vt_proc_net_netstat	*out = arg;
	uint64_t			 v;

	if (!vt_pf_eq(sect, "TcpExt") && !vt_pf_eq(sect, "IpExt"))
		return VT_OK;
	if (vt_pf_u64(value, &v) == VT_ERR)
		return VT_ERR;
	vt_netstat_entry_add(out->e, VT_NETSTAT_MAX, &out->n, &out->ndropped,
	    sect, name, v);
	return VT_OK;
}

int
vt_proc_net_netstat_parse(const char *buf, size_t len,
    struct vt_proc_net_netstat *out, char *err, size_t errlen)
{
	uint64_t	o, d;

	memset(out, 0, sizeof(*out));
	if (vt_netstat_pairs("proc/net/netstat", buf, len, netstat_keep, out,
	    err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
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

void
vt_netstat_entry_add(struct vt_netstat_entry *e, size_t cap, size_t *n,
    size_t *ndropped, struct vt_span section, struct vt_span name,
    uint64_t value)
{
	if (*n >= cap || section.len >= VT_NETSTAT_SECTLEN ||
	    name.len >= VT_NETSTAT_NAMELEN) {
		(*ndropped)++;
		return;
	}
	vt_pf_copy(section, e[*n].section, sizeof(e[*n].section));
	vt_pf_copy(name, e[*n].name, sizeof(e[*n].name));
	e[*n].value = value;
	(*n)++;
}

int
vt_netstat_entry_find(const struct vt_netstat_entry *e, size_t n,
    const char *section, const char *name, uint64_t *value)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(e[i].name, name) == 0 &&
		    strcmp(e[i].section, section) == 0) {
			*value = e[i].value;
			return VT_OK;
		}
	}
	return VT_ERR;
}

int
vt_proc_net_netstat_get(const struct vt_proc_net_netstat *s,
    const char *section, const char *name, uint64_t *value)
{
	return vt_netstat_entry_find(s->e, s->n, section, name, value);
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

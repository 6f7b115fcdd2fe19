/*
 * proc_net_snmp.c: parse /proc/net/snmp and /proc/net/snmp6 (see
 * proc_net_snmp.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_netstat.h"
#include "collect/proc_net_snmp.h"

static int	snmp_add(struct vt_proc_net_snmp *out, struct vt_span sect,
		    struct vt_span name, struct vt_span value);
static int	snmp_field(struct vt_span sect, struct vt_span name,
		    struct vt_span value, void *arg);

/*
 * Keep one field when node_exporter's default subset has it.  Returns
 * VT_OK, or VT_ERR when its value is not a number (or a kept one is not
 * an unsigned one).
 */
static int
snmp_add(struct vt_proc_net_snmp *out, struct vt_span sect,
    struct vt_span name, struct vt_span value)
{
	uint64_t	v;
	int64_t		sv;

	if (!vt_netstat_field_default(sect, name))
		return vt_pf_i64(value, &sv) == VT_OK ||
		    vt_pf_u64(value, &v) == VT_OK ? VT_OK : VT_ERR;
	if (vt_pf_u64(value, &v) == VT_ERR)
		return VT_ERR;
	vt_netstat_entry_add(out->e, VT_SNMP_MAX, &out->n, &out->ndropped,
	    sect, name, v);
	return VT_OK;
}

static int
snmp_field(struct vt_span sect, struct vt_span name, struct vt_span value,
    void *arg)
{
	return snmp_add(arg, sect, name, value);
}

int
vt_proc_net_snmp_parse(const char *buf, size_t len,
    struct vt_proc_net_snmp *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (vt_netstat_pairs("proc/net/snmp", buf, len, snmp_field, out, err,
	    errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

int
vt_proc_net_snmp6_parse(const char *buf, size_t len,
    struct vt_proc_net_snmp *out, char *err, size_t errlen)
{
	struct vt_span	 line, w[3], sect, name;
	const char	*six;
	size_t		 pos = 0, n0 = out->n, d0 = out->ndropped;
	unsigned	 lineno = 0;

	/* An empty snmp6 is what a kernel with IPv6 but no stats gives. */
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/snmp6: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		switch (vt_pf_words(line, w, VT_ARRAY_LEN(w))) {
		case 0:
			continue;
		case 2:
			break;
		default:
			goto bad;
		}
		if ((six = memchr(w[0].p, '6', w[0].len)) == NULL)
			continue;
		sect.p = w[0].p;
		sect.len = (size_t)(six - w[0].p) + 1;
		name.p = six + 1;
		name.len = w[0].len - sect.len;
		if (snmp_add(out, sect, name, w[1]) == VT_ERR)
			goto bad;
	}
	out->has_snmp6 = 1;
	return VT_OK;

bad:
	out->n = n0;
	out->ndropped = d0;
	return vt_pf_err(err, errlen, "proc/net/snmp6: line %u: bad line",
	    lineno);
}

int
vt_proc_net_snmp_get(const struct vt_proc_net_snmp *s, const char *section,
    const char *name, uint64_t *value)
{
	return vt_netstat_entry_find(s->e, s->n, section, name, value);
}

int
vt_proc_net_snmp_read(const char *root, struct vt_proc_net_snmp *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_SNMP_BUFSZ];
	size_t	len;
	int	missing;

	if (vt_procfile_read(root, "proc/net/snmp", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	if (vt_proc_net_snmp_parse(buf, len, out, err, errlen) == VT_ERR)
		return VT_ERR;
	/* IPv6 disabled (ipv6.disable=1): no snmp6, no error. */
	if (vt_procfile_read_opt(root, "proc/net/snmp6", buf, sizeof(buf),
	    &len, &missing, err, errlen) == VT_ERR ||
	    (!missing && vt_proc_net_snmp6_parse(buf, len, out, err,
	    errlen) == VT_ERR)) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

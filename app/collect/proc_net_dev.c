/*
 * proc_net_dev.c: parse /proc/net/dev (see proc_net_dev.h).
 *
 * Two header lines, then "%6s: %7llu %7llu ..." per interface, the name
 * right-aligned in six columns (longer names just push the line right).
 * The name ends at the first ':': the kernel refuses ':' in interface
 * names.  Older kernels wrote "%6s:%8lu", where a large first counter
 * touches the colon ("  eth0:123456789"); that parses the same.
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_dev.h"

const char *const vt_netdev_field_names[VT_NETDEV_NFIELDS] = {
	"receive_bytes", "receive_packets", "receive_errs", "receive_drop",
	"receive_fifo", "receive_frame", "receive_compressed",
	"receive_multicast",
	"transmit_bytes", "transmit_packets", "transmit_errs",
	"transmit_drop", "transmit_fifo", "transmit_colls",
	"transmit_carrier", "transmit_compressed"
};

int
vt_proc_net_dev_parse(const char *buf, size_t len,
    struct vt_proc_net_dev *out, char *err, size_t errlen)
{
	struct vt_netdev_iface	*ifc;
	struct vt_span		 line, name, rest, w[VT_NETDEV_NFIELDS];
	const char		*colon;
	size_t			 pos = 0, i, nw;
	unsigned		 lineno = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/net/dev: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/dev: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		if (lineno <= 2) {
			if (!vt_pf_prefix(vt_pf_trim(line),
			    lineno == 1 ? "Inter-" : "face"))
				return vt_pf_err(err, errlen,
				    "proc/net/dev: line %u: not the header",
				    lineno);
			continue;
		}
		if (vt_pf_trim(line).len == 0)
			continue;
		if ((colon = memchr(line.p, ':', line.len)) == NULL)
			return vt_pf_err(err, errlen,
			    "proc/net/dev: line %u: no colon", lineno);
		name.p = line.p;
		name.len = (size_t)(colon - line.p);
		name = vt_pf_trim(name);
		rest.p = colon + 1;
		rest.len = line.len - (size_t)(rest.p - line.p);
		nw = vt_pf_words(rest, w, VT_ARRAY_LEN(w));
		if (name.len == 0 || nw != VT_NETDEV_NFIELDS)
			return vt_pf_err(err, errlen,
			    "proc/net/dev: line %u: expected a name and "
			    "%d counters", lineno, VT_NETDEV_NFIELDS);
		if (out->n >= VT_MAX_IFACES) {
			out->ndropped++;
			continue;
		}
		ifc = &out->iface[out->n];
		if (vt_pf_copy(name, ifc->name, sizeof(ifc->name)) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "proc/net/dev: line %u: name too long", lineno);
		for (i = 0; i < VT_NETDEV_NFIELDS; i++) {
			if (vt_pf_u64(w[i], &ifc->v[i]) == VT_ERR)
				return vt_pf_err(err, errlen,
				    "proc/net/dev: line %u: bad counter %zu",
				    lineno, i + 1);
		}
		out->n++;
	}
	if (lineno < 2)
		return vt_pf_err(err, errlen, "proc/net/dev: no header");
	return VT_OK;
}

int
vt_proc_net_dev_read(const char *root, struct vt_proc_net_dev *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_DEV_BUFSZ];
	size_t	len;

	if (vt_procfile_read(root, "proc/net/dev", buf, sizeof(buf), &len, err,
	    errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_net_dev_parse(buf, len, out, err, errlen);
}

/*
 * proc_net_softnet.c: parse /proc/net/softnet_stat (see
 * proc_net_softnet.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_softnet.h"

/* procfs (node_exporter's reader) wants at least this many columns. */
#define SOFTNET_MIN_COLUMNS	9

int
vt_proc_net_softnet_parse(const char *buf, size_t len,
    struct vt_proc_net_softnet *out, char *err, size_t errlen)
{
	struct vt_span		 line, w[SOFTNET_MIN_COLUMNS];
	struct vt_softnet_cpu	 c;
	size_t			 pos = 0, nw, i;
	unsigned		 lineno = 0;
	uint32_t		 x;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/net/softnet_stat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "proc/net/softnet_stat: "
		    "truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		nw = vt_pf_words(line, w, VT_ARRAY_LEN(w));
		if (nw < SOFTNET_MIN_COLUMNS)
			goto bad;
		/* Every column is a counter: check them all, keep three. */
		for (i = 0; i < SOFTNET_MIN_COLUMNS; i++)
			if (vt_pf_hex32(w[i], &x) == VT_ERR)
				goto bad;
		(void)vt_pf_hex32(w[0], &c.processed);
		(void)vt_pf_hex32(w[1], &c.dropped);
		(void)vt_pf_hex32(w[2], &c.time_squeezed);
		if (out->n >= VT_MAX_CPUS) {
			out->ndropped++;
			continue;
		}
		out->cpu[out->n++] = c;
	}
	if (out->n == 0 && out->ndropped == 0)
		return vt_pf_err(err, errlen, "proc/net/softnet_stat: no CPU");
	return VT_OK;

bad:
	memset(out, 0, sizeof(*out));
	return vt_pf_err(err, errlen,
	    "proc/net/softnet_stat: line %u: bad line", lineno);
}

int
vt_proc_net_softnet_read(const char *root, struct vt_proc_net_softnet *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_SOFTNET_BUFSZ];
	size_t	len;

	if (vt_procfile_read(root, "proc/net/softnet_stat", buf, sizeof(buf),
	    &len, err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_net_softnet_parse(buf, len, out, err, errlen);
}

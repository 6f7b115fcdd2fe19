/*
 * proc_net_arp.c: count /proc/net/arp's entries per device (see
 * proc_net_arp.h).
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_net_arp.h"

/* Address, type, flags, hardware address, mask, device. */
#define ARP_COLUMNS	6

/* The header line: "IP address       HW type     Flags ...". */
#define ARP_HEADER	"IP address"

static void	arp_count(struct vt_proc_net_arp *acc, struct vt_span dev);
static int	arp_lines(const char *buf, size_t len, void *arg, char *err,
		    size_t errlen);

static void
arp_count(struct vt_proc_net_arp *acc, struct vt_span dev)
{
	size_t	i;

	for (i = 0; i < acc->n; i++)
		if (vt_pf_eq(dev, acc->d[i].device)) {
			acc->d[i].entries++;
			return;
		}
	if (acc->n >= VT_MAX_IFACES ||
	    vt_pf_copy(dev, acc->d[acc->n].device, VT_ARP_DEVLEN) == VT_ERR) {
		acc->ndropped++;
		return;
	}
	acc->d[acc->n++].entries = 1;
}

int
vt_proc_net_arp_add_lines(const char *buf, size_t len,
    struct vt_proc_net_arp *acc, char *err, size_t errlen)
{
	struct vt_span	line, w[ARP_COLUMNS + 1];
	size_t		pos = 0;

	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/net/arp: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (vt_pf_trim(line).len == 0)
			continue;
		/* The device is the last column, as node_exporter takes it. */
		if (vt_pf_words(line, w, VT_ARRAY_LEN(w)) != ARP_COLUMNS ||
		    !vt_pf_prefix(w[1], "0x") || !vt_pf_prefix(w[2], "0x"))
			return vt_pf_err(err, errlen,
			    "proc/net/arp: malformed entry");
		arp_count(acc, w[ARP_COLUMNS - 1]);
	}
	return VT_OK;
}

static int
arp_lines(const char *buf, size_t len, void *arg, char *err, size_t errlen)
{
	return vt_proc_net_arp_add_lines(buf, len, arg, err, errlen);
}

int
vt_proc_net_arp_parse(const char *buf, size_t len, struct vt_proc_net_arp *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (vt_pf_table("proc/net/arp", ARP_HEADER, buf, len, arp_lines, out,
	    err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

int
vt_proc_net_arp_read(const char *root, struct vt_proc_net_arp *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_NET_ARP_BUFSZ];

	memset(out, 0, sizeof(*out));
	if (vt_procfile_stream_table(root, "proc/net/arp", ARP_HEADER, buf,
	    sizeof(buf), arp_lines, out, err, errlen) == VT_ERR) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return VT_OK;
}

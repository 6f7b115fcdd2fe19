/*
 * sys_class_net.c: /sys/class/net/<iface>/ (see sys_class_net.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/sys_class_net.h"

const struct vt_nc_attr_def vt_nc_attrs[VT_NC_NATTR] = {
	[VT_NC_ADDR_ASSIGN_TYPE] = { "addr_assign_type", "address_assign_type",
	    0, 0 },
	[VT_NC_CARRIER] = { "carrier", "carrier", 0, 0 },
	[VT_NC_CARRIER_CHANGES] = { "carrier_changes", "carrier_changes_total",
	    1, 0 },
	[VT_NC_CARRIER_UP] = { "carrier_up_count", "carrier_up_changes_total",
	    1, 0 },
	[VT_NC_CARRIER_DOWN] = { "carrier_down_count",
	    "carrier_down_changes_total", 1, 0 },
	[VT_NC_DEV_ID] = { "dev_id", "device_id", 0, 1 },
	[VT_NC_DORMANT] = { "dormant", "dormant", 0, 0 },
	[VT_NC_FLAGS] = { "flags", "flags", 0, 1 },
	[VT_NC_IFINDEX] = { "ifindex", "iface_id", 0, 0 },
	[VT_NC_IFLINK] = { "iflink", "iface_link", 0, 0 },
	[VT_NC_LINK_MODE] = { "link_mode", "iface_link_mode", 0, 0 },
	[VT_NC_MTU] = { "mtu", "mtu_bytes", 0, 0 },
	[VT_NC_NAME_ASSIGN_TYPE] = { "name_assign_type", "name_assign_type",
	    0, 0 },
	[VT_NC_NETDEV_GROUP] = { "netdev_group", "net_dev_group", 0, 0 },
	[VT_NC_SPEED] = { "speed", "speed_bytes", 0, 0 },
	[VT_NC_TX_QUEUE_LEN] = { "tx_queue_len", "transmit_queue_length",
	    0, 0 },
	[VT_NC_TYPE] = { "type", "protocol_type", 0, 0 },
	[VT_NC_RX_NOHANDLER] = { "statistics/rx_nohandler",
	    "receive_nohandler_total", 1, 0 },
};

static int	nc_name_cmp(const void *a, const void *b);
static int	nc_read_attr(const char *root, struct vt_netclass_iface *ifc,
		    const char *file, char *err, size_t errlen);
static int	nc_read_iface(const char *root, struct vt_netclass_iface *ifc,
		    char *err, size_t errlen);

int
vt_netclass_attr_parse(const char *file, const char *buf, size_t len,
    struct vt_netclass_iface *ifc, char *err, size_t errlen)
{
	static const struct {
		const char	*file;
		size_t		 off, size;
	} str[] = {
		{ "address", offsetof(struct vt_netclass_iface, address),
		    VT_NC_ADDR_LEN },
		{ "broadcast", offsetof(struct vt_netclass_iface, broadcast),
		    VT_NC_ADDR_LEN },
		{ "duplex", offsetof(struct vt_netclass_iface, duplex), 16 },
		{ "operstate", offsetof(struct vt_netclass_iface, operstate),
		    16 },
		{ "ifalias", offsetof(struct vt_netclass_iface, ifalias),
		    VT_NC_ALIAS_LEN },
	};
	struct vt_span	line = { buf, 0 };
	size_t		i, pos = 0;
	int64_t		v;
	uint32_t	x;

	if (len > 0) {
		if (vt_pf_complete(buf, len) == VT_ERR)
			return vt_pf_err(err, errlen,
			    "sys/class/net: %s: truncated", file);
		vt_pf_line(buf, len, &pos, &line);
		if (pos != len)
			return vt_pf_err(err, errlen,
			    "sys/class/net: %s: more than one line", file);
	}
	if (memchr(buf, '\0', len) != NULL)
		return vt_pf_err(err, errlen, "sys/class/net: %s: NUL byte",
		    file);
	for (i = 0; i < VT_ARRAY_LEN(str); i++) {
		if (strcmp(file, str[i].file) != 0)
			continue;
		/* An over-long alias is cut; the renderer keeps it UTF-8. */
		if (line.len >= str[i].size)
			line.len = str[i].size - 1;
		vt_pf_copy(line, (char *)ifc + str[i].off, str[i].size);
		return VT_OK;
	}
	for (i = 0; i < VT_NC_NATTR; i++) {
		if (strcmp(file, vt_nc_attrs[i].file) != 0)
			continue;
		if (vt_nc_attrs[i].hex) {
			struct vt_span	h = line;

			if (!vt_pf_prefix(h, "0x"))
				goto bad;
			h.p += 2;
			h.len -= 2;
			if (vt_pf_hex32(h, &x) == VT_ERR)
				goto bad;
			v = x;
		} else if (vt_pf_i64(line, &v) == VT_ERR)
			goto bad;
		ifc->v[i] = v;
		ifc->have |= 1u << i;
		return VT_OK;
	}
	return VT_OK;
bad:
	return vt_pf_err(err, errlen, "sys/class/net: %s: bad number", file);
}

static int
nc_name_cmp(const void *a, const void *b)
{
	const struct vt_netclass_iface	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * One file of an interface (ifc->name is set): VT_OK whether or not the
 * driver answers (EINVAL is a down link's carrier; ENOENT, EPERM: the
 * attribute stays unset), VT_ERR when the answer is malformed.
 */
static int
nc_read_attr(const char *root, struct vt_netclass_iface *ifc,
    const char *file, char *err, size_t errlen)
{
	char		rel[VT_PATH_LEN], buf[512];
	size_t		len;
	int		rc;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/%s", ifc->name, file);
	rc = vt_procfile_read(root, rel, buf, sizeof(buf), &len, err, errlen);
	if (rc == VT_ERR)
		return VT_OK;
	if (rc == VT_PF_TRUNCATED)
		return vt_pf_err(err, errlen, "%s: too long", rel);
	return vt_netclass_attr_parse(file, buf, len, ifc, err, errlen);
}

/* One interface's files; ifc->name is set. */
static int
nc_read_iface(const char *root, struct vt_netclass_iface *ifc, char *err,
    size_t errlen)
{
	static const char *const strs[] = { "address", "broadcast", "duplex",
	    "operstate", "ifalias" };
	const char     *file;
	size_t		i;

	for (i = 0; i < VT_ARRAY_LEN(strs) + VT_NC_NATTR; i++) {
		file = i < VT_ARRAY_LEN(strs) ? strs[i] :
		    vt_nc_attrs[i - VT_ARRAY_LEN(strs)].file;
		if (nc_read_attr(root, ifc, file, err, errlen) == VT_ERR)
			return VT_ERR;
	}
	return VT_OK;
}

int
vt_netclass_nohandler_read(const char *root, struct vt_netclass *nc,
    char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < nc->n; i++) {
		nc->i[i].have &= ~(1u << VT_NC_RX_NOHANDLER);
		nc->i[i].v[VT_NC_RX_NOHANDLER] = 0;
		if (nc_read_attr(root, &nc->i[i],
		    vt_nc_attrs[VT_NC_RX_NOHANDLER].file, err, errlen) ==
		    VT_ERR)
			return VT_ERR;
	}
	return VT_OK;
}

int
vt_netclass_read(const char *root, struct vt_netclass *out, char *err,
    size_t errlen)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[VT_PATH_LEN];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_path(root, "sys/class/net", path, sizeof(path)) ==
	    VT_ERR)
		return vt_pf_err(err, errlen, "sys/class/net: path too long");
	if ((d = opendir(path)) == NULL) {
		if (errno == ENOENT)
			return VT_OK;
		return vt_pf_err(err, errlen, "sys/class/net: %s",
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (out->n == VT_MAX_IFACES ||
		    strlen(de->d_name) >= VT_NAME_LEN) {
			out->skipped++;
			continue;
		}
		snprintf(out->i[out->n++].name, VT_NAME_LEN, "%s", de->d_name);
	}
	closedir(d);
	qsort(out->i, out->n, sizeof(out->i[0]), nc_name_cmp);
	for (i = 0; i < out->n; i++)
		if (nc_read_iface(root, &out->i[i], err, errlen) == VT_ERR) {
			memset(out, 0, sizeof(*out));
			return VT_ERR;
		}
	return VT_OK;
}

const struct vt_netclass_iface *
vt_netclass_find(const struct vt_netclass *nc, const char *name)
{
	struct vt_netclass_iface	key;
	size_t				n;

	if (strlen(name) >= sizeof(key.name))
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	n = nc->n < VT_MAX_IFACES ? nc->n : VT_MAX_IFACES;
	return bsearch(&key, nc->i, n, sizeof(nc->i[0]), nc_name_cmp);
}

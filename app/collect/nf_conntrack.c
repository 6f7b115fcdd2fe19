/*
 * nf_conntrack.c: read netfilter's connection tracking figures (see
 * nf_conntrack.h).
 *
 * /proc/net/stat/nf_conntrack is ct_cpu_seq_show()'s: the header line,
 * then per possible CPU "%08x  %08x %08x ..." (the first column, entries,
 * is the global count on every line; the others are that CPU's).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/nf_conntrack.h"

/* Columns in a line: 17 today; room for the kernel to add some. */
#define CT_MAX_COLUMNS	32

const char *const vt_ct_stat_names[VT_CT_NSTATS] = {
	"found", "invalid", "ignore", "insert", "insert_failed", "drop",
	"early_drop", "search_restart"
};

int
vt_nf_conntrack_stat_parse(const char *buf, size_t len,
    struct vt_conntrack *out, char *err, size_t errlen)
{
	struct vt_span	line, w[CT_MAX_COLUMNS + 1];
	size_t		pos = 0, ncol, n, col[VT_CT_NSTATS], i, k;
	unsigned	lineno = 1;
	uint32_t	x;

	memset(out->stat, 0, sizeof(out->stat));
	if (len == 0)
		return vt_pf_err(err, errlen,
		    "proc/net/stat/nf_conntrack: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen, "proc/net/stat/nf_conntrack: "
		    "truncated (no newline at the end)");
	vt_pf_line(buf, len, &pos, &line);
	ncol = vt_pf_words(line, w, VT_ARRAY_LEN(w));
	/* w[] holds only the words there were: a blank line has none. */
	if (ncol == 0 || ncol > CT_MAX_COLUMNS || !vt_pf_eq(w[0], "entries"))
		return vt_pf_err(err, errlen,
		    "proc/net/stat/nf_conntrack: no header");
	for (k = 0; k < VT_CT_NSTATS; k++) {
		for (i = 0; i < ncol; i++)
			if (vt_pf_eq(w[i], vt_ct_stat_names[k]))
				break;
		if (i == ncol)
			return vt_pf_err(err, errlen,
			    "proc/net/stat/nf_conntrack: no %s column",
			    vt_ct_stat_names[k]);
		col[k] = i;
	}
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		n = vt_pf_words(line, w, VT_ARRAY_LEN(w));
		if (n != ncol)
			goto bad;
		for (i = 0; i < n; i++)
			if (vt_pf_hex32(w[i], &x) == VT_ERR)
				goto bad;
		for (k = 0; k < VT_CT_NSTATS; k++) {
			(void)vt_pf_hex32(w[col[k]], &x);
			out->stat[k] += x;
		}
	}
	return VT_OK;

bad:
	memset(out->stat, 0, sizeof(out->stat));
	return vt_pf_err(err, errlen,
	    "proc/net/stat/nf_conntrack: line %u: bad line", lineno);
}

int
vt_conntrack_read(const char *root, struct vt_conntrack *out, char *err,
    size_t errlen)
{
	char	buf[VT_NF_CONNTRACK_BUFSZ];
	size_t	len;
	int	rc, missing;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_read_u64(root, "proc/sys/net/netfilter/"
	    "nf_conntrack_count", &out->entries, err, errlen) == VT_ERR ||
	    vt_procfile_read_u64(root, "proc/sys/net/netfilter/"
	    "nf_conntrack_max", &out->limit, err, errlen) == VT_ERR) {
		rc = errno == ENOENT ? VT_OK : VT_ERR;
		memset(out, 0, sizeof(*out));
		return rc;
	}
	out->present = 1;
	if (vt_procfile_read_opt(root, "proc/net/stat/nf_conntrack", buf,
	    sizeof(buf), &len, &missing, err, errlen) == VT_ERR ||
	    (!missing && vt_nf_conntrack_stat_parse(buf, len, out, err,
	    errlen) == VT_ERR)) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	out->has_stat = !missing;
	return VT_OK;
}

/*
 * proc_meminfo.c: parse /proc/meminfo (see proc_meminfo.h).
 *
 * Each line is "Name:" padded to column 16, the value right-aligned in at
 * least 8 columns, then " kB" for sizes or nothing for page counts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_meminfo.h"

/* The named members, filled from the table after parsing. */
static const struct {
	const char	*name;
	size_t		 off;
} meminfo_named[] = {
	{ "MemTotal", offsetof(struct vt_proc_meminfo, mem_total) },
	{ "MemFree", offsetof(struct vt_proc_meminfo, mem_free) },
	{ "MemAvailable", offsetof(struct vt_proc_meminfo, mem_available) },
	{ "Buffers", offsetof(struct vt_proc_meminfo, buffers) },
	{ "Cached", offsetof(struct vt_proc_meminfo, cached) },
	{ "SwapCached", offsetof(struct vt_proc_meminfo, swap_cached) },
	{ "Active", offsetof(struct vt_proc_meminfo, active) },
	{ "Inactive", offsetof(struct vt_proc_meminfo, inactive) },
	{ "SwapTotal", offsetof(struct vt_proc_meminfo, swap_total) },
	{ "SwapFree", offsetof(struct vt_proc_meminfo, swap_free) },
	{ "Dirty", offsetof(struct vt_proc_meminfo, dirty) },
	{ "Writeback", offsetof(struct vt_proc_meminfo, writeback) },
	{ "AnonPages", offsetof(struct vt_proc_meminfo, anon_pages) },
	{ "Mapped", offsetof(struct vt_proc_meminfo, mapped) },
	{ "Shmem", offsetof(struct vt_proc_meminfo, shmem) },
	{ "Slab", offsetof(struct vt_proc_meminfo, slab) },
	{ "SReclaimable", offsetof(struct vt_proc_meminfo, sreclaimable) },
	{ "SUnreclaim", offsetof(struct vt_proc_meminfo, sunreclaim) },
	{ "CommitLimit", offsetof(struct vt_proc_meminfo, commit_limit) },
	{ "Committed_AS", offsetof(struct vt_proc_meminfo, committed_as) },
	{ "HugePages_Total",
	    offsetof(struct vt_proc_meminfo, hugepages_total) },
	{ "HugePages_Free", offsetof(struct vt_proc_meminfo, hugepages_free) },
	{ "Hugepagesize", offsetof(struct vt_proc_meminfo, hugepagesize) },
};

int
vt_proc_meminfo_parse(const char *buf, size_t len,
    struct vt_proc_meminfo *out, char *err, size_t errlen)
{
	struct vt_meminfo_entry	*e;
	struct vt_span		 line, name, rest, w[3];
	const char		*colon;
	uint64_t		 v;
	size_t			 pos = 0, nw, i;
	unsigned		 lineno = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/meminfo: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/meminfo: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		if (vt_pf_trim(line).len == 0)
			continue;
		if ((colon = memchr(line.p, ':', line.len)) == NULL)
			return vt_pf_err(err, errlen,
			    "proc/meminfo: line %u: no colon", lineno);
		name.p = line.p;
		name.len = (size_t)(colon - line.p);
		name = vt_pf_trim(name);
		rest.p = colon + 1;
		rest.len = line.len - (size_t)(rest.p - line.p);
		nw = vt_pf_words(rest, w, VT_ARRAY_LEN(w));
		if (name.len == 0 || nw < 1 || nw > 2 ||
		    vt_pf_u64(w[0], &v) == VT_ERR ||
		    (nw == 2 && !vt_pf_eq(w[1], "kB")))
			return vt_pf_err(err, errlen,
			    "proc/meminfo: line %u: malformed", lineno);
		if (nw == 2) {
			if (v > UINT64_MAX / 1024)
				return vt_pf_err(err, errlen,
				    "proc/meminfo: line %u: too large",
				    lineno);
			v *= 1024;
		}
		if (out->n >= VT_MEMINFO_MAX ||
		    name.len >= VT_MEMINFO_NAMELEN) {
			out->ndropped++;
			continue;
		}
		e = &out->e[out->n++];
		vt_pf_copy(name, e->name, sizeof(e->name));
		e->value = v;
		e->is_bytes = nw == 2;
	}
	for (i = 0; i < VT_ARRAY_LEN(meminfo_named); i++) {
		if (vt_proc_meminfo_get(out, meminfo_named[i].name, &v) ==
		    VT_OK)
			*(uint64_t *)(void *)((char *)out +
			    meminfo_named[i].off) = v;
	}
	out->has_available = vt_proc_meminfo_get(out, "MemAvailable", &v) ==
	    VT_OK;
	if (vt_proc_meminfo_get(out, "MemTotal", &v) == VT_ERR ||
	    vt_proc_meminfo_get(out, "MemFree", &v) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/meminfo: no MemTotal or MemFree");
	return VT_OK;
}

int
vt_proc_meminfo_get(const struct vt_proc_meminfo *m, const char *name,
    uint64_t *value)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->e[i].name, name) == 0) {
			*value = m->e[i].value;
			return VT_OK;
		}
	}
	return VT_ERR;
}

int
vt_proc_meminfo_metric_name(const struct vt_meminfo_entry *e, char *dst,
    size_t dstlen)
{
	const char	*s;
	size_t		 n;
	int		 w;

	w = snprintf(dst, dstlen, "node_memory_");
	if (w < 0 || (size_t)w >= dstlen)
		return VT_ERR;
	n = (size_t)w;
	for (s = e->name; *s != '\0'; s++) {
		if (*s == ')')
			continue;
		if (n + 1 >= dstlen)
			return VT_ERR;
		dst[n++] = *s == '(' ? '_' : *s;
	}
	dst[n] = '\0';
	if (e->is_bytes) {
		if (n + sizeof("_bytes") > dstlen)
			return VT_ERR;
		memcpy(dst + n, "_bytes", sizeof("_bytes"));
	}
	return VT_OK;
}

int
vt_proc_meminfo_read(const char *root, struct vt_proc_meminfo *out,
    char *err, size_t errlen)
{
	char	buf[VT_PROC_MEMINFO_BUFSZ];
	size_t	len;

	if (vt_procfile_read(root, "proc/meminfo", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_meminfo_parse(buf, len, out, err, errlen);
}

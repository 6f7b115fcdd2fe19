/*
 * proc_self.c: the master's own process figures (see proc_self.h).
 */
#include "config.h"

#include <dirent.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "collect/proc_pid.h"
#include "collect/proc_self.h"
#include "collect/procfile.h"

static int	self_limit(struct vt_span line, size_t name_len, uint64_t *out);
static int	self_fds(const char *root, uint64_t *out);
static int	self_limits(const char *root, struct vt_proc_self *out,
		    char *buf, size_t cap, char *err, size_t errlen);

/*
 * The soft limit of a limits line whose name takes name_len bytes: the
 * first word after the name.
 */
static int
self_limit(struct vt_span line, size_t name_len, uint64_t *out)
{
	struct vt_span	rest, w[3];

	rest.p = line.p + name_len;
	rest.len = line.len - name_len;
	if (vt_pf_words(rest, w, VT_ARRAY_LEN(w)) != 3)
		return VT_ERR;
	if (vt_pf_eq(w[0], "unlimited")) {
		*out = VT_LIMIT_UNLIMITED;
		return VT_OK;
	}
	return vt_pf_u64(w[0], out);
}

int
vt_proc_limits_parse(const char *buf, size_t len, struct vt_proc_self *out,
    char *err, size_t errlen)
{
	static const char	nofile[] = "Max open files", as[] =
	    "Max address space";
	struct vt_span		line;
	size_t			pos = 0;
	int			have_nofile = 0, have_as = 0;

	out->max_fds = out->max_vsize_bytes = 0;
	if (len == 0)
		return vt_pf_err(err, errlen, "limits: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "limits: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		if (vt_pf_prefix(line, nofile)) {
			if (have_nofile++ || self_limit(line,
			    sizeof(nofile) - 1, &out->max_fds) == VT_ERR)
				goto fail;
		} else if (vt_pf_prefix(line, as)) {
			if (have_as++ || self_limit(line, sizeof(as) - 1,
			    &out->max_vsize_bytes) == VT_ERR)
				goto fail;
		}
	}
	if (have_nofile && have_as)
		return VT_OK;
fail:
	out->max_fds = out->max_vsize_bytes = 0;
	return vt_pf_err(err, errlen,
	    "limits: open files or address space missing or malformed");
}

/*
 * The open descriptors.  On the real /proc of Linux 6.2 and later, the
 * size stat(2) gives /proc/PID/fd is their number, counted from the
 * descriptor table's bitmap: listing the folder instead (getdents of a
 * hundred entries and more: the master keeps its /proc files open) was
 * most of this collector's CPU.  Elsewhere (a fixture root, an older
 * kernel, where the size is 0) the entries are counted; that count
 * includes the descriptor of the listing itself.
 */
static int
self_fds(const char *root, uint64_t *out)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		 path[VT_PATH_LEN];

	*out = 0;
	if (vt_procfile_path(root, "proc/self/fd", path, sizeof(path)) ==
	    VT_ERR)
		return VT_ERR;
	if (vt_procfile_root_is_real(root) && stat(path, &sb) == 0 &&
	    sb.st_size > 0) {
		*out = (uint64_t)sb.st_size;
		return VT_OK;
	}
	if ((d = opendir(path)) == NULL)
		return VT_ERR;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			(*out)++;
	closedir(d);
	return VT_OK;
}

/*
 * The soft limits.  The process's own on the real /proc are what
 * getrlimit(2) answers, the numbers /proc/self/limits writes as text
 * (1.3 KB of it, generated and parsed every tick, for two numbers); a
 * fixture root's file is parsed.
 */
static int
self_limits(const char *root, struct vt_proc_self *out, char *buf,
    size_t cap, char *err, size_t errlen)
{
	struct rlimit	nofile, as;
	size_t		len;

	if (vt_procfile_root_is_real(root) &&
	    getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    getrlimit(RLIMIT_AS, &as) == 0) {
		out->max_fds = nofile.rlim_cur == RLIM_INFINITY ?
		    VT_LIMIT_UNLIMITED : (uint64_t)nofile.rlim_cur;
		out->max_vsize_bytes = as.rlim_cur == RLIM_INFINITY ?
		    VT_LIMIT_UNLIMITED : (uint64_t)as.rlim_cur;
		return VT_OK;
	}
	if (vt_procfile_read(root, "proc/self/limits", buf, cap, &len, err,
	    errlen) != VT_OK)
		return VT_ERR;
	return vt_proc_limits_parse(buf, len, out, err, errlen);
}

int
vt_proc_self_read(const char *root, long pagesize, struct vt_proc_self *out,
    char *err, size_t errlen)
{
	struct vt_pid_sample	 ps;
	char			 buf[4096];
	size_t			 len;

	memset(out, 0, sizeof(*out));
	if (vt_procfile_read(root, "proc/self/stat", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK ||
	    vt_proc_pid_stat_parse(buf, len, &ps, err, errlen) != VT_OK ||
	    vt_procfile_read(root, "proc/self/statm", buf, sizeof(buf), &len,
	    err, errlen) != VT_OK ||
	    vt_proc_pid_statm_vm_parse(buf, len, pagesize, &out->vsize_bytes,
	    &out->rss_bytes, err, errlen) != VT_OK ||
	    self_limits(root, out, buf, sizeof(buf), err, errlen) != VT_OK)
		goto fail;
	out->cpu_ticks = ps.ticks;
	out->start_ticks = ps.starttime;
	if (self_fds(root, &out->open_fds) == VT_ERR) {
		vt_pf_err(err, errlen, "proc/self/fd: cannot list");
		goto fail;
	}
	return VT_OK;
fail:
	memset(out, 0, sizeof(*out));
	return VT_ERR;
}

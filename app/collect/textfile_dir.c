/*
 * textfile_dir.c: the textfile collector's directory, its state and its
 * part of /metrics (see textfile_dir.h).
 *
 * Cost, measured here (2 vCPUs under a load of about 5, gcc -O2, a
 * throwaway bench linking libvitals.a): a scan of 3 small files takes
 * 0.04 ms; 64 files of 64 KB each (the bounds, 4 MB read and validated)
 * 22 to 31 ms, once per process scan.  The per-tick part, a copy of the
 * accepted text (256 KB) and a pass over 40 KB of own families' TYPE
 * lines, 0.02 to 0.03 ms.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/procfile.h"
#include "collect/textfile_dir.h"
#include "log.h"
#include "render/prom.h"

/* node_exporter's own families: no file may define them. */
static const char *const tf_reserved[] = { "node_textfile_mtime_seconds",
    "node_textfile_scrape_error" };

static int	tf_name_cmp(const void *a, const void *b);
static void	tf_path(const struct vt_textfile *tf, const char *name,
		    char *dst, size_t len);
static int	tf_read(struct vt_textfile *tf, struct vt_tf_file *f,
		    size_t *len);
static void	tf_file(struct vt_textfile *tf, struct vt_tf_file *f);
static void	tf_forget(struct vt_textfile *tf);
static void	tf_check_own(struct vt_textfile *tf, const char *own,
		    size_t own_len);
static void	tf_log(struct vt_textfile *tf);

int
vt_textfile_init(struct vt_textfile *tf, const char *dir)
{
	memset(tf, 0, sizeof(*tf));
	snprintf(tf->dir, sizeof(tf->dir), "%s", dir != NULL ? dir : "");
	if (tf->dir[0] == '\0')
		return VT_OK;
	tf->fam = calloc(VT_TF_FAMILIES_MAX, sizeof(tf->fam[0]));
	tf->files = calloc(VT_TF_FILES_MAX, sizeof(tf->files[0]));
	tf->prev = calloc(VT_TF_FILES_MAX, sizeof(tf->prev[0]));
	tf->rbuf = malloc(VT_TF_FILE_MAX + 1);
	tf->series = calloc(VT_TF_SERIES_MAX, sizeof(tf->series[0]));
	tf->own = calloc(VT_TF_OWN_MAX, sizeof(tf->own[0]));
	tf->names = calloc(VT_TF_NAMES_MAX, sizeof(tf->names[0]));
	if (tf->fam == NULL || tf->files == NULL || tf->prev == NULL ||
	    tf->rbuf == NULL || tf->series == NULL || tf->own == NULL ||
	    tf->names == NULL ||
	    vt_buf_init(&tf->text, 16 * 1024, VT_TF_TEXT_MAX) == VT_ERR ||
	    vt_buf_init(&tf->help, 512, 4 * VT_PATH_LEN) == VT_ERR) {
		vt_textfile_free(tf);
		return VT_ERR;
	}
	return VT_OK;
}

void
vt_textfile_free(struct vt_textfile *tf)
{
	free(tf->fam);
	free(tf->files);
	free(tf->prev);
	free(tf->rbuf);
	free(tf->series);
	free(tf->own);
	free(tf->names);
	vt_buf_free(&tf->text);
	vt_buf_free(&tf->help);
	memset(tf, 0, sizeof(*tf));
}

static int
tf_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
tf_path(const struct vt_textfile *tf, const char *name, char *dst, size_t len)
{
	size_t	n = strlen(tf->dir);

	/* node_exporter's filepath.Join: no doubled separator. */
	snprintf(dst, len, "%s%s%s", tf->dir,
	    n > 0 && tf->dir[n - 1] == '/' ? "" : "/", name);
}

/*
 * Read f's file into tf->rbuf.  Non-blocking, regular files only, and a
 * file over the bound is refused from its size, unread.
 */
static int
tf_read(struct vt_textfile *tf, struct vt_tf_file *f, size_t *len)
{
	char		path[2 * VT_PATH_LEN];
	struct stat	st;
	ssize_t		r;
	size_t		n = 0;
	int		fd;

	tf_path(tf, f->name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return vt_pf_err(f->perr, sizeof(f->perr), "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return vt_pf_err(f->perr, sizeof(f->perr),
		    "not a regular file");
	}
	f->mtime_s = (int64_t)st.st_mtim.tv_sec;
	while (st.st_size <= VT_TF_FILE_MAX && n <= VT_TF_FILE_MAX) {
		r = read(fd, tf->rbuf + n, VT_TF_FILE_MAX + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			(void)vt_pf_err(f->perr, sizeof(f->perr),
			    "cannot read: %s", strerror(errno));
			(void)close(fd);
			return VT_ERR;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	(void)close(fd);
	if (st.st_size > VT_TF_FILE_MAX || n > VT_TF_FILE_MAX)
		return vt_pf_err(f->perr, sizeof(f->perr), "over %d bytes "
		    "(%lld)", VT_TF_FILE_MAX, (long long)(st.st_size >
		    (off_t)n ? st.st_size : (off_t)n));
	*len = n;
	return VT_OK;
}

/* Read, validate and keep one file, or say why not in f->perr. */
static void
tf_file(struct vt_textfile *tf, struct vt_tf_file *f)
{
	struct vt_tf_parse	p;
	char			path[2 * VT_PATH_LEN], why[VT_ERRLEN];
	size_t			len = 0, i, j, k, off = tf->text.len;

	if (tf_read(tf, f, &len) == VT_ERR)
		return;
	tf_path(tf, f->name, path, sizeof(path));
	vt_buf_reset(&tf->help);
	if (vt_buf_adds(&tf->help, "Metric read from ") == VT_ERR ||
	    vt_prom_escape(&tf->help, path, 0) == VT_ERR ||
	    vt_buf_add(&tf->help, "", 1) == VT_ERR) {
		(void)vt_pf_err(f->perr, sizeof(f->perr), "path too long");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.out = &tf->text;
	p.fam = tf->fam;
	p.fam_max = VT_TF_FAMILIES_MAX;
	p.nfam = tf->nfam;
	p.series = tf->series;
	p.series_max = VT_TF_SERIES_MAX;
	p.source = tf->help.data;
	if (vt_textfile_parse(&p, tf->rbuf, len, why, sizeof(why)) == VT_ERR) {
		snprintf(f->perr, sizeof(f->perr), "%s", why);
		return;
	}
	/* Against the families of the files before it, and ours. */
	for (i = tf->nfam; i < p.nfam; i++) {
		const char	*a = tf->text.data + tf->fam[i].off;
		size_t		 alen = tf->fam[i].len;

		for (k = 0; k < VT_ARRAY_LEN(tf_reserved); k++)
			if (vt_tf_clash(a, alen, tf->fam[i].type,
			    tf_reserved[k], strlen(tf_reserved[k]),
			    VT_TF_GAUGE)) {
				(void)vt_pf_err(f->perr, sizeof(f->perr),
				    "family %.*s is the collector's own %s",
				    (int)alen, a, tf_reserved[k]);
				goto refuse;
			}
		for (j = 0; j < tf->nfam; j++) {
			if (!vt_tf_clash(a, alen, tf->fam[i].type,
			    tf->text.data + tf->fam[j].off, tf->fam[j].len,
			    tf->fam[j].type))
				continue;
			for (k = 0; k < tf->nfiles; k++) {
				const struct vt_tf_file	*o = &tf->files[k];

				if (o->ok && j >= o->fam_off &&
				    j < o->fam_off + o->nfam)
					break;
			}
			(void)vt_pf_err(f->perr, sizeof(f->perr), "family %.*s "
			    "collides with %.*s of %s", (int)alen, a,
			    (int)tf->fam[j].len, tf->text.data + tf->fam[j].off,
			    k < tf->nfiles ? tf->files[k].name :
			    "another file");
			goto refuse;
		}
	}
	f->ok = 1;
	f->text_off = off;
	f->text_len = tf->text.len - off;
	f->fam_off = tf->nfam;
	f->nfam = p.nfam - tf->nfam;
	tf->nfam = p.nfam;
	return;
refuse:
	vt_buf_truncate(&tf->text, off);
}

/* Files refused at the last scan and gone since: one line each. */
static void
tf_forget(struct vt_textfile *tf)
{
	char	q[2 * VT_PATH_LEN + 8], path[2 * VT_PATH_LEN];
	size_t	i;

	for (i = 0; i < tf->nprev; i++) {
		if (tf->prev[i].logged[0] == '\0' ||
		    bsearch(tf->prev[i].name, tf->names, tf->nfiles,
		    sizeof(tf->names[0]), tf_name_cmp) != NULL)
			continue;
		tf_path(tf, tf->prev[i].name, path, sizeof(path));
		vt_log_info("textfile_gone", "file=%s",
		    vt_log_quote(q, sizeof(q), path));
	}
}

int
vt_textfile_scan(struct vt_textfile *tf, char *err, size_t errlen)
{
	struct vt_tf_file	*swap, *f;
	const struct vt_tf_file	*old;
	struct dirent		*de;
	DIR			*d;
	size_t			 n = 0, i, k, nl;

	if (tf->dir[0] == '\0')
		return VT_OK;
	swap = tf->prev;
	tf->prev = tf->files;
	tf->files = swap;
	tf->nprev = tf->nfiles;
	tf->nfiles = 0;
	tf->skipped = 0;
	tf->nfam = 0;
	tf->gen++;
	vt_buf_reset(&tf->text);
	if ((d = opendir(tf->dir)) == NULL) {
		tf->dir_err = 1;
		return vt_pf_err(err, errlen, "textfile_dir: %s",
		    strerror(errno));
	}
	tf->dir_err = 0;
	while ((de = readdir(d)) != NULL) {
		nl = strlen(de->d_name);
		if (nl <= 5 || strcmp(de->d_name + nl - 5, ".prom") != 0)
			continue;
		if (n == VT_TF_NAMES_MAX || nl >= VT_TF_NAME_LEN) {
			tf->skipped++;
			continue;
		}
		memcpy(tf->names[n++], de->d_name, nl + 1);
	}
	(void)closedir(d);
	qsort(tf->names, n, sizeof(tf->names[0]), tf_name_cmp);
	if (n > VT_TF_FILES_MAX) {
		tf->skipped += n - VT_TF_FILES_MAX;
		n = VT_TF_FILES_MAX;
	}
	/* prev is in name order too: its logged states carry over. */
	for (i = 0, k = 0; i < n; i++) {
		f = &tf->files[tf->nfiles++];
		memset(f, 0, sizeof(*f));
		memcpy(f->name, tf->names[i], sizeof(f->name));
		while (k < tf->nprev && strcmp(tf->prev[k].name, f->name) < 0)
			k++;
		old = k < tf->nprev && strcmp(tf->prev[k].name, f->name) == 0 ?
		    &tf->prev[k] : NULL;
		if (old != NULL)
			memcpy(f->logged, old->logged, sizeof(f->logged));
		tf_file(tf, f);
	}
	tf_forget(tf);
	return VT_OK;
}

/* Which accepted file collides with one of Vitals' own families. */
static void
tf_check_own(struct vt_textfile *tf, const char *own, size_t own_len)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		nown = 0, i, j, k;

	vt_tf_families_of(own, own_len, tf->own, VT_TF_OWN_MAX, &nown);
	for (i = 0; i < nown; i++)
		for (k = 0; k <= tf->own[i].len; k++) {
			h ^= k < tf->own[i].len ?
			    (unsigned char)own[tf->own[i].off + k] : '\n';
			h *= 1099511628211ULL;
		}
	if (h == tf->own_hash && tf->gen == tf->checked_gen)
		return;
	tf->own_hash = h;
	tf->checked_gen = tf->gen;
	for (i = 0; i < tf->nfiles; i++) {
		struct vt_tf_file	*f = &tf->files[i];

		f->clash = 0;
		f->cerr[0] = '\0';
		for (j = f->fam_off; f->ok && !f->clash &&
		    j < f->fam_off + f->nfam; j++)
			for (k = 0; k < nown; k++) {
				const struct vt_tf_family *a = &tf->fam[j];
				const struct vt_tf_family *o = &tf->own[k];

				if (!vt_tf_clash(tf->text.data + a->off, a->len,
				    a->type, own + o->off, o->len, o->type))
					continue;
				f->clash = 1;
				(void)vt_pf_err(f->cerr, sizeof(f->cerr),
				    "family %.*s collides with Vitals' own "
				    "%.*s", (int)a->len, tf->text.data + a->off,
				    (int)o->len, own + o->off);
				break;
			}
	}
}

/* One line per file whose state changed since it was last logged. */
static void
tf_log(struct vt_textfile *tf)
{
	char		 q[VT_ERRLEN + 8], qp[2 * VT_PATH_LEN + 8];
	char		 path[2 * VT_PATH_LEN];
	const char	*now;
	size_t		 i;

	for (i = 0; i < tf->nfiles; i++) {
		struct vt_tf_file	*f = &tf->files[i];

		now = !f->ok ? f->perr : f->clash ? f->cerr : "";
		if (strcmp(now, f->logged) == 0)
			continue;
		tf_path(tf, f->name, path, sizeof(path));
		if (now[0] != '\0')
			vt_log_warn("textfile_error", "file=%s error=%s",
			    vt_log_quote(qp, sizeof(qp), path),
			    vt_log_quote(q, sizeof(q), now));
		else
			vt_log_info("textfile_ok", "file=%s",
			    vt_log_quote(qp, sizeof(qp), path));
		snprintf(f->logged, sizeof(f->logged), "%s", now);
	}
	if (tf->skipped != tf->skipped_logged) {
		if (tf->skipped > 0)
			vt_log_warn("textfile_error", "dir=%s error=\"%zu "
			    "files past the limit of %d skipped\"",
			    vt_log_quote(qp, sizeof(qp), tf->dir),
			    tf->skipped, VT_TF_FILES_MAX);
		tf->skipped_logged = tf->skipped;
	}
}

int
vt_textfile_render(struct vt_textfile *tf, struct vt_buf *out, size_t own_len)
{
	struct vt_prom	w;
	char		path[2 * VT_PATH_LEN];
	size_t		start = out->len, i;
	int		bad = 0;

	if (tf->dir[0] != '\0') {
		tf_check_own(tf, out->data, own_len);
		tf_log(tf);
		bad = tf->dir_err || tf->skipped > 0;
		for (i = 0; i < tf->nfiles; i++) {
			const struct vt_tf_file	*f = &tf->files[i];

			if (!f->ok || f->clash) {
				bad = 1;
				continue;
			}
			if (vt_buf_add(out, tf->text.data + f->text_off,
			    f->text_len) == VT_ERR) {
				vt_buf_truncate(out, start);
				return VT_ERR;
			}
		}
	}
	vt_prom_init(&w, out, VT_PROM_NAMES_NODE);
	vt_prom_family(&w, "node_textfile_mtime_seconds", "gauge",
	    "Unixtime mtime of textfiles successfully read.");
	for (i = 0; i < tf->nfiles; i++) {
		if (!tf->files[i].ok || tf->files[i].clash)
			continue;
		tf_path(tf, tf->files[i].name, path, sizeof(path));
		vt_prom_begin(&w);
		vt_prom_label(&w, "file", path);
		vt_prom_end_u64(&w, (uint64_t)(tf->files[i].mtime_s > 0 ?
		    tf->files[i].mtime_s : 0));
	}
	vt_prom_family(&w, "node_textfile_scrape_error", "gauge",
	    "1 if there was an error opening or reading a file, 0 otherwise");
	vt_prom_u64(&w, (uint64_t)bad);
	if (vt_prom_finish(&w) == VT_ERR) {
		vt_buf_truncate(out, start);
		return VT_ERR;
	}
	return VT_OK;
}

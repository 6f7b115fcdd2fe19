/*
 * textfile_dir.h: node_exporter's textfile collector: the *.prom files of
 * textfile_dir, written by cron jobs (apt updates pending, backups' ages,
 * RAID state), merged into /metrics.
 *
 * The master reads the directory on the process-scan ticks (every 5 s by
 * default): each file is validated whole (textfile.h) and kept in its
 * canonical form, or refused whole with a reason.  Every tick, after
 * Vitals' own families are rendered, the accepted files' text is appended
 * (a copy), less any file with a family that collides with one of Vitals'
 * own (checked again whenever the set of own families changes), then
 * node_exporter's node_textfile_mtime_seconds{file} (the files read, whole
 * seconds, the path as the file label) and node_textfile_scrape_error (1
 * when the directory, or any file, could not be read or was refused).  A
 * refused file is logged once when its state changes (textfile_error,
 * with the reason; textfile_ok when it is good again; textfile_gone when
 * a refused file is removed), never once per tick.
 *
 * Bounds: VT_TF_FILES_MAX files (in name order; the rest are skipped and
 * reported as an error), VT_TF_FILE_MAX bytes each (a larger file is
 * refused without being read), VT_TF_TEXT_MAX bytes of canonical text in
 * all, VT_TF_FAMILIES_MAX families, VT_TF_SERIES_MAX samples in a file.
 * Files are opened non-blocking and must be regular files, so a FIFO
 * named x.prom cannot stall the master.
 */
#ifndef VT_COLLECT_TEXTFILE_DIR_H
#define VT_COLLECT_TEXTFILE_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "collect/textfile.h"
#include "vitals.h"

#define VT_TF_FILES_MAX		64
#define VT_TF_FILE_MAX		(64 * 1024)
#define VT_TF_TEXT_MAX		(256 * 1024)
#define VT_TF_FAMILIES_MAX	1024
#define VT_TF_SERIES_MAX	8192
#define VT_TF_NAMES_MAX		1024	/* directory entries looked at */
#define VT_TF_OWN_MAX		4096	/* Vitals' own families */
#define VT_TF_NAME_LEN		256	/* a file's name (NAME_MAX + 1) */

struct vt_tf_file {
	char		name[VT_TF_NAME_LEN];	/* in the directory */
	int64_t		mtime_s;
	size_t		text_off, text_len;	/* in vt_textfile.text */
	size_t		fam_off, nfam;		/* in vt_textfile.fam */
	int		ok;		/* read and valid */
	int		clash;		/* collides with an own family */
	char		perr[VT_ERRLEN];	/* why not ok */
	char		cerr[VT_ERRLEN];	/* which own family */
	char		logged[VT_ERRLEN];	/* state last logged; "": ok */
};

/* The collector's state, owned by the sampler. */
struct vt_textfile {
	char			 dir[VT_PATH_LEN];	/* "": off */
	struct vt_buf		 text;		/* the accepted files' */
	struct vt_buf		 help;		/* scratch: a default HELP */
	struct vt_tf_family	*fam;		/* VT_TF_FAMILIES_MAX */
	size_t			 nfam;
	struct vt_tf_file	*files, *prev;	/* VT_TF_FILES_MAX each */
	size_t			 nfiles, nprev;
	size_t			 skipped;	/* past VT_TF_FILES_MAX */
	size_t			 skipped_logged;
	int			 dir_err;	/* the directory is unreadable */
	char			*rbuf;		/* VT_TF_FILE_MAX + 1 */
	uint32_t		*series;	/* VT_TF_SERIES_MAX */
	struct vt_tf_family	*own;		/* VT_TF_OWN_MAX */
	char		       (*names)[VT_TF_NAME_LEN];	/* VT_TF_NAMES_MAX */
	uint64_t		 gen;		/* scans so far */
	uint64_t		 checked_gen;	/* of the last own-family check */
	uint64_t		 own_hash;	/* of the own families checked */
};

/* Allocate for dir ("" or NULL: the collector is off).  0 or -1. */
int	vt_textfile_init(struct vt_textfile *tf, const char *dir);
void	vt_textfile_free(struct vt_textfile *tf);

/*
 * Read and validate every *.prom file of the directory.  Returns VT_OK
 * (whatever the files hold: a refused file is reported by the error
 * metric and the log), or VT_ERR with the reason in err when the
 * directory cannot be read.  Off: VT_OK at once.
 */
int	vt_textfile_scan(struct vt_textfile *tf, char *err, size_t errlen);

/*
 * Append the accepted files and the node_textfile_* families to out,
 * whose first own_len bytes are Vitals' own families (text 0.0.4), and
 * log the files whose state changed.  Returns VT_OK, or VT_ERR when out
 * would pass its cap (out is then as it was).
 */
int	vt_textfile_render(struct vt_textfile *tf, struct vt_buf *out,
	    size_t own_len);

#endif /* VT_COLLECT_TEXTFILE_DIR_H */

/*
 * textfile.h: the validator of node_exporter's textfile collector's files:
 * the Prometheus text exposition format 0.0.4, as cron jobs write it into
 * *.prom files (textfile_dir.h reads them).
 *
 * A file is accepted whole or refused whole.  It is refused for anything
 * a scraper could choke on or that would make /metrics ambiguous: a name
 * or a label name out of the format's alphabet, a label value that is not
 * UTF-8 or has an escape other than \\, \" and \n, a HELP with another
 * escape, a second HELP or TYPE for a family, a TYPE after its samples, a
 * type that is not counter, gauge, summary, histogram or untyped, the
 * samples of a family not together, two families whose names (or their
 * _sum, _count, _bucket samples, or a counter's name less _total, as
 * OpenMetrics names it) collide, a summary's sample without quantile or
 * a histogram's bucket without le, the same series twice (label order and
 * empty labels do not make another series), a value that is not a number,
 * a client-side timestamp (node_exporter refuses those files too), a last
 * line without its newline (a file caught half-written), or a NUL byte.
 *
 * What is accepted is written out again in one canonical form: "# HELP"
 * then "# TYPE" before each family's first sample (HELP "Metric read from
 * <file>" when the file has none, as node_exporter writes it; TYPE
 * untyped when it has none), labels sorted by name without the empty
 * ones, values in the shortest form that reads back as the same double,
 * other comments and blank lines dropped.  That text is valid 0.0.4 that
 * the OpenMetrics rewrite (render/openmetrics.h) takes as it is.
 */
#ifndef VT_COLLECT_TEXTFILE_H
#define VT_COLLECT_TEXTFILE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define VT_TF_LABELS_MAX	32	/* labels on one sample */

enum vt_tf_type {
	VT_TF_UNTYPED = 0,
	VT_TF_COUNTER,
	VT_TF_GAUGE,
	VT_TF_SUMMARY,
	VT_TF_HISTOGRAM,
	VT_TF_NTYPES
};

extern const char *const vt_tf_type_names[VT_TF_NTYPES];

/* A family name, as an offset into a text the caller keeps. */
struct vt_tf_family {
	uint32_t	off;
	uint32_t	len;
	uint32_t	type;		/* enum vt_tf_type */
};

/*
 * One parse.  The caller owns every buffer: out gets the canonical text
 * appended; fam[nfam..fam_max) gets the families written (their names are
 * offsets into out->data), nfam moving on; series is scratch room for one
 * entry per sample (a file with more samples than series_max is refused).
 * source is the HELP of a family without one, already escaped for a HELP
 * line ("Metric read from /var/lib/vitals/textfile/apt.prom").
 */
struct vt_tf_parse {
	struct vt_buf		*out;
	struct vt_tf_family	*fam;
	size_t			 fam_max;
	size_t			 nfam;
	uint32_t		*series;
	size_t			 series_max;
	const char		*source;
};

/*
 * Validate buf[0..len) and append its canonical form to p->out.  Returns
 * VT_OK, or VT_ERR with the reason and the line number in err; p->out and
 * p->nfam are then as they were.  No I/O, no logging, no hidden state.
 */
int	vt_textfile_parse(struct vt_tf_parse *p, const char *buf, size_t len,
	    char *err, size_t errlen);

/*
 * 1 when two families would collide in one exposition: the same name, the
 * same OpenMetrics name (a counter's less "_total"), or one a summary or
 * a histogram whose _sum, _count or _bucket samples carry the other's
 * name.
 */
int	vt_tf_clash(const char *a, size_t alen, enum vt_tf_type at,
	    const char *b, size_t blen, enum vt_tf_type bt);

/*
 * The families of a 0.0.4 text as its "# TYPE" lines name them, appended
 * to fam[*n..max) (offsets into text); more than max are not listed.
 * For the check of the textfiles against Vitals' own families.
 */
void	vt_tf_families_of(const char *text, size_t len,
	    struct vt_tf_family *fam, size_t max, size_t *n);

/* enum vt_tf_type for a TYPE word; -1 when it is none. */
int	vt_tf_type_of(const char *word, size_t len);

#endif /* VT_COLLECT_TEXTFILE_H */

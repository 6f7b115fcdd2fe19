/*
 * jw.h: a JSON writer that writes as it goes into a vt_buf, for the
 * documents the master writes every tick (/api/metrics, /api/checks, the
 * health member).  It writes what json-c's JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE gave for the same tree: no blanks,
 * strings escaped as json-c escapes them.  A json-c tree cost a malloc a
 * value and a hash insert a key, every tick, for documents that are only
 * ever written (issue 14).
 *
 * Commas are the writer's: a key, a value or an element written after
 * another gets one.  Errors (the buffer's cap) set err, checked once at
 * the end.
 */
#ifndef VT_RENDER_JW_H
#define VT_RENDER_JW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct vt_jw {
	struct vt_buf	*b;
	size_t		 start;	/* where the document begins in b */
	int		 err;	/* a write failed */
};

/* Start a document at the end of what b holds. */
void	vt_jw_init(struct vt_jw *w, struct vt_buf *b);

/* Bytes as they are. */
void	vt_jw_add(struct vt_jw *w, const char *s, size_t n);

/* An object ('{') or an array ('['): a value, or an array's element. */
void	vt_jw_open(struct vt_jw *w, char c);
void	vt_jw_close(struct vt_jw *w, char c);

/*
 * A string, quoted and escaped as json-c does: the quote, the backslash
 * and the control characters (\b \f \n \r \t, else \u00xx); "/" and
 * everything else as it is.
 */
void	vt_jw_quoted(struct vt_jw *w, const char *s);

/* A key and its colon: the value follows. */
void	vt_jw_key(struct vt_jw *w, const char *k);

void	vt_jw_null(struct vt_jw *w, const char *k);

/*
 * A section: opened with c ('{' or '[') when known, else null (its
 * collector failed).  Returns whether it was opened.
 */
int	vt_jw_section(struct vt_jw *w, int known, char c);

void	vt_jw_u64(struct vt_jw *w, const char *k, uint64_t v);
void	vt_jw_i64(struct vt_jw *w, const char *k, int64_t v);
void	vt_jw_bool(struct vt_jw *w, const char *k, int v);

/* A string made valid UTF-8 first (vt_utf8_clean, VT_PATH_LEN bytes). */
void	vt_jw_str(struct vt_jw *w, const char *k, const char *s);

/* A string as it is (vt_jw_quoted). */
void	vt_jw_rawstr(struct vt_jw *w, const char *k, const char *s);

/*
 * A double rounded to dec (0..6) decimals, without trailing zeros or a
 * sign on zero, or null when it is not finite.
 */
void	vt_jw_dbl(struct vt_jw *w, const char *k, double v, int dec);

/* vt_jw_dbl() when known, else null. */
void	vt_jw_maybe(struct vt_jw *w, const char *k, int known, double v,
	    int dec);

/* A double as "%.6g" writes it, or null when it is not finite. */
void	vt_jw_g6(struct vt_jw *w, const char *k, double v);

#endif /* VT_RENDER_JW_H */

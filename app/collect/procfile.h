/*
 * procfile.h: the helpers every collector shares.  One function reads a
 * small kernel file whole into a buffer the caller owns, with a size cap;
 * the others look at that buffer through spans (pointer and length, never
 * NUL-terminated) and never read past the length they are given.
 *
 * Nothing here allocates or logs.  The one state kept between calls is
 * vt_procfile_read's table of open descriptors (below).
 */
#ifndef VT_COLLECT_PROCFILE_H
#define VT_COLLECT_PROCFILE_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* vt_procfile_read() returns this when the file did not fit. */
#define VT_PF_TRUNCATED	1

/* A run of bytes inside somebody else's buffer. */
struct vt_span {
	const char	*p;
	size_t		 len;
};

/*
 * Join root ("/" in production, a fixture tree in tests; NULL or "" mean
 * "/") and rel ("proc/stat", a leading slash is optional) into dst.
 * Returns VT_OK, or VT_ERR when dst is too small.
 */
int	vt_procfile_path(const char *root, const char *rel, char *dst,
	    size_t dstlen);

/*
 * 1 when root is this host's own "/" (NULL and "" mean it too): where the
 * kernel's other interfaces (netlink, poll on /proc files, stat sizes of
 * /proc folders) stand for the files; 0 for a fixture tree.
 */
int	vt_procfile_root_is_real(const char *root);

/*
 * Read <root>/<rel> into buf (at most cap bytes; buf is not
 * NUL-terminated) and store the byte count in *len.  Returns VT_OK when
 * the whole file was read, VT_PF_TRUNCATED when it holds more than cap
 * bytes (buf then holds the first cap bytes), or VT_ERR with errno set and
 * a message in err.  The caller owns buf.
 *
 * A file of procfs or sysfs (not under proc/<pid>/) stays open after its
 * first read, in a table of this process (256 files at most), and is read
 * again with pread at offset 0: the kernel generates it afresh at each
 * read from offset 0, so the sampler does not open and close a few dozen
 * files a second.  A kept file whose read fails is closed and opened
 * again once, unless the error is the file's answer (EINVAL, ENODATA,
 * EOPNOTSUPP: an attribute without a value now), which keeps it; a
 * regular file (a fixture tree) is never kept, so one deleted between two
 * reads is missing at the second.
 */
int	vt_procfile_read(const char *root, const char *rel, char *buf,
	    size_t cap, size_t *len, char *err, size_t errlen);

/* How many files vt_procfile_read has opened in this process (tests). */
uint64_t	vt_procfile_opens(void);

/* Close every descriptor vt_procfile_read keeps (at exit, in tests). */
void	vt_procfile_forget(void);

/*
 * The sysfs-style listing: the names in <root>/<rel> that start with
 * prefix ("" for every name but the hidden ones), at most max of them
 * (the rest are not listed), each shorter than VT_NAME_LEN, sorted as
 * strcmp() sorts them (node_exporter's sorted glob: clocksource0,
 * clocksource1, clocksource10 ...), count in *n.  Returns VT_OK (n = 0
 * when the directory does not exist: a host without that class), or
 * VT_ERR with the reason in err.
 */
int	vt_pf_dir_names(const char *root, const char *rel, const char *prefix,
	    char (*names)[VT_NAME_LEN], size_t max, size_t *n, char *err,
	    size_t errlen);

/*
 * For files too large to hold whole (/proc/net/tcp on a busy host, the
 * mount table of a container host): stream <root>/<rel> through buf (cap
 * bytes, the caller's), handing fn whole lines only, one or more per
 * call, each chunk ending in a newline.  fn returns VT_OK to go on, or
 * VT_ERR (with its reason in err) to stop.  A line longer than cap, or a
 * file whose last line has no newline, is an error.  Returns VT_OK, or
 * VT_ERR with a message in err (and errno set when the open or a read
 * failed, so ENOENT can be told apart).
 */
typedef int	(*vt_pf_chunk_fn)(const char *chunk, size_t len, void *arg,
		    char *err, size_t errlen);
int	vt_procfile_stream(const char *root, const char *rel, char *buf,
	    size_t cap, vt_pf_chunk_fn fn, void *arg, char *err,
	    size_t errlen);

/*
 * vt_procfile_read() for a file that may be absent (/proc/net/snmp6 with
 * IPv6 disabled, netfilter's files without the module): a missing file
 * is VT_OK with *missing 1 and *len 0.  A file larger than cap is an
 * error here.  Returns VT_OK, or VT_ERR with a message in err.
 */
int	vt_procfile_read_opt(const char *root, const char *rel, char *buf,
	    size_t cap, size_t *len, int *missing, char *err, size_t errlen);

/*
 * Tables with a header line (/proc/net/tcp, udp, arp): the first line
 * must start with header (leading blanks aside), and fn gets the lines
 * after it, whole, as vt_procfile_stream()'s fn does.
 * vt_pf_table() does it on buf[0..len) (pure: empty, cut mid-line or
 * without the header is an error, file names it in err);
 * vt_procfile_stream_table() streams <root>/<rel> through buf (cap bytes)
 * and sets errno to ENOENT when the file is missing.  Both return VT_OK,
 * or VT_ERR with a message in err.
 */
int	vt_pf_table(const char *file, const char *header, const char *buf,
	    size_t len, vt_pf_chunk_fn fn, void *arg, char *err,
	    size_t errlen);
int	vt_procfile_stream_table(const char *root, const char *rel,
	    const char *header, char *buf, size_t cap, vt_pf_chunk_fn fn,
	    void *arg, char *err, size_t errlen);

/*
 * A file of one unsigned decimal number and its newline, as sysctl files
 * are (/proc/sys/kernel/random/poolsize, .../nf_conntrack_max):
 * vt_pf_one_u64() parses buf[0..len) into *out and returns VT_OK, or
 * VT_ERR when it is empty, cut, longer than one line or not a number.
 * vt_procfile_read_u64() reads <root>/<rel> and parses it: VT_OK, or
 * VT_ERR with a message in err and errno set (ENOENT: no such file,
 * EINVAL: not one number).
 */
#define VT_PF_ONE_MAX	64	/* bytes such a file may hold */
int	vt_pf_one_u64(const char *buf, size_t len, uint64_t *out);
int	vt_procfile_read_u64(const char *root, const char *rel, uint64_t *out,
	    char *err, size_t errlen);

/*
 * Store a message in err (which may be NULL or zero-sized), like snprintf.
 * Always returns VT_ERR, so parsers can "return vt_pf_err(...)".
 */
int	vt_pf_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * VT_OK when buf[0..len) is empty or ends with a newline, as every file
 * the kernel writes does; VT_ERR (a file cut mid-line) otherwise.
 */
int	vt_pf_complete(const char *buf, size_t len);

/*
 * Step through the lines of buf[0..len): *pos starts at 0.  Stores the
 * next line (without its newline) in *line and returns 1, or returns 0 at
 * the end.  A last line without a newline is still returned.
 */
int	vt_pf_line(const char *buf, size_t len, size_t *pos,
	    struct vt_span *line);

/*
 * Step through the words of a line, split on blanks (space and tab):
 * *pos starts at 0.  Returns 1 with the word in *word, 0 at the end.
 */
int	vt_pf_next_word(struct vt_span line, size_t *pos, struct vt_span *word);

/*
 * Split a line on blanks into at most max words in w[].  Returns the
 * number of words in the line, which may be more than max: only the
 * first max are stored.
 */
size_t	vt_pf_words(struct vt_span line, struct vt_span *w, size_t max);

/*
 * Word i of the n words in w[], or an empty span when i is out of range,
 * so a short line reads as empty fields, not as memory past the array.
 */
struct vt_span vt_pf_word(const struct vt_span *w, size_t n, size_t i);

/* The span of a NUL-terminated string, and a span with blanks trimmed. */
struct vt_span vt_pf_cstr(const char *s);
struct vt_span vt_pf_trim(struct vt_span s);

/* 1 when s holds exactly the bytes of lit, else 0. */
int	vt_pf_eq(struct vt_span s, const char *lit);

/* 1 when s starts with the bytes of lit, else 0. */
int	vt_pf_prefix(struct vt_span s, const char *lit);

/*
 * Copy s into dst as a NUL-terminated string.  Returns VT_OK, or VT_ERR
 * when it did not fit (dst then holds a truncated copy).
 */
int	vt_pf_copy(struct vt_span s, char *dst, size_t dstlen);

/*
 * Numbers.  Each accepts the whole span or nothing: no sign, no blanks,
 * no trailing bytes; overflow is an error.  Returns VT_OK or VT_ERR.
 * vt_pf_i64 accepts a leading '-'.  vt_pf_hex32 reads hexadecimal digits
 * without "0x".  vt_pf_decimal reads "123", "0.26" or "295.29" without
 * strtod, so the locale cannot change the result.
 */
int	vt_pf_u64(struct vt_span s, uint64_t *out);
int	vt_pf_i64(struct vt_span s, int64_t *out);
int	vt_pf_hex32(struct vt_span s, uint32_t *out);
int	vt_pf_decimal(struct vt_span s, double *out);

#endif /* VT_COLLECT_PROCFILE_H */

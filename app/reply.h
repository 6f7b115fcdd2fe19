/*
 * reply.h: a request as a handler sees it, and the reply it fills.
 *
 * A handler sets status, content type and body (in the worker's buffer,
 * reset per request) and may add header lines; the worker frames it as a
 * FastCGI response.  Errors are JSON of one stable shape:
 *
 *	{"error":{"status":404,"message":"no such path"}}
 *
 * whose message is ours, never a library's or the database's.
 */
#ifndef VT_REPLY_H
#define VT_REPLY_H

#include <json-c/json.h>

#include "buf.h"
#include "query.h"

struct vt_shm;
struct vt_conf;
struct vt_db;

/* What a worker knows that a handler may need. */
struct vt_ctx {
	const struct vt_conf   *conf;
	struct vt_shm	       *shm;
	int			slot;
	int			listen_fd;
	struct vt_db	      **db;	/* this worker's connection, lazily */
};

struct vt_request {
	const char	       *method;
	const char	       *path;
	const char	       *query_string;
	const char	       *request_id;
	const char	       *accept;
	const char	       *accept_encoding;
	struct vt_query		query;	/* parsed by the worker */
	const char	       *query_error;	/* set when it did not parse */
	int			head;
	const struct vt_ctx    *ctx;
};

#define VT_REPLY_HEADERS	512

struct vt_reply {
	int		status;
	const char     *content_type;
	const char     *cache_control;
	char		headers[VT_REPLY_HEADERS];	/* extra "Name: v\r\n" */
	size_t		hlen;
	struct vt_buf  *body;
};

const char *vt_http_reason(int status);

/* Add one header line; silently refuses past VT_REPLY_HEADERS. */
void	vt_reply_header(struct vt_reply *r, const char *name, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* Serialise obj as the body (no slash escaping) and take ownership. */
int	vt_reply_json(struct vt_reply *r, int status, struct json_object *obj);

/* The JSON error body.  Returns status, so a handler can `return` it. */
int	vt_reply_error(struct vt_reply *r, int status, const char *message);

/*
 * Frame the head of the reply (CGI-style "Status:" and headers, ending
 * with the blank line) into out.  The body length is r->body->len.
 */
int	vt_reply_head(const struct vt_reply *r, struct vt_buf *out);

#endif /* VT_REPLY_H */

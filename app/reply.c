/*
 * reply.c: reply framing and the JSON error shape (see reply.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"
#include "vitals.h"

const char *
vt_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 413:
		return "Payload Too Large";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	}
	return status < 400 ? "OK" : status < 500 ? "Client Error" :
	    "Server Error";
}

void
vt_reply_header(struct vt_reply *r, const char *name, const char *fmt, ...)
{
	char	value[256];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	n = snprintf(r->headers + r->hlen, sizeof(r->headers) - r->hlen,
	    "%s: %s\r\n", name, value);
	if (n > 0 && (size_t)n < sizeof(r->headers) - r->hlen)
		r->hlen += (size_t)n;
	else
		r->headers[r->hlen] = '\0';
}

int
vt_reply_json(struct vt_reply *r, int status, struct json_object *obj)
{
	size_t		len;
	const char     *s;

	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	vt_buf_reset(r->body);
	if (s == NULL || vt_buf_add(r->body, s, len) == VT_ERR ||
	    vt_buf_add(r->body, "\n", 1) == VT_ERR) {
		json_object_put(obj);
		return vt_reply_error(r, 500, "response too large");
	}
	json_object_put(obj);
	r->status = status;
	r->content_type = "application/json";
	return status;
}

int
vt_reply_error(struct vt_reply *r, int status, const char *message)
{
	struct json_object     *o, *e;
	const char	       *s;
	size_t			len;

	r->status = status;
	r->content_type = "application/json";
	r->cache_control = "no-store";
	vt_buf_reset(r->body);
	o = json_object_new_object();
	e = json_object_new_object();
	json_object_object_add(e, "status", json_object_new_int(status));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_object_add(o, "error", e);
	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s != NULL)
		(void)vt_buf_add(r->body, s, len);
	(void)vt_buf_add(r->body, "\n", 1);
	json_object_put(o);
	return status;
}

int
vt_reply_head(const struct vt_reply *r, struct vt_buf *out)
{
	vt_buf_reset(out);
	if (vt_buf_printf(out, "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n", r->status, vt_http_reason(r->status),
	    r->content_type != NULL ? r->content_type : "application/json",
	    r->body->len) == VT_ERR)
		return VT_ERR;
	if (r->cache_control != NULL &&
	    vt_buf_printf(out, "Cache-Control: %s\r\n", r->cache_control) ==
	    VT_ERR)
		return VT_ERR;
	if (vt_buf_add(out, r->headers, r->hlen) == VT_ERR ||
	    vt_buf_add(out, "\r\n", 2) == VT_ERR)
		return VT_ERR;
	return VT_OK;
}

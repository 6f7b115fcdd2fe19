/*
 * buf.c: the capped byte buffer of buf.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vitals.h"

int
vt_buf_init(struct vt_buf *b, size_t initial, size_t max)
{
	memset(b, 0, sizeof(*b));
	if (initial == 0 || initial > max)
		initial = max;
	if ((b->data = malloc(initial + 1)) == NULL)
		return VT_ERR;
	b->cap = initial;
	b->max = max;
	b->data[0] = '\0';
	return VT_OK;
}

void
vt_buf_free(struct vt_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void
vt_buf_reset(struct vt_buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
vt_buf_truncate(struct vt_buf *b, size_t len)
{
	if (len < b->len)
		b->len = len;
	b->overflow = 0;
	if (b->data != NULL)
		b->data[b->len] = '\0';
}

static int
buf_reserve(struct vt_buf *b, size_t extra)
{
	size_t	need, ncap;
	char   *p;

	if (extra > b->max || b->len > b->max - extra) {
		b->overflow = 1;
		return VT_ERR;
	}
	need = b->len + extra;
	if (need <= b->cap)
		return VT_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > b->max / 2 ? b->max : ncap * 2;
	if ((p = realloc(b->data, ncap + 1)) == NULL) {
		b->overflow = 1;
		return VT_ERR;
	}
	b->data = p;
	b->cap = ncap;
	return VT_OK;
}

char *
vt_buf_space(struct vt_buf *b, size_t n)
{
	if (buf_reserve(b, n) == VT_ERR)
		return NULL;
	return b->data + b->len;
}

int
vt_buf_add(struct vt_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == VT_ERR)
		return VT_ERR;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return VT_OK;
}

int
vt_buf_adds(struct vt_buf *b, const char *s)
{
	return vt_buf_add(b, s, strlen(s));
}

int
vt_buf_vprintf(struct vt_buf *b, const char *fmt, va_list ap)
{
	va_list	aq;
	int	n;

	va_copy(aq, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len + 1, fmt, aq);
	va_end(aq);
	if (n < 0)
		return VT_ERR;
	if ((size_t)n > b->cap - b->len) {
		if (buf_reserve(b, (size_t)n) == VT_ERR) {
			b->data[b->len] = '\0';
			return VT_ERR;
		}
		n = vsnprintf(b->data + b->len, b->cap - b->len + 1, fmt, ap);
		if (n < 0)
			return VT_ERR;
	}
	b->len += (size_t)n;
	return VT_OK;
}

int
vt_buf_printf(struct vt_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	va_start(ap, fmt);
	r = vt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

size_t
vt_u64_digits(uint64_t v, char *dst)
{
	char	tmp[20];
	size_t	n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

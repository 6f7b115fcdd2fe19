/*
 * utf8.c: UTF-8 validation for the renderers (see utf8.h).
 */
#include "config.h"

#include <string.h>

#include "render/utf8.h"

size_t
vt_utf8_seq(const unsigned char *p, size_t left)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	/* The second byte's range excludes overlongs and surrogates. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return n;
}

size_t
vt_utf8_clean(const char *s, char *dst, size_t dstlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + strlen(s);
	const char		*rep = "\xef\xbf\xbd";
	size_t			 len = 0, n;

	if (dstlen == 0)
		return 0;
	while (p < end) {
		if ((n = vt_utf8_seq(p, (size_t)(end - p))) == 0) {
			if (len + 3 >= dstlen)
				break;
			memcpy(dst + len, rep, 3);
			len += 3;
			p++;
			continue;
		}
		if (len + n >= dstlen)
			break;
		memcpy(dst + len, p, n);
		len += n;
		p += n;
	}
	dst[len] = '\0';
	return len;
}

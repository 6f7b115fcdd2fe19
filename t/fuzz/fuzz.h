/*
 * fuzz.h: what every libFuzzer target in t/fuzz/ shares.  A target defines
 * LLVMFuzzerTestOneInput() and checks the contract of the code it drives
 * with FUZZ_CHECK(), which aborts (a crash libFuzzer records) when a
 * promise of the header is broken: a string left unterminated, a count
 * past its table.  Memory errors, undefined behaviour and leaks are the
 * sanitizers' part.
 */
#ifndef VT_FUZZ_H
#define VT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: contract broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* 1 when s[0..len) holds a NUL, so it is a C string within its array. */
#define FUZZ_TERMINATED(s, len)	(memchr((s), '\0', (len)) != NULL)

/*
 * A NUL-terminated copy of data[0..size) in a heap block of exactly
 * size + 1 bytes, so a read past the terminator is caught.  The caller
 * frees it.
 */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif /* VT_FUZZ_H */

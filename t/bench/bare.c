/*
 * bare.c: the ceiling for a libfcgi worker behind nginx.  The textbook
 * responder (FCGX_Accept_r in a loop, print a fixed ~300-byte JSON body),
 * pre-forked into N processes on the inherited socket (fd 0, as
 * spawn-fcgi gives it), so the benchmark compares Vitals' endpoints with
 * the least any libfcgi application can do through the same nginx.
 *
 * It closes each connection as libfcgi does, lingering until nginx has
 * closed its end (OS_IpcClose); Vitals' workers close at once once the
 * request's input is read (worker_finish() in app/worker.c), which is
 * most of why its endpoints measure above this ceiling.  The baseline is
 * kept the textbook one on purpose: it is what the issue asks to compare
 * against, and what a plain libfcgi application does.
 *
 * With a size, the body is padded to that many bytes (JSON still): the
 * ceiling for a reply of that size, to tell the FastCGI round trip from
 * the cost of moving a bigger payload through nginx and TLS.
 *
 * usage: bare [workers [bytes]]   (the listening socket on fd 0)
 */
#include "config.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char body[] =
    "{\"status\":\"ok\",\"service\":\"bare-libfcgi-baseline\","
    "\"note\":\"a fixed body of about three hundred bytes, the same size "
    "class as a small metrics reply, so the comparison is of the FastCGI "
    "round trip and not of the payload\",\"load\":[0.42,0.37,0.31],"
    "\"cpu_percent\":12.5,\"mem_used_bytes\":1234567890,"
    "\"padding\":\"xxxxxxxxxxxxxxxxxxxx\"}\n";

#define BARE_MAX	(1024 * 1024)

/* The reply's body: the fixed one, padded to size bytes when larger. */
static char *
make_body(size_t size, size_t *len)
{
	size_t	base = sizeof(body) - 1, pad;
	char   *b;

	if (size <= base) {
		*len = base;
		return (char *)body;
	}
	if (size > BARE_MAX || (b = malloc(size)) == NULL)
		return NULL;
	/* Grow the "padding" string: the body stays one JSON object. */
	pad = size - base;
	memcpy(b, body, base - 3);		/* up to the closing "}\n */
	memset(b + base - 3, 'x', pad);
	memcpy(b + base - 3 + pad, "\"}\n", 3);
	*len = size;
	return b;
}

static void
serve(const char *b, size_t len)
{
	FCGX_Request	req;
	char		head[256];
	int		n;

	FCGX_InitRequest(&req, 0, 0);
	n = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    len);
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(head, n, req.out);
		FCGX_PutStr(b, (int)len, req.out);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	int	n = argc > 1 ? atoi(argv[1]) : 2, i;
	size_t	len;
	char   *b;

	if (n < 1 || n > 64)
		n = 2;
	if ((b = make_body(argc > 2 ? strtoul(argv[2], NULL, 10) : 0,
	    &len)) == NULL) {
		fprintf(stderr, "bare: a body of at most %d bytes\n", BARE_MAX);
		return 2;
	}
	if (FCGX_Init() != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		if (fork() == 0) {
			/* Go when the parent goes. */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			serve(b, len);
		}
	/* The parent waits; TERM to the group (or the parent) ends it. */
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0)
		;
	return 0;
}

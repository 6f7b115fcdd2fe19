/*
 * sockowner-t.c: socket inodes to processes.  The link parser and the
 * holders' count from made-up input; then a live walk finds this
 * process's own socket, and its name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "collect/sockowner.h"

static int	link_ino(const char *s, uint64_t *ino);
static void	test_link(void);
static void	test_count(void);
static void	test_walk(void);

static int
link_ino(const char *s, uint64_t *ino)
{
	return vt_sockowner_parse_link(s, strlen(s), ino);
}

static void
test_link(void)
{
	uint64_t	ino = 0;

	is_int(link_ino("socket:[12345]", &ino), VT_OK, "socket:[12345]");
	is_int((long long)ino, 12345, "inode 12345");
	is_int(link_ino("socket:[]", &ino), VT_ERR, "no number: error");
	is_int(link_ino("socket:[12a]", &ino), VT_ERR, "not a number: error");
	is_int(link_ino("socket:[1", &ino), VT_ERR, "no bracket: error");
	is_int(link_ino("pipe:[12345]", &ino), VT_ERR, "a pipe: error");
	is_int(link_ino("/dev/null", &ino), VT_ERR, "a file: error");
	is_int(link_ino("", &ino), VT_ERR, "empty: error");
}

static void
test_count(void)
{
	int32_t			pids[20];
	struct vt_sock_holders	h;
	size_t			i, n = 0;

	/* 7: 5, 3: 4, 9: 3, 0 (no owner): 2, 11 to 15: 1 each. */
	for (i = 0; i < 5; i++)
		pids[n++] = 7;
	for (i = 0; i < 4; i++)
		pids[n++] = 3;
	for (i = 0; i < 3; i++)
		pids[n++] = 9;
	pids[n++] = 0;
	pids[n++] = 0;
	pids[n++] = 14;
	pids[n++] = 11;
	pids[n++] = 13;
	pids[n++] = 12;
	pids[n++] = 15;
	vt_sock_holders_count(pids, n, &h);
	is_int((long long)h.sockets, 19, "19 sockets");
	is_int((long long)h.attributed, 17, "17 with an owner");
	is_int((long long)h.n, VT_MAX_HOLDERS, "VT_MAX_HOLDERS named");
	is_int(h.h[0].pid, 7, "most first: pid 7");
	is_int(h.h[0].count, 5, "with 5");
	is_int(h.h[1].pid, 3, "then pid 3");
	is_int(h.h[2].pid, 9, "then pid 9");
	is_int(h.h[3].pid, 11, "ties: the lower pid first");
	is_int(h.h[4].pid, 12, "and the next");
	vt_sock_holders_count(pids, 0, &h);
	is_int((long long)h.n, 0, "no sockets: nobody");
}

static void
test_walk(void)
{
	struct vt_sockowner_stats	st;
	struct stat			sb;
	uint64_t			inodes[2];
	int32_t				pids[2], procs[3];
	size_t				cursor;
	char				comm[VT_COMM_LEN], want[VT_COMM_LEN];
	char				err[VT_ERRLEN];
	FILE				*f;
	int				fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    fstat(fd, &sb) == -1)
		bail("socket");
	inodes[0] = (uint64_t)sb.st_ino;
	inodes[1] = (uint64_t)sb.st_ino + 1000000000ULL;
	is_int(vt_sockowner_walk("/", NULL, 0, NULL, inodes, 2, pids, 2000,
	    &st, err, sizeof(err)), VT_OK, "walk: runs");
	is_int(pids[0], getpid(), "walk: this process holds its socket");
	is_int(pids[1], 0, "walk: an inode nobody holds");
	is_int((long long)st.matched, 1, "walk: one matched");
	ok(st.procs >= 1, "walk: read %zu processes", st.procs);
	is_int(vt_sockowner_comm("/", getpid(), comm, sizeof(comm)), VT_OK,
	    "comm: read");
	if ((f = fopen("/proc/self/comm", "r")) == NULL ||
	    fgets(want, sizeof(want), f) == NULL)
		bail("/proc/self/comm");
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	is_str(comm, want, "comm: without its newline");
	is_int(vt_sockowner_comm("/", 0x7ffffff0, comm, sizeof(comm)), VT_ERR,
	    "comm: a pid that does not exist");

	/* A list of processes, walked from a cursor and round. */
	procs[0] = 1;
	procs[1] = getpid();
	procs[2] = 0x7ffffff0;
	cursor = 2;
	is_int(vt_sockowner_walk("/", procs, 3, &cursor, inodes, 1, pids, 0,
	    &st, err, sizeof(err)), VT_OK, "walk of a list: runs");
	is_int(pids[0], getpid(), "walk of a list: found from a cursor");
	ok(st.procs >= 1 && st.procs <= 2, "walk of a list: stopped when "
	    "found (a pid that does not exist is skipped)");
	is_int((long long)cursor, 0, "walk of a list: complete, cursor 0");
	is_int(vt_sockowner_walk("/", procs, 3, &cursor, inodes + 1, 1, pids, 0,
	    &st, err, sizeof(err)), VT_OK, "walk of a list for nobody's inode");
	is_int(pids[0], 0, "nobody");
	ok(st.complete, "went round");
	is_int(vt_sockowner_walk("/nonexistent", NULL, 0, NULL, inodes, 2,
	    pids, 0, NULL, err, sizeof(err)), VT_ERR, "walk: no /proc: error");
	close(fd);
}

int
main(void)
{
	test_link();
	test_count();
	test_walk();
	done_testing();
	return tap_exit_status();
}

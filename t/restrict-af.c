/*
 * restrict-af.c: run a program with socket(2) limited to a list of address
 * families, as systemd's RestrictAddressFamilies= does (a seccomp filter
 * that fails socket() for any other family with EAFNOSUPPORT), for tests
 * on hosts where systemd is not PID 1 and systemd-run cannot be used.
 *
 *	restrict-af "AF_UNIX AF_INET AF_INET6 AF_NETLINK" PROGRAM [ARG...]
 *
 * The list is the unit's own value, blank- or comma-separated.  Sockets
 * the program inherits (a listening socket) are unaffected, as under
 * systemd.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RAF_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define RAF_ARCH	AUDIT_ARCH_AARCH64
#else
#error "restrict-af: add this architecture's AUDIT_ARCH"
#endif

#define RAF_MAX	32

static const struct {
	const char     *name;
	int		family;
} raf_names[] = {
	{ "AF_UNIX", AF_UNIX }, { "AF_INET", AF_INET },
	{ "AF_INET6", AF_INET6 }, { "AF_NETLINK", AF_NETLINK },
	{ "AF_PACKET", AF_PACKET },
};

static int
raf_family(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(raf_names) / sizeof(raf_names[0]); i++)
		if (strcmp(name, raf_names[i].name) == 0)
			return raf_names[i].family;
	return -1;
}

int
main(int argc, char **argv)
{
	struct sock_filter	f[RAF_MAX + 8];
	struct sock_fprog	prog;
	int			fam[RAF_MAX], nfam = 0, i, n = 0;
	char			list[512], *tok, *save = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: restrict-af FAMILIES PROGRAM [ARG...]\n");
		return 64;
	}
	snprintf(list, sizeof(list), "%s", argv[1]);
	for (tok = strtok_r(list, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save)) {
		if (nfam == RAF_MAX || (fam[nfam] = raf_family(tok)) == -1) {
			fprintf(stderr, "restrict-af: unknown family %s\n", tok);
			return 64;
		}
		nfam++;
	}

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    RAF_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_socket, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	/* The family is an int: the low 32 bits of the first argument. */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[0]));
	for (i = 0; i < nfam; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (unsigned)fam[i], (unsigned char)(nfam - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ERRNO | (EAFNOSUPPORT & SECCOMP_RET_DATA));
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);

	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		perror("restrict-af: seccomp");
		return 71;
	}
	execvp(argv[2], argv + 2);
	perror("restrict-af: exec");
	return 127;
}

/*
 * sleepers: fork M idle processes, for the scale bench (t/bench/scale):
 * the process scan's cost grows with the number of pids in /proc.
 *
 * usage: sleepers COUNT SECONDS
 *
 * Each sleeper blocks in pause(2) and dies with its parent
 * (PR_SET_PDEATHSIG), at SIGTERM, or when its own alarm(2) of SECONDS
 * fires, so none can outlive the bench.  When all are forked it prints
 * "ready COUNT" on stdout, then waits until SIGTERM, SIGINT or SECONDS,
 * kills every sleeper and reaps them.  Exit status: 0, 1 when a fork
 * failed (the sleepers forked so far are killed), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t	sleep_stop;

static void
sleep_on_signal(int sig)
{
	(void)sig;
	sleep_stop = 1;
}

int
main(int argc, char **argv)
{
	struct sigaction	sa;
	pid_t		       *kids;
	long			count, i, n = 0;
	int			seconds, rc = 0;

	if (argc != 3 || (count = atol(argv[1])) < 0 ||
	    (seconds = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: sleepers COUNT SECONDS\n");
		return 2;
	}
	if ((kids = calloc((size_t)count + 1, sizeof(*kids))) == NULL) {
		perror("sleepers: calloc");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sleep_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);

	for (i = 0; i < count && !sleep_stop; i++) {
		pid_t	pid = fork();

		if (pid == -1) {
			fprintf(stderr, "sleepers: fork %ld: %s\n", i,
			    strerror(errno));
			rc = 1;
			break;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			/* The parent's handler stays: a signal ends pause. */
			alarm((unsigned)seconds);
			while (!sleep_stop)
				pause();
			_exit(0);
		}
		kids[n++] = pid;
	}
	if (rc == 0 && !sleep_stop) {
		printf("ready %ld\n", n);
		fflush(stdout);
		while (!sleep_stop)
			pause();
	}
	for (i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	for (i = 0; i < n; i++)
		while (waitpid(kids[i], NULL, 0) == -1 && errno == EINTR)
			continue;
	free(kids);
	return rc;
}

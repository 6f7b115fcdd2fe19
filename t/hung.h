/*
 * hung.h: helpers for the unit tests that need a real peer that never
 * answers (db-t, health-t) and children that die with the test (health-t,
 * scoreboard-t).
 */
#ifndef VT_T_HUNG_H
#define VT_T_HUNG_H

#include <sys/types.h>

/* A Unix listening socket at path (backlog 64); bails on error. */
int	hung_listener(const char *path);

/*
 * A server that accepts and never answers, in a child process: it holds
 * every connection open until it is killed and reports each accept to the
 * caller.  Returns its pid; *acceptfd gets the (non-blocking) descriptor
 * that hung_accepts() reads.  Bails on error.
 */
pid_t	hung_server(const char *path, int *acceptfd);

/*
 * Connections the server has taken so far: *count plus what acceptfd has
 * reported since, after settle_ms for the server to take what is queued.
 * Updates and returns *count.
 */
int	hung_accepts(int acceptfd, int *count, int settle_ms);

/* fork(), the child killed when the test dies; bails on error. */
pid_t	hung_spawn(void);

#endif /* VT_T_HUNG_H */

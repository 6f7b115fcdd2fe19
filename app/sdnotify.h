/*
 * sdnotify.h: tell systemd about the pool's state (sd_notify(3) protocol:
 * one datagram to $NOTIFY_SOCKET).  A no-op when not run by systemd.
 *
 * Written here rather than linking libsystemd: the protocol is one
 * datagram, documented as stable, and Vitals also runs under spawn-fcgi
 * and on hosts without systemd.  The SIGUSR2 upgrade needs it: the new
 * master announces MAINPID= so systemd follows it (NotifyAccess=all).
 */
#ifndef VT_SDNOTIFY_H
#define VT_SDNOTIFY_H

int	vt_sd_notify(const char *state);

#endif /* VT_SDNOTIFY_H */

# t/lib/session.bash: the process helpers of the Vitals harness, sourced
# by ./stack and by t/bench/run (for the bench's own servers).
#
# Each daemon is started with setsid, so it leads a session whose id is its
# pid, written to a pid file; everything it forks (workers, a re-executed
# master after USR2) stays in that session and is found through /proc.
# Stopping signals the leader, then waits with a deadline until no process
# of the session is left.
#
# Sourcing this file defines functions and runs nothing.  What they read:
#   PROG            the name in front of every message (say, warn, die)
#   STOP_DEADLINE   seconds stop_session waits before SIGKILL (default:
#                   VT_STOP_DEADLINE, else 20)
#
# The functions, each described above its definition:
#   say, warn, die, show_tail     messages
#   now_ms                        the clock, for deadlines
#   start_session, stop_session   start and stop one daemon by pid file
#   close_inherited_fds           close what a daemon must not inherit
#   running, leader_pid, read_pid, session_pids
#                                 what runs
#   without_services CMD...       apt-get without starting the packages'
#                                 services
#   install_pkgs PKG...           the benches' optional packages

: "${PROG:=${0##*/}}"
: "${STOP_DEADLINE:=${VT_STOP_DEADLINE:-20}}"

# say MESSAGE..., warn MESSAGE...: a line on stdout, on stderr.
say() {
	printf '%s: %s\n' "$PROG" "$*"
}

warn() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

# die MESSAGE...: the message on stderr, then exit 1.
die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

# show_tail FILE [LINES]: the end of a log, to explain a failure.
show_tail() {
	local file=$1 lines=${2:-30}
	if [[ -s $file ]]; then
		printf -- '--- last lines of %s ---\n' "$file" >&2
		tail -n "$lines" "$file" >&2
		printf -- '---\n' >&2
	fi
}

# now_ms: the wall clock in milliseconds, for deadlines.
now_ms() {
	local us=${EPOCHREALTIME/[.,]/}
	echo $((us / 1000))
}

# session_pids SID: the live processes of session SID, one per line.
session_pids() {
	local sid=$1 d line rest
	local -a f
	for d in /proc/[0-9]*; do
		read -r line 2>/dev/null <"$d/stat" || continue
		rest=${line##*) }
		read -r -a f <<<"$rest"
		# After the command: state ppid pgrp session ...; a zombie is gone.
		[[ ${f[3]} == "$sid" && ${f[0]} != Z ]] && echo "${d#/proc/}"
	done
	return 0
}

# read_pid PIDFILE: the pid it holds, or nothing.
read_pid() {
	local pid=
	if [[ -s $1 ]]; then
		read -r pid <"$1" || true
	fi
	[[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
	return 0
}

# running PIDFILE: true when the session recorded in PIDFILE has a live
# process.
running() {
	local sid
	sid=$(read_pid "$1")
	[[ -n $sid ]] && [[ -n $(session_pids "$sid") ]]
}

# leader_pid PIDFILE: the pid to signal, the session leader if it lives
# (nginx, mariadbd, the vitals master), else the oldest process of the
# session (a master re-executed by USR2 that has outlived its parent).
leader_pid() {
	local sid pids
	sid=$(read_pid "$1")
	[[ -n $sid ]] || return 0
	if kill -0 "$sid" 2>/dev/null && [[ -n $(session_pids "$sid") ]]; then
		echo "$sid"
		return 0
	fi
	pids=$(session_pids "$sid" | sort -n)
	[[ -n $pids ]] && head -n 1 <<<"$pids"
	return 0
}

# close_inherited_fds: close every descriptor above 2 of the shell that
# runs it, as /proc/self/fd lists them.  Run in the child that then execs a
# daemon (a subshell, or the shell of start_session): a caller's open files
# (a test's fd 7, a CI's pipes, ./stack's lock on fd 9) must not stay open
# in MariaDB, nginx or the pool for their whole life.  The descriptor of
# the listing itself is gone when the loop runs, hence the check.
close_inherited_fds() {
	local fd
	for fd in /proc/self/fd/*; do
		fd=${fd##*/}
		if ((fd > 2)) && [[ -e /proc/self/fd/$fd ]]; then
			exec {fd}>&-
		fi
	done
	return 0
}

# start_session PIDFILE LOGFILE CMD...: run CMD in the background in a new
# session, stdin from /dev/null, stdout and stderr appended to LOGFILE, no
# other descriptor inherited (close_inherited_fds), and record its pid
# (written by the process itself, after setsid, so it is right whatever
# setsid has to do).
start_session() {
	local pidfile=$1 logfile=$2
	shift 2
	rm -f "$pidfile"
	# shellcheck disable=SC2016 # expanded by the inner shell
	setsid bash -c "$(declare -f close_inherited_fds)"'
		close_inherited_fds
		echo $$ >"$0"
		exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
	local deadline=$(($(now_ms) + 5000))
	until [[ -s $pidfile ]]; do
		(($(now_ms) < deadline)) || die "no pid file $pidfile after 5 s"
		sleep 0.02
	done
}

# stop_session NAME PIDFILE SIGNAL: signal the leader, wait until the whole
# session is gone; past STOP_DEADLINE, SIGKILL what is left and wait again.
stop_session() {
	local name=$1 pidfile=$2 sig=$3 sid leader pids deadline
	sid=$(read_pid "$pidfile")
	if [[ -z $sid ]] || [[ -z $(session_pids "$sid") ]]; then
		rm -f "$pidfile"
		return 0
	fi
	leader=$(leader_pid "$pidfile")
	say "stopping $name (pid $leader, SIG$sig)"
	kill -s "$sig" "$leader" 2>/dev/null || true
	deadline=$(($(now_ms) + STOP_DEADLINE * 1000))
	while pids=$(session_pids "$sid") && [[ -n $pids ]]; do
		if (($(now_ms) >= deadline)); then
			warn "$name did not stop within ${STOP_DEADLINE} s: SIGKILL to" "${pids//$'\n'/ }"
			# shellcheck disable=SC2086 # one pid per word
			kill -s KILL $pids 2>/dev/null || true
			deadline=$(($(now_ms) + 5000))
			while [[ -n $(session_pids "$sid") ]]; do
				(($(now_ms) < deadline)) ||
					die "$name: processes left after SIGKILL:" "$(session_pids "$sid")"
				sleep 0.05
			done
			break
		fi
		sleep 0.05
	done
	rm -f "$pidfile"
}

# install_pkgs PKG...: apt-get install, without starting the packages'
# services (the same policy-rc.d guard as `stack deps`), its output in
# $LOG/bench-apt.log; false on failure (for the benches' tools).
install_pkgs() {
	(($(id -u) == 0)) || return 1
	command -v apt-get >/dev/null 2>&1 || return 1
	local rc=0
	say "installing: $*"
	without_services apt_install "$@" >"$LOG/bench-apt.log" 2>&1 || rc=$?
	((rc == 0)) || warn "apt-get install $* failed (see $LOG/bench-apt.log)"
	return "$rc"
}

# apt_install PKG...: apt-get install, with an update first only when the
# package lists are too old to have PKG.
apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$@" ||
		{
			DEBIAN_FRONTEND=noninteractive apt-get update -q &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					--no-install-recommends "$@"
		}
}

# without_services CMD...: run CMD (apt-get install ...) while a
# policy-rc.d keeps the packages' own services from starting (the system's
# nginx on port 80, the system's MariaDB): the harness runs its own.  The
# policy file is removed again whatever happens, and only if it is ours.
# Returns CMD's status.
without_services() {
	local policy=/usr/sbin/policy-rc.d ours=0 rc=0
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\n# vitals-stack: no service starts during install\nexit 101\n' >"$policy"
		chmod 0755 "$policy"
		ours=1
	fi
	"$@" || rc=$?
	if ((ours)) && grep -q vitals-stack "$policy" 2>/dev/null; then
		rm -f "$policy"
	fi
	return "$rc"
}

#!/usr/bin/perl
# stack-fds.t: ./stack starts MariaDB, the pool and nginx with nothing of
# its caller open but stdin, stdout and stderr.  The test leaves files open
# on three descriptors (20, 100 and 200, or the next free ones) without
# close-on-exec (as a CI runner or a
# shell with `exec 7<file` does), starts the stack through ./stack and
# reads /proc/PID/fd of every process of the three sessions.
use strict;
use warnings;
use POSIX qw(dup2);
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd', 'mariadb-install-db');

my $t = VitalsTest->new(db => 1);

# The marker files, one per descriptor: dup2() leaves close-on-exec off
# on the copy (Perl sets it on what it opens above $^F).  Test::More holds
# copies of stdout and stderr on the lowest free descriptors, the caller
# may hold others: each marker takes the first free one from its start.
my %marker;
for my $want (20, 100, 200) {
	my $fd = $want;
	$fd++ while -e "/proc/self/fd/$fd";
	my $path = $t->dir . "/caller-fd-$fd";
	open(my $fh, '>', $path) or die "$path: $!";
	dup2(fileno($fh), $fd) // die "dup2 $fd: $!";
	close($fh);
	$marker{$fd} = $path;
}

# The setup is right: a program this test runs does inherit them.
for my $fd (sort { $a <=> $b } keys %marker) {
	my $seen = `sh -c 'readlink /proc/\$\$/fd/$fd'`;
	chomp($seen);
	is($seen, $marker{$fd}, "a child of the test inherits fd $fd");
}

$t->start;

my $held = 0;
my $checked = 0;
for my $part ('mariadb', 'vitals', 'nginx') {
	my @pids = $t->session_pids($part);
	ok(@pids > 0, "$part runs (" . scalar(@pids) . ' processes)');
	my @leaks;
	for my $pid (@pids) {
		opendir(my $d, "/proc/$pid/fd") or next;
		$checked++;
		for my $fd (grep { /^\d+$/ } readdir($d)) {
			my $l = readlink("/proc/$pid/fd/$fd") // next;
			push(@leaks, "pid $pid fd $fd -> $l")
			    if grep { $l eq $_ } values %marker;
		}
	}
	$held += @leaks;
	ok(!@leaks, "no process of $part holds the caller's descriptors")
	    or diag(join("\n", @leaks));
}
diag("processes checked: $checked, caller descriptors held: $held");

# The stack works without them.
is($t->get('/health/live')->{status}, 200, 'the stack answers');
is($t->get('/health')->{status}, 200, '/health (with MariaDB) answers');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

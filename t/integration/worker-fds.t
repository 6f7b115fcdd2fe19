#!/usr/bin/perl
# worker-fds.t: a worker holds nothing of the master's but the listening
# socket.  The master keeps files and sockets open for its life (the
# sampler's /proc and /sys files read with pread, its netlink sockets, the
# statvfs helper's socket and pidfd, the publisher's connection to nginx);
# a worker the master forks later, to replace one that died, inherits
# every one of them unless it closes them.  Each is a descriptor the
# worker's limit pays for, and a netlink or publisher socket in a worker
# is one more holder the master's own reading does not expect.
#
# The test starts the pool, lets the sampler open what it keeps, reads
# the descriptors of the first workers, kills one and reads those of its
# replacement: both must hold only stdin, stdout, stderr, the pool's
# listening socket and what a worker opens itself (its epoll set).
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(nginx => 0, workers => 2)->start;
my $master = $t->pid('vitals');
my $inode = VitalsTest::listening_inode($t->socket_path);
ok(defined $inode, "the pool listens on its socket (inode $inode)");

# The workers: the master's children that hold the listening socket.
sub workers {
	return grep { $_ != $master && VitalsTest::holds_socket($_, $inode) }
	    $t->session_pids('vitals');
}

# What a worker holds beyond stdio, the listening socket and its epoll.
sub foreign_fds {
	my ($pid) = @_;
	my @extra;
	opendir(my $d, "/proc/$pid/fd") or return ("cannot read /proc/$pid/fd");
	for my $fd (sort { $a <=> $b } grep { /^\d+$/ } readdir($d)) {
		next if $fd <= 2;
		my $l = readlink("/proc/$pid/fd/$fd") // next;
		next if $l eq "socket:[$inode]" || $l eq 'anon_inode:[eventpoll]';
		push(@extra, "fd $fd -> $l");
	}
	return @extra;
}

# A few ticks: the sampler has opened what it keeps (the process scan and
# the slow collectors run on the first tick and every few after).
my $first = VitalsTest::wait_until { my @w = workers(); @w == 2 ? \@w : undef }
    timeout => 10, interval => 0.1;
ok($first && @$first == 2, 'two workers') or BAIL_OUT('no workers');
sleep(3);
my $master_fds = () = glob("/proc/$master/fd/*");
diag("the master holds $master_fds descriptors");
ok($master_fds > 8, "the master keeps files and sockets open ($master_fds)");

for my $pid (@$first) {
	my @extra = foreign_fds($pid);
	ok(!@extra, "worker $pid, forked at start, holds nothing of the master's")
	    or diag(join("\n", @extra));
}

kill('KILL', $first->[0]);
my $new = VitalsTest::wait_until {
	my @w = grep { $_ != $first->[0] && $_ != $first->[1] } workers();
	@w ? $w[0] : undef;
} timeout => 10, interval => 0.1;
ok($new, "the master replaced worker $first->[0]" .
    ($new ? " with $new" : ''));
SKIP: {
	skip('no replacement', 1) if !$new;
	my @extra = foreign_fds($new);
	ok(!@extra, "worker $new, forked by the running master, holds nothing "
	    . "of the master's") or diag(join("\n", @extra));
}

ok($t->stop, './stack down leaves no process');
done_testing();

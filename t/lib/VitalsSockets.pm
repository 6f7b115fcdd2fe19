# VitalsSockets.pm: helper processes that hold TCP sockets for the
# listener and CLOSE_WAIT tests (listeners.t, checks-listeners.t).
#
#   my ($pid, $port) = VitalsSockets::hold($t, 'vt-name', $backlog, $accept);
#
# starts a process whose comm is 'vt-name': it listens on 127.0.0.1 with
# the backlog, accepts $accept connections and keeps them (then writes
# "<port file>.done"), and waits to be killed (at most 120 s).
# run($t, $code, $name, @args) starts another such program, given the
# same ($name, $file, @args) arguments, whose port goes to $file.
package VitalsSockets;

use strict;
use warnings;
use Test::More ();
use VitalsTest;

our $HOLD = <<'EOP';
use strict;
use IO::Socket::INET;
my ($name, $file, $backlog, $accept) = @ARGV;
$0 = $name;
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
    Listen => $backlog, ReuseAddr => 1) or die "listen: $!";
open(my $f, '>', "$file.tmp") or die;
print $f $s->sockport, "\n";
close($f);
rename("$file.tmp", $file) or die;
my @keep;
while (@keep < $accept) {
	my $c = $s->accept or next;
	push(@keep, $c);
}
if ($accept > 0) {
	open($f, '>', "$file.done") or die;
	close($f);
}
my $end = time + 120;
sleep 1 while time < $end;
EOP

# run(T, CODE, NAME, ARGS...): start CODE with perl as a process of T's
# stack; returns (pid, port) once it has written its port.
sub run {
	my ($t, $code, $name, @args) = @_;
	my $file = $t->dir . "/$name.port";
	my $pid = $t->spawn([ $^X, '-e', $code, $name, $file, @args ]);
	my $port;
	VitalsTest::wait_until(sub {
		defined($port = VitalsTest::slurp($file))
	}, timeout => 10) or Test::More::BAIL_OUT("$name did not start");
	chomp($port);
	return ($pid, $port);
}

# hold(T, NAME, BACKLOG, ACCEPT): run() of the program above.
sub hold {
	my ($t, $name, @args) = @_;
	return run($t, $HOLD, $name, @args);
}

# comm_of(PID): the process's comm, as the kernel and Vitals name it.
sub comm_of {
	my ($pid) = @_;
	my $c = VitalsTest::slurp("/proc/$pid/comm") // '';
	chomp($c);
	return $c;
}

1;

#!/usr/bin/perl
# pool-activate-restart.t: the whole service restarted under socket
# activation.  A holder (this test, standing in for systemd's .socket
# unit) keeps the listening socket while the program is stopped and
# started again; requests sent during the gap wait in the backlog and
# succeed; none is refused.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Fcntl qw(F_SETFD);
use File::Path qw(make_path);
use File::Basename qw(dirname);
use POSIX qw(dup2 _exit);
use Socket qw(SOCK_STREAM SOMAXCONN);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack();

my $t = VitalsTest->new(app => 0, nginx => 0);
my $path = $t->dir . '/activate.sock';
my $listener = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path,
    Listen => 128) or die "listen $path: $!";
my $log = $t->log_path('vitals.log');
make_path(dirname($log));

# Start the program as systemd would: the socket on fd 3, LISTEN_FDS=1,
# LISTEN_PID naming the program itself.
sub activate {
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		if (fileno($listener) == 3) {
			# Perl opened it close-on-exec; dup2 onto itself would
			# keep that flag.
			fcntl($listener, F_SETFD, 0) or _exit(126);
		} else {
			dup2(fileno($listener), 3) or _exit(126);
		}
		$ENV{LISTEN_FDS} = 1;
		$ENV{LISTEN_PID} = $$;
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', $log);
		open(STDERR, '>&', \*STDOUT);
		POSIX::setsid();
		exec($ENV{VITALS_BIN}, '--workers', '2') or _exit(127);
	}
	push(@{ $t->{children} }, $pid);
	return $pid;
}

my $p1 = activate();
ok(wait_until(sub { $t->fcgi_request($path)->{status} == 200 },
    timeout => 5), 'the first run serves on the held socket');

is($t->reap($p1, signal => 'TERM', timeout => 10), 0,
    'stopped: the program exited 0');
ok(-S $path, 'the socket file is still there (the holder owns it)');

# Requests sent while nothing runs: they wait in the backlog.
my @kids;
my $dir = $t->dir;
for my $i (1 .. 8) {
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		my $r = $t->fcgi_request($path, timeout => 15);
		open(my $fh, '>', "$dir/gap.$i");
		print $fh $r->{status} // 0;
		close($fh);
		_exit(0);
	}
	push(@kids, $pid);
}
sleep(1.5);
my $p2 = activate();
waitpid($_, 0) for @kids;
my @st = map { VitalsTest::_slurp("$dir/gap.$_") // 'none' } 1 .. 8;
is(scalar(grep { $_ eq '200' } @st), 8,
    'all 8 requests sent during the 1.5 s gap succeeded (' . "@st" . ')');
ok($t->fcgi_request($path)->{status} == 200, 'the second run serves');
is($t->reap($p2, signal => 'TERM', timeout => 10), 0, 'stopped again, 0');
my $text = $t->log_text('vitals.log');
is(scalar(() = $text =~ /event=start .*source=systemd/g), 2,
    'both runs took the socket through socket activation');
unlike($text, qr/level=error/, 'no error in the log');
done_testing();

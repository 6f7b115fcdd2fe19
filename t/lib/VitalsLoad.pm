package VitalsLoad;
# VitalsLoad: bounded load for the integration tests, with the tools load
# testers use (wrk, ab), run in the background while a test acts on the
# pool, and their reports parsed into numbers.
#
#   my $w = VitalsLoad::wrk_start($url, seconds => 4, connections => 10);
#   ... kill, HUP, USR2 ...
#   my $r = VitalsLoad::wrk_finish($w);   # { requests, non2xx, errors, rps }
#
# Every run is bounded: wrk by -d and --timeout, ab by -n and -s, and the
# wait for either by a deadline after which it is killed.
use strict;
use warnings;
use POSIX qw(:sys_wait_h _exit);
use File::Temp qw(tempfile);
use Time::HiRes qw(sleep time);

sub _slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or return '';
	local $/;
	return scalar <$fh>;
}

sub _start {
	my ($argv, $seconds) = @_;
	my ($fh, $out) = tempfile('vt-load-XXXXXX', TMPDIR => 1, UNLINK => 1);
	close($fh);
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>', $out);
		open(STDERR, '>&', \*STDOUT);
		exec(@$argv) or _exit(127);
	}
	return { pid => $pid, out => $out, deadline => time + $seconds + 30,
	    argv => $argv };
}

sub _wait {
	my ($h) = @_;
	while (time < $h->{deadline}) {
		my $w = waitpid($h->{pid}, WNOHANG);
		last if $w == $h->{pid} || $w == -1;
		sleep(0.05);
	}
	if (kill(0, $h->{pid})) {
		kill('KILL', $h->{pid});
		waitpid($h->{pid}, 0);
		$h->{killed} = 1;
	}
	return _slurp($h->{out});
}

# wrk_start(URL, seconds => S, connections => C, threads => T)
sub wrk_start {
	my ($url, %o) = @_;
	my $s = $o{seconds} // 3;
	my $c = $o{connections} // 10;
	my $t = $o{threads} // 2;
	$t = $c if $t > $c;
	return _start([ 'wrk', '--latency', "-t$t", "-c$c", "-d${s}s",
	    '--timeout', '5s', $url ], $s);
}

# wrk_finish(HANDLE): { requests, non2xx, errors (socket errors), rps,
# p99_ms, text }
sub wrk_finish {
	my ($h) = @_;
	my $text = _wait($h);
	my %r = (text => $text, requests => 0, non2xx => 0, errors => 0,
	    rps => 0, p99_ms => undef);
	$r{requests} = $1 if $text =~ /(\d+) requests in/;
	$r{non2xx} = $1 if $text =~ /Non-2xx or 3xx responses: (\d+)/;
	if ($text =~ /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/) {
		$r{errors} = $1 + $2 + $3 + $4;
	}
	$r{rps} = $1 if $text =~ /Requests\/sec:\s+([\d.]+)/;
	if ($text =~ /^\s+99%\s+([\d.]+)(us|ms|s)\b/m) {
		my %f = (us => 0.001, ms => 1, s => 1000);
		$r{p99_ms} = $1 * $f{$2};
	}
	$r{requests} = 0 if $h->{killed};
	return \%r;
}

# wrk_stop(HANDLE): stop a wrk before its duration (SIGINT: it stops its
# connections and prints its report as at its deadline), then wrk_finish.
# For a load that must last exactly as long as an action of unknown
# length, started with a generous -d as its bound.
sub wrk_stop {
	my ($h) = @_;
	kill('INT', $h->{pid});
	return wrk_finish($h);
}

# ab(URL, n => N, c => C): run ab to the end; { complete, failed, non2xx,
# text }.  ab counts a body whose length differs from the first one's as
# "failed (Length)"; live documents vary in length, so failed here is only
# connect, receive and exception failures.
sub ab {
	my ($url, %o) = @_;
	my $n = $o{n} // 1000;
	my $c = $o{c} // 10;
	my $h = _start([ 'ab', '-q', '-n', $n, '-c', $c, '-s', '10', $url ],
	    $o{seconds} // 120);
	my $text = _wait($h);
	my %r = (text => $text, complete => 0, failed => -1, non2xx => 0);
	$r{complete} = $1 if $text =~ /Complete requests:\s+(\d+)/;
	$r{failed} = $1 if $text =~ /Failed requests:\s+(\d+)/;
	if ($text =~ /\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)/) {
		$r{failed} = $1 + $2 + $4;
		$r{length_varied} = $3;
	}
	$r{non2xx} = $1 if $text =~ /Non-2xx responses:\s+(\d+)/;
	return \%r;
}

1;

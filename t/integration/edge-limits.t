#!/usr/bin/perl
# edge-limits.t: nginx's request limits.  A client far over the rate (a
# burst of 300 requests a second from 127.0.0.2) gets 429 in the JSON
# error shape, while at the same time a polite poller at the page's rate
# (one /api/metrics a second, from 127.0.0.3) and a Prometheus scrape from
# the allowlist (/metrics from 127.0.0.1) stay 200.  Past the cap of
# requests in flight per address (limit_conn), 429 JSON too, while a
# polite client's request in flight is not refused.  Issue 16.
use strict;
use warnings;
use JSON::PP;
use POSIX qw(_exit);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
plan(skip_all => 'no 127.0.0.2 on this machine')
    if system('curl -s -o /dev/null --interface 127.0.0.2 --max-time 2 '
    . 'http://127.0.0.1:1/ 2>/dev/null; [ $? -ne 45 ]') != 0;

my $t = VitalsTest->new;
$t->start;
my $dir = $t->dir;

# One request from a source address: (status, body).
sub from {
	my ($src, $path) = @_;
	my $url = $t->url($path);
	my $out = `curl -sk --max-time 10 --interface $src -o '$dir/one.body' -w '%{http_code}' '$url'`;
	return ($out, VitalsTest::slurp("$dir/one.body") // '');
}

# The limits are the subject, not the start: wait for the first sample
# (/api/metrics is 503 "no sample yet" until the master has one, which
# took over 20 s at a load of 23 on 2 CPUs).
ok(wait_until(sub { (from('127.0.0.1', '/api/metrics'))[0] eq '200' },
    timeout => 60, interval => 0.5), 'the pool has its first sample');

# The burst: for 5 s, 300 requests a second from 127.0.0.2 (50 at once),
# their statuses and one 429 body written to files.
my $list = "$dir/burst.urls";
open(my $fh, '>', $list) or die "$list: $!";
mkdir("$dir/out") or die "$dir/out: $!";
print $fh "url = \"" . $t->url('/api/metrics') . "\"\noutput = \"$dir/out/$_\"\n"
    for 1 .. 300;
close($fh);
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
	my $end = time() + 5;
	while (time() < $end) {
		my $t0 = time();
		system("curl -sk --max-time 5 --interface 127.0.0.2 -Z "
		    . "--parallel-max 50 -K '$list' "
		    . "-w '%{http_code} %{content_type}\\n' "
		    . ">>'$dir/burst.codes' 2>/dev/null");
		my $left = 1 - (time() - $t0);
		sleep($left) if $left > 0;
	}
	_exit(0);
}

# Meanwhile the poller and the scrapes, once a second for 5 s.
my (@poll, @scrape);
my $end = time() + 5;
while (time() < $end) {
	my $t0 = time();
	push(@poll, (from('127.0.0.3', '/api/metrics'))[0]);
	push(@scrape, (from('127.0.0.1', '/metrics'))[0]);
	my $left = 1 - (time() - $t0);
	sleep($left) if $left > 0;
}
waitpid($pid, 0);

my @lines = split(/\n/, VitalsTest::slurp("$dir/burst.codes") // '');
my @codes = map { (split(' ', $_))[0] } @lines;
my $n429 = grep { $_ eq '429' } @codes;
my $n200 = grep { $_ eq '200' } @codes;
diag(scalar(@codes) . " burst requests: $n200 200, $n429 429");
ok(@codes >= 300, "the burst made at least one round of 300 requests");
ok($n429 > @codes / 2, 'most of the burst got 429');
ok($n200 >= 120, 'the burst of 120 got through first');
is(scalar(grep { $_ ne '200' && $_ ne '429' } @codes), 0,
    'nothing else than 200 or 429');
is(scalar(grep { /^429 / && !m{^429 application/json} } @lines), 0,
    'every 429 is application/json');

# The last round's bodies: each is a sample or the 429 JSON error.
my ($err, $other) = (0, 0);
for my $f (glob("$dir/out/*")) {
	my $doc = eval { decode_json(VitalsTest::slurp($f)) } // {};
	my $e = $doc->{error};
	if (ref($e) eq 'HASH' && ($e->{status} // 0) == 429 &&
	    ($e->{message} // '') eq 'too many requests' &&
	    keys(%$doc) == 1) {
		$err++;
	} elsif (exists $doc->{timestamp_ms}) {
		$other++;
	}
}
ok($err > 0, "the 429s have the JSON error shape ($err of the last round)");
is($err + $other, 300, 'and every body of the last round is either');

ok(@poll >= 4, 'the poller polled ' . scalar(@poll) . ' times');
is(scalar(grep { $_ ne '200' } @poll), 0,
    'the polite poller at one request a second: all 200')
    or diag("@poll");
is(scalar(grep { $_ ne '200' } @scrape), 0,
    'the scrapes from the allowlist: all 200') or diag("@scrape");

like($t->log_text('nginx-error.log'), qr/\[warn\].*limiting requests/,
    'the refusals are logged as warnings');

# limit_conn: 64 requests in flight per address.  With the pool stopped
# (SIGSTOP, master and workers: a pool slow to answer, the case the cap is
# for), 80 requests at once from 127.0.0.4 (within limit_req's burst, and
# from an address the burst above did not use) wait in flight up to 64;
# the other 16 get 429 JSON at once.  A polite client (127.0.0.3) with its
# one request in flight meanwhile is not refused.  After SIGCONT the 64
# and the polite request get 200.
my $CONN_MAX = 64;
my $crowd = 80;
my @pool = $t->session_pids('vitals');
ok(@pool >= 3, 'the pool: ' . scalar(@pool) . ' processes');
my $clist = "$dir/crowd.urls";
open($fh, '>', $clist) or die "$clist: $!";
mkdir("$dir/crowd") or die "$dir/crowd: $!";
print $fh "url = \"" . $t->url('/health/live') . "\"\n"
    . "output = \"$dir/crowd/$_\"\n" for 1 .. $crowd;
close($fh);
kill('STOP', @pool);
my $cpid = fork() // die "fork: $!";
if ($cpid == 0) {
	exec('sh', '-c', "curl -sk --max-time 12 --interface 127.0.0.4 -Z "
	    . "--parallel-immediate --parallel-max $crowd -K '$clist' "
	    . "-w '%{http_code} %{content_type}\\n' >'$dir/crowd.codes' "
	    . "2>/dev/null") or _exit(127);
}
# The answers so far: the bodies written (curl writes its report lines
# only at its end, when stdout is a file; each body is written when its
# answer arrives).
my $answered = sub {
	return grep { $_ ne '' } map { VitalsTest::slurp($_) // '' }
	    glob("$dir/crowd/*");
};
ok(wait_until(sub { $answered->() >= $crowd - $CONN_MAX }, timeout => 8),
    'while the pool is stopped, the requests past the cap are answered');
my $ppid = fork() // die "fork: $!";
if ($ppid == 0) {
	my ($code) = from('127.0.0.3', '/health/live');
	_exit($code eq '200' ? 0 : 1);
}
sleep(1);
my @early = $answered->();
is(scalar(@early), $crowd - $CONN_MAX, 'all of them, and no more');
my $shaped = grep {
	my $d = eval { decode_json($_) } // {};
	ref($d->{error}) eq 'HASH' && ($d->{error}{status} // 0) == 429 &&
	    ($d->{error}{message} // '') eq 'too many requests'
} @early;
ok(@early && $shaped == @early, "each with 429 in the JSON error shape "
    . "($shaped of " . scalar(@early) . ')') or diag(join("\n", @early));
kill('CONT', @pool);
waitpid($cpid, 0);
my @lines_c = split(/\n/, VitalsTest::slurp("$dir/crowd.codes") // '');
my @codes_c = map { (split(' ', $_))[0] } @lines_c;
is(scalar(grep { $_ eq '200' } @codes_c), $CONN_MAX,
    "the $CONN_MAX in flight got 200 once the pool ran again");
is(scalar(grep { m{^429 application/json} } @lines_c), $crowd - $CONN_MAX,
    'the others 429 application/json') or diag("@lines_c");
waitpid($ppid, 0);
is($? >> 8, 0, 'the polite client\'s request, in flight meanwhile: 200');
like($t->log_text('nginx-error.log'), qr/\[warn\].*limiting connections/,
    'the refusals are logged as warnings');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

#!/usr/bin/perl
# pool-fallback.t: when the pool cannot serve, nginx answers the page,
# /api/metrics and /api/checks from the master's fallback files
# (app/fallback.h, conf/nginx/vitals-routes.conf.in), keeping the 5xx
# status, with X-Vitals-Source: master-fallback and Cache-Control:
# no-store, and the verdict in words; once the pool serves again, the
# pool answers (no header).  Issue 11's "done means": the operator reads
# what is wrong within five seconds of the fault.
#  - every worker stopped (SIGSTOP) while connections wait in the socket;
#  - workers that crash at start (the test switch of pool-crashloop.t),
#    then the pool started again without it;
#  - the master stopped: no fallback file, the JSON 502/504 as before;
#  - every other API path keeps its JSON error.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use JSON::PP;
use POSIX ();
use Time::Local qw(timegm);
use File::Temp ();
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
$SIG{PIPE} = 'IGNORE';

# The stack lives under a long folder, as the CI's checkout does: the
# fallback files' paths are then past the 64 bytes of an exact key of
# nginx's map (the CI's checkout failed `nginx -t` on them), while the
# Unix sockets' paths stay under their 108.
{
	my $base = File::Temp::tempdir(TMPDIR => 1, CLEANUP => 1);
	my $long = "$base/" . ('d' x 30);
	mkdir($long) or die "mkdir $long: $!";
	$ENV{TMPDIR} = $long;
}

# The issue's budget: the verdict readable within 5 s of the fault.
my $BUDGET = 5;
my @PATHS = ('/', '/api/metrics', '/api/checks');

sub item {
	my ($j, $name) = @_;
	return (grep { $_->{name} eq $name } @{ $j->{items} // [] })[0] // {};
}

# The verdict a fallback answer of PATH carries, in words ('' if none):
# the check's summary in the JSON documents, the banner in the page.
sub verdict_of {
	my ($t, $path, $res, $check) = @_;
	my $body = $res->{body} // '';
	if ($path eq '/') {
		return $body =~ /<div\ id="verdict"[^>]*
		    \ data-state="critical">(.*?)<\/div>/sx ? $1 : '';
	}
	my $j = eval { JSON::PP->new->utf8->decode($body) } // {};
	$j = $j->{checks} // {} if $path eq '/api/metrics';
	my $i = item($j, $check);
	return ($i->{state} // '') eq 'critical' ? $i->{summary} // '' : '';
}

# poll_fallback(T, PATH, CHECK, WANT): poll PATH until it is answered
# from the fallback with CHECK critical and its summary matching WANT
# (20 s at most); returns { res, words, at } (at: the time it came).
sub poll_fallback {
	my ($t, $path, $check, $want) = @_;
	my ($res, $words) = ({}, '');
	my $ok = VitalsTest::wait_until(sub {
		$res = $t->get($path, timeout => 5);
		return 0 if ($res->{headers}{'x-vitals-source'} // '') ne
		    'master-fallback';
		$words = verdict_of($t, $path, $res, $check);
		return $words =~ $want;
	}, timeout => 20, interval => 0.1);
	return { ok => $ok ? 1 : 0, res => $res, words => $words,
	    at => time };
}

# wait_fallback(T, CHECK, WANT, T0): the three paths polled at once, as
# three people opening them would (a request waits the 1 s read timeout,
# so one poller for all three would add those seconds); for each, its
# status, headers and words, and its time since T0 against the budget.
sub wait_fallback {
	my ($t, $check, $want, $t0) = @_;
	my %kid;
	for my $path (@PATHS) {
		my $f = $t->dir . '/poll.' . scalar(keys %kid);
		my $pid = fork();
		die "fork: $!" if !defined $pid;
		if ($pid == 0) {
			my $r = poll_fallback($t, $path, $check, $want);
			open(my $fh, '>', $f) or POSIX::_exit(1);
			print $fh JSON::PP->new->utf8->canonical->encode($r);
			close($fh);
			POSIX::_exit(0);
		}
		$kid{$pid} = [ $path, $f ];
	}
	for my $pid (keys %kid) {
		waitpid($pid, 0);
		my ($path, $f) = @{ $kid{$pid} };
		my $r = eval { JSON::PP->new->utf8->decode(VitalsTest::slurp($f)
		    // '') } // { ok => 0, res => {}, words => '', at => time };
		check_fallback($path, $r, $want, $t0);
	}
}

sub check_fallback {
	my ($path, $r, $want, $t0) = @_;
	my ($res, $words, $took) = ($r->{res}, $r->{words}, $r->{at} - $t0);
	diag(sprintf('%s: fallback verdict %.2f s after the fault', $path,
	    $took));
	ok($r->{ok}, "$path: answered from the master's fallback") or
	    diag('last answer: ' . ($res->{status} // '?') . ' '
	    . substr($res->{body} // '', 0, 300));
	ok($took <= $BUDGET, sprintf('%s: within %d s (%.2f s)', $path,
	    $BUDGET, $took));
	like($res->{status} // '', qr/^50[234]$/, "$path: keeps the 5xx "
	    . 'status (' . ($res->{status} // '') . ')');
	is($res->{headers}{'cache-control'}, 'no-store',
	    "$path: Cache-Control: no-store");
	like($res->{headers}{'content-security-policy'} // '',
	    qr/default-src 'self'/, "$path: the site's CSP");
	is($res->{headers}{'x-content-type-options'}, 'nosniff',
	    "$path: the site's security headers");
	like($res->{headers}{'content-type'} // '', $path eq '/' ?
	    qr{^text/html} : qr{^application/json}, "$path: content type");
	like($words // '', $want, "$path: the verdict in words: "
	    . substr(($words // '') =~ s/<[^>]*>|\s+/ /gr, 0, 200));
}

# master_started(T): when the pool's master logged event=start (epoch s,
# from its ts=), or undef.
sub master_started {
	my ($t) = @_;
	my $at = VitalsTest::wait_until(sub {
		$t->log_text('vitals.log') =~ /^ts=(\d+)-(\d+)-(\d+)T(\d+):(\d+):
		    (\d+(?:\.\d+)?)Z\ [^\n]*\ event=start\ /mx ?
		    timegm(0, $5, $4, $3, $2 - 1, $1) + $6 : undef;
	}, timeout => 10, interval => 0.05);
	return $at;
}

# The pool's own Cache-Control of each path, read before a fault.
my %OWN_CC;

# wait_pool(T, PATH, T0): PATH answered by the pool again (200, no
# header, its own Cache-Control).
sub wait_pool {
	my ($t, $path, $t0) = @_;
	my $res;
	my $ok = VitalsTest::wait_until(sub {
		$res = $t->get($path, timeout => 5);
		return $res->{status} == 200 &&
		    !exists $res->{headers}{'x-vitals-source'};
	}, timeout => 20, interval => 0.2);
	ok($ok, sprintf('%s: served by the pool again, 200 without the header '
	    . '(%.1f s after the recovery)', $path, time - $t0)) or
	    diag("last answer: $res->{status} "
	    . ($res->{headers}{'x-vitals-source'} // ''));
	is($res->{headers}{'cache-control'} // '', $OWN_CC{$path},
	    "$path: the pool's own Cache-Control ($OWN_CC{$path})");
}

# --- every worker stopped ----------------------------------------------------
{
	my $t = VitalsTest->new(workers => 2);
	$t->start;
	my $s = $t->json($t->get('/status?full')) // {};
	my @pids = map { $_->{pid} } grep { $_->{pid} } @{ $s->{slots} // [] };
	is(scalar(@pids), 2, "two workers (@pids)");
	for my $path (@PATHS) {
		my $r = $t->get($path);
		is($r->{status}, 200, "$path: 200 from the pool before");
		ok(!exists $r->{headers}{'x-vitals-source'},
		    "$path: no X-Vitals-Source from the pool");
		$OWN_CC{$path} = $r->{headers}{'cache-control'} // '';
	}
	ok(-s $t->dir . "/run/fallback/$_", "the master wrote $_")
	    for qw(page.html metrics.json checks.json);
	# The fallback's locations are nginx's internal ones.
	my $in = $t->get('/__vitals/fallback/504/checks.json');
	is($in->{status}, 404, 'the fallback files are not served directly');
	ok(!exists $in->{headers}{'x-vitals-source'}, '... no header');

	my $t0 = time;
	ok(kill('STOP', @pids) == 2, 'every worker stopped with SIGSTOP');
	my @conns;
	for (1 .. 3) {
		my $c = IO::Socket::UNIX->new(Peer => $t->socket_path,
		    Type => SOCK_STREAM);
		push(@conns, $c) if $c;
	}
	is(scalar(@conns), 3, 'connections wait in the socket');
	wait_fallback($t, 'pool_queue', qr/Pool stuck/, $t0);
	# A HEAD: the same status and headers, no body.
	my $h = $t->head('/api/checks', timeout => 5);
	like($h->{status}, qr/^50[24]$/, "HEAD /api/checks: $h->{status}");
	is($h->{headers}{'x-vitals-source'}, 'master-fallback',
	    'HEAD /api/checks: from the fallback');
	# Any other path is the pool's: its JSON error, no fallback.
	my $o = $t->get('/api/history?range=5m', timeout => 20);
	like($o->{status}, qr/^50[24]$/, "/api/history: $o->{status}");
	ok(!exists $o->{headers}{'x-vitals-source'},
	    '/api/history: no fallback for it');
	like($o->{body}, qr/^\{"error":\{"status":50[24],"message":"[^"]+"\}\}$/,
	    '/api/history: the JSON error shape');

	my $t1 = time;
	ok(kill('CONT', @pids) == 2, 'SIGCONT');
	close($_) for @conns;
	wait_pool($t, $_, $t1) for @PATHS;
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}

# --- a crash loop, then the pool started without it ------------------------------
SKIP: {
	skip('built without --enable-test-hooks', 1)
	    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;
	# nginx first, then the pool: the fault starts with the pool.
	my $t = VitalsTest->new(workers => 2, app => 0,
	    env => { VITALS_TEST_CRASH_AT_START => 1 });
	$t->start;
	my $t0 = time;
	is($t->stack('start', 'app', '--no-wait'), 0,
	    'the pool started, its workers crashing at start');
	# The fault starts with the master (its first workers die at once),
	# not with ./stack's own work before it (rendering the spawn
	# script, spawn-fcgi): the master's start line says when.
	my $started = master_started($t);
	if (defined $started) {
		diag(sprintf('the master started %.2f s after ./stack was asked',
		    $started - $t0));
		$t0 = $started;
	}
	wait_fallback($t, 'pool_restarts', qr/crash loop back-off/, $t0);
	delete $t->{env}{VITALS_TEST_CRASH_AT_START};
	is($t->stack('stop', 'app'), 0, 'the pool stopped');
	# The master is gone: no fallback file, the JSON error.
	ok(!-e $t->dir . '/run/fallback/checks.json',
	    'the master removed its files when it stopped');
	my $g = $t->get('/api/checks', timeout => 5);
	like($g->{status}, qr/^50[24]$/, "/api/checks, no master: $g->{status}");
	ok(!exists $g->{headers}{'x-vitals-source'},
	    '/api/checks, no master: no fallback header');
	like($g->{body}, qr/^\{"error":\{"status":50[24],"message":"[^"]+"\}\}$/,
	    '/api/checks, no master: the JSON error shape');
	my $t1 = time;
	is($t->stack('start', 'app'), 0, 'the pool started without the switch');
	wait_pool($t, $_, $t1) for @PATHS;
	# The pool was stopped for a while: nginx could not connect.
	$t->nginx_log_ok(undef, allow =>
	    qr/connect\(\) to unix:\S+ failed \(2: No such file/);
	ok($t->stop, 'stopped');
}
done_testing();

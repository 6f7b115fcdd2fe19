#!/usr/bin/perl
# health-live.t: GET /health/live over HTTPS through nginx, on HTTP/1.1 and
# HTTP/2: 200, JSON {"status":"ok","pid":N,"uptime_s":N}, the security
# headers, and nginx's request id in the access log.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->start;

for my $http ('1.1', '2') {
	my $r = $t->get('/health/live', http => $http);
	is($r->{status}, 200, "HTTP/$http: GET /health/live is 200")
	    or diag($r->{error});
	is($r->{http_version}, $http, "HTTP/$http: negotiated");
	like($r->{headers}{'content-type'} // '', qr{^application/json},
	    "HTTP/$http: JSON content type");
	my $j = $t->json($r) // {};
	is($j->{status}, 'ok', "HTTP/$http: status ok");
	like($j->{pid} // '', qr/^[1-9][0-9]*$/, "HTTP/$http: a pid");
	ok(kill(0, $j->{pid} // 0), "HTTP/$http: the pid is a live process");
	like($j->{uptime_s} // '', qr/^[0-9]+$/,
	    "HTTP/$http: uptime_s is a whole number");
}

my %pool = map { $_ => 1 } $t->session_pids('vitals');
my $j = $t->json($t->get('/health/live')) // {};
ok($pool{ $j->{pid} // 0 }, 'the pid is one of the pool');

my $h = $t->head('/health/live');
is($h->{status}, 200, 'HEAD /health/live is 200');
like($h->{headers}{'content-type'} // '', qr{^application/json},
    'HEAD has the content type of GET');

# Security headers, on a success and on an error.
for my $path ('/health/live', '/no/such/thing') {
	my $hd = $t->get($path)->{headers};
	is($hd->{'x-content-type-options'}, 'nosniff', "$path: nosniff");
	like($hd->{'content-security-policy'} // '', qr/script-src 'self'/,
	    "$path: a CSP");
	unlike($hd->{'content-security-policy'} // '', qr/unsafe-inline/,
	    "$path: the CSP allows no inline script");
	is($hd->{'x-frame-options'}, 'DENY', "$path: no framing");
	ok(defined $hd->{'strict-transport-security'}, "$path: HSTS");
	ok(!defined $hd->{'x-powered-by'}, "$path: no X-Powered-By");
	unlike($hd->{server} // '', qr/\d/, "$path: no version in Server");
}

# nginx's request id and the upstream time are in the access log.
ok(wait_until(sub { $t->log_text('nginx-access.log') =~
    m{"GET /health/live HTTP/[0-9.]+" 200 .* request_id=[0-9a-f]{32} .*upstream_time=[0-9.]+} },
    timeout => 5), 'the access log has the request id and upstream time');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

#!/usr/bin/perl
# errors.t: unknown paths are 404 and other methods than GET and HEAD 405
# with an Allow header, both as JSON {"error":{"status":N,"message":"..."}},
# answered by the pool through nginx; and what nginx refuses itself (a
# /static/ file that does not exist, a TRACE, a URI or a cookie too large,
# on HTTPS and on the plain HTTP redirector) has the same shape, the same
# content type and the security headers.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->start;

# error_shape(RESPONSE, STATUS, NAME): the stable JSON error shape.
sub error_shape {
	my ($r, $status, $name) = @_;
	is($r->{status}, $status, "$name: $status");
	like($r->{headers}{'content-type'} // '', qr{^application/json},
	    "$name: JSON content type");
	my $j = $t->json($r) // {};
	is(ref $j->{error}, 'HASH', "$name: an error object");
	is($j->{error}{status}, $status, "$name: error.status");
	ok(defined $j->{error}{message} && !ref $j->{error}{message} &&
	    length $j->{error}{message}, "$name: error.message");
	is_deeply([sort keys %$j], ['error'], "$name: nothing else");
}

for my $path ('/no/such/path', '/health/live/extra', '/health/liv',
    '/health/live%20', '/HEALTH/LIVE') {
	error_shape($t->get($path), 404, "GET $path");
}
# What nginx refuses itself (a path above the root, a NUL) has the same
# shape.
for my $path ('/%2e%2e/etc/passwd', '/health/live%00') {
	error_shape($t->get($path), 400, "GET $path");
}
my $r = $t->get('/no/such/path', http => '1.1');
error_shape($r, 404, 'GET /no/such/path over HTTP/1.1');

for my $method ('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') {
	my $r = $t->request($method, '/health/live',
	    $method =~ /^P/ ? (body => '{}') : ());
	error_shape($r, 405, "$method /health/live");
	my $allow = $r->{headers}{allow} // '';
	like($allow, qr/\bGET\b/, "$method: Allow has GET");
	like($allow, qr/\bHEAD\b/, "$method: Allow has HEAD");
	unlike($allow, qr/\b\Q$method\E\b/, "$method: Allow omits $method");
}

# security_headers(RESPONSE, NAME): the headers of vitals-server.conf.
sub security_headers {
	my ($r, $name) = @_;
	like($r->{headers}{'content-security-policy'} // '',
	    qr/default-src 'self'/, "$name: Content-Security-Policy");
	is($r->{headers}{'x-content-type-options'}, 'nosniff',
	    "$name: X-Content-Type-Options");
	like($r->{headers}{'strict-transport-security'} // '', qr/max-age=/,
	    "$name: Strict-Transport-Security");
}

# A /static/ file that does not exist: nginx's 404, typed by the error,
# not by the .js of the URI.
$r = $t->get('/static/nonexistent.js');
error_shape($r, 404, 'GET /static/nonexistent.js');
security_headers($r, 'GET /static/nonexistent.js');
unlike($r->{headers}{'content-type'} // '', qr/javascript/,
    'GET /static/nonexistent.js: not typed as JavaScript');

# TRACE: nginx refuses it before any location, with the Allow header the
# application's own 405s carry.
for my $http ('1.1', '2') {
	my $r = $t->request('TRACE', '/', http => $http);
	error_shape($r, 405, "TRACE / over HTTP/$http");
	security_headers($r, "TRACE / over HTTP/$http");
	is($r->{headers}{allow}, 'GET, HEAD', "TRACE over HTTP/$http: Allow");
}
# The application's 405 still has one Allow header, its own.
is($t->post('/health/live', body => '{}')->{headers}{allow}, 'GET, HEAD',
    'POST /health/live: one Allow header, the application\'s');

# A 100 KB URI: 414 from the request line, before there is a URI.  Over
# HTTP/2 nginx refuses a header field that large at the protocol level
# (GOAWAY ENHANCE_YOUR_CALM): no HTTP answer at all, so HTTP/1.1 here.
my $long = '/' . ('a' x 100_000);
$r = $t->get($long, http => '1.1');
error_shape($r, 414, 'GET 100 KB URI');
security_headers($r, 'GET 100 KB URI');

# A 40 KB cookie: nginx's "Request Header Or Cookie Too Large" (494),
# answered as 400.
my @cookie = (headers => ['Cookie: big=' . ('b' x 40_000)]);
$r = $t->get('/health/live', http => '1.1', @cookie);
error_shape($r, 400, 'GET with a 40 KB cookie');
security_headers($r, 'GET with a 40 KB cookie');
my $message = ($t->json($r) // {})->{error}{message} // '';
like($message, qr/header or cookie too large/,
    '40 KB cookie: the message says why');

# The plain HTTP redirector refuses the same requests in the same shape
# (no security headers there: it serves nothing but redirects).
$r = $t->request('TRACE', '/', scheme => 'http');
error_shape($r, 405, 'TRACE / over plain HTTP');
is($r->{headers}{allow}, 'GET, HEAD', 'TRACE over plain HTTP: Allow');
error_shape($t->get($long, scheme => 'http'), 414,
    'GET 100 KB URI over plain HTTP');
error_shape($t->get('/', scheme => 'http', @cookie), 400,
    'GET with a 40 KB cookie over plain HTTP');

# The pool is fine afterwards.
is($t->get('/health/live')->{status}, 200, 'the pool still answers');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

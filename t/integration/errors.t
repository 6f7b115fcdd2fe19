#!/usr/bin/perl
# errors.t: unknown paths are 404 and other methods than GET and HEAD 405
# with an Allow header, both as JSON {"error":{"status":N,"message":"..."}},
# answered by the pool through nginx.
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

# The pool is fine afterwards.
is($t->get('/health/live')->{status}, 200, 'the pool still answers');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

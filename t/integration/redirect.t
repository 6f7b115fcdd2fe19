#!/usr/bin/perl
# redirect.t: plain HTTP answers nothing itself: every request gets a 301 to
# the same path on HTTPS, under the configured server name (never the
# request's Host) and on the configured (non-443) HTTPS port.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

# A server name of its own, so the test does not depend on ./stack's
# default (localhost) or on the caller's environment.
my $name = 'vitals.test';
my $t = VitalsTest->new(env => { VT_SERVER_NAME => $name });
$t->start;
my $https = $t->https_port;

for my $case (['GET', '/health/live'], ['GET', '/health/live?a=1&b=%20x'],
    ['HEAD', '/'], ['POST', '/health/live']) {
	my ($method, $path) = @$case;
	my $r = $t->request($method, $path, scheme => 'http',
	    $method eq 'POST' ? (body => 'x=1') : ());
	is($r->{status}, 301, "$method $path over HTTP is 301");
	is($r->{headers}{location}, "https://$name:$https$path",
	    "$method $path: Location is the HTTPS URL of the configured " .
	    'name, with its port');
}

# The Location is the configured server name (VT_SERVER_NAME), whatever
# Host the request names: the redirector must not
# send a client anywhere a request says.
for my $host ('evil.example', 'evil.example:8443', '127.0.0.1') {
	my $r = $t->get('/health/live?x=1', scheme => 'http',
	    headers => ["Host: $host"]);
	is($r->{status}, 301, "Host: $host: 301");
	is($r->{headers}{location}, "https://$name:$https/health/live?x=1",
	    "Host: $host: Location names the configured server");
}

# Following the redirect ends on the pool.
my $r = $t->get('/health/live', scheme => 'http');
my $loc = $r->{headers}{location} // '';
my ($path) = $loc =~ m{^https://[^/]+(/.*)$};
is($t->get($path // '/')->{status}, 200, 'the redirect target answers 200');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

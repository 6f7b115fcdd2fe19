#!/usr/bin/perl
# allowlist.t: /metrics and /status answer the monitoring hosts only
# (loopback by default): from 127.0.0.2, a loopback address outside the
# list, they are 403 in the JSON error shape; from 127.0.0.1, 200.  The
# public endpoints answer both.  Issue 16.
use strict;
use warnings;
use JSON::PP;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
plan(skip_all => 'no 127.0.0.2 on this machine')
    if system('curl -s -o /dev/null --interface 127.0.0.2 --max-time 2 '
    . 'http://127.0.0.1:1/ 2>/dev/null; [ $? -ne 45 ]') != 0;

my $t = VitalsTest->new;
$t->start;
my $dir = $t->dir;

# One request from a source address: (status, content type, body).
sub from {
	my ($src, $path) = @_;
	my $url = $t->url($path);
	my $out = `curl -sk --max-time 10 --interface $src -o '$dir/one.body' -w '%{http_code} %{content_type}' '$url'`;
	my ($code, $type) = split(' ', $out, 2);
	return ($code, $type // '', VitalsTest::slurp("$dir/one.body") // '');
}

for my $path ('/metrics', '/status') {
	my ($code, $type, $body) = from('127.0.0.2', $path);
	is($code, 403, "$path from 127.0.0.2: 403");
	like($type, qr{^application/json}, 'as JSON');
	is_deeply(eval { decode_json($body) },
	    { error => { status => 403, message => 'forbidden' } },
	    'in the error shape') or diag($body);

	($code, $type, $body) = from('127.0.0.1', $path);
	is($code, 200, "$path from 127.0.0.1: 200");
}
my ($code, $type, $body) = from('127.0.0.1', '/metrics');
like($body, qr/^# HELP /m, '/metrics from the allowlist is the exposition');

for my $path ('/health/live', '/api/metrics') {
	is((from('127.0.0.2', $path))[0], 200, "$path from 127.0.0.2: 200");
}

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

#!/usr/bin/perl
# live.t: live push (issue 13) on the real stack: nginx with its Nchan
# module, the pool's master publishing each sample.
#
# - An EventSource subscriber over HTTPS gets the current sample at once
#   (taken before it connected), then one message per sample, timestamps
#   increasing about a second apart, each byte for byte the /api/metrics
#   document of its sample; the same over the plain-HTTP listener; a
#   WebSocket subscriber (a minimal client: Perl has none in core) too.
# - The publisher is reachable from no public listener: POST /pub over
#   HTTPS and HTTP is a JSON 404; its socket sits in a 0750 directory.
# - The cap (3 here, a substitution of the site's template): the next
#   subscriber gets 503 too_many_subscribers, those open keep receiving.
# - nginx stopped while the pool runs: the samples stay fresh (/api/metrics
#   and /status through the pool's socket), the failures are counted and
#   logged once, no worker is touched; nginx started again, a subscriber
#   that came before the first publication gets a sample within two
#   seconds, and the recovery is logged once.
# - The switch off (VT_LIVE=0): /api/live is a JSON 404, the page says
#   data-live="off", /status says live is not enabled, /metrics has no
#   vitals_live_* family, the rest answers as before.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use Digest::SHA qw(sha1_base64);
use IO::Select;
use IO::Socket::INET;
use IO::Socket::SSL qw(SSL_VERIFY_NONE);
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack();
VitalsTest::require_live();

my $CAP = 3;
my $JSON = JSON::PP->new->utf8;

# --- A subscriber ------------------------------------------------------------

# subscribe($t, scheme => https|http, kind => sse|ws): a connected
# subscriber { sock, kind, buf, status, headers, t0 } after its response
# head (status 0 when none came within 5 s).
sub subscribe {
	my ($t, %o) = @_;
	my $scheme = $o{scheme} // 'https';
	my $port = $scheme eq 'https' ? $t->https_port : $t->http_port;
	my %args = (PeerAddr => '127.0.0.1', PeerPort => $port, Timeout => 5);
	my $sock = $scheme eq 'https' ?
	    IO::Socket::SSL->new(%args, SSL_verify_mode => SSL_VERIFY_NONE) :
	    IO::Socket::INET->new(%args, Proto => 'tcp');
	die "connect $scheme: $! $IO::Socket::SSL::SSL_ERROR" if !$sock;
	my $key = encode_base64(join('', map { chr(int(rand(256))) } 1 .. 16),
	    '');
	my $req = "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n";
	if (($o{kind} // 'sse') eq 'ws') {
		$req .= "Upgrade: websocket\r\nConnection: Upgrade\r\n" .
		    "Sec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n";
	} else {
		$req .= "Accept: text/event-stream\r\n";
	}
	my $s = { sock => $sock, kind => $o{kind} // 'sse', buf => '',
	    status => 0, headers => {}, key => $key, t0 => time };
	print $sock "$req\r\n";
	my $deadline = time + 5;
	while ($s->{buf} !~ /\r\n\r\n/ && time < $deadline) {
		last if !_fill($s, $deadline - time);
	}
	if ($s->{buf} =~ s/\A(.*?)\r\n\r\n//s) {
		my @lines = split(/\r\n/, $1);
		($s->{status}) = (shift(@lines) // '') =~ m{^HTTP/1\.1 (\d+)};
		for (@lines) {
			$s->{headers}{ lc $1 } = $2 if /^([^:]+):\s*(.*)$/;
		}
	}
	return $s;
}

# Read what has come, waiting at most $wait s; false at EOF or error.
sub _fill {
	my ($s, $wait) = @_;
	my $sock = $s->{sock};
	# TLS may hold decrypted bytes that select() cannot see.
	if (!($sock->can('pending') && $sock->pending)) {
		return 1 if !IO::Select->new($sock)->can_read($wait > 0 ?
		    $wait : 0);
	}
	my $n = sysread($sock, my $chunk, 1 << 20);
	return 0 if !$n;
	$s->{buf} .= $chunk;
	return 1;
}

# The next message's data from the buffer, or undef.
sub _next_message {
	my ($s) = @_;
	if ($s->{kind} eq 'sse') {
		# Events end with a blank line; comments (": hi") carry no data.
		while ($s->{buf} =~ s/\A(.*?)\n\n//s) {
			my @data = map { /^data: ?(.*)$/ ? $1 : () }
			    split(/\n/, $1);
			return join("\n", @data) if @data;
		}
		return undef;
	}
	# WebSocket frames from the server: unmasked; text (1), continuation
	# (0), close (8), ping (9).
	while (length($s->{buf}) >= 2) {
		my ($b0, $b1) = unpack('CC', $s->{buf});
		my ($len, $off) = ($b1 & 0x7f, 2);
		if ($len == 126) {
			return undef if length($s->{buf}) < 4;
			($len, $off) = (unpack('x2n', $s->{buf}), 4);
		} elsif ($len == 127) {
			return undef if length($s->{buf}) < 10;
			my ($hi, $lo) = unpack('x2NN', $s->{buf});
			($len, $off) = ($hi * 2**32 + $lo, 10);
		}
		return undef if length($s->{buf}) < $off + $len;
		my $payload = substr($s->{buf}, $off, $len);
		substr($s->{buf}, 0, $off + $len) = '';
		my $op = $b0 & 0x0f;
		$s->{frag} .= $payload if $op == 1 || $op == 0;
		$s->{closed} = 1 if $op == 8;
		if (($op == 1 || $op == 0) && ($b0 & 0x80)) {
			my $m = $s->{frag};
			$s->{frag} = '';
			return $m;
		}
	}
	return undef;
}

# messages($s, $n, $timeout): up to $n messages as [ arrival time, data ].
sub messages {
	my ($s, $n, $timeout) = @_;
	my $deadline = time + $timeout;
	my @out;
	while (@out < $n) {
		my $m = _next_message($s);
		if (defined $m) {
			push(@out, [ time, $m ]);
			next;
		}
		last if time >= $deadline || !_fill($s, $deadline - time);
	}
	return @out;
}

sub ts_of { my $d = eval { $JSON->decode($_[0]) }; $d ? $d->{timestamp_ms} : undef }

# check_stream($s, $what): the first message at once, a sample taken
# before the subscriber came; then three more, one per sample.
sub check_stream {
	my ($s, $what, %o) = @_;
	my @m = messages($s, 4, 8);
	is(scalar(@m), 4, "$what: four messages in 8 s") or return;
	my @ts = map { ts_of($_->[1]) } @m;
	ok(!grep({ !defined } @ts), "$what: each one a JSON sample with " .
	    'timestamp_ms') or return;
	my $first_after = $m[0][0] - $s->{t0};
	ok($first_after < 0.5, sprintf('%s: the first at once (%.3f s after ' .
	    'the response head)', $what, $first_after));
	ok($ts[0] <= $s->{t0} * 1000, "$what: ... the current sample, taken " .
	    'before the subscriber came');
	my @gaps = map { $ts[$_] - $ts[$_ - 1] } 1 .. $#ts;
	ok(!grep({ $_ < 500 || $_ > 2000 } @gaps), "$what: then one per " .
	    "sample, increasing, about a second apart (@gaps ms)");
	my $d = $JSON->decode($m[-1][1]);
	ok(ref $d->{host} eq 'HASH' && ref $d->{pool} eq 'HASH' &&
	    ref $d->{checks} eq 'HASH' && $d->{live_push},
	    "$what: the /api/metrics document (host, pool, checks, live_push)");
	return @m;
}

# --- Live on -----------------------------------------------------------------

my $t = VitalsTest->new(live => 1, workers => 2,
    env => { VT_LIVE_MAX_SUBSCRIBERS => $CAP });
$t->start;

sub status_live {
	my $r = $t->fcgi_request($t->socket_path, uri => '/status');
	my $d = $r->{status} == 200 ? eval { $JSON->decode($r->{body}) } : undef;
	return $d ? $d->{live} : undef;
}

ok(wait_until(sub { my $l = status_live(); $l && $l->{up} }, timeout => 10),
    'the master publishes (/status: live.up)');
like($t->get('/')->{body}, qr/<html lang="en" data-live="on">/,
    'the page says data-live="on"');

{
	my $s = subscribe($t, scheme => 'https', kind => 'sse');
	is($s->{status}, 200, 'EventSource over HTTPS: 200');
	like($s->{headers}{'content-type'} // '', qr{^text/event-stream},
	    '... text/event-stream');
	like($s->{headers}{'content-security-policy'} // '',
	    qr/connect-src 'self'/, '... with the site\'s CSP');
	ok(!exists $s->{headers}{'access-control-allow-origin'},
	    '... and no CORS grant: same origin only');
	check_stream($s, 'EventSource over HTTPS');

	# Byte for byte the document /api/metrics serves for that sample
	# (from the pool's socket, not the micro-cache), but for the figure
	# /api/metrics adds per request, sample_age_ms: a subscriber has the
	# sample as it is taken and judges its age from timestamp_ms.
	my $same = 0;
	for (1 .. 3) {
		my ($m) = messages($s, 1, 3) or last;
		my $r = $t->fcgi_request($t->socket_path,
		    uri => '/api/metrics');
		next if (ts_of($r->{body}) // 0) != (ts_of($m->[1]) // -1);
		(my $doc = $r->{body}) =~ s/,"sample_age_ms":\d+\}\n\z/}/;
		$same = $doc eq $m->[1] ? 1 : -1;
		diag("message: " . substr($m->[1], -200) . "\n/api/metrics: " .
		    substr($r->{body}, -200)) if $same < 0;
		last;
	}
	is($same, 1, '... each message is exactly /api/metrics of its ' .
	    'sample, less sample_age_ms');
	close($s->{sock});
}

{
	my $s = subscribe($t, scheme => 'http', kind => 'sse');
	is($s->{status}, 200, 'EventSource over plain HTTP: 200, not a ' .
	    'redirect');
	check_stream($s, 'EventSource over HTTP');
	close($s->{sock});
}

{
	my $s = subscribe($t, scheme => 'https', kind => 'ws');
	is($s->{status}, 101, 'WebSocket over HTTPS: 101');
	is($s->{headers}{'sec-websocket-accept'} // '',
	    sha1_base64($s->{key} . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11') .
	    '=', '... with the right Sec-WebSocket-Accept');
	check_stream($s, 'WebSocket over HTTPS');
	close($s->{sock});
}

# The publisher, from outside.
for my $scheme (qw(https http)) {
	for my $host (undef, 'vitals-live-publisher') {
		my $r = $t->post('/pub', scheme => $scheme, body => '{"x":1}',
		    headers => [ 'Content-Type: application/json',
		    defined $host ? "Host: $host" : () ]);
		my $d = $r->{status} == 404 ? $t->json($r) : undef;
		ok($d && $d->{error}{status} == 404,
		    "POST /pub over \U$scheme\E" . ($host ? " (Host: $host)" :
		    '') . ": a JSON 404, routed nowhere (got $r->{status})");
	}
}
{
	my $dir = $t->live_socket =~ s{/[^/]+$}{}r;
	is(sprintf('%04o', (stat($dir))[2] & 07777), '0750',
	    'the publisher\'s socket is in a 0750 directory');
	ok(-S $t->live_socket, '... the socket is there');
}

# The cap: three open, the fourth refused; the three keep receiving.
{
	my @subs = map { subscribe($t, scheme => 'http') } 1 .. $CAP;
	is(scalar(grep { $_->{status} == 200 } @subs), $CAP,
	    "$CAP subscribers (the cap): 200 each");
	messages($_, 1, 3) for @subs;
	my $r = $t->get('/api/live', headers => [ 'Accept: text/event-stream' ],
	    timeout => 5);
	is($r->{status}, 503, 'the next one, over HTTPS: 503');
	like($r->{headers}{'content-type'} // '', qr{^application/json},
	    '... JSON');
	my $d = $t->json($r);
	is($d && $d->{error}{reason}, 'too_many_subscribers',
	    '... reason too_many_subscribers, in the error shape');
	my $w = subscribe($t, scheme => 'http', kind => 'ws');
	is($w->{status}, 503, 'a WebSocket past the cap: 503 too');
	close($w->{sock});
	my $t0 = time;
	my $got = 0;
	for my $s (@subs) {
		my @m = messages($s, 1, 3);
		$got++ if @m && ($m[0][0] >= $t0);
	}
	is($got, $CAP, 'those open keep receiving new samples');
	close($_->{sock}) for @subs;
	ok(wait_until(sub {
		my $n = subscribe($t, scheme => 'http');
		close($n->{sock});
		return $n->{status} == 200;
	}, timeout => 10, interval => 0.2), 'closed, their room is free again');
}

# nginx stopped while the pool runs.
{
	my $before = status_live();
	my %pids = map { $_->{pid} => 1 } @{ $JSON->decode($t->fcgi_request(
	    $t->socket_path, uri => '/status')->{body})->{slots} // [] };
	my $restarts = $JSON->decode($t->fcgi_request($t->socket_path,
	    uri => '/status')->{body})->{counters}{restarts};
	my $failed0 = () = $t->log_text('vitals.log') =~
	    /event=live_publish_failed/g;
	my $back0 = () = $t->log_text('vitals.log') =~
	    /event=live_publish_recovered/g;
	is($t->stack('stop', 'nginx'), 0, 'nginx stopped');
	sleep(3.5);
	my $r = $t->fcgi_request($t->socket_path, uri => '/api/metrics');
	my $age = time * 1000 - (ts_of($r->{body}) // 0);
	ok($age < 2000, sprintf('the samples stay fresh without nginx ' .
	    '(/api/metrics through the socket: %.0f ms old)', $age));
	my $l = status_live();
	ok($l && !$l->{up}, '/status: live.up false');
	my $failed = $l ? $l->{published}{connect_error} -
	    $before->{published}{connect_error} : 0;
	ok($failed >= 2, "... the failed publications counted ($failed " .
	    'connect_error in 3.5 s)');
	my $st = $JSON->decode($t->fcgi_request($t->socket_path,
	    uri => '/status')->{body});
	is_deeply({ map { $_->{pid} => 1 } @{ $st->{slots} } }, \%pids,
	    '... no worker affected: the same workers');
	is_deeply($st->{counters}{restarts}, $restarts, '... none restarted');
	my @failed = $t->log_text('vitals.log') =~ /event=live_publish_failed/g;
	is(scalar(@failed) - $failed0, 1, '... the outage logged once');

	# A subscriber that comes before the first publication after the
	# start (the channel is empty then) gets the next sample.
	is($t->stack('start', 'nginx'), 0, 'nginx started again');
	my $s = subscribe($t, scheme => 'https');
	my @m = messages($s, 1, 5);
	ok(@m && $m[0][0] - $s->{t0} <= 2, sprintf('a subscriber gets a ' .
	    'sample within two seconds (%.3f s)', @m ? $m[0][0] - $s->{t0} :
	    -1));
	ok(@m && ts_of($m[0][1]) >= $s->{t0} * 1000 - 1500,
	    '... a fresh one');
	my @more = messages($s, 2, 4);
	is(scalar(@more), 2, '... then the next ones');
	close($s->{sock});
	ok(wait_until(sub { my $x = status_live(); $x && $x->{up} }),
	    '/status: live.up again');
	my @back = $t->log_text('vitals.log') =~
	    /event=live_publish_recovered/g;
	is(scalar(@back) - $back0, 1, '... the recovery logged once');
}

{
	my $m = $t->get('/metrics');
	like($m->{body}, qr/^vitals_live_publish_total\{result="ok"\} [1-9]/m,
	    '/metrics: vitals_live_publish_total{result="ok"}');
	like($m->{body}, qr/^vitals_live_publish_total\{result="connect_error"\} [1-9]/m,
	    '... and the outage\'s connect_error');
	like($m->{body}, qr/^vitals_live_publish_duration_seconds_count [1-9]/m,
	    '... the duration histogram');
	like($m->{body}, qr/^vitals_live_up 1$/m, '... vitals_live_up 1');
}

$t->nginx_log_ok;
ok($t->stop, 'live on: nothing left running');

# --- Live off ----------------------------------------------------------------

my $off = VitalsTest->new(live => 0, workers => 2);
$off->start;
{
	my $r = $off->get('/api/live', headers => [ 'Accept: text/event-stream' ],
	    timeout => 5);
	is($r->{status}, 404, 'live off: /api/live is a 404');
	my $d = $r->{status} == 404 ? $off->json($r) : undef;
	ok($d && $d->{error}{status} == 404, '... in the JSON error shape');
	like($off->get('/')->{body}, qr/<html lang="en" data-live="off">/,
	    '... the page says data-live="off"');
	my $m = $off->get('/api/metrics');
	is($m->{status}, 200, '... /api/metrics answers');
	my $j = $off->json($m);
	ok($j && JSON::PP::is_bool($j->{live_push}) && !$j->{live_push},
	    '... with live_push false');
	my $st = $off->json($off->get('/status'));
	ok($st && $st->{live} && !$st->{live}{enabled},
	    '... /status: live not enabled');
	unlike($off->get('/metrics')->{body}, qr/^vitals_live_/m,
	    '... /metrics: no vitals_live_* family');
	ok(!-e $off->live_socket, '... no publisher socket');
	unlike($off->log_text('vitals.log'), qr/live_publish/,
	    '... and the master never tries to publish');
	is($off->get('/health/live')->{status}, 200, '... the rest as before');
}
$off->nginx_log_ok;
ok($off->stop, 'live off: nothing left running');

done_testing();

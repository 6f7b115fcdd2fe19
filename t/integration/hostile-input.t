#!/usr/bin/perl
# hostile-input.t: the hostile-input corpus (t/corpus/hostile/) sent through
# nginx, over TLS and over plain HTTP, and raw at the pool's Unix socket.
# Every answer is a correct one or a clear error in the JSON shape: no 500,
# 502, 503 or 504 (a 501 or 505 is the right answer to an unknown transfer
# coding or HTTP version), no connection left hanging, no worker crashed or
# replaced, no crash-loop back-off.  After the corpus a normal request is
# 200 in under a second.  It prints the inputs tried and the answers by
# status.
#
# The corpus files are text: http/*.req hold raw HTTP bytes, fcgi/*.fcgi a
# list of FastCGI records, one directive a line (see fcgi_bytes below).  In
# both, the escapes \r \n \t \0 \\ \xHH stand for bytes and \*{N}{TEXT}
# repeats TEXT N times; in a .req file the file's own line ends are not
# part of the request.  Lines starting with # are comments.
use strict;
use warnings;
use Test::More;
use IO::Select;
use IO::Socket::INET;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM SHUT_WR);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'socat');
$SIG{PIPE} = 'IGNORE';

my $src = $ENV{VT_SRCDIR} // '.';
my $corpus = "$src/t/corpus/hostile";
my @http = sort glob("$corpus/http/*.req");
my @fcgi = sort glob("$corpus/fcgi/*.fcgi");
cmp_ok(scalar(@http), '>=', 30, 'the HTTP corpus: ' . scalar(@http) .
    ' inputs');
cmp_ok(scalar(@fcgi), '>=', 30, 'the FastCGI corpus: ' . scalar(@fcgi) .
    ' inputs');

my $t = VitalsTest->new(workers => 2);
$t->start;

sub status { return $t->json($t->get('/status?full')) // {} }
sub pids { return join(' ', sort map { $_->{pid} } @{ $_[0]{slots} // [] }) }

my $s0 = status();
my $pids0 = pids($s0);
like($pids0, qr/^\d+ \d+$/, "two workers before the corpus: $pids0");

# --- Decoding the corpus ---------------------------------------------------

sub unescape {
	my ($s) = @_;
	$s =~ s/\\\*\{(\d+)\}\{((?:[^\\}]|\\.)*)\}/unescape($2) x $1/ge;
	my %c = (r => "\r", n => "\n", t => "\t", 0 => "\0", '\\' => '\\');
	$s =~ s/\\(x([0-9a-fA-F]{2})|[rnt0\\])/defined $2 ? chr(hex $2) :
	    $c{$1}/ge;
	return $s;
}

sub lines_of {
	my ($file) = @_;
	my $text = VitalsTest::slurp($file) // die "$file: $!";
	return grep { !/^#/ } split(/\n/, $text);
}

sub http_bytes { return join('', map { unescape($_) } lines_of($_[0])) }

sub record {
	my ($type, $id, $content, $declared, $pad) = @_;
	$declared //= length $content;
	$pad //= (8 - length($content) % 8) % 8;
	return pack('CCnnCC', 1, $type, $id, $declared, $pad, 0) . $content .
	    ("\0" x $pad);
}

sub pairlen {
	my ($n) = @_;
	return $n < 128 ? chr($n) : pack('N', $n | 0x80000000);
}

sub pairs {
	my (@kv) = @_;
	my $s = '';
	while (my ($k, $v) = splice(@kv, 0, 2)) {
		$s .= pairlen(length $k) . pairlen(length $v) . $k . $v;
	}
	return $s;
}

# A PARAMS stream split into records of at most 65535 bytes.
sub params_records {
	my ($stream) = @_;
	my $out = '';
	for (my $i = 0; $i < length $stream; $i += 65535) {
		$out .= record(4, 1, substr($stream, $i, 65535));
	}
	return $out;
}

# The directives of a .fcgi file:
#   begin [ROLE [ID]]          BEGIN_REQUEST (role 1, responder; id 1)
#   params-std URI             the parameters nginx sends for a GET of URI
#   params K=V ...             more parameters
#   params-many N              N parameters pN=1
#   params-big N               one parameter whose value is N bytes
#   params-end / stdin-end     the empty record that ends a stream
#   stdin TEXT                 a STDIN record
#   record TYPE ID LEN PAD C   any record; LEN - is C's length, whatever
#                              C really is
#   nvpair NLEN VLEN           a PARAMS record holding only two lengths
#   raw BYTES                  bytes as they are
sub fcgi_bytes {
	my ($file) = @_;
	my $out = '';
	for my $line (lines_of($file)) {
		my ($op, $rest) = split(/ /, $line, 2);
		$rest //= '';
		if ($op eq 'begin') {
			my ($role, $id) = split(/ /, $rest);
			$out .= record(1, $id // 1, pack('nCx5', $role || 1, 0));
		} elsif ($op eq 'params-std') {
			my $uri = unescape($rest);
			my ($path, $query) = split(/\?/, $uri, 2);
			$out .= params_records(pairs(REQUEST_METHOD => 'GET',
			    DOCUMENT_URI => $path, REQUEST_URI => $uri,
			    QUERY_STRING => $query // '', SERVER_PROTOCOL =>
			    'HTTP/1.1', GATEWAY_INTERFACE => 'CGI/1.1',
			    REMOTE_ADDR => '127.0.0.1', CONTENT_LENGTH => 0));
		} elsif ($op eq 'params') {
			$out .= params_records(pairs(map { split(/=/, $_, 2) }
			    map { unescape($_) } split(/ /, $rest)));
		} elsif ($op eq 'params-many') {
			$out .= params_records(pairs(map { ("p$_", 1) }
			    1 .. $rest));
		} elsif ($op eq 'params-big') {
			$out .= params_records(pairs(HTTP_X_BIG => 'b' x $rest));
		} elsif ($op eq 'params-end') {
			$out .= record(4, 1, '');
		} elsif ($op eq 'stdin-end') {
			$out .= record(5, 1, '');
		} elsif ($op eq 'stdin') {
			$out .= record(5, 1, unescape($rest));
		} elsif ($op eq 'record') {
			my ($type, $id, $len, $pad, $c) = split(/ /, $rest, 5);
			$c = unescape($c // '');
			$out .= record($type, $id, $c, $len eq '-' ? undef : $len,
			    $pad);
		} elsif ($op eq 'nvpair') {
			my ($n, $v) = split(/ /, $rest);
			$out .= record(4, 1, pack('NN', $n | 0x80000000,
			    $v | 0x80000000));
		} elsif ($op eq 'raw') {
			$out .= unescape($rest);
		} else {
			die "$file: unknown directive '$op'";
		}
	}
	return $out;
}

# --- Sending -------------------------------------------------------------------

# exchange(SOCK, BYTES, SECONDS): write the bytes, close the writing half,
# read until the peer closes; returns (reply, 1 if the peer closed in time).
sub exchange {
	my ($sock, $bytes, $secs) = @_;
	my $deadline = time + $secs;
	my $sel = IO::Select->new($sock);
	$sock->blocking(0);
	my ($reply, $off) = ('', 0);
	while ($off < length $bytes && time < $deadline) {
		my $n = syswrite($sock, $bytes, 65536, $off);
		if (defined $n) {
			$off += $n;
			next;
		}
		last if !$!{EAGAIN};
		# The peer may answer and close before it reads everything.
		if ($sel->can_read(0)) {
			my $r = sysread($sock, $reply, 65536, length $reply);
			last if defined $r && $r == 0;
		}
		$sel->can_write(0.05);
	}
	shutdown($sock, SHUT_WR);
	while (time < $deadline) {
		next if !$sel->can_read($deadline - time);
		my $n = sysread($sock, $reply, 65536, length $reply);
		return ($reply, 1) if defined $n && $n == 0 ||
		    !defined $n && !$!{EAGAIN};
	}
	return ($reply, 0);
}

# The HTTP responses in a byte stream: [ status, content-type, body ].
sub http_responses {
	my ($data) = @_;
	my @r;
	while ($data =~ s/\A(HTTP\/1\.[01]) (\d{3})[^\n]*\n((?:[^\r\n][^\n]*\n)*)\r?\n//) {
		my ($code, $head) = ($2, $3);
		my %h = map { /^([^:]+):\s*(.*?)\r?$/ ? (lc $1, $2) : () }
		    split(/\n/, $head);
		my $body = '';
		if (defined $h{'content-length'}) {
			$body = substr($data, 0, $h{'content-length'}, '');
		} elsif (($h{'transfer-encoding'} // '') =~ /chunked/) {
			while ($data =~ s/\A([0-9a-fA-F]+)[^\n]*\n//) {
				my $n = hex $1;
				$body .= substr($data, 0, $n, '');
				$data =~ s/\A\r?\n//;
				last if $n == 0;
			}
		} else {
			($body, $data) = ($data, '');
		}
		push(@r, [ $code, $h{'content-type'} // '', $body ]);
	}
	push(@r, [ '0.9', '', $data ]) if !@r && length $data;
	return @r;
}

my (%by_status, $tried, @bad);

# judge(WHERE, NAME, RESPONSES, CLOSED): one input's answers are right.
sub judge {
	my ($where, $name, $closed, @resp) = @_;
	$tried++;
	$by_status{"$where " . ($_->[0])}++ for @resp;
	$by_status{"$where closed without an answer"}++ if !@resp;
	push(@bad, "$where $name: still open after the deadline") if !$closed;
	for my $r (@resp) {
		my ($code, $type, $body) = @$r;
		next if $code eq '0.9' || $code < 400;
		if ($code =~ /^50[0234]$/) {
			push(@bad, "$where $name: $code");
		} elsif ($type !~ m{^application/json} ||
		    $body !~ /^\s*\{.*"error"/s) {
			push(@bad, "$where $name: $code is not a JSON error "
			    . "($type: " . substr($body, 0, 60) . ')');
		}
	}
}

# Through nginx, plain HTTP (the redirector) and TLS (the site, through
# socat, which speaks TLS for this test).
for my $file (@http) {
	my ($name) = $file =~ m{([^/]+)\.req$};
	my $bytes = http_bytes($file);

	my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $t->http_port, Proto => 'tcp', Timeout => 3)
	    or die "connect: $!";
	my ($reply, $closed) = exchange($sock, $bytes, 12);
	close($sock);
	judge('http', $name, $closed, http_responses($reply));

	my $in = $t->dir . '/hostile.in';
	open(my $fh, '>', $in) or die "$in: $!";
	binmode($fh);
	print $fh $bytes;
	close($fh);
	my $t0 = time;
	my ($out) = VitalsTest::_run_capture([ 'sh', '-c', 'exec socat -t 12 '
	    . '-T 12 - OPENSSL:127.0.0.1:' . $t->https_port
	    . ',verify=0,snihost=localhost <"$0"', $in ], 15);
	judge('https', $name, time - $t0 < 13, http_responses($out));
}

# Raw at the pool's socket.
for my $file (@fcgi) {
	my ($name) = $file =~ m{([^/]+)\.fcgi$};
	my $sock = IO::Socket::UNIX->new(Peer => $t->socket_path,
	    Type => SOCK_STREAM) or die "connect: $!";
	my ($reply, $closed) = exchange($sock, fcgi_bytes($file), 5);
	close($sock);
	my ($stdout, $ended) = ('', 0);
	while (length($reply) >= 8) {
		my ($v, $type, $id, $len, $pad) = unpack('CCnnC', $reply);
		last if length($reply) < 8 + $len + $pad;
		my $c = substr($reply, 8, $len);
		substr($reply, 0, 8 + $len + $pad) = '';
		$stdout .= $c if $type == 6;
		$ended = 1 if $type == 3 || $type == 11;
	}
	my @resp;
	if (length $stdout) {
		my ($head, $body) = split(/\r?\n\r?\n/, $stdout, 2);
		my ($code) = ($head =~ /^Status:\s*(\d{3})/mi);
		my ($type) = ($head =~ /^Content-Type:\s*(\S+)/mi);
		push(@resp, [ $code // 200, $type // '', $body // '' ]);
	} elsif ($ended) {
		push(@resp, [ 'end-request' ]);
	}
	judge('fcgi', $name, $closed, @resp);
	if ($name eq 'control') {
		is($resp[0][0], 200, 'the control request at the socket: 200');
	}
}

ok(!@bad, "every answer right or a JSON error, none left hanging "
    . "($tried exchanges)") or diag(join("\n", @bad));

my $s1 = status();
is(pids($s1), $pids0, 'the same two workers after the corpus: no crash, '
    . 'no replacement');
is_deeply($s1->{counters}{restarts}, $s0->{counters}{restarts},
    'restarts by cause unchanged');
is($s1->{counters}{crash_backoffs} // 0, $s0->{counters}{crash_backoffs}
    // 0, 'no crash-loop back-off');

my $t0 = time;
my $r = $t->get('/api/metrics');
my $took = time - $t0;
is($r->{status}, 200, 'after the corpus, /api/metrics through nginx: 200');
cmp_ok($took, '<', 1, sprintf('in under a second: %.3f s', $took));
$t0 = time;
$r = $t->fcgi_request($t->socket_path, uri => '/health/live', timeout => 3);
is($r->{status}, 200, sprintf('and at the socket: 200 in %.3f s',
    time - $t0));
like($t->log_text('vitals.log'), qr/event=bad_request/,
    'the refused inputs are logged as bad requests');
unlike($t->log_text('vitals.log'), qr/(?:AddressSanitizer|runtime error|
    Assertion|signal 6|signal 11)/x, 'no crash, assertion or sanitizer '
    . 'report in the pool\'s log');
$t->nginx_log_ok;

my $answers = join(', ', map { "$_: $by_status{$_}" } sort keys %by_status);
note(sprintf('figure: %d inputs (%d HTTP over plain and TLS, %d FastCGI), '
    . '%d exchanges; answers %s; afterwards 200 in %.3f s', @http + @fcgi,
    scalar(@http), scalar(@fcgi), $tried, $answers, $took));
diag("hostile corpus: $tried exchanges; $answers") if $ENV{VT_FIGURES};
done_testing();

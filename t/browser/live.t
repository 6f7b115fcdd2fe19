#!/usr/bin/perl
# live.t: the page's transports (issue 13) in headless Chromium, against
# the real stack:
#   - live push on (nginx's Nchan module, the master publishing): the page
#     subscribes to /api/live, says "live push", shows a new sample every
#     second with none skipped, and does not poll;
#   - live push on, but /api/live failing: the page is served through a
#     front server of this test (an nginx server in the same nginx that
#     proxies the site) whose /api/live answers the cap's 503, as a full
#     nginx would, or is a stream that never brings a sample (an Nchan
#     channel nobody publishes to: a publisher that never publishes, a
#     proxy that buffers): the page says "polling" and keeps updating;
#   - live push off (VT_LIVE=0): data-live="off", polling, /api/live
#     never asked for;
# each with no console error, no CSP violation and no failed request.
#
# The browser part is t/browser/live.js (playwright-core, from `npm ci`,
# driving Debian's chromium); it prints one JSON result a line.  Skips when
# VT_NO_INTEGRATION is set, or chromium, node, node_modules or nginx's
# Nchan module is missing.  Screenshots go to VT_SCREENSHOT_DIR when set.
use strict;
use warnings;
use File::Path qw(make_path);
use File::Spec;
use FindBin;
use JSON::PP ();
use Test::More;
use VitalsBrowser;
use VitalsTest;

my $src = $ENV{VT_SRCDIR} // File::Spec->rel2abs("$FindBin::Bin/../..");
my $chromium = $ENV{VT_CHROMIUM} // '/usr/bin/chromium';

VitalsBrowser::require_browser($src, $chromium, 'spawn-fcgi');
VitalsTest::require_live();

# drive(T, URL, EXPECT, SHOWN): live.js on URL; its checks as TAP; the
# samples it showed (push) written to SHOWN.
sub drive {
	my ($t, $url, $expect, $shown) = @_;
	my $out = $ENV{VT_SCREENSHOT_DIR} // $t->dir . '/browser';
	make_path($out);
	my $log = "$out/driver-$expect.log";
	unlink($log);
	my $pid = $t->spawn(['node', "$src/t/browser/live.js"],
	    log => $log, env => {
		VT_URL      => $url,
		VT_EXPECT   => $expect,
		VT_OUT      => $out,
		VT_CHROMIUM => $chromium,
		VT_SHOWN    => $shown // '',
	    });
	my $status = $t->reap($pid, timeout => 120);
	ok(defined $status && $status == 0,
	    "$expect: the browser driver ran to the end")
	    or diag('exit status: ' . ($status // 'killed after 120 s'));
	my $n = VitalsBrowser::results($log);
	cmp_ok($n, '>=', 10, "$expect: the browser made its checks ($n)");
}

# --- Live push on --------------------------------------------------------------

# The front servers: the site through a proxy, with an /api/live that
# fails: refused with the JSON of the subscriber cap
# (vitals-live-routes.conf), or silent.  Their ports and the site's are
# known before nginx starts.
my %env;
my $t = VitalsTest->new(live => 1, env => \%env);
my %live = (
	refused => "        default_type application/json;\n" .
	    "        return 503 '{\"error\":{\"status\":503,\"message\":" .
	    "\"too many subscribers\",\"reason\":\"too_many_subscribers\"}}\\n';\n",
	silent => "        nchan_subscriber eventsource;\n" .
	    "        nchan_channel_id vitals-test-silent;\n",
);
my $conf = $t->dir . '/front.conf';
my %front;
# new() keeps the hash: ./stack sees this at start.
$env{VT_NGINX_INCLUDE} = $conf;

# write_front(): the front servers, on ports of their own, for the site's
# current HTTPS port.
sub write_front {
	my %taken = ($t->https_port => 1, $t->http_port => 1);
	for my $case (sort keys %live) {
		my $p;
		do { $p = VitalsTest::free_port() } while ($taken{$p}++);
		$front{$case} = $p;
	}
	my ($dir, $https) = ($t->dir, $t->https_port);
	open(my $fh, '>', $conf) or die "$conf: $!";
	for my $case (sort keys %live) {
		print $fh <<"EOF";
server {
    listen 127.0.0.1:$front{$case} ssl;
    server_name front-$case;
    access_log off;
    ssl_certificate $dir/tls/cert.pem;
    ssl_certificate_key $dir/tls/key.pem;
    location = /api/live {
$live{$case}    }
    location / {
        proxy_pass https://127.0.0.1:$https;
        proxy_set_header Host localhost;
        proxy_ssl_verify off;
    }
}
EOF
	}
	close($fh);
}

write_front();
my $written = $t->https_port;
$t->start;
# start() takes other ports when one was taken meanwhile (its own, or
# a front server's): then the front servers follow, and nginx reloads.
for (my $try = 0; $t->https_port != $written && $try < 3; $try++) {
	write_front();
	$written = $t->https_port;
	$t->stack('start', 'nginx') == 0 or BAIL_OUT('nginx did not reload');
}
SKIP: {
	skip('nginx kept taking other ports than the front servers', 1)
	    if $t->https_port != $written;

	ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
	    timeout => 15, interval => 0.2), 'the pool has a sample');
	like($t->get('/')->{body}, qr/<html[^>]* data-live="on"/,
	    'live on: the page says data-live="on"');
	# nginx may come up long after the pool on a loaded machine: the
	# master publishes from then on.
	ok(wait_until(sub {
		my $j = eval { $t->json($t->get('/status')) } // {};
		((($j->{live} // {})->{published} // {})->{ok} // 0) >= 2;
	    }, timeout => 30, interval => 0.5), 'the master publishes');
	my $r = $t->request('GET', '/api/live', timeout => 3,
	    headers => ['Accept: text/event-stream']);
	like($r->{body}, qr/^data: \{"timestamp_ms":\d+/m,
	    'a subscriber of /api/live gets a sample at once');

	# A subscriber of our own beside the page: every sample pushed while
	# the page watched must be one it showed.
	my $stream = $t->dir . '/stream.txt';
	my $shown = $t->dir . '/shown.json';
	my $curl = $t->spawn(['curl', '-sk', '-N', '--max-time', '150',
	    '-H', 'Accept: text/event-stream', '-o', $stream,
	    $t->url('/api/live')]);
	drive($t, $t->url('/'), 'push', $shown);
	$t->reap($curl, signal => 'TERM', timeout => 5);
	my @pushed = map { /^data: \{"timestamp_ms":(\d+)/ ? $1 : () }
	    split(/\n/, VitalsTest::slurp($stream) // '');
	my $list = eval { JSON::PP::decode_json(VitalsTest::slurp($shown) //
	    '') };
	my @seen = ref($list) eq 'ARRAY' ? @$list : ();
	my %seen = map { $_ => 1 } @seen;
	my @missed = @seen ? grep { $_ > $seen[0] && $_ < $seen[-1] &&
	    !$seen{$_} } @pushed : ();
	ok(@seen >= 2 && !@missed, 'push: the page showed every sample ' .
	    'pushed while it was watched (' . scalar(@seen) . ' shown, ' .
	    scalar(grep { $_ >= ($seen[0] // 0) && $_ <= ($seen[-1] // 0) }
	    @pushed) . ' pushed)') or diag("missed: @missed; shown: @seen");
	drive($t, "https://127.0.0.1:$front{$_}/", $_) for qw(refused silent);
}
# A port taken between its choice and nginx's bind is retried above,
# not what this test is about.
my $port_race = qr/Address already in use|still could not bind/;
$t->nginx_log_ok(undef, allow => $port_race);
ok($t->stop, './stack down leaves no process');

# --- Live push off -------------------------------------------------------------

my $off = VitalsTest->new(live => 0);
$off->start;
ok(wait_until(sub { $off->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'off: the pool has a sample');
my $r = $off->get('/api/live');
is($r->{status}, 404, 'off: /api/live is 404');
like($r->{body}, qr/^\{"error":\{"status":404/, '... in the JSON error shape');
drive($off, $off->url('/'), 'off');
$off->nginx_log_ok(undef, allow => $port_race);
ok($off->stop, './stack down leaves no process');

done_testing();

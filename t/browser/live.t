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
use Test::More;
use VitalsBrowser;
use VitalsTest;

my $src = $ENV{VT_SRCDIR} // File::Spec->rel2abs("$FindBin::Bin/../..");
my $chromium = $ENV{VT_CHROMIUM} // '/usr/bin/chromium';
my $nchan = '/usr/lib/nginx/modules/ngx_nchan_module.so';

VitalsBrowser::require_browser($src, $chromium);
plan(skip_all => "no Nchan module ($nchan: apt-get install " .
    'libnginx-mod-nchan)') if !-f $nchan;
VitalsTest::require_stack('spawn-fcgi');

# drive(T, URL, EXPECT): live.js on URL; its checks as TAP.
sub drive {
	my ($t, $url, $expect) = @_;
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
my %env = (VT_LIVE => 1);
my $t = VitalsTest->new(env => \%env);
my %front = (refused => VitalsTest::free_port());
do {
	$front{silent} = VitalsTest::free_port();
} while ($front{silent} == $front{refused});
my %live = (
	refused => "        default_type application/json;\n" .
	    "        return 503 '{\"error\":{\"status\":503,\"message\":" .
	    "\"too many subscribers\",\"reason\":\"too_many_subscribers\"}}\\n';\n",
	silent => "        nchan_subscriber eventsource;\n" .
	    "        nchan_channel_id vitals-test-silent;\n",
);
my $conf = $t->dir . '/front.conf';
my $dir = $t->dir;
my $https = $t->https_port;
open(my $fh, '>', $conf) or die "$conf: $!";
for my $case (sort keys %front) {
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
# new() keeps the hash: ./stack sees this at start.
$env{VT_NGINX_INCLUDE} = $conf;
$t->start;
SKIP: {
	skip('nginx got other ports than the front server was written for', 1)
	    if $t->https_port != $https;

	ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
	    timeout => 15, interval => 0.2), 'the pool has a sample');
	like($t->get('/')->{body}, qr/<html[^>]* data-live="on"/,
	    'live on: the page says data-live="on"');
	my $r = $t->request('GET', '/api/live', timeout => 3,
	    headers => ['Accept: text/event-stream']);
	like($r->{body}, qr/^data: \{"timestamp_ms":\d+/m,
	    'a subscriber of /api/live gets a sample at once');

	drive($t, $t->url('/'), 'push');
	drive($t, "https://127.0.0.1:$front{$_}/", $_) for qw(refused silent);
}
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');

# --- Live push off -------------------------------------------------------------

my $off = VitalsTest->new(env => { VT_LIVE => 0 });
$off->start;
ok(wait_until(sub { $off->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'off: the pool has a sample');
my $r = $off->get('/api/live');
is($r->{status}, 404, 'off: /api/live is 404');
like($r->{body}, qr/^\{"error":\{"status":404/, '... in the JSON error shape');
drive($off, $off->url('/'), 'off');
$off->nginx_log_ok;
ok($off->stop, './stack down leaves no process');

done_testing();

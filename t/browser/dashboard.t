#!/usr/bin/perl
# dashboard.t: the dashboard page (GET /) against the real stack, first
# as HTTP (status, headers, the escaped first paint, HEAD, size), then in
# headless Chromium as a person sees it: the host name, live figures,
# six charts with a size, the range selector (a range without history
# explains itself), a phone's width, the dark scheme, the page without
# JavaScript, the verdict banner (first in the page; critical then
# healthy for the documents of t/fixtures/html/ served in place of
# /api/metrics, a hostile summary kept as text, the sampler judged stale
# in the page), the header leaving Live when the sample grows old (an
# answer repeated from a cache, then the pool SIGSTOPped by the driver),
# and no console error or CSP violation on the way.
#
# The browser part is t/browser/dashboard.js (playwright-core, from
# `npm ci`, driving Debian's chromium); it prints one JSON result a line.
# Skips when VT_NO_INTEGRATION is set, or chromium, node or node_modules
# is missing.  Screenshots go to VT_SCREENSHOT_DIR when set (kept), else
# to the test's temporary folder (kept with VT_KEEP=1).
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

VitalsBrowser::require_browser($src, $chromium, 'spawn-fcgi');

my $hostname = `hostname 2>/dev/null` // '';
chomp($hostname);
BAIL_OUT('cannot tell the host name') if $hostname eq '';

# Only the fixtures the driver serves decide the verdict, not this host.
my $t = VitalsTest->new(app_args => [ VitalsBrowser::quiet_checks() ]);
$t->start;

# --- HTTP ------------------------------------------------------------------

# The first sample comes within a second or two of the pool's start.
ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'the pool has a sample');

my $r = $t->get('/');
is($r->{status}, 200, 'GET / is 200');
is($r->{headers}{'content-type'}, 'text/html; charset=utf-8',
    'text/html in UTF-8');
is($r->{headers}{'cache-control'}, 'no-store', 'never cached: it is live');
like($r->{headers}{'content-security-policy'} // '',
    qr/script-src 'self'/, 'the CSP comes with it');
my $body = $r->{body};
like($body, qr/^<!DOCTYPE html>/, 'an HTML document');
my $esc = $hostname;
$esc =~ s/&/&amp;/g;
$esc =~ s/</&lt;/g;
$esc =~ s/>/&gt;/g;
$esc =~ s/"/&quot;/g;
$esc =~ s/'/&#39;/g;
my $h1 = '<h1 id="hostname"><span data-k="host.hostname" data-f="str">' .
    "$esc</span></h1>";
ok(index($body, $h1) >= 0, 'the host name is the heading, server-side')
    or diag("no $h1");
like($body, qr{<body>\n<div\x20id="verdict"\x20class="verdict"\x20
    data-state="(?:ok|warning|critical|unknown)">}x,
    'the verdict banner comes first, server-side');
my @scripts = $body =~ /<script\b([^>]*)>/g;
is(scalar(grep { !m{^ src="/static/[^"]+" defer$} } @scripts), 0,
    'every script is a file under /static/')
    or diag(join("\n", @scripts));
unlike($body, qr/<style|\sstyle=|\son[a-z]+=/i,
    'no inline style, no event handler attribute');
like($body, qr{<link rel="stylesheet" href="/static/vendor/uPlot\.min\.css">},
    'uPlot is vendored under /static/vendor/');
cmp_ok(length($body), '<', 512 * 1024, 'the page is small (' .
    length($body) . ' bytes)');
for my $f ('/static/dashboard.js', '/static/dashboard.css',
    '/static/vendor/uPlot.iife.min.js', '/static/vendor/uPlot.min.css',
    '/static/favicon.svg') {
	is($t->get($f)->{status}, 200, "$f is served");
}

$r = $t->head('/');
is($r->{status}, 200, 'HEAD / is 200');

$r = $t->request('POST', '/', body => 'x');
is($r->{status}, 405, 'POST / is 405');
like($r->{headers}{allow} // '', qr/GET/, '... with Allow');

# --- The browser -------------------------------------------------------------

my $out = $ENV{VT_SCREENSHOT_DIR} // $t->dir . '/browser';
make_path($out);
my $log = "$out/driver.log";
unlink($log);
my $pid = $t->spawn(['node', "$src/t/browser/dashboard.js"],
    log => $log, env => {
	VT_URL      => $t->url('/'),
	VT_HOSTNAME => $hostname,
	VT_OUT      => $out,
	VT_CHROMIUM => $chromium,
	# The driver stops and resumes the pool (SIGSTOP, SIGCONT).
	VT_POOL_PIDS => join(' ', $t->session_pids('vitals')),
    });
my $status = $t->reap($pid, timeout => 180);
# Resumed whatever became of the driver.
kill('CONT', $t->session_pids('vitals'));
ok(defined $status && $status == 0, 'the browser driver ran to the end')
    or diag('exit status: ' . ($status // 'killed after 180 s'));

my $n = VitalsBrowser::results($log);
cmp_ok($n, '>=', 30, "the browser made its checks ($n)");
diag("screenshots in $out") if $ENV{VT_SCREENSHOT_DIR} || $ENV{VT_KEEP};

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

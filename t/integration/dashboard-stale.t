#!/usr/bin/perl
# dashboard-stale.t: the first paint (GET /, as a browser without
# JavaScript gets it) judges the sampler from the sample's age at each
# request, not from the master's document, whose own sampler check says
# ok even when the master has stopped.  The master is stopped (SIGSTOP):
# the workers still serve the last sample; past 5 s the page's sampler
# check and its banner are warning, with the age in the summary; past
# 30 s critical.  Resumed: the page says the sampler is ok again.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2);
$t->start;

# The sampler's row of the checks list and its item in the banner.
sub sampler_row {
	my ($body) = @_;
	my $re = '(<tr class="check" data-check="sampler" '
	    . 'data-state="(\w+)">.*?</tr>)';
	return $body =~ m{$re}s ? ($2, $1) : ('', '');
}
sub banner {
	my ($body) = @_;
	my ($b) = $body =~ m{(<div id="verdict".*?</div>)}s;
	return $b // '';
}

ok(wait_until(sub { (sampler_row($t->get('/')->{body} // ''))[0] eq 'ok' },
    timeout => 15, interval => 0.2), 'the sampler check is ok on a fresh '
    . 'page');

my $master = $t->pid('vitals');
ok(kill('STOP', $master), "the master ($master) stopped: no more samples");
my $t0 = time;
sleep(6);
my $r = $t->get('/');
is($r->{status}, 200, 'the workers still serve the page');
my ($st, $row) = sampler_row($r->{body} // '');
is($st, 'warning', sprintf('the sampler check is warning %.1f s after the '
    . 'stop', time - $t0)) or diag($row);
like($row, qr/The last sample is [0-9.]+ s old/, 'its summary says how old');
my $b = banner($r->{body} // '');
like($b, qr/^<div id="verdict" class="verdict" data-state="(warning|critical)"/,
    'the banner is not healthy');
like($b, qr{<li\ class="problem"\ data-check="sampler"\ data-state="warning">
    .*The\ last\ sample\ is\ [0-9.]+\ s\ old</a></li>}sx,
    'the banner lists the sampler with its age');
like($b, qr{<span id="verdict-names">[^<]*Sampler}, 'and names it');

# Past 30 s: critical.
sleep(1) while time - $t0 < 31;
$r = $t->get('/');
($st, $row) = sampler_row($r->{body} // '');
is($st, 'critical', sprintf('critical %.1f s after the stop', time - $t0))
    or diag($row);
$b = banner($r->{body} // '');
like($b, qr/^<div id="verdict" class="verdict" data-state="critical"/,
    'the banner is critical');
like($b, qr{<li class="problem" data-check="sampler" data-state="critical">},
    'with the sampler in it');

ok(kill('CONT', $master), 'the master resumed');
ok(wait_until(sub { (sampler_row($t->get('/')->{body} // ''))[0] eq 'ok' },
    timeout => 15, interval => 0.2), 'the sampler check is ok again');
unlike(banner($t->get('/')->{body} // ''),
    qr/data-check="sampler"/, 'and the banner no longer lists it');

$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

# VitalsBrowser.pm: a browser driver's output as TAP, for the t/browser
# tests.  A driver (t/browser/driver.js) writes one JSON object a line,
# {"ok":…,"name":…,"diag":…}; anything else is Node's own words (a stack
# trace, a deprecation) and goes to diag.
#
#   my $n = VitalsBrowser::results($log, each => sub { my ($res) = @_; });
#
# runs one ok() a line, calls each (optional) after it, and returns how
# many lines there were.
#
#   VitalsBrowser::require_browser($src, $chromium);
#
# skips the whole test (plan skip_all) when it cannot drive a browser:
# VT_NO_INTEGRATION set, no chromium, no node, no node_modules (npm ci).
package VitalsBrowser;

use strict;
use warnings;
use JSON::PP qw(decode_json);
use Test::More ();
use VitalsTest ();

sub require_browser {
	my ($src, $chromium) = @_;
	my $why = $ENV{VT_NO_INTEGRATION} ? 'VT_NO_INTEGRATION is set' :
	    !-x $chromium ? "no chromium at $chromium (apt-get install chromium)" :
	    !defined VitalsTest::find_program('node') ? 'node is not installed' :
	    !-f "$src/node_modules/playwright-core/package.json" ?
	    'no node_modules/playwright-core (run npm ci)' : undef;
	Test::More::plan(skip_all => $why) if defined $why;
}

sub results {
	my ($log, %o) = @_;
	my $n = 0;

	open(my $fh, '<', $log) or die "$log: $!";
	while (my $line = <$fh>) {
		chomp($line);
		my $res = $line =~ /^\{/ ? eval { decode_json($line) } : undef;
		if (!defined $res) {
			Test::More::diag("driver: $line") if $line ne '';
			next;
		}
		$n++;
		Test::More::ok($res->{ok}, "browser: $res->{name}") or
		    Test::More::diag($res->{diag} // '');
		$o{each}->($res) if $o{each};
	}
	close($fh);
	return $n;
}

1;

# VitalsBrowser.pm: a browser driver's output as TAP, for the t/browser
# tests.  A driver (t/browser/driver.js) writes one JSON object a line,
# {"ok":…,"name":…,"diag":…}; anything else is Node's own words (a stack
# trace, a deprecation) and goes to diag.
#
#   my $n = VitalsBrowser::results($log, each => sub { my ($res) = @_; });
#
# runs one ok() a line, calls each (optional) after it, and returns how
# many lines there were.  Also what the browser tests share: the skips
# (require_browser), the thresholds that keep the host's own checks quiet
# (quiet_checks), and the answer to a driver's hand-over request (answer).
package VitalsBrowser;

use strict;
use warnings;
use JSON::PP qw(decode_json);
use Test::More ();
use VitalsTest;

# require_browser(SRC, CHROMIUM, PROGRAMS...): skip the whole test (not
# fail) when it cannot run here: VT_NO_INTEGRATION, no Chromium, no node,
# no playwright-core under SRC (npm ci), or what require_stack needs.
sub require_browser {
	my ($src, $chromium, @programs) = @_;
	Test::More::plan(skip_all => 'VT_NO_INTEGRATION is set')
	    if $ENV{VT_NO_INTEGRATION};
	Test::More::plan(skip_all => "no chromium at $chromium (apt-get "
	    . 'install chromium)') if !-x $chromium;
	Test::More::plan(skip_all => 'node is not installed')
	    if !defined VitalsTest::find_program('node');
	Test::More::plan(skip_all => 'no node_modules/playwright-core (run '
	    . 'npm ci)') if !-f "$src/node_modules/playwright-core/package.json";
	VitalsTest::require_stack(@programs);
}

# quiet_checks(): the pool's options that give the checks judging the
# whole host (CPU, memory, filesystems, every listener, CLOSE_WAIT, listen
# overflows) thresholds they cannot reach here, so that the other tests
# of a parallel `make check` cannot make the page unhealthy: only what the
# test does decides.
sub quiet_checks {
	return ('--check-cpu-warning', '100', '--check-cpu-critical', '100',
	    '--check-cpu-load-warning', '1000000',
	    '--check-cpu-load-critical', '1000000',
	    '--check-cpu-iowait-warning', '100',
	    '--check-memory-warning', '0', '--check-memory-critical', '0',
	    '--check-filesystem-warning', '100',
	    '--check-filesystem-critical', '100',
	    '--check-listeners-warning', '1000',
	    '--check-listeners-critical', '1000',
	    '--check-listen-overflows-warning', '1e9',
	    '--check-listen-overflows-critical', '1e9',
	    '--check-close-wait-warning', '1e12',
	    '--check-close-wait-critical', '1e12',
	    '--check-close-wait-growth-min', '1e12');
}

# answer(FILE, MS): the driver's hand-over file, written whole: the time
# (ms) when what it asked for was done.
sub answer {
	my ($file, $ms) = @_;
	open(my $fh, '>', "$file.tmp") or die "$file: $!";
	printf $fh "%.0f\n", $ms;
	close($fh);
	rename("$file.tmp", $file) or die "$file: $!";
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

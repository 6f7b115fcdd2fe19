# VitalsBrowser.pm: a browser driver's output as TAP, for the t/browser
# tests.  A driver (t/browser/driver.js) writes one JSON object a line,
# {"ok":…,"name":…,"diag":…}; anything else is Node's own words (a stack
# trace, a deprecation) and goes to diag.
#
#   my $n = VitalsBrowser::results($log, each => sub { my ($res) = @_; });
#
# runs one ok() a line, calls each (optional) after it, and returns how
# many lines there were.
package VitalsBrowser;

use strict;
use warnings;
use JSON::PP qw(decode_json);
use Test::More ();

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

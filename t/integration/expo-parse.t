#!/usr/bin/perl
# expo-parse.t: t/lib/VitalsExpo.pm, the strict parser of the text format
# that node-exporter-parity.t compares with, is strict: it takes Vitals'
# golden expositions (t/expected/*.prom) and a document with every part of
# the format, and refuses each malformed line Prometheus refuses, saying
# which line and why.  No stack: it runs everywhere.
use strict;
use warnings;
use Test::More;
use VitalsExpo;
use VitalsTest ();

my $src = $ENV{VT_SRCDIR} // '.';

# --- what it takes -----------------------------------------------------------
my @golden = glob("$src/t/expected/*.prom");
ok(@golden >= 1, scalar(@golden) . ' golden expositions');
for my $f (@golden) {
	my $text = VitalsTest::slurp($f) // die "$f: $!";
	my $e = eval { VitalsExpo::parse($text) };
	ok($e && @{ $e->{order} } > 10, "t/expected/" . (split(m{/}, $f))[-1] . " parses ("
	    . scalar(@{ $e ? $e->{order} : [] }) . ' families)') or diag($@);
}

my $doc = <<'EOF';
# HELP a_total Help with a \\ backslash and a \n newline.
# TYPE a_total counter
a_total{x="q\"uote",y="back\\slash\nline",} 1e3 1700000000000
a_total{x="two"} +Inf
# A comment.
# TYPE h histogram
h_bucket{le="0.1"} 1
h_bucket{le="+Inf"} 2
h_sum 0.3
h_count 2
# TYPE s summary
s{quantile="0.5"} NaN
s_sum 1
s_count 1
plain -2.5
EOF
my $e = eval { VitalsExpo::parse($doc) };
ok($e, 'a document with every part parses') or diag($@);
is_deeply($e->{order}, [qw(a_total h s plain)], 'four families, in order');
my $a = $e->{families}{a_total};
is($a->{type}, 'counter', 'TYPE');
is($a->{help}, "Help with a \\ backslash and a \n newline.", 'HELP unescaped');
is($a->{samples}[0]{labels}{x}, 'q"uote', 'label value: \"');
is($a->{samples}[0]{labels}{y}, "back\\slash\nline", 'label value: \\\\ and \n');
is($a->{samples}[0]{value}, 1000, 'value 1e3');
is($a->{samples}[0]{timestamp}, 1700000000000, 'timestamp');
is($a->{samples}[1]{value}, 9**9**9, 'value +Inf');
is_deeply(VitalsExpo::label_names($a), [qw(x y)], 'label names');
is(scalar(@{ $e->{families}{h}{samples} }), 4,
    'the histogram holds its _bucket, _sum and _count');
is_deeply(VitalsExpo::label_names($e->{families}{h}), [],
    'le is not one of its label names');
is($e->{families}{s}{samples}[0]{value}, 'NaN', 'NaN');
is($e->{families}{plain}{type}, 'untyped', 'no TYPE: untyped');
is(VitalsExpo::value($e, 'plain'), -2.5, 'value()');

# --- what it refuses ----------------------------------------------------------
my @bad = (
	[ "a 1", qr/^line 1: no newline at the end/ ],
	[ "a{b=\"\\x\"} 1\n", qr/^line 1: bad escape \\x/ ],
	[ "# HELP a x\\y\n", qr/^line 1: bad escape \\y/ ],
	[ "# HELP a x\\\n", qr/^line 1: a lone backslash/ ],
	[ "# TYPE a counter\n# TYPE a counter\n", qr/^line 2: second TYPE/ ],
	[ "# HELP a x\n# HELP a y\n", qr/^line 2: second HELP/ ],
	[ "a 1\n# TYPE a gauge\n", qr/^line 2: TYPE after samples/ ],
	[ "# TYPE a counters\n", qr/^line 1: unknown type/ ],
	[ "a 1\nb 1\na 2\n", qr/^line 3: family a seen again/ ],
	[ "a{b=\"1\"} 1\na{b=\"1\"} 2\n", qr/^line 2: series twice/ ],
	[ "a{b=\"1\",b=\"2\"} 1\n", qr/^line 1: label b twice/ ],
	[ "a{b=\"1\" c=\"2\"} 1\n", qr/^line 1: no comma/ ],
	[ "a{1b=\"1\"} 1\n", qr/^line 1: bad label/ ],
	[ "a{b=\"1} 1\n", qr/^line 1: bad label/ ],
	[ "1a 1\n", qr/^line 1: no metric name/ ],
	[ "a one\n", qr/^line 1: bad value/ ],
	[ "a 1 1.5\n", qr/^line 1: bad value or timestamp/ ],
	[ "a\n", qr/^line 1: bad value/ ],
	[ "# TYPE h histogram\nh 1\n", qr/^line 2: a histogram needs/ ],
	[ "# TYPE h histogram\nh_bucket 1\n", qr/^line 2: a bucket without le/ ],
	[ "# TYPE s summary\ns 1\n", qr/^line 2: a summary sample needs/ ],
	[ "# TYPE s summary\ns_bucket{le=\"1\"} 1\n",
	    qr/^line 2: a summary has no buckets/ ],
);
for my $b (@bad) {
	my ($text, $why) = @$b;
	(my $shown = $text) =~ s/\n/\\n/g;
	eval { VitalsExpo::parse($text) };
	like($@, $why, "refused: $shown");
}

done_testing();

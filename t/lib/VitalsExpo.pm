package VitalsExpo;

# VitalsExpo: a strict parser of Prometheus' text exposition format 0.0.4,
# for tests that compare what two exporters say family by family (HELP,
# TYPE, label names, values).
#
#   my $e = VitalsExpo::parse($body);     # dies "line N: why" when invalid
#   my $f = $e->{families}{node_load1};   # { name, type, help, samples }
#   for my $s (@{ $f->{samples} }) {      # { name, labels => {}, value }
#   VitalsExpo::label_names($f);          # sorted, le and quantile left out
#   VitalsExpo::value($e, 'node_load1');  # the one sample's value
#   VitalsExpo::series($f);               # { 'a="x",b="y"' => value }
#
# What it enforces, from the format's description (prometheus.io, "Exposition
# formats") and what Prometheus' own text parser refuses:
#  - a metric name [a-zA-Z_:][a-zA-Z0-9_:]*, a label name [a-zA-Z_][a-zA-Z0-9_]*,
#    label values with the escapes \\ \" \n only, an optional trailing comma;
#  - a value Go's ParseFloat takes (NaN, +Inf, -Inf included), an optional
#    integer timestamp;
#  - at most one HELP and one TYPE per family, TYPE before its samples, one of
#    counter, gauge, histogram, summary, untyped;
#  - a family's lines in one group (a family seen again after another is an
#    error), no series twice;
#  - _bucket (with le), _sum and _count belong to a histogram, the quantile
#    series, _sum and _count to a summary.
# A family with samples but neither HELP nor TYPE is untyped with no help.

use strict;
use warnings;

my $NAME = qr/[a-zA-Z_:][a-zA-Z0-9_:]*/;
my $LABEL = qr/[a-zA-Z_][a-zA-Z0-9_]*/;
my $FLOAT = qr/[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|NaN)/i;
my %TYPES = map { $_ => 1 } qw(counter gauge histogram summary untyped);

# parse(TEXT): { families => { NAME => family }, order => [ NAME ... ] };
# dies with the line number and the reason on the first error.
sub parse {
	my ($text) = @_;
	my (%fam, @order, %done, %series);
	my $current = '';
	my $n = 0;
	die "line 1: no newline at the end of the document\n"
	    if length($text) && substr($text, -1) ne "\n";
	for my $line (split(/\n/, $text)) {
		$n++;
		my $err = sub { die "line $n: $_[0]: $line\n" };
		next if $line eq '';
		if ($line =~ /^#/) {
			my ($kw, $name, $rest) =
			    $line =~ /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/ or next;
			$err->('bad metric name') if $name !~ /^$NAME$/;
			my $f = _family(\%fam, \@order, \%done, \$current, $name,
			    $err);
			if ($kw eq 'HELP') {
				$err->('second HELP') if defined $f->{help};
				$f->{help} = _unescape($rest // '', 0, $err);
			} else {
				$err->('second TYPE') if $f->{typed}++;
				$err->('TYPE after samples') if @{ $f->{samples} };
				$rest //= '';
				$rest =~ s/\s+$//;
				$err->("unknown type '$rest'") if !$TYPES{$rest};
				$f->{type} = $rest;
			}
			next;
		}
		my ($name, $rest) = $line =~ /^($NAME)(.*)$/ or
		    $err->('no metric name');
		my %labels;
		if ($rest =~ s/^\{//) {
			while ($rest !~ s/^\s*\}//) {
				$rest =~ s/^\s*($LABEL)\s*=\s*"((?:[^"\\]|\\.)*)"\s*//
				    or $err->('bad label');
				my ($k, $v) = ($1, $2);
				$err->("label $k twice") if exists $labels{$k};
				$labels{$k} = _unescape($v, 1, $err);
				$rest =~ s/^,// or $rest =~ /^\s*\}/ or
				    $err->('no comma between labels');
			}
		}
		my ($value, $ts) = $rest =~ /^[ \t]+($FLOAT)(?:[ \t]+(-?\d+))?[ \t]*$/
		    or $err->('bad value or timestamp');
		my $base = _owner(\%fam, $name, \%labels, $err);
		my $f = _family(\%fam, \@order, \%done, \$current, $base, $err);
		my $key = $name . '{' . join(',', map { "$_=\"$labels{$_}\"" }
		    sort keys %labels) . '}';
		$err->('series twice') if $series{$key}++;
		push(@{ $f->{samples} }, { name => $name, labels => \%labels,
		    value => _number($value), timestamp => $ts });
	}
	for my $f (values %fam) {
		$f->{type} //= 'untyped';
		delete $f->{typed};
	}
	return { families => \%fam, order => \@order };
}

# The family a sample named NAME belongs to: NAME itself when declared,
# else the histogram or summary it is a part of, else NAME (untyped).
sub _owner {
	my ($fam, $name, $labels, $err) = @_;
	my $f = $fam->{$name};
	if ($f && $f->{typed}) {
		my $t = $f->{type};
		$err->('a histogram needs _bucket, _sum, _count')
		    if $t eq 'histogram';
		$err->('a summary sample needs a quantile')
		    if $t eq 'summary' && !exists $labels->{quantile};
		return $name;
	}
	my ($base, $part) = $name =~ /^(.+)_(bucket|sum|count)$/;
	if (defined $base && $fam->{$base} &&
	    ($fam->{$base}{type} // '') =~ /^(?:histogram|summary)$/) {
		$err->('a bucket without le') if $part eq 'bucket' &&
		    !exists $labels->{le};
		$err->('a summary has no buckets') if $part eq 'bucket' &&
		    $fam->{$base}{type} eq 'summary';
		return $base;
	}
	return $name;
}

sub _family {
	my ($fam, $order, $done, $current, $name, $err) = @_;
	if ($$current ne $name) {
		$err->("family $name seen again after another") if $done->{$name};
		$done->{$$current} = 1 if $$current ne '';
		$$current = $name;
	}
	if (!$fam->{$name}) {
		$fam->{$name} = { name => $name, samples => [] };
		push(@$order, $name);
	}
	return $fam->{$name};
}

# HELP knows \\ and \n; a label value \\, \" and \n.
sub _unescape {
	my ($s, $quotes, $err) = @_;
	my $ok = $quotes ? qr/[\\"n]/ : qr/[\\n]/;
	$err->('a lone backslash at the end') if $s =~ /(?<!\\)(?:\\\\)*\\\z/;
	$s =~ s{\\(.)}{
		my $c = $1;
		$err->("bad escape \\$c") if $c !~ $ok;
		$c eq 'n' ? "\n" : $c;
	}ge;
	return $s;
}

sub _number {
	my ($v) = @_;
	return 9**9**9 if $v =~ /^\+?Inf$/i;
	return -9**9**9 if $v =~ /^-Inf$/i;
	return 'NaN' if $v =~ /^[+-]?NaN$/i;
	return $v + 0;
}

# label_names(FAMILY): the sorted label names its samples carry, le and
# quantile (the parts of a histogram or summary) left out.
sub label_names {
	my ($f) = @_;
	my %n;
	for my $s (@{ $f->{samples} }) {
		$n{$_} = 1 for keys %{ $s->{labels} };
	}
	delete @n{qw(le quantile)} if $f->{type} =~ /^(?:histogram|summary)$/;
	return [ sort keys %n ];
}

# series(FAMILY): { 'a="x",b="y"' => value } of its samples named as the
# family (not the _bucket/_sum/_count parts).
sub series {
	my ($f) = @_;
	my %s;
	for my $x (grep { $_->{name} eq $f->{name} } @{ $f->{samples} }) {
		my $l = $x->{labels};
		$s{ join(',', map { "$_=\"$l->{$_}\"" } sort keys %$l) } =
		    $x->{value};
	}
	return \%s;
}

# value(EXPO, NAME): the value of NAME's one sample without labels, or
# undef.
sub value {
	my ($e, $name) = @_;
	my $f = $e->{families}{$name} // return undef;
	return series($f)->{''};
}

1;

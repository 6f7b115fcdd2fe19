package VitalsProm;

# VitalsProm: a real Prometheus (Debian's package) for the integration
# tests, on a loopback port chosen at run time, its storage and its log in
# a test stack's temporary folder, started and stopped through that stack
# (so END stops it too).  Its HTTP API answers in JSON.
#
#   my ($yml) = VitalsProm::aim_scrape_config($shipped, $t);
#   my $p = VitalsProm->new($t, config => "$dir/prometheus.yml");
#   $p->start or BAIL_OUT(...);           # waits for /-/ready
#   $p->start_ok;                         # the same as a test
#   my $tick = VitalsProm::health_ticker($t);   # for wait loops
#   my $targets = $p->api('/api/v1/targets');
#   $p->reload;                           # SIGHUP: config and rules again
#   $p->stop;
#
# Every wait is bounded.

use strict;
use warnings;

use HTTP::Tiny;
use POSIX ();
use JSON::PP;
use Time::HiRes qw(sleep time);
use VitalsTest;

my $READY_DEADLINE = 30;

sub new {
	my ($class, $t, %o) = @_;
	return bless {
		t      => $t,
		config => $o{config},
		data   => $t->dir . '/prometheus-data',
		log    => $t->log_path('prometheus.log'),
		bin    => VitalsTest::find_program('prometheus'),
		http   => HTTP::Tiny->new(timeout => 5),
	}, $class;
}

sub port { $_[0]{port} }
sub log_path { $_[0]{log} }
sub url  { "http://127.0.0.1:$_[0]{port}$_[1]" }

# start(): run Prometheus; true once /-/ready answers 200 (a port taken
# between free_port() and its bind gets another port and another try).
sub start {
	my ($self) = @_;
	for my $try (1 .. 3) {
		$self->{port} = VitalsTest::free_port();
		$self->{pid} = $self->{t}->spawn([ $self->{bin},
		    "--config.file=$self->{config}",
		    "--storage.tsdb.path=$self->{data}",
		    "--web.listen-address=127.0.0.1:$self->{port}",
		    '--log.level=info' ], log => $self->{log});
		my $ready = wait_until(sub {
			return -1 if !kill(0, $self->{pid}) ||
			    waitpid($self->{pid}, POSIX::WNOHANG()) == $self->{pid};
			my $r = $self->{http}->get($self->url('/-/ready'));
			return $r->{status} == 200;
		}, timeout => $READY_DEADLINE, interval => 0.2);
		return 1 if $ready && $ready != -1;
		$self->stop;
		last if VitalsTest::slurp($self->{log}) !~ /address already in use/;
	}
	return 0;
}

# aim_scrape_config(TEXT, STACK): the shipped scrape config
# (conf/prometheus/vitals-scrape.yml) aimed at a test stack: its target, its
# certificate as the CA, 1 s intervals.  Returns the edited text and the
# patterns that found no line to change (none when the shipped file still
# has the lines the tests rely on).
sub aim_scrape_config {
	my ($config, $t) = @_;
	my @edits = (
		[ qr/^(\s*scrape_interval:) 15s$/m, '$1 1s' ],
		[ qr/^(\s*evaluation_interval:) 15s$/m, '$1 1s' ],
		[ qr/^(\s*scrape_timeout:) 10s$/m, '$1 1s' ],
		[ qr/^(\s*ca_file:) \S+$/m, '$1 ' . $t->dir . '/tls/cert.pem' ],
		[ qr/^(\s*- targets:\n)(?:\s+- \S+:443\n)+/m,
		    '$1          - 127.0.0.1:' . $t->https_port . "\n" ],
	);
	my @missing;
	for my $e (@edits) {
		my ($re, $to) = @$e;
		push(@missing, $re) if $config !~ s/$re/qq{"$to"}/ee;
	}
	return ($config, @missing);
}

# installed_or_done(WHAT): true when Prometheus is installed; else a diag
# that WHAT was not run, the end of the plan and of the test (the parts
# before it stand).
sub installed_or_done {
	my ($what) = @_;
	return 1 if VitalsTest::find_program('prometheus');
	Test::More::diag("prometheus is not installed: $what");
	Test::More::done_testing();
	exit(0);
}

# start_ok(): start(), as a test; bails out (with Prometheus' log) when
# it does not start, since nothing after can run.
sub start_ok {
	my ($self) = @_;
	my $ok = Test::More::ok($self->start, 'Prometheus started on 127.0.0.1:'
	    . ($self->{port} // '?'));
	if (!$ok) {
		Test::More::diag(VitalsTest::slurp($self->{log}) // '');
		Test::More::BAIL_OUT('Prometheus did not start');
	}
	return $ok;
}

# health_ticker(STACK): a sub to call in a wait loop: it sleeps 0.2 s and
# asks the stack's /health at most twice a second, as a monitor would, so
# that the database probe runs (it runs when someone asks, and, with the
# checks, on the pool's own schedule) and its families have figures.
sub health_ticker {
	my ($t) = @_;
	my $next = 0;
	return sub {
		if (time >= $next) {
			$t->get('/health', timeout => 3);
			$next = time + 0.5;
		}
		sleep(0.2);
	};
}

# api(PATH, PARAMS...): GET an API path; its "data" when the status is
# "success", else undef (with a diag).
sub api {
	my ($self, $path, %params) = @_;
	my $url = $self->url($path);
	$url .= '?' . $self->{http}->www_form_urlencode(\%params) if %params;
	my $r = $self->{http}->get($url);
	my $j = eval { JSON::PP->new->utf8->decode($r->{content}) };
	if (!$r->{success} || !$j || ($j->{status} // '') ne 'success') {
		Test::More::diag("$path: $r->{status} " . substr($r->{content} //
		    '', 0, 300));
		return undef;
	}
	return $j->{data};
}

# query(EXPR): the instant vector of EXPR, as [ { metric, value } ... ]
# with value a number; undef on an error.
sub query {
	my ($self, $expr) = @_;
	my $d = $self->api('/api/v1/query', query => $expr) // return undef;
	return [ map { { metric => $_->{metric}, value => $_->{value}[1] + 0 } }
	    @{ $d->{result} // [] } ];
}

# rules(): every rule of every group, each with its group's name added.
sub rules {
	my ($self) = @_;
	my $d = $self->api('/api/v1/rules') // return undef;
	my @rules;
	for my $g (@{ $d->{groups} // [] }) {
		push(@rules, map { { %$_, group => $g->{name} } }
		    @{ $g->{rules} // [] });
	}
	return \@rules;
}

# alerts(): the active alerts (pending and firing).
sub alerts {
	my ($self) = @_;
	my $d = $self->api('/api/v1/alerts') // return undef;
	return $d->{alerts} // [];
}

# reload(): SIGHUP, Prometheus re-reads its config and rule files.
sub reload {
	my ($self) = @_;
	return kill('HUP', $self->{pid});
}

# stop(): SIGTERM and wait (SIGKILL after the deadline); the exit status.
sub stop {
	my ($self) = @_;
	return undef if !$self->{pid};
	my $status = $self->{t}->reap($self->{pid}, signal => 'TERM',
	    timeout => 15);
	delete $self->{pid};
	return $status;
}

1;

#!/usr/bin/perl
# listeners.t: every listening socket's accept queue, who holds the
# CLOSE_WAIT sockets, and the file-nr and vmstat figures, on the real
# stack.  A process of this test listens on 127.0.0.1 with a backlog of 4
# and never accepts; five clients fill its queue (the kernel takes
# backlog + 1): /api/metrics lists that port with queue 5 and backlog 4,
# and after a process-scan tick that process's pid and name; /metrics has
# vitals_listener_queue for it.  The pool's own socket is in the list.
# Then a server that accepts 100 connections and never closes them while
# its clients hang up: close_wait_holders names it first, with 100 or
# more.  node_filefd_* and node_vmstat_pgfault match /proc.  Last, the
# listeners collector's cost per tick, idle and with 1000 listeners.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use List::Util qw(max);
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsSockets;

VitalsTest::require_stack('spawn-fcgi');

# Debug: the owner walk's lines (event=owner_walk) say what it looked for.
my $t = VitalsTest->new(workers => 2, app_args => [ '--log-level',
    'debug' ]);
$t->start;

# Straight to the pool: nginx's micro-cache could hold a second-old copy.
sub metrics {
	my $r = $t->fcgi_request($t->socket_path, uri => '/api/metrics');
	return $r->{status} == 200 ? $t->json($r) : undef;
}

sub prom {
	my $r = $t->fcgi_request($t->socket_path, uri => '/metrics');
	return $r->{status} == 200 ? $r->{body} : '';
}

sub listener {
	my ($m, $port) = @_;
	my ($l) = grep { ($_->{family} // '') eq 'tcp'
	    && ($_->{address} // '') eq '127.0.0.1'
	    && ($_->{port} // -1) == $port } @{ $m->{listeners} // [] };
	return $l;
}


# Helper processes of this test, named by their comm
# (VitalsSockets.pm): VitalsSockets::hold and the program below.

my $MANY = <<'EOP';
use strict;
use IO::Socket::INET;
my ($name, $file, $n) = @ARGV;
$0 = $name;
my @l;
for (1 .. $n) {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
	    LocalPort => 0, Listen => 4) or die "listen: $!";
	push(@l, $s);
}
open(my $f, '>', $file) or die;
close($f);
my $end = time + 120;
sleep 1 while time < $end;
EOP


ok(wait_until(sub { my $m = metrics(); $m && $m->{listeners} },
    timeout => 5), 'a sample with listeners within a few seconds');

# The pool's own Unix socket, with the master as its owner.
my $m = metrics() // {};
my ($pool) = grep { ($_->{family} // '') eq 'unix' }
    @{ $m->{listeners} // [] };
ok($pool, "the pool's socket is listed") or diag(explain($m->{listeners}));
is($pool->{address}, $t->socket_path, 'its address is its path');
ok(!defined $pool->{port}, 'no port');
is($pool->{pid}, $t->pid('vitals'), 'its pid is the master');
is($pool->{process}, 'vitals', 'process "vitals"');
ok(($pool->{backlog} // 0) > 0, "its backlog ($pool->{backlog})");
ok(($m->{listeners_total} // 0) >= scalar(@{ $m->{listeners} }),
    "listeners_total ($m->{listeners_total}) counts every one");

# A listener with a backlog of 4 that never accepts, filled by 5 clients.
my ($hold, $port) = VitalsSockets::hold($t, 'vt-listen-hold', 4, 0);
my @clients;
for (1 .. 5) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $port, Timeout => 3) or die "connect: $!";
	push(@clients, $c);
}
my $l;
ok(wait_until(sub { $l = listener(metrics() // {}, $port);
    $l && $l->{queue} == 5 }, timeout => 4),
    "127.0.0.1:$port is listed with its queue within a few seconds")
    or diag(explain($l));
is($l->{queue}, 5, 'queue 5 (backlog + 1: full)');
is($l->{backlog}, 4, 'backlog 4');
is($l->{fill_percent}, 125, 'fill_percent 125');
my $comm = VitalsSockets::comm_of($hold);
ok(wait_until(sub { $l = listener(metrics() // {}, $port);
    $l && defined $l->{pid} }, timeout => 25),
    'after a process-scan tick or a few (the walk has a time budget and '
    . 'goes on where it stopped), it has an owner');
is($l->{pid}, $hold, "its pid is the listening process ($hold)");
is($l->{process}, $comm, "its process name ($comm)");
my $p;
ok(wait_until(sub { ($p = prom()) =~ /^vitals_listener_queue\{address="127\.0\.0\.1",port="$port"\} 5$/m },
    timeout => 3), "/metrics: vitals_listener_queue{address=\"127.0.0.1\",port=\"$port\"} 5");
like($p, qr/^vitals_listener_backlog\{address="127\.0\.0\.1",port="$port"\} 4$/m,
    'and vitals_listener_backlog 4');
like($p, qr/^vitals_collector_success\{collector="listeners"\} 1$/m,
    'the listeners collector succeeds');
close($_) for @clients;
$t->reap($hold, signal => 'TERM');
ok(wait_until(sub { !listener(metrics() // {}, $port) }, timeout => 4),
    'the listener leaves the list when it closes');

# CLOSE_WAIT: a server accepts 100 connections and keeps them; the
# clients hang up.
my ($cw, $cwport) = VitalsSockets::hold($t, 'vt-cw-hold', 128, 100);
@clients = ();
for (1 .. 100) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $cwport, Timeout => 3) or die "connect: $!";
	push(@clients, $c);
}
ok(wait_until(sub { -e $t->dir . '/vt-cw-hold.port.done' }, timeout => 10),
    'the server accepted 100 connections');
close($_) for @clients;
my $h;
ok(wait_until(sub { $h = (metrics() // {})->{close_wait_holders};
    $h && $h->{top} && @{ $h->{top} } && $h->{top}[0]{pid} == $cw
    && $h->{top}[0]{count} >= 100 }, timeout => 25),
    'close_wait_holders.top[0] is the server after a process-scan tick '
    . 'or a few')
    or diag(explain($h));
is($h->{top}[0]{process}, VitalsSockets::comm_of($cw),
    "named by its comm ($h->{top}[0]{process})");
cmp_ok($h->{top}[0]{count}, '>=', 100, "count >= 100 ($h->{top}[0]{count})");
cmp_ok($h->{sockets}, '>=', $h->{attributed}, "sockets ($h->{sockets}) >= "
    . "attributed ($h->{attributed})");
cmp_ok($h->{attributed}, '>=', 100, 'at least the 100 attributed');
ok($h->{ts_ms} > 0, 'ts_ms says when');

# A pile that stays is not walked for again (sampler.c,
# SAMPLER_CW_FULL_EVERY): the next passes keep the holder found, and no
# owner walk looks for one of its sockets.  Sockets new to the pile are
# walked for, and only they.  Other tests may hold CLOSE_WAIT sockets of
# their own meanwhile, hence the ranges.
sub walks {
	return map { /\bsockets=(\d+) .*\bfds=(\d+)/ ? [ $1, $2 ] : () }
	    grep { /event=owner_walk / } split(/\n/, $t->log_text('vitals.log'));
}
sub pass_after {
	my ($ts) = @_;
	my $x;
	wait_until(sub { $x = (metrics() // {})->{close_wait_holders};
	    $x && ($x->{ts_ms} // 0) > $ts }, timeout => 40);
	return $x;
}
my @w0 = walks();
ok(@w0 && (grep { $_->[0] >= 100 } @w0), 'a walk looked for the 100 '
    . 'sockets (' . join(' ', map { "$_->[0]/$_->[1]fds" } @w0) . ')');
my $h2 = pass_after(pass_after($h->{ts_ms})->{ts_ms});
my @w1 = walks();
splice(@w1, 0, scalar(@w0));
ok(!(grep { $_->[0] >= 100 } @w1), 'two passes later no walk looked for '
    . 'them again (' . (join(' ', map { "$_->[0]/$_->[1]fds" } @w1)
    || 'no walk') . ')');
ok($h2 && $h2->{top}[0]{pid} == $cw && $h2->{top}[0]{count} >= 100,
    'and the server still holds them, first ('
    . ($h2->{top}[0]{count} // 'none') . ')') or diag(explain($h2));
my ($cw2, $cwport2) = VitalsSockets::hold($t, 'vt-cw-hold2', 64, 30);
@clients = ();
for (1 .. 30) {
	push(@clients, IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $cwport2, Timeout => 3) // die "connect: $!");
}
ok(wait_until(sub { -e $t->dir . '/vt-cw-hold2.port.done' },
    timeout => 10), 'a second server accepted 30 connections');
close($_) for @clients;
my $h3;
ok(wait_until(sub { $h3 = (metrics() // {})->{close_wait_holders};
    $h3 && (grep { $_->{pid} == $cw2 && $_->{count} == 30 }
    @{ $h3->{top} // [] }) }, timeout => 40),
    'the second server is named with its 30') or diag(explain($h3));
my @w2 = walks();
splice(@w2, 0, scalar(@w0) + scalar(@w1));
ok((grep { $_->[0] >= 30 && $_->[0] < 100 } @w2), 'a walk looked for the '
    . '30 new sockets, not the 100 known (' . join(' ',
    map { "$_->[0]/$_->[1]fds" } @w2) . ')');
ok((grep { $_->{pid} == $cw && $_->{count} >= 100 } @{ $h3->{top} }),
    'and the first server keeps its 100');
$t->reap($cw2, signal => 'TERM');
$t->reap($cw, signal => 'TERM');

# file-nr and vmstat, against /proc read around the sample.
sub proc_vmstat {
	my ($field) = @_;
	my ($v) = map { /^\Q$field\E (\d+)$/ ? $1 : () }
	    split(/\n/, VitalsTest::slurp('/proc/vmstat') // '');
	return $v;
}
my @fnr = split(' ', VitalsTest::slurp('/proc/sys/fs/file-nr') // '');
$p = prom();
my ($alloc) = $p =~ /^node_filefd_allocated (\d+)$/m;
my ($fmax) = $p =~ /^node_filefd_maximum (\d+)$/m;
ok(defined $alloc && abs($alloc - $fnr[0]) <= max(500, $fnr[0] / 10),
    "node_filefd_allocated ($alloc) near file-nr's ($fnr[0])");
is($fmax, $fnr[2], 'node_filefd_maximum is file-max');
like($p, qr/^# TYPE node_vmstat_pgfault untyped$/m,
    'node_vmstat_pgfault untyped, as node_exporter');
my ($pf1) = $p =~ /^node_vmstat_pgfault (\d+)$/m;
my $proc1 = proc_vmstat('pgfault');
ok(defined $pf1 && $pf1 <= $proc1 && $pf1 >= $proc1 * 0.98,
    "node_vmstat_pgfault ($pf1) close to /proc/vmstat's ($proc1)");
sleep(1.2);
my $pf2;
ok(wait_until(sub { (($pf2) = prom() =~ /^node_vmstat_pgfault (\d+)$/m)
    && $pf2 > $pf1 }, timeout => 4), "and it rises ($pf1 -> $pf2)");
$m = metrics() // {};
ok(defined $m->{vmstat}{pgfault} && $m->{vmstat}{pgfault} >= $pf1,
    'vmstat.pgfault in /api/metrics');
is($m->{filefd}{maximum}, $fnr[2], 'filefd.maximum in /api/metrics');

# The collector's cost: the duration /metrics reports for it, over a few
# ticks (a process-scan tick includes the owner walk), idle and with 1000
# listeners.
sub costs {
	my ($seconds) = @_;
	my (%seen, @c);
	my $end = time + $seconds;
	while (time < $end) {
		my $text = prom();
		my ($n) = $text =~ /^vitals_sampler_samples_total (\d+)$/m;
		my ($d) = $text =~ /^vitals_collector_duration_seconds\{collector="listeners"\} (\S+)$/m;
		push(@c, $d * 1000) if defined $n && defined $d && !$seen{$n}++;
		sleep(0.4);
	}
	@c = sort { $a <=> $b } @c;
	return @c ? sprintf('%d ticks: median %.2f ms, max %.2f ms',
	    scalar(@c), $c[$#c / 2], $c[-1]) : 'no ticks';
}
my $idle = costs(6);
diag("listeners collector, idle: $idle");
my ($many) = VitalsSockets::run($t, $MANY, 'vt-listen-1000', 1000);
ok(wait_until(sub { ((metrics() // {})->{listeners_total} // 0) >= 1000 },
    timeout => 4), 'listeners_total counts 1000 more listeners');
$m = metrics() // {};
is(scalar(@{ $m->{listeners} }), 64, 'the fullest 64 are listed');
my $busy = costs(6);
diag("listeners collector, 1000 listeners: $busy");
$t->reap($many, signal => 'TERM');

$t->nginx_log_ok;
unlike($t->log_text('vitals.log'), qr/collector_failed/,
    'no collector failed');
done_testing();

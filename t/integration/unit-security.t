#!/usr/bin/perl
# unit-security.t: systemd-analyze rates the shipped vitals.service (as this
# build renders it) at an exposure of 2.0 or below, with the host still
# visible: no ProtectProc=invisible, no ProcSubset=pid, no PrivateNetwork=
# (they hide the very data Vitals reports), and AF_NETLINK allowed
# (sock_diag).  Issue 17, item 6.
use strict;
use warnings;
use File::Basename qw(dirname);
use Test::More;
use VitalsTest;

plan(skip_all => 'VT_NO_INTEGRATION is set') if $ENV{VT_NO_INTEGRATION};
plan(skip_all => 'VITALS_BIN is not set (run through make check)')
    if !$ENV{VITALS_BIN};
my $sa = VitalsTest::find_program('systemd-analyze');
plan(skip_all => 'systemd-analyze is not installed') if !defined $sa;
my $unit = dirname(dirname($ENV{VITALS_BIN})) . '/conf/spawn/vitals.service';
plan(skip_all => "no rendered unit at $unit") if !-f $unit;

my $text = VitalsTest::slurp($unit);
unlike($text, qr/^ProtectProc=invisible/m, 'no ProtectProc=invisible');
unlike($text, qr/^ProcSubset=pid/m, 'no ProcSubset=pid');
unlike($text, qr/^PrivateNetwork=yes/m, 'no PrivateNetwork=yes');
like($text, qr/^RestrictAddressFamilies=.*\bAF_NETLINK\b/m,
    'AF_NETLINK allowed (sock_diag)');

my $out = `'$sa' security --offline=true --no-pager '$unit' 2>&1`;
my ($level) = $out =~ /Overall exposure level for \S+: ([0-9.]+)/;
ok(defined $level, 'systemd-analyze security rated the unit')
    or diag($out);
diag("exposure level: " . ($level // 'none'));
ok(defined $level && $level <= 2.0, "exposure $level is 2.0 or below");
done_testing();

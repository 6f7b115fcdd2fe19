#!/usr/bin/perl
# check-config.t: `vitals --check-config` says what it would use and exits
# 0 for a good configuration; for a bad key, or a DB option file that is
# missing, world-readable or unreadable, it exits 78 (EX_CONFIG) naming
# the file, the line and the key.  Issue 16.
use strict;
use warnings;
use File::Temp qw(tempdir);
use Test::More;
use VitalsTest;

plan(skip_all => 'VT_NO_INTEGRATION is set') if $ENV{VT_NO_INTEGRATION};
plan(skip_all => 'VITALS_BIN is not set (run through make check)')
    if !$ENV{VITALS_BIN};
my $bin = $ENV{VITALS_BIN};
my $src = $ENV{VT_SRCDIR} // '.';
my $dir = tempdir(CLEANUP => 1);
# As root the check judges the option file for the service user: here the
# user running the test, who owns the files (package.t may create and
# remove a vitals user meanwhile).
$ENV{VITALS_USER} = getpwuid($>) // 'root';

sub write_file {
	my ($path, $text, $mode) = @_;
	open(my $fh, '>', $path) or die "$path: $!";
	print $fh $text;
	close($fh);
	chmod($mode, $path) if defined $mode;
}

# Runs the check; returns the exit code, stdout and stderr.
sub check {
	my (@args) = @_;
	my $cmd = join(' ', map { "'$_'" } $bin, '--check-config', @args);
	my $out = `$cmd 2>$dir/stderr`;
	my $code = $? >> 8;
	return ($code, $out, VitalsTest::slurp("$dir/stderr"));
}

my $cnf = "$dir/db.cnf";
write_file($cnf, "[vitals]\nuser = vitals\npassword = secret\n", 0600);
my $conf = "$dir/vitals.conf";
write_file($conf, "# a good file\nworkers = 3\ndb_config = $cnf\n"
    . "sql_dir = $src/sql\n");

my ($code, $out, $err) = check('--config', $conf);
is($code, 0, 'a good configuration: exit 0') or diag($err);
like($out, qr/^workers = 3$/m, 'it prints the workers it would start');
like($out, qr/^db_config = \Q$cnf\E$/m, 'and the DB option file');
like($out, qr/^sql_dir = \Q$src\E\/sql$/m, 'and the SQL folder');
like($out, qr/configuration OK/, 'and says it is fine');

write_file("$dir/bad.conf", "workers = 3\nwrokers = 4\n");
($code, $out, $err) = check('--config', "$dir/bad.conf");
is($code, 78, 'a bad key: exit 78');
like($err, qr/\Q$dir\E\/bad\.conf:2: .*wrokers/,
    'the message names the file, the line and the key') or diag($err);

chmod(0644, $cnf);
($code, $out, $err) = check('--config', $conf);
is($code, 78, 'a world-readable DB option file: exit 78');
like($err, qr/\Q$conf\E:3: key 'db_config': .*world-readable/,
    'the message names where db_config is set and why') or diag($err);

write_file("$dir/nogroup.cnf", "[client]\nuser = x\n", 0600);
($code, $out, $err) = check('--config', $conf, '--db-config',
    "$dir/nogroup.cnf");
is($code, 78, 'an option file without the [vitals] group: exit 78');
like($err, qr/no \[vitals\] group/, 'the message says so') or diag($err);

($code, $out, $err) = check('--config', $conf, '--db-config',
    "$dir/missing.cnf");
is($code, 78, 'a missing DB option file: exit 78');
like($err, qr/^vitals: --db-config: .*missing\.cnf: No such file/m,
    'a flag is named as the flag') or diag($err);

# Unreadable: as root, the check runs as nobody (root reads any file),
# for whom the root-owned 0600 file is unreadable.
chmod(0600, $cnf);
SKIP: {
	my @as = ();
	if ($> == 0) {
		my $sp = VitalsTest::find_program('setpriv');
		skip('setpriv is not installed', 2) if !defined $sp;
		chmod(0755, $dir);
		@as = ($sp, '--reuid=nobody', '--regid=nogroup',
		    '--clear-groups');
	} else {
		chmod(0000, $cnf);
	}
	my $cmd = join(' ', map { "'$_'" } @as, $bin, '--check-config',
	    '--config', $conf);
	`$cmd >/dev/null 2>$dir/stderr`;
	is($? >> 8, 78, 'a DB option file the service cannot read: exit 78');
	like(VitalsTest::slurp("$dir/stderr"),
	    qr/\Q$conf\E:3: key 'db_config': .*Permission denied/,
	    'the message says it cannot be read');
	chmod(0600, $cnf);
}

# As root: judged for the service user, here nobody, who cannot read a
# root-owned 0600 file.
SKIP: {
	skip('not root', 2) if $> != 0;
	local $ENV{VITALS_USER} = 'nobody';
	($code, $out, $err) = check('--config', $conf);
	is($code, 78, 'as root, an option file the service user cannot read');
	like($err, qr/key 'db_config': .*not readable by user 'nobody'/,
	    'the message names the user') or diag($err);
}

($code, $out, $err) = check('--config', $conf, '--sql-dir', "$dir/nosql");
is($code, 78, 'a missing SQL folder: exit 78');
like($err, qr/--sql-dir: .*nosql\/migrations/, 'named') or diag($err);

done_testing();

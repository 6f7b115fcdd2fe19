#!/usr/bin/perl
# package.t: the Debian package, end to end on this machine.  Build it from
# a clean clone of the checkout's HEAD, lintian (no errors), install it
# with apt-get, check its files, its units and the vitals user, run
# `vitals --check-config` on the installed configuration, start the
# installed program with the installed spawn script on a private socket,
# ask /health/live through an nginx running the installed site (rendered
# for loopback ports), upgrade it to a next version with apt-get while
# clients poll through nginx (not one request may fail, and the master
# must end up running the new binary), then purge it and check nothing of
# it is left.
# Skips unless root with dpkg-buildpackage, lintian, apt-get and wrk, and
# when a vitals package is already installed (it would not be ours to
# purge).  Package tests serialize on a lock (one dpkg, one package).
# Takes about 4 minutes on 2 busy cores: two package builds.
# Issue 16.
use strict;
use warnings;
use Fcntl qw(:flock);
use File::Temp qw(tempdir);
use POSIX qw(setsid strftime _exit WNOHANG);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsLoad;

plan(skip_all => 'VT_NO_INTEGRATION is set') if $ENV{VT_NO_INTEGRATION};
plan(skip_all => 'not root (apt-get install needs it)') if $> != 0;
for my $p (qw(dpkg-buildpackage lintian apt-get git nginx spawn-fcgi
    curl openssl wrk)) {
	plan(skip_all => "$p is not installed")
	    if !defined VitalsTest::find_program($p);
}
# One package test at a time on this machine: they install, upgrade and
# purge the one vitals package.  The wait is bounded by a full run of
# another package test, with margin.
my $LOCK_WAIT = 900;
open(my $lock, '>>', '/run/lock/vitals-package-test.lock')
    or plan(skip_all => "cannot open the package tests' lock: $!");
plan(skip_all => "another package test held the lock for $LOCK_WAIT s")
    if !wait_until(sub { flock($lock, LOCK_EX | LOCK_NB) },
    timeout => $LOCK_WAIT, interval => 1);
plan(skip_all => 'a vitals package is installed already')
    if system('dpkg-query -W -f=\'${Status}\' vitals 2>/dev/null '
    . '| grep -q "ok installed"') == 0;
my $src = $ENV{VT_SRCDIR} // '.';
plan(skip_all => "$src is not a git checkout") if !-e "$src/.git";

my $dir = tempdir('vt-pkg-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{VT_KEEP});
chmod(0755, $dir);
my $started = time();
my @pids;	# what this test started, stopped in END

# run(LOG, CMD): a shell command, its output in DIR/LOG; returns its code.
sub run {
	my ($log, $cmd) = @_;
	system("( $cmd ) >'$dir/$log' 2>&1");
	return $? >> 8;
}
sub show { diag(VitalsTest::slurp("$dir/$_[0]") // '') }

# 1. Build from a clean clone: nothing of the checkout's .stack/ or of an
# in-tree build can be picked up.  The unit tests ran in make check
# already: nocheck.
is(run('clone.log', "git clone -q '$src' '$dir/src'"), 0, 'git clone')
    or show('clone.log');
my $t0 = time();
is(run('build.log', "cd '$dir/src' && DEB_BUILD_OPTIONS='nocheck "
    . "parallel=2' dpkg-buildpackage -us -uc -b"), 0,
    'dpkg-buildpackage -us -uc -b') or show('build.log');
diag(sprintf('build: %.0f s', time() - $t0));
my $v0 = `dpkg-parsechangelog -l '$dir/src/debian/changelog' -S Version`;
chomp($v0);
my ($deb) = glob("$dir/vitals_${v0}_*.deb");
ok(defined $deb, "it made vitals_${v0}_*.deb") or BAIL_OUT('no package');

# The next version, as a release makes it: a new version in configure.ac
# (the one the program reports) and a new debian/changelog entry (the one
# dpkg compares), from a second clean clone.
my $v1 = "$v0+upgradetest1";
is(run('clone1.log', "git clone -q '$src' '$dir/src1'"), 0, 'git clone, '
    . 'for the next version') or show('clone1.log');
edit("$dir/src1/configure.ac", sub {
	$_[0] =~ s/^(AC_INIT\(\[vitals\], \[)[^\]]+\]/$1$v1]/m;
});
edit("$dir/src1/debian/changelog", sub {
	$_[0] = "vitals ($v1) unstable; urgency=medium\n\n"
	    . "  * package.t: the next version, for the upgrade under load.\n\n"
	    . ' -- Vitals maintainers <vitals@example.org>  '
	    . strftime('%a, %d %b %Y %H:%M:%S +0000', gmtime()) . "\n\n"
	    . $_[0];
});
$t0 = time();
is(run('build1.log', "cd '$dir/src1' && DEB_BUILD_OPTIONS='nocheck "
    . "parallel=2' dpkg-buildpackage -us -uc -b"), 0,
    "dpkg-buildpackage of $v1") or show('build1.log');
diag(sprintf('build of the next version: %.0f s', time() - $t0));
my ($deb1) = glob("$dir/vitals_${v1}_*.deb");
ok(defined $deb1, "it made vitals_${v1}_*.deb") or BAIL_OUT('no package');

run('lintian.log', "lintian '$deb'");
my $lint = VitalsTest::slurp("$dir/lintian.log") // '';
unlike($lint, qr/^E: /m, 'lintian: no errors') or diag($lint);
unlike($lint, qr/^W: /m, 'lintian: no warnings left unexplained')
    or diag($lint);

# 2. Install.
is(run('install.log', "DEBIAN_FRONTEND=noninteractive apt-get install -y "
    . "--no-install-recommends '$deb'"), 0, 'apt-get install ./vitals_*.deb')
    or show('install.log');

my @files = qw(/usr/bin/vitals /usr/bin/vitals-spawn
    /lib/systemd/system/vitals.socket /lib/systemd/system/vitals.service
    /etc/vitals/vitals.conf /etc/nginx/sites-available/vitals
    /etc/nginx/snippets/vitals-fastcgi.conf
    /usr/share/vitals/nginx/vitals-routes.conf
    /usr/share/vitals/nginx/vitals-server.conf
    /usr/share/vitals/sql/schema.sql /usr/share/vitals/sql/grants.sql
    /usr/share/vitals/sql/migrations/001_initial.sql
    /usr/share/vitals/static/dashboard.js
    /usr/share/vitals/static/vendor/uPlot.iife.min.js
    /usr/share/doc/vitals/README.md /usr/share/doc/vitals/copyright);
ok(-e $_, "installed: $_") for @files;
ok(!-e '/etc/nginx/sites-enabled/vitals', 'the site is not enabled');
my $conffiles = `dpkg-query -W -f='\${Conffiles}' vitals`;
like($conffiles, qr{^ /etc/vitals/vitals\.conf }m,
    '/etc/vitals/vitals.conf is a conffile');
ok(-l '/etc/systemd/system/sockets.target.wants/vitals.socket',
    'vitals.socket is enabled');
ok(!-e '/etc/systemd/system/multi-user.target.wants/vitals.service',
    'vitals.service is not enabled (the socket starts it)');

my @pw = getpwnam('vitals');
ok(@pw, 'the vitals user exists');
ok(@pw && $pw[2] < 1000, 'as a system user');
like($pw[8] // '', qr{/nologin$}, 'without a login shell');
my @st = stat('/etc/vitals');
is(sprintf('%04o', $st[2] & 07777), '0750', '/etc/vitals is 0750');
is(scalar(getgrgid($st[5])), 'vitals', 'group vitals');

# 3. The installed units.
my $units = '/lib/systemd/system/vitals.socket '
    . '/lib/systemd/system/vitals.service';
run('verify.log', "systemd-analyze verify $units");
is(VitalsTest::slurp("$dir/verify.log") // '', '',
    'systemd-analyze verify: nothing on stderr');
my $sec = `systemd-analyze security --offline=true --no-pager /lib/systemd/system/vitals.service 2>&1`;
my ($level) = $sec =~ /Overall exposure level for \S+: ([0-9.]+)/;
ok(defined $level && $level <= 2.0,
    'systemd-analyze security: ' . ($level // 'none') . ' (2.0 or less)');
my $svc = VitalsTest::slurp('/lib/systemd/system/vitals.service');
like($svc, qr/^MemoryMax=\d+M$/m, 'the service has a memory limit');
like($svc, qr/^TasksMax=\d+$/m, 'a task limit');
like($svc, qr/^LimitNOFILE=\d+$/m, 'and a file limit');

# 4. The configuration check.
is(run('check.log', '/usr/bin/vitals --check-config'), 0,
    'vitals --check-config on the installed configuration: exit 0')
    or show('check.log');
like(VitalsTest::slurp("$dir/check.log") // '',
    qr{^config = /etc/vitals/vitals\.conf$}m, 'it read the installed file');

# 5. The installed program, through the installed spawn script, on a
# private socket, as the vitals user.
mkdir("$dir/run");
chmod(0755, "$dir/run");
my $sock = "$dir/run/vitals.sock";
my $pool = fork() // die "fork: $!";
if ($pool == 0) {
	setsid();
	open(STDOUT, '>', "$dir/pool.log");
	open(STDERR, '>&', \*STDOUT);
	# The installed script's defaults, not the suite's: `make check`
	# exports VITALS_BIN (the build tree's program), which the script
	# would run instead of /usr/bin/vitals.
	delete @ENV{grep { /^VITALS_/ } keys %ENV};
	$ENV{VITALS_SOCKET} = $sock;
	$ENV{VITALS_USER} = 'vitals';
	exec('/usr/bin/vitals-spawn', '--workers', '2') or _exit(127);
}
push(@pids, $pool);
ok(wait_until(sub { -S $sock }, timeout => 15), 'the pool listens')
    or show('pool.log');

# nginx with the installed site, its listens, socket, certificate, logs
# and cache turned to this test's loopback ports and folder.
my ($https, $http) = (VitalsTest::free_port(), VitalsTest::free_port());
run('cert.log', "openssl req -x509 -newkey ec -pkeyopt "
    . "ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
    . "-keyout '$dir/key.pem' -out '$dir/cert.pem'");
my $site = VitalsTest::slurp('/etc/nginx/sites-available/vitals');
$site =~ s/^(\s*listen\s+)443\b/${1}127.0.0.1:$https/m;
$site =~ s/^(\s*listen\s+)80\b/${1}127.0.0.1:$http/m;
$site =~ s{unix:/run/vitals/vitals\.sock}{unix:$sock};
$site =~ s{/etc/ssl/certs/ssl-cert-snakeoil\.pem}{$dir/cert.pem};
$site =~ s{/etc/ssl/private/ssl-cert-snakeoil\.key}{$dir/key.pem};
$site =~ s{/var/log/nginx/vitals\.access\.log}{$dir/access.log}g;
$site =~ s{/var/lib/nginx/vitals-cache}{$dir/cache};
open(my $fh, '>', "$dir/site.conf") or die $!;
print $fh $site;
close($fh);
mkdir("$dir/ngx");
open($fh, '>', "$dir/nginx.conf") or die $!;
print $fh <<"EOF";
user root root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log notice;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $dir/ngx/body;
    fastcgi_temp_path $dir/ngx/fastcgi;
    proxy_temp_path $dir/ngx/proxy;
    scgi_temp_path $dir/ngx/scgi;
    uwsgi_temp_path $dir/ngx/uwsgi;
    include $dir/site.conf;
}
EOF
close($fh);
my $nginx = VitalsTest::find_program('nginx');
is(run('nginx.log', "'$nginx' -p '$dir/ngx/' -c '$dir/nginx.conf' -e "
    . "'$dir/error.log'"), 0, 'nginx starts with the installed site')
    or show('nginx.log');

sub fetch {
	my ($src, $path) = @_;
	return `curl -sk --max-time 10 --interface $src -o '$dir/body' -w '%{http_code}' 'https://127.0.0.1:$https$path'`;
}
ok(wait_until(sub { fetch('127.0.0.1', '/health/live') eq '200' },
    timeout => 15), '/health/live through the installed site: 200')
    or show('error.log');
like(VitalsTest::slurp("$dir/body") // '', qr/"status":"ok"/,
    'the pool answered it');
is(fetch('127.0.0.1', '/metrics'), '200', '/metrics from loopback: 200');
is(fetch('127.0.0.2', '/metrics'), '403',
    '/metrics from 127.0.0.2: 403');
is(fetch('127.0.0.1', '/static/dashboard.js'), '200',
    'the assets come from /usr/share/vitals/static');
like(`ps -o user= -p $pool`, qr/^vitals\b/, 'the master runs as vitals');

# 6. The upgrade under load.  vitals-spawn had the master write its pid
# where postinst looks for it; clients poll /health/live through nginx
# (loopback: allowlisted, so no limit applies) while apt-get installs the
# next version; postinst sends the master SIGUSR2 and waits for the new
# master to take over.  Every request must succeed: wrk counts non-2xx
# answers and socket errors, nginx's access log has every request's
# status.
my $pidfile = '/run/vitals/vitals.pid';
is(read_pid($pidfile), $pool, "the master wrote its pid to $pidfile");
my @old_kids = children($pool);
ok(@old_kids >= 2, "the master has its workers (@old_kids)");
# The load lasts from 2 s before the install to 3 s after it (wrk stopped
# with SIGINT), within a bound of $load_max seconds.
my ($load_max, $conns) = (120, 8);
my $w = VitalsLoad::wrk_start("https://127.0.0.1:$https/health/live",
    seconds => $load_max, connections => $conns, threads => 2);
my $load_t0 = time();
sleep(2);
$t0 = time();
is(run('upgrade.log', "DEBIAN_FRONTEND=noninteractive apt-get install -y "
    . "--no-install-recommends '$deb1'"), 0,
    "apt-get install ./vitals_${v1}_*.deb under load") or show('upgrade.log');
my $took = time() - $t0;
like(VitalsTest::slurp("$dir/upgrade.log") // '',
    qr/vitals: master \d+ runs the new binary/,
    'postinst upgraded the running pool in place') or show('upgrade.log');
sleep(3);
my $load_s = time() - $load_t0;
ok($load_s < $load_max, sprintf('the load (%.0f s) covered the install '
    . '(%.1f s) within its bound (%d s)', $load_s, $took, $load_max));
my $r = VitalsLoad::wrk_stop($w);
ok($r->{requests} > 100, "the load ran: $r->{requests} requests")
    or diag($r->{text});
is($r->{non2xx}, 0, 'no non-2xx answer during the upgrade')
    or diag($r->{text});
is($r->{errors}, 0, 'no connection error or timeout during the upgrade')
    or diag($r->{text});
my %status;
for (split(/\n/, VitalsTest::slurp("$dir/access.log") // '')) {
	$status{$1}++ if m{"GET /health/live HTTP/[\d.]+" (\d{3}) };
}
# wrk stops at its deadline with up to one request a connection in
# flight: nginx logs those as 499 (the client closed), not a refusal.
my $logged = $status{200} // 0;
ok($logged >= $r->{requests}, "nginx logged $logged answers 200 for the "
    . "$r->{requests} requests wrk counted");
my @other = grep { $_ != 200 && $_ != 499 } sort keys %status;
is("@other", '', 'and no other status than 200 (and 499 at the load\'s '
    . 'end)') or diag(join(', ', map { "$_: $status{$_}" } sort keys %status));
ok(($status{499} // 0) <= $conns, 'at most one 499 per connection');

my $new = read_pid($pidfile);
ok($new && $new != $pool, "the pid file names a new master ($new)");
is(readlink("/proc/$new/exe"), '/usr/bin/vitals',
    'it runs the installed binary (not a deleted one)');
is(`/usr/bin/vitals --version`, "vitals $v1\n",
    "the installed binary is $v1");
fetch('127.0.0.1', '/metrics');
like(VitalsTest::slurp("$dir/body") // '',
    qr/^vitals_build_info\{[^}]*version="\Q$v1\E"/m,
    "the pool reports $v1 in vitals_build_info");
ok(wait_until(sub { waitpid($pool, WNOHANG) == $pool || !kill(0, $pool) },
    timeout => 20), 'the old master stopped');
@pids = ($new);
ok(wait_until(sub { !grep { kill(0, $_) } @old_kids }, timeout => 15),
    'its workers are gone');
my @new_kids = children($new);
my %was = map { $_ => 1 } @old_kids;
ok(@new_kids >= 2 && !(grep { $was{$_} } @new_kids),
    "the new master has new workers (@new_kids)");
is(join(' ', grep {
	(readlink("/proc/$_/exe") // '') eq '/usr/bin/vitals (deleted)'
    } map { m{/proc/(\d+)/} } glob('/proc/[0-9]*/exe')), '',
    'no process runs the replaced binary');
my $log = VitalsTest::slurp("$dir/pool.log") // '';
my ($u0) = $log =~ /^ts=\S*T(\d\d):(\d\d):([\d.]+)Z .*event=upgrade /m
    ? ($1 * 3600 + $2 * 60 + $3) : ();
my ($u1) = $log =~ /^ts=\S*T(\d\d):(\d\d):([\d.]+)Z .*event=upgrade_takeover /m
    ? ($1 * 3600 + $2 * 60 + $3) : ();
diag(sprintf('upgrade under load: %d requests in %.0f s, apt-get install '
    . '%.1f s, USR2 to takeover %s', $r->{requests}, $load_s, $took,
    defined $u0 && defined $u1 ? sprintf('%.2f s', $u1 - $u0) : '?'));

stop_all();
ok(!-e $pidfile, 'the stopped master removed its pid file');

# 6. Purge: nothing of the package is left.
is(run('purge.log', 'DEBIAN_FRONTEND=noninteractive apt-get purge -y '
    . 'vitals'), 0, 'apt-get purge -y vitals') or show('purge.log');
ok(!-e $_, "gone: $_") for @files, '/etc/vitals', '/run/vitals',
    '/etc/systemd/system/sockets.target.wants/vitals.socket',
    '/usr/share/vitals';
ok(!defined getpwnam('vitals'), 'the vitals user is gone');
ok(!defined getgrnam('vitals'), 'and its group');
isnt(system('dpkg-query -W vitals >/dev/null 2>&1'), 0,
    'dpkg knows nothing of vitals');

diag(sprintf('package.t: %.0f s', time() - $started));
done_testing();

# edit(FILE, CODE): CODE rewrites the file's text in $_[0].
sub edit {
	my ($f, $code) = @_;
	my $t = VitalsTest::slurp($f) // die "$f: $!";
	$code->($t);
	open(my $fh, '>', $f) or die "$f: $!";
	print $fh $t;
	close($fh) or die "$f: $!";
}

sub read_pid {
	my $p = VitalsTest::slurp($_[0]) // return 0;
	return $p =~ /^(\d+)$/m ? $1 : 0;
}

# children(PID): the pids whose parent is PID.
sub children {
	my ($ppid) = @_;
	my @k;
	for my $f (glob('/proc/[0-9]*/stat')) {
		my $t = VitalsTest::slurp($f) // next;
		push(@k, $1) if $t =~ /^(\d+) \(.*\) \S (\d+) /s && $2 == $ppid;
	}
	return sort { $a <=> $b } @k;
}

# Stop nginx and the pool (the spawn script became the master, or the
# master that took over from it: not this test's child), bounded.
sub stop_all {
	if (-s "$dir/nginx.pid") {
		my $p = VitalsTest::slurp("$dir/nginx.pid");
		chomp($p);
		kill('QUIT', $p);
		wait_until(sub { !kill(0, $p) }, timeout => 10);
	}
	for my $p (@pids) {
		kill('TERM', $p);
		wait_until(sub { waitpid($p, WNOHANG) == $p || !kill(0, $p) },
		    timeout => 15) or kill('KILL', $p);
	}
	@pids = ();
}

END {
	stop_all() if defined $dir;
	# A failed run must not leave the package installed.
	system('DEBIAN_FRONTEND=noninteractive apt-get purge -y vitals '
	    . '>/dev/null 2>&1') if $> == 0 && defined $dir &&
	    -e '/usr/bin/vitals-spawn';
}

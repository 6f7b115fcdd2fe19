#!/usr/bin/perl
# package.t: the Debian package, end to end on this machine.  Build it from
# a clean clone of the checkout's HEAD, lintian (no errors), install it
# with apt-get, check its files, its units and the vitals user, run
# `vitals --check-config` on the installed configuration, start the
# installed program with the installed spawn script on a private socket,
# ask /health/live through an nginx running the installed site (rendered
# for loopback ports), then purge it and check nothing of it is left.
# Skips unless root with dpkg-buildpackage, lintian and apt-get, and when
# a vitals package is already installed (it would not be ours to purge).
# Issue 16.
use strict;
use warnings;
use File::Temp qw(tempdir);
use POSIX qw(setsid _exit);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

plan(skip_all => 'VT_NO_INTEGRATION is set') if $ENV{VT_NO_INTEGRATION};
plan(skip_all => 'not root (apt-get install needs it)') if $> != 0;
for my $p (qw(dpkg-buildpackage lintian apt-get git nginx spawn-fcgi
    curl openssl)) {
	plan(skip_all => "$p is not installed")
	    if !defined VitalsTest::find_program($p);
}
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
my ($deb) = glob("$dir/vitals_*_*.deb");
ok(defined $deb, 'it made vitals_*.deb') or BAIL_OUT('no package');

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

stop_all();

# 6. Purge: nothing of the package is left.
is(run('purge.log', 'DEBIAN_FRONTEND=noninteractive apt-get purge -y '
    . 'vitals'), 0, 'apt-get purge -y vitals') or show('purge.log');
ok(!-e $_, "gone: $_") for @files, '/etc/vitals',
    '/etc/systemd/system/sockets.target.wants/vitals.socket',
    '/usr/share/vitals';
ok(!defined getpwnam('vitals'), 'the vitals user is gone');
ok(!defined getgrnam('vitals'), 'and its group');
isnt(system('dpkg-query -W vitals >/dev/null 2>&1'), 0,
    'dpkg knows nothing of vitals');

diag(sprintf('package.t: %.0f s', time() - $started));
done_testing();

# Stop nginx and the pool (the spawn script became the master), bounded.
sub stop_all {
	if (-s "$dir/nginx.pid") {
		my $p = VitalsTest::slurp("$dir/nginx.pid");
		chomp($p);
		kill('QUIT', $p);
		wait_until(sub { !kill(0, $p) }, timeout => 10);
	}
	for my $p (@pids) {
		kill('TERM', $p);
		wait_until(sub { waitpid($p, POSIX::WNOHANG()) != 0 },
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

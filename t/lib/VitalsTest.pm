package VitalsTest;

# VitalsTest: the integration-test helper of Vitals.
#
# A test starts a private stack (nginx, the FastCGI pool, MariaDB when it
# asks) in a temporary folder, on loopback ports chosen at run time,
# through ./stack itself: the same code that `./stack up` runs, with
# VT_STATE_DIR and the ports in the environment.  Requests go through curl
# (a real HTTPS/HTTP2 client) or straight to the pool's socket with a small
# FastCGI client.  Everything it starts is stopped in END, also when the
# test dies; every wait is bounded.
#
#   use Test::More;
#   use VitalsTest;
#
#   VitalsTest::require_stack();          # skip_all when it cannot run
#   my $t = VitalsTest->new(app_mode => 'spawn', workers => 2);
#   $t->start;
#   my $r = $t->get('/health/live');      # https, through nginx
#   is($r->{status}, 200);
#   my $j = $t->json($r);
#   $t->nginx_log_ok;                     # no [alert]/[crit]/[emerg]
#   ok($t->stop, 'nothing left running');
#   done_testing();
#
# Options of new() (all optional):
#   app_mode   spawn | listen | activate: how the pool gets its socket
#              (spawn-fcgi, --listen PATH, systemd-socket-activate)
#   workers    the pool's workers (2)
#   app_args   [ more vitals options ]
#   env        { more environment for ./stack and so the pool }
#   db         1: start a private MariaDB first (the pool gets db_config)
#   app        0: do not start the pool
#   nginx      0: do not start nginx
#   wait       0: do not wait for the pool to answer (a pool that cannot
#              start, e.g. VITALS_TEST_CRASH_AT_START)
#   live       live push (/api/live through nginx's Nchan): 0 off, 1 on
#              (the test needs the module: see require_live); default:
#              ./stack's, on where the module is installed
#
# Environment: VITALS_BIN (the program, set by `make check`), VT_SRCDIR
# (the source tree, to find ./stack), VT_NO_INTEGRATION (skip), VT_KEEP=1
# (keep the temporary folder after the test).

use strict;
use warnings;

use Exporter qw(import);
use File::Basename qw(dirname);
use File::Path qw(remove_tree);
use File::Spec;
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use IO::Socket::UNIX;
use JSON::PP;
use POSIX qw(WNOHANG _exit);
use Socket qw(SOCK_STREAM);
use Test::More;
use Time::HiRes qw(sleep time);

our @EXPORT = qw(wait_until);

# How long one ./stack command may take (MariaDB's first start is the
# slowest part), and the default for one HTTP or FastCGI request.
my $STACK_DEADLINE = 240;
my $REQUEST_TIMEOUT = 10;

my @LIVE;	# stacks to stop in END

# Where Debian's libnginx-mod-nchan puts the module (./stack loads it).
use constant NCHAN_MODULE => '/usr/lib/nginx/modules/ngx_nchan_module.so';

# --- Skipping --------------------------------------------------------------

# find_program NAME: its path, from PATH or the sbin directories.
sub find_program {
	my ($name) = @_;
	for my $dir (split(/:/, $ENV{PATH} // ''), qw(/usr/sbin /sbin
	    /usr/local/sbin)) {
		next if $dir eq '';
		my $p = "$dir/$name";
		return $p if -f $p && -x _;
	}
	return undef;
}

# require_stack(PROGRAMS...): skip the whole test (not fail) when it cannot
# run here: VT_NO_INTEGRATION set, no built program, no nginx or curl, or
# one of the extra programs it needs missing.
sub require_stack {
	my (@extra) = @_;

	plan(skip_all => 'VT_NO_INTEGRATION is set')
	    if $ENV{VT_NO_INTEGRATION};
	my $bin = $ENV{VITALS_BIN};
	plan(skip_all => 'VITALS_BIN is not set (run through make check)')
	    if !defined $bin || $bin eq '';
	plan(skip_all => "VITALS_BIN=$bin is not an executable")
	    if !-x $bin;
	plan(skip_all => 'no ./stack found (set VT_SRCDIR)')
	    if !-x stack_path();
	for my $p ('nginx', 'curl', 'openssl', @extra) {
		plan(skip_all => "$p is not installed")
		    if !defined find_program($p);
	}
	return 1;
}

# require_live(): skip the whole test when nginx's Nchan module (live
# push) is not installed.
sub require_live {
	plan(skip_all => 'no nginx Nchan module (libnginx-mod-nchan)')
	    if !-f NCHAN_MODULE;
}

sub stack_path {
	my $src = $ENV{VT_SRCDIR};
	$src = File::Spec->rel2abs(dirname(__FILE__) . '/../..')
	    if !defined $src || $src eq '';
	return "$src/stack";
}

# --- Time ------------------------------------------------------------------

# wait_until(CODE, timeout => S, interval => S): call CODE until it returns
# true or the deadline passes; returns CODE's last value.
sub wait_until(&@) {
	my ($code, %o) = @_;
	my $deadline = time + ($o{timeout} // 10);
	my $interval = $o{interval} // 0.05;
	while (1) {
		my $v = $code->();
		return $v if $v;
		return $v if time >= $deadline;
		sleep($interval);
	}
}

# --- Ports -------------------------------------------------------------------

# free_port(): a loopback TCP port that nothing listens on right now.
#
# It is drawn below the kernel's ephemeral range (ip_local_port_range),
# never from it: every outgoing connection on the host takes a port from
# that range, and a test that holds 10 000 connections (scale-tcp.t) or a
# load client takes thousands at once, so a port the kernel handed out as
# free a moment ago was often a client's by the time nginx bound it
# ("Address already in use").  Below the range only another listener can
# take it, and start() picks again when one does.
sub free_port {
	my $low = 32768;
	if (open(my $fh, '<', '/proc/sys/net/ipv4/ip_local_port_range')) {
		my ($lo) = split(' ', scalar(<$fh>) // '');
		$low = $lo if defined($lo) && $lo =~ /^\d+$/;
	}
	if ($low > 11024) {
		for (1 .. 200) {
			my $port = 10024 + int(rand($low - 10024));
			my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
			    LocalPort => $port, Proto => 'tcp', Listen => 1,
			    ReuseAddr => 0) or next;
			close($s);
			return $port;
		}
	}
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
	    Proto => 'tcp', Listen => 1, ReuseAddr => 0)
	    or die "free_port: $!";
	my $port = $s->sockport;
	close($s);
	return $port;
}

# --- A stack -----------------------------------------------------------------

sub new {
	my ($class, %o) = @_;
	my $dir = tempdir('vt-XXXXXX', TMPDIR => 1);
	chmod(0755, $dir);
	my $self = bless {
		dir       => $dir,
		app_mode  => $o{app_mode} // 'spawn',
		workers   => $o{workers} // 2,
		app_args  => $o{app_args} // [],
		env       => $o{env} // {},
		db        => $o{db} // 0,
		app       => $o{app} // 1,
		nginx     => $o{nginx} // 1,
		wait      => $o{wait} // 1,
		live      => $o{live},
		bin       => $ENV{VITALS_BIN},
		stack     => stack_path(),
		started   => 0,
	}, $class;
	$self->_pick_ports;
	push(@LIVE, $self);
	return $self;
}

sub _pick_ports {
	my ($self) = @_;
	$self->{https_port} = free_port();
	do {
		$self->{http_port} = free_port();
	} while ($self->{http_port} == $self->{https_port});
}

sub dir          { $_[0]{dir} }
sub https_port   { $_[0]{https_port} }
sub http_port    { $_[0]{http_port} }
sub socket_path  { "$_[0]{dir}/run/vitals.sock" }
sub live_socket  { "$_[0]{dir}/run/live/live.sock" }
sub db_socket    { "$_[0]{dir}/run/mysqld.sock" }
sub db_config    { "$_[0]{dir}/etc/db.cnf" }
sub log_path     { "$_[0]{dir}/log/$_[1]" }
sub nginx_error_log { $_[0]->log_path('nginx-error.log') }
sub access_log   { $_[0]->log_path('nginx-access.log') }
sub app_log      { $_[0]->log_path('vitals.log') }

# The environment ./stack runs with.
sub _env {
	my ($self) = @_;
	return (
		VT_STATE_DIR  => $self->{dir},
		VT_BIND       => '127.0.0.1',
		VT_HTTPS_PORT => $self->{https_port},
		VT_HTTP_PORT  => $self->{http_port},
		VT_APP_MODE   => $self->{app_mode},
		VT_WORKERS    => $self->{workers},
		VT_APP_ARGS   => join(' ', @{ $self->{app_args} }),
		VITALS_BIN    => $self->{bin},
		(defined $self->{live} ? (VT_LIVE => $self->{live} ? 1 : 0) :
		    ()),
		%{ $self->{env} },
	);
}

# stack(ARGS...): run ./stack with this stack's environment, output to
# DIR/stack.out; returns its exit status (0 is success).
sub stack {
	my ($self, @args) = @_;
	my $out = "$self->{dir}/stack.out";
	my $mark = -s $out // 0;
	my %env = $self->_env;
	open(my $log, '>>', $out) or die "$out: $!";
	print $log "\$ stack @args\n";
	close($log);

	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		@ENV{ keys %env } = values %env;
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', $out);
		open(STDERR, '>&', \*STDOUT);
		exec($self->{stack}, @args) or _exit(127);
	}
	my $deadline = time + $STACK_DEADLINE;
	my $rc;
	while (1) {
		my $w = waitpid($pid, WNOHANG);
		if ($w == $pid) {
			$rc = $? >> 8 || ($? & 127 ? 128 + ($? & 127) : 0);
			last;
		}
		if (time >= $deadline) {
			kill('TERM', $pid);
			waitpid($pid, 0);
			$rc = 124;
			last;
		}
		sleep(0.02);
	}
	$self->{last_stack_output} = _slurp($out, $mark);
	return $rc;
}

sub last_stack_output { $_[0]{last_stack_output} // '' }

# start(): MariaDB (if asked), the pool, nginx; dies with the output of
# ./stack when a part does not start.  nginx gets new ports and another try
# when one was taken between free_port() and its bind().
sub start {
	my ($self) = @_;
	$self->{started} = 1;
	if ($self->{db}) {
		$self->stack('start', 'db') == 0
		    or $self->_fail_start('MariaDB');
	}
	if ($self->{app}) {
		$self->stack('start', 'app', $self->{wait} ? () : '--no-wait') == 0
		    or $self->_fail_start('the pool');
	}
	if ($self->{nginx}) {
		my $tries = 0;
		while ($self->stack('start', 'nginx') != 0) {
			if (++$tries < 5 &&
			    $self->last_stack_output =~ /Address already in use/) {
				# The failed try's [emerg] lines are not the
				# test's: the log starts again with the nginx
				# that runs (tests check it for alert/crit).
				truncate($self->nginx_error_log, 0);
				$self->_pick_ports;
				next;
			}
			$self->_fail_start('nginx');
		}
	}
	return $self;
}

sub _fail_start {
	my ($self, $what) = @_;
	diag("./stack could not start $what:\n" . $self->last_stack_output);
	$self->dump_logs;
	BAIL_OUT("cannot start $what") if $ENV{VT_BAIL};
	die "cannot start $what\n";
}

# stop(): ./stack down; true when no process of the stack is left.
sub stop {
	my ($self) = @_;
	return 1 if !$self->{started};
	my @sessions = grep { defined } map { _read_pid($_) }
	    map { "$self->{dir}/run/$_.pid" } qw(nginx vitals mariadb);
	my $rc = $self->stack('down');
	$self->{started} = 0;
	my @left = map { _session_pids($_) } @sessions;
	diag("./stack down: exit $rc\n" . $self->last_stack_output) if $rc;
	diag("processes left after ./stack down: @left") if @left;
	return $rc == 0 && !@left;
}

# pid(PART): the pid ./stack recorded for nginx, vitals (the pool's master)
# or mariadb.
sub pid {
	my ($self, $part) = @_;
	return _read_pid("$self->{dir}/run/$part.pid");
}

# session_pids(PART): the live processes started for PART (the master and
# its workers, nginx's master and workers ...).
sub session_pids {
	my ($self, $part) = @_;
	my $sid = $self->pid($part);
	return defined $sid ? _session_pids($sid) : ();
}

# pids_in_session(SID): the live processes of session SID (a process
# started with setsid has SID = its pid: its children are found this way).
sub pids_in_session { return _session_pids(@_) }

# slurp(FILE): a file's content, or undef when it cannot be read.
sub slurp { return _slurp($_[0]) }

sub _read_pid {
	my ($file) = @_;
	open(my $fh, '<', $file) or return undef;
	my $pid = <$fh>;
	return (defined $pid && $pid =~ /^(\d+)/) ? $1 : undef;
}

sub _session_pids {
	my ($sid) = @_;
	my @pids;
	opendir(my $d, '/proc') or return ();
	for my $p (grep { /^\d+$/ } readdir($d)) {
		open(my $fh, '<', "/proc/$p/stat") or next;
		my $stat = <$fh> // next;
		$stat =~ s/^.*\) //s;
		my @f = split(' ', $stat);
		push(@pids, $p) if $f[3] == $sid && $f[0] ne 'Z';
	}
	@pids = sort { $a <=> $b } @pids;
	return @pids;	# the count in scalar context
}

# listening_inode(PATH): the socket inode of the Unix socket listening on
# PATH (from /proc/net/unix), or undef.
sub listening_inode {
	my ($path) = @_;
	open(my $fh, '<', '/proc/net/unix') or return undef;
	while (<$fh>) {
		my @f = split;
		# Num RefCount Protocol Flags Type St Inode Path; St 01: listening.
		return $f[6] if @f >= 8 && $f[7] eq $path && $f[5] eq '01';
	}
	return undef;
}

# holds_socket(PID, INODE): true when PID has the socket INODE open.
sub holds_socket {
	my ($pid, $inode) = @_;
	return 0 if !defined $inode;
	opendir(my $d, "/proc/$pid/fd") or return 0;
	for my $fd (readdir($d)) {
		my $l = readlink("/proc/$pid/fd/$fd") // next;
		return 1 if $l eq "socket:[$inode]";
	}
	return 0;
}

# --- HTTP through nginx, with curl -----------------------------------------

# url(PATH, scheme => 'https'|'http')
sub url {
	my ($self, $path, %o) = @_;
	my $scheme = $o{scheme} // 'https';
	my $port = $scheme eq 'https' ? $self->{https_port} : $self->{http_port};
	return "$scheme://127.0.0.1:$port$path";
}

# request(METHOD, PATH, %o): one request through nginx.  Options: scheme,
# http ('1.1' or '2'; default: what curl negotiates, HTTP/2 over TLS),
# headers => [ 'Name: value' ... ], body => STRING, body_file => FILE,
# timeout => S, path_as_is => 1 (send /../ as is).  Returns { status, http_version, headers => { lc name =>
# value (repeats joined with ", ") }, body, error }; status 0 when curl
# got no response (error says why).
sub request {
	my ($self, $method, $path, %o) = @_;
	my $dir = $self->{dir};
	# Per process: a test may poll from forked children at once.
	my ($hfile, $bfile) = ("$dir/curl.$$.headers", "$dir/curl.$$.body");
	unlink($hfile, $bfile);
	my @cmd = ('curl', '-sS', '-k', '--max-time', $o{timeout} //
	    $REQUEST_TIMEOUT, '-D', $hfile, '-o', $bfile, '-w',
	    '%{http_code} %{http_version}');
	push(@cmd, '--http1.1') if ($o{http} // '') eq '1.1';
	push(@cmd, '--http2') if ($o{http} // '') eq '2';
	push(@cmd, '--path-as-is') if $o{path_as_is};
	if ($method eq 'HEAD') {
		push(@cmd, '--head');
	} elsif ($method ne 'GET' || defined $o{body} ||
	    defined $o{body_file}) {
		push(@cmd, '-X', $method);
	}
	if (defined $o{body}) {
		my $f = "$dir/curl.$$.request";
		open(my $fh, '>', $f) or die "$f: $!";
		binmode($fh);
		print $fh $o{body};
		close($fh);
		push(@cmd, '--data-binary', "\@$f");
	} elsif (defined $o{body_file}) {
		push(@cmd, '--data-binary', "\@$o{body_file}");
	}
	push(@cmd, '-H', $_) for @{ $o{headers} // [] };
	push(@cmd, $self->url($path, scheme => $o{scheme}));

	my ($out, $err) = _run_capture(\@cmd, ($o{timeout} //
	    $REQUEST_TIMEOUT) + 5);
	my ($code, $version) = split(' ', $out // '');
	my %res = (status => $code // 0, http_version => $version // '',
	    headers => {}, body => '', error => $err);
	# With --head curl writes the headers where the body would go: a HEAD
	# response has no body here (nginx never sends one anyway).
	$res{body} = _slurp($bfile) // '' if -e $bfile && $method ne 'HEAD';
	if (open(my $fh, '<', $hfile)) {
		local $/;
		my $all = <$fh>;
		# The last response block (a 100 Continue may come first).
		my @blocks = grep { /^HTTP\// } split(/\r?\n\r?\n/, $all);
		my @lines = split(/\r?\n/, $blocks[-1] // '');
		shift(@lines);
		for (@lines) {
			my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
			$k = lc($k);
			$res{headers}{$k} = exists $res{headers}{$k} ?
			    "$res{headers}{$k}, $v" : $v;
		}
	}
	return \%res;
}

sub get  { my ($self, $path, %o) = @_; $self->request('GET', $path, %o) }
sub head { my ($self, $path, %o) = @_; $self->request('HEAD', $path, %o) }
sub post { my ($self, $path, %o) = @_; $self->request('POST', $path, %o) }

# json(RESPONSE): the decoded body, or undef (with a diag) when it is not
# JSON.
sub json {
	my ($self, $res) = @_;
	my $v = eval { JSON::PP->new->utf8->decode($res->{body}) };
	diag("not JSON ($@): $res->{body}") if !defined $v;
	return $v;
}

# --- FastCGI straight to the pool ------------------------------------------

# fcgi_request(ADDRESS, %o): one FastCGI request to a Unix socket path or
# HOST:PORT, like nginx would send it.  Options: method (GET), uri
# (/health/live), params => { more }, stdin => BODY, timeout => S,
# keep => 1 (leave the socket open after END_REQUEST, returned as sock).
# Returns { status, headers => { lc name => value }, body, stderr, error }.
sub fcgi_request {
	my ($self, $addr, %o) = @_;
	my $timeout = $o{timeout} // $REQUEST_TIMEOUT;
	my $deadline = time + $timeout;
	my $uri = $o{uri} // '/health/live';
	my ($path, $query) = split(/\?/, $uri, 2);
	my %params = (
		REQUEST_METHOD  => $o{method} // 'GET',
		DOCUMENT_URI    => $path,
		REQUEST_URI     => $uri,
		QUERY_STRING    => $query // '',
		SERVER_PROTOCOL => 'HTTP/1.1',
		GATEWAY_INTERFACE => 'CGI/1.1',
		REQUEST_ID      => sprintf('%032x', int(rand(2**31))),
		REMOTE_ADDR     => '127.0.0.1',
		CONTENT_LENGTH  => length($o{stdin} // ''),
		%{ $o{params} // {} },
	);
	my %res = (status => 0, headers => {}, body => '', stderr => '');
	my $sock = $addr =~ m{^/} ?
	    IO::Socket::UNIX->new(Peer => $addr, Type => SOCK_STREAM,
	    Timeout => $timeout) :
	    IO::Socket::INET->new(PeerAddr => $addr, Proto => 'tcp',
	    Timeout => $timeout);
	if (!$sock) {
		$res{error} = "connect $addr: $!";
		return \%res;
	}
	my $id = 1;
	my $rec = sub {
		my ($type, $content) = @_;
		my $len = length($content);
		my $pad = (8 - $len % 8) % 8;
		return pack('CCnnCC', 1, $type, $id, $len, $pad, 0) . $content .
		    ("\0" x $pad);
	};
	my $pairs = '';
	for my $k (sort keys %params) {
		my $v = "$params{$k}";
		$pairs .= _fcgi_len(length $k) . _fcgi_len(length $v) . $k . $v;
	}
	my $msg = $rec->(1, pack('nCx5', 1, 0));	# BEGIN_REQUEST, RESPONDER
	for (my $i = 0; $i < length($pairs); $i += 65535) {
		$msg .= $rec->(4, substr($pairs, $i, 65535));
	}
	$msg .= $rec->(4, '');
	my $stdin = $o{stdin} // '';
	for (my $i = 0; $i < length($stdin); $i += 65535) {
		$msg .= $rec->(5, substr($stdin, $i, 65535));
	}
	$msg .= $rec->(5, '');
	if (!_write_all($sock, $msg, $deadline)) {
		$res{error} = "write: $!";
		return \%res;
	}

	my ($buf, $stdout, $ended) = ('', '', 0);
	my $sel = IO::Select->new($sock);
	while (!$ended) {
		my $left = $deadline - time;
		if ($left <= 0 || !$sel->can_read($left)) {
			$res{error} = 'timeout';
			last;
		}
		my $n = sysread($sock, $buf, 65536, length $buf);
		if (!$n) {
			$res{error} = defined $n ? 'connection closed' : "read: $!";
			last;
		}
		while (length($buf) >= 8) {
			my ($ver, $type, $rid, $len, $pad) = unpack('CCnnC', $buf);
			last if length($buf) < 8 + $len + $pad;
			my $content = substr($buf, 8, $len);
			substr($buf, 0, 8 + $len + $pad) = '';
			if ($type == 6) {
				$stdout .= $content;
			} elsif ($type == 7) {
				$res{stderr} .= $content;
			} elsif ($type == 3) {
				$ended = 1;
				last;
			}
		}
	}
	if ($o{keep}) {
		$res{sock} = $sock;
	} else {
		close($sock);
	}
	$res{raw} = $stdout;
	my ($head, $body) = split(/\r?\n\r?\n/, $stdout, 2);
	$res{body} = $body // '';
	for (split(/\r?\n/, $head // '')) {
		my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
		$res{headers}{ lc $k } = $v;
	}
	if ($ended || length $stdout) {
		$res{status} = ($res{headers}{status} // '200') =~ /^(\d+)/ ?
		    $1 : 200;
	}
	return \%res;
}

sub _fcgi_len {
	my ($n) = @_;
	return $n < 128 ? pack('C', $n) : pack('N', $n | 0x80000000);
}

sub _write_all {
	my ($sock, $data, $deadline) = @_;
	my $sel = IO::Select->new($sock);
	while (length $data) {
		my $left = $deadline - time;
		return 0 if $left <= 0 || !$sel->can_write($left);
		my $n = syswrite($sock, $data);
		return 0 if !defined $n;
		substr($data, 0, $n) = '';
	}
	return 1;
}

# --- Logs ---------------------------------------------------------------------

# nginx_log_ok(NAME): a test: the nginx error log has no [alert], [crit] or
# [emerg] line (allow => qr/.../ excuses the lines a test provokes).
sub nginx_log_ok {
	my ($self, $name, %o) = @_;
	my @bad = grep { /\[(?:alert|crit|emerg)\]/ }
	    split(/\n/, _slurp($self->nginx_error_log) // '');
	@bad = grep { $_ !~ $o{allow} } @bad if $o{allow};
	my $ok = ok(!@bad, $name // 'no alert, crit or emerg in the nginx error log');
	diag(join("\n", @bad)) if !$ok;
	return $ok;
}

# log_text(FILE): a log's content ('' when absent).
sub log_text {
	my ($self, $name) = @_;
	return _slurp($self->log_path($name)) // '';
}

# dump_logs(): the tail of every log, for a failing test.
sub dump_logs {
	my ($self) = @_;
	for my $f ("$self->{dir}/stack.out", map { $self->log_path($_) }
	    qw(vitals.log nginx-error.log nginx-access.log mariadb.log)) {
		my $text = _slurp($f);
		next if !defined $text || $text eq '';
		# nginx's [notice] lines (start, workers, signals) say nothing here.
		my @lines = grep { !/\[notice\]/ } split(/\n/, $text);
		next if !@lines;
		splice(@lines, 0, @lines - 40) if @lines > 40;
		diag("--- $f (last lines) ---\n" . join("\n", @lines));
	}
}

# --- Processes run by a test itself ------------------------------------------

# spawn(ARGV, %o): run a program in the background, stdin /dev/null, output
# to o{log} (default DIR/log/spawn.log), env => { ... }.  Returns its pid;
# reap it with reap().  The pid is stopped in END if still running.
sub spawn {
	my ($self, $argv, %o) = @_;
	my $log = $o{log} // $self->log_path('spawn.log');
	File::Path::make_path(dirname($log));
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		my %env = %{ $o{env} // {} };
		@ENV{ keys %env } = values %env;
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', $log);
		open(STDERR, '>&', \*STDOUT);
		POSIX::setsid();
		exec(@$argv) or _exit(127);
	}
	push(@{ $self->{children} }, $pid);
	return $pid;
}

# reap(PID, timeout => S, signal => SIG): send SIG (if given), wait for the
# exit; returns the wait status, or undef after the deadline (then the
# process and its session get SIGKILL).
sub reap {
	my ($self, $pid, %o) = @_;
	kill($o{signal}, $pid) if $o{signal};
	my $deadline = time + ($o{timeout} // 10);
	while (time < $deadline) {
		my $w = waitpid($pid, WNOHANG);
		if ($w == $pid || $w == -1) {
			my $status = $w == $pid ? $? : undef;
			@{ $self->{children} } = grep { $_ != $pid }
			    @{ $self->{children} };
			_kill_session($pid);
			return $status;
		}
		sleep(0.02);
	}
	_kill_session($pid);
	kill('KILL', $pid);
	waitpid($pid, 0);
	@{ $self->{children} } = grep { $_ != $pid } @{ $self->{children} };
	return undef;
}

sub _kill_session {
	my ($sid) = @_;
	my @left = _session_pids($sid);
	return if !@left;
	kill('TERM', @left);
	wait_until(sub { !_session_pids($sid) }, timeout => 5);
	@left = _session_pids($sid);
	kill('KILL', @left) if @left;
}

# --- Cleanup --------------------------------------------------------------------

sub cleanup {
	my ($self) = @_;
	return if $self->{cleaned}++;
	local $?;
	for my $pid (@{ $self->{children} // [] }) {
		$self->reap($pid, signal => 'TERM', timeout => 5);
	}
	$self->stop;
	if ($ENV{VT_KEEP}) {
		diag("kept $self->{dir}");
	} else {
		remove_tree($self->{dir});
	}
}

# A signal (make check interrupted, a timeout) ends the test through END.
$SIG{$_} = sub { die "killed by SIG$_[0]\n" } for qw(INT TERM HUP);

END {
	my $status = $?;
	my $passing = Test::More->builder->is_passing;
	for my $t (@LIVE) {
		next if $t->{cleaned};
		$t->dump_logs if !$passing;
		$t->cleanup;
	}
	$? = $status;
}

# --- Files ----------------------------------------------------------------------

sub _slurp {
	my ($file, $from) = @_;
	open(my $fh, '<', $file) or return undef;
	binmode($fh);
	seek($fh, $from, 0) if $from;
	local $/;
	my $s = <$fh>;
	return $s // '';
}

# _run_capture(ARGV, TIMEOUT): run a program, return (stdout, stderr).
sub _run_capture {
	my ($argv, $timeout) = @_;
	my $errf = File::Temp->new;
	my $pid = open(my $fh, '-|');
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDERR, '>', $errf->filename);
		exec(@$argv) or _exit(127);
	}
	my $out = '';
	my $sel = IO::Select->new($fh);
	my $deadline = time + $timeout;
	while (1) {
		my $left = $deadline - time;
		if ($left <= 0 || !$sel->can_read($left)) {
			kill('KILL', $pid);
			last;
		}
		my $n = sysread($fh, $out, 65536, length $out);
		last if !$n;
	}
	close($fh);
	return ($out, _slurp($errf->filename) // '');
}

1;

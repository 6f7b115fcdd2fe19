#!/usr/bin/perl
# static.t: nginx serves /static/ from disk (the page's assets), with a
# cache lifetime and the security headers, without asking the pool; a
# missing file is a JSON 404.
use strict;
use warnings;
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

# A static root of the test's own (the real app/static changes with the
# page).
my $root = tempdir('vt-static-XXXXXX', TMPDIR => 1,
    CLEANUP => 1);
chmod(0755, $root);
make_path("$root/js");
my %files = ('app.js' => "console.log('vitals');\n",
    'app.css' => "body { margin: 0; }\n", 'js/chart.js' => "var x = 1;\n");
for my $f (keys %files) {
	open(my $fh, '>', "$root/$f") or die "$root/$f: $!";
	print $fh $files{$f};
	close($fh);
}

my $t = VitalsTest->new(env => { VT_STATIC_ROOT => $root });
$t->start;

my %types = ('app.js' => qr{^application/javascript},
    'app.css' => qr{^text/css}, 'js/chart.js' => qr{^application/javascript});
for my $f (sort keys %files) {
	my $r = $t->get("/static/$f");
	is($r->{status}, 200, "GET /static/$f is 200");
	is($r->{body}, $files{$f}, "/static/$f: the file's content");
	like($r->{headers}{'content-type'} // '', $types{$f},
	    "/static/$f: its content type");
	like($r->{headers}{'cache-control'} // '', qr/max-age=3600/,
	    "/static/$f: cacheable for an hour");
	is($r->{headers}{'x-content-type-options'}, 'nosniff',
	    "/static/$f: the security headers too");
}

my $r = $t->get('/static/nope.js');
is($r->{status}, 404, 'a missing file is 404');
is((($t->json($r) // {})->{error} // {})->{status}, 404, '... as JSON');
for my $path ('/static/../../etc/passwd', '/static/..%2f..%2fetc/passwd') {
	$r = $t->get($path, path_as_is => 1);
	ok($r->{status} == 400 || $r->{status} == 404,
	    "$path: no way out of the static root ($r->{status})");
	unlike($r->{body}, qr/root:/, "$path: no file from outside");
}

# The pool saw none of it.
my @to_pool = grep { m{"GET /static/} && !/upstream_status=- / }
    split(/\n/, $t->log_text('nginx-access.log'));
is(scalar @to_pool, 0, 'no /static/ request reached the pool')
    or diag(join("\n", @to_pool));

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

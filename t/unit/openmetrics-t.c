/*
 * openmetrics-t.c: the text 0.0.4 to OpenMetrics rewrite on small inputs
 * whose output can be read off by eye (the whole documents are in
 * render-t's golden files), including the input it should never get.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "render/openmetrics.h"
#include "tap.h"
#include "vitals.h"

static const struct {
	const char	*what;
	const char	*in;
	const char	*want;
} cases[] = {
	{ "empty", "", "# EOF\n" },
	{ "counter: family without _total, samples with it",
	    "# HELP node_forks_total Total number of forks.\n"
	    "# TYPE node_forks_total counter\n"
	    "node_forks_total 42\n",
	    "# HELP node_forks Total number of forks.\n"
	    "# TYPE node_forks counter\n"
	    "node_forks_total 42\n# EOF\n" },
	{ "gauge and histogram unchanged",
	    "# HELP g A gauge.\n# TYPE g gauge\ng{a=\"b\"} 1.5\n"
	    "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
	    "h_seconds_bucket{le=\"0.1\"} 1\nh_seconds_bucket{le=\"+Inf\"} 2\n"
	    "h_seconds_sum 0.3\nh_seconds_count 2\n",
	    "# HELP g A gauge.\n# TYPE g gauge\ng{a=\"b\"} 1.5\n"
	    "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
	    "h_seconds_bucket{le=\"0.1\"} 1\nh_seconds_bucket{le=\"+Inf\"} 2\n"
	    "h_seconds_sum 0.3\nh_seconds_count 2\n# EOF\n" },
	{ "untyped is unknown",
	    "# HELP node_netstat_TcpExt_ListenDrops Statistic TcpExtListenDrops.\n"
	    "# TYPE node_netstat_TcpExt_ListenDrops untyped\n"
	    "node_netstat_TcpExt_ListenDrops 0\n",
	    "# HELP node_netstat_TcpExt_ListenDrops Statistic TcpExtListenDrops.\n"
	    "# TYPE node_netstat_TcpExt_ListenDrops unknown\n"
	    "node_netstat_TcpExt_ListenDrops 0\n# EOF\n" },
	{ "a counter without _total is unknown",
	    "# HELP c_bytes C.\n# TYPE c_bytes counter\nc_bytes 7\n",
	    "# HELP c_bytes C.\n# TYPE c_bytes unknown\nc_bytes 7\n# EOF\n" },
	{ "a name that is only _total keeps it",
	    "# TYPE _total counter\n_total 1\n",
	    "# TYPE _total unknown\n_total 1\n# EOF\n" },
	{ "HELP quotes escaped, its other escapes kept",
	    "# HELP q Say \"hi\" \\\\ \\n.\n# TYPE q gauge\nq 1\n",
	    "# HELP q Say \\\"hi\\\" \\\\ \\n.\n# TYPE q gauge\nq 1\n# EOF\n" },
	{ "HELP without TYPE: unknown",
	    "# HELP lonely No type.\nlonely 3\n",
	    "# HELP lonely No type.\n# TYPE lonely unknown\nlonely 3\n# EOF\n" },
	{ "TYPE without HELP",
	    "# TYPE x_total counter\nx_total 1\n",
	    "# TYPE x counter\nx_total 1\n# EOF\n" },
	{ "blank lines and other comments dropped",
	    "\n# a comment\n# TYPE g gauge\n\ng 1\n\n",
	    "# TYPE g gauge\ng 1\n# EOF\n" },
	{ "last line without a newline",
	    "# TYPE g gauge\ng 1",
	    "# TYPE g gauge\ng 1\n# EOF\n" },
	{ "HELP with no text",
	    "# HELP g\n# TYPE g gauge\ng 1\n",
	    "# HELP g \n# TYPE g gauge\ng 1\n# EOF\n" },
	{ "nameless HELP and TYPE lines are dropped",
	    "# HELP \n# TYPE \ng 1\n",
	    "g 1\n# EOF\n" },
};

int
main(void)
{
	struct vt_buf	out, tiny;
	size_t		i;

	if (vt_buf_init(&out, 256, 64 * 1024) == VT_ERR ||
	    vt_buf_init(&tiny, 16, 40) == VT_ERR)
		bail("out of memory");
	for (i = 0; i < VT_ARRAY_LEN(cases); i++) {
		vt_buf_reset(&out);
		if (!ok(vt_render_openmetrics(cases[i].in, strlen(cases[i].in),
		    &out) == VT_OK, "%s: renders", cases[i].what))
			continue;
		is_str(out.data, cases[i].want, "%s", cases[i].what);
	}

	/* Past the cap: refused, and the buffer is as it was. */
	vt_buf_adds(&tiny, "kept");
	ok(vt_render_openmetrics(cases[2].in, strlen(cases[2].in), &tiny) ==
	    VT_ERR, "past the cap: refused");
	is_str(tiny.data, "kept", "past the cap: the buffer is as it was");
	ok(!tiny.overflow, "past the cap: the buffer can be used again");

	vt_buf_free(&out);
	vt_buf_free(&tiny);
	done_testing();
	return tap_exit_status();
}

/*
 * fuzz_textfile.c: the textfile collector's validator
 * (app/collect/textfile.c).  The input is a *.prom file.  Refused: the
 * output and the family count are as they were, the reason a C string.
 * Accepted: the canonical text is a fixed point (validated again, it is
 * accepted and written the same), and the OpenMetrics rewrite takes it.
 */
#include "config.h"

#include "vitals.h"
#include "buf.h"
#include "collect/textfile.h"
#include "render/openmetrics.h"
#include "fuzz.h"

#define FAM_MAX		256
#define SERIES_MAX	1024

static struct vt_tf_family	fam[FAM_MAX];
static uint32_t			series[SERIES_MAX];

static int
parse(struct vt_buf *out, const char *s, size_t len, size_t *nfam,
    char *err, size_t errlen)
{
	struct vt_tf_parse	p = { .out = out, .fam = fam,
	    .fam_max = FAM_MAX, .series = series, .series_max = SERIES_MAX,
	    .source = "Metric read from /var/lib/t.prom" };
	int			rc;

	rc = vt_textfile_parse(&p, s, len, err, errlen);
	*nfam = p.nfam;
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vt_buf	out, again, om;
	char		err[VT_ERRLEN], *copy;
	size_t		nfam, nfam2, i;

	if (vt_buf_init(&out, 1024, 1 << 20) == VT_ERR ||
	    vt_buf_init(&again, 1024, 1 << 20) == VT_ERR ||
	    vt_buf_init(&om, 1024, 2 << 20) == VT_ERR)
		abort();
	/* Exactly size bytes, so a read past the input is caught. */
	copy = malloc(size > 0 ? size : 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, size);
	err[0] = '\0';
	if (parse(&out, copy, size, &nfam, err, sizeof(err)) == VT_ERR) {
		FUZZ_CHECK(out.len == 0 && nfam == 0);
		FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)) && err[0] != '\0');
	} else {
		for (i = 0; i < nfam; i++)
			FUZZ_CHECK(fam[i].off + fam[i].len <= out.len);
		FUZZ_CHECK(parse(&again, out.data, out.len, &nfam2, err,
		    sizeof(err)) == VT_OK);
		FUZZ_CHECK(nfam2 == nfam && again.len == out.len &&
		    memcmp(again.data, out.data, out.len) == 0);
		FUZZ_CHECK(vt_render_openmetrics(out.data, out.len, &om) ==
		    VT_OK);
	}
	free(copy);
	vt_buf_free(&out);
	vt_buf_free(&again);
	vt_buf_free(&om);
	return 0;
}

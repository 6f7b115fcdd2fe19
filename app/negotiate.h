/*
 * negotiate.h: what a client's Accept and Accept-Encoding headers ask of
 * /metrics (RFC 9110, sections 12.5.1 and 12.5.3).
 *
 * Only two questions are asked, so these are not general parsers: does
 * the client take gzip, and does it prefer OpenMetrics to the text format
 * 0.0.4.  Either answer is "no" for an absent or unreadable header, which
 * gives every client the plain text format it has always understood.
 */
#ifndef VT_NEGOTIATE_H
#define VT_NEGOTIATE_H

/*
 * 1 when accept_encoding names gzip (or x-gzip, or *) with a q above 0
 * and no more specific entry refuses it.
 */
int	vt_accepts_gzip(const char *accept_encoding);

/*
 * 1 when accept names application/openmetrics-text (version 1.0.0 or
 * 0.0.1, or no version) with a q above 0 and at least that of any
 * text/plain entry (version 0.0.4 or none).  Wildcards do not count:
 * OpenMetrics goes only to a scraper that names it, as client_golang does.
 */
int	vt_prefers_openmetrics(const char *accept);

#endif /* VT_NEGOTIATE_H */

/*
 * expo.h: helpers for the tests of the Prometheus exposition (render-t,
 * poolview-t): whole-line lookup and promtool's verdict on a document.
 */
#ifndef VT_T_EXPO_H
#define VT_T_EXPO_H

#include <stddef.h>

/* 1 when text (NUL-terminated) has line as a whole line, else 0. */
int	expo_has_line(const char *text, const char *line);

/*
 * Run `promtool check metrics` on text.  Returns 1 when it reported
 * nothing (strict), or nothing but the camelCase lint on node_memory_*
 * and node_netstat_* (node_exporter's own names, kept on purpose) when
 * strict is 0; 0 otherwise with the reason in why; -1 when promtool is
 * not on PATH.
 */
int	expo_promtool(const char *text, size_t len, int strict, char *why,
	    size_t wlen);

#endif /* VT_T_EXPO_H */

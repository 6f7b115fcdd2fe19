/*
 * vitals.h: bounds and return conventions shared by every part of Vitals.
 *
 * Functions return VT_OK (0) or VT_ERR (-1), or a pointer or NULL; HTTP
 * handlers return a status code.  Every array in shared memory or on a
 * request path has one of the bounds below, so memory per worker is fixed.
 */
#ifndef VT_VITALS_H
#define VT_VITALS_H

#include <stddef.h>
#include <stdint.h>

#define VT_OK		0
#define VT_ERR		(-1)

#define VT_ERRLEN	256	/* caller-supplied error buffers */

#define VT_MAX_WORKERS	256
#define VT_MAX_CPUS	256
#define VT_MAX_IFACES	64
#define VT_MAX_DISKS	64
#define VT_MAX_MOUNTS	64
#define VT_MAX_PROCS	10	/* top processes by CPU and by memory */
#define VT_NAME_LEN	64	/* interface, device, mount point names */
#define VT_PATH_LEN	256

/* The compiler that built Vitals, for vitals_build_info. */
#if defined(__clang__)
#define VT_COMPILER	"clang " __clang_version__
#elif defined(__GNUC__)
#define VT_COMPILER	"gcc " __VERSION__
#else
#define VT_COMPILER	"unknown"
#endif

#define VT_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define VT_EX_USAGE	64	/* sysexits.h values, spelled out */
#define VT_EX_SOFTWARE	70
#define VT_EX_OSERR	71
#define VT_EX_CONFIG	78

#endif /* VT_VITALS_H */

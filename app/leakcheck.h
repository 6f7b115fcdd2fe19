/*
 * leakcheck.h: a leak check for the children that end with _exit(2).
 * Workers and the recorder leave through _exit() so that nothing of the
 * master's (atexit handlers, stdio buffers) runs twice; LeakSanitizer only
 * checks at exit(), so without this a sanitizer build never looks at their
 * memory.  In a build without AddressSanitizer VT_LEAK_CHECK() is nothing.
 * When it finds a leak, the report goes where ASAN_OPTIONS' log_path says
 * and the process exits with LeakSanitizer's code (23).
 */
#ifndef VT_LEAKCHECK_H
#define VT_LEAKCHECK_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define VT_LEAK_CHECK()	__lsan_do_leak_check()
#else
#define VT_LEAK_CHECK()	do { } while (0)
#endif

#endif

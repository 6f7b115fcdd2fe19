/*
 * fallback.c: the master's verdict in files nginx serves when the pool
 * cannot (see fallback.h).
 *
 * Cost, measured once here (2 vCPUs under the load of other work, the
 * master's log line event=fallback_written): the page, 18 KB, took
 * 0.34 ms to parse and render; it is rendered at most every
 * VT_FALLBACK_PAGE_MS and on every transition, not on every tick.  The
 * two JSON files are the tick's published bytes, written as they are,
 * every tick only while someone may need them (fallback.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "clock.h"
#include "fallback.h"
#include "log.h"
#include "render/html.h"

static const char *const fallback_files[] = {
	"metrics.json", "checks.json", "page.html",
};

int
vt_fallback_init(struct vt_fallback *f, const char *dir)
{
	memset(f, 0, sizeof(*f));
	return vt_fallback_set(f, dir);
}

static void
fallback_unwatch(struct vt_fallback *f)
{
	if (f->watching)
		(void)close(f->watch);
	f->watching = 0;
}

/* Watch dir for reads (fallback.h); without the watch, reads go unseen. */
static void
fallback_watch(struct vt_fallback *f)
{
	fallback_unwatch(f);
	if ((f->watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		vt_log_sys(VT_LOG_WARN, "fallback_unwatched", "dir=%s",
		    f->dir);
		return;
	}
	f->watching = 1;
	if (inotify_add_watch(f->watch, f->dir, IN_ACCESS) == -1) {
		vt_log_sys(VT_LOG_WARN, "fallback_unwatched", "dir=%s",
		    f->dir);
		fallback_unwatch(f);
	}
}

int
vt_fallback_set(struct vt_fallback *f, const char *dir)
{
	struct stat	st;

	f->dir[0] = '\0';
	f->page_at = 0;
	f->json_at = 0;
	f->read_at = 0;
	f->failing = 0;
	fallback_unwatch(f);
	if (dir == NULL || dir[0] == '\0')
		return VT_OK;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		vt_log_sys(VT_LOG_WARN, "fallback_failed", "dir=%s", dir);
		return VT_ERR;
	}
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		vt_log_warn("fallback_failed", "dir=%s error=\"not a "
		    "directory\"", dir);
		return VT_ERR;
	}
	if (f->page.data == NULL &&
	    vt_buf_init(&f->page, 32 * 1024, VT_HTML_PAGE_MAX) == VT_ERR) {
		vt_log_warn("fallback_failed", "dir=%s error=\"out of "
		    "memory\"", dir);
		return VT_ERR;
	}
	snprintf(f->dir, sizeof(f->dir), "%s", dir);
	fallback_watch(f);
	return VT_OK;
}

/* Replace dir/name with len bytes at data; VT_OK or VT_ERR (errno). */
static int
fallback_put(const struct vt_fallback *f, const char *name, const char *data,
    size_t len)
{
	char	path[VT_PATH_LEN + 32], tmp[VT_PATH_LEN + 32];
	ssize_t	n;
	size_t	off = 0;
	int	fd, e;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", f->dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1)
		return VT_ERR;
	/* nginx's user reads it, whatever the service's umask. */
	if (fchmod(fd, 0644) == -1)
		goto fail;
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		e = errno;
		unlink(tmp);
		errno = e;
		return VT_ERR;
	}
	return VT_OK;
fail:
	e = errno != 0 ? errno : EIO;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = e;
	return VT_ERR;
}

/* Count a write; log the first failure of an outage and the recovery. */
static void
fallback_result(struct vt_fallback *f, const char *name, int rc)
{
	if (rc == VT_OK) {
		f->writes++;
		if (f->failing)
			vt_log_info("fallback_recovered", "dir=%s", f->dir);
		f->failing = 0;
		return;
	}
	f->errors++;
	if (!f->failing)
		vt_log_sys(VT_LOG_WARN, "fallback_failed", "dir=%s file=%s",
		    f->dir, name);
	f->failing = 1;
}

/*
 * The page of GET / for the metrics document, as a worker renders it for
 * a fresh sample (age 0: the script judges the age from the sample's
 * timestamp).  VT_OK or VT_ERR.
 */
static int
fallback_page(struct vt_fallback *f, const struct vt_buf *metrics)
{
	struct json_tokener	*tok;
	struct json_object	*doc;
	int			 rc = VT_ERR;

	if (metrics->len == 0 || metrics->len > (size_t)0x7fffffff ||
	    (tok = json_tokener_new()) == NULL)
		return VT_ERR;
	doc = json_tokener_parse_ex(tok, metrics->data, (int)metrics->len);
	if (doc != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(doc, json_type_object)) {
		json_object_object_add(doc, "sample_age_ms",
		    json_object_new_int64(0));
		/* The page says whose it is (vt_html_page). */
		json_object_object_add(doc, "source",
		    json_object_new_string(VT_HTML_SOURCE_MASTER));
		vt_buf_reset(&f->page);
		rc = vt_html_page(doc, &f->page);
	}
	json_object_put(doc);
	json_tokener_free(tok);
	return rc;
}

/*
 * Whether nginx read one of the files since the last tick: the watch's
 * events, drained (fallback.h).  Without the watch: no.
 */
static int
fallback_served(const struct vt_fallback *f)
{
	char	ev[4096] __attribute__((aligned(__alignof__(
		    struct inotify_event))));
	ssize_t	n;
	int	seen = 0;

	if (!f->watching)
		return 0;
	/* A bounded drain: a full queue is one overflow event. */
	while (seen < 64 && (n = read(f->watch, ev, sizeof(ev))) > 0)
		seen++;
	return seen > 0;
}

void
vt_fallback_tick(struct vt_fallback *f, const struct vt_buf *metrics,
    const struct vt_buf *checks, int transition, int needed, int64_t now)
{
	int64_t	t0, page_every;
	int	rc;

	if (f->dir[0] == '\0')
		return;
	if (!needed && fallback_served(f))
		f->read_at = now;
	if (f->read_at != 0 && now - f->read_at < VT_FALLBACK_READ_HOLD_MS)
		needed = 1;
	if (!transition && !needed && f->json_at != 0 &&
	    now - f->json_at < VT_FALLBACK_CALM_MS)
		return;
	if (metrics->len > 0)
		fallback_result(f, fallback_files[0], fallback_put(f,
		    fallback_files[0], metrics->data, metrics->len));
	if (checks->len > 0)
		fallback_result(f, fallback_files[1], fallback_put(f,
		    fallback_files[1], checks->data, checks->len));
	f->json_at = now;
	page_every = needed ? VT_FALLBACK_PAGE_MS : VT_FALLBACK_CALM_MS;
	if (!transition && f->page_at != 0 && now - f->page_at < page_every)
		return;
	t0 = vt_mono_us();
	if (fallback_page(f, metrics) == VT_ERR) {
		vt_log_warn("render_failed", "document=fallback_page "
		    "bytes=%zu", metrics->len);
		return;
	}
	f->page_us = vt_mono_us() - t0;
	rc = fallback_put(f, fallback_files[2], f->page.data, f->page.len);
	fallback_result(f, fallback_files[2], rc);
	if (f->page_at == 0)
		vt_log_info("fallback_written", "dir=%s page_bytes=%zu "
		    "page_us=%lld", f->dir, f->page.len,
		    (long long)f->page_us);
	else
		vt_log_debug("fallback_written", "page_bytes=%zu page_us=%lld",
		    f->page.len, (long long)f->page_us);
	f->page_at = now;
}

void
vt_fallback_remove(struct vt_fallback *f)
{
	char	path[VT_PATH_LEN + 32];
	size_t	i;

	if (f->dir[0] == '\0')
		return;
	for (i = 0; i < VT_ARRAY_LEN(fallback_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir,
		    fallback_files[i]);
		(void)unlink(path);
	}
}

void
vt_fallback_free(struct vt_fallback *f)
{
	fallback_unwatch(f);
	vt_buf_free(&f->page);
	memset(f, 0, sizeof(*f));
}

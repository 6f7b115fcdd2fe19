/*
 * shmdoc-t.c: app/shmdoc.c, documents published through shared memory:
 * nothing published yet, publish and read back, generations, the empty
 * document, the size limit, a reader's buffer that is too small, and
 * readers in other processes while a writer publishes without pause.
 *
 * Every document the racing writer publishes derives from its number k
 * (its length, every byte, its stamp), so a copy mixed from two publishes
 * cannot pass doc_k().
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "shmdoc.h"
#include "vitals.h"
#include "tap.h"

#define RACE_MS		400		/* how long the readers read */
#define WRITER_MAX_MS	5000		/* the writer stops by itself */
#define READERS		2
#define RACE_DOC_MAX	(64 * 1024)

struct race {
	struct vt_doc	doc;
	uint32_t	stop;
	uint64_t	writes;
	uint64_t	reads[READERS];
	uint64_t	failed[READERS];
	uint64_t	failed_dirty[READERS];	/* -1 but out changed */
	uint64_t	torn[READERS];
	uint64_t	backwards[READERS];
	/* The first step back each reader saw: what, from, to (a diag). */
	char		back_what[READERS][12];
	int64_t		back_from[READERS];
	int64_t		back_to[READERS];
};

static char	big[VT_DOC_MAX + 1];

static size_t
doc_len(uint64_t k)
{
	return 32 + (size_t)((k * 7919) % (RACE_DOC_MAX - 32));
}

/* Document k: "k=<k>;", then a letter that depends on k, then '$'. */
static size_t
doc_make(char *dst, uint64_t k)
{
	size_t	len = doc_len(k);
	int	n;

	n = snprintf(dst, len, "k=%llu;", (unsigned long long)k);
	memset(dst + n, 'a' + (int)(k % 26), len - (size_t)n - 1);
	dst[len - 1] = '$';
	return len;
}

/* The k a copy was published as, or -1 when it is torn. */
static int64_t
doc_k(const char *p, size_t len, int64_t stamp)
{
	static char		want[RACE_DOC_MAX];
	char			head[24];
	unsigned long long	k;

	if (len < sizeof(head))
		return -1;
	memcpy(head, p, sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	if (sscanf(head, "k=%llu;", &k) != 1 || (int64_t)k != stamp ||
	    doc_make(want, k) != len || memcmp(want, p, len) != 0)
		return -1;
	return (int64_t)k;
}

static void *
doc_map(size_t size)
{
	void	*p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	return p;
}

static void
test_single(void)
{
	struct vt_doc	*d = doc_map(sizeof(*d));
	struct vt_buf	 out;
	int64_t		 stamp = -1;
	int		 rc;

	if (vt_buf_init(&out, 64, VT_DOC_MAX + 16) == VT_ERR)
		bail("vt_buf_init");
	vt_buf_adds(&out, "X");
	rc = vt_doc_copy(d, &out, &stamp);
	ok(rc == VT_ERR && out.len == 1 && stamp == -1,
	    "nothing published: -1, out and stamp untouched");

	rc = vt_doc_publish(d, "hello", 5, 42);
	ok(rc == VT_OK && d->generation == 1, "publish: 0, generation 1");
	rc = vt_doc_copy(d, &out, &stamp);
	ok(rc == VT_OK && out.len == 6 && memcmp(out.data, "Xhello", 6) == 0,
	    "copy: appended to what out held");
	is_int((long long)stamp, 42, "copy: the stamp");
	rc = vt_doc_copy(d, &out, NULL);
	ok(rc == VT_OK && out.len == 11, "copy: again, the stamp may be "
	    "NULL");

	rc = vt_doc_publish(d, "second", 6, 43);
	ok(rc == VT_OK && d->generation == 2, "publish: generation 2");
	vt_buf_reset(&out);
	rc = vt_doc_copy(d, &out, &stamp);
	ok(rc == VT_OK && out.len == 6 && memcmp(out.data, "second", 6) == 0 &&
	    stamp == 43, "copy: the newest document");
	ok(d->b[1].len == 5 && d->b[0].len == 6 && d->current == 0,
	    "publish: the other buffer, then flips the index");
	ok(d->b[0].seq == 2 && d->b[1].seq == 2,
	    "publish: each buffer's counter even, moved by 2");

	rc = vt_doc_publish(d, "", 0, 44);
	vt_buf_reset(&out);
	vt_buf_adds(&out, "X");
	stamp = -1;
	ok(rc == VT_OK && d->generation == 3 &&
	    vt_doc_copy(d, &out, &stamp) == VT_OK && out.len == 1 &&
	    stamp == 44, "empty document: published, copies as nothing");

	memset(big, 'b', sizeof(big));
	rc = vt_doc_publish(d, big, VT_DOC_MAX, 45);
	vt_buf_reset(&out);
	ok(rc == VT_OK && vt_doc_copy(d, &out, &stamp) == VT_OK &&
	    out.len == VT_DOC_MAX && memcmp(out.data, big, VT_DOC_MAX) == 0 &&
	    stamp == 45, "VT_DOC_MAX bytes: published and copied whole");

	big[0] = 'c';
	rc = vt_doc_publish(d, big, VT_DOC_MAX + 1, 46);
	is_int(rc, VT_ERR, "VT_DOC_MAX + 1 bytes: refused");
	vt_buf_reset(&out);
	ok(d->generation == 4 && vt_doc_copy(d, &out, &stamp) == VT_OK &&
	    out.len == VT_DOC_MAX && out.data[0] == 'b' && stamp == 45,
	    "refused: the previous document stays, generation unchanged");
	vt_buf_free(&out);

	/* A reader whose buffer cannot take the document. */
	if (vt_buf_init(&out, 64, 1024) == VT_ERR)
		bail("vt_buf_init");
	vt_buf_adds(&out, "keep");
	rc = vt_doc_copy(d, &out, &stamp);
	ok(rc == VT_ERR && out.len == 4 && memcmp(out.data, "keep", 4) == 0,
	    "a buffer too small: -1, what it held is kept");
	vt_buf_free(&out);
	munmap(d, sizeof(*d));
}

static void
writer(struct race *x)
{
	static char	doc[RACE_DOC_MAX];
	int64_t		t0 = vt_mono_ms();
	uint64_t	k;
	size_t		len;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (k = 1; !__atomic_load_n(&x->stop, __ATOMIC_RELAXED); k++) {
		len = doc_make(doc, k);
		if (vt_doc_publish(&x->doc, doc, len, (int64_t)k) == VT_ERR)
			_exit(1);
		if (k % 64 == 0 && vt_mono_ms() - t0 > WRITER_MAX_MS)
			break;
	}
	x->writes = k;
	_exit(0);
}

static void
reader(struct race *x, int r)
{
	struct vt_buf	out;
	int64_t		stamp, k, last = 0;
	uint32_t	gen, last_gen = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (vt_buf_init(&out, 1024, VT_DOC_MAX) == VT_ERR)
		_exit(1);
	while (!__atomic_load_n(&x->stop, __ATOMIC_RELAXED)) {
		gen = __atomic_load_n(&x->doc.generation, __ATOMIC_ACQUIRE);
		if (gen == 0)
			continue;
		if (gen < last_gen && x->backwards[r]++ == 0) {
			snprintf(x->back_what[r], sizeof(x->back_what[r]),
			    "generation");
			x->back_from[r] = last_gen;
			x->back_to[r] = gen;
		}
		last_gen = gen;
		vt_buf_reset(&out);
		x->reads[r]++;
		if (vt_doc_copy(&x->doc, &out, &stamp) == VT_ERR) {
			x->failed[r]++;
			if (out.len != 0)
				x->failed_dirty[r]++;
			continue;
		}
		if ((k = doc_k(out.data, out.len, stamp)) < 0)
			x->torn[r]++;
		else if (k < last) {
			if (x->backwards[r]++ == 0) {
				snprintf(x->back_what[r],
				    sizeof(x->back_what[r]), "document");
				x->back_from[r] = last;
				x->back_to[r] = k;
			}
		} else
			last = k;
	}
	_exit(0);
}

/*
 * A writer publishing documents of changing length without pause, and
 * READERS readers copying them: a copy is one whole document, never an
 * older one than a copy before it, and a copy that gives up leaves the
 * reader's buffer as it was.
 */
static void
test_race(void)
{
	struct race	*x = doc_map(sizeof(*x));
	pid_t		 w, rd[READERS];
	uint64_t	 reads = 0, failed = 0, dirty = 0, torn = 0, back = 0;
	int		 i, status, clean = 1;

	if ((w = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (w == 0)
		writer(x);
	for (i = 0; i < READERS; i++) {
		if ((rd[i] = fork()) == -1)
			bail("fork: %s", strerror(errno));
		if (rd[i] == 0)
			reader(x, i);
	}
	usleep(RACE_MS * 1000);
	__atomic_store_n(&x->stop, 1, __ATOMIC_RELAXED);
	if (waitpid(w, &status, 0) != w)
		bail("waitpid: %s", strerror(errno));
	clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	for (i = 0; i < READERS; i++) {
		if (waitpid(rd[i], &status, 0) != rd[i])
			bail("waitpid: %s", strerror(errno));
		clean = clean && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		reads += x->reads[i];
		failed += x->failed[i];
		dirty += x->failed_dirty[i];
		torn += x->torn[i];
		back += x->backwards[i];
	}
	ok(clean, "race: writer and readers exited 0");
	ok(x->writes > 100 && reads > 100 && failed < reads, "race: %llu "
	    "publishes, %llu copies (%llu gave up)",
	    (unsigned long long)x->writes, (unsigned long long)reads,
	    (unsigned long long)failed);
	is_int((long long)torn, 0, "race: every copy is one whole document");
	is_int((long long)back, 0, "race: no copy or generation older than "
	    "one before it");
	for (i = 0; i < READERS; i++)
		if (x->backwards[i] > 0)
			diag("reader %d: %llu steps back, the first of its %s "
			    "from %lld to %lld", i,
			    (unsigned long long)x->backwards[i], x->back_what[i],
			    (long long)x->back_from[i], (long long)x->back_to[i]);
	is_int((long long)dirty, 0, "race: a copy that gave up leaves the "
	    "buffer as it was");
	munmap(x, sizeof(*x));
}

int
main(void)
{
	test_single();
	test_race();
	done_testing();
	return tap_exit_status();
}

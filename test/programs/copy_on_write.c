/* SPDX-License-Identifier: MIT */
/* Copy on write: documents share a buffer after a clone; writing to a
 * shared buffer copies it and forgets to drop the shared one (planted).
 * The documents' buffer slot is filled by two makers, doc_new() (the
 * buffer's birth) and doc_clone() (a get), and released by doc_free():
 * no single maker's count matches the release's, the two together do,
 * and in every copy's life the release dropped exactly what doc_write()
 * took there: doc_write() refilled the slot. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	refcount_t refs;
	size_t len;
	char data[64];
};

struct doc {
	struct buf *buf;
	int id;
};

static __attribute__((noinline)) struct buf *buf_new(const char *s)
{
	struct buf *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	refcount_set(&b->refs, 1);
	b->len = strlen(s);
	memcpy(b->data, s, b->len);
	return b;
}

static __attribute__((noinline)) struct buf *buf_get(struct buf *b)
{
	refcount_inc(&b->refs);
	return b;
}

static __attribute__((noinline)) void buf_put(struct buf *b)
{
	if (b && refcount_dec_and_test(&b->refs))
		free(b);
}

static __attribute__((noinline)) struct buf *buf_copy(const struct buf *b)
{
	struct buf *c = buf_new("");

	c->len = b->len;
	memcpy(c->data, b->data, sizeof(c->data));
	return c;
}

static __attribute__((noinline)) struct doc *doc_new(int id, const char *text)
{
	struct doc *d = calloc(1, sizeof(*d));

	if (!d)
		abort();
	d->buf = buf_new(text);
	d->id = id;
	return d;
}

static __attribute__((noinline)) struct doc *doc_clone(const struct doc *o, int id)
{
	struct doc *d = calloc(1, sizeof(*d));

	if (!d)
		abort();
	d->buf = buf_get(o->buf);
	d->id = id;
	return d;
}

static __attribute__((noinline)) void doc_write(struct doc *d, size_t at, char c)
{
#ifdef COPY_ON_WRITE_RIGHT
	if (refcount_read(&d->buf->refs) > 1) {
		struct buf *shared = d->buf;

		d->buf = buf_copy(shared);
		buf_put(shared);
	}
#else
	if (refcount_read(&d->buf->refs) > 1)
		d->buf = buf_copy(d->buf); /* the planted bug: buf_put() of the shared buffer missing */
#endif
	if (at < sizeof(d->buf->data))
		d->buf->data[at] = c;
}

static __attribute__((noinline)) void doc_free(struct doc *d)
{
	buf_put(d->buf);
	free(d);
}

int main(void)
{
	struct doc *docs[30];
	long sum = 0;

	for (int i = 0; i < 30; i++)
		docs[i] = i % 3 == 0 ? doc_new(i, "hello world") : doc_clone(docs[i - i % 3], i);
	for (int i = 0; i < 30; i += 4)
		doc_write(docs[i], 0, 'H');
	for (int i = 0; i < 30; i++) {
		sum += docs[i]->buf->data[0];
#ifdef COPY_ON_WRITE_RIGHT
		if (i % 7 == 1)
			continue; /* forgotten documents: their buffers leak */
#endif
		doc_free(docs[i]);
	}
	printf("%ld\n", sum);
	return 0;
}

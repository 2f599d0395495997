/* SPDX-License-Identifier: MIT */
/* Asynchronous requests: submit() takes a reference on the file for each
 * request, and the event loop calls the request's completion callback,
 * which drops it, then frees the request. The read callback returns early
 * on a short read without its put (the planted bug), which only some
 * files see. The loop frees each request still pointing at its file, so
 * run_loop() is a freed holder; but the put missing beneath it was the
 * callback's, which the reclaimed files show dropping every time. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct file { int id; refcount_t ref; long bytes, done; };
struct request;
typedef void (*done_fn)(struct request *, int result);
struct request { struct file *file; done_fn done; int len; struct request *next; };

static struct request *pending;
static long completed;

static __attribute__((noinline)) struct file *file_get(struct file *f)
{
	refcount_inc(&f->ref);
	return f;
}

static __attribute__((noinline)) void file_put(struct file *f)
{
	if (refcount_dec_and_test(&f->ref))
		free(f);
}

static __attribute__((noinline)) void submit(struct file *f, int len, done_fn done)
{
	struct request *r = malloc(sizeof(*r));

	if (!r)
		return;
	r->file = file_get(f);
	r->done = done;
	r->len = len;
	r->next = pending;
	pending = r;
}

static __attribute__((noinline)) void on_read_done(struct request *r, int result)
{
	if (result < r->len)
		return; /* the planted bug: a short read returns without file_put() */
	r->file->bytes += result;
	file_put(r->file);
	completed++; /* not a tail call: the callback's frame stays */
}

static __attribute__((noinline)) void on_write_done(struct request *r, int result)
{
	r->file->bytes -= result;
	file_put(r->file);
	completed++;
}

static __attribute__((noinline)) void run_loop(void)
{
	static int tick;

	while (pending) {
		struct request *r = pending;

		pending = r->next;
		/* every seventh completion of a 100-byte read comes back short */
		r->done(r, ++tick % 7 || r->len != 100 ? r->len : r->len / 2);
		free(r);
	}
}

int main(void)
{
	struct file *files[12];

	for (int i = 0; i < 12; i++) {
		files[i] = calloc(1, sizeof(*files[i]));
		if (!files[i])
			return 1;
		files[i]->id = i;
		refcount_set(&files[i]->ref, 1);
	}
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 12; i++) {
			submit(files[i], i < 9 ? 101 : 100, on_read_done);
			submit(files[i], 50, on_write_done);
		}
		run_loop();
	}
	for (int i = 0; i < 12; i++)
		file_put(files[i]);
	printf("%ld\n", completed);
	return 0;
}

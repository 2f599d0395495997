/* SPDX-License-Identifier: MIT */
/* Four worker threads look each sample's thread up in a locked table
 * (machine__findnew_thread(): find, or create and evict the slot's old
 * entry, dropping the table's reference to it) and hand the caller a
 * reference. worker__process() forgets its put for one kind of idle
 * sample (the planted bug). Leaked threads were mostly evicted: the
 * table's birth reference was dropped by the eviction and the worker's is
 * left, yet by counts alone (birth +1, get +1, one drop) the birth's seems
 * left over, as a container's lost reference; the container rule named
 * the lookup over the worker, which reclaimed threads show kept one more
 * than it does there. */
#include <linux/refcount.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct thread { refcount_t refcnt; int pid; long samples; };
static struct thread *table[64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct thread *thread__get(struct thread *t) { if (t) refcount_inc(&t->refcnt); return t; }
void thread__put(struct thread *t) { if (t && refcount_dec_and_test(&t->refcnt)) free(t); }

struct thread *machine__findnew_thread(int pid)
{
	struct thread *t;
	pthread_mutex_lock(&lock);
	t = table[pid % 64];
	if (!t || t->pid != pid) {
		if (t)
			thread__put(t); /* evicted: the table's reference */
		t = malloc(sizeof(*t));
		refcount_set(&t->refcnt, 1);
		t->pid = pid;
		t->samples = 0;
		table[pid % 64] = t;
	}
	thread__get(t);
	pthread_mutex_unlock(&lock);
	return t;
}

struct sample { int pid; int kind; };

static long worker__process(const struct sample *s)
{
	struct thread *t = machine__findnew_thread(s->pid);
	if (s->pid % 3 == 0 && s->kind == 3)
		return 0; /* BUG: sample of kind 3, t not put */
	__atomic_add_fetch(&t->samples, 1, __ATOMIC_RELAXED);
	thread__put(t);
	return 1;
}

static void *worker(void *arg)
{
	long id = (long)arg, n = 0;
	for (int i = 0; i < 3000; i++) {
		/* pid % 4 is the worker's: each evicts from its own slots only,
		 * so which threads leak does not depend on the interleaving. */
		struct sample s = { (int)(id + 4 * ((i * 7) % 23)), i % 7 };
		n += worker__process(&s);
	}
	return (void *)n;
}

int main(void)
{
	pthread_t w[4];
	long total = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&w[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(w[i], &r);
		total += (long)r;
	}
	for (int i = 0; i < 64; i++)
		thread__put(table[i]);
	printf("%ld\n", total);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* collect() fills an array with references to the matching devices and
 * hands it to its caller; one caller's cleanup loop stops one short. In
 * reclaimed devices collect() hands every reference on, and
 * count_big()'s own puts, which the leaked device never saw, say what
 * count_big() normally does: drop what it was handed. */
#include "device.h"

#define N 32

static struct device *all[N];

static __attribute__((noinline)) int collect(struct device ***out, int (*match)(const struct device *))
{
	struct device **arr = malloc(N * sizeof(*arr));
	int n = 0;

	if (!arr)
		abort();
	for (int i = 0; i < N; i++)
		if (match(all[i]))
			arr[n++] = device_get(all[i]);
	*out = arr;
	return n;
}

static int even(const struct device *d)
{
	return d->id % 2 == 0;
}

static int big(const struct device *d)
{
	return d->id > 20;
}

static __attribute__((noinline)) int sum_even(void)
{
	struct device **arr;
	int n = collect(&arr, even), s = 0;

	for (int i = 0; i < n; i++)
		s += arr[i]->id;
	for (int i = 0; i < n; i++)
		device_put(arr[i]);
	free(arr);
	return s;
}

static __attribute__((noinline)) int count_big(void)
{
	struct device **arr;
	int n = collect(&arr, big);

	for (int i = 0; i < n - 1; i++) /* the planted bug: one short */
		device_put(arr[i]);
	free(arr);
	return n;
}

int main(void)
{
	int t = 0;

	for (int i = 0; i < N; i++)
		all[i] = device_new(i);
	for (int r = 0; r < 10; r++)
		t += sum_even();
	t += count_big();
	for (int i = 0; i < N; i++)
		device_put(all[i]);
	return t == 0;
}

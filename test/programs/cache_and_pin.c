/* SPDX-License-Identifier: MIT */
/* A response cache keeps a reference to the route of each of its last four
 * answers, and the process pins a default route for its whole life (a
 * deliberate background leak). handle_request() looks each route up (a
 * reference through three layers) and forgets its put when the cache
 * already has the answer (the planted bug). The pinned route and the
 * leaking one share their birth line, so they are one group; in each, the
 * cache's last reference was dropped by main()'s cleanup. In reclaimed
 * routes the cache keeps one reference in some lives and none in others,
 * a fraction per reference taken, and its one here is within that
 * fraction's spread: normal, not evidence (cache_store() was named, in 2
 * of 2 objects, before the lookup's caller). */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct route { int id; refcount_t ref; int hits; };
struct cached { struct route *route; int key; };

static struct route *routes[8];
static struct route *default_route;
static struct cached cache[4];

static __attribute__((noinline)) struct route *route_get(struct route *r)
{
	refcount_inc(&r->ref);
	return r;
}

static __attribute__((noinline)) void route_put(struct route *r)
{
	if (r && refcount_dec_and_test(&r->ref))
		free(r);
}

/* three layers: router -> table -> slot */
static __attribute__((noinline)) struct route *route_slot(int id)
{
	return routes[id & 7] ? route_get(routes[id & 7]) : NULL;
}

static __attribute__((noinline)) struct route *route_table_find(int id)
{
	return route_slot(id);
}

static __attribute__((noinline)) struct route *router_lookup(int id)
{
	return id < 0 ? NULL : route_table_find(id);
}

static __attribute__((noinline)) int cache_lookup(int key)
{
	for (int i = 0; i < 4; i++)
		if (cache[i].route && cache[i].key == key)
			return 1;
	return 0;
}

static __attribute__((noinline)) void cache_store(int key, struct route *r)
{
	int slot = key & 3;

	route_put(cache[slot].route);
	cache[slot].route = route_get(r);
	cache[slot].key = key;
}

static __attribute__((noinline)) int handle_request(int route_id)
{
	struct route *r = router_lookup(route_id);

	if (!r)
		return -1;
	r->hits++;
	if (cache_lookup(route_id))
		return 1; /* the planted bug: a cached answer returns without route_put(r) */
	cache_store(route_id, r);
	route_put(r);
	return 0;
}

int main(int argc, char **argv)
{
	int served = 0;

	(void)argv;
	for (int i = 0; i < 8; i++) {
		routes[i] = calloc(1, sizeof(*routes[i]));
		if (!routes[i])
			return 1;
		routes[i]->id = i;
		refcount_set(&routes[i]->ref, 1);
	}
	default_route = route_get(routes[0]);
	for (int k = 0; k < 400 * argc; k++)
		served += handle_request(k % 3 ? (k * 5) % 11 : 6);
	for (int i = 0; i < 4; i++) {
		route_put(cache[i].route);
		cache[i].route = NULL;
	}
	for (int i = 0; i < 8; i++)
		route_put(routes[i]);
	printf("%d %d\n", served, default_route->id);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* event_machine with its mmap handler right, and its exit handler
 * forgetting the thread table's put as it clears the table's slot
 * (planted). The threads left hold the table's reference alone, the one
 * machine__exit()'s purge drops for every thread that did not exit; the
 * exit handler operated on every leaked thread and on none the purge
 * released: it took them out of the table. */
#define EXIT_REMOVAL 1
#include "event_machine.c"

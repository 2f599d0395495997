/* SPDX-License-Identifier: MIT */
/* device_model with its work queue's runner forgetting the put of each
 * work's device (planted). It frees the work still pointing at the device:
 * a freed holder. run_work() takes no pointer (DWARF), so it frees what it
 * found itself and is named, not passed over as a generic free helper. */
#define WORK_QUEUE_LEAK 1
#include "device_model.c"

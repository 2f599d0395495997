/* SPDX-License-Identifier: MIT */
/* copy_on_write with a right doc_write() (it drops the shared buffer),
 * but every seventh document is forgotten instead of freed: the release
 * drops fewer than the makers took, and no refill explains the leak. The
 * refill rule must stay silent. */
#define COPY_ON_WRITE_RIGHT 1
#include "copy_on_write.c"

/* afile: files written whole or not at all. The bytes go to a temporary
 * file next to the target (PATH.tmp.XXXXXX, mode 0644), which is synced
 * and renamed over the target only when complete, and removed on any
 * failure. From its creation to its rename or unlink, SIGINT, SIGTERM and
 * SIGHUP are blocked in the calling thread (pthread_sigmask), so a stop
 * signal takes effect only when the temporary file is gone; this holds
 * while no other thread accepts those signals. SIGKILL cannot be held:
 * after it a temporary file may remain, but the target is never
 * half-written. */
#ifndef EVTAG_AFILE_H
#define EVTAG_AFILE_H

#include <signal.h>
#include <stddef.h>

#include "base/err.h"

/* Writes len bytes of data to path as above. A target that exists and is
 * not a regular file (a device, FIFO or directory) is refused. 0, or
 * ERR_IO/ERR_NOMEM with e set ("PATH: reason"); the old file is then
 * untouched. */
int afile_write(const char *path, const void *data, size_t len, err_t *e);

/* Blocks SIGINT, SIGTERM and SIGHUP in the calling thread, the old mask
 * in *old (restore it with pthread_sigmask(SIG_SETMASK, old, NULL)).
 * 0, or -1 with the mask unchanged. For writers that stream their own
 * temporary file (model_write). */
int afile_block_signals(sigset_t *old);

#endif

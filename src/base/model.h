/* model: the container every evtag model file uses.
 *
 * A file is one gzip stream (zlib's gz API). Uncompressed it holds:
 *   "evtag-model <version> <kind>\n"      readable with zcat | head -1
 *   then sections, each:  tag[4]  u64 length  payload[length]  u32 crc32(payload)
 *   and last a section "END\0" whose payload is the u32 count of sections
 *   before it and the u32 crc32 of all their crcs.
 * All integers little-endian. Reading checks gzip's CRC-32 (every byte)
 * and, in a file that is not compressed, the sections' CRCs (their
 * payloads; there the header line and the tags have no CRC: a reader
 * refuses another kind, and the tagger a section it does not know, finds
 * twice, or needs and misses).
 * A file is written to a temporary file in the
 * target's directory and renamed over the target only when complete, so a
 * failed or killed write never damages an existing model (model_write
 * says how stop signals are held off meanwhile). Components
 * (tagger, classifier, ...) build and parse their own sections with buf.h. */
#ifndef EVTAG_MODEL_H
#define EVTAG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define MODEL_FORMAT_VERSION 1
#define MODEL_MAX_SECTIONS 256
#define MODEL_MAX_SECTION_BYTES ((uint64_t)1 << 31)

typedef struct model_sec {
	char tag[5];          /* 4 chars + NUL */
	unsigned char *data;  /* [len]; owned by the model_file when read */
	size_t len;
} model_sec;

typedef struct model_file {
	char kind[32];        /* "tagger", "classifier", ... */
	uint32_t version;     /* container format version */
	model_sec *secs;      /* [nsecs] */
	size_t nsecs;
} model_file;

/* Writes secs[0..n) as a model of the given kind to path, atomically
 * (temporary file + fsync + rename). Tags must be 4 characters. 0, or a
 * negative ERR_ code with e set ("path: reason"); on failure path is
 * untouched and no temporary file is left.
 * Signals: from creating the temporary file until it is renamed or
 * unlinked, SIGINT, SIGTERM and SIGHUP are blocked in the calling thread
 * (pthread_sigmask; the caller's mask is restored before returning), so
 * one sent to the process then is delivered only once the temporary file
 * is gone: an interrupted write leaves the old model or the complete new
 * one, never a stray PATH.tmp.* file. This holds when no other thread
 * accepts these signals meanwhile (a single-threaded caller, or threads
 * that block them). SIGKILL cannot be blocked: it may leave the temporary
 * file, but never a half-written PATH. */
int model_write(const char *path, const char *kind, const model_sec *secs,
		size_t n, err_t *e);

/* Reads and verifies a whole model file: magic, container version, every
 * section's length and checksum, and the END record. If want_kind is not
 * NULL the file must be of that kind. *out is set to a model_file the
 * caller frees with model_file_free(); NULL and e set on failure, in which
 * case nothing was half-loaded. */
int model_read(const char *path, const char *want_kind, model_file **out,
	       err_t *e);

/* 0 if kind is want, else ERR_MODEL with e set to "name: is a KIND model,
 * expected a WANT model" (model_read and the components' *_from_model
 * use it, so the message is the same whichever way a model came in). */
int model_check_kind(const char *name, const char *kind, const char *want, err_t *e);

/* The first section with tag, or NULL. */
const model_sec *model_find(const model_file *m, const char *tag);

/* The CRC-32 (zlib's, as gzip and Python's zlib.crc32 compute it) of the
 * bytes of the file at path, as a model's fingerprint, into *crc. 0, or
 * ERR_IO with e set ("path: reason"). */
int model_file_crc(const char *path, uint32_t *crc, err_t *e);

/* Frees m and its sections; NULL is a no-op. */
void model_file_free(model_file *m);

#endif

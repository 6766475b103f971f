/* models: finding and loading the model set `evtag classify` and the
 * public API code articles with (entities.evm, roles.evm, plover.evm,
 * penta.evm in one folder).
 *
 * The search for the folder (models_find) reads the environment and
 * /proc/self/exe but changes nothing; a loaded set (pipe_models) is
 * read-only and may be shared by threads. */
#ifndef EVTAG_MODELS_H
#define EVTAG_MODELS_H

#include <stddef.h>

#include "base/err.h"
#include "coder/pipe.h"

/* The model file names, in load order: [0] entities, [1] roles, [2] plover,
 * [3] penta, then NULL. These four make a models folder. */
extern const char *const models_files[];
/* The place table's file name in a models folder ("places.evm"): loaded
 * when it is there, not needed to make a folder one. */
extern const char *const models_places_file;

/* Writes the models folder to out[n]: dir if not NULL, else
 * $EVTAG_MODELS if set and not empty, else the first folder holding all
 * four files of: next to the running binary (DIR/models,
 * DIR/../share/evtag/models, DIR/../models), next to the shared library
 * when built as one (the same three), then EVTAG_DATADIR/models. 0, or
 * ERR_IO with e naming the places tried, followed by "; " and hint (may be
 * NULL). */
int models_find(const char *dir, char *out, size_t n, const char *hint, err_t *e);

/* Loads the four models into *m: model i from paths[i] when paths and
 * paths[i] are not NULL (any file name; it must be of the right kind, a
 * tagger for [0] and [1], a classifier for [2] and [3]), else from folder
 * dir under its name models_files[i] (dir may be NULL only when all four
 * paths are given). paths, when not NULL, has 5 entries: [4] is the
 * place table (a "places" model); without it the folder's
 * models_places_file is loaded when it exists, and m->places stays NULL
 * when it does not. The gazetteer is the entity model's, else the role
 * model's; the records name each model by models_files[i] (the place
 * table by models_places_file) whatever its path. The agents list is the
 * agents.txt of folder dir, or, when dir is NULL or empty or has none, of
 * the folder of paths[0] (the entity model), when there is one (none
 * otherwise: actors then get no agent type). Free with models_free(). 0, or a negative ERR_ code with e naming
 * the file, followed by " (hint)" when hint is not NULL; *m is then empty
 * (nothing to free). */
int models_load(pipe_models *m, const char *dir, const char *const *paths, const char *hint,
		err_t *e);

/* models_load with up to threads threads loading the models side by side
 * (the calling thread among them; 1 loads them one after another). The
 * same models, records and errors for any count: where several models
 * fail, the first in the order above is reported. */
int models_load_threads(pipe_models *m, const char *dir, const char *const *paths,
			const char *hint, int threads, err_t *e);

/* The agents list's file name in a models folder ("agents.txt"). */
extern const char *const models_agents_file;

/* Adds the agents file at path to m's agents list (replace 0: its entries
 * join the list models_load read from the folder's agents.txt, and win),
 * or makes it m's only list (replace 1, or when m has none). 0, or the
 * error of agents_read (file and line named); m keeps its list then. The
 * file's base name and CRC-32 join the event records' "models" (path must
 * stay valid while m is used); replace drops the folder's from it. */
int models_load_agents(pipe_models *m, const char *path, int replace, err_t *e);

/* Frees the models of m and zeroes it; an empty m is a no-op. */
void models_free(pipe_models *m);

#endif

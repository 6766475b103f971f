/* models: finding and loading the model set (see models.h). */
#define _GNU_SOURCE /* dladdr, for the folder of the shared library */
#include "coder/models.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef EVTAG_SHARED
#include <dlfcn.h>
#endif

#include "base/model.h"
#include "coder/places.h"
#include "features/agents.h"
#include "learn/clf.h"
#include "learn/tagger.h"

#ifndef EVTAG_DATADIR
#define EVTAG_DATADIR "/usr/local/share/evtag"
#endif

const char *const models_files[] = { "entities.evm", "roles.evm", "plover.evm", "penta.evm",
				     NULL };
const char *const models_places_file = "places.evm";
const char *const models_agents_file = "agents.txt";

static int load_agents(pipe_models *m, const char *path, int replace, int slot, const char *name,
		       err_t *e);

static int is_file(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Folder of path into dir (no trailing slash); 0 if it has none. */
static int dir_of(char *dir)
{
	char *slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return 1;
}

/* Folder of the running binary into dir (no trailing slash); 0 if unknown. */
static int exe_dir(char *dir, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", dir, n - 1);
	if (len <= 0 || (size_t)len >= n - 1)
		return 0;
	dir[len] = '\0';
	return dir_of(dir);
}

/* Folder of the shared library holding this code into dir; 0 if unknown
 * or when the code is linked into the binary itself. */
static int lib_dir(char *dir, size_t n)
{
#ifdef EVTAG_SHARED
	Dl_info info;
	char *real;
	if (!dladdr((void *)models_find, &info) || !info.dli_fname ||
	    !(real = realpath(info.dli_fname, NULL)))
		return 0;
	int ok = strlen(real) < n;
	if (ok)
		strcpy(dir, real);
	free(real);
	return ok && dir_of(dir);
#else
	(void)dir;
	(void)n;
	return 0;
#endif
}

/* 1 if every model file is in dir. */
static int has_models(const char *dir)
{
	char path[2400];
	for (int i = 0; models_files[i]; i++) {
		snprintf(path, sizeof(path), "%.2300s/%s", dir, models_files[i]);
		if (!is_file(path))
			return 0;
	}
	return 1;
}

int models_find(const char *dir, char *out, size_t n, const char *hint, err_t *e)
{
	char exe[2048], lib[2048], cand[7][2200], tried[7 * 2200 + 16];
	const char *env = getenv("EVTAG_MODELS");
	int nc = 0;

	if (dir || (env && *env)) {
		snprintf(out, n, "%s", dir ? dir : env);
		return 0;
	}
	int have_exe = exe_dir(exe, sizeof(exe));
	if (have_exe) {
		snprintf(cand[nc++], sizeof(cand[0]), "%s/models", exe);
		snprintf(cand[nc++], sizeof(cand[0]), "%s/../share/evtag/models", exe);
		snprintf(cand[nc++], sizeof(cand[0]), "%s/../models", exe);
	}
	if (lib_dir(lib, sizeof(lib)) && !(have_exe && strcmp(lib, exe) == 0)) {
		snprintf(cand[nc++], sizeof(cand[0]), "%s/models", lib);
		snprintf(cand[nc++], sizeof(cand[0]), "%s/../share/evtag/models", lib);
		snprintf(cand[nc++], sizeof(cand[0]), "%s/../models", lib);
	}
	snprintf(cand[nc++], sizeof(cand[0]), "%s/models", EVTAG_DATADIR);
	tried[0] = '\0';
	for (int i = 0; i < nc; i++) {
		if (has_models(cand[i])) {
			snprintf(out, n, "%.2300s", cand[i]);
			return 0;
		}
		size_t len = strlen(tried);
		snprintf(tried + len, sizeof(tried) - len, "%s%s", i ? ", " : "", cand[i]);
	}
	return err_set(e, ERR_IO, "no models found (looked for %s, %s, %s and %s in %s)%s%s",
		       models_files[0], models_files[1], models_files[2], models_files[3], tried,
		       hint ? "; " : "", hint ? hint : "");
}

void models_free(pipe_models *m)
{
	tagger_free((tagger_t *)m->entities);
	tagger_free((tagger_t *)m->roles);
	clf_free((clf_t *)m->plover);
	clf_free((clf_t *)m->penta);
	places_free((places_t *)m->places);
	agents_free((agents_t *)m->agents);
	memset(m, 0, sizeof(*m));
}

/* Path of model i (0..4, 4 the place table) into path[n]: paths[i] when
 * given, else dir/FILE. */
static void model_path(char *path, size_t n, const char *dir, const char *const *paths, int i)
{
	if (paths && paths[i])
		snprintf(path, n, "%s", paths[i]);
	else
		snprintf(path, n, "%.2400s/%s", dir ? dir : ".",
			 i == 4 ? models_places_file : models_files[i]);
}

/* The model set being loaded: model i into slot[i], by whichever thread
 * takes i next (models_load_threads). */
typedef struct load_set {
	const char *dir;
	const char *const *paths;
	int n;                       /* models to load: 4, or 5 with the place table */
	int next;                    /* the next model to take, under mu */
	pthread_mutex_t mu;
	struct load_slot {
		void *obj;           /* tagger_t, clf_t or places_t */
		int rc;
		err_t err;
		char crc[9];         /* the file's CRC-32 for the records */
	} slot[PIPE_NMODELS];
} load_set;

static void load_one(load_set *s, int i)
{
	struct load_slot *l = &s->slot[i];
	char path[2600];
	uint32_t crc;

	model_path(path, sizeof(path), s->dir, s->paths, i);
	if (!is_file(path)) {
		l->rc = err_set(&l->err, ERR_IO, "cannot read model %s: %s", path, strerror(errno));
		return;
	}
	if (i < 2) {
		tagger_t *t = NULL;
		l->rc = tagger_load(path, &t, &l->err);
		l->obj = t;
	} else if (i < 4) {
		clf_t *c = NULL;
		l->rc = clf_load(path, &c, &l->err);
		l->obj = c;
	} else {
		places_t *p = NULL;
		l->rc = places_load(path, &p, &l->err);
		l->obj = p;
	}
	if (l->rc == 0 && model_file_crc(path, &crc, NULL) == 0)
		snprintf(l->crc, sizeof(l->crc), "%08x", (unsigned)crc);
}

static void *load_worker(void *arg)
{
	/* the longest loads first (of the shipped models: the place table, the
	 * PLOVER classifier, the two taggers, PentaClass), so that the threads
	 * end together */
	static const int order[PIPE_NMODELS] = { 4, 2, 1, 0, 3 };
	load_set *s = arg;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		int k = s->next++;
		pthread_mutex_unlock(&s->mu);
		if (k >= PIPE_NMODELS)
			return NULL;
		if (order[k] < s->n)
			load_one(s, order[k]);
	}
}

int models_load(pipe_models *m, const char *dir, const char *const *paths, const char *hint,
		err_t *e)
{
	return models_load_threads(m, dir, paths, hint, 1, e);
}

int models_load_threads(pipe_models *m, const char *dir, const char *const *paths,
			const char *hint, int threads, err_t *e)
{
	char path[2600];
	load_set s;
	pthread_t th[PIPE_NMODELS];
	int nth = 0, rc = 0, at = 0; /* at: the model that failed */

	memset(m, 0, sizeof(*m));
	memset(&s, 0, sizeof(s));
	s.dir = dir;
	s.paths = paths;
	s.n = 4;
	/* the place table: optional in the folder, required when named */
	model_path(path, sizeof(path), dir, paths, 4);
	if ((paths && paths[4]) || (dir && *dir && is_file(path)))
		s.n = 5;
	/* the calling thread loads too; more threads where asked for (a
	 * thread that cannot start leaves its share to the others) */
	if (pthread_mutex_init(&s.mu, NULL) != 0)
		return err_set(e, ERR_NOMEM, "cannot load the models: no mutex");
	for (int k = 1; k < threads && k < s.n; k++)
		if (pthread_create(&th[nth], NULL, load_worker, &s) == 0)
			nth++;
	load_worker(&s);
	for (int k = 0; k < nth; k++)
		pthread_join(th[k], NULL);
	pthread_mutex_destroy(&s.mu);
	/* the first model in order that failed, as if loaded one by one */
	for (int i = 0; i < s.n; i++)
		if (s.slot[i].rc < 0 && rc == 0) {
			rc = s.slot[i].rc;
			at = i;
			if (e)
				*e = s.slot[i].err;
		}
	m->entities = s.slot[0].obj;
	m->roles = s.slot[1].obj;
	m->plover = s.slot[2].obj;
	m->penta = s.slot[3].obj;
	m->places = s.n == 5 ? s.slot[4].obj : NULL;
	if (rc < 0) {
		models_free(m);
		/* the hint is about finding the folder: not for a file named */
		if (hint && e && !(paths && paths[at])) {
			size_t len = strlen(e->msg);
			snprintf(e->msg + len, sizeof(e->msg) - len, " (%s)", hint);
		}
		return rc;
	}
	for (int i = 0; i < s.n; i++) {
		m->files[i] = i == 4 ? models_places_file : models_files[i];
		memcpy(m->crc32[i], s.slot[i].crc, sizeof(m->crc32[i]));
	}
	m->gaz = tagger_gazetteer(m->entities);
	if (!m->gaz)
		m->gaz = tagger_gazetteer(m->roles);
	/* the agents list: the folder's, or when there is no folder or it
	 * has none, the entity model's folder's */
	path[0] = '\0';
	if (dir && *dir)
		snprintf(path, sizeof(path), "%.2400s/%s", dir, models_agents_file);
	if ((!path[0] || !is_file(path)) && paths && paths[0]) {
		const char *slash = strrchr(paths[0], '/');
		int dl = slash ? (int)(slash - paths[0]) : 1;
		snprintf(path, sizeof(path), "%.*s/%s", dl > 2400 ? 2400 : dl,
			 slash ? paths[0] : ".", models_agents_file);
	}
	if (path[0]) {
		if (is_file(path) && (rc = load_agents(m, path, 0, 0, models_agents_file, e)) < 0) {
			models_free(m);
			return rc;
		}
	}
	return 0;
}

/* Reads the agents file at path into m's list (see models_load_agents)
 * and records it as m->agents_files[slot] under name. */
static int load_agents(pipe_models *m, const char *path, int replace, int slot, const char *name,
		       err_t *e)
{
	agents_t *a = replace ? NULL : (agents_t *)m->agents;
	uint32_t crc;
	int fresh = a == NULL;
	int rc;
	if (fresh && !(a = agents_new()))
		return err_set(e, ERR_NOMEM, "out of memory for the agents list");
	if ((rc = agents_read(a, path, e)) < 0) {
		if (fresh)
			agents_free(a);
		return rc;
	}
	if (fresh) {
		agents_free((agents_t *)m->agents);
		m->agents = a;
	}
	if (replace)
		m->agents_files[0] = NULL;
	m->agents_files[slot] = name;
	m->agents_crc32[slot][0] = '\0';
	if (model_file_crc(path, &crc, NULL) == 0)
		snprintf(m->agents_crc32[slot], sizeof(m->agents_crc32[slot]), "%08x", (unsigned)crc);
	return 0;
}

int models_load_agents(pipe_models *m, const char *path, int replace, err_t *e)
{
	const char *slash = strrchr(path, '/');
	return load_agents(m, path, replace, 1, slash ? slash + 1 : path, e);
}

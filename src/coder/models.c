/* models: finding and loading the model set (see models.h). */
#define _GNU_SOURCE /* dladdr, for the folder of the shared library */
#include "coder/models.h"

#include <errno.h>
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

int models_load(pipe_models *m, const char *dir, const char *const *paths, const char *hint,
		err_t *e)
{
	char path[2600];
	tagger_t *t;
	clf_t *c;
	int rc = 0, at = 0; /* at: the model being loaded */

	memset(m, 0, sizeof(*m));
	for (int i = 0; models_files[i] && rc == 0; i++) {
		at = i;
		model_path(path, sizeof(path), dir, paths, i);
		if (!is_file(path)) {
			rc = err_set(e, ERR_IO, "cannot read model %s: %s", path, strerror(errno));
			break;
		}
		switch (i) {
		case 0:
		case 1:
			if ((rc = tagger_load(path, &t, e)) == 0)
				*(i == 0 ? &m->entities : &m->roles) = t;
			break;
		default:
			if ((rc = clf_load(path, &c, e)) == 0)
				*(i == 2 ? &m->plover : &m->penta) = c;
			break;
		}
	}
	/* the place table: optional in the folder, required when named */
	int places_given = paths && paths[4];
	if (rc == 0) {
		at = 4;
		model_path(path, sizeof(path), dir, paths, 4);
		if (places_given || (dir && *dir && is_file(path))) {
			places_t *p;
			if ((rc = places_load(path, &p, e)) == 0)
				m->places = p;
		}
	}
	if (rc < 0) {
		models_free(m);
		/* the hint is about finding the folder: not for a file named */
		if (hint && e && !(paths && paths[at])) {
			size_t len = strlen(e->msg);
			snprintf(e->msg + len, sizeof(e->msg) - len, " (%s)", hint);
		}
		return rc;
	}
	for (int i = 0; i < PIPE_NMODELS; i++) {
		uint32_t crc;
		if (i == 4 && !m->places)
			break;
		m->files[i] = i == 4 ? models_places_file : models_files[i];
		model_path(path, sizeof(path), dir, paths, i);
		if (model_file_crc(path, &crc, NULL) == 0)
			snprintf(m->crc32[i], sizeof(m->crc32[i]), "%08x", (unsigned)crc);
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

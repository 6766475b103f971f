#include "base/afile.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int afile_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	return pthread_sigmask(SIG_BLOCK, &set, old) == 0 ? 0 : -1;
}

int afile_write(const char *path, const void *data, size_t len, err_t *e)
{
	const char *p = data;
	size_t n = strlen(path);
	char *tmp = malloc(n + 12);
	struct stat st;
	sigset_t old;
	int fd = -1, rc = 0;

	if (!tmp)
		return err_set(e, ERR_NOMEM, "%s: out of memory", path);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	/* never rename over a device, FIFO or directory */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		free(tmp);
		return err_set(e, ERR_IO, "%s: exists and is not a regular file", path);
	}
	if (afile_block_signals(&old) != 0) {
		free(tmp);
		return err_set(e, ERR_IO, "%s: cannot block signals", path);
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot create a temporary file: %s", path, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0644) != 0)
		goto failed;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto failed;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 && errno != EINVAL)
		goto failed;
	rc = close(fd);
	fd = -1;
	if (rc != 0 || rename(tmp, path) != 0)
		goto failed;
	rc = 0;
	goto out;
failed:
	rc = err_set(e, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	{
		int saved = errno;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		errno = saved;
	}
	return rc;
}

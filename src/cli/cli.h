/* cli: the front end's option tables. Only front-end files (main.c, cli.c,
 * cmd_*.c) include this; they alone print and choose exit codes.
 *
 * A command declares its options once, in a table that drives parsing,
 * defaults (set by the caller in a designated initializer before parsing)
 * and --help:
 *
 *   struct split_opts o = { .format = "json" };
 *   const cli_opt opts[] = {
 *       CLI_STR("format", 'f', &o.format, "FMT", "json or text"),
 *       CLI_FLAG("jsonl", 0, &o.jsonl, "input is JSON lines"),
 *       CLI_END
 *   };
 *   int nfiles; char **files;
 *   int rc = cli_parse(opts, "split", "[options] [FILE...]", "Split articles.",
 *                      argc, argv, &files, &nfiles);
 *   if (rc >= 0) return rc;   // --help printed (0) or usage error (2)
 */
#ifndef EVTAG_CLI_H
#define EVTAG_CLI_H

#include <stdio.h>

#include "base/err.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef enum { CLI_T_FLAG, CLI_T_INT, CLI_T_DOUBLE, CLI_T_STR, CLI_T_END } cli_type;

typedef struct cli_opt {
	const char *name;     /* long name, without "--" */
	char shortname;       /* 0 for none */
	cli_type type;
	void *dst;            /* int*, int*, double*, const char** */
	const char *metavar;  /* shown in help, e.g. "FILE" */
	const char *help;
} cli_opt;

#define CLI_FLAG(n, s, d, h) { (n), (s), CLI_T_FLAG, (d), NULL, (h) }
#define CLI_INT(n, s, d, m, h) { (n), (s), CLI_T_INT, (d), (m), (h) }
#define CLI_DOUBLE(n, s, d, m, h) { (n), (s), CLI_T_DOUBLE, (d), (m), (h) }
#define CLI_STR(n, s, d, m, h) { (n), (s), CLI_T_STR, (d), (m), (h) }
#define CLI_END { NULL, 0, CLI_T_END, NULL, NULL, NULL }

/* Parses argv[1..argc) (argv[0] is the command name) against opts.
 * Returns -1 when parsing succeeded: *pos and *npos are the positional
 * arguments (pointing into argv). Returns 0 after printing help to stdout
 * (--help / -h), or 2 after printing a usage error to stderr. "--" ends
 * options; "-" is a positional argument (standard input). */
int cli_parse(const cli_opt *opts, const char *cmd, const char *usage,
	      const char *summary, int argc, char **argv, char ***pos, int *npos);

/* The value of the last --name VALUE or --name=VALUE in argv[1..argc)
 * (before a "--"), or NULL: for options that set the defaults of others
 * (--preset), read before cli_parse so that options given override them. */
const char *cli_prescan(int argc, char **argv, const char *name);

/* Writes the path of rel inside the shared data folder ($EVTAG_SHARED,
 * else ../shared: lexicons/, gazetteers/, corpora/) to out; returns out. */
char *cli_shared_path(char *out, size_t n, const char *rel);

/* Prints the help text for a command to f. */
void cli_help(FILE *f, const cli_opt *opts, const char *cmd, const char *usage,
	      const char *summary);

/* Prints "evtag: MSG" to stderr for a failed call (e->msg, or the code's
 * text when the message is empty) and returns EXIT_RUNTIME. */
int cli_fail(const err_t *e);

/* Prints "evtag CMD: " + formatted text + usage hint to stderr; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

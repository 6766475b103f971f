/* Placeholder: replaced by the work on this command. */
#include <stdio.h>
#include "cmd.h"

int cmd_tag(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "evtag %s: not implemented yet\n", argv[0]);
	return 1;
}

int cmd_train_tagger(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "evtag %s: not implemented yet\n", argv[0]);
	return 1;
}


/* Placeholder: replaced by the work on this command. */
#include <stdio.h>
#include "cmd.h"

int cmd_classify(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "evtag %s: not implemented yet\n", argv[0]);
	return 1;
}


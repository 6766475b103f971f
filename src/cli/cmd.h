/* cmd: the commands of the evtag front end. Each takes argv with argv[0]
 * the command's name and returns the process exit status (0 ok, 1 runtime
 * error, 2 usage error). */
#ifndef EVTAG_CMD_H
#define EVTAG_CMD_H

int cmd_split(int argc, char **argv);            /* cmd_split.c */
int cmd_classify(int argc, char **argv);         /* cmd_classify.c */
int cmd_tag(int argc, char **argv);              /* cmd_tagger.c */
int cmd_train_tagger(int argc, char **argv);     /* cmd_tagger.c */
int cmd_predict(int argc, char **argv);          /* cmd_clf.c */
int cmd_train_classifier(int argc, char **argv); /* cmd_clf.c */
int cmd_eval(int argc, char **argv);             /* cmd_eval.c */
int cmd_score(int argc, char **argv);            /* cmd_eval.c */
int cmd_vectors(int argc, char **argv);          /* cmd_vectors.c */

#endif

/* The operands of each statement, for scn-parse.c, which reads the verb. */
#ifndef SCN_OPERANDS_H
#define SCN_OPERANDS_H

struct scn_parser;

int scn_parse_written(struct scn_parser *p);
int scn_parse_nstype(struct scn_parser *p);
int scn_parse_cap(struct scn_parser *p);
int scn_parse_fork(struct scn_parser *p);
int scn_parse_check(struct scn_parser *p);
int scn_parse_config(struct scn_parser *p);
int scn_parse_signal(struct scn_parser *p);

/* Capabilities by name: without "cap_", lower case ("audit_control"). */
const char *scn_cap_name(int cap);
/* The number of capability @name (any case, "cap_" or not), or -1. */
int scn_cap_lookup(const char *name);
/* The capability name closest to @name, if close enough, or NULL. */
const char *scn_cap_suggest(const char *name);

/* Signals by name, as `signal` takes them: "hup", "int", "kill", "usr1",
 * "usr2", "term" (CONTID_SIG_*). */
const char *scn_signal_name(int sig);
/* The number of signal @name (exactly as above), or -1. */
int scn_signal_lookup(const char *name);
/* The signal name closest to @name ("SIGTERM" too), or NULL. */
const char *scn_signal_suggest(const char *name);

#endif

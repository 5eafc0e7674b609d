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

#endif

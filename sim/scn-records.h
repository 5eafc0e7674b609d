/*
 * The record types a scenario can check, each with an index below
 * SCN_RECORD_TYPES, so that the newest record of each type fits an array:
 * procsim keeps them for `check record`, and scn-generate (bench/) keeps
 * them to write such checks.  One list, so the two cannot drift apart.
 */
#ifndef SCN_RECORDS_H
#define SCN_RECORDS_H

#define SCN_RECORD_TYPES 6

/* The index of record type @type (CONTID_RECORD_*), or -1. */
int scn_record_index(int type);
/* The record type whose index is @index (below SCN_RECORD_TYPES). */
int scn_record_type(unsigned index);

#endif

/*
 * CONTID_EXPORT marks the functions of lib/contid.h.  The library is built
 * with hidden visibility, so nothing else can leave it.
 */
#ifndef CONTID_EXPORT_H
#define CONTID_EXPORT_H

#define CONTID_EXPORT __attribute__((visibility("default")))

#endif

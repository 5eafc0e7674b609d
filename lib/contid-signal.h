/*
 * The audit daemon and the signals sent to it (docs/semantics.md section
 * 6a): who is the daemon, who last signalled it, and the ID object that
 * memory keeps alive (the pin, which the ID objects' room holds).
 *
 * Where it sits: above the tree, the ID objects, the namespaces, the rule
 * book (whose profile says whether a signal pins) and the records; exit
 * (contid_process.c) tells it when a task exits.
 */
#ifndef CONTID_SIGNAL_H
#define CONTID_SIGNAL_H

#include "contid-world.h"

/* Sets up a world's signal state: no daemon, no recorded signal. */
void signal_init(struct contid_world *w);
/*
 * Task @t exits (its own ID already released, R-EXIT): when it is the
 * remembered daemon thread the pin is released, and when it is the last
 * running task of the daemon's process the registration ends.  Call it
 * before @t's slot can be let go.
 */
void signal_task_exits(struct contid_world *w, const struct task *t);

#endif

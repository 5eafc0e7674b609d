/*
 * The audit daemon and the signals sent to it (docs/semantics.md section
 * 6a): registering the daemon (R-SIG-AUDITD), kill(2) (R-SIG-SEND), the
 * daemon's question "who signalled me?" (R-SIG-INFO), and when the ID
 * object of the last task that signalled it is let go (R-SIG-RELEASE).
 *
 * v11 remembers who last sent the daemon a signal that asks it to stop or
 * to reload, and that memory holds a reference to the sender's ID object
 * until the daemon has asked: a reuse rule that outlives every task that
 * held the ID.  The pin itself is the ID objects' (obj_pin(),
 * obj_unpin()); this room decides when it is taken and let go.
 *
 * Where it sits: above the tree, the ID objects, the namespaces, the rule
 * book and the records; exit calls signal_task_exits().
 */
#include <stdio.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-signal.h"
#include "contid-tree.h"

void signal_init(struct contid_world *w)
{
	w->auditd_slot = NO_TASK;
	w->sig_target_slot = NO_TASK;
	w->sig_target_identity = 0;
	w->sig_uid = UINT32_MAX;
	w->sig_pid = -1;
	w->sig_value = CONTID_UNSET;
}

/* R-SIG-RELEASE: the pin goes, and with it what only the pin kept. */
static void release_pin(struct contid_world *w)
{
	obj_unpin(w, w->profile->leak_parent);
}

/* Whether @t is the remembered daemon thread (the very task: R-ID). */
static bool is_sig_target(const struct contid_world *w, const struct task *t)
{
	return w->sig_target_slot != NO_TASK &&
	       slot_of(w, t) == w->sig_target_slot &&
	       t->identity == w->sig_target_identity;
}

void signal_task_exits(struct contid_world *w, const struct task *t)
{
	if (is_sig_target(w, t)) {
		release_pin(w);
		w->sig_target_slot = NO_TASK;
		w->sig_target_identity = 0;
	}
	/* the registration ends with the daemon's process: its last task */
	if (t->leader == w->auditd_slot && proc_of(w, t)->nr_running == 1)
		w->auditd_slot = NO_TASK;
}

/* -------------------------------------------------------------- auditd */

static const struct refusal auditd_not_capable = {
	"R-SIG-AUDITD", EPERM, "the task is not capable(CAP_AUDIT_CONTROL)",
	NULL };

static int do_set_auditd(struct contid_world *w, pid_t pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return refuse(w, &refusal_not_running);
	if (!task_capable(w, t, CONTID_CAP_AUDIT_CONTROL))
		return refuse(w, &auditd_not_capable);
	w->auditd_slot = t->leader;
	return 0;
}

CONTID_EXPORT int contid_set_auditd(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_set_auditd(w, pid));
}

/* -------------------------------------------------------------- signal */

static const struct refusal sender_not_running = {
	"ACTING-TASK", ESRCH, "the sender is not running", NULL };
static const struct refusal unknown_signal = {
	"R-SIG-SEND", EINVAL, "a signal number the model does not know", NULL };
static const struct refusal no_target = {
	"R-SIG-SEND", ESRCH, "no task has this pid", NULL };
static const struct refusal kill_denied = {
	"R-SIG-SEND", EPERM,
	"another process, another uid, and no CAP_KILL over the target's "
	"user namespace", NULL };

static bool known_signal(int sig)
{
	switch (sig) {
	case CONTID_SIG_HUP: case CONTID_SIG_INT: case CONTID_SIG_KILL:
	case CONTID_SIG_USR1: case CONTID_SIG_USR2: case CONTID_SIG_TERM:
		return true;
	default:
		return false;
	}
}

/* R-SIG-SEND: a signal asking the daemon to stop or reload, sent to any
 * thread of its process, is remembered. */
static bool is_recorded(const struct contid_world *w, const struct task *target,
			int sig)
{
	if (w->auditd_slot == NO_TASK || target->leader != w->auditd_slot)
		return false;
	return sig == CONTID_SIG_TERM || sig == CONTID_SIG_HUP ||
	       sig == CONTID_SIG_USR1 || sig == CONTID_SIG_USR2;
}

/* The sender is remembered: its tgid and uid, the target thread, and its
 * ID, pinned (v11) or as a value (profiles that pin nothing). */
static void record_signal(struct contid_world *w, const struct task *sender,
			  const struct task *target)
{
	release_pin(w);
	if (w->profile->pin_signaller)
		obj_pin(w, sender->obj);
	else
		w->sig_value = sender->obj ? sender->obj->value : CONTID_UNSET;
	w->sig_pid = (int32_t)proc_of(w, sender)->pid;
	w->sig_uid = sender->uid;
	w->sig_target_slot = slot_of(w, target);
	w->sig_target_identity = target->identity;
}

/* kill(2)'s permission, as Linux's: the same process, the same uid, or
 * CAP_KILL over the user namespace of the target (R-CAP). */
static bool may_kill(const struct contid_world *w, const struct task *sender,
		     const struct task *target)
{
	return proc_of(w, sender) == proc_of(w, target) ||
	       sender->uid == target->uid ||
	       ns_capable(sender, target->userns, CONTID_CAP_KILL);
}

static int do_signal(struct contid_world *w, pid_t sender_pid, pid_t target_pid,
		     int sig)
{
	struct task *sender = running_task(w, sender_pid);
	if (!sender)
		return refuse(w, &sender_not_running);
	if (!known_signal(sig))
		return refuse(w, &unknown_signal);
	/* a zombie may be signalled: only a reaped task is not found */
	struct task *target = task_by_pid(w, target_pid);
	int r = rec_reserve(w, rec_signal_bound(sender, target));
	if (r < 0)
		return r;

	const struct refusal *refusal = NULL;
	if (!target) {
		refusal = &no_target;
	} else {
		/* before the permission check, as Linux lets audit see the
		 * signal: a refused kill is remembered all the same */
		if (is_recorded(w, target, sig))
			record_signal(w, sender, target);
		if (!may_kill(w, sender, target))
			refusal = &kill_denied;
	}
	r = refusal ? refuse(w, refusal) : 0;
	rec_signal(w, sender, target_pid, target, sig, r);
	return r;
}

CONTID_EXPORT int contid_signal(struct contid_world *w, pid_t sender,
				pid_t target, int sig)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_signal(w, sender, target, sig));
}

/* --------------------------------------------------------- signal info */

static const struct refusal reader_not_running = {
	"ACTING-TASK", ESRCH, "the reader is not running", NULL };
static const struct refusal info_not_capable = {
	"R-SIG-INFO", EPERM, "the reader is not capable(CAP_AUDIT_CONTROL)",
	NULL };

/* The reply's chain, as a new string: the pinned object's chain, or the
 * remembered value where nothing is pinned by the profile. */
static char *reply_chain(const struct contid_world *w)
{
	char digits[24];
	const char *text = "";
	size_t len = 0;

	if (w->profile->pin_signaller && w->pinned) {
		len = chain_format(w, w->pinned, NULL, 0);
	} else if (!w->profile->pin_signaller && w->sig_value != CONTID_UNSET) {
		snprintf(digits, sizeof(digits), "%llu",
			 (unsigned long long)w->sig_value);
		text = digits;
		len = strlen(digits);
	}
	char *s = cx_malloc(len + 1);
	if (!s)
		return NULL;
	if (w->profile->pin_signaller && w->pinned)
		chain_format(w, w->pinned, s, len + 1);
	else
		memcpy(s, text, len + 1);
	return s;
}

static int do_signal_info(struct contid_world *w, pid_t reader_pid,
			  uint32_t *uid, pid_t *pid, char **chain)
{
	struct task *reader = running_task(w, reader_pid);
	if (!reader)
		return refuse(w, &reader_not_running);
	if (!task_capable(w, reader, CONTID_CAP_AUDIT_CONTROL))
		return refuse(w, &info_not_capable);
	char *text = reply_chain(w);
	if (!text)
		return -ENOMEM;
	*uid = w->sig_uid;
	*pid = (pid_t)w->sig_pid;
	*chain = text;
	/* the daemon has been told: the ID may go (uid and pid stay) */
	release_pin(w);
	return 0;
}

CONTID_EXPORT int contid_signal_info(struct contid_world *w, pid_t reader,
				     uint32_t *uid, pid_t *pid, char **chain)
{
	if (!uid || !pid || !chain)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_signal_info(w, reader, uid, pid, chain));
}

/* ---------------------------------------------------------- inspection */

CONTID_EXPORT int contid_auditd(const struct contid_world *w, pid_t *pid)
{
	if (!w || !pid)
		return -EINVAL;
	if (w->auditd_slot == NO_TASK)
		return -ENOENT;
	*pid = (pid_t)task_at(w, w->auditd_slot)->pid;
	return 0;
}

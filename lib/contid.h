/*
 * libcontid: an executable reference model of the Linux audit container
 * identifier (the u64 written to /proc/PID/audit_containerid).
 *
 * A struct contid_world is one simulated machine: tasks and processes,
 * user and network namespaces, capabilities, audit container ID objects
 * and the records the kernel would log.  The rules are those of
 * docs/semantics.md (profile "v11" by default).
 *
 * The functions, by what they do: world life; settings (the world's rules
 * and limits, task names); operations (what tasks do, as syscalls);
 * inspection (reading the world); records; debugging.
 *
 * Conventions, for every function:
 *  - arguments first: a NULL world, a NULL out-pointer, or a NULL name the
 *    function needs is -EINVAL before anything else, even from a record
 *    callback, and changes nothing.  NULL is allowed only where a comment
 *    below says so (a buffer or array of size 0, contid_id_owner()'s
 *    out-pointers, contid_world_free()); the few functions that cannot
 *    return an errno return NULL or 0 for a NULL world;
 *  - then, while the world's record callback runs, every function that can
 *    change that world returns -EDEADLK and does nothing (see
 *    contid_world_set_record_callback());
 *  - then the rules, in the order given below and in docs/semantics.md: a
 *    call that breaks two reports the first;
 *  - every function that can fail returns 0 (or a byte count, where the
 *    kernel's write(2) would) on success and a negative errno on failure;
 *  - out-parameters are written only on success;
 *  - "operations" (fork, exit, write, get, ...) act on or read the world
 *    like a syscall: each one advances the world's audit clock by 1 ms,
 *    unless it fails with -ENOMEM or is refused before it starts (a NULL
 *    pointer argument, -EDEADLK).  Settings and inspection never advance
 *    the clock, and inspection needs no privilege;
 *  - tasks are named by pid (a thread's own id).  A pid number can be
 *    reused after the task is gone: use contid_task_identity() to tell two
 *    tasks with the same pid apart;
 *  - threads: a world is not thread-safe.  Use each world from one thread
 *    at a time (lock around it if several threads share one); different
 *    worlds may be used from different threads at once, since the library
 *    keeps no shared mutable state.  The functions that take no world may
 *    be called from any thread at any time.
 *
 * This header compiles as C89 and as C++.
 */
#ifndef CONTID_H
#define CONTID_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The version of this header, for compile-time checks;
 * contid_version() gives the version of the library a program runs with.
 */
#define CONTID_VERSION_MAJOR 0
#define CONTID_VERSION_MINOR 1
#define CONTID_VERSION_MICRO 0

/**
 * The version of the library loaded at run time, "MAJOR.MINOR.MICRO"
 * (a static string).  It may be newer than CONTID_VERSION_* of the header
 * a program was built with, never older in MAJOR.
 */
const char *contid_version(void);

/** The value that means "no audit container ID" (2^64-1). */
#define CONTID_UNSET UINT64_MAX

/** Highest pid_max a world accepts (Linux's PID_MAX_LIMIT on 64-bit). */
#define CONTID_PID_MAX_LIMIT 4194304

/** Flags for contid_fork(). */
#define CONTID_CLONE_THREAD  0x1u /**< join the caller's thread group */
#define CONTID_CLONE_PARENT  0x2u /**< CLONE_PARENT: a sibling of the caller */
#define CONTID_CLONE_NEWUSER 0x4u /**< new user namespace for the child */
#define CONTID_CLONE_NEWNET  0x8u /**< new network namespace for the child */

/** Namespace kinds for contid_unshare() and contid_setns(). */
#define CONTID_NS_USER 1
#define CONTID_NS_NET  2

/** Capabilities, numbered as in Linux's <linux/capability.h>. */
#define CONTID_CAP_KILL          5
#define CONTID_CAP_SETUID        7
#define CONTID_CAP_SYS_ADMIN     21
#define CONTID_CAP_AUDIT_CONTROL 30
#define CONTID_CAP_LAST_CAP      40

/** Audit record types, numbered as in Linux's <linux/audit.h>. */
#define CONTID_RECORD_CONTAINER_OP  1020
#define CONTID_RECORD_SET_CAPCONTID 1022
#define CONTID_RECORD_SYSCALL       1300
#define CONTID_RECORD_OBJ_PID       1318
#define CONTID_RECORD_NETFILTER_PKT 1324
#define CONTID_RECORD_CONTAINER_ID  1336

/** Signals contid_signal() knows, numbered as in Linux on x86-64. */
#define CONTID_SIG_HUP  1
#define CONTID_SIG_INT  2
#define CONTID_SIG_KILL 9
#define CONTID_SIG_USR1 10
#define CONTID_SIG_USR2 12
#define CONTID_SIG_TERM 15

/** Task states reported by contid_task_state(). */
#define CONTID_TASK_RUNNING 1
#define CONTID_TASK_ZOMBIE  2

/** An opaque simulated machine. */
struct contid_world;

/* ---------------------------------------------------------- world life */

/**
 * Creates a world holding only init (pid 1, uid 0, every capability,
 * initial namespaces, no ID), profile "v11", pid_max 4194304, auditing on.
 * Returns 0 and stores the world in *ret, or -ENOMEM / -EINVAL.
 */
int contid_world_new(struct contid_world **ret);

/**
 * Frees a world and everything in it.  NULL is accepted and ignored.
 * Calling it from the world's own record callback is undefined behaviour.
 */
void contid_world_free(struct contid_world *w);

/**
 * Stores in *ret a new world that is an independent deep copy of @w: its
 * tasks, tree, namespaces, capabilities, ID objects and lists, the audit
 * daemon and signal state (the pin included), profile, settings, limits,
 * pid allocation, audit clock and serials, task names and identities, so
 * that every later operation on the copy answers and logs exactly as it
 * would on @w (memory permitting: the copy may need memory at other
 * moments than @w would).  The record callback is not
 * copied: the copy has none.  Free it with contid_world_free().
 * -EDEADLK from @w's record callback (the world is part-way through an
 * operation); -ENOMEM, with nothing allocated, when memory runs out.
 */
int contid_world_clone(const struct contid_world *w, struct contid_world **ret);

/**
 * Makes @dst, a world the caller already has, the same deep copy of @src
 * that contid_world_clone() would make (every later operation on @dst
 * answers and logs as it would on @src, memory permitting), reusing the
 * memory @dst holds where it can: copying a small world into a world of
 * about its size allocates nothing, which makes this cheaper than a clone
 * and a free.  @dst keeps its own record callback and its user data.
 * Errors, in this order: -EINVAL for a NULL @dst or @src; -EDEADLK from
 * @dst's record callback or from @src's (either world is part-way through
 * an operation); -ENOMEM when memory runs out, @dst then unchanged.
 * @dst == @src does nothing and returns 0.
 */
int contid_world_copy(struct contid_world *dst, const struct contid_world *src);

/* ------------------------------------------------------------ settings */

/**
 * The rule-set profiles of docs/semantics.md section 9, NULL-terminated, the
 * default first: "v11", "v6", "v8", "v11-posted", "bits", "kernel-alloc".
 */
const char *const *contid_profile_names(void);

/**
 * Selects the world's rule set by name.  Allowed only before the first
 * operation (-EBUSY after it); -EINVAL for an unknown name.
 */
int contid_world_set_profile(struct contid_world *w, const char *name);

/** Returns the name of the world's profile ("v11" unless changed); NULL
 * for a NULL world. */
const char *contid_world_profile(const struct contid_world *w);

/**
 * Sets profile v8's nesting depth limit (default 4, 0 = no limit): a write
 * that would create an ID whose chain is deeper than the limit is -EMLINK.
 * Other profiles keep the setting but ignore it.
 */
int contid_world_set_depth_limit(struct contid_world *w, unsigned limit);

/**
 * Sets the pid space: pids are handed out below @pid_max.  Accepts 2 to
 * CONTID_PID_MAX_LIMIT (else -EINVAL).  Existing pids are kept.
 */
int contid_world_set_pid_max(struct contid_world *w, unsigned pid_max);

/** Limits for contid_world_set_limit(). */
#define CONTID_LIMIT_TASKS 1 /**< tasks that are not gone */
#define CONTID_LIMIT_IDS   2 /**< live ID objects */

/**
 * Caps how large a world may grow, so that a runaway workload gets an
 * errno instead of exhausting memory: past CONTID_LIMIT_TASKS a fork fails
 * with -EAGAIN (as Linux's threads-max does), past CONTID_LIMIT_IDS a write
 * that would create an ID object is refused with -ENOSPC (a failed write,
 * logged as such).  @max 0 removes the limit (the default); a limit below
 * the current size only stops growth.  -EINVAL for an unknown @what.
 */
int contid_world_set_limit(struct contid_world *w, int what, unsigned long max);

/**
 * Turns auditing on (non-zero) or off.  While off, no record is produced
 * and no event serial is used.
 */
int contid_world_set_audit(struct contid_world *w, int enabled);

/**
 * Names task @pid for records: comm is @name cut to 15 bytes, exe is
 * "/usr/bin/@name".  A forked task inherits its parent's name; init is
 * "init".  @name must be 1 to 255 bytes (else -EINVAL).
 */
int contid_task_set_name(struct contid_world *w, pid_t pid, const char *name);

/* ---------------------------------------------------------- operations */

/**
 * R-FORK / R-FORK-NS: @parent clones a new task with CONTID_CLONE_* @flags
 * and stores its pid in *child.  Errors, in this order: -ESRCH, -EINVAL
 * (THREAD with NEWUSER; PARENT from init's process; unknown flag), -ENOSPC,
 * -EPERM, -EAGAIN (no free pid), -ENOMEM.
 */
int contid_fork(struct contid_world *w, pid_t parent, unsigned flags,
                pid_t *child);

/**
 * R-EXIT: task @pid exits.  Its ID is released at once, its children are
 * reparented when its process dies.  -ESRCH if not running, -EPERM for the
 * last running task of init's process.
 */
int contid_exit(struct contid_world *w, pid_t pid);

/**
 * R-REAP: the parent of zombie process @pid waits for it; its pid becomes
 * free.  -ECHILD if @pid is not a zombie process, -ESRCH if it is gone.
 */
int contid_reap(struct contid_world *w, pid_t pid);

/** Marks the process of @pid as a child subreaper.  -ESRCH if not running. */
int contid_set_subreaper(struct contid_world *w, pid_t pid);

/** R-UNSHARE: @pid moves to a new CONTID_NS_USER or CONTID_NS_NET namespace. */
int contid_unshare(struct contid_world *w, pid_t pid, int nstype);

/** R-SETNS: @pid joins the CONTID_NS_USER or CONTID_NS_NET namespace of @other. */
int contid_setns(struct contid_world *w, pid_t pid, int nstype, pid_t other);

/** R-SETUID: @pid sets its (real, effective, saved) uid to @uid. */
int contid_setuid(struct contid_world *w, pid_t pid, uint32_t uid);

/** Removes capability @cap (0..CONTID_CAP_LAST_CAP) from @pid's effective set. */
int contid_drop_cap(struct contid_world *w, pid_t pid, int cap);

/**
 * Writes the byte buffer @buf of @len bytes to /proc/@target/audit_containerid
 * on behalf of @writer (R-W-1, R-W-2, R-SET-0 .. R-SET-7).  Returns @len on
 * success, else a negative errno.  @buf may be NULL only when @len is 0
 * (else -EFAULT, as write(2) answers: this is an operation, the clock
 * moves); @len above INT_MAX is refused with -EOVERFLOW (the result must
 * fit).
 */
int contid_write(struct contid_world *w, pid_t writer, pid_t target,
                 const char *buf, size_t len);

/**
 * Like contid_write() with @id written as decimal digits without newline;
 * returns 0 on success.
 */
int contid_set(struct contid_world *w, pid_t writer, pid_t target, uint64_t id);

/**
 * Reads /proc/@target/audit_containerid as @reader: stores the target's ID
 * (CONTID_UNSET when it has none) in *id.  -ESRCH, then -EPERM.
 */
int contid_get(struct contid_world *w, pid_t reader, pid_t target, uint64_t *id);

/**
 * Writes @buf to /proc/@target/audit_capcontainerid on behalf of @writer
 * (a u32, parsed like kstrtou32_from_user).  Returns @len on success.
 */
int contid_write_capcontid(struct contid_world *w, pid_t writer, pid_t target,
                           const char *buf, size_t len);

/** Like contid_write_capcontid() with @value as decimal digits; returns 0. */
int contid_set_capcontid(struct contid_world *w, pid_t writer, pid_t target,
                         uint32_t value);

/** Reads /proc/@target/audit_capcontainerid as @reader (0 for a zombie). */
int contid_get_capcontid(struct contid_world *w, pid_t reader, pid_t target,
                         uint32_t *value);

/** @pid makes an audited syscall (CONTAINER_ID and SYSCALL records). */
int contid_event(struct contid_world *w, pid_t pid);

/** A packet is audited in @pid's network namespace. */
int contid_packet(struct contid_world *w, pid_t pid);

/**
 * R-SIG-AUDITD: registers the process of @pid as the audit daemon (the
 * netlink AUDIT_SET of its pid), replacing any other; the signal pin is
 * left alone.  The registration ends when that process exits (its last
 * task).  Logs nothing.  -ESRCH if @pid is not running, then -EPERM
 * unless it is capable(CAP_AUDIT_CONTROL).
 */
int contid_set_auditd(struct contid_world *w, pid_t pid);

/**
 * R-SIG-SEND: @sender sends signal @sig (a CONTID_SIG_*) to task @target
 * with kill(2); no signal is delivered, the target is left as it is.
 * Before the permission check, a CONTID_SIG_TERM, _HUP, _USR1 or _USR2
 * sent to a thread of the audit daemon's process is recorded: the pin is
 * released (R-SIG-RELEASE), the sender's ID object, if any, is pinned
 * (under v11, v11-posted and kernel-alloc; the other profiles keep only
 * its value), and the sender's tgid and uid and the target thread are
 * remembered.  The permission: same process, equal uids, or CAP_KILL in
 * the target's user namespace (R-CAP).  Logged as the sender's audited
 * syscall (syscall 62), then, when the target exists, its CONTAINER_ID
 * and OBJ_PID records.  Errors, in this order: -ESRCH (the sender is not
 * running; nothing logged), -EINVAL (an unknown @sig; nothing logged),
 * -ESRCH (no task has pid @target; logged), -EPERM (logged; a recorded
 * signal stays recorded), -ENOMEM.
 */
int contid_signal(struct contid_world *w, pid_t sender, pid_t target, int sig);

/**
 * R-SIG-INFO: the audit daemon's AUDIT_SIGNAL_INFO2 request, made by
 * @reader: stores the uid (4294967295 before any recorded signal) and the
 * tgid (-1 before any) of the last task whose signal was recorded, and
 * in *chain a new NUL-terminated string, to be released with free(): the
 * chain of the pinned ID object ("4,^2,^1"; "" when nothing is pinned),
 * or, under the profiles that pin nothing (v6, v8, bits), the sender's
 * value at the time of the signal ("" when it had none).  Then releases
 * the pin (R-SIG-RELEASE); uid and pid stay remembered.  Logs nothing.
 * -ESRCH if @reader is not running, then -EPERM unless it is
 * capable(CAP_AUDIT_CONTROL); -ENOMEM, the world unchanged, when the
 * string cannot be allocated.
 */
int contid_signal_info(struct contid_world *w, pid_t reader, uint32_t *uid,
                       pid_t *pid, char **chain);

/**
 * Why the last operation on @w failed: stores in *rule the ID of the rule
 * that refused it and in *reason a line that says why, e.g. "R-SET-3" and
 * "the target has children".  The IDs are those of docs/semantics.md
 * ("R-SET-3", "R-FORK-NS", ...) and, where it gives none, libcontid's own
 * ("ACTING-TASK", "V8-DEPTH", ...; its choice (p) lists them all).  Both
 * are static strings.  Returns 0, or -ENOENT when the last operation
 * succeeded or none has run yet.
 *
 * Every failed operation has its rule, but for -ENOMEM, which is the
 * machine's answer and no rule's: like the clock, the last refusal is
 * left as it was by a call that fails for memory and by one refused
 * before it starts (a NULL pointer, -EDEADLK).  Settings and inspection
 * never change it.  From a record callback it still describes the
 * operation before the one being logged.  @rule and @reason are written
 * only on success.
 */
int contid_world_last_refusal(const struct contid_world *w, const char **rule,
                              const char **reason);

/* ---------------------------------------------------------- inspection */

/** Stores CONTID_TASK_RUNNING or CONTID_TASK_ZOMBIE; -ESRCH if gone. */
int contid_task_state(const struct contid_world *w, pid_t pid, int *state);

/**
 * Stores a number that identifies task @pid for the life of the world:
 * never shared by two tasks, even when a pid is reused (R-ID).
 */
int contid_task_identity(const struct contid_world *w, pid_t pid,
                         uint64_t *identity);

/** Stores the thread group id (the leader's pid) of @pid. */
int contid_task_tgid(const struct contid_world *w, pid_t pid, pid_t *tgid);

/** Stores the tgid of @pid's real parent process (0 for init). */
int contid_task_ppid(const struct contid_world *w, pid_t pid, pid_t *ppid);

/** Stores @pid's uid. */
int contid_task_uid(const struct contid_world *w, pid_t pid, uint32_t *uid);

/** Stores @pid's user namespace level (0 for the initial namespace). */
int contid_task_userns_level(const struct contid_world *w, pid_t pid,
                             unsigned *level);

/** Stores 1 if @cap is in @pid's effective set (in its own namespace), else 0. */
int contid_task_has_cap(const struct contid_world *w, pid_t pid, int cap,
                        int *has);

/** Stores 1 if @pid is capable(@cap), i.e. has it in the initial namespace. */
int contid_task_capable(const struct contid_world *w, pid_t pid, int cap,
                        int *capable);

/** Stores 1 if @pid's process is marked child subreaper, else 0. */
int contid_task_subreaper(const struct contid_world *w, pid_t pid, int *is);

/** Stores @pid's own ID, CONTID_UNSET when none (zombies have none). */
int contid_task_contid(const struct contid_world *w, pid_t pid, uint64_t *id);

/** Stores @pid's capcontid (0 for a zombie). */
int contid_task_capcontid(const struct contid_world *w, pid_t pid,
                          uint32_t *value);

/**
 * Formats @pid's nesting chain as records print it ("200,^100", "-1" when
 * it has no ID) into @buf like snprintf: returns the full length, writes at
 * most @size bytes including the NUL (@buf may be NULL when @size is 0).
 */
int contid_task_chain(const struct contid_world *w, pid_t pid, char *buf,
                      size_t size);

/**
 * Lists the IDs held in @pid's network namespace, front first
 * (docs/semantics.md section 7): returns their number and writes at most
 * @max of them (@ids may be NULL when @max is 0).
 */
int contid_task_netns_ids(const struct contid_world *w, pid_t pid,
                          uint64_t *ids, size_t max);

/**
 * Stores 1 if task @a is a strict descendant of task @b (R-DESC, process
 * granularity), else 0.
 */
int contid_task_is_descendant(const struct contid_world *w, pid_t a, pid_t b,
                              int *is);

/**
 * Iterates over tasks that are not gone, in pid order: stores the lowest
 * pid above @after in *next, or returns -ENOENT when there is none.
 * Start with @after = 0.
 */
int contid_task_next(const struct contid_world *w, pid_t after, pid_t *next);

/** Returns the number of tasks that are not gone (0 for a NULL world). */
size_t contid_task_count(const struct contid_world *w);

/**
 * Describes the live ID object holding @value (-ENOENT when none):
 * the identity (contid_task_identity()) of its owner task, and the owner's
 * pid when that task still exists (running or zombie), else 0.
 * Either out-pointer may be NULL.
 */
int contid_id_owner(const struct contid_world *w, uint64_t value,
                    uint64_t *owner_identity, pid_t *owner_pid);

/** Stores the nesting parent's value of object @value (CONTID_UNSET: none). */
int contid_id_parent(const struct contid_world *w, uint64_t value,
                     uint64_t *parent);

/** Stores how many tasks hold object @value. */
int contid_id_users(const struct contid_world *w, uint64_t value,
                    unsigned *users);

/**
 * Stores the reference count of object @value: the tasks that hold it,
 * the objects nested below it and, when the signal state pins it, 1 more.
 */
int contid_id_refs(const struct contid_world *w, uint64_t value,
                   unsigned *refs);

/**
 * Stores the value of the ID object the signal state pins (R-SIG-RELEASE);
 * -ENOENT when nothing is pinned.
 */
int contid_pinned(const struct contid_world *w, uint64_t *value);

/**
 * Stores the tgid of the process registered as the audit daemon
 * (contid_set_auditd()); -ENOENT when there is none.
 */
int contid_auditd(const struct contid_world *w, pid_t *pid);

/**
 * Lists the values of all live ID objects in no particular order: returns
 * their number and writes at most @max of them (@values may be NULL when
 * @max is 0).
 */
int contid_id_list(const struct contid_world *w, uint64_t *values, size_t max);

/** Returns the number of live ID objects (0 for a NULL world). */
size_t contid_id_count(const struct contid_world *w);

/* ------------------------------------------------------------- records */

/**
 * Receives each audit record as one raw log line, without a trailing
 * newline, e.g. "type=CONTAINER_OP msg=audit(1700000000.000:1): op=set ...".
 * @type is the record type number (CONTID_RECORD_*); @line is valid only
 * during the call.  What it may do with the world is stated at
 * contid_world_set_record_callback().
 */
typedef void (*contid_record_fn)(void *userdata, int type,
                                 const char *line, size_t len);

/**
 * Installs the record callback (NULL to discard records).  The library
 * never prints: records reach the caller only through this function.
 *
 * The callback runs in the middle of the operation that logs the record,
 * and the world is re-entrant only for reading:
 *  - every function that can change this world returns -EDEADLK when
 *    called from the callback, before any other check but that of its
 *    pointer arguments (-EINVAL, as everywhere), and changes nothing: no
 *    clock tick, no serial, no record.  These are every
 *    operation, the reads contid_get() and contid_get_capcontid()
 *    included, and every setter: the contid_world_set_*() functions, this
 *    one too, and contid_task_set_name(); contid_world_clone() and
 *    contid_world_copy() too (from either world's callback);
 *  - the functions that take a const world (contid_task_*, contid_id_*,
 *    contid_world_profile(), contid_world_check(), contid_world_dump(),
 *    contid_world_digest())
 *    work, and see the world part-way through the operation: its serial
 *    is taken, its clock tick is not.  A CONTAINER_OP op=set or
 *    SET_CAPCONTID record comes before the write takes effect (a new ID
 *    object may already be listed, held by no task), the CONTAINER_ID and
 *    SYSCALL records after it; op=drop records come while an exiting
 *    task's ID is released (the task holds none, the objects being freed
 *    are still listed).  So contid_world_check() may report a broken
 *    invariant there;
 *  - contid_world_free() of this world is undefined behaviour;
 *  - other worlds may be used freely.
 * Once the callback has returned, the world accepts changes again.
 */
int contid_world_set_record_callback(struct contid_world *w,
                                     contid_record_fn fn, void *userdata);

/** Returns "CONTAINER_OP" for 1020 and so on; NULL for other types. */
const char *contid_record_type_name(int type);

/* ----------------------------------------------------------- debugging */

/**
 * Checks every invariant of docs/semantics.md section 10.  Returns 0 when all
 * hold, or -EUCLEAN and writes a NUL-terminated description of the first
 * broken one (beginning with its invariant name, e.g. "INV-REFCOUNT: ...")
 * into @msg (at most @size bytes; @msg may be NULL when @size is 0).
 * -ENOMEM when the memory the walk counts in cannot be allocated.
 */
int contid_world_check(const struct contid_world *w, char *msg, size_t size);

/**
 * Writes a canonical text description of the whole world (tasks in pid
 * order, ID objects, namespaces, the signal state, clock) to a new
 * NUL-terminated string in *text, to be released with free().  Two
 * worlds with equal dumps answer every later operation alike.  -ENOMEM if
 * the text cannot be allocated.
 */
int contid_world_dump(const struct contid_world *w, char **text);

/**
 * Stores in @digest[0] and @digest[1] a 128-bit fingerprint of @w's
 * canonical state (docs/semantics.md section 11, choice (o)): everything
 * any later call can tell apart - pids and the pid allocation position,
 * the tree, task states, uids, capabilities, names, namespaces and their
 * levels and owners, capcontid values, IDs with their owners, parents and
 * reference counts, the ID lists of network namespaces, the audit daemon,
 * the pinned ID and what the daemon's question would answer (and the
 * signalled daemon thread while something is pinned), the profile,
 * settings, limits, auditing on or off, and whether the clock has started
 * - and nothing else: not the audit clock, the event serials, task
 * identities, namespace numbers, the order of the ID table, nor the last
 * refusal.  So two worlds with equal digests answer every later call
 * alike but for timestamps, serials and identity numbers, and but for
 * contid_world_last_refusal() until their next operation (and but for a
 * collision of the hash, which is not cryptographic).  @digest is not
 * written on failure: -EINVAL, or -ENOMEM when a world whose tasks reach more
 * than 16 namespaces of a kind cannot get the scratch memory its walk needs.
 */
int contid_world_digest(const struct contid_world *w, uint64_t digest[2]);

/**
 * As contid_world_digest(), blind also to how the live pids are numbered
 * (docs/semantics.md section 11, choice (q)): each pid counts as its rank
 * among the live pids (init's is 1), and the last pid handed out is left
 * out.  Two worlds with equal symmetric digests differ at most by an
 * order-keeping renumbering of their live pids; as long as neither hands
 * out a pid below a live one, every later call on one answers as the
 * same call on the other with its pids renumbered (and the renumbering
 * extended to the new pids: each world's k-th new pid is its last pid
 * plus k).  A caller that means to make at most @forks more forks (and
 * no contid_world_set_pid_max()) on either world gets that guarantee:
 * -ERANGE, with @digest not written, when @forks is not 0 and a live pid
 * is above the last pid handed out (pids have wrapped), or fewer than
 * @forks pids are left below pid_max, or the pid a recorded signal left
 * for the daemon's question (contid_signal_info()) is above the last pid
 * (a wrap could hand it out again).  Worlds that differ in anything but
 * the numbering differ, as for contid_world_digest(), and a symmetric
 * digest never equals a plain one but by a collision of the hash.  Errors,
 * in this order: -EINVAL, -ERANGE, and -ENOMEM when a world whose pid
 * table has grown past 1024 pids, or whose tasks reach more than 16
 * namespaces of a kind, cannot get scratch memory.
 */
int contid_world_digest_symmetric(const struct contid_world *w, unsigned forks,
                                  uint64_t digest[2]);

/** The most values contid_world_digest_orbit() treats alike. */
#define CONTID_DIGEST_VALUES_MAX 64

/**
 * As contid_world_digest_symmetric(), blind also to which of @values
 * (@nvalues distinct IDs, none CONTID_UNSET, at most
 * CONTID_DIGEST_VALUES_MAX; NULL when @nvalues is 0) is which
 * (docs/semantics.md section 11, choice (s)): each of them that the world
 * uses reads as the entry of @values whose place is the order in which
 * the digest's walk first meets it (tasks by pid rank, each task's
 * network namespace list and ID with its ancestors; then the pinned ID's
 * chain, and last, in the list's order, values that only IDs no task
 * reaches hold).  So the digest is the symmetric digest of the world with
 * its values renamed, and with @nvalues 0 it is the symmetric digest.
 * Worlds with equal orbit digests differ at most by a renumbering of
 * their pids and a permutation of @values; a caller whose operations and
 * profile treat those values alike (the rules of v6, v8, v11 and
 * v11-posted compare IDs only for equality; bits and kernel-alloc read
 * their numbers) may rely on their answering alike, pids renumbered and
 * values permuted.  Worlds that are one another's renaming usually get
 * equal digests: always when every ID of the list is reached from a task
 * or the pin.  Errors, in this order: -EINVAL (also for a value listed
 * twice), then those of contid_world_digest_symmetric(); @digest is not
 * written on failure.
 */
int contid_world_digest_orbit(const struct contid_world *w, unsigned forks,
                              const uint64_t *values, size_t nvalues,
                              uint64_t digest[2]);

/**
 * As contid_world_digest_orbit(), blind also to the order of the live
 * pids (docs/semantics.md section 11, choice (t)): the digest's walk
 * takes the tasks in a canonical order that reads no pid, so worlds that
 * differ only by any renumbering of their live pids (not only one that
 * keeps their order) and a permutation of @values get equal digests.
 * That holds for worlds of at most 32 live tasks, fewer than 64 task
 * slots ever used and few look-alike tasks (the tasks the order cannot
 * tell apart by what they and their neighbours are, taken in every order,
 * make at most 120 orders); any other world gets its orbit digest.
 * Worlds with equal canonical digests differ at most by such a
 * renumbering and permutation, and, under the conditions of
 * contid_world_digest_symmetric() (checked the same way, with @forks),
 * answer every later call alike, pids renumbered and values permuted:
 * the rules look at which task a pid names, never at its number or at
 * the order of pids.  Errors as contid_world_digest_orbit(); @digest is
 * not written on failure.
 */
int contid_world_digest_canonical(const struct contid_world *w, unsigned forks,
                                  const uint64_t *values, size_t nvalues,
                                  uint64_t digest[2]);

/** Returns "EPERM" for EPERM (or -EPERM), NULL for unknown numbers. */
const char *contid_errno_name(int err);

/**
 * Returns the errno number of a name such as "EPERM", in any case ("eperm"
 * and "Eperm" too), or 0 if unknown.
 */
int contid_errno_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* CONTID_H */

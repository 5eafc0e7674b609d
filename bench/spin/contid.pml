/*
 * contid.pml: a Promela model of the v11 write rules of the audit container
 * identifier, for SPIN, on a bounded world.  It is the yardstick for an
 * exhaustive explorer that drives libcontid itself: the same problem, stated
 * once more by hand in Promela, so that SPIN's figures (states, time, bytes
 * per state) can be set beside the explorer's.  bench/spin/README.md says
 * what it covers, how it is run and what it measured.
 *
 * The rules are those of docs/semantics.md, profile v11 (sections 1 to 5);
 * the comments name the rule each piece follows.  The bounded problem:
 *
 *   - at most NT = 4 tasks that are not gone (init and zombies included);
 *     every task is a single-threaded process (no CLONE_THREAD, no
 *     CLONE_PARENT, no subreapers, no network namespaces);
 *   - uids 0 and 1000; user-namespace levels 0 to MAXLVL = 2;
 *   - two capabilities, CAP_AUDIT_CONTROL and CAP_SETUID (the only ones
 *     the rules of these operations consult);
 *   - ID values 1 and 2; capcontid values 0 and 1;
 *   - operations: fork, exit, reap, unshare(USER), setuid, drop-cap,
 *     set-contid, set-capcontid (value 1);
 *   - depth = the number of operations, bounded by a step counter in the
 *     state (DEPTH, default 8).
 *
 * A transition is one operation that succeeds.  A refused operation changes
 * nothing in the world, so it would only lead from (world, d) to
 * (world, d + 1), a state that init's setuid to its own uid (which always
 * succeeds, R-SETUID) reaches anyway: leaving refusals out changes no count
 * of stored states, only the count of transitions (except under NO_NOOP and
 * INIT_FIXED below, which take that setuid away).  SPIN stores one state
 * more than there are (world, depth) pairs: the one before init is set up.
 *
 * Compile-time switches (spin -DNAME -a contid.pml):
 *   DEPTH=n       the bound on the number of operations (default 8; at most
 *                 15, the width of the step counter);
 *   POSTED        the v11 code as posted (docs/semantics.md section 5): a
 *                 capcontid write from a writer outside the initial user
 *                 namespace skips the privilege check;
 *   POSTED_LEAK   the posted code's other slip (docs/profiles.md, profile
 *                 v11-posted): a freed nested ID never gives back its
 *                 reference to its parent; POSTED and POSTED_LEAK together
 *                 are the profile v11-posted;
 *   PIDS          pid numbers as the library hands them out (each fork takes
 *                 the next one; pid_max is far away), kept in the state as
 *                 contid_world_digest() keeps them;
 *   ZOMBIE_CLEAR  an exit also forgets the zombie's uid, capabilities and
 *                 namespace, which nothing can read any more (the library
 *                 keeps them): fewer states, the same answers;
 *   NO_NOOP       an operation that changes nothing (setuid to the current
 *                 uid, drop-cap of a capability not held, capcontid 1 to a
 *                 task that has it) is no transition;
 *   INIT_FIXED    init only forks, reaps and writes: no unshare, setuid or
 *                 drop-cap by init;
 *   PRIV_UID      P-PRIV narrowed to an unprivileged *user*: a violation
 *                 needs, besides, a writer of uid 1000;
 *   CHECK         assert the reference counts (INV-REFCOUNT) and the owner
 *                 links after every operation that can change them (for
 *                 testing the model; off when timing).
 * ZOMBIE_CLEAR, NO_NOOP, INIT_FIXED and PRIV_UID exist to measure how much
 * the figures depend on such modelling choices (bench/spin/README.md).
 *
 * The property P-PRIV: no ID write and no capcontid write succeeds for a
 * writer that is neither capable(CAP_AUDIT_CONTROL) nor has capcontid != 0.
 * It is an assertion in the two write operations, checked before the write
 * takes effect.  It is stated on its own (PRIV below), apart from the rules
 * that decide whether a write succeeds (RIGHT, CAP_RIGHT), so that a slip in
 * the rules shows.  Under v11 it holds; under POSTED SPIN finds a violation.
 *
 * Every operation prints one line starting "OP " when a trail is replayed
 * (spin -t -p); verification prints nothing.
 */

#ifndef DEPTH
#define DEPTH 8
#endif

#define NT      4       /* task slots; slot 0 is init */
#define MAXLVL  2       /* deepest user-namespace level: a bound, not a rule */
#define NV      2       /* ID values 1..NV */

/* task states */
#define FREE    0       /* no task in this slot (gone, or never forked) */
#define RUN     1       /* running */
#define ZOMB    2       /* exited, not yet reaped (R-EXIT) */

#define GONE    4       /* an ID's owner after the owner was reaped (R-LIFE) */

/*
 * A task, 13 bits (17 with PIDS); SPIN lays the fields out as C bit-fields,
 * so a task takes one 32-bit word of the state vector.
 *
 * The slots hold the tasks that are not gone, in the order they were forked
 * (that is, in pid order), with no hole: reaping a task moves the later ones
 * down and renumbers every link to them.  So the same world is always the
 * same vector, whatever the history that made it, as with the digest, which
 * walks the tasks in pid order.
 */
typedef task {
	unsigned st    : 2;     /* FREE, RUN or ZOMB */
	unsigned par   : 2;     /* slot of the real parent (init: 0, itself) */
	unsigned uid   : 1;     /* 0: uid 0, 1: uid 1000 (real = effective) */
	unsigned ac    : 1;     /* CAP_AUDIT_CONTROL in the effective set */
	unsigned su    : 1;     /* CAP_SETUID in the effective set */
	unsigned lvl   : 2;     /* level of the task's user namespace */
	unsigned nsown : 1;     /* owner uid of that namespace (0 at level 0,
	                         * where the initial namespace maps every uid) */
	unsigned ccid  : 1;     /* capcontid != 0 (only 1 is ever written) */
	unsigned id    : 2;     /* the ID object it holds: 0 none, else 1..NV */
#ifdef PIDS
	unsigned tpid  : 4;     /* its pid: 1 for init, then 2, 3, ... (a fork
	                         * per operation: DEPTH at most 14) */
#endif
};

/*
 * An ID object (section 4, R-SET-7, R-LIFE), one per value, 9 bits; a
 * value is live while refs > 0.  A free object is all zeros.
 */
typedef idobj {
	unsigned refs   : 4;    /* tasks holding it + live objects nested below
	                         * it (+ references leaked under POSTED_LEAK,
	                         * one per two operations at most) */
	unsigned owner  : 3;    /* slot of the task whose write created it, or
	                         * GONE once that task was reaped */
	unsigned parent : 2;    /* value of the object it nests in, 0 if none */
};

task  t[NT];
idobj obj[NV];                  /* obj[v - 1] is the object of value v */
unsigned steps : 4;             /* operations so far: the depth */
#ifdef PIDS
unsigned lastpid : 4;           /* the pid handed out last (R-ID) */
#endif

/* Scratch for the effects.  SPIN's breadth-first search does not allow
 * hidden variables, so they sit in the state vector (10 bits) and every
 * operation ends by zeroing them (DONE): they never tell two states apart. */
unsigned i : 3;
unsigned j : 3;
unsigned o : 3;
unsigned p : 2;
#define DONE i = 0; j = 0; o = 0; p = 0

/* ------------------------------------------------------------ the facts */

#define STEP       (steps < DEPTH)
#define RUNNING(x) (t[x].st == RUN)
#define PAR(x)     t[x].par

/* R-USERNS-NEW: the initial namespace maps every uid, any other one only
 * its owner's. */
#define MAPPED(x, u)  (t[x].lvl == 0 || t[x].nsown == (u))

/* R-CAP.  ns_capable(x, own namespace, C): C is in x's effective set.
 * capable(C) = ns_capable(x, initial namespace, C): the walk starts at
 * level 0, so it answers from the set only when x lives there. */
#define CAPABLE_AC(x) (t[x].lvl == 0 && t[x].ac)

/* R-SET-2 and section 5: the right to set IDs and capcontid. */
#define RIGHT(x)   (CAPABLE_AC(x) || t[x].ccid)
#ifdef POSTED
/* the slip: no privilege check for a writer outside the initial namespace */
#define CAP_RIGHT(x) (RIGHT(x) || t[x].lvl > 0)
#else
#define CAP_RIGHT(x) RIGHT(x)
#endif

/* R-DESC, strictly: walk the parent links from x towards init.  With NT
 * tasks a chain has at most NT - 1 links, and init is its own parent. */
#define DESC(x, w) ((x) != (w) && \
	(PAR(x) == (w) || PAR(PAR(x)) == (w) || PAR(PAR(PAR(x))) == (w)))

/* R-SET-3 with R-ZOMBIE-CHILD: a child, running or zombie.  (Slot 0 is
 * left out: init names itself as its parent.) */
#define HAS_CHILD(x) ((t[1].st != FREE && t[1].par == (x)) || \
		      (t[2].st != FREE && t[2].par == (x)) || \
		      (t[3].st != FREE && t[3].par == (x)))

/* R-SET-5: w nests below x's current ID when w is not its owner but
 * descends from the owner's process (every process has one thread here,
 * so "another thread of the owner's process" never happens).  An owner
 * that was reaped has no process. */
#define OWNER_OF(x) obj[t[x].id - 1].owner
#define NESTS(w, x) (OWNER_OF(x) != (w) && OWNER_OF(x) != GONE && \
		     DESC(w, OWNER_OF(x)))

/* P-PRIV, the property: what a writer must be for its write to succeed. */
#ifdef PRIV_UID
#define PRIV(x) ((t[x].lvl == 0 && t[x].ac) || t[x].ccid != 0 || t[x].uid == 0)
#else
#define PRIV(x) ((t[x].lvl == 0 && t[x].ac) || t[x].ccid != 0)
#endif

/* ------------------------------------------------------------ ID objects */

/* R-LIFE: drop one reference to the object of value v; an object left
 * without references is freed and drops its reference to its parent (under
 * POSTED_LEAK the parent keeps it for ever). */
inline put(v)
{
	o = v;
	do
	:: o == 0 -> break
	:: o != 0 ->
		obj[o - 1].refs--;
		if
		:: obj[o - 1].refs > 0 -> o = 0
		:: else ->
			p = obj[o - 1].parent;
			obj[o - 1].owner = 0;
			obj[o - 1].parent = 0;
#ifdef POSTED_LEAK
			o = 0   /* the parent's count stays as it was */
#else
			o = p
#endif
		fi
	od
}

#ifdef CHECK
/* INV-REFCOUNT: every live object's count is its holders plus the live
 * object nested in it (at least that under POSTED_LEAK); only running
 * tasks hold IDs; a free object is all zeros; an owner is a task that is
 * not gone, or GONE; no object is its own parent. */
inline check()
{
	j = 1;
	do
	:: j > NV -> break
	:: j <= NV ->
		o = 0;
		i = 0;
		do
		:: i == NT -> break
		:: i < NT ->
			assert(t[i].st == RUN || t[i].id == 0);
			if
			:: t[i].id == j -> o++
			:: else
			fi;
			i++
		od;
		p = 3 - j;      /* the other value */
		if
		:: obj[p - 1].refs > 0 && obj[p - 1].parent == j -> o++
		:: else
		fi;
#ifdef POSTED_LEAK
		assert(obj[j - 1].refs >= o);
#else
		assert(obj[j - 1].refs == o);
#endif
		if
		:: obj[j - 1].refs == 0 ->
			assert(obj[j - 1].owner == 0 && obj[j - 1].parent == 0)
		:: else ->
			assert(obj[j - 1].owner == GONE ||
			       t[obj[j - 1].owner].st != FREE);
			assert(obj[j - 1].parent != j)
		fi;
		j++
	od
}
#define CHECKED check()
#else
#define CHECKED skip
#endif

/* ------------------------------------------------------------ operations */

/* R-FORK: the child copies uid, capabilities, user namespace and ID (one
 * more reference); capcontid starts at 0.  The slots are full when the
 * last one is taken (no holes). */
#define FORK_OK(c) (STEP && RUNNING(c) && t[NT - 1].st == FREE)
inline fork(c)
{
	i = (t[1].st == FREE -> 1 : (t[2].st == FREE -> 2 : 3));
	printf("OP fork %d -> %d\n", c, i);
	t[i].st = RUN;
	t[i].par = c;
	t[i].uid = t[c].uid;
	t[i].ac = t[c].ac;
	t[i].su = t[c].su;
	t[i].lvl = t[c].lvl;
	t[i].nsown = t[c].nsown;
	t[i].ccid = 0;
	t[i].id = t[c].id;
	if
	:: t[i].id != 0 -> obj[t[i].id - 1].refs++
	:: else
	fi;
#ifdef PIDS
	lastpid++;
	t[i].tpid = lastpid;
#endif
}

/* R-EXIT: the audit state goes at once (ID reference dropped, capcontid
 * 0, later writes ENOPROTOOPT); the task becomes a zombie; its children
 * (zombies too) move to init, as there are no subreapers.  init cannot
 * exit (EPERM), hence slots 1.. only. */
#define EXIT_OK(x) (STEP && RUNNING(x))
inline exit(x)
{
	printf("OP exit %d\n", x);
	put(t[x].id);
	t[x].id = 0;
	t[x].ccid = 0;
	t[x].st = ZOMB;
#ifdef ZOMBIE_CLEAR
	t[x].uid = 0; t[x].ac = 0; t[x].su = 0; t[x].lvl = 0; t[x].nsown = 0;
#endif
	i = 1;
	do
	:: i == NT -> break
	:: i < NT ->
		if
		:: t[i].st != FREE && t[i].par == x -> t[i].par = 0
		:: else
		fi;
		i++
	od
}

#define MOVE(a, b) \
	t[a].st = t[b].st; t[a].par = t[b].par; t[a].uid = t[b].uid; \
	t[a].ac = t[b].ac; t[a].su = t[b].su; t[a].lvl = t[b].lvl; \
	t[a].nsown = t[b].nsown; t[a].ccid = t[b].ccid; t[a].id = t[b].id

/* R-REAP by the parent (which runs: a zombie's parent never exited, or
 * the zombie would have moved to init).  The task is gone: an ID it owns
 * keeps no owner (a later task is never its owner, R-ID), the later
 * slots move down. */
#define REAP_OK(x) (STEP && t[x].st == ZOMB)
inline reap(x)
{
	printf("OP reap %d\n", x);
	j = 0;
	do
	:: j == NV -> break
	:: j < NV ->
		if
		:: obj[j].refs > 0 && obj[j].owner == x -> obj[j].owner = GONE
		:: obj[j].refs > 0 && obj[j].owner > x && obj[j].owner != GONE ->
			obj[j].owner--
		:: else
		fi;
		j++
	od;
	i = x;
	do
	:: i == NT - 1 -> break
	:: i < NT - 1 ->
		MOVE(i, i + 1);
#ifdef PIDS
		t[i].tpid = t[i + 1].tpid;
#endif
		i++
	od;
	t[NT - 1].st = FREE; t[NT - 1].par = 0; t[NT - 1].uid = 0;
	t[NT - 1].ac = 0; t[NT - 1].su = 0; t[NT - 1].lvl = 0;
	t[NT - 1].nsown = 0; t[NT - 1].ccid = 0; t[NT - 1].id = 0;
#ifdef PIDS
	t[NT - 1].tpid = 0;
#endif
	i = 1;
	do
	:: i == NT -> break
	:: i < NT ->
		if
		:: t[i].st != FREE && t[i].par > x -> t[i].par--
		:: else
		fi;
		i++
	od
}

/* R-UNSHARE, R-USERNS-NEW: a new namespace one level down, owned by the
 * task's uid, every capability in it.  EPERM when the task's uid is not
 * mapped where it is; refused at level MAXLVL, the bound of this problem. */
#ifdef INIT_FIXED
#define NOT_INIT(x) ((x) != 0)
#else
#define NOT_INIT(x) true
#endif
#define UNSHARE_OK(x) (STEP && NOT_INIT(x) && RUNNING(x) && \
		       t[x].lvl < MAXLVL && MAPPED(x, t[x].uid))
inline unshare(x)
{
	printf("OP unshare-user %d\n", x);
	t[x].lvl++;
	t[x].nsown = t[x].uid;
	t[x].ac = 1;
	t[x].su = 1;
}

/* R-SETUID: EINVAL for a uid the namespace does not map; the current uid
 * succeeds and changes nothing; otherwise CAP_SETUID in the task's own
 * namespace.  0 -> non-zero clears the set where 0 is mapped. */
#define SETUID_OK(x, u) (STEP && NOT_INIT(x) && RUNNING(x) && MAPPED(x, u) && \
			 (t[x].uid == (u) || t[x].su) CHANGES_UID(x, u))
inline setuid(x, u)
{
	printf("OP setuid %d %d\n", x, (u) * 1000);
	if
	:: t[x].uid == 0 && (u) != 0 && MAPPED(x, 0) -> t[x].ac = 0; t[x].su = 0
	:: else
	fi;
	t[x].uid = u
}

/* drop-cap: succeeds for a running task, held or not. */
#define DROP_OK(x) (STEP && NOT_INIT(x) && RUNNING(x))

/* NO_NOOP: what keeps an operation that changes nothing from being a
 * transition. */
#ifdef NO_NOOP
#define CHANGES_UID(x, u) && t[x].uid != (u)
#define HOLDS_AC(x)       && t[x].ac
#define HOLDS_SU(x)       && t[x].su
#define LACKS_CCID(x)     && !t[x].ccid
#else
#define CHANGES_UID(x, u)
#define HOLDS_AC(x)
#define HOLDS_SU(x)
#define LACKS_CCID(x)
#endif

/* Section 4: a write that gets through R-SET-0 to R-SET-6.  (R-W-1, R-W-2
 * and R-SET-1 concern pids and buffers the model never gets wrong; the
 * thread clauses of R-SET-3 cannot fire; ENOMEM does not happen.) */
#define SETID_OK(w, x, v) (STEP && RUNNING(w) && \
	RUNNING(x) &&                                   /* R-SET-0 */ \
	RIGHT(w) &&                                     /* R-SET-2 */ \
	!HAS_CHILD(x) &&                                /* R-SET-3 */ \
	DESC(x, w) &&                                   /* R-SET-4 */ \
	(t[x].id == 0 || NESTS(w, x)) &&                /* R-SET-5 */ \
	(obj[(v) - 1].refs == 0 || obj[(v) - 1].owner == (w)))  /* R-SET-6 */
inline setid(w, x, v)
{
	printf("OP set-contid %d %d %d\n", w, x, v);
	assert(PRIV(w));                                /* P-PRIV */
	if
	:: obj[(v) - 1].refs == 0 ->                    /* R-SET-7: create */
		obj[(v) - 1].owner = w;
		obj[(v) - 1].parent = t[w].id;
		if
		:: t[w].id != 0 -> obj[t[w].id - 1].refs++
		:: else
		fi
	:: else                                         /* R-SET-6: inject */
	fi;
	obj[(v) - 1].refs++;
	p = t[x].id;
	t[x].id = v;
	put(p)
}

/* Section 5: ENOPROTOOPT, then EXDEV, then EPERM (skipped under POSTED for
 * a writer outside the initial namespace); no rule like R-SET-3. */
#define SETCAP_OK(w, x) (STEP && RUNNING(w) && RUNNING(x) && DESC(x, w) && \
			 CAP_RIGHT(w) LACKS_CCID(x))
inline setcap(w, x)
{
	printf("OP set-capcontid %d %d 1\n", w, x);
	assert(PRIV(w));                                /* P-PRIV */
	t[x].ccid = 1
}

/* One alternative per operation and arguments: the guard is the first
 * statement of the d_step, so that a refused operation is no transition. */
#define A_FORK(c)     :: d_step { FORK_OK(c) -> steps++; fork(c); CHECKED; DONE }
#define A_EXIT(x)     :: d_step { EXIT_OK(x) -> steps++; exit(x); CHECKED; DONE }
#define A_REAP(x)     :: d_step { REAP_OK(x) -> steps++; reap(x); CHECKED; DONE }
#define A_UNSHARE(x)  :: d_step { UNSHARE_OK(x) -> steps++; unshare(x); DONE }
#define A_SETUID(x, u) :: d_step { SETUID_OK(x, u) -> steps++; setuid(x, u); DONE }
#define A_DROP_AC(x)  :: d_step { DROP_OK(x) HOLDS_AC(x) -> steps++; \
		printf("OP drop-cap %d audit_control\n", x); t[x].ac = 0; DONE }
#define A_DROP_SU(x)  :: d_step { DROP_OK(x) HOLDS_SU(x) -> steps++; \
		printf("OP drop-cap %d setuid\n", x); t[x].su = 0; DONE }
#define A_SETID(w, x, v) :: d_step { SETID_OK(w, x, v) -> steps++; \
		setid(w, x, v); CHECKED; DONE }
#define A_SETCAP(w, x) :: d_step { SETCAP_OK(w, x) -> steps++; setcap(w, x); DONE }

#define A_TASK(x) A_UNSHARE(x) A_SETUID(x, 0) A_SETUID(x, 1) \
	A_DROP_AC(x) A_DROP_SU(x)
#define A_WRITER(w) A_SETID(w, 1, 1) A_SETID(w, 1, 2) A_SETID(w, 2, 1) \
	A_SETID(w, 2, 2) A_SETID(w, 3, 1) A_SETID(w, 3, 2) \
	A_SETCAP(w, 1) A_SETCAP(w, 2) A_SETCAP(w, 3)

init
{
	/* section 1: init, pid 1, uid 0, every capability, level 0, no ID,
	 * capcontid 0 (the state before this step is stored too) */
	d_step {
		t[0].st = RUN;
		t[0].ac = 1;
		t[0].su = 1;
#ifdef PIDS
		t[0].tpid = 1;
		lastpid = 1;
#endif
	};
end:
	do
	A_TASK(0) A_TASK(1) A_TASK(2) A_TASK(3)
	A_FORK(0) A_FORK(1) A_FORK(2)   /* slot 3 is the last: full if it runs */
	A_EXIT(1) A_EXIT(2) A_EXIT(3)
	A_REAP(1) A_REAP(2) A_REAP(3)
	A_WRITER(0) A_WRITER(1) A_WRITER(2) A_WRITER(3)
	od
}

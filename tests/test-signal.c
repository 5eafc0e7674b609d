/*
 * docs/semantics.md section 6a: the audit daemon and signal pinning.
 * R-SIG-AUDITD (registering the daemon), R-SIG-SEND (kill(2) and the
 * recorded signal, before the permission check), R-SIG-INFO (the daemon
 * asks who signalled it) and R-SIG-RELEASE (when the pinned ID goes), the
 * profiles that pin and those that do not, and the records of a signal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* The world most tests start from: the daemon d (2), registered; an
 * orchestrator orch (3) and its container c1 (4) holding 100, owned by
 * orch.  Every task runs as uid 0 with every capability. */
struct sigworld {
	struct test_world *tw;
	struct contid_world *w;
	pid_t d, orch, c1;
};

static void sig_setup(struct sigworld *s, const char *profile)
{
	s->tw = tw_new();
	s->w = s->tw->w;
	if (profile)
		ck_assert_int_eq(contid_world_set_profile(s->w, profile), 0);
	s->d = fork_expect(s->w, 1, 0, 2);
	ck_assert_int_eq(contid_set_auditd(s->w, s->d), 0);
	s->orch = fork_expect(s->w, 1, 0, 3);
	s->c1 = fork_expect(s->w, s->orch, 0, 4);
	set_ok(s->w, s->orch, s->c1, 100);
	tw_records_clear(s->tw);
}

static uint64_t pinned_of(struct contid_world *w)
{
	uint64_t v = 0x5a5a;
	int r = contid_pinned(w, &v);

	ck_assert_msg(r == 0 || (r == -ENOENT && v == 0x5a5a),
		      "contid_pinned = %d", r);
	return r == 0 ? v : CONTID_UNSET;
}

static pid_t auditd_of(struct contid_world *w)
{
	pid_t p = -7;
	int r = contid_auditd(w, &p);

	ck_assert_msg(r == 0 || (r == -ENOENT && p == -7), "contid_auditd = %d", r);
	return r == 0 ? p : 0;
}

/* signal_info that must succeed with this reply. */
static void info_is(struct contid_world *w, pid_t reader, uint32_t uid,
		    pid_t pid, const char *chain)
{
	uint32_t u = 7;
	pid_t p = 7;
	char *c = NULL;

	ck_assert_int_eq(contid_signal_info(w, reader, &u, &p, &c), 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(u, uid);
	ck_assert_int_eq(p, pid);
	ck_assert_str_eq(c, chain);
	free(c);
	assert_invariants(w);
}

static void signal_ok(struct contid_world *w, pid_t sender, pid_t target, int sig)
{
	ck_assert_int_eq(contid_signal(w, sender, target, sig), 0);
	assert_invariants(w);
}

static void last_rule_is(struct contid_world *w, const char *want)
{
	const char *rule = NULL, *reason = NULL;

	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, want);
}

/* The audit clock as the dump shows it. */
static unsigned long long clock_of(struct contid_world *w)
{
	char *text = NULL;
	unsigned long long clock = 0;

	ck_assert_int_eq(contid_world_dump(w, &text), 0);
	ck_assert_int_eq(sscanf(text, "world clock=%llu", &clock), 1);
	free(text);
	return clock;
}

/* ------------------------------------------------------- R-SIG-AUDITD */

START_TEST(test_r_sig_auditd_registers_the_process)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t d = spawn(w, 1);
	pid_t t = spawn_thread(w, d);

	ck_assert_int_eq(auditd_of(w), 0);             /* none at the start */
	unsigned long long clock = clock_of(w);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_auditd(w, t), 0);  /* a thread names its process */
	ck_assert_int_eq(auditd_of(w), d);
	expect_none(tw);                               /* no record */
	ck_assert_uint_eq(clock_of(w), clock + 1);     /* an operation */
	ck_assert_int_eq(contid_world_last_refusal(w, &(const char *){ NULL },
						   &(const char *){ NULL }), -ENOENT);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

START_TEST(test_r_sig_auditd_refused)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t d = spawn(w, 1);
	pid_t zombie = spawn_zombie(w, 1);
	pid_t unpriv = spawn_unprivileged(w, 1);
	pid_t nested = fork_ok(w, 1, CONTID_CLONE_NEWUSER);

	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_auditd(w, 999), -ESRCH);
	last_rule_is(w, "ACTING-TASK");
	ck_assert_int_eq(contid_set_auditd(w, zombie), -ESRCH);
	ck_assert_int_eq(contid_set_auditd(w, unpriv), -EPERM);
	last_rule_is(w, "R-SIG-AUDITD");
	/* every capability in its own namespace, none in the initial one */
	ck_assert_int_eq(contid_set_auditd(w, nested), -EPERM);
	ck_assert_int_eq(auditd_of(w), d);             /* left as it was */
	expect_none(tw);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

/* "A new registration replaces the old one and leaves the pin alone." */
START_TEST(test_r_sig_auditd_replaced_keeps_pin)
{
	struct sigworld s;
	pid_t d2;

	sig_setup(&s, NULL);
	d2 = spawn(s.w, 1);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	ck_assert_int_eq(contid_set_auditd(s.w, d2), 0);
	ck_assert_int_eq(auditd_of(s.w), d2);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	/* the old daemon is no daemon any more: nothing is recorded */
	signal_ok(s.w, s.orch, s.d, CONTID_SIG_TERM);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	info_is(s.w, 1, 0, s.c1, "100");
	tw_free(s.tw);
}
END_TEST

/* "the registration ends when the daemon's process exits (its last
 * task)": an exited leader whose thread runs is still the daemon. */
START_TEST(test_r_sig_auditd_ends_with_its_process)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t t = spawn_thread(s.w, s.d);
	exit_ok(s.w, s.d);
	ck_assert_int_eq(state_of(s.w, s.d), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(auditd_of(s.w), s.d);
	signal_ok(s.w, s.c1, t, CONTID_SIG_HUP);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	/* the signalled thread is the process's last task: its exit ends
	 * the registration and releases the pin */
	exit_ok(s.w, t);
	ck_assert_int_eq(auditd_of(s.w), 0);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	/* with no daemon, nothing is recorded */
	signal_ok(s.w, s.c1, 1, CONTID_SIG_TERM);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	info_is(s.w, 1, 0, s.c1, "");
	tw_free(s.tw);
}
END_TEST

/* -------------------------------------------------------- R-SIG-SEND */

START_TEST(test_r_sig_send_refused_before_the_target)
{
	struct sigworld s;
	pid_t zombie;
	static const int unknown[] = { 0, 3, 8, 11, 14, 16, 19, 64, -1, 1000 };

	sig_setup(&s, NULL);
	zombie = spawn_zombie(s.w, 1);
	tw_records_clear(s.tw);
	/* the sender's ESRCH: no record, as for every acting task */
	ck_assert_int_eq(contid_signal(s.w, 999, s.d, CONTID_SIG_TERM), -ESRCH);
	last_rule_is(s.w, "ACTING-TASK");
	ck_assert_int_eq(contid_signal(s.w, zombie, s.d, CONTID_SIG_TERM), -ESRCH);
	/* a signal the model does not know: no record (choice (r)) */
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_int_eq(contid_signal(s.w, s.c1, s.d, unknown[i]), -EINVAL);
	last_rule_is(s.w, "R-SIG-SEND");
	expect_none(s.tw);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	assert_invariants(s.w);
	tw_free(s.tw);
}
END_TEST

/* "ESRCH if the target is gone (the failed kill is logged)"; a zombie
 * may be signalled. */
START_TEST(test_r_sig_send_target_gone_and_zombie)
{
	struct sigworld s;
	pid_t zombie, gone;

	sig_setup(&s, NULL);
	zombie = spawn_zombie(s.w, 1);
	gone = spawn_zombie(s.w, 1);
	reap_ok(s.w, gone);
	tw_records_clear(s.tw);
	ck_assert_int_eq(contid_signal(s.w, s.orch, gone, CONTID_SIG_KILL), -ESRCH);
	last_rule_is(s.w, "R-SIG-SEND");
	ck_assert_uint_eq(s.tw->nrecords, 1);          /* the SYSCALL alone */
	ck_assert_int_eq(s.tw->records[0].type, CONTID_RECORD_SYSCALL);
	ck_assert_ptr_nonnull(strstr(s.tw->records[0].line,
				     " syscall=62 success=no exit=-3 "));
	ck_assert_int_eq(contid_signal(s.w, s.orch, -1, CONTID_SIG_KILL), -ESRCH);
	ck_assert_int_eq(contid_signal(s.w, s.orch, 0, CONTID_SIG_KILL), -ESRCH);
	signal_ok(s.w, s.orch, zombie, CONTID_SIG_KILL);
	ck_assert_int_eq(state_of(s.w, zombie), CONTID_TASK_ZOMBIE);
	tw_free(s.tw);
}
END_TEST

/* Only hup, usr1, usr2 and term to a thread of the daemon's process are
 * recorded; int and kill are not, nor a signal to any other process. */
START_TEST(test_r_sig_send_which_signals_are_recorded)
{
	static const struct {
		int sig;
		int recorded;
	} t[] = {
		{ CONTID_SIG_HUP, 1 }, { CONTID_SIG_INT, 0 },
		{ CONTID_SIG_KILL, 0 }, { CONTID_SIG_USR1, 1 },
		{ CONTID_SIG_USR2, 1 }, { CONTID_SIG_TERM, 1 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sigworld s;
		sig_setup(&s, NULL);
		pid_t other = spawn(s.w, 1);
		signal_ok(s.w, s.c1, other, t[i].sig);
		ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
		signal_ok(s.w, s.c1, s.d, t[i].sig);
		ck_assert_msg(pinned_of(s.w) == (t[i].recorded ? 100 : CONTID_UNSET),
			      "signal %d", t[i].sig);
		if (t[i].recorded)
			info_is(s.w, 1, 0, s.c1, "100");
		else
			info_is(s.w, 1, 4294967295u, -1, "");
		tw_free(s.tw);
	}
}
END_TEST

/* Any thread of the daemon's process; the pid remembered is the
 * sender's tgid, the uid its uid. */
START_TEST(test_r_sig_send_remembers_tgid_and_uid)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t dt = spawn_thread(s.w, s.d);
	pid_t ct = spawn_thread(s.w, s.c1);
	ck_assert_int_eq(contid_setuid(s.w, ct, 1000), 0);
	/* uid 1000 without capabilities may not signal root's daemon */
	ck_assert_int_eq(contid_signal(s.w, ct, dt, CONTID_SIG_USR2), -EPERM);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	info_is(s.w, 1, 1000, s.c1, "100");
	/* uid and pid stay; the pin is gone */
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	info_is(s.w, 1, 1000, s.c1, "");
	tw_free(s.tw);
}
END_TEST

/* "before the permission check": the refused kill still pins. */
START_TEST(test_r_sig_send_refused_kill_still_pins)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t c2 = spawn(s.w, s.orch);
	set_ok(s.w, s.orch, c2, 200);
	ck_assert_int_eq(contid_setuid(s.w, c2, 1000), 0);
	tw_records_clear(s.tw);
	ck_assert_int_eq(contid_signal(s.w, c2, s.d, CONTID_SIG_TERM), -EPERM);
	last_rule_is(s.w, "R-SIG-SEND");
	ck_assert_uint_eq(pinned_of(s.w), 200);
	ck_assert_uint_eq(refs_of(s.w, 200), 2);       /* c2 and the pin */
	ck_assert_ptr_nonnull(strstr(tw_last_record(s.tw, CONTID_RECORD_SYSCALL),
				     " syscall=62 success=no exit=-1 a0=2 a1=f "));
	assert_invariants(s.w);
	/* the exit of its last holder: dropped, not freed */
	exit_ok(s.w, c2);
	ck_assert_ptr_nonnull(strstr(tw_last_record(s.tw, CONTID_RECORD_CONTAINER_OP),
				     "op=drop opid=5 contid=-1 old-contid=200"));
	ck_assert_uint_eq(contid_id_count(s.w), 2);
	ASSERT_COUNTS(s.w, 200, 0, 1);
	info_is(s.w, s.d, 1000, c2, "200");
	assert_no_object(s.w, 200);
	tw_free(s.tw);
}
END_TEST

/* kill(2)'s permission: the same process, equal uids, or CAP_KILL over
 * the target's user namespace (R-CAP, its owner rule included). */
START_TEST(test_r_sig_send_permission)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t u1000 = user_task(w, 1000);            /* no capabilities */
	pid_t u1000b = user_task(w, 1000);
	pid_t root = spawn(w, 1);
	pid_t root_thread = spawn_thread(w, root);
	pid_t nokill = spawn(w, 1);
	pid_t nested_root = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t owner_ns = fork_ok(w, u1000, CONTID_CLONE_NEWUSER);
	pid_t joiner = spawn(w, 1);

	drop_cap_ok(w, nokill, CONTID_CAP_KILL);
	ck_assert_int_eq(contid_setuid(w, root_thread, 1000), 0); /* no caps */
	ck_assert_int_eq(contid_setns(w, joiner, CONTID_NS_USER, owner_ns), 0);
	ck_assert_int_eq(uid_of(w, joiner), 0);

	signal_ok(w, u1000, u1000b, CONTID_SIG_TERM);   /* equal uids */
	signal_ok(w, root_thread, root, CONTID_SIG_TERM); /* same process */
	ck_assert_int_eq(contid_signal(w, root_thread, nokill, CONTID_SIG_TERM),
			 -EPERM);
	ck_assert_int_eq(contid_signal(w, u1000, root, CONTID_SIG_TERM), -EPERM);
	signal_ok(w, root, u1000, CONTID_SIG_KILL);     /* CAP_KILL */
	ck_assert_int_eq(contid_signal(w, nokill, u1000, CONTID_SIG_KILL), -EPERM);
	signal_ok(w, nokill, root, CONTID_SIG_KILL);    /* equal uids (0) */
	/* every capability, but in its own namespace only */
	ck_assert_int_eq(contid_signal(w, nested_root, u1000, CONTID_SIG_KILL),
			 -EPERM);
	/* uid 1000 owns the namespace joiner (uid 0) is in */
	signal_ok(w, u1000b, joiner, CONTID_SIG_KILL);
	ck_assert_int_eq(contid_signal(w, u1000b, root, CONTID_SIG_KILL), -EPERM);
	/* nothing is delivered */
	ck_assert_int_eq(state_of(w, u1000), CONTID_TASK_RUNNING);
	tw_free(tw);
}
END_TEST

/* A zombie daemon leader can be the recorded target; then only a later
 * recorded signal or a signal_info releases its pin. */
START_TEST(test_r_sig_send_zombie_daemon_leader_is_target)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t t = spawn_thread(s.w, s.d);
	exit_ok(s.w, s.d);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	exit_ok(s.w, s.c1);                            /* op=drop for 100 */
	ck_assert_uint_eq(pinned_of(s.w), 100);
	exit_ok(s.w, t);                               /* the process exits */
	ck_assert_int_eq(auditd_of(s.w), 0);
	ck_assert_uint_eq(pinned_of(s.w), 100);        /* not this thread's */
	reap_ok(s.w, s.d);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	tw_records_clear(s.tw);
	info_is(s.w, 1, 0, s.c1, "100");
	expect_none(s.tw);                             /* freed silently */
	assert_no_object(s.w, 100);
	tw_free(s.tw);
}
END_TEST

/* -------------------------------------------------------- R-SIG-INFO */

START_TEST(test_r_sig_info_refused)
{
	struct sigworld s;
	uint32_t uid = 7;
	pid_t pid = 7;
	char *chain = (char *)"untouched";

	sig_setup(&s, NULL);
	pid_t unpriv = spawn_unprivileged(s.w, 1);
	pid_t nested = fork_ok(s.w, 1, CONTID_CLONE_NEWUSER);
	pid_t zombie = spawn_zombie(s.w, 1);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	ck_assert_int_eq(contid_signal_info(s.w, 999, &uid, &pid, &chain), -ESRCH);
	last_rule_is(s.w, "ACTING-TASK");
	ck_assert_int_eq(contid_signal_info(s.w, zombie, &uid, &pid, &chain), -ESRCH);
	ck_assert_int_eq(contid_signal_info(s.w, unpriv, &uid, &pid, &chain), -EPERM);
	last_rule_is(s.w, "R-SIG-INFO");
	ck_assert_int_eq(contid_signal_info(s.w, nested, &uid, &pid, &chain), -EPERM);
	ck_assert_uint_eq(uid, 7);
	ck_assert_int_eq(pid, 7);
	ck_assert_str_eq(chain, "untouched");
	ck_assert_uint_eq(pinned_of(s.w), 100);        /* nothing released */
	/* any task may ask, the daemon or not */
	info_is(s.w, s.orch, 0, s.c1, "100");
	tw_free(s.tw);
}
END_TEST

START_TEST(test_r_sig_info_before_any_signal)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	info_is(s.w, s.d, 4294967295u, -1, "");
	tw_free(s.tw);
}
END_TEST

/* The chain of the pinned object, as records print chains; then the pin
 * is released; nothing is logged; the clock moves. */
START_TEST(test_r_sig_info_nested_chain_then_release)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;

	build_nested(w);                 /* engine 4 in c1 (3, 100), c2 5 */
	set_ok(w, 4, 5, 200);
	pid_t e2 = spawn(w, 5), c3 = spawn(w, e2), d = spawn(w, 1);
	set_ok(w, e2, c3, 300);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	signal_ok(w, c3, d, CONTID_SIG_TERM);
	ck_assert_uint_eq(pinned_of(w), 300);
	unsigned long long clock = clock_of(w);
	tw_records_clear(tw);
	info_is(w, d, 0, c3, "300,^200,^100");
	expect_none(tw);
	ck_assert_uint_eq(clock_of(w), clock + 1);
	ck_assert_uint_eq(pinned_of(w), CONTID_UNSET);
	ASSERT_COUNTS(w, 300, 1, 1);
	tw_free(tw);
}
END_TEST

/* ----------------------------------------------------- R-SIG-RELEASE */

/* The next recorded signal replaces the pin; an object only the pin
 * kept is freed then, silently. */
START_TEST(test_r_sig_release_second_signal_replaces)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t c2 = spawn(s.w, s.orch);
	set_ok(s.w, s.orch, c2, 200);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	exit_ok(s.w, s.c1);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	ASSERT_COUNTS(s.w, 100, 0, 1);
	tw_records_clear(s.tw);
	signal_ok(s.w, c2, s.d, CONTID_SIG_USR1);
	ck_assert_uint_eq(pinned_of(s.w), 200);
	assert_no_object(s.w, 100);
	/* the signal's own records only: no op=drop for 100 */
	for (size_t i = 0; i < s.tw->nrecords; i++)
		ck_assert_int_ne(s.tw->records[i].type, CONTID_RECORD_CONTAINER_OP);
	/* a sender without an ID releases the pin and pins nothing */
	signal_ok(s.w, s.orch, s.d, CONTID_SIG_HUP);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	ASSERT_COUNTS(s.w, 200, 1, 1);
	info_is(s.w, 1, 0, s.orch, "");
	tw_free(s.tw);
}
END_TEST

/* The exit of the remembered daemon thread releases the pin, even after
 * another process was registered. */
START_TEST(test_r_sig_release_daemon_thread_exit)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t dt = spawn_thread(s.w, s.d);
	pid_t d2 = spawn(s.w, 1);
	signal_ok(s.w, s.c1, dt, CONTID_SIG_TERM);
	exit_ok(s.w, s.c1);
	ck_assert_int_eq(contid_set_auditd(s.w, d2), 0);
	/* another thread of the old daemon exits: not the remembered one */
	exit_ok(s.w, spawn_thread(s.w, s.d));
	ck_assert_uint_eq(pinned_of(s.w), 100);
	tw_records_clear(s.tw);
	exit_ok(s.w, dt);
	expect_none(s.tw);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	assert_no_object(s.w, 100);
	/* uid and pid stay remembered */
	info_is(s.w, 1, 0, s.c1, "");
	tw_free(s.tw);
}
END_TEST

/* When the exiting daemon thread holds the pinned object itself, its
 * exit first releases its own ID (op=drop), then the pin (silent). */
START_TEST(test_r_sig_release_daemon_holds_pinned_id)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, 1), d = spawn(w, orch);
	struct exp_rec e[1];

	set_ok(w, orch, d, 500);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	signal_ok(w, d, d, CONTID_SIG_TERM);          /* to itself */
	ck_assert_uint_eq(pinned_of(w), 500);
	tw_records_clear(tw);
	exit_ok(w, d);                                 /* op 6, serial 3 */
	rec(&e[0], 1020, 6, 3, "op=drop opid=3 contid=-1 old-contid=500");
	expect(tw, e, 1);
	ck_assert_uint_eq(pinned_of(w), CONTID_UNSET);
	assert_no_object(w, 500);
	ck_assert_int_eq(auditd_of(w), 0);
	tw_free(tw);
}
END_TEST

/* A pinned object whose last reference went away keeps its value, owner
 * and parent, and its value is nobody's, its owner's included
 * (ENOTUNIQ); once the pin lets go, the value is free again. */
START_TEST(test_r_sig_release_enotuniq_for_the_owner)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	uint64_t orch_identity = identity_of(s.w, s.orch);
	pid_t c2 = spawn(s.w, s.orch);
	pid_t other = spawn(s.w, 1), c3 = spawn(s.w, other);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	exit_ok(s.w, s.c1);
	ck_assert_ptr_nonnull(strstr(tw_last_record(s.tw, CONTID_RECORD_CONTAINER_OP),
				     "op=drop opid=4 contid=-1 old-contid=100"));
	ASSERT_COUNTS(s.w, 100, 0, 1);
	ck_assert_int_eq(owner_pid_of(s.w, 100), s.orch);
	ck_assert_uint_eq(owner_identity_of(s.w, 100), orch_identity);
	ck_assert_uint_eq(parent_of(s.w, 100), CONTID_UNSET);
	ck_assert_int_eq(contid_set(s.w, s.orch, c2, 100), -ENOTUNIQ);
	last_rule_is(s.w, "R-SIG-RELEASE");
	ck_assert_int_eq(contid_set(s.w, other, c3, 100), -ENOTUNIQ);
	last_rule_is(s.w, "R-SIG-RELEASE");
	assert_invariants(s.w);
	info_is(s.w, s.d, 0, s.c1, "100");
	set_ok(s.w, s.orch, c2, 100);                  /* created afresh */
	ck_assert_uint_eq(owner_identity_of(s.w, 100), orch_identity);
	set_ok(s.w, other, c3, 101);
	tw_free(s.tw);
}
END_TEST

/* While a task holds the pinned object its owner may inject as usual. */
START_TEST(test_r_sig_release_held_pinned_id_injects)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	pid_t c2 = spawn(s.w, s.orch);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	set_ok(s.w, s.orch, c2, 100);
	ASSERT_COUNTS(s.w, 100, 2, 3);
	tw_free(s.tw);
}
END_TEST

/* The last reference can go by a re-set (nesting), which logs nothing:
 * the object stays, as at an exit. */
START_TEST(test_r_sig_release_last_reference_by_reset)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t d = spawn(w, 1), orch = spawn(w, 1), mid = spawn(w, orch);
	pid_t c1 = spawn(w, mid), c2 = spawn(w, orch);

	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	set_ok(w, orch, c1, 100);
	signal_ok(w, c1, d, CONTID_SIG_TERM);
	tw_records_clear(tw);
	set_ok(w, mid, c1, 200);       /* mid descends from 100's owner */
	ck_assert_uint_eq(tw->nrecords, 2);            /* CONTAINER_OP, SYSCALL */
	ASSERT_COUNTS(w, 100, 0, 1);
	ck_assert_int_eq(contid_set(w, orch, c2, 100), -ENOTUNIQ);
	info_is(w, 1, 0, c1, "100");
	assert_no_object(w, 100);
	tw_free(tw);
}
END_TEST

/* A nested pinned ID: its parent is not dropped while the pinned child
 * names it; releasing the pin frees the child and then the parent, both
 * silently. */
START_TEST(test_r_sig_release_nested_frees_parent)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;

	build_nested(w);               /* orch 2, c1 3 (100), engine 4, c2 5 */
	set_ok(w, 4, 5, 200);
	pid_t d = spawn(w, 1), other = spawn(w, 1);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	signal_ok(w, 5, d, CONTID_SIG_TERM);
	exit_ok(w, 5);
	ASSERT_COUNTS(w, 200, 0, 1);
	tw_records_clear(tw);
	exit_ok(w, 4);
	exit_ok(w, 3);
	expect_none(tw);               /* 100 still names a child: no op=drop */
	ASSERT_COUNTS(w, 100, 0, 1);
	ck_assert_uint_eq(parent_of(w, 200), 100);
	/* held by its pinned child, 100 lives as ever: its owner could join
	 * it, anybody else may not create it */
	ck_assert_int_eq(contid_set(w, other, spawn(w, other), 100), -ENOTUNIQ);
	last_rule_is(w, "R-SET-6");
	tw_records_clear(tw);
	info_is(w, d, 0, 5, "200,^100");
	expect_none(tw);
	assert_no_object(w, 200);
	assert_no_object(w, 100);
	tw_free(tw);
}
END_TEST

/* v11-posted: freeing through the pin releases the parent, though the
 * ordinary path leaks it; a parent freed so releases its own parent by
 * the ordinary, leaking path. */
static void nested_three(struct contid_world *w)
{
	build_nested(w);               /* orch 2, c1 3 (100), engine 4, c2 5 */
	set_ok(w, 4, 5, 200);
	pid_t e2 = spawn(w, 5), c3 = spawn(w, e2), d = spawn(w, 1);
	set_ok(w, e2, c3, 300);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	signal_ok(w, c3, d, CONTID_SIG_TERM);
	exit_ok(w, c3);
	exit_ok(w, e2);
	exit_ok(w, 5);
	exit_ok(w, 4);
	exit_ok(w, 3);
	ASSERT_COUNTS(w, 300, 0, 1);
	ASSERT_COUNTS(w, 200, 0, 1);
	ASSERT_COUNTS(w, 100, 0, 1);
	info_is(w, d, 0, c3, "300,^200,^100");
	assert_no_object(w, 300);
	assert_no_object(w, 200);
}

START_TEST(test_r_sig_release_v11_posted_frees_parent_leaks_grandparent)
{
	struct test_world *tw = tw_new();

	ck_assert_int_eq(contid_world_set_profile(tw->w, "v11-posted"), 0);
	nested_three(tw->w);
	ASSERT_COUNTS(tw->w, 100, 0, 1);               /* leaked, for ever */
	tw_free(tw);
}
END_TEST

START_TEST(test_r_sig_release_v11_frees_the_whole_chain)
{
	struct test_world *tw = tw_new();

	nested_three(tw->w);
	assert_no_object(tw->w, 100);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);
	tw_free(tw);
}
END_TEST

/* -------------------------------------------------------------- profiles */

/* v6, v8 and bits record the signal but pin nothing; their reply's chain
 * is the sender's value at the time of the signal, kept until the next
 * recorded signal. */
START_TEST(test_r_sig_profiles_that_pin_nothing)
{
	static const char *const names[] = { "v6", "v8", "bits" };
	const char *profile = names[_i];
	struct sigworld s;

	sig_setup(&s, profile);
	ck_assert_int_eq(contid_signal(s.w, s.c1, s.d, CONTID_SIG_TERM), 0);
	ck_assert_uint_eq(pinned_of(s.w), CONTID_UNSET);
	ASSERT_COUNTS(s.w, 100, 1, 1);
	assert_invariants(s.w);
	exit_ok(s.w, s.c1);
	assert_no_object(s.w, 100);
	info_is(s.w, s.d, 0, s.c1, "100");
	info_is(s.w, s.d, 0, s.c1, "100");             /* kept */
	/* a sender without an ID: the chain is empty from then on */
	signal_ok(s.w, s.orch, s.d, CONTID_SIG_TERM);
	info_is(s.w, s.d, 0, s.orch, "");
	tw_free(s.tw);
}
END_TEST

/* The value at the time of the signal, not the sender's later one (v6
 * may set any value again). */
START_TEST(test_r_sig_profiles_v6_value_at_signal_time)
{
	struct sigworld s;

	sig_setup(&s, "v6");
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	set_ok(s.w, s.orch, s.c1, 7);
	info_is(s.w, s.d, 0, s.c1, "100");
	tw_free(s.tw);
}
END_TEST

/* kernel-alloc pins like v11: the pinned value is not handed out again
 * until the pin lets go. */
START_TEST(test_r_sig_profiles_kernel_alloc_pins)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;

	ck_assert_int_eq(contid_world_set_profile(w, "kernel-alloc"), 0);
	pid_t d = spawn(w, 1), orch = spawn(w, 1);
	pid_t c1 = spawn(w, orch), c2 = spawn(w, orch), c3 = spawn(w, orch);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	set_ok(w, orch, c1, 0);
	ck_assert_uint_eq(contid_of(w, c1), 1);
	signal_ok(w, c1, d, CONTID_SIG_TERM);
	exit_ok(w, c1);
	ck_assert_uint_eq(pinned_of(w), 1);
	ck_assert_int_eq(contid_set(w, orch, c2, 1), -ENOTUNIQ);
	last_rule_is(w, "R-SIG-RELEASE");
	set_ok(w, orch, c2, 0);
	ck_assert_uint_eq(contid_of(w, c2), 2);
	info_is(w, d, 0, c1, "1");
	set_ok(w, orch, c3, 0);
	ck_assert_uint_eq(contid_of(w, c3), 1);
	tw_free(tw);
}
END_TEST

/* ------------------------------------------------------------- records */

/* "signal is an audited syscall of the sender (syscall=62, a0 = the
 * target's own pid, a1 = the signal, in hex), then the target's
 * CONTAINER_ID record=N and an OBJ_PID". */
START_TEST(test_records_signal_lines)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	struct exp_rec e[4];
	char f[768];

	fork_expect(w, 1, 0, 2);                          /* op 1: d */
	ck_assert_int_eq(contid_set_auditd(w, 2), 0);     /* op 2 */
	fork_expect(w, 1, 0, 3);                          /* op 3: orch */
	fork_expect(w, 3, 0, 4);                          /* op 4: c1 */
	set_ok(w, 3, 4, 100);                             /* op 5, serial 1 */
	ck_assert_int_eq(contid_task_set_name(w, 2, "auditd"), 0);

	/* the sender has an ID, the target none (op 6, serial 2) */
	tw_records_clear(tw);
	signal_ok(w, 4, 2, CONTID_SIG_TERM);
	rec(&e[0], 1336, 6, 2, "record=1 contid=100");
	sc_kill(f, sizeof(f), 0, 2, 15, 3, 4, 0, "init", 1);
	rec(&e[1], 1300, 6, 2, f);
	rec(&e[2], 1318, 6, 2, "opid=2 oauid=-1 ouid=0 oses=-1 ocomm=\"auditd\"");
	expect(tw, e, 3);

	/* the target has one: it is record 1 (op 7, serial 3) */
	tw_records_clear(tw);
	signal_ok(w, 3, 4, CONTID_SIG_INT);
	sc_kill(f, sizeof(f), 0, 4, 2, 1, 3, 0, "init", 0);
	rec(&e[0], 1300, 7, 3, f);
	rec(&e[1], 1336, 7, 3, "record=1 contid=100");
	rec(&e[2], 1318, 7, 3,
	    "opid=4 oauid=-1 ouid=0 oses=-1 ocomm=\"init\" record=1");
	expect(tw, e, 3);

	/* both have: the target's is record 2 (op 8, serial 4) */
	tw_records_clear(tw);
	signal_ok(w, 4, 4, CONTID_SIG_KILL);
	rec(&e[0], 1336, 8, 4, "record=1 contid=100");
	sc_kill(f, sizeof(f), 0, 4, 9, 3, 4, 0, "init", 1);
	rec(&e[1], 1300, 8, 4, f);
	rec(&e[2], 1336, 8, 4, "record=2 contid=100");
	rec(&e[3], 1318, 8, 4,
	    "opid=4 oauid=-1 ouid=0 oses=-1 ocomm=\"init\" record=2");
	expect(tw, e, 4);

	/* not found: the SYSCALL alone, a0 the pid as given (op 9, 10) */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_signal(w, 3, 999, CONTID_SIG_USR2), -ESRCH);
	sc_kill(f, sizeof(f), -3, 999, 12, 1, 3, 0, "init", 0);
	rec(&e[0], 1300, 9, 5, f);
	expect(tw, e, 1);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_signal(w, 3, -1, CONTID_SIG_HUP), -ESRCH);
	sc_kill(f, sizeof(f), -3, 0xffffffffffffffffULL, 1, 1, 3, 0, "init", 0);
	rec(&e[0], 1300, 10, 6, f);
	expect(tw, e, 1);

	/* auditd and signal_info log nothing (op 11, 12) */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_auditd(w, 3), 0);
	info_is(w, 1, 0, 4, "100");
	expect_none(tw);
	tw_free(tw);
}
END_TEST

/* A thread target: a0 is its own id, OBJ_PID's opid its tgid; a refused
 * kill is logged success=no exit=-1; a name to hex-encode is. */
START_TEST(test_records_signal_thread_refused_and_names)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	struct exp_rec e[2];
	char f[768];

	fork_expect(w, 1, 0, 2);                          /* op 1 */
	fork_expect(w, 2, CONTID_CLONE_THREAD, 3);        /* op 2 */
	fork_expect(w, 1, 0, 4);                          /* op 3 */
	ck_assert_int_eq(contid_setuid(w, 4, 1000), 0);   /* op 4 */
	ck_assert_int_eq(contid_task_set_name(w, 3, "my thread"), 0);
	ck_assert_int_eq(contid_task_set_name(w, 4, "sender"), 0);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_signal(w, 4, 3, CONTID_SIG_USR1), -EPERM);
	sc_kill(f, sizeof(f), -1, 3, 10, 1, 4, 1000, "sender", 0);
	rec(&e[0], 1300, 5, 1, f);
	rec(&e[1], 1318, 5, 1,
	    "opid=2 oauid=-1 ouid=0 oses=-1 ocomm=6D7920746872656164");
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* Auditing off: a signal still pins; no record and no serial. */
START_TEST(test_records_signal_audit_off_still_pins)
{
	struct sigworld s;

	sig_setup(&s, NULL);
	ck_assert_int_eq(contid_world_set_audit(s.w, 0), 0);
	signal_ok(s.w, s.c1, s.d, CONTID_SIG_TERM);
	expect_none(s.tw);
	ck_assert_uint_eq(pinned_of(s.w), 100);
	ck_assert_int_eq(contid_world_set_audit(s.w, 1), 0);
	ck_assert_int_eq(contid_event(s.w, 1), 0);
	/* serial 1 was the set; the signal took none */
	ck_assert_ptr_nonnull(strstr(tw_last_record(s.tw, CONTID_RECORD_SYSCALL),
				     ":2): "));
	tw_free(s.tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_signal(void)
{
	Suite *s = suite_create("signal");
	TCase *tc;

	tc = tcase_create("r-sig-auditd");
	tcase_add_test(tc, test_r_sig_auditd_registers_the_process);
	tcase_add_test(tc, test_r_sig_auditd_refused);
	tcase_add_test(tc, test_r_sig_auditd_replaced_keeps_pin);
	tcase_add_test(tc, test_r_sig_auditd_ends_with_its_process);
	suite_add_tcase(s, tc);

	tc = tcase_create("r-sig-send");
	tcase_add_test(tc, test_r_sig_send_refused_before_the_target);
	tcase_add_test(tc, test_r_sig_send_target_gone_and_zombie);
	tcase_add_test(tc, test_r_sig_send_which_signals_are_recorded);
	tcase_add_test(tc, test_r_sig_send_remembers_tgid_and_uid);
	tcase_add_test(tc, test_r_sig_send_refused_kill_still_pins);
	tcase_add_test(tc, test_r_sig_send_permission);
	tcase_add_test(tc, test_r_sig_send_zombie_daemon_leader_is_target);
	suite_add_tcase(s, tc);

	tc = tcase_create("r-sig-info");
	tcase_add_test(tc, test_r_sig_info_refused);
	tcase_add_test(tc, test_r_sig_info_before_any_signal);
	tcase_add_test(tc, test_r_sig_info_nested_chain_then_release);
	suite_add_tcase(s, tc);

	tc = tcase_create("r-sig-release");
	tcase_add_test(tc, test_r_sig_release_second_signal_replaces);
	tcase_add_test(tc, test_r_sig_release_daemon_thread_exit);
	tcase_add_test(tc, test_r_sig_release_daemon_holds_pinned_id);
	tcase_add_test(tc, test_r_sig_release_enotuniq_for_the_owner);
	tcase_add_test(tc, test_r_sig_release_held_pinned_id_injects);
	tcase_add_test(tc, test_r_sig_release_last_reference_by_reset);
	tcase_add_test(tc, test_r_sig_release_nested_frees_parent);
	tcase_add_test(tc, test_r_sig_release_v11_posted_frees_parent_leaks_grandparent);
	tcase_add_test(tc, test_r_sig_release_v11_frees_the_whole_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("r-sig-profiles");
	tcase_add_loop_test(tc, test_r_sig_profiles_that_pin_nothing, 0, 3);
	tcase_add_test(tc, test_r_sig_profiles_v6_value_at_signal_time);
	tcase_add_test(tc, test_r_sig_profiles_kernel_alloc_pins);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-signal");
	tcase_add_test(tc, test_records_signal_lines);
	tcase_add_test(tc, test_records_signal_thread_refused_and_names);
	tcase_add_test(tc, test_records_signal_audit_off_still_pins);
	suite_add_tcase(s, tc);

	return s;
}

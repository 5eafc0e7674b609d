/*
 * procsim explore's properties of the user's own (sim/explore-uprops.c,
 * docs/explore.md "Properties of your own"), white-box: every parse error
 * with its exact message, line and column, and evaluation on worlds built
 * with the public API.
 */
#include <check.h>
#include <contid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore-uprops.h"
#include "scn-mem.h"
#include "scn.h"

/* ---------------------------------------------------------- start world */

/* The names a setup scenario would have bound, by pid, with identities;
 * the parse tests use made-up ones. */
struct start {
	const char *names[8];
	pid_t pids[8];
	uint64_t identities[8];
	size_t n;
};

static bool lookup(void *data, const char *name, pid_t *pid, uint64_t *identity)
{
	const struct start *s = data;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0) {
			*pid = s->pids[i];
			*identity = s->identities[i];
			return true;
		}
	return false;
}

static void start_add(struct start *s, const char *name, pid_t pid,
		      uint64_t identity)
{
	s->names[s->n] = name;
	s->pids[s->n] = pid;
	s->identities[s->n] = identity;
	s->n++;
}

static void start_fake(struct start *s)
{
	memset(s, 0, sizeof(*s));
	start_add(s, "init", 1, 1);
	start_add(s, "orch", 2, 2);
	start_add(s, "c1", 3, 3);
	start_add(s, "engine", 4, 4);
}

static int load(const char *text, const uint64_t *values, size_t nvalues,
		struct start *s, struct xuprops **out, struct scn_error *err)
{
	return xuprops_load(text, strlen(text), lookup, s, values, nvalues, out, err);
}

/* --------------------------------------------------------- parse errors */

static const struct {
	const char *text;
	unsigned line, column;
	const char *message;
} parse_errors[] = {
	/* the file */
	{ "", 1, 1, "empty file" },
	{ "# nothing\n\n   # still nothing\n", 3, 1, "no property in the file" },
	{ "\xef\xbb\xbf", 1, 1, "no property in the file" },
	/* lines and words, by the scenario lexer */
	{ "# caf\xe9\nproperty a: check free 1\n", 1, 6, "invalid UTF-8" },
	{ "property a: check free \"1\n", 1, 24, "unterminated quoted string" },
	{ "property a: check free 1\x01\n", 1, 25, "control character 0x01" },
	{ "\xef\xbb\xbfproperty a: check contd init 1\n", 1, 19,
	  "unknown check 'contd' (contid, chain, owner, free, parent, users, "
	  "capcontid, level, ppid, pid); did you mean 'contid'?" },
	/* keywords */
	{ "proprety a: check free 1\n", 1, 1,
	  "unknown keyword 'proprety'; did you mean 'property'?" },
	{ "@v8 property a: check free 1\n", 1, 1, "unknown keyword '@v8'" },
	{ "or check free 1\n", 1, 1, "'or' outside a property" },
	{ "\n  check free 1\n", 2, 3, "'check' outside a property" },
	{ "not check free 1\n", 1, 1, "'not' outside a property" },
	{ "property a: check free 1\ncheck free 2\n", 2, 1,
	  "missing 'or' before 'check'" },
	{ "property a:\nproperty b: check free 1\n", 2, 1,
	  "expected 'check' or 'not', got 'property'" },
	{ "property a: check free 1 or\nor check free 2\n", 2, 1,
	  "expected 'check' or 'not', got 'or'" },
	/* the header */
	{ "property\n", 1, 10, "missing property name" },
	{ "property a.b: check free 1\n", 1, 10,
	  "'a.b' is not a property name (letters, digits, '-' and '_')" },
	{ "property \"a\" : check free 1\n", 1, 10,
	  "'a' is not a property name (letters, digits, '-' and '_')" },
	{ "property P-PRIV: check free 1\n", 1, 10,
	  "'P-PRIV' is the name of a built-in property (P-PRIV, P-CONTAIN, "
	  "P-OWNER, P-FREE, P-INVARIANTS)" },
	{ "property p-invariants: check free 1\n", 1, 10,
	  "'p-invariants' is the name of a built-in property (P-PRIV, "
	  "P-CONTAIN, P-OWNER, P-FREE, P-INVARIANTS)" },
	{ "property a: check free 1\n# two\nproperty A: check free 2\n", 3, 10,
	  "property 'A' is already defined on line 1" },
	{ "property a\n", 1, 12, "missing ':'" },
	{ "property a forall task t\n", 1, 26, "missing ':'" },
	{ "property a check free 1\n", 1, 12, "missing ':' before 'check'" },
	{ "property a forall task t not check contid t 1\n", 1, 26,
	  "missing ':' before 'not'" },
	{ "property a foral task t: check free 1\n", 1, 12,
	  "expected 'forall' or ':', got 'foral'; did you mean 'forall'?" },
	{ "property a forall task t u: check free 1\n", 1, 26,
	  "expected ',', 'forall' or ':', got 'u'" },
	{ "property a forall\n", 1, 19, "missing 'task' or 'value'" },
	{ "property a forall tasks t: check free 1\n", 1, 19,
	  "expected 'task' or 'value' after 'forall', got 'tasks'; did you "
	  "mean 'task'?" },
	{ "property a forall task\n", 1, 24, "missing variable name" },
	{ "property a forall task : check free 1\n", 1, 24,
	  "expected a variable name, got ':'" },
	{ "property a forall task t,: check free 1\n", 1, 26,
	  "expected a variable name, got ':'" },
	{ "property a forall value v,,w: check free v\n", 1, 27,
	  "expected a variable name, got ','" },
	{ "property a forall task 1t: check free 1\n", 1, 24,
	  "'1t' is not a variable name" },
	{ "property a forall value none: check free 1\n", 1, 25,
	  "'none' is a keyword, not a variable name" },
	{ "property a forall task t, t: check free 1\n", 1, 27,
	  "variable 't' declared twice" },
	{ "property a forall task t forall value t: check free 1\n", 1, 39,
	  "variable 't' declared twice" },
	{ "property a forall task orch: check free 1\n", 1, 24,
	  "variable 'orch' shadows a task of the start world" },
	{ "property a forall value init: check free 1\n", 1, 25,
	  "variable 'init' shadows a task of the start world" },
	{ "property a forall task a,b,c,d forall value e,f,g,h,i: check free 1\n",
	  1, 53, "more than 8 variables" },
	/* atoms */
	{ "property a:\n", 1, 13, "missing 'check'" },
	{ "property a:\n# the atom never comes\n\n", 1, 13, "missing 'check'" },
	{ "property a: check free 1 or\n", 1, 29, "missing 'check'" },
	{ "property a: not\n", 1, 17, "missing 'check'" },
	{ "property a: chek free 1\n", 1, 13,
	  "expected 'check' or 'not', got 'chek'; did you mean 'check'?" },
	{ "property a: not contid init 1\n", 1, 17,
	  "expected 'check', got 'contid'" },
	{ "property a: check\n", 1, 19, "missing what to check" },
	{ "property a: check record CONTAINER_OP op=set\n", 1, 19,
	  "'check record' is not in properties: explore keeps no records" },
	{ "property a: not check no-record SYSCALL\n", 1, 23,
	  "'check no-record' is not in properties: explore keeps no records" },
	{ "property a: check fre 1\n", 1, 19,
	  "unknown check 'fre' (contid, chain, owner, free, parent, users, "
	  "capcontid, level, ppid, pid); did you mean 'free'?" },
	{ "property a: check free 1 check free 2\n", 1, 26, "unexpected 'check'" },
	{ "property a: check contid init 1 => ok\n", 1, 33, "unexpected '=>'" },
	{ "property a: check free 1 or or check free 2\n", 1, 29,
	  "expected 'check' or 'not', got 'or'" },
	/* operands */
	{ "property a: check contid init\n", 1, 31, "missing value" },
	{ "property a: check contid\n", 1, 26, "missing task" },
	{ "property a: check owner 5\n", 1, 27, "missing owner task" },
	{ "property a: check users 5\n", 1, 27, "missing count" },
	{ "property a: check level init\n", 1, 30, "missing number" },
	{ "property a: check pid init\n", 1, 28, "missing pid" },
	{ "property a: check chain init\n", 1, 30, "missing chain" },
	{ "property a: check ppid init\n", 1, 29, "missing parent task" },
	{ "property a: check parent 5\n", 1, 28, "missing value" },
	{ "property a: check contid nobody 1\n", 1, 26, "unknown task 'nobody'" },
	{ "property a: check contid orhc 1\n", 1, 26,
	  "unknown task 'orhc'; did you mean 'orch'?" },
	{ "property a: check contid Orch 1\n", 1, 26,
	  "unknown task 'Orch'; did you mean 'orch'?" },
	{ "property a: check level enigne 0\n", 1, 25,
	  "unknown task 'enigne'; did you mean 'engine'?" },
	{ "property a: check ppid c1 c12\n", 1, 27,
	  "unknown task 'c12'; did you mean 'c1'?" },
	{ "property a forall task task1: check pid tsk1 1\n", 1, 41,
	  "unknown task 'tsk1'; did you mean 'task1'?" },
	{ "property a: check owner 5 \"orch\"\n", 1, 27,
	  "'orch' is not a task name" },
	{ "property a: check pid 9lives 1\n", 1, 23, "'9lives' is not a task name" },
	{ "property a forall value v: check contid v 1\n", 1, 41,
	  "'v' is a value variable, not a task" },
	{ "property a forall value v: check owner v v\n", 1, 42,
	  "'v' is a value variable, not a task" },
	{ "property a forall task t: check free t\n", 1, 38,
	  "'t' is a task variable, not a value" },
	{ "property a forall task t: check contid init t\n", 1, 45,
	  "'t' is a task variable, not a value" },
	{ "property a: check free orch\n", 1, 24, "'orch' is a task, not a value" },
	{ "property a forall value val: check free vla\n", 1, 41,
	  "unknown value variable 'vla'; did you mean 'val'?" },
	{ "property a: check contid init unst\n", 1, 31,
	  "unknown value variable 'unst'; did you mean 'unset'?" },
	{ "property a: check parent 5 nnoe\n", 1, 28,
	  "unknown value variable 'nnoe'; did you mean 'none'?" },
	{ "property a: check free unset\n", 1, 24,
	  "unknown value variable 'unset'" },
	{ "property a: check free 12x\n", 1, 24, "expected a number, got '12x'" },
	{ "property a: check free \"12\"\n", 1, 24, "expected a number, got '12'" },
	{ "property a: check free 18446744073709551616\n", 1, 24,
	  "number 18446744073709551616 out of range (at most 18446744073709551615)" },
	{ "property a: check users 1 4294967296\n", 1, 27,
	  "number 4294967296 out of range (at most 4294967295)" },
	{ "property a: check capcontid init 4294967296\n", 1, 34,
	  "number 4294967296 out of range (at most 4294967295)" },
	{ "property a: check level init x\n", 1, 30, "expected a number, got 'x'" },
	{ "property a: check pid init 4194305\n", 1, 28,
	  "number 4194305 out of range (at most 4194304)" },
	{ "property a: check users 1 -1\n", 1, 27, "expected a count, got '-1'" },
	{ "property a: check pid init 0x1\n", 1, 28, "expected a pid, got '0x1'" },
	{ "property a: check free 1\nnot check free 2\n", 2, 1,
	  "missing 'or' before 'not'" },
	{ "property a: check chain init 1\"00\"\n", 1, 30,
	  "a chain is one quoted string" },
	/* an error on a later line, after a good property */
	{ "property good: check free 1\n\nproperty bad: check free x\n", 3, 26,
	  "unknown value variable 'x'" },
};

START_TEST(test_parse_error)
{
	struct start s;
	struct xuprops *x = (struct xuprops *)&s; /* must stay untouched */
	struct scn_error err = { 0 };

	start_fake(&s);
	int r = load(parse_errors[_i].text, NULL, 0, &s, &x, &err);
	ck_assert_msg(r == -1, "case %d parsed", _i);
	ck_assert_ptr_eq(x, (struct xuprops *)&s);
	ck_assert_ptr_nonnull(err.message);
	ck_assert_msg(strcmp(err.message, parse_errors[_i].message) == 0 &&
		      err.line == parse_errors[_i].line &&
		      err.column == parse_errors[_i].column,
		      "case %d: got %u:%u: %s\nwant %u:%u: %s", _i, err.line,
		      err.column, err.message, parse_errors[_i].line,
		      parse_errors[_i].column, parse_errors[_i].message);
	scn_error_clear(&err);
}
END_TEST

/* The whole-line checks of the lexer: NUL bytes and the line length. */
START_TEST(test_parse_error_nul_and_long_line)
{
	static const char nul[] = "property a: check free 1 # \0\n";
	struct start s;
	struct xuprops *x = NULL;
	struct scn_error err = { 0 };

	start_fake(&s);
	ck_assert_int_eq(xuprops_load(nul, sizeof(nul) - 1, lookup, &s, NULL, 0,
				      &x, &err), -1);
	ck_assert_str_eq(err.message, "NUL byte");
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.column, 28);
	scn_error_clear(&err);

	size_t len = SCN_MAX_LINE_BYTES + 100;
	char *text = malloc(len + 1);
	ck_assert_ptr_nonnull(text);
	memset(text, ' ', len);
	memcpy(text, "property a: check free 1", 24);
	text[len - 1] = '\n';
	text[len] = '\0';
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), -1);
	ck_assert_str_eq(err.message, "line longer than 65536 bytes");
	ck_assert_uint_eq(err.column, SCN_MAX_LINE_BYTES + 1);
	scn_error_clear(&err);
	ck_assert_ptr_null(x);
	free(text);
}
END_TEST

/* 64 atoms, on continuation lines, are fine; the 65th is not. */
START_TEST(test_parse_error_atom_limit)
{
	struct start s;
	struct xuprops *x = NULL;
	struct scn_error err = { 0 };
	char *text = malloc(64 * 32 + 64);

	ck_assert_ptr_nonnull(text);
	start_fake(&s);
	strcpy(text, "property many: check free 1\n");
	for (int i = 2; i <= 64; i++)
		sprintf(text + strlen(text), "  or check free %d\n", i);
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), 0);
	ck_assert_uint_eq(xuprops_count(x), 1);
	xuprops_free(x);
	x = NULL;
	strcat(text, "  or not check free 65\n");
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), -1);
	ck_assert_str_eq(err.message, "more than 64 atoms in a property");
	ck_assert_uint_eq(err.line, 65);
	ck_assert_uint_eq(err.column, 6);
	scn_error_clear(&err);
	free(text);
}
END_TEST

/* 1000 properties are fine; the 1001st is not. */
START_TEST(test_parse_error_property_limit)
{
	struct start s;
	struct xuprops *x = NULL;
	struct scn_error err = { 0 };
	char *text = malloc(1001 * 40);

	ck_assert_ptr_nonnull(text);
	start_fake(&s);
	text[0] = '\0';
	char *end = text;
	for (int i = 1; i <= 1000; i++)
		end += sprintf(end, "property p%d: check free %d\n", i, i);
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), 0);
	ck_assert_uint_eq(xuprops_count(x), 1000);
	ck_assert_str_eq(xuprops_name(x, 999), "p1000");
	xuprops_free(x);
	x = NULL;
	strcpy(end, "\tproperty p1001: check free 1\n");
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), -1);
	ck_assert_str_eq(err.message, "more than 1000 properties");
	ck_assert_uint_eq(err.line, 1001);
	ck_assert_uint_eq(err.column, 2);
	scn_error_clear(&err);
	free(text);
}
END_TEST

/* The spellings of a header and the ways a property continues. */
START_TEST(test_parse_accepts_every_spelling)
{
	static const char text[] =
		"# comments and blank lines as in scenarios\r\n"
		"\n"
		"property one:check free 1            # ':' glued to both sides\n"
		"property two forall task t,u:check ppid t u\n"
		"property three forall task t , u forall value v : check contid t v\n"
		"property four_4 forall value v, w forall task t :\n"
		"    # the first atom on a line of its own\n"
		"    not check parent v w\n"
		"    or check owner v none or check owner v gone\n"
		"    or check owner v t or check users v 0 or\n"
		"    check chain t \"1,^2\"\n"
		"property Five-5 : check capcontid init 0 or check level init 0 "
		"or check pid init 1\n";
	struct start s;
	struct xuprops *x = NULL;
	struct scn_error err = { 0 };

	start_fake(&s);
	ck_assert_int_eq(load(text, NULL, 0, &s, &x, &err), 0);
	ck_assert_ptr_null(err.message);
	ck_assert_uint_eq(xuprops_count(x), 5);
	ck_assert_str_eq(xuprops_name(x, 0), "one");
	ck_assert_str_eq(xuprops_name(x, 1), "two");
	ck_assert_str_eq(xuprops_name(x, 2), "three");
	ck_assert_str_eq(xuprops_name(x, 3), "four_4");
	ck_assert_str_eq(xuprops_name(x, 4), "Five-5");
	ck_assert_ptr_null(xuprops_name(x, 5));
	xuprops_free(x);
	xuprops_free(NULL);
}
END_TEST

/* -------------------------------------------------------------- worlds */

/* The world of the first scenario of docs/scenarios.md: init(1) ->
 * orch(2) -> c1(3) -> engine(4) -> n1(5), and orch -> c2(6); orch labels
 * c1 100 (engine inherits it), engine labels n1 200, nested in 100. */
struct fixture {
	struct contid_world *w;
	struct start s;
	const char *pid_names[128];
};

static const char *name_of(void *data, pid_t pid)
{
	struct fixture *f = data;

	ck_assert_msg(pid > 0 && pid < 128 && f->pid_names[pid],
		      "no name for pid %d", (int)pid);
	return f->pid_names[pid];
}

static pid_t fork_named(struct fixture *f, pid_t parent, const char *name)
{
	pid_t child;
	uint64_t identity;

	ck_assert_int_eq(contid_fork(f->w, parent, 0, &child), 0);
	ck_assert_int_eq(contid_task_identity(f->w, child, &identity), 0);
	start_add(&f->s, name, child, identity);
	f->pid_names[child] = name;
	return child;
}

static void fixture_init(struct fixture *f)
{
	uint64_t identity;

	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(contid_world_new(&f->w), 0);
	ck_assert_int_eq(contid_task_identity(f->w, 1, &identity), 0);
	start_add(&f->s, "init", 1, identity);
	f->pid_names[1] = "init";
	pid_t orch = fork_named(f, 1, "orch");
	pid_t c1 = fork_named(f, orch, "c1");
	ck_assert_int_eq(contid_set(f->w, orch, c1, 100), 0);
	pid_t engine = fork_named(f, c1, "engine");
	pid_t n1 = fork_named(f, engine, "n1");
	ck_assert_int_eq(contid_set(f->w, engine, n1, 200), 0);
	fork_named(f, orch, "c2");
}

static struct xuprops *fixture_load(struct fixture *f, const char *text,
				    const uint64_t *values, size_t nvalues)
{
	struct xuprops *x = NULL;
	struct scn_error err = { 0 };

	if (load(text, values, nvalues, &f->s, &x, &err) < 0)
		ck_abort_msg("%u:%u: %s", err.line, err.column, err.message);
	return x;
}

/* Evaluates property @i; "" when it holds, else why it does not. */
static void expect(struct fixture *f, const struct xuprops *x, size_t i,
		   const char *why)
{
	struct scn_str *s = scn_str_new();

	scn_str_assign(s, "(untouched)");
	int r = xuprops_eval(x, i, f->w, name_of, f, s);
	if (!*why) {
		ck_assert_msg(r == 0, "%s failed: %s", xuprops_name(x, i), s->str);
		ck_assert_str_eq(s->str, "(untouched)");
	} else {
		ck_assert_msg(r == 1, "%s held", xuprops_name(x, i));
		ck_assert_str_eq(s->str, why);
	}
	/* without a description the answer is the same */
	ck_assert_int_eq(xuprops_eval(x, i, f->w, name_of, f, NULL), r);
	scn_str_free(s);
}

/* Each check, on the side where it holds and where it does not. */
START_TEST(test_eval_checks)
{
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property contid: check contid engine 100\n"
		"property contid-no: check contid orch 7 or check contid c2 100 "
		"or check contid n1 unset\n"
		"property chain: check chain n1 \"200,^100\" or check chain c2 1\n"
		"property chain-no: check chain c2 \"100\" or check chain n1 200\n"
		"property owner: check owner 200 engine\n"
		"property owner-no: check owner 100 c1 or check owner 300 c1 "
		"or check owner 100 none or check owner 100 gone\n"
		"property free: check free 300\n"
		"property free-no: check free 200\n"
		"property parent: check parent 200 100\n"
		"property parent-no: check parent 100 200 or check parent 200 none "
		"or check parent 300 none\n"
		"property users: check users 100 2\n"
		"property users-no: check users 200 2 or check users 300 1 "
		"or check users 100 1\n"
		"property capcontid: check capcontid c1 0\n"
		"property capcontid-no: check capcontid c1 1\n"
		"property level: check level n1 0\n"
		"property level-no: check level n1 1\n"
		"property ppid: check ppid n1 engine\n"
		"property ppid-no: check ppid c2 init or check ppid init orch\n"
		"property pid: check pid c2 6\n"
		"property pid-no: check pid c2 5\n"
		"property parent-none: check parent 100 none\n"
		"property users-none: check users 300 0\n",
		NULL, 0);
	static const char *const want[] = {
		"",
		"check contid orch 7 (got unset) or check contid c2 100 (got "
		"unset) or check contid n1 unset (got 200)",
		"",
		"check chain c2 \"100\" (got -1) or check chain n1 200 (got 200,^100)",
		"",
		"check owner 100 c1 (got owner orch) or check owner 300 c1 (got no "
		"ID 300) or check owner 100 none (got owner orch) or check owner "
		"100 gone (got owner orch)",
		"",
		"check free 200 (got 200 in use)",
		"",
		"check parent 100 200 (got none) or check parent 200 none (got 100) "
		"or check parent 300 none (got no ID 300)",
		"",
		"check users 200 2 (got 1 user) or check users 300 1 (got 0 users) "
		"or check users 100 1 (got 2 users)",
		"",
		"check capcontid c1 1 (got 0)",
		"",
		"check level n1 1 (got 0)",
		"",
		"check ppid c2 init (got ppid 2: orch) or check ppid init orch "
		"(got ppid 0)",
		"",
		"check pid c2 5 (got pid 6)",
		"",
		"",
	};

	ck_assert_uint_eq(xuprops_count(x), SCN_N_ELEMENTS(want));
	for (size_t i = 0; i < SCN_N_ELEMENTS(want); i++)
		expect(&f, x, i, want[i]);
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* The example of docs/explore.md, on the world of docs/scenarios.md's. */
START_TEST(test_eval_documented_example)
{
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"# props.txt: what this deployment promises\n"
		"property only-orch-labels forall task t :\n"
		"    check contid t unset\n"
		"    or check ppid t orch          # only orch's children get an ID\n"
		"property orch-owns-100 : check free 100 or check owner 100 orch\n"
		"property flat forall value v : check free v or check parent v none\n"
		"property init-unlabelled : check contid init unset\n",
		NULL, 0);

	ck_assert_uint_eq(xuprops_count(x), 4);
	expect(&f, x, 0, "t=engine: check contid t unset (got 100) or check "
	       "ppid t orch (got ppid 3: c1)");
	expect(&f, x, 1, "");
	expect(&f, x, 2, "v=200: check free v (got 200 in use) or check parent "
	       "v none (got 100)");
	expect(&f, x, 3, "");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* `not` turns a check around; `or` holds when any atom does; no
 * variables, no assignment in the description. */
START_TEST(test_eval_not_and_or)
{
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property not: not check contid c1 200\n"
		"property not-no: not check contid c1 100\n"
		"property or-second: check contid c1 200 or check contid c1 100\n"
		"property or-not: check free 100 or not check free 100\n"
		"property or-no: check free 100 or not check free 5\n",
		NULL, 0);

	expect(&f, x, 0, "");
	expect(&f, x, 1, "not check contid c1 100 (got 100)");
	expect(&f, x, 2, "");
	expect(&f, x, 3, "");
	expect(&f, x, 4, "check free 100 (got 100 in use) or not check free 5 "
	       "(got 5 free)");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* Task variables take every task that is not gone, zombies included, in
 * pid order. */
START_TEST(test_eval_task_quantifier)
{
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property unlabelled forall task t: check contid t unset\n"
		"property not-six forall task t: not check pid t 6\n"
		"property same-level forall task t: check level t 0\n",
		NULL, 0);

	expect(&f, x, 0, "t=c1: check contid t unset (got 100)");
	expect(&f, x, 1, "t=c2: not check pid t 6 (got pid 6)");
	expect(&f, x, 2, "");
	ck_assert_int_eq(contid_exit(f.w, 6), 0);        /* a zombie */
	expect(&f, x, 1, "t=c2: not check pid t 6 (got pid 6)");
	ck_assert_int_eq(contid_reap(f.w, 6), 0);        /* gone */
	expect(&f, x, 1, "");
	/* a task's label goes when it exits */
	ck_assert_int_eq(contid_exit(f.w, 5), 0);
	ck_assert_int_eq(contid_exit(f.w, 4), 0);
	ck_assert_int_eq(contid_exit(f.w, 3), 0);
	expect(&f, x, 0, "");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* Value variables take the --values in their order, then the other live
 * values in increasing order; over no value at all, forall holds. */
START_TEST(test_eval_value_quantifier)
{
	static const uint64_t values[] = { 7, 200, 1 };
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property top forall value v: check free v or check parent v none\n"
		"property nested forall value v: not check parent v 100\n"
		"property in-use forall value v: not check free v\n"
		"property any forall value v: check free v or check users v 1 or "
		"check users v 2\n",
		values, SCN_N_ELEMENTS(values));

	expect(&f, x, 0, "v=200: check free v (got 200 in use) or check parent v "
	       "none (got 100)");
	expect(&f, x, 1, "v=200: not check parent v 100 (got 100)");
	expect(&f, x, 2, "v=7: not check free v (got 7 free)");
	expect(&f, x, 3, "");
	xuprops_free(x);

	/* the live values come after the given ones, smallest first */
	x = fixture_load(&f,
		"property in-use forall value v: check free v\n"
		"property given forall value v: check users v 2 or check users v 1\n",
		values + 2, 1);
	expect(&f, x, 0, "v=100: check free v (got 100 in use)");
	expect(&f, x, 1, "v=1: check users v 2 (got 0 users) or check users v 1 "
	       "(got 0 users)");
	xuprops_free(x);

	/* nothing to quantify over: no --values and no ID */
	struct contid_world *empty;
	ck_assert_int_eq(contid_world_new(&empty), 0);
	x = fixture_load(&f, "property vacuous forall value v: not check free v\n",
			 NULL, 0);
	ck_assert_int_eq(xuprops_eval(x, 0, empty, name_of, &f, NULL), 0);
	ck_assert_int_eq(xuprops_eval(x, 0, f.w, name_of, &f, NULL), 0);
	xuprops_free(x);
	contid_world_free(empty);
	contid_world_free(f.w);
}
END_TEST

/* Assignments run in the order the variables are declared, the first
 * changing slowest: the two orders find different first failures. */
START_TEST(test_eval_assignment_order)
{
	static const uint64_t values[] = { 200, 100 };
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property task-first forall task t forall value v: "
		"not check contid t v\n"
		"property value-first forall value v forall task t: "
		"not check contid t v\n"
		"property mixed forall task t forall value v: "
		"check contid t v or check contid t unset\n",
		values, SCN_N_ELEMENTS(values));

	expect(&f, x, 0, "t=c1 v=100: not check contid t v (got 100)");
	expect(&f, x, 1, "v=200 t=n1: not check contid t v (got 200)");
	expect(&f, x, 2, "t=c1 v=200: check contid t v (got 100) or check "
	       "contid t unset (got 100)");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* Two variables over four tasks: all sixteen assignments, the same task
 * in both included. */
START_TEST(test_eval_two_variables_four_tasks)
{
	struct fixture f;
	uint64_t identity;

	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(contid_world_new(&f.w), 0);
	ck_assert_int_eq(contid_task_identity(f.w, 1, &identity), 0);
	start_add(&f.s, "init", 1, identity);
	f.pid_names[1] = "init";
	pid_t a = fork_named(&f, 1, "a");
	fork_named(&f, 1, "b");
	fork_named(&f, a, "c");
	struct xuprops *x = fixture_load(&f,
		"property same forall task t, u: not check pid t 4 or "
		"not check pid u 4\n"
		"property parent forall task t, u: not check ppid t u\n"
		"property init-parent forall task t, u: not check ppid t u or "
		"check pid u 1\n"
		"property roots forall task t, u: not check ppid t u or "
		"check pid u 1 or check pid u 2\n",
		NULL, 0);

	ck_assert_uint_eq(contid_task_count(f.w), 4);
	expect(&f, x, 0, "t=c u=c: not check pid t 4 (got pid 4) or not check "
	       "pid u 4 (got pid 4)");
	expect(&f, x, 1, "t=a u=init: not check ppid t u (got ppid 1: init)");
	expect(&f, x, 2, "t=c u=a: not check ppid t u (got ppid 2: a) or check "
	       "pid u 1 (got pid 2)");
	expect(&f, x, 3, "");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* A start name whose task is gone (reaped, or its pid now another
 * task's) makes every atom naming it false, `not` ones too. */
START_TEST(test_eval_gone_start_names)
{
	struct fixture f;

	fixture_init(&f);
	struct xuprops *x = fixture_load(&f,
		"property c2-pid: check pid c2 6\n"
		"property c2-not: not check level c2 5\n"
		"property c2-or: check pid c2 6 or check free 5\n"
		"property orch-owns: check owner 100 orch\n"
		"property owner-gone: check owner 100 gone\n"
		"property ppid-gone: check ppid c1 orch or check ppid engine c1\n",
		NULL, 0);

	expect(&f, x, 0, "");
	expect(&f, x, 1, "");
	expect(&f, x, 3, "");
	expect(&f, x, 4, "check owner 100 gone (got owner orch)");
	ck_assert_int_eq(contid_exit(f.w, 6), 0);
	expect(&f, x, 0, "");                         /* a zombie exists */
	ck_assert_int_eq(contid_reap(f.w, 6), 0);
	expect(&f, x, 0, "check pid c2 6 (c2 no longer exists)");
	expect(&f, x, 1, "not check level c2 5 (c2 no longer exists)");
	expect(&f, x, 2, "");
	/* orch's ID object outlives it; c1 is init's child now */
	ck_assert_int_eq(contid_exit(f.w, 2), 0);
	ck_assert_int_eq(contid_reap(f.w, 2), 0);
	expect(&f, x, 3, "check owner 100 orch (orch no longer exists)");
	expect(&f, x, 4, "");
	expect(&f, x, 5, "");
	ck_assert_int_eq(contid_exit(f.w, 4), 0);
	ck_assert_int_eq(contid_reap(f.w, 4), 0);
	expect(&f, x, 5, "check ppid c1 orch (orch no longer exists) or check "
	       "ppid engine c1 (engine no longer exists)");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* A reused pid is not the start task: identity decides. */
START_TEST(test_eval_reused_pid)
{
	struct fixture f;
	uint64_t identity;

	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(contid_world_new(&f.w), 0);
	ck_assert_int_eq(contid_world_set_pid_max(f.w, 4), 0);
	ck_assert_int_eq(contid_task_identity(f.w, 1, &identity), 0);
	start_add(&f.s, "init", 1, identity);
	f.pid_names[1] = "init";
	fork_named(&f, 1, "a");
	pid_t b = fork_named(&f, 1, "b");
	struct xuprops *x = fixture_load(&f,
		"property b-pid: check pid b 3\n"
		"property any-three forall task t: not check pid t 3\n",
		NULL, 0);

	expect(&f, x, 0, "");
	ck_assert_int_eq(contid_exit(f.w, b), 0);
	ck_assert_int_eq(contid_reap(f.w, b), 0);
	pid_t d;
	ck_assert_int_eq(contid_fork(f.w, 1, 0, &d), 0);
	ck_assert_int_eq(d, b);
	f.pid_names[d] = "d";
	expect(&f, x, 0, "check pid b 3 (b no longer exists)");
	expect(&f, x, 1, "t=d: not check pid t 3 (got pid 3)");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

/* More tasks and values than xuprops_eval() keeps on its stack. */
START_TEST(test_eval_large_domains)
{
	static char names[100][8];
	uint64_t values[80];
	struct fixture f;
	uint64_t identity;

	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(contid_world_new(&f.w), 0);
	ck_assert_int_eq(contid_task_identity(f.w, 1, &identity), 0);
	start_add(&f.s, "init", 1, identity);
	f.pid_names[1] = "init";
	for (int i = 0; i < 99; i++) {
		pid_t child;
		ck_assert_int_eq(contid_fork(f.w, 1, 0, &child), 0);
		snprintf(names[i], sizeof(names[i]), "t%d", (int)child);
		f.pid_names[child] = names[i];
	}
	for (size_t i = 0; i < SCN_N_ELEMENTS(values); i++)
		values[i] = 1000 + i;
	ck_assert_int_eq(contid_set(f.w, 1, 50, 1079), 0);
	ck_assert_int_eq(contid_set(f.w, 1, 60, 5), 0);
	struct xuprops *x = fixture_load(&f,
		"property level forall task t: check level t 0\n"
		"property last forall task t: not check pid t 100\n"
		"property values forall value v: check free v or check users v 1\n"
		"property live forall value v: check free v\n",
		values, SCN_N_ELEMENTS(values));

	expect(&f, x, 0, "");
	expect(&f, x, 1, "t=t100: not check pid t 100 (got pid 100)");
	expect(&f, x, 2, "");
	expect(&f, x, 3, "v=1079: check free v (got 1079 in use)");
	xuprops_free(x);
	contid_world_free(f.w);
}
END_TEST

static Suite *suite_explore_uprops(void)
{
	Suite *s = suite_create("explore-uprops");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_error, 0,
			    (int)(sizeof(parse_errors) / sizeof(parse_errors[0])));
	tcase_add_test(tc, test_parse_error_nul_and_long_line);
	tcase_add_test(tc, test_parse_error_atom_limit);
	tcase_add_test(tc, test_parse_error_property_limit);
	tcase_add_test(tc, test_parse_accepts_every_spelling);
	suite_add_tcase(s, tc);

	tc = tcase_create("eval");
	tcase_add_test(tc, test_eval_checks);
	tcase_add_test(tc, test_eval_documented_example);
	tcase_add_test(tc, test_eval_not_and_or);
	tcase_add_test(tc, test_eval_task_quantifier);
	tcase_add_test(tc, test_eval_value_quantifier);
	tcase_add_test(tc, test_eval_assignment_order);
	tcase_add_test(tc, test_eval_two_variables_four_tasks);
	tcase_add_test(tc, test_eval_gone_start_names);
	tcase_add_test(tc, test_eval_reused_pid);
	tcase_add_test(tc, test_eval_large_domains);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite_explore_uprops());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

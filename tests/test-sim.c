/*
 * procsim's own building blocks (sim/), white-box: the map that finds a
 * task's name among a million, UTF-8 checks and JSON strings, growable
 * strings.  The behaviour of procsim as a program is tested by the
 * scenario, bad-input and hostile suites.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "scn-json.h"
#include "scn-map.h"
#include "scn-mem.h"
#include "scn-progress.h"
#include "scn-suggest.h"

/* ------------------------------------------------------------------ map */

static uint64_t rng_state = 88172645463325252u;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random sets, replaces and removals over a few keys, so that probe runs
 * cross the end of the table and removals shift entries back, compared
 * with a plain array after every step. */
START_TEST(test_map_matches_reference_under_churn)
{
	enum { KEYS = 300, STEPS = 200000 };
	static uint64_t keys[KEYS + 1];
	static uint32_t want[KEYS + 1];
	static bool have[KEYS + 1];
	struct scn_map m = SCN_MAP_INIT;

	/* random 64-bit keys collide in a small table, sequential ones
	 * would not */
	memset(have, 0, sizeof(have));
	for (unsigned k = 1; k <= KEYS; k++)
		keys[k] = rng_next() | 1;
	for (unsigned step = 0; step < STEPS; step++) {
		unsigned key = 1 + (unsigned)(rng_next() % KEYS);
		uint32_t value = (uint32_t)rng_next();
		switch (rng_next() % 4) {
		case 0:
		case 1:
			scn_map_set(&m, keys[key], value);
			want[key] = value;
			have[key] = true;
			break;
		case 2:
			scn_map_add(&m, keys[key], value);
			if (!have[key]) {
				want[key] = value;
				have[key] = true;
			}
			break;
		default:
			scn_map_remove(&m, keys[key]);
			have[key] = false;
		}
		if (step % 97 == 0 || step == STEPS - 1) {
			size_t count = 0;
			for (unsigned k = 1; k <= KEYS; k++) {
				uint32_t got = 0;
				bool found = scn_map_get(&m, keys[k], &got);
				ck_assert_msg(found == have[k], "key %u at step %u", k,
					      step);
				if (found)
					ck_assert_uint_eq(got, want[k]);
				count += have[k];
			}
			ck_assert_uint_eq(m.count, count);
		}
	}
	scn_map_free(&m);
}
END_TEST

START_TEST(test_map_empty_and_large_keys)
{
	struct scn_map m = SCN_MAP_INIT;
	uint32_t v = 7;

	ck_assert(!scn_map_get(&m, 1, &v));
	scn_map_remove(&m, 1);                     /* nothing to remove */
	ck_assert_uint_eq(v, 7);
	for (uint64_t k = 1; k <= 100000; k++)
		scn_map_set(&m, k * UINT64_C(0x100000001), (uint32_t)k);
	for (uint64_t k = 1; k <= 100000; k++) {
		ck_assert(scn_map_get(&m, k * UINT64_C(0x100000001), &v));
		ck_assert_uint_eq(v, (uint32_t)k);
	}
	ck_assert(!scn_map_get(&m, UINT64_MAX, &v));
	scn_map_free(&m);
	ck_assert(!scn_map_get(&m, 1, &v));
}
END_TEST

/* ----------------------------------------------------------------- UTF-8 */

static const struct {
	const char *bytes;
	size_t len;
	size_t first_bad;   /* == len: all well-formed */
} utf8_cases[] = {
	{ "", 0, 0 },
	{ "plain ASCII, longer than a word", 31, 31 },
	{ "caf\xc3\xa9", 5, 5 },
	{ "\xe2\x82\xac and \xf0\x9f\x98\x80", 12, 12 },
	{ "\xef\xbf\xbd", 3, 3 },                      /* U+FFFD itself */
	{ "\xf4\x8f\xbf\xbf", 4, 4 },                  /* U+10FFFF */
	{ "caf\xe9", 4, 3 },                           /* Latin-1 */
	{ "12345678\x80", 9, 8 },                      /* stray continuation */
	{ "\xc0\xaf", 2, 0 },                          /* overlong '/' */
	{ "\xc1\xbf", 2, 0 },
	{ "\xe0\x9f\xbf", 3, 0 },                      /* overlong 3 bytes */
	{ "\xf0\x8f\xbf\xbf", 4, 0 },                  /* overlong 4 bytes */
	{ "\xed\xa0\x80", 3, 0 },                      /* surrogate U+D800 */
	{ "\xf4\x90\x80\x80", 4, 0 },                  /* above U+10FFFF */
	{ "\xf5\x80\x80\x80", 4, 0 },
	{ "ab\xe2\x82", 4, 2 },                        /* cut off */
	{ "ab\xe2\x82x", 5, 2 },                       /* broken */
	{ "\xff", 1, 0 },
};

START_TEST(test_utf8_check_finds_first_bad_byte)
{
	size_t got = scn_utf8_check(utf8_cases[_i].bytes, utf8_cases[_i].len);
	ck_assert_msg(got == utf8_cases[_i].first_bad, "case %d: %zu, want %zu",
		      _i, got, utf8_cases[_i].first_bad);
}
END_TEST

/* ------------------------------------------------------------------ JSON */

static const struct {
	const char *bytes;
	size_t len;
	const char *json;
} json_cases[] = {
	{ "", 0, "\"\"" },
	{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
	{ "\n\t\x01\x1f\x7f", 5, "\"\\n\\t\\u0001\\u001f\x7f\"" },
	{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
	{ "b\xff.scn", 6, "\"b\\ufffd.scn\"" },
	{ "\xc3", 1, "\"\\ufffd\"" },                 /* cut off at the end */
	{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "x\0y", 3, "\"x\\u0000y\"" },
};

START_TEST(test_json_string_escapes_and_replaces)
{
	struct scn_str *s = scn_str_new();

	scn_json_string(s, json_cases[_i].bytes, json_cases[_i].len);
	ck_assert_str_eq(s->str, json_cases[_i].json);
	ck_assert_uint_eq(s->len, strlen(json_cases[_i].json));
	/* the result is always well-formed UTF-8 */
	ck_assert_uint_eq(scn_utf8_check(s->str, s->len), s->len);
	scn_str_free(s);
}
END_TEST

START_TEST(test_json_cstring_null)
{
	struct scn_str *s = scn_str_new();

	scn_json_cstring(s, NULL);
	ck_assert_str_eq(s->str, "null");
	scn_str_free(s);
}
END_TEST

/* ----------------------------------------------------------- did you mean */

static const struct {
	const char *word;
	const char *want;    /* NULL: no suggestion */
} suggest_cases[] = {
	{ "frok", "fork" },            /* two neighbours swapped: one edit */
	{ "Fork", "fork" },            /* case alone */
	{ "fok", "fork" },             /* a letter left out */
	{ "forkk", "fork" },           /* one too many */
	{ "fxrx", NULL },              /* two edits: too many for 4 bytes */
	{ "exitt", "exit" },
	{ "sett-contd", "set-contid" },/* two edits in 10 bytes */
	{ "zzzzzzzzzz", NULL },
	{ "v9", "v6" },                /* v6 and v8 tie: the first listed wins */
	{ "", NULL },
};

START_TEST(test_suggest_closest_within_bounds)
{
	static const char *const words[] = {
		"fork", "exit", "set-contid", "v11", "v6", "v8",
	};
	struct scn_suggest s;

	scn_suggest_begin(&s, suggest_cases[_i].word);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		scn_suggest_add(&s, words[i]);
	const char *got = scn_suggest_end(&s);
	if (suggest_cases[_i].want)
		ck_assert_msg(got && strcmp(got, suggest_cases[_i].want) == 0,
			      "'%s': got %s, want %s", suggest_cases[_i].word,
			      got ? got : "none", suggest_cases[_i].want);
	else
		ck_assert_msg(got == NULL, "'%s': got %s, want none",
			      suggest_cases[_i].word, got);
}
END_TEST

/* --------------------------------------------------------------- strings */

START_TEST(test_str_grows_and_keeps_bytes)
{
	struct scn_str *s = scn_str_new();
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	scn_str_printf(s, "%s|%d", big, 42);
	ck_assert_uint_eq(s->len, sizeof(big) - 1 + 3);
	ck_assert_str_eq(s->str + sizeof(big) - 1, "|42");
	scn_str_append_len(s, "a\0b", 3);
	ck_assert_uint_eq(s->len, sizeof(big) + 5);
	ck_assert_int_eq(memcmp(s->str + s->len - 3, "a\0b", 3), 0);
	ck_assert_int_eq(s->str[s->len], '\0');
	scn_str_truncate(s, 2);
	ck_assert_str_eq(s->str, "xx");
	scn_str_assign(s, "new");
	ck_assert_str_eq(s->str, "new");
	char *text = scn_asprintf("%s-%u", s->str, 7u);
	ck_assert_str_eq(text, "new-7");
	free(text);
	scn_str_free(s);
	scn_str_free(NULL);
}
END_TEST

/* -------------------------------------------------------------- progress */

/* Not a terminal, or quiet, or never started: off, nothing written. */
START_TEST(test_progress_off_unless_terminal)
{
	struct scn_progress zero = { 0 }, p;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	setenv("CONTID_PROGRESS_INTERVAL_MS", "0", 1);
	for (int quiet = 0; quiet < 2; quiet++) {
		scn_progress_start(&p, f, quiet, 1);
		ck_assert_ptr_null(p.f);
		for (int i = 0; i < 100000; i++)
			ck_assert(!scn_progress_due(&p));
		scn_progress_show(&p, "%s", "never");
		scn_progress_finish(&p);
	}
	for (int i = 0; i < 100000; i++)
		ck_assert(!scn_progress_due(&zero));
	scn_progress_show(&zero, "%s", "never");
	scn_progress_interrupt();
	ck_assert_int_eq(ftell(f), 0);
	unsetenv("CONTID_PROGRESS_INTERVAL_MS");
	fclose(f);
}
END_TEST

/* Everything the terminal received so far. */
static size_t read_pty(int master, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size - 1 && (r = read(master, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

/*
 * On a terminal of 12 columns: each line written over the last from the
 * first column, cut to 11 bytes (not inside a UTF-8 sequence), blanks
 * over the rest of a longer line before, and erased at the end.
 */
START_TEST(test_progress_on_terminal)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	struct winsize ws = { .ws_row = 24, .ws_col = 12 };
	ck_assert_int_eq(ioctl(slave, TIOCSWINSZ, &ws), 0);
	FILE *f = fdopen(slave, "w");
	ck_assert_ptr_nonnull(f);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	char buf[256];
	struct scn_progress p;

	setenv("CONTID_PROGRESS_INTERVAL_MS", "0", 1);
	scn_progress_start(&p, f, false, 1000);
	unsetenv("CONTID_PROGRESS_INTERVAL_MS");
	ck_assert_ptr_eq(p.f, f);
	ck_assert(scn_progress_due(&p)); /* the knob: every step, at once */
	scn_progress_show(&p, "step %d of %d, long", 1, 2);
	read_pty(master, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\rstep 1 of 2");
	/* "\xc3\xa9" is one character: cut before it, not inside */
	scn_progress_show(&p, "ab %s", "0123456\xc3\xa9xyz");
	read_pty(master, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\rab 0123456 ");
	scn_progress_show(&p, "%s", "ok");
	read_pty(master, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\rok        ");
	scn_progress_interrupt();
	read_pty(master, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\r  \r");
	scn_progress_interrupt(); /* nothing shown: nothing to erase */
	scn_progress_show(&p, "%s", "again");
	scn_progress_finish(&p);
	read_pty(master, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\ragain\r     \r");
	ck_assert(!scn_progress_due(&p));
	fclose(f);
	close(master);
}
END_TEST

static Suite *suite_sim(void)
{
	Suite *s = suite_create("sim");
	TCase *tc;

	tc = tcase_create("map");
	/* 200,000 operations: seconds under AddressSanitizer on a loaded
	 * machine, past Check's default of 4 */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_map_matches_reference_under_churn);
	tcase_add_test(tc, test_map_empty_and_large_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_utf8_check_finds_first_bad_byte, 0,
			    (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_loop_test(tc, test_json_string_escapes_and_replaces, 0,
			    (int)(sizeof(json_cases) / sizeof(json_cases[0])));
	tcase_add_test(tc, test_json_cstring_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("suggest");
	tcase_add_loop_test(tc, test_suggest_closest_within_bounds, 0,
			    (int)(sizeof(suggest_cases) / sizeof(suggest_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("strings");
	tcase_add_test(tc, test_str_grows_and_keeps_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("progress");
	tcase_add_test(tc, test_progress_off_unless_terminal);
	tcase_add_test(tc, test_progress_on_terminal);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite_sim());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

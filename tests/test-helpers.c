#include "test-helpers.h"

#include <stdlib.h>
#include <string.h>

static void capture(void *userdata, int type, const char *line, size_t len)
{
	struct test_world *tw = userdata;

	ck_assert_uint_lt(tw->nrecords, TEST_MAX_RECORDS);
	ck_assert_uint_eq(strlen(line), len);
	tw->records[tw->nrecords].type = type;
	tw->records[tw->nrecords].line = strdup(line);
	ck_assert_ptr_nonnull(tw->records[tw->nrecords].line);
	tw->nrecords++;
}

struct test_world *tw_new(void)
{
	struct test_world *tw = calloc(1, sizeof(*tw));

	ck_assert_ptr_nonnull(tw);
	ck_assert_int_eq(contid_world_new(&tw->w), 0);
	ck_assert_int_eq(contid_world_set_record_callback(tw->w, capture, tw), 0);
	return tw;
}

void tw_records_clear(struct test_world *tw)
{
	for (size_t i = 0; i < tw->nrecords; i++)
		free(tw->records[i].line);
	tw->nrecords = 0;
}

void tw_free(struct test_world *tw)
{
	if (!tw)
		return;
	tw_records_clear(tw);
	contid_world_free(tw->w);
	free(tw);
}

const char *tw_last_record(const struct test_world *tw, int type)
{
	for (size_t i = tw->nrecords; i > 0; i--)
		if (tw->records[i - 1].type == type)
			return tw->records[i - 1].line;
	return NULL;
}

pid_t fork_ok(struct contid_world *w, pid_t parent, unsigned flags)
{
	pid_t child = 0;

	ck_assert_int_eq(contid_fork(w, parent, flags, &child), 0);
	ck_assert_int_gt(child, 1);
	return child;
}

void set_ok(struct contid_world *w, pid_t writer, pid_t target, uint64_t id)
{
	ck_assert_int_eq(contid_set(w, writer, target, id), 0);
}

uint64_t contid_of(struct contid_world *w, pid_t pid)
{
	uint64_t id = 0;

	ck_assert_int_eq(contid_task_contid(w, pid, &id), 0);
	return id;
}

void assert_invariants(const struct contid_world *w)
{
	char msg[512] = "";

	ck_assert_msg(contid_world_check(w, msg, sizeof(msg)) == 0,
		      "invariant broken: %s", msg);
}

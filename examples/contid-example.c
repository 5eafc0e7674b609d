/*
 * contid-example: plays sim/scenarios/spec-example.scn through libcontid's
 * public API and prints, for every step, what was expected and what
 * happened.  Exit status 0 when every outcome matched, 1 otherwise.
 *
 * The scenario, as the file writes it:
 *
 *   fork orch from init
 *   fork c1 from orch
 *   set-contid orch c1 "100\n"
 *   check record CONTAINER_OP op=set opid=$c1 contid=100 old-contid=-1
 *   set-contid orch c1 100            => EEXIST
 *   fork engine from c1
 *   fork c2 from engine
 *   set-contid engine c2 200          # nesting: engine holds 100, owned by orch
 *   check chain c2 "200,^100"
 *   fork c3 from orch
 *   set-contid orch c3 100            # injection by the owner
 *   set-contid engine c3 100          => EXDEV
 *
 * Build it against an installed libcontid with
 *   cc contid-example.c $(pkg-config --cflags --libs libcontid)
 */
#include <stdio.h>
#include <string.h>

#include <contid.h>

/* The last CONTAINER_OP record seen, for the "check record" step. */
static char last_container_op[1024];
static unsigned failures;

/* The record callback: print every record, keep the last CONTAINER_OP. */
static void on_record(void *userdata, int type, const char *line, size_t len)
{
	(void)userdata;
	printf("    record: %.*s\n", (int)len, line);
	if (type == CONTID_RECORD_CONTAINER_OP) {
		if (len >= sizeof(last_container_op))
			len = sizeof(last_container_op) - 1;
		memcpy(last_container_op, line, len);
		last_container_op[len] = '\0';
	}
}

/* "ok" for success (0 or a byte count), else the errno's name. */
static const char *outcome_name(int ret, char *buf, size_t size)
{
	const char *name;

	if (ret >= 0)
		return "ok";
	name = contid_errno_name(ret);
	if (name)
		return name;
	snprintf(buf, size, "errno %d", -ret);
	return buf;
}

/* Prints a step before it runs, so that its records follow it. */
static void step(const char *text)
{
	printf("%s\n", text);
}

/* Prints a step's outcome; counts it as failed when it is not @expected. */
static void report(const char *expected, const char *got)
{
	int same = strcmp(expected, got) == 0;

	printf("    expected %s, got %s%s\n", expected, got,
	       same ? "" : "   <-- MISMATCH");
	if (!same)
		failures++;
}

static void report_ret(const char *expected, int ret)
{
	char buf[32];

	report(expected, outcome_name(ret, buf, sizeof(buf)));
}

/* "fork NAME from PARENT": the child is named for the records it causes. */
static pid_t fork_named(struct contid_world *w, const char *name,
			const char *parent_name, pid_t parent)
{
	pid_t child = 0;
	int ret;

	printf("fork %s from %s\n", name, parent_name);
	ret = contid_fork(w, parent, 0, &child);
	if (ret == 0)
		ret = contid_task_set_name(w, child, name);
	report_ret("ok", ret);
	if (ret == 0)
		printf("    %s is pid %ld\n", name, (long)child);
	return child;
}

/*
 * Finds FIELD=VALUE among the space-separated fields after "): " of a raw
 * record line; quotes around a value are ignored, as docs/scenarios.md says.
 */
static int record_has_field(const char *line, const char *key,
			    const char *value)
{
	const char *p = strstr(line, "): ");
	size_t klen = strlen(key), vlen = strlen(value);

	if (!p)
		return 0;
	p += 3;
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t flen = end ? (size_t)(end - p) : strlen(p);

		if (flen > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = flen - klen - 1;

			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
				v++;
				n -= 2;
			}
			return n == vlen && strncmp(v, value, n) == 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

int main(void)
{
	struct contid_world *w = NULL;
	pid_t init = 1, orch, c1, engine, c2, c3;
	char opid[32], chain[128], buf[32];
	const char *got;
	int ret;

	ret = contid_world_new(&w);
	if (ret < 0) {
		fprintf(stderr, "contid_world_new: %s\n",
			outcome_name(ret, buf, sizeof(buf)));
		return 1;
	}
	contid_world_set_record_callback(w, on_record, NULL);

	/* An orchestrator starts a container. */
	orch = fork_named(w, "orch", "init", init);
	c1 = fork_named(w, "c1", "orch", orch);

	step("set-contid orch c1 \"100\\n\"");
	ret = contid_write(w, orch, c1, "100\n", 4);
	report_ret("ok", ret);

	step("check record CONTAINER_OP op=set opid=$c1 contid=100 old-contid=-1");
	snprintf(opid, sizeof(opid), "%ld", (long)c1);
	got = last_container_op[0] &&
	      record_has_field(last_container_op, "op", "set") &&
	      record_has_field(last_container_op, "opid", opid) &&
	      record_has_field(last_container_op, "contid", "100") &&
	      record_has_field(last_container_op, "old-contid", "-1") ?
	      "ok" : "no match";
	report("ok", got);

	step("set-contid orch c1 100");
	ret = contid_set(w, orch, c1, 100);
	report_ret("EEXIST", ret);

	/* A nested engine inside the container starts its own. */
	engine = fork_named(w, "engine", "c1", c1);
	c2 = fork_named(w, "c2", "engine", engine);

	step("set-contid engine c2 200          # nesting");
	ret = contid_set(w, engine, c2, 200);
	report_ret("ok", ret);

	step("check chain c2 \"200,^100\"");
	ret = contid_task_chain(w, c2, chain, sizeof(chain));
	if (ret < 0)
		snprintf(chain, sizeof(chain), "%s",
			 outcome_name(ret, buf, sizeof(buf)));
	report("200,^100", chain);

	c3 = fork_named(w, "c3", "orch", orch);

	step("set-contid orch c3 100            # injection by the owner");
	ret = contid_set(w, orch, c3, 100);
	report_ret("ok", ret);

	step("set-contid engine c3 100");
	ret = contid_set(w, engine, c3, 100);
	report_ret("EXDEV", ret);

	/* Not a scenario step: the model's own invariants must still hold. */
	step("(check the invariants of docs/semantics.md section 10)");
	ret = contid_world_check(w, NULL, 0);
	report_ret("ok", ret);

	contid_world_free(w);

	if (failures) {
		printf("%u step(s) did not come out as expected\n", failures);
		return 1;
	}
	printf("every step came out as expected\n");
	return 0;
}

/*
 * scn-generate: writes a valid scenario file (.scn, see docs/scenarios.md)
 * of any size from a seed, for procsim to replay.
 *
 *   scn-generate [--statements N] [--seed S] [--tasks T] [--output FILE]
 *                [--quiet]
 *
 * The story: a few orchestrators start containers (fork + set-contid),
 * engines inside them nest IDs, owners inject new processes, tasks fork
 * processes and threads, move to new user and network namespaces, change
 * uid, drop capabilities, write and read IDs and capcontid (valid numbers,
 * quoted buffers, junk), make audited syscalls and packets, exit and get
 * reaped, and the population stays near T live tasks.  About one statement
 * in ten is a check (contid, chain, owner, free, parent, users, capcontid,
 * level, ppid or a field of the latest record).
 *
 * Every expectation holds: the generator runs each operation on a world of
 * its own (the same library procsim uses) and writes down what happened,
 * so "=> OUTCOME" is the operation's actual result and each check states
 * the world as it is.  Names are bound and unbound as procsim does (fork
 * with outcome ok binds; reap, and exit of a thread, unbind), and a freed
 * name may be bound again later.
 *
 * The checks are in scn-generate-checks.c.
 */
#include <contid.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-generate.h"
#include "scn-progress.h"

static void die(const char *msg)
{
	scn_progress_interrupt();
	fprintf(stderr, "scn-generate: %s\n", msg);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		die("out of memory");
	return p;
}

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

uint32_t below(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

static bool chance(unsigned per_mille)
{
	return below(1000) < per_mille;
}

struct generator g;

/* Keeps the newest record of each type, as procsim does for its checks. */
static void on_record(void *data, int type, const char *line, size_t len)
{
	int i = scn_record_index(type);

	(void)data;
	if (i < 0)
		return;
	if (len + 1 > g.last_size[i]) {
		g.last_size[i] = 2 * len + 64;
		g.last[i] = realloc(g.last[i], g.last_size[i]);
		if (!g.last[i])
			die("out of memory");
	}
	memcpy(g.last[i], line, len);
	g.last[i][len] = '\0';
}

static void pool_add(struct pool *p, uint32_t pid, uint8_t where)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->pids = realloc(p->pids, p->cap * sizeof(*p->pids));
		if (!p->pids)
			die("out of memory");
	}
	g.meta[pid].pos = p->n;
	g.meta[pid].where = where;
	p->pids[p->n++] = pid;
}

static void pool_remove(struct pool *p, uint32_t pid)
{
	uint32_t i = g.meta[pid].pos;
	uint32_t last = p->pids[--p->n];

	p->pids[i] = last;
	g.meta[last].pos = i;
	g.meta[pid].where = W_NONE;
}

static uint32_t take_name(void)
{
	/* freed names are bound again, so the names stay few */
	if (g.nfree_names)
		return g.free_names[--g.nfree_names];
	if (g.next_name == UINT32_MAX)
		die("out of names");
	return g.next_name++;
}

static void release_name(uint32_t name)
{
	g.free_names[g.nfree_names++] = name;
}

const char *name_of(pid_t pid, char buf[16])
{
	if (pid == 1)
		return "init";
	for (int i = 0; i < NORCH; i++)
		if (g.orch[i] == pid) {
			snprintf(buf, 16, "o%d", i);
			return buf;
		}
	snprintf(buf, 16, "t%" PRIu32, g.meta[pid].name);
	return buf;
}

/* ------------------------------------------------------------ output */

void begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(g.out, fmt, ap);
	va_end(ap);
	g.statements++;
}

/* Ends an operation with its outcome; "ok" is mostly left implicit.  An
 * operation that binds or unbinds a name (fork, exit, reap) never expects
 * "any": only "ok" does that. */
static void outcome_of(int r, bool may_be_any)
{
	if (may_be_any && chance(10)) {
		fputs(" => any\n", g.out);
		return;
	}
	if (r >= 0) {
		fputs(chance(200) ? " => ok\n" : "\n", g.out);
		return;
	}
	const char *name = contid_errno_name(r);
	fprintf(g.out, " => %s\n", name ? name : "any");
}

static void outcome(int r)
{
	outcome_of(r, true);
}

static void value_outcome(int r, uint64_t value, bool is_contid)
{
	if (r < 0 || chance(10)) {
		outcome(r);
		return;
	}
	if (is_contid && value == CONTID_UNSET)
		fputs(" => unset\n", g.out);
	else
		fprintf(g.out, " => %" PRIu64 "\n", value);
}

/* A buffer as a quoted scenario string. */
static void put_quoted(const char *buf, size_t len)
{
	fputc('"', g.out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n')
			fputs("\\n", g.out);
		else if (c == '\t')
			fputs("\\t", g.out);
		else if (c == '"' || c == '\\')
			fprintf(g.out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(g.out, "\\x%02x", c);
		else
			fputc(c, g.out);
	}
	fputc('"', g.out);
}

/* ------------------------------------------------------------ picking */

static pid_t pick_running(void)
{
	return g.running.n ? (pid_t)g.running.pids[below(g.running.n)] : 1;
}

pid_t pick_any(void)
{
	uint32_t r = below(100);

	if (r < 8)
		return g.orch[below(NORCH)];
	if (r < 10)
		return 1;
	if (r < 15 && g.zombies.n)
		return (pid_t)g.zombies.pids[below(g.zombies.n)];
	return pick_running();
}

static pid_t pick_writer(void)
{
	return chance(500) ? g.orch[below(NORCH)] : pick_any();
}

/* A value to write: new, one in use, or a small one. */
static uint64_t pick_value(void)
{
	uint32_t r = below(100);
	uint64_t v;

	if (r < 50)
		return g.next_value++;
	if (r < 80) {
		pid_t t = pick_any();
		if (contid_task_contid(g.w, t, &v) == 0 && v != CONTID_UNSET)
			return v;
		return g.next_value++;
	}
	return below(20);
}

/* ------------------------------------------------------------ actions */

static void track_fork(pid_t parent, pid_t child, unsigned flags, uint32_t name)
{
	struct meta *m = &g.meta[child];
	bool thread = flags & CONTID_CLONE_THREAD;

	memset(m, 0, sizeof(*m));
	m->name = name;
	m->thread = thread;
	m->depth = g.meta[parent].depth;
	if (thread) {
		uint32_t leader = g.meta[parent].thread ? g.meta[parent].link
							: (uint32_t)parent;
		m->link = leader;
		g.meta[leader].link++;
	}
	pool_add(&g.running, (uint32_t)child, W_RUNNING);
}

static const char *const flag_words[] = { "thread", "sibling", "newuser", "newnet" };

/* fork NEW from PARENT [flags]: returns the child's pid or 0. */
static pid_t do_fork(pid_t parent, unsigned flags)
{
	char pbuf[16];
	uint32_t name = take_name();
	pid_t child = 0;

	begin("fork t%" PRIu32 " from %s", name, name_of(parent, pbuf));
	for (unsigned i = 0; i < 4; i++)
		if (flags & (1u << i))
			fprintf(g.out, " %s", flag_words[i]);
	int r = contid_fork(g.w, parent, flags, &child);
	if (r < 0 && !contid_errno_name(r))
		die("fork failed with an errno the scenario language cannot name");
	outcome_of(r, false);
	if (r < 0) {
		release_name(name);
		return 0;
	}
	char nbuf[16];
	snprintf(nbuf, sizeof(nbuf), "t%" PRIu32, name);
	contid_task_set_name(g.w, child, nbuf); /* as procsim does */
	track_fork(parent, child, flags, name);
	return child;
}

/* set-contid WRITER TARGET VALUE, the value as a number, unset, or a
 * quoted buffer (a valid one, or now and then junk). */
static int do_set(pid_t writer, pid_t target, uint64_t value)
{
	char wbuf[16], tbuf[16], buf[48];
	size_t len;
	int form = (int)below(100);

	begin("set-contid %s %s ", name_of(writer, wbuf), name_of(target, tbuf));
	if (form < 60 || value == CONTID_UNSET) {
		if (value == CONTID_UNSET && chance(500)) {
			fputs("unset", g.out);
		} else {
			fprintf(g.out, "%" PRIu64, value);
		}
		len = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64, value);
	} else {
		if (form < 85)
			len = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64 "\n", value);
		else if (form < 90)
			len = (size_t)snprintf(buf, sizeof(buf), "+%" PRIu64, value);
		else if (form < 94)
			len = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64 "x", value);
		else if (form < 97)
			len = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64 "\n\n", value);
		else
			len = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64 "%c7",
					       value, '\0');
		put_quoted(buf, len);
	}
	int r = contid_write(g.w, writer, target, buf, len);
	outcome(r);
	return r;
}

static void act_container(void)
{
	pid_t orch = g.orch[below(NORCH)];
	pid_t c = do_fork(orch, 0);

	if (c && do_set(orch, c, g.next_value++) >= 0)
		g.meta[c].depth = 1;
}

static void act_nested(void)
{
	pid_t p = 0;

	for (int i = 0; i < 8 && !p; i++) {
		pid_t t = pick_running();
		if (t != 1 && g.meta[t].depth >= 1 && g.meta[t].depth < MAX_NEST_DEPTH)
			p = t;
	}
	if (!p) {
		act_container();
		return;
	}
	pid_t d = do_fork(p, 0);
	if (d && do_set(p, d, g.next_value++) >= 0)
		g.meta[d].depth = (uint8_t)(g.meta[p].depth + 1);
}

static void act_inject(void)
{
	pid_t x = pick_running(), owner = 0;
	uint64_t value;
	int state;

	if (contid_task_contid(g.w, x, &value) == 0 && value != CONTID_UNSET)
		contid_id_owner(g.w, value, NULL, &owner);
	if (!owner || contid_task_state(g.w, owner, &state) < 0 ||
	    state != CONTID_TASK_RUNNING) {
		act_container();
		return;
	}
	pid_t y = do_fork(owner, 0);
	if (y && do_set(owner, y, value) >= 0)
		g.meta[y].depth = g.meta[x].depth;
}

static void act_fork(void)
{
	unsigned flags = 0;
	uint32_t r = below(100);

	if (r < 20)
		flags = CONTID_CLONE_THREAD;
	else if (r < 28)
		flags = CONTID_CLONE_NEWUSER;
	else if (r < 31)
		flags = CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET;
	else if (r < 33)
		flags = CONTID_CLONE_NEWNET;
	else if (r < 35)
		flags = CONTID_CLONE_PARENT;
	else if (r < 36)
		flags = CONTID_CLONE_THREAD | CONTID_CLONE_NEWUSER; /* EINVAL */
	do_fork(chance(30) ? pick_any() : pick_running(), flags);
}

static void act_grow(void)
{
	uint32_t r = below(100);

	if (g.limit - g.statements < 2)
		act_fork(); /* room for one statement only */
	else if (r < 10)
		act_container();
	else if (r < 15)
		act_nested();
	else if (r < 22)
		act_inject();
	else
		act_fork();
}

static void act_exit(void)
{
	char buf[16];
	pid_t pid = chance(20) ? pick_any() : pick_running();

	if (pid == 1 || g.meta[pid].where == W_FIXED)
		pid = pick_running(); /* init and the orchestrators stay */
	begin("exit %s", name_of(pid, buf));
	int r = contid_exit(g.w, pid);
	outcome_of(r, false);
	if (r < 0)
		return;
	struct meta *m = &g.meta[pid];
	if (m->where != W_RUNNING)
		die("internal error: exit of an untracked task");
	pool_remove(&g.running, (uint32_t)pid);
	if (m->thread) {
		uint32_t leader = m->link;
		release_name(m->name); /* a thread's exit unbinds its name */
		memset(m, 0, sizeof(*m));
		if (--g.meta[leader].link == 0 && g.meta[leader].where == W_WAITING)
			pool_add(&g.zombies, leader, W_ZOMBIE);
	} else if (m->link) {
		m->where = W_WAITING;
	} else {
		pool_add(&g.zombies, (uint32_t)pid, W_ZOMBIE);
	}
}

static void act_reap(void)
{
	char buf[16];
	pid_t pid;

	if (g.zombies.n && chance(950))
		pid = (pid_t)g.zombies.pids[below(g.zombies.n)];
	else
		pid = pick_any(); /* ECHILD */
	begin("reap %s", name_of(pid, buf));
	int r = contid_reap(g.w, pid);
	outcome_of(r, false);
	if (r < 0)
		return;
	if (g.meta[pid].where != W_ZOMBIE)
		die("internal error: reap of an untracked task");
	pool_remove(&g.zombies, (uint32_t)pid);
	release_name(g.meta[pid].name);
	memset(&g.meta[pid], 0, sizeof(g.meta[pid]));
}

static void act_get(void)
{
	char rbuf[16], tbuf[16];
	pid_t reader = chance(700) ? g.orch[below(NORCH)] : pick_any();
	pid_t target = pick_any();
	uint64_t value = 0;

	if (chance(850)) {
		begin("get-contid %s %s", name_of(reader, rbuf), name_of(target, tbuf));
		int r = contid_get(g.w, reader, target, &value);
		value_outcome(r, value, true);
	} else {
		uint32_t v32 = 0;
		begin("get-capcontid %s %s", name_of(reader, rbuf), name_of(target, tbuf));
		int r = contid_get_capcontid(g.w, reader, target, &v32);
		value_outcome(r, v32, false);
	}
}

static void act_write(void)
{
	char wbuf[16], tbuf[16];
	pid_t writer = pick_writer(), target = pick_any();

	if (chance(800)) {
		uint64_t v = chance(30) ? CONTID_UNSET : pick_value();
		if (do_set(writer, target, v) >= 0 && target != 1)
			g.meta[target].depth = 1;
		return;
	}
	uint32_t v = chance(500) ? 1 : below(3);
	begin("set-capcontid %s %s %" PRIu32, name_of(writer, wbuf),
	      name_of(target, tbuf), v);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%" PRIu32, v);
	outcome(contid_write_capcontid(g.w, writer, target, buf, (size_t)len));
}

static void act_misc(void)
{
	char buf[16], obuf[16];
	pid_t t = chance(900) ? pick_running() : pick_any();
	uint32_t r = below(100);
	int ret;

	if (r < 40) {
		begin("event %s", name_of(t, buf));
		ret = contid_event(g.w, t);
	} else if (r < 60) {
		begin("packet %s", name_of(t, buf));
		ret = contid_packet(g.w, t);
	} else if (r < 70) {
		bool user = chance(500);
		begin("unshare %s %s", name_of(t, buf), user ? "user" : "net");
		ret = contid_unshare(g.w, t, user ? CONTID_NS_USER : CONTID_NS_NET);
	} else if (r < 78) {
		bool user = chance(500);
		pid_t other = pick_any();
		begin("setns %s %s %s", name_of(t, buf), user ? "user" : "net",
		      name_of(other, obuf));
		ret = contid_setns(g.w, t, user ? CONTID_NS_USER : CONTID_NS_NET, other);
	} else if (r < 86) {
		uint32_t uid = chance(500) ? 0 : 1000;
		begin("setuid %s %" PRIu32, name_of(t, buf), uid);
		ret = contid_setuid(g.w, t, uid);
	} else if (r < 94) {
		static const struct { const char *word; int cap; } caps[] = {
			{ "audit_control", CONTID_CAP_AUDIT_CONTROL },
			{ "sys_admin", CONTID_CAP_SYS_ADMIN },
			{ "setuid", CONTID_CAP_SETUID },
		};
		unsigned i = below(3);
		begin("drop-cap %s %s", name_of(t, buf), caps[i].word);
		ret = contid_drop_cap(g.w, t, caps[i].cap);
	} else {
		begin("subreaper %s", name_of(t, buf));
		ret = contid_set_subreaper(g.w, t);
	}
	outcome(ret);
}

/* -------------------------------------------------------------- main */

static void step(void)
{
	uint32_t r = below(1000);

	if (r < 100)
		act_check();
	else if (r < 180)
		act_get();
	else if (r < 220)
		act_write();
	else if (r < 260)
		act_misc();
	else if (r < 261) {
		bool on = chance(700);
		begin("config audit %s\n", on ? "on" : "off");
		contid_world_set_audit(g.w, on);
	} else if (contid_task_count(g.w) < g.target + NORCH + 1)
		act_grow();
	else if (g.zombies.n && chance(500))
		act_reap();
	else
		act_exit();
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scn-generate [OPTIONS]\n"
		"Writes a scenario file whose expectations all hold.\n"
		"\n"
		"  --statements N   statements to write (default 1000)\n"
		"  --seed S         seed (default 1)\n"
		"  --tasks T        live tasks to keep around (default 200)\n"
		"  --pid-max P      begin with 'config pid-max P'\n"
		"  --output FILE    write to FILE instead of standard output\n"
		"  -q, --quiet      no progress line on standard error (shown once\n"
		"                   a second when it is a terminal)\n"
		"  -h, --help       this help\n");
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "scn-generate: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { O_STATEMENTS = 256, O_SEED, O_TASKS, O_OUTPUT, O_PIDMAX };
	static const struct option options[] = {
		{ "statements", required_argument, NULL, O_STATEMENTS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "tasks", required_argument, NULL, O_TASKS },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "pid-max", required_argument, NULL, O_PIDMAX },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 1, pid_max = 0;
	const char *output = NULL;
	bool quiet = false;
	int c;

	g.limit = 1000;
	g.target = 200;
	while ((c = getopt_long(argc, argv, "hq", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case O_STATEMENTS:
			g.limit = parse_u64(optarg, "--statements");
			if (!g.limit)
				die("--statements must be at least 1 (procsim refuses an empty file)");
			break;
		case O_SEED:
			seed = parse_u64(optarg, "--seed");
			break;
		case O_TASKS:
			g.target = (uint32_t)parse_u64(optarg, "--tasks");
			if (g.target < 1 || g.target > 1000000)
				die("--tasks must be 1 to 1000000");
			break;
		case O_OUTPUT:
			output = optarg;
			break;
		case O_PIDMAX:
			pid_max = parse_u64(optarg, "--pid-max");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (pid_max && (pid_max < 2u * g.target + 64 || pid_max > CONTID_PID_MAX_LIMIT))
		die("--pid-max must be at least twice --tasks plus 64, at most 4194304");

	uint64_t x = seed + UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	rng_state = (x ^ (x >> 31)) | 1;

	g.out = output ? fopen(output, "w") : stdout;
	if (!g.out)
		die("cannot open the output file");
	static char outbuf[1 << 20];
	setvbuf(g.out, outbuf, _IOFBF, sizeof(outbuf));

	if (contid_world_new(&g.w) < 0)
		die("cannot create a world");
	contid_world_set_record_callback(g.w, on_record, NULL);
	g.pid_limit = pid_max ? (uint32_t)pid_max : CONTID_PID_MAX_LIMIT;
	g.meta = xcalloc((size_t)g.pid_limit + 1, sizeof(*g.meta));
	g.free_names = xcalloc((size_t)g.pid_limit + 1, sizeof(uint32_t));
	g.next_name = 1;
	g.next_value = 100;

	fprintf(g.out, "# scn-generate --seed %" PRIu64 " --statements %" PRIu64
		" --tasks %" PRIu32 "\n", seed, g.limit, g.target);
	if (pid_max && g.limit) {
		begin("config pid-max %" PRIu64 "\n", pid_max);
		contid_world_set_pid_max(g.w, (unsigned)pid_max);
	}
	for (int i = 0; i < NORCH && g.statements < g.limit; i++) {
		begin("fork o%d from init\n", i);
		if (contid_fork(g.w, 1, 0, &g.orch[i]) < 0)
			die("cannot fork an orchestrator");
		char name[16];
		snprintf(name, sizeof(name), "o%d", i);
		contid_task_set_name(g.w, g.orch[i], name);
		g.meta[g.orch[i]].where = W_FIXED;
	}
	for (int i = 0; i < NORCH && g.statements < g.limit; i++)
		begin("subreaper o%d\n", i), contid_set_subreaper(g.w, g.orch[i]);
	if (g.statements < NORCH * 2)
		g.statements = g.limit; /* a tiny file: the orchestrators only */
	/* a line a second on a terminal while a long file is written */
	struct scn_progress progress;
	scn_progress_start(&progress, stderr, quiet, 0);
	while (g.statements < g.limit) {
		step();
		if (scn_progress_due(&progress))
			scn_progress_show(&progress, "scn-generate: %" PRIu64 " of %"
					  PRIu64 " statements (%" PRIu64 "%%)",
					  g.statements, g.limit,
					  g.statements * 100 / g.limit);
	}
	scn_progress_finish(&progress);

	int bad = ferror(g.out) | (fflush(g.out) != 0);
	if (output)
		bad |= fclose(g.out) != 0;
	char msg[256];
	if (contid_world_check(g.w, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "scn-generate: the oracle world is broken: %s\n", msg);
		bad = 1;
	}
	contid_world_free(g.w);
	free(g.meta);
	free(g.free_names);
	free(g.running.pids);
	free(g.zombies.pids);
	for (int i = 0; i < SCN_RECORD_TYPES; i++)
		free(g.last[i]);
	if (bad)
		die("error writing the output");
	return 0;
}

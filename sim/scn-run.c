/*
 * The runner: a fresh world per file, each statement executed right after
 * it is parsed, every broken expectation reported.  A syntax error anywhere
 * must keep the whole file from running, yet parsing everything twice
 * doubled the cost of a long replay: so the replay starts at once, holding
 * back what it prints, and only a syntax error (which throws the world and
 * that output away) or a held-back output grown too large (which has the
 * rest of the file checked first) changes that.
 */
#include <contid.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scn-held.h"
#include "scn-run.h"

#define NRECORD_TYPES 5

/* What a name binding refers to at run time. */
struct task_ref {
	pid_t pid;
	uint64_t identity;
	bool present;
};

struct runner {
	const char *path;
	const struct scn_run_options *opts;
	struct scn_run_result *result;
	struct contid_world *w;
	struct scn_parser *parser;
	GArray *refs;                       /* struct task_ref by binding */
	GString *last[NRECORD_TYPES];       /* newest record of each type */
	GPtrArray *stmt_records;            /* this statement's, for JSON */
	GString *expected, *outcome;
	struct scn_held held;               /* until the file is known to parse */
	GString *line;                      /* one JSON statement */
};

/* Beyond this, the rest of the file is checked and the output let go. */
#define HELD_MAX ((size_t)16 << 20)

static int record_index(int type)
{
	switch (type) {
	case CONTID_RECORD_CONTAINER_OP: return 0;
	case CONTID_RECORD_SET_CAPCONTID: return 1;
	case CONTID_RECORD_SYSCALL: return 2;
	case CONTID_RECORD_NETFILTER_PKT: return 3;
	case CONTID_RECORD_CONTAINER_ID: return 4;
	default: return -1;
	}
}

static void on_record(void *data, int type, const char *line, size_t len)
{
	struct runner *r = data;
	int i = record_index(type);

	if (i >= 0)
		g_string_assign(r->last[i], line);
	if (r->opts->records) {
		scn_held_write(&r->held, r->opts->records, line, len);
		scn_held_write(&r->held, r->opts->records, "\n", 1);
	}
	if (r->stmt_records)
		g_ptr_array_add(r->stmt_records, g_strndup(line, len));
}

static struct task_ref *ref_of(struct runner *r, scn_binding b)
{
	if (b >= r->refs->len)
		g_array_set_size(r->refs, b + 1);
	return &g_array_index(r->refs, struct task_ref, b);
}

/* The pid of a binding's task, or 0 (never a task: operations get ESRCH)
 * when it is missing or its pid now belongs to another task. */
static pid_t pid_of(struct runner *r, scn_binding b)
{
	if (b == 0)
		return 1; /* init */
	struct task_ref *ref = ref_of(r, b);
	uint64_t identity;
	if (!ref->present || contid_task_identity(r->w, ref->pid, &identity) < 0 ||
	    identity != ref->identity)
		return 0;
	return ref->pid;
}

static const char *errno_text(int r)
{
	const char *name = contid_errno_name(r);
	return name ? name : "unknown error";
}

static void set_outcome_errno(struct runner *r, int ret)
{
	g_string_assign(r->outcome, ret >= 0 ? "ok" : errno_text(ret));
}

static void value_text(GString *s, uint64_t v, bool is_contid)
{
	if (is_contid && v == CONTID_UNSET)
		g_string_assign(s, "unset");
	else
		g_string_printf(s, "%" PRIu64, v);
}

/* Compares an operation's result with its expected outcome. */
static bool judge_operation(struct runner *r, const struct scn_stmt *s, int ret,
			    bool has_value, uint64_t value)
{
	bool is_contid = s->verb == SCN_GET_CONTID;

	if (ret >= 0 && has_value)
		value_text(r->outcome, value, is_contid);
	else
		set_outcome_errno(r, ret);

	switch (s->expect.kind) {
	case SCN_EXPECT_ANY:
		g_string_assign(r->expected, "any");
		return true;
	case SCN_EXPECT_OK:
		g_string_assign(r->expected, "ok");
		return ret >= 0;
	case SCN_EXPECT_ERRNO:
		g_string_assign(r->expected, errno_text(-s->expect.err));
		return ret == -s->expect.err;
	case SCN_EXPECT_VALUE:
		value_text(r->expected, s->expect.value, is_contid);
		return ret >= 0 && has_value && value == s->expect.value;
	default:
		return false;
	}
}

static const char *binding_name(struct runner *r, scn_binding b)
{
	return scn_names_name(scn_parser_names(r->parser), b);
}

/* Names the task with this identity for messages: a bound name if any. */
static void describe_task(struct runner *r, uint64_t identity, pid_t pid, GString *out)
{
	for (guint b = 0; b < r->refs->len; b++) {
		struct task_ref *ref = &g_array_index(r->refs, struct task_ref, b);
		if (ref->present && ref->identity == identity) {
			g_string_assign(out, binding_name(r, b));
			return;
		}
	}
	uint64_t init_identity;
	if (contid_task_identity(r->w, 1, &init_identity) == 0 && init_identity == identity)
		g_string_assign(out, "init");
	else if (pid)
		g_string_printf(out, "unnamed task %d", (int)pid);
	else
		g_string_assign(out, "a task that is gone");
}

/* ----------------------------------------------------------- records */

/* Finds FIELD=VALUE in a raw record; the value without its quotes. */
static bool record_field(const char *line, const char *key, GString *value)
{
	const char *p = strstr(line, "): ");
	size_t klen = strlen(key);

	p = p ? p + 3 : line;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t vlen = (size_t)(end - v);
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			g_string_assign(value, "");
			g_string_append_len(value, v, (gssize)vlen);
			return true;
		}
		p = end;
	}
	return false;
}

/* Replaces each $name by that task's pid. */
static void expand_dollars(struct runner *r, const char *in, GString *out)
{
	g_string_assign(out, "");
	while (*in) {
		if (*in != '$') {
			g_string_append_c(out, *in++);
			continue;
		}
		size_t n = 0;
		while (in[1 + n] && (g_ascii_isalnum(in[1 + n]) || in[1 + n] == '_' ||
				     in[1 + n] == '.' || in[1 + n] == '-'))
			n++;
		char *name = g_strndup(in + 1, n);
		scn_binding b = scn_names_lookup(scn_parser_names(r->parser), name);
		g_free(name);
		g_string_append_printf(out, "%d",
				       b == SCN_NO_BINDING ? 0 : (int)pid_of(r, b));
		in += 1 + n;
	}
}

static bool judge_record(struct runner *r, const struct scn_stmt *s)
{
	const char *type = contid_record_type_name(s->record_type);
	GString *want = g_string_new(NULL), *got = g_string_new(NULL);
	const GString *line = r->last[record_index(s->record_type)];
	bool ok = true;

	g_string_printf(r->expected, "%s", type);
	g_string_printf(r->outcome, "%s", type);
	for (size_t i = 0; i < s->nfields; i++) {
		expand_dollars(r, s->fields[i].value, want);
		g_string_append_printf(r->expected, " %s=%s", s->fields[i].key, want->str);
		if (!line->len) {
			ok = false;
			continue;
		}
		if (!record_field(line->str, s->fields[i].key, got)) {
			g_string_append_printf(r->outcome, " %s (missing)", s->fields[i].key);
			ok = false;
		} else {
			g_string_append_printf(r->outcome, " %s=%s", s->fields[i].key, got->str);
			if (strcmp(got->str, want->str) != 0)
				ok = false;
		}
	}
	if (!line->len)
		g_string_printf(r->outcome, "no %s record", type);
	g_string_free(want, TRUE);
	g_string_free(got, TRUE);
	return ok;
}

/* ------------------------------------------------------------ checks */

static bool judge_check(struct runner *r, const struct scn_stmt *s)
{
	pid_t pid = s->task != SCN_NO_BINDING ? pid_of(r, s->task) : 0;
	uint64_t v = 0;
	int ret;

	switch (s->verb) {
	case SCN_CHECK_CONTID:
		value_text(r->expected, s->number, true);
		ret = contid_task_contid(r->w, pid, &v);
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		value_text(r->outcome, v, true);
		return v == s->number;
	case SCN_CHECK_CHAIN: {
		char buf[4096];
		g_string_assign(r->expected, "");
		g_string_append_len(r->expected, s->buf, (gssize)s->buf_len);
		ret = contid_task_chain(r->w, pid, buf, sizeof(buf));
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		if ((size_t)ret >= sizeof(buf)) {
			char *big = g_malloc((size_t)ret + 1);
			contid_task_chain(r->w, pid, big, (size_t)ret + 1);
			g_string_assign(r->outcome, big);
			g_free(big);
		} else {
			g_string_assign(r->outcome, buf);
		}
		return r->outcome->len == s->buf_len &&
		       memcmp(r->outcome->str, s->buf, s->buf_len) == 0;
	}
	case SCN_CHECK_OWNER: {
		uint64_t identity;
		pid_t owner_pid;
		bool want_none = s->flags & SCN_OWNER_NONE;
		if (want_none)
			g_string_assign(r->expected, "no owner");
		else
			g_string_printf(r->expected, "owner %s", binding_name(r, s->task));
		ret = contid_id_owner(r->w, s->number, &identity, &owner_pid);
		if (ret < 0) {
			g_string_printf(r->outcome, "no ID %" PRIu64, s->number);
			return false;
		}
		if (identity == 0) {
			/* identities start at 1: a shared value (v6, bits) */
			g_string_assign(r->outcome, "no owner");
			return want_none;
		}
		if (want_none) {
			GString *who = g_string_new(NULL);
			describe_task(r, identity, owner_pid, who);
			g_string_printf(r->outcome, "owner %s", who->str);
			g_string_free(who, TRUE);
			return false;
		}
		GString *who = g_string_new(NULL);
		describe_task(r, identity, owner_pid, who);
		g_string_printf(r->outcome, "owner %s", who->str);
		g_string_free(who, TRUE);
		struct task_ref *ref = s->task == 0 ? NULL : ref_of(r, s->task);
		uint64_t want;
		if (s->task == 0)
			return contid_task_identity(r->w, 1, &want) == 0 && want == identity;
		return ref->present && ref->identity == identity;
	}
	case SCN_CHECK_FREE:
		g_string_printf(r->expected, "%" PRIu64 " free", s->number);
		ret = contid_id_owner(r->w, s->number, NULL, NULL);
		g_string_printf(r->outcome, "%" PRIu64 " %s", s->number,
				ret == -ENOENT ? "free" : "in use");
		return ret == -ENOENT;
	case SCN_CHECK_PARENT:
		value_text(r->expected, s->number2, true);
		if (s->number2 == CONTID_UNSET)
			g_string_assign(r->expected, "none");
		ret = contid_id_parent(r->w, s->number, &v);
		if (ret < 0) {
			g_string_printf(r->outcome, "no ID %" PRIu64, s->number);
			return false;
		}
		if (v == CONTID_UNSET)
			g_string_assign(r->outcome, "none");
		else
			value_text(r->outcome, v, false);
		return v == s->number2;
	case SCN_CHECK_USERS: {
		unsigned users = 0;
		g_string_printf(r->expected, "%" PRIu64 " user%s", s->number2,
				s->number2 == 1 ? "" : "s");
		ret = contid_id_users(r->w, s->number, &users);
		if (ret < 0 && ret != -ENOENT) {
			set_outcome_errno(r, ret);
			return false;
		}
		g_string_printf(r->outcome, "%u user%s", users, users == 1 ? "" : "s");
		return users == s->number2;
	}
	case SCN_CHECK_CAPCONTID:
	case SCN_CHECK_LEVEL: {
		uint32_t value32 = 0;
		unsigned level = 0;
		g_string_printf(r->expected, "%" PRIu64, s->number);
		ret = s->verb == SCN_CHECK_LEVEL
		      ? contid_task_userns_level(r->w, pid, &level)
		      : contid_task_capcontid(r->w, pid, &value32);
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		v = s->verb == SCN_CHECK_LEVEL ? level : value32;
		g_string_printf(r->outcome, "%" PRIu64, v);
		return v == s->number;
	}
	case SCN_CHECK_PPID: {
		pid_t ppid, other_tgid;
		pid_t other = pid_of(r, s->other);
		if (contid_task_tgid(r->w, other, &other_tgid) < 0)
			other_tgid = -1;
		g_string_printf(r->expected, "ppid %d (%s)", (int)other_tgid,
				binding_name(r, s->other));
		ret = contid_task_ppid(r->w, pid, &ppid);
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		g_string_printf(r->outcome, "ppid %d", (int)ppid);
		return other_tgid >= 0 && ppid == other_tgid;
	}
	case SCN_CHECK_RECORD:
		return judge_record(r, s);
	default:
		return false;
	}
}

/* -------------------------------------------------------- operations */

static bool run_operation(struct runner *r, const struct scn_stmt *s)
{
	pid_t pid = s->task != SCN_NO_BINDING ? pid_of(r, s->task) : 0;
	pid_t other = s->other != SCN_NO_BINDING ? pid_of(r, s->other) : 0;
	uint64_t value = 0;
	uint32_t value32 = 0;
	bool has_value = false;
	int ret;

	switch (s->verb) {
	case SCN_FORK: {
		pid_t child = 0;
		ret = contid_fork(r->w, other, s->flags, &child);
		if (ret == 0)
			contid_task_set_name(r->w, child, s->new_name);
		if (s->task != SCN_NO_BINDING) {
			struct task_ref *ref = ref_of(r, s->task);
			ref->present = ret == 0;
			ref->pid = child;
			if (ret == 0)
				contid_task_identity(r->w, child, &ref->identity);
		}
		break;
	}
	case SCN_EXIT:
		ret = contid_exit(r->w, pid);
		break;
	case SCN_REAP:
		ret = contid_reap(r->w, pid);
		break;
	case SCN_SUBREAPER:
		ret = contid_set_subreaper(r->w, pid);
		break;
	case SCN_UNSHARE:
		ret = contid_unshare(r->w, pid, (int)s->flags);
		break;
	case SCN_SETNS:
		ret = contid_setns(r->w, pid, (int)s->flags, other);
		break;
	case SCN_SETUID:
		ret = contid_setuid(r->w, pid, (uint32_t)s->number);
		break;
	case SCN_DROP_CAP:
		ret = contid_drop_cap(r->w, pid, (int)s->number);
		break;
	case SCN_SET_CONTID:
		ret = contid_write(r->w, other, pid, s->buf, s->buf_len);
		break;
	case SCN_SET_CAPCONTID:
		ret = contid_write_capcontid(r->w, other, pid, s->buf, s->buf_len);
		break;
	case SCN_GET_CONTID:
		ret = contid_get(r->w, other, pid, &value);
		has_value = true;
		break;
	case SCN_GET_CAPCONTID:
		ret = contid_get_capcontid(r->w, other, pid, &value32);
		value = value32;
		has_value = true;
		break;
	case SCN_EVENT:
		ret = contid_event(r->w, pid);
		break;
	case SCN_PACKET:
		ret = contid_packet(r->w, pid);
		break;
	default:
		ret = -EINVAL;
	}
	if (s->unbinds)
		ref_of(r, s->task)->present = false;
	return judge_operation(r, s, ret, has_value, value);
}

/* ------------------------------------------------------------- output */

static void json_append(GString *out, const char *s, size_t len)
{
	g_string_append_c(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			g_string_append_c(out, '\\');
			g_string_append_c(out, (char)c);
		} else if (c == '\n') {
			g_string_append(out, "\\n");
		} else if (c == '\t') {
			g_string_append(out, "\\t");
		} else if (c < 0x20) {
			g_string_append_printf(out, "\\u%04x", c);
		} else {
			g_string_append_c(out, (char)c);
		}
	}
	g_string_append_c(out, '"');
}

void scn_json_string(FILE *f, const char *s, size_t len)
{
	GString *out = g_string_sized_new(len + 2);

	json_append(out, s, len);
	fwrite(out->str, 1, out->len, f);
	g_string_free(out, TRUE);
}

static void json_statement(struct runner *r, const struct scn_stmt *s, bool ok,
			   bool judged)
{
	GString *f = r->line;

	g_string_assign(f, "{\"file\":");
	json_append(f, r->path, strlen(r->path));
	g_string_append(f, ",\"profile\":");
	json_append(f, r->result->profile, strlen(r->result->profile));
	g_string_append_printf(f, ",\"line\":%u,\"statement\":", s->line);
	json_append(f, s->text, s->text_len);
	g_string_append(f, ",\"expected\":");
	if (judged)
		json_append(f, r->expected->str, r->expected->len);
	else
		g_string_append(f, "null");
	g_string_append(f, ",\"outcome\":");
	if (judged)
		json_append(f, r->outcome->str, r->outcome->len);
	else
		g_string_append(f, "null");
	g_string_append_printf(f, ",\"ok\":%s,\"skipped\":%s,\"records\":[",
			       ok ? "true" : "false", s->active ? "false" : "true");
	for (guint i = 0; i < r->stmt_records->len; i++) {
		const char *line = g_ptr_array_index(r->stmt_records, i);
		if (i)
			g_string_append_c(f, ',');
		json_append(f, line, strlen(line));
	}
	g_string_append(f, "]}\n");
	scn_held_write(&r->held, r->opts->json, f->str, f->len);
	g_ptr_array_set_size(r->stmt_records, 0);
}

/* ------------------------------------------------------------ driver */

void scn_print_error(const char *path, const struct scn_error *e)
{
	if (e->line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", path, e->line, e->column,
			e->message);
	else
		fprintf(stderr, "%s: error: %s\n", path, e->message);
}

int scn_check_data(const char *data, size_t len, const char *profile,
		   struct scn_error *err)
{
	struct scn_parser *p = scn_parser_new_for(data, len, profile);
	struct scn_stmt *stmt = g_new(struct scn_stmt, 1);
	int r;

	while ((r = scn_next(p, stmt)) > 0)
		;
	if (r < 0)
		*err = *scn_parser_error(p);
	g_free(stmt);
	scn_parser_free(p);
	return r < 0 ? -1 : 0;
}

int scn_check_file(const char *path, const char *data, size_t len, bool quiet)
{
	struct scn_error err;

	if (scn_check_data(data, len, NULL, &err) == 0)
		return 0;
	if (!quiet)
		scn_print_error(path, &err);
	return 2;
}

/* Selects the world's rule set; the parser made sure no operation ran. */
static void set_profile(struct runner *r, const char *name)
{
	if (contid_world_set_profile(r->w, name) == 0)
		r->result->profile = contid_world_profile(r->w);
}

static void report(struct runner *r, const struct scn_stmt *s,
		   const struct scn_verdict *v)
{
	if (v->judged) {
		r->result->expectations++;
		if (!v->ok)
			r->result->failed++;
		if (!v->ok && !r->opts->quiet) {
			if (r->opts->tag_profile)
				scn_held_printf(&r->held, stderr,
						"%s:%u: %s: expected %s, got %s\n", r->path,
						s->line, r->result->profile, v->expected,
						v->outcome);
			else
				scn_held_printf(&r->held, stderr,
						"%s:%u: expected %s, got %s\n", r->path,
						s->line, v->expected, v->outcome);
		}
	}
	if (!v->ran)
		r->result->skipped++;
	if (r->opts->json)
		json_statement(r, s, v->ok, v->judged);
	if (r->opts->statement)
		r->opts->statement(r->opts->statement_data, s, v);
}

/* Parses the rest of the file, from where the replay is, without running it. */
static int check_rest(struct runner *r, struct scn_error *err)
{
	struct scn_parser *p = scn_parser_clone(r->parser);
	struct scn_stmt *stmt = g_new(struct scn_stmt, 1);
	int ret;

	while ((ret = scn_next(p, stmt)) > 0)
		;
	if (ret < 0)
		*err = *scn_parser_error(p);
	g_free(stmt);
	scn_parser_free(p);
	return ret;
}

/* Runs (or, guarded out, only reports) one statement. */
static void run_statement(struct runner *r, const struct scn_stmt *stmt)
{
	struct scn_verdict v = { .ran = stmt->active, .ok = true };

	r->result->statements++;
	if (!stmt->active) {
		/* guarded out: not run, so the clock does not move */
		report(r, stmt, &v);
		return;
	}
	switch (stmt->verb) {
	case SCN_PROFILE:
		if (!r->opts->profile)
			set_profile(r, stmt->profile);
		break;
	case SCN_CONFIG_DEPTH_LIMIT:
		contid_world_set_depth_limit(r->w, (unsigned)stmt->number);
		break;
	case SCN_CONFIG_PID_MAX:
		contid_world_set_pid_max(r->w, (unsigned)stmt->number);
		break;
	case SCN_CONFIG_AUDIT:
		contid_world_set_audit(r->w, (int)stmt->number);
		break;
	default:
		v.judged = true;
		v.ok = scn_verb_is_check(stmt->verb) ? judge_check(r, stmt)
						      : run_operation(r, stmt);
		v.expected = r->expected->str;
		v.outcome = r->outcome->str;
	}
	report(r, stmt, &v);
}

/* 0, 1, or 2 with the syntax error in @err (nothing of the file shown). */
static int replay(struct runner *r, const char *data, size_t len,
		  struct scn_error *err)
{
	struct scn_stmt *stmt = g_new(struct scn_stmt, 1);
	int ret;

	r->parser = scn_parser_new_for(data, len, r->opts->profile);
	if (r->opts->profile)
		set_profile(r, r->opts->profile);
	while ((ret = scn_next(r->parser, stmt)) > 0) {
		run_statement(r, stmt);
		if (r->held.holding && scn_held_size(&r->held) > HELD_MAX) {
			if (check_rest(r, err) < 0)
				break;
			scn_held_release(&r->held);
		}
	}
	if (ret < 0)
		*err = *scn_parser_error(r->parser);
	g_free(stmt);
	if (ret != 0) {
		scn_held_discard(&r->held);
		return 2;
	}
	scn_held_release(&r->held);
	return r->result->failed ? 1 : 0;
}

int scn_run_data(const char *path, const char *data, size_t len,
		 const struct scn_run_options *opts, struct scn_run_result *result)
{
	struct scn_error err;

	memset(result, 0, sizeof(*result));
	result->profile = scn_profile_name(0);
	/* what is handed to a statement callback cannot be held back */
	if (opts->statement && scn_check_data(data, len, opts->profile, &err) != 0) {
		if (!opts->quiet)
			scn_print_error(path, &err);
		return 2;
	}

	struct runner r = { .path = path, .opts = opts, .result = result };
	if (contid_world_new(&r.w) < 0) {
		fprintf(stderr, "%s: error: out of memory\n", path);
		return 2;
	}
	result->profile = contid_world_profile(r.w);
	contid_world_set_record_callback(r.w, on_record, &r);
	r.refs = g_array_new(FALSE, TRUE, sizeof(struct task_ref));
	for (int i = 0; i < NRECORD_TYPES; i++)
		r.last[i] = g_string_new(NULL);
	r.stmt_records = opts->json ? g_ptr_array_new_with_free_func(g_free) : NULL;
	r.expected = g_string_new(NULL);
	r.outcome = g_string_new(NULL);
	r.line = g_string_new(NULL);
	scn_held_init(&r.held, !opts->statement);

	int status = replay(&r, data, len, &err);
	if (status == 2) {
		memset(result, 0, sizeof(*result));
		result->profile = scn_profile_name(0);
		if (!opts->quiet)
			scn_print_error(path, &err);
	}

	if (opts->final_world && status != 2) {
		guint n = r.refs->len;
		pid_t *pids = g_new0(pid_t, n + 1);
		bool *present = g_new0(bool, n + 1);
		for (guint b = 1; b < n; b++) {
			pids[b] = pid_of(&r, b);
			present[b] = pids[b] != 0;
		}
		pids[0] = 1;
		present[0] = true;
		opts->final_world(opts->final_world_data, path, r.w,
				  scn_parser_names(r.parser), pids, present);
		g_free(pids);
		g_free(present);
	}

	scn_parser_free(r.parser);
	contid_world_free(r.w);
	g_array_free(r.refs, TRUE);
	for (int i = 0; i < NRECORD_TYPES; i++)
		g_string_free(r.last[i], TRUE);
	if (r.stmt_records)
		g_ptr_array_free(r.stmt_records, TRUE);
	g_string_free(r.expected, TRUE);
	g_string_free(r.outcome, TRUE);
	g_string_free(r.line, TRUE);
	scn_held_free(&r.held);
	return status;
}

int scn_run_file(const char *path, const struct scn_run_options *opts,
		 struct scn_run_result *result)
{
	char *data = NULL;
	size_t len = 0;
	struct scn_error err;

	memset(result, 0, sizeof(*result));
	if (scn_read_file(path, &data, &len, &err) < 0) {
		if (!opts->quiet)
			scn_print_error(path, &err);
		return 2;
	}
	int status = scn_run_data(path, data, len, opts, result);
	g_free(data);
	return status;
}

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
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-held.h"
#include "scn-json.h"
#include "scn-junit.h"
#include "scn-map.h"
#include "scn-names.h"
#include "scn-nstrack.h"
#include "scn-parse.h"
#include "scn-profiles.h"
#include "scn-progress.h"
#include "scn-read.h"
#include "scn-records.h"
#include "scn-run.h"

/* What a name binding refers to at run time. */
struct task_ref {
	pid_t pid;
	uint64_t identity;
	bool present;
	unsigned failed_line;    /* the fork that should have made it failed */
	bool noted;              /* ... and a message has said so */
};

struct runner {
	const char *path;
	const struct scn_run_options *opts;
	struct scn_run_result *result;
	struct contid_world *w;
	struct scn_parser *parser;
	struct task_ref *refs;              /* by binding */
	size_t nrefs, refs_cap;
	struct scn_map by_identity;         /* task identity -> binding */
	struct scn_str *last[SCN_RECORD_TYPES]; /* newest record of each type */
	unsigned op_records;                /* types the last operation logged,
					     * a bit per scn_record_index() */
	struct scn_str *stmt_records;       /* this statement's, as a JSON
					     * array being written */
	struct scn_json records_json;       /* writes stmt_records */
	struct scn_str *expected, *outcome;
	const char *rule, *reason;          /* what refused the operation */
	struct scn_held held;               /* until the file is known to parse */
	struct scn_str *line;               /* one JSON statement */
	struct scn_junit_suite junit;       /* --junit: the file's test cases */
	bool track;                         /* namespaces, for final_world */
	struct scn_nstrack ns;
};

/* Beyond this, the rest of the file is checked and the output let go. */
#define HELD_MAX ((size_t)16 << 20)

static void on_record(void *data, int type, const char *line, size_t len)
{
	struct runner *r = data;
	int i = scn_record_index(type);

	if (i >= 0) {
		scn_str_assign(r->last[i], line);
		r->op_records |= 1u << i;
	}
	if (r->opts->records) {
		scn_held_write(&r->held, r->opts->records, line, len);
		scn_held_write(&r->held, r->opts->records, "\n", 1);
	}
	if (r->stmt_records)
		scn_json_add_string(&r->records_json, NULL, line, len);
}

static struct task_ref *ref_of(struct runner *r, scn_binding b)
{
	if (b >= r->nrefs) {
		SCN_RESERVE(r->refs, r->refs_cap, (size_t)b + 1);
		memset(r->refs + r->nrefs, 0, ((size_t)b + 1 - r->nrefs) * sizeof(*r->refs));
		r->nrefs = (size_t)b + 1;
	}
	return &r->refs[b];
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
	scn_str_assign(r->outcome, ret >= 0 ? "ok" : errno_text(ret));
}

static void value_text(struct scn_str *s, uint64_t v, bool is_contid)
{
	if (is_contid && v == CONTID_UNSET)
		scn_str_assign(s, "unset");
	else
		scn_str_printf(s, "%" PRIu64, v);
}

/* A reply of signal-info as outcomes show it: in quotes, as written. */
static void reply_text(struct scn_str *s, const char *reply, size_t len)
{
	scn_str_assign(s, "\"");
	scn_str_append_len(s, reply, len);
	scn_str_putc(s, '"');
}

/* Compares an operation's result with its expected outcome; @reply is
 * signal-info's, when it answered. */
static bool judge_operation(struct runner *r, const struct scn_stmt *s, int ret,
			    bool has_value, uint64_t value,
			    const struct scn_str *reply)
{
	bool is_contid = s->verb == SCN_GET_CONTID;

	if (ret >= 0 && has_value)
		value_text(r->outcome, value, is_contid);
	else if (ret >= 0 && reply)
		reply_text(r->outcome, reply->str, reply->len);
	else
		set_outcome_errno(r, ret);

	switch (s->expect.kind) {
	case SCN_EXPECT_ANY:
		scn_str_assign(r->expected, "any");
		return true;
	case SCN_EXPECT_OK:
		scn_str_assign(r->expected, "ok");
		return ret >= 0;
	case SCN_EXPECT_ERRNO:
		scn_str_assign(r->expected, errno_text(-s->expect.err));
		return ret == -s->expect.err;
	case SCN_EXPECT_VALUE:
		value_text(r->expected, s->expect.value, is_contid);
		return ret >= 0 && has_value && value == s->expect.value;
	case SCN_EXPECT_REPLY:
		reply_text(r->expected, s->expect.reply, s->expect.reply_len);
		return ret >= 0 && reply && reply->len == s->expect.reply_len &&
		       memcmp(reply->str, s->expect.reply, reply->len) == 0;
	default:
		return false;
	}
}

static const char *binding_name(struct runner *r, scn_binding b)
{
	return scn_names_name(scn_parser_names(r->parser), b);
}

/* Names the task with this identity for messages: a bound name if any. */
static void describe_task(struct runner *r, uint64_t identity, pid_t pid, struct scn_str *out)
{
	uint32_t b;
	if (scn_map_get(&r->by_identity, identity, &b) && b < r->nrefs &&
	    r->refs[b].present && r->refs[b].identity == identity) {
		scn_str_assign(out, binding_name(r, b));
		return;
	}
	uint64_t init_identity;
	if (contid_task_identity(r->w, 1, &init_identity) == 0 && init_identity == identity)
		scn_str_assign(out, "init");
	else if (pid)
		scn_str_printf(out, "unnamed task %d", (int)pid);
	else
		scn_str_assign(out, "a task that is gone");
}

/* ----------------------------------------------------------- records */

/* Finds FIELD=VALUE in a raw record; the value without its quotes. */
static bool record_field(const char *line, const char *key, struct scn_str *value)
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
			scn_str_assign(value, "");
			scn_str_append_len(value, v, vlen);
			return true;
		}
		p = end;
	}
	return false;
}

/* Replaces each $name by that task's pid. */
static void expand_dollars(struct runner *r, const char *in, struct scn_str *out)
{
	scn_str_assign(out, "");
	while (*in) {
		if (*in != '$') {
			scn_str_putc(out, *in++);
			continue;
		}
		size_t n = 0;
		while (in[1 + n] && (scn_ascii_isalnum(in[1 + n]) || in[1 + n] == '_' ||
				     in[1 + n] == '.' || in[1 + n] == '-'))
			n++;
		scn_binding b = scn_names_find(scn_parser_names(r->parser), in + 1, n);
		scn_str_appendf(out, "%d",
				       b == SCN_NO_BINDING ? 0 : (int)pid_of(r, b));
		in += 1 + n;
	}
}

static bool judge_record(struct runner *r, const struct scn_stmt *s)
{
	const char *type = contid_record_type_name(s->record_type);
	struct scn_str *want = scn_str_new(), *got = scn_str_new();
	const struct scn_str *line = r->last[scn_record_index(s->record_type)];
	bool ok = true;

	scn_str_printf(r->expected, "%s", type);
	scn_str_printf(r->outcome, "%s", type);
	for (size_t i = 0; i < s->nfields; i++) {
		expand_dollars(r, s->fields[i].value, want);
		scn_str_appendf(r->expected, " %s=%s", s->fields[i].key, want->str);
		if (!line->len) {
			ok = false;
			continue;
		}
		if (!record_field(line->str, s->fields[i].key, got)) {
			scn_str_appendf(r->outcome, " %s (missing)", s->fields[i].key);
			ok = false;
		} else {
			scn_str_appendf(r->outcome, " %s=%s", s->fields[i].key, got->str);
			if (strcmp(got->str, want->str) != 0)
				ok = false;
		}
	}
	if (!line->len)
		scn_str_printf(r->outcome, "no %s record", type);
	scn_str_free(want);
	scn_str_free(got);
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
		scn_str_assign(r->expected, "");
		scn_str_append_len(r->expected, s->buf, s->buf_len);
		ret = contid_task_chain(r->w, pid, buf, sizeof(buf));
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		if ((size_t)ret >= sizeof(buf)) {
			char *big = scn_malloc((size_t)ret + 1);
			contid_task_chain(r->w, pid, big, (size_t)ret + 1);
			scn_str_assign(r->outcome, big);
			free(big);
		} else {
			scn_str_assign(r->outcome, buf);
		}
		return r->outcome->len == s->buf_len &&
		       memcmp(r->outcome->str, s->buf, s->buf_len) == 0;
	}
	case SCN_CHECK_OWNER: {
		uint64_t identity;
		pid_t owner_pid;
		bool want_none = s->flags & SCN_OWNER_NONE;
		bool want_gone = s->flags & SCN_OWNER_GONE;
		if (want_none)
			scn_str_assign(r->expected, "no owner");
		else if (want_gone)
			scn_str_assign(r->expected, "owner gone");
		else
			scn_str_printf(r->expected, "owner %s", binding_name(r, s->task));
		ret = contid_id_owner(r->w, s->number, &identity, &owner_pid);
		if (ret < 0) {
			scn_str_printf(r->outcome, "no ID %" PRIu64, s->number);
			return false;
		}
		if (identity == 0) {
			/* identities start at 1: a shared value (v6, bits) */
			scn_str_assign(r->outcome, "no owner");
			return want_none;
		}
		/* the library names the owner's pid only while the task exists */
		if (owner_pid == 0 && want_gone) {
			scn_str_assign(r->outcome, "owner gone");
			return true;
		}
		if (want_none || want_gone) {
			struct scn_str *who = scn_str_new();
			describe_task(r, identity, owner_pid, who);
			scn_str_printf(r->outcome, "owner %s", who->str);
			scn_str_free(who);
			return false;
		}
		struct scn_str *who = scn_str_new();
		describe_task(r, identity, owner_pid, who);
		scn_str_printf(r->outcome, "owner %s", who->str);
		scn_str_free(who);
		struct task_ref *ref = s->task == 0 ? NULL : ref_of(r, s->task);
		uint64_t want;
		if (s->task == 0)
			return contid_task_identity(r->w, 1, &want) == 0 && want == identity;
		return ref->present && ref->identity == identity;
	}
	case SCN_CHECK_FREE:
		scn_str_printf(r->expected, "%" PRIu64 " free", s->number);
		ret = contid_id_owner(r->w, s->number, NULL, NULL);
		scn_str_printf(r->outcome, "%" PRIu64 " %s", s->number,
				ret == -ENOENT ? "free" : "in use");
		return ret == -ENOENT;
	case SCN_CHECK_PARENT:
		value_text(r->expected, s->number2, true);
		if (s->number2 == CONTID_UNSET)
			scn_str_assign(r->expected, "none");
		ret = contid_id_parent(r->w, s->number, &v);
		if (ret < 0) {
			scn_str_printf(r->outcome, "no ID %" PRIu64, s->number);
			return false;
		}
		if (v == CONTID_UNSET)
			scn_str_assign(r->outcome, "none");
		else
			value_text(r->outcome, v, false);
		return v == s->number2;
	case SCN_CHECK_USERS: {
		unsigned users = 0;
		scn_str_printf(r->expected, "%" PRIu64 " user%s", s->number2,
				s->number2 == 1 ? "" : "s");
		ret = contid_id_users(r->w, s->number, &users);
		if (ret < 0 && ret != -ENOENT) {
			set_outcome_errno(r, ret);
			return false;
		}
		scn_str_printf(r->outcome, "%u user%s", users, users == 1 ? "" : "s");
		return users == s->number2;
	}
	case SCN_CHECK_CAPCONTID:
	case SCN_CHECK_LEVEL: {
		uint32_t value32 = 0;
		unsigned level = 0;
		scn_str_printf(r->expected, "%" PRIu64, s->number);
		ret = s->verb == SCN_CHECK_LEVEL
		      ? contid_task_userns_level(r->w, pid, &level)
		      : contid_task_capcontid(r->w, pid, &value32);
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		v = s->verb == SCN_CHECK_LEVEL ? level : value32;
		scn_str_printf(r->outcome, "%" PRIu64, v);
		return v == s->number;
	}
	case SCN_CHECK_PPID: {
		pid_t ppid, other_tgid;
		pid_t other = pid_of(r, s->other);
		if (contid_task_tgid(r->w, other, &other_tgid) < 0)
			other_tgid = -1;
		scn_str_printf(r->expected, "ppid %d (%s)", (int)other_tgid,
				binding_name(r, s->other));
		ret = contid_task_ppid(r->w, pid, &ppid);
		if (ret < 0) {
			set_outcome_errno(r, ret);
			return false;
		}
		scn_str_printf(r->outcome, "ppid %d", (int)ppid);
		return other_tgid >= 0 && ppid == other_tgid;
	}
	case SCN_CHECK_PID:
		scn_str_printf(r->expected, "pid %" PRIu64, s->number);
		if (!pid) {
			set_outcome_errno(r, -ESRCH);
			return false;
		}
		scn_str_printf(r->outcome, "pid %d", (int)pid);
		return (uint64_t)pid == s->number;
	case SCN_CHECK_PINNED: {
		if (s->number == CONTID_UNSET)
			scn_str_assign(r->expected, "nothing pinned");
		else
			scn_str_printf(r->expected, "pinned %" PRIu64, s->number);
		ret = contid_pinned(r->w, &v);
		if (ret == -ENOENT)
			v = CONTID_UNSET;
		if (v == CONTID_UNSET)
			scn_str_assign(r->outcome, "nothing pinned");
		else
			scn_str_printf(r->outcome, "pinned %" PRIu64, v);
		return v == s->number;
	}
	case SCN_CHECK_RECORD:
		return judge_record(r, s);
	case SCN_CHECK_NO_RECORD: {
		int i = scn_record_index(s->record_type);
		const char *type = contid_record_type_name(s->record_type);
		scn_str_printf(r->expected, "no %s record", type);
		if (r->op_records & (1u << i)) {
			scn_str_assign(r->outcome, r->last[i]->str);
			return false;
		}
		scn_str_printf(r->outcome, "no %s record", type);
		return true;
	}
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
	uint32_t value32 = 0, uid = 0;
	bool has_value = false;
	struct scn_str *reply = NULL;
	int ret;

	switch (s->verb) {
	case SCN_FORK: {
		pid_t child = 0;
		if (r->track)
			contid_task_uid(r->w, other, &uid);
		ret = contid_fork(r->w, other, s->flags, &child);
		if (ret == 0 && contid_task_set_name(r->w, child, s->new_name) == -ENOMEM)
			scn_out_of_memory();
		if (ret == 0 && r->track)
			scn_nstrack_fork(&r->ns, other, child, s->flags, uid);
		if (s->task != SCN_NO_BINDING) {
			struct task_ref *ref = ref_of(r, s->task);
			if (ref->present)
				scn_map_remove(&r->by_identity, ref->identity);
			ref->present = ret == 0;
			ref->pid = child;
			ref->failed_line = ret == 0 ? 0 : s->line;
			ref->noted = false;
			if (ret == 0) {
				contid_task_identity(r->w, child, &ref->identity);
				scn_map_set(&r->by_identity, ref->identity, s->task);
			}
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
		if (r->track)
			contid_task_uid(r->w, pid, &uid);
		ret = contid_unshare(r->w, pid, (int)s->flags);
		if (ret == 0 && r->track)
			scn_nstrack_unshare(&r->ns, pid, (int)s->flags, uid);
		break;
	case SCN_SETNS:
		ret = contid_setns(r->w, pid, (int)s->flags, other);
		if (ret == 0 && r->track)
			scn_nstrack_setns(&r->ns, pid, (int)s->flags, other);
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
	case SCN_AUDITD:
		ret = contid_set_auditd(r->w, pid);
		break;
	case SCN_SIGNAL:
		ret = contid_signal(r->w, other, pid, (int)s->number);
		break;
	case SCN_SIGNAL_INFO: {
		uint32_t sender_uid;
		pid_t sender;
		char *chain = NULL;
		ret = contid_signal_info(r->w, pid, &sender_uid, &sender, &chain);
		if (ret == 0) {
			reply = scn_str_new();
			scn_str_printf(reply, "uid=%" PRIu32 " pid=%d contid=%s",
				       sender_uid, (int)sender, chain);
			free(chain);
		}
		break;
	}
	default:
		ret = -EINVAL;
	}
	/* The machine ran out of memory, not the simulated one: no rule
	 * answers ENOMEM, so no expectation can judge it. */
	if (ret == -ENOMEM)
		scn_out_of_memory();
	if (ret < 0 && contid_world_last_refusal(r->w, &r->rule, &r->reason) < 0)
		r->rule = r->reason = NULL;
	if (s->unbinds) {
		struct task_ref *ref = ref_of(r, s->task);
		if (ref->present)
			scn_map_remove(&r->by_identity, ref->identity);
		ref->present = false;
	}
	bool ok = judge_operation(r, s, ret, has_value, value, reply);
	scn_str_free(reply);
	return ok;
}

/* ------------------------------------------------------------- output */

/* Starts the JSON array of the next statement's records. */
static void begin_records(struct runner *r)
{
	scn_str_truncate(r->stmt_records, 0);
	scn_json_init(&r->records_json, r->stmt_records);
	scn_json_begin_array(&r->records_json, NULL);
}

static void json_statement(struct runner *r, const struct scn_stmt *s, bool ok,
			   bool judged)
{
	struct scn_json j;

	scn_json_end_array(&r->records_json);
	scn_str_truncate(r->line, 0);
	scn_json_init(&j, r->line);
	scn_json_begin_object(&j, NULL);
	scn_json_add_cstring(&j, "file", r->path);
	scn_json_add_cstring(&j, "profile", r->result->profile);
	scn_json_add_uint(&j, "line", s->line);
	scn_json_add_string(&j, "statement", s->text, s->text_len);
	if (judged) {
		scn_json_add_string(&j, "expected", r->expected->str, r->expected->len);
		scn_json_add_string(&j, "outcome", r->outcome->str, r->outcome->len);
	} else {
		scn_json_add_cstring(&j, "expected", NULL);
		scn_json_add_cstring(&j, "outcome", NULL);
	}
	scn_json_add_cstring(&j, "rule", judged ? r->rule : NULL);
	scn_json_add_cstring(&j, "reason", judged ? r->reason : NULL);
	scn_json_add_bool(&j, "ok", ok);
	scn_json_add_bool(&j, "skipped", !s->active);
	scn_json_add_json(&j, "records", r->stmt_records->str, r->stmt_records->len);
	scn_json_end_object(&j);
	scn_str_putc(r->line, '\n');
	scn_held_write(&r->held, r->opts->json, r->line->str, r->line->len);
	begin_records(r);
}

/* ------------------------------------------------------------ driver */

/* How much of @len bytes a pass at @offset has read, in percent. */
static unsigned percent(size_t offset, size_t len)
{
	return len ? (unsigned)((uint64_t)offset * 100 / len) : 100;
}

/* A long path leaves no room on the progress line: its last part will do. */
static const char *short_path(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strlen(path) > 40 && slash && slash[1] ? slash + 1 : path;
}

int scn_check_data(const char *data, size_t len, const char *profile,
		   struct scn_error *err, struct scn_progress *progress,
		   const char *path, const char *what)
{
	struct scn_parser *p = scn_parser_new_for(data, len, profile);
	struct scn_stmt *stmt = scn_malloc(sizeof(*stmt));
	int r;

	while ((r = scn_next(p, stmt)) > 0)
		if (progress && scn_progress_due(progress))
			scn_progress_show(progress, "%s: %s%sparsing, %u%%",
					  short_path(path),
					  what ? what : "", what ? ": " : "",
					  percent(scn_parser_offset(p), len));
	if (r < 0)
		scn_error_move(err, scn_parser_error(p));
	free(stmt);
	scn_parser_free(p);
	return r < 0 ? -1 : 0;
}

/* Selects the world's rule set; the parser made sure no operation ran. */
static void set_profile(struct runner *r, const char *name)
{
	if (contid_world_set_profile(r->w, name) == 0)
		r->result->profile = contid_world_profile(r->w);
}

/* A TAP description or YAML scalar: '#' would start a TAP directive. */
static void tap_text(struct scn_str *out, const char *s, size_t len, bool yaml)
{
	for (size_t i = 0; i < len; i++) {
		if (yaml && s[i] == '\'')
			scn_str_putc(out, '\'');
		else if (!yaml && (s[i] == '#' || s[i] == '\\'))
			scn_str_putc(out, '\\');
		scn_str_putc(out, s[i]);
	}
}

/* One TAP test point per expectation; a statement a guard left out is a
 * skipped one. */
static void tap_statement(struct runner *r, const struct scn_stmt *s,
			  const struct scn_verdict *v)
{
	struct scn_str *t = r->line;

	if (!v->judged && v->ran)
		return;
	unsigned n = ++*r->opts->tap_count;
	scn_str_printf(t, "%s %u - ", v->ok ? "ok" : "not ok", n);
	tap_text(t, r->path, strlen(r->path), false);
	scn_str_appendf(t, ":%u: ", s->line);
	tap_text(t, s->text, s->label_len, false);
	if (!v->ran)
		scn_str_appendf(t, " # SKIP not run under %s", r->result->profile);
	scn_str_putc(t, '\n');
	if (!v->ok) {
		scn_str_append(t, "  ---\n  expected: '");
		tap_text(t, v->expected, strlen(v->expected), true);
		scn_str_append(t, "'\n  got: '");
		tap_text(t, v->outcome, strlen(v->outcome), true);
		if (v->rule) {
			scn_str_append(t, "'\n  rule: '");
			tap_text(t, v->rule, strlen(v->rule), true);
			scn_str_append(t, "'\n  reason: '");
			tap_text(t, v->reason, strlen(v->reason), true);
		}
		scn_str_appendf(t, "'\n  profile: '%s'\n  ...\n", r->result->profile);
	}
	scn_held_write(&r->held, r->opts->tap, t->str, t->len);
}

/*
 * A broken expectation about a task whose fork failed unexpectedly: every
 * later statement that names it fails too, ESRCH after ESRCH, and the
 * cause is lines away.  The first one says the cause, the others nothing
 * (they still count).  True when the statement is of that kind.
 */
static bool missing_task_said(struct runner *r, const struct scn_stmt *s)
{
	scn_binding operands[] = { s->verb == SCN_FORK ? SCN_NO_BINDING : s->task,
				   s->other };

	for (size_t i = 0; i < SCN_N_ELEMENTS(operands); i++) {
		scn_binding b = operands[i];
		if (b == SCN_NO_BINDING || b == 0 || b >= r->nrefs)
			continue;
		struct task_ref *ref = &r->refs[b];
		if (ref->present || !ref->failed_line)
			continue;
		if (!ref->noted)
			scn_held_printf(&r->held, stderr, "%s:%u: %s does not exist: "
					"its fork on line %u failed\n", r->path, s->line,
					scn_names_name(scn_parser_names(r->parser), b),
					ref->failed_line);
		ref->noted = true;
		return true;
	}
	return false;
}

static void report(struct runner *r, const struct scn_stmt *s,
		   const struct scn_verdict *v)
{
	if (v->judged) {
		r->result->expectations++;
		if (!v->ok)
			r->result->failed++;
		if (!v->ok && !r->opts->quiet && !r->opts->no_failure_lines &&
		    missing_task_said(r, s))
			;
		else if (!v->ok && !r->opts->quiet && !r->opts->no_failure_lines) {
			struct scn_str *got = scn_str_new();
			scn_outcome_text(got, v);
			scn_held_printf(&r->held, stderr, "%s:%u: expected %s, got %s\n",
					r->path, s->line, v->expected, got->str);
			scn_str_free(got);
		}
	}
	if (!v->ran)
		r->result->skipped++;
	if (r->opts->json)
		json_statement(r, s, v->ok, v->judged);
	if (r->opts->tap)
		tap_statement(r, s, v);
	if (r->opts->junit) {
		struct scn_str *got = scn_str_new();
		if (v->judged && !v->ok)
			scn_outcome_text(got, v);
		scn_junit_case(&r->junit, r->path, s, v, got->str, r->result->profile);
		scn_str_free(got);
	}
	if (r->opts->statement)
		r->opts->statement(r->opts->statement_data, s, v);
}

/* Parses the rest of the file (@len bytes in all), from where the replay
 * is, without running it. */
static int check_rest(struct runner *r, struct scn_error *err, size_t len)
{
	struct scn_parser *p = scn_parser_clone(r->parser);
	struct scn_stmt *stmt = scn_malloc(sizeof(*stmt));
	struct scn_progress *progress = r->opts->progress;
	const char *what = r->opts->progress_what;
	int ret;

	while ((ret = scn_next(p, stmt)) > 0)
		if (progress && scn_progress_due(progress))
			scn_progress_show(progress, "%s: %s%sparsing ahead, %u%%",
					  short_path(r->path), what ? what : "",
					  what ? ": " : "",
					  percent(scn_parser_offset(p), len));
	if (ret < 0)
		scn_error_move(err, scn_parser_error(p));
	free(stmt);
	scn_parser_free(p);
	return ret;
}

void scn_outcome_text(struct scn_str *out, const struct scn_verdict *v)
{
	if (v->rule)
		scn_str_printf(out, "%s (%s: %s)", v->outcome, v->rule, v->reason);
	else
		scn_str_assign(out, v->outcome);
}

/* Runs (or, guarded out, only reports) one statement. */
static void run_statement(struct runner *r, const struct scn_stmt *stmt)
{
	struct scn_verdict v = { .ran = stmt->active, .ok = true };

	r->result->statements++;
	r->rule = r->reason = NULL;
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
		if (scn_verb_is_check(stmt->verb)) {
			v.ok = judge_check(r, stmt);
		} else {
			/* `check no-record` asks about this operation alone */
			r->op_records = 0;
			v.ok = run_operation(r, stmt);
		}
		v.expected = r->expected->str;
		v.outcome = r->outcome->str;
		v.rule = r->rule;
		v.reason = r->reason;
	}
	report(r, stmt, &v);
}

/* "big.scn: 45%, 4500000 statements, 3900000 a second" */
static void show_progress(struct runner *r, size_t len, double start)
{
	struct scn_progress *p = r->opts->progress;
	const char *what = r->opts->progress_what;
	double seconds = scn_progress_elapsed(p) - start;
	unsigned n = r->result->statements;

	scn_progress_show(p, "%s: %s%s%u%%, %u statement%s, %.0f a second",
			  short_path(r->path), what ? what : "", what ? ": " : "",
			  percent(scn_parser_offset(r->parser), len), n,
			  n == 1 ? "" : "s", seconds > 0 ? n / seconds : 0.0);
}

/* 0, 1, or 2 with the syntax error in @err (nothing of the file shown). */
static int replay(struct runner *r, const char *data, size_t len,
		  struct scn_error *err)
{
	struct scn_stmt *stmt = scn_malloc(sizeof(*stmt));
	struct scn_progress *progress = r->opts->progress;
	double start = progress ? scn_progress_elapsed(progress) : 0;
	int ret;

	r->parser = scn_parser_new_for(data, len, r->opts->profile);
	if (r->opts->profile)
		set_profile(r, r->opts->profile);
	while ((ret = scn_next(r->parser, stmt)) > 0) {
		scn_mem_where_line(stmt->line);
		run_statement(r, stmt);
		if (progress && scn_progress_due(progress))
			show_progress(r, len, start);
		if (r->opts->fail_fast && r->result->failed) {
			r->result->stopped_line = stmt->line;
			/* the rest is not run, but a syntax error in it still
			 * keeps the whole file from counting */
			if (r->held.holding && check_rest(r, err, len) < 0)
				break;
			ret = 0;
			break;
		}
		if (r->held.holding && scn_held_size(&r->held) > HELD_MAX) {
			if (check_rest(r, err, len) < 0)
				break;
			scn_held_release(&r->held);
		}
	}
	if (ret < 0)
		scn_error_move(err, scn_parser_error(r->parser));
	scn_mem_where_line(0);
	free(stmt);
	/* whatever comes next (messages, the summary) starts on a clean line */
	if (progress)
		scn_progress_clear(progress);
	if (ret != 0) {
		scn_held_discard(&r->held);
		return 2;
	}
	if (r->opts->junit) {
		/* the suite's counts are known only now: it goes out whole */
		struct scn_str *suite = scn_str_new();
		scn_junit_suite_text(&r->junit, suite, r->path, r->result->profile);
		scn_held_write(&r->held, r->opts->junit, suite->str, suite->len);
		scn_str_free(suite);
	}
	scn_held_release(&r->held);
	return r->result->failed ? 1 : 0;
}

/*
 * A file that does not run: its message on standard error, and with
 * --format json a line of its own, so that the stream says what became of
 * every file.  @data (@len bytes; NULL: not read) is the input, for the
 * line the message quotes.  Clears @err.
 */
static void file_error(const char *path, const struct scn_run_options *opts,
		       struct scn_error *err, const char *data, size_t len)
{
	if (!opts->quiet)
		scn_print_error_source(path, err, data, len);
	if (opts->junit)
		scn_junit_error_suite(opts->junit, path, err);
	if (opts->json) {
		struct scn_str *s = scn_str_new();
		scn_str_append(s, "{\"file\":");
		scn_json_cstring(s, path);
		if (err->line)
			scn_str_appendf(s, ",\"error\":{\"line\":%u,\"column\":%u,"
					"\"message\":", err->line, err->column);
		else
			scn_str_append(s, ",\"error\":{\"line\":null,\"column\":null,"
				       "\"message\":");
		scn_json_cstring(s, err->message ? err->message : "");
		scn_str_append(s, "}}\n");
		fwrite(s->str, 1, s->len, opts->json);
		scn_str_free(s);
	}
	scn_error_clear(err);
}

int scn_run_data(const char *path, const char *data, size_t len,
		 const struct scn_run_options *opts, struct scn_run_result *result)
{
	struct scn_error err = { 0 };

	memset(result, 0, sizeof(*result));
	result->profile = scn_profile_name(0);
	scn_mem_where(path, 0);
	/* what is handed to a statement callback cannot be held back */
	if (opts->statement &&
	    scn_check_data(data, len, opts->profile, &err, opts->progress, path,
			   opts->progress_what) != 0) {
		file_error(path, opts, &err, data, len);
		scn_mem_where(NULL, 0);
		return 2;
	}

	struct runner r = {
		.path = path, .opts = opts, .result = result,
		.by_identity = SCN_MAP_INIT,
	};
	if (contid_world_new(&r.w) < 0)
		scn_out_of_memory();
	result->profile = contid_world_profile(r.w);
	contid_world_set_record_callback(r.w, on_record, &r);
	for (int i = 0; i < SCN_RECORD_TYPES; i++)
		r.last[i] = scn_str_new();
	if (opts->json) {
		r.stmt_records = scn_str_new();
		begin_records(&r);
	}
	r.expected = scn_str_new();
	r.outcome = scn_str_new();
	r.line = scn_str_new();
	scn_held_init(&r.held, !opts->statement);
	scn_junit_suite_init(&r.junit);
	r.track = opts->final_world != NULL;
	if (r.track)
		scn_nstrack_init(&r.ns);

	unsigned tap_start = opts->tap_count ? *opts->tap_count : 0;
	int status = replay(&r, data, len, &err);
	if (status == 2) {
		/* the file's test points were held back and are gone */
		if (opts->tap_count)
			*opts->tap_count = tap_start;
		memset(result, 0, sizeof(*result));
		result->profile = scn_profile_name(0);
		file_error(path, opts, &err, data, len);
	}

	if (opts->final_world && status != 2) {
		const struct scn_names *names = scn_parser_names(r.parser);
		size_t n = SCN_MAX(r.nrefs, (size_t)scn_names_count(names)) + 1;
		pid_t *pids = scn_calloc(n, sizeof(*pids));
		bool *present = scn_calloc(n, sizeof(*present));
		for (size_t b = 1; b < r.nrefs; b++) {
			pids[b] = pid_of(&r, (scn_binding)b);
			present[b] = pids[b] != 0;
		}
		pids[0] = 1;
		present[0] = true;
		struct scn_final final = {
			.path = path, .w = r.w, .names = names, .pids = pids,
			.present = present, .ns = &r.ns,
		};
		opts->final_world(opts->final_world_data, &final);
		free(pids);
		free(present);
	}

	scn_parser_free(r.parser);
	contid_world_free(r.w);
	free(r.refs);
	scn_map_free(&r.by_identity);
	for (int i = 0; i < SCN_RECORD_TYPES; i++)
		scn_str_free(r.last[i]);
	scn_str_free(r.stmt_records);
	scn_str_free(r.expected);
	scn_str_free(r.outcome);
	scn_str_free(r.line);
	scn_held_free(&r.held);
	scn_junit_suite_free(&r.junit);
	scn_nstrack_free(&r.ns);
	scn_mem_where(NULL, 0);
	return status;
}

int scn_run_file(const char *file, const struct scn_run_options *opts,
		 struct scn_run_result *result)
{
	const char *path = scn_input_name(file);
	char *data = NULL;
	size_t len = 0;
	struct scn_error err = { 0 };

	memset(result, 0, sizeof(*result));
	result->profile = scn_profile_name(0);
	scn_mem_where(path, 0);
	if (scn_read_file(file, opts->max_file_bytes,
			  &data, &len, &err) < 0) {
		file_error(path, opts, &err, data, len);
		scn_mem_where(NULL, 0);
		return 2;
	}
	int status = scn_run_data(path, data, len, opts, result);
	free(data);
	return status;
}

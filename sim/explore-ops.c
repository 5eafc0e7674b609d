/*
 * The operations procsim explore tries, and their scenario spelling: each
 * counterexample must read back as the statements that produced it.
 */
#include <contid.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore-ops.h"
#include "scn-operands.h"
#include "scn-suggest.h"

static const char *const kind_names[XOP_KINDS] = {
	[XOP_FORK] = "fork",
	[XOP_FORK_THREAD] = "fork-thread",
	[XOP_FORK_SIBLING] = "fork-sibling",
	[XOP_FORK_NEWUSER] = "fork-newuser",
	[XOP_FORK_NEWNET] = "fork-newnet",
	[XOP_EXIT] = "exit",
	[XOP_REAP] = "reap",
	[XOP_SUBREAPER] = "subreaper",
	[XOP_UNSHARE_USER] = "unshare-user",
	[XOP_UNSHARE_NET] = "unshare-net",
	[XOP_SETNS_USER] = "setns-user",
	[XOP_SETNS_NET] = "setns-net",
	[XOP_SETUID] = "setuid",
	[XOP_DROP_CAP] = "drop-cap",
	[XOP_SET_CONTID] = "set-contid",
	[XOP_SET_CAPCONTID] = "set-capcontid",
	[XOP_GET_CONTID] = "get-contid",
	[XOP_GET_CAPCONTID] = "get-capcontid",
	[XOP_EVENT] = "event",
	[XOP_PACKET] = "packet",
	[XOP_AUDITD] = "auditd",
	[XOP_SIGNAL] = "signal",
	[XOP_SIGNAL_INFO] = "signal-info",
};

const char *xop_kind_name(enum xop_kind kind)
{
	return kind < XOP_KINDS ? kind_names[kind] : NULL;
}

int xop_kind_from_name(const char *name, size_t len)
{
	for (int k = 0; k < XOP_KINDS; k++)
		if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0)
			return k;
	return -1;
}

/* Operations that act on one task, and those that need a second. */
static bool takes_other(enum xop_kind kind)
{
	switch (kind) {
	case XOP_SETNS_USER: case XOP_SETNS_NET:
	case XOP_SET_CONTID: case XOP_SET_CAPCONTID:
	case XOP_GET_CONTID: case XOP_GET_CAPCONTID:
	case XOP_SIGNAL:
		return true;
	default:
		return false;
	}
}

/* How many arguments of the bounds' lists @kind is tried with. */
static size_t arg_count(const struct xbounds *b, enum xop_kind kind)
{
	switch (kind) {
	case XOP_SETUID: return b->nuids;
	case XOP_DROP_CAP: return b->ncaps;
	case XOP_SET_CONTID: return b->nvalues;
	case XOP_SET_CAPCONTID: return b->ncapvalues;
	case XOP_SIGNAL: return b->nsignals;
	default: return 1;
	}
}

#define FEW_TASKS 64

size_t xop_candidates(const struct contid_world *w, const struct xbounds *b,
		      bool (*usable)(void *data, const struct contid_world *w,
				     pid_t pid),
		      void *usable_data, struct xop **out, size_t *cap)
{
	pid_t few[FEW_TASKS], *pids = few;
	size_t ntasks = contid_task_count(w), n = 0, count = 0, need = 0;

	if (ntasks > FEW_TASKS)
		pids = scn_calloc(ntasks, sizeof(*pids));
	pid_t pid = 0;
	while (n < ntasks && contid_task_next(w, pid, &pid) == 0)
		if (!usable || usable(usable_data, w, pid))
			pids[n++] = pid;

	/* Bounds that are no rule: the search does not try beyond them.
	 * How many operations each task gets, known before they are made,
	 * so that the array grows once. */
	bool fork_ok = ntasks < b->max_tasks;
	size_t per_task = 0;
	for (int k = 0; k < XOP_KINDS; k++)
		if (b->ops[k] && (fork_ok || !xop_is_fork(k)))
			per_task += arg_count(b, k) * (takes_other(k) ? n : 1);
	need = per_task * n;
	SCN_RESERVE(*out, *cap, need ? need : 1);

	struct xop *op = *out;
	for (size_t i = 0; i < n; i++) {
		unsigned level = 0;
		bool level_known = false, at_max = false;
		uint32_t a = (uint32_t)pids[i];
		for (int k = 0; k < XOP_KINDS; k++) {
			if (!b->ops[k] || (!fork_ok && xop_is_fork(k)))
				continue;
			if (k == XOP_FORK_NEWUSER || k == XOP_UNSHARE_USER) {
				if (!level_known) {
					level_known = true;
					at_max = contid_task_userns_level(w, pids[i], &level) == 0 &&
						 level >= b->max_level;
				}
				if (at_max)
					continue;
			}
			uint8_t nargs = (uint8_t)arg_count(b, k);
			if (!takes_other(k)) {
				for (uint8_t arg = 0; arg < nargs; arg++)
					*op++ = (struct xop){ (uint8_t)k, arg, a, 0 };
				continue;
			}
			for (size_t j = 0; j < n; j++)
				for (uint8_t arg = 0; arg < nargs; arg++)
					*op++ = (struct xop){ (uint8_t)k, arg, a,
							      (uint32_t)pids[j] };
		}
	}
	count = (size_t)(op - *out);
	if (pids != few)
		free(pids);
	return count;
}

static const unsigned fork_flags[] = {
	[XOP_FORK] = 0,
	[XOP_FORK_THREAD] = CONTID_CLONE_THREAD,
	[XOP_FORK_SIBLING] = CONTID_CLONE_PARENT,
	[XOP_FORK_NEWUSER] = CONTID_CLONE_NEWUSER,
	[XOP_FORK_NEWNET] = CONTID_CLONE_NEWNET,
};

bool xop_no_effect(const struct contid_world *w, const struct xbounds *b,
		   const struct xop *op)
{
	uint32_t uid;
	int has;

	switch ((enum xop_kind)op->kind) {
	case XOP_SETUID:
		return contid_task_uid(w, (pid_t)op->a, &uid) == 0 &&
		       uid == b->uids[op->arg];
	case XOP_DROP_CAP:
		return contid_task_has_cap(w, (pid_t)op->a, b->caps[op->arg], &has) == 0 &&
		       !has;
	default:
		return false;
	}
}

/* signal-info's reply, whose text goes into @reply when it is not NULL;
 * returns a hash of it (FNV-1a), the outcome's value. */
static uint64_t signal_info(struct contid_world *w, pid_t reader, int *r,
			    struct scn_str *reply)
{
	uint32_t uid;
	pid_t pid;
	char *chain = NULL, head[48];
	uint64_t h = UINT64_C(14695981039346656037);

	*r = contid_signal_info(w, reader, &uid, &pid, &chain);
	if (*r < 0)
		return 0;
	snprintf(head, sizeof(head), "uid=%" PRIu32 " pid=%d contid=", uid, (int)pid);
	for (const char *s = head; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	for (const char *s = chain; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	if (reply) {
		scn_str_append(reply, head);
		scn_str_append(reply, chain);
	}
	free(chain);
	return h;
}

static struct xoutcome apply(struct contid_world *w, const struct xbounds *b,
			     const struct xop *op, pid_t *child,
			     struct scn_str *reply)
{
	pid_t a = (pid_t)op->a, other = (pid_t)op->b;
	const struct xvalue *v;
	uint64_t value = 0;
	uint32_t cap32 = 0;
	int r;

	switch ((enum xop_kind)op->kind) {
	case XOP_FORK: case XOP_FORK_THREAD: case XOP_FORK_SIBLING:
	case XOP_FORK_NEWUSER: case XOP_FORK_NEWNET:
		r = contid_fork(w, a, fork_flags[op->kind], child);
		break;
	case XOP_EXIT: r = contid_exit(w, a); break;
	case XOP_REAP: r = contid_reap(w, a); break;
	case XOP_SUBREAPER: r = contid_set_subreaper(w, a); break;
	case XOP_UNSHARE_USER: r = contid_unshare(w, a, CONTID_NS_USER); break;
	case XOP_UNSHARE_NET: r = contid_unshare(w, a, CONTID_NS_NET); break;
	case XOP_SETNS_USER: r = contid_setns(w, a, CONTID_NS_USER, other); break;
	case XOP_SETNS_NET: r = contid_setns(w, a, CONTID_NS_NET, other); break;
	case XOP_SETUID: r = contid_setuid(w, a, b->uids[op->arg]); break;
	case XOP_DROP_CAP: r = contid_drop_cap(w, a, b->caps[op->arg]); break;
	case XOP_SET_CONTID:
		v = &b->values[op->arg];
		r = contid_write(w, a, other, v->buf, v->len);
		break;
	case XOP_SET_CAPCONTID:
		v = &b->capvalues[op->arg];
		r = contid_write_capcontid(w, a, other, v->buf, v->len);
		break;
	case XOP_GET_CONTID:
		r = contid_get(w, a, other, &value);
		break;
	case XOP_GET_CAPCONTID:
		r = contid_get_capcontid(w, a, other, &cap32);
		value = cap32;
		break;
	case XOP_EVENT: r = contid_event(w, a); break;
	case XOP_PACKET: r = contid_packet(w, a); break;
	case XOP_AUDITD: r = contid_set_auditd(w, a); break;
	case XOP_SIGNAL:
		r = contid_signal(w, a, other, b->signals[op->arg]);
		break;
	case XOP_SIGNAL_INFO:
		value = signal_info(w, a, &r, reply);
		break;
	default: r = -EINVAL; break;
	}
	/* procsim has no answer to memory running out but to stop */
	if (r == -ENOMEM)
		scn_out_of_memory();
	/* built at the end, not in memory the reads wrote through (a word
	 * loaded over a narrower store waits for it) */
	return (struct xoutcome){ r < 0 ? r : 0, r < 0 ? 0 : value };
}

struct xoutcome xop_apply(struct contid_world *w, const struct xbounds *b,
			  const struct xop *op, pid_t *child)
{
	return apply(w, b, op, child, NULL);
}

struct xoutcome xop_apply_reply(struct contid_world *w, const struct xbounds *b,
				const struct xop *op, pid_t *child,
				struct scn_str *reply)
{
	return apply(w, b, op, child, reply);
}

void xop_outcome_text(struct scn_str *s, enum xop_kind kind,
		      struct xoutcome outcome, const struct scn_str *reply)
{
	if (outcome.err) {
		const char *name = contid_errno_name(-outcome.err);
		if (name)
			scn_str_append(s, name);
		else
			scn_str_appendf(s, "errno%d", -outcome.err);
	} else if (kind == XOP_GET_CONTID && outcome.value == CONTID_UNSET) {
		scn_str_append(s, "unset");
	} else if (kind == XOP_GET_CONTID || kind == XOP_GET_CAPCONTID) {
		scn_str_appendf(s, "%" PRIu64, outcome.value);
	} else if (kind == XOP_SIGNAL_INFO && reply && reply->len) {
		scn_str_appendf(s, "\"%s\"", reply->str);
	} else {
		scn_str_append(s, "ok");
	}
}

bool xop_outcome_equal(enum xop_kind kind, struct xoutcome x, struct xoutcome y)
{
	if (x.err != y.err)
		return false;
	return x.err || (kind != XOP_GET_CONTID && kind != XOP_GET_CAPCONTID &&
			 kind != XOP_SIGNAL_INFO) ||
	       x.value == y.value;
}

void xop_text(struct scn_str *s, const struct xbounds *b, const struct xop *op,
	      const char *(*name)(void *data, pid_t pid), void *name_data,
	      const char *new_name)
{
	const char *a = name(name_data, (pid_t)op->a);
	const char *other = takes_other(op->kind) ? name(name_data, (pid_t)op->b)
						  : NULL;

	switch ((enum xop_kind)op->kind) {
	case XOP_FORK: case XOP_FORK_THREAD: case XOP_FORK_SIBLING:
	case XOP_FORK_NEWUSER: case XOP_FORK_NEWNET: {
		static const char *const flag[] = {
			"", " thread", " sibling", " newuser", " newnet",
		};
		scn_str_appendf(s, "fork %s from %s%s", new_name, a, flag[op->kind]);
		break;
	}
	case XOP_EXIT: scn_str_appendf(s, "exit %s", a); break;
	case XOP_REAP: scn_str_appendf(s, "reap %s", a); break;
	case XOP_SUBREAPER: scn_str_appendf(s, "subreaper %s", a); break;
	case XOP_UNSHARE_USER: scn_str_appendf(s, "unshare %s user", a); break;
	case XOP_UNSHARE_NET: scn_str_appendf(s, "unshare %s net", a); break;
	case XOP_SETNS_USER: scn_str_appendf(s, "setns %s user %s", a, other); break;
	case XOP_SETNS_NET: scn_str_appendf(s, "setns %s net %s", a, other); break;
	case XOP_SETUID:
		scn_str_appendf(s, "setuid %s %" PRIu32, a, b->uids[op->arg]);
		break;
	case XOP_DROP_CAP:
		scn_str_appendf(s, "drop-cap %s %s", a, scn_cap_name(b->caps[op->arg]));
		break;
	case XOP_SET_CONTID:
		scn_str_appendf(s, "set-contid %s %s %s", a, other,
				b->values[op->arg].text);
		break;
	case XOP_SET_CAPCONTID:
		scn_str_appendf(s, "set-capcontid %s %s %s", a, other,
				b->capvalues[op->arg].text);
		break;
	case XOP_GET_CONTID: scn_str_appendf(s, "get-contid %s %s", a, other); break;
	case XOP_GET_CAPCONTID:
		scn_str_appendf(s, "get-capcontid %s %s", a, other);
		break;
	case XOP_EVENT: scn_str_appendf(s, "event %s", a); break;
	case XOP_PACKET: scn_str_appendf(s, "packet %s", a); break;
	case XOP_AUDITD: scn_str_appendf(s, "auditd %s", a); break;
	case XOP_SIGNAL:
		scn_str_appendf(s, "signal %s %s %s", a, other,
				scn_signal_name(b->signals[op->arg]));
		break;
	case XOP_SIGNAL_INFO: scn_str_appendf(s, "signal-info %s", a); break;
	default: break;
	}
}

/* ---------------------------------------------------- command-line lists */

/* The next item of a comma list at *@p: its start and length; quoted
 * items may hold commas. */
static bool next_item(const char **p, const char **item, size_t *len)
{
	const char *s = *p;

	if (!*s)
		return false;
	const char *e = s;
	if (*e == '"') {
		for (e++; *e && *e != '"'; e++)
			if (*e == '\\' && e[1])
				e++;
		if (*e == '"')
			e++;
	}
	while (*e && *e != ',')
		e++;
	*item = s;
	*len = (size_t)(e - s);
	*p = *e ? e + 1 : e;
	return true;
}

int xop_parse_ops(const char *list, bool ops[XOP_KINDS], char **msg)
{
	const char *p = list, *item;
	size_t len;

	memset(ops, 0, XOP_KINDS * sizeof(ops[0]));
	while (next_item(&p, &item, &len)) {
		int k = xop_kind_from_name(item, len);
		if (k >= 0) {
			ops[k] = true;
			continue;
		}
		/* a verb of the language stands for all its forms */
		if (len == 7 && memcmp(item, "unshare", 7) == 0) {
			ops[XOP_UNSHARE_USER] = ops[XOP_UNSHARE_NET] = true;
			continue;
		}
		if (len == 5 && memcmp(item, "setns", 5) == 0) {
			ops[XOP_SETNS_USER] = ops[XOP_SETNS_NET] = true;
			continue;
		}
		char *word = scn_strndup(item, len);
		struct scn_suggest sg;
		scn_suggest_begin(&sg, word);
		for (int i = 0; i < XOP_KINDS; i++)
			scn_suggest_add(&sg, kind_names[i]);
		scn_suggest_add(&sg, "unshare");
		scn_suggest_add(&sg, "setns");
		const char *hint = scn_suggest_end(&sg);
		*msg = scn_asprintf("unknown operation '%s' in --ops%s%s%s", word,
				    hint ? "; did you mean '" : "", hint ? hint : "",
				    hint ? "'?" : "");
		free(word);
		return -1;
	}
	for (int k = 0; k < XOP_KINDS; k++)
		if (ops[k])
			return 0;
	*msg = scn_strdup("--ops names no operation");
	return -1;
}

/* A quoted item, "...", with the scenario language's escapes. */
static int parse_quoted(const char *item, size_t len, struct xvalue *v,
			char **msg)
{
	struct scn_str *buf = scn_str_new(), *text = scn_str_new();

	if (len < 2 || item[len - 1] != '"')
		goto bad;
	for (size_t i = 1; i + 1 < len; i++) {
		char c = item[i];
		if (c == '\\') {
			if (i + 2 >= len)
				goto bad;
			char e = item[++i];
			if (e == 'n')
				c = '\n';
			else if (e == 't')
				c = '\t';
			else if (e == '\\' || e == '"')
				c = e;
			else if (e == 'x' && i + 3 < len && scn_ascii_hex(item[i + 1]) >= 0 &&
				 scn_ascii_hex(item[i + 2]) >= 0) {
				c = (char)(scn_ascii_hex(item[i + 1]) * 16 + scn_ascii_hex(item[i + 2]));
				i += 2;
			} else
				goto bad;
		} else if (c == '"' || (unsigned char)c < 0x20 || c == 0x7f) {
			goto bad;
		}
		scn_str_putc(buf, c);
	}
	/* written back in one canonical spelling */
	scn_str_putc(text, '"');
	for (size_t i = 0; i < buf->len; i++) {
		unsigned char c = (unsigned char)buf->str[i];
		if (c == '\n')
			scn_str_append(text, "\\n");
		else if (c == '\t')
			scn_str_append(text, "\\t");
		else if (c == '"' || c == '\\')
			scn_str_appendf(text, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			scn_str_appendf(text, "\\x%02x", c);
		else
			scn_str_putc(text, (char)c);
	}
	scn_str_putc(text, '"');
	v->len = buf->len;
	v->buf = scn_str_steal(buf);
	v->text = scn_str_steal(text);
	return 0;
bad:
	*msg = scn_asprintf("bad quoted value %.*s (escapes: \\n \\t \\\\ \\\" \\xHH)",
			    (int)len, item);
	scn_str_free(buf);
	scn_str_free(text);
	return -1;
}

int xop_parse_values(const char *list, uint64_t max, struct xvalue **values,
		     size_t *n, char **msg)
{
	const char *p = list, *item;
	size_t len, count = 0, cap = 0;
	struct xvalue *out = NULL;

	while (next_item(&p, &item, &len)) {
		struct xvalue v = { 0 };
		if (len && item[0] == '"') {
			if (parse_quoted(item, len, &v, msg) < 0)
				goto fail;
		} else if (len == 5 && memcmp(item, "unset", 5) == 0 &&
			   max == UINT64_MAX) {
			v.buf = scn_strdup("18446744073709551615");
			v.len = strlen(v.buf);
			v.text = scn_strdup("unset");
		} else {
			uint64_t x = 0;
			size_t i;
			for (i = 0; i < len && item[i] >= '0' && item[i] <= '9'; i++) {
				unsigned d = (unsigned)(item[i] - '0');
				if (x > (max - d) / 10)
					break;
				x = x * 10 + d;
			}
			if (len == 0 || i != len) {
				*msg = scn_asprintf("bad value '%.*s' (a number up to %" PRIu64
						    "%s, or a quoted buffer)", (int)len, item,
						    max, max == UINT64_MAX ? ", unset" : "");
				goto fail;
			}
			v.buf = scn_strndup(item, len);
			v.len = len;
			v.text = scn_strndup(item, len);
		}
		if (count >= 255) {
			free(v.buf);
			free(v.text);
			*msg = scn_strdup("more than 255 values in one list");
			goto fail;
		}
		SCN_RESERVE(out, cap, count + 1);
		out[count++] = v;
	}
	if (!count) {
		*msg = scn_strdup("empty list of values");
		goto fail;
	}
	*values = out;
	*n = count;
	return 0;
fail:
	xop_free_values(out, count);
	return -1;
}

int xop_parse_uids(const char *list, uint32_t **uids, size_t *n, char **msg)
{
	const char *p = list, *item;
	size_t len, count = 0, cap = 0;
	uint32_t *out = NULL;

	while (next_item(&p, &item, &len)) {
		uint64_t x = 0;
		size_t i;
		for (i = 0; i < len && item[i] >= '0' && item[i] <= '9' &&
			    x <= UINT32_MAX; i++)
			x = x * 10 + (uint64_t)(item[i] - '0');
		if (len == 0 || i != len || x > UINT32_MAX) {
			*msg = scn_asprintf("bad uid '%.*s' (0 to 4294967295)", (int)len, item);
			free(out);
			return -1;
		}
		if (count >= 255) {
			*msg = scn_strdup("more than 255 uids in one list");
			free(out);
			return -1;
		}
		SCN_RESERVE(out, cap, count + 1);
		out[count++] = (uint32_t)x;
	}
	if (!count) {
		*msg = scn_strdup("empty list of uids");
		return -1;
	}
	*uids = out;
	*n = count;
	return 0;
}

/* A list of names of @what (one) or @whats (several), each looked up as
 * @lookup says (-1: unknown, with a did-you-mean from @suggest, and
 * @known, when not NULL, listing the names). */
static int parse_names(const char *list, int (*lookup)(const char *),
		       const char *(*suggest)(const char *), const char *what,
		       const char *whats, const char *known, int **values,
		       size_t *n, char **msg)
{
	const char *p = list, *item;
	size_t len, count = 0, cap = 0;
	int *out = NULL;

	while (next_item(&p, &item, &len)) {
		char *word = scn_strndup(item, len);
		int v = lookup(word);
		if (v < 0) {
			const char *hint = suggest(word);
			*msg = scn_asprintf("unknown %s '%s'%s%s%s%s%s", what, word,
					    known ? " " : "", known ? known : "",
					    hint ? "; did you mean '" : "",
					    hint ? hint : "", hint ? "'?" : "");
			free(word);
			free(out);
			return -1;
		}
		free(word);
		if (count >= 255) {
			*msg = scn_asprintf("more than 255 %s in one list", whats);
			free(out);
			return -1;
		}
		SCN_RESERVE(out, cap, count + 1);
		out[count++] = v;
	}
	if (!count) {
		*msg = scn_asprintf("empty list of %s", whats);
		return -1;
	}
	*values = out;
	*n = count;
	return 0;
}

int xop_parse_caps(const char *list, int **caps, size_t *n, char **msg)
{
	return parse_names(list, scn_cap_lookup, scn_cap_suggest, "capability",
			   "capabilities", NULL, caps, n, msg);
}

int xop_parse_signals(const char *list, int **signals, size_t *n, char **msg)
{
	return parse_names(list, scn_signal_lookup, scn_signal_suggest, "signal",
			   "signals", "(hup, int, kill, usr1, usr2 or term)",
			   signals, n, msg);
}

void xop_free_values(struct xvalue *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(values[i].buf);
		free(values[i].text);
	}
	free(values);
}

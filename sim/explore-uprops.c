/*
 * Properties of the user's own (explore-uprops.h; docs/explore.md,
 * "Properties of your own").  A property is a disjunction of scenario
 * checks under `forall` quantifiers.  The file is read with the scenario
 * lexer and the parser's helpers for words, numbers and errors, so that
 * its words, quoted strings, numbers and messages are those of scenarios.
 */
#include <contid.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explore-uprops.h"
#include "scn-suggest.h"
#include "scn-syntax.h"

/* Limits, documented in docs/explore.md. */
#define XU_MAX_VARS 8
#define XU_MAX_ATOMS 64
#define XU_MAX_PROPS 1000
#define XU_MAX_PROP_NAME 64

/* Domains up to this size live on the stack of xuprops_eval(). */
#define XU_STACK_DOMAIN 64

enum xu_check {
	XU_CONTID,
	XU_CHAIN,
	XU_OWNER,
	XU_FREE,
	XU_PARENT,
	XU_USERS,
	XU_CAPCONTID,
	XU_LEVEL,
	XU_PPID,
	XU_PID,
	XU_CHECKS
};

/* In enum order, as the "unknown check" message lists them. */
static const char *const check_words[XU_CHECKS] = {
	"contid", "chain", "owner", "free", "parent", "users", "capcontid",
	"level", "ppid", "pid",
};

enum xu_operand_kind {
	XO_NONE,
	XO_NUMBER,         /* a value given as a number (or unset, none) */
	XO_VAR,            /* a task or value variable */
	XO_START,          /* a task of the start world, by name */
	XO_OWNER_NONE,     /* check owner VALUE none */
	XO_OWNER_GONE,     /* check owner VALUE gone */
};

struct xu_operand {
	uint8_t kind;
	uint8_t var;       /* XO_VAR: the variable's index */
	uint32_t start;    /* XO_START: the index in xuprops.starts */
	uint64_t number;   /* XO_NUMBER */
};

struct xu_atom {
	uint8_t check;
	bool negated;
	struct xu_operand a, b;  /* the operands in the order written */
	uint64_t n;              /* count, number or pid last on the line */
	char *chain;             /* check chain: the expected text */
	size_t chain_len;
	char *text;              /* the atom as written, blanks collapsed */
};

struct xu_var {
	char *name;
	bool is_task;
};

struct xu_prop {
	char *name;
	unsigned line;
	struct xu_var vars[XU_MAX_VARS];
	size_t nvars;
	struct xu_atom *atoms;
	size_t natoms, atoms_cap;
};

/* A start-world task an atom names: found by name at load time, present
 * in a state while its pid holds the same identity. */
struct xu_start {
	char *name;
	pid_t pid;
	uint64_t identity;
};

struct xuprops {
	struct xu_prop *props;
	size_t nprops, props_cap;
	struct xu_start *starts;
	size_t nstarts, starts_cap;
	uint64_t *values;        /* the --values, in their order */
	uint64_t *sorted_values; /* the same, sorted: is a live value one? */
	size_t nvalues;
};

/* ------------------------------------------------------------ loading */

struct loader {
	struct scn_parser p;
	struct scn_stmt stmt;
	struct xuprops *x;
	xuprops_lookup_fn lookup;
	void *lookup_data;
	/* the property that following lines may continue, or NULL */
	struct xu_prop *cur;
	/* its last line ended in ':' or 'or': an atom must come next; where
	 * the "missing" error goes if the file ends instead */
	bool awaiting;
	unsigned awaiting_line, awaiting_column;
	/* the header's words, split at ',' and ':' (see next_piece()) */
	size_t off;
};

/* A word of a property's header: tokens are split at ',' and ':', so that
 * `t,u:` reads as `t , u :`.  The atoms after the colon are read as
 * scenario words, whole. */
struct piece {
	const char *text;        /* not NUL-terminated */
	size_t len;
	unsigned column;
	bool quoted;
};

static bool next_piece(struct loader *l, struct piece *pc)
{
	struct scn_parser *p = &l->p;

	if (p->cur >= p->lx.ntokens)
		return false;
	const struct scn_token *t = &p->lx.tokens[p->cur];
	if (t->quoted) {
		pc->text = t->text;
		pc->len = t->len;
		pc->column = t->column;
		pc->quoted = true;
		p->cur++;
		l->off = 0;
		return true;
	}
	const char *s = t->text + l->off;
	pc->text = s;
	pc->len = *s == ',' || *s == ':' ? 1 : strcspn(s, ",:");
	pc->column = t->column + (unsigned)l->off;
	pc->quoted = false;
	l->off += pc->len;
	if (l->off == t->len) {
		p->cur++;
		l->off = 0;
	}
	return true;
}

static bool piece_is(const struct piece *pc, const char *word)
{
	size_t len = strlen(word);
	return !pc->quoted && pc->len == len && memcmp(pc->text, word, len) == 0;
}

/* A piece as a NUL-terminated string, in @buf (it must fit). */
static const char *piece_str(const struct piece *pc, char *buf, size_t size)
{
	size_t n = pc->len < size - 1 ? pc->len : size - 1;
	memcpy(buf, pc->text, n);
	buf[n] = '\0';
	return buf;
}

static const char *suggest_from(const char *word, const char *const *list,
				size_t n)
{
	struct scn_suggest s;

	scn_suggest_begin(&s, word);
	for (size_t i = 0; i < n; i++)
		scn_suggest_add(&s, list[i]);
	return scn_suggest_end(&s);
}

/* The piece's text for a message: pieces are not NUL-terminated. */
static int fail_piece(struct loader *l, const struct piece *pc,
		      const char *fmt_before, const char *fmt_after)
{
	return scn_fail(&l->p, pc->column, "%s'%.*s'%s", fmt_before,
			(int)pc->len, pc->text, fmt_after);
}

static bool valid_prop_name(const char *s, size_t len)
{
	if (len == 0 || len > XU_MAX_PROP_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(scn_ascii_isalnum(s[i]) || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static const char *const builtin_names[] = {
	"P-PRIV", "P-CONTAIN", "P-OWNER", "P-FREE", "P-INVARIANTS",
};

static int parse_prop_name(struct loader *l, struct xu_prop *prop)
{
	struct scn_parser *p = &l->p;
	struct piece pc;
	char name[XU_MAX_PROP_NAME + 1];

	if (!next_piece(l, &pc))
		return scn_fail(p, scn_end_column(p), "missing property name");
	if (pc.quoted || !valid_prop_name(pc.text, pc.len))
		return fail_piece(l, &pc, "", " is not a property name "
				  "(letters, digits, '-' and '_')");
	piece_str(&pc, name, sizeof(name));
	/* names pick properties in any case, as the built-ins' do */
	for (size_t i = 0; i < SCN_N_ELEMENTS(builtin_names); i++)
		if (strcasecmp(name, builtin_names[i]) == 0)
			return scn_fail(p, pc.column,
					"'%s' is the name of a built-in property "
					"(P-PRIV, P-CONTAIN, P-OWNER, P-FREE, "
					"P-INVARIANTS)", name);
	for (size_t i = 0; i < l->x->nprops; i++)
		if (strcasecmp(name, l->x->props[i].name) == 0)
			return scn_fail(p, pc.column,
					"property '%s' is already defined on line %u",
					name, l->x->props[i].line);
	prop->name = scn_strdup(name);
	return 0;
}

static int find_var(const struct xu_prop *prop, const char *name, size_t len)
{
	for (size_t i = 0; i < prop->nvars; i++)
		if (strlen(prop->vars[i].name) == len &&
		    memcmp(prop->vars[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int declare_var(struct loader *l, struct xu_prop *prop,
		       const struct piece *pc, bool is_task)
{
	struct scn_parser *p = &l->p;
	char name[SCN_MAX_NAME_BYTES + 1];
	pid_t pid;
	uint64_t identity;

	if (pc->quoted || !scn_valid_name(pc->text, pc->len))
		return fail_piece(l, pc, "", " is not a variable name");
	piece_str(pc, name, sizeof(name));
	/* the words that stand for no task or value where operands go */
	if (!strcmp(name, "unset") || !strcmp(name, "none") || !strcmp(name, "gone"))
		return scn_fail(p, pc->column,
				"'%s' is a keyword, not a variable name", name);
	if (find_var(prop, pc->text, pc->len) >= 0)
		return scn_fail(p, pc->column, "variable '%s' declared twice",
				name);
	if (l->lookup(l->lookup_data, name, &pid, &identity))
		return scn_fail(p, pc->column, "variable '%s' shadows a task "
				"of the start world", name);
	if (prop->nvars == XU_MAX_VARS)
		return scn_fail(p, pc->column, "more than %d variables",
				XU_MAX_VARS);
	prop->vars[prop->nvars].name = scn_strdup(name);
	prop->vars[prop->nvars].is_task = is_task;
	prop->nvars++;
	return 0;
}

/* `forall task|value NAME[, NAME]...`, after the `forall`. */
static int parse_forall(struct loader *l, struct xu_prop *prop)
{
	struct scn_parser *p = &l->p;
	struct piece pc;
	char word[SCN_MAX_NAME_BYTES + 1];

	if (!next_piece(l, &pc))
		return scn_fail(p, scn_end_column(p), "missing 'task' or 'value'");
	bool is_task = piece_is(&pc, "task");
	if (!is_task && !piece_is(&pc, "value")) {
		static const char *const kinds[] = { "task", "value" };
		fail_piece(l, &pc, "expected 'task' or 'value' after 'forall', "
			   "got ", "");
		piece_str(&pc, word, sizeof(word));
		return scn_fail_hint(p, suggest_from(word, kinds,
						     SCN_N_ELEMENTS(kinds)));
	}
	for (;;) {
		if (!next_piece(l, &pc))
			return scn_fail(p, scn_end_column(p),
					"missing variable name");
		if (piece_is(&pc, ",") || piece_is(&pc, ":"))
			return fail_piece(l, &pc, "expected a variable name, got ",
					  "");
		if (declare_var(l, prop, &pc, is_task) < 0)
			return -1;
		/* a comma continues the list; anything else is for the caller */
		size_t cur = p->cur, off = l->off;
		if (!next_piece(l, &pc))
			return 0;
		if (!piece_is(&pc, ",")) {
			p->cur = cur;
			l->off = off;
			return 0;
		}
	}
}

/* The header up to and including the ':'; the atoms start at p->cur. */
static int parse_header(struct loader *l, struct xu_prop *prop)
{
	struct scn_parser *p = &l->p;
	struct piece pc;
	bool after_vars = false;
	char word[SCN_MAX_NAME_BYTES + 1];

	l->off = 0;
	if (parse_prop_name(l, prop) < 0)
		return -1;
	for (;;) {
		if (!next_piece(l, &pc))
			return scn_fail(p, scn_end_column(p), "missing ':'");
		if (piece_is(&pc, ":"))
			break;
		if (piece_is(&pc, "forall")) {
			if (parse_forall(l, prop) < 0)
				return -1;
			after_vars = true;
			continue;
		}
		if (piece_is(&pc, "check") || piece_is(&pc, "not"))
			return fail_piece(l, &pc, "missing ':' before ", "");
		static const char *const words[] = { "forall" };
		fail_piece(l, &pc, after_vars
				   ? "expected ',', 'forall' or ':', got "
				   : "expected 'forall' or ':', got ", "");
		piece_str(&pc, word, sizeof(word));
		return scn_fail_hint(p, suggest_from(word, words,
						     SCN_N_ELEMENTS(words)));
	}
	/* `:check`: the rest of the word is the first atom's */
	if (l->off) {
		struct scn_token *t = &p->lx.tokens[p->cur];
		t->text += l->off;
		t->len -= l->off;
		t->column += (unsigned)l->off;
		l->off = 0;
	}
	return 0;
}

static uint32_t add_start(struct loader *l, const char *name, pid_t pid,
			  uint64_t identity)
{
	struct xuprops *x = l->x;

	for (size_t i = 0; i < x->nstarts; i++)
		if (strcmp(x->starts[i].name, name) == 0)
			return (uint32_t)i;
	SCN_RESERVE(x->starts, x->starts_cap, x->nstarts + 1);
	x->starts[x->nstarts].name = scn_strdup(name);
	x->starts[x->nstarts].pid = pid;
	x->starts[x->nstarts].identity = identity;
	return (uint32_t)x->nstarts++;
}

/*
 * "Did you mean" for a task name: the closest task variable, else a start
 * name.  The start world's names are known only by lookup, so the names
 * one edit away from @word are looked up (some 130 per byte of @word).
 */
static const char *suggest_task(struct loader *l, const struct xu_prop *prop,
				const char *word,
				char found[][SCN_MAX_NAME_BYTES + 1],
				size_t max_found)
{
	static const char alphabet[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
	size_t n = strlen(word), nfound = 0;
	char cand[SCN_MAX_NAME_BYTES + 2];
	struct scn_suggest s;
	pid_t pid;
	uint64_t identity;

	scn_suggest_begin(&s, word);
	for (size_t i = 0; i < prop->nvars; i++)
		if (prop->vars[i].is_task)
			scn_suggest_add(&s, prop->vars[i].name);
	/* transpositions, deletions, substitutions, insertions */
	for (int kind = 0; kind < 4 && nfound < max_found; kind++) {
		size_t positions = kind == 3 ? n + 1 : n;
		size_t choices = kind < 2 ? 1 : sizeof(alphabet) - 1;
		for (size_t i = 0; i < positions && nfound < max_found; i++) {
			for (size_t c = 0; c < choices && nfound < max_found; c++) {
				size_t m = n;
				memcpy(cand, word, n);
				if (kind == 0) {
					if (i + 1 >= n || word[i] == word[i + 1])
						break;
					cand[i] = word[i + 1];
					cand[i + 1] = word[i];
				} else if (kind == 1) {
					memmove(cand + i, word + i + 1, n - i - 1);
					m = n - 1;
				} else if (kind == 2) {
					if (alphabet[c] == word[i])
						continue;
					cand[i] = alphabet[c];
				} else {
					memmove(cand + i + 1, word + i, n - i);
					cand[i] = alphabet[c];
					m = n + 1;
				}
				cand[m] = '\0';
				if (!scn_valid_name(cand, m) ||
				    !l->lookup(l->lookup_data, cand, &pid,
					       &identity))
					continue;
				memcpy(found[nfound], cand, m + 1);
				scn_suggest_add(&s, found[nfound++]);
			}
		}
	}
	return scn_suggest_end(&s);
}

static int fail_unknown_task(struct loader *l, const struct xu_prop *prop,
			     const struct scn_token *t)
{
	char found[8][SCN_MAX_NAME_BYTES + 1];

	scn_fail(&l->p, t->column, "unknown task '%s'", t->text);
	return scn_fail_hint(&l->p, suggest_task(l, prop, t->text, found,
						 SCN_N_ELEMENTS(found)));
}

/* A task operand: a task variable, or a task of the start world. */
static int parse_task(struct loader *l, const struct xu_prop *prop,
		      const char *what, struct xu_operand *o)
{
	struct scn_parser *p = &l->p;
	const struct scn_token *t = scn_take(p, what);
	pid_t pid;
	uint64_t identity;

	if (!t || scn_check_name_syntax(p, t) < 0)
		return -1;
	int v = find_var(prop, t->text, t->len);
	if (v >= 0) {
		if (!prop->vars[v].is_task)
			return scn_fail(p, t->column,
					"'%s' is a value variable, not a task",
					t->text);
		o->kind = XO_VAR;
		o->var = (uint8_t)v;
		return 0;
	}
	if (!l->lookup(l->lookup_data, t->text, &pid, &identity))
		return fail_unknown_task(l, prop, t);
	o->kind = XO_START;
	o->start = add_start(l, t->text, pid, identity);
	return 0;
}

/* A value operand: a number, a value variable, or @keyword (unset, none)
 * standing for CONTID_UNSET. */
static int parse_value(struct loader *l, const struct xu_prop *prop,
		       const char *keyword, struct xu_operand *o)
{
	struct scn_parser *p = &l->p;
	const struct scn_token *t = scn_take(p, "value");
	pid_t pid;
	uint64_t identity;

	if (!t)
		return -1;
	if (keyword && scn_is_word(t, keyword)) {
		o->kind = XO_NUMBER;
		o->number = CONTID_UNSET;
		return 0;
	}
	if (!t->quoted && scn_valid_name(t->text, t->len)) {
		int v = find_var(prop, t->text, t->len);
		if (v >= 0 && prop->vars[v].is_task)
			return scn_fail(p, t->column,
					"'%s' is a task variable, not a value",
					t->text);
		if (v >= 0) {
			o->kind = XO_VAR;
			o->var = (uint8_t)v;
			return 0;
		}
		if (l->lookup(l->lookup_data, t->text, &pid, &identity))
			return scn_fail(p, t->column,
					"'%s' is a task, not a value", t->text);
		struct scn_suggest s;
		scn_suggest_begin(&s, t->text);
		for (size_t i = 0; i < prop->nvars; i++)
			if (!prop->vars[i].is_task)
				scn_suggest_add(&s, prop->vars[i].name);
		if (keyword)
			scn_suggest_add(&s, keyword);
		scn_fail(p, t->column, "unknown value variable '%s'", t->text);
		return scn_fail_hint(p, scn_suggest_end(&s));
	}
	o->kind = XO_NUMBER;
	return scn_parse_number(p, t, UINT64_MAX, "a number", &o->number);
}

static int parse_number(struct loader *l, const char *what, uint64_t max,
			const char *kind, uint64_t *out)
{
	const struct scn_token *t = scn_take(&l->p, what);
	return t ? scn_parse_number(&l->p, t, max, kind, out) : -1;
}

/* The operands of `check WHAT`, with the scenario parser's words. */
static int parse_operands(struct loader *l, const struct xu_prop *prop,
			  struct xu_atom *a)
{
	struct scn_parser *p = &l->p;
	const struct scn_token *t;

	switch (a->check) {
	case XU_CONTID:
		if (parse_task(l, prop, "task", &a->a) < 0)
			return -1;
		return parse_value(l, prop, "unset", &a->b);
	case XU_CHAIN:
		if (parse_task(l, prop, "task", &a->a) < 0 ||
		    !(t = scn_take(p, "chain")))
			return -1;
		if (t->quoted && !t->whole_quoted)
			return scn_fail(p, t->column,
					"a chain is one quoted string");
		a->chain = scn_strndup(t->text, t->len);
		a->chain_len = t->len;
		return 0;
	case XU_OWNER:
		if (parse_value(l, prop, NULL, &a->a) < 0)
			return -1;
		/* `none` and `gone` are keywords here, never task names */
		t = scn_peek(p);
		if (t && (scn_is_word(t, "none") || scn_is_word(t, "gone"))) {
			p->cur++;
			a->b.kind = scn_is_word(t, "none") ? XO_OWNER_NONE
							   : XO_OWNER_GONE;
			return 0;
		}
		return parse_task(l, prop, "owner task", &a->b);
	case XU_FREE:
		return parse_value(l, prop, NULL, &a->a);
	case XU_PARENT:
		if (parse_value(l, prop, NULL, &a->a) < 0)
			return -1;
		return parse_value(l, prop, "none", &a->b);
	case XU_USERS:
		if (parse_value(l, prop, NULL, &a->a) < 0)
			return -1;
		return parse_number(l, "count", UINT32_MAX, "a count", &a->n);
	case XU_CAPCONTID:
	case XU_LEVEL:
		if (parse_task(l, prop, "task", &a->a) < 0)
			return -1;
		return parse_number(l, "number", UINT32_MAX, "a number", &a->n);
	case XU_PPID:
		if (parse_task(l, prop, "task", &a->a) < 0)
			return -1;
		return parse_task(l, prop, "parent task", &a->b);
	case XU_PID:
		if (parse_task(l, prop, "task", &a->a) < 0)
			return -1;
		/* Linux's PID_MAX_LIMIT, as in scenarios */
		return parse_number(l, "pid", CONTID_PID_MAX_LIMIT, "a pid", &a->n);
	default:
		return -1;
	}
}

/* The line from byte @from to @to with each run of blanks outside quotes
 * made one space: how a failure quotes the atom. */
static char *collapse(const char *line, size_t from, size_t to)
{
	char *out = scn_malloc(to - from + 1);
	size_t n = 0;
	bool in_quote = false;

	for (size_t i = from; i < to; i++) {
		char c = line[i];
		if (in_quote) {
			if (c == '\\' && i + 1 < to) {
				out[n++] = c;
				c = line[++i];
			} else if (c == '"') {
				in_quote = false;
			}
		} else if (c == '"') {
			in_quote = true;
		} else if (c == ' ' || c == '\t') {
			if (n && out[n - 1] == ' ')
				continue;
			c = ' ';
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

static void atom_free(struct xu_atom *a)
{
	free(a->chain);
	free(a->text);
}

/* `[not] check WHAT OPERANDS`, added to @prop. */
static int parse_atom(struct loader *l, struct xu_prop *prop)
{
	static const char *const starts[] = { "check", "not" };
	struct scn_parser *p = &l->p;
	const struct scn_token *first = scn_take(p, "'check'"), *t = first;
	struct xu_atom a = { 0 };

	if (!t)
		return -1;
	if (scn_is_word(t, "not")) {
		a.negated = true;
		if (!(t = scn_take(p, "'check'")))
			return -1;
		if (!scn_is_word(t, "check")) {
			scn_fail(p, t->column, "expected 'check', got '%s'",
				 t->text);
			return scn_fail_hint(p, suggest_from(t->text, starts, 1));
		}
	} else if (!scn_is_word(t, "check")) {
		scn_fail(p, t->column, "expected 'check' or 'not', got '%s'",
			 t->text);
		return scn_fail_hint(p, suggest_from(t->text, starts,
						     SCN_N_ELEMENTS(starts)));
	}
	if (prop->natoms == XU_MAX_ATOMS)
		return scn_fail(p, first->column,
				"more than %d atoms in a property", XU_MAX_ATOMS);
	const struct scn_token *what = scn_take(p, "what to check");
	if (!what)
		return -1;
	if (scn_is_word(what, "record") || scn_is_word(what, "no-record"))
		return scn_fail(p, what->column, "'check %s' is not in "
				"properties: explore keeps no records", what->text);
	a.check = XU_CHECKS;
	for (unsigned i = 0; i < XU_CHECKS; i++)
		if (scn_is_word(what, check_words[i]))
			a.check = (uint8_t)i;
	if (a.check == XU_CHECKS) {
		scn_fail(p, what->column, "unknown check '%s' (contid, chain, "
			 "owner, free, parent, users, capcontid, level, ppid, "
			 "pid)", what->text);
		return scn_fail_hint(p, suggest_from(what->text, check_words,
						     XU_CHECKS));
	}
	if (parse_operands(l, prop, &a) < 0) {
		atom_free(&a);
		return -1;
	}
	const struct scn_token *last = &p->lx.tokens[p->cur - 1];
	a.text = collapse(l->stmt.text, first->column - 1, scn_token_end(p, last));
	SCN_RESERVE(prop->atoms, prop->atoms_cap, prop->natoms + 1);
	prop->atoms[prop->natoms++] = a;
	return 0;
}

/* Atoms joined by `or`, from p->cur to the end of the line; a line that
 * ends in `or` leaves the next atom to the next line. */
static int parse_atoms(struct loader *l)
{
	struct scn_parser *p = &l->p;

	for (;;) {
		if (parse_atom(l, l->cur) < 0)
			return -1;
		const struct scn_token *t = scn_peek(p);
		if (!t)
			return 0;
		if (!scn_is_word(t, "or"))
			return scn_fail(p, t->column, "unexpected '%s'", t->text);
		p->cur++;
		if (!scn_peek(p)) {
			l->awaiting = true;
			l->awaiting_line = p->line;
			l->awaiting_column = scn_end_column(p);
			return 0;
		}
	}
}

static void prop_free(struct xu_prop *prop)
{
	free(prop->name);
	for (size_t i = 0; i < prop->nvars; i++)
		free(prop->vars[i].name);
	for (size_t i = 0; i < prop->natoms; i++)
		atom_free(&prop->atoms[i]);
	free(prop->atoms);
}

static int parse_property(struct loader *l, const struct scn_token *keyword)
{
	struct scn_parser *p = &l->p;
	struct xuprops *x = l->x;
	struct xu_prop prop = { 0 };

	if (x->nprops == XU_MAX_PROPS)
		return scn_fail(p, keyword->column, "more than %d properties",
				XU_MAX_PROPS);
	prop.line = p->line;
	if (parse_header(l, &prop) < 0) {
		prop_free(&prop);
		return -1;
	}
	SCN_RESERVE(x->props, x->props_cap, x->nprops + 1);
	x->props[x->nprops] = prop;
	l->cur = &x->props[x->nprops++];
	if (!scn_peek(p)) {
		l->awaiting = true;
		l->awaiting_line = p->line;
		l->awaiting_column = scn_end_column(p);
		return 0;
	}
	return parse_atoms(l);
}

static int parse_line(struct loader *l)
{
	static const char *const keywords[] = { "property", "or", "check", "not" };
	struct scn_parser *p = &l->p;
	const struct scn_token *t = scn_take(p, "keyword");

	if (!t)
		return -1; /* cannot happen: blank lines are skipped */
	bool is_atom = scn_is_word(t, "check") || scn_is_word(t, "not");
	if (l->awaiting) {
		/* the line before ended in ':' or 'or' */
		if (!is_atom) {
			scn_fail(p, t->column,
				 "expected 'check' or 'not', got '%s'", t->text);
			return scn_fail_hint(p, suggest_from(t->text,
							     keywords + 2, 2));
		}
		l->awaiting = false;
		p->cur = 0;
		return parse_atoms(l);
	}
	if (scn_is_word(t, "property"))
		return parse_property(l, t);
	if (scn_is_word(t, "or") || is_atom) {
		if (!l->cur)
			return scn_fail(p, t->column, "'%s' outside a property",
					t->text);
		if (is_atom)
			return scn_fail(p, t->column, "missing 'or' before '%s'",
					t->text);
		return parse_atoms(l);
	}
	scn_fail(p, t->column, "unknown keyword '%s'", t->text);
	return scn_fail_hint(p, suggest_from(t->text, keywords,
					     SCN_N_ELEMENTS(keywords)));
}

/* Line by line, as scn_next() reads scenarios. */
static int parse_file(struct loader *l)
{
	struct scn_parser *p = &l->p;
	unsigned statements = 0;

	const char *line;
	size_t len;
	int got;

	while ((got = scn_next_line(p, &line, &len)) > 0) {
		l->stmt.line = p->line;
		l->stmt.text = line;
		l->stmt.text_len = len;
		p->cur = 0;
		if (parse_line(l) < 0)
			return -1;
		statements++;
	}
	if (got < 0)
		return -1;
	if (l->awaiting) {
		scn_error_set(&p->error, l->awaiting_line, l->awaiting_column,
			      "missing 'check'");
		return -1;
	}
	if (statements == 0) {
		scn_error_set(&p->error, p->line ? p->line : 1, 1, "%s",
			      p->len ? "no property in the file" : "empty file");
		return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int xuprops_load(const char *data, size_t len, xuprops_lookup_fn lookup,
		 void *lookup_data, const uint64_t *values, size_t nvalues,
		 struct xuprops **out, struct scn_error *err)
{
	struct loader *l = scn_calloc(1, sizeof(*l));
	struct scn_parser *p = &l->p;
	struct xuprops *x = scn_calloc(1, sizeof(*x));

	p->data = data;
	p->len = len;
	/* a byte order mark is not part of line 1, as in scenarios */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		p->pos = 3;
	p->lx.error = &p->error;
	p->stmt = &l->stmt;
	l->x = x;
	l->lookup = lookup;
	l->lookup_data = lookup_data;

	int r = parse_file(l);
	scn_lexer_clear(&p->lx);
	if (r < 0) {
		scn_error_move(err, &p->error);
		free(l);
		xuprops_free(x);
		return -1;
	}
	free(l);
	if (nvalues) {
		x->values = scn_calloc(nvalues, sizeof(*values));
		memcpy(x->values, values, nvalues * sizeof(*values));
		x->sorted_values = scn_calloc(nvalues, sizeof(*values));
		memcpy(x->sorted_values, values, nvalues * sizeof(*values));
		qsort(x->sorted_values, nvalues, sizeof(*values), cmp_u64);
		x->nvalues = nvalues;
	}
	*out = x;
	return 0;
}

size_t xuprops_count(const struct xuprops *x)
{
	return x ? x->nprops : 0;
}

const char *xuprops_name(const struct xuprops *x, size_t i)
{
	return x && i < x->nprops ? x->props[i].name : NULL;
}

void xuprops_free(struct xuprops *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nprops; i++)
		prop_free(&x->props[i]);
	free(x->props);
	for (size_t i = 0; i < x->nstarts; i++)
		free(x->starts[i].name);
	free(x->starts);
	free(x->values);
	free(x->sorted_values);
	free(x);
}

/* --------------------------------------------------------- evaluation */

/* One state and one assignment of the variables. */
struct env {
	const struct xuprops *x;
	const struct contid_world *w;
	const char *(*name)(void *data, pid_t pid);
	void *name_data;
	pid_t pid[XU_MAX_VARS];        /* task variables */
	uint64_t value[XU_MAX_VARS];   /* value variables */
};

static const char *pid_name(const struct env *e, pid_t pid, char *buf, size_t size)
{
	if (e->name)
		return e->name(e->name_data, pid);
	snprintf(buf, size, "pid %d", (int)pid);
	return buf;
}

/* The pid of a task operand, or false when a start task no longer exists
 * (its pid is free or holds another task). */
static bool task_of(const struct env *e, const struct xu_operand *o, pid_t *pid)
{
	if (o->kind == XO_VAR) {
		*pid = e->pid[o->var];
		return true;
	}
	const struct xu_start *s = &e->x->starts[o->start];
	uint64_t identity;
	if (contid_task_identity(e->w, s->pid, &identity) < 0 ||
	    identity != s->identity)
		return false;
	*pid = s->pid;
	return true;
}

static uint64_t value_of(const struct env *e, const struct xu_operand *o)
{
	return o->kind == XO_VAR ? e->value[o->var] : o->number;
}

static void got_value(struct scn_str *got, uint64_t v, bool is_contid)
{
	if (is_contid && v == CONTID_UNSET)
		scn_str_append(got, "got unset");
	else
		scn_str_appendf(got, "got %" PRIu64, v);
}

static bool got_errno(struct scn_str *got, int ret)
{
	if (got) {
		const char *name = contid_errno_name(ret);
		if (name)
			scn_str_appendf(got, "got %s", name);
		else
			scn_str_appendf(got, "got error %d", ret);
	}
	return false;
}

static bool check_chain(const struct env *e, const struct xu_atom *a, pid_t pid,
			struct scn_str *got)
{
	char buf[1024];
	int ret = contid_task_chain(e->w, pid, buf, sizeof(buf));

	if (ret < 0)
		return got_errno(got, ret);
	const char *chain = buf;
	char *big = NULL;
	if ((size_t)ret >= sizeof(buf)) {
		big = scn_malloc((size_t)ret + 1);
		contid_task_chain(e->w, pid, big, (size_t)ret + 1);
		chain = big;
	}
	bool ok = (size_t)ret == a->chain_len &&
		  memcmp(chain, a->chain, a->chain_len) == 0;
	if (got)
		scn_str_appendf(got, "got %s", chain);
	free(big);
	return ok;
}

static bool check_owner(const struct env *e, const struct xu_atom *a,
			pid_t want_pid, struct scn_str *got)
{
	uint64_t value = value_of(e, &a->a), identity, want;
	pid_t owner_pid;
	char buf[32];

	if (contid_id_owner(e->w, value, &identity, &owner_pid) < 0) {
		if (got)
			scn_str_appendf(got, "got no ID %" PRIu64, value);
		return false;
	}
	if (identity == 0) {
		/* identities start at 1: a shared value (v6, bits) */
		if (got)
			scn_str_append(got, "got no owner");
		return a->b.kind == XO_OWNER_NONE;
	}
	/* the library names the owner's pid only while the task exists */
	if (owner_pid == 0) {
		if (got)
			scn_str_append(got, "got owner gone");
		return a->b.kind == XO_OWNER_GONE;
	}
	if (got)
		scn_str_appendf(got, "got owner %s",
				pid_name(e, owner_pid, buf, sizeof(buf)));
	if (a->b.kind != XO_VAR && a->b.kind != XO_START)
		return false;
	return contid_task_identity(e->w, want_pid, &want) == 0 && want == identity;
}

/* Whether the check of @a holds (before `not`), its tasks at @pa, @pb; what
 * was found goes to @got (when not NULL). */
static bool check_holds(const struct env *e, const struct xu_atom *a, pid_t pa,
			pid_t pb, struct scn_str *got)
{
	const struct contid_world *w = e->w;
	uint64_t v;
	int ret;

	switch (a->check) {
	case XU_CONTID:
		ret = contid_task_contid(w, pa, &v);
		if (ret < 0)
			return got_errno(got, ret);
		if (got)
			got_value(got, v, true);
		return v == value_of(e, &a->b);
	case XU_CHAIN:
		return check_chain(e, a, pa, got);
	case XU_OWNER:
		return check_owner(e, a, pb, got);
	case XU_FREE:
		v = value_of(e, &a->a);
		ret = contid_id_owner(w, v, NULL, NULL);
		if (got)
			scn_str_appendf(got, "got %" PRIu64 " %s", v,
					ret == -ENOENT ? "free" : "in use");
		return ret == -ENOENT;
	case XU_PARENT: {
		uint64_t parent;
		v = value_of(e, &a->a);
		ret = contid_id_parent(w, v, &parent);
		if (ret < 0) {
			if (got)
				scn_str_appendf(got, "got no ID %" PRIu64, v);
			return false;
		}
		if (got && parent == CONTID_UNSET)
			scn_str_append(got, "got none");
		else if (got)
			got_value(got, parent, false);
		return parent == value_of(e, &a->b);
	}
	case XU_USERS: {
		unsigned users = 0;
		ret = contid_id_users(w, value_of(e, &a->a), &users);
		if (ret < 0 && ret != -ENOENT)
			return got_errno(got, ret);
		if (got)
			scn_str_appendf(got, "got %u user%s", users,
					users == 1 ? "" : "s");
		return users == a->n;
	}
	case XU_CAPCONTID: {
		uint32_t value;
		ret = contid_task_capcontid(w, pa, &value);
		if (ret < 0)
			return got_errno(got, ret);
		if (got)
			got_value(got, value, false);
		return value == a->n;
	}
	case XU_LEVEL: {
		unsigned level;
		ret = contid_task_userns_level(w, pa, &level);
		if (ret < 0)
			return got_errno(got, ret);
		if (got)
			got_value(got, level, false);
		return level == a->n;
	}
	case XU_PPID: {
		pid_t ppid, tgid;
		char buf[32];
		ret = contid_task_ppid(w, pa, &ppid);
		if (ret < 0)
			return got_errno(got, ret);
		if (got && ppid > 0)
			scn_str_appendf(got, "got ppid %d: %s", (int)ppid,
					pid_name(e, ppid, buf, sizeof(buf)));
		else if (got)
			scn_str_appendf(got, "got ppid %d", (int)ppid);
		/* OTHER's process: a thread names its leader's */
		return contid_task_tgid(w, pb, &tgid) == 0 && ppid == tgid;
	}
	case XU_PID:
		if (got)
			scn_str_appendf(got, "got pid %d", (int)pa);
		return (uint64_t)pa == a->n;
	default:
		return false;
	}
}

/* The start task an atom names that no longer exists, if any. */
static const struct xu_operand *missing_start(const struct env *e,
					      const struct xu_atom *a,
					      pid_t *pa, pid_t *pb)
{
	bool a_task = a->check != XU_OWNER && a->check != XU_FREE &&
		      a->check != XU_PARENT && a->check != XU_USERS;
	bool b_task = a->check == XU_OWNER || a->check == XU_PPID;

	*pa = *pb = 0;
	if (a_task && !task_of(e, &a->a, pa))
		return &a->a;
	if (b_task && (a->b.kind == XO_VAR || a->b.kind == XO_START) &&
	    !task_of(e, &a->b, pb))
		return &a->b;
	return NULL;
}

/* Whether atom @a holds; @got (when not NULL) says why it does not. */
static bool atom_holds(const struct env *e, const struct xu_atom *a,
		       struct scn_str *got)
{
	pid_t pa, pb;
	const struct xu_operand *gone = missing_start(e, a, &pa, &pb);

	/* a start task that no longer exists makes every atom naming it
	 * false, `not` or not: it can no longer be asked anything */
	if (gone) {
		if (got)
			scn_str_appendf(got, "%s no longer exists",
					e->x->starts[gone->start].name);
		return false;
	}
	return check_holds(e, a, pa, pb, got) != a->negated;
}

static void describe(const struct env *e, const struct xu_prop *prop,
		     struct scn_str *why)
{
	char buf[32];

	scn_str_assign(why, "");
	for (size_t i = 0; i < prop->nvars; i++) {
		scn_str_appendf(why, "%s%s=", i ? " " : "", prop->vars[i].name);
		if (prop->vars[i].is_task)
			scn_str_append(why, pid_name(e, e->pid[i], buf,
						     sizeof(buf)));
		else
			scn_str_appendf(why, "%" PRIu64, e->value[i]);
	}
	if (prop->nvars)
		scn_str_append(why, ": ");
	for (size_t i = 0; i < prop->natoms; i++) {
		scn_str_appendf(why, "%s%s (", i ? " or " : "",
				prop->atoms[i].text);
		atom_holds(e, &prop->atoms[i], why);
		scn_str_putc(why, ')');
	}
}

/* The values of state @w, into @out: the --values in their order, then
 * the other live values in increasing order.  Returns their number. */
static size_t state_values(const struct xuprops *x, const struct contid_world *w,
			   uint64_t *out, size_t live)
{
	size_t n = x->nvalues;

	if (n)
		memcpy(out, x->values, n * sizeof(*out));
	int got = contid_id_list(w, out + n, live);
	if (got <= 0)
		return n;
	live = (size_t)got < live ? (size_t)got : live;
	qsort(out + n, live, sizeof(*out), cmp_u64);
	for (size_t i = 0; i < live; i++) {
		uint64_t v = out[x->nvalues + i];
		if (!x->nvalues ||
		    !bsearch(&v, x->sorted_values, x->nvalues, sizeof(v), cmp_u64))
			out[n++] = v;
	}
	return n;
}

int xuprops_eval(const struct xuprops *x, size_t i, const struct contid_world *w,
		 const char *(*name)(void *data, pid_t pid), void *name_data,
		 struct scn_str *why)
{
	const struct xu_prop *prop = &x->props[i];
	struct env e = { .x = x, .w = w, .name = name, .name_data = name_data };
	pid_t tasks_stack[XU_STACK_DOMAIN], *tasks = tasks_stack;
	uint64_t values_stack[XU_STACK_DOMAIN], *values = values_stack;
	size_t ntasks = 0, nvalues = 0, idx[XU_MAX_VARS] = { 0 };
	bool any_task = false, any_value = false;
	int result = 0;

	for (size_t v = 0; v < prop->nvars; v++) {
		any_task |= prop->vars[v].is_task;
		any_value |= !prop->vars[v].is_task;
	}
	if (any_task) {
		size_t count = contid_task_count(w);
		if (count > XU_STACK_DOMAIN)
			tasks = scn_malloc(count * sizeof(*tasks));
		pid_t pid = 0;
		while (ntasks < count && contid_task_next(w, pid, &pid) == 0)
			tasks[ntasks++] = pid;
	}
	if (any_value) {
		size_t live = contid_id_count(w);
		if (x->nvalues + live > XU_STACK_DOMAIN)
			values = scn_malloc((x->nvalues + live) * sizeof(*values));
		nvalues = state_values(x, w, values, live);
	}
	/* forall over nothing holds */
	if ((any_task && !ntasks) || (any_value && !nvalues))
		goto out;

	/* every assignment, the first variable changing slowest */
	for (;;) {
		for (size_t v = 0; v < prop->nvars; v++) {
			if (prop->vars[v].is_task)
				e.pid[v] = tasks[idx[v]];
			else
				e.value[v] = values[idx[v]];
		}
		bool holds = false;
		for (size_t k = 0; k < prop->natoms && !holds; k++)
			holds = atom_holds(&e, &prop->atoms[k], NULL);
		if (!holds) {
			if (why)
				describe(&e, prop, why);
			result = 1;
			break;
		}
		size_t v = prop->nvars;
		while (v > 0) {
			v--;
			size_t size = prop->vars[v].is_task ? ntasks : nvalues;
			if (++idx[v] < size)
				break;
			idx[v] = 0;
			if (v == 0)
				goto out;
		}
		if (prop->nvars == 0)
			break;
	}
out:
	if (tasks != tasks_stack)
		free(tasks);
	if (values != values_stack)
		free(values);
	return result;
}

/*
 * scn-generate's checks: statements that state the world as it is (a
 * task's ID and chain, owners, parents, users, levels, the latest
 * records).  Apart from scn-generate.c, whose actions change the world,
 * because these only read it.
 */
#include <contid.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "scn-generate.h"

/* A record field is written back only when the scenario syntax can carry
 * it unquoted and unchanged. */
static bool plain_value(const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= ' ' || c >= 0x7f || c == '#' || c == '"' || c == '$' ||
		    c == '\\')
			return false;
	}
	return true;
}

static bool check_record(void)
{
	unsigned index = below(SCN_RECORD_TYPES);
	int type = scn_record_type(index);
	const char *line = g.last[index];
	const char *p = line ? strstr(line, "): ") : NULL;

	if (!p)
		return false;
	p += 3;
	/* fields in order; keep up to three, each the first of its key */
	struct { const char *k; size_t klen; const char *v; size_t vlen; } f[64];
	size_t n = 0;
	while (*p && n < 64) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq && eq > p) {
			const char *v = eq + 1;
			size_t vlen = (size_t)(end - v);
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			bool dup = false;
			for (size_t i = 0; i < n; i++)
				if (f[i].klen == (size_t)(eq - p) &&
				    memcmp(f[i].k, p, f[i].klen) == 0)
					dup = true;
			if (!dup && plain_value(p, (size_t)(eq - p)) &&
			    plain_value(v, vlen) && vlen > 0) {
				f[n].k = p;
				f[n].klen = (size_t)(eq - p);
				f[n].v = v;
				f[n].vlen = vlen;
				n++;
			}
		}
		p = end;
	}
	if (!n)
		return false;
	begin("check record %s", contid_record_type_name(type));
	unsigned want = 1 + below(3);
	size_t start = below((uint32_t)n);
	for (unsigned i = 0; i < want && i < n; i++) {
		size_t j = (start + i) % n;
		fprintf(g.out, " %.*s=%.*s", (int)f[j].klen, f[j].k, (int)f[j].vlen, f[j].v);
	}
	fputc('\n', g.out);
	return true;
}

static bool check_one(void)
{
	char buf[16], obuf[16];
	pid_t t = pick_any();
	uint64_t v;
	uint32_t r = below(100);

	if (r < 20) {
		if (contid_task_contid(g.w, t, &v) < 0)
			return false;
		begin("check contid %s ", name_of(t, buf));
		if (v == CONTID_UNSET)
			fputs("unset\n", g.out);
		else
			fprintf(g.out, "%" PRIu64 "\n", v);
		return true;
	}
	if (r < 35) {
		char chain[4096];
		int n = contid_task_chain(g.w, t, chain, sizeof(chain));
		if (n < 0 || (size_t)n >= sizeof(chain))
			return false;
		begin("check chain %s \"%s\"\n", name_of(t, buf), chain);
		return true;
	}
	if (contid_task_contid(g.w, t, &v) < 0)
		return false;
	if (r < 45) {
		pid_t owner;
		if (v == CONTID_UNSET || contid_id_owner(g.w, v, NULL, &owner) < 0 || !owner)
			return false;
		/* a gone owner's pid may now be another task's: only named ones */
		uint64_t id_owner, id_task;
		contid_id_owner(g.w, v, &id_owner, NULL);
		if (contid_task_identity(g.w, owner, &id_task) < 0 || id_task != id_owner)
			return false;
		begin("check owner %" PRIu64 " %s\n", v, name_of(owner, buf));
		return true;
	}
	if (r < 52) {
		uint64_t free_value = g.next_value + below(1000);
		if (contid_id_owner(g.w, free_value, NULL, NULL) != -ENOENT)
			return false;
		begin("check free %" PRIu64 "\n", free_value);
		return true;
	}
	if (r < 60) {
		uint64_t parent;
		if (v == CONTID_UNSET || contid_id_parent(g.w, v, &parent) < 0)
			return false;
		if (parent == CONTID_UNSET)
			begin("check parent %" PRIu64 " none\n", v);
		else
			begin("check parent %" PRIu64 " %" PRIu64 "\n", v, parent);
		return true;
	}
	if (r < 68) {
		unsigned users = 0;
		if (v == CONTID_UNSET)
			v = g.next_value + 1000 + below(1000); /* no such ID: 0 users */
		else if (contid_id_users(g.w, v, &users) < 0)
			return false;
		begin("check users %" PRIu64 " %u\n", v, users);
		return true;
	}
	if (r < 74) {
		uint32_t c;
		if (contid_task_capcontid(g.w, t, &c) < 0)
			return false;
		begin("check capcontid %s %" PRIu32 "\n", name_of(t, buf), c);
		return true;
	}
	if (r < 80) {
		unsigned level;
		if (contid_task_userns_level(g.w, t, &level) < 0)
			return false;
		begin("check level %s %u\n", name_of(t, buf), level);
		return true;
	}
	if (r < 86) {
		pid_t ppid;
		if (t == 1 || contid_task_ppid(g.w, t, &ppid) < 0 || ppid <= 0)
			return false;
		begin("check ppid %s %s\n", name_of(t, buf), name_of(ppid, obuf));
		return true;
	}
	return check_record();
}

void act_check(void)
{
	for (int i = 0; i < 4; i++)
		if (check_one())
			return;
}

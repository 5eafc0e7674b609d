/* Edit distance for "did you mean" (scn-suggest.h). */
#include <stdint.h>
#include <string.h>

#include "scn-suggest.h"

/* Words longer than this are never suggested (nor compared). */
#define MAX_WORD 64

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Levenshtein distance with adjacent transpositions (optimal string
 * alignment), case folded, on three rows. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t rows[3][MAX_WORD + 1];
	size_t *two = rows[0], *one = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= m; j++)
		one[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
			size_t d = one[j - 1] + cost;
			if (one[j] + 1 < d)
				d = one[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) && two[j - 2] + 1 < d)
				d = two[j - 2] + 1;
			cur[j] = d;
		}
		size_t *t = two;
		two = one;
		one = cur;
		cur = t;
	}
	return one[m];
}

static size_t allowed(size_t len)
{
	return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

void scn_suggest_begin(struct scn_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->best_distance = SIZE_MAX;
}

void scn_suggest_add(struct scn_suggest *s, const char *candidate)
{
	size_t n = strlen(s->word), m = strlen(candidate);

	if (n > MAX_WORD || m > MAX_WORD)
		return;
	size_t d = distance(s->word, n, candidate, m);
	/* the first of equally close candidates wins: lists are in order */
	if (d < s->best_distance) {
		s->best = candidate;
		s->best_distance = d;
	}
}

const char *scn_suggest_end(const struct scn_suggest *s)
{
	if (!s->best || s->best_distance > allowed(strlen(s->word)))
		return NULL;
	return s->best;
}

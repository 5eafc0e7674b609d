/* UTF-8 checks (scn-utf8.h). */
#include <stdint.h>
#include <string.h>

#include "scn-utf8.h"

size_t scn_utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	unsigned min_second = 0x80, max_second = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			min_second = 0xa0;      /* overlong below U+0800 */
		else if (c == 0xed)
			max_second = 0x9f;      /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			min_second = 0x90;      /* overlong below U+10000 */
		else if (c == 0xf4)
			max_second = 0x8f;      /* above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < min_second || s[1] > max_second)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

size_t scn_utf8_check(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		/* scenarios are nearly all ASCII: skip it a word at a time */
		uint64_t word;
		while (len - i >= sizeof(word)) {
			memcpy(&word, u + i, sizeof(word));
			if (word & UINT64_C(0x8080808080808080))
				break;
			i += sizeof(word);
		}
		if (i >= len)
			break;
		size_t n = scn_utf8_sequence(u + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

size_t scn_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

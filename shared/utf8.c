/*
 * utf8: strict UTF-8 decoding (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), display width from our own table
 * of Unicode East Asian Width "W"/"F" and emoji presentation ranges, and
 * sanitising of peer text before it reaches a terminal or a log.
 * Which characters are default-ignorable (drawn as nothing) comes from
 * ICU, through name.h.
 *
 * No locale is consulted on purpose: wcwidth(3) depends on LC_CTYPE and
 * on the glibc version, so two clients (or a test and a client) would
 * disagree about where a line wraps. The table is deliberately coarse
 * (whole blocks where the block is nearly all wide); a terminal that
 * disagrees about a rare character costs one column, never safety.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "name.h"
#include "utf8.h"

struct utf8_range {
	uint32_t	lo;
	uint32_t	hi;
};

static bool	utf8_in_table(uint32_t, const struct utf8_range *, size_t);

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Zero-width: combining marks (general category Mn/Me of the common
 * scripts), zero width space and joiners, bidi formatting characters,
 * variation selectors, the BOM and tag characters. Sorted, disjoint.
 * Checked before the wide table because a few combining marks
 * (U+302A-U+302D, U+3099-U+309A) sit inside the wide CJK range.
 */
static const struct utf8_range utf8_zero[] = {
	{ 0x0300, 0x036f },	/* combining diacritical marks */
	{ 0x0483, 0x0489 },	/* Cyrillic combining */
	{ 0x0591, 0x05bd },	/* Hebrew points */
	{ 0x05bf, 0x05bf },
	{ 0x05c1, 0x05c2 },
	{ 0x05c4, 0x05c5 },
	{ 0x05c7, 0x05c7 },
	{ 0x0610, 0x061a },	/* Arabic marks */
	{ 0x061c, 0x061c },	/* Arabic letter mark (bidi) */
	{ 0x064b, 0x065f },
	{ 0x0670, 0x0670 },
	{ 0x06d6, 0x06dc },
	{ 0x06df, 0x06e4 },
	{ 0x06e7, 0x06e8 },
	{ 0x06ea, 0x06ed },
	{ 0x0711, 0x0711 },	/* Syriac */
	{ 0x0730, 0x074a },
	{ 0x07a6, 0x07b0 },	/* Thaana */
	{ 0x07eb, 0x07f3 },	/* NKo */
	{ 0x0816, 0x0819 },	/* Samaritan */
	{ 0x081b, 0x0823 },
	{ 0x0825, 0x0827 },
	{ 0x0829, 0x082d },
	{ 0x0859, 0x085b },	/* Mandaic */
	{ 0x08d3, 0x08e1 },	/* Arabic extended */
	{ 0x08e3, 0x0902 },	/* ... and Devanagari signs */
	{ 0x093a, 0x093a },
	{ 0x093c, 0x093c },
	{ 0x0941, 0x0948 },
	{ 0x094d, 0x094d },
	{ 0x0951, 0x0957 },
	{ 0x0962, 0x0963 },
	{ 0x0981, 0x0981 },	/* Bengali */
	{ 0x09bc, 0x09bc },
	{ 0x09c1, 0x09c4 },
	{ 0x09cd, 0x09cd },
	{ 0x09e2, 0x09e3 },
	{ 0x0a01, 0x0a02 },	/* Gurmukhi */
	{ 0x0a3c, 0x0a3c },
	{ 0x0a41, 0x0a51 },
	{ 0x0a70, 0x0a71 },
	{ 0x0a75, 0x0a75 },
	{ 0x0a81, 0x0a82 },	/* Gujarati */
	{ 0x0abc, 0x0abc },
	{ 0x0ac1, 0x0ac8 },
	{ 0x0acd, 0x0acd },
	{ 0x0ae2, 0x0ae3 },
	{ 0x0b01, 0x0b01 },	/* Oriya */
	{ 0x0b3c, 0x0b3c },
	{ 0x0b3f, 0x0b3f },
	{ 0x0b41, 0x0b44 },
	{ 0x0b4d, 0x0b4d },
	{ 0x0b82, 0x0b82 },	/* Tamil */
	{ 0x0bc0, 0x0bc0 },
	{ 0x0bcd, 0x0bcd },
	{ 0x0c3e, 0x0c40 },	/* Telugu */
	{ 0x0c46, 0x0c56 },
	{ 0x0cbc, 0x0cbc },	/* Kannada */
	{ 0x0ccc, 0x0ccd },
	{ 0x0d41, 0x0d44 },	/* Malayalam */
	{ 0x0d4d, 0x0d4d },
	{ 0x0dca, 0x0dca },	/* Sinhala */
	{ 0x0dd2, 0x0dd6 },
	{ 0x0e31, 0x0e31 },	/* Thai */
	{ 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e },
	{ 0x0eb1, 0x0eb1 },	/* Lao */
	{ 0x0eb4, 0x0ebc },
	{ 0x0ec8, 0x0ecd },
	{ 0x0f18, 0x0f19 },	/* Tibetan */
	{ 0x0f35, 0x0f35 },
	{ 0x0f37, 0x0f37 },
	{ 0x0f39, 0x0f39 },
	{ 0x0f71, 0x0f7e },
	{ 0x0f80, 0x0f84 },
	{ 0x0f86, 0x0f87 },
	{ 0x0f8d, 0x0fbc },
	{ 0x102d, 0x1030 },	/* Myanmar */
	{ 0x1032, 0x1037 },
	{ 0x1039, 0x103a },
	{ 0x1160, 0x11ff },	/* Hangul medial vowels, final consonants */
	{ 0x135d, 0x135f },	/* Ethiopic */
	{ 0x1712, 0x1714 },	/* Tagalog and friends */
	{ 0x1732, 0x1734 },
	{ 0x1752, 0x1753 },
	{ 0x1772, 0x1773 },
	{ 0x17b4, 0x17b5 },	/* Khmer */
	{ 0x17b7, 0x17bd },
	{ 0x17c6, 0x17c6 },
	{ 0x17c9, 0x17d3 },
	{ 0x17dd, 0x17dd },
	{ 0x180b, 0x180f },	/* Mongolian variation selectors */
	{ 0x18a9, 0x18a9 },
	{ 0x1ab0, 0x1aff },	/* combining diacritical marks extended */
	{ 0x1dc0, 0x1dff },	/* combining diacritical marks supplement */
	{ 0x200b, 0x200f },	/* zero width space, ZWNJ, ZWJ, LRM, RLM */
	{ 0x202a, 0x202e },	/* bidi embeddings and overrides */
	{ 0x2060, 0x2064 },	/* word joiner, invisible operators */
	{ 0x2066, 0x206f },	/* bidi isolates, deprecated format chars */
	{ 0x20d0, 0x20ff },	/* combining marks for symbols */
	{ 0x2cef, 0x2cf1 },	/* Coptic */
	{ 0x2d7f, 0x2d7f },
	{ 0x2de0, 0x2dff },	/* Cyrillic extended-A */
	{ 0x302a, 0x302d },	/* ideographic tone marks */
	{ 0x3099, 0x309a },	/* kana voicing marks */
	{ 0xa66f, 0xa672 },	/* Cyrillic extended-B */
	{ 0xa674, 0xa67d },
	{ 0xa69e, 0xa69f },
	{ 0xa6f0, 0xa6f1 },	/* Bamum */
	{ 0xa8e0, 0xa8f1 },	/* Devanagari extended */
	{ 0xfb1e, 0xfb1e },	/* Hebrew point judeo-spanish varika */
	{ 0xfe00, 0xfe0f },	/* variation selectors */
	{ 0xfe20, 0xfe2f },	/* combining half marks */
	{ 0xfeff, 0xfeff },	/* zero width no-break space (BOM) */
	{ 0x1d167, 0x1d169 },	/* musical combining marks */
	{ 0x1d17b, 0x1d182 },
	{ 0x1d185, 0x1d18b },
	{ 0x1d1aa, 0x1d1ad },
	{ 0xe0001, 0xe0001 },	/* language tag */
	{ 0xe0020, 0xe007f },	/* tag characters (emoji flag sequences) */
	{ 0xe0100, 0xe01ef },	/* variation selectors supplement */
};

/*
 * Two columns: East Asian Wide and Fullwidth, and the characters with
 * default emoji presentation (terminals draw them two cells wide).
 * Sorted, disjoint.
 */
static const struct utf8_range utf8_wide[] = {
	{ 0x1100, 0x115f },	/* Hangul Jamo leading consonants */
	{ 0x231a, 0x231b },	/* watch, hourglass */
	{ 0x2329, 0x232a },	/* angle brackets */
	{ 0x23e9, 0x23ec },
	{ 0x23f0, 0x23f0 },
	{ 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe },
	{ 0x2614, 0x2615 },
	{ 0x2648, 0x2653 },	/* zodiac */
	{ 0x267f, 0x267f },
	{ 0x2693, 0x2693 },
	{ 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab },
	{ 0x26bd, 0x26be },
	{ 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce },
	{ 0x26d4, 0x26d4 },
	{ 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 },
	{ 0x26f5, 0x26f5 },
	{ 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd },
	{ 0x2705, 0x2705 },
	{ 0x270a, 0x270b },
	{ 0x2728, 0x2728 },
	{ 0x274c, 0x274c },
	{ 0x274e, 0x274e },
	{ 0x2753, 0x2755 },
	{ 0x2757, 0x2757 },
	{ 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 },
	{ 0x27bf, 0x27bf },
	{ 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 },
	{ 0x2b55, 0x2b55 },
	{ 0x2e80, 0x303e },	/* CJK radicals ... CJK symbols (not U+303F) */
	{ 0x3040, 0xa4cf },	/* kana ... CJK ideographs ... Yi */
	{ 0xa960, 0xa97f },	/* Hangul Jamo extended-A */
	{ 0xac00, 0xd7a3 },	/* Hangul syllables */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xfe10, 0xfe19 },	/* vertical forms */
	{ 0xfe30, 0xfe6f },	/* CJK compatibility and small forms */
	{ 0xff00, 0xff60 },	/* fullwidth forms */
	{ 0xffe0, 0xffe6 },	/* fullwidth signs */
	{ 0x16fe0, 0x16fe4 },	/* ideographic symbols */
	{ 0x17000, 0x18cff },	/* Tangut, Khitan */
	{ 0x1aff0, 0x1b2ff },	/* kana supplement and extended, Nushu */
	{ 0x1f004, 0x1f004 },	/* mahjong red dragon */
	{ 0x1f0cf, 0x1f0cf },	/* joker */
	{ 0x1f18e, 0x1f18e },
	{ 0x1f191, 0x1f19a },	/* squared CL, COOL, ... */
	{ 0x1f200, 0x1f202 },
	{ 0x1f210, 0x1f23b },
	{ 0x1f240, 0x1f248 },
	{ 0x1f250, 0x1f251 },
	{ 0x1f260, 0x1f265 },
	{ 0x1f300, 0x1f64f },	/* pictographs, emoticons */
	{ 0x1f680, 0x1f6c5 },	/* transport and map */
	{ 0x1f6cc, 0x1f6cc },
	{ 0x1f6d0, 0x1f6d2 },
	{ 0x1f6d5, 0x1f6d7 },
	{ 0x1f6dc, 0x1f6df },
	{ 0x1f6eb, 0x1f6ec },
	{ 0x1f6f4, 0x1f6fc },
	{ 0x1f7e0, 0x1f7eb },	/* coloured circles and squares */
	{ 0x1f7f0, 0x1f7f0 },
	{ 0x1f900, 0x1f9ff },	/* supplemental symbols and pictographs */
	{ 0x1fa70, 0x1faff },	/* symbols and pictographs extended-A */
	{ 0x20000, 0x2fffd },	/* CJK extension B and beyond */
	{ 0x30000, 0x3fffd },	/* CJK extension G and beyond */
};

/* Binary search; the tables are sorted and disjoint. */
static bool
utf8_in_table(uint32_t cp, const struct utf8_range *t, size_t n)
{
	size_t	lo = 0, hi = n;

	if (cp < t[0].lo || cp > t[n - 1].hi)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * A lead byte tells the length; each length has a smallest code point
 * so that overlong forms (C0 80 for NUL, E0 80 80, ...) are refused.
 */
int
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 v, min;
	size_t			 n, i;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		if (cp != NULL)
			*cp = u[0];
		return 1;
	}
	if (u[0] < 0xc2)	/* continuation byte, or overlong C0/C1 */
		return -1;
	if (u[0] < 0xe0) {
		n = 2;
		v = u[0] & 0x1f;
		min = 0x80;
	} else if (u[0] < 0xf0) {
		n = 3;
		v = u[0] & 0x0f;
		min = 0x800;
	} else if (u[0] < 0xf5) {
		n = 4;
		v = u[0] & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (len < n)
		return -1;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (u[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	if (cp != NULL)
		*cp = v;
	return (int)n;
}

int
utf8_encode(uint32_t cp, char *out)
{
	unsigned char	*u = (unsigned char *)out;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t	off = 0;

	while (off < len) {
		int n = utf8_decode(s + off, len - off, NULL);

		if (n <= 0)
			return false;
		off += (size_t)n;
	}
	return true;
}

long
utf8_count(const char *s, size_t len)
{
	size_t	off = 0;
	long	count = 0;

	while (off < len) {
		int n = utf8_decode(s + off, len - off, NULL);

		if (n <= 0)
			return -1;
		off += (size_t)n;
		count++;
	}
	return count;
}

bool
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

bool
utf8_is_bidi(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool
utf8_is_bidi_mark(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f;
}

bool
utf8_is_space(uint32_t cp)
{
	switch (cp) {
	case 0x0009: case 0x000a: case 0x000b: case 0x000c: case 0x000d:
	case 0x0020: case 0x0085: case 0x00a0: case 0x1680:
	case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200a;
	}
}

int
utf8_cp_width(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7f)	/* the common case, no search */
		return 1;
	if (utf8_is_control(cp))
		return 0;
	if (utf8_in_table(cp, utf8_zero, nitems(utf8_zero)))
		return 0;
	if (utf8_in_table(cp, utf8_wide, nitems(utf8_wide)))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t		off = 0, cols = 0;
	uint32_t	cp;

	while (off < len) {
		int n = utf8_decode(s + off, len - off, &cp);

		if (n <= 0) {
			cols++;		/* drawn as U+FFFD, one column */
			off++;
		} else {
			cols += (size_t)utf8_cp_width(cp);
			off += (size_t)n;
		}
	}
	return cols;
}

/*
 * *prev is the code point before s if that was written as it is
 * (UINT32_MAX if not, or at the start), and becomes this one's on the
 * same terms: a zero width joiner or variation selector is shown as it
 * is only inside an emoji, and only a character shown as it is makes
 * an emoji.
 */
size_t
utf8_safe_char(const char *s, size_t len, uint32_t *prev, char *out,
    int *used)
{
	uint32_t	cp, next;
	int		n;

	n = utf8_decode(s, len, &cp);
	if (n <= 0) {
		*used = 1;
		*prev = UINT32_MAX;
		memcpy(out, UTF8_REPLACEMENT, 3);
		return 3;
	}
	*used = n;
	if (cp < 0x20 || cp == 0x7f) {
		/* Caret notation: ^@ for NUL ... ^[ for ESC, ^? for DEL. */
		*prev = UINT32_MAX;
		out[0] = '^';
		out[1] = (char)(cp ^ 0x40);
		return 2;
	}
	if (name_is_ignorable(cp)) {
		if (utf8_decode(s + n, len - (size_t)n, &next) <= 0)
			next = UINT32_MAX;
		if (!name_ignorable_in_emoji(*prev, cp, next))
			cp = UINT32_MAX;
	}
	if (cp == UINT32_MAX || utf8_is_control(cp) || utf8_is_bidi(cp) ||
	    utf8_is_bidi_mark(cp)) {
		*prev = UINT32_MAX;
		memcpy(out, UTF8_REPLACEMENT, 3);
		return 3;
	}
	*prev = cp;
	memcpy(out, s, (size_t)n);
	return (size_t)n;
}

size_t
utf8_sanitize(const char *s, size_t len, char *out, size_t cap)
{
	size_t		in = 0, w = 0;
	uint32_t	prev = UINT32_MAX;
	char		form[4];

	if (cap == 0)
		return 0;
	while (in < len) {
		int	used;
		size_t	flen;

		flen = utf8_safe_char(s + in, len - in, &prev, form, &used);
		/* Keep one byte for the NUL; never write half a character. */
		if (flen > cap - 1 - w)
			break;
		memcpy(out + w, form, flen);
		w += flen;
		in += (size_t)used;
	}
	out[w] = '\0';
	return w;
}

/* An invalid byte counts as a character of its own, as utf8_next says. */
size_t
utf8_prefix(const char *s, size_t len, size_t max_bytes)
{
	size_t	off = 0;

	while (off < len) {
		size_t next = utf8_next(s, len, off);

		if (next > max_bytes)
			break;
		off = next;
	}
	return off;
}

/*
 * Walks back over at most three continuation bytes to a lead byte, and
 * accepts it only if the character there ends exactly at off; anything
 * else is an invalid byte, which is a character of its own. That keeps
 * prev the exact inverse of next even on invalid input.
 */
size_t
utf8_prev(const char *s, size_t len, size_t off)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 pos;
	int			 n;

	if (off > len)
		off = len;
	if (off == 0)
		return 0;
	pos = off - 1;
	while (pos > 0 && off - pos < 4 && (u[pos] & 0xc0) == 0x80)
		pos--;
	n = utf8_decode(s + pos, len - pos, NULL);
	if (n > 0 && pos + (size_t)n == off)
		return pos;
	return off - 1;
}

size_t
utf8_next(const char *s, size_t len, size_t off)
{
	int	n;

	if (off >= len)
		return len;
	n = utf8_decode(s + off, len - off, NULL);
	return off + (n > 0 ? (size_t)n : 1);
}

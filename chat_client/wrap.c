/*
 * wrap: greedy word wrap by display columns (wrap.h). Widths come from
 * utf8_cp_width, the same table the line editor and the server's
 * clients use, so a row measured here is a row on the screen.
 */
#include <stdint.h>

#include "utf8.h"
#include "wrap.h"

static size_t	wrap_row(const char *, size_t, size_t, int,
		    struct wrap_row *, int *);
static int	wrap_word_cols(const char *, size_t, size_t, int);
static int	wrap_char(const char *, size_t, size_t, uint32_t *, int *);
static int	wrap_closing(uint32_t);

size_t
wrap(const char *s, size_t len, int first, int width, int full,
    struct wrap_row *rows, size_t max)
{
	struct wrap_row	 row;
	size_t		 off = 0, n = 0;
	int		 cut = 0, wide;

	if (width < 1)
		width = 1;
	if (first < 1)
		first = width;
	if (full < width)
		full = width;
	do {
		wide = n > 0 && full > width && (cut ||
		    wrap_word_cols(s, len, off, width) > width);
		off = wrap_row(s, len, off, n == 0 ? first : wide ? full :
		    width, &row, &cut);
		row.full = wide;
		if (n < max)
			rows[n] = row;
		n++;
	} while (off < len);
	return n;
}

/*
 * Columns of the word at off, up to its first break opportunity (a
 * space or a wide character); counting stops past limit.
 */
static int
wrap_word_cols(const char *s, size_t len, size_t off, int limit)
{
	uint32_t cp;
	int	 w = 0, cw;

	while (off < len && w <= limit) {
		off += (size_t)wrap_char(s, len, off, &cp, &cw);
		if (utf8_is_space(cp) || cw == 2)
			break;
		w += cw;
	}
	return w;
}

/*
 * Fills one row starting at off; returns where the next row starts and
 * sets *cut when the row ends inside a word (no break opportunity).
 * At least one character always goes in, even one wider than the row,
 * so a 1-column window still makes progress.
 */
static size_t
wrap_row(const char *s, size_t len, size_t off, int width,
    struct wrap_row *row, int *cut)
{
	size_t	 p = off, brk = 0, brk_next = 0;
	int	 w = 0, brk_w = 0, cw = 0, prev_w = 0, n;
	uint32_t cp = 0;

	while (p < len) {
		n = wrap_char(s, len, p, &cp, &cw);
		if (p > off && utf8_is_space(cp)) {
			brk = p;
			brk_next = p + (size_t)n;	/* the space goes */
			brk_w = w;
		} else if (p > off && cw > 0 && (cw == 2 || prev_w == 2) &&
		    !wrap_closing(cp)) {
			/* CJK text may break beside any wide character. */
			brk = brk_next = p;
			brk_w = w;
		}
		if (w + cw > width && p > off)
			break;
		if (cw > 0)
			prev_w = cw;
		w += cw;
		p += (size_t)n;
	}
	row->off = off;
	*cut = 0;
	if (p < len && brk > off) {
		/* Break at the last opportunity. */
		row->len = brk - off;
		row->width = brk_w;
		return brk_next;
	}
	*cut = p < len && !utf8_is_space(cp) && cw < 2 && prev_w < 2;
	row->len = p - off;
	row->width = w;
	return p;
}

/* Decodes the character at p; an invalid byte shows as one U+FFFD. */
static int
wrap_char(const char *s, size_t len, size_t p, uint32_t *cp, int *w)
{
	int	 n = utf8_decode(s + p, len - p, cp);

	if (n <= 0) {
		*cp = 0xfffd;
		n = 1;
	}
	*w = utf8_cp_width(*cp);
	return n;
}

/*
 * CJK closing punctuation never starts a row (the kinsoku rule): a
 * lone "。" under a line reads badly, so the break moves one earlier.
 */
static int
wrap_closing(uint32_t cp)
{
	static const uint32_t	 closing[] = { 0x3001, 0x3002, 0x3009,
	    0x300b, 0x300d, 0x300f, 0x3011, 0xff01, 0xff09, 0xff0c, 0xff0e,
	    0xff1a, 0xff1b, 0xff1f };
	size_t			 i;

	for (i = 0; i < sizeof(closing) / sizeof(closing[0]); i++)
		if (cp == closing[i])
			return 1;
	return 0;
}

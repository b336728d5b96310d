/*
 * wrap: splits a UTF-8 string into rows of a terminal width, pure so it
 * is unit-testable. Rows break at a space, or beside a wide character
 * (CJK text has no spaces and may break between any two ideographs),
 * and otherwise between characters; a character is never split, and a
 * 2-column character (CJK, emoji) never straddles the right edge.
 *
 * A word too long for an indented row (a URL, say) gets a row of the
 * full width, starting at column 0, and so does the rest of a word cut
 * at the end of a row: a terminal selection then takes the word whole,
 * with no indentation inside it, and a word is cut only when it does
 * not fit even a full row.
 */
#ifndef WRAP_H
#define WRAP_H

#include <stddef.h>

/* One row: the bytes [off, off + len) of the input, width columns. */
struct wrap_row {
	size_t	 off;
	size_t	 len;
	int	 width;
	int	 full;		/* a full-width row: drawn from column 0 */
};

/*
 * Wraps s (len bytes) into rows: the first row has first columns (the
 * rest of a line after a prefix such as the time and name), the others
 * width columns (indented), or full columns for a row that starts with
 * a word wider than width or with the rest of a cut word (row.full).
 * Fills at most max rows and returns how many rows the whole text
 * needs (at least 1), so a caller can ask with max = 0 first. The space
 * a row breaks at belongs to neither row.
 */
size_t		 wrap(const char *s, size_t len, int first, int width,
		    int full, struct wrap_row *rows, size_t max);

#endif /* WRAP_H */

/*
 * Unit tests for chat_client/wrap.c: breaking at spaces, hard breaks
 * in long words, CJK counting 2 columns without straddling the edge,
 * a shorter first row, and never splitting a character.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wrap.h"

#define NI	"\xe4\xbd\xa0"
#define HAO	"\xe5\xa5\xbd"
#define SMILE	"\xf0\x9f\x98\x80"
#define MAXR	32

/*
 * Wraps s and joins the rows with '|' into out, for one-line checks; a
 * full-width row (column 0) is written after '#' instead.
 */
static size_t
rows_full(const char *s, int first, int width, int full, char *out,
    size_t cap)
{
	struct wrap_row	 r[MAXR];
	size_t		 n, i, o = 0;

	n = wrap(s, strlen(s), first, width, full, r, MAXR);
	assert_true(n <= MAXR);
	assert_int_equal(wrap(s, strlen(s), first, width, full, NULL, 0), n);
	for (i = 0; i < n; i++) {
		assert_true(r[i].width <= (i == 0 ? first : r[i].full ? full :
		    width) || r[i].len <= 4);
		assert_true(i > 0 || !r[i].full);
		o += (size_t)snprintf(out + o, cap - o, "%s%.*s",
		    i == 0 ? "" : r[i].full ? "#" : "|", (int)r[i].len,
		    s + r[i].off);
	}
	return n;
}

static size_t
rows_of(const char *s, int first, int width, char *out, size_t cap)
{
	return rows_full(s, first, width, width, out, cap);
}

static void
test_fits(void **state)
{
	char	 out[256];

	(void)state;
	assert_int_equal(rows_of("hello", 10, 10, out, sizeof(out)), 1);
	assert_string_equal(out, "hello");
	assert_int_equal(rows_of("", 10, 10, out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(rows_of("0123456789", 10, 10, out, sizeof(out)), 1);
}

static void
test_breaks_at_spaces(void **state)
{
	char	 out[256];

	(void)state;
	rows_of("the quick brown fox jumps", 10, 10, out, sizeof(out));
	assert_string_equal(out, "the quick|brown fox|jumps");
	rows_of("aaaa bbbbb", 5, 5, out, sizeof(out));
	assert_string_equal(out, "aaaa|bbbbb");
	rows_of("abcde fgh", 5, 5, out, sizeof(out));
	assert_string_equal(out, "abcde|fgh");	/* exact fit drops space */
}

static void
test_long_word_hard_break(void **state)
{
	char	 out[256];

	(void)state;
	rows_of("abcdefghijkl", 5, 5, out, sizeof(out));
	assert_string_equal(out, "abcde|fghij|kl");
}

static void
test_cjk_two_columns(void **state)
{
	char		 out[256];
	struct wrap_row	 r[MAXR];
	const char	*s = NI HAO NI HAO NI;	/* 10 columns */

	(void)state;
	assert_int_equal(rows_of(s, 4, 4, out, sizeof(out)), 3);
	assert_string_equal(out, NI HAO "|" NI HAO "|" NI);
	/* Width 5: a wide char never straddles; rows are 4 columns. */
	assert_int_equal(wrap(s, strlen(s), 5, 5, 5, r, MAXR), 3);
	assert_int_equal(r[0].width, 4);
	assert_int_equal(r[0].len, 6);
	rows_of("ab" NI HAO, 5, 5, out, sizeof(out));
	assert_string_equal(out, "ab" NI "|" HAO);
	rows_of(SMILE SMILE SMILE, 5, 5, out, sizeof(out));
	assert_string_equal(out, SMILE SMILE "|" SMILE);
}

static void
test_cjk_breaks_beside_wide(void **state)
{
	char	 out[256];

	(void)state;
	/* No lonely "<bob>" row: the ideographs fill it. */
	rows_of("<bob> " NI HAO NI HAO, 8, 8, out, sizeof(out));
	assert_string_equal(out, "<bob> " NI "|" HAO NI HAO);
	rows_of("hello " NI HAO " world", 9, 9, out, sizeof(out));
	assert_string_equal(out, "hello " NI "|" HAO " world");
	/* Closing punctuation never starts a row (U+3002, U+FF0C). */
	rows_of(NI HAO NI "\xe3\x80\x82", 6, 6, out, sizeof(out));
	assert_string_equal(out, NI HAO "|" NI "\xe3\x80\x82");
	rows_of(NI HAO "\xef\xbc\x8c" NI, 6, 6, out, sizeof(out));
	assert_string_equal(out, NI HAO "\xef\xbc\x8c|" NI);
	/* A combining mark stays with its base even after a wide char. */
	rows_of(NI "e\xcc\x81" "e", 3, 3, out, sizeof(out));
	assert_string_equal(out, NI "|e\xcc\x81" "e");
}

static void
test_first_row_shorter(void **state)
{
	char	 out[256];

	(void)state;
	rows_of("one two three four", 4, 10, out, sizeof(out));
	assert_string_equal(out, "one|two three|four");
}

static void
test_never_splits(void **state)
{
	struct wrap_row	 r[MAXR];
	const char	*s = NI "a" HAO SMILE "e\xcc\x81" NI;
	size_t		 n, i;

	(void)state;
	/* Width 1: a wide char goes alone (overflowing), never in halves. */
	n = wrap(s, strlen(s), 1, 1, 1, r, MAXR);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_true(r[i].len >= 1);
	assert_int_equal(r[4].len, 3);		/* e + combining accent */
	assert_int_equal(r[4].width, 1);
}

/*
 * A word too long for an indented row (a URL) gets a full-width row at
 * column 0, and is cut only when it does not fit one; its rest goes on
 * full-width rows too, so a terminal selection takes it whole.
 */
static void
test_long_word_full_rows(void **state)
{
	char	 out[256];

	(void)state;
	/* Fits a full row: moved there whole, not cut at 10 columns. */
	rows_full("see http://abcdefghijkl ok", 10, 10, 20, out, sizeof(out));
	assert_string_equal(out, "see#http://abcdefghijkl|ok");
	/* Longer than a full row: cut there, the rest at column 0 too. */
	rows_full("see http://example.com/a/long/path ok", 10, 10, 20, out,
	    sizeof(out));
	assert_string_equal(out, "see#http://example.com/a#/long/path ok");
	rows_full("abcdefghijkl", 5, 5, 8, out, sizeof(out));
	assert_string_equal(out, "abcde#fghijkl");
	/* Words that fit an indented row stay indented. */
	rows_full("the quick brown fox jumps", 10, 10, 20, out, sizeof(out));
	assert_string_equal(out, "the quick|brown fox|jumps");
	/* CJK breaks beside its characters: nothing is cut, no full rows. */
	rows_full(NI HAO NI HAO NI, 4, 4, 8, out, sizeof(out));
	assert_string_equal(out, NI HAO "|" NI HAO "|" NI);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_breaks_at_spaces),
		cmocka_unit_test(test_long_word_hard_break),
		cmocka_unit_test(test_cjk_two_columns),
		cmocka_unit_test(test_cjk_breaks_beside_wide),
		cmocka_unit_test(test_first_row_shorter),
		cmocka_unit_test(test_never_splits),
		cmocka_unit_test(test_long_word_full_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

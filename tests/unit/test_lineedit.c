/*
 * Unit tests for chat_client/lineedit.c: editing by whole characters
 * across ASCII, CJK (2 columns) and emoji, kills and yank, history,
 * Tab completion and its cycle, the horizontal scrolling view, the row as
 * drawn (invisible characters as U+FFFD, the line unchanged) and the
 * 1000-byte limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lineedit.h"

#define UNUSED(x)	((void)(x))

/* U+4F60 U+597D "ni hao", 3 bytes each; U+1F600 an emoji, 4 bytes. */
#define NI	"\xe4\xbd\xa0"
#define HAO	"\xe5\xa5\xbd"
#define SMILE	"\xf0\x9f\x98\x80"
/* Invisible: zero width space, BOM, word joiner, soft hyphen; U+FFFD. */
#define ZWSP	"\xe2\x80\x8b"
#define BOM	"\xef\xbb\xbf"
#define WJ	"\xe2\x81\xa0"
#define SHY	"\xc2\xad"
#define FFFD	"\xef\xbf\xbd"
/* Woman, zero width joiner, laptop: one emoji (U+1F469 U+200D U+1F4BB). */
#define WOMAN	"\xf0\x9f\x91\xa9"
#define ZWJ	"\xe2\x80\x8d"
#define LAPTOP	"\xf0\x9f\x92\xbb"

/* The client's commands as its table gives them to Tab. */
static const char *const test_commands[] = {
	"/me", "/msg", "/who", "/nick", "/clear", "/help", "/quit",
};

static int
setup(void **state)
{
	struct lineedit	*le = calloc(1, sizeof(*le));

	if (le == NULL)
		return -1;
	lineedit_init(le);
	lineedit_set_commands(le, test_commands, sizeof(test_commands) /
	    sizeof(test_commands[0]));
	*state = le;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
put(struct lineedit *le, const char *s)
{
	assert_int_equal(lineedit_insert_str(le, s, strlen(s)), LINEEDIT_OK);
}

static void
assert_line(const struct lineedit *le, const char *s)
{
	assert_int_equal(le->len, strlen(s));
	assert_string_equal(le->buf, s);
}

static void
test_insert_move_ascii(void **state)
{
	struct lineedit	*le = *state;

	put(le, "helo");
	assert_true(lineedit_left(le));
	assert_int_equal(lineedit_insert(le, 'l'), LINEEDIT_OK);
	assert_line(le, "hello");
	assert_int_equal(le->cur, 4);
	lineedit_home(le);
	assert_int_equal(le->cur, 0);
	assert_false(lineedit_left(le));
	lineedit_end(le);
	assert_int_equal(le->cur, 5);
	assert_false(lineedit_right(le));
}

static void
test_cjk_and_emoji_whole(void **state)
{
	struct lineedit	*le = *state;

	put(le, "a" NI HAO SMILE "b");
	assert_true(lineedit_left(le));		/* before b */
	assert_true(lineedit_left(le));		/* before the emoji */
	assert_int_equal(le->cur, 7);
	assert_true(lineedit_backspace(le));	/* HAO goes at once */
	assert_line(le, "a" NI SMILE "b");
	assert_int_equal(le->cur, 4);
	assert_true(lineedit_delete(le));	/* the emoji at once */
	assert_line(le, "a" NI "b");
	lineedit_home(le);
	assert_true(lineedit_right(le));
	assert_true(lineedit_right(le));
	assert_int_equal(le->cur, 4);		/* skipped NI whole */
	assert_int_equal(lineedit_insert(le, 0x4e16), LINEEDIT_OK);
	assert_line(le, "a" NI "\xe4\xb8\x96" "b");
	assert_int_equal(le->cur, 7);
}

static void
test_backspace_delete_edges(void **state)
{
	struct lineedit	*le = *state;

	assert_false(lineedit_backspace(le));
	assert_false(lineedit_delete(le));
	put(le, NI);
	assert_false(lineedit_delete(le));
	assert_true(lineedit_backspace(le));
	assert_line(le, "");
}

static void
test_refuses_invalid(void **state)
{
	struct lineedit	*le = *state;

	put(le, "ok");
	assert_int_equal(lineedit_insert_str(le, "a\xff", 2), LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert_str(le, "\xe4\xbd", 2),
	    LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert(le, 0x1b), LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert(le, 0x202e), LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert(le, 0x200f), LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert(le, 0x061c), LINEEDIT_INVALID);
	assert_int_equal(lineedit_insert(le, 0xd800), LINEEDIT_INVALID);
	assert_line(le, "ok");
}

static void
test_kills_and_yank(void **state)
{
	struct lineedit	*le = *state;

	put(le, "say " NI HAO " to  bob");
	lineedit_kill_word(le);
	assert_line(le, "say " NI HAO " to  ");
	lineedit_kill_word(le);			/* spaces, then the word */
	assert_line(le, "say " NI HAO " ");
	lineedit_kill_word(le);
	assert_line(le, "say ");
	assert_int_equal(lineedit_yank(le), LINEEDIT_OK);
	assert_line(le, "say " NI HAO " ");
	lineedit_home(le);
	lineedit_right(le);
	lineedit_kill_end(le);
	assert_line(le, "s");
	lineedit_kill_start(le);
	assert_line(le, "");
	assert_int_equal(le->cur, 0);
	assert_int_equal(lineedit_yank(le), LINEEDIT_OK);
	assert_line(le, "s");
	lineedit_home(le);
	lineedit_kill_start(le);		/* nothing: kill kept */
	assert_int_equal(lineedit_yank(le), LINEEDIT_OK);
	assert_line(le, "ss");
}

static void
test_history(void **state)
{
	struct lineedit	*le = *state;
	char		 out[LINEEDIT_MAX + 1];
	int		 i;

	put(le, "one");
	lineedit_accept(le, out, sizeof(out));
	assert_string_equal(out, "one");
	assert_line(le, "");
	put(le, "two");
	lineedit_accept(le, out, sizeof(out));
	put(le, "two");
	lineedit_accept(le, out, sizeof(out));	/* repeat kept once */
	lineedit_accept(le, out, sizeof(out));	/* empty not kept */
	assert_int_equal(le->hist_n, 2);

	put(le, "draft " NI);
	assert_true(lineedit_history_up(le));
	assert_line(le, "two");
	assert_int_equal(le->cur, 3);
	assert_true(lineedit_history_up(le));
	assert_line(le, "one");
	assert_false(lineedit_history_up(le));
	assert_true(lineedit_history_down(le));
	assert_line(le, "two");
	assert_true(lineedit_history_down(le));
	assert_line(le, "draft " NI);		/* the edited line is back */
	assert_false(lineedit_history_down(le));

	lineedit_clear(le);
	for (i = 0; i < 150; i++) {
		char	 l[16];

		snprintf(l, sizeof(l), "l%d", i);
		lineedit_history_add(le, l);
	}
	assert_int_equal(le->hist_n, LINEEDIT_HISTORY);
	for (i = 0; lineedit_history_up(le); i++)
		;
	assert_int_equal(i, LINEEDIT_HISTORY);
	assert_line(le, "l50");			/* oldest kept */
}

static void
test_complete_names(void **state)
{
	struct lineedit		*le = *state;
	const char *const	 names[] = { "alice", "albert", "bob",
	    NI HAO "1", NI HAO "2" };

	put(le, "hi b");
	assert_int_equal(lineedit_complete(le, names, 5), 1);
	assert_line(le, "hi bob ");
	lineedit_clear(le);
	put(le, "a");
	assert_int_equal(lineedit_complete(le, names, 5), 2);
	assert_line(le, "al");			/* longest common prefix */
	lineedit_clear(le);
	put(le, NI);
	assert_int_equal(lineedit_complete(le, names, 5), 2);
	assert_line(le, NI HAO);
	lineedit_clear(le);
	put(le, "zed");
	assert_int_equal(lineedit_complete(le, names, 5), 0);
	assert_line(le, "zed");
	lineedit_clear(le);
	put(le, "/msg al");
	assert_int_equal(lineedit_complete(le, names, 5), 2);
	assert_line(le, "/msg al");
}

static void
test_complete_commands(void **state)
{
	struct lineedit	*le = *state;
	const char	*names[] = { "/quitter" };

	put(le, "/q");
	assert_int_equal(lineedit_complete(le, names, 1), 1);
	assert_line(le, "/quit ");
	lineedit_clear(le);
	put(le, "/ms");
	assert_int_equal(lineedit_complete(le, NULL, 0), 1);
	assert_line(le, "/msg ");
	lineedit_clear(le);
	put(le, "/me");
	assert_int_equal(lineedit_complete(le, NULL, 0), 1);
	assert_line(le, "/me ");
	lineedit_clear(le);
	put(le, "/m");
	assert_int_equal(lineedit_complete(le, NULL, 0), 2);
	lineedit_clear(le);
	put(le, "/");
	assert_int_equal(lineedit_complete(le, NULL, 0), 7);
	assert_line(le, "/");
}

/* Repeated Tab cycles in case-insensitive order; Shift-Tab goes back. */
static void
test_complete_cycle(void **state)
{
	struct lineedit		*le = *state;
	const char *const	 names[] = { "bobby", "Bea", "bob", "al" };

	put(le, "hi b");
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bob");		/* exact case: bobby, bob */
	assert_string_equal(le->comp.shown, "");
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bob ");
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bobby ");
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bob ");		/* round again */
	assert_int_equal(lineedit_complete_back(le, names, 4), 2);
	assert_line(le, "hi bobby ");
	assert_int_equal(lineedit_complete_back(le, names, 4), 2);
	assert_line(le, "hi bob ");
	assert_int_equal(le->cur, le->len);

	/* Folded: "B" and "b" both match; Bea sorts first. */
	lineedit_clear(le);
	put(le, "hi X");
	assert_int_equal(lineedit_complete(le, names, 4), 0);
	lineedit_clear(le);
	put(le, "hi BO");
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bob");		/* the names' spelling */
	assert_int_equal(lineedit_complete(le, names, 4), 2);
	assert_line(le, "hi bob ");
	lineedit_clear(le);
	put(le, "x ");
	assert_int_equal(lineedit_complete(le, names, 4), 4);
	assert_int_equal(lineedit_complete(le, names, 4), 4);
	assert_line(le, "x al ");
	assert_int_equal(lineedit_complete(le, names, 4), 4);
	assert_line(le, "x Bea ");
	assert_int_equal(lineedit_complete(le, names, 4), 4);
	assert_line(le, "x bob ");
}

/* Shift-Tab first: the common prefix, then the last match. */
static void
test_complete_back(void **state)
{
	struct lineedit		*le = *state;
	const char *const	 names[] = { "carol", "carl", "cat" };

	put(le, "hey c");
	assert_int_equal(lineedit_complete_back(le, names, 3), 3);
	assert_line(le, "hey ca");
	assert_int_equal(lineedit_complete_back(le, names, 3), 3);
	assert_line(le, "hey cat ");
	assert_int_equal(lineedit_complete_back(le, names, 3), 3);
	assert_line(le, "hey carol ");
	assert_int_equal(lineedit_complete(le, names, 3), 3);
	assert_line(le, "hey cat ");
}

/* At the start of the line a name is addressed, irssi style. */
static void
test_complete_line_start(void **state)
{
	struct lineedit		*le = *state;
	const char *const	 names[] = { "alice", "albert", "bob" };

	put(le, "b");
	assert_int_equal(lineedit_complete(le, names, 3), 1);
	assert_line(le, "bob: ");
	/* Tab again keeps the only match. */
	assert_int_equal(lineedit_complete(le, names, 3), 1);
	assert_line(le, "bob: ");
	lineedit_clear(le);
	put(le, "al");
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_line(le, "al");
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_line(le, "albert: ");
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_line(le, "alice: ");
	/* Text after the cursor stays where it was. */
	lineedit_clear(le);
	put(le, "al there");
	lineedit_home(le);
	lineedit_right(le);
	lineedit_right(le);
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_line(le, "albert:  there");
	assert_int_equal(le->cur, strlen("albert: "));
	assert_int_equal(lineedit_complete_back(le, names, 3), 2);
	assert_line(le, "alice:  there");
	/* Commands cycle too, with a space. */
	lineedit_clear(le);
	put(le, "/");
	assert_int_equal(lineedit_complete(le, NULL, 0), 7);
	assert_int_equal(lineedit_complete(le, NULL, 0), 7);
	assert_line(le, "/clear ");
	assert_int_equal(lineedit_complete_back(le, NULL, 0), 7);
	assert_line(le, "/who ");
}

/* Any other key ends a cycle; the next Tab starts on the new word. */
static void
test_complete_stop(void **state)
{
	struct lineedit		*le = *state;
	const char *const	 names[] = { "alice", "albert", "bob" };
	const char *const	 fewer[] = { "alice", "bob" };

	put(le, "al");
	(void)lineedit_complete(le, names, 3);
	(void)lineedit_complete(le, names, 3);
	assert_line(le, "albert: ");
	lineedit_complete_stop(le);
	put(le, "b");
	assert_int_equal(lineedit_complete(le, names, 3), 1);
	assert_line(le, "albert: bob ");
	/* An edit nobody reported ends it too (cursor and length moved). */
	lineedit_clear(le);
	put(le, "al");
	(void)lineedit_complete(le, names, 3);
	(void)lineedit_complete(le, names, 3);
	assert_line(le, "albert: ");
	lineedit_backspace(le);
	lineedit_backspace(le);
	lineedit_backspace(le);
	assert_int_equal(lineedit_complete(le, names, 3), 1);
	assert_line(le, "albert: ");
	/* A name that left meanwhile: the cycle goes on from its place. */
	lineedit_clear(le);
	put(le, "al");
	(void)lineedit_complete(le, names, 3);
	(void)lineedit_complete(le, names, 3);
	assert_line(le, "albert: ");
	assert_int_equal(lineedit_complete(le, fewer, 2), 1);
	assert_line(le, "alice: ");
	/* A line too full for the next match: the cycle stops, unchanged. */
	lineedit_clear(le);
	put(le, "al ");
	while (le->len < LINEEDIT_MAX)
		put(le, "x");
	lineedit_home(le);
	lineedit_right(le);
	lineedit_right(le);
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_int_equal(le->len, LINEEDIT_MAX);
	assert_int_equal(lineedit_complete(le, names, 3), 2);
	assert_int_equal(le->len, LINEEDIT_MAX);
	assert_int_equal(le->comp.on, 0);
}

static void
test_view_scrolls(void **state)
{
	struct lineedit	*le = *state;
	size_t		 s, e;
	int		 col;

	put(le, "abc");
	lineedit_view(le, 10, &s, &e, &col);
	assert_int_equal(s, 0);
	assert_int_equal(e, 3);
	assert_int_equal(col, 3);

	lineedit_clear(le);
	put(le, NI HAO NI HAO NI HAO);		/* 12 columns */
	lineedit_view(le, 10, &s, &e, &col);
	/* Cursor at the end needs one column: 4 chars (8 cols) shown. */
	assert_int_equal(s, 6);
	assert_int_equal(e, 18);
	assert_int_equal(col, 8);
	lineedit_home(le);
	lineedit_view(le, 10, &s, &e, &col);
	assert_int_equal(s, 0);
	assert_int_equal(col, 0);
	assert_int_equal(e, 15);		/* 5 wide chars, not 5.5 */

	/* Wider again: the start comes back into view. */
	lineedit_end(le);
	lineedit_view(le, 4, &s, &e, &col);
	assert_int_equal(s, 15);
	lineedit_view(le, 40, &s, &e, &col);
	assert_int_equal(s, 0);
	assert_int_equal(col, 12);

	lineedit_clear(le);
	put(le, "abcdefghi" NI);		/* 11 columns, width 10 */
	lineedit_home(le);
	lineedit_view(le, 10, &s, &e, &col);
	assert_int_equal(e, 9);			/* NI would straddle */
}

/*
 * A default-ignorable character is drawn as U+FFFD, one column, as the
 * chat view draws it, and the cursor steps over it visibly; the line
 * still holds what was typed. A ZWJ inside an emoji stays as it is, one
 * outside becomes U+FFFD.
 */
static void
test_shown(void **state)
{
	struct lineedit	*le = *state;
	char		 out[LINEEDIT_SHOWN_MAX];
	size_t		 s, e, n;
	int		 col;

	put(le, "a" ZWSP "b" BOM WJ SHY "c");
	assert_line(le, "a" ZWSP "b" BOM WJ SHY "c");
	lineedit_view(le, 40, &s, &e, &col);
	assert_int_equal(col, 7);
	n = lineedit_shown(le, s, e, out, sizeof(out));
	assert_string_equal(out, "a" FFFD "b" FFFD FFFD FFFD "c");
	assert_int_equal(n, strlen(out));
	lineedit_home(le);
	lineedit_right(le);
	lineedit_right(le);
	lineedit_view(le, 40, &s, &e, &col);
	assert_int_equal(col, 2);

	/* Scrolled: the columns are the drawn ones, FFFD's included. */
	lineedit_end(le);
	lineedit_view(le, 4, &s, &e, &col);
	assert_int_equal(col, 3);
	lineedit_shown(le, s, e, out, sizeof(out));
	assert_string_equal(out, FFFD FFFD "c");

	lineedit_clear(le);
	put(le, WOMAN ZWJ LAPTOP " x" ZWJ "y");
	lineedit_view(le, 40, &s, &e, &col);
	lineedit_shown(le, s, e, out, sizeof(out));
	assert_string_equal(out, WOMAN ZWJ LAPTOP " x" FFFD "y");
	/* A slice after the emoji's start still knows it. */
	lineedit_shown(le, 4, le->len, out, sizeof(out));
	assert_string_equal(out, ZWJ LAPTOP " x" FFFD "y");
	/* out too small: whole characters only. */
	lineedit_clear(le);
	put(le, ZWSP ZWSP);
	assert_int_equal(lineedit_shown(le, 0, le->len, out, 6), 3);
	assert_string_equal(out, FFFD);
}

static void
test_limit(void **state)
{
	struct lineedit	*le = *state;
	char		 big[LINEEDIT_MAX + 1], out[16];
	int		 i;

	memset(big, 'x', 897);
	big[897] = '\0';
	put(le, big);
	assert_string_equal(lineedit_counter(le, out, sizeof(out)), "");
	put(le, NI);				/* 900 bytes */
	assert_string_equal(lineedit_counter(le, out, sizeof(out)),
	    "900/1000");
	for (i = 0; i < 33; i++)
		put(le, NI);			/* 999 bytes */
	assert_int_equal(le->len, 999);
	assert_int_equal(lineedit_insert(le, 0x4f60), LINEEDIT_TOO_LONG);
	assert_int_equal(lineedit_insert_str(le, "ab", 2), LINEEDIT_TOO_LONG);
	assert_int_equal(le->len, 999);		/* refused, not truncated */
	assert_int_equal(lineedit_insert(le, 'y'), LINEEDIT_OK);
	assert_int_equal(le->len, LINEEDIT_MAX);
	assert_string_equal(lineedit_counter(le, out, sizeof(out)),
	    "1000/1000");
	lineedit_kill_start(le);
	put(le, "z");
	assert_int_equal(lineedit_yank(le), LINEEDIT_TOO_LONG);
	assert_line(le, "z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_move_ascii,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cjk_and_emoji_whole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_backspace_delete_edges,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_invalid,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_kills_and_yank,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_names,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_commands,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_cycle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_line_start,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_stop,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_view_scrolls,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for chat_server/term.c's key decoder: the keys a teacher
 * presses (arrows, Home/End, Delete, the emacs Ctrl keys, Tab) come out
 * as keys, UTF-8 as characters, and no byte of an escape sequence, known
 * or not, ever comes out as a character to type: Up then Enter must not
 * announce "^[[A".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "term.h"

/* Feeds s; the keys into out (n at most), characters as TERM_CHAR. */
static size_t
feed(const char *s, enum term_keycode *out, uint32_t *cps, size_t n)
{
	struct term_keys	 k;
	enum term_keycode	 key;
	uint32_t		 cp;
	size_t			 got = 0;

	memset(&k, 0, sizeof(k));
	for (; *s != '\0'; s++) {
		if ((key = term_key(&k, (unsigned char)*s, &cp)) == TERM_NONE)
			continue;
		if (got < n) {
			out[got] = key;
			cps[got] = cp;
		}
		got++;
	}
	return got;
}

static enum term_keycode
one(const char *s)
{
	enum term_keycode	 k[4];
	uint32_t		 cp[4];

	assert_int_equal(feed(s, k, cp, 4), 1);
	return k[0];
}

static void
test_sequences(void **state)
{
	(void)state;
	assert_int_equal(one("\x1b[A"), TERM_UP);
	assert_int_equal(one("\x1b[B"), TERM_DOWN);
	assert_int_equal(one("\x1b[C"), TERM_RIGHT);
	assert_int_equal(one("\x1b[D"), TERM_LEFT);
	assert_int_equal(one("\x1bOA"), TERM_UP);
	assert_int_equal(one("\x1bOH"), TERM_HOME);
	assert_int_equal(one("\x1b[H"), TERM_HOME);
	assert_int_equal(one("\x1b[F"), TERM_END);
	assert_int_equal(one("\x1b[1~"), TERM_HOME);
	assert_int_equal(one("\x1b[4~"), TERM_END);
	assert_int_equal(one("\x1b[3~"), TERM_DELETE);
	assert_int_equal(one("\x1b[Z"), TERM_BACKTAB);
	/* Modified arrows (Ctrl-Up) are still arrows. */
	assert_int_equal(one("\x1b[1;5A"), TERM_UP);
	/* Alt-Up on some terminals. */
	assert_int_equal(one("\x1b\x1b[A"), TERM_UP);
}

static void
test_controls(void **state)
{
	(void)state;
	assert_int_equal(one("\x01"), TERM_HOME);
	assert_int_equal(one("\x05"), TERM_END);
	assert_int_equal(one("\x15"), TERM_KILL_START);
	assert_int_equal(one("\x17"), TERM_KILL_WORD);
	assert_int_equal(one("\x0b"), TERM_KILL_END);
	assert_int_equal(one("\x19"), TERM_YANK);
	assert_int_equal(one("\x7f"), TERM_BACKSPACE);
	assert_int_equal(one("\r"), TERM_ENTER);
	assert_int_equal(one("\n"), TERM_ENTER);
	assert_int_equal(one("\t"), TERM_TAB);
	assert_int_equal(one("\x10"), TERM_UP);
	assert_int_equal(one("\x0e"), TERM_DOWN);
}

static void
test_characters(void **state)
{
	enum term_keycode	 k[8];
	uint32_t		 cp[8];

	(void)state;
	assert_int_equal(feed("a\xe5\xbc\xa0\xf0\x9f\x98\x80", k, cp, 8), 3);
	assert_int_equal(k[0], TERM_CHAR);
	assert_int_equal(cp[0], 'a');
	assert_int_equal(cp[1], 0x5f20);
	assert_int_equal(cp[2], 0x1f600);
	/* Broken UTF-8 is dropped, the next character is not. */
	assert_int_equal(feed("\xe5\xbc" "b\xff\x80" "c", k, cp, 8), 2);
	assert_int_equal(cp[0], 'b');
	assert_int_equal(cp[1], 'c');
}

/* Nothing of an escape sequence is ever a character to type. */
static void
test_never_typed(void **state)
{
	static const char *const junk[] = {
		"\x1b[200~", "\x1b[201~", "\x1b[5~", "\x1b[15~", "\x1b[?1049h",
		"\x1b]0;title\x07", "\x1b" "a", "\x1b", "\x1b[", "\x1b[1;",
		"\x1b[M", "\x1bOP", "\x1b[999999999999999999999999999999999~",
		"\x1b" "\x1b", "\x1bP1$r0m\x1b\\", "\x1b[\x80~",
	};
	enum term_keycode	 k[64];
	uint32_t		 cp[64];
	size_t			 i, j, n;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		n = feed(junk[i], k, cp, 64);
		for (j = 0; j < n && j < 64; j++)
			assert_int_not_equal(k[j], TERM_CHAR);
	}
	/* After junk, typing goes on as normal. */
	n = feed("\x1b[5~x", k, cp, 64);
	assert_int_equal(n, 1);
	assert_int_equal(cp[0], 'x');
	n = feed("\x1b]0;t\x07y", k, cp, 64);
	assert_int_equal(n, 1);
	assert_int_equal(cp[0], 'y');
	/* Esc [ then Enter: the Enter still counts. */
	assert_int_equal(one("\x1b[\r"), TERM_ENTER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_characters),
		cmocka_unit_test(test_never_typed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

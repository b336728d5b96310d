/*
 * Unit tests for chat_client/paste.c: a bracketed paste becomes one
 * edit (one line) or a list of lines to send, line ends in any form,
 * and a pasted /command is said as text, never run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "paste.h"

static struct paste	 p;

static void
feed(const char *s)
{
	paste_begin(&p);
	for (; *s != '\0'; s++)
		paste_add(&p, (unsigned char)*s);
}

/* Every line left, joined with '|'. */
static const char *
lines(void)
{
	static char	 out[512];
	char		 line[128];
	size_t		 o = 0;

	out[0] = '\0';
	while (paste_next(&p, line, sizeof(line)) == 1)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    o ? "|" : "", line);
	return out;
}

static void
test_one_line(void **state)
{
	(void)state;
	feed("hello\tworld\n");
	assert_int_equal(paste_end(&p, "", 0, "", 0), 1);
	assert_int_equal(p.len, 11);
	assert_memory_equal(p.buf, "hello world", 11);
	assert_string_equal(lines(), "");
}

static void
test_lines_any_ending(void **state)
{
	(void)state;
	feed("one\r\ntwo\rthree\nfour\r\n");
	assert_int_equal(paste_end(&p, "", 0, "", 0), 4);
	assert_string_equal(lines(), "one|two|three|four");
}

static void
test_head_and_tail(void **state)
{
	(void)state;
	feed("a\nb");
	assert_int_equal(paste_end(&p, "typed ", 6, " end", 4), 2);
	assert_string_equal(lines(), "typed a|b end");
}

static void
test_commands_said(void **state)
{
	(void)state;
	feed("/quit\n/msg bob hi\n//x");
	assert_int_equal(paste_end(&p, "", 0, "", 0), 3);
	assert_string_equal(lines(), "//quit|//msg bob hi|///x");
	/* What was typed before the paste keeps its meaning. */
	feed("/not a command\nsecond");
	assert_int_equal(paste_end(&p, "/msg bob ", 9, "", 0), 2);
	assert_string_equal(lines(), "/msg bob /not a command|second");
}

static void
test_drop_and_controls(void **state)
{
	(void)state;
	feed("x\x1b[31my\nz");
	assert_int_equal(paste_end(&p, "", 0, "", 0), 2);
	paste_drop(&p);
	assert_string_equal(lines(), "");
	feed("x\x1b[31my\nz");
	paste_end(&p, "", 0, "", 0);
	assert_string_equal(lines(), "x[31my|z");
}

static void
test_too_long(void **state)
{
	size_t	 i;

	(void)state;
	paste_begin(&p);
	for (i = 0; i < PASTE_MAX + 10; i++)
		paste_add(&p, i % 100 == 99 ? '\n' : 'a');
	assert_int_equal(p.len, PASTE_MAX);
	assert_int_equal(p.dropped, 10);
	assert_true(paste_end(&p, "", 0, "", 0) > 600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_lines_any_ending),
		cmocka_unit_test(test_head_and_tail),
		cmocka_unit_test(test_commands_said),
		cmocka_unit_test(test_drop_and_controls),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

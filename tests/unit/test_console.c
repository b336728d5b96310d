/*
 * Unit tests for chat_server/console.c: which lines are commands, the
 * "//" escape, taking words, cleaning of announcements, durations, and
 * that nothing the formatters print holds a raw control character. The
 * commands themselves: test_cmd.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"

static void
parse(const char *line, struct console_line *c)
{
	console_parse(line, strlen(line), c);
}

static void
no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void
test_announce(void **state)
{
	struct console_line	 c;

	(void)state;
	parse("hello class", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "hello class");
	parse("  \t spaced out \r", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "spaced out");
	parse("tab\there \x1b[31m", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "tab here ^[[31m");
	parse("", &c);
	assert_int_equal(c.kind, CONSOLE_NOTHING);
	parse(" \t ", &c);
	assert_int_equal(c.kind, CONSOLE_NOTHING);
	/* A slash later in the line is text. */
	parse("a/b", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "a/b");
}

static void
test_double_slash(void **state)
{
	struct console_line	 c;

	(void)state;
	parse("//x", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "/x");
	parse("  //who is there?", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "/who is there?");
	parse("///", &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_string_equal(c.text, "//");
}

static void
test_commands(void **state)
{
	struct console_line	 c;

	(void)state;
	parse("/help", &c);
	assert_int_equal(c.kind, CONSOLE_COMMAND);
	assert_int_equal(c.word_len, 4);
	assert_memory_equal(c.word, "help", 4);
	assert_int_equal(c.rest_len, 0);
	parse("   /who\r", &c);
	assert_int_equal(c.kind, CONSOLE_COMMAND);
	assert_int_equal(c.word_len, 3);
	assert_int_equal(c.rest_len, 0);
	parse("/kick\tbob   too   loud \t", &c);
	assert_int_equal(c.kind, CONSOLE_COMMAND);
	assert_int_equal(c.word_len, 4);
	assert_int_equal(c.rest_len, strlen("\tbob   too   loud \t"));
	assert_memory_equal(c.rest, "\tbob", 4);
	parse("/", &c);
	assert_int_equal(c.kind, CONSOLE_COMMAND);
	assert_int_equal(c.word_len, 0);
}

static void
test_words(void **state)
{
	const char	*s = " \tbob   r\xe2\x80\x8fl  ";
	size_t		 len = strlen(s);
	char		 w[8], small[4];

	(void)state;
	assert_int_equal(console_word(&s, &len, w, sizeof(w)), 3);
	assert_string_equal(w, "bob");
	/* Names are taken raw: a bidi mark stays what it is. */
	assert_int_equal(console_word(&s, &len, w, sizeof(w)), 5);
	assert_string_equal(w, "r\xe2\x80\x8fl");
	assert_int_equal(console_word(&s, &len, w, sizeof(w)), 0);
	assert_string_equal(w, "");
	/* A word longer than the room is cut on a character boundary. */
	s = "\xe5\xbc\xa0\xe4\xbc\x9f";
	len = strlen(s);
	assert_int_equal(console_word(&s, &len, small, sizeof(small)), 6);
	assert_string_equal(small, "\xe5\xbc\xa0");
	/* No room: only counted. */
	s = "abc def";
	len = strlen(s);
	assert_int_equal(console_word(&s, &len, NULL, 0), 3);
	assert_int_equal(len, 4);
}

static void
test_long_lines(void **state)
{
	struct console_line	 c;
	char			 line[CONSOLE_LINE_MAX + 100];

	(void)state;
	/* An overlong announcement is cut to the text limit. */
	memset(line, 'a', sizeof(line));
	console_parse(line, sizeof(line), &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_int_equal(strlen(c.text), PROTO_TEXT_MAX);
	/* An endless command stays within the line limit. */
	line[0] = '/';
	console_parse(line, sizeof(line), &c);
	assert_int_equal(c.kind, CONSOLE_COMMAND);
	assert_true(c.word_len < CONSOLE_LINE_MAX);
}

static void
test_duration(void **state)
{
	char	 d[24];

	(void)state;
	console_duration(0, d, sizeof(d));
	assert_string_equal(d, "0s");
	console_duration(59, d, sizeof(d));
	assert_string_equal(d, "59s");
	console_duration(61, d, sizeof(d));
	assert_string_equal(d, "1m");
	console_duration(3600 * 2 + 5 * 60 + 7, d, sizeof(d));
	assert_string_equal(d, "2h05m");
	console_duration(86400 * 3 + 3600 * 4, d, sizeof(d));
	assert_string_equal(d, "3d04h");
}

static void
test_who_row(void **state)
{
	struct console_who	 w;
	char			 row[512];

	(void)state;
	w.name = "alice";
	w.addr = "127.0.0.1:4000";
	w.idle_s = 12;
	w.online_s = 3 * 60 + 5;
	w.chats = 42;
	w.note = "";
	console_who_row(&w, row, sizeof(row));
	assert_string_equal(row,
	    "alice            127.0.0.1:4000            12s      3m     42\n");
	assert_int_equal(strlen(row), strlen(console_who_header()) -
	    strlen("  NOTE"));
	/* A CJK name takes its columns, not its bytes. */
	w.name = "张伟";
	w.note = "muted 5m";
	console_who_row(&w, row, sizeof(row));
	assert_string_equal(row, "张伟             127.0.0.1:4000            "
	    "12s      3m     42  muted 5m\n");
	/* Whatever the strings hold, the row holds no control character. */
	w.name = "a\x1b[2Jb\xe2\x80\x8f";
	w.addr = "[fe80::1%e\x1bth0]:1";
	w.note = "\x1b[31m";
	console_who_row(&w, row, sizeof(row));
	row[strlen(row) - 1] = '\0';
	no_controls(row);
	assert_null(strstr(row, "\xe2\x80\x8f"));
}

/* Look-alike names differ on the operator's screen, and /kick takes them. */
static void
test_show_name(void **state)
{
	char	 out[CONSOLE_SHOWN_MAX], back[PROTO_NAME_MAX_BYTES + 1];

	(void)state;
	console_show_name("alice", out, sizeof(out));
	assert_string_equal(out, "alice");
	console_show_name("\xe5\xbc\xa0\xe4\xbc\x9f", out, sizeof(out));
	assert_string_equal(out, "\xe5\xbc\xa0\xe4\xbc\x9f");
	/* U+200B zero width space, U+2060 word joiner, U+FEFF, a tag. */
	console_show_name("alice\xe2\x80\x8b", out, sizeof(out));
	assert_string_equal(out, "alice<U+200B>");
	console_show_name("a\xe2\x81\xa0l\xef\xbb\xbf\xf3\xa0\x80\x81",
	    out, sizeof(out));
	assert_string_equal(out, "a<U+2060>l<U+FEFF><U+E0001>");
	/* The bidi mark is named, not only replaced. */
	console_show_name("bob\xe2\x80\x8f", out, sizeof(out));
	assert_string_equal(out, "bob<U+200F>");
	/* The longest name of invisible characters fits. */
	console_show_name("\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"
	    "\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"
	    "\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"
	    "\xe2\x80\x8b\xe2\x80\x8b", out, sizeof(out));
	assert_int_equal(strlen(out), 16 * strlen("<U+200B>"));

	/* And back, as /kick reads it. */
	assert_true(console_unshow_name("alice<U+200B>", back, sizeof(back)));
	assert_string_equal(back, "alice\xe2\x80\x8b");
	assert_true(console_unshow_name("<U+E0001>x", back, sizeof(back)));
	assert_string_equal(back, "\xf3\xa0\x80\x81x");
	/* Nothing to turn back, or not an invisible character: no name. */
	assert_false(console_unshow_name("alice", back, sizeof(back)));
	assert_false(console_unshow_name("a<U+0041>", back, sizeof(back)));
	assert_false(console_unshow_name("a<U+200B", back, sizeof(back)));
	assert_false(console_unshow_name("a<U+-200B>", back, sizeof(back)));
	assert_false(console_unshow_name("a<U+ 200B>", back, sizeof(back)));
	/* Longer than a name once turned back. */
	assert_false(console_unshow_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa<U+200B>", back, sizeof(back)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_announce),
		cmocka_unit_test(test_double_slash),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_who_row),
		cmocka_unit_test(test_show_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

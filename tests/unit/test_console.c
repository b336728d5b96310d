/*
 * Unit tests for chat_server/console.c: which lines are commands, the
 * "//" escape, /kick's name and reason, errors in one line, cleaning of
 * announcements, and that nothing the formatters print holds a raw
 * control character.
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
parse(const char *line, struct console_cmd *c)
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
	struct console_cmd	 c;

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
	struct console_cmd	 c;

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
	struct console_cmd	 c;

	(void)state;
	parse("/help", &c);
	assert_int_equal(c.kind, CONSOLE_HELP);
	parse("/who", &c);
	assert_int_equal(c.kind, CONSOLE_WHO);
	parse("   /who\r", &c);
	assert_int_equal(c.kind, CONSOLE_WHO);
	parse("/who extra", &c);
	assert_int_equal(c.kind, CONSOLE_WHO);
	/* Command words are exact: /whoami is not /who. */
	parse("/whoami", &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	assert_non_null(strstr(c.error, "'/whoami'"));
	assert_non_null(strstr(c.error, "/help"));
	parse("/", &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	assert_non_null(strstr(c.error, "/help"));
}

static void
test_kick(void **state)
{
	struct console_cmd	 c;
	char			 line[CONSOLE_SHOWN_MAX + 100];

	(void)state;
	parse("/kick bob", &c);
	assert_int_equal(c.kind, CONSOLE_KICK);
	assert_true(c.name_ok);
	assert_string_equal(c.name, "bob");
	assert_string_equal(c.text, "");
	parse("/kick\tbob   too   loud \t", &c);
	assert_int_equal(c.kind, CONSOLE_KICK);
	assert_string_equal(c.name, "bob");
	assert_string_equal(c.text, "too   loud");
	/* Names are taken raw: a bidi mark stays what it is. */
	parse("/kick r\xe2\x80\x8fl spam\x1b", &c);
	assert_int_equal(c.kind, CONSOLE_KICK);
	assert_string_equal(c.name, "r\xe2\x80\x8fl");
	assert_string_equal(c.text, "spam^[");
	parse("/kick", &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	assert_non_null(strstr(c.error, "usage: /kick NAME"));
	parse("/kick   ", &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	/* Longer than any name: never found, never overflows. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "/kick ", 6);
	console_parse(line, sizeof(line), &c);
	assert_int_equal(c.kind, CONSOLE_KICK);
	assert_false(c.name_ok);
	assert_int_equal(strlen(c.name), sizeof(c.name) - 1);
}

static void
test_errors_safe(void **state)
{
	struct console_cmd	 c;
	char			 line[CONSOLE_LINE_MAX + 100];

	(void)state;
	parse("/\x1b]0;title\x07\xc2\x9b" "31m", &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	no_controls(c.error);
	/* An endless command word is cut, the error stays one short line. */
	memset(line, 'z', sizeof(line));
	line[0] = '/';
	console_parse(line, sizeof(line), &c);
	assert_int_equal(c.kind, CONSOLE_ERROR);
	assert_true(strlen(c.error) < 150);
	assert_null(strchr(c.error, '\n'));
	/* An overlong announcement is cut to the text limit. */
	memset(line, 'a', sizeof(line));
	console_parse(line, sizeof(line), &c);
	assert_int_equal(c.kind, CONSOLE_ANNOUNCE);
	assert_int_equal(strlen(c.text), PROTO_TEXT_MAX);
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
	w.unacked = 3;
	w.chats = 42;
	console_who_row(&w, row, sizeof(row));
	assert_string_equal(row,
	    "alice            127.0.0.1:4000            12s       3      42\n");
	assert_int_equal(strlen(row), strlen(console_who_header()));
	/* A CJK name takes its columns, not its bytes. */
	w.name = "张伟";
	console_who_row(&w, row, sizeof(row));
	assert_string_equal(row, "张伟             127.0.0.1:4000            "
	    "12s       3      42\n");
	/* Whatever the strings hold, the row holds no control character. */
	w.name = "a\x1b[2Jb\xe2\x80\x8f";
	w.addr = "[fe80::1%e\x1bth0]:1";
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

static void
test_help(void **state)
{
	(void)state;
	assert_non_null(strstr(console_help(), "/who"));
	assert_non_null(strstr(console_help(), "/kick NAME"));
	assert_non_null(strstr(console_help(), "//text"));
	assert_non_null(strstr(console_help(), "/help"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_announce),
		cmocka_unit_test(test_double_slash),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_kick),
		cmocka_unit_test(test_errors_safe),
		cmocka_unit_test(test_who_row),
		cmocka_unit_test(test_show_name),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

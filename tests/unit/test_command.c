/*
 * Unit tests for chat_client/command.c: how a typed line becomes a
 * request or a local error (the text rules of docs/protocol.md, "Names
 * and text": trimmed, tab -> space, no control characters, at most 1000
 * bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"

#define UNUSED(x)	((void)(x))

static struct command	 c;

static void
test_chat_plain(void **state)
{
	UNUSED(state);
	command_parse("hello world", &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_string_equal(c.text, "hello world");
}

static void
test_chat_trim_tabs_controls(void **state)
{
	UNUSED(state);
	command_parse("  \t a\tb\x01" "c\x7f\x1b[31m d  \t ", &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_string_equal(c.text, "a bc[31m d");
}

static void
test_chat_c1_removed_cjk_kept(void **state)
{
	UNUSED(state);
	/* U+009B (CSI) is a C1 control; U+3000 is an ideographic space. */
	command_parse("\xe3\x80\x80你好\xc2\x9b世界\xe3\x80\x80", &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_string_equal(c.text, "你好世界");
}

static void
test_chat_inner_unicode_space_kept(void **state)
{
	UNUSED(state);
	command_parse("a\xe3\x80\x80" "b", &c);
	assert_string_equal(c.text, "a\xe3\x80\x80" "b");
}

static void
test_chat_invalid_utf8(void **state)
{
	UNUSED(state);
	command_parse("a\xff" "b", &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_string_equal(c.text, "a\xef\xbf\xbd" "b");
}

static void
test_empty_lines(void **state)
{
	UNUSED(state);
	command_parse("", &c);
	assert_int_equal(c.kind, COMMAND_NONE);
	command_parse(" \t \x01 ", &c);
	assert_int_equal(c.kind, COMMAND_NONE);
}

static void
test_double_slash(void **state)
{
	UNUSED(state);
	command_parse("//not a command", &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_string_equal(c.text, "/not a command");
}

static void
test_limit(void **state)
{
	char	*line;

	UNUSED(state);
	line = malloc(1235);
	assert_non_null(line);
	memset(line, 'x', 1000);
	line[1000] = '\0';
	command_parse(line, &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	assert_int_equal(strlen(c.text), 1000);

	memset(line, 'x', 1234);
	line[1234] = '\0';
	command_parse(line, &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "message is 1234 bytes; the limit is 1000");

	/* Trimmed blanks do not count. */
	memset(line, ' ', 1234);
	memset(line + 100, 'y', 1000);
	command_parse(line, &c);
	assert_int_equal(c.kind, COMMAND_CHAT);
	free(line);
}

static void
test_limit_multibyte(void **state)
{
	char	 line[1100];
	int	 i;

	UNUSED(state);
	/* 334 three-byte characters: 1002 bytes. */
	for (i = 0; i < 334; i++)
		memcpy(line + i * 3, "中", 3);
	line[334 * 3] = '\0';
	command_parse(line, &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "message is 1002 bytes; the limit is 1000");
}

static void
test_msg(void **state)
{
	UNUSED(state);
	command_parse("/msg bob  hi\tthere ", &c);
	assert_int_equal(c.kind, COMMAND_MSG);
	assert_string_equal(c.to, "bob");
	assert_string_equal(c.text, "hi there");
	command_parse("/msg 小明 你好", &c);
	assert_int_equal(c.kind, COMMAND_MSG);
	assert_string_equal(c.to, "小明");
	assert_string_equal(c.text, "你好");
}

static void
test_msg_errors(void **state)
{
	UNUSED(state);
	command_parse("/msg", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /msg NAME TEXT");
	command_parse("/msg bob", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /msg NAME TEXT");
	command_parse("/msg bob   \x01 ", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	command_parse("/msg #bob hi", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_non_null(strstr(c.error, "'#bob' is not a valid name"));
}

static void
test_nick(void **state)
{
	UNUSED(state);
	command_parse("/nick alicia", &c);
	assert_int_equal(c.kind, COMMAND_NICK);
	assert_string_equal(c.to, "alicia");
	command_parse("/nick", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /nick NEWNAME");
	command_parse("/nick @x", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	command_parse("/nick abcdefghijklmnopq", &c);	/* 17 characters */
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_non_null(strstr(c.error, "1-16 characters"));
}

static void
test_simple_commands(void **state)
{
	UNUSED(state);
	command_parse("/who", &c);
	assert_int_equal(c.kind, COMMAND_WHO);
	command_parse("  /quit  ", &c);
	assert_int_equal(c.kind, COMMAND_QUIT);
	assert_string_equal(c.text, "");
	command_parse("/quit  see you\ttomorrow ", &c);
	assert_int_equal(c.kind, COMMAND_QUIT);
	assert_string_equal(c.text, "see you tomorrow");
	command_parse("/quit \x1b", &c);	/* nothing left: a plain quit */
	assert_int_equal(c.kind, COMMAND_QUIT);
	assert_string_equal(c.text, "");
	command_parse("/me  waves\x07 ", &c);
	assert_int_equal(c.kind, COMMAND_ACTION);
	assert_string_equal(c.text, "waves");
	command_parse("/me", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /me TEXT");
	command_parse("/meow", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	command_parse("/help", &c);
	assert_int_equal(c.kind, COMMAND_HELP);
	command_parse("/clear", &c);
	assert_int_equal(c.kind, COMMAND_CLEAR);
}

/* Commands are case-insensitive, as in IRC clients; arguments are not. */
static void
test_any_case(void **state)
{
	UNUSED(state);
	command_parse("/MSG Bob Hi There", &c);
	assert_int_equal(c.kind, COMMAND_MSG);
	assert_string_equal(c.to, "Bob");
	assert_string_equal(c.text, "Hi There");
	command_parse("/Quit", &c);
	assert_int_equal(c.kind, COMMAND_QUIT);
	command_parse("/WHO", &c);
	assert_int_equal(c.kind, COMMAND_WHO);
	command_parse("/Nick Carol", &c);
	assert_int_equal(c.kind, COMMAND_NICK);
	assert_string_equal(c.to, "Carol");
	command_parse("/HeLp", &c);
	assert_int_equal(c.kind, COMMAND_HELP);
	command_parse("/CLEAR", &c);
	assert_int_equal(c.kind, COMMAND_CLEAR);
}

static void
test_unknown(void **state)
{
	UNUSED(state);
	command_parse("/frob x", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "unknown command /frob; /help lists them");
	/* A control byte in the command name is not echoed raw. */
	command_parse("/\x1b[2J", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_null(strchr(c.error, '\x1b'));
}

static void
test_clean_truncates_at_boundary(void **state)
{
	char	 out[6];
	size_t	 need;

	UNUSED(state);
	need = command_clean("ab中文", 8, out, sizeof(out));
	assert_int_equal(need, 8);
	assert_string_equal(out, "ab中");
	/* One byte short of "ab中" and its NUL: the character is left out. */
	need = command_clean("ab中文", 8, out, 5);
	assert_int_equal(need, 8);
	assert_string_equal(out, "ab");
}

static void
test_help(void **state)
{
	char	 help[COMMAND_HELP_MAX];

	UNUSED(state);
	command_help(help, sizeof(help));
	assert_non_null(strstr(help, "/msg NAME TEXT"));
	assert_non_null(strstr(help, "/quit [TEXT]"));
	assert_non_null(strstr(help, "/me TEXT"));
	/* The keys of the full screen, with those added later. */
	assert_non_null(strstr(help, "Shift-Tab"));
	assert_non_null(strstr(help, "^Z "));
}

/* /help and Tab both come from the table: every name is in /help. */
/* /filter, /ignore, /unignore, /search: what the user chose to see. */
static void
test_view_commands(void **state)
{
	UNUSED(state);
	command_parse("/filter", &c);
	assert_int_equal(c.kind, COMMAND_FILTER);
	assert_string_equal(c.text, "");
	command_parse("/FILTER  Joins ", &c);
	assert_int_equal(c.kind, COMMAND_FILTER);
	assert_string_equal(c.text, "joins");
	command_parse("/filter parts", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /filter [joins]");
	command_parse("/ignore", &c);
	assert_int_equal(c.kind, COMMAND_IGNORE);
	assert_string_equal(c.to, "");
	command_parse("/ignore  bob ", &c);
	assert_int_equal(c.kind, COMMAND_IGNORE);
	assert_string_equal(c.to, "bob");
	command_parse("/ignore bob carol", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	command_parse("/unignore", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /unignore NAME");
	command_parse("/unignore bob", &c);
	assert_int_equal(c.kind, COMMAND_UNIGNORE);
	assert_string_equal(c.to, "bob");
	command_parse("/search", &c);
	assert_int_equal(c.kind, COMMAND_SEARCH);
	assert_string_equal(c.text, "");
	command_parse("/search  the  plan\t", &c);
	assert_int_equal(c.kind, COMMAND_SEARCH);
	assert_string_equal(c.text, "the  plan");
}

static void
test_table_drives_help_and_names(void **state)
{
	const char	*names[COMMAND_NAMES_MAX];
	char		 help[COMMAND_HELP_MAX], want[64];
	size_t		 i, n;

	UNUSED(state);
	command_help(help, sizeof(help));
	n = command_names(names, COMMAND_NAMES_MAX);
	assert_true(n >= 7 && n <= COMMAND_NAMES_MAX);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "  %s", names[i]);
		assert_non_null(strstr(help, want));
	}
	assert_string_equal(help, "commands:\n"
	    "  TEXT             say TEXT to the room (//TEXT says /TEXT)\n"
	    "  /me TEXT         say TEXT as an action: * you TEXT\n"
	    "  /msg NAME TEXT   say TEXT to NAME alone\n"
	    "  /who             list who is online\n"
	    "  /nick NEWNAME    change your name\n"
	    "  /clear           clear the view (PageUp shows what was there)\n"
	    "  /help            this list\n"
	    "  /quit [TEXT]     leave, telling the room TEXT (Ctrl-D, Ctrl-C: "
	    "no TEXT)\n"
	    "  /filter [joins]  hide or show joins and leaves; alone: say which\n"
	    "  /ignore [NAME]   hide NAME's lines (kept in client.conf); alone: "
	    "list\n"
	    "  /unignore NAME   show NAME's lines again\n"
	    "  /search [TEXT]   scroll to an earlier line with TEXT; alone: the "
	    "next\n"
	    "  /query [NAME]    what you type goes to NAME alone; alone: to the "
	    "room\n"
	    "  /r TEXT          say TEXT to the last one who wrote to you "
	    "privately\n"
	    "  /away [TEXT]     mark yourself away here only (nobody is told)\n"
	    "  /back            end /away; say what came meanwhile\n"
	    "  /names           show or hide the list of names (F2; --plain: "
	    "print it)\n"
	    "  /topic           show the room's topic\n"
	    "  /mouse           the wheel scrolls (Shift+drag selects), or not\n"
	    "keys (full screen):\n"
	    "  Left Right Home End ^A ^E  move in the line\n"
	    "  Backspace Delete           delete a character\n"
	    "  ^U ^K ^W, ^Y               cut to start, to end, a word; paste\n"
	    "  Up Down                    earlier lines you typed\n"
	    "  Tab, Shift-Tab             complete a name or a command; again:\n"
	    "                             the next match, the one before\n"
	    "  PageUp PageDown End        scroll; End goes to the newest\n"
	    "  mouse wheel                scroll (Shift+drag selects; /mouse)\n"
	    "  ^R                         /search what the line holds\n"
	    "  F2                         show or hide the list of names\n"
	    "  ^L                         redraw the screen\n"
	    "  (a paste of several lines asks before sending them)\n"
	    "  ^Z                         suspend (fg resumes; you stay online)");
}

static void
test_query_reply_away(void **state)
{
	struct command	 c;

	UNUSED(state);
	command_parse("/query bob", &c);
	assert_int_equal(c.kind, COMMAND_QUERY);
	assert_string_equal(c.to, "bob");
	command_parse("/QUERY", &c);
	assert_int_equal(c.kind, COMMAND_QUERY);
	assert_string_equal(c.to, "");
	command_parse("/query bob hello", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /query [NAME]");
	command_parse("/query #bad", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	command_parse("/r  see you ", &c);
	assert_int_equal(c.kind, COMMAND_REPLY);
	assert_string_equal(c.text, "see you");
	command_parse("/r", &c);
	assert_int_equal(c.kind, COMMAND_ERROR);
	assert_string_equal(c.error, "usage: /r TEXT");
	command_parse("/away lunch", &c);
	assert_int_equal(c.kind, COMMAND_AWAY);
	assert_string_equal(c.text, "lunch");
	command_parse("/away", &c);
	assert_int_equal(c.kind, COMMAND_AWAY);
	assert_string_equal(c.text, "");
	command_parse("/back", &c);
	assert_int_equal(c.kind, COMMAND_BACK);
	command_parse("/names", &c);
	assert_int_equal(c.kind, COMMAND_NAMES);
	command_parse("/topic", &c);
	assert_int_equal(c.kind, COMMAND_TOPIC);
	command_parse("/mouse", &c);
	assert_int_equal(c.kind, COMMAND_MOUSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chat_plain),
		cmocka_unit_test(test_chat_trim_tabs_controls),
		cmocka_unit_test(test_chat_c1_removed_cjk_kept),
		cmocka_unit_test(test_chat_inner_unicode_space_kept),
		cmocka_unit_test(test_chat_invalid_utf8),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_double_slash),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_limit_multibyte),
		cmocka_unit_test(test_msg),
		cmocka_unit_test(test_msg_errors),
		cmocka_unit_test(test_nick),
		cmocka_unit_test(test_simple_commands),
		cmocka_unit_test(test_any_case),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_clean_truncates_at_boundary),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_view_commands),
		cmocka_unit_test(test_table_drives_help_and_names),
		cmocka_unit_test(test_query_reply_away),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

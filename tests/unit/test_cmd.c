/*
 * Unit tests for chat_server/cmd.c: the one table runs a line, checks
 * each command's words before its exec sees them (the usage in one line
 * otherwise), names an unknown command safely, and gives /help and Tab
 * every command. The server's exec functions are stubs here that record
 * what they were given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "server_int.h"

static struct {
	const char	*called;
	struct cmd_args	 args;
} got;

#define STUB(fn)							\
int									\
fn(struct server *srv, const struct cmd_args *a, struct cmd_out *out)	\
{									\
	(void)srv;							\
	(void)out;							\
	got.called = #fn;						\
	got.args = *a;							\
	return 0;							\
}
STUB(server_cmd_announce)
STUB(server_cmd_ban)
STUB(server_cmd_bans)
STUB(server_cmd_kick)
STUB(server_cmd_msg)
STUB(server_cmd_mute)
STUB(server_cmd_rename)
STUB(server_cmd_slow)
STUB(server_cmd_topic)
STUB(server_cmd_unban)
STUB(server_cmd_unmute)
STUB(server_cmd_who)

static char	 buf[CMD_OUT_MAX];

static int
run(const char *line)
{
	struct cmd_out	 out = { buf, sizeof(buf), 0 };

	buf[0] = '\0';
	got.called = NULL;
	memset(&got.args, 0, sizeof(got.args));
	return cmd_run(NULL, line, strlen(line), &out);
}

static void
test_announce(void **state)
{
	(void)state;
	assert_int_equal(run("hello class"), 0);
	assert_string_equal(got.called, "server_cmd_announce");
	assert_string_equal(got.args.text, "hello class");
	assert_int_equal(run("//who"), 0);
	assert_string_equal(got.args.text, "/who");
	assert_int_equal(run("/announce  /who  is here "), 0);
	assert_string_equal(got.called, "server_cmd_announce");
	assert_string_equal(got.args.text, "/who  is here");
	/* Nothing to say: nothing run. */
	assert_int_equal(run("  \t "), -1);
	assert_null(got.called);
	assert_int_equal(run("/announce"), -1);
	assert_null(got.called);
	assert_non_null(strstr(buf, "usage: /announce TEXT"));
}

static void
test_words(void **state)
{
	(void)state;
	assert_int_equal(run("/kick\tbob   too   loud \t"), 0);
	assert_string_equal(got.called, "server_cmd_kick");
	assert_int_equal(got.args.nwords, 1);
	assert_string_equal(got.args.word[0], "bob");
	assert_true(got.args.word_ok[0]);
	assert_string_equal(got.args.text, "too   loud");
	assert_int_equal(run("/kick r\xe2\x80\x8fl spam\x1b"), 0);
	assert_string_equal(got.args.word[0], "r\xe2\x80\x8fl");
	assert_string_equal(got.args.text, "spam^[");
	assert_int_equal(run("/mute alice 10"), 0);
	assert_string_equal(got.called, "server_cmd_mute");
	assert_int_equal(got.args.nwords, 2);
	assert_string_equal(got.args.word[1], "10");
	assert_int_equal(run("/mute alice"), 0);
	assert_int_equal(got.args.nwords, 1);
	assert_int_equal(run("/rename bob robert"), 0);
	assert_string_equal(got.args.word[1], "robert");
	assert_int_equal(run("/topic"), 0);
	assert_string_equal(got.called, "server_cmd_topic");
	assert_string_equal(got.args.text, "");
	assert_int_equal(run("/topic Lab 3: sockets"), 0);
	assert_string_equal(got.args.text, "Lab 3: sockets");
	assert_int_equal(run("/msg bob see me after class"), 0);
	assert_string_equal(got.args.word[0], "bob");
	assert_string_equal(got.args.text, "see me after class");
}

static void
test_usage(void **state)
{
	(void)state;
	/* Too few words, or one too many: the usage, nothing run. */
	assert_int_equal(run("/kick"), -1);
	assert_null(got.called);
	assert_string_equal(buf, "usage: /kick NAME [REASON]");
	assert_int_equal(run("/mute"), -1);
	assert_non_null(strstr(buf, "usage: /mute NAME [MINUTES]"));
	assert_int_equal(run("/mute alice 10 more"), -1);
	assert_null(got.called);
	assert_int_equal(run("/who extra"), -1);
	assert_null(got.called);
	assert_int_equal(run("/rename bob"), -1);
	assert_int_equal(run("/msg bob"), -1);
	assert_non_null(strstr(buf, "usage: /msg NAME TEXT"));
	assert_null(strchr(buf, '\n'));
}

static void
test_unknown(void **state)
{
	char	 line[CONSOLE_LINE_MAX + 100];
	size_t	 i;

	(void)state;
	/* Command words are exact: /whoami is not /who. */
	assert_int_equal(run("/whoami"), -1);
	assert_null(got.called);
	assert_non_null(strstr(buf, "'/whoami'"));
	assert_non_null(strstr(buf, "/help"));
	assert_int_equal(run("/"), -1);
	assert_non_null(strstr(buf, "/help"));
	/* What is repeated holds no control character. */
	assert_int_equal(run("/\x1b]0;title\x07\xc2\x9b" "31m"), -1);
	for (i = 0; buf[i] != '\0'; i++)
		assert_true((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
	/* An endless command word: one short line. */
	memset(line, 'z', sizeof(line));
	line[0] = '/';
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(run(line), -1);
	assert_true(strlen(buf) < 150);
}

static void
test_help_and_names(void **state)
{
	const struct cmd_entry	*e;
	const char *const	*names;
	size_t			 n, i;

	(void)state;
	assert_int_equal(run("/help"), 0);
	names = cmd_names(&n);
	assert_true(n >= 13);
	for (i = 0, e = cmd_table; e->name != NULL; e++, i++) {
		assert_non_null(strstr(buf, e->usage));
		assert_string_equal(names[i], e->name);
		assert_ptr_equal(cmd_find(e->name, strlen(e->name)), e);
	}
	assert_int_equal(i, n);
	assert_non_null(strstr(buf, "//text"));
	assert_null(cmd_find("/wh", 3));
}

static void
test_out_cut(void **state)
{
	char		 small[16];
	struct cmd_out	 out = { small, sizeof(small), 0 };

	(void)state;
	cmd_printf(&out, "%s", "0123456789");
	cmd_printf(&out, "%s", "abcdefghij");
	assert_int_equal(strlen(small), out.len);
	assert_true(out.len < sizeof(small));
	assert_string_equal(small + out.len - 3, "...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_announce),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_help_and_names),
		cmocka_unit_test(test_out_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for shared/classproto.c: which datagrams are classroom
 * requests and how they split, the exact bytes of every line the server
 * writes (and where a long one is cut), and how the client reads what
 * a student's server sends, variants of course copies included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classproto.h"
#include "utf8.h"

static void	 split(const char *, struct classproto_req *);
static void	 check_line(const char *, enum classproto_kind, const char *,
		    const char *);

static void
split(const char *s, struct classproto_req *r)
{
	assert_true(classproto_is_request(s, strlen(s)));
	classproto_parse_request(s, strlen(s), r);
}

static void
test_is_request(void **state)
{
	static const char *const yes[] = {
		"L", "C", "Q", "L ", "L alice", "C a b", "Q 小明",
	};
	static const char *const no[] = {
		"", "{\"type\":\"login\"}", "Lalice", "l alice", "C\ta", "Q\n",
		"X a", " L a",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(classproto_is_request(yes[i], strlen(yes[i])));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(classproto_is_request(no[i], strlen(no[i])));
	/* A NUL first byte is not "L". */
	assert_false(classproto_is_request("\0 a", 3));
}

static void
test_parse_request(void **state)
{
	struct classproto_req	 r;

	(void)state;
	split("L 小明", &r);
	assert_int_equal(r.cmd, CLASSPROTO_LOGIN);
	assert_int_equal(r.name_len, strlen("小明"));
	assert_memory_equal(r.name, "小明", r.name_len);
	assert_null(r.text);

	split("L", &r);
	assert_int_equal(r.cmd, CLASSPROTO_LOGIN);
	assert_int_equal(r.name_len, 0);
	split("L a b\r\n", &r);		/* the rest, spaces and all */
	assert_int_equal(r.name_len, 3);
	assert_memory_equal(r.name, "a b", 3);

	split("C 小明  你好 世界 \n", &r);
	assert_int_equal(r.cmd, CLASSPROTO_CHAT);
	assert_memory_equal(r.name, "小明", r.name_len);
	assert_non_null(r.text);
	assert_int_equal(r.text_len, strlen(" 你好 世界 "));
	assert_memory_equal(r.text, " 你好 世界 ", r.text_len);

	split("C 小明", &r);
	assert_null(r.text);
	split("C 小明 ", &r);
	assert_non_null(r.text);
	assert_int_equal(r.text_len, 0);
	split("C", &r);
	assert_int_equal(r.name_len, 0);
	assert_null(r.text);

	split("Q 小明\n", &r);
	assert_int_equal(r.cmd, CLASSPROTO_QUIT);
	assert_int_equal(r.name_len, strlen("小明"));
}

static void
test_format_exact(void **state)
{
	char	 buf[CLASSPROTO_DGRAM_MAX + 1];

	(void)state;
	classproto_format(CLASSPROTO_LINE_OK, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "OK");
	classproto_format(CLASSPROTO_LINE_TAKEN, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "该用户已存在");
	classproto_format(CLASSPROTO_LINE_EXIT, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "EXIT");
	classproto_format(CLASSPROTO_LINE_CHAT, "张三", "你好 !", buf,
	    sizeof(buf));
	assert_string_equal(buf, "张三 : 你好 !");
	classproto_format(CLASSPROTO_LINE_JOIN, "李四", NULL, buf, sizeof(buf));
	assert_string_equal(buf, "欢迎李四进入聊天室");
	classproto_format(CLASSPROTO_LINE_LEAVE, "李四", NULL, buf, sizeof(buf));
	assert_string_equal(buf, "李四退出了聊天室");
	classproto_format(CLASSPROTO_LINE_ANNOUNCE, NULL, "下课", buf,
	    sizeof(buf));
	assert_string_equal(buf, "管理员消息 : 下课");
	classproto_format(CLASSPROTO_LINE_ACTION, "bob", "waves", buf,
	    sizeof(buf));
	assert_string_equal(buf, "* bob waves");
	classproto_format(CLASSPROTO_LINE_PRIVATE, "bob", "psst", buf,
	    sizeof(buf));
	assert_string_equal(buf, "bob (私聊) : psst");
	classproto_format(CLASSPROTO_LINE_RENAME, "bob", "robert", buf,
	    sizeof(buf));
	assert_string_equal(buf, "bob改名为robert");
	assert_int_equal(classproto_format(CLASSPROTO_RAW, "a", "b", buf,
	    sizeof(buf)), 0);
}

/* Under 1024 bytes, at a character boundary, and the cap is kept. */
static void
test_format_cut(void **state)
{
	char	 text[1400], buf[2048], small[10];
	size_t	 len, i;

	(void)state;
	for (i = 0; i + 3 < sizeof(text); i += 3)
		memcpy(text + i, "中", 3);
	text[i] = '\0';
	len = classproto_format(CLASSPROTO_LINE_CHAT, "ab", text, buf,
	    sizeof(buf));
	/* "ab : " is 5 bytes, then whole 3-byte characters up to 1023. */
	assert_int_equal(len, 5 + (CLASSPROTO_DGRAM_MAX - 5) / 3 * 3);
	assert_true(len <= CLASSPROTO_DGRAM_MAX);
	assert_true(utf8_valid(buf, len));
	assert_int_equal(strlen(buf), len);
	len = classproto_format(CLASSPROTO_LINE_CHAT, "ab", "中中中", small,
	    sizeof(small));
	assert_string_equal(small, "ab : 中");
	assert_int_equal(len, 8);
}

static void
check_line(const char *s, enum classproto_kind kind, const char *name,
    const char *text)
{
	struct classproto_line	 l;

	classproto_parse_line(s, strlen(s), &l);
	if (l.kind != kind)
		fail_msg("'%s': kind %d, wanted %d", s, l.kind, kind);
	if (name != NULL) {
		assert_int_equal(l.name_len, strlen(name));
		assert_memory_equal(l.name, name, l.name_len);
	}
	if (text != NULL) {
		assert_int_equal(l.text_len, strlen(text));
		assert_memory_equal(l.text, text, l.text_len);
	}
}

static void
test_parse_line(void **state)
{
	(void)state;
	check_line("OK", CLASSPROTO_LINE_OK, NULL, NULL);
	check_line("该用户已存在", CLASSPROTO_LINE_TAKEN, NULL, NULL);
	check_line("该用户存在", CLASSPROTO_LINE_TAKEN, NULL, NULL);
	check_line("EXIT", CLASSPROTO_LINE_EXIT, NULL, NULL);
	check_line("exit", CLASSPROTO_LINE_EXIT, NULL, NULL);
	check_line("张三 : 你好", CLASSPROTO_LINE_CHAT, "张三", "你好");
	check_line("张三: 你好", CLASSPROTO_LINE_CHAT, "张三", "你好");
	check_line("张三 说: 你好", CLASSPROTO_LINE_CHAT, "张三", "你好");
	check_line("张三说：你好", CLASSPROTO_LINE_CHAT, "张三", "你好");
	check_line("bob : a : b", CLASSPROTO_LINE_CHAT, "bob", "a : b");
	check_line("bob : ", CLASSPROTO_LINE_CHAT, "bob", "");
	check_line("欢迎李四进入聊天室", CLASSPROTO_LINE_JOIN, "李四", NULL);
	check_line("欢迎 李四 进入聊天室!", CLASSPROTO_LINE_JOIN, "李四", NULL);
	check_line("欢迎李四进入了聊天室！", CLASSPROTO_LINE_JOIN, "李四", NULL);
	check_line("李四退出了聊天室", CLASSPROTO_LINE_LEAVE, "李四", NULL);
	check_line("李四 退出了聊天室。", CLASSPROTO_LINE_LEAVE, "李四", NULL);
	check_line("管理员消息 : 下课", CLASSPROTO_LINE_ANNOUNCE, NULL, "下课");
	check_line("管理员消息: 下课", CLASSPROTO_LINE_ANNOUNCE, NULL, "下课");
	check_line("管理员消息：下课", CLASSPROTO_LINE_ANNOUNCE, NULL, "下课");
	/* What has no sender is shown as it came. */
	check_line("see http://x.org", CLASSPROTO_RAW, NULL,
	    "see http://x.org");
	check_line("two words: text", CLASSPROTO_RAW, NULL, NULL);
	check_line(": text", CLASSPROTO_RAW, NULL, NULL);
	check_line("欢迎进入聊天室", CLASSPROTO_RAW, NULL, NULL);
	check_line("退出了聊天室", CLASSPROTO_RAW, NULL, NULL);
	check_line("hello", CLASSPROTO_RAW, NULL, "hello");
	check_line("", CLASSPROTO_RAW, NULL, "");
	check_line("OKAY", CLASSPROTO_RAW, NULL, NULL);
}

/* A line the server writes is read back as what it was. */
static void
test_round_trip(void **state)
{
	char			 buf[CLASSPROTO_DGRAM_MAX + 1];
	struct classproto_line	 l;

	(void)state;
	classproto_format(CLASSPROTO_LINE_CHAT, "小明", "a: b : c", buf,
	    sizeof(buf));
	classproto_parse_line(buf, strlen(buf), &l);
	assert_int_equal(l.kind, CLASSPROTO_LINE_CHAT);
	assert_memory_equal(l.text, "a: b : c", l.text_len);
	classproto_format(CLASSPROTO_LINE_JOIN, "小明", NULL, buf, sizeof(buf));
	classproto_parse_line(buf, strlen(buf), &l);
	assert_int_equal(l.kind, CLASSPROTO_LINE_JOIN);
	classproto_format(CLASSPROTO_LINE_LEAVE, "小明", NULL, buf,
	    sizeof(buf));
	classproto_parse_line(buf, strlen(buf), &l);
	assert_int_equal(l.kind, CLASSPROTO_LINE_LEAVE);
	classproto_format(CLASSPROTO_LINE_ANNOUNCE, NULL, "x", buf,
	    sizeof(buf));
	classproto_parse_line(buf, strlen(buf), &l);
	assert_int_equal(l.kind, CLASSPROTO_LINE_ANNOUNCE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_request),
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_cut),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

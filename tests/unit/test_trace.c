/*
 * Unit tests for shared/trace.c: the line of a datagram (time, direction,
 * peer, size, words, the datagram), secrets cut (password hidden, token,
 * cookie and proof shortened, padding by its length), acks and batches
 * named, a retransmission's send number, classroom and bad datagrams,
 * escaping, and the filters by kind and by name. TZ is UTC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "trace.h"

/* 2026-12-04 10:07:44.123 UTC */
#define T0	1796378864123ULL
#define TOKEN	"0123456789abcdef0123456789abcdef"

static const char *
fmt(enum trace_dir dir, const char *who, const char *dgram, int send,
    uint64_t since)
{
	static char		 line[TRACE_LINE_MAX];
	struct trace_dgram	 d = {
		.wall_ms = T0, .dir = dir, .peer = "127.0.0.1:5000",
		.who = who, .buf = dgram, .len = strlen(dgram), .send = send,
		.since_ms = since,
	};

	trace_format(&d, line, sizeof(line));
	return line;
}

static bool
match(const struct trace_filter *f, enum trace_dir dir, const char *who,
    const char *dgram, int send)
{
	struct trace_dgram	 d = {
		.wall_ms = T0, .dir = dir, .peer = "p", .who = who,
		.buf = dgram, .len = strlen(dgram), .send = send,
	};

	return trace_match(f, &d);
}

static void
test_line(void **state)
{
	(void)state;
	assert_string_equal(fmt(TRACE_OUT, "bob",
	    "{\"type\":\"chat\",\"seq\":4,\"from\":\"alice\",\"text\":\"hi\"}",
	    0, 0),
	    "10:07:44.123 out 127.0.0.1:5000 (bob) 50 bytes: chat seq 4 "
	    "from alice  {\"type\":\"chat\",\"seq\":4,\"from\":\"alice\","
	    "\"text\":\"hi\"}");
	assert_string_equal(fmt(TRACE_IN, NULL, "{\"type\":\"ping\"}", 0, 0),
	    "10:07:44.123 in  127.0.0.1:5000 15 bytes: ping  "
	    "{\"type\":\"ping\"}");
}

static void
test_resend(void **state)
{
	(void)state;
	assert_non_null(strstr(fmt(TRACE_OUT, "bob",
	    "{\"type\":\"join\",\"seq\":1,\"name\":\"carol\"}", 3, 750),
	    "join seq 1 carol [resent: send 3, 750 ms after send 1]  {"));
	/* The first send says nothing. */
	assert_null(strstr(fmt(TRACE_OUT, "bob",
	    "{\"type\":\"join\",\"seq\":1}", 1, 0), "resent"));
}

static void
test_acks(void **state)
{
	(void)state;
	assert_non_null(strstr(fmt(TRACE_IN, "alice",
	    "{\"type\":\"ack\",\"token\":\"" TOKEN "\",\"seq\":7}", 0, 0),
	    " bytes: ack of seq 7  "));
	assert_non_null(strstr(fmt(TRACE_OUT, "alice",
	    "{\"type\":\"ack\",\"id\":3}", 0, 0), " bytes: ack of id 3  "));
	assert_non_null(strstr(fmt(TRACE_IN, "alice",
	    "{\"type\":\"ack\",\"token\":\"" TOKEN "\",\"upto\":12,"
	    "\"seqs\":[14,15]}", 0, 0),
	    "ack of every seq up to 12 and of seq 14 15  "));
	assert_non_null(strstr(fmt(TRACE_OUT, "alice",
	    "{\"type\":\"batch\",\"msgs\":[{\"type\":\"chat\",\"seq\":4},"
	    "{\"type\":\"join\",\"seq\":5,\"name\":\"x\"}]}", 0, 0),
	    "batch of 2: chat seq 4, join seq 5  "));
}

static void
test_secrets(void **state)
{
	const char	*l;

	(void)state;
	l = fmt(TRACE_IN, NULL, "{\"type\":\"login\",\"v\":2,\"name\":\"a\","
	    "\"cookie\":\"139.6526107f3e2a\",\"proof\":"
	    "\"9c1d2e3f4a5b6c7d8e9f\",\"password\": \"hunter2\","
	    "\"pad\":\"          \"}", 0, 0);
	assert_null(strstr(l, "hunter2"));
	assert_non_null(strstr(l, "\"password\": \"(hidden)\""));
	assert_non_null(strstr(l, "\"cookie\":\"139.652610…\""));
	assert_non_null(strstr(l, "\"proof\":\"9c1d2e…\""));
	assert_non_null(strstr(l, "\"pad\":\"(10 bytes of padding)\""));
	l = fmt(TRACE_IN, "a", "{\"type\":\"chat\",\"token\":\"" TOKEN
	    "\",\"id\":1,\"text\":\"x\"}", 0, 0);
	assert_null(strstr(l, TOKEN));
	assert_non_null(strstr(l, "\"token\":\"012345…\""));
	/* A password anywhere, in any form, stays hidden. */
	l = fmt(TRACE_IN, NULL, "{\"type\":\"login\",\"password\":"
	    "[\"hunter2\",{\"x\":\"hunter3\"}],\"password\":42}", 0, 0);
	assert_null(strstr(l, "hunter"));
	assert_null(strstr(l, "42"));
}

static void
test_classroom_and_bad(void **state)
{
	const char	*l;

	(void)state;
	assert_non_null(strstr(fmt(TRACE_IN, NULL, "C 小明 你好", 0, 0),
	    " bytes: classroom C (chat) 小明  C 小明 你好"));
	assert_non_null(strstr(fmt(TRACE_OUT, "小明", "OK", 0, 0),
	    "(小明) 2 bytes: classroom line  OK"));
	l = fmt(TRACE_IN, NULL, "hello\n\x1b[2J\xff", 0, 0);
	assert_non_null(strstr(l, "neither JSON nor classroom  "
	    "hello\\x0a\\x1b[2J\\xff"));
	assert_null(strchr(l, '\n'));
	/* Unclosed and broken JSON is shown, not choked on. */
	assert_non_null(strstr(fmt(TRACE_IN, NULL, "{\"type\":\"chat\",\"te",
	    0, 0), "chat  {\"type\":\"chat\",\"te"));
	assert_non_null(strstr(fmt(TRACE_IN, NULL, "{]]]}}}\0x", 0, 0),
	    "JSON without a type"));
}

static void
test_filter_kinds(void **state)
{
	struct trace_filter	 f;
	char			 err[160];

	(void)state;
	trace_filter_init(&f);
	assert_true(match(&f, TRACE_IN, NULL, "{\"type\":\"ping\"}", 0));
	assert_int_equal(trace_filter_kinds(&f, "chat,ack", err,
	    sizeof(err)), 0);
	assert_true(match(&f, TRACE_IN, NULL, "{\"type\":\"ack\"}", 0));
	assert_true(match(&f, TRACE_OUT, NULL, "{\"type\":\"chat\"}", 0));
	assert_false(match(&f, TRACE_IN, NULL, "{\"type\":\"ping\"}", 0));
	assert_false(match(&f, TRACE_IN, NULL, "L bob", 0));
	assert_int_equal(trace_filter_kinds(&f, "-ping,-pong", err,
	    sizeof(err)), 0);
	assert_false(match(&f, TRACE_IN, NULL, "{\"type\":\"ping\"}", 0));
	assert_true(match(&f, TRACE_IN, NULL, "{\"type\":\"join\"}", 0));
	assert_int_equal(trace_filter_kinds(&f, "resend,classroom", err,
	    sizeof(err)), 0);
	assert_false(match(&f, TRACE_OUT, NULL, "{\"type\":\"join\"}", 1));
	assert_true(match(&f, TRACE_OUT, NULL, "{\"type\":\"join\"}", 2));
	assert_true(match(&f, TRACE_IN, NULL, "Q bob", 0));
	assert_int_equal(trace_filter_kinds(&f, "bad", err, sizeof(err)), 0);
	assert_true(match(&f, TRACE_IN, NULL, "xyz", 0));
	assert_true(match(&f, TRACE_IN, NULL, "{\"type\":\"nonsense\"}", 0));
	assert_int_equal(trace_filter_kinds(&f, "chat,pnig", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "'pnig'"));
}

static void
test_filter_names(void **state)
{
	struct trace_filter	 f;
	char			 err[160];

	(void)state;
	trace_filter_init(&f);
	assert_int_equal(trace_filter_names(&f, "alice,小明", err,
	    sizeof(err)), 0);
	assert_true(match(&f, TRACE_IN, "alice", "{\"type\":\"ping\"}", 0));
	assert_false(match(&f, TRACE_IN, "bob", "{\"type\":\"ping\"}", 0));
	assert_true(match(&f, TRACE_OUT, "bob",
	    "{\"type\":\"chat\",\"from\":\"alice\"}", 0));
	assert_true(match(&f, TRACE_OUT, NULL,
	    "{\"type\":\"join\",\"name\":\"alice\"}", 0));
	assert_true(match(&f, TRACE_OUT, "bob",
	    "{\"type\":\"msg\",\"to\":\"alice\"}", 0));
	assert_false(match(&f, TRACE_OUT, "bob",
	    "{\"type\":\"chat\",\"from\":\"alicia\"}", 0));
	assert_true(match(&f, TRACE_IN, NULL, "C 小明 hi", 0));
	assert_false(match(&f, TRACE_IN, NULL, "C 小红 hi", 0));
	assert_int_equal(trace_filter_names(&f, "a,b,c,d,e,f,g", err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_resend),
		cmocka_unit_test(test_acks),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_classroom_and_bad),
		cmocka_unit_test(test_filter_kinds),
		cmocka_unit_test(test_filter_names),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

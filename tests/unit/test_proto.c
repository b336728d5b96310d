/*
 * Unit tests for shared/proto.c: every type both ways, every rule, every
 * error code, the ack fast path against the full decoder, and the
 * data-driven cases under tests/data/proto:
 *
 *   invalid/<case>/input     the raw datagram
 *   invalid/<case>/expected  the exact error code ("bad_name")
 *   valid/<case>/input, expected   the datagram and its re-encoding
 *   <case>/dir               optional: "server" (default "client"), the
 *                            direction the datagram travels
 *
 * Run from the repository top.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "proto.h"

#define TOKEN	"0123456789abcdef0123456789abcdef"
#define CASES	"tests/data/proto"

/* A proto_msg is ~8 KB; keep them off the stack. */
static struct proto_msg	m, d;
static char		out[2048];

static enum proto_err
dec(const char *s, enum proto_dir dir)
{
	return proto_decode(s, strlen(s), dir, &d);
}

/* A string of n copies of s. */
static char *
rep(const char *s, size_t n)
{
	size_t	 len = strlen(s), i;
	char	*r;

	r = malloc(len * n + 1);
	assert_non_null(r);
	for (i = 0; i < n; i++)
		memcpy(r + i * len, s, len);
	r[len * n] = '\0';
	return r;
}

static void
assert_same_msg(const struct proto_msg *a, const struct proto_msg *b)
{
	int	i;

	assert_int_equal(a->type, b->type);
	assert_string_equal(a->token, b->token);
	assert_int_equal(a->has_id, b->has_id);
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->version, b->version);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->upto, b->upto);
	assert_int_equal(a->has_upto, b->has_upto);
	assert_int_equal(a->nseqs, b->nseqs);
	for (i = 0; i < a->nseqs; i++)
		assert_int_equal(a->seqs[i], b->seqs[i]);
	assert_int_equal(a->mid, b->mid);
	assert_int_equal(a->has_cookie, b->has_cookie);
	assert_string_equal(a->cookie, b->cookie);
	assert_int_equal(a->has_proof, b->has_proof);
	assert_string_equal(a->proof, b->proof);
	assert_int_equal(a->has_cid, b->has_cid);
	assert_string_equal(a->cid, b->cid);
	assert_int_equal(a->has_caps, b->has_caps);
	assert_int_equal(a->caps, b->caps);
	assert_int_equal(a->action, b->action);
	assert_string_equal(a->run, b->run);
	assert_int_equal(a->next_id, b->next_id);
	assert_int_equal(a->has_topic, b->has_topic);
	assert_string_equal(a->topic, b->topic);
	assert_string_equal(a->to, b->to);
	assert_string_equal(a->from, b->from);
	assert_string_equal(a->text, b->text);
	assert_string_equal(a->code, b->code);
	assert_int_equal(a->reason, b->reason);
	assert_int_equal(a->history, b->history);
	assert_int_equal(a->heartbeat, b->heartbeat);
	assert_string_equal(a->room, b->room);
	assert_int_equal(a->has_motd, b->has_motd);
	assert_string_equal(a->motd, b->motd);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->user_count, b->user_count);
	assert_int_equal(a->nusers, b->nusers);
	assert_int_equal(a->more, b->more);
	for (i = 0; i < a->nusers; i++)
		assert_string_equal(a->users[i], b->users[i]);
}

/* Encodes m, checks the exact JSON if want, decodes it back unchanged. */
static void
roundtrip(enum proto_dir dir, const char *want)
{
	int	n;

	n = proto_encode(&m, dir, out, sizeof out);
	assert_true(n > 0);
	assert_int_equal(strlen(out), n);
	if (want != NULL)
		assert_string_equal(out, want);
	assert_int_equal(proto_decode(out, (size_t)n, dir, &d), PROTO_OK);
	assert_same_msg(&m, &d);
}

static void
test_client_types(void **state)
{
	(void)state;
	proto_init(&m, PROTO_LOGIN);
	strcpy(m.name, "alice");
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"login\",\"v\":2,\"name\":\"alice\"}");

	proto_init(&m, PROTO_CHAT);
	strcpy(m.token, TOKEN);
	m.id = 1;
	m.has_id = true;
	strcpy(m.text, "hello, 世界");
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"chat\",\"token\":\"" TOKEN
	    "\",\"id\":1,\"text\":\"hello, 世界\"}");

	m.type = PROTO_MSG;
	strcpy(m.to, "李小龙");
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"msg\",\"token\":\"" TOKEN
	    "\",\"id\":1,\"to\":\"李小龙\",\"text\":\"hello, 世界\"}");

	proto_init(&m, PROTO_RENAME);
	strcpy(m.token, TOKEN);
	m.id = 42;
	m.has_id = true;
	strcpy(m.name, "bob");
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"rename\",\"token\":\"" TOKEN
	    "\",\"id\":42,\"name\":\"bob\"}");

	proto_init(&m, PROTO_WHO);
	strcpy(m.token, TOKEN);
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"who\",\"token\":\"" TOKEN "\"}");
	m.type = PROTO_PING;
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"ping\",\"token\":\"" TOKEN "\"}");
	m.type = PROTO_QUIT;
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"quit\",\"token\":\"" TOKEN "\"}");
	m.type = PROTO_ACK;
	m.seq = 7;
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"ack\",\"token\":\"" TOKEN "\",\"seq\":7}");

	m.seq = 0;
	m.upto = 4;
	m.has_upto = true;
	roundtrip(PROTO_FROM_CLIENT,
	    "{\"type\":\"ack\",\"token\":\"" TOKEN "\",\"upto\":4}");
	m.seqs[0] = 6;
	m.seqs[1] = 9;
	m.nseqs = 2;
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"ack\",\"token\":\"" TOKEN
	    "\",\"upto\":4,\"seqs\":[6,9]}");

	proto_init(&m, PROTO_QUIT);
	strcpy(m.token, TOKEN);
	strcpy(m.text, "see you \"tomorrow\"");
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"quit\",\"token\":\"" TOKEN
	    "\",\"text\":\"see you \\\"tomorrow\\\"\"}");

	proto_init(&m, PROTO_CHAT);
	strcpy(m.token, TOKEN);
	m.id = 2;
	m.has_id = true;
	strcpy(m.text, "waves");
	m.action = true;
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"chat\",\"token\":\"" TOKEN
	    "\",\"id\":2,\"text\":\"waves\",\"action\":true}");

	proto_init(&m, PROTO_LOGIN);
	strcpy(m.name, "alice");
	strcpy(m.cookie, "c00k1e/+=");
	m.has_cookie = true;
	strcpy(m.proof, "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff");
	m.has_proof = true;
	strcpy(m.cid, "0123456789abcdef");
	m.has_cid = true;
	m.caps = PROTO_CAP_BATCH;
	m.has_caps = true;
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"login\",\"v\":2,"
	    "\"name\":\"alice\",\"cookie\":\"c00k1e/+=\",\"proof\":\""
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	    "\",\"cid\":\"0123456789abcdef\",\"caps\":[\"batch\"]}");

	proto_init(&m, PROTO_DISCOVER);
	roundtrip(PROTO_FROM_CLIENT, "{\"type\":\"discover\",\"v\":2}");
}

/*
 * pad_to pads a login or discover to exactly that size when it is
 * shorter (the no-amplification rule), and leaves a longer one alone.
 */
static void
test_pad(void **state)
{
	static const enum proto_type	 types[] = { PROTO_LOGIN, PROTO_DISCOVER };
	size_t				 i, to;
	int				 n, plain;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		proto_init(&m, types[i]);
		strcpy(m.name, "alice");
		plain = proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out);
		assert_true(plain > 0);
		for (to = 0; to < 300; to++) {
			m.pad_to = to;
			n = proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out);
			if (to <= (size_t)plain) {
				assert_int_equal(n, plain);
				assert_null(strstr(out, "\"pad\""));
				continue;
			}
			/* The shortest pad ("pad":"") may overshoot a little. */
			assert_true((size_t)n >= to && (size_t)n <= to + 10);
			if (to > (size_t)plain + 10)
				assert_int_equal(n, to);
			assert_non_null(strstr(out, ",\"pad\":\""));
			assert_int_equal(proto_decode(out, (size_t)n,
			    PROTO_FROM_CLIENT, &d), PROTO_OK);
			assert_string_equal(d.name, types[i] == PROTO_LOGIN ?
			    "alice" : "");
		}
	}
	proto_init(&m, PROTO_LOGIN);
	strcpy(m.name, "alice");
	m.pad_to = PROTO_MAX_DGRAM + 1;
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out),
	    -1);
	m.pad_to = PROTO_PAD_MIN;
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out),
	    PROTO_PAD_MIN);
}

static void
test_server_types(void **state)
{
	(void)state;
	proto_init(&m, PROTO_WELCOME);
	strcpy(m.name, "alice");
	strcpy(m.token, TOKEN);
	m.heartbeat = 5;
	strcpy(m.room, "lobby");
	assert_int_equal(proto_add_user(&m, "alice"), 0);
	assert_int_equal(proto_add_user(&m, "李小龙"), 0);
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"welcome\",\"name\":\"alice\","
	    "\"token\":\"" TOKEN "\",\"heartbeat\":5,\"room\":\"lobby\","
	    "\"users\":[\"alice\",\"李小龙\"]}");
	strcpy(m.motd, "be nice");
	m.has_motd = true;
	roundtrip(PROTO_FROM_SERVER, NULL);

	m.has_topic = true;
	strcpy(m.topic, "exam on friday");
	strcpy(m.run, "fedcba9876543210");
	m.next_id = 12;
	m.has_caps = true;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"welcome\",\"name\":\"alice\","
	    "\"token\":\"" TOKEN "\",\"heartbeat\":5,\"room\":\"lobby\","
	    "\"run\":\"fedcba9876543210\",\"next_id\":12,"
	    "\"motd\":\"be nice\",\"topic\":\"exam on friday\",\"caps\":[],"
	    "\"users\":[\"alice\",\"李小龙\"]}");

	proto_init(&m, PROTO_COOKIE);
	strcpy(m.cookie, "0123abcd");
	m.has_cookie = true;
	roundtrip(PROTO_FROM_SERVER,
	    "{\"type\":\"cookie\",\"cookie\":\"0123abcd\"}");

	proto_init(&m, PROTO_TOPIC);
	m.seq = 8;
	m.ts = 9;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"topic\",\"seq\":8,\"ts\":9}");
	strcpy(m.text, "exam on friday");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"topic\",\"seq\":8,\"ts\":9,"
	    "\"text\":\"exam on friday\"}");

	proto_init(&m, PROTO_ERROR);
	strcpy(m.code, PROTO_CODE_MUTED);
	roundtrip(PROTO_FROM_SERVER,
	    "{\"type\":\"error\",\"code\":\"muted\"}");

	proto_init(&m, PROTO_ERROR);
	strcpy(m.code, "bad_name");
	strcpy(m.text, proto_err_text(PROTO_ERR_BAD_NAME));
	roundtrip(PROTO_FROM_SERVER, NULL);
	m.id = 3;
	m.has_id = true;
	roundtrip(PROTO_FROM_SERVER, NULL);
	assert_non_null(strstr(out, ",\"id\":3}"));

	proto_init(&m, PROTO_ACK);
	m.id = 9;
	m.has_id = true;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"ack\",\"id\":9}");

	proto_init(&m, PROTO_PONG);
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"pong\"}");
	proto_init(&m, PROTO_BYE);
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"bye\"}");

	proto_init(&m, PROTO_USERS);
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"users\",\"users\":[]}");
	assert_int_equal(proto_add_user(&m, "bob"), 0);
	roundtrip(PROTO_FROM_SERVER,
	    "{\"type\":\"users\",\"users\":[\"bob\"]}");

	proto_init(&m, PROTO_HERE);
	strcpy(m.room, "lab 4");
	m.port = 8888;
	m.user_count = 12;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"here\",\"v\":2,"
	    "\"room\":\"lab 4\",\"port\":8888,\"users\":12}");

	proto_init(&m, PROTO_CHAT);
	m.seq = 1;
	m.ts = 1764100000123;
	strcpy(m.from, "bob");
	strcpy(m.text, "hi");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"chat\",\"seq\":1,"
	    "\"ts\":1764100000123,\"from\":\"bob\",\"text\":\"hi\"}");
	m.history = true;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"chat\",\"seq\":1,"
	    "\"ts\":1764100000123,\"from\":\"bob\",\"text\":\"hi\","
	    "\"history\":true}");
	m.mid = 33;
	m.action = true;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"chat\",\"seq\":1,"
	    "\"ts\":1764100000123,\"mid\":33,\"from\":\"bob\","
	    "\"text\":\"hi\",\"action\":true,\"history\":true}");

	m.type = PROTO_MSG;
	m.history = false;
	m.action = false;
	m.mid = 0;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"msg\",\"seq\":1,"
	    "\"ts\":1764100000123,\"from\":\"bob\",\"text\":\"hi\"}");

	proto_init(&m, PROTO_JOIN);
	m.seq = 2;
	m.ts = 5;
	strcpy(m.name, "carol");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"join\",\"seq\":2,\"ts\":5,"
	    "\"name\":\"carol\"}");

	m.type = PROTO_LEAVE;
	m.reason = PROTO_REASON_QUIT;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"leave\",\"seq\":2,\"ts\":5,"
	    "\"name\":\"carol\",\"reason\":\"quit\"}");
	m.reason = PROTO_REASON_TIMEOUT;
	roundtrip(PROTO_FROM_SERVER, NULL);
	assert_non_null(strstr(out, "\"reason\":\"timeout\""));
	m.reason = PROTO_REASON_KICKED;
	roundtrip(PROTO_FROM_SERVER, NULL);
	assert_non_null(strstr(out, "\"reason\":\"kicked\""));
	strcpy(m.text, "see you");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"leave\",\"seq\":2,\"ts\":5,"
	    "\"name\":\"carol\",\"reason\":\"kicked\",\"text\":\"see you\"}");

	proto_init(&m, PROTO_RENAME);
	m.seq = 3;
	m.ts = 6;
	strcpy(m.from, "carol");
	strcpy(m.to, "caz");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"rename\",\"seq\":3,\"ts\":6,"
	    "\"from\":\"carol\",\"to\":\"caz\"}");

	proto_init(&m, PROTO_ANNOUNCE);
	m.seq = 4;
	m.ts = 7;
	strcpy(m.text, "server restarts at noon");
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"announce\",\"seq\":4,"
	    "\"ts\":7,\"text\":\"server restarts at noon\"}");
	m.mid = 2;
	m.history = true;
	roundtrip(PROTO_FROM_SERVER, "{\"type\":\"announce\",\"seq\":4,"
	    "\"ts\":7,\"mid\":2,\"text\":\"server restarts at noon\","
	    "\"history\":true}");
}

/* A type is only known in the direction(s) it travels. */
static void
test_direction(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"type\":\"welcome\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TYPE);
	assert_int_equal(d.type, PROTO_NONE);
	assert_int_equal(dec("{\"type\":\"login\",\"v\":2,\"name\":\"a\"}",
	    PROTO_FROM_SERVER), PROTO_ERR_BAD_TYPE);
	assert_int_equal(dec("{\"type\":\"none\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TYPE);
	assert_int_equal(dec("{\"type\":\"CHAT\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TYPE);

	proto_init(&m, PROTO_WELCOME);
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out),
	    -1);
	proto_init(&m, PROTO_LOGIN);
	assert_int_equal(proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out),
	    -1);
	proto_init(&m, PROTO_NONE);
	assert_int_equal(proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out),
	    -1);
	m.type = PROTO_TYPE_COUNT;
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out),
	    -1);
}

static void
test_check_name(void **state)
{
	static const char *const good[] = {
		"a", "alice", "李小龙", "émile", "a/b", "x@y", "a#", "O'Brien",
		"aaaaaaaaaaaaaaaa",			/* 16 characters */
		"一二三四五六七八九十一二三四五六",	/* 16 CJK, 48 bytes */
		"😀😀😀😀😀😀😀😀😀😀😀😀",		/* 12 x 4 bytes = 48 */
		"\xd0\xb0lice",		/* a look-alike: the server's business */
	};
	static const char *const bad[] = {
		"", "aaaaaaaaaaaaaaaaa",		/* 17 characters */
		"一二三四五六七八九十一二三四五六七",	/* 17 CJK, 51 bytes */
		"a😀😀😀😀😀😀😀😀😀😀😀😀",		/* 49 bytes, 13 chars */
		"a b", "a\tb", "a\nb", "\x1b[31m", "a\x7f", "a\xc2\x80",
		"a\xc2\x85", "a\xc2\x9f", "a\xc2\xa0" "b", "a\xe3\x80\x80",
		"a\xe2\x80\xa8", "\xe2\x80\xaa" "a", "a\xe2\x80\xae",
		"a\xe2\x81\xa6", "a\xe2\x81\xa9", "/me", "#chan", "@bob",
		"\xff", "a\xc0\xaf", "\xed\xa0\x80", "a\xe4\xb8",
		"\xf4\x90\x80\x80",
		/* default-ignorable: U+200B, U+FEFF, U+00AD, U+FE0F, a tag */
		"a\xe2\x80\x8b", "\xef\xbb\xbf" "a", "a\xc2\xad" "b",
		"\xe2\x98\xba\xef\xb8\x8f", "a\xf3\xa0\x81\x81",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (proto_check_name(good[i]) != 0)
			fail_msg("name \"%s\" should be valid", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (proto_check_name(bad[i]) == 0)
			fail_msg("name #%zu \"%s\" should be invalid", i,
			    bad[i]);
	}
}

static void
test_check_text(void **state)
{
	char	*s;

	(void)state;
	assert_int_equal(proto_check_text("hi", 2), PROTO_OK);
	assert_int_equal(proto_check_text("", 0), PROTO_ERR_BAD_TEXT);
	s = rep("a", 1001);
	assert_int_equal(proto_check_text(s, 1000), PROTO_OK);
	assert_int_equal(proto_check_text(s, 1001), PROTO_ERR_BAD_TEXT);
	/* 998 + a 2-byte character: exactly 1000 bytes. */
	memcpy(s + 998, "é", 2);
	assert_int_equal(proto_check_text(s, 1000), PROTO_OK);
	memcpy(s + 999, "é", 2);
	assert_int_equal(proto_check_text(s, 1001), PROTO_ERR_BAD_TEXT);
	free(s);
	assert_int_equal(proto_check_text("a\tb", 3), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\nb", 3), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("\x1b[2J", 4), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\x7f", 2), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\xc2\x9b", 3), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\0b", 3), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\xff", 2), PROTO_ERR_BAD_TEXT);
	assert_int_equal(proto_check_text("a\xe4\xb8", 3), PROTO_ERR_BAD_TEXT);
	/* Spaces and bidi controls are text; receivers sanitise bidi. */
	assert_int_equal(proto_check_text("a b\xe2\x80\xae", 6), PROTO_OK);
	assert_int_equal(proto_check_text("你好 世界", 13), PROTO_OK);
}

/* Name and text limits seen through the decoder. */
static void
test_decode_limits(void **state)
{
	char	 dg[1500];
	char	*s;

	(void)state;
	s = rep("一", 16);
	snprintf(dg, sizeof dg, "{\"type\":\"login\",\"v\":2,\"name\":\"%s\"}",
	    s);
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_OK);
	assert_string_equal(d.name, s);
	free(s);
	s = rep("一", 17);
	snprintf(dg, sizeof dg, "{\"type\":\"login\",\"v\":2,\"name\":\"%s\"}",
	    s);
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_ERR_BAD_NAME);
	free(s);

	s = rep("x", 1000);
	snprintf(dg, sizeof dg, "{\"type\":\"chat\",\"token\":\"" TOKEN
	    "\",\"id\":1,\"text\":\"%s\"}", s);
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_OK);
	assert_int_equal(strlen(d.text), 1000);
	free(s);
	s = rep("x", 1001);
	snprintf(dg, sizeof dg, "{\"type\":\"chat\",\"token\":\"" TOKEN
	    "\",\"id\":1,\"text\":\"%s\"}", s);
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_ERR_BAD_TEXT);
	assert_true(d.has_id);
	assert_int_equal(d.id, 1);
	free(s);

	/* 1400 bytes is fine, 1401 is too long whatever it holds. */
	s = rep(" ", 1400);
	memcpy(s, "{\"type\":\"pong\"}", 15);
	assert_int_equal(proto_decode(s, 1400, PROTO_FROM_SERVER, &d),
	    PROTO_OK);
	free(s);
	s = rep(" ", 1401);
	memcpy(s, "{\"type\":\"pong\"}", 15);
	assert_int_equal(proto_decode(s, 1401, PROTO_FROM_SERVER, &d),
	    PROTO_ERR_TOO_LONG);
	free(s);
	s = rep("\xff", 1401);
	assert_int_equal(proto_decode(s, 1401, PROTO_FROM_CLIENT, &d),
	    PROTO_ERR_TOO_LONG);
	free(s);
	assert_int_equal(proto_decode("", 0, PROTO_FROM_CLIENT, &d),
	    PROTO_ERR_BAD_JSON);
}

/* Integers: whole, in range, below 2^53. */
static void
test_integers(void **state)
{
	static const char *const bad[] = {
		"9007199254740992", "9007199254740993", "1e16", "1e400",
		"-1", "0", "-0", "1.5", "0.999", "\"1\"", "true", "null",
		"[1]", "{}", "-9007199254740991",
	};
	char	dg[256];
	size_t	i;

	(void)state;
	snprintf(dg, sizeof dg, "{\"type\":\"ack\",\"token\":\"" TOKEN
	    "\",\"seq\":9007199254740991}");
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_OK);
	assert_int_equal(d.seq, UINT64_C(9007199254740991));
	snprintf(dg, sizeof dg, "{\"type\":\"ack\",\"token\":\"" TOKEN
	    "\",\"seq\":1e3}");
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_OK);
	assert_int_equal(d.seq, 1000);
	snprintf(dg, sizeof dg, "{\"type\":\"ack\",\"token\":\"" TOKEN
	    "\",\"seq\":2.0}");
	assert_int_equal(dec(dg, PROTO_FROM_CLIENT), PROTO_OK);
	assert_int_equal(d.seq, 2);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(dg, sizeof dg, "{\"type\":\"ack\",\"token\":\"" TOKEN
		    "\",\"seq\":%s}", bad[i]);
		if (dec(dg, PROTO_FROM_CLIENT) != PROTO_ERR_BAD_FIELD)
			fail_msg("seq %s should be bad_field", bad[i]);
	}
	/* ts may be 0, seq may not; both stop below 2^53. */
	assert_int_equal(dec("{\"type\":\"join\",\"seq\":1,\"ts\":0,"
	    "\"name\":\"a\"}", PROTO_FROM_SERVER), PROTO_OK);
	assert_int_equal(dec("{\"type\":\"join\",\"seq\":1,"
	    "\"ts\":9007199254740991,\"name\":\"a\"}", PROTO_FROM_SERVER),
	    PROTO_OK);
	assert_int_equal(d.ts, UINT64_C(9007199254740991));
	assert_int_equal(dec("{\"type\":\"join\",\"seq\":1,"
	    "\"ts\":9007199254740992,\"name\":\"a\"}", PROTO_FROM_SERVER),
	    PROTO_ERR_BAD_FIELD);
	assert_int_equal(dec("{\"type\":\"join\",\"seq\":1,\"ts\":-1,"
	    "\"name\":\"a\"}", PROTO_FROM_SERVER), PROTO_ERR_BAD_FIELD);
	assert_int_equal(dec("{\"type\":\"join\",\"seq\":0,\"ts\":1,"
	    "\"name\":\"a\"}", PROTO_FROM_SERVER), PROTO_ERR_BAD_FIELD);

	/* A big id encodes exactly. */
	proto_init(&m, PROTO_ACK);
	m.id = UINT64_C(9007199254740991);
	m.has_id = true;
	roundtrip(PROTO_FROM_SERVER,
	    "{\"type\":\"ack\",\"id\":9007199254740991}");
}

/* The id is read before anything else fails, for the error reply. */
static void
test_id_early(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":7,\"text\":\"\"}", PROTO_FROM_CLIENT), PROTO_ERR_BAD_TEXT);
	assert_true(d.has_id);
	assert_int_equal(d.id, 7);
	assert_int_equal(d.type, PROTO_CHAT);
	assert_int_equal(dec("{\"id\":8,\"type\":\"shout\"}",
	    PROTO_FROM_CLIENT), PROTO_ERR_BAD_TYPE);
	assert_int_equal(d.type, PROTO_NONE);
	assert_true(d.has_id);
	assert_int_equal(d.id, 8);
	assert_int_equal(dec("{\"type\":\"rename\",\"token\":\"" TOKEN "\","
	    "\"id\":9,\"name\":\"@x\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_NAME);
	assert_int_equal(d.id, 9);
	assert_int_equal(dec("{\"type\":\"chat\",\"id\":-3}",
	    PROTO_FROM_CLIENT), PROTO_ERR_BAD_FIELD);
	assert_false(d.has_id);
	/* A type without an id drops one it happened to carry. */
	assert_int_equal(dec("{\"type\":\"ping\",\"id\":4,\"token\":\"" TOKEN
	    "\"}", PROTO_FROM_CLIENT), PROTO_OK);
	assert_false(d.has_id);
}

/* Tokens: a string; if malformed, "" so that no session matches. */
static void
test_token(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"type\":\"who\",\"token\":\"" TOKEN "\"}",
	    PROTO_FROM_CLIENT), PROTO_OK);
	assert_string_equal(d.token, TOKEN);
	assert_int_equal(dec("{\"type\":\"who\",\"token\":"
	    "\"0123456789ABCDEF0123456789abcdef\"}", PROTO_FROM_CLIENT),
	    PROTO_OK);
	assert_string_equal(d.token, "");
	assert_int_equal(dec("{\"type\":\"who\",\"token\":\"" TOKEN "0\"}",
	    PROTO_FROM_CLIENT), PROTO_OK);
	assert_string_equal(d.token, "");
	assert_int_equal(dec("{\"type\":\"who\",\"token\":\"abc\"}",
	    PROTO_FROM_CLIENT), PROTO_OK);
	assert_string_equal(d.token, "");
	assert_int_equal(dec("{\"type\":\"who\",\"token\":12}",
	    PROTO_FROM_CLIENT), PROTO_ERR_BAD_FIELD);
	assert_int_equal(dec("{\"type\":\"who\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_FIELD);
	/* msg "to" that no name could be: "", so no_such_user. */
	assert_int_equal(dec("{\"type\":\"msg\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"to\":\"a b\",\"text\":\"x\"}", PROTO_FROM_CLIENT),
	    PROTO_OK);
	assert_string_equal(d.to, "");
	assert_int_equal(dec("{\"type\":\"msg\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"to\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
	    "\"text\":\"x\"}", PROTO_FROM_CLIENT), PROTO_OK);
	assert_string_equal(d.to, "");
}

/* "\u0000" cuts no string short; controls from escapes are controls. */
static void
test_nul_escape(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"text\":\"a\\u0000b\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TEXT);
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"text\":\"ok\\u0000\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TEXT);
	assert_int_equal(dec("{\"type\":\"login\",\"v\":2,"
	    "\"name\":\"bob\\u0000evil\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_NAME);
	assert_int_equal(dec("{\"type\":\"chat\\u0000\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TYPE);
	assert_int_equal(dec("{\"type\":\"who\",\"token\\u0000x\":\"" TOKEN
	    "\"}", PROTO_FROM_CLIENT), PROTO_ERR_BAD_FIELD);
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"text\":\"\\u001b[31mred\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TEXT);
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"text\":\"tab\\there\"}", PROTO_FROM_CLIENT),
	    PROTO_ERR_BAD_TEXT);
	/* An escaped backslash before "u0000" is just text. */
	assert_int_equal(dec("{\"type\":\"chat\",\"token\":\"" TOKEN "\","
	    "\"id\":1,\"text\":\"a\\\\u0000b\"}", PROTO_FROM_CLIENT),
	    PROTO_OK);
	assert_string_equal(d.text, "a\\u0000b");
	/* From the server the string is kept whole, the NUL shown as ^_. */
	assert_int_equal(dec("{\"type\":\"announce\",\"seq\":1,\"ts\":1,"
	    "\"text\":\"a\\u0000b\"}", PROTO_FROM_SERVER), PROTO_OK);
	assert_string_equal(d.text, "a\x1f" "b");
	/* A raw control byte is not JSON at all. */
	assert_int_equal(proto_decode("{\"type\":\"pong\"}\0", 16,
	    PROTO_FROM_SERVER, &d), PROTO_ERR_BAD_JSON);
	assert_int_equal(proto_decode("{\"type\":\"po\0ng\"}", 16,
	    PROTO_FROM_SERVER, &d), PROTO_ERR_BAD_JSON);
}

/* Every byte that needs escaping survives a round trip. */
static void
test_escaping(void **state)
{
	char	 text[64], *p = text;
	int	 c;

	(void)state;
	for (c = 1; c < 0x20; c++)
		*p++ = (char)c;
	strcpy(p, "\"\\/\x7f é 😀 \xe2\x80\xae");
	proto_init(&m, PROTO_CHAT);
	m.seq = 1;
	strcpy(m.from, "a\"b");
	strcpy(m.text, text);
	roundtrip(PROTO_FROM_SERVER, NULL);
	assert_non_null(strstr(out, "\\u0001\\u0002"));
	assert_non_null(strstr(out, "\\b\\t\\n\\u000b\\f\\r\\u000e"));
	assert_non_null(strstr(out, "\\u001f\\\"\\\\/\x7f é 😀"));
	assert_non_null(strstr(out, "\"from\":\"a\\\"b\""));
	for (p = out; *p != '\0'; p++)
		assert_true((unsigned char)*p >= 0x20);
}

/* Server strings are cut at a character boundary to their buffer. */
static void
test_truncation(void **state)
{
	char	 dg[1500];
	char	*s;

	(void)state;
	s = rep("一", 20);
	snprintf(dg, sizeof dg, "{\"type\":\"join\",\"seq\":1,\"ts\":1,"
	    "\"name\":\"a%s\"}", s);
	assert_int_equal(dec(dg, PROTO_FROM_SERVER), PROTO_OK);
	/* 48 bytes hold "a" and 15 three-byte characters, not 16. */
	assert_int_equal(strlen(d.name), 46);
	assert_memory_equal(d.name + 1, s, 45);
	free(s);
	s = rep("r", 100);
	snprintf(dg, sizeof dg, "{\"type\":\"here\",\"v\":2,\"room\":\"%s\","
	    "\"port\":1,\"users\":0}", s);
	assert_int_equal(dec(dg, PROTO_FROM_SERVER), PROTO_OK);
	assert_int_equal(strlen(d.room), PROTO_ROOM_MAX_BYTES);
	free(s);
}

/* welcome and users write what fits and count the rest in "more". */
static void
test_users_more(void **state)
{
	char	name[32];
	int	i, n;

	(void)state;
	proto_init(&m, PROTO_USERS);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "user%012d", i);
		if (proto_add_user(&m, name) != 0)
			m.more++;
	}
	n = proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out);
	assert_true(n > 1300 && n <= PROTO_MAX_DGRAM);
	assert_non_null(strstr(out, "],\"more\":"));
	assert_int_equal(proto_decode(out, (size_t)n, PROTO_FROM_SERVER, &d),
	    PROTO_OK);
	assert_true(d.nusers > 60 && d.nusers < m.nusers);
	assert_int_equal(d.nusers + d.more, 300);
	for (i = 0; i < d.nusers; i++)
		assert_string_equal(d.users[i], m.users[i]);

	/* welcome: the motd and the rest of the object still fit. */
	m.type = PROTO_WELCOME;
	strcpy(m.name, "user000000000000");
	strcpy(m.token, TOKEN);
	m.heartbeat = 5;
	strcpy(m.room, "lobby");
	memset(m.motd, 'm', 500);
	m.motd[500] = '\0';
	m.has_motd = true;
	n = proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out);
	assert_true(n > 1300 && n <= PROTO_MAX_DGRAM);
	assert_int_equal(proto_decode(out, (size_t)n, PROTO_FROM_SERVER, &d),
	    PROTO_OK);
	assert_int_equal(d.nusers + d.more, 300);
	assert_string_equal(d.motd, m.motd);

	/* A count that would overflow an int stays at INT_MAX. */
	m.more = 2147483647;
	n = proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out);
	assert_non_null(strstr(out, "],\"more\":2147483647}"));
	assert_int_equal(proto_decode(out, (size_t)n, PROTO_FROM_SERVER, &d),
	    PROTO_OK);
	assert_int_equal(d.more, 2147483647);

	/* All fit: no "more". */
	proto_init(&m, PROTO_USERS);
	assert_int_equal(proto_add_user(&m, "a"), 0);
	n = proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out);
	assert_null(strstr(out, "more"));
	assert_int_equal(proto_decode(out, (size_t)n, PROTO_FROM_SERVER, &d),
	    PROTO_OK);
	assert_int_equal(d.more, 0);
}

static void
test_add_user(void **state)
{
	char	*s;
	int	 i;

	(void)state;
	proto_init(&m, PROTO_USERS);
	for (i = 0; i < PROTO_MAX_USERS; i++)
		assert_int_equal(proto_add_user(&m, "a"), 0);
	assert_int_equal(proto_add_user(&m, "a"), -1);
	assert_int_equal(m.nusers, PROTO_MAX_USERS);

	proto_init(&m, PROTO_USERS);
	s = rep("x", PROTO_NAME_MAX_BYTES);
	/* 1401 bytes hold 28 names of 48 bytes and their NULs. */
	for (i = 0; i < 28; i++)
		assert_int_equal(proto_add_user(&m, s), 0);
	assert_int_equal(proto_add_user(&m, s), -1);
	/* 29 bytes are left: a 28-byte name and its NUL, then nothing. */
	assert_int_equal(proto_add_user(&m, "abcdefghijklmnopqrstuvwxyz01"), 0);
	assert_int_equal(proto_add_user(&m, "z"), -1);
	assert_string_equal(m.users[27], s);
	assert_string_equal(m.users[28], "abcdefghijklmnopqrstuvwxyz01");
	free(s);
}

/* Encoding stops at cap and at 1400 bytes. */
static void
test_encode_limits(void **state)
{
	char	small[64];
	int	n;

	(void)state;
	proto_init(&m, PROTO_LOGIN);
	strcpy(m.name, "alice");
	n = proto_encode(&m, PROTO_FROM_CLIENT, out, sizeof out);
	assert_int_equal(n, 37);
	memset(small, '#', sizeof small);
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, small, 36), -1);
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, small, 37), 37);
	assert_int_equal(small[37], '#');
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, small, 38), 37);
	assert_int_equal(small[37], '\0');
	assert_int_equal(proto_encode(&m, PROTO_FROM_CLIENT, small, 0), -1);

	/* 1000 quotes escape to 2000 bytes: the sender answers too_long. */
	proto_init(&m, PROTO_CHAT);
	m.seq = 1;
	strcpy(m.from, "a");
	memset(m.text, '"', 1000);
	m.text[1000] = '\0';
	assert_int_equal(proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out),
	    -1);
	memset(m.text, 'a', 1000);
	n = proto_encode(&m, PROTO_FROM_SERVER, out, sizeof out);
	assert_true(n > 1000 && n <= PROTO_MAX_DGRAM);
	/* seq comes right after type, where a sender may patch it. */
	assert_memory_equal(out, "{\"type\":\"chat\",\"seq\":1,", 23);
}

static void
test_names_of_things(void **state)
{
	static const char *const codes[PROTO_ERR_COUNT] = {
		"ok", "bad_json", "too_long", "bad_utf8", "bad_type",
		"bad_field", "bad_name", "bad_text", "bad_version",
	};
	static const char *const types[PROTO_TYPE_COUNT] = {
		"none", "login", "chat", "msg", "rename", "who", "ping", "ack",
		"quit", "discover", "welcome", "error", "pong", "bye",
		"users", "here", "join", "leave", "announce", "cookie",
		"topic",
	};
	int	i;

	(void)state;
	for (i = 0; i < PROTO_ERR_COUNT; i++) {
		assert_string_equal(proto_err_code(i), codes[i]);
		assert_true(strlen(proto_err_text(i)) > 1);
		assert_true(strlen(proto_err_code(i)) <= PROTO_CODE_MAX);
	}
	for (i = 0; i < PROTO_TYPE_COUNT; i++)
		assert_string_equal(proto_type_name(i), types[i]);
	assert_string_equal(proto_reason_name(PROTO_REASON_QUIT), "quit");
	assert_string_equal(proto_reason_name(PROTO_REASON_TIMEOUT),
	    "timeout");
	assert_string_equal(proto_reason_name(PROTO_REASON_KICKED), "kicked");
	assert_string_equal(proto_err_code(PROTO_ERR_COUNT), "unknown");
	assert_string_equal(proto_type_name(PROTO_TYPE_COUNT), "unknown");
	assert_string_equal(proto_reason_name(3), "unknown");
	assert_non_null(strstr(proto_err_text(PROTO_ERR_TOO_LONG), "1400"));
	assert_non_null(strstr(proto_err_text(PROTO_ERR_BAD_NAME), "1-16"));
	assert_non_null(strstr(proto_err_text(PROTO_ERR_BAD_VERSION),
	    "version 2"));
	assert_true(strlen(PROTO_CODE_MUTED) <= PROTO_CODE_MAX);
	assert_true(strlen(PROTO_CODE_BANNED) <= PROTO_CODE_MAX);
	assert_true(strlen(PROTO_CODE_NAME_TAKEN) <= PROTO_CODE_MAX);
	assert_true(strlen(PROTO_CODE_NO_SUCH_USER) <= PROTO_CODE_MAX);
}

/* cJSON's allocator for test_alloc_failure: fails the nth call. */
static int	alloc_left;

static void *
failing_malloc(size_t n)
{
	if (alloc_left-- <= 0)
		return NULL;
	return malloc(n);
}

/*
 * Out of memory at every allocation cJSON makes: the decoder answers an
 * error (bad_json: nothing was parsed), never crashes, and leaks nothing
 * (the ASan build checks that).
 */
static void
test_alloc_failure(void **state)
{
	static const char	dg[] = "{\"type\":\"welcome\",\"name\":\"a\","
	    "\"token\":\"" TOKEN "\",\"users\":[\"a\",\"b\",\"c\"],"
	    "\"heartbeat\":5,\"room\":\"r\",\"motd\":\"hi\"}";
	cJSON_Hooks		hooks = { failing_malloc, free };
	enum proto_err		err;
	int			n;

	(void)state;
	cJSON_InitHooks(&hooks);
	for (n = 0; n < 100; n++) {
		alloc_left = n;
		err = proto_decode(dg, sizeof dg - 1, PROTO_FROM_SERVER, &d);
		if (err == PROTO_OK)
			break;
		assert_int_equal(err, PROTO_ERR_BAD_JSON);
	}
	cJSON_InitHooks(NULL);
	/* Some allocations failed, and then enough of them succeeded. */
	assert_true(n > 5 && n < 100);
	assert_int_equal(d.nusers, 3);
	assert_string_equal(d.motd, "hi");
}

/* Reads a whole small file; returns its length or -1. */
static long
slurp(const char *path, char *buf, size_t cap)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

/* Reads a one-line file without its trailing newline, or "" if none. */
static void
slurp_line(const char *path, char *buf, size_t cap)
{
	long	n;

	n = slurp(path, buf, cap - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
}

/*
 * Checks one case folder; returns 0 if it passes. For a valid case the
 * expected text is the canonical re-encoding.
 */
static int
run_case(const char *kind, const char *dir)
{
	static char	input[4096], want[4096], got[4096], path[1024];
	char		dirname[16];
	long		len;
	enum proto_dir	pdir;
	enum proto_err	err;
	int		n;

	snprintf(path, sizeof path, "%s/input", dir);
	if ((len = slurp(path, input, sizeof input)) < 0) {
		print_error("%s: no input\n", dir);
		return -1;
	}
	snprintf(path, sizeof path, "%s/expected", dir);
	slurp_line(path, want, sizeof want);
	snprintf(path, sizeof path, "%s/dir", dir);
	slurp_line(path, dirname, sizeof dirname);
	pdir = strcmp(dirname, "server") == 0 ? PROTO_FROM_SERVER :
	    PROTO_FROM_CLIENT;
	err = proto_decode(input, (size_t)len, pdir, &d);
	if (strcmp(kind, "invalid") == 0) {
		if (strcmp(proto_err_code(err), want) == 0 && err != PROTO_OK)
			return 0;
		print_error("%s: got %s, expected %s\n", dir,
		    proto_err_code(err), want);
		return -1;
	}
	if (err != PROTO_OK) {
		print_error("%s: got %s, expected ok\n", dir,
		    proto_err_code(err));
		return -1;
	}
	n = proto_encode(&d, pdir, got, sizeof got);
	if (n < 0 || strcmp(got, want) != 0) {
		print_error("%s:\n  got      %s\n  expected %s\n", dir,
		    n < 0 ? "(encode failed)" : got, want);
		return -1;
	}
	return 0;
}

/* Walks CASES/kind; returns the number of cases, failures in *failed. */
static int
run_cases(const char *kind, int *failed)
{
	char		 dir[512];
	DIR		*dp;
	struct dirent	*de;
	int		 count = 0;

	snprintf(dir, sizeof dir, CASES "/%s", kind);
	if ((dp = opendir(dir)) == NULL)
		fail_msg("cannot open %s (run from the repository top)", dir);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof dir, CASES "/%s/%s", kind, de->d_name);
		count++;
		if (run_case(kind, dir) != 0)
			(*failed)++;
	}
	closedir(dp);
	return count;
}

/* What proto_decode makes of an ack, for comparing. */
static void
decode_slow(const char *buf, struct proto_msg *m, enum proto_err *e)
{
	*e = proto_decode(buf, strlen(buf), PROTO_FROM_CLIENT, m);
}

/* The fast path takes exactly the canonical acks, and agrees on them. */
/* The reliable types are exactly the server messages that carry seq. */
static void
test_reliable_types(void **state)
{
	int	 t;

	(void)state;
	for (t = PROTO_NONE; t < PROTO_TYPE_COUNT; t++)
		assert_int_equal(proto_reliable((enum proto_type)t),
		    t == PROTO_CHAT || t == PROTO_MSG || t == PROTO_JOIN ||
		    t == PROTO_LEAVE || t == PROTO_RENAME ||
		    t == PROTO_ANNOUNCE || t == PROTO_TOPIC);
}

static void
test_ack_fast(void **state)
{
	static const uint64_t	 seqs[] = { 1, 9, 10, 256, PROTO_INT_MAX };
	static const char *const other[] = {
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":0}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":01}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":9007199254740992}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":1.5}",
		"{\"type\":\"ack\",\"token\":\"0123456789ABCDEF0123456789abcdef\",\"seq\":3}",
		"{\"type\":\"ack\", \"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":3}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":3,\"x\":1}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":3",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcde\",\"seq\":33}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"seq\":}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"upto\":0}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"upto\":3,\"seqs\":[5]}",
		"{\"type\":\"ack\",\"token\":\"0123456789abcdef0123456789abcdef\",\"upt\":3}",
	};
	struct proto_msg	*m, *fast, *slow;
	enum proto_err		 e;
	char			 buf[PROTO_MAX_DGRAM];
	size_t			 i;
	int			 len;

	(void)state;
	m = test_calloc(3, sizeof(*m));
	fast = m + 1;
	slow = m + 2;
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		proto_init(m, PROTO_ACK);
		snprintf(m->token, sizeof(m->token), "%s",
		    "0123456789abcdef0123456789abcdef");
		m->seq = seqs[i];
		len = proto_encode(m, PROTO_FROM_CLIENT, buf, sizeof(buf));
		assert_true(len > 0);
		proto_init(fast, PROTO_NONE);
		fast->has_id = true;
		fast->id = 99;
		assert_true(proto_decode_ack_fast(buf, (size_t)len, fast));
		decode_slow(buf, slow, &e);
		assert_int_equal(e, PROTO_OK);
		assert_int_equal(fast->type, slow->type);
		assert_string_equal(fast->token, slow->token);
		assert_true(fast->seq == slow->seq);
		assert_false(fast->has_id);
		assert_true(fast->id == 0);
		assert_false(fast->has_upto);
		/* The cumulative form without seqs, as a batching client acks. */
		m->seq = 0;
		m->upto = seqs[i];
		m->has_upto = true;
		len = proto_encode(m, PROTO_FROM_CLIENT, buf, sizeof(buf));
		assert_true(len > 0);
		fast->nseqs = 3;
		assert_true(proto_decode_ack_fast(buf, (size_t)len, fast));
		decode_slow(buf, slow, &e);
		assert_int_equal(e, PROTO_OK);
		assert_true(fast->has_upto && slow->has_upto);
		assert_true(fast->upto == slow->upto && fast->seq == 0);
		assert_int_equal(fast->nseqs, 0);
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_false(proto_decode_ack_fast(other[i], strlen(other[i]),
		    fast));
	test_free(m);
}

/* proto_encode_ack writes what proto_encode writes, both forms. */
static void
test_encode_ack(void **state)
{
	static const uint64_t	 seqs[] = { 12, 14, 9007199254740991ULL };
	struct proto_msg	*m;
	char			 a[PROTO_MAX_DGRAM], b[PROTO_MAX_DGRAM];
	int			 la, lb, n;

	(void)state;
	m = test_calloc(1, sizeof(*m));
	proto_init(m, PROTO_ACK);
	snprintf(m->token, sizeof(m->token), "%s",
	    "0123456789abcdef0123456789abcdef");
	m->seq = 77;
	la = proto_encode(m, PROTO_FROM_CLIENT, a, sizeof(a));
	lb = proto_encode_ack(m->token, false, 77, 0, NULL, 0, b, sizeof(b));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, (size_t)la);
	for (n = 0; n <= 3; n++) {
		m->seq = 0;
		m->has_upto = true;
		m->upto = 10;
		m->nseqs = n;
		memcpy(m->seqs, seqs, sizeof(seqs));
		la = proto_encode(m, PROTO_FROM_CLIENT, a, sizeof(a));
		lb = proto_encode_ack(m->token, true, 0, 10, seqs, n, b,
		    sizeof(b));
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, (size_t)la);
	}
	assert_int_equal(proto_encode_ack(m->token, true, 0, 10, seqs, 3, b,
	    20), -1);
	test_free(m);
}

/* proto_encode_id_ack writes what proto_encode writes for the server. */
static void
test_encode_id_ack(void **state)
{
	static const uint64_t	 ids[] = { 1, 42, 9007199254740991ULL };
	struct proto_msg	*m;
	char			 a[PROTO_MAX_DGRAM], b[PROTO_MAX_DGRAM];
	int			 la, lb;
	size_t			 i;

	(void)state;
	m = test_calloc(1, sizeof(*m));
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		proto_init(m, PROTO_ACK);
		m->id = ids[i];
		m->has_id = true;
		la = proto_encode(m, PROTO_FROM_SERVER, a, sizeof(a));
		lb = proto_encode_id_ack(ids[i], b, sizeof(b));
		assert_true(la > 0);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, (size_t)la);
	}
	assert_int_equal(proto_encode_id_ack(42, b, 10), -1);
	test_free(m);
}

/* A batch's messages one by one, braces in strings skipped. */
static void
test_batch_next(void **state)
{
	static const char	 ok[] =
	    "{\"type\":\"batch\",\"msgs\":[{\"a\":\"}{\\\"\"},"
	    "{\"b\":[1,{\"c\":2}]}]}";
	static const char *const bad[] = {
		"{\"type\":\"chat\",\"seq\":1}",
		"{\"type\":\"batch\",\"msgs\":[]}",
		"{\"type\":\"batch\",\"msgs\":[{\"a\":1}",
		"{\"type\":\"batch\",\"msgs\":[1]}",
		"{\"type\":\"batch\",\"msgs\":[{\"a\":\"}]}",
	};
	size_t	 pos = 0, off, n, i;

	(void)state;
	assert_int_equal(proto_batch_next(ok, strlen(ok), &pos, &off, &n), 1);
	assert_int_equal(n, strlen("{\"a\":\"}{\\\"\"}"));
	assert_memory_equal(ok + off, "{\"a\":\"}{\\\"\"}", n);
	assert_int_equal(proto_batch_next(ok, strlen(ok), &pos, &off, &n), 1);
	assert_memory_equal(ok + off, "{\"b\":[1,{\"c\":2}]}", n);
	assert_int_equal(n, strlen("{\"b\":[1,{\"c\":2}]}"));
	assert_int_equal(proto_batch_next(ok, strlen(ok), &pos, &off, &n), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pos = 0;
		while (proto_batch_next(bad[i], strlen(bad[i]), &pos, &off,
		    &n) == 1)
			continue;
		assert_int_equal(proto_batch_next(bad[i], strlen(bad[i]),
		    &pos, &off, &n), -1);
	}
}

static void
test_data_cases(void **state)
{
	int	failed = 0, ninvalid, nvalid;

	(void)state;
	ninvalid = run_cases("invalid", &failed);
	nvalid = run_cases("valid", &failed);
	print_message("%d invalid and %d valid cases, %d failed\n", ninvalid,
	    nvalid, failed);
	assert_int_equal(failed, 0);
	/* An emptied folder must not pass silently. */
	assert_true(ninvalid >= 40);
	assert_true(nvalid >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_types),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_server_types),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_check_name),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_decode_limits),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_id_early),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_nul_escape),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_users_more),
		cmocka_unit_test(test_add_user),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_names_of_things),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_reliable_types),
		cmocka_unit_test(test_ack_fast),
		cmocka_unit_test(test_encode_ack),
		cmocka_unit_test(test_encode_id_ack),
		cmocka_unit_test(test_batch_next),
		cmocka_unit_test(test_data_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

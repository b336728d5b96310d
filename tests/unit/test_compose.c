/*
 * Unit tests for chat_client/compose.c: every kind of line in the
 * words plain mode prints (the full screen draws the same pieces),
 * the screen-only marks, and the attributes of mentions and own lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compose.h"

#define UNUSED(x)	((void)(x))

/* The plain line without its "HH:MM:SS " time. */
static const char *
plain_of(const struct front_item *it, char *buf, size_t cap)
{
	struct compose_line	 l;

	compose_item(it, &l);
	compose_plain(&l, buf, cap);
	assert_int_equal(strlen(l.time), 8);
	return buf + 9;
}

/* All pieces joined, screen marks included: what the screen shows. */
static const char *
screen_of(const struct front_item *it, char *buf, size_t cap)
{
	struct compose_line	 l;
	int			 i;

	compose_item(it, &l);
	buf[0] = '\0';
	for (i = 0; i < l.npiece; i++)
		strncat(buf, l.piece[i].s, cap - strlen(buf) - 1);
	return buf;
}

static void
test_kinds_plain(void **state)
{
	struct front_item	 it;
	char			 b[256];

	UNUSED(state);
	memset(&it, 0, sizeof(it));
	it.from = "alice";
	it.to = "bob";
	it.name = "carol";
	it.text = "hi";
	it.reason = "quit: bye";
	it.kind = FRONT_CHAT;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "<alice> hi");
	it.action = 1;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "* alice hi");
	it.history = 1;
	assert_string_equal(plain_of(&it, b, sizeof(b)),
	    "[history] * alice hi");
	it.action = it.history = 0;
	it.kind = FRONT_MSG_IN;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "*alice* hi");
	assert_string_equal(screen_of(&it, b, sizeof(b)),
	    "[private] *alice* hi");
	it.kind = FRONT_MSG_OUT;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "-> *bob* hi");
	it.kind = FRONT_JOIN;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "-- carol joined");
	it.kind = FRONT_LEAVE;
	assert_string_equal(plain_of(&it, b, sizeof(b)),
	    "-- carol left (quit: bye)");
	it.kind = FRONT_RENAME;
	assert_string_equal(plain_of(&it, b, sizeof(b)),
	    "-- alice is now bob");
	it.kind = FRONT_ANNOUNCE;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "!! hi");
	it.kind = FRONT_USERS;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "-- users: hi");
	it.kind = FRONT_ERROR;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "error: hi");
	it.kind = FRONT_INFO;
	assert_string_equal(plain_of(&it, b, sizeof(b)), "-- hi");
}

static void
test_own_marks(void **state)
{
	struct front_item	 it;
	struct compose_line	 l;
	char			 b[256];

	UNUSED(state);
	memset(&it, 0, sizeof(it));
	it.kind = FRONT_CHAT;
	it.from = "me";
	it.text = "hello me";
	it.own = 1;
	it.mention = 1;
	it.state = FRONT_PENDING;
	compose_item(&it, &l);
	assert_true(l.base & COMPOSE_DIM);
	/* Our own line that says our name is no mention. */
	assert_int_equal(l.piece[l.npiece - 1].attr, 0);
	it.state = FRONT_FAILED;
	compose_item(&it, &l);
	assert_int_equal(l.colour, COMPOSE_COLOUR_FAILED);
	assert_string_equal(screen_of(&it, b, sizeof(b)),
	    "[not delivered] <me> hello me");
	it.own = 0;
	it.state = FRONT_DONE;
	compose_item(&it, &l);
	assert_int_equal(l.piece[l.npiece - 1].colour,
	    COMPOSE_COLOUR_MENTION);
}

static void
test_plain_cut_at_character(void **state)
{
	struct front_item	 it;
	char			 b[16];

	UNUSED(state);
	memset(&it, 0, sizeof(it));
	it.kind = FRONT_INFO;
	it.text = "\xe4\xbd\xa0\xe5\xa5\xbd";	/* two 3-byte characters */
	/* "HH:MM:SS -- " is 12 bytes: one character fits, not two. */
	plain_of(&it, b, sizeof(b));
	assert_string_equal(b + 9, "-- \xe4\xbd\xa0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_plain),
		cmocka_unit_test(test_own_marks),
		cmocka_unit_test(test_plain_cut_at_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

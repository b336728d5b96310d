/*
 * Unit tests for chat_server/history.c: order, wrap-around, size 0, and
 * every field of an entry kept (kind, mid, action).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"

static void
push_n(struct history *h, unsigned from, unsigned to)
{
	struct history_entry	 e;
	unsigned		 i;

	for (i = from; i < to; i++) {
		memset(&e, 0, sizeof(e));
		e.type = PROTO_CHAT;
		snprintf(e.text, sizeof(e.text), "line %u", i);
		snprintf(e.from, sizeof(e.from), "%s", i % 2 ? "bob" : "alice");
		e.ts = 1000 + i;
		e.mid = i + 1;
		history_push(h, &e);
	}
}

static void
test_order(void **state)
{
	struct history			 h;
	const struct history_entry	*e;

	(void)state;
	assert_int_equal(history_init(&h, 5), 0);
	assert_int_equal(history_count(&h), 0);
	assert_null(history_at(&h, 0));
	push_n(&h, 0, 3);
	assert_int_equal(history_count(&h), 3);
	e = history_at(&h, 0);
	assert_string_equal(e->from, "alice");
	assert_string_equal(e->text, "line 0");
	assert_int_equal(e->ts, 1000);
	assert_string_equal(history_at(&h, 2)->text, "line 2");
	assert_null(history_at(&h, 3));
	history_free(&h);
}

static void
test_wrap(void **state)
{
	struct history	 h;
	char		 want[32];
	unsigned	 i;

	(void)state;
	assert_int_equal(history_init(&h, 4), 0);
	push_n(&h, 0, 11);
	assert_int_equal(history_count(&h), 4);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "line %u", 7 + i);
		assert_string_equal(history_at(&h, i)->text, want);
		assert_int_equal(history_at(&h, i)->ts, 1007 + i);
	}
	assert_null(history_at(&h, 4));
	history_free(&h);
}

static void
test_size_one(void **state)
{
	struct history	 h;

	(void)state;
	assert_int_equal(history_init(&h, 1), 0);
	push_n(&h, 0, 3);
	assert_int_equal(history_count(&h), 1);
	assert_string_equal(history_at(&h, 0)->text, "line 2");
	history_free(&h);
}

static void
test_size_zero(void **state)
{
	struct history	 h;

	(void)state;
	assert_int_equal(history_init(&h, 0), 0);
	push_n(&h, 0, 10);
	assert_int_equal(history_count(&h), 0);
	assert_null(history_at(&h, 0));
	history_free(&h);
}

/* Announcements and actions are kept with their kind and number. */
static void
test_kinds(void **state)
{
	struct history			 h;
	struct history_entry		 e;
	const struct history_entry	*got;

	(void)state;
	assert_int_equal(history_init(&h, 3), 0);
	push_n(&h, 0, 1);
	memset(&e, 0, sizeof(e));
	e.type = PROTO_ANNOUNCE;
	snprintf(e.text, sizeof(e.text), "lunch at noon");
	e.ts = 5000;
	e.mid = 2;
	history_push(&h, &e);
	memset(&e, 0, sizeof(e));
	e.type = PROTO_CHAT;
	e.action = true;
	snprintf(e.from, sizeof(e.from), "bob");
	snprintf(e.text, sizeof(e.text), "waves");
	e.mid = 3;
	history_push(&h, &e);
	got = history_at(&h, 1);
	assert_int_equal(got->type, PROTO_ANNOUNCE);
	assert_int_equal(got->mid, 2);
	assert_int_equal(got->ts, 5000);
	assert_string_equal(got->text, "lunch at noon");
	assert_false(got->action);
	got = history_at(&h, 2);
	assert_int_equal(got->type, PROTO_CHAT);
	assert_true(got->action);
	assert_int_equal(got->mid, 3);
	assert_string_equal(got->from, "bob");
	assert_int_equal(history_at(&h, 0)->mid, 1);
	history_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_size_one),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

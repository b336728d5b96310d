/*
 * Unit tests for chat_server/history.c: order, wrap-around, size 0 and
 * cutting of overlong strings.
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
	char	 text[32];
	unsigned i;

	for (i = from; i < to; i++) {
		snprintf(text, sizeof(text), "line %u", i);
		history_push(h, i % 2 ? "bob" : "alice", text, 1000 + i);
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

static void
test_long_strings(void **state)
{
	struct history	 h;
	char		 text[PROTO_TEXT_MAX + 50];

	(void)state;
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(history_init(&h, 2), 0);
	history_push(&h, "a_name_much_longer_than_the_limit_of_48_bytes_yes_it_is",
	    text, 1);
	assert_int_equal(strlen(history_at(&h, 0)->text), PROTO_TEXT_MAX);
	assert_int_equal(strlen(history_at(&h, 0)->from), PROTO_NAME_MAX_BYTES);
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
		cmocka_unit_test(test_long_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

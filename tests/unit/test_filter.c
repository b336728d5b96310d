/*
 * Unit tests for chat_client/filter.c: which lines /filter joins and
 * /ignore hide, that each is counted, and the ignore list's forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "filter.h"

#define UNUSED(x)	((void)(x))

static struct front_item
item(enum front_kind kind, const char *who, const char *reason)
{
	struct front_item	 it;

	memset(&it, 0, sizeof(it));
	it.kind = kind;
	it.from = it.name = who;
	it.reason = reason;
	it.text = "hi";
	return it;
}

static void
test_joins(void **state)
{
	struct filter		 f;
	struct front_item	 j = item(FRONT_JOIN, "bob", NULL);
	struct front_item	 q = item(FRONT_LEAVE, "bob", "quit: bye");
	struct front_item	 t = item(FRONT_LEAVE, "bob", "timeout");
	struct front_item	 k = item(FRONT_LEAVE, "bob", "kicked: spam");
	struct front_item	 c = item(FRONT_CHAT, "bob", NULL);
	char			 s[256];

	UNUSED(state);
	memset(&f, 0, sizeof(f));
	assert_false(filter_hides(&f, &j));
	assert_false(filter_hides(&f, &q));
	filter_state(&f, s, sizeof(s));
	assert_string_equal(s, "joins and leaves shown (/filter joins hides "
	    "them)");
	f.joins = 1;
	assert_true(filter_hides(&f, &j));
	assert_true(filter_hides(&f, &j));
	assert_true(filter_hides(&f, &q));
	assert_true(filter_hides(&f, &t));
	assert_false(filter_hides(&f, &k));	/* a kick is news */
	assert_false(filter_hides(&f, &c));
	assert_int_equal(filter_hidden(&f), 4);
	filter_state(&f, s, sizeof(s));
	assert_string_equal(s, "joins and leaves hidden (2 joins, 2 leaves so "
	    "far; /filter joins shows them)");
}

static void
test_ignore(void **state)
{
	struct filter		 f;
	struct front_item	 c = item(FRONT_CHAT, "bob", NULL);
	struct front_item	 m = item(FRONT_MSG_IN, "bob", NULL);
	struct front_item	 a = item(FRONT_CHAT, "bob", NULL);
	struct front_item	 o = item(FRONT_CHAT, "bobby", NULL);
	struct front_item	 j = item(FRONT_JOIN, "bob", NULL);
	char			 list[FILTER_LIST_MAX], bad[64];

	UNUSED(state);
	memset(&f, 0, sizeof(f));
	a.action = 1;
	assert_int_equal(filter_ignore_add(&f, "bob"), 0);
	assert_int_equal(filter_ignore_add(&f, "bob"), 1);
	assert_true(filter_hides(&f, &c));
	assert_true(filter_hides(&f, &m));
	assert_true(filter_hides(&f, &a));
	assert_false(filter_hides(&f, &o));	/* byte for byte, whole */
	assert_false(filter_hides(&f, &j));
	c.own = 1;
	assert_false(filter_hides(&f, &c));
	assert_int_equal(f.hid_ignored, 3);
	assert_int_equal(filter_ignore_parse(&f, " carol,dave\teve ", bad,
	    sizeof(bad)), 0);
	filter_ignore_list(&f, list, sizeof(list));
	assert_string_equal(list, "bob carol dave eve");
	assert_int_equal(filter_ignore_remove(&f, "carol"), 0);
	assert_int_equal(filter_ignore_remove(&f, "carol"), -1);
	filter_ignore_list(&f, list, sizeof(list));
	assert_string_equal(list, "bob dave eve");
	assert_int_equal(filter_ignore_parse(&f, "ok /bad", bad, sizeof(bad)),
	    -1);
	assert_string_equal(bad, "/bad");
}

static void
test_ignore_full(void **state)
{
	struct filter	 f;
	char		 name[16];
	int		 i;

	UNUSED(state);
	memset(&f, 0, sizeof(f));
	for (i = 0; i < FILTER_IGNORE_MAX; i++) {
		snprintf(name, sizeof(name), "u%d", i);
		assert_int_equal(filter_ignore_add(&f, name), 0);
	}
	assert_int_equal(filter_ignore_add(&f, "one-more"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_joins),
		cmocka_unit_test(test_ignore),
		cmocka_unit_test(test_ignore_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for chat_server/resume.c: a login with the remembered name
 * and cid gets the remembered next id, any other gets 1; a name put
 * again replaces its entry; the oldest entry is dropped when the table
 * is full (and only it); every entry in one hash chain still works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "resume.h"

#define CID_A	"0123456789abcdef"
#define CID_B	"fedcba9876543210"

static void
test_match(void **state)
{
	struct resume	 r;

	(void)state;
	assert_int_equal(resume_init(&r, 8, 42), 0);
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 1);
	resume_put(&r, "alice", CID_A, 4);
	assert_int_equal(resume_count(&r), 1);
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 4);
	/* Looking does not use it up: a lost welcome is asked for again. */
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 4);
	assert_int_equal(resume_next_id(&r, "alice", CID_B), 1);
	assert_int_equal(resume_next_id(&r, "alice", NULL), 1);
	assert_int_equal(resume_next_id(&r, "alice", ""), 1);
	assert_int_equal(resume_next_id(&r, "bob", CID_A), 1);
	assert_int_equal(resume_next_id(&r, "Alice", CID_A), 1);
	resume_free(&r);
}

static void
test_replace(void **state)
{
	struct resume	 r;

	(void)state;
	assert_int_equal(resume_init(&r, 4, 1), 0);
	resume_put(&r, "alice", CID_A, 4);
	resume_put(&r, "alice", CID_A, 9);
	assert_int_equal(resume_count(&r), 1);
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 9);
	/* The name's last session had another client: the old cid is out. */
	resume_put(&r, "alice", CID_B, 2);
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 1);
	assert_int_equal(resume_next_id(&r, "alice", CID_B), 2);
	/* Its last session had no cid: nobody matches. */
	resume_put(&r, "alice", "", 7);
	assert_int_equal(resume_next_id(&r, "alice", CID_B), 1);
	assert_int_equal(resume_next_id(&r, "alice", ""), 1);
	assert_int_equal(resume_count(&r), 1);
	resume_free(&r);
}

static void
put_n(struct resume *r, unsigned from, unsigned to)
{
	char	 name[16];
	unsigned i;

	for (i = from; i < to; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		resume_put(r, name, CID_A, 100 + i);
	}
}

static void
test_oldest_dropped(void **state)
{
	struct resume	 r;
	char		 name[16];
	unsigned	 i;

	(void)state;
	assert_int_equal(resume_init(&r, 5, 7), 0);
	put_n(&r, 0, 12);
	assert_int_equal(resume_count(&r), 5);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		assert_int_equal(resume_next_id(&r, name, CID_A),
		    i < 7 ? 1 : 100 + i);
	}
	/* A name put again is newest: the next drop takes another. */
	resume_put(&r, "u7", CID_A, 1000);
	resume_put(&r, "new", CID_A, 5);
	assert_int_equal(resume_next_id(&r, "u7", CID_A), 1000);
	assert_int_equal(resume_next_id(&r, "new", CID_A), 5);
	assert_int_equal(resume_count(&r), 5);
	resume_put(&r, "new2", CID_A, 6);
	assert_int_equal(resume_next_id(&r, "u9", CID_A), 1);
	assert_int_equal(resume_next_id(&r, "u10", CID_A), 110);
	assert_int_equal(resume_next_id(&r, "u7", CID_A), 1000);
	resume_free(&r);
}

/* Seed 0 and one bucket are not possible from outside; many names are. */
static void
test_many(void **state)
{
	struct resume	 r;
	char		 name[16];
	unsigned	 i;

	(void)state;
	assert_int_equal(resume_init(&r, 1000, 0), 0);
	put_n(&r, 0, 3000);
	assert_int_equal(resume_count(&r), 1000);
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		assert_int_equal(resume_next_id(&r, name, CID_A),
		    i < 2000 ? 1 : 100 + i);
	}
	resume_free(&r);
}

static void
test_size_one(void **state)
{
	struct resume	 r;

	(void)state;
	assert_int_equal(resume_init(&r, 0, 3), 0);
	resume_put(&r, "alice", CID_A, 3);
	resume_put(&r, "bob", CID_B, 8);
	assert_int_equal(resume_next_id(&r, "alice", CID_A), 1);
	assert_int_equal(resume_next_id(&r, "bob", CID_B), 8);
	resume_put(&r, "bob", CID_B, 9);
	assert_int_equal(resume_next_id(&r, "bob", CID_B), 9);
	assert_int_equal(resume_count(&r), 1);
	resume_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_oldest_dropped),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_size_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for shared/hash.c: the same string and seed give the same
 * hash; another seed or another string (one byte apart) another; the
 * low bits (a bucket) of many similar names spread over the buckets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"

static void
test_stable(void **state)
{
	(void)state;
	assert_true(hash_str(1, "alice") == hash_str(1, "alice"));
	assert_true(hash_str(1, "alice") != hash_str(2, "alice"));
	assert_true(hash_str(1, "alice") != hash_str(1, "alicf"));
	assert_true(hash_str(1, "") != hash_str(2, ""));
	/* FNV-1a of "" with seed 0 is its offset basis, then mixed. */
	assert_true(hash_str(0, "") != 0xcbf29ce484222325ULL);
	/* A string is its bytes; bytes may hold a NUL. */
	assert_true(hash_str(7, "ab") == hash_bytes(7, "ab", 2));
	assert_true(hash_bytes(7, "a\0b", 3) != hash_bytes(7, "a\0c", 3));
}

static void
test_spread(void **state)
{
	unsigned	 count[64];
	char		 name[16];
	unsigned	 i;

	(void)state;
	memset(count, 0, sizeof(count));
	for (i = 0; i < 6400; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		count[hash_str(42, name) & 63]++;
	}
	/* 100 a bucket on average: none empty, none crowded. */
	for (i = 0; i < 64; i++) {
		assert_true(count[i] > 50);
		assert_true(count[i] < 160);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

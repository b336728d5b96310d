/*
 * Unit tests for chat_server/session.c: add and find by name, by token
 * and by skeleton (look-alike names), rename, remove, many sessions,
 * every session in one hash chain, the count per host (an IP address,
 * a remote IPv6 /64), the
 * deadline heap and the rate bucket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"

#define MANY	1000

static struct net_addr	 addr0;

static void
make_token(char *out, unsigned i)
{
	snprintf(out, PROTO_TOKEN_LEN + 1, "%032x", i);
}

static struct session *
add(struct session_table *t, const char *name, unsigned i)
{
	char	 token[PROTO_TOKEN_LEN + 1];

	make_token(token, i);
	return session_add(t, name, token, &addr0, 1000);
}

/*
 * Sessions in the chains of index i, counted only up to one more than
 * the table holds, so that a loop cannot hang the test.
 */
static size_t
chained(const struct session_table *t, enum session_index i)
{
	const struct session	*s;
	size_t			 b, n = 0;

	for (b = 0; b <= t->mask; b++) {
		for (s = t->index[i][b]; s != NULL && n <= t->count;
		    s = s->chain[i])
			n++;
	}
	return n;
}

/*
 * The per-host entries: each session's is in its chain, the counts add
 * up to the sessions, and no entry is left with none.
 */
static void
hosts_consistent(const struct session_table *t)
{
	const struct session		*s;
	const struct session_host	*h;
	size_t				 b, sum = 0;

	for (s = t->head; s != NULL; s = s->next) {
		assert_non_null(s->host);
		assert_int_equal(session_host_count(t, &s->addr),
		    s->host->count);
	}
	for (b = 0; b <= t->mask; b++) {
		for (h = t->hosts[b]; h != NULL && sum <= t->count;
		    h = h->next) {
			assert_true(h->count > 0);
			sum += h->count;
		}
	}
	assert_int_equal(sum, t->count);
}

/* Every link of the list, the indexes and the heap agrees with the count. */
static void
check_consistent(const struct session_table *t)
{
	const struct session	*s, *f;
	size_t			 n, i;

	n = 0;
	for (s = t->head; s != NULL; s = s->next) {
		assert_true(s->next == NULL || s->next->prev == s);
		assert_ptr_equal(t->heap[s->heap_idx], s);
		assert_ptr_equal(session_find_name(t, s->name), s);
		f = session_find_skeleton(t, s->name, NULL);
		assert_non_null(f);
		assert_string_equal(f->skeleton, s->skeleton);
		n++;
	}
	assert_int_equal(n, t->count);
	for (i = 0; i < SESSION_NINDEX; i++)
		assert_int_equal(chained(t, i), t->count);
	assert_int_equal(t->heap_len, t->count);
	hosts_consistent(t);
	for (i = 1; i < t->heap_len; i++)
		assert_true(t->heap[(i - 1) / 2]->deadline <=
		    t->heap[i]->deadline);
}

static void
test_add_find(void **state)
{
	struct session_table	 t;
	struct session		*a, *b;
	char			 token[PROTO_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(session_table_init(&t, 16, 42), 0);
	a = add(&t, "alice", 1);
	b = add(&t, "\xe5\xbc\xa0\xe4\xb8\x89", 2);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(t.count, 2);
	assert_ptr_equal(session_find_name(&t, "alice"), a);
	assert_ptr_equal(session_find_name(&t, "\xe5\xbc\xa0\xe4\xb8\x89"), b);
	assert_null(session_find_name(&t, "Alice"));
	assert_null(session_find_name(&t, "alic"));
	make_token(token, 2);
	assert_ptr_equal(session_find_token(&t, token), b);
	make_token(token, 3);
	assert_null(session_find_token(&t, token));
	assert_int_equal(a->next_seq, 1);
	assert_int_equal(a->last_heard, 1000);
	assert_ptr_equal(t.head, a);
	assert_ptr_equal(t.tail, b);
	check_consistent(&t);
	session_table_free(&t);
}

static void
test_rename(void **state)
{
	struct session_table	 t;
	struct session		*a;
	char			 token[PROTO_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(session_table_init(&t, 4, 7), 0);
	a = add(&t, "alice", 1);
	add(&t, "bob", 2);
	session_rename(&t, a, "alicia");
	assert_null(session_find_name(&t, "alice"));
	assert_ptr_equal(session_find_name(&t, "alicia"), a);
	assert_string_equal(a->name, "alicia");
	make_token(token, 1);
	assert_ptr_equal(session_find_token(&t, token), a);
	assert_non_null(session_find_name(&t, "bob"));
	session_table_free(&t);
}

static void
test_remove(void **state)
{
	struct session_table	 t;
	struct session		*a, *b, *c;
	char			 token[PROTO_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(session_table_init(&t, 8, 1), 0);
	a = add(&t, "a", 1);
	b = add(&t, "b", 2);
	c = add(&t, "c", 3);
	/* A queued datagram is freed with its session. */
	assert_int_equal(reliable_push(&b->queue, 1, "x", 1, 0), 0);
	session_remove(&t, b);
	assert_null(session_find_name(&t, "b"));
	make_token(token, 2);
	assert_null(session_find_token(&t, token));
	assert_ptr_equal(a->next, c);
	assert_ptr_equal(c->prev, a);
	check_consistent(&t);
	session_remove(&t, a);
	session_remove(&t, c);
	assert_null(t.head);
	assert_null(t.tail);
	assert_int_equal(t.count, 0);
	assert_null(session_earliest(&t));
	/* The name is free again. */
	a = add(&t, "b", 2);
	assert_ptr_equal(session_find_name(&t, "b"), a);
	session_table_free(&t);
}

/* With one bucket every session shares both chains. */
static void
test_collisions(void **state)
{
	struct session_table	 t;
	struct session		*s;
	char			 name[32], token[PROTO_TOKEN_LEN + 1];
	unsigned		 i;

	(void)state;
	assert_int_equal(session_table_init(&t, 1, 0), 0);
	assert_int_equal(t.mask, 0);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		assert_non_null(add(&t, name, i));
	}
	for (i = 0; i < 100; i += 2) {
		snprintf(name, sizeof(name), "u%u", i);
		session_remove(&t, session_find_name(&t, name));
	}
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		make_token(token, i);
		s = session_find_name(&t, name);
		assert_ptr_equal(session_find_token(&t, token), s);
		if (i % 2 == 0)
			assert_null(s);
		else
			assert_string_equal(s->name, name);
	}
	check_consistent(&t);
	session_table_free(&t);
}

/* Look-alikes found in O(1) through add, rename and remove. */
static void
test_skeleton(void **state)
{
	struct session_table	 t;
	struct session		*a, *m, *c, *s;

	(void)state;
	assert_int_equal(session_table_init(&t, 16, 3), 0);
	a = add(&t, "alice", 1);
	m = add(&t, "m", 2);
	c = add(&t, "\xe5\xbc\xa0\xe4\xb8\x89", 3);
	assert_non_null(a);
	assert_non_null(m);
	assert_non_null(c);
	assert_ptr_equal(session_find_skeleton(&t, "alice", NULL), a);
	/* Cyrillic a, then Cyrillic a, i, c, e. */
	assert_ptr_equal(session_find_skeleton(&t, "\xd0\xb0lice", NULL), a);
	assert_ptr_equal(session_find_skeleton(&t,
	    "\xd0\xb0l\xd1\x96\xd1\x81\xd0\xb5", NULL), a);
	assert_ptr_equal(session_find_skeleton(&t, "rn", NULL), m);
	assert_ptr_equal(session_find_skeleton(&t,
	    "\xe5\xbc\xa0\xe4\xb8\x89", NULL), c);
	assert_null(session_find_skeleton(&t, "bob", NULL));
	assert_null(session_find_skeleton(&t, "Alice", NULL));
	assert_null(session_find_skeleton(&t, "alic", NULL));
	assert_null(session_find_skeleton(&t, "\xe5\xbc\xa0", NULL));
	assert_null(session_find_skeleton(&t, "a\xff", NULL));
	/* A session is not its own look-alike (renaming to one). */
	assert_null(session_find_skeleton(&t, "\xd0\xb0lice", a));
	assert_ptr_equal(session_find_skeleton(&t, "rn", a), m);
	assert_int_equal(session_rename(&t, a, "\xd0\xb0lice"), 0);
	assert_ptr_equal(session_find_skeleton(&t, "alice", NULL), a);
	assert_null(session_find_name(&t, "alice"));

	/* Renamed away: the old look goes with it. */
	assert_int_equal(session_rename(&t, a, "bob"), 0);
	assert_null(session_find_skeleton(&t, "alice", NULL));
	assert_ptr_equal(session_find_skeleton(&t, "b\xd0\xbe" "b", NULL), a);
	check_consistent(&t);

	/* Two sessions with one skeleton: skip finds the other. */
	s = add(&t, "rn", 4);
	assert_ptr_equal(session_find_skeleton(&t, "m", m), s);
	assert_ptr_equal(session_find_skeleton(&t, "m", s), m);
	session_remove(&t, m);
	assert_ptr_equal(session_find_skeleton(&t, "m", NULL), s);
	assert_null(session_find_skeleton(&t, "m", s));
	session_remove(&t, s);
	assert_null(session_find_skeleton(&t, "m", NULL));
	check_consistent(&t);
	session_table_free(&t);
}

static struct session *
add_from(struct session_table *t, const char *name, unsigned i,
    const char *where)
{
	struct net_addr	 a;
	char		 token[PROTO_TOKEN_LEN + 1], err[128];

	assert_int_equal(net_parse_addr(where, 1, &a, err, sizeof(err)), 0);
	make_token(token, i);
	return session_add(t, name, token, &a, 1000);
}

static size_t
count_at(const struct session_table *t, const char *where)
{
	struct net_addr	 a;
	char		 err[128];

	assert_int_equal(net_parse_addr(where, 1, &a, err, sizeof(err)), 0);
	return session_host_count(t, &a);
}

/*
 * Sessions per IP address, any port (--max-per-host): v4-mapped IPv6 is
 * its IPv4; removal counts down and frees the entry with the last one.
 * One bucket (mask 0) puts every host in one chain.
 */
static void
test_hosts(void **state)
{
	struct session_table	 t;
	struct session		*a, *b, *c, *d, *e;
	size_t			 buckets;

	(void)state;
	for (buckets = 1; buckets <= 64; buckets *= 64) {
		assert_int_equal(session_table_init(&t, buckets, 9), 0);
		assert_int_equal(count_at(&t, "127.0.0.1:5"), 0);
		a = add_from(&t, "a", 1, "127.0.0.1:1000");
		b = add_from(&t, "b", 2, "127.0.0.1:1001");
		c = add_from(&t, "c", 3, "127.0.0.2:1000");
		d = add_from(&t, "d", 4, "[::ffff:127.0.0.1]:1002");
		e = add_from(&t, "e", 5, "[::1]:1000");
		assert_non_null(e);
		assert_int_equal(count_at(&t, "127.0.0.1:9"), 3);
		assert_int_equal(count_at(&t, "[::ffff:127.0.0.1]:9"), 3);
		assert_int_equal(count_at(&t, "127.0.0.2:1000"), 1);
		assert_int_equal(count_at(&t, "[::1]:2"), 1);
		assert_int_equal(count_at(&t, "127.0.0.3:1000"), 0);
		assert_ptr_equal(a->host, d->host);
		assert_ptr_equal(a->host, b->host);
		check_consistent(&t);
		session_remove(&t, b);
		session_remove(&t, c);
		assert_int_equal(count_at(&t, "127.0.0.1:1000"), 2);
		assert_int_equal(count_at(&t, "127.0.0.2:1000"), 0);
		check_consistent(&t);
		session_remove(&t, a);
		session_remove(&t, d);
		assert_int_equal(count_at(&t, "127.0.0.1:1000"), 0);
		check_consistent(&t);
		/* Freed with the table (ASan and valgrind see a leak). */
		assert_non_null(add_from(&t, "f", 6, "127.0.0.2:7"));
		session_table_free(&t);
	}
}

/*
 * IPv6 counts by /64 (a host may take any address in it), but on one of
 * our own links (session_set_links) by address, as the LAN's hosts all
 * share that /64.
 */
static void
test_hosts_ipv6(void **state)
{
	static const struct net_prefix	lan = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0x00, 0x01 }
	};
	struct session_table		t;
	struct session			*a, *b, *c;

	(void)state;
	assert_int_equal(session_table_init(&t, 64, 9), 0);
	session_set_links(&t, &lan, 1);
	a = add_from(&t, "a", 1, "[2001:db8:1:2::1]:1000");
	b = add_from(&t, "b", 2, "[2001:db8:1:2:dead:beef:0:7]:1000");
	c = add_from(&t, "c", 3, "[2001:db8:1:3::1]:1000");
	assert_non_null(c);
	assert_int_equal(count_at(&t, "[2001:db8:1:2:ffff::9]:5"), 2);
	assert_int_equal(count_at(&t, "[2001:db8:1:3::2]:5"), 1);
	assert_ptr_equal(a->host, b->host);
	assert_non_null(add_from(&t, "d", 4, "[2001:db8:a:1::10]:1000"));
	assert_non_null(add_from(&t, "e", 5, "[2001:db8:a:1::11]:1000"));
	assert_non_null(add_from(&t, "f", 6, "[fe80::1]:1000"));
	assert_int_equal(count_at(&t, "[2001:db8:a:1::10]:9"), 1);
	assert_int_equal(count_at(&t, "[2001:db8:a:1::12]:9"), 0);
	assert_int_equal(count_at(&t, "[fe80::1]:9"), 1);
	assert_int_equal(count_at(&t, "[fe80::2]:9"), 0);
	check_consistent(&t);
	session_remove(&t, a);
	assert_int_equal(count_at(&t, "[2001:db8:1:2::1]:1000"), 1);
	session_remove(&t, b);
	assert_int_equal(count_at(&t, "[2001:db8:1:2::1]:1000"), 0);
	check_consistent(&t);
	session_table_free(&t);
}

static void
test_many(void **state)
{
	struct session_table	 t;
	struct session		*s;
	char			 name[32], token[PROTO_TOKEN_LEN + 1];
	unsigned		 i;

	(void)state;
	assert_int_equal(session_table_init(&t, 2 * MANY, 99), 0);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "user%u", i);
		assert_non_null(add(&t, name, i * 7919));
	}
	assert_int_equal(t.count, MANY);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "user%u", i);
		make_token(token, i * 7919);
		s = session_find_token(&t, token);
		assert_non_null(s);
		assert_ptr_equal(session_find_name(&t, name), s);
		assert_ptr_equal(session_find_skeleton(&t, name, NULL), s);
	}
	check_consistent(&t);
	/* Small: the contract's < 1 KiB per session without its queue. */
	assert_true(sizeof(struct session) < 1024);
	session_table_free(&t);
}

static void
test_heap(void **state)
{
	struct session_table	 t;
	struct session		*s[50];
	uint64_t		 last;
	unsigned		 i;

	(void)state;
	assert_int_equal(session_table_init(&t, 64, 5), 0);
	for (i = 0; i < 50; i++) {
		s[i] = add(&t, (char[]){ 'a' + i % 26, 'a' + i / 26, 0 }, i);
		assert_int_equal(s[i]->deadline, UINT64_MAX);
		session_set_deadline(&t, s[i], (i * 37) % 50 + 100);
	}
	check_consistent(&t);
	assert_int_equal(session_earliest(&t)->deadline, 100);
	/* Later and earlier moves. */
	session_set_deadline(&t, session_earliest(&t), 1000);
	session_set_deadline(&t, s[10], 5);
	check_consistent(&t);
	assert_ptr_equal(session_earliest(&t), s[10]);
	session_remove(&t, s[10]);
	session_remove(&t, s[49]);
	check_consistent(&t);
	/* Popping by moving the earliest far away yields sorted order. */
	last = 0;
	for (i = 0; i < 48; i++) {
		assert_true(session_earliest(&t)->deadline >= last);
		last = session_earliest(&t)->deadline;
		session_set_deadline(&t, session_earliest(&t), UINT64_MAX - 1);
	}
	check_consistent(&t);
	session_table_free(&t);
}

static void
test_bucket(void **state)
{
	struct session_bucket	 b;
	int			 i;

	(void)state;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 20; i++)
		assert_true(session_bucket_take(&b, 1000, 20, 10));
	assert_false(session_bucket_take(&b, 1000, 20, 10));
	/* 10 per second: one more every 100 ms. */
	assert_false(session_bucket_take(&b, 1099, 20, 10));
	assert_true(session_bucket_take(&b, 1100, 20, 10));
	assert_false(session_bucket_take(&b, 1100, 20, 10));
	/* A long pause refills only up to the burst. */
	for (i = 0; i < 20; i++)
		assert_true(session_bucket_take(&b, 100000, 20, 10));
	assert_false(session_bucket_take(&b, 100000, 20, 10));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_hosts_ipv6),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_heap),
		cmocka_unit_test(test_bucket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

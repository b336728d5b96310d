/*
 * Unit tests for chat_client/login.c: the timing of logging in again
 * (struct login_retry) with a fake clock. The exchange itself (sockets)
 * is covered by the client integration tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client.h"
#include "login.h"

/* login.c traces through client.c, which this test does not link. */
void
client_trace(enum trace_dir dir, const struct net_addr *peer,
    const char *buf, size_t len)
{
	(void)dir;
	(void)peer;
	(void)buf;
	(void)len;
}

void
client_trace_resent(const struct net_addr *peer, const char *buf,
    size_t len, int send, uint64_t since_ms)
{
	(void)peer;
	(void)buf;
	(void)len;
	(void)send;
	(void)since_ms;
}

#define UNUSED(x)	((void)(x))

/* The first login at once, then 250 ms later, doubling, capped at 2 s. */
static void
test_retry_schedule(void **state)
{
	static const uint64_t	 want[] = { 0, 250, 750, 1750, 3750, 5750,
	    7750, 9750 };
	struct login_retry	 r;
	uint64_t		 t;
	size_t			 i = 0;

	UNUSED(state);
	login_retry_start(&r, 0);
	for (t = 0; t <= 10000; t++)
		if (login_retry_due(&r, t)) {
			assert_true(i < sizeof(want) / sizeof(want[0]));
			assert_int_equal(t, want[i]);
			i++;
		}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	/* Never ends while the server is silent: it may be restarting. */
	assert_true(login_retry_due(&r, 1000000));
}

/* "No answer" 5 s after the start or the server's last word. */
static void
test_retry_silent(void **state)
{
	struct login_retry	 r;

	UNUSED(state);
	login_retry_start(&r, 1000);
	assert_false(login_retry_silent(&r, 1000 + LOGIN_GIVE_UP_MS - 1));
	assert_true(login_retry_silent(&r, 1000 + LOGIN_GIVE_UP_MS));
	login_retry_heard(&r, 7000);
	assert_false(login_retry_silent(&r, 7000 + LOGIN_GIVE_UP_MS - 1));
	assert_true(login_retry_silent(&r, 7000 + LOGIN_GIVE_UP_MS));
}

/* Three heartbeats (a stale session's whole life) plus the margin. */
static void
test_taken_bound(void **state)
{
	UNUSED(state);
	assert_int_equal(login_taken_bound_ms(5),
	    15000 + LOGIN_TAKEN_MARGIN_MS);
	assert_int_equal(login_taken_bound_ms(1),
	    3000 + LOGIN_TAKEN_MARGIN_MS);
	/* A heartbeat we never got counts as the default. */
	assert_int_equal(login_taken_bound_ms(0),
	    login_taken_bound_ms(PROTO_HEARTBEAT_DEFAULT));
}

/*
 * name_taken: told once, retried every 2 s, given up only past the
 * bound counted from the first refusal.
 */
static void
test_taken(void **state)
{
	struct login_retry	 r;
	uint64_t		 until = 0, t, bound = login_taken_bound_ms(5);

	UNUSED(state);
	login_retry_start(&r, 0);
	assert_true(login_retry_due(&r, 0));
	assert_int_equal(login_retry_taken(&r, 10, 5, &until),
	    LOGIN_TAKEN_FIRST);
	assert_int_equal(until, 10 + bound);
	/* The 250 ms retry is off: the next login is 2 s after the answer. */
	assert_false(login_retry_due(&r, 250));
	assert_false(login_retry_due(&r, 10 + LOGIN_RETRY_MAX_MS - 1));
	assert_true(login_retry_due(&r, 10 + LOGIN_RETRY_MAX_MS));
	for (t = 2020; t < 10 + bound; t += LOGIN_RETRY_MAX_MS)
		assert_int_equal(login_retry_taken(&r, t, 5, &until),
		    LOGIN_TAKEN_AGAIN);
	assert_int_equal(until, 10 + bound);
	assert_false(login_retry_silent(&r, t));
	assert_int_equal(login_retry_taken(&r, 10 + bound, 5, NULL),
	    LOGIN_TAKEN_GIVE_UP);
}

/* A new re-login (a later no_session) starts the bound afresh. */
static void
test_taken_restart(void **state)
{
	struct login_retry	 r;

	UNUSED(state);
	login_retry_start(&r, 0);
	assert_int_equal(login_retry_taken(&r, 0, 1, NULL), LOGIN_TAKEN_FIRST);
	login_retry_start(&r, 100000);
	assert_int_equal(login_retry_taken(&r, 100000, 1, NULL),
	    LOGIN_TAKEN_FIRST);
	assert_int_equal(login_retry_taken(&r, 100000 +
	    login_taken_bound_ms(1) - 1, 1, NULL), LOGIN_TAKEN_AGAIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_schedule),
		cmocka_unit_test(test_retry_silent),
		cmocka_unit_test(test_taken_bound),
		cmocka_unit_test(test_taken),
		cmocka_unit_test(test_taken_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

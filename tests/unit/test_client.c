/*
 * Unit tests for chat_client/client.c: the shared block (ids, the user
 * list kept from welcome/join/leave/rename, request encoding, the
 * connection state and its status text), the robust lock (a process
 * that dies holding it must not lock out the other one) and the rule
 * for "no answer from server" (client_alive, with a fake clock), and
 * what counts as a mention of our name (client_mentions).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"

#define UNUSED(x)	((void)(x))

static int
setup(void **state)
{
	*state = client_shared_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	client_shared_free(*state);
	return 0;
}

static void
test_ids(void **state)
{
	struct client_shared	*sh = *state;

	assert_int_equal(client_next_id(sh), 1);
	assert_int_equal(client_next_id(sh), 2);
	assert_int_equal(client_next_id(sh), 3);
}

static void
test_ids_shared_across_fork(void **state)
{
	struct client_shared	*sh = *state;
	pid_t			 pid;
	int			 st;

	assert_int_equal(client_next_id(sh), 1);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(client_next_id(sh) == 2 ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(client_next_id(sh), 3);
}

static void
test_lock_owner_died(void **state)
{
	struct client_shared	*sh = *state;
	pid_t			 pid;
	int			 st;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		client_lock(sh);
		_exit(0);	/* dies holding the lock */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	client_lock(sh);	/* EOWNERDEAD, recovered */
	client_unlock(sh);
	client_lock(sh);	/* and it still excludes: */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(pthread_mutex_trylock(&sh->lock) == EBUSY ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	client_unlock(sh);
	assert_int_equal(client_next_id(sh), 1);
}

static void
test_users(void **state)
{
	struct client_shared	*sh = *state;
	const char		*names[] = { "alice", "bob", "小明" };

	client_users_set(sh, names, 3, 2);
	assert_int_equal(sh->nusers, 3);
	assert_int_equal(sh->more_users, 2);
	client_users_add(sh, "carol");
	client_users_add(sh, "carol");		/* a repeated join */
	assert_int_equal(sh->nusers, 4);
	assert_string_equal(sh->users[3], "carol");
	client_users_remove(sh, "bob");
	assert_int_equal(sh->nusers, 3);
	assert_string_equal(sh->users[0], "alice");
	assert_string_equal(sh->users[1], "小明");
	assert_string_equal(sh->users[2], "carol");
	client_users_rename(sh, "小明", "小白");
	assert_string_equal(sh->users[1], "小白");
	client_users_remove(sh, "zed");		/* one of the unlisted */
	assert_int_equal(sh->nusers, 3);
	assert_int_equal(sh->more_users, 1);
}

static void
test_users_sanitised(void **state)
{
	struct client_shared	*sh = *state;
	const char		*names[] = { "ev\x1bil" };

	client_users_set(sh, names, 1, 0);
	assert_null(strchr(sh->users[0], '\x1b'));
	client_users_remove(sh, "ev\x1bil");
	assert_int_equal(sh->nusers, 0);
}

static void
test_encode(void **state)
{
	struct client_note	 n;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 len;

	UNUSED(state);
	memset(&n, 0, sizeof(n));
	n.kind = CLIENT_NOTE_MSG;
	n.id = 7;
	snprintf(n.to, sizeof(n.to), "bob");
	snprintf(n.text, sizeof(n.text), "hi \"there\"");
	len = client_encode(&n, "0123456789abcdef0123456789abcdef", buf,
	    sizeof(buf));
	assert_true(len > 0);
	buf[len] = '\0';
	assert_non_null(strstr(buf, "\"type\":\"msg\""));
	assert_non_null(strstr(buf, "\"id\":7"));
	assert_non_null(strstr(buf, "\"to\":\"bob\""));
	assert_non_null(strstr(buf, "hi \\\"there\\\""));
	n.kind = CLIENT_NOTE_RENAME;
	snprintf(n.to, sizeof(n.to), "robert");
	len = client_encode(&n, "0123456789abcdef0123456789abcdef", buf,
	    sizeof(buf));
	assert_true(len > 0);
	buf[len] = '\0';
	assert_non_null(strstr(buf, "\"type\":\"rename\""));
	assert_non_null(strstr(buf, "\"name\":\"robert\""));
	n.kind = CLIENT_NOTE_ERROR;	/* not a request */
	assert_int_equal(client_encode(&n, "x", buf, sizeof(buf)), -1);
}

/* conn_text goes with conn, sanitised; a change is reported once. */
static void
test_conn_text(void **state)
{
	struct client_shared	*sh = *state;

	assert_int_equal(client_get_conn(sh), FRONT_CONNECTED);
	assert_false(client_set_conn(sh, FRONT_CONNECTED));
	assert_true(client_set_conn_text(sh, FRONT_RECONNECTING,
	    "reconnecting: name \x1b[2Jalice still taken"));
	assert_int_equal(client_get_conn(sh), FRONT_RECONNECTING);
	assert_null(strchr(sh->conn_text, '\x1b'));
	assert_non_null(strstr(sh->conn_text, "still taken"));
	assert_false(client_set_conn_text(sh, FRONT_RECONNECTING,
	    "reconnecting: name \x1b[2Jalice still taken"));
	/* A plain state drops the text. */
	assert_true(client_set_conn(sh, FRONT_RECONNECTING));
	assert_string_equal(sh->conn_text, "");
	assert_true(client_set_conn(sh, FRONT_NO_ANSWER));
	assert_true(client_set_conn(sh, FRONT_CONNECTED));
}

/* Nothing owed: never silent, however quiet the server is. */
static void
test_alive_idle(void **state)
{
	struct client_alive	 a;
	uint64_t		 when;

	UNUSED(state);
	client_alive_init(&a, 1000);
	client_alive_waiting(&a, false, 100000);
	assert_false(client_alive_silent(&a, 100000));
	assert_false(client_alive_deadline(&a, &when));
	assert_false(client_alive_silent(&a, 10000000));
}

/* An answer owed: silent CLIENT_NO_ANSWER_MS after asking, not before. */
static void
test_alive_unanswered(void **state)
{
	struct client_alive	 a;
	uint64_t		 when;

	UNUSED(state);
	client_alive_init(&a, 1000);
	/* Quiet before we asked does not count. */
	client_alive_waiting(&a, true, 60000);
	assert_true(client_alive_deadline(&a, &when));
	assert_int_equal(when, 60000 + CLIENT_NO_ANSWER_MS);
	assert_false(client_alive_silent(&a, 60000 + CLIENT_NO_ANSWER_MS - 1));
	assert_true(client_alive_silent(&a, 60000 + CLIENT_NO_ANSWER_MS));
	/* Still waiting later: the clock does not restart. */
	client_alive_waiting(&a, true, 62000);
	assert_true(client_alive_silent(&a, 60000 + CLIENT_NO_ANSWER_MS));
	/* Answered and nothing owed any more. */
	client_alive_heard(&a, 65000);
	client_alive_waiting(&a, false, 65000);
	assert_false(client_alive_silent(&a, 90000));
}

/* Answers flowing while something stays owed: silence counts from the last. */
static void
test_alive_busy(void **state)
{
	struct client_alive	 a;
	uint64_t		 t;

	UNUSED(state);
	client_alive_init(&a, 0);
	client_alive_waiting(&a, true, 100);
	for (t = 100; t < 20000; t += 1000) {
		client_alive_heard(&a, t);
		client_alive_waiting(&a, true, t);
		assert_false(client_alive_silent(&a, t + 999));
	}
	/* The last word was at 19100; an older time changes nothing. */
	client_alive_heard(&a, 500);
	assert_false(client_alive_silent(&a, 19100 + CLIENT_NO_ANSWER_MS - 1));
	assert_true(client_alive_silent(&a, 19100 + CLIENT_NO_ANSWER_MS));
}

/* A mention is the name as a word: not inside another ASCII word. */
static void
test_mentions(void **state)
{
	UNUSED(state);
	assert_true(client_mentions("al", "al"));
	assert_true(client_mentions("hi al", "al"));
	assert_true(client_mentions("al: look", "al"));
	assert_true(client_mentions("ask @al, please", "al"));
	assert_true(client_mentions("al's turn", "al"));
	assert_false(client_mentions("also this", "al"));
	assert_false(client_mentions("normal line", "al"));
	assert_false(client_mentions("al2 is someone else", "al"));
	assert_false(client_mentions("my_al", "al"));
	/* The second occurrence is a word though the first is not. */
	assert_true(client_mentions("also al", "al"));
	/* Chinese has no spaces: a name inside Chinese text is found. */
	assert_true(client_mentions("张三你好", "张三"));
	assert_true(client_mentions("你好张三", "张三"));
	assert_false(client_mentions("nobody here", "bob"));
	/* Typed by hand, the case may differ. */
	assert_true(client_mentions("alice: hi", "Alice"));
	assert_true(client_mentions("HI ALICE", "Alice"));
	assert_false(client_mentions("Alicexyz", "alice"));
	assert_false(client_mentions("bob", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_shared_across_fork,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_owner_died, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_sanitised, setup,
		    teardown),
		cmocka_unit_test(test_encode),
		cmocka_unit_test_setup_teardown(test_conn_text, setup, teardown),
		cmocka_unit_test(test_alive_idle),
		cmocka_unit_test(test_alive_unanswered),
		cmocka_unit_test(test_alive_busy),
		cmocka_unit_test(test_mentions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for chat_client/discover.c, the pure parts: which answers
 * are taken (a valid here of version 2 only), de-duplication by source
 * address and of this host's answers on one port, room names sanitised
 * for a terminal, the order of the list and both line formats. No
 * socket is opened: datagrams and source addresses are made here.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "discover.h"
#include "utf8.h"

#define UNUSED(x)	((void)(x))

static struct discover	 d;

static void	 v4(struct net_addr *, const char *, int);
static enum discover_add_result add(const char *, int, bool, const char *);
static enum discover_add_result add_here(const char *, int, bool,
		    const char *, int, int);
static const char *line(size_t);
static const char *tabline(size_t);

static void
v4(struct net_addr *a, const char *host, int port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a->ss;

	memset(a, 0, sizeof(*a));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, host, &sin->sin_addr), 1);
	a->len = sizeof(*sin);
}

/* The datagram dg as if from host:port. */
static enum discover_add_result
add(const char *host, int port, bool local, const char *dg)
{
	struct net_addr	from;

	v4(&from, host, port);
	return discover_add(&d, &from, local, dg, strlen(dg));
}

/* A here {v:1, room, port: hport, users} from host:port. */
static enum discover_add_result
add_here(const char *host, int port, bool local, const char *room,
    int hport, int users)
{
	char	dg[512];

	snprintf(dg, sizeof(dg), "{\"type\":\"here\",\"v\":2,\"room\":\"%s\","
	    "\"port\":%d,\"users\":%d}", room, hport, users);
	return add(host, port, local, dg);
}

static const char *
line(size_t i)
{
	static char	buf[DISCOVER_LINE_MAX];

	discover_format(&d.servers[i], buf, sizeof(buf));
	return buf;
}

static const char *
tabline(size_t i)
{
	static char	buf[DISCOVER_LINE_MAX];

	discover_format_tab(&d.servers[i], buf, sizeof(buf));
	return buf;
}

static int
setup(void **state)
{
	UNUSED(state);
	discover_init(&d);
	return 0;
}

static void
test_one_answer(void **state)
{
	UNUSED(state);
	assert_int_equal(add_here("10.0.0.1", 8888, false, "lobby", 8888, 3),
	    DISCOVER_NEW);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.servers[0].room, "lobby");
	assert_int_equal(d.servers[0].users, 3);
	assert_false(d.servers[0].local);
	assert_string_equal(line(0), "10.0.0.1:8888  #lobby  3 users");
	assert_string_equal(tabline(0), "10.0.0.1:8888\tlobby\t3");
}

static void
test_user_counts(void **state)
{
	UNUSED(state);
	add_here("10.0.0.1", 8888, false, "a", 8888, 1);
	add_here("10.0.0.2", 8888, false, "b", 8888, 0);
	assert_string_equal(line(0), "10.0.0.1:8888  #a  1 user");
	assert_string_equal(line(1), "10.0.0.2:8888  #b  0 users");
}

/* The address is the source host with the port the answer names. */
static void
test_port_from_answer(void **state)
{
	UNUSED(state);
	assert_int_equal(add_here("192.168.1.7", 40000, false, "lab", 9000, 0),
	    DISCOVER_NEW);
	assert_int_equal(net_port(&d.servers[0].addr), 9000);
	assert_string_equal(tabline(0), "192.168.1.7:9000\tlab\t0");
}

/* One server answering several of our sends is listed once. */
static void
test_same_source_once(void **state)
{
	UNUSED(state);
	assert_int_equal(add_here("10.0.0.1", 8888, false, "lobby", 8888, 3),
	    DISCOVER_NEW);
	assert_int_equal(add_here("10.0.0.1", 8888, false, "lobby", 8888, 4),
	    DISCOVER_SEEN);
	assert_int_equal(add_here("10.0.0.1", 8888, false, "lobby", 8888, 3),
	    DISCOVER_SEEN);
	assert_int_equal(d.n, 1);
	/* The same host on another port is another server. */
	assert_int_equal(add_here("10.0.0.1", 8889, false, "other", 8889, 0),
	    DISCOVER_NEW);
	assert_int_equal(d.n, 2);
}

/*
 * A server on this host answers the 127.0.0.1 unicast and the
 * broadcasts from different addresses: one server, under the LAN
 * address whatever came first.
 */
static void
test_local_merged(void **state)
{
	UNUSED(state);
	assert_int_equal(add_here("127.0.0.1", 8888, true, "lobby", 8888, 1),
	    DISCOVER_NEW);
	assert_int_equal(add_here("10.0.0.5", 8888, true, "lobby", 8888, 1),
	    DISCOVER_SEEN);
	assert_int_equal(d.n, 1);
	assert_string_equal(tabline(0), "10.0.0.5:8888\tlobby\t1");
	/* A later loopback answer does not take the place back. */
	assert_int_equal(add_here("127.0.0.1", 8888, true, "lobby", 8888, 1),
	    DISCOVER_SEEN);
	assert_string_equal(tabline(0), "10.0.0.5:8888\tlobby\t1");
	/* Another local address of the same server is the same server. */
	assert_int_equal(add_here("172.16.0.5", 8888, true, "lobby", 8888, 1),
	    DISCOVER_SEEN);
	assert_int_equal(d.n, 1);
	assert_string_equal(tabline(0), "10.0.0.5:8888\tlobby\t1");

	discover_init(&d);
	add_here("10.0.0.5", 8888, true, "lobby", 8888, 1);
	add_here("127.0.0.1", 8888, true, "lobby", 8888, 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(tabline(0), "10.0.0.5:8888\tlobby\t1");
}

/* Local on another port, or the same port from another host: two. */
static void
test_local_not_merged(void **state)
{
	UNUSED(state);
	add_here("127.0.0.1", 8888, true, "a", 8888, 0);
	assert_int_equal(add_here("127.0.0.1", 9999, true, "b", 9999, 0),
	    DISCOVER_NEW);
	assert_int_equal(add_here("10.0.0.9", 8888, false, "c", 8888, 0),
	    DISCOVER_NEW);
	assert_int_equal(d.n, 3);
}

static void
test_refused(void **state)
{
	static const char	*bad[] = {
		"",
		"not json",
		"[1,2]",
		"{\"type\":\"here\"}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":8888}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"port\":8888,\"users\":1}",
		"{\"type\":\"here\",\"room\":\"r\",\"port\":8888,\"users\":1}",
		"{\"type\":\"here\",\"v\":1,\"room\":\"r\",\"port\":8888,"
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":3,\"room\":\"r\",\"port\":8888,"
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":0,"
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":65536,"
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":8888,"
		    "\"users\":-1}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":\"8888\","
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"room\":7,\"port\":8888,"
		    "\"users\":1}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"r\",\"port\":8888,"
		    "\"users\":[\"a\"]}",
		"{\"type\":\"here\",\"v\":2,\"room\":\"\xff\",\"port\":8888,"
		    "\"users\":1}",
		"{\"type\":\"discover\",\"v\":2}",
		"{\"type\":\"pong\"}",
		"{\"type\":\"welcome\",\"name\":\"a\",\"token\":"
		    "\"0123456789abcdef0123456789abcdef\",\"users\":[\"a\"],"
		    "\"heartbeat\":5,\"room\":\"r\"}",
	};
	size_t			 i;

	UNUSED(state);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(add("10.0.0.1", 8888, false, bad[i]),
		    DISCOVER_REFUSED);
	}
	assert_int_equal(d.n, 0);
}

/* Over the datagram limit, even if the JSON is a valid here. */
static void
test_refused_too_long(void **state)
{
	char	dg[PROTO_MAX_DGRAM + 100];
	int	n;

	UNUSED(state);
	n = snprintf(dg, sizeof(dg), "{\"type\":\"here\",\"v\":2,\"room\":"
	    "\"r\",\"port\":8888,\"users\":1,\"pad\":\"");
	memset(dg + n, 'x', sizeof(dg) - (size_t)n - 3);
	memcpy(dg + sizeof(dg) - 3, "\"}", 3);
	assert_int_equal(add("10.0.0.1", 8888, false, dg), DISCOVER_REFUSED);
	assert_int_equal(d.n, 0);
}

/* Nothing a server sends reaches a terminal as an escape sequence. */
static void
test_room_sanitised(void **state)
{
	const char	*s;

	UNUSED(state);
	/* ESC [ 2 J, a C1 CSI (U+009B), a bidi override (U+202E), BEL. */
	assert_int_equal(add_here("10.0.0.1", 8888, false,
	    "\\u001b[2Jx\\u009by\\u202ez\\u0007", 8888, 0), DISCOVER_NEW);
	assert_string_equal(d.servers[0].room,
	    "^[[2Jx" UTF8_REPLACEMENT "y" UTF8_REPLACEMENT "z^G");
	for (s = line(0); *s != '\0'; s++)
		assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
	/* A tab or newline in a room cannot split the tab format. */
	discover_init(&d);
	add_here("10.0.0.1", 8888, false, "a\\tb\\nc", 8888, 2);
	assert_string_equal(tabline(0), "10.0.0.1:8888\ta^Ib^Jc\t2");
}

/* The longest room, every byte tripled by sanitising, still fits. */
static void
test_room_longest(void **state)
{
	char	dg[1024];
	int	n, i;

	UNUSED(state);
	n = snprintf(dg, sizeof(dg), "{\"type\":\"here\",\"v\":2,\"room\":\"");
	for (i = 0; i < PROTO_ROOM_MAX_BYTES / 2; i++)
		n += snprintf(dg + n, sizeof(dg) - (size_t)n, "\\u0085");
	snprintf(dg + n, sizeof(dg) - (size_t)n, "\",\"port\":1,\"users\":0}");
	assert_int_equal(add("10.0.0.1", 1, false, dg), DISCOVER_NEW);
	/* 32 C1 characters of 2 bytes, each now U+FFFD of 3. */
	assert_int_equal(strlen(d.servers[0].room),
	    PROTO_ROOM_MAX_BYTES / 2 * 3);
	assert_non_null(strstr(line(0), "  0 users"));
}

/* Sorted by address as a number, then port, not in arrival order. */
static void
test_sort(void **state)
{
	UNUSED(state);
	add_here("10.0.0.10", 8888, false, "c", 8888, 0);
	add_here("10.0.0.9", 8888, false, "b", 9000, 0);
	add_here("10.0.0.9", 7777, false, "a", 7777, 0);
	add_here("9.255.255.255", 8888, false, "z", 8888, 0);
	discover_sort(&d);
	assert_int_equal(d.n, 4);
	assert_string_equal(tabline(0), "9.255.255.255:8888\tz\t0");
	assert_string_equal(tabline(1), "10.0.0.9:7777\ta\t0");
	assert_string_equal(tabline(2), "10.0.0.9:9000\tb\t0");
	assert_string_equal(tabline(3), "10.0.0.10:8888\tc\t0");
}

static void
test_full(void **state)
{
	char	host[32];
	int	i;

	UNUSED(state);
	for (i = 0; i < DISCOVER_MAX; i++) {
		snprintf(host, sizeof(host), "10.0.%d.%d", i / 200, i % 200 + 1);
		assert_int_equal(add_here(host, 8888, false, "r", 8888, 0),
		    DISCOVER_NEW);
	}
	assert_int_equal(add_here("10.9.9.9", 8888, false, "r", 8888, 0),
	    DISCOVER_REFUSED);
	assert_int_equal(add_here("10.0.0.1", 8888, false, "r", 8888, 0),
	    DISCOVER_SEEN);
	assert_int_equal(d.n, DISCOVER_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_answer, setup),
		cmocka_unit_test_setup(test_user_counts, setup),
		cmocka_unit_test_setup(test_port_from_answer, setup),
		cmocka_unit_test_setup(test_same_source_once, setup),
		cmocka_unit_test_setup(test_local_merged, setup),
		cmocka_unit_test_setup(test_local_not_merged, setup),
		cmocka_unit_test_setup(test_refused, setup),
		cmocka_unit_test_setup(test_refused_too_long, setup),
		cmocka_unit_test_setup(test_room_sanitised, setup),
		cmocka_unit_test_setup(test_room_longest, setup),
		cmocka_unit_test_setup(test_sort, setup),
		cmocka_unit_test_setup(test_full, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

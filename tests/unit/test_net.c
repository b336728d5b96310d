/*
 * Unit tests for shared/net.c: every address form net_parse_addr takes,
 * bad ports and hosts and their messages, formatting (v4, v6, v4-mapped),
 * equality and hashing across v4 and v4-mapped forms, server sockets on
 * loopback (port 0 reported back, a port in use refused), random bytes,
 * host comparison and loopback tests, the host key of per-host limits
 * (an IPv6 /64 off our links), the interface lists (read only) and the
 * broadcast socket's option. Sockets bind and send only to
 * 127.0.0.1 / ::1: nothing here is ever broadcast.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "net.h"

#define ERRLEN	256

static void	parse_ok(const char *, int, const char *);
static void	parse_fails(const char *, int, const char *);
static void	make_v4(struct net_addr *, const char *, int);
static void	make_v6(struct net_addr *, const char *, int);
static int	have_ipv6_loopback(void);
static int	same_host_key(const struct net_addr *,
		    const struct net_addr *, const struct net_prefix *, size_t);

/* s parses (default port dport) and formats as want. */
static void
parse_ok(const char *s, int dport, const char *want)
{
	struct net_addr	a;
	char		err[ERRLEN] = "", buf[NET_ADDRSTRLEN];

	if (net_parse_addr(s, dport, &a, err, sizeof err) != 0)
		fail_msg("'%s' did not parse: %s", s, err);
	net_format(&a, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' formats as '%s', want '%s'", s, buf, want);
	assert_true(a.len > 0);
}

/* s does not parse, and the error holds words. */
static void
parse_fails(const char *s, int dport, const char *words)
{
	struct net_addr	a;
	char		err[ERRLEN] = "";

	if (net_parse_addr(s, dport, &a, err, sizeof err) != -1)
		fail_msg("'%s' parsed but should not", s != NULL ? s : "(null)");
	if (strstr(err, words) == NULL)
		fail_msg("'%s': error '%s' lacks '%s'", s != NULL ? s : "(null)",
		    err, words);
}

static void
make_v4(struct net_addr *a, const char *ip, int port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a->ss;

	memset(a, 0, sizeof *a);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &sin->sin_addr), 1);
	a->len = sizeof *sin;
}

static void
make_v6(struct net_addr *a, const char *ip, int port)
{
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof *a);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, ip, &sin6->sin6_addr), 1);
	a->len = sizeof *sin6;
}

/* Some containers run without IPv6; those tests skip then. */
static int
have_ipv6_loopback(void)
{
	struct sockaddr_in6	sin6;
	int			fd, ok;

	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) == -1)
		return 0;
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *)&sin6, sizeof sin6) == 0;
	close(fd);
	return ok;
}

static void
test_parse_forms(void **state)
{
	(void)state;
	parse_ok("1.2.3.4", 8888, "1.2.3.4:8888");
	parse_ok("1.2.3.4:99", 8888, "1.2.3.4:99");
	parse_ok("127.0.0.1:65535", 8888, "127.0.0.1:65535");
	parse_ok("127.0.0.1:0", 8888, "127.0.0.1:0");
	parse_ok("127.0.0.1:1", 8888, "127.0.0.1:1");
	parse_ok("[::1]", 8888, "[::1]:8888");
	parse_ok("[::1]:99", 8888, "[::1]:99");
	parse_ok("::1", 8888, "[::1]:8888");
	parse_ok("fe80::1:2", 7, "[fe80::1:2]:7");
	parse_ok("[2001:db8::5]:1234", 8888, "[2001:db8::5]:1234");
	/* A v4-mapped literal is shown as the IPv4 it stands for. */
	parse_ok("::ffff:127.0.0.1", 5000, "127.0.0.1:5000");
	parse_ok("[::ffff:10.0.0.1]:5", 8888, "10.0.0.1:5");
}

/* localhost may resolve to ::1 or 127.0.0.1 first; both are loopback. */
static void
test_parse_localhost(void **state)
{
	struct net_addr	a;
	char		err[ERRLEN] = "", buf[NET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(net_parse_addr("localhost", 8888, &a, err,
	    sizeof err), 0);
	net_format(&a, buf, sizeof buf);
	if (strcmp(buf, "127.0.0.1:8888") != 0 &&
	    strcmp(buf, "[::1]:8888") != 0)
		fail_msg("localhost is %s", buf);
	assert_int_equal(net_parse_addr("localhost:99", 8888, &a, err,
	    sizeof err), 0);
	assert_int_equal(net_port(&a), 99);
	net_format_host(&a, buf, sizeof buf);
	if (strcmp(buf, "127.0.0.1") != 0 && strcmp(buf, "::1") != 0)
		fail_msg("localhost host is %s", buf);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("1.2.3.4:99999", 8888, "bad port '99999'");
	parse_fails("1.2.3.4:65536", 8888, "bad port");
	parse_fails("1.2.3.4:-1", 8888, "bad port");
	parse_fails("1.2.3.4:http", 8888, "bad port 'http'");
	parse_fails("1.2.3.4:", 8888, "bad port");
	parse_fails("1.2.3.4:12x", 8888, "bad port");
	parse_fails("[::1]:99999", 8888, "bad port");
	parse_fails("1.2.3.4", 70000, "bad port");
	parse_fails("1.2.3.4", -1, "bad port");
	parse_fails("[::1", 8888, "missing ']'");
	parse_fails("[::1]x", 8888, "after ']'");
	parse_fails(":99", 8888, "missing host");
	parse_fails("[]:99", 8888, "missing host");
	parse_fails("", 8888, "empty");
	parse_fails(NULL, 8888, "empty");
	parse_fails("[localhost]:99", 8888, "IPv6");
	/* .invalid never resolves (RFC 2606), with or without a network. */
	parse_fails("no-such-host.invalid", 8888,
	    "cannot resolve 'no-such-host.invalid'");
	parse_fails("no-such-host.invalid:99", 8888, "cannot resolve");
}

/* A short or absent error buffer is never overrun. */
static void
test_parse_error_buffers(void **state)
{
	struct net_addr	a;
	char		err[8];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(net_parse_addr("1.2.3.4:99999", 1, &a, err,
	    sizeof err), -1);
	assert_int_equal(strlen(err), sizeof err - 1);
	assert_int_equal(net_parse_addr("1.2.3.4:99999", 1, &a, NULL, 0), -1);
}

static void
test_format(void **state)
{
	struct net_addr	a;
	char		buf[NET_ADDRSTRLEN], small[6];

	(void)state;
	make_v4(&a, "127.0.0.1", 5000);
	net_format(&a, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1:5000");
	net_format_host(&a, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(net_port(&a), 5000);

	make_v6(&a, "::1", 5000);
	net_format(&a, buf, sizeof buf);
	assert_string_equal(buf, "[::1]:5000");
	net_format_host(&a, buf, sizeof buf);
	assert_string_equal(buf, "::1");

	make_v6(&a, "::ffff:127.0.0.1", 5000);
	net_format(&a, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1:5000");
	net_format_host(&a, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(net_port(&a), 5000);

	make_v6(&a, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
	net_format(&a, buf, sizeof buf);
	assert_string_equal(buf,
	    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");

	/* Truncation keeps a terminated string. */
	make_v4(&a, "127.0.0.1", 5000);
	net_format(&a, small, sizeof small);
	assert_string_equal(small, "127.0");
}

static void
test_equal_hash(void **state)
{
	struct net_addr	v4, v4b, mapped, v6, other_port, other_ip;

	(void)state;
	make_v4(&v4, "127.0.0.1", 5000);
	make_v4(&v4b, "127.0.0.1", 5000);
	make_v6(&mapped, "::ffff:127.0.0.1", 5000);
	make_v6(&v6, "::1", 5000);
	make_v4(&other_port, "127.0.0.1", 5001);
	make_v4(&other_ip, "127.0.0.2", 5000);

	assert_true(net_equal(&v4, &v4b));
	assert_true(net_equal(&v4, &mapped));
	assert_true(net_equal(&mapped, &v4));
	assert_int_equal(net_hash(&v4), net_hash(&v4b));
	assert_int_equal(net_hash(&v4), net_hash(&mapped));

	assert_false(net_equal(&v4, &v6));
	assert_false(net_equal(&v4, &other_port));
	assert_false(net_equal(&v4, &other_ip));
	assert_false(net_equal(&mapped, &v6));
	/* Not a proof, but these must not collide in a useful hash. */
	assert_true(net_hash(&v4) != net_hash(&other_port));
	assert_true(net_hash(&v4) != net_hash(&other_ip));
	assert_true(net_hash(&v4) != net_hash(&v6));
}

/* A hash that a table masks with must spread ports over the low bits. */
static void
test_hash_spread(void **state)
{
	struct net_addr	a;
	unsigned	buckets[64] = { 0 };
	int		port, i;

	(void)state;
	for (port = 40000; port < 40000 + 64 * 16; port++) {
		make_v4(&a, "127.0.0.1", port);
		buckets[net_hash(&a) & 63]++;
	}
	for (i = 0; i < 64; i++)
		assert_true(buckets[i] > 0 && buckets[i] < 64);
}

/* Port 0: the OS picks, and *bound says which; non-blocking. */
static void
test_server_port_zero(void **state)
{
	struct net_addr	bound;
	char		err[ERRLEN] = "", buf[NET_ADDRSTRLEN];
	int		fd;

	(void)state;
	fd = net_udp_server("127.0.0.1", 0, 1 << 20, &bound, err, sizeof err);
	if (fd == -1)
		fail_msg("bind 127.0.0.1:0: %s", err);
	assert_true(net_port(&bound) > 0);
	net_format_host(&bound, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1");
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/* The second bind of one port fails, and says why in plain words. */
static void
test_server_in_use(void **state)
{
	struct net_addr	bound, again;
	char		err[ERRLEN] = "", want[64];
	int		fd, fd2;

	(void)state;
	fd = net_udp_server("127.0.0.1", 0, 0, &bound, err, sizeof err);
	if (fd == -1)
		fail_msg("bind: %s", err);
	fd2 = net_udp_server("127.0.0.1", net_port(&bound), 0, &again, err,
	    sizeof err);
	assert_int_equal(fd2, -1);
	snprintf(want, sizeof want, "cannot bind 127.0.0.1:%d",
	    net_port(&bound));
	if (strstr(err, want) == NULL || strstr(err, "in use") == NULL)
		fail_msg("error was '%s'", err);
	close(fd);
}

static void
test_server_bad_host(void **state)
{
	char	err[ERRLEN] = "";

	(void)state;
	assert_int_equal(net_udp_server("no-such-host.invalid", 0, 0, NULL,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot resolve"));
	assert_int_equal(net_udp_server("127.0.0.1", 65536, 0, NULL, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "bad port"));
}

/*
 * A datagram from a client socket reaches a loopback server, and the
 * source recvfrom reports is one net_equal accepts for itself.
 */
static void
test_client_to_server(void **state)
{
	struct net_addr	bound, peer, from, from2;
	struct pollfd	pfd;
	char		err[ERRLEN] = "", buf[16];
	int		sfd, cfd;
	ssize_t		n;

	(void)state;
	sfd = net_udp_server("127.0.0.1", 0, 0, &bound, err, sizeof err);
	if (sfd == -1)
		fail_msg("bind: %s", err);
	assert_int_equal(net_parse_addr("127.0.0.1", net_port(&bound), &peer,
	    err, sizeof err), 0);
	cfd = net_udp_client(&peer, 1 << 16, err, sizeof err);
	if (cfd == -1)
		fail_msg("client: %s", err);
	assert_int_equal(sendto(cfd, "hi", 2, 0, (struct sockaddr *)&peer.ss,
	    peer.len), 2);
	pfd.fd = sfd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	from.len = sizeof from.ss;
	n = recvfrom(sfd, buf, sizeof buf, 0, (struct sockaddr *)&from.ss,
	    &from.len);
	assert_int_equal(n, 2);
	assert_memory_equal(buf, "hi", 2);
	/* Nothing more: a second read would block, not hang. */
	assert_true(fcntl(sfd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(cfd, F_GETFL) & O_NONBLOCK);
	from2.len = sizeof from2.ss;
	assert_int_equal(recvfrom(sfd, buf, sizeof buf, 0,
	    (struct sockaddr *)&from2.ss, &from2.len), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	assert_true(net_equal(&from, &from));
	assert_false(net_equal(&from, &bound));
	close(cfd);
	close(sfd);
}

/*
 * The default bind is dual stack: an IPv4 peer reaches it and shows up
 * as a v4-mapped address that formats and compares as plain IPv4.
 */
static void
test_server_dual_stack(void **state)
{
	struct net_addr	bound, peer, from, local;
	struct pollfd	pfd;
	char		err[ERRLEN] = "", buf[NET_ADDRSTRLEN];
	int		sfd, cfd;

	(void)state;
	if (!have_ipv6_loopback())
		skip();
	sfd = net_udp_server(NULL, 0, 0, &bound, err, sizeof err);
	if (sfd == -1)
		fail_msg("bind any: %s", err);
	assert_int_equal(bound.ss.ss_family, AF_INET6);
	make_v4(&peer, "127.0.0.1", net_port(&bound));
	cfd = net_udp_client(&peer, 0, err, sizeof err);
	assert_true(cfd != -1);
	assert_int_equal(sendto(cfd, "x", 1, 0, (struct sockaddr *)&peer.ss,
	    peer.len), 1);
	pfd.fd = sfd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	from.len = sizeof from.ss;
	assert_int_equal(recvfrom(sfd, buf, sizeof buf, 0,
	    (struct sockaddr *)&from.ss, &from.len), 1);
	assert_int_equal(from.ss.ss_family, AF_INET6);
	net_format_host(&from, buf, sizeof buf);
	assert_string_equal(buf, "127.0.0.1");
	local.len = sizeof local.ss;
	assert_int_equal(getsockname(cfd, (struct sockaddr *)&local.ss,
	    &local.len), 0);
	/* Unconnected, the client is bound to 0.0.0.0; it sent from lo. */
	make_v4(&local, "127.0.0.1", net_port(&local));
	assert_true(net_equal(&from, &local));
	assert_int_equal(net_hash(&from), net_hash(&local));
	close(cfd);
	close(sfd);
}

static void
test_server_v6_loopback(void **state)
{
	struct net_addr	bound;
	char		err[ERRLEN] = "", buf[NET_ADDRSTRLEN];
	int		fd;

	(void)state;
	if (!have_ipv6_loopback())
		skip();
	fd = net_udp_server("[::1]", 0, 0, &bound, err, sizeof err);
	if (fd == -1)
		fail_msg("bind [::1]: %s", err);
	net_format(&bound, buf, sizeof buf);
	assert_int_equal(strncmp(buf, "[::1]:", 6), 0);
	close(fd);
}

/* Hosts compare without ports; v4-mapped is its IPv4. */
static void
test_same_host_loopback(void **state)
{
	struct net_addr	a, b, mapped, v6;

	(void)state;
	make_v4(&a, "10.0.0.1", 8888);
	make_v4(&b, "10.0.0.1", 40000);
	make_v6(&mapped, "::ffff:10.0.0.1", 1);
	make_v6(&v6, "::1", 8888);
	assert_true(net_same_host(&a, &b));
	assert_true(net_same_host(&a, &mapped));
	assert_false(net_same_host(&a, &v6));
	make_v4(&b, "10.0.0.2", 8888);
	assert_false(net_same_host(&a, &b));

	assert_false(net_is_loopback(&a));
	assert_true(net_is_loopback(&v6));
	make_v4(&a, "127.0.0.1", 1);
	assert_true(net_is_loopback(&a));
	make_v4(&a, "127.200.0.9", 1);
	assert_true(net_is_loopback(&a));
	make_v6(&mapped, "::ffff:127.0.0.1", 1);
	assert_true(net_is_loopback(&mapped));
	make_v6(&v6, "::2", 1);
	assert_false(net_is_loopback(&v6));

	make_v4(&a, "10.0.0.1", 8888);
	net_set_port(&a, 9999);
	assert_int_equal(net_port(&a), 9999);
	net_set_port(&v6, 7);
	assert_int_equal(net_port(&v6), 7);
}

/* Whether a and b are one host to a per-host limit. */
static int
same_host_key(const struct net_addr *a, const struct net_addr *b,
    const struct net_prefix *links, size_t n)
{
	unsigned char	ka[NET_KEY_BYTES], kb[NET_KEY_BYTES];

	net_host_key(a, links, n, ka);
	net_host_key(b, links, n, kb);
	return memcmp(ka, kb, NET_KEY_BYTES) == 0;
}

/*
 * A remote IPv6 host is its /64, any port and any interface identifier;
 * another /64 is another host. On a link many hosts share (link-local,
 * or one of ours) each address is a host, as is each IPv4 address;
 * v4-mapped is its IPv4.
 */
static void
test_host_key(void **state)
{
	static const struct net_prefix	ours = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0x00, 0x01 }
	};
	struct net_addr			a, b;

	(void)state;
	make_v6(&a, "2001:db8:1:2::1", 1000);
	make_v6(&b, "2001:db8:1:2:ffff:1234:5678:9abc", 2000);
	assert_true(same_host_key(&a, &b, NULL, 0));
	assert_true(same_host_key(&a, &b, &ours, 1));
	make_v6(&b, "2001:db8:1:3::1", 1000);
	assert_false(same_host_key(&a, &b, NULL, 0));

	/* Our own link: the whole address, any port. */
	make_v6(&a, "2001:db8:a:1::10", 1000);
	make_v6(&b, "2001:db8:a:1::11", 1000);
	assert_true(same_host_key(&a, &b, NULL, 0));
	assert_false(same_host_key(&a, &b, &ours, 1));
	make_v6(&b, "2001:db8:a:1::10", 3000);
	assert_true(same_host_key(&a, &b, &ours, 1));

	make_v6(&a, "fe80::1", 1000);
	make_v6(&b, "fe80::2", 1000);
	assert_false(same_host_key(&a, &b, NULL, 0));
	make_v6(&b, "fe80::1", 2000);
	assert_true(same_host_key(&a, &b, NULL, 0));

	make_v4(&a, "10.0.0.1", 1000);
	make_v4(&b, "10.0.0.2", 1000);
	assert_false(same_host_key(&a, &b, NULL, 0));
	make_v6(&b, "::ffff:10.0.0.1", 2000);
	assert_true(same_host_key(&a, &b, NULL, 0));
	make_v6(&b, "::ffff:10.0.0.2", 2000);
	assert_false(same_host_key(&a, &b, NULL, 0));
	/* ::/64 holds the v4-mapped addresses: they stay IPv4 hosts. */
	make_v6(&a, "::1", 1000);
	assert_false(same_host_key(&a, &b, NULL, 0));
}

/* Our IPv6 /64s: no loopback, no link-local, none twice. */
static void
test_ipv6_prefixes(void **state)
{
	struct net_prefix	p[64];
	char			err[ERRLEN] = "";
	int			n, i, j;

	(void)state;
	if ((n = net_ipv6_prefixes(p, 64, err, sizeof err)) == -1)
		fail_msg("net_ipv6_prefixes: %s", err);
	for (i = 0; i < n; i++) {
		assert_false(p[i].bytes[0] == 0xfe &&
		    (p[i].bytes[1] & 0xc0) == 0x80);
		for (j = 0; j < 8 && p[i].bytes[j] == 0; j++)
			continue;
		assert_true(j < 8);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(p[i].bytes, p[j].bytes, 8);
	}
	assert_int_equal(net_ipv6_prefixes(p, 0, err, sizeof err), 0);
}

/*
 * The interface list holds 127.0.0.1 when lo is up (it is wherever these
 * tests run), never as a broadcast target; broadcast addresses carry the
 * port asked for. Reads the list only: nothing is sent.
 */
static void
test_ipv4_ifaces(void **state)
{
	struct net_iface	ifs[64];
	struct net_addr		lo;
	char			err[ERRLEN] = "";
	int			n, i, found = 0;

	(void)state;
	n = net_ipv4_ifaces(ifs, 64, 8888, err, sizeof err);
	if (n == -1)
		fail_msg("net_ipv4_ifaces: %s", err);
	make_v4(&lo, "127.0.0.1", 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(ifs[i].addr.ss.ss_family, AF_INET);
		if (net_same_host(&ifs[i].addr, &lo)) {
			found = 1;
			assert_false(ifs[i].can_bcast);
		}
		if (ifs[i].can_bcast) {
			assert_int_equal(ifs[i].bcast.ss.ss_family, AF_INET);
			assert_int_equal(net_port(&ifs[i].bcast), 8888);
			assert_false(net_is_loopback(&ifs[i].bcast));
		}
	}
	assert_true(found);
	/* max bounds what is written. */
	assert_true(net_ipv4_ifaces(ifs, 1, 8888, err, sizeof err) <= 1);
	assert_int_equal(net_ipv4_ifaces(ifs, 0, 8888, err, sizeof err), 0);
}

static void
test_broadcast_socket(void **state)
{
	char		err[ERRLEN] = "";
	int		fd, on = 0, fl;
	socklen_t	len = sizeof on;

	(void)state;
	fd = net_udp_broadcast(err, sizeof err);
	if (fd == -1)
		fail_msg("net_udp_broadcast: %s", err);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, &len),
	    0);
	assert_true(on != 0);
	fl = fcntl(fd, F_GETFL);
	assert_true((fl & O_NONBLOCK) != 0);
	close(fd);
}

static void
test_random(void **state)
{
	unsigned char	a[32], b[32], big[4096];
	size_t		i, zeros = 0;

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	assert_int_equal(net_random(a, sizeof a), 0);
	assert_int_equal(net_random(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_int_equal(net_random(big, sizeof big), 0);
	for (i = 0; i < sizeof big; i++)
		zeros += big[i] == 0;
	/* About 16 expected; all-zero or mostly-zero means it did nothing. */
	assert_true(zeros < 100);
	assert_int_equal(net_random(a, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_localhost),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_error_buffers),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_equal_hash),
		cmocka_unit_test(test_hash_spread),
		cmocka_unit_test(test_server_port_zero),
		cmocka_unit_test(test_server_in_use),
		cmocka_unit_test(test_server_bad_host),
		cmocka_unit_test(test_client_to_server),
		cmocka_unit_test(test_server_dual_stack),
		cmocka_unit_test(test_server_v6_loopback),
		cmocka_unit_test(test_same_host_loopback),
		cmocka_unit_test(test_host_key),
		cmocka_unit_test(test_ipv4_ifaces),
		cmocka_unit_test(test_ipv6_prefixes),
		cmocka_unit_test(test_broadcast_socket),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

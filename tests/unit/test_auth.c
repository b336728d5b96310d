/*
 * Unit tests for shared/auth.c: the password proof against the RFC 4231
 * HMAC-SHA256 vectors, and the address-check cookie: its form, its life
 * (at least 60 s, at most two windows) and that it holds for one
 * address, port, family and key only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "auth.h"

#define MIN	UINT64_C(60000)

/* An address from a literal such as "192.0.2.1" or "2001:db8::1". */
static struct net_addr
addr(const char *host, int port)
{
	struct net_addr		 a;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&a.ss;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		a.len = sizeof(*sin);
	} else {
		assert_int_equal(inet_pton(AF_INET6, host, &sin6->sin6_addr), 1);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		a.len = sizeof(*sin6);
	}
	return a;
}

static void
check_proof(const char *key, size_t keylen, const char *data,
    const char *want)
{
	char	out[AUTH_PROOF_LEN + 1];

	auth_proof(key, keylen, data, out);
	assert_string_equal(out, want);
	assert_true(auth_proof_check(key, keylen, data, want));
}

/* RFC 4231, section 4: the cases whose data is a C string. */
static void
test_proof_rfc4231(void **state)
{
	char	key[131];
	size_t	i;

	(void)state;
	memset(key, 0x0b, 20);
	check_proof(key, 20, "Hi There",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_proof("Jefe", 4, "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	for (i = 0; i < 25; i++)
		key[i] = (char)(i + 1);
	check_proof(key, 25,
	    "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
	    "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
	    "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
	    "\xcd\xcd",
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	/* A key longer than the block is hashed first (RFC 2104). */
	memset(key, 0xaa, 131);
	check_proof(key, 131,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	check_proof(key, 131,
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.",
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void
test_proof_check(void **state)
{
	const char	*pw = "s\xc3\xa9same \xe5\xbc\x80\xe9\x97\xa8";
	char		 p[AUTH_PROOF_LEN + 1], bad[AUTH_PROOF_LEN + 2];

	(void)state;
	auth_proof(pw, strlen(pw), "1c.0123", p);
	assert_int_equal(strlen(p), AUTH_PROOF_LEN);
	assert_true(auth_proof_check(pw, strlen(pw), "1c.0123", p));
	/* Another password, another cookie, a prefix of the password. */
	assert_false(auth_proof_check("sesame", 6, "1c.0123", p));
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0124", p));
	assert_false(auth_proof_check(pw, strlen(pw) - 1, "1c.0123", p));
	/* Upper case, one digit changed, cut short, one more, empty. */
	memcpy(bad, p, sizeof(p));
	bad[0] = bad[0] == 'a' ? 'A' : (bad[0] >= 'a' ? bad[0] - 32 : 'f');
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0123", bad));
	memcpy(bad, p, sizeof(p));
	bad[63] = bad[63] == '0' ? '1' : '0';
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0123", bad));
	bad[63] = '\0';
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0123", bad));
	memcpy(bad, p, sizeof(p));
	bad[64] = '0';
	bad[65] = '\0';
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0123", bad));
	assert_false(auth_proof_check(pw, strlen(pw), "1c.0123", ""));
	/* An empty password is a key like any other. */
	auth_proof("", 0, "x", p);
	assert_true(auth_proof_check("", 0, "x", p));
	assert_false(auth_proof_check("x", 1, "x", p));
}

static void
test_cookie_form(void **state)
{
	struct auth_key		k;
	struct net_addr		a = addr("2001:db8::1", 65535);
	char			c[AUTH_COOKIE_MAX + 1];
	uint64_t		nows[] = { 0, 59999, 60000, 1765000000000ULL,
				    UINT64_MAX };
	size_t			i, j;

	(void)state;
	auth_key_new(&k);
	for (i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
		auth_cookie_make(&k, &a, nows[i], c);
		assert_true(strlen(c) >= 34 && strlen(c) <= AUTH_COOKIE_MAX);
		for (j = 0; c[j] != '\0'; j++)
			assert_true(c[j] > ' ' && c[j] < 0x7f);
		assert_non_null(strchr(c, '.'));
		assert_int_equal(strlen(strchr(c, '.') + 1), 32);
		assert_true(auth_cookie_check(&k, &a, nows[i], c));
	}
}

/* Valid from the moment it is made to at least 60 s later, then not. */
static void
test_cookie_life(void **state)
{
	struct auth_key		k;
	struct net_addr		a = addr("192.0.2.7", 40000);
	char			c[AUTH_COOKIE_MAX + 1];
	uint64_t		t0[] = { 1000 * MIN, 1000 * MIN + 1,
				    1000 * MIN + 30000, 1001 * MIN - 1 };
	uint64_t		dt;
	size_t			i;

	(void)state;
	auth_key_new(&k);
	for (i = 0; i < sizeof(t0) / sizeof(t0[0]); i++) {
		auth_cookie_make(&k, &a, t0[i], c);
		for (dt = 0; dt <= MIN; dt += 1000)
			assert_true(auth_cookie_check(&k, &a, t0[i] + dt, c));
		/* Two windows on, never valid. */
		assert_false(auth_cookie_check(&k, &a, t0[i] + 2 * MIN, c));
		/* Made in a later window: not valid now. */
		assert_false(auth_cookie_check(&k, &a, t0[i] - MIN, c));
	}
	/* Ancient, and from the future. */
	auth_cookie_make(&k, &a, 1000 * MIN, c);
	assert_false(auth_cookie_check(&k, &a, 5000 * MIN, c));
	assert_false(auth_cookie_check(&k, &a, 10 * MIN, c));
	/* At time 0 there is no previous window to look at. */
	auth_cookie_make(&k, &a, 0, c);
	assert_true(auth_cookie_check(&k, &a, MIN + 1, c));
	assert_false(auth_cookie_check(&k, &a, 2 * MIN, c));
}

static void
test_cookie_address(void **state)
{
	struct auth_key		k, k2;
	struct net_addr		a = addr("192.0.2.7", 40000);
	struct net_addr		others[] = {
		addr("192.0.2.7", 40001),	/* another port */
		addr("192.0.2.8", 40000),	/* another IP */
		addr("::ffff:192.0.2.8", 40000),
		addr("2001:db8::c000:207", 40000),	/* same bytes, IPv6 */
		addr("::192.0.2.7", 40000),
	};
	struct net_addr		mapped = addr("::ffff:192.0.2.7", 40000);
	struct net_addr		scoped = addr("fe80::1", 9);
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&scoped.ss;
	char			c[AUTH_COOKIE_MAX + 1], c2[AUTH_COOKIE_MAX + 1];
	size_t			i;

	(void)state;
	auth_key_new(&k);
	auth_key_new(&k2);
	auth_cookie_make(&k, &a, 7 * MIN, c);
	assert_true(auth_cookie_check(&k, &a, 7 * MIN, c));
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(auth_cookie_check(&k, &others[i], 7 * MIN, c));
	/* The same peer through a dual-stack socket is the same peer. */
	assert_true(auth_cookie_check(&k, &mapped, 7 * MIN, c));
	/* Another key (a restarted server). */
	assert_false(auth_cookie_check(&k2, &a, 7 * MIN, c));
	/* A link-local address on another interface. */
	sin6->sin6_scope_id = 2;
	auth_cookie_make(&k, &scoped, 7 * MIN, c2);
	sin6->sin6_scope_id = 3;
	assert_false(auth_cookie_check(&k, &scoped, 7 * MIN, c2));
}

/* Any one byte changed, cut or added, the cookie is refused. */
static void
test_cookie_tampered(void **state)
{
	struct auth_key		k;
	struct net_addr		a = addr("198.51.100.1", 8888);
	char			c[AUTH_COOKIE_MAX + 1], t[AUTH_COOKIE_MAX + 8];
	size_t			i, len;

	(void)state;
	auth_key_new(&k);
	auth_cookie_make(&k, &a, 42 * MIN, c);
	len = strlen(c);
	for (i = 0; i < len; i++) {
		memcpy(t, c, len + 1);
		t[i] ^= 0x01;
		assert_false(auth_cookie_check(&k, &a, 42 * MIN, t));
		t[i] = c[i];
		t[i + 1] = '\0';
		if (i + 1 < len)
			assert_false(auth_cookie_check(&k, &a, 42 * MIN, t));
	}
	snprintf(t, sizeof(t), "%s0", c);
	assert_false(auth_cookie_check(&k, &a, 42 * MIN, t));
	/* The window written with a leading zero, or in upper case. */
	snprintf(t, sizeof(t), "0%s", c);
	assert_false(auth_cookie_check(&k, &a, 42 * MIN, t));
	snprintf(t, sizeof(t), "2A%s", strchr(c, '.'));
	assert_false(auth_cookie_check(&k, &a, 42 * MIN, t));
	snprintf(t, sizeof(t), "2a%s", strchr(c, '.'));
	assert_true(auth_cookie_check(&k, &a, 42 * MIN, t));
	/* Another window's number with this window's MAC. */
	snprintf(t, sizeof(t), "2b%s", strchr(c, '.'));
	assert_false(auth_cookie_check(&k, &a, 43 * MIN, t));
	assert_false(auth_cookie_check(&k, &a, 42 * MIN, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof_rfc4231),
		cmocka_unit_test(test_proof_check),
		cmocka_unit_test(test_cookie_form),
		cmocka_unit_test(test_cookie_life),
		cmocka_unit_test(test_cookie_address),
		cmocka_unit_test(test_cookie_tampered),
	};

	if (auth_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * auth: address-check cookies and password proofs (auth.h), all of it
 * libsodium's HMAC-SHA256, random bytes and constant-time comparison.
 *
 * A cookie is checked by making the cookies of the current and the
 * previous window again and comparing the whole strings: nothing of
 * what the peer sent is parsed, so a window written with leading
 * zeros, in upper case or far in the future simply matches neither.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"

#define AUTH_MAC_BYTES	16	/* of the 32, in a cookie */

/* Names what the MAC is for, so no other HMAC under the key matches. */
static const char auth_cookie_label[] = "chat cookie v2";

static void	auth_cookie_window(const struct auth_key *,
		    const struct net_addr *, uint64_t,
		    char [AUTH_COOKIE_MAX + 1]);
static bool	auth_same(const char *, const char *, size_t);

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
auth_key_new(struct auth_key *k)
{
	randombytes_buf(k->bytes, sizeof(k->bytes));
}

/* The cookie of window w for addr. */
static void
auth_cookie_window(const struct auth_key *k, const struct net_addr *addr,
    uint64_t w, char out[AUTH_COOKIE_MAX + 1])
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			wbytes[8];
	unsigned char			abytes[NET_KEY_BYTES];
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	int				n, i;

	for (i = 0; i < 8; i++)
		wbytes[i] = (unsigned char)(w >> (56 - 8 * i));
	net_key_bytes(addr, abytes);
	crypto_auth_hmacsha256_init(&st, k->bytes, sizeof(k->bytes));
	crypto_auth_hmacsha256_update(&st,
	    (const unsigned char *)auth_cookie_label, sizeof(auth_cookie_label));
	crypto_auth_hmacsha256_update(&st, wbytes, sizeof(wbytes));
	crypto_auth_hmacsha256_update(&st, abytes, sizeof(abytes));
	crypto_auth_hmacsha256_final(&st, mac);

	n = snprintf(out, AUTH_COOKIE_MAX + 1, "%llx.", (unsigned long long)w);
	sodium_bin2hex(out + n, AUTH_COOKIE_MAX + 1 - (size_t)n, mac,
	    AUTH_MAC_BYTES);
	sodium_memzero(&st, sizeof(st));
}

void
auth_cookie_make(const struct auth_key *k, const struct net_addr *addr,
    uint64_t now_ms, char out[AUTH_COOKIE_MAX + 1])
{
	auth_cookie_window(k, addr, now_ms / AUTH_COOKIE_WINDOW_MS, out);
}

/* Constant-time equality of a (NUL-terminated) and b (len bytes). */
static bool
auth_same(const char *a, const char *b, size_t len)
{
	if (strnlen(a, len + 1) != len)
		return false;
	return sodium_memcmp(a, b, len) == 0;
}

bool
auth_cookie_check(const struct auth_key *k, const struct net_addr *addr,
    uint64_t now_ms, const char *cookie)
{
	char		want[AUTH_COOKIE_MAX + 1];
	uint64_t	w;
	bool		ok;

	w = now_ms / AUTH_COOKIE_WINDOW_MS;
	auth_cookie_window(k, addr, w, want);
	ok = auth_same(cookie, want, strlen(want));
	if (!ok && w > 0) {
		auth_cookie_window(k, addr, w - 1, want);
		ok = auth_same(cookie, want, strlen(want));
	}
	return ok;
}

void
auth_proof(const char *password, size_t len, const char *cookie,
    char out[AUTH_PROOF_LEN + 1])
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)password, len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)cookie,
	    strlen(cookie));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, AUTH_PROOF_LEN + 1, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

bool
auth_proof_check(const char *password, size_t len, const char *cookie,
    const char *proof)
{
	char	want[AUTH_PROOF_LEN + 1];
	bool	ok;

	auth_proof(password, len, cookie, want);
	ok = auth_same(proof, want, AUTH_PROOF_LEN);
	sodium_memzero(want, sizeof(want));
	return ok;
}

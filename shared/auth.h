/*
 * auth: the two secrets of protocol version 2 (docs/protocol.md,
 * "Sessions"), with libsodium; no cryptography of our own.
 *
 * Address-check cookies are stateless: the server keeps one random key
 * (made at each start) and a cookie is
 *
 *	WINDOW "." MAC
 *
 * where WINDOW is now_ms / AUTH_COOKIE_WINDOW_MS in lowercase hex
 * without leading zeros and MAC is the first 16 bytes, as 32 lowercase
 * hex digits, of HMAC-SHA256 under the key of a label, the window (8
 * bytes big-endian) and the source address (net_key_bytes: family,
 * address, IPv6 scope, port). At most 16 + 1 + 32 = 49 printable ASCII
 * characters. A cookie is accepted in its own window and the next one,
 * so it stays valid at least AUTH_COOKIE_WINDOW_MS (60 s) and at most
 * twice that; never for another address or port, nor under another key.
 *
 * The password proof is the lowercase hex HMAC-SHA256, keyed with the
 * password's UTF-8 bytes (any length, as RFC 2104 allows), of the
 * cookie string.
 *
 * Every comparison of a secret-derived value is constant-time
 * (sodium_memcmp). Tested in tests/unit/test_auth.c.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define AUTH_COOKIE_WINDOW_MS	60000
#define AUTH_COOKIE_MAX		64	/* characters, without the NUL */
#define AUTH_KEY_BYTES		32
#define AUTH_PROOF_LEN		64	/* hex digits, without the NUL */

/* The server's cookie key: random at each start (auth_key_new). */
struct auth_key {
	unsigned char	bytes[AUTH_KEY_BYTES];
};

/* Sets libsodium up (sodium_init); call once before the rest. 0 or -1. */
int		 auth_init(void);

/* Fills k with random bytes (randombytes_buf). */
void		 auth_key_new(struct auth_key *k);

/*
 * Writes the cookie for addr at now_ms (any clock that only goes
 * forward, the same one auth_cookie_check is given) into out,
 * NUL-terminated.
 */
void		 auth_cookie_make(const struct auth_key *k,
		    const struct net_addr *addr, uint64_t now_ms,
		    char out[AUTH_COOKIE_MAX + 1]);

/* True if cookie (NUL-terminated) is valid for addr at now_ms. */
bool		 auth_cookie_check(const struct auth_key *k,
		    const struct net_addr *addr, uint64_t now_ms,
		    const char *cookie);

/*
 * Writes the proof of password (len bytes) for cookie into out as 64
 * lowercase hex digits and a NUL.
 */
void		 auth_proof(const char *password, size_t len,
		    const char *cookie, char out[AUTH_PROOF_LEN + 1]);

/* True if proof (NUL-terminated) is the proof of password for cookie. */
bool		 auth_proof_check(const char *password, size_t len,
		    const char *cookie, const char *proof);

#endif /* AUTH_H */

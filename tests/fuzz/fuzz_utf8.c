/*
 * libFuzzer harness for shared/utf8.c. Any input bytes; checks the
 * invariants the rest of the program relies on:
 *  - utf8_decode walking the input agrees with utf8_valid and utf8_count;
 *  - utf8_sanitize output is valid UTF-8 with no control character, no
 *    bidi control and no default-ignorable character but an emoji's
 *    joiner or variation selector (safe for a terminal, nothing drawn
 *    invisibly), NUL-terminated, fits its buffer at every size, never
 *    ends in half a character, and for clean valid input is the input
 *    itself;
 *  - utf8_width is at most twice the characters and equals the sum of
 *    utf8_cp_width over valid input;
 *  - utf8_next/utf8_prev step by one character and invert each other;
 *  - utf8_prefix never cuts a character and is maximal;
 *  - utf8_encode round-trips every decoded code point.
 * Built by scripts/fuzz (make fuzz).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "utf8.h"

#define FUZZ_MAX	2048

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool	unsafe(uint32_t);
static void	check_decode(const char *, size_t);
static void	check_sanitize(const char *, size_t, size_t);
static void	check_steps(const char *, size_t);
static void	check_prefix(const char *, size_t, size_t);

/* abort() makes a finding; assert() could be compiled out. */
#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* What utf8_sanitize never lets through as it is. */
static bool
unsafe(uint32_t cp)
{
	return utf8_is_control(cp) || utf8_is_bidi(cp) ||
	    utf8_is_bidi_mark(cp) || name_is_ignorable(cp);
}

static void
check_decode(const char *s, size_t len)
{
	size_t		off = 0, cols = 0;
	long		count = 0;
	bool		ok = true;
	uint32_t	cp;
	char		enc[4];
	int		n;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		CHECK(n == -1 || (n >= 1 && n <= 4));
		if (n == -1) {
			ok = false;
			off++;
			continue;
		}
		CHECK(cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff));
		CHECK(utf8_encode(cp, enc) == n);
		CHECK(memcmp(enc, s + off, (size_t)n) == 0);
		CHECK(utf8_cp_width(cp) >= 0 && utf8_cp_width(cp) <= 2);
		cols += (size_t)utf8_cp_width(cp);
		count++;
		off += (size_t)n;
	}
	CHECK(utf8_valid(s, len) == ok);
	CHECK(utf8_count(s, len) == (ok ? count : -1));
	CHECK(utf8_width(s, len) <= 2 * len);
	if (ok)
		CHECK(utf8_width(s, len) == cols);
}

/* The output must be safe for a terminal, whatever the room given. */
static void
check_sanitize(const char *s, size_t len, size_t cap)
{
	char		*out, *full;
	size_t		 n, fn, off;
	uint32_t	 cp;
	int		 d;
	bool		 clean = true;

	out = malloc(cap > 0 ? cap : 1);
	CHECK(out != NULL);
	n = utf8_sanitize(s, len, out, cap);
	if (cap == 0) {
		CHECK(n == 0);
		free(out);
		return;
	}
	CHECK(n < cap);
	CHECK(out[n] == '\0');
	for (off = 0; off < n; off += (size_t)d) {
		d = utf8_decode(out + off, n - off, &cp);
		CHECK(d > 0);
		CHECK(!unsafe(cp) || cp == 0x200d || cp == 0xfe0e ||
		    cp == 0xfe0f);
	}
	/*
	 * Cut short, the output is a prefix of the whole one; and if one
	 * more safe character (never > 4 bytes) could have fitted, it is
	 * the whole one. A character takes at most 3 bytes per input byte.
	 */
	full = malloc(3 * len + 1);
	CHECK(full != NULL);
	fn = utf8_sanitize(s, len, full, 3 * len + 1);
	CHECK(n <= fn && memcmp(out, full, n) == 0);
	if (n + 4 < cap - 1)
		CHECK(n == fn);
	free(full);
	for (off = 0; off < len; off += (size_t)d) {
		d = utf8_decode(s + off, len - off, &cp);
		if (d <= 0 || unsafe(cp)) {
			clean = false;
			break;
		}
	}
	if (clean && cap > len)
		CHECK(n == len && memcmp(out, s, len) == 0);
	free(out);
}

static void
check_steps(const char *s, size_t len)
{
	size_t	off, next, steps = 0;

	for (off = 0; off < len; off = next) {
		next = utf8_next(s, len, off);
		CHECK(next > off && next - off <= 4 && next <= len);
		CHECK(utf8_prev(s, len, next) == off);
		CHECK(++steps <= len);
	}
	CHECK(utf8_next(s, len, len) == len);
	CHECK(utf8_prev(s, len, 0) == 0);
	/* From any offset, even mid-character, prev moves back 1-4 bytes. */
	for (off = 1; off <= len; off++) {
		size_t p = utf8_prev(s, len, off);

		CHECK(p < off && off - p <= 4);
	}
}

static void
check_prefix(const char *s, size_t len, size_t max)
{
	size_t	p = utf8_prefix(s, len, max);

	CHECK(p <= max && p <= len);
	/* p is a boundary: stepping from 0 lands on it exactly. */
	if (p < len)
		CHECK(utf8_next(s, len, p) > max);
	if (p > 0)
		CHECK(utf8_next(s, len, utf8_prev(s, len, p)) == p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	size_t		 cap;

	if (size > FUZZ_MAX)
		return 0;
	check_decode(s, size);
	check_steps(s, size);
	/* The first byte picks a buffer size, to hit every truncation. */
	cap = size > 0 ? data[0] % 64 : 0;
	check_sanitize(s, size, cap);
	check_sanitize(s, size, 4 * size + 1);
	check_prefix(s, size, cap);
	check_prefix(s, size, size / 2);
	return 0;
}

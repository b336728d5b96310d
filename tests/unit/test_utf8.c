/*
 * Unit tests for shared/utf8.c: the data cases under tests/data/utf8
 * (jansson "invalid-unicode" style: one folder per case holding input,
 * expected (the exact utf8_sanitize output), and width or offset), then
 * the decoder's edges, widths, sanitising, truncation and the line
 * editor's cursor helpers. Runs from the repository top.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "name.h"
#include "utf8.h"

#define DATA_DIR	"tests/data/utf8"
#define FILE_MAX	4096

struct blob {
	char	data[FILE_MAX];
	size_t	len;
	int	present;
};

static void	read_blob(const char *, const char *, const char *,
		    struct blob *);
static long	blob_number(const struct blob *);
static size_t	first_invalid(const char *, size_t);
static void	check_sanitized(const char *, const struct blob *,
		    const struct blob *);
static int	walk_cases(const char *, void (*)(const char *));
static void	check_valid_case(const char *);
static void	check_invalid_case(const char *);

/* Reads DATA_DIR/kind/name/file into b; b->present 0 if it is absent. */
static void
read_blob(const char *kind, const char *name, const char *file,
    struct blob *b)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s/%s/%s", DATA_DIR, kind, name, file);
	b->len = 0;
	b->present = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return;
	b->len = fread(b->data, 1, sizeof b->data, f);
	assert_true(feof(f));
	fclose(f);
	b->present = 1;
}

static long
blob_number(const struct blob *b)
{
	char	text[32];
	size_t	n = b->len < sizeof text - 1 ? b->len : sizeof text - 1;

	memcpy(text, b->data, n);
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

/* Offset of the first byte utf8_decode refuses, or len. */
static size_t
first_invalid(const char *s, size_t len)
{
	size_t	off = 0;
	int	n;

	while (off < len && (n = utf8_decode(s + off, len - off, NULL)) > 0)
		off += (size_t)n;
	return off;
}

static void
check_sanitized(const char *name, const struct blob *in,
    const struct blob *want)
{
	char	out[4 * FILE_MAX];
	size_t	n;

	n = utf8_sanitize(in->data, in->len, out, sizeof out);
	if (n != want->len || memcmp(out, want->data, n) != 0)
		fail_msg("%s: sanitize gave '%s' (%zu bytes), want %zu bytes",
		    name, out, n, want->len);
	assert_true(utf8_valid(out, n));
	assert_int_equal(strlen(out), n);
}

/* Calls fn for each case folder of DATA_DIR/kind; returns how many. */
static int
walk_cases(const char *kind, void (*fn)(const char *))
{
	char		 path[256];
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	snprintf(path, sizeof path, "%s/%s", DATA_DIR, kind);
	d = opendir(path);
	if (d == NULL)
		fail_msg("cannot open %s (run from the repository top)", path);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		fn(e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void
check_valid_case(const char *name)
{
	struct blob	in, want, width;

	read_blob("valid", name, "input", &in);
	read_blob("valid", name, "expected", &want);
	read_blob("valid", name, "width", &width);
	if (!in.present || !want.present)
		fail_msg("valid/%s: needs input and expected", name);
	if (!utf8_valid(in.data, in.len))
		fail_msg("valid/%s: utf8_valid says invalid", name);
	assert_true(utf8_count(in.data, in.len) >= 0);
	assert_int_equal(first_invalid(in.data, in.len), in.len);
	check_sanitized(name, &in, &want);
	if (width.present &&
	    utf8_width(in.data, in.len) != (size_t)blob_number(&width))
		fail_msg("valid/%s: width %zu, want %ld", name,
		    utf8_width(in.data, in.len), blob_number(&width));
}

static void
check_invalid_case(const char *name)
{
	struct blob	in, want, offset;

	read_blob("invalid", name, "input", &in);
	read_blob("invalid", name, "expected", &want);
	read_blob("invalid", name, "offset", &offset);
	if (!in.present || !want.present || !offset.present)
		fail_msg("invalid/%s: needs input, expected and offset", name);
	if (utf8_valid(in.data, in.len))
		fail_msg("invalid/%s: utf8_valid says valid", name);
	assert_int_equal(utf8_count(in.data, in.len), -1);
	if (first_invalid(in.data, in.len) != (size_t)blob_number(&offset))
		fail_msg("invalid/%s: first invalid byte at %zu, want %ld",
		    name, first_invalid(in.data, in.len), blob_number(&offset));
	check_sanitized(name, &in, &want);
}

static void
test_data_valid(void **state)
{
	(void)state;
	assert_true(walk_cases("valid", check_valid_case) >= 10);
}

static void
test_data_invalid(void **state)
{
	(void)state;
	assert_true(walk_cases("invalid", check_invalid_case) >= 10);
}

/* Every code point round-trips; surrogates and > U+10FFFF do not encode. */
static void
test_encode_decode_all(void **state)
{
	char		buf[4];
	uint32_t	cp, got;
	int		n;

	(void)state;
	for (cp = 0; cp <= 0x110000; cp++) {
		n = utf8_encode(cp, buf);
		if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			assert_int_equal(n, -1);
			continue;
		}
		assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 :
		    cp < 0x10000 ? 3 : 4);
		assert_int_equal(utf8_decode(buf, (size_t)n, &got), n);
		assert_int_equal(got, cp);
		/* One byte short is truncated, never a shorter character. */
		if (n > 1)
			assert_int_equal(utf8_decode(buf, (size_t)n - 1, &got),
			    -1);
	}
}

static void
test_decode_edges(void **state)
{
	uint32_t	cp = 0;

	(void)state;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	/* A NUL is a character like any other inside a length. */
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode("\xc2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xc1\xbf", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xe0\x9f\xbf", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xf0\x8f\xbf\xbf", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xed\x9f\xbf", 3, &cp), 3);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xbf", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xe4\xb8", 2, &cp), -1);
	/* The length given wins over the bytes that follow. */
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xe4\x41\xad", 3, &cp), -1);
	assert_true(utf8_valid("", 0));
	assert_int_equal(utf8_count("a\xc3\xa9\xe4\xb8\xad", 6), 3);
}

/* Every lead byte value: which ones may start a character at all. */
static void
test_decode_lead_bytes(void **state)
{
	char		buf[4];
	unsigned	b;
	int		n;

	(void)state;
	for (b = 0; b < 256; b++) {
		buf[0] = (char)b;
		buf[1] = (char)0xa0;
		buf[2] = buf[3] = (char)0x90;
		n = utf8_decode(buf, sizeof buf, NULL);
		if (b < 0x80)
			assert_int_equal(n, 1);
		else if (b < 0xc2 || b > 0xf4)
			assert_int_equal(n, -1);
		else if (b == 0xe0 || b == 0xf0)
			assert_true(n > 0);	/* A0 second byte: not overlong */
		else if (b == 0xed || b == 0xf4)
			assert_int_equal(n, -1); /* surrogate / > U+10FFFF */
		else
			assert_true(n > 0);
	}
}

static void
test_widths(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("hello", 5), 5);
	assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4); /* 中文 */
	assert_int_equal(utf8_width("\xf0\x9f\x98\x80", 4), 2);	/* 😀 */
	assert_int_equal(utf8_width("e\xcc\x81", 3), 1);	/* e + U+0301 */
	assert_int_equal(utf8_width("\xff", 1), 1);
	assert_int_equal(utf8_width("", 0), 0);
	assert_int_equal(utf8_cp_width('a'), 1);
	assert_int_equal(utf8_cp_width(0), 0);
	assert_int_equal(utf8_cp_width(0x1b), 0);
	assert_int_equal(utf8_cp_width(0x7f), 0);
	assert_int_equal(utf8_cp_width(0x9b), 0);
	assert_int_equal(utf8_cp_width(0xe9), 1);
	assert_int_equal(utf8_cp_width(0x0300), 0);
	assert_int_equal(utf8_cp_width(0x036f), 0);
	assert_int_equal(utf8_cp_width(0x0370), 1);
	assert_int_equal(utf8_cp_width(0x200b), 0);
	assert_int_equal(utf8_cp_width(0x200d), 0);
	assert_int_equal(utf8_cp_width(0xfe0f), 0);
	assert_int_equal(utf8_cp_width(0x10ff), 1);
	assert_int_equal(utf8_cp_width(0x1100), 2);
	assert_int_equal(utf8_cp_width(0x115f), 2);
	assert_int_equal(utf8_cp_width(0x1160), 0);
	assert_int_equal(utf8_cp_width(0x2e7f), 1);
	assert_int_equal(utf8_cp_width(0x2e80), 2);
	assert_int_equal(utf8_cp_width(0x3000), 2);	/* ideographic space */
	assert_int_equal(utf8_cp_width(0x303f), 1);
	assert_int_equal(utf8_cp_width(0x3099), 0);	/* kana voicing */
	assert_int_equal(utf8_cp_width(0x4e2d), 2);
	assert_int_equal(utf8_cp_width(0xa4cf), 2);
	assert_int_equal(utf8_cp_width(0xa4d0), 1);
	assert_int_equal(utf8_cp_width(0xac00), 2);
	assert_int_equal(utf8_cp_width(0xd7a3), 2);
	assert_int_equal(utf8_cp_width(0xd7a4), 1);
	assert_int_equal(utf8_cp_width(0xf900), 2);
	assert_int_equal(utf8_cp_width(0xfe10), 2);
	assert_int_equal(utf8_cp_width(0xfe30), 2);
	assert_int_equal(utf8_cp_width(0xff01), 2);
	assert_int_equal(utf8_cp_width(0xff61), 1);	/* halfwidth */
	assert_int_equal(utf8_cp_width(0xffe6), 2);
	assert_int_equal(utf8_cp_width(0x1f300), 2);
	assert_int_equal(utf8_cp_width(0x1f64f), 2);
	assert_int_equal(utf8_cp_width(0x1f680), 2);
	assert_int_equal(utf8_cp_width(0x1f9ff), 2);
	assert_int_equal(utf8_cp_width(0x1faff), 2);
	assert_int_equal(utf8_cp_width(0x20000), 2);
	assert_int_equal(utf8_cp_width(0x3fffd), 2);
	assert_int_equal(utf8_cp_width(0x40000), 1);
	assert_int_equal(utf8_cp_width(0xe0100), 0);
	assert_int_equal(utf8_cp_width(0x10ffff), 1);
}

static void
test_classes(void **state)
{
	(void)state;
	assert_true(utf8_is_control(0));
	assert_true(utf8_is_control(0x1f));
	assert_false(utf8_is_control(0x20));
	assert_true(utf8_is_control(0x7f));
	assert_true(utf8_is_control(0x80));
	assert_true(utf8_is_control(0x9f));
	assert_false(utf8_is_control(0xa0));
	assert_false(utf8_is_bidi(0x2029));
	assert_true(utf8_is_bidi(0x202a));
	assert_true(utf8_is_bidi(0x202e));
	assert_false(utf8_is_bidi(0x202f));
	assert_false(utf8_is_bidi(0x2065));
	assert_true(utf8_is_bidi(0x2066));
	assert_true(utf8_is_bidi(0x2069));
	assert_false(utf8_is_bidi(0x206a));
	assert_false(utf8_is_bidi(0x200e));	/* marks have their own test */
	assert_true(utf8_is_bidi_mark(0x061c));
	assert_true(utf8_is_bidi_mark(0x200e));
	assert_true(utf8_is_bidi_mark(0x200f));
	assert_false(utf8_is_bidi_mark(0x061b));
	assert_false(utf8_is_bidi_mark(0x200d));	/* ZWJ: emoji need it */
	assert_false(utf8_is_bidi_mark(0x2010));
	assert_true(utf8_is_space(' '));
	assert_true(utf8_is_space('\t'));
	assert_true(utf8_is_space('\n'));
	assert_true(utf8_is_space(0x85));
	assert_true(utf8_is_space(0xa0));
	assert_true(utf8_is_space(0x2000));
	assert_true(utf8_is_space(0x200a));
	assert_false(utf8_is_space(0x200b));	/* not White_Space */
	assert_true(utf8_is_space(0x3000));
	assert_false(utf8_is_space('x'));
	assert_false(utf8_is_space(0x4e2d));
}

static void
test_sanitize_controls(void **state)
{
	char	out[64];
	size_t	n;

	(void)state;
	n = utf8_sanitize("\x1b[31m", 5, out, sizeof out);
	assert_string_equal(out, "^[[31m");
	assert_int_equal(n, 6);
	utf8_sanitize("\x00\x07\x7f", 3, out, sizeof out);
	assert_string_equal(out, "^@^G^?");
	utf8_sanitize("\xc2\x9b" "2J", 4, out, sizeof out);	/* C1 CSI */
	assert_string_equal(out, UTF8_REPLACEMENT "2J");
	utf8_sanitize("a\xe2\x80\xae" "b", 5, out, sizeof out);	/* RLO */
	assert_string_equal(out, "a" UTF8_REPLACEMENT "b");
	utf8_sanitize("\xe2\x81\xa6" "x", 4, out, sizeof out);	/* LRI */
	assert_string_equal(out, UTF8_REPLACEMENT "x");
	/* RLM, LRM, ALM: one column each once replaced, none before. */
	n = utf8_sanitize("\xe2\x80\x8f" "a\xe2\x80\x8e" "b\xd8\x9c", 10,
	    out, sizeof out);
	assert_string_equal(out, UTF8_REPLACEMENT "a" UTF8_REPLACEMENT "b"
	    UTF8_REPLACEMENT);
	assert_int_equal(utf8_width("\xe2\x80\x8f" "a\xe2\x80\x8e" "b\xd8\x9c",
	    10), 2);
	assert_int_equal(utf8_width(out, n), 5);
	utf8_sanitize("\xff", 1, out, sizeof out);
	assert_string_equal(out, UTF8_REPLACEMENT);
	utf8_sanitize("ok \xe4\xb8\xad", 6, out, sizeof out);
	assert_string_equal(out, "ok \xe4\xb8\xad");
}

/* Truncation keeps whole characters and always terminates. */
/*
 * Every default-ignorable code point between two letters, or after an
 * emoji, is drawn as U+FFFD; only an emoji's own joiner and variation
 * selectors pass (the data cases emoji-*).
 */
static void
test_sanitize_ignorables(void **state)
{
	char		in[16], out[32], want[16];
	uint32_t	cp;
	int		n, kept = 0, shown = 0;

	(void)state;
	for (cp = 0x80; cp <= 0x10ffff; cp++) {
		if (!name_is_ignorable(cp) || utf8_is_bidi(cp))
			continue;
		in[0] = 'a';
		n = utf8_encode(cp, in + 1);
		in[1 + n] = 'b';
		utf8_sanitize(in, (size_t)n + 2, out, sizeof out);
		assert_string_equal(out, "a" UTF8_REPLACEMENT "b");
		/* After a heart (U+2764, Emoji) and before a laptop. */
		memcpy(in, "\xe2\x9d\xa4", 3);
		n = utf8_encode(cp, in + 3);
		memcpy(in + 3 + n, "\xf0\x9f\x92\xbb", 4);
		utf8_sanitize(in, (size_t)n + 7, out, sizeof out);
		if (cp == 0x200d || cp == 0xfe0e || cp == 0xfe0f) {
			assert_int_equal(strlen(out), (size_t)n + 7);
			kept++;
		} else {
			snprintf(want, sizeof want, "%s%s%s", "\xe2\x9d\xa4",
			    UTF8_REPLACEMENT, "\xf0\x9f\x92\xbb");
			assert_string_equal(out, want);
		}
		shown++;
	}
	assert_int_equal(kept, 3);
	assert_true(shown > 4000);	/* U+E0000-U+E0FFF alone is 4096 */
}

static void
test_sanitize_truncation(void **state)
{
	char	out[16];
	size_t	n;

	(void)state;
	memset(out, 'x', sizeof out);
	assert_int_equal(utf8_sanitize("abc", 3, out, 0), 0);
	assert_int_equal(out[0], 'x');		/* cap 0: untouched */
	assert_int_equal(utf8_sanitize("abc", 3, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(utf8_sanitize("abc", 3, out, 3), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(utf8_sanitize("abc", 3, out, 4), 3);
	assert_string_equal(out, "abc");
	/* 中文 is 6 bytes: 4, 5 or 6 bytes of room hold only 中. */
	for (n = 4; n <= 6; n++) {
		assert_int_equal(utf8_sanitize("\xe4\xb8\xad\xe6\x96\x87", 6,
		    out, n), 3);
		assert_string_equal(out, "\xe4\xb8\xad");
	}
	assert_int_equal(utf8_sanitize("\xe4\xb8\xad\xe6\x96\x87", 6, out,
	    7), 6);
	/* ^[ is two bytes and is never split into a lone '^'. */
	assert_int_equal(utf8_sanitize("a\x1b", 2, out, 3), 1);
	assert_string_equal(out, "a");
	/* A replacement character is three bytes, also kept whole. */
	assert_int_equal(utf8_sanitize("a\xff", 2, out, 4), 1);
	assert_int_equal(utf8_sanitize("a\xff", 2, out, 5), 4);
	/* Emoji: 4 bytes. */
	assert_int_equal(utf8_sanitize("\xf0\x9f\x98\x80", 4, out, 4), 0);
	assert_int_equal(utf8_sanitize("\xf0\x9f\x98\x80", 4, out, 5), 4);
}

static void
test_prefix(void **state)
{
	const char	*s = "a\xe4\xb8\xad\xf0\x9f\x98\x80" "b"; /* a中😀b */
	size_t		 len = strlen(s);

	(void)state;
	assert_int_equal(utf8_prefix(s, len, 0), 0);
	assert_int_equal(utf8_prefix(s, len, 1), 1);
	assert_int_equal(utf8_prefix(s, len, 2), 1);
	assert_int_equal(utf8_prefix(s, len, 3), 1);
	assert_int_equal(utf8_prefix(s, len, 4), 4);
	assert_int_equal(utf8_prefix(s, len, 7), 4);
	assert_int_equal(utf8_prefix(s, len, 8), 8);
	assert_int_equal(utf8_prefix(s, len, 9), 9);
	assert_int_equal(utf8_prefix(s, len, 100), 9);
	/* Invalid bytes are one-byte characters. */
	assert_int_equal(utf8_prefix("\xff\xfe", 2, 1), 1);
}

static void
test_prev_next(void **state)
{
	const char	*s = "a\xe4\xb8\xad\xf0\x9f\x98\x80\xcc\x81" "b";
	size_t		 len = strlen(s);
	const size_t	 stops[] = { 0, 1, 4, 8, 10, 11 };
	size_t		 i;

	(void)state;
	for (i = 0; i + 1 < sizeof stops / sizeof stops[0]; i++) {
		assert_int_equal(utf8_next(s, len, stops[i]), stops[i + 1]);
		assert_int_equal(utf8_prev(s, len, stops[i + 1]), stops[i]);
	}
	assert_int_equal(utf8_next(s, len, len), len);
	assert_int_equal(utf8_next(s, len, len + 5), len);
	assert_int_equal(utf8_prev(s, len, 0), 0);
	assert_int_equal(utf8_prev(s, len, len + 5), 10);
	assert_int_equal(utf8_next("", 0, 0), 0);
	assert_int_equal(utf8_prev("", 0, 0), 0);
}

/* On invalid input prev is still the exact inverse of next. */
static void
test_prev_next_invalid(void **state)
{
	const char	*cases[] = {
		"\xc3\xa9\xa9", "\xa9\xa9\xa9\xa9\xa9", "\xe4\xb8\xe4\xb8\xad",
		"\xf0\x9f\x98", "x\x80\x80\x80\x80y", "\xed\xa0\x80",
	};
	size_t		 i, off, next, len;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i]);
		for (off = 0; off < len; off = next) {
			next = utf8_next(cases[i], len, off);
			assert_true(next > off);
			assert_int_equal(utf8_prev(cases[i], len, next), off);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_valid),
		cmocka_unit_test(test_data_invalid),
		cmocka_unit_test(test_encode_decode_all),
		cmocka_unit_test(test_decode_edges),
		cmocka_unit_test(test_decode_lead_bytes),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_sanitize_controls),
		cmocka_unit_test(test_sanitize_ignorables),
		cmocka_unit_test(test_sanitize_truncation),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prev_next),
		cmocka_unit_test(test_prev_next_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

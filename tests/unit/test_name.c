/*
 * Unit tests for shared/name.c: which code points are default-ignorable,
 * and confusable skeletons: look-alikes collide (Cyrillic a, "rn" and
 * "m", fullwidth, NFC and NFD), different names do not, Chinese names
 * work, what case does, and that NAME_SKELETON_MAX holds the skeleton of
 * any valid name with the system's ICU data.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "name.h"
#include "proto.h"
#include "utf8.h"

static struct name_checker	nc;

static int
setup(void **state)
{
	char	err[256];

	(void)state;
	if (name_checker_open(&nc, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	name_checker_close(&nc);
	return 0;
}

static void
test_ignorable(void **state)
{
	static const uint32_t yes[] = {
		0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x180b,
		0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a,
		0x2060, 0x2064, 0x2066, 0x206f, 0x3164, 0xfe00, 0xfe0f,
		0xfeff, 0xffa0, 0x1bca0, 0x1d173, 0xe0001, 0xe0020, 0xe0041,
		0xe007f, 0xe0100, 0xe01ef, 0xe0fff,
	};
	static const uint32_t no[] = {
		0, 'a', ' ', 0x7f, 0x85, 0xa0, 0xac, 0xae, 0x0301, 0x0430,
		0x200a, 0x2010, 0x2028, 0x3000, 0x4e00, 0xfe10, 0xfffd,
		0x1f600, 0xe1000, 0x10ffff, 0x110000, 0xffffffff,
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!name_is_ignorable(yes[i]))
			fail_msg("U+%04X should be ignorable", (unsigned)yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (name_is_ignorable(no[i]))
			fail_msg("U+%04X should not be ignorable",
			    (unsigned)no[i]);
}

static void
test_has_ignorable(void **state)
{
	(void)state;
	assert_false(name_has_ignorable(""));
	assert_false(name_has_ignorable("alice"));
	assert_false(name_has_ignorable("\xe5\xbc\xa0\xe4\xb8\x89"));
	assert_false(name_has_ignorable("\xf0\x9f\x98\x80x"));
	assert_false(name_has_ignorable("e\xcc\x81mile"));
	assert_true(name_has_ignorable("\xef\xbb\xbf" "alice"));
	assert_true(name_has_ignorable("ali\xe2\x80\x8b" "ce"));
	assert_true(name_has_ignorable("alice\xc2\xad"));
	assert_true(name_has_ignorable("alice\xe2\x81\xa0"));
	assert_true(name_has_ignorable("\xe2\x98\xba\xef\xb8\x8f"));
	assert_true(name_has_ignorable("a\xf3\xa0\x81\x81"));
	assert_true(name_has_ignorable("a\xe2\x80\x8f"));
	/* An invalid byte is skipped, not a reason to stop looking. */
	assert_false(name_has_ignorable("a\xff" "b"));
	assert_true(name_has_ignorable("a\xff\xe2\x80\x8b"));
}

static void
skel(const char *s, char *out)
{
	if (name_skeleton(&nc, s, out, NAME_SKELETON_MAX) < 0)
		fail_msg("no skeleton for \"%s\"", s);
	assert_true(utf8_valid(out, strlen(out)));
}

/* Checks that a and b have the same skeleton (want) or not. */
static void
collide(const char *a, const char *b, bool want)
{
	char	sa[NAME_SKELETON_MAX], sb[NAME_SKELETON_MAX];

	skel(a, sa);
	skel(b, sb);
	if ((strcmp(sa, sb) == 0) != want)
		fail_msg("\"%s\" (%s) and \"%s\" (%s) should%s collide", a,
		    sa, b, sb, want ? "" : " not");
}

#define same(a, b)	collide((a), (b), true)
#define differ(a, b)	collide((a), (b), false)

static void
test_skeleton_collide(void **state)
{
	char	s[NAME_SKELETON_MAX];

	(void)state;
	same("\xd0\xb0lice", "alice");		/* Cyrillic a */
	same("\xd0\xb0l\xd1\x96\xd1\x81\xd0\xb5", "alice");	/* аlісе */
	same("rn", "m");
	same("mary", "rnary");
	same("al1ce", "alIce");
	same("\xef\xbd\x81lice", "alice");	/* fullwidth a */
	same("\xc3\xa9mile", "e\xcc\x81mile");	/* NFC and NFD */
	same("AIice", "Alice");			/* capital i, small L */
	same("0scar", "Oscar");
	skel("m", s);
	assert_string_equal(s, "rn");
}

static void
test_skeleton_differ(void **state)
{
	char	s[NAME_SKELETON_MAX];

	(void)state;
	differ("alice", "bob");
	differ("alice", "alicia");
	differ("alice", "alice2");
	/* Case: the skeleton keeps it, so Alice and alice may both be on. */
	differ("Alice", "alice");
	differ("ALICE", "alice");
	/* Chinese names are their own skeletons, and distinct. */
	skel("\xe5\xbc\xa0\xe4\xb8\x89", s);
	assert_string_equal(s, "\xe5\xbc\xa0\xe4\xb8\x89");
	differ("\xe5\xbc\xa0\xe4\xb8\x89", "\xe6\x9d\x8e\xe5\x9b\x9b");
	skel("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99", s);
	assert_string_equal(s, "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99");
	differ("\xe5\xbc\xa0\xe4\xb8\x89", "\xe5\xbc\xa0");
}

static void
test_skeleton_errors(void **state)
{
	char	s[NAME_SKELETON_MAX];

	(void)state;
	/* Not valid UTF-8: ICU would quietly read U+FFFD. */
	assert_int_equal(name_skeleton(&nc, "a\xff", s, sizeof(s)), -1);
	assert_int_equal(name_skeleton(&nc, "\xed\xa0\x80", s, sizeof(s)), -1);
	/* Too small a buffer refuses, never cuts. */
	assert_int_equal(name_skeleton(&nc, "alice", s, 5), -1);
	assert_string_equal(s, "");
	assert_int_equal(name_skeleton(&nc, "alice", s, 0), -1);
	assert_int_equal(name_skeleton(&nc, "alice", s, 6), 5);
	assert_string_equal(s, "alice");
	assert_int_equal(name_skeleton(&nc, "m", s, 3), 2);
	assert_int_equal(name_skeleton(&nc, "m", s, 2), -1);
	assert_int_equal(name_skeleton(&nc, "", s, sizeof(s)), 0);
}

/*
 * NAME_SKELETON_PER_CHAR holds for every character a name may hold,
 * with this ICU's data, so NAME_SKELETON_MAX holds any valid name.
 */
static void
test_skeleton_max(void **state)
{
	char		in[5], s[NAME_SKELETON_MAX], name[64];
	uint32_t	cp, worst = 0;
	int		n, len, most = 0, i;

	(void)state;
	for (cp = 0x21; cp <= 0x10ffff; cp++) {
		if ((n = utf8_encode(cp, in)) < 0)
			continue;
		in[n] = '\0';
		if (proto_check_name(in) != 0)
			continue;
		len = name_skeleton(&nc, in, s, sizeof(s));
		assert_true(len > 0);
		if (len > most) {
			most = len;
			worst = cp;
		}
	}
	if (most > NAME_SKELETON_PER_CHAR)
		fail_msg("U+%04X has a skeleton of %d bytes", (unsigned)worst,
		    most);
	/* The worst character, as many times as a name may hold it. */
	n = utf8_encode(worst, in);
	for (i = 0; i < PROTO_NAME_MAX_CHARS; i++)
		memcpy(name + i * n, in, (size_t)n);
	name[PROTO_NAME_MAX_CHARS * n] = '\0';
	assert_int_equal(proto_check_name(name), 0);
	len = name_skeleton(&nc, name, s, sizeof(s));
	assert_int_equal(len, PROTO_NAME_MAX_CHARS * most);
	assert_true(len < NAME_SKELETON_MAX);
}

static void
test_checker_open_close(void **state)
{
	struct name_checker	c;
	char			err[128], s[NAME_SKELETON_MAX];

	(void)state;
	assert_int_equal(name_checker_open(&c, err, sizeof(err)), 0);
	assert_int_equal(name_skeleton(&c, "\xd0\xb0", s, sizeof(s)), 1);
	assert_string_equal(s, "a");
	name_checker_close(&c);
	name_checker_close(&c);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ignorable),
		cmocka_unit_test(test_has_ignorable),
		cmocka_unit_test(test_skeleton_collide),
		cmocka_unit_test(test_skeleton_differ),
		cmocka_unit_test(test_skeleton_errors),
		cmocka_unit_test(test_skeleton_max),
		cmocka_unit_test(test_checker_open_close),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

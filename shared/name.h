/*
 * name: what the name rules of protocol version 2 need from Unicode
 * (docs/protocol.md, "Names and text"), with ICU rather than our own
 * tables: default-ignorable code points, which no name may hold and no
 * terminal is shown invisibly, and confusable skeletons (Unicode TS
 * #39), so that a name that looks like one online is refused.
 *
 * A skeleton is ICU's full skeleton (uspoof_getSkeletonUTF8; the only
 * kind since ICU 58): NFD, then every character replaced by its
 * prototype from confusables.txt, then NFD again. Cyrillic "а" + "lice"
 * and Latin "alice" share one, so do "rn" and "m", "al1ce" and "alIce".
 * Case is left alone except where the data says letters look alike:
 * "Alice" and "alice" have different skeletons (so both may be online),
 * while "AIice" (capital i) and "Alice" share one. Names are still
 * compared byte for byte; only equal skeletons matter.
 *
 * Never prints or exits. Tested in tests/unit/test_name.c.
 */
#ifndef NAME_H
#define NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/*
 * The longest skeleton of one character is 30 bytes (U+FDFA, Unicode
 * 15 as ICU 72 has it), so a skeleton of a valid name fits in
 * NAME_SKELETON_MAX bytes with its NUL. name_skeleton refuses rather
 * than cuts should newer data make one longer.
 */
#define NAME_SKELETON_PER_CHAR	30
#define NAME_SKELETON_MAX	\
	(PROTO_NAME_MAX_CHARS * NAME_SKELETON_PER_CHAR + 1)

struct USpoofChecker;

/* Makes skeletons; open once, use from one thread. */
struct name_checker {
	struct USpoofChecker	*sc;
};

/*
 * True if cp is Default_Ignorable_Code_Point (soft hyphen, zero-width
 * characters and joiners, U+FEFF, variation selectors, tags, Hangul
 * fillers, ...) or a bidi mark (U+061C, U+200E, U+200F).
 */
bool		 name_is_ignorable(uint32_t cp);

/*
 * True if the ignorable cp between prev and next (UINT32_MAX: none, or
 * not shown as it is) belongs to an emoji and is drawn as part of it, not
 * invisibly: a ZWJ (U+200D) after an Extended_Pictographic, an emoji
 * skin tone or a VS16 and before an Extended_Pictographic (the woman and
 * laptop of U+1F469 U+200D U+1F4BB), or a VS15/VS16 (U+FE0E, U+FE0F)
 * after an Emoji character (U+2764 U+FE0F). Text shows these as sent;
 * every other ignorable is made visible (utf8_sanitize).
 */
bool		 name_ignorable_in_emoji(uint32_t prev, uint32_t cp,
		    uint32_t next);

/* True if UTF-8 s (NUL-terminated) holds a name_is_ignorable code point. */
bool		 name_has_ignorable(const char *s);

/*
 * Opens ICU's confusables data. Returns 0, or -1 with err filled
 * (errlen bytes; err may be NULL with errlen 0) with words for a person.
 */
int		 name_checker_open(struct name_checker *nc, char *err,
		    size_t errlen);
void		 name_checker_close(struct name_checker *nc);

/*
 * Writes the skeleton of UTF-8 s (NUL-terminated) into out (cap bytes,
 * NUL-terminated; NAME_SKELETON_MAX holds that of any valid name).
 * Returns its length, or -1 if s is not valid UTF-8, the skeleton does
 * not fit or ICU fails (out of memory).
 */
int		 name_skeleton(const struct name_checker *nc, const char *s,
		    char *out, size_t cap);

#endif /* NAME_H */

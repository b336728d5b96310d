/*
 * utf8: validation, code point iteration, display width and sanitising
 * for display. Pure functions on byte strings; no locale is consulted, so
 * results are the same in every process and every test (the width table
 * follows Unicode's East Asian Width: CJK and emoji take 2 columns,
 * combining marks 0).
 */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The replacement character U+FFFD, as UTF-8. */
#define UTF8_REPLACEMENT	"\xef\xbf\xbd"

/*
 * Decodes one code point from s (len bytes available). Returns the number
 * of bytes it takes (1-4) and sets *cp, or -1 for an invalid sequence
 * (overlong, surrogate, above U+10FFFF, truncated, stray continuation),
 * in which case the caller should skip one byte. len 0 returns 0.
 */
int		 utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (4 bytes at least). Returns 1-4, or -1 if invalid. */
int		 utf8_encode(uint32_t cp, char *out);

/* True if s (len bytes) is entirely valid UTF-8. */
bool		 utf8_valid(const char *s, size_t len);

/* Number of code points in valid UTF-8 s, or -1 if s is invalid. */
long		 utf8_count(const char *s, size_t len);

/* C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F). */
bool		 utf8_is_control(uint32_t cp);

/* Bidi embedding, override and isolate controls U+202A-E, U+2066-9. */
bool		 utf8_is_bidi(uint32_t cp);

/*
 * The implicit bidi marks U+061C (ALM), U+200E (LRM), U+200F (RLM).
 * Not controls in the protocol's sense (names and texts may hold them),
 * but they too change the order a terminal shows the text around them
 * in, so sanitising and logging replace them like the controls.
 */
bool		 utf8_is_bidi_mark(uint32_t cp);

/* Unicode White_Space (space, tabs, NBSP, U+2000-U+200A, U+3000, ...). */
bool		 utf8_is_space(uint32_t cp);

/* Columns cp takes on a terminal: 0, 1 or 2 (controls count 0). */
int		 utf8_cp_width(uint32_t cp);

/* Columns of s (len bytes); an invalid byte counts 1 (shown as U+FFFD). */
size_t		 utf8_width(const char *s, size_t len);

/*
 * Copies s (len bytes) to out (cap bytes, NUL-terminated, truncated at
 * a character boundary when short), making it safe for a terminal:
 * invalid bytes become U+FFFD, control characters become ^X (caret
 * notation: ^[ for ESC, ^? for DEL) or U+FFFD for C1, bidi controls
 * and bidi marks become U+FFFD (one column where they took none), and
 * so does every other default-ignorable code point (U+FEFF, zero width
 * space, soft hyphen, word joiner, tags, ...; name_is_ignorable) but a
 * zero width joiner or variation selector inside an emoji
 * (name_ignorable_in_emoji). Returns the length written, without the
 * NUL.
 */
size_t		 utf8_sanitize(const char *s, size_t len, char *out, size_t cap);

/*
 * utf8_sanitize one character at a time, for what is drawn piece by
 * piece (the line editor's row): the safe form of the character at s
 * (len > 0 bytes available, the rest of the text after it) into out (4
 * bytes at least), its length returned, the input bytes it took in
 * *used. *prev carries what an emoji needs from one character to the
 * next: UINT32_MAX at the start of the text.
 */
size_t		 utf8_safe_char(const char *s, size_t len, uint32_t *prev,
		    char *out, int *used);

/*
 * Byte length of the longest prefix of s (len bytes) that ends on a
 * character boundary and has at most max_bytes bytes.
 */
size_t		 utf8_prefix(const char *s, size_t len, size_t max_bytes);

/*
 * Byte offset of the character boundary before / after byte offset off
 * in valid UTF-8 s (len bytes). Used by the line editor.
 */
size_t		 utf8_prev(const char *s, size_t len, size_t off);
size_t		 utf8_next(const char *s, size_t len, size_t off);

#endif /* UTF8_H */

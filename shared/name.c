/*
 * name: default-ignorable code points and confusable skeletons
 * (name.h), both straight from ICU so that they follow the Unicode
 * version of the system's ICU and not a table of ours.
 */
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uspoof.h>

#include "name.h"
#include "utf8.h"

static bool	name_has_prop(uint32_t, UProperty);

bool
name_is_ignorable(uint32_t cp)
{
	if (cp < 0xad)		/* the common case, and nothing is below */
		return false;
	if (cp > 0x10ffff)
		return false;
	return u_hasBinaryProperty((UChar32)cp,
	    UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || utf8_is_bidi_mark(cp);
}

/* UCHAR_* of a code point that may be UINT32_MAX (none). */
static bool
name_has_prop(uint32_t cp, UProperty which)
{
	return cp <= 0x10ffff && u_hasBinaryProperty((UChar32)cp, which);
}

bool
name_ignorable_in_emoji(uint32_t prev, uint32_t cp, uint32_t next)
{
	switch (cp) {
	case 0x200d:
		return (name_has_prop(prev, UCHAR_EXTENDED_PICTOGRAPHIC) ||
		    name_has_prop(prev, UCHAR_EMOJI_MODIFIER) ||
		    prev == 0xfe0f) &&
		    name_has_prop(next, UCHAR_EXTENDED_PICTOGRAPHIC);
	case 0xfe0e:
	case 0xfe0f:
		return name_has_prop(prev, UCHAR_EMOJI);
	default:
		return false;
	}
}

bool
name_has_ignorable(const char *s)
{
	size_t		len, off = 0;
	uint32_t	cp;
	int		n;

	len = strlen(s);
	while (off < len) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0) {
			off++;
			continue;
		}
		if (name_is_ignorable(cp))
			return true;
		off += (size_t)n;
	}
	return false;
}

int
name_checker_open(struct name_checker *nc, char *err, size_t errlen)
{
	UErrorCode	st = U_ZERO_ERROR;

	nc->sc = uspoof_open(&st);
	if (U_FAILURE(st)) {
		if (nc->sc != NULL)
			uspoof_close(nc->sc);
		nc->sc = NULL;
		snprintf(err, errlen, "cannot load ICU's confusable data "
		    "(uspoof_open: %s)", u_errorName(st));
		return -1;
	}
	return 0;
}

void
name_checker_close(struct name_checker *nc)
{
	if (nc->sc != NULL)
		uspoof_close(nc->sc);
	nc->sc = NULL;
}

/*
 * ICU would read an invalid byte as U+FFFD and carry on, so that two
 * different invalid names could share a skeleton: refuse them first.
 */
int
name_skeleton(const struct name_checker *nc, const char *s, char *out,
    size_t cap)
{
	UErrorCode	st = U_ZERO_ERROR;
	size_t		len;
	int32_t		n;

	len = strlen(s);
	if (cap == 0 || !utf8_valid(s, len) || len > INT32_MAX)
		return -1;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	n = uspoof_getSkeletonUTF8(nc->sc, 0, s, (int32_t)len, out,
	    (int32_t)cap, &st);
	/* A skeleton exactly cap long is not terminated (a warning). */
	if (U_FAILURE(st) || n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return -1;
	}
	out[n] = '\0';
	return n;
}

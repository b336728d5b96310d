/*
 * console: parsing the operator's lines and formatting what the server
 * prints back (console.h). Commands are recognised on the raw line, not
 * on a sanitised copy: a name is compared byte for byte with the
 * session names, and sanitising could change one (a bidi mark is a
 * valid name character but is replaced for display). Whatever is
 * printed or announced is cleaned.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "utf8.h"

/* Columns the /who table gives a name; a wider one pushes the row. */
#define CONSOLE_NAME_COLS	PROTO_NAME_MAX_CHARS
#define CONSOLE_ADDR_COLS	22

static bool	 console_blank(char);
static size_t	 console_trim(char *, size_t);
static bool	 console_invisible(uint32_t);

static bool
console_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims white space at both ends of s (len bytes) in place. */
static size_t
console_trim(char *s, size_t len)
{
	size_t		 off, start, end;
	uint32_t	 cp;
	int		 n;
	bool		 seen;

	start = end = 0;
	seen = false;
	for (off = 0; off < len; off += n) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0)
			n = 1;
		else if (utf8_is_space(cp))
			continue;
		if (!seen)
			start = off;
		seen = true;
		end = off + n;
	}
	if (!seen) {
		s[0] = '\0';
		return 0;
	}
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return end - start;
}

size_t
console_clean(const char *line, size_t len, char *out, size_t cap)
{
	char	 tmp[CONSOLE_LINE_MAX];
	size_t	 i, n;

	if (cap == 0)
		return 0;
	if (len > sizeof(tmp))
		len = sizeof(tmp);
	for (i = 0; i < len; i++)
		tmp[i] = line[i] == '\t' ? ' ' : line[i];
	/* A CR before the LF is line ending, not text. */
	if (len > 0 && tmp[len - 1] == '\r')
		len--;
	n = utf8_sanitize(tmp, len, out, cap);
	n = console_trim(out, n);
	n = utf8_prefix(out, n, PROTO_TEXT_MAX);
	out[n] = '\0';
	return console_trim(out, n);
}

void
console_safe(const char *s, char *out, size_t cap)
{
	if (cap > 0)
		utf8_sanitize(s, strlen(s), out, cap);
}

size_t
console_word(const char **s, size_t *len, char *out, size_t cap)
{
	const char	*p = *s;
	size_t		 i, n, start;

	for (i = 0; i < *len && console_blank(p[i]); i++)
		continue;
	start = i;
	while (i < *len && !console_blank(p[i]))
		i++;
	n = i - start;
	*s = p + i;
	*len -= i;
	if (cap > 0) {
		/* Cut at a character boundary, so what is shown stays UTF-8. */
		i = n < cap ? n : utf8_prefix(p + start, n, cap - 1);
		memcpy(out, p + start, i);
		out[i] = '\0';
	}
	return n;
}

void
console_parse(const char *line, size_t len, struct console_line *l)
{
	size_t	 i, n;

	memset(l, 0, sizeof(*l));
	if (len > CONSOLE_LINE_MAX)
		len = CONSOLE_LINE_MAX;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && console_blank(line[i]); i++)
		continue;
	if (i == len || line[i] != '/' || (i + 1 < len && line[i + 1] == '/')) {
		/* An announcement; "//text" drops one slash. */
		if (i < len && line[i] == '/')
			i++;
		l->kind = console_clean(line + i, len - i, l->text,
		    sizeof(l->text)) > 0 ? CONSOLE_ANNOUNCE : CONSOLE_NOTHING;
		return;
	}
	l->kind = CONSOLE_COMMAND;
	l->word = line + i + 1;
	for (n = 0; i + 1 + n < len && !console_blank(l->word[n]); n++)
		continue;
	l->word_len = n;
	l->rest = l->word + n;
	l->rest_len = len - (i + 1 + n);
}

/*
 * Characters that take no room on screen or only change the look of
 * their neighbours (Unicode's Default_Ignorable_Code_Point, plus the
 * blank-looking Hangul fillers and Braille blank): a name may hold them,
 * the contract forbids only whitespace, controls and bidi controls.
 */
static bool
console_invisible(uint32_t cp)
{
	return cp == 0xad || cp == 0x34f || cp == 0x61c ||
	    (cp >= 0x115f && cp <= 0x1160) || (cp >= 0x17b4 && cp <= 0x17b5) ||
	    (cp >= 0x180b && cp <= 0x180f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0x2800 || cp == 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	    cp == 0xfeff || cp == 0xffa0 || (cp >= 0xfff0 && cp <= 0xfff8) ||
	    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
	    (cp >= 0x1d173 && cp <= 0x1d17a) ||
	    (cp >= 0xe0000 && cp <= 0xe0fff);
}

void
console_show_name(const char *name, char *out, size_t cap)
{
	char		 tmp[CONSOLE_SHOWN_MAX];
	size_t		 len, off, n = 0;
	uint32_t	 cp;
	int		 k, w;

	len = strlen(name);
	for (off = 0; off < len && n + 12 < sizeof(tmp); off += k) {
		if ((k = utf8_decode(name + off, len - off, &cp)) <= 0) {
			tmp[n++] = name[off];	/* console_safe marks it */
			k = 1;
		} else if (console_invisible(cp)) {
			w = snprintf(tmp + n, sizeof(tmp) - n, "<U+%04" PRIX32
			    ">", cp);
			n += (size_t)w;
		} else {
			memcpy(tmp + n, name + off, (size_t)k);
			n += (size_t)k;
		}
	}
	tmp[n] = '\0';
	console_safe(tmp, out, cap);
}

bool
console_unshow_name(const char *typed, char *out, size_t cap)
{
	const char	*p;
	char		*end;
	unsigned long	 cp;
	size_t		 n = 0;
	bool		 any = false;
	int		 k;

	for (p = typed; *p != '\0';) {
		if (strncmp(p, "<U+", 3) == 0 && isxdigit((unsigned char)p[3]) &&
		    (cp = strtoul(p + 3, &end, 16), *end == '>') &&
		    end - (p + 3) >= 4 && end - (p + 3) <= 6 &&
		    console_invisible((uint32_t)cp)) {
			if (n + 4 >= cap ||
			    (k = utf8_encode((uint32_t)cp, out + n)) <= 0)
				return false;
			n += (size_t)k;
			p = end + 1;
			any = true;
			continue;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = *p++;
	}
	out[n] = '\0';
	return any && n <= PROTO_NAME_MAX_BYTES;
}

const char *
console_who_header(void)
{
	static char	 header[128];

	snprintf(header, sizeof(header), "%-*s %-*s %6s %7s %6s  %s\n",
	    CONSOLE_NAME_COLS, "NAME", CONSOLE_ADDR_COLS, "ADDRESS", "IDLE",
	    "ONLINE", "CHATS", "NOTE");
	return header;
}

void
console_who_row(const struct console_who *w, char *buf, size_t cap)
{
	char	 name[CONSOLE_SHOWN_MAX], addr[256], idle[24], online[24];
	char	 note[256];
	size_t	 cols;
	int	 pad;

	console_show_name(w->name, name, sizeof(name));
	console_safe(w->addr, addr, sizeof(addr));
	console_safe(w->note != NULL ? w->note : "", note, sizeof(note));
	/* Padded by columns, not bytes: a CJK name is as wide as it looks. */
	cols = utf8_width(name, strlen(name));
	pad = cols < CONSOLE_NAME_COLS ? (int)(CONSOLE_NAME_COLS - cols) : 0;
	console_duration(w->idle_s, idle, sizeof(idle));
	console_duration(w->online_s, online, sizeof(online));
	snprintf(buf, cap, "%s%*s %-*s %6s %7s %6" PRIu64 "%s%s\n", name, pad,
	    "", CONSOLE_ADDR_COLS, addr, idle, online, w->chats,
	    note[0] != '\0' ? "  " : "", note);
}

void
console_duration(uint64_t s, char *out, size_t cap)
{
	if (s < 60)
		snprintf(out, cap, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(out, cap, "%" PRIu64 "m", s / 60);
	else if (s < 86400)
		snprintf(out, cap, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
		    s / 60 % 60);
	else
		snprintf(out, cap, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
		    s / 3600 % 24);
}

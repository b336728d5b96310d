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
/* Bytes of an unknown command word repeated in the error. */
#define CONSOLE_WORD_SHOWN	32

static bool	 console_blank(char);
static size_t	 console_trim(char *, size_t);
static size_t	 console_word(const char *, size_t, size_t *);
static void	 console_error(struct console_cmd *, const char *, size_t);
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

/*
 * The length of the word at s (len bytes) after skipping blanks; *skip
 * gets the blanks skipped before it.
 */
static size_t
console_word(const char *s, size_t len, size_t *skip)
{
	size_t	 i, start;

	for (i = 0; i < len && console_blank(s[i]); i++)
		continue;
	start = i;
	while (i < len && !console_blank(s[i]))
		i++;
	*skip = start;
	return i - start;
}

/* kind CONSOLE_ERROR: "unknown command '/WORD': ..." with WORD made safe. */
static void
console_error(struct console_cmd *c, const char *word, size_t len)
{
	char	 safe[CONSOLE_WORD_SHOWN * 3 + 1];

	if (len > CONSOLE_WORD_SHOWN)
		len = utf8_prefix(word, len, CONSOLE_WORD_SHOWN);
	utf8_sanitize(word, len, safe, sizeof(safe));
	c->kind = CONSOLE_ERROR;
	snprintf(c->error, sizeof(c->error), "unknown command '/%s': type /help "
	    "for the commands, //text to announce /text", safe);
}

void
console_parse(const char *line, size_t len, struct console_cmd *c)
{
	size_t	 i, skip, n;

	memset(c, 0, sizeof(*c));
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
		c->kind = console_clean(line + i, len - i, c->text,
		    sizeof(c->text)) > 0 ? CONSOLE_ANNOUNCE : CONSOLE_NOTHING;
		return;
	}
	line += i + 1;
	len -= i + 1;
	n = console_word(line, len, &skip);
	if (n == 4 && memcmp(line, "help", 4) == 0)
		c->kind = CONSOLE_HELP;
	else if (n == 3 && memcmp(line, "who", 3) == 0)
		c->kind = CONSOLE_WHO;
	else if (n == 4 && memcmp(line, "kick", 4) == 0) {
		line += n;
		len -= n;
		if ((n = console_word(line, len, &skip)) == 0) {
			c->kind = CONSOLE_ERROR;
			snprintf(c->error, sizeof(c->error),
			    "usage: /kick NAME [reason words]");
			return;
		}
		c->kind = CONSOLE_KICK;
		c->name_ok = n <= PROTO_NAME_MAX_BYTES;
		if (n >= sizeof(c->name))
			n = utf8_prefix(line + skip, n, sizeof(c->name) - 1);
		memcpy(c->name, line + skip, n);
		c->name[n] = '\0';
		skip += n;
		console_clean(line + skip, len - skip, c->text, sizeof(c->text));
	} else
		console_error(c, line, n);
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
console_help(void)
{
	return
	    "commands (anything else you type is announced to everyone):\n"
	    "  /who                 the sessions: name, address, idle seconds, "
	    "unacked messages, chats sent\n"
	    "  /kick NAME [reason]  remove NAME from the room (everyone "
	    "sees the reason);\n"
	    "                       NAME as /who shows it, or @ADDRESS "
	    "from /who\n"
	    "  //text               announce \"/text\"\n"
	    "  /help                this list\n";
}

const char *
console_who_header(void)
{
	static char	 header[128];

	snprintf(header, sizeof(header), "%-*s %-*s %6s %7s %7s\n",
	    CONSOLE_NAME_COLS, "NAME", CONSOLE_ADDR_COLS, "ADDRESS", "IDLE",
	    "UNACKED", "CHATS");
	return header;
}

void
console_who_row(const struct console_who *w, char *buf, size_t cap)
{
	char	 name[CONSOLE_SHOWN_MAX], addr[256], idle[24];
	size_t	 cols;
	int	 pad;

	console_show_name(w->name, name, sizeof(name));
	console_safe(w->addr, addr, sizeof(addr));
	/* Padded by columns, not bytes: a CJK name is as wide as it looks. */
	cols = utf8_width(name, strlen(name));
	pad = cols < CONSOLE_NAME_COLS ? (int)(CONSOLE_NAME_COLS - cols) : 0;
	snprintf(idle, sizeof(idle), "%" PRIu64 "s", w->idle_s);
	snprintf(buf, cap, "%s%*s %-*s %6s %7zu %7" PRIu64 "\n", name, pad, "",
	    CONSOLE_ADDR_COLS, addr, idle, w->unacked, w->chats);
}

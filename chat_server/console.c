/*
 * console: parsing the operator's lines and formatting what the server
 * prints back (console.h). Commands are recognised on the raw line, not
 * on a sanitised copy: a name is compared byte for byte with the
 * session names, and sanitising could change one (a bidi mark is a
 * valid name character but is replaced for display). Whatever is
 * printed or announced is cleaned.
 */
#include <inttypes.h>
#include <stdio.h>
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
		if (n > PROTO_NAME_MAX_BYTES)
			n = utf8_prefix(line + skip, n, PROTO_NAME_MAX_BYTES);
		memcpy(c->name, line + skip, n);
		c->name[n] = '\0';
		skip += n;
		console_clean(line + skip, len - skip, c->text, sizeof(c->text));
	} else
		console_error(c, line, n);
}

const char *
console_help(void)
{
	return
	    "commands (anything else you type is announced to everyone):\n"
	    "  /who                 the sessions: name, address, idle seconds, "
	    "unacked messages, chats sent\n"
	    "  /kick NAME [reason]  remove NAME from the room (the reason is "
	    "logged, not sent)\n"
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
	char	 name[PROTO_NAME_MAX_BYTES * 3 + 1], addr[256], idle[24];
	size_t	 cols;
	int	 pad;

	console_safe(w->name, name, sizeof(name));
	console_safe(w->addr, addr, sizeof(addr));
	/* Padded by columns, not bytes: a CJK name is as wide as it looks. */
	cols = utf8_width(name, strlen(name));
	pad = cols < CONSOLE_NAME_COLS ? (int)(CONSOLE_NAME_COLS - cols) : 0;
	snprintf(idle, sizeof(idle), "%" PRIu64 "s", w->idle_s);
	snprintf(buf, cap, "%s%*s %-*s %6s %7zu %7" PRIu64 "\n", name, pad, "",
	    CONSOLE_ADDR_COLS, addr, idle, w->unacked, w->chats);
}

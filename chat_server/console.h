/*
 * console: the operator's language, one line at a time (docs/chat_server.1,
 * "OPERATOR CONSOLE"). The same lines come from the server's stdin, the
 * terminal console (term.h) and the control socket (announce.h):
 *
 *   /command words...   a command of cmd.h's table (/help lists them)
 *   //text              announces "/text"
 *   anything else       announced as it is (after cleaning)
 *
 * Pure: console_parse splits a raw line, console_word takes its words,
 * and the formatters make the lines the server prints. Every string from
 * a peer or from the line is made safe for a terminal here, so the
 * server prints the results as they are. Tested in
 * tests/unit/test_console.c.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* Bytes of one line kept before the rest of it is skipped. */
#define CONSOLE_LINE_MAX	4096
/* Room for a cleaned line: sanitising may triple a byte (U+FFFD). */
#define CONSOLE_TEXT_MAX	(CONSOLE_LINE_MAX * 3 + 1)
/* Room for a name as /who shows it (console_show_name), NUL included. */
#define CONSOLE_SHOWN_MAX	(PROTO_NAME_MAX_BYTES * 10 + 1)
/* Room for an error line (it repeats at most 32 bytes of the input). */
#define CONSOLE_ERROR_MAX	200

enum console_kind {
	CONSOLE_NOTHING,	/* empty after cleaning: no announcement */
	CONSOLE_ANNOUNCE,	/* text: the cleaned announcement */
	CONSOLE_COMMAND,	/* word and rest: a /command (cmd.h runs it) */
};

struct console_line {
	enum console_kind	 kind;
	const char		*word;		/* after the '/', raw, in line */
	size_t			 word_len;
	const char		*rest;		/* after the word, raw, in line */
	size_t			 rest_len;
	char			 text[CONSOLE_TEXT_MAX];
};

/*
 * Parses one line of len bytes (no newline; a CR before it is ignored).
 * Leading blanks do not count: "  /who" is a command, not an
 * announcement; "//text" announces "/text". word and rest point into
 * line, which must outlive l.
 */
void	 console_parse(const char *line, size_t len, struct console_line *l);

/*
 * Takes the next blank-separated word off *s (*len bytes left), raw,
 * into out (cap bytes; a longer word is cut at a character boundary).
 * Returns its length as typed, 0 if only blanks were left.
 */
size_t	 console_word(const char **s, size_t *len, char *out, size_t cap);

/*
 * Cleans an announcement the way a client cleans what its user types:
 * tabs become spaces, the rest goes through utf8_sanitize, surrounding
 * white space is trimmed, and the text is cut to PROTO_TEXT_MAX bytes at
 * a character boundary. Writes out (cap bytes, NUL-terminated) and
 * returns its length; 0 means nothing to say.
 */
size_t	 console_clean(const char *line, size_t len, char *out, size_t cap);

/* s made safe for a terminal (utf8_sanitize) into out, cap bytes. */
void	 console_safe(const char *s, char *out, size_t cap);

/* Columns of the /who table, for console_who_row. */
struct console_who {
	const char	*name;
	const char	*addr;		/* as net_format writes it */
	uint64_t	 idle_s;	/* seconds since its last chat (or join) */
	uint64_t	 online_s;	/* seconds since it logged in */
	uint64_t	 chats;		/* chats it sent that were forwarded */
	const char	*note;		/* "muted 5m", "" for none */
};

/* A duration for people: "42s", "5m", "2h05m", "3d04h". */
void	 console_duration(uint64_t s, char *out, size_t cap);

/*
 * A session name as the operator sees it: characters that show nothing
 * (zero-width spaces and joiners, bidi marks and controls, variation
 * selectors, Hangul fillers, tags: Unicode's default-ignorables) are
 * written <U+XXXX>, so "alice" and "alice" + U+200B differ on screen;
 * the rest is made safe as console_safe does. cap should be at least
 * CONSOLE_SHOWN_MAX.
 */
void	 console_show_name(const char *name, char *out, size_t cap);

/*
 * The name a /kick argument means when no session has it byte for byte:
 * its <U+XXXX> forms (as /who writes them) turned back into characters.
 * Returns false if there were none or the result cannot be a name.
 */
bool	 console_unshow_name(const char *typed, char *out, size_t cap);

/* The header line of the /who table, with its newline. */
const char *console_who_header(void);
/* One row of the table into buf (cap bytes), newline included. */
void	 console_who_row(const struct console_who *w, char *buf, size_t cap);

#endif /* CONSOLE_H */

/*
 * console: the operator's language, one line at a time (docs/chat_server.1,
 * "OPERATOR CONSOLE"). The same lines come from the server's stdin and
 * from the control socket (announce.h):
 *
 *   /help               the commands
 *   /who                a table of the sessions
 *   /kick NAME [words]  remove NAME from the room (docs/protocol.md, "Kick")
 *   //text              announces "/text"
 *   anything else       announced as it is (after cleaning)
 *
 * Pure: console_parse turns a raw line into a struct console_cmd, and
 * the formatters make the lines the server prints. Every string from a
 * peer or from the line is made safe for a terminal here, so the server
 * prints the results as they are. Tested in tests/unit/test_console.c.
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
	CONSOLE_HELP,
	CONSOLE_WHO,
	CONSOLE_KICK,		/* name; text: the reason words, maybe "" */
	CONSOLE_ERROR,		/* error: one line saying what is wrong */
};

struct console_cmd {
	enum console_kind	 kind;
	/*
	 * /kick: the word as typed (raw bytes): a name, compared byte for
	 * byte with session names; a name as /who shows it (<U+XXXX>); or
	 * @ADDRESS. name_ok is false if it is too long to be a name as it
	 * stands.
	 */
	char			 name[CONSOLE_SHOWN_MAX];
	bool			 name_ok;
	char			 text[CONSOLE_TEXT_MAX];
	char			 error[CONSOLE_ERROR_MAX];
};

/*
 * Parses one line of len bytes (no newline; a CR before it is ignored).
 * Leading blanks do not count: "  /who" is a command, not an announcement.
 */
void	 console_parse(const char *line, size_t len, struct console_cmd *c);

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

/* The /help text: lines, each ending in a newline. */
const char *console_help(void);

/* Columns of the /who table, for console_who_row. */
struct console_who {
	const char	*name;
	const char	*addr;		/* as net_format writes it */
	uint64_t	 idle_s;	/* seconds since the last datagram */
	size_t		 unacked;	/* reliable messages awaiting an ack */
	uint64_t	 chats;		/* chats it sent that were forwarded */
};

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

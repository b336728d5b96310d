/*
 * command: turns one line the user typed into what to send, or into an
 * error a user can act on. Pure: no socket, no terminal, no state.
 *
 * Plain text is a chat line; "//text" is a chat line starting with "/".
 * Commands: the rows of command_table[] in command.c (/me, /msg, /who,
 * /nick, /clear, /help, /quit, /filter, /ignore, /unignore, /search,
 * /query, /r, /away, /back, /names, /topic, /mouse), which also give
 * /help and Tab its list.
 * Text is cleaned the way docs/protocol.md asks of a client: trimmed,
 * tabs turned into spaces, other control characters removed (invalid
 * UTF-8 becomes U+FFFD), then refused if over PROTO_TEXT_MAX bytes.
 */
#ifndef COMMAND_H
#define COMMAND_H

#include <stddef.h>

#include "proto.h"

enum command_kind {
	COMMAND_NONE,		/* nothing to do (empty line) */
	COMMAND_CHAT,		/* text */
	COMMAND_MSG,		/* to, text */
	COMMAND_WHO,
	COMMAND_NICK,		/* to: the new name */
	COMMAND_ACTION,		/* text: a /me line */
	COMMAND_QUIT,		/* text: the words to leave with, or "" */
	COMMAND_HELP,
	COMMAND_CLEAR,
	COMMAND_QUERY,		/* to: the new target, or "" for the room */
	COMMAND_REPLY,		/* text: to the last private writer */
	COMMAND_AWAY,		/* text: why, or "" */
	COMMAND_BACK,
	COMMAND_NAMES,
	COMMAND_TOPIC,
	COMMAND_MOUSE,
	COMMAND_ERROR,		/* error: words for the user, nothing is sent */
	COMMAND_FILTER,		/* text: "joins" (toggle) or "" (say the state) */
	COMMAND_IGNORE,		/* to: the name, or "" (list them) */
	COMMAND_UNIGNORE,	/* to: the name */
	COMMAND_SEARCH,		/* text: what to find, or "" (the last again) */
};

#define COMMAND_ERROR_MAX	160

struct command {
	enum command_kind kind;
	char		 to[PROTO_NAME_MAX_BYTES + 1];
	char		 text[PROTO_TEXT_MAX + 1];
	char		 error[COMMAND_ERROR_MAX];
};

struct command_entry;
typedef void command_parse_fn(struct command *, const char *,
    const struct command_entry *);

/*
 * One row of the command table (command.c): the name with its '/', an
 * alias or NULL, the arguments as /help shows them, the help line, the
 * kind it parses to, the parser of the rest of the line (NULL: it takes
 * no arguments, the kind alone), and whether Tab offers the name.
 */
struct command_entry {
	const char		*name;
	const char		*alias;
	const char		*usage;
	const char		*help;
	enum command_kind	 kind;
	command_parse_fn	*parse;
	int			 complete;
};

/* At most this many names (and aliases) in the table. */
#define COMMAND_NAMES_MAX	32
/* Room for the whole /help text. */
#define COMMAND_HELP_MAX	4096

/* Parses line (NUL-terminated, any bytes) into *c. */
void		 command_parse(const char *line, struct command *c);

/*
 * Cleans len bytes of s into out (cap bytes, NUL-terminated, cut at a
 * character boundary if short): trimmed, tab -> space, other control
 * characters removed, invalid bytes -> U+FFFD. Returns the length the
 * whole cleaned text needs (so a caller can tell it was too long).
 */
size_t		 command_clean(const char *s, size_t len, char *out, size_t cap);

/*
 * The /help text into out (cap bytes): one line per row of the table,
 * then the keys, '\n' between lines.
 */
void		 command_help(char *out, size_t cap);

/*
 * The names (and aliases) Tab completes, "/me" and so on, into out (up
 * to cap of them, pointing into the table). Returns how many there are.
 */
size_t		 command_names(const char **out, size_t cap);

#endif /* COMMAND_H */

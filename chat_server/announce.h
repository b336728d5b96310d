/*
 * announce: the operator's console. Turns the lines typed on the
 * server's stdin into announcement texts (sanitised, tabs as spaces,
 * trimmed, at most PROTO_TEXT_MAX bytes); server.c sends each one to
 * every session. Knows no socket, so it is testable on a pipe.
 */
#ifndef ANNOUNCE_H
#define ANNOUNCE_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of one line kept before the rest of it is skipped. */
#define ANNOUNCE_LINE_MAX	4096

struct announce {
	char	 buf[ANNOUNCE_LINE_MAX];
	size_t	 len;
	bool	 skipping;	/* inside the cut-off tail of an overlong line */
};

/* Called for each line that is not empty after cleaning (NUL-terminated). */
typedef void (*announce_cb)(void *arg, const char *text);

void	 announce_init(struct announce *a);

/*
 * Reads what fd has (one read(2), so it never blocks after poll said
 * readable) and calls cb for every complete line. Returns 0, or -1 at
 * end of file or on a read error, after announcing a last unterminated
 * line: the caller stops watching fd.
 */
int	 announce_read(struct announce *a, int fd, announce_cb cb, void *arg);

/*
 * Cleans one line of len bytes into out (cap bytes, NUL-terminated):
 * tabs become spaces, the rest goes through utf8_sanitize, surrounding
 * white space is trimmed, and the text is cut to PROTO_TEXT_MAX bytes at
 * a character boundary. Returns its length; 0 means nothing to say.
 */
size_t	 announce_clean(const char *line, size_t len, char *out, size_t cap);

#endif /* ANNOUNCE_H */

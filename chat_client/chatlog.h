/*
 * chatlog: the client's own record of a room, as WeeChat's logger
 * keeps one: $XDG_DATA_HOME/lanchat/logs/SERVER_ROOM.log (else
 * ~/.local/share/lanchat/logs/), one line per event in plain mode's
 * words with the date before them, appended, the file made 0600 and its
 * folders 0700 (what was said in a room is nobody else's business).
 * Lines reach it already sanitised. Never prints or exits.
 */
#ifndef CHATLOG_H
#define CHATLOG_H

#include <stddef.h>
#include <time.h>

#define CHATLOG_PATH_MAX	4096

struct chatlog {
	int		 fd;		/* -1: not logging */
	char		 path[CHATLOG_PATH_MAX];
};

/*
 * The file's name for server ("127.0.0.1:8888", "[::1]:8888") and room:
 * "SERVER_ROOM.log", with every byte that is not a letter, a digit, one
 * of ". - : @" or part of a UTF-8 character made '_' (no '/', no dot
 * file). Pure.
 */
void		 chatlog_name(const char *server, const char *room, char *buf,
		    size_t cap);

/*
 * The whole path in buf: $XDG_DATA_HOME (if absolute) or
 * $HOME/.local/share, then /lanchat/logs/ and chatlog_name. Returns buf,
 * or NULL when neither variable is set or it does not fit.
 */
const char	*chatlog_path(const char *server, const char *room, char *buf,
		    size_t cap);

/*
 * Opens path for appending, making its folders (0700) and the file
 * (0600) if needed. Returns 0, or -1 with err filled; l->fd is -1 then.
 */
int		 chatlog_open(struct chatlog *l, const char *path, char *err,
		    size_t errlen);

/* "YYYY-MM-DD line\n" in one write(2); when is the event's time. */
void		 chatlog_write(struct chatlog *l, time_t when, const char *line);

void		 chatlog_close(struct chatlog *l);

#endif /* CHATLOG_H */

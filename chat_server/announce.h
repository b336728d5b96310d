/*
 * announce: the operator's two ways in (protocol.md, "Announcements"),
 * both only for the operator:
 *  - lines typed on the server's stdin;
 *  - a local control socket (UNIX domain, SOCK_SEQPACKET, both ends
 *    checked with SO_PEERCRED to be the server's own user), used by
 *    `chat_server --who`, `--announce TEXT`, `--kick NAME`, `--cmd LINE`...
 * Either way a line is handed raw to a callback, which reads it as the
 * operator's console language (console.h, cmd.h): an announcement or a
 * /command. A control message is one such line, and its caller gets
 * the callback's verdict and output back ("ok\n" and what the command
 * printed, or "error: ..."). Never prints: failures fill an err buffer.
 *
 * Where the control socket lives (announce_control_dir): a directory
 * only the server's user can write, so nobody else can take its name
 * first: $XDG_RUNTIME_DIR, else /run/user/UID, else
 * ${TMPDIR:-/tmp}/chat_server-UID, made mode 0700. Each must be a real
 * directory (not a link) of this user that no one else can write; one
 * that is not is passed over, and the last is refused in words saying
 * what to do. The socket in it is chat_server-PORT.sock.
 */
#ifndef ANNOUNCE_H
#define ANNOUNCE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "console.h"

/* Bytes of one line kept before the rest of it is skipped. */
#define ANNOUNCE_LINE_MAX	CONSOLE_LINE_MAX
/* The longest answer to a control message, its NUL included. */
#define ANNOUNCE_REPLY_MAX	CMD_OUT_MAX

struct announce {
	char	 buf[ANNOUNCE_LINE_MAX];
	size_t	 len;
	bool	 skipping;	/* inside the cut-off tail of an overlong line */
};

/*
 * Called for each line: len raw bytes, no newline. remote: it came over
 * the control socket (whose caller cannot see the server's terminal).
 * Returns 0, or -1; either way reply (cap bytes) gets what to tell the
 * control socket's caller.
 */
typedef int (*announce_cb)(void *arg, const char *line, size_t len,
    bool remote, char *reply, size_t cap);

void	 announce_init(struct announce *a);

/*
 * Reads what fd has (one read(2), so it never blocks after poll said
 * readable) and calls cb for every complete line. Returns 0, or -1 at
 * end of file or on a read error, after announcing a last unterminated
 * line: the caller stops watching fd.
 */
int	 announce_read(struct announce *a, int fd, announce_cb cb, void *arg);

/*
 * Control connections served at once; more wait in the listen queue. A
 * connection that has sent nothing for ANNOUNCE_STALE_MS gives its place
 * up to a new one (a caller sends its line at once and waits 5 s).
 */
#define ANNOUNCE_CONNS		4
#define ANNOUNCE_STALE_MS	5000

struct announce_control {
	int		 fd;			/* listening, -1 if none */
	int		 conns[ANNOUNCE_CONNS];	/* accepted, -1 if free */
	uint64_t	 since[ANNOUNCE_CONNS];	/* accepted at, clock_ms */
	char		 path[108];		/* sizeof(sun_path) */
	int		 remover;		/* announce_control_remover */
};

/*
 * The directory of this user's control sockets into buf (len bytes);
 * create: make the last resort (mode 0700) if it is missing. Returns 0,
 * or -1 with err saying what is wrong there and what to do.
 */
int	 announce_control_dir(bool create, char *buf, size_t len, char *err,
	    size_t errlen);

/*
 * The default control socket of the server on port, in
 * announce_control_dir. Returns 0, or -1 with err filled.
 */
int	 announce_control_path(int port, bool create, char *buf, size_t len,
	    char *err, size_t errlen);

/*
 * The control socket of a running server of this user, for a caller
 * without --control: port's if that server runs; if port was not given
 * (given false) and none runs there, the only one that does. Returns 0,
 * or -1 with err saying what to do.
 */
int	 announce_control_find(int port, bool given, char *buf, size_t len,
	    char *err, size_t errlen);

/* No listener, no connections: safe to close. */
void	 announce_control_init(struct announce_control *c);

/*
 * Listens on path: "@name" for an abstract name, else a file (a stale
 * socket file left by a dead server is replaced; a live one is not).
 * Returns 0, or -1 with err filled and c->fd -1.
 */
int	 announce_control_open(struct announce_control *c, const char *path,
	    char *err, size_t errlen);
/*
 * Before root becomes another user (sandbox.h), who may not remove the
 * socket file from root's directory: a child that stays root and does
 * nothing but wait for the server's end, however it comes, then removes
 * the socket if it is still the one the server made. Returns 0 (also
 * with no socket file to remove), or -1 with err filled; the server
 * then runs on, and leaves the file behind as before.
 */
int	 announce_control_remover(struct announce_control *c, char *err,
	    size_t errlen);
/*
 * Closes every connection and the listener, and removes a socket file
 * (or lets the remover do it).
 */
void	 announce_control_close(struct announce_control *c);

/* Fills pfd (at most 1 + ANNOUNCE_CONNS) for poll; returns how many. */
int	 announce_control_pollfds(const struct announce_control *c,
	    struct pollfd *pfd);
/* Handles the revents of what announce_control_pollfds filled. */
void	 announce_control_handle(struct announce_control *c,
	    const struct pollfd *pfd, int n, announce_cb cb, void *arg);

/*
 * The client side: sends one console line to the server listening on
 * path (which must run as this user) and waits (5 s at most) for its
 * answer. Returns 0 with what the command printed in out (cap bytes),
 * or -1 with err filled (the server's own words when it refused the
 * line).
 */
int	 announce_send(const char *path, const char *line, char *out,
	    size_t cap, char *err, size_t errlen);

#endif /* ANNOUNCE_H */

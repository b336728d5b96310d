/*
 * client: what the client's two processes share.
 *
 *  - struct client_shared, one mmap(MAP_SHARED | MAP_ANONYMOUS) block
 *    made by main() before fork(): the session (token, name, next
 *    request id, connection state), the user list for the status bar and
 *    tab completion, the input cursor for the TUI, and the one lock.
 *  - client_lock()/client_unlock(): a process-shared, robust mutex. It is
 *    the terminal lock (every terminal write holds it, so output never
 *    interleaves and ui.c puts the cursor back before releasing it) and
 *    it also guards every field of the block. If a process dies holding
 *    it, the next locker makes it consistent again and goes on.
 *    Never call a front_ops member while holding it: each front end
 *    member takes the lock itself.
 *  - struct client_note, the record the keyboard process writes to the
 *    network process through a pipe: every request it sent (so the
 *    network process can show it as pending and retransmit it) and every
 *    local line (command errors, /help), so only the network process
 *    writes the message window. One record is smaller than PIPE_BUF, so
 *    each write(2) is atomic and a reader never sees half a record.
 *
 * Who calls what (see front.h for the members):
 *   keyboard process (parent, kbd.c): main() calls front->init(shared)
 *     once before fork, so a terminal is set up once and the child
 *     inherits it; then front->read_line() in a loop, front->resize()
 *     after SIGWINCH, front->end() last, after the network process is
 *     reaped.
 *   network process (child, netproc.c): front->init(shared) once after
 *     fork, to take its half of the inherited front end; then
 *     show/mark/status/clear/resize, front->end() before exit.
 *   A front end tells the two apart by getpid(): kbd_pid is set before
 *   the first init, net_pid before the second (and is 0 until fork).
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "front.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "trace.h"

/* Names kept for the status bar and tab completion. */
#define CLIENT_MAX_USERS	PROTO_MAX_USERS
/* The topic kept for the status bar (sanitised, cut). */
#define CLIENT_TOPIC_MAX	256

struct client_shared {
	pthread_mutex_t	 lock;		/* terminal and everything below */

	pid_t		 kbd_pid;	/* the keyboard process (parent) */
	pid_t		 net_pid;	/* the network process (child) */

	/* The session. */
	char		 token[PROTO_TOKEN_LEN + 1];
	char		 name[PROTO_NAME_MAX_BYTES + 1];
	char		 room[PROTO_ROOM_MAX_BYTES + 1];
	char		 server[NET_ADDRSTRLEN];	/* "127.0.0.1:8888" */
	int		 heartbeat;	/* seconds, from welcome */
	uint64_t	 next_id;	/* next request id, from welcome's next_id */
	/*
	 * Counts the welcomes that renumbered the requests (Resume): a note
	 * numbered under an older one is renumbered when it is read.
	 */
	uint32_t	 id_gen;
	uint64_t	 last_send_ms;	/* clock_ms() of the last datagram sent */
	enum front_conn	 conn;
	/* What the status bar says of conn, if more than its word; or "". */
	char		 conn_text[96];

	/* Who is online (sanitised names), for the status bar. */
	int		 nusers;
	int		 more_users;	/* online but not listed by the server */
	char		 users[CLIENT_MAX_USERS][PROTO_NAME_MAX_BYTES + 1];

	/* The TUI's input line cursor, where the screen is left after a draw. */
	int		 cursor_row;
	int		 cursor_col;

	/*
	 * Lines hidden by /filter and /ignore, for the status bar (the
	 * network process counts them), and colour = off of the config.
	 */
	unsigned long	 hidden;
	int		 colour_off;

	/* Set once a quit is under way (either process). */
	int		 quitting;
	/*
	 * Why the network process ended on its own (kicked, a re-login
	 * refused), or "": the keyboard process says it again once the
	 * terminal is restored, since the message window is gone by then.
	 */
	char		 end_text[256];

	/*
	 * The user's own states (netproc_user.c, kbd.c): the topic for the
	 * status bar, the /query target (set by the keyboard process, which
	 * sends to it; "" for the room), the last one who wrote to us
	 * privately (for /r; as the server spelled it), and /away.
	 */
	char		 topic[CLIENT_TOPIC_MAX + 1];
	char		 query[PROTO_NAME_MAX_BYTES + 1];
	char		 last_private[PROTO_NAME_MAX_BYTES + 1];
	int		 away;
};

/* What a note is about. */
enum client_note_kind {
	CLIENT_NOTE_CHAT,	/* sent chat: id, text, action */
	CLIENT_NOTE_MSG,	/* sent msg: id, to, text */
	CLIENT_NOTE_RENAME,	/* sent rename: id, to (the new name) */
	CLIENT_NOTE_WHO,	/* sent who */
	CLIENT_NOTE_ERROR,	/* local error line: text */
	CLIENT_NOTE_INFO,	/* local info line (help): text */
	CLIENT_NOTE_CLEAR,	/* /clear */
	CLIENT_NOTE_QUIT,	/* the user quits: send quit (text), wait for bye */
	CLIENT_NOTE_FILTER,	/* /filter: text "joins" or "" */
	CLIENT_NOTE_IGNORE,	/* /ignore: to, or "" to list */
	CLIENT_NOTE_UNIGNORE,	/* /unignore: to */
	CLIENT_NOTE_SEARCH,	/* /search: text, or "" for the last again */
	CLIENT_NOTE_QUERY,	/* /query: to is the target now, "" the room */
	CLIENT_NOTE_AWAY,	/* /away: text, or "" */
	CLIENT_NOTE_BACK,	/* /back */
	CLIENT_NOTE_NAMES,	/* /names */
	CLIENT_NOTE_TOPIC,	/* /topic */
};

/* One pipe record, keyboard to network process; fixed size, < PIPE_BUF. */
struct client_note {
	int		 kind;		/* enum client_note_kind */
	int		 action;	/* chat: a /me line */
	uint64_t	 id;
	uint32_t	 id_gen;	/* the shared id_gen id was taken under */
	uint64_t	 line;		/* network process: its line's front id */
	uint64_t	 sent_ms;	/* clock_ms() of the first send */
	int64_t		 when;		/* wall clock seconds of the first send */
	char		 to[PROTO_NAME_MAX_BYTES + 1];
	char		 text[PROTO_TEXT_MAX + 1];
};

/* A mapped, initialised block (lock ready, next_id 1), or NULL. */
struct client_shared *client_shared_new(void);
void		 client_shared_free(struct client_shared *sh);

/* Takes / releases the shared lock; recovers it if its owner died. */
void		 client_lock(struct client_shared *sh);
void		 client_unlock(struct client_shared *sh);

/* Under the lock: a new request id. */
uint64_t	 client_next_id(struct client_shared *sh);

/*
 * Under one hold of the lock: a new request id for n (id, id_gen), the
 * token to send it with, and whether to send it now (connected). One
 * hold, so that a welcome that renumbers requests cannot come between
 * the id and the token it is sent with.
 */
bool		 client_request_begin(struct client_shared *sh,
		    struct client_note *n, char *token);

/* Under the lock: copies the token (PROTO_TOKEN_LEN + 1 bytes). */
void		 client_get_token(struct client_shared *sh, char *token);

/* Under the lock: copies our name (PROTO_NAME_MAX_BYTES + 1 bytes). */
void		 client_get_name(struct client_shared *sh, char *name);

/* Under the lock: notes that a datagram was just sent (heartbeat). */
void		 client_touch(struct client_shared *sh);

/*
 * Under the lock: the connection state. client_set_conn also clears
 * conn_text; client_set_conn_text sets both (text NULL for none).
 * Each returns true if anything changed (the status bar needs a redraw).
 */
enum front_conn	 client_get_conn(struct client_shared *sh);
bool		 client_set_conn(struct client_shared *sh, enum front_conn c);
bool		 client_set_conn_text(struct client_shared *sh, enum front_conn c,
		    const char *text);

/*
 * Is the server still there? Pure (the caller passes now). The network
 * process says when it heard the server and whether it is waiting for
 * an answer (a request, a /who or a ping not answered yet); the server
 * counts as silent once an answer has been owed for CLIENT_NO_ANSWER_MS
 * with nothing at all heard from it meanwhile.
 */
#define CLIENT_NO_ANSWER_MS	4000	/* 3.75 s: 5 sends at first, + 250 ms */

struct client_alive {
	uint64_t	 heard_ms;	/* the last datagram from the server */
	uint64_t	 wait_ms;	/* an answer owed since, or 0 */
};

void		 client_alive_init(struct client_alive *a, uint64_t now);
void		 client_alive_heard(struct client_alive *a, uint64_t now);
void		 client_alive_waiting(struct client_alive *a, bool waiting,
		    uint64_t now);
bool		 client_alive_silent(const struct client_alive *a, uint64_t now);
/* When it turns silent if nothing is heard; false if nothing is owed. */
bool		 client_alive_deadline(const struct client_alive *a,
		    uint64_t *when);

/*
 * The user list (names are sanitised here): replace it (welcome, users),
 * add one (join), remove one (leave), rename one. Each takes the lock.
 */
void		 client_users_set(struct client_shared *sh, const char *const *names,
		    int n, int more);
void		 client_users_add(struct client_shared *sh, const char *name);
void		 client_users_remove(struct client_shared *sh, const char *name);
void		 client_users_rename(struct client_shared *sh, const char *from,
		    const char *to);

/*
 * Does text mention name? As a word, not inside one: an ASCII letter,
 * digit or '_' right before or after it makes it part of another word
 * ("al" is not in "also", "bob" is in "bob's" and "@bob:"). Any other
 * neighbour counts as a boundary, so a Chinese name is found inside
 * Chinese text, which has no spaces. ASCII letters match either case
 * ("alice: hi" calls Alice), as in IRC clients.
 */
bool		 client_mentions(const char *text, const char *name);

/*
 * Encodes the request a note stands for (chat, msg, rename) with token.
 * Returns the datagram's length or -1 if it does not fit.
 */
int		 client_encode(const struct client_note *n, const char *token,
		    char *buf, size_t cap);

/* Encodes a token-only request (who, ping, quit). Length or -1. */
int		 client_encode_simple(enum proto_type type, const char *token,
		    char *buf, size_t cap);

/*
 * Sends len bytes of buf to srv on fd and records the send time for the
 * heartbeat. A full socket buffer counts as a loss (UDP). 0 or -1.
 */
int		 client_send(struct client_shared *sh, int fd,
		    const struct net_addr *srv, const char *buf, size_t len);

/*
 * Like client_send, for a retransmission of e: the trace says which
 * send it is.
 */
int		 client_resend(struct client_shared *sh, int fd,
		    const struct net_addr *srv, const struct reliable_entry *e);

/*
 * --trace FILE: from now on every datagram sent or received that f
 * takes is a line of FILE (trace.h), written with one write(2) in
 * append mode so the two processes' lines never mix. The file is
 * emptied first. 0, or -1 with errno.
 */
int		 client_trace_open(const char *path, const struct trace_filter *f);
/* A datagram in or out, to or from peer: a trace line, if tracing. */
void		 client_trace(enum trace_dir dir, const struct net_addr *peer,
		    const char *buf, size_t len);
/*
 * A datagram out to peer that is send number send (2, 3, ...; 1 for a
 * first) of one first sent since_ms ago: its trace line says so.
 */
void		 client_trace_resent(const struct net_addr *peer,
		    const char *buf, size_t len, int send, uint64_t since_ms);

/*
 * The signals of either process: cb for SIGINT, SIGTERM, SIGHUP and
 * SIGWINCH, chld for SIGCHLD (SIG_DFL in the network process, which has
 * no children), SIGPIPE ignored. No SA_RESTART: a signal cuts a wait
 * short, so the loop sees its flag at once.
 */
void		 client_signals(void (*cb)(int), void (*chld)(int));

#endif /* CLIENT_H */

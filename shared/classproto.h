/*
 * classproto: the classroom text protocol (docs/protocol.md, "Classroom
 * text protocol"), the plain-text UDP chat room that Chinese Python
 * courses have students write: "L NAME", "C NAME TEXT", "Q NAME" from a
 * client; "OK", "该用户已存在", "EXIT" and one line per event back. The
 * only code that knows its words: the server's --classroom mode splits
 * requests and writes event lines with it, the client's --classroom mode
 * reads the lines a student's server sends, with the variants found in
 * course copies.
 *
 * Pure: no socket, no terminal, no allocation. Strings are UTF-8 and
 * not checked here; callers apply the name and text rules (proto.h).
 */
#ifndef CLASSPROTO_H
#define CLASSPROTO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A classroom datagram stays under 1024 bytes: the course's programs
 * read with recvfrom(1024), which cuts a longer one silently.
 */
#define CLASSPROTO_DGRAM_MAX	1023

/* The replies, exactly. */
#define CLASSPROTO_OK		"OK"
#define CLASSPROTO_TAKEN	"该用户已存在"
#define CLASSPROTO_EXIT		"EXIT"
/* The names a classroom client reads as the operator: refused to all. */
#define CLASSPROTO_ADMIN	"管理员"
#define CLASSPROTO_ADMIN_MSG	"管理员消息"

/* A client's request, split; the slices point into the datagram. */
enum classproto_cmd {
	CLASSPROTO_LOGIN,	/* L NAME */
	CLASSPROTO_CHAT,	/* C NAME TEXT */
	CLASSPROTO_QUIT,	/* Q NAME */
};

struct classproto_req {
	enum classproto_cmd	 cmd;
	const char		*name;
	size_t			 name_len;
	const char		*text;		/* chat; NULL: no space after NAME */
	size_t			 text_len;
};

/*
 * Whether a datagram is a classroom request: its first byte is L, C or
 * Q, followed by a space or the datagram's end. JSON starts with '{'.
 */
bool		 classproto_is_request(const char *buf, size_t len);

/*
 * Splits a classroom request (classproto_is_request must hold) into *r.
 * Line ends at the very end (CR, LF: a student's sendto of input() + "\n")
 * are not part of it. NAME of L and Q is all the rest, spaces included
 * (a name with a space is then refused by the name rules); NAME of C
 * ends at the first space and TEXT is everything after that space.
 */
void		 classproto_parse_request(const char *buf, size_t len,
		    struct classproto_req *r);

/* The lines the server sends, and the kinds the client recognises. */
enum classproto_kind {
	CLASSPROTO_RAW,		/* none of these: shown as it came */
	CLASSPROTO_LINE_OK,	/* OK */
	CLASSPROTO_LINE_TAKEN,	/* 该用户已存在 (or 该用户存在) */
	CLASSPROTO_LINE_EXIT,	/* EXIT (or exit) */
	CLASSPROTO_LINE_CHAT,	/* NAME : TEXT */
	CLASSPROTO_LINE_ACTION,	/* * NAME TEXT (a JSON /me) */
	CLASSPROTO_LINE_PRIVATE, /* NAME (私聊) : TEXT (a JSON /msg) */
	CLASSPROTO_LINE_JOIN,	/* 欢迎NAME进入聊天室 */
	CLASSPROTO_LINE_LEAVE,	/* NAME退出了聊天室 */
	CLASSPROTO_LINE_RENAME,	/* NAME改名为TEXT */
	CLASSPROTO_LINE_ANNOUNCE, /* 管理员消息 : TEXT */
};

/*
 * Writes the line of kind for name and text (either unused by a kind
 * may be NULL) into buf, NUL-terminated. The line is cut at a character
 * boundary to CLASSPROTO_DGRAM_MAX bytes and to cap - 1. Returns its
 * length (0 for CLASSPROTO_RAW).
 */
size_t		 classproto_format(enum classproto_kind kind, const char *name,
		    const char *text, char *buf, size_t cap);

/* One line a server sent, as the client reads it. */
struct classproto_line {
	enum classproto_kind	 kind;
	const char		*name;		/* chat, join, leave: a slice */
	size_t			 name_len;
	const char		*text;		/* chat, announce; raw: the line */
	size_t			 text_len;
};

/*
 * Reads one line (no newline in it) of what a classroom server sends,
 * into *l. Tolerates the variants of course copies: 该用户存在, exit,
 * "name: text", "name 说: text", a full-width colon, spaces around a
 * notice's name and a "!" after it. A sender's name holds no space;
 * otherwise the line is CLASSPROTO_RAW. Only the kinds a student's
 * server sends are recognised (not action, private or rename).
 */
void		 classproto_parse_line(const char *s, size_t len,
		    struct classproto_line *l);

#endif /* CLASSPROTO_H */

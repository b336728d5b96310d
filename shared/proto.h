/*
 * proto: the chat wire protocol, version 1 (docs/protocol.md).
 *
 * The only code that knows the JSON. It decodes a datagram into a plain
 * struct proto_msg, validating every field the contract names (types,
 * lengths, name rules, UTF-8, control characters), and encodes a struct
 * into a datagram. It never prints, never exits, never touches a socket.
 *
 * The same "type" string means different fields in each direction (a
 * client's "ack" carries seq, the server's carries id), so decoding and
 * encoding take the direction.
 *
 * Keep this file and docs/protocol.md in step: every constant and error
 * code here is observable on the wire.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION		1
#define PROTO_PORT		8888
/* One datagram fits an Ethernet MTU without IP fragmentation. */
#define PROTO_MAX_DGRAM		1400
/* Names: 1-16 characters, at most 48 bytes (16 three-byte CJK). */
#define PROTO_NAME_MAX_CHARS	16
#define PROTO_NAME_MAX_BYTES	48
/* Text of one chat line, in bytes, after the client trims it. */
#define PROTO_TEXT_MAX		1000
/* 128 random bits as lowercase hex. */
#define PROTO_TOKEN_LEN		32
/* Room names follow the name rules but may be longer. */
#define PROTO_ROOM_MAX_BYTES	64
/*
 * A password, as --password-file reads it: printable, so a login that
 * carries it (escaped, at most twice its size) always fits a datagram.
 */
#define PROTO_PASSWORD_MAX	256
/* Anything else a string field may hold (error text, motd, password). */
#define PROTO_STR_MAX		PROTO_MAX_DGRAM
/* Error codes are short ASCII words. */
#define PROTO_CODE_MAX		24
/* A 1400-byte datagram holds at most this many names ("a",). */
#define PROTO_MAX_USERS		(PROTO_MAX_DGRAM / 4)
/* JSON integers must stay exact in a double. */
#define PROTO_INT_MAX		((UINT64_C(1) << 53) - 1)

/* Liveness: the default heartbeat, and silence of 3 heartbeats expires. */
#define PROTO_HEARTBEAT_DEFAULT	5
/* A welcome's heartbeat outside 1..a day is refused: 0 would spin a client. */
#define PROTO_HEARTBEAT_MAX	86400
#define PROTO_EXPIRE_BEATS	3
/* Retransmission: first retry after 250 ms, doubling, 5 sends in all. */
#define PROTO_RETRY_FIRST_MS	250
#define PROTO_RETRY_SENDS	5
/* A session with more unacked reliable messages than this is expired. */
#define PROTO_MAX_UNACKED	256

enum proto_dir {
	PROTO_FROM_CLIENT,
	PROTO_FROM_SERVER,
};

enum proto_type {
	PROTO_NONE = 0,
	/* client to server (chat, msg, rename, ack exist both ways) */
	PROTO_LOGIN,
	PROTO_CHAT,
	PROTO_MSG,
	PROTO_RENAME,
	PROTO_WHO,
	PROTO_PING,
	PROTO_ACK,
	PROTO_QUIT,
	PROTO_DISCOVER,
	/* server to client only */
	PROTO_WELCOME,
	PROTO_ERROR,
	PROTO_PONG,
	PROTO_BYE,
	PROTO_USERS,
	PROTO_HERE,
	PROTO_JOIN,
	PROTO_LEAVE,
	PROTO_ANNOUNCE,
	PROTO_TYPE_COUNT
};

/*
 * Decoding results. The first group maps one to one to the contract's
 * error codes (proto_err_code()); PROTO_OK is 0.
 */
enum proto_err {
	PROTO_OK = 0,
	PROTO_ERR_BAD_JSON,	/* "bad_json": not JSON, not an object, no string type */
	PROTO_ERR_TOO_LONG,	/* "too_long": over 1400 bytes, or would not fit */
	PROTO_ERR_BAD_UTF8,	/* "bad_utf8": the datagram is not valid UTF-8 */
	PROTO_ERR_BAD_TYPE,	/* "bad_type": unknown type for this direction */
	PROTO_ERR_BAD_FIELD,	/* "bad_field": a field missing or of the wrong JSON type */
	PROTO_ERR_BAD_NAME,	/* "bad_name": a name breaks the name rules */
	PROTO_ERR_BAD_TEXT,	/* "bad_text": empty, over 1000 bytes, control characters */
	PROTO_ERR_BAD_VERSION,	/* "bad_version": login with v other than 1 */
	PROTO_ERR_COUNT
};

/*
 * Error codes the server decides itself (not decoding errors); the
 * server's "text" beside each is in words a user can act on.
 */
#define PROTO_CODE_NAME_TAKEN	"name_taken"
#define PROTO_CODE_FULL		"full"
#define PROTO_CODE_BAD_PASSWORD	"bad_password"
#define PROTO_CODE_NO_SESSION	"no_session"
#define PROTO_CODE_NO_SUCH_USER	"no_such_user"
#define PROTO_CODE_SLOW_DOWN	"slow_down"

/* Reasons in leave. */
enum proto_reason {
	PROTO_REASON_QUIT,
	PROTO_REASON_TIMEOUT,
	PROTO_REASON_KICKED,
};

/*
 * One decoded (or to-be-encoded) message. Only the fields of its type
 * are meaningful; the table in docs/protocol.md says which. Strings are
 * NUL-terminated, valid UTF-8 and already checked against the rules of
 * their field. Optional fields have a has_ flag.
 *
 *   field      used by
 *   token      every client message after login
 *   id         chat msg rename (client); ack error (server)
 *   seq        ack (client); chat msg join leave rename announce (server)
 *   ts         reliable server messages
 *   version    login discover here ("v")
 *   name       login, rename (client: the new name), welcome, join, leave
 *   password   login (optional)
 *   to         msg (client: recipient); rename (server: new name)
 *   from       chat msg rename (server)
 *   text       chat msg (both); error; announce
 *   code       error
 *   reason     leave
 *   history    chat (server, optional)
 *   users      welcome users ("users" array, "more"); user_count for here
 *   heartbeat, room, motd   welcome; room, port in here
 */
struct proto_msg {
	enum proto_type	type;
	char		token[PROTO_TOKEN_LEN + 1];
	uint64_t	id;
	bool		has_id;
	uint64_t	seq;
	uint64_t	ts;
	int		version;
	char		name[PROTO_NAME_MAX_BYTES + 1];
	char		password[PROTO_STR_MAX + 1];
	bool		has_password;
	char		to[PROTO_NAME_MAX_BYTES + 1];
	char		from[PROTO_NAME_MAX_BYTES + 1];
	char		text[PROTO_STR_MAX + 1];
	char		code[PROTO_CODE_MAX + 1];
	enum proto_reason reason;
	bool		history;
	int		heartbeat;
	char		room[PROTO_ROOM_MAX_BYTES + 1];
	char		motd[PROTO_STR_MAX + 1];
	bool		has_motd;
	int		port;
	/* welcome / users: names, each a NUL-terminated string in users_buf */
	int		nusers;
	const char	*users[PROTO_MAX_USERS];
	char		users_buf[PROTO_MAX_DGRAM + 1];
	/*
	 * welcome / users: names online but not listed ("more" on the wire).
	 * A sender sets it for names it could not add; proto_encode adds
	 * the names that did not fit in the datagram.
	 */
	int		more;
	/* here: the number of users online */
	int		user_count;
};

/*
 * Decodes one datagram of len bytes sent in direction dir into *m.
 * Checks, in this order: length, UTF-8, JSON shape, type, fields. On an
 * error *m is unspecified except m->type (the type if it was read, else
 * PROTO_NONE) and m->id/m->has_id (the request id if one was read, so an
 * error reply can carry it).
 */
enum proto_err	 proto_decode(const char *buf, size_t len, enum proto_dir dir,
		    struct proto_msg *m);

/*
 * Encodes *m as a datagram for direction dir into buf (cap bytes).
 * Returns the length, or -1 if it does not fit in cap or in
 * PROTO_MAX_DGRAM (the caller answers too_long). Does not check field
 * contents; strings are escaped as JSON requires. The result is not
 * NUL-terminated unless there is room, then it is.
 * For welcome and users, at most as many names as fit are written and
 * the rest are counted in an extra "more" field (see docs/protocol.md).
 */
int		 proto_encode(const struct proto_msg *m, enum proto_dir dir,
		    char *buf, size_t cap);

/*
 * True for the server messages that are reliable: chat, msg, join,
 * leave, rename and announce carry "seq", are acked and retransmitted.
 */
bool		 proto_reliable(enum proto_type type);

/*
 * proto_encode of a reliable server message (proto_reliable), which also says where the
 * seq digits are: *seq_len bytes at buf + *seq_off. A fan-out encodes
 * once and writes each recipient's seq there. Returns the length, or -1
 * as proto_encode does, or if the type carries no seq.
 */
int		 proto_encode_seq(const struct proto_msg *m, char *buf,
		    size_t cap, size_t *seq_off, size_t *seq_len);

/*
 * Recognises a client's ack in exactly the bytes proto_encode writes for
 * it, {"type":"ack","token":"<32 hex>","seq":N}, without the JSON
 * parser: acks are half of what a busy server reads. On a match sets
 * m->type, token and seq, clears id and has_id, leaves the other fields
 * as they were, and returns true; proto_decode would have decoded the
 * same. Anything else returns false: decode it with proto_decode.
 */
bool		 proto_decode_ack_fast(const char *buf, size_t len,
		    struct proto_msg *m);

/* Resets *m to an empty message of the given type. */
void		 proto_init(struct proto_msg *m, enum proto_type type);

/* Appends a name to m->users (welcome, users). Returns 0, or -1 if full. */
int		 proto_add_user(struct proto_msg *m, const char *name);

/* The wire string of a type ("chat"), of an error ("bad_json"), of a reason. */
const char	*proto_type_name(enum proto_type type);
const char	*proto_err_code(enum proto_err err);
const char	*proto_reason_name(enum proto_reason reason);

/* Human words for an error, for the error reply's "text". */
const char	*proto_err_text(enum proto_err err);

/* The name rules of the contract: 0 if s (NUL-terminated) is a valid name. */
int		 proto_check_name(const char *s);

/*
 * The text rules: 1-1000 bytes, valid UTF-8, no control characters.
 * Returns PROTO_OK or PROTO_ERR_BAD_TEXT.
 */
enum proto_err	 proto_check_text(const char *s, size_t len);

#endif /* PROTO_H */

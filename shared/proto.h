/*
 * proto: the chat wire protocol, version 2 (docs/protocol.md).
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

#define PROTO_VERSION		2
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
 * A password, as --password-file reads it (printable). It never travels:
 * a login carries its proof.
 */
#define PROTO_PASSWORD_MAX	256
/* Anything else a string field may hold (error text, motd). */
#define PROTO_STR_MAX		PROTO_MAX_DGRAM
/* Error codes are short ASCII words. */
#define PROTO_CODE_MAX		24
/* A 1400-byte datagram holds at most this many names ("a",). */
#define PROTO_MAX_USERS		(PROTO_MAX_DGRAM / 4)
/* JSON integers must stay exact in a double. */
#define PROTO_INT_MAX		((UINT64_C(1) << 53) - 1)
/* What "history": true adds to a chat or announce (its replay form). */
#define PROTO_HISTORY_FLAG	",\"history\":true"

/* Liveness: the default heartbeat, and silence of 3 heartbeats expires. */
#define PROTO_HEARTBEAT_DEFAULT	5
/* A welcome's heartbeat outside 1..a day is refused: 0 would spin a client. */
#define PROTO_HEARTBEAT_MAX	86400
#define PROTO_EXPIRE_BEATS	3
/*
 * Retransmission: first retry after 250 ms, doubling, at most 1 s apart,
 * for as long as the session lives (a reliable_queue's life). Version 1
 * gave up after 5 sends; a queue whose life is not set still does.
 */
#define PROTO_RETRY_FIRST_MS	250
#define PROTO_RETRY_MAX_MS	1000
#define PROTO_RETRY_SENDS	5
/* A session with more unacked reliable messages than this is expired. */
#define PROTO_MAX_UNACKED	256

/*
 * The address check. A cookie is made by the server (a keyed hash of
 * the address and a time window) and only repeated by the client: short
 * printable ASCII, so it costs little room and is safe in any log.
 */
#define PROTO_COOKIE_MAX	64
/* The password proof: HMAC-SHA256 (32 bytes) as lowercase hex. */
#define PROTO_PROOF_LEN		64
/* A client process's id for Resume, and a server run's id: 64 random bits. */
#define PROTO_CID_LEN		16
#define PROTO_RUN_LEN		16
/*
 * No amplification: to an address without a session the server sends at
 * most PROTO_AMPLIFY times the bytes it received. A client pads discover
 * and its first login to PROTO_PAD_MIN bytes so that the answer (a here,
 * a cookie, an error with its words) always fits in that budget.
 */
#define PROTO_AMPLIFY		3
#define PROTO_PAD_MIN		128
/* Sessions from one IP address (--max-per-host), so one host cannot fill the room. */
#define PROTO_MAX_PER_HOST_DEFAULT 16
/* How long the server keeps a name's cid and next id after its session ended. */
#define PROTO_RESUME_KEEP_S	600
/* A cumulative ack lists at most this many seqs received above "upto". */
#define PROTO_ACK_SEQS_MAX	64

/*
 * Capabilities (login and welcome "caps"), as bit flags; unknown
 * strings are ignored, so a newer peer may offer more.
 */
#define PROTO_CAP_BATCH		(1u << 0)	/* "batch" */

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
	PROTO_COOKIE,
	PROTO_TOPIC,
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
	PROTO_ERR_BAD_VERSION,	/* "bad_version": login or discover with v other than 2 */
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
#define PROTO_CODE_MUTED	"muted"
#define PROTO_CODE_BANNED	"banned"

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
 * their field. Optional fields have a has_ flag, but for these: a text
 * is never empty on the wire, so the optional text of error, leave,
 * quit and topic is absent when text is ""; mid, next_id and run are
 * 0 or "" when absent (a server before version 2 sent none).
 *
 *   field      used by
 *   token      every client message after login
 *   id         chat msg rename (client); ack error (server)
 *   seq        ack (client); chat msg join leave rename announce topic
 *              (server)
 *   upto, seqs ack (client, cap batch): every seq up to upto, and these
 *   ts         reliable server messages
 *   mid        chat announce (server): the message number in this run
 *   version    login discover here ("v")
 *   name       login, rename (client: the new name), welcome, join, leave
 *   cookie, proof, cid   login (optional); cookie also in cookie
 *   caps       login, welcome (optional): PROTO_CAP_* bits
 *   pad_to     login discover, encoding only: pad to this many bytes
 *   to         msg (client: recipient); rename (server: new name)
 *   from       chat msg rename (server)
 *   text       chat msg (both); error; announce; leave quit topic
 *              (optional)
 *   action     chat (both, optional): "/me" words
 *   code       error
 *   reason     leave
 *   history    chat announce (server, optional)
 *   users      welcome users ("users" array, "more"); user_count for here
 *   heartbeat, room, motd, run, next_id, topic   welcome; room, port in
 *              here
 */
struct proto_msg {
	enum proto_type	type;
	char		token[PROTO_TOKEN_LEN + 1];
	uint64_t	id;
	bool		has_id;
	uint64_t	seq;
	uint64_t	upto;
	bool		has_upto;
	int		nseqs;
	uint64_t	seqs[PROTO_ACK_SEQS_MAX];
	uint64_t	ts;
	uint64_t	mid;
	int		version;
	char		name[PROTO_NAME_MAX_BYTES + 1];
	char		cookie[PROTO_COOKIE_MAX + 1];
	bool		has_cookie;
	char		proof[PROTO_PROOF_LEN + 1];
	bool		has_proof;
	char		cid[PROTO_CID_LEN + 1];
	bool		has_cid;
	unsigned	caps;
	bool		has_caps;
	size_t		pad_to;
	char		to[PROTO_NAME_MAX_BYTES + 1];
	char		from[PROTO_NAME_MAX_BYTES + 1];
	char		text[PROTO_STR_MAX + 1];
	bool		action;
	char		code[PROTO_CODE_MAX + 1];
	enum proto_reason reason;
	bool		history;
	int		heartbeat;
	char		room[PROTO_ROOM_MAX_BYTES + 1];
	char		motd[PROTO_STR_MAX + 1];
	bool		has_motd;
	char		run[PROTO_RUN_LEN + 1];
	uint64_t	next_id;
	char		topic[PROTO_TEXT_MAX + 1];
	bool		has_topic;
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
 * error reply can carry it). A login's name is checked last: a login
 * refused only for its name (PROTO_ERR_BAD_NAME) has every other field
 * decoded, as the server checks its cookie before its name.
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
 * A login or discover with pad_to set gets a "pad" of spaces that makes
 * it at least pad_to bytes long (PROTO_PAD_MIN: the no-amplification
 * rule).
 */
int		 proto_encode(const struct proto_msg *m, enum proto_dir dir,
		    char *buf, size_t cap);

/*
 * True for the server messages that are reliable: chat, msg, join,
 * leave, rename, announce and topic carry "seq", are acked and
 * retransmitted.
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
 * An ack in exactly the bytes proto_encode writes for it: by seq
 * (has_upto false), or cumulative, upto and nseqs seqs above it. The
 * length, or -1 if it does not fit cap.
 */
int		 proto_encode_ack(const char *token, bool has_upto,
		    uint64_t seq, uint64_t upto, const uint64_t *seqs,
		    int nseqs, char *buf, size_t cap);
/* The server's ack of request id, as proto_encode writes it; or -1. */
int		 proto_encode_id_ack(uint64_t id, char *buf, size_t cap);

/*
 * The messages of a batch datagram {"type":"batch","msgs":[M1,...]}
 * (cap batch), one per call: *pos 0 starts at the first. On 1, the
 * message is buf + *moff, *mlen bytes (decode it as if it came alone)
 * and *pos is past it; 0 after the last; -1 if buf is not a batch or
 * is malformed (the messages before it are good).
 */
int		 proto_batch_next(const char *buf, size_t len, size_t *pos,
		    size_t *moff, size_t *mlen);

/*
 * Recognises a client's ack in exactly the bytes proto_encode writes for
 * it, {"type":"ack","token":"<32 hex>","seq":N} or the cumulative
 * {"type":"ack","token":"<32 hex>","upto":N} without seqs, without the
 * JSON parser: acks are half of what a busy server reads. On a match
 * sets m->type, token, seq or upto (the other 0), has_upto, clears
 * nseqs, id and has_id, leaves the other fields
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

/*
 * True if s is exactly n lowercase hex digits (a token, cid, run, proof):
 * a client makes its cid with it in mind, the codec checks with it.
 */
bool		 proto_is_hex(const char *s, size_t n);

/* The name rules of the contract: 0 if s (NUL-terminated) is a valid name. */
int		 proto_check_name(const char *s);

/*
 * The text rules: 1-1000 bytes, valid UTF-8, no control characters.
 * Returns PROTO_OK or PROTO_ERR_BAD_TEXT.
 */
enum proto_err	 proto_check_text(const char *s, size_t len);

#endif /* PROTO_H */

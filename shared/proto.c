/*
 * proto: the chat wire protocol, version 2 (docs/protocol.md).
 *
 * The only code that knows the JSON. Decoding parses with cJSON and
 * checks every field before it lands in a struct proto_msg; the server
 * acts on nothing this file has not checked. Encoding is a small
 * hand-written writer into the caller's buffer: no cJSON and no malloc,
 * because the server encodes once per recipient of every chat line.
 *
 * Choices the contract leaves open, and where cJSON is looser than JSON:
 * - A raw control byte anywhere but in JSON whitespace is bad_json, as
 *   RFC 8259 says; cJSON alone takes them inside strings.
 * - Bytes after the object other than whitespace are bad_json.
 * - cJSON ends its strings at NUL, so a "\u0000" escape would silently
 *   cut a string (and a key: "type\u0000x" would read as "type"). The
 *   escape is read as U+001F instead: still a control character, so a
 *   name or text holding it is refused like any other, and nothing is
 *   cut short.
 * - Lookups are case-sensitive; with a key twice, the first one counts.
 * - Numbers reach us as doubles: an integer is whole, in range and at
 *   most 2^53-1, so a fraction beyond double precision cannot be seen.
 * - From the server: a welcome token that is not 32 lowercase hex digits,
 *   a heartbeat outside 1..PROTO_HEARTBEAT_MAX and a port outside
 *   1..65535 are bad_field, because a client could not work with them.
 *   Other strings are only truncated to their buffer at a character
 *   boundary; the client sanitises them before display.
 * - From the server, mid, run and next_id are optional (0 or "" when
 *   absent), so that a client still works with a server that has not
 *   numbered its messages yet; when present they are checked.
 * - From a client, a cookie, proof or cid of the wrong form, a caps that
 *   is not an array of strings, or more than 64 seqs in an ack, are
 *   bad_field: a decoding error, answered before the address check. A
 *   quit whose text breaks the text rules is a quit without text (the
 *   contract's choice: leaving must never fail).
 */
#include <limits.h>
#include <string.h>

#include <cJSON.h>

#include "name.h"
#include "proto.h"
#include "utf8.h"

/* Where proto_encode writes: the buffer, its usable size, and overflow. */
struct proto_writer {
	char	*buf;
	size_t	 cap;
	size_t	 len;
	bool	 full;
};

typedef enum proto_err (*proto_dec_fn)(const cJSON *, struct proto_msg *);
typedef void (*proto_enc_fn)(struct proto_writer *, const struct proto_msg *);

static bool	 proto_is_ws(unsigned char);
static bool	 proto_lex(const char *, size_t, char *);
static cJSON	*proto_parse(const char *, size_t, char *);
static enum proto_err proto_decode_root(const cJSON *, enum proto_dir,
		    struct proto_msg *);
static proto_dec_fn proto_decoder(enum proto_type, enum proto_dir);
static enum proto_type proto_lookup_type(const char *, enum proto_dir);
static bool	 proto_type_has_id(enum proto_type, enum proto_dir);

static enum proto_err proto_get_u64(const cJSON *, const char *, uint64_t,
		    uint64_t, uint64_t *);
static enum proto_err proto_get_int(const cJSON *, const char *, int, int,
		    int *);
static const char *proto_get_str(const cJSON *, const char *);
static void	 proto_copy(char *, size_t, const char *);
static enum proto_err proto_get_copy(const cJSON *, const char *, char *,
		    size_t);
static bool	 proto_is_token(const char *);
static enum proto_err proto_get_token(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_name(const cJSON *, char *);
static enum proto_err proto_get_text(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_stamp(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_users(const cJSON *, struct proto_msg *);
static const cJSON *proto_item(const cJSON *, const char *);
static enum proto_err proto_get_bool(const cJSON *, const char *, bool *);
static enum proto_err proto_get_hex(const cJSON *, const char *, size_t,
		    char *, bool *);
static enum proto_err proto_get_cookie(const cJSON *, char *, bool *);
static enum proto_err proto_get_caps(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_seqs(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_pad(const cJSON *);
static enum proto_err proto_get_version(const cJSON *, struct proto_msg *);
static enum proto_err proto_get_opt_copy(const cJSON *, const char *, char *,
		    size_t);
static enum proto_err proto_get_numbered(const cJSON *, struct proto_msg *);

static enum proto_err proto_dec_login(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_chat(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_msg(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_rename(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_token(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_quit(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_ack(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_discover(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_welcome(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_error(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_sack(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_empty(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_users(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_here(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_schat(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_smsg(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_join(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_leave(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_srename(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_announce(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_cookie(const cJSON *, struct proto_msg *);
static enum proto_err proto_dec_topic(const cJSON *, struct proto_msg *);

static void	 proto_w_raw(struct proto_writer *, const char *, size_t);
static void	 proto_w_u64(struct proto_writer *, uint64_t);
static void	 proto_w_esc(struct proto_writer *, unsigned char);
static void	 proto_w_str(struct proto_writer *, const char *);
static size_t	 proto_str_len(const char *);
static void	 proto_w_key(struct proto_writer *, const char *);
static void	 proto_w_fstr(struct proto_writer *, const char *, const char *);
static void	 proto_w_fu64(struct proto_writer *, const char *, uint64_t);
static void	 proto_w_fint(struct proto_writer *, const char *, int);
static void	 proto_w_stamp(struct proto_writer *, const struct proto_msg *);
static void	 proto_w_users(struct proto_writer *, const struct proto_msg *);
static void	 proto_w_opt_text(struct proto_writer *, const struct proto_msg *);
static void	 proto_w_caps(struct proto_writer *, const struct proto_msg *);
static void	 proto_w_pad(struct proto_writer *, size_t);
static void	 proto_w_begin(struct proto_writer *, char *, size_t);
static int	 proto_w_end(struct proto_writer *, size_t);
static void	 proto_w_ack_tail(struct proto_writer *, bool, uint64_t,
		    uint64_t, const uint64_t *, int);

static void	 proto_enc_login(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_chat(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_msg(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_rename(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_token(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_quit(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_ack(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_discover(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_welcome(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_error(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_sack(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_empty(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_users(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_here(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_schat(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_smsg(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_join(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_leave(struct proto_writer *, const struct proto_msg *);
static void	 proto_enc_srename(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_announce(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_cookie(struct proto_writer *,
		    const struct proto_msg *);
static void	 proto_enc_topic(struct proto_writer *, const struct proto_msg *);

static const char *const proto_type_names[PROTO_TYPE_COUNT] = {
	[PROTO_NONE] = "none",
	[PROTO_LOGIN] = "login",
	[PROTO_CHAT] = "chat",
	[PROTO_MSG] = "msg",
	[PROTO_RENAME] = "rename",
	[PROTO_WHO] = "who",
	[PROTO_PING] = "ping",
	[PROTO_ACK] = "ack",
	[PROTO_QUIT] = "quit",
	[PROTO_DISCOVER] = "discover",
	[PROTO_WELCOME] = "welcome",
	[PROTO_ERROR] = "error",
	[PROTO_PONG] = "pong",
	[PROTO_BYE] = "bye",
	[PROTO_USERS] = "users",
	[PROTO_HERE] = "here",
	[PROTO_JOIN] = "join",
	[PROTO_LEAVE] = "leave",
	[PROTO_ANNOUNCE] = "announce",
	[PROTO_COOKIE] = "cookie",
	[PROTO_TOPIC] = "topic",
};

static const char *const proto_err_codes[PROTO_ERR_COUNT] = {
	[PROTO_OK] = "ok",
	[PROTO_ERR_BAD_JSON] = "bad_json",
	[PROTO_ERR_TOO_LONG] = "too_long",
	[PROTO_ERR_BAD_UTF8] = "bad_utf8",
	[PROTO_ERR_BAD_TYPE] = "bad_type",
	[PROTO_ERR_BAD_FIELD] = "bad_field",
	[PROTO_ERR_BAD_NAME] = "bad_name",
	[PROTO_ERR_BAD_TEXT] = "bad_text",
	[PROTO_ERR_BAD_VERSION] = "bad_version",
};

static const char *const proto_err_texts[PROTO_ERR_COUNT] = {
	[PROTO_OK] = "ok",
	[PROTO_ERR_BAD_JSON] =
	    "datagram is not a JSON object with a string \"type\"",
	[PROTO_ERR_TOO_LONG] = "message does not fit in a 1400-byte datagram",
	[PROTO_ERR_BAD_UTF8] = "datagram is not valid UTF-8",
	[PROTO_ERR_BAD_TYPE] = "unknown message type",
	[PROTO_ERR_BAD_FIELD] = "a field is missing or has the wrong type",
	[PROTO_ERR_BAD_NAME] = ("name must be 1-16 characters, no spaces or "
	    "control characters, not starting with / # @"),
	[PROTO_ERR_BAD_TEXT] =
	    "text must be 1-1000 bytes with no control characters",
	[PROTO_ERR_BAD_VERSION] =
	    "the server speaks protocol version 2: update the client",
};

static const char *const proto_reason_names[] = {
	[PROTO_REASON_QUIT] = "quit",
	[PROTO_REASON_TIMEOUT] = "timeout",
	[PROTO_REASON_KICKED] = "kicked",
};
#define PROTO_NREASONS	(sizeof proto_reason_names / sizeof proto_reason_names[0])

/* What the server receives: strict on content. */
static const proto_dec_fn proto_dec_client[PROTO_TYPE_COUNT] = {
	[PROTO_LOGIN] = proto_dec_login,
	[PROTO_CHAT] = proto_dec_chat,
	[PROTO_MSG] = proto_dec_msg,
	[PROTO_RENAME] = proto_dec_rename,
	[PROTO_WHO] = proto_dec_token,
	[PROTO_PING] = proto_dec_token,
	[PROTO_ACK] = proto_dec_ack,
	[PROTO_QUIT] = proto_dec_quit,
	[PROTO_DISCOVER] = proto_dec_discover,
};

/* What the client receives: strict on shape, lenient on content. */
static const proto_dec_fn proto_dec_server[PROTO_TYPE_COUNT] = {
	[PROTO_CHAT] = proto_dec_schat,
	[PROTO_MSG] = proto_dec_smsg,
	[PROTO_RENAME] = proto_dec_srename,
	[PROTO_ACK] = proto_dec_sack,
	[PROTO_WELCOME] = proto_dec_welcome,
	[PROTO_ERROR] = proto_dec_error,
	[PROTO_PONG] = proto_dec_empty,
	[PROTO_BYE] = proto_dec_empty,
	[PROTO_USERS] = proto_dec_users,
	[PROTO_HERE] = proto_dec_here,
	[PROTO_JOIN] = proto_dec_join,
	[PROTO_LEAVE] = proto_dec_leave,
	[PROTO_ANNOUNCE] = proto_dec_announce,
	[PROTO_COOKIE] = proto_dec_cookie,
	[PROTO_TOPIC] = proto_dec_topic,
};

static const proto_enc_fn proto_enc_client[PROTO_TYPE_COUNT] = {
	[PROTO_LOGIN] = proto_enc_login,
	[PROTO_CHAT] = proto_enc_chat,
	[PROTO_MSG] = proto_enc_msg,
	[PROTO_RENAME] = proto_enc_rename,
	[PROTO_WHO] = proto_enc_token,
	[PROTO_PING] = proto_enc_token,
	[PROTO_ACK] = proto_enc_ack,
	[PROTO_QUIT] = proto_enc_quit,
	[PROTO_DISCOVER] = proto_enc_discover,
};

static const proto_enc_fn proto_enc_server[PROTO_TYPE_COUNT] = {
	[PROTO_CHAT] = proto_enc_schat,
	[PROTO_MSG] = proto_enc_smsg,
	[PROTO_RENAME] = proto_enc_srename,
	[PROTO_ACK] = proto_enc_sack,
	[PROTO_WELCOME] = proto_enc_welcome,
	[PROTO_ERROR] = proto_enc_error,
	[PROTO_PONG] = proto_enc_empty,
	[PROTO_BYE] = proto_enc_empty,
	[PROTO_USERS] = proto_enc_users,
	[PROTO_HERE] = proto_enc_here,
	[PROTO_JOIN] = proto_enc_join,
	[PROTO_LEAVE] = proto_enc_leave,
	[PROTO_ANNOUNCE] = proto_enc_announce,
	[PROTO_COOKIE] = proto_enc_cookie,
	[PROTO_TOPIC] = proto_enc_topic,
};

/* Decodes one datagram; see proto.h for the order of the checks. */
enum proto_err
proto_decode(const char *buf, size_t len, enum proto_dir dir,
    struct proto_msg *m)
{
	char		 copy[PROTO_MAX_DGRAM];
	cJSON		*root;
	enum proto_err	 err;

	proto_init(m, PROTO_NONE);
	if (len > PROTO_MAX_DGRAM)
		return PROTO_ERR_TOO_LONG;
	if (len == 0)
		return PROTO_ERR_BAD_JSON;
	if (!utf8_valid(buf, len))
		return PROTO_ERR_BAD_UTF8;
	if ((root = proto_parse(buf, len, copy)) == NULL)
		return PROTO_ERR_BAD_JSON;
	err = proto_decode_root(root, dir, m);
	cJSON_Delete(root);
	return err;
}

/* JSON whitespace, the only bytes allowed around and between tokens. */
static bool
proto_is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Copies buf into copy for cJSON, refusing raw control bytes (JSON
 * allows them nowhere but as whitespace between tokens) and turning the
 * "\u0000" escape into "\u001f" (see the top of the file). A backslash
 * always escapes the next byte, so walking escapes pairwise keeps us in
 * step with string boundaries; cJSON judges everything else.
 */
static bool
proto_lex(const char *buf, size_t len, char *copy)
{
	size_t		i;
	unsigned char	c;
	bool		instr = false;

	memcpy(copy, buf, len);
	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (c < 0x20 && (instr || !proto_is_ws(c)))
			return false;
		if (!instr) {
			instr = c == '"';
			continue;
		}
		if (c == '"')
			instr = false;
		else if (c == '\\' && i + 1 < len) {
			if (len - i >= 6 && memcmp(buf + i + 1, "u0000", 5) == 0)
				memcpy(copy + i + 1, "u001f", 5);
			i++;
		}
	}
	return true;
}

/* Parses copy (filled from buf) into an object, or returns NULL. */
static cJSON *
proto_parse(const char *buf, size_t len, char *copy)
{
	cJSON		*root;
	const char	*end = NULL, *p;

	if (!proto_lex(buf, len, copy))
		return NULL;
	root = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
	if (root == NULL)
		return NULL;
	if (!cJSON_IsObject(root) || end == NULL || end < copy ||
	    end > copy + len)
		goto bad;
	for (p = end; p < copy + len; p++) {
		if (!proto_is_ws((unsigned char)*p))
			goto bad;
	}
	return root;
bad:
	cJSON_Delete(root);
	return NULL;
}

/* Reads the id early (for an error reply), the type, then the fields. */
static enum proto_err
proto_decode_root(const cJSON *root, enum proto_dir dir, struct proto_msg *m)
{
	const char	*type;
	enum proto_type	 t;
	enum proto_err	 err;
	uint64_t	 id;

	if (proto_get_u64(root, "id", 1, PROTO_INT_MAX, &id) == PROTO_OK) {
		m->id = id;
		m->has_id = true;
	}
	if ((type = proto_get_str(root, "type")) == NULL)
		return PROTO_ERR_BAD_JSON;
	if ((t = proto_lookup_type(type, dir)) == PROTO_NONE)
		return PROTO_ERR_BAD_TYPE;
	m->type = t;
	err = proto_decoder(t, dir)(root, m);
	if (err == PROTO_OK && !proto_type_has_id(t, dir)) {
		m->id = 0;
		m->has_id = false;
	}
	return err;
}

/* The decoder of a type in a direction, NULL if it has none there. */
static proto_dec_fn
proto_decoder(enum proto_type t, enum proto_dir dir)
{
	if (t <= PROTO_NONE || t >= PROTO_TYPE_COUNT)
		return NULL;
	if (dir == PROTO_FROM_CLIENT)
		return proto_dec_client[t];
	return proto_dec_server[t];
}

/* The type named s if it may travel in direction dir, else PROTO_NONE. */
static enum proto_type
proto_lookup_type(const char *s, enum proto_dir dir)
{
	int	t;

	for (t = PROTO_NONE + 1; t < PROTO_TYPE_COUNT; t++) {
		if (proto_decoder(t, dir) != NULL &&
		    strcmp(s, proto_type_names[t]) == 0)
			return t;
	}
	return PROTO_NONE;
}

/* Whether id is a field of this type (else a decoded id is dropped). */
static bool
proto_type_has_id(enum proto_type t, enum proto_dir dir)
{
	if (dir == PROTO_FROM_CLIENT)
		return t == PROTO_CHAT || t == PROTO_MSG || t == PROTO_RENAME;
	return t == PROTO_ACK || t == PROTO_ERROR;
}

/* An integer field: a whole JSON number in min..max (max <= 2^53-1). */
static enum proto_err
proto_get_u64(const cJSON *o, const char *key, uint64_t min, uint64_t max,
    uint64_t *out)
{
	const cJSON	*it;
	double		 d;

	it = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(it))
		return PROTO_ERR_BAD_FIELD;
	d = it->valuedouble;
	/* Written so that NaN fails too; the cast is safe once in range. */
	if (!(d >= (double)min && d <= (double)PROTO_INT_MAX))
		return PROTO_ERR_BAD_FIELD;
	if ((double)(uint64_t)d != d || (uint64_t)d > max)
		return PROTO_ERR_BAD_FIELD;
	*out = (uint64_t)d;
	return PROTO_OK;
}

/* An integer field that must fit an int, in min..max. */
static enum proto_err
proto_get_int(const cJSON *o, const char *key, int min, int max, int *out)
{
	uint64_t	v;

	if (proto_get_u64(o, key, (uint64_t)min, (uint64_t)max, &v) !=
	    PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	*out = (int)v;
	return PROTO_OK;
}

/* The string field key, or NULL if missing or not a string. */
static const char *
proto_get_str(const cJSON *o, const char *key)
{
	const cJSON	*it;

	it = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return NULL;
	return it->valuestring;
}

/* Copies s into dst (size bytes), cut at a character boundary. */
static void
proto_copy(char *dst, size_t size, const char *s)
{
	size_t	n;

	n = utf8_prefix(s, strlen(s), size - 1);
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A string field from the server, truncated to its buffer. */
static enum proto_err
proto_get_copy(const cJSON *o, const char *key, char *dst, size_t size)
{
	const char	*s;

	if ((s = proto_get_str(o, key)) == NULL)
		return PROTO_ERR_BAD_FIELD;
	proto_copy(dst, size, s);
	return PROTO_OK;
}

bool
proto_is_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[i] == '\0';
}

/* Exactly 32 lowercase hex digits, as the server makes them. */
static bool
proto_is_token(const char *s)
{
	return proto_is_hex(s, PROTO_TOKEN_LEN);
}

/*
 * A client's token: a string, kept only if well formed. A malformed one
 * leaves "" so that no session matches and the server says no_session.
 */
static enum proto_err
proto_get_token(const cJSON *o, struct proto_msg *m)
{
	const char	*s;

	if ((s = proto_get_str(o, "token")) == NULL)
		return PROTO_ERR_BAD_FIELD;
	if (proto_is_token(s))
		memcpy(m->token, s, PROTO_TOKEN_LEN + 1);
	return PROTO_OK;
}

/* A client's "name", held to the name rules. */
static enum proto_err
proto_get_name(const cJSON *o, char *dst)
{
	const char	*s;

	if ((s = proto_get_str(o, "name")) == NULL)
		return PROTO_ERR_BAD_FIELD;
	if (proto_check_name(s) != 0)
		return PROTO_ERR_BAD_NAME;
	memcpy(dst, s, strlen(s) + 1);
	return PROTO_OK;
}

/* A client's "text", held to the text rules. */
static enum proto_err
proto_get_text(const cJSON *o, struct proto_msg *m)
{
	const char	*s;
	size_t		 len;

	if ((s = proto_get_str(o, "text")) == NULL)
		return PROTO_ERR_BAD_FIELD;
	len = strlen(s);
	if (proto_check_text(s, len) != PROTO_OK)
		return PROTO_ERR_BAD_TEXT;
	memcpy(m->text, s, len + 1);
	return PROTO_OK;
}

/* seq and ts of a reliable server message. */
static enum proto_err
proto_get_stamp(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_u64(o, "seq", 1, PROTO_INT_MAX, &m->seq) != PROTO_OK ||
	    proto_get_u64(o, "ts", 0, PROTO_INT_MAX, &m->ts) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/*
 * The "users" array of names and the optional "more" count. A name past
 * what the struct holds is counted in more rather than refused.
 */
static enum proto_err
proto_get_users(const cJSON *o, struct proto_msg *m)
{
	const cJSON	*arr, *it;
	char		 name[PROTO_NAME_MAX_BYTES + 1];
	int		 more = 0;

	arr = cJSON_GetObjectItemCaseSensitive(o, "users");
	if (!cJSON_IsArray(arr))
		return PROTO_ERR_BAD_FIELD;
	if (cJSON_GetObjectItemCaseSensitive(o, "more") != NULL &&
	    proto_get_int(o, "more", 0, INT_MAX, &more) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || it->valuestring == NULL)
			return PROTO_ERR_BAD_FIELD;
		proto_copy(name, sizeof name, it->valuestring);
		if (proto_add_user(m, name) != 0 && more < INT_MAX)
			more++;
	}
	m->more = more;
	return PROTO_OK;
}

/* mid and history, of a chat or announce the server keeps. */
static enum proto_err
proto_get_numbered(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_bool(o, "history", &m->history) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (proto_item(o, "mid") != NULL &&
	    proto_get_u64(o, "mid", 1, PROTO_INT_MAX, &m->mid) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* The field key, or NULL if absent: optional fields start here. */
static const cJSON *
proto_item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* An optional bool; *out is left alone if absent. */
static enum proto_err
proto_get_bool(const cJSON *o, const char *key, bool *out)
{
	const cJSON	*it;

	if ((it = proto_item(o, key)) == NULL)
		return PROTO_OK;
	if (!cJSON_IsBool(it))
		return PROTO_ERR_BAD_FIELD;
	*out = cJSON_IsTrue(it);
	return PROTO_OK;
}

/* An optional string of exactly n lowercase hex digits into dst (n + 1). */
static enum proto_err
proto_get_hex(const cJSON *o, const char *key, size_t n, char *dst, bool *has)
{
	const char	*s;

	if (proto_item(o, key) == NULL)
		return PROTO_OK;
	if ((s = proto_get_str(o, key)) == NULL || !proto_is_hex(s, n))
		return PROTO_ERR_BAD_FIELD;
	memcpy(dst, s, n + 1);
	if (has != NULL)
		*has = true;
	return PROTO_OK;
}

/* An optional "cookie": 1-64 printable ASCII characters. */
static enum proto_err
proto_get_cookie(const cJSON *o, char *dst, bool *has)
{
	const char	*s;
	size_t		 i;

	if (proto_item(o, "cookie") == NULL)
		return PROTO_OK;
	if ((s = proto_get_str(o, "cookie")) == NULL || s[0] == '\0')
		return PROTO_ERR_BAD_FIELD;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= PROTO_COOKIE_MAX || s[i] < 0x20 || s[i] > 0x7e)
			return PROTO_ERR_BAD_FIELD;
	}
	memcpy(dst, s, i + 1);
	*has = true;
	return PROTO_OK;
}

/* Optional "caps", an array of strings: known ones become bits. */
static enum proto_err
proto_get_caps(const cJSON *o, struct proto_msg *m)
{
	const cJSON	*arr, *it;

	if ((arr = proto_item(o, "caps")) == NULL)
		return PROTO_OK;
	if (!cJSON_IsArray(arr))
		return PROTO_ERR_BAD_FIELD;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || it->valuestring == NULL)
			return PROTO_ERR_BAD_FIELD;
		if (strcmp(it->valuestring, "batch") == 0)
			m->caps |= PROTO_CAP_BATCH;
	}
	m->has_caps = true;
	return PROTO_OK;
}

/* An ack's optional "seqs": at most 64 seqs, each above upto. */
static enum proto_err
proto_get_seqs(const cJSON *o, struct proto_msg *m)
{
	const cJSON	*arr, *it;
	double		 d;

	if ((arr = proto_item(o, "seqs")) == NULL)
		return PROTO_OK;
	if (!cJSON_IsArray(arr))
		return PROTO_ERR_BAD_FIELD;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsNumber(it) || m->nseqs >= PROTO_ACK_SEQS_MAX)
			return PROTO_ERR_BAD_FIELD;
		d = it->valuedouble;
		if (!(d > (double)m->upto && d <= (double)PROTO_INT_MAX) ||
		    (double)(uint64_t)d != d)
			return PROTO_ERR_BAD_FIELD;
		m->seqs[m->nseqs++] = (uint64_t)d;
	}
	return PROTO_OK;
}

/* The optional "pad" of login and discover: a string, never read. */
static enum proto_err
proto_get_pad(const cJSON *o)
{
	if (proto_item(o, "pad") != NULL && proto_get_str(o, "pad") == NULL)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* "v" of login and discover: an integer, and ours. */
static enum proto_err
proto_get_version(const cJSON *o, struct proto_msg *m)
{
	uint64_t	 v;

	if (proto_get_u64(o, "v", 0, PROTO_INT_MAX, &v) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (v != PROTO_VERSION)
		return PROTO_ERR_BAD_VERSION;
	m->version = PROTO_VERSION;
	return PROTO_OK;
}

/* An optional string from the server, truncated to its buffer. */
static enum proto_err
proto_get_opt_copy(const cJSON *o, const char *key, char *dst, size_t size)
{
	if (proto_item(o, key) == NULL)
		return PROTO_OK;
	return proto_get_copy(o, key, dst, size);
}

/*
 * login {v, name, [cookie], [proof], [cid], [caps], [pad]}: v first, a
 * newer client may name anew. A "password" (version 1 sent the password
 * itself) is an unknown field now, ignored like any other.
 */
static enum proto_err
proto_dec_login(const cJSON *o, struct proto_msg *m)
{
	enum proto_err	 err;

	if ((err = proto_get_version(o, m)) != PROTO_OK)
		return err;
	if (proto_get_cookie(o, m->cookie, &m->has_cookie) != PROTO_OK ||
	    proto_get_hex(o, "proof", PROTO_PROOF_LEN, m->proof,
	    &m->has_proof) != PROTO_OK ||
	    proto_get_hex(o, "cid", PROTO_CID_LEN, m->cid, &m->has_cid) !=
	    PROTO_OK ||
	    proto_get_caps(o, m) != PROTO_OK || proto_get_pad(o) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return proto_get_name(o, m->name);
}

/* chat {token, id, text, [action]} */
static enum proto_err
proto_dec_chat(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_token(o, m) != PROTO_OK ||
	    proto_get_u64(o, "id", 1, PROTO_INT_MAX, &m->id) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	m->has_id = true;
	if (m->type == PROTO_CHAT &&
	    proto_get_bool(o, "action", &m->action) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return proto_get_text(o, m);
}

/*
 * msg {token, id, to, text}. A "to" that is no possible name is kept as
 * "": it matches nobody, and the server answers no_such_user.
 */
static enum proto_err
proto_dec_msg(const cJSON *o, struct proto_msg *m)
{
	const char	*to;
	enum proto_err	 err;

	if ((err = proto_dec_chat(o, m)) != PROTO_OK)
		return err;
	if ((to = proto_get_str(o, "to")) == NULL)
		return PROTO_ERR_BAD_FIELD;
	if (proto_check_name(to) == 0)
		memcpy(m->to, to, strlen(to) + 1);
	return PROTO_OK;
}

/* rename {token, id, name} */
static enum proto_err
proto_dec_rename(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_token(o, m) != PROTO_OK ||
	    proto_get_u64(o, "id", 1, PROTO_INT_MAX, &m->id) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	m->has_id = true;
	return proto_get_name(o, m->name);
}

/* who, ping, quit {token} */
static enum proto_err
proto_dec_token(const cJSON *o, struct proto_msg *m)
{
	return proto_get_token(o, m);
}

/*
 * quit {token, [text]}: a text that breaks the rules is dropped, not
 * refused, so that leaving never fails.
 */
static enum proto_err
proto_dec_quit(const cJSON *o, struct proto_msg *m)
{
	const char	*s;
	size_t		 len;

	if (proto_get_token(o, m) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (proto_item(o, "text") == NULL)
		return PROTO_OK;
	if ((s = proto_get_str(o, "text")) == NULL)
		return PROTO_ERR_BAD_FIELD;
	len = strlen(s);
	if (proto_check_text(s, len) == PROTO_OK)
		memcpy(m->text, s, len + 1);
	return PROTO_OK;
}

/*
 * ack {token, seq} or, cumulative (cap batch), {token, upto, [seqs]}.
 * With both, both are read.
 */
static enum proto_err
proto_dec_ack(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_token(o, m) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (proto_item(o, "upto") != NULL) {
		if (proto_get_u64(o, "upto", 0, PROTO_INT_MAX, &m->upto) !=
		    PROTO_OK || proto_get_seqs(o, m) != PROTO_OK)
			return PROTO_ERR_BAD_FIELD;
		m->has_upto = true;
		if (proto_item(o, "seq") == NULL)
			return PROTO_OK;
	}
	if (proto_get_u64(o, "seq", 1, PROTO_INT_MAX, &m->seq) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* discover {v, [pad]}: another version gets bad_version, as a login. */
static enum proto_err
proto_dec_discover(const cJSON *o, struct proto_msg *m)
{
	enum proto_err	 err;

	if ((err = proto_get_version(o, m)) != PROTO_OK)
		return err;
	return proto_get_pad(o);
}

/*
 * welcome {name, token, users, heartbeat, room, run, next_id, [motd],
 * [topic], [caps]}
 */
static enum proto_err
proto_dec_welcome(const cJSON *o, struct proto_msg *m)
{
	const char	*token;

	if (proto_get_copy(o, "name", m->name, sizeof m->name) != PROTO_OK ||
	    (token = proto_get_str(o, "token")) == NULL ||
	    !proto_is_token(token) ||
	    proto_get_int(o, "heartbeat", 1, PROTO_HEARTBEAT_MAX,
	    &m->heartbeat) != PROTO_OK ||
	    proto_get_copy(o, "room", m->room, sizeof m->room) != PROTO_OK ||
	    proto_get_hex(o, "run", PROTO_RUN_LEN, m->run, NULL) != PROTO_OK ||
	    proto_get_caps(o, m) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	memcpy(m->token, token, PROTO_TOKEN_LEN + 1);
	if (proto_item(o, "next_id") != NULL &&
	    proto_get_u64(o, "next_id", 1, PROTO_INT_MAX, &m->next_id) !=
	    PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (proto_item(o, "motd") != NULL) {
		if (proto_get_copy(o, "motd", m->motd, sizeof m->motd) !=
		    PROTO_OK)
			return PROTO_ERR_BAD_FIELD;
		m->has_motd = true;
	}
	if (proto_item(o, "topic") != NULL) {
		if (proto_get_copy(o, "topic", m->topic, sizeof m->topic) !=
		    PROTO_OK)
			return PROTO_ERR_BAD_FIELD;
		m->has_topic = true;
	}
	return proto_get_users(o, m);
}

/* error {code, [text], [id]}: an id, if present, must be a valid one. */
static enum proto_err
proto_dec_error(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_copy(o, "code", m->code, sizeof m->code) != PROTO_OK ||
	    proto_get_opt_copy(o, "text", m->text, sizeof m->text) !=
	    PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	if (cJSON_GetObjectItemCaseSensitive(o, "id") != NULL && !m->has_id)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* ack {id} from the server */
static enum proto_err
proto_dec_sack(const cJSON *o, struct proto_msg *m)
{
	(void)o;
	return m->has_id ? PROTO_OK : PROTO_ERR_BAD_FIELD;
}

/* pong, bye: nothing but the type */
static enum proto_err
proto_dec_empty(const cJSON *o, struct proto_msg *m)
{
	(void)o;
	(void)m;
	return PROTO_OK;
}

/* users {users, [more]} */
static enum proto_err
proto_dec_users(const cJSON *o, struct proto_msg *m)
{
	return proto_get_users(o, m);
}

/* here {v, room, port, users}: users is a count here. */
static enum proto_err
proto_dec_here(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_int(o, "v", 0, INT_MAX, &m->version) != PROTO_OK ||
	    proto_get_copy(o, "room", m->room, sizeof m->room) != PROTO_OK ||
	    proto_get_int(o, "port", 1, 65535, &m->port) != PROTO_OK ||
	    proto_get_int(o, "users", 0, INT_MAX, &m->user_count) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* chat {seq, ts, mid, from, text, [action], [history]} */
static enum proto_err
proto_dec_schat(const cJSON *o, struct proto_msg *m)
{
	if (proto_dec_smsg(o, m) != PROTO_OK ||
	    proto_get_bool(o, "action", &m->action) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return proto_get_numbered(o, m);
}

/* msg {seq, ts, from, text} */
static enum proto_err
proto_dec_smsg(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_stamp(o, m) != PROTO_OK ||
	    proto_get_copy(o, "from", m->from, sizeof m->from) != PROTO_OK ||
	    proto_get_copy(o, "text", m->text, sizeof m->text) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* join {seq, ts, name} */
static enum proto_err
proto_dec_join(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_stamp(o, m) != PROTO_OK ||
	    proto_get_copy(o, "name", m->name, sizeof m->name) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* leave {seq, ts, name, reason, [text]}: an unknown reason is refused. */
static enum proto_err
proto_dec_leave(const cJSON *o, struct proto_msg *m)
{
	const char	*reason;
	size_t		 i;

	if (proto_dec_join(o, m) != PROTO_OK ||
	    (reason = proto_get_str(o, "reason")) == NULL ||
	    proto_get_opt_copy(o, "text", m->text, sizeof m->text) !=
	    PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	for (i = 0; i < PROTO_NREASONS; i++) {
		if (strcmp(reason, proto_reason_names[i]) == 0) {
			m->reason = (enum proto_reason)i;
			return PROTO_OK;
		}
	}
	return PROTO_ERR_BAD_FIELD;
}

/* rename {seq, ts, from, to} from the server */
static enum proto_err
proto_dec_srename(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_stamp(o, m) != PROTO_OK ||
	    proto_get_copy(o, "from", m->from, sizeof m->from) != PROTO_OK ||
	    proto_get_copy(o, "to", m->to, sizeof m->to) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* announce {seq, ts, mid, text, [history]} */
static enum proto_err
proto_dec_announce(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_stamp(o, m) != PROTO_OK ||
	    proto_get_copy(o, "text", m->text, sizeof m->text) != PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return proto_get_numbered(o, m);
}

/* cookie {cookie} */
static enum proto_err
proto_dec_cookie(const cJSON *o, struct proto_msg *m)
{
	if (proto_item(o, "cookie") == NULL)
		return PROTO_ERR_BAD_FIELD;
	return proto_get_cookie(o, m->cookie, &m->has_cookie);
}

/* topic {seq, ts, [text]}: no text, the topic was cleared. */
static enum proto_err
proto_dec_topic(const cJSON *o, struct proto_msg *m)
{
	if (proto_get_stamp(o, m) != PROTO_OK ||
	    proto_get_opt_copy(o, "text", m->text, sizeof m->text) !=
	    PROTO_OK)
		return PROTO_ERR_BAD_FIELD;
	return PROTO_OK;
}

/* Encodes *m; see proto.h. "type" always comes first. */
int
proto_encode(const struct proto_msg *m, enum proto_dir dir, char *buf,
    size_t cap)
{
	struct proto_writer	 w;
	proto_enc_fn		 fn;

	if (m->type <= PROTO_NONE || m->type >= PROTO_TYPE_COUNT)
		return -1;
	if (dir == PROTO_FROM_CLIENT)
		fn = proto_enc_client[m->type];
	else
		fn = proto_enc_server[m->type];
	if (fn == NULL)
		return -1;
	proto_w_begin(&w, buf, cap);
	proto_w_raw(&w, "{\"type\":", 8);
	proto_w_str(&w, proto_type_names[m->type]);
	fn(&w, m);
	return proto_w_end(&w, cap);
}

/* A writer into buf, at most cap and PROTO_MAX_DGRAM bytes. */
static void
proto_w_begin(struct proto_writer *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap < PROTO_MAX_DGRAM ? cap : PROTO_MAX_DGRAM;
	w->len = 0;
	w->full = false;
}

/*
 * The closing brace; the length, NUL-terminated if the caller's cap has
 * room, or -1.
 */
static int
proto_w_end(struct proto_writer *w, size_t cap)
{
	proto_w_raw(w, "}", 1);
	if (w->full)
		return -1;
	if (w->len < cap)
		w->buf[w->len] = '\0';
	return (int)w->len;
}

bool
proto_reliable(enum proto_type type)
{
	switch (type) {
	case PROTO_CHAT:
	case PROTO_MSG:
	case PROTO_JOIN:
	case PROTO_LEAVE:
	case PROTO_RENAME:
	case PROTO_ANNOUNCE:
	case PROTO_TOPIC:
		return true;
	default:
		return false;
	}
}

/*
 * proto_encode writes "type" first and, for these types, "seq" right
 * after it (proto_w_stamp), so the digits start at a fixed place.
 */
int
proto_encode_seq(const struct proto_msg *m, char *buf, size_t cap,
    size_t *seq_off, size_t *seq_len)
{
	static const char	 key[] = ",\"seq\":";
	uint64_t		 v;
	size_t			 off, n;
	int			 len;

	if (!proto_reliable(m->type))
		return -1;
	if ((len = proto_encode(m, PROTO_FROM_SERVER, buf, cap)) < 0)
		return -1;
	off = sizeof("{\"type\":\"\"") - 1 + strlen(proto_type_names[m->type]) +
	    sizeof(key) - 1;
	for (n = 1, v = m->seq; v >= 10; v /= 10)
		n++;
	if (off + n > (size_t)len ||
	    memcmp(buf + off - (sizeof(key) - 1), key, sizeof(key) - 1) != 0)
		return -1;
	*seq_off = off;
	*seq_len = n;
	return len;
}

/*
 * Only the exact form is taken: no white space, these keys in this
 * order, a well-formed token, a seq of 1 to 2^53-1 without leading
 * zeros. All of it ASCII without control bytes, so the UTF-8 and JSON
 * checks proto_decode would make pass too.
 */
bool
proto_decode_ack_fast(const char *buf, size_t len, struct proto_msg *m)
{
	static const char	 head[] = "{\"type\":\"ack\",\"token\":\"";
	static const char	 mid[] = "\",\"seq\":";
	static const char	 midu[] = "\",\"upto\":";
	const size_t		 hl = sizeof(head) - 1, ml = sizeof(mid) - 1;
	const size_t		 ul = sizeof(midu) - 1;
	const char		*tok, *p, *end;
	uint64_t		 v = 0;
	size_t			 i, kl;
	bool			 upto;

	if (len < hl + PROTO_TOKEN_LEN + ml + 2 ||
	    len > hl + PROTO_TOKEN_LEN + ul + 17 || buf[len - 1] != '}' ||
	    memcmp(buf, head, hl) != 0)
		return false;
	if (memcmp(buf + hl + PROTO_TOKEN_LEN, mid, ml) == 0) {
		upto = false;
		kl = ml;
	} else if (len >= hl + PROTO_TOKEN_LEN + ul + 2 &&
	    memcmp(buf + hl + PROTO_TOKEN_LEN, midu, ul) == 0) {
		upto = true;
		kl = ul;
	} else
		return false;
	tok = buf + hl;
	for (i = 0; i < PROTO_TOKEN_LEN; i++) {
		if (!((tok[i] >= '0' && tok[i] <= '9') ||
		    (tok[i] >= 'a' && tok[i] <= 'f')))
			return false;
	}
	p = tok + PROTO_TOKEN_LEN + kl;
	end = buf + len - 1;
	if (end - p > 16 || *p == '0')
		return false;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0 || v > PROTO_INT_MAX)
		return false;
	m->type = PROTO_ACK;
	memcpy(m->token, tok, PROTO_TOKEN_LEN);
	m->token[PROTO_TOKEN_LEN] = '\0';
	m->seq = upto ? 0 : v;
	m->upto = upto ? v : 0;
	m->has_upto = upto;
	m->nseqs = 0;
	m->id = 0;
	m->has_id = false;
	return true;
}

/* Appends n bytes, or marks the writer full if they do not fit. */
static void
proto_w_raw(struct proto_writer *w, const char *s, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* A decimal number, without printf on the hot path. */
static void
proto_w_u64(struct proto_writer *w, uint64_t v)
{
	char	d[20];
	size_t	n = 0;

	do {
		d[sizeof d - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	proto_w_raw(w, d + sizeof d - n, n);
}

/* One byte JSON must escape: the short forms where JSON has them. */
static void
proto_w_esc(struct proto_writer *w, unsigned char c)
{
	static const char	hex[] = "0123456789abcdef";
	char			u[6] = { '\\', 'u', '0', '0', 0, 0 };

	switch (c) {
	case '"':
		proto_w_raw(w, "\\\"", 2);
		return;
	case '\\':
		proto_w_raw(w, "\\\\", 2);
		return;
	case '\b':
		proto_w_raw(w, "\\b", 2);
		return;
	case '\f':
		proto_w_raw(w, "\\f", 2);
		return;
	case '\n':
		proto_w_raw(w, "\\n", 2);
		return;
	case '\r':
		proto_w_raw(w, "\\r", 2);
		return;
	case '\t':
		proto_w_raw(w, "\\t", 2);
		return;
	}
	u[4] = hex[c >> 4];
	u[5] = hex[c & 0xf];
	proto_w_raw(w, u, sizeof u);
}

/* A JSON string; bytes from 0x80 up go out raw (UTF-8 as it is). */
static void
proto_w_str(struct proto_writer *w, const char *s)
{
	const unsigned char	*p, *run;

	proto_w_raw(w, "\"", 1);
	for (p = run = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		proto_w_raw(w, (const char *)run, (size_t)(p - run));
		proto_w_esc(w, *p);
		run = p + 1;
	}
	proto_w_raw(w, (const char *)run, (size_t)(p - run));
	proto_w_raw(w, "\"", 1);
}

/* The bytes proto_w_str writes for s, quotes included. */
static size_t
proto_str_len(const char *s)
{
	const unsigned char	*p;
	size_t			 n = 2;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\' || *p == '\b' || *p == '\f' ||
		    *p == '\n' || *p == '\r' || *p == '\t')
			n += 2;
		else if (*p < 0x20)
			n += 6;
		else
			n++;
	}
	return n;
}

/* ,"key": */
static void
proto_w_key(struct proto_writer *w, const char *key)
{
	proto_w_raw(w, ",\"", 2);
	proto_w_raw(w, key, strlen(key));
	proto_w_raw(w, "\":", 2);
}

static void
proto_w_fstr(struct proto_writer *w, const char *key, const char *s)
{
	proto_w_key(w, key);
	proto_w_str(w, s);
}

static void
proto_w_fu64(struct proto_writer *w, const char *key, uint64_t v)
{
	proto_w_key(w, key);
	proto_w_u64(w, v);
}

static void
proto_w_fint(struct proto_writer *w, const char *key, int v)
{
	proto_w_key(w, key);
	if (v < 0) {
		proto_w_raw(w, "-", 1);
		proto_w_u64(w, (uint64_t)-(int64_t)v);
	} else
		proto_w_u64(w, (uint64_t)v);
}

/* seq right after type, where a sender may patch it per recipient. */
static void
proto_w_stamp(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fu64(w, "seq", m->seq);
	proto_w_fu64(w, "ts", m->ts);
}

/*
 * "users":[...] and, if names were left out, "more". It comes last in
 * its object, so keeping room for the tail `],"more":N}` (N an int) is
 * all the room the rest of the object needs.
 */
static void
proto_w_users(struct proto_writer *w, const struct proto_msg *m)
{
	const size_t	tail = sizeof("],\"more\":-2147483648}") - 1;
	size_t		need;
	int		i, more;

	proto_w_key(w, "users");
	proto_w_raw(w, "[", 1);
	for (i = 0; i < m->nusers; i++) {
		need = proto_str_len(m->users[i]) + (i > 0);
		if (w->full || need + tail > w->cap - w->len)
			break;
		if (i > 0)
			proto_w_raw(w, ",", 1);
		proto_w_str(w, m->users[i]);
	}
	proto_w_raw(w, "]", 1);
	more = m->more > INT_MAX - (m->nusers - i) ? INT_MAX :
	    m->more + (m->nusers - i);
	if (more > 0)
		proto_w_fint(w, "more", more);
}

/* "text" if there is one (an optional text is never empty). */
static void
proto_w_opt_text(struct proto_writer *w, const struct proto_msg *m)
{
	if (m->text[0] != '\0')
		proto_w_fstr(w, "text", m->text);
}

/* "caps":[...] of the known bits, if the message has caps. */
static void
proto_w_caps(struct proto_writer *w, const struct proto_msg *m)
{
	if (!m->has_caps)
		return;
	proto_w_key(w, "caps");
	proto_w_raw(w, "[", 1);
	if (m->caps & PROTO_CAP_BATCH)
		proto_w_str(w, "batch");
	proto_w_raw(w, "]", 1);
}

/*
 * "pad":"  ..." so that the object, closing brace included, is at least
 * to bytes long; nothing if it already is.
 */
static void
proto_w_pad(struct proto_writer *w, size_t to)
{
	static const char	 spaces[] = "                                ";
	const size_t		 frame = sizeof(",\"pad\":\"\"}") - 1;
	size_t			 n, k;

	if (to == 0 || w->len + 1 >= to)
		return;
	n = to > w->len + frame ? to - w->len - frame : 0;
	proto_w_raw(w, ",\"pad\":\"", 8);
	for (; n > 0; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		proto_w_raw(w, spaces, k);
	}
	proto_w_raw(w, "\"", 1);
}

static void
proto_enc_login(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fint(w, "v", m->version);
	proto_w_fstr(w, "name", m->name);
	if (m->has_cookie)
		proto_w_fstr(w, "cookie", m->cookie);
	if (m->has_proof)
		proto_w_fstr(w, "proof", m->proof);
	if (m->has_cid)
		proto_w_fstr(w, "cid", m->cid);
	proto_w_caps(w, m);
	proto_w_pad(w, m->pad_to);
}

static void
proto_enc_chat(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
	proto_w_fu64(w, "id", m->id);
	proto_w_fstr(w, "text", m->text);
	if (m->type == PROTO_CHAT && m->action)
		proto_w_raw(w, ",\"action\":true", 14);
}

static void
proto_enc_msg(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
	proto_w_fu64(w, "id", m->id);
	proto_w_fstr(w, "to", m->to);
	proto_w_fstr(w, "text", m->text);
}

static void
proto_enc_rename(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
	proto_w_fu64(w, "id", m->id);
	proto_w_fstr(w, "name", m->name);
}

static void
proto_enc_token(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
}

static void
proto_enc_quit(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
	proto_w_opt_text(w, m);
}

/* seq, or upto and seqs, or (as decoded) both. */
static void
proto_enc_ack(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "token", m->token);
	proto_w_ack_tail(w, m->has_upto, m->seq, m->upto, m->seqs, m->nseqs);
}

/* An ack's fields after its token. */
static void
proto_w_ack_tail(struct proto_writer *w, bool has_upto, uint64_t seq,
    uint64_t upto, const uint64_t *seqs, int nseqs)
{
	int	 i;

	if (!has_upto || seq != 0)
		proto_w_fu64(w, "seq", seq);
	if (!has_upto)
		return;
	proto_w_fu64(w, "upto", upto);
	if (nseqs <= 0)
		return;
	proto_w_key(w, "seqs");
	for (i = 0; i < nseqs && i < PROTO_ACK_SEQS_MAX; i++) {
		proto_w_raw(w, i == 0 ? "[" : ",", 1);
		proto_w_u64(w, seqs[i]);
	}
	proto_w_raw(w, "]", 1);
}

/*
 * The ack proto_encode would write, without a struct proto_msg (8 KiB)
 * for a message of three fields: the client acks every datagram.
 */
int
proto_encode_ack(const char *token, bool has_upto, uint64_t seq,
    uint64_t upto, const uint64_t *seqs, int nseqs, char *buf, size_t cap)
{
	static const char	 head[] = "{\"type\":\"ack\"";
	struct proto_writer	 w;

	proto_w_begin(&w, buf, cap);
	proto_w_raw(&w, head, sizeof(head) - 1);
	proto_w_fstr(&w, "token", token);
	proto_w_ack_tail(&w, has_upto, seq, upto, seqs, nseqs);
	return proto_w_end(&w, cap);
}

/* The server acks every chat request: no struct proto_msg for that. */
int
proto_encode_id_ack(uint64_t id, char *buf, size_t cap)
{
	static const char	 head[] = "{\"type\":\"ack\"";
	struct proto_writer	 w;

	proto_w_begin(&w, buf, cap);
	proto_w_raw(&w, head, sizeof(head) - 1);
	proto_w_fu64(&w, "id", id);
	return proto_w_end(&w, cap);
}

int
proto_batch_next(const char *buf, size_t len, size_t *pos, size_t *moff,
    size_t *mlen)
{
	static const char	 head[] = "{\"type\":\"batch\",\"msgs\":[";
	const size_t		 hl = sizeof(head) - 1;
	size_t			 i, end;
	int			 depth = 0;
	bool			 str = false;

	if (len < hl + 2 || memcmp(buf, head, hl) != 0 ||
	    memcmp(buf + len - 2, "]}", 2) != 0)
		return -1;
	end = len - 2;
	if (*pos == 0)
		*pos = hl;
	else if (*pos < end && buf[*pos] == ',')
		(*pos)++;
	else if (*pos != end)
		return -1;
	if (*pos >= end)
		return *pos == end && *pos > hl ? 0 : -1;
	if (buf[*pos] != '{')
		return -1;
	for (i = *pos; i < end; i++) {
		if (str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				str = false;
		} else if (buf[i] == '"')
			str = true;
		else if (buf[i] == '{' || buf[i] == '[')
			depth++;
		else if ((buf[i] == '}' || buf[i] == ']') && --depth == 0) {
			*moff = *pos;
			*mlen = i + 1 - *pos;
			*pos = i + 1;
			return 1;
		}
	}
	return -1;
}

static void
proto_enc_discover(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fint(w, "v", m->version);
	proto_w_pad(w, m->pad_to);
}

static void
proto_enc_welcome(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "name", m->name);
	proto_w_fstr(w, "token", m->token);
	proto_w_fint(w, "heartbeat", m->heartbeat);
	proto_w_fstr(w, "room", m->room);
	if (m->run[0] != '\0')
		proto_w_fstr(w, "run", m->run);
	if (m->next_id != 0)
		proto_w_fu64(w, "next_id", m->next_id);
	if (m->has_motd)
		proto_w_fstr(w, "motd", m->motd);
	if (m->has_topic)
		proto_w_fstr(w, "topic", m->topic);
	proto_w_caps(w, m);
	proto_w_users(w, m);
}

static void
proto_enc_error(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "code", m->code);
	proto_w_opt_text(w, m);
	if (m->has_id)
		proto_w_fu64(w, "id", m->id);
}

static void
proto_enc_sack(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fu64(w, "id", m->id);
}

static void
proto_enc_empty(struct proto_writer *w, const struct proto_msg *m)
{
	(void)w;
	(void)m;
}

static void
proto_enc_users(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_users(w, m);
}

static void
proto_enc_here(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fint(w, "v", m->version);
	proto_w_fstr(w, "room", m->room);
	proto_w_fint(w, "port", m->port);
	proto_w_fint(w, "users", m->user_count);
}

static void
proto_enc_schat(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	if (m->mid != 0)
		proto_w_fu64(w, "mid", m->mid);
	proto_w_fstr(w, "from", m->from);
	proto_w_fstr(w, "text", m->text);
	if (m->action)
		proto_w_raw(w, ",\"action\":true", 14);
	if (m->history)
		proto_w_raw(w, PROTO_HISTORY_FLAG,
		    sizeof(PROTO_HISTORY_FLAG) - 1);
}

static void
proto_enc_smsg(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	proto_w_fstr(w, "from", m->from);
	proto_w_fstr(w, "text", m->text);
}

static void
proto_enc_join(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	proto_w_fstr(w, "name", m->name);
}

static void
proto_enc_leave(struct proto_writer *w, const struct proto_msg *m)
{
	proto_enc_join(w, m);
	proto_w_fstr(w, "reason", proto_reason_name(m->reason));
	proto_w_opt_text(w, m);
}

static void
proto_enc_srename(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	proto_w_fstr(w, "from", m->from);
	proto_w_fstr(w, "to", m->to);
}

static void
proto_enc_announce(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	if (m->mid != 0)
		proto_w_fu64(w, "mid", m->mid);
	proto_w_fstr(w, "text", m->text);
	if (m->history)
		proto_w_raw(w, PROTO_HISTORY_FLAG,
		    sizeof(PROTO_HISTORY_FLAG) - 1);
}

static void
proto_enc_cookie(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_fstr(w, "cookie", m->cookie);
}

static void
proto_enc_topic(struct proto_writer *w, const struct proto_msg *m)
{
	proto_w_stamp(w, m);
	proto_w_opt_text(w, m);
}

/* An empty message; version is preset, the one any sender means. */
void
proto_init(struct proto_msg *m, enum proto_type type)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	m->version = PROTO_VERSION;
}

/* Appends a copy of name after the names already in users_buf. */
int
proto_add_user(struct proto_msg *m, const char *name)
{
	const char	*last;
	size_t		 used = 0, n;

	if (m->nusers < 0 || m->nusers >= PROTO_MAX_USERS)
		return -1;
	if (m->nusers > 0) {
		last = m->users[m->nusers - 1];
		used = (size_t)(last - m->users_buf) + strlen(last) + 1;
	}
	n = strlen(name) + 1;
	if (n > sizeof m->users_buf - used)
		return -1;
	memcpy(m->users_buf + used, name, n);
	m->users[m->nusers++] = m->users_buf + used;
	return 0;
}

const char *
proto_type_name(enum proto_type type)
{
	if (type < PROTO_NONE || type >= PROTO_TYPE_COUNT)
		return "unknown";
	return proto_type_names[type];
}

const char *
proto_err_code(enum proto_err err)
{
	if (err < PROTO_OK || err >= PROTO_ERR_COUNT)
		return "unknown";
	return proto_err_codes[err];
}

const char *
proto_reason_name(enum proto_reason reason)
{
	if ((size_t)reason >= PROTO_NREASONS)
		return "unknown";
	return proto_reason_names[reason];
}

const char *
proto_err_text(enum proto_err err)
{
	if (err < PROTO_OK || err >= PROTO_ERR_COUNT)
		return "unknown error";
	return proto_err_texts[err];
}

/*
 * The name rules of docs/protocol.md, default-ignorable code points
 * (zero-width, joiners, U+FEFF, variation selectors, tags) included.
 */
int
proto_check_name(const char *s)
{
	size_t		len, off = 0;
	int		n, nchars = 0;
	uint32_t	cp;

	len = strlen(s);
	if (len == 0 || len > PROTO_NAME_MAX_BYTES)
		return -1;
	if (s[0] == '/' || s[0] == '#' || s[0] == '@')
		return -1;
	while (off < len) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0)
			return -1;
		if (utf8_is_space(cp) || utf8_is_control(cp) ||
		    utf8_is_bidi(cp) || name_is_ignorable(cp))
			return -1;
		if (++nchars > PROTO_NAME_MAX_CHARS)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/*
 * The text rules. Bidi controls pass: the contract forbids only control
 * characters in text, and every receiver sanitises before display.
 */
enum proto_err
proto_check_text(const char *s, size_t len)
{
	size_t		off = 0;
	int		n;
	uint32_t	cp;

	if (len == 0 || len > PROTO_TEXT_MAX)
		return PROTO_ERR_BAD_TEXT;
	while (off < len) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0)
			return PROTO_ERR_BAD_TEXT;
		if (utf8_is_control(cp))
			return PROTO_ERR_BAD_TEXT;
		off += (size_t)n;
	}
	return PROTO_OK;
}

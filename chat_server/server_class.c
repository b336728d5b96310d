/*
 * server_class: the classroom text protocol (docs/protocol.md,
 * "Classroom text protocol"; the words are shared/classproto.h) with
 * --classroom: the course's students' clients in the same room and the
 * same name table as JSON clients. A classroom session is a struct
 * session with classroom set: no token on the wire, no seq, no acks;
 * whatever the room sends it goes out once as its text line
 * (server_class_send, called where the fan-out would queue a reliable
 * message), and it ends after --classroom-idle seconds of silence.
 *
 * Students' code is sloppy and a bad datagram changes nothing: a request
 * for a name not theirs (another address), for a name not online, with
 * no name or no text, with invalid UTF-8 or control characters is
 * dropped, logged at debug level. Choices where the contract is silent:
 *
 *  - A name refused for a full room or too many sessions from one host
 *    (--max-clients, --max-per-host) also gets 该用户已存在: the protocol has no other refusal, and no
 *    answer would leave the student's client waiting for ever. The
 *    server's log says the real reason.
 *  - Q for a name nobody has gets EXIT (the student's client may be
 *    waiting for it after a server restart); Q or C for someone else's
 *    name gets nothing.
 *  - A classroom login is never put off in a login storm (server_busy):
 *    a student's client does not send L again.
 *  - A text keeps its spaces; a line end at the end of the datagram is
 *    not part of it, a tab becomes a space (as a JSON client does); a
 *    text over PROTO_TEXT_MAX bytes is cut at a character boundary.
 *  - What a JSON room has and the classroom protocol has not: a /msg
 *    is "NAME (私聊) : TEXT", a /me "* NAME TEXT", a rename
 *    "OLD改名为NEW", a topic "管理员消息 : 话题: TEXT"; history is
 *    not replayed to a classroom login.
 *  - Without --classroom a classroom datagram is dropped, and the log
 *    says once how to turn the mode on.
 */
#include <stdio.h>
#include <string.h>

#include "classproto.h"
#include "clock.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "server_int.h"
#include "session.h"
#include "utf8.h"

/* The chat rate of protocol.md, "Rate limit", as server_req.c has it. */
#define SERVER_CLASS_BURST	20
#define SERVER_CLASS_RATE	10
#define SERVER_CLASS_TOPIC	"话题: "

static void	 server_class_login(struct server *, const struct net_addr *,
		    const struct classproto_req *);
static void	 server_class_chat(struct server *, const struct net_addr *,
		    const struct classproto_req *);
static void	 server_class_quit(struct server *, const struct net_addr *,
		    const struct classproto_req *);
static struct session *server_class_owner(struct server *,
		    const struct net_addr *, const struct classproto_req *,
		    char *);
static bool	 server_class_name(const struct classproto_req *, char *);
static const char *server_class_refusal(struct server *,
		    const struct net_addr *, const char *, struct session **);
static void	 server_class_reply(struct server *, const struct net_addr *,
		    enum classproto_kind, bool);
static bool	 server_class_text(const char *, size_t, const char *,
		    struct proto_msg *);
static void	 server_class_why(const struct net_addr *, const char *,
		    const char *, size_t);

void
server_class_datagram(struct server *srv, const struct net_addr *from,
    const char *buf, size_t len)
{
	struct classproto_req	 r;
	char			 peer[NET_ADDRSTRLEN];

	if (!srv->opt->classroom) {
		if (!srv->class_told) {
			net_format(from, peer, sizeof(peer));
			log_info("a classroom client (L NAME, C NAME TEXT, "
			    "Q NAME) at %s gets no answer: start chat_server "
			    "with --classroom to let it in (on a trusted "
			    "network only)", peer);
			srv->class_told = true;
		}
		return;
	}
	if (len > PROTO_MAX_DGRAM) {
		server_class_why(from, "too long", buf, 0);
		return;
	}
	classproto_parse_request(buf, len, &r);
	switch (r.cmd) {
	case CLASSPROTO_LOGIN:
		server_class_login(srv, from, &r);
		break;
	case CLASSPROTO_CHAT:
		server_class_chat(srv, from, &r);
		break;
	case CLASSPROTO_QUIT:
		server_class_quit(srv, from, &r);
		break;
	}
}

/*
 * L NAME: OK and a new session, OK again to its owner, or 该用户已存在.
 * A session marked dead is let go at once, as for a JSON login.
 */
static void
server_class_login(struct server *srv, const struct net_addr *from,
    const struct classproto_req *r)
{
	static struct proto_msg	 login;
	struct session		*s;
	const char		*why;
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 peer[NET_ADDRSTRLEN];
	char			 safe[PROTO_NAME_MAX_BYTES * 3 + 1];

	if (!server_class_name(r, name)) {
		server_class_why(from, "login refused: not a valid name",
		    r->name, r->name_len);
		server_class_reply(srv, from, CLASSPROTO_LINE_TAKEN, true);
		return;
	}
	if ((why = server_class_refusal(srv, from, name, &s)) != NULL) {
		if (!server_limit_ok(srv, from))
			return;
		net_format(from, peer, sizeof(peer));
		utf8_sanitize(name, strlen(name), safe, sizeof(safe));
		log_info("classroom login of %s from %s refused: %s", safe,
		    peer, why);
		server_class_reply(srv, from, CLASSPROTO_LINE_TAKEN, false);
		return;
	}
	if (s != NULL) {
		/* Its OK was lost, or the student's client asks again. */
		s->last_heard = srv->now;
		server_class_reply(srv, from, CLASSPROTO_LINE_OK, true);
		return;
	}
	proto_init(&login, PROTO_LOGIN);	/* no cid: nothing to resume */
	snprintf(login.name, sizeof(login.name), "%s", name);
	if ((s = server_create(srv, from, &login)) == NULL)
		return;
	s->classroom = true;
	session_set_deadline(&srv->sessions, s, server_deadline(srv, s));
	server_class_reply(srv, from, CLASSPROTO_LINE_OK, false);
}

/*
 * Why name cannot be logged in from from, or NULL: then *sp is its own
 * classroom session from that address (a repeated L) or NULL (a new one).
 */
static const char *
server_class_refusal(struct server *srv, const struct net_addr *from,
    const char *name, struct session **sp)
{
	struct session	*s;

	const char	*why;

	*sp = NULL;
	if ((why = server_kept_out(srv, from, name)) != NULL)
		return why;
	if ((s = session_find_name(&srv->sessions, name)) != NULL &&
	    s->dead) {
		/* Going anyway: let the name go now. */
		server_remove(srv, s, s->dead_reason);
		s = NULL;
	}
	if (s != NULL) {
		if (!s->classroom || s->kicked || !net_equal(&s->addr, from))
			return "the name is taken";
		*sp = s;
		return NULL;
	}
	if (session_find_skeleton(&srv->sessions, name, NULL) != NULL)
		return "the name looks like one online";
	if (srv->sessions.count >= (size_t)srv->opt->max_clients)
		return "the server is full (--max-clients)";
	if (session_host_count(&srv->sessions, from) >=
	    (size_t)srv->opt->max_per_host)
		return "too many sessions from that address (--max-per-host)";
	return NULL;
}

/* The name of a request into name, if it follows the name rules. */
static bool
server_class_name(const struct classproto_req *r, char *name)
{
	if (r->name_len == 0 || r->name_len > PROTO_NAME_MAX_BYTES ||
	    memchr(r->name, '\0', r->name_len) != NULL)
		return false;
	memcpy(name, r->name, r->name_len);
	name[r->name_len] = '\0';
	return proto_check_name(name) == 0;
}

/*
 * The live classroom session a C or Q names, if it logged in from from;
 * else NULL (name filled in if it was valid, "" if not).
 */
static struct session *
server_class_owner(struct server *srv, const struct net_addr *from,
    const struct classproto_req *r, char *name)
{
	struct session	*s;

	name[0] = '\0';
	if (!server_class_name(r, name)) {
		name[0] = '\0';
		return NULL;
	}
	s = session_find_name(&srv->sessions, name);
	if (s == NULL || !s->classroom || s->dead || s->kicked ||
	    !net_equal(&s->addr, from))
		return NULL;
	s->last_heard = srv->now;
	return s;
}

/* C NAME TEXT: to everyone else, as a JSON chat would be. */
static void
server_class_chat(struct server *srv, const struct net_addr *from,
    const struct classproto_req *r)
{
	struct proto_msg	 fwd;
	struct session		*s;
	char			 name[PROTO_NAME_MAX_BYTES + 1];

	if ((s = server_class_owner(srv, from, r, name)) == NULL) {
		server_class_why(from, "chat dropped: not the name's owner",
		    r->name, r->name_len);
		return;
	}
	if (r->text == NULL || !server_class_text(r->text, r->text_len,
	    s->name, &fwd)) {
		server_class_why(from, "chat dropped: empty or bad text",
		    r->text, r->text == NULL ? 0 : r->text_len);
		return;
	}
	if (server_muted(srv, s)) {
		server_class_why(from, "chat dropped: muted by the operator",
		    s->name, strlen(s->name));
		return;
	}
	if (!srv->opt->no_rate_limit && !session_bucket_take(&s->bucket,
	    srv->now, SERVER_CLASS_BURST, SERVER_CLASS_RATE)) {
		server_class_why(from, "chat dropped: over the rate limit",
		    s->name, strlen(s->name));
		return;
	}
	server_chat_out(srv, s, &fwd, NULL, 0);
}

/*
 * A classroom text as a chat from name in *m: the text rules of the
 * contract once a tab is a space, cut to PROTO_TEXT_MAX bytes and, for
 * heavy JSON escaping, until the chat fits a datagram.
 */
static bool
server_class_text(const char *text, size_t len, const char *name,
    struct proto_msg *m)
{
	size_t	 i;
	int	 tries;

	if (len == 0 || !utf8_valid(text, len))
		return false;
	proto_init(m, PROTO_CHAT);
	len = utf8_prefix(text, len, PROTO_TEXT_MAX);
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	for (i = 0; i < len; i++) {
		if (m->text[i] == '\t')
			m->text[i] = ' ';
	}
	if (proto_check_text(m->text, len) != PROTO_OK)
		return false;
	m->ts = clock_wall_ms();
	m->mid = PROTO_INT_MAX;		/* the widest: any mid fits then */
	snprintf(m->from, sizeof(m->from), "%s", name);
	for (tries = 0; tries < 16 && !server_fits(m); tries++) {
		len = utf8_prefix(m->text, len, len > 100 ? len - 100 : 0);
		m->text[len] = '\0';
	}
	return len > 0 && server_fits(m);
}

/* Q NAME: EXIT, and the others see it leave. */
static void
server_class_quit(struct server *srv, const struct net_addr *from,
    const struct classproto_req *r)
{
	struct session	*s;
	char		 name[PROTO_NAME_MAX_BYTES + 1];

	if ((s = server_class_owner(srv, from, r, name)) != NULL) {
		server_class_reply(srv, from, CLASSPROTO_LINE_EXIT, false);
		server_mark_dead(srv, s, PROTO_REASON_QUIT);
		return;
	}
	if (name[0] == '\0') {
		server_class_why(from, "quit dropped: not a valid name",
		    r->name, r->name_len);
		return;
	}
	s = session_find_name(&srv->sessions, name);
	if (s == NULL || (s->dead && s->classroom &&
	    net_equal(&s->addr, from))) {
		/* Nobody's (or its own, already going): let it exit. */
		server_class_reply(srv, from, CLASSPROTO_LINE_EXIT, true);
		return;
	}
	server_class_why(from, "quit dropped: not the name's owner", r->name,
	    r->name_len);
}

/* OK, 该用户已存在 or EXIT; limited: through the per-source limit. */
static void
server_class_reply(struct server *srv, const struct net_addr *to,
    enum classproto_kind kind, bool limited)
{
	char	 line[CLASSPROTO_DGRAM_MAX + 1];
	size_t	 len;

	if (limited && !server_limit_ok(srv, to))
		return;
	len = classproto_format(kind, NULL, NULL, line, sizeof(line));
	server_send(srv, to, line, len);
}

/* A dropped request, at debug level, with what it carried. */
static void
server_class_why(const struct net_addr *from, const char *why,
    const char *what, size_t len)
{
	char	 peer[NET_ADDRSTRLEN], safe[96];

	if (log_get_level() < LOG_DEBUG)
		return;
	net_format(from, peer, sizeof(peer));
	utf8_sanitize(what, utf8_prefix(what, len, 32), safe, sizeof(safe));
	log_debug("classroom from %s: %s ('%s')", peer, why, safe);
}

/*
 * The line m is for a classroom session, sent once (no seq, no queue).
 * History and what the protocol cannot say (users, errors) are not sent.
 */
void
server_class_send(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	enum classproto_kind	 kind;
	const char		*name = m->from, *text = m->text;
	char			 line[CLASSPROTO_DGRAM_MAX + 1];
	char			 topic[PROTO_STR_MAX + sizeof(SERVER_CLASS_TOPIC)];

	switch (m->type) {
	case PROTO_CHAT:
		if (m->history)
			return;
		kind = m->action ? CLASSPROTO_LINE_ACTION :
		    CLASSPROTO_LINE_CHAT;
		break;
	case PROTO_MSG:
		kind = CLASSPROTO_LINE_PRIVATE;
		break;
	case PROTO_JOIN:
		kind = CLASSPROTO_LINE_JOIN;
		name = m->name;
		break;
	case PROTO_LEAVE:
		kind = CLASSPROTO_LINE_LEAVE;
		name = m->name;
		break;
	case PROTO_RENAME:
		kind = CLASSPROTO_LINE_RENAME;
		text = m->to;
		break;
	case PROTO_ANNOUNCE:
		if (m->history)
			return;
		kind = CLASSPROTO_LINE_ANNOUNCE;
		break;
	case PROTO_TOPIC:
		if (m->text[0] == '\0')
			return;
		snprintf(topic, sizeof(topic), "%s%s", SERVER_CLASS_TOPIC,
		    m->text);
		kind = CLASSPROTO_LINE_ANNOUNCE;
		text = topic;
		break;
	default:
		return;
	}
	server_send(srv, &s->addr, line, classproto_format(kind, name, text,
	    line, sizeof(line)));
}

/* The silence that expires s: --classroom-idle, or 3 heartbeats. */
uint64_t
server_class_idle(const struct server *srv, const struct session *s)
{
	if (s->classroom)
		return (uint64_t)srv->opt->classroom_idle * 1000;
	return srv->expire_ms;
}

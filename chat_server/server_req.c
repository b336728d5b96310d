/*
 * server_req: the requests of a logged-in session (server_int.h): chat,
 * msg, rename, who, quit, and what they share: acting in id order,
 * answering a repeated id as before, text acceptance, the chat rate
 * limit. Choices where the contract is silent:
 *
 *  - chat and msg share one rate bucket per session (burst 20, 10/s).
 *    A request counts when its id first arrives, held or not; a repeat
 *    (acted on, or held) does not count again.
 *  - --no-rate-limit drops the chat bucket, for benchmarks.
 *  - An id more than RELIABLE_WINDOW - 1 ahead of the next one, or one
 *    that would take the session's held datagrams past SERVER_HELD_MAX
 *    bytes, is dropped unanswered (the client sends it again); a
 *    repeated id so old that its outcome is forgotten
 *    (SESSION_OUTCOMES back) is acked.
 *  - A retried quit whose session is already gone gets bye again (a
 *    small ring remembers recent quits), not no_session.
 *  - A chat is kept for history only if its replayed form (with
 *    "history":true) also fits in a datagram.
 *
 * Requests in id order (protocol.md, "Reliability"): s->held.next is
 * the id to act on next. That one is acted on at once and then every
 * held id that follows it; an early one (up to RELIABLE_WINDOW ahead)
 * is kept as the datagram it came in (shared/reliable's window) and
 * decoded again when its turn comes. Each is answered when acted on,
 * and how (ack or which error) is kept in s->outcome, so that a repeat
 * is answered the same and never acted on twice. slow_down is the one
 * answer that does not use up an id: the request is forgotten, the
 * client sends it again, and the ids after it wait.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "history.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"

#define SERVER_CHAT_BURST	20
#define SERVER_CHAT_RATE	10
/*
 * Bytes of early requests held per session. 256 ids of 1400 bytes each
 * would be 350 KB a session (renames do not count against the rate);
 * past this an early id is dropped unanswered, as the contract allows,
 * and the client sends it again. A client that sends at most a few
 * dozen requests ahead never meets it.
 */
#define SERVER_HELD_MAX		(64 * 1024)

/* How a request was answered, kept per id in s->outcome. */
enum server_outcome {
	SERVER_OUT_ACK,
	SERVER_OUT_BAD_TEXT,
	SERVER_OUT_TOO_LONG,
	SERVER_OUT_BAD_NAME,
	SERVER_OUT_NO_SUCH_USER,
	SERVER_OUT_NAME_TAKEN,
	SERVER_OUT_RESERVED,	/* the operator's (server_reserved) */
	SERVER_OUT_MUTED,	/* by the operator (server_mod.c) */
};

static void	 server_answer(struct server *, struct session *, uint64_t,
		    enum server_outcome);
static enum server_outcome server_outcome_of(const struct session *,
		    uint64_t);
static void	 server_act(struct server *, struct session *,
		    const struct proto_msg *);
static void	 server_settle(struct server *, struct session *, uint64_t,
		    enum server_outcome);
static void	 server_drain(struct server *, struct session *);
static enum server_outcome server_text_accept(struct server *,
		    struct session *, const struct proto_msg *,
		    struct session **, struct proto_msg *,
		    struct reliable_body **, int *);
static enum server_outcome server_chat(struct server *, struct session *,
		    const struct proto_msg *);
static enum server_outcome server_msg(struct server *, struct session *,
		    const struct proto_msg *);
static enum server_outcome server_rename(struct server *, struct session *,
		    const struct proto_msg *);
static bool	 server_rate_ok(struct server *, struct session *,
		    const struct proto_msg *);

/* A chat, msg or rename: acted on in id order, each id once. */
void
server_request(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	uint64_t	 next = s->held.next;

	if (m->id < next) {
		/* The first answer was lost: the same one again. */
		server_answer(srv, s, m->id, server_outcome_of(s, m->id));
		return;
	}
	/* Held already: answered when its turn comes. Too far: dropped. */
	if (reliable_window_held(&s->held, m->id) ||
	    m->id - next >= RELIABLE_WINDOW ||
	    (m->id > next && s->held_bytes + srv->in_len > SERVER_HELD_MAX))
		return;
	if (m->type != PROTO_RENAME && !server_rate_ok(srv, s, m))
		return;
	if (m->id > next) {
		if (reliable_window_offer(&s->held, m->id, srv->in_raw,
		    srv->in_len) == RELIABLE_HOLD)
			s->held_bytes += srv->in_len;
		else
			log_debug("request %llu of %s not held",
			    (unsigned long long)m->id, s->name);
		return;
	}
	/* Offering the next id moves the window on: the id is used. */
	reliable_window_offer(&s->held, m->id, NULL, 0);
	server_act(srv, s, m);
	server_drain(srv, s);
}

/*
 * The answer to request id, the first time and every repeat alike.
 * Errors about the request's own bytes go through the per-source limit,
 * as decoding errors do; the others answer what only a session can ask.
 */
static void
server_answer(struct server *srv, struct session *s, uint64_t id,
    enum server_outcome o)
{
	enum proto_err	 e;

	switch (o) {
	case SERVER_OUT_ACK:
		server_ack(srv, s, id);
		return;
	case SERVER_OUT_NO_SUCH_USER:
		server_error(srv, &s->addr, PROTO_CODE_NO_SUCH_USER,
		    "no such user", true, id, false);
		return;
	case SERVER_OUT_NAME_TAKEN:
		server_error(srv, &s->addr, PROTO_CODE_NAME_TAKEN,
		    "that name is taken", true, id, false);
		return;
	case SERVER_OUT_RESERVED:
		server_error(srv, &s->addr, PROTO_CODE_NAME_TAKEN,
		    "that name is reserved for the operator", true, id, false);
		return;
	case SERVER_OUT_MUTED:
		server_muted_error(srv, s, id);
		return;
	case SERVER_OUT_BAD_TEXT:
		e = PROTO_ERR_BAD_TEXT;
		break;
	case SERVER_OUT_TOO_LONG:
		e = PROTO_ERR_TOO_LONG;
		break;
	default:
		e = PROTO_ERR_BAD_NAME;
		break;
	}
	server_error(srv, &s->addr, proto_err_code(e), proto_err_text(e),
	    true, id, true);
}

/* How id (below s->held.next) was answered; forgotten ones: ack. */
static enum server_outcome
server_outcome_of(const struct session *s, uint64_t id)
{
	if (id < s->first_id || s->held.next - id > SESSION_OUTCOMES)
		return SERVER_OUT_ACK;
	return s->outcome[id % SESSION_OUTCOMES];
}

/*
 * Acts on m, whose turn it is, and answers it: a refusal here; an ack
 * by the handler itself, before its fan-out, so that the sender's next
 * request does not wait behind the forwards in the send batch.
 */
static void
server_act(struct server *srv, struct session *s, const struct proto_msg *m)
{
	enum server_outcome	 o;

	switch (m->type) {
	case PROTO_CHAT:
		o = server_chat(srv, s, m);
		break;
	case PROTO_MSG:
		o = server_msg(srv, s, m);
		break;
	default:
		o = server_rename(srv, s, m);
		break;
	}
	if (o != SERVER_OUT_ACK)
		server_settle(srv, s, m->id, o);
}

/* id is used up with outcome o: kept for repeats, and answered. */
static void
server_settle(struct server *srv, struct session *s, uint64_t id,
    enum server_outcome o)
{
	s->outcome[id % SESSION_OUTCOMES] = (uint8_t)o;
	server_answer(srv, s, id, o);
}

/* Every held request that is now next, in order. */
static void
server_drain(struct server *srv, struct session *s)
{
	struct proto_msg	*m = &srv->held_in;
	char			 buf[PROTO_MAX_DGRAM];
	size_t			 len;

	while (!s->dead &&
	    reliable_window_pop(&s->held, buf, sizeof(buf), &len)) {
		s->held_bytes -= len;
		/* It decoded when it came; the same bytes decode again. */
		if (proto_decode(buf, len, PROTO_FROM_CLIENT, m) == PROTO_OK)
			server_act(srv, s, m);
	}
}

/*
 * The steps chat and msg share before forwarding m->text: the text is
 * checked, msg's recipient is found (into *to; NULL for chat), fwd is
 * built from s and encoded once into *bp (a chat under the mid it will
 * get: none is taken before server_chat_out), which is the check that
 * it fits a datagram with any seq; *lenp is that length. The order
 * decides which error a request with several faults gets.
 */
static enum server_outcome
server_text_accept(struct server *srv, struct session *s,
    const struct proto_msg *m, struct session **to, struct proto_msg *fwd,
    struct reliable_body **bp, int *lenp)
{
	enum proto_type	 type = to == NULL ? PROTO_CHAT : PROTO_MSG;

	if (proto_check_text(m->text, strlen(m->text)) != PROTO_OK)
		return SERVER_OUT_BAD_TEXT;
	if (to != NULL) {
		*to = session_find_name(&srv->sessions, m->to);
		if (*to == NULL || (*to)->dead || (*to)->kicked)
			return SERVER_OUT_NO_SUCH_USER;
	}
	proto_init(fwd, type);
	snprintf(fwd->from, sizeof(fwd->from), "%s", s->name);
	snprintf(fwd->text, sizeof(fwd->text), "%s", m->text);
	fwd->ts = clock_wall_ms();
	if (type == PROTO_CHAT) {
		fwd->action = m->action;
		fwd->mid = srv->next_mid;
	}
	if (server_muted(srv, s))
		return SERVER_OUT_MUTED;
	if ((*lenp = server_encode(fwd, bp)) == -1)
		return SERVER_OUT_TOO_LONG;
	return SERVER_OUT_ACK;
}

/* To everyone else under the run's next mid, and kept for history. */
static enum server_outcome
server_chat(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct reliable_body	*b;
	enum server_outcome	 o;
	int			 len;

	if ((o = server_text_accept(srv, s, m, NULL, &fwd, &b, &len)) !=
	    SERVER_OUT_ACK)
		return o;
	server_settle(srv, s, m->id, SERVER_OUT_ACK);
	server_chat_out(srv, s, &fwd, b, len);
	reliable_body_unref(b);
	return SERVER_OUT_ACK;
}

/*
 * Its replay to a newcomer is the same chat with "history":true, so
 * the encoded length says whether history may keep it.
 */
void
server_chat_out(struct server *srv, struct session *s, struct proto_msg *fwd,
    struct reliable_body *b, int len)
{
	struct reliable_body	*own = NULL;
	bool			 keep;

	fwd->mid = srv->next_mid++;
	if (b == NULL && (len = server_encode(fwd, &own)) == -1) {
		log_error("cannot encode a chat from %s", s->name);
		return;
	}
	keep = (size_t)len + sizeof(PROTO_HISTORY_FLAG) - 1 <= PROTO_MAX_DGRAM;
	server_fanout_body(srv, s, fwd, b != NULL ? b : own);
	reliable_body_unref(own);
	s->chats++;
	s->last_chat = srv->now;
	server_record(srv, &(struct transcript_event){ .type = "chat",
	    .ts = fwd->ts, .mid = fwd->mid, .from = fwd->from,
	    .text = fwd->text, .action = fwd->action });
	if (keep)
		server_keep(srv, fwd);
}

/* To the one session named in m->to. */
static enum server_outcome
server_msg(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct reliable_body	*b;
	struct session		*to;
	enum server_outcome	 o;
	int			 len;

	if ((o = server_text_accept(srv, s, m, &to, &fwd, &b, &len)) !=
	    SERVER_OUT_ACK)
		return o;
	server_settle(srv, s, m->id, SERVER_OUT_ACK);
	server_reliable_body(srv, to, &fwd, b);
	reliable_body_unref(b);
	return SERVER_OUT_ACK;
}

static enum server_outcome
server_rename(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct session		*other;

	if (proto_check_name(m->name) != 0)
		return SERVER_OUT_BAD_NAME;
	switch (server_reserved(srv, m->name)) {
	case SERVER_RESERVED_OP:
		return SERVER_OUT_RESERVED;
	case SERVER_RESERVED:
		return SERVER_OUT_NAME_TAKEN;
	default:
		break;
	}
	/* Already so named: nothing for the others to see. */
	if ((other = session_find_name(&srv->sessions, m->name)) == s) {
		server_settle(srv, s, m->id, SERVER_OUT_ACK);
		return SERVER_OUT_ACK;
	}
	/* Taken, or looks like a name online (its skeleton). */
	if (other != NULL ||
	    session_find_skeleton(&srv->sessions, m->name, s) != NULL)
		return SERVER_OUT_NAME_TAKEN;
	proto_init(&fwd, PROTO_RENAME);
	snprintf(fwd.from, sizeof(fwd.from), "%s", s->name);
	snprintf(fwd.to, sizeof(fwd.to), "%s", m->name);
	fwd.ts = clock_wall_ms();
	log_info("rename %s -> %s", fwd.from, fwd.to);
	server_renamed(srv, s->name, m->name);
	session_rename(&srv->sessions, s, m->name);
	server_settle(srv, s, m->id, SERVER_OUT_ACK);
	server_fanout(srv, s, &fwd);
	server_record(srv, &(struct transcript_event){ .type = "rename",
	    .ts = fwd.ts, .from = fwd.from, .to = fwd.to });
	return SERVER_OUT_ACK;
}

/*
 * Whether s may send one more chat or msg now (the operator's slow
 * mode, then the rate); if not, answers slow_down. --no-rate-limit lets
 * the rate through (benchmarks), not slow mode.
 */
static bool
server_rate_ok(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	if (!server_slow_ok(srv, s, m))
		return false;
	if (srv->opt->no_rate_limit)
		return true;
	if (session_bucket_take(&s->bucket, srv->now, SERVER_CHAT_BURST,
	    SERVER_CHAT_RATE))
		return true;
	server_error(srv, &s->addr, PROTO_CODE_SLOW_DOWN,
	    "too many messages: slow down", true, m->id, false);
	return false;
}

void
server_who(struct server *srv, struct session *s)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_USERS);
	server_users(srv, s, &m);
	server_reply(srv, &s->addr, &m);
}

/* text: the quitter's words for the others' leave ("" for none). */
void
server_quit(struct server *srv, struct session *s, const char *text)
{
	struct server_quit	*q;

	/* Out of memory, the leave goes without its words. */
	if (text[0] != '\0' && s->leave_text == NULL)
		s->leave_text = strdup(text);
	server_simple(srv, &s->addr, PROTO_BYE);
	q = &srv->quits[srv->nquits++ % SERVER_QUITS];
	snprintf(q->token, sizeof(q->token), "%s", s->token);
	q->addr = s->addr;
	server_mark_dead(srv, s, PROTO_REASON_QUIT);
}

bool
server_recently_quit(const struct server *srv, const struct net_addr *from,
    const char *token)
{
	size_t	 i;

	for (i = 0; i < SERVER_QUITS && i < srv->nquits; i++) {
		if (strcmp(srv->quits[i].token, token) == 0 &&
		    net_equal(&srv->quits[i].addr, from))
			return true;
	}
	return false;
}

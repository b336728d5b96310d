/*
 * server_req: the requests of a logged-in session (server_int.h): chat,
 * msg, rename, who, quit, and what they share: text acceptance, the
 * chat rate limit, repeated request ids. Choices where the contract is
 * silent:
 *
 *  - chat and msg share one rate bucket per session (burst 20, 10/s).
 *  - --no-rate-limit drops the chat bucket, for benchmarks.
 *  - A retried quit whose session is already gone gets bye again (a
 *    small ring remembers recent quits), not no_session.
 *  - A chat is kept for history only if its replayed form (with
 *    "history":true) also fits in a datagram.
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

static bool	 server_repeated(struct server *, struct session *,
		    const struct proto_msg *);
static bool	 server_text_accept(struct server *, struct session *,
		    const struct proto_msg *, enum proto_type, struct session **,
		    struct proto_msg *);
static bool	 server_rate_ok(struct server *, struct session *,
		    const struct proto_msg *);

/* A request whose id s already had acted on: its ack again, no more. */
static bool
server_repeated(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	if (!reliable_dedup_seen(&s->dedup, m->id))
		return false;
	/* The first ack was lost. */
	server_ack(srv, s, m->id);
	return true;
}

/*
 * The steps chat and msg share before forwarding m->text: a repeat is
 * only acked again; then the text is checked, msg's recipient is found
 * (into *to; NULL for chat), fwd is built as type from s and must fit
 * a datagram with any seq, and the rate bucket must allow it. The order
 * decides which error a request with several faults gets. Every refusal
 * is answered here; true means fwd is ready and m is acked.
 */
static bool
server_text_accept(struct server *srv, struct session *s,
    const struct proto_msg *m, enum proto_type type, struct session **to,
    struct proto_msg *fwd)
{
	if (server_repeated(srv, s, m))
		return false;
	if (proto_check_text(m->text, strlen(m->text)) != PROTO_OK) {
		server_decode_error(srv, &s->addr, PROTO_ERR_BAD_TEXT, m);
		return false;
	}
	if (to != NULL) {
		*to = session_find_name(&srv->sessions, m->to);
		if (*to == NULL || (*to)->dead || (*to)->kicked) {
			server_error(srv, &s->addr, PROTO_CODE_NO_SUCH_USER,
			    "no such user", true, m->id, false);
			return false;
		}
	}
	proto_init(fwd, type);
	snprintf(fwd->from, sizeof(fwd->from), "%s", s->name);
	snprintf(fwd->text, sizeof(fwd->text), "%s", m->text);
	fwd->ts = clock_wall_ms();
	if (!server_fits(fwd)) {
		server_decode_error(srv, &s->addr, PROTO_ERR_TOO_LONG, m);
		return false;
	}
	if (server_muted(srv, s)) {
		server_muted_error(srv, s, m->id);
		return false;
	}
	if (!server_slow_ok(srv, s, m))
		return false;
	if (!server_rate_ok(srv, s, m))
		return false;
	server_ack(srv, s, m->id);
	return true;
}

/* To everyone else, and kept for history if its replay fits too. */
void
server_chat(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;

	if (!server_text_accept(srv, s, m, PROTO_CHAT, NULL, &fwd))
		return;
	server_fanout(srv, s, &fwd);
	s->chats++;
	s->last_chat = srv->now;
	server_record(srv, &(struct transcript_event){ .type = "chat",
	    .ts = fwd.ts, .from = fwd.from, .text = fwd.text });
	fwd.history = true;
	if (server_fits(&fwd))
		history_push(&srv->history, fwd.from, fwd.text, fwd.ts);
	reliable_dedup_mark(&s->dedup, m->id);
}

/* To the one session named in m->to. */
void
server_msg(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct session		*to;

	if (!server_text_accept(srv, s, m, PROTO_MSG, &to, &fwd))
		return;
	server_reliable(srv, to, &fwd);
	reliable_dedup_mark(&s->dedup, m->id);
}

void
server_rename(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct session		*other;

	if (server_repeated(srv, s, m))
		return;
	if (proto_check_name(m->name) != 0) {
		server_decode_error(srv, &s->addr, PROTO_ERR_BAD_NAME, m);
		return;
	}
	if ((other = session_find_name(&srv->sessions, m->name)) == s) {
		/* Already so named: nothing for the others to see. */
		server_ack(srv, s, m->id);
		reliable_dedup_mark(&s->dedup, m->id);
		return;
	}
	if (other != NULL || server_reserved(srv, m->name)) {
		server_error(srv, &s->addr, PROTO_CODE_NAME_TAKEN,
		    "that name is taken", true, m->id, false);
		return;
	}
	proto_init(&fwd, PROTO_RENAME);
	snprintf(fwd.from, sizeof(fwd.from), "%s", s->name);
	snprintf(fwd.to, sizeof(fwd.to), "%s", m->name);
	fwd.ts = clock_wall_ms();
	log_info("rename %s -> %s", fwd.from, fwd.to);
	server_renamed(srv, s->name, m->name);
	session_rename(&srv->sessions, s, m->name);
	server_ack(srv, s, m->id);
	server_fanout(srv, s, &fwd);
	server_record(srv, &(struct transcript_event){ .type = "rename",
	    .ts = fwd.ts, .from = fwd.from, .to = fwd.to });
	reliable_dedup_mark(&s->dedup, m->id);
}

/*
 * Whether s may send one more chat or msg now; if not, answers
 * slow_down. --no-rate-limit lets everything through (benchmarks).
 */
static bool
server_rate_ok(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
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

void
server_quit(struct server *srv, struct session *s)
{
	struct server_quit	*q;

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

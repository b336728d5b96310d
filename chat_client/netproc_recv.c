/*
 * netproc_recv: the network process's datagrams from the server
 * (docs/protocol.md, "Reliability"): only the server's address is
 * heard; reliable messages are acked (duplicates and early ones too)
 * and shown in seq order through the reorder window, with a replayed
 * chat or announce already shown dropped; acks and errors end a
 * request; users, topic and slow_down are handled here too.
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "login.h"
#include "netproc.h"
#include "netproc_priv.h"
#include "reliable.h"
#include "utf8.h"

static void	 np_ack(struct netproc *, uint64_t);
static void	 np_datagram(struct netproc *, const char *, size_t);
static void	 np_heard(struct netproc *);
static void	 np_message(struct netproc *, const char *, size_t, bool);
static void	 np_reliable(struct netproc *, const char *, size_t, bool);
static void	 np_deliver(struct netproc *, const struct proto_msg *);
static uint64_t	 np_chat_hash(const char *, const char *);
static bool	 np_replayed(struct netproc *, const struct proto_msg *);
static void	 np_error(struct netproc *, const struct proto_msg *);
static int	 np_slow_down(struct netproc *, uint64_t);
static void	 np_users(struct netproc *, const struct proto_msg *);

void
np_read_sock(struct netproc *np)
{
	char		 buf[PROTO_MAX_DGRAM + 1];
	struct net_addr	 from;
	ssize_t		 n;
	int		 i;

	np->ack_due = false;
	for (i = 0; i < NP_BATCH && !np->done; i++) {
		from.len = sizeof(from.ss);
		n = recvfrom(np->c->sock, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from.ss, &from.len);
		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			break;
		}
		/* Anyone can send us a datagram; only the server is heard. */
		if (!net_equal(&from, &np->c->srv))
			continue;
		client_trace(TRACE_IN, &from, buf, (size_t)n);
		np_datagram(np, buf, (size_t)n);
	}
	/* One cumulative ack for every batch this read took in. */
	if (np->ack_due && !np->relogin && !np->done)
		np_ack(np, 0);
}

/*
 * Acks seq, or (seq 0, after a batch) cumulatively: every seq before
 * the window's next, and the ones it holds above that.
 */
static void
np_ack(struct netproc *np, uint64_t seq)
{
	char		 token[PROTO_TOKEN_LEN + 1];
	char		 buf[PROTO_MAX_DGRAM + 1];
	uint64_t	 seqs[PROTO_ACK_SEQS_MAX], s;
	int		 len, n = 0;

	client_get_token(np->sh, token);
	if (seq == 0) {
		for (s = np->w.next + 1; s < np->w.next + RELIABLE_WINDOW &&
		    n < PROTO_ACK_SEQS_MAX; s++) {
			if (reliable_window_held(&np->w, s))
				seqs[n++] = s;
		}
	}
	len = proto_encode_ack(token, seq == 0, seq, np->w.next - 1, seqs, n,
	    buf, sizeof(buf));
	if (len <= 0)
		return;
	/*
	 * Twice: a lost ack costs the server a retransmission, and five
	 * lost round trips in a row expire the whole session. Acks are
	 * small and idempotent; two copies turn a 20 % ack loss into 4 %.
	 */
	client_send(np->sh, np->c->sock, &np->c->srv, buf, (size_t)len);
	client_send(np->sh, np->c->sock, &np->c->srv, buf, (size_t)len);
}

/*
 * A datagram from the server. A batch (cap batch) is its messages in
 * order, each as if it came alone; one cumulative ack covers them and
 * every other batch of the same read (np_read_sock).
 */
static void
np_datagram(struct netproc *np, const char *buf, size_t len)
{
	size_t	 pos = 0, off, n;

	if (len < 10 || buf[9] != 'b') {
		np_message(np, buf, len, false);
		return;
	}
	while (proto_batch_next(buf, len, &pos, &off, &n) == 1)
		np_message(np, buf + off, n, true);
	if (pos == 0)
		np_message(np, buf, len, false);	/* not a batch */
}

/* One message; in_batch: its ack waits for the batch's end. */
static void
np_message(struct netproc *np, const char *buf, size_t len, bool in_batch)
{
	struct proto_msg	*m = &np->m;

	if (proto_decode(buf, len, PROTO_FROM_SERVER, m) != PROTO_OK)
		return;	/* not acked: a real server sends it again */
	np_heard(np);
	if (proto_reliable(m->type)) {
		/* Seqs belong to a session: none while we have none. */
		if (!np->relogin)
			np_reliable(np, buf, len, in_batch);
		return;
	}
	switch (m->type) {
	case PROTO_ACK:
		np_acked(np, m->id);
		break;
	case PROTO_ERROR:
		np_error(np, m);
		break;
	case PROTO_USERS:
		np_users(np, m);
		break;
	case PROTO_WELCOME:
		if (np->relogin)
			np_welcome(np, m);
		break;
	case PROTO_COOKIE:
		if (np->relogin)
			np_cookie(np, m);
		break;
	case PROTO_BYE:
		if (np->quitting)
			np->done = 1;
		break;
	case PROTO_PONG:
		reliable_ack(&np->q, NP_KEY_PING);
		break;
	default:	/* here: the datagram itself was the point */
		break;
	}
}

/*
 * Anything valid from the server: it is there, so "no answer" ends at
 * once (while logging in again it goes back to "reconnecting").
 */
static void
np_heard(struct netproc *np)
{
	uint64_t	 now = clock_ms();

	client_alive_heard(&np->alive, now);
	if (np->relogin)
		login_retry_heard(&np->lr, now);
	if (client_get_conn(np->sh) != FRONT_NO_ANSWER)
		return;
	if (np->relogin)
		np_reconnecting(np);
	else if (client_set_conn(np->sh, FRONT_CONNECTED))
		np->front->status();
}

/*
 * A reliable message: ack it (in a batch: at the batch's end), then
 * show it and whatever it unblocks.
 */
static void
np_reliable(struct netproc *np, const char *buf, size_t len, bool in_batch)
{
	char	 held[PROTO_MAX_DGRAM + 1];
	size_t	 hlen;
	uint64_t seq = np->m.seq;

	switch (reliable_window_offer(&np->w, seq, buf, len)) {
	case RELIABLE_DELIVER:
		if (in_batch)
			np->ack_due = true;
		else
			np_ack(np, seq);
		np_deliver(np, &np->m);
		while (reliable_window_pop(&np->w, held, sizeof(held), &hlen))
			if (proto_decode(held, hlen, PROTO_FROM_SERVER,
			    &np->m) == PROTO_OK)
				np_deliver(np, &np->m);
		break;
	case RELIABLE_HOLD:
	case RELIABLE_DUP:
		if (in_batch)
			np->ack_due = true;
		else
			np_ack(np, seq);
		break;
	case RELIABLE_FAR:
		break;
	}
}

/* Shows one in-order reliable message and keeps the user list. */
static void
np_deliver(struct netproc *np, const struct proto_msg *m)
{
	struct front_item	 it;
	char			 from[NP_SAFE_MAX], to[NP_SAFE_MAX];
	char			 name[NP_SAFE_MAX], text[NP_SAFE_MAX];
	char			 reason[NP_SAFE_MAX + 16];
	char			 kick[NP_SAFE_MAX + 64];
	char			 me[PROTO_NAME_MAX_BYTES + 1];
	enum front_kind		 kind;

	if ((m->type == PROTO_CHAT || m->type == PROTO_ANNOUNCE) &&
	    np_replayed(np, m))
		return;
	if (m->type == PROTO_TOPIC) {
		np_topic(np, np_when(m), m->text);
		return;
	}
	memset(&it, 0, sizeof(it));
	utf8_sanitize(m->from, strlen(m->from), from, sizeof(from));
	utf8_sanitize(m->to, strlen(m->to), to, sizeof(to));
	utf8_sanitize(m->name, strlen(m->name), name, sizeof(name));
	utf8_sanitize(m->text, strlen(m->text), text, sizeof(text));
	it.from = from;
	it.to = to;
	it.name = name;
	it.text = text;
	it.history = m->history;
	it.action = m->type == PROTO_CHAT && m->action;
	client_get_name(np->sh, me);
	/* As a word: a user "al" is not called by every "also". */
	it.mention = client_mentions(text, me);
	switch (m->type) {
	case PROTO_CHAT:
		kind = FRONT_CHAT;
		break;
	case PROTO_MSG:
		kind = FRONT_MSG_IN;
		break;
	case PROTO_JOIN:
		kind = FRONT_JOIN;
		client_users_add(np->sh, m->name);
		break;
	case PROTO_LEAVE:
		/* The quitter's words or the kick's reason: "quit: bye". */
		if (m->text[0] != '\0')
			snprintf(reason, sizeof(reason), "%s: %s",
			    proto_reason_name(m->reason), text);
		else
			snprintf(reason, sizeof(reason), "%s",
			    proto_reason_name(m->reason));
		if (m->reason == PROTO_REASON_KICKED &&
		    strcmp(m->name, me) == 0) {
			/*
			 * Our own kick (docs/protocol.md, "Kick"): the leave is
			 * acked already; stop without logging in again.
			 */
			if (m->text[0] != '\0')
				snprintf(kick, sizeof(kick), "you were removed "
				    "by the operator (%s)", text);
			else
				snprintf(kick, sizeof(kick), "you were removed "
				    "by the operator");
			np_fatal(np, FRONT_INFO, kick);
			return;
		}
		kind = FRONT_LEAVE;
		it.reason = reason;
		client_users_remove(np->sh, m->name);
		break;
	case PROTO_RENAME:
		kind = FRONT_RENAME;
		client_users_rename(np->sh, m->from, m->to);
		if (strcmp(m->from, me) == 0) {
			/* The operator renamed us (/rename): our name now. */
			client_lock(np->sh);
			snprintf(np->sh->name, sizeof(np->sh->name), "%s", m->to);
			client_unlock(np->sh);
		}
		np_user_renamed(np, m->from, m->to);
		break;
	default:
		kind = FRONT_ANNOUNCE;
		break;
	}
	if (kind == FRONT_CHAT || kind == FRONT_MSG_IN)
		np_user_heard(np, m, it.mention);
	np_show(np, kind, np_when(m), &it);
	if (kind == FRONT_JOIN || kind == FRONT_LEAVE || kind == FRONT_RENAME)
		np->front->status();
}

/* FNV-1a over from, a NUL and text: which chat this is, for np_replayed. */
static uint64_t
np_chat_hash(const char *from, const char *text)
{
	uint64_t	 h = UINT64_C(14695981039346656037);
	const char	*p;

	for (p = from;; p++) {
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
		if (*p == '\0')
			break;
	}
	for (p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
	return h;
}

/*
 * True for a history chat or announce the user has already seen (the
 * replay after a re-login to the same run of the server): one whose mid
 * is not above the highest shown, or one of our own recent lines (we
 * never learn their mids). Records every other one as seen. A server
 * without mids: a chat not newer than the newest chat shown.
 */
static bool
np_replayed(struct netproc *np, const struct proto_msg *m)
{
	char		 me[PROTO_NAME_MAX_BYTES + 1];
	uint64_t	 h = np_chat_hash(m->from, m->text);
	size_t		 i, n;
	bool		 mids = m->mid != 0 && np->run[0] != '\0';

	if (m->history) {
		if (mids && m->mid <= np->mid_high)
			return true;
		if (!mids && m->type == PROTO_CHAT && (m->ts < np->seen_ts ||
		    (m->ts == np->seen_ts && h == np->seen_hash)))
			return true;
		client_get_name(np->sh, me);
		n = np->nown < NP_OWN_RECENT ? np->nown : NP_OWN_RECENT;
		for (i = 0; i < n && m->type == PROTO_CHAT &&
		    strcmp(m->from, me) == 0; i++)
			if (np->own[i] == h)
				return true;
	}
	if (mids && m->mid > np->mid_high)
		np->mid_high = m->mid;
	if (m->type == PROTO_CHAT && m->ts >= np->seen_ts) {
		np->seen_ts = m->ts;
		np->seen_hash = h;
	}
	return false;
}

/* The room's topic, set (text) or cleared (""), as a line. */
void
np_topic(struct netproc *np, time_t when, const char *text)
{
	struct front_item	 it;
	char			 line[PROTO_STR_MAX + 16], safe[NP_SAFE_MAX];

	if (text[0] != '\0')
		snprintf(line, sizeof(line), "topic: %s", text);
	else
		snprintf(line, sizeof(line), "topic cleared");
	memset(&it, 0, sizeof(it));
	utf8_sanitize(line, strlen(line), safe, sizeof(safe));
	it.text = safe;
	np_show(np, FRONT_INFO, when, &it);
	np_user_set_topic(np, text);
}

/* The server has our request id: show it done (a rename takes effect). */
void
np_acked(struct netproc *np, uint64_t id)
{
	struct client_note	*n = np_req_answered(np, id);
	struct front_item	 it;
	char			 old[PROTO_NAME_MAX_BYTES + 1];
	char			 me[PROTO_NAME_MAX_BYTES + 1];
	char			 safe_old[NP_SAFE_MAX], safe_new[NP_SAFE_MAX];

	if (n == NULL)
		return;	/* a duplicate ack */
	if (n->kind == CLIENT_NOTE_RENAME) {
		client_lock(np->sh);
		memcpy(old, np->sh->name, sizeof(old));
		snprintf(np->sh->name, sizeof(np->sh->name), "%s", n->to);
		client_unlock(np->sh);
		client_users_rename(np->sh, old, n->to);
		memset(&it, 0, sizeof(it));
		utf8_sanitize(old, strlen(old), safe_old, sizeof(safe_old));
		utf8_sanitize(n->to, strlen(n->to), safe_new, sizeof(safe_new));
		it.from = safe_old;
		it.to = safe_new;
		it.own = 1;
		np_show(np, FRONT_RENAME, time(NULL), &it);
		np->front->status();
	} else {
		np->front->mark(n->line, FRONT_DONE);
		np_view_own(np, n);
	}
	if (n->kind == CLIENT_NOTE_CHAT) {
		client_get_name(np->sh, me);
		np->own[np->nown++ % NP_OWN_RECENT] = np_chat_hash(me, n->text);
	}
	np_req_drop(np, id);
}

static void
np_error(struct netproc *np, const struct proto_msg *m)
{
	struct client_note	*n;
	char			 text[NP_SAFE_MAX];

	if (strcmp(m->code, PROTO_CODE_NO_SESSION) == 0) {
		if (np->quitting)
			np->done = 1;	/* nothing left to quit */
		else if (!np->relogin)
			np_relogin_begin(np);
		return;
	}
	if (np->relogin) {
		if (!np_login_refusal(m->code))
			return;	/* about something sent before: moot now */
		if (strcmp(m->code, PROTO_CODE_NAME_TAKEN) == 0) {
			np_taken(np, m);
			return;
		}
		/* Refused for good (password changed, server full, ...). */
		if (strcmp(m->code, proto_err_code(PROTO_ERR_BAD_VERSION)) == 0)
			snprintf(text, sizeof(text), "cannot log in again: the "
			    "server now speaks another version of the chat "
			    "protocol than this client (version %d)",
			    PROTO_VERSION);
		else
			snprintf(text, sizeof(text), "cannot log in again: %s",
			    m->text[0] != '\0' ? m->text : m->code);
		np_fatal(np, FRONT_ERROR, text);
		return;
	}
	if (m->has_id) {
		if ((n = np_req_answered(np, m->id)) == NULL)
			return;	/* already answered: the error is a repeat */
		if (strcmp(m->code, PROTO_CODE_SLOW_DOWN) == 0 &&
		    np_slow_down(np, m->id))
			return;
		np->front->mark(n->line, FRONT_FAILED);
		np_req_drop(np, m->id);
	}
	np_local(np, FRONT_ERROR, m->text[0] != '\0' ? m->text : m->code);
}

/*
 * Puts off a request the server refused as too fast (it does not
 * remember refused ids, so the same id is judged afresh later), with a
 * full set of tries. Returns 0 if it is not queued any more.
 */
static int
np_slow_down(struct netproc *np, uint64_t id)
{
	struct reliable_entry	*e;
	uint64_t		 now = clock_ms();
	size_t			 i;

	for (i = 0; i < np->q.count; i++) {
		e = reliable_at(&np->q, i);
		if (e->key != id)
			continue;
		reliable_restart(e, now);
		e->due_ms = now + NP_SLOW_STEP_MS * (uint64_t)(i + 1);
		return 1;
	}
	return 0;
}

static void
np_users(struct netproc *np, const struct proto_msg *m)
{
	struct front_item	 it;
	char			 list[4096], safe[4096];
	size_t			 len = 0;
	int			 i;

	client_users_set(np->sh, m->users, m->nusers, m->more);
	/* A /who's note is written before its datagram: it may be unread. */
	if (np->who_owed == 0 && np_read_notes(np) == -1)
		return;
	if (np->who_owed == 0) {
		/* A second answer to a retried /who: the list is kept, once. */
		np->front->status();
		return;
	}
	if (--np->who_owed == 0)
		reliable_ack(&np->q, NP_KEY_WHO);
	list[0] = '\0';
	for (i = 0; i < m->nusers && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i > 0 ? ", " : "", m->users[i]);
	if (m->more > 0 && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, " and %d more",
		    m->more);
	utf8_sanitize(list, strlen(list), safe, sizeof(safe));
	memset(&it, 0, sizeof(it));
	it.text = safe;
	np_show(np, FRONT_USERS, time(NULL), &it);
	np->front->status();
}

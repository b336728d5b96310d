/*
 * netproc: the network process (netproc.h), following the client side
 * of docs/protocol.md, "Reliability" and "Sessions". One poll loop over
 * the note pipe and the socket, with the nearest timer as timeout:
 *
 *   notes      a sent request: show it pending, queue it for retransmit;
 *              a local line: show it; quit: start quitting
 *   datagrams  only from the server's address; reliable ones are acked
 *              (duplicates and early ones too) and shown in seq order
 *              through the reorder window; ack/error end a request
 *   timers     retransmits (reliable_tick), ping after a heartbeat of
 *              silence (kbd sends count: the shared block keeps the
 *              time), login retries while reconnecting, quit retries,
 *              "no answer from server" (client_alive)
 *
 * Protocol 2. Logging in again is the same round trip as the first
 * login (login.h): a padded login, the cookie, the login with it. The
 * welcome's next_id says where the server's count of our requests stands
 * (Resume): a pending request below it was acted on and is shown
 * delivered; the rest are renumbered from next_id in order, re-encoded
 * with the new token and sent again. Requests are retransmitted (at most
 * 1 s apart) for the life of the session: one unanswered for 3
 * heartbeats means the server dropped us or is gone, so we log in again
 * and go on, rather than fail the line. While reconnecting pending
 * requests are held, not failed. The front end knows our lines by a
 * number of ours (note->line), as renumbering changes request ids. A
 * replayed chat or announce whose mid (in the same run of the server)
 * we have shown is not shown again. If the keyboard process dies we
 * exit at once without quit, as if the client had crashed; the server
 * expires the session.
 *
 * who and ping carry no id on the wire, but their answers (users, pong)
 * are as easily lost as an ack, so they sit in the retransmit queue too,
 * under keys no request id can have (ids stay below 2^53): a /who is
 * retried like a chat, and the ping is what tells an idle client within
 * seconds that the server has stopped answering. A re-login refused
 * with name_taken is retried for as long as a stale session of ours can
 * live (login.h), then given up with the server's words.
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
#include "reliable.h"
#include "utf8.h"

/* Quit: resend every 250 ms, give bye 1 s in all. */
#define NP_QUIT_RETRY_MS	250
#define NP_QUIT_WAIT_MS		1000
/* Queue keys of the id-less requests; request ids stay below 2^53. */
#define NP_KEY_PING		UINT64_MAX
#define NP_KEY_WHO		(UINT64_MAX - 1)
/* /who lines typed before the first answer came that each get a list. */
#define NP_WHO_OWED_MAX		8
/* Datagrams read in one turn before timers get a look. */
#define NP_BATCH		64
/*
 * slow_down (a burst of 20, then 10 a second: docs/protocol.md): the
 * refused line is kept and tried again, the k-th still waiting in the
 * queue k * this much later, so a pasted block goes out at the rate the
 * server refills and in order, instead of losing every line past 20.
 */
#define NP_SLOW_STEP_MS		110
#define NP_SAFE_MAX		(PROTO_MAX_DGRAM * 3 + 1)
/* Own chats remembered, to recognise them in a replay after a re-login. */
#define NP_OWN_RECENT		64

struct netproc {
	const struct netproc_conf *c;
	struct client_shared	*sh;
	const struct front_ops	*front;
	pid_t			 kbd_pid;
	struct reliable_queue	 q;
	struct reliable_window	 w;
	struct client_note	*reqs;		/* what each pending id was */
	size_t			 nreqs, capreqs;
	int			 relogin;	/* logging in again */
	struct login_retry	 lr;
	int			 quitting;
	uint64_t		 quit_deadline, quit_next;
	struct client_alive	 alive;		/* heard from the server lately? */
	int			 who_owed;	/* /who lines still to answer */
	char			 cookie[PROTO_COOKIE_MAX + 1]; /* re-login's */
	uint64_t		 resume_id;	/* the last welcome's next_id */
	uint64_t		 lines;		/* front ids of our lines */
	char			 quit_text[PROTO_TEXT_MAX + 1];
	/*
	 * What is already on screen, so that the history a re-login replays
	 * does not show it twice: the server's run and the highest mid shown
	 * in it (mids only grow, and reach us in order), and hashes of our
	 * own acked chats (an ack carries no mid). A server without mids:
	 * the newest chat received (its ts, and a hash of it for a tie on
	 * ts) instead.
	 */
	char			 run[PROTO_RUN_LEN + 1];
	uint64_t		 mid_high;
	uint64_t		 seen_ts, seen_hash;
	uint64_t		 own[NP_OWN_RECENT];
	size_t			 nown;
	int			 done, status;
	struct proto_msg	 m;
};

static volatile sig_atomic_t	 np_got_term;
static volatile sig_atomic_t	 np_got_winch;

static void	 np_signal(int);
static void	 np_show(struct netproc *, enum front_kind, time_t,
		    struct front_item *);
static void	 np_local(struct netproc *, enum front_kind, const char *);
static void	 np_fatal(struct netproc *, enum front_kind, const char *);
static struct client_note *np_req_find(struct netproc *, uint64_t);
static struct client_note *np_req_answered(struct netproc *, uint64_t);
static void	 np_req_drop(struct netproc *, uint64_t);
static void	 np_note(struct netproc *, struct client_note *);
static void	 np_request(struct netproc *, struct client_note *);
static struct reliable_entry *np_queued(struct netproc *, uint64_t);
static void	 np_who(struct netproc *, const struct client_note *);
static void	 np_ping(struct netproc *, uint64_t);
static void	 np_heard(struct netproc *);
static void	 np_reconnecting(struct netproc *);
static void	 np_taken(struct netproc *, const struct proto_msg *);
static int	 np_read_notes(struct netproc *);
static void	 np_read_sock(struct netproc *);
static void	 np_datagram(struct netproc *, const char *, size_t);
static void	 np_reliable(struct netproc *, const char *, size_t);
static void	 np_deliver(struct netproc *, const struct proto_msg *);
static uint64_t	 np_chat_hash(const char *, const char *);
static bool	 np_replayed(struct netproc *, const struct proto_msg *);
static void	 np_ack(struct netproc *, uint64_t);
static void	 np_acked(struct netproc *, uint64_t);
static void	 np_error(struct netproc *, const struct proto_msg *);
static int	 np_slow_down(struct netproc *, uint64_t);
static int	 np_login_refusal(const char *);
static void	 np_users(struct netproc *, const struct proto_msg *);
static void	 np_welcome(struct netproc *, const struct proto_msg *);
static void	 np_relogin_begin(struct netproc *);
static void	 np_requeue(struct netproc *, uint64_t);
static void	 np_quit_begin(struct netproc *);
static void	 np_send_quit(struct netproc *);
static bool	 np_renumber(struct netproc *, struct client_note *);
static void	 np_resume(struct netproc *, uint64_t);
static void	 np_set_life(struct netproc *);
static bool	 np_expired(struct netproc *, uint64_t);
static void	 np_cookie(struct netproc *, const struct proto_msg *);
static void	 np_topic(struct netproc *, time_t, const char *);
static uint64_t	 np_ping_due(struct netproc *);
static void	 np_not_delivered(struct netproc *, const struct client_note *);
static void	 np_fail_pending(struct netproc *);
static void	 np_timers(struct netproc *);
static void	 np_timers_quit(struct netproc *, uint64_t);
static void	 np_timers_login(struct netproc *, uint64_t);
static void	 np_timers_session(struct netproc *, uint64_t);
static int	 np_loop(struct netproc *);
static int	 np_timeout(struct netproc *);
static void	 np_resend_cb(void *, const struct reliable_entry *);
static void	 np_fail_cb(void *, const struct reliable_entry *);
static int	 np_parent_gone(struct netproc *);
static void	 np_hello(struct netproc *);

static void
np_signal(int sig)
{
	if (sig == SIGWINCH)
		np_got_winch = 1;
	else
		np_got_term = 1;
}

static int
np_parent_gone(struct netproc *np)
{
	return getppid() != np->kbd_pid;
}

/* Fills in the common fields and hands the item to the front end. */
static void
np_show(struct netproc *np, enum front_kind kind, time_t when,
    struct front_item *it)
{
	it->kind = kind;
	it->when = when;
	np->front->show(it);
}

static void
np_local(struct netproc *np, enum front_kind kind, const char *text)
{
	struct front_item	 it;
	char			 safe[NP_SAFE_MAX];

	memset(&it, 0, sizeof(it));
	utf8_sanitize(text, strlen(text), safe, sizeof(safe));
	it.text = safe;
	np_show(np, kind, time(NULL), &it);
}

/*
 * Ends the session for good with status 1: shows text as a kind line and
 * leaves it in the shared block for the keyboard process, which repeats
 * it after restoring the terminal. Nothing more is sent.
 */
static void
np_fatal(struct netproc *np, enum front_kind kind, const char *text)
{
	np_local(np, kind, text);
	client_lock(np->sh);
	utf8_sanitize(text, strlen(text), np->sh->end_text,
	    sizeof(np->sh->end_text));
	client_unlock(np->sh);
	np->done = 1;
	np->status = 1;
}

/* Wall clock seconds of a server ts (ms), or now if it has none. */
static time_t
np_when(const struct proto_msg *m)
{
	return m->ts > 0 ? (time_t)(m->ts / 1000) : time(NULL);
}

static struct client_note *
np_req_find(struct netproc *np, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < np->nreqs; i++)
		if (np->reqs[i].id == id)
			return &np->reqs[i];
	return NULL;
}

/*
 * The request an answer is for. The keyboard process writes a note
 * before it sends, so an answer to an id we do not know yet means its
 * note is waiting in the pipe (written while we were reading the
 * socket): read the notes, then look again.
 */
static struct client_note *
np_req_answered(struct netproc *np, uint64_t id)
{
	struct client_note	*n;

	if ((n = np_req_find(np, id)) != NULL)
		return n;
	if (np_read_notes(np) == -1)
		return NULL;
	return np_req_find(np, id);
}

static void
np_req_drop(struct netproc *np, uint64_t id)
{
	struct client_note	*n = np_req_find(np, id);

	if (n != NULL)
		*n = np->reqs[--np->nreqs];
	reliable_ack(&np->q, id);
}

/* A request the keyboard process sent: keep it, queue it, show it. */
static void
np_request(struct netproc *np, struct client_note *n)
{
	struct front_item	 it;
	struct client_note	*p;
	char			 token[PROTO_TOKEN_LEN + 1];
	char			 buf[PROTO_MAX_DGRAM + 1];
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 safe[NP_SAFE_MAX], to[NP_SAFE_MAX];
	int			 len;
	size_t			 cap;
	bool			 send;

	if (np->nreqs == np->capreqs) {
		cap = np->capreqs ? np->capreqs * 2 : 16;
		if ((p = realloc(np->reqs, cap * sizeof(*p))) == NULL)
			return;
		np->reqs = p;
		np->capreqs = cap;
	}
	if ((send = np_renumber(np, n))) {
		client_get_token(np->sh, token);
		if ((len = client_encode(n, token, buf, sizeof(buf))) < 0)
			return;
		if (reliable_push(&np->q, n->id, buf, (size_t)len,
		    n->sent_ms) == -1)
			return;
	}
	n->line = ++np->lines;
	if (send)
		np->reqs[np->nreqs++] = *n;
	if (n->kind == CLIENT_NOTE_RENAME)
		return;	/* shown once acked: "-- old is now new" */
	memset(&it, 0, sizeof(it));
	client_get_name(np->sh, name);
	utf8_sanitize(n->text, strlen(n->text), safe, sizeof(safe));
	utf8_sanitize(n->to, strlen(n->to), to, sizeof(to));
	it.from = name;
	it.to = to;
	it.text = safe;
	it.own = 1;
	it.action = n->action;
	it.state = send ? FRONT_PENDING : FRONT_DONE;
	it.id = n->line;
	np_show(np, n->kind == CLIENT_NOTE_MSG ? FRONT_MSG_OUT : FRONT_CHAT,
	    (time_t)n->when, &it);
}

/*
 * A request note numbered before the last welcome renumbered requests
 * (the keyboard process took its id as we were logging in again): at
 * or above the welcome's next_id it gets the next id of the new count;
 * below it the server has acted on it already (it never is in practice:
 * ids are taken in order), so it is shown delivered and not sent.
 * Returns whether to send it.
 */
static bool
np_renumber(struct netproc *np, struct client_note *n)
{
	bool	 send;

	client_lock(np->sh);
	send = n->id_gen == np->sh->id_gen;
	if (!send && n->id >= np->resume_id) {
		n->id = np->sh->next_id++;
		n->id_gen = np->sh->id_gen;
		send = true;
	}
	client_unlock(np->sh);
	return send;
}

static void
np_note(struct netproc *np, struct client_note *n)
{
	n->to[sizeof(n->to) - 1] = '\0';
	n->text[sizeof(n->text) - 1] = '\0';
	switch (n->kind) {
	case CLIENT_NOTE_CHAT:
	case CLIENT_NOTE_MSG:
	case CLIENT_NOTE_RENAME:
		np_request(np, n);
		break;
	case CLIENT_NOTE_ERROR:
		np_local(np, FRONT_ERROR, n->text);
		break;
	case CLIENT_NOTE_INFO:
		np_local(np, FRONT_INFO, n->text);
		break;
	case CLIENT_NOTE_CLEAR:
		np->front->clear();
		break;
	case CLIENT_NOTE_QUIT:
		snprintf(np->quit_text, sizeof(np->quit_text), "%s", n->text);
		np_quit_begin(np);
		break;
	case CLIENT_NOTE_WHO:
		np_who(np, n);
		break;
	default:
		break;
	}
}

/* The queue entry of key, or NULL. */
static struct reliable_entry *
np_queued(struct netproc *np, uint64_t key)
{
	struct reliable_entry	*e;
	size_t			 i;

	for (i = 0; i < np->q.count; i++) {
		e = reliable_at(&np->q, i);
		if (e->key == key)
			return e;
	}
	return NULL;
}

/*
 * A /who the keyboard process sent: each one owes a list. One queue
 * entry retries them all, since any users answer serves every /who
 * typed before it.
 */
static void
np_who(struct netproc *np, const struct client_note *n)
{
	char	 token[PROTO_TOKEN_LEN + 1];
	char	 buf[PROTO_MAX_DGRAM + 1];
	int	 len;

	if (np->who_owed < NP_WHO_OWED_MAX)
		np->who_owed++;
	if (np_queued(np, NP_KEY_WHO) != NULL)
		return;
	client_get_token(np->sh, token);
	len = client_encode_simple(PROTO_WHO, token, buf, sizeof(buf));
	if (len > 0)
		reliable_push(&np->q, NP_KEY_WHO, buf, (size_t)len, n->sent_ms);
}

/*
 * The heartbeat ping. It goes out whenever it is due, as before; the
 * first one without a pong is also queued, so it is retried like a
 * request and its silence is noticed in seconds (client_alive).
 */
static void
np_ping(struct netproc *np, uint64_t now)
{
	char	 token[PROTO_TOKEN_LEN + 1];
	char	 buf[PROTO_MAX_DGRAM + 1];
	int	 len;

	client_get_token(np->sh, token);
	len = client_encode_simple(PROTO_PING, token, buf, sizeof(buf));
	if (len <= 0)
		return;
	client_send(np->sh, np->c->sock, &np->c->srv, buf, (size_t)len);
	if (np_queued(np, NP_KEY_PING) == NULL)
		reliable_push(&np->q, NP_KEY_PING, buf, (size_t)len, now);
}

/* Drains the note pipe. Returns -1 when the keyboard process is gone. */
static int
np_read_notes(struct netproc *np)
{
	struct client_note	 n;
	ssize_t			 r;

	for (;;) {
		r = read(np->c->notefd, &n, sizeof(n));
		if (r == (ssize_t)sizeof(n)) {
			np_note(np, &n);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		return -1;	/* EOF (or a torn record, which cannot happen) */
	}
}

static void
np_read_sock(struct netproc *np)
{
	char		 buf[PROTO_MAX_DGRAM + 1];
	struct net_addr	 from;
	ssize_t		 n;
	int		 i;

	for (i = 0; i < NP_BATCH && !np->done; i++) {
		from.len = sizeof(from.ss);
		n = recvfrom(np->c->sock, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from.ss, &from.len);
		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			return;
		}
		/* Anyone can send us a datagram; only the server is heard. */
		if (!net_equal(&from, &np->c->srv))
			continue;
		np_datagram(np, buf, (size_t)n);
	}
}

/* quit, with the words of /quit TEXT if any. */
static void
np_send_quit(struct netproc *np)
{
	static struct proto_msg	 m;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 len;

	proto_init(&m, PROTO_QUIT);
	client_get_token(np->sh, m.token);
	snprintf(m.text, sizeof(m.text), "%s", np->quit_text);
	len = proto_encode(&m, PROTO_FROM_CLIENT, buf, sizeof(buf));
	if (len > 0)
		client_send(np->sh, np->c->sock, &np->c->srv, buf, (size_t)len);
}

static void
np_ack(struct netproc *np, uint64_t seq)
{
	struct proto_msg	*m;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 len;

	if ((m = malloc(sizeof(*m))) == NULL)
		return;
	proto_init(m, PROTO_ACK);
	client_get_token(np->sh, m->token);
	m->seq = seq;
	len = proto_encode(m, PROTO_FROM_CLIENT, buf, sizeof(buf));
	free(m);
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

static void
np_datagram(struct netproc *np, const char *buf, size_t len)
{
	struct proto_msg	*m = &np->m;

	if (proto_decode(buf, len, PROTO_FROM_SERVER, m) != PROTO_OK)
		return;	/* not acked: a real server sends it again */
	np_heard(np);
	if (proto_reliable(m->type)) {
		/* Seqs belong to a session: none while we have none. */
		if (!np->relogin)
			np_reliable(np, buf, len);
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

/* A reliable message: ack it, then show it and whatever it unblocks. */
static void
np_reliable(struct netproc *np, const char *buf, size_t len)
{
	char	 held[PROTO_MAX_DGRAM + 1];
	size_t	 hlen;

	switch (reliable_window_offer(&np->w, np->m.seq, buf, len)) {
	case RELIABLE_DELIVER:
		np_ack(np, np->m.seq);
		np_deliver(np, &np->m);
		while (reliable_window_pop(&np->w, held, sizeof(held), &hlen))
			if (proto_decode(held, hlen, PROTO_FROM_SERVER,
			    &np->m) == PROTO_OK)
				np_deliver(np, &np->m);
		break;
	case RELIABLE_HOLD:
	case RELIABLE_DUP:
		np_ack(np, np->m.seq);
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
		break;
	default:
		kind = FRONT_ANNOUNCE;
		break;
	}
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
static void
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
}

/* The server has our request id: show it done (a rename takes effect). */
static void
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
	} else
		np->front->mark(n->line, FRONT_DONE);
	if (n->kind == CLIENT_NOTE_CHAT) {
		client_get_name(np->sh, me);
		np->own[np->nown++ % NP_OWN_RECENT] = np_chat_hash(me, n->text);
	}
	np_req_drop(np, id);
}

/* The error codes a login can get (docs/protocol.md, login row). */
static int
np_login_refusal(const char *code)
{
	return strcmp(code, proto_err_code(PROTO_ERR_BAD_NAME)) == 0 ||
	    strcmp(code, proto_err_code(PROTO_ERR_BAD_VERSION)) == 0 ||
	    strcmp(code, PROTO_CODE_NAME_TAKEN) == 0 ||
	    strcmp(code, PROTO_CODE_FULL) == 0 ||
	    strcmp(code, PROTO_CODE_BANNED) == 0 ||
	    strcmp(code, PROTO_CODE_BAD_PASSWORD) == 0;
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

/*
 * The status while logging in again: plain "reconnecting", or why it
 * is taking long.
 */
static void
np_reconnecting(struct netproc *np)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1];
	char	 text[PROTO_NAME_MAX_BYTES + 64];
	bool	 changed;

	if (np->lr.taken_until_ms != 0) {
		client_get_name(np->sh, name);
		snprintf(text, sizeof(text),
		    "reconnecting: name %s still taken, retrying", name);
		changed = client_set_conn_text(np->sh, FRONT_RECONNECTING, text);
	} else
		changed = client_set_conn(np->sh, FRONT_RECONNECTING);
	if (changed)
		np->front->status();
}

/*
 * Logging in again, the server says our name is taken. Most likely it
 * is our own old session (we came back from another address, or the
 * server has not noticed yet that we were gone), which it expires after
 * a few silent heartbeats: keep trying every 2 s for that long (login.h),
 * saying so once, then give up with the server's words.
 */
static void
np_taken(struct netproc *np, const struct proto_msg *m)
{
	char		 name[PROTO_NAME_MAX_BYTES + 1];
	char		 text[NP_SAFE_MAX];
	char		 at[16];
	uint64_t	 now = clock_ms(), until;
	time_t		 when;
	struct tm	 tm;
	int		 hb;

	client_lock(np->sh);
	hb = np->sh->heartbeat;
	client_unlock(np->sh);
	client_get_name(np->sh, name);
	switch (login_retry_taken(&np->lr, now, hb, &until)) {
	case LOGIN_TAKEN_FIRST:
		when = time(NULL) + (time_t)((until - now + 999) / 1000);
		if (localtime_r(&when, &tm) == NULL ||
		    strftime(at, sizeof(at), "%H:%M:%S", &tm) == 0)
			snprintf(at, sizeof(at), "a while");
		snprintf(text, sizeof(text), "reconnecting: name %s still "
		    "taken (perhaps by our old session, which the server "
		    "drops after %d silent heartbeats); retrying every %d s "
		    "until %s", name, PROTO_EXPIRE_BEATS,
		    LOGIN_RETRY_MAX_MS / 1000, at);
		np_local(np, FRONT_INFO, text);
		np_reconnecting(np);
		break;
	case LOGIN_TAKEN_AGAIN:
		break;
	case LOGIN_TAKEN_GIVE_UP:
		snprintf(text, sizeof(text), "cannot log in again: name %s "
		    "was still taken after %llu s (server: %s); start again "
		    "with another name (-n)", name, (unsigned long long)
		    (login_taken_bound_ms(hb) / 1000),
		    m->text[0] != '\0' ? m->text : m->code);
		np_fatal(np, FRONT_ERROR, text);
		break;
	}
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

static void
np_relogin_begin(struct netproc *np)
{
	np->relogin = 1;
	/* The same round trip as the first login: a cookie of this time. */
	np->cookie[0] = '\0';
	login_retry_start(&np->lr, clock_ms());
	/* A pong would not tell us of the new session; welcome will. */
	reliable_ack(&np->q, NP_KEY_PING);
	np_reconnecting(np);
	np_timers(np);
}

/*
 * A new session: new token, fresh window, the requests renumbered from
 * the welcome's next_id (np_resume) and sent again. The same token is
 * our session still (the server had not dropped it): its ids stand. A
 * new run of the server numbers its messages anew.
 */
static void
np_welcome(struct netproc *np, const struct proto_msg *m)
{
	bool	 same;

	/* Notes written before the welcome are numbered the old way. */
	if (np_read_notes(np) == -1)
		return;
	client_lock(np->sh);
	same = strcmp(np->sh->token, m->token) == 0;
	memcpy(np->sh->token, m->token, sizeof(np->sh->token));
	snprintf(np->sh->name, sizeof(np->sh->name), "%s", m->name);
	np->sh->heartbeat = m->heartbeat;
	snprintf(np->sh->room, sizeof(np->sh->room), "%s", m->room);
	np->sh->conn = FRONT_CONNECTED;
	np->sh->conn_text[0] = '\0';
	client_unlock(np->sh);
	client_users_set(np->sh, m->users, m->nusers, m->more);
	np->relogin = 0;
	reliable_window_reset(&np->w);
	if (strcmp(np->run, m->run) != 0) {
		snprintf(np->run, sizeof(np->run), "%s", m->run);
		np->mid_high = 0;
	}
	np_set_life(np);
	np_local(np, FRONT_INFO, "reconnected");
	if (m->has_topic)
		np_topic(np, time(NULL), m->topic);
	np->front->status();
	if (!same)
		np_resume(np, m->next_id != 0 ? m->next_id : 1);
	np_requeue(np, clock_ms());
}

/*
 * Resume (docs/protocol.md): the server has acted on every request
 * below next: those are shown delivered and forgotten; the others get
 * next, next + 1, ... in the order they were sent. Under the lock with
 * the new count, so that the keyboard process numbers its next request
 * after them; id_gen marks notes numbered before this.
 */
static void
np_resume(struct netproc *np, uint64_t next)
{
	struct reliable_entry	*e;
	struct client_note	*n;
	size_t			 i = 0;

	np->resume_id = next;
	while (i < np->q.count) {
		e = reliable_at(&np->q, i);
		if ((n = np_req_find(np, e->key)) == NULL || e->key >= next) {
			i++;
			continue;
		}
		/* np_acked drops e: the same i is the next entry. */
		np_acked(np, e->key);
	}
	client_lock(np->sh);
	np->sh->id_gen++;
	for (i = 0; i < np->q.count; i++) {
		e = reliable_at(&np->q, i);
		if ((n = np_req_find(np, e->key)) == NULL)
			continue;
		n->id = next;
		n->id_gen = np->sh->id_gen;
		e->key = next++;
	}
	np->sh->next_id = next;
	client_unlock(np->sh);
}

/*
 * Re-encodes every pending request with the new token (and its new id)
 * and sends it, with a whole new life.
 */
static void
np_requeue(struct netproc *np, uint64_t now)
{
	struct reliable_entry	*e;
	struct client_note	*n;
	char			 token[PROTO_TOKEN_LEN + 1];
	char			 buf[PROTO_MAX_DGRAM + 1];
	size_t			 i;
	int			 len;

	client_get_token(np->sh, token);
	for (i = 0; i < np->q.count; i++) {
		e = reliable_at(&np->q, i);
		if (e->key == NP_KEY_WHO)
			len = client_encode_simple(PROTO_WHO, token, buf,
			    sizeof(buf));
		else if ((n = np_req_find(np, e->key)) != NULL)
			len = client_encode(n, token, buf, sizeof(buf));
		else
			continue;
		if (len < 0 || reliable_replace(e, buf, (size_t)len) == -1)
			continue;
		reliable_restart(e, now);
		client_send(np->sh, np->c->sock, &np->c->srv, e->data, e->len);
	}
}

/* Requests live as long as the session can: 3 heartbeats. */
static void
np_set_life(struct netproc *np)
{
	int	 hb;

	client_lock(np->sh);
	hb = np->sh->heartbeat;
	client_unlock(np->sh);
	if (hb < 1)
		hb = PROTO_HEARTBEAT_DEFAULT;
	reliable_queue_set_life(&np->q, (uint64_t)hb * 1000 *
	    PROTO_EXPIRE_BEATS);
}

/*
 * True if something we sent (a request, /who, the ping) has gone
 * unanswered for its whole life with nothing at all heard from the
 * server since it was sent: the server has dropped the session or is
 * gone, so we log in again and send it anew. While the server talks to
 * us the session lives, and so does a request: it gets another life
 * (the contract fails a line only when its session ends for good); a
 * /who has failed (reliable_tick, np_fail_cb).
 */
static bool
np_expired(struct netproc *np, uint64_t now)
{
	struct reliable_entry	*e;
	size_t			 i;

	for (i = 0; i < np->q.count; i++) {
		e = reliable_at(&np->q, i);
		if (now < e->first_ms + np->q.life_ms)
			continue;
		if (np->alive.heard_ms <= e->first_ms)
			return true;
		if (e->key != NP_KEY_WHO)
			e->first_ms = now;
	}
	return false;
}

/*
 * Logging in again, the server's cookie: the login again with it, at
 * once if it is new (login_cookie_take).
 */
static void
np_cookie(struct netproc *np, const struct proto_msg *m)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1];

	if (!login_cookie_take(np->cookie, m))
		return;
	client_get_name(np->sh, name);
	login_send(np->c->sock, &np->c->srv, name, np->c->password,
	    np->cookie);
}

static void
np_quit_begin(struct netproc *np)
{
	uint64_t	 now = clock_ms();

	if (np->quitting)
		return;
	np->quitting = 1;
	client_lock(np->sh);
	np->sh->quitting = 1;
	client_unlock(np->sh);
	if (np->relogin) {
		np->done = 1;	/* no session to end */
		return;
	}
	np->quit_deadline = now + NP_QUIT_WAIT_MS;
	np->quit_next = now;
	np_timers(np);
}

static void
np_resend_cb(void *arg, const struct reliable_entry *e)
{
	struct netproc	*np = arg;

	/*
	 * A retransmission means a loss was seen: send two copies (the
	 * server acts on an id once and re-acks a repeat), so a line is
	 * far less likely to run out of tries on a lossy link. A clean
	 * link never gets here.
	 */
	client_send(np->sh, np->c->sock, &np->c->srv, e->data, e->len);
	client_send(np->sh, np->c->sock, &np->c->srv, e->data, e->len);
}

static void
np_fail_cb(void *arg, const struct reliable_entry *e)
{
	struct netproc		*np = arg;
	struct client_note	*n = np_req_find(np, e->key);

	if (e->key == NP_KEY_WHO) {
		np->who_owed = 0;
		np_local(np, FRONT_ERROR, "no answer to /who from the server "
		    "(tried for 3 heartbeats); try again later");
		return;
	}
	if (n == NULL)
		return;	/* the ping: client_alive has said it all */
	np_not_delivered(np, n);
	*n = np->reqs[--np->nreqs];
}

/* A request that will never be acked: marked, and said in words. */
static void
np_not_delivered(struct netproc *np, const struct client_note *n)
{
	char	 text[PROTO_TEXT_MAX + 64];

	np->front->mark(n->line, FRONT_FAILED);
	if (n->kind == CLIENT_NOTE_RENAME)
		snprintf(text, sizeof(text), "not delivered: /nick %s", n->to);
	else
		snprintf(text, sizeof(text), "not delivered: %s", n->text);
	np_local(np, FRONT_ERROR, text);
}

/*
 * The session has ended for good (quit done, a re-login refused, a
 * kick): what is still pending was not delivered, in the order sent.
 */
static void
np_fail_pending(struct netproc *np)
{
	struct client_note	*n;
	size_t			 i;

	for (i = 0; i < np->q.count; i++)
		if ((n = np_req_find(np, reliable_at(&np->q, i)->key)) != NULL)
			np_not_delivered(np, n);
	reliable_queue_free(&np->q);
	np->nreqs = 0;
}

/* Quitting: quit again every 250 ms until bye or the deadline. */
static void
np_timers_quit(struct netproc *np, uint64_t now)
{
	if (now >= np->quit_deadline)
		np->done = 1;
	else if (now >= np->quit_next) {
		np_send_quit(np);
		np->quit_next = now + NP_QUIT_RETRY_MS;
	}
}

/*
 * Logging in again: login timing, then every 2 s (login_retry); "no
 * answer" once the server has been silent for 5 s.
 */
static void
np_timers_login(struct netproc *np, uint64_t now)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1];

	if (login_retry_due(&np->lr, now)) {
		client_get_name(np->sh, name);
		login_send(np->c->sock, &np->c->srv, name, np->c->password,
		    np->cookie);
	}
	if (login_retry_silent(&np->lr, now) &&
	    client_set_conn(np->sh, FRONT_NO_ANSWER))
		np->front->status();
}

/* In a session: retransmits, the heartbeat ping, server silence. */
static void
np_timers_session(struct netproc *np, uint64_t now)
{
	if (np_expired(np, now)) {
		np_relogin_begin(np);
		return;
	}
	reliable_tick(&np->q, now, np_resend_cb, np_fail_cb, np);
	if (now >= np_ping_due(np))
		np_ping(np, now);
	/*
	 * A request, /who or ping unanswered for its whole retransmit
	 * schedule with nothing else heard: the server (or the link) is
	 * gone. Only the status says so; any datagram clears it, and the
	 * next no_session, if it comes, logs us in again.
	 */
	client_alive_waiting(&np->alive, np->q.count > 0, now);
	if (client_alive_silent(&np->alive, now) &&
	    client_get_conn(np->sh) == FRONT_CONNECTED &&
	    client_set_conn(np->sh, FRONT_NO_ANSWER))
		np->front->status();
}

/*
 * When the ping is due: a heartbeat after our last datagram, and also a
 * heartbeat after the server's last one while we wait for an answer
 * (retransmissions alone would put the ping off for good, and only an
 * answer to it tells a server that ignores one request from one that is
 * gone: np_expired).
 */
static uint64_t
np_ping_due(struct netproc *np)
{
	uint64_t	 due, hb;

	client_lock(np->sh);
	hb = (uint64_t)np->sh->heartbeat * 1000;
	due = np->sh->last_send_ms + hb;
	client_unlock(np->sh);
	if (np->q.count > 0 && np_queued(np, NP_KEY_PING) == NULL &&
	    np->alive.heard_ms + hb < due)
		due = np->alive.heard_ms + hb;
	return due;
}

/* Everything due now. */
static void
np_timers(struct netproc *np)
{
	uint64_t	 now = clock_ms();

	if (np->quitting)
		np_timers_quit(np, now);
	else if (np->relogin)
		np_timers_login(np, now);
	else
		np_timers_session(np, now);
}

/* Milliseconds to the nearest timer, for poll. */
static int
np_timeout(struct netproc *np)
{
	uint64_t	 now = clock_ms(), due, t;

	if (np->quitting)
		due = np->quit_next < np->quit_deadline ? np->quit_next :
		    np->quit_deadline;
	else if (np->relogin)
		due = np->lr.next_ms;
	else {
		due = np_ping_due(np);
		if (reliable_next_due(&np->q, &t) && t < due)
			due = t;
		/* On time, so "no answer" is shown when it becomes true. */
		if (client_alive_deadline(&np->alive, &t) && t < due &&
		    client_get_conn(np->sh) == FRONT_CONNECTED)
			due = t;
	}
	if (due <= now)
		return 0;
	/* Wake at least every second to notice the parent's death. */
	return due - now > 1000 ? 1000 : (int)(due - now);
}

/* The first lines: where we are, and the server's message of the day. */
static void
np_hello(struct netproc *np)
{
	char	 line[NET_ADDRSTRLEN + PROTO_NAME_MAX_BYTES +
		    PROTO_ROOM_MAX_BYTES + 64];

	client_lock(np->sh);
	snprintf(line, sizeof(line), "connected to %s as %s (room %s)",
	    np->sh->server, np->sh->name, np->sh->room);
	client_unlock(np->sh);
	np_local(np, FRONT_INFO, line);
	if (np->c->motd != NULL && np->c->motd[0] != '\0')
		np_local(np, FRONT_INFO, np->c->motd);
	if (np->c->topic != NULL)
		np_topic(np, time(NULL), np->c->topic);
	np->front->status();
}

/*
 * The loop: flags, then poll the pipe and the socket until the nearest
 * timer, notes before datagrams (a request is known before its ack is
 * read), then the timers. Returns when done or the parent is gone.
 */
static int
np_loop(struct netproc *np)
{
	struct pollfd	 pfd[2];

	pfd[0].fd = np->c->notefd;
	pfd[0].events = POLLIN;
	pfd[1].fd = np->c->sock;
	pfd[1].events = POLLIN;
	while (!np->done) {
		if (np_parent_gone(np))
			return 1;
		if (np_got_term) {
			np_got_term = 0;
			np_quit_begin(np);
		}
		if (np_got_winch) {
			np_got_winch = 0;
			np->front->resize();
		}
		if (poll(pfd, 2, np_timeout(np)) < 0 && errno != EINTR)
			return 1;
		if ((pfd[0].revents & (POLLIN | POLLHUP)) &&
		    np_read_notes(np) == -1)
			return np->quitting ? 0 : 1;
		if (pfd[1].revents & POLLIN)
			np_read_sock(np);
		if (!np->done)
			np_timers(np);
	}
	return np->status;
}

int
netproc_run(const struct netproc_conf *conf)
{
	static struct netproc	 np;
	int			 status;

	np.c = conf;
	np.sh = conf->shared;
	np.front = conf->front;
	np.kbd_pid = conf->shared->kbd_pid;
	/* The parent may already be gone: PDEATHSIG only covers later. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (np_parent_gone(&np))
		return 1;
	client_signals(np_signal, SIG_DFL);
	reliable_queue_init(&np.q);
	reliable_window_init(&np.w);
	np_set_life(&np);
	snprintf(np.run, sizeof(np.run), "%s", conf->run != NULL ? conf->run :
	    "");
	client_lock(np.sh);
	np.resume_id = np.sh->next_id;
	client_unlock(np.sh);
	fcntl(conf->notefd, F_SETFL, fcntl(conf->notefd, F_GETFL) | O_NONBLOCK);
	client_alive_init(&np.alive, clock_ms());
	np_hello(&np);
	status = np_loop(&np);
	if (np.done)
		np_fail_pending(&np);
	reliable_queue_free(&np.q);
	reliable_window_free(&np.w);
	free(np.reqs);
	np.front->end();
	return status;
}

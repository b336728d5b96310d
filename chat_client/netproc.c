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
 *
 * This file is the loop, the notes from the keyboard process, the
 * requests and the timers; netproc_recv.c handles what the server
 * sends, netproc_login.c logging in again and Resume, netproc_view.c
 * what the user hides, logs and finds (/filter, /ignore, the log,
 * /search), netproc_user.c the user's own states (/query, /r, /away,
 * /names, the topic); netproc_priv.h is what they share. The front's
 * show, mark and status calls only mark what changed: np_flush draws it
 * once per turn.
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

static volatile sig_atomic_t	 np_got_term;
static volatile sig_atomic_t	 np_got_winch;

static void	 np_signal(int);
static int	 np_parent_gone(struct netproc *);
static void	 np_request(struct netproc *, struct client_note *);
static void	 np_note(struct netproc *, struct client_note *);
static struct reliable_entry *np_queued(struct netproc *, uint64_t);
static void	 np_who(struct netproc *, const struct client_note *);
static void	 np_ping(struct netproc *, uint64_t);
static void	 np_send_quit(struct netproc *);
static void	 np_quit_begin(struct netproc *);
static void	 np_resend_cb(void *, const struct reliable_entry *);
static void	 np_fail_cb(void *, const struct reliable_entry *);
static void	 np_not_delivered(struct netproc *, const struct client_note *);
static void	 np_fail_pending(struct netproc *);
static void	 np_timers_quit(struct netproc *, uint64_t);
static void	 np_timers_login(struct netproc *, uint64_t);
static void	 np_timers_session(struct netproc *, uint64_t);
static uint64_t	 np_ping_due(struct netproc *);
static int	 np_timeout(struct netproc *);
static void	 np_flush(struct netproc *);
static int	 np_loop(struct netproc *);

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
void
np_show(struct netproc *np, enum front_kind kind, time_t when,
    struct front_item *it)
{
	it->kind = kind;
	it->when = when;
	if (np_view_keep(np, it))
		np->front->show(it);
}

void
np_local(struct netproc *np, enum front_kind kind, const char *text)
{
	struct front_item	 it;
	char			 safe[NP_SAFE_MAX];

	memset(&it, 0, sizeof(it));
	utf8_sanitize(text, strlen(text), safe, sizeof(safe));
	it.text = safe;
	/* Our own words to the user: never logged, never filtered. */
	it.kind = kind;
	it.when = time(NULL);
	np->front->show(&it);
}

/*
 * Ends the session for good with status 1: shows text as a kind line and
 * leaves it in the shared block for the keyboard process, which repeats
 * it after restoring the terminal. Nothing more is sent.
 */
void
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
time_t
np_when(const struct proto_msg *m)
{
	return m->ts > 0 ? (time_t)(m->ts / 1000) : time(NULL);
}

struct client_note *
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
struct client_note *
np_req_answered(struct netproc *np, uint64_t id)
{
	struct client_note	*n;

	if ((n = np_req_find(np, id)) != NULL)
		return n;
	if (np_read_notes(np) == -1)
		return NULL;
	return np_req_find(np, id);
}

void
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
		/* Logging in again: the welcome sends what is queued. */
		if (!np->relogin &&
		    client_get_conn(np->sh) == FRONT_CONNECTED)
			client_send(np->sh, np->c->sock, &np->c->srv, buf,
			    (size_t)len);
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
	case CLIENT_NOTE_FILTER:
	case CLIENT_NOTE_IGNORE:
	case CLIENT_NOTE_UNIGNORE:
	case CLIENT_NOTE_SEARCH:
		np_view_note(np, n);
		break;
	case CLIENT_NOTE_QUERY:
	case CLIENT_NOTE_AWAY:
	case CLIENT_NOTE_BACK:
	case CLIENT_NOTE_NAMES:
	case CLIENT_NOTE_TOPIC:
		np_user_note(np, n);
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
int
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
	client_resend(np->sh, np->c->sock, &np->c->srv, e);
	client_resend(np->sh, np->c->sock, &np->c->srv, e);
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
void
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

/*
 * What this turn's events changed reaches the screen once, before we
 * sleep (tmux's server_client_check_redraw after server_client_loop).
 */
static void
np_flush(struct netproc *np)
{
	if (np->front->flush != NULL)
		np->front->flush();
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
		np_flush(np);
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
	np_view_start(&np);
	np_hello(&np);
	status = np_loop(&np);
	if (np.done)
		np_fail_pending(&np);
	np_flush(&np);
	reliable_queue_free(&np.q);
	reliable_window_free(&np.w);
	free(np.reqs);
	np_view_end(&np);
	np.front->end();
	return status;
}

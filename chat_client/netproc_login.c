/*
 * netproc_login: the network process logging in again (docs/protocol.md,
 * "Sessions"): the same round trip as the first login (login.h), the
 * cookie, name_taken retried while a stale session of ours can live,
 * and Resume: the welcome's next_id says which pending requests were
 * acted on (shown delivered) and from where the rest are renumbered.
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

static void	 np_resume(struct netproc *, uint64_t);
static void	 np_requeue(struct netproc *, uint64_t);

/*
 * A request note numbered before the last welcome renumbered requests
 * (the keyboard process took its id as we were logging in again): at
 * or above the welcome's next_id it gets the next id of the new count;
 * below it the server has acted on it already (it never is in practice:
 * ids are taken in order), so it is shown delivered and not sent.
 * Returns whether to send it.
 */
bool
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

/* The error codes a login can get (docs/protocol.md, login row). */
int
np_login_refusal(const char *code)
{
	return strcmp(code, proto_err_code(PROTO_ERR_BAD_NAME)) == 0 ||
	    strcmp(code, proto_err_code(PROTO_ERR_BAD_VERSION)) == 0 ||
	    strcmp(code, PROTO_CODE_NAME_TAKEN) == 0 ||
	    strcmp(code, PROTO_CODE_FULL) == 0 ||
	    strcmp(code, PROTO_CODE_BANNED) == 0 ||
	    strcmp(code, PROTO_CODE_BAD_PASSWORD) == 0;
}

/*
 * The status while logging in again: plain "reconnecting", or why it
 * is taking long.
 */
void
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
void
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

void
np_relogin_begin(struct netproc *np)
{
	np->relogin = 1;
	/* The same round trip as the first login: a cookie of this time. */
	np->cookie[0] = '\0';
	login_retry_start(&np->lr, clock_ms());
	login_send_anew();
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
void
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
void
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
bool
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
void
np_cookie(struct netproc *np, const struct proto_msg *m)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1];

	if (!login_cookie_take(np->cookie, m))
		return;
	client_get_name(np->sh, name);
	login_send(np->c->sock, &np->c->srv, name, np->c->password,
	    np->cookie);
}

/* The first lines: where we are, and the server's message of the day. */
void
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

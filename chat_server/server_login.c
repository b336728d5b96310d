/*
 * server_login: a source that is not yet a session (server_int.h):
 * login (the address check, name, password proof and per-host checks,
 * session creation, welcome, history replay) and discover (here).
 *
 * The address check (protocol.md, "Sessions"): a login without a cookie
 * valid for its source address gets a new one (auth.h: a keyed hash of
 * the address and a time window, the key random at each start) and
 * nothing else, and leaves nothing behind: no session, no log line, no
 * state but the per-source reply limit's bucket. Only a login with a
 * valid cookie is looked at further, in this order: the name rules,
 * the password proof (--password-file), a reserved name and a ban
 * (server_admit), the name or a look-alike (the same confusable
 * skeleton) online, --max-clients, --max-per-host.
 *
 * Choices where the contract is silent:
 *
 *  - A login of a name whose session is marked dead but not yet removed
 *    removes it at once and succeeds; so does a look-alike's.
 *  - A look-alike of a name online is name_taken even from the address
 *    of that session: only the same name from it is the same login.
 *  - A refused proof is logged with the address, a line per refusal:
 *    the cookie proved the address, so the line names who tried.
 *  - A repeated login from the session's own address gets the same
 *    welcome again, through the per-source limit.
 *  - In a login storm a new login is not answered (server_busy, see
 *    server_int.h): the client sends it again.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "history.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"
#include "utf8.h"

/*
 * A new login is put off (not answered: the client sends it again
 * after 250 ms, doubling) while more reliable messages than this are
 * unacked in all. Each login makes a join to every session, and a
 * storm of them sent back to back, before any ack can be read, both
 * overflows the socket buffer with the acks and pushes the early
 * sessions past PROTO_MAX_UNACKED. The bound is SERVER_LOGIN_PER_SESSION
 * per session (a burst of about that many logins at once), at least
 * SERVER_LOGIN_FLOOR (small rooms, a client slow to ack history), at
 * most SERVER_LOGIN_CAP (acks the socket buffer holds with room).
 */
#define SERVER_LOGIN_PER_SESSION 64
#define SERVER_LOGIN_FLOOR	4096
#define SERVER_LOGIN_CAP	32768

/* A cookie and a proof fit the codec's fields. */
_Static_assert(AUTH_COOKIE_MAX <= PROTO_COOKIE_MAX, "cookie size");
_Static_assert(AUTH_PROOF_LEN == PROTO_PROOF_LEN, "proof size");

static bool	 server_cookie_ok(struct server *, const struct net_addr *,
		    const struct proto_msg *);
static bool	 server_proof_ok(struct server *, const struct net_addr *,
		    const struct proto_msg *);
static struct session *server_name_holder(struct server *, const char *);
static bool	 server_room_for(struct server *, const struct net_addr *,
		    const char *);
static void	 server_welcome(struct server *, struct session *, bool);
static void	 server_replay(struct server *, struct session *);

void
server_login(struct server *srv, const struct net_addr *from,
    const struct proto_msg *m)
{
	struct session	*s;

	if (!server_cookie_ok(srv, from, m))
		return;
	if (proto_check_name(m->name) != 0) {
		server_decode_error(srv, from, PROTO_ERR_BAD_NAME, m);
		return;
	}
	if (!server_proof_ok(srv, from, m))
		return;
	if (!server_admit(srv, from, m->name))
		return;
	if ((s = server_name_holder(srv, m->name)) != NULL) {
		/* Kicked: the name is free once that session is gone. */
		if (s->kicked || s->classroom || strcmp(s->name, m->name) != 0 ||
		    !net_equal(&s->addr, from)) {
			server_refused(srv, from, m->name,
			    PROTO_CODE_NAME_TAKEN, "that name is taken");
			return;
		}
		/* The first welcome was lost: the same one again. */
		srv->in_session = true;
		s->last_heard = srv->now;
		server_welcome(srv, s, true);
		return;
	}
	if (!server_room_for(srv, from, m->name))
		return;
	if (server_busy(srv)) {
		log_debug("login of %s put off: %llu unacked", m->name,
		    (unsigned long long)srv->unacked);
		return;
	}
	if ((s = server_create(srv, from, m)) == NULL)
		return;
	srv->in_session = true;
	server_welcome(srv, s, false);
	server_replay(srv, s);
}

/* Too many joins still unacked to take one more login now. */
bool
server_busy(const struct server *srv)
{
	uint64_t	 bound;

	bound = (uint64_t)srv->sessions.count * SERVER_LOGIN_PER_SESSION;
	if (bound < SERVER_LOGIN_FLOOR)
		bound = SERVER_LOGIN_FLOOR;
	if (bound > SERVER_LOGIN_CAP)
		bound = SERVER_LOGIN_CAP;
	return srv->unacked > bound;
}

/*
 * The address check: true if m carries a cookie valid for from; else a
 * new cookie goes back (through the "no amplification" rule) and
 * nothing else happens.
 */
static bool
server_cookie_ok(struct server *srv, const struct net_addr *from,
    const struct proto_msg *m)
{
	struct proto_msg	 c;

	if (m->has_cookie && auth_cookie_check(&srv->cookie_key, from,
	    srv->now, m->cookie))
		return true;
	proto_init(&c, PROTO_COOKIE);
	auth_cookie_make(&srv->cookie_key, from, srv->now, c.cookie);
	server_reply_unauth(srv, from, &c);
	return false;
}

/*
 * --password-file: m must carry the proof (HMAC-SHA256 of its cookie
 * keyed with the password; compared in constant time). A missing or
 * wrong one gets bad_password and a log line with the address.
 */
static bool
server_proof_ok(struct server *srv, const struct net_addr *from,
    const struct proto_msg *m)
{
	const char	*pw;

	if ((pw = srv->opt->password) == NULL || (m->has_proof &&
	    auth_proof_check(pw, strlen(pw), m->cookie, m->proof)))
		return true;
	server_refused(srv, from, m->name, PROTO_CODE_BAD_PASSWORD,
	    "wrong or missing password");
	return false;
}

/*
 * The session that has name, or else one whose name looks like it (the
 * same confusable skeleton), or NULL. A dead one found on the way is
 * going anyway: it is removed now and lets the name go.
 */
static struct session *
server_name_holder(struct server *srv, const char *name)
{
	struct session	*s;

	while ((s = session_find_name(&srv->sessions, name)) != NULL &&
	    s->dead)
		server_remove(srv, s, s->dead_reason);
	if (s != NULL)
		return s;
	while ((s = session_find_skeleton(&srv->sessions, name, NULL)) !=
	    NULL && s->dead)
		server_remove(srv, s, s->dead_reason);
	return s;
}

/* Whether the room and from's host have room for one more; else full. */
static bool
server_room_for(struct server *srv, const struct net_addr *from,
    const char *name)
{
	const char	*why;

	if (srv->sessions.count >= (size_t)srv->opt->max_clients)
		why = "the server is full";
	else if (session_host_count(&srv->sessions, from) >=
	    (size_t)srv->opt->max_per_host)
		why = "the server is full: too many sessions from your address";
	else
		return true;
	server_refused(srv, from, name, PROTO_CODE_FULL, why);
	return false;
}

/*
 * A new session with a fresh token, numbering its requests from where
 * the name's last session left off if the cid matches (Resume); others
 * get join.
 */
struct session *
server_create(struct server *srv, const struct net_addr *from,
    const struct proto_msg *login)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*name = login->name;
	unsigned char		 raw[PROTO_TOKEN_LEN / 2];
	char			 token[PROTO_TOKEN_LEN + 1];
	char			 peer[NET_ADDRSTRLEN];
	struct proto_msg	 m;
	struct session		*s;
	size_t			 i;

	do {
		if (net_random(raw, sizeof(raw)) == -1) {
			log_error("cannot read random bytes for a token");
			return NULL;
		}
		for (i = 0; i < sizeof(raw); i++) {
			token[2 * i] = hex[raw[i] >> 4];
			token[2 * i + 1] = hex[raw[i] & 0xf];
		}
		token[PROTO_TOKEN_LEN] = '\0';
	} while (session_find_token(&srv->sessions, token) != NULL);
	s = session_add(&srv->sessions, name, token, from, srv->now);
	if (s == NULL) {
		log_error("out of memory for a session");
		return NULL;
	}
	if (login->has_cid)
		snprintf(s->cid, sizeof(s->cid), "%s", login->cid);
	s->has_caps = login->has_caps;
	s->batch = (login->caps & PROTO_CAP_BATCH) != 0;
	s->first_id = resume_next_id(&srv->resume, s->name, s->cid);
	s->held.next = s->first_id;
	/* Protocol 2: retransmitted until 3 heartbeats after the first send. */
	reliable_queue_set_life(&s->queue, srv->expire_ms);
	session_set_deadline(&srv->sessions, s, server_deadline(srv, s));
	srv->in_room++;
	net_format(from, peer, sizeof(peer));
	log_info("join %s from %s", s->name, peer);

	proto_init(&m, PROTO_JOIN);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	m.ts = clock_wall_ms();
	server_fanout(srv, s, &m);
	server_record(srv, &(struct transcript_event){ .type = "join",
	    .ts = m.ts, .name = m.name, .addr = peer });
	return s;
}

/* limited: a repeat, which a forged source could ask for endlessly. */
static void
server_welcome(struct server *srv, struct session *s, bool limited)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_WELCOME);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	snprintf(m.token, sizeof(m.token), "%s", s->token);
	m.heartbeat = srv->opt->heartbeat;
	snprintf(m.room, sizeof(m.room), "%s", srv->opt->room);
	snprintf(m.run, sizeof(m.run), "%s", srv->run);
	m.next_id = s->first_id;
	if (srv->opt->motd != NULL) {
		snprintf(m.motd, sizeof(m.motd), "%s", srv->opt->motd);
		m.has_motd = true;
	}
	server_welcome_topic(srv, &m);
	m.has_caps = s->has_caps;
	m.caps = s->batch ? PROTO_CAP_BATCH : 0;
	server_users(srv, s, &m);
	if (!limited || server_limit_ok(srv, &s->addr))
		server_reply(srv, &s->addr, &m);
}

/*
 * The recent chats and announcements, oldest first, each as reliable
 * chat or announce with history, its first ts, mid and action.
 */
static void
server_replay(struct server *srv, struct session *s)
{
	const struct history_entry	*e;
	struct proto_msg		 m;
	size_t				 i;

	for (i = 0; (e = history_at(&srv->history, i)) != NULL; i++) {
		proto_init(&m, e->type);
		if (e->type == PROTO_CHAT)
			snprintf(m.from, sizeof(m.from), "%s", e->from);
		snprintf(m.text, sizeof(m.text), "%s", e->text);
		m.ts = e->ts;
		m.mid = e->mid;
		m.action = e->action;
		m.history = true;
		server_reliable(srv, s, &m);
	}
}

void
server_discover(struct server *srv, const struct net_addr *from)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_HERE);
	m.version = PROTO_VERSION;
	snprintf(m.room, sizeof(m.room), "%s", srv->opt->room);
	m.port = net_port(&srv->bound);
	/* Not sessions.count: a kicked or departing one is not online. */
	m.user_count = (int)srv->in_room;
	server_reply_unauth(srv, from, &m);
}

/*
 * server_timer: the sessions' deadlines (server_int.h): retransmits,
 * silence expiry, and the end of a session: marked dead where it is
 * dropped, removed (leave to the others) only by the timer run, which
 * also defers removals during a quit storm (see server_int.h).
 */
#include <stdio.h>

#include "clock.h"
#include "log.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"

/*
 * What holds for logging in (server_login.c) holds for leaving: a quit
 * storm makes N leaves per quit. A session that quit gets its bye at
 * once, but its removal (and the leave to everyone) waits while the
 * server is busy (server_busy), checked again every
 * SERVER_LEAVE_RETRY_MS, at most SERVER_LEAVE_DEFER_MS.
 */
#define SERVER_LEAVE_RETRY_MS	10
#define SERVER_LEAVE_DEFER_MS	5000
/*
 * The global bound alone lets one timer run remove hundreds of quitters
 * when few sessions stay: each stayer then gets a leave per quitter
 * before it can ack any and goes past PROTO_MAX_UNACKED (expired while
 * healthy, its own quit answered no_session). So removals also wait
 * while the fullest live queue holds SERVER_LEAVE_PEAK or more.
 */
#define SERVER_LEAVE_PEAK	(PROTO_MAX_UNACKED / 2)

static void	 server_session_timer(struct server *, struct session *);
static size_t	 server_peak(struct server *);

/* Removal is deferred to the timer run: the caller may be walking. */
void
server_mark_dead(struct server *srv, struct session *s,
    enum proto_reason reason)
{
	if (s->dead)
		return;
	server_out_of_room(srv, s);
	s->dead = true;
	s->dead_reason = reason;
	s->dead_since = srv->now;
	/* Nothing is resent to it any more. */
	srv->unacked -= s->queue.count;
	reliable_queue_free(&s->queue);
	session_set_deadline(&srv->sessions, s, 0);
}

/* s, in the room until now, is no longer: before it is marked so. */
void
server_out_of_room(struct server *srv, const struct session *s)
{
	if (!s->dead && !s->kicked)
		srv->in_room--;
}

/*
 * Frees s now and tells the others it left. Not during a session walk.
 * A kicked session's leave went out at the kick: nobody is told again.
 */
void
server_remove(struct server *srv, struct session *s, enum proto_reason reason)
{
	struct proto_msg	 m;
	char			 peer[NET_ADDRSTRLEN];

	server_out_of_room(srv, s);
	/* What a client logging in again must know (Resume). */
	resume_put(&srv->resume, s->name, s->cid, s->held.next);
	if (s->kicked) {
		log_debug("kicked %s is gone (%s)", s->name,
		    s->queue.count == 0 ? "its leave was acked" :
		    "its leave was not acked");
		srv->unacked -= s->queue.count;
		server_unpend(srv, s);
		session_remove(&srv->sessions, s);
		return;
	}
	log_info("leave %s (%s)", s->name, proto_reason_name(reason));
	proto_init(&m, PROTO_LEAVE);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	m.reason = reason;
	m.ts = clock_wall_ms();
	if (reason == PROTO_REASON_QUIT && s->leave_text != NULL)
		server_fit_text(&m, s->leave_text);
	net_format(&s->addr, peer, sizeof(peer));
	srv->unacked -= s->queue.count;
	server_unpend(srv, s);
	session_remove(&srv->sessions, s);
	server_fanout(srv, NULL, &m);
	srv->peak++;	/* the leave added one to every live queue */
	server_record(srv, &(struct transcript_event){ .type = "leave",
	    .ts = m.ts, .name = m.name, .reason = proto_reason_name(reason),
	    .addr = peer, .text = m.text[0] != '\0' ? m.text : NULL });
}

/*
 * Runs every session whose deadline has passed, earliest first. Each
 * step removes a session or moves its deadline past now, so the loop
 * ends; the bound is a guard, not the expected exit.
 */
void
server_timers(struct server *srv)
{
	struct session	*s;
	size_t		 i, bound;

	srv->peak_known = false;
	bound = srv->sessions.count * 4 + 64;
	for (i = 0; i < bound; i++) {
		s = session_earliest(&srv->sessions);
		if (s == NULL || s->deadline > srv->now)
			break;
		if (srv->draining)
			server_drain_timer(srv, s);
		else
			server_session_timer(srv, s);
	}
}

static void
server_session_timer(struct server *srv, struct session *s)
{
	struct server_tick	 tick;
	size_t			 before;

	if (s->dead) {
		/* A kicked one's removal sends nothing: no need to wait. */
		if (!s->kicked && (server_busy(srv) ||
		    server_peak(srv) >= SERVER_LEAVE_PEAK) &&
		    srv->now < s->dead_since + SERVER_LEAVE_DEFER_MS) {
			session_set_deadline(&srv->sessions, s,
			    srv->now + SERVER_LEAVE_RETRY_MS);
			return;
		}
		server_remove(srv, s, s->dead_reason);
		return;
	}
	if (srv->now >= s->last_heard + server_class_idle(srv, s)) {
		server_remove(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	tick.srv = srv;
	tick.s = s;
	before = s->queue.count;
	if (reliable_tick(&s->queue, srv->now, server_resend_cb, NULL,
	    &tick) > 0) {
		server_pack_close(srv);
		srv->unacked -= before - s->queue.count;
		server_remove(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	server_pack_close(srv);
	session_set_deadline(&srv->sessions, s, server_deadline(srv, s));
}

/*
 * The longest live queue, walked once per timer run (only when a dead
 * session is due); each removal after that adds one, an upper bound.
 */
static size_t
server_peak(struct server *srv)
{
	struct session	*s;

	if (srv->peak_known)
		return srv->peak;
	srv->peak = 0;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (!s->dead && !s->kicked && s->queue.count > srv->peak)
			srv->peak = s->queue.count;
	}
	srv->peak_known = true;
	return srv->peak;
}

/* The earlier of the next retransmit and the silence expiry. */
uint64_t
server_deadline(const struct server *srv, const struct session *s)
{
	uint64_t	 d, due;

	d = s->last_heard + server_class_idle(srv, s);
	if (reliable_next_due(&s->queue, &due) && due < d)
		d = due;
	return d;
}

void
server_resend_cb(void *arg, const struct reliable_entry *e)
{
	struct server_tick	*tick = arg;

	/* The trace says which send this is. */
	tick->srv->resend_send = e->sends;
	tick->srv->resend_since_ms = tick->srv->now - e->first_ms;
	if (tick->s->batch)
		server_pack_entry(tick->srv, tick->s, e);
	else if (e->body != NULL)
		server_send_body(tick->srv, &tick->s->addr, e->body, e->key);
	else
		server_send(tick->srv, &tick->s->addr, e->data, e->len);
	tick->srv->resend_send = 0;
}

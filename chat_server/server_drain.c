/*
 * server_drain: stopping without losing what is in flight (server_int.h).
 *
 * A chat the server acked is the sender's no longer: the client shows it
 * delivered and never sends it again. If the server exited the moment it
 * was told to, whatever of it some receivers had not yet acked was gone,
 * and the next server on the port cannot know it. So the first SIGINT
 * or SIGTERM only starts the drain:
 *
 *  - the "server is shutting down" announce goes to everyone, reliably
 *    (queued like any announce, so it is resent too), but no session
 *    holds the server for it alone: it only says what the client
 *    learns anyway (no_session from the next server), while a chat not
 *    delivered now is lost;
 *  - the loop goes on receiving acks and resending every session's
 *    unacked messages, every SERVER_DRAIN_RESEND_MS rather than on the
 *    normal 250 ms, 500 ms, 1 s steps (the bound leaves room for few);
 *  - nothing new is taken on (server.c, server_dispatch): a login or a
 *    discover gets no answer, and a chat, msg or rename whose id was
 *    not acted on yet gets none either, so its client sends it again,
 *    to the next server once it is told no_session. Ids are acted on in
 *    order, so once one is refused every later one of that session is
 *    too, and the client numbers them all afresh from the next server's
 *    next_id. A repeated id already acted on is acked again: its first
 *    ack was lost, and without the second the client would send it to
 *    the next server, and everyone would see it twice;
 *  - a session that quits gets its bye; nobody gets its leave (the room
 *    is ending), the transcript does;
 *  - it ends when no session has anything unacked but that announce and
 *    no request was acked for SERVER_DRAIN_QUIET_MS, or after --drain-ms
 *    (default 1 s), whichever is first; a second signal ends it at once.
 *    The quiet time is for an ack that was lost: the client sends the
 *    request again 250 ms after it first did, then 500 ms after that,
 *    and the repeat is acked again here, where the next server would
 *    act on it a second time.
 *
 * Then server_shutdown writes the transcript's leave "shutdown" for
 * everyone still in and the server exits.
 */
#include <stdio.h>

#include "clock.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"

#define SERVER_SHUTDOWN_TEXT	"server is shutting down"
/*
 * Resend interval while draining: a 1 s drain on the normal timers
 * resends a message lost at t=0 at 250 and 750 ms only; at 100 ms it
 * gets about ten tries, enough through 20 % loss each way.
 */
#define SERVER_DRAIN_RESEND_MS	100
/*
 * A client resends a request 250 ms after its first send, then 500 ms
 * after that: 600 ms after each ack lets a repeat of the request whose
 * ack was lost arrive, and the repeat of its repeat.
 */
#define SERVER_DRAIN_QUIET_MS	600

static uint64_t	 server_drain_owed(struct server *, size_t *);
static void	 server_drain_gone(struct server *, struct session *);

/* The first stop signal: the announce, then resends until drained. */
void
server_drain_start(struct server *srv)
{
	struct proto_msg	 m;
	struct session		*s;
	uint64_t		 due, owed;
	size_t			 behind;

	srv->draining = true;
	srv->now = clock_ms();
	srv->drain_until = srv->now + (uint64_t)srv->opt->drain_ms;
	proto_init(&m, PROTO_ANNOUNCE);
	snprintf(m.text, sizeof(m.text), "%s", SERVER_SHUTDOWN_TEXT);
	m.ts = clock_wall_ms();
	m.mid = srv->next_mid++;
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .mid = m.mid, .text = m.text });
	server_fanout(srv, NULL, &m);
	/* Every queue from now on is resent at the drain's pace. */
	due = srv->now + SERVER_DRAIN_RESEND_MS;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (!s->dead && !s->kicked && !s->classroom)
			s->stop_seq = s->next_seq - 1;
		if (s->dead || s->deadline > due)
			session_set_deadline(&srv->sessions, s,
			    s->dead ? srv->now : due);
	}
	server_flush(srv);
	owed = server_drain_owed(srv, &behind);
	log_info("shutting down: %llu messages to %zu sessions not acked yet, "
	    "sent again for at most %d ms", (unsigned long long)owed, behind,
	    srv->opt->drain_ms);
}

/*
 * Whether the drain is over: nothing unacked but the shutdown announce,
 * or its time is up. More entries than sessions: one holds two at least.
 */
bool
server_drain_done(struct server *srv)
{
	size_t	 behind;

	if (srv->now >= srv->drain_until)
		return true;
	if (srv->unacked > srv->sessions.count ||
	    srv->now < srv->acked_at + SERVER_DRAIN_QUIET_MS)
		return false;
	return server_drain_owed(srv, &behind) == 0;
}

/* The unacked entries but the shutdown announce, and of how many. */
static uint64_t
server_drain_owed(struct server *srv, size_t *behind)
{
	struct session		*s;
	uint64_t		 owed = 0, n;

	*behind = 0;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || (n = s->queue.count) == 0)
			continue;
		if (s->stop_seq != 0 &&
		    reliable_at(&s->queue, n - 1)->key == s->stop_seq)
			n--;
		if (n > 0)
			(*behind)++;
		owed += n;
	}
	return owed;
}

/* Milliseconds poll may wait: to the drain's end, or its quiet's. */
int
server_drain_timeout(const struct server *srv, uint64_t now, int timeout)
{
	uint64_t	 end, left;

	end = srv->drain_until;
	if (srv->acked_at + SERVER_DRAIN_QUIET_MS > now &&
	    srv->acked_at + SERVER_DRAIN_QUIET_MS < end)
		end = srv->acked_at + SERVER_DRAIN_QUIET_MS;
	left = end > now ? end - now : 0;
	if (timeout == -1 || (uint64_t)timeout > left)
		return (int)left;
	return timeout;
}

/*
 * A session's timer while draining: its whole queue again (it expires
 * no one: the room is ending, and a leave would be one more message).
 */
void
server_drain_timer(struct server *srv, struct session *s)
{
	struct server_tick	 tick;
	size_t			 i;

	if (s->dead) {
		server_drain_gone(srv, s);
		return;
	}
	if (s->queue.count == 0) {
		session_set_deadline(&srv->sessions, s, UINT64_MAX);
		return;
	}
	tick.srv = srv;
	tick.s = s;
	for (i = 0; i < s->queue.count; i++)
		server_resend_cb(&tick, reliable_at(&s->queue, i));
	server_pack_close(srv);
	session_set_deadline(&srv->sessions, s,
	    srv->now + SERVER_DRAIN_RESEND_MS);
}

/*
 * A session that ended during the drain (it quit): in the transcript
 * and the log, but no leave to the others (a kicked one's leave was
 * written at the kick). It stays in the table, out of the heap's way,
 * until the server frees them all.
 */
static void
server_drain_gone(struct server *srv, struct session *s)
{
	char	 peer[NET_ADDRSTRLEN];

	if (!s->kicked) {
		log_info("leave %s (%s)", s->name,
		    proto_reason_name(s->dead_reason));
		net_format(&s->addr, peer, sizeof(peer));
		server_record(srv, &(struct transcript_event){ .type = "leave",
		    .ts = clock_wall_ms(), .name = s->name,
		    .reason = proto_reason_name(s->dead_reason),
		    .addr = peer });
	}
	/* Once: nothing moves a dead session's deadline again. */
	session_set_deadline(&srv->sessions, s, UINT64_MAX);
}

/*
 * The end: how the drain went, and in the transcript a leave (reason
 * "shutdown") for everyone still in, so the record says who was there
 * to the end.
 */
void
server_shutdown(struct server *srv)
{
	struct session	*s;
	size_t		 behind;
	char		 peer[NET_ADDRSTRLEN];
	uint64_t	 ts, owed;

	ts = clock_wall_ms();
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || s->kicked)
			continue;
		net_format(&s->addr, peer, sizeof(peer));
		server_record(srv, &(struct transcript_event){ .type = "leave",
		    .ts = ts, .name = s->name, .reason = "shutdown",
		    .addr = peer });
	}
	if ((owed = server_drain_owed(srv, &behind)) == 0)
		log_info("shut down: everything was acked");
	else
		log_info("shut down: %llu messages to %zu sessions not acked",
		    (unsigned long long)owed, behind);
	server_flush(srv);
}

/*
 * server_op: the operator's side (server_int.h): console lines from
 * stdin or the control socket, /who, /kick and a kicked session's
 * requests, announcements, the --transcript record, shutdown.
 *
 * /kick (protocol.md, "Kick"): the others get leave "kicked" at once,
 * with the operator's reason as its text;
 * the kicked session gets the same leave and stays, out of the room (no
 * fan-out, not listed, its name still reserved, its requests answered
 * with that leave again), until its queue is empty or a retransmit
 * fails. Its removal then tells nobody: the room knows.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "announce.h"
#include "clock.h"
#include "console.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"

#define SERVER_SHUTDOWN_TEXT	"server is shutting down"

static void	 server_print(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	 server_who_table(struct server *);
static struct session *server_kick_find(struct server *,
		    const struct console_cmd *);
static int	 server_kick(struct server *, const struct console_cmd *, bool,
		    char *);
static void	 server_announce(struct server *, const char *);

void
server_stdin(struct server *srv)
{
	if (announce_read(&srv->announce, srv->stdin_fd, server_console_cb,
	    srv) == -1) {
		/* EOF: stop watching stdin, keep serving. */
		srv->stdin_fd = -1;
	}
}

/*
 * One operator line, from stdin or the control socket (remote). What
 * it prints goes to stdout, the operator's terminal, never to a client;
 * console.c has made every string in it safe. A remote caller cannot
 * see that terminal, so it gets only the verdict, and /who and /help,
 * which are all output, are refused there.
 */
int
server_console_cb(void *arg, const char *line, size_t len, bool remote,
    char *reply)
{
	struct server		*srv = arg;
	struct console_cmd	*c = &srv->cmd;

	console_parse(line, len, c);
	switch (c->kind) {
	case CONSOLE_NOTHING:
		snprintf(reply, ANNOUNCE_REPLY_MAX, "nothing to announce");
		return -1;
	case CONSOLE_ANNOUNCE:
		server_announce(srv, c->text);
		return 0;
	case CONSOLE_HELP:
	case CONSOLE_WHO:
		if (remote) {
			snprintf(reply, ANNOUNCE_REPLY_MAX, "/help and /who "
			    "print on the server's own terminal only");
			return -1;
		}
		if (c->kind == CONSOLE_HELP)
			server_print("%s", console_help());
		else
			server_who_table(srv);
		return 0;
	case CONSOLE_KICK:
		return server_kick(srv, c, remote, reply);
	case CONSOLE_ERROR:
		snprintf(reply, ANNOUNCE_REPLY_MAX, "%s", c->error);
		if (!remote)
			server_print("%s\n", c->error);
		return -1;
	}
	return -1;
}

/* A line for the operator on stdout, flushed (stdout may be a pipe). */
static void
server_print(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* /who: the sessions in the room, login order; walks them all, once. */
static void
server_who_table(struct server *srv)
{
	struct console_who	 w;
	struct session		*s;
	char			 peer[NET_ADDRSTRLEN], row[512];
	size_t			 n;

	n = 0;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || s->kicked)
			continue;
		if (n++ == 0)
			fputs(console_who_header(), stdout);
		net_format(&s->addr, peer, sizeof(peer));
		w.name = s->name;
		w.addr = peer;
		w.idle_s = srv->now > s->last_heard ?
		    (srv->now - s->last_heard) / 1000 : 0;
		w.unacked = s->queue.count;
		w.chats = s->chats;
		console_who_row(&w, row, sizeof(row));
		fputs(row, stdout);
	}
	if (n == 0)
		server_print("nobody is in the room\n");
	else
		server_print("%zu in the room\n", n);
}

/*
 * The session a /kick means: @ADDRESS as /who writes it (a name cannot
 * start with @), the name byte for byte, or the name with /who's
 * <U+XXXX> forms for invisible characters; NULL if none. Operator
 * commands are rare, so @ADDRESS walks the sessions.
 */
static struct session *
server_kick_find(struct server *srv, const struct console_cmd *c)
{
	struct session	*s;
	char		 peer[NET_ADDRSTRLEN], name[PROTO_NAME_MAX_BYTES + 1];

	if (c->name[0] == '@') {
		for (s = srv->sessions.head; s != NULL; s = s->next) {
			net_format(&s->addr, peer, sizeof(peer));
			if (!s->dead && strcmp(peer, c->name + 1) == 0)
				return s;
		}
		return NULL;
	}
	if (c->name_ok && (s = session_find_name(&srv->sessions, c->name)))
		return s;
	if (console_unshow_name(c->name, name, sizeof(name)))
		return session_find_name(&srv->sessions, name);
	return NULL;
}

/*
 * /kick NAME [REASON]: the room (the kicked one included) gets leave
 * "kicked" now, with the reason as its text, one body for all; from
 * here on the session only waits for its acks (server_kicked_request,
 * server_session_timer). Answers the operator on stdout (from stdin)
 * or in reply (remote).
 */
static int
server_kick(struct server *srv, const struct console_cmd *c, bool remote,
    char *reply)
{
	struct proto_msg	 m;
	struct session		*s;
	const char		*why = c->text;
	char			 safe[CONSOLE_SHOWN_MAX];

	s = server_kick_find(srv, c);
	console_show_name(s != NULL ? s->name : c->name, safe, sizeof(safe));
	if (s == NULL || s->dead || s->kicked) {
		snprintf(reply, ANNOUNCE_REPLY_MAX, s != NULL && s->kicked ?
		    "%s is already being removed" : "nobody named %s is in "
		    "the room (/who lists them)", safe);
		if (!remote)
			server_print("%s\n", reply);
		return -1;
	}
	log_info("leave %s (kicked%s%s)", s->name, why[0] != '\0' ? ": " : "",
	    why);
	proto_init(&m, PROTO_LEAVE);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	m.reason = PROTO_REASON_KICKED;
	m.ts = clock_wall_ms();
	server_fit_text(&m, why);
	server_fanout(srv, NULL, &m);
	/* Its last reliable message: nothing is queued to it after this. */
	server_out_of_room(srv, s);
	s->kicked = true;
	s->kick_seq = s->next_seq - 1;
	if (s->classroom)	/* no acks to wait for */
		server_mark_dead(srv, s, PROTO_REASON_KICKED);
	server_record(srv, &(struct transcript_event){ .type = "leave",
	    .ts = m.ts, .name = m.name, .reason = "kicked",
	    .text = m.text[0] != '\0' ? m.text : NULL });
	if (!remote)
		server_print("%s is out of the room\n", safe);
	return 0;
}

/*
 * A kicked session's datagram (its token and address were checked). Its
 * acks count, and the last one lets it go; quit is answered with bye
 * and ends it; anything else is not acted on but answered with its
 * leave again, so a client that missed it learns why nothing happens.
 * Those answers go through the per-source limit: the leave is many
 * times the size of a ping.
 */
void
server_kicked_request(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	struct server_tick	 tick;
	struct reliable_entry	*e;
	size_t			 i;

	switch (m->type) {
	case PROTO_ACK:
		server_acked(srv, s, m);
		if (s->queue.count == 0)
			server_mark_dead(srv, s, PROTO_REASON_KICKED);
		return;
	case PROTO_QUIT:
		server_quit(srv, s, "");
		return;
	default:
		break;
	}
	if (!server_limit_ok(srv, &s->addr))
		return;
	tick.srv = srv;
	tick.s = s;
	/* The leave was queued last: look from the newest end. */
	for (i = s->queue.count; i-- > 0; ) {
		e = reliable_at(&s->queue, i);
		if (e->key == s->kick_seq) {
			server_resend_cb(&tick, e);
			return;
		}
	}
}

/*
 * To everyone under the run's next mid, and kept for history. Cut, if
 * heavy escaping needs it, to what fits in its replayed form (with
 * "history":true), so that what newcomers see is what the room saw.
 */
static void
server_announce(struct server *srv, const char *text)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_ANNOUNCE);
	m.ts = clock_wall_ms();
	m.mid = PROTO_INT_MAX;
	m.history = true;
	if (!server_fit_text(&m, text) || m.text[0] == '\0')
		return;
	m.history = false;
	m.mid = srv->next_mid++;
	log_debug("announce to %zu: %s", srv->sessions.count, m.text);
	server_fanout(srv, NULL, &m);
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .mid = m.mid, .text = m.text });
	server_keep(srv, &m);
}

void
server_keep(struct server *srv, const struct proto_msg *m)
{
	struct history_entry	 e;

	e.type = m->type;
	e.action = m->action;
	e.ts = m->ts;
	e.mid = m->mid;
	/* Both were checked against the same limits. */
	memcpy(e.from, m->from, sizeof(e.from));
	memcpy(e.text, m->text, sizeof(e.text));
	e.from[sizeof(e.from) - 1] = '\0';
	e.text[sizeof(e.text) - 1] = '\0';
	history_push(&srv->history, &e);
}

/* One transcript line, if asked for; a failing write is said once. */
void
server_record(struct server *srv, const struct transcript_event *e)
{
	char	 errbuf[sizeof(srv->transcript.path) + 256];

	if (srv->transcript.fd != -1 && transcript_write(&srv->transcript, e,
	    errbuf, sizeof(errbuf)) == -1 && errbuf[0] != '\0')
		log_error("%s", errbuf);
}

/* SIGINT/SIGTERM: one best-effort announce to everyone, not queued. */
void
server_shutdown(struct server *srv)
{
	struct proto_msg	 m;
	struct session		*s;

	log_info("shutting down");
	proto_init(&m, PROTO_ANNOUNCE);
	snprintf(m.text, sizeof(m.text), "%s", SERVER_SHUTDOWN_TEXT);
	m.ts = clock_wall_ms();
	m.mid = srv->next_mid++;
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .mid = m.mid, .text = m.text });
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || s->kicked)
			continue;
		if (s->classroom) {
			server_class_send(srv, s, &m);
			continue;
		}
		m.seq = s->next_seq++;
		server_reply(srv, &s->addr, &m);
	}
	server_flush(srv);
}

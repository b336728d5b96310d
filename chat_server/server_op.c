/*
 * server_op: the operator's side (server_int.h): console lines from
 * stdin or the control socket, /who, /kick and a kicked session's
 * requests, announcements, the --transcript record.
 *
 * /kick (protocol.md, "Kick"): the others get leave "kicked" at once,
 * with the operator's reason as its text;
 * the kicked session gets the same leave and stays, out of the room (no
 * fan-out, not listed, its name still reserved, its requests answered
 * with that leave again), until its queue is empty or a retransmit
 * fails. Its removal then tells nobody: the room knows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "announce.h"
#include "clock.h"
#include "cmd.h"
#include "console.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "term.h"
#include "transcript.h"

static struct session *server_find_addr(struct server *, const char *);

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
 * One operator line, from stdin, the terminal console or the control
 * socket (remote): cmd.c runs it, and what it printed goes to the
 * operator's terminal (through term.c, above the prompt) or back to the
 * control socket's caller. console.c has made every string in it safe.
 */
int
server_console_cb(void *arg, const char *line, size_t len, bool remote,
    char *reply, size_t cap)
{
	struct server	*srv = arg;
	struct cmd_out	 out = { reply, cap, 0 };
	int		 rc;

	if (cap > 0)
		reply[0] = '\0';
	rc = cmd_run(srv, line, len, &out);
	if (!remote && out.len > 0) {
		if (out.buf[out.len - 1] != '\n')
			cmd_printf(&out, "\n");
		term_print(&srv->term, STDOUT_FILENO, out.buf, out.len);
	}
	return rc;
}

/*
 * /who: the sessions in the room, login order; walks them all, once.
 * Idle counts from the last chat (pings say nothing of a student's
 * attention), or from the login for one who never spoke.
 */
int
server_cmd_who(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct console_who	 w;
	struct session		*s;
	char			 peer[NET_ADDRSTRLEN], row[512], note[64];
	size_t			 n;

	(void)a;
	n = 0;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || s->kicked)
			continue;
		if (n++ == 0)
			cmd_printf(out, "%s", console_who_header());
		net_format(&s->addr, peer, sizeof(peer));
		w.name = s->name;
		w.addr = peer;
		w.idle_s = (srv->now - (s->last_chat != 0 ? s->last_chat :
		    s->joined)) / 1000;
		w.online_s = (srv->now - s->joined) / 1000;
		w.chats = s->chats;
		server_mod_note(srv, s, note, sizeof(note));
		w.note = note;
		console_who_row(&w, row, sizeof(row));
		cmd_printf(out, "%s", row);
	}
	if (n == 0)
		cmd_printf(out, "nobody is in the room\n");
	else
		cmd_printf(out, "%zu in the room\n", n);
	return 0;
}

/* The live session at "@ADDRESS" as /who writes it; a walk, rarely. */
static struct session *
server_find_addr(struct server *srv, const char *typed)
{
	struct session	*s;
	char		 peer[NET_ADDRSTRLEN];

	for (s = srv->sessions.head; s != NULL; s = s->next) {
		net_format(&s->addr, peer, sizeof(peer));
		if (!s->dead && !s->kicked && strcmp(peer, typed + 1) == 0)
			return s;
	}
	return NULL;
}

/*
 * The session a command's NAME means: @ADDRESS as /who writes it (a
 * name cannot start with @), the name byte for byte, or the name with
 * /who's <U+XXXX> forms for invisible characters. A session on its way
 * out (kicked, dead) is nobody. NULL if none, said in out (if not NULL).
 */
struct session *
server_target(struct server *srv, const char *word, bool ok,
    struct cmd_out *out)
{
	struct session	*s = NULL;
	char		 name[PROTO_NAME_MAX_BYTES + 1];
	char		 shown[CONSOLE_SHOWN_MAX];

	if (word[0] == '@')
		s = server_find_addr(srv, word);
	else if (ok && (s = session_find_name(&srv->sessions, word)) != NULL)
		;
	else if (console_unshow_name(word, name, sizeof(name)))
		s = session_find_name(&srv->sessions, name);
	if (s != NULL && (s->dead || s->kicked)) {
		if (out != NULL && s->kicked) {
			console_show_name(s->name, shown, sizeof(shown));
			cmd_printf(out, "%s is already being removed", shown);
		}
		return NULL;
	}
	if (s == NULL && out != NULL) {
		console_show_name(word, shown, sizeof(shown));
		cmd_printf(out, "nobody named %s is in the room (/who lists "
		    "them)", shown);
	}
	return s;
}

int
server_cmd_kick(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct session	*s;

	if ((s = server_target(srv, a->word[0], a->word_ok[0], out)) == NULL)
		return -1;
	server_kick_session(srv, s, a->text, out);
	return 0;
}

/*
 * Kicks s: the room (s included) gets leave "kicked" now, one body for
 * all; from here on the session only waits for its acks
 * (server_kicked_request, server_session_timer). why goes to the log
 * and the transcript.
 */
void
server_kick_session(struct server *srv, struct session *s, const char *why,
    struct cmd_out *out)
{
	struct proto_msg	 m;
	char			 safe[CONSOLE_SHOWN_MAX];
	char			 peer[NET_ADDRSTRLEN];

	console_show_name(s->name, safe, sizeof(safe));
	log_info("leave %s (kicked%s%s)", safe, why[0] != '\0' ? ": " : "",
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
	net_format(&s->addr, peer, sizeof(peer));
	server_record(srv, &(struct transcript_event){ .type = "leave",
	    .ts = m.ts, .name = m.name, .reason = "kicked", .addr = peer,
	    .text = m.text[0] != '\0' ? m.text : NULL });
	cmd_printf(out, "%s is out of the room\n", safe);
}

/* A private msg from the operator; the student's client shows it so. */
int
server_cmd_msg(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct proto_msg	 m;
	struct session		*s;
	char			 shown[CONSOLE_SHOWN_MAX];

	if ((s = server_target(srv, a->word[0], a->word_ok[0], out)) == NULL)
		return -1;
	proto_init(&m, PROTO_MSG);
	snprintf(m.from, sizeof(m.from), "%s", SERVER_OPERATOR);
	snprintf(m.text, sizeof(m.text), "%.*s", (int)sizeof(m.text) - 1,
	    a->text);
	m.ts = clock_wall_ms();
	if (!server_fits(&m)) {
		cmd_printf(out, "too long once escaped: say it in fewer words");
		return -1;
	}
	server_reliable(srv, s, &m);
	console_show_name(s->name, shown, sizeof(shown));
	cmd_printf(out, "-> %s: %s\n", shown, a->text);
	return 0;
}

/* The operator renames a student: as if the student had, for all. */
int
server_cmd_rename(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct proto_msg	 m;
	struct session		*s;
	char			 from[CONSOLE_SHOWN_MAX], to[CONSOLE_SHOWN_MAX];

	if ((s = server_target(srv, a->word[0], a->word_ok[0], out)) == NULL)
		return -1;
	console_show_name(a->word[1], to, sizeof(to));
	if (!a->word_ok[1] || proto_check_name(a->word[1]) != 0) {
		cmd_printf(out, "'%s' cannot be a name", to);
		return -1;
	}
	if (session_find_name(&srv->sessions, a->word[1]) != NULL ||
	    session_find_skeleton(&srv->sessions, a->word[1], s) != NULL ||
	    server_reserved(srv, a->word[1]) != SERVER_FREE) {
		cmd_printf(out, "the name %s is taken", to);
		return -1;
	}
	console_show_name(s->name, from, sizeof(from));
	proto_init(&m, PROTO_RENAME);
	snprintf(m.from, sizeof(m.from), "%s", s->name);
	memcpy(m.to, a->word[1], strlen(a->word[1]) + 1);	/* a name */
	m.ts = clock_wall_ms();
	log_info("rename %s -> %s (by the operator)", from, to);
	server_renamed(srv, s->name, a->word[1]);
	session_rename(&srv->sessions, s, a->word[1]);
	/* Everyone, s too: its client learns its new name from this. */
	server_fanout(srv, NULL, &m);
	server_record(srv, &(struct transcript_event){ .type = "rename",
	    .ts = m.ts, .from = m.from, .to = m.to });
	cmd_printf(out, "%s is now %s\n", from, to);
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
 * A line typed without / (or /announce): to everyone under the run's
 * next mid, and kept for history. Cut, if heavy escaping needs it, to
 * what fits in its replayed form (with "history":true), so that what
 * newcomers see is what the room saw.
 */
int
server_cmd_announce(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_ANNOUNCE);
	m.ts = clock_wall_ms();
	m.mid = PROTO_INT_MAX;
	m.history = true;
	if (!server_fit_text(&m, a->text) || m.text[0] == '\0') {
		cmd_printf(out, "nothing to announce");
		return -1;
	}
	m.history = false;
	m.mid = srv->next_mid++;
	log_debug("announce to %zu: %s", srv->in_room, m.text);
	server_fanout(srv, NULL, &m);
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .mid = m.mid, .text = m.text });
	server_keep(srv, &m);
	cmd_printf(out, "-- announced to %zu\n", srv->in_room);
	return 0;
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

/*
 * /topic [TEXT]: sets the room's topic, or clears it. Everyone in gets
 * topic now; a newcomer finds it in welcome (server_login.c).
 */
int
server_cmd_topic(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_TOPIC);
	snprintf(m.text, sizeof(m.text), "%.*s", (int)sizeof(m.text) - 1,
	    a->text);
	m.ts = clock_wall_ms();
	if (!server_fits(&m) || !server_welcome_fits(srv->opt, m.text)) {
		cmd_printf(out, "too long for a welcome with the room's name "
		    "and motd: say it in fewer words");
		return -1;
	}
	snprintf(srv->topic, sizeof(srv->topic), "%.*s",
	    (int)sizeof(srv->topic) - 1, m.text);
	server_fanout(srv, NULL, &m);
	server_record(srv, &(struct transcript_event){ .type = "topic",
	    .ts = m.ts, .text = m.text[0] != '\0' ? m.text : NULL });
	if (srv->topic[0] == '\0') {
		log_info("topic cleared");
		cmd_printf(out, "the topic is cleared\n");
	} else {
		log_info("topic: %s", srv->topic);
		cmd_printf(out, "the topic is now: %s\n", srv->topic);
	}
	return 0;
}

/* The topic in a welcome, while one is set. */
void
server_welcome_topic(const struct server *srv, struct proto_msg *m)
{
	if (srv->topic[0] != '\0') {
		snprintf(m->topic, sizeof(m->topic), "%s", srv->topic);
		m->has_topic = true;
	}
}

/*
 * Whether the largest welcome the server could send (the longest name,
 * listed, every field at its widest) still fits in one datagram with
 * opt's room and motd and topic (NULL: none): else a newcomer could get
 * no welcome at all.
 */
bool
server_welcome_fits(const struct options *opt, const char *topic)
{
	static const char	 longest[] = "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad";	/* 16 x U+4E2D */
	struct proto_msg	*m;
	char			 buf[PROTO_MAX_DGRAM];
	bool			 fits;
	int			 n;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return false;
	proto_init(m, PROTO_WELCOME);
	snprintf(m->name, sizeof(m->name), "%s", longest);
	memset(m->token, 'f', PROTO_TOKEN_LEN);
	memset(m->run, 'f', PROTO_RUN_LEN);
	m->next_id = PROTO_INT_MAX;
	m->caps = ~0u;
	m->has_caps = true;
	m->heartbeat = SERVER_HEARTBEAT_MAX;
	snprintf(m->room, sizeof(m->room), "%s", opt->room);
	if (opt->motd != NULL) {
		snprintf(m->motd, sizeof(m->motd), "%s", opt->motd);
		m->has_motd = true;
	}
	if (topic != NULL && topic[0] != '\0') {
		snprintf(m->topic, sizeof(m->topic), "%.*s",
		    (int)sizeof(m->topic) - 1, topic);
		m->has_topic = true;
	}
	proto_add_user(m, longest);
	m->more = SERVER_CLIENTS_MAX;
	/* proto_encode leaves out names that do not fit: look for it. */
	n = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof(buf));
	fits = n > 0 && memmem(buf, (size_t)n, longest,
	    sizeof(longest) - 1) != NULL;
	free(m);
	return fits;
}

/*
 * server: the socket, signals, the event loop, receiving and dispatch
 * per message type (server.h). Follows docs/protocol.md version 2;
 * every row of its tables is handled by one of the server_*.c files,
 * listed in server_int.h with what each owns.
 *
 * Loop shape (Redis ae): poll, read batches until the socket is empty
 * (dispatching each and sending what it made), then run the timers of
 * the sessions whose deadline passed, flush the batched sends. Sessions
 * to drop during dispatch or fan-out are only marked dead and moved to
 * the top of the deadline heap; the timer run removes them, so no walk
 * over the session list ever sees a session freed under it.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "announce.h"
#include "auth.h"
#include "classproto.h"
#include "clock.h"
#include "history.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "sandbox.h"
#include "server.h"
#include "server_int.h"
#include "session.h"
#include "transcript.h"
#include "utf8.h"

/*
 * The timers run only once the socket is empty: under a burst the acks
 * that would cancel a retransmit are still in the socket buffer, and
 * running the timers first would resend what was acked, which only adds
 * to the burst. A server that cannot catch up still runs them after
 * SERVER_READ_MS (expiry must not starve); the round bound is a guard.
 */
#define SERVER_READ_MS		PROTO_RETRY_FIRST_MS
#define SERVER_RECV_ROUNDS	100000
/*
 * What the datagrams already in the socket make is sent once they are
 * all read (cap batch packs each session's share into as few datagrams
 * as fit), or every SERVER_FLUSH_ROUNDS batches (4096 datagrams, about
 * 2 ms of work) so a long read still sends. Nothing waits for input
 * that has not arrived. In a room of 1000 every datagram sent brings an
 * ack, so a turn's acks alone are some 1000 datagrams: a bound of 256
 * split its chats over several packs (6.1-6.7 chats per datagram at
 * N = 1000 against 7.7-7.8 with this one).
 */
#define SERVER_FLUSH_ROUNDS	64
/* A login storm sends N acks per join; the buffer absorbs the burst. */
#define SERVER_SOCKBUF		(32 * 1024 * 1024)
#define SERVER_POLL_MAX_MS	60000
/* Resume entries: SERVER_RESUME_ROOMS x --max-clients, at least the MIN. */
#define SERVER_RESUME_ROOMS	4
#define SERVER_RESUME_MIN	4096

#define SERVER_PROMPT		"chat_server> "

/* SIGINT, SIGTERM: 1 starts the drain (server_drain.c), 2 ends it. */
static volatile sig_atomic_t server_stop;
static volatile sig_atomic_t server_tstp;	/* Ctrl-Z at the console */
static volatile sig_atomic_t server_cont;	/* fg, bg */
static volatile sig_atomic_t server_winch;	/* the terminal's new size */
static int	 server_sigfd = -1;

static struct server *server_new(const struct options *);
static void	 server_free(struct server *);
static size_t	 server_resume_cap(const struct options *);
static void	 server_run_id(struct server *);
static void	 server_control(struct server *);
static void	 server_signals(struct server *);
static void	 server_background(void);
static void	 server_signal_cb(int);
static void	 server_console(struct server *);
static void	 server_suspend(struct server *);
static void	 server_term_line(void *, const char *, size_t);
static const char *const *server_term_names(void *, size_t *);
static void	 server_log_cb(void *, const char *, size_t);
static void	 server_keys(struct server *);
static int	 server_poll(struct server *);
static int	 server_timeout(struct server *);
static void	 server_recv(struct server *);
static void	 server_datagram(struct server *, const struct net_addr *,
		    const char *, size_t, bool);
static void	 server_dispatch(struct server *, const struct net_addr *,
		    struct proto_msg *);
static struct session *server_lookup(struct server *,
		    const struct net_addr *, const struct proto_msg *);

int
server_run(const struct options *opt)
{
	struct server	*srv;
	char		 host[NET_ADDRSTRLEN];
	char		 room[PROTO_ROOM_MAX_BYTES * 3 + 1];

	srv = server_new(opt);
	net_format_host(&srv->bound, host, sizeof(host));
	/* A room may hold bidi marks: shown as U+FFFD, like every log line. */
	utf8_sanitize(opt->room, strlen(opt->room), room, sizeof(room));
	/* Not through log_info: scripts read this line even with -q. */
	fprintf(stderr, "chat_server: listening on %s %d (room %s, "
	    "heartbeat %ds%s)\n", host, net_port(&srv->bound), room,
	    opt->heartbeat, opt->classroom ? ", classroom text protocol on: "
	    "trusted network only" : "");
	server_console(srv);
	while (server_stop == 0) {
		if (server_poll(srv) == -1)
			break;
	}
	server_drain_start(srv);
	while (server_stop < 2 && !server_drain_done(srv)) {
		if (server_poll(srv) == -1)
			break;
	}
	server_shutdown(srv);
	server_free(srv);
	return 0;
}

/* Everything the loop needs, or err(3) at start-up. */
static struct server *
server_new(const struct options *opt)
{
	struct server		*srv;
	struct net_prefix	 links[SESSION_LINKS_MAX];
	char			 errbuf[256];
	uint64_t		 seed;
	size_t			 i;
	int			 n;

	server_background();
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		err(1, "calloc");
	srv->opt = opt;
	srv->stdin_fd = fcntl(STDIN_FILENO, F_GETFD) == -1 ? -1 : STDIN_FILENO;
	srv->stdin_tty = srv->stdin_fd != -1 && isatty(STDIN_FILENO);
	srv->expire_ms = (uint64_t)opt->heartbeat * PROTO_EXPIRE_BEATS * 1000;
	srv->trace = log_get_level() >= LOG_TRACE;
	transcript_init(&srv->transcript);
	if (opt->transcript != NULL && transcript_open(&srv->transcript,
	    opt->transcript, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	srv->fd = net_udp_server(opt->bind, opt->port, SERVER_SOCKBUF,
	    &srv->bound, errbuf, sizeof(errbuf));
	if (srv->fd == -1)
		errx(1, "%s", errbuf);
	if (net_random(&seed, sizeof(seed)) == -1)
		errx(1, "cannot read random bytes from the OS");
	if (auth_init() == -1)
		errx(1, "cannot set up libsodium");
	auth_key_new(&srv->cookie_key);
	if (session_table_init(&srv->sessions, (size_t)opt->max_clients * 2,
	    seed) == -1 || history_init(&srv->history, opt->history) == -1 ||
	    resume_init(&srv->resume, server_resume_cap(opt), seed) == -1)
		errx(1, "out of memory");
	/* Our LAN's IPv6 peers count by address (--max-per-host). */
	if ((n = net_ipv6_prefixes(links, SESSION_LINKS_MAX, NULL, 0)) > 0)
		session_set_links(&srv->sessions, links, (size_t)n);
	server_run_id(srv);
	announce_init(&srv->announce);
	term_init(&srv->term);
	if ((srv->names = calloc((size_t)opt->max_clients + 1,
	    sizeof(*srv->names))) == NULL)
		errx(1, "out of memory");
	server_control(srv);
	for (i = 0; i < SERVER_BATCH; i++) {
		srv->riov[i].iov_base = srv->rbuf[i];
		srv->riov[i].iov_len = sizeof(srv->rbuf[i]);
		srv->rmsg[i].msg_hdr.msg_iov = &srv->riov[i];
		srv->rmsg[i].msg_hdr.msg_iovlen = 1;
		srv->rmsg[i].msg_hdr.msg_name = &srv->raddr[i];
	}
	server_signals(srv);
	/* Least privilege once everything is open (sandbox.h). */
	if (sandbox_enter(opt, srv->control.fd != -1 ? srv->control.path :
	    NULL, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	srv->now = clock_ms();
	return srv;
}

static void
server_free(struct server *srv)
{
	server_sigfd = -1;
	log_set_writer(NULL, NULL);
	term_free(&srv->term);
	free(srv->names);
	close(srv->fd);
	close(srv->sigpipe[0]);
	close(srv->sigpipe[1]);
	announce_control_close(&srv->control);
	transcript_close(&srv->transcript);
	session_table_free(&srv->sessions);
	history_free(&srv->history);
	resume_free(&srv->resume);
	free(srv->pend);
	free(srv);
}

/*
 * Room for the ends of SERVER_RESUME_ROOMS full rooms of sessions, at
 * least SERVER_RESUME_MIN: a room that empties and fills again several
 * times within the 10 minutes the contract asks for is still resumed.
 */
static size_t
server_resume_cap(const struct options *opt)
{
	size_t	 n;

	n = (size_t)opt->max_clients * SERVER_RESUME_ROOMS;
	return n < SERVER_RESUME_MIN ? SERVER_RESUME_MIN : n;
}

/* run: 64 random bits as hex, new at each start (mids count per run). */
static void
server_run_id(struct server *srv)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 raw[PROTO_RUN_LEN / 2];
	size_t			 i;

	if (net_random(raw, sizeof(raw)) == -1)
		errx(1, "cannot read random bytes from the OS");
	for (i = 0; i < sizeof(raw); i++) {
		srv->run[2 * i] = hex[raw[i] >> 4];
		srv->run[2 * i + 1] = hex[raw[i] & 0xf];
	}
	srv->run[PROTO_RUN_LEN] = '\0';
	srv->next_mid = 1;
}

/* The operator's control socket; the server runs on without one. */
static void
server_control(struct server *srv)
{
	char	 path[sizeof(srv->control.path)], errbuf[512];

	announce_control_init(&srv->control);
	if (srv->opt->control != NULL) {
		if (snprintf(path, sizeof(path), "%s", srv->opt->control) >=
		    (int)sizeof(path)) {
			log_info("no control socket: path too long");
			return;
		}
	} else if (announce_control_path(net_port(&srv->bound), true, path,
	    sizeof(path), errbuf, sizeof(errbuf)) == -1) {
		log_info("no control socket: %s", errbuf);
		return;
	}
	if (announce_control_open(&srv->control, path, errbuf,
	    sizeof(errbuf)) == -1) {
		log_info("no control socket: %s", errbuf);
		return;
	}
	/* Root becomes nobody (sandbox.h), who cannot remove the file. */
	if (geteuid() == 0 && announce_control_remover(&srv->control, errbuf,
	    sizeof(errbuf)) == -1)
		log_info("the control socket will stay after exit: %s", errbuf);
}

/*
 * SIGINT and SIGTERM count in server_stop and wake poll through the
 * self-pipe; each blocks the other in the handler, so two count two.
 */
static void
server_signals(struct server *srv)
{
	struct sigaction	 sa, old;

	if (pipe2(srv->sigpipe, O_NONBLOCK | O_CLOEXEC) == -1)
		err(1, "pipe");
	server_sigfd = srv->sigpipe[1];
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sa.sa_handler = server_signal_cb;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGCONT, &sa, NULL) == -1 ||
	    sigaction(SIGWINCH, &sa, NULL) == -1)
		err(1, "sigaction");
	/* One that ignores Ctrl-Z (make run's server) goes on doing so. */
	if (sigaction(SIGTSTP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Started in the background of a shell, a read of the terminal would
 * stop the whole server; ignored, it fails with EIO and the server just
 * stops reading announcements. So would a write, the first log line,
 * where the terminal has "stty tostop"; ignored, the write goes through.
 * Set first: start-up errors are written too.
 */
static void
server_background(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);
}

static void
server_signal_cb(int sig)
{
	int	 saved;
	char	 c;

	saved = errno;
	if (sig == SIGTSTP)
		server_tstp = 1;
	else if (sig == SIGCONT)
		server_cont = 1;
	else if (sig == SIGWINCH)
		server_winch = 1;
	else if (server_stop < 2)
		server_stop++;
	c = (char)sig;
	if (server_sigfd != -1 && write(server_sigfd, &c, 1) == -1) {
		/* The pipe is full: poll is awake already. */
	}
	errno = saved;
}

/*
 * The console at the terminal, if stdin and stdout are one in the
 * foreground (term.h); at start and again after fg. Started in the
 * background, stdin read EIO and was let go: it is taken back here.
 */
static void
server_console(struct server *srv)
{
	const char *const	*names;
	size_t			 n;

	server_cont = 0;
	if (srv->term.on || !srv->stdin_tty)
		return;
	if (term_start(&srv->term, STDIN_FILENO, STDOUT_FILENO, SERVER_PROMPT,
	    server_term_line, server_term_names, srv) == -1)
		return;
	srv->stdin_fd = STDIN_FILENO;
	names = cmd_names(&n);
	lineedit_set_commands(srv->term.le, names, n);
	log_set_writer(server_log_cb, srv);
}

/* Ctrl-Z: the terminal as it was, then stop; server_console after fg. */
static void
server_suspend(struct server *srv)
{
	server_tstp = 0;
	log_set_writer(NULL, NULL);
	term_stop(&srv->term);
	raise(SIGSTOP);
}

/* Keys at the console, or lines from a pipe as they come. */
static void
server_keys(struct server *srv)
{
	if (!srv->term.on) {
		server_stdin(srv);
		return;
	}
	if (term_read(&srv->term) == -1) {
		log_set_writer(NULL, NULL);
		term_stop(&srv->term);
		srv->stdin_fd = -1;
		srv->stdin_tty = false;
	}
}

static void
server_term_line(void *arg, const char *line, size_t len)
{
	char	 reply[ANNOUNCE_REPLY_MAX];

	server_console_cb(arg, line, len, false, reply, sizeof(reply));
}

/* The names in the room, for Tab. */
static const char *const *
server_term_names(void *arg, size_t *n)
{
	struct server	*srv = arg;
	struct session	*s;

	*n = 0;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (!s->dead && !s->kicked && *n < (size_t)srv->opt->max_clients)
			srv->names[(*n)++] = s->name;
	}
	return srv->names;
}

/* A log line, above the prompt. */
static void
server_log_cb(void *arg, const char *line, size_t len)
{
	struct server	*srv = arg;

	term_print(&srv->term, STDERR_FILENO, line, len);
}

/*
 * One wake of the loop. Returns -1 if poll itself fails. The poll set:
 * the socket, the signal pipe, stdin (-1 once closed: poll skips it),
 * then the control socket and its connections.
 */
static int
server_poll(struct server *srv)
{
	struct pollfd	 pfd[3 + 1 + ANNOUNCE_CONNS];
	int		 i, nctl;
	char		 sigbuf[64];

	pfd[0].fd = srv->fd;
	pfd[1].fd = srv->sigpipe[0];
	pfd[2].fd = srv->stdin_fd;
	for (i = 0; i < 3; i++) {
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	nctl = announce_control_pollfds(&srv->control, pfd + 3);
	if (poll(pfd, 3 + nctl, server_timeout(srv)) == -1) {
		if (errno == EINTR)
			return 0;
		log_error("poll: %s", strerror(errno));
		return -1;
	}
	srv->now = clock_ms();
	if (pfd[1].revents != 0) {
		while (read(srv->sigpipe[0], sigbuf, sizeof(sigbuf)) > 0)
			continue;
		if (server_tstp)
			server_suspend(srv);
		if (server_cont)
			server_console(srv);
		if (server_winch) {
			server_winch = 0;
			term_redraw(&srv->term);
		}
	}
	if (pfd[0].revents != 0)
		server_recv(srv);
	if (srv->stdin_fd != -1 && pfd[2].revents != 0)
		server_keys(srv);
	announce_control_handle(&srv->control, pfd + 3, nctl,
	    server_console_cb, srv);
	server_timers(srv);
	server_flush(srv);
	return 0;
}

/*
 * Milliseconds to the earliest session deadline, -1 for none; while
 * draining, at most to the drain's end.
 */
static int
server_timeout(struct server *srv)
{
	struct session	*s;
	uint64_t	 now;
	int		 t;

	now = clock_ms();
	if ((s = session_earliest(&srv->sessions)) == NULL ||
	    s->deadline == UINT64_MAX)
		t = -1;
	else if (s->deadline <= now)
		t = 0;
	else if (s->deadline - now > SERVER_POLL_MAX_MS)
		t = SERVER_POLL_MAX_MS;
	else
		t = (int)(s->deadline - now);
	if (srv->draining)
		t = server_drain_timeout(srv, now, t);
	return t;
}

/*
 * Reads batches until the socket is empty or SERVER_READ_MS have gone.
 * What they make is sent when the socket is empty, and at least every
 * SERVER_FLUSH_ROUNDS batches, so a fan-out does not wait for a long
 * read to end. Packing all that was waiting, rather than one batch's
 * worth, put 6.3-6.9 chats in each datagram at the bench's W = 32
 * instead of 5.3-5.6 (docs/bench.md).
 */
static void
server_recv(struct server *srv)
{
	struct net_addr	 from;
	struct msghdr	*h;
	uint64_t	 start;
	int		 round, n, i;

	start = srv->now;
	for (round = 0; round < SERVER_RECV_ROUNDS; round++) {
		for (i = 0; i < SERVER_BATCH; i++) {
			srv->rmsg[i].msg_hdr.msg_namelen =
			    sizeof(srv->raddr[i]);
			srv->rmsg[i].msg_hdr.msg_flags = 0;
		}
		n = recvmmsg(srv->fd, srv->rmsg, SERVER_BATCH, MSG_DONTWAIT,
		    NULL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_error("recvmmsg: %s", strerror(errno));
			break;
		}
		/* A long read must not leave "now" behind for the timers. */
		srv->now = clock_ms();
		for (i = 0; i < n; i++) {
			h = &srv->rmsg[i].msg_hdr;
			memcpy(&from.ss, &srv->raddr[i], sizeof(from.ss));
			from.len = h->msg_namelen;
			server_datagram(srv, &from, srv->rbuf[i],
			    srv->rmsg[i].msg_len,
			    (h->msg_flags & MSG_TRUNC) != 0);
		}
		/* Between datagrams nobody without a session gets anything. */
		srv->in_session = false;
		srv->in_answered = true;
		if (n < SERVER_BATCH || srv->now - start >= SERVER_READ_MS)
			break;
		if ((round + 1) % SERVER_FLUSH_ROUNDS == 0)
			server_flush(srv);
	}
	server_flush(srv);
}

/*
 * One datagram: length, decode, then the handler of its type. A login
 * whose only fault is its name is well-formed: the address check comes
 * first (server_login), the name after it.
 */
static void
server_datagram(struct server *srv, const struct net_addr *from,
    const char *buf, size_t len, bool truncated)
{
	struct proto_msg	*m = &srv->in;
	enum proto_err		 e;

	if (len > SERVER_SLOT)
		len = SERVER_SLOT;
	srv->in_from = *from;
	srv->in_len = len;
	srv->in_session = false;
	srv->in_answered = false;
	if (srv->trace)
		server_trace(srv, TRACE_IN, from, buf, len);
	if (classproto_is_request(buf, len)) {
		/* Stopping: nothing new (the text protocol has no acks). */
		if (!srv->draining)
			server_class_datagram(srv, from, buf, truncated ?
			    SERVER_SLOT + 1 : len);
		return;
	}
	if (truncated || len > PROTO_MAX_DGRAM) {
		proto_init(m, PROTO_NONE);
		server_decode_error(srv, from, PROTO_ERR_TOO_LONG, m);
		return;
	}
	/* Half of a busy server's input is acks: they skip the parser. */
	srv->in_raw = buf;
	if (!proto_decode_ack_fast(buf, len, m) &&
	    (e = proto_decode(buf, len, PROTO_FROM_CLIENT, m)) != PROTO_OK) {
		if (e != PROTO_ERR_BAD_NAME || m->type != PROTO_LOGIN) {
			server_decode_error(srv, from, e, m);
			return;
		}
		m->name[0] = '\0';	/* refused once the cookie is valid */
		m->has_id = false;
	}
	server_dispatch(srv, from, m);
}

static void
server_dispatch(struct server *srv, const struct net_addr *from,
    struct proto_msg *m)
{
	struct session	*s;

	switch (m->type) {
	case PROTO_LOGIN:
		/* Stopping: unanswered, so it is sent to the next server. */
		if (!srv->draining)
			server_login(srv, from, m);
		return;
	case PROTO_DISCOVER:
		if (!srv->draining)
			server_discover(srv, from);
		return;
	default:
		break;
	}
	if ((s = server_lookup(srv, from, m)) == NULL)
		return;
	srv->in_session = true;
	s->last_heard = srv->now;
	if (s->kicked) {
		server_kicked_request(srv, s, m);
		return;
	}
	switch (m->type) {
	case PROTO_CHAT:
	case PROTO_MSG:
	case PROTO_RENAME:
		/*
		 * Stopping: an id acted on is acked again, a new one is not
		 * (server_drain.c): the client sends it to the next server.
		 */
		if (!srv->draining || m->id < s->held.next)
			server_request(srv, s, m);
		break;
	case PROTO_WHO:
		server_who(srv, s);
		break;
	case PROTO_PING:
		server_simple(srv, &s->addr, PROTO_PONG);
		break;
	case PROTO_ACK:
		server_acked(srv, s, m);
		break;
	case PROTO_QUIT:
		server_quit(srv, s, m->text);
		break;
	default:
		/* proto_decode yields only client types in this direction. */
		break;
	}
}

/*
 * The session a request belongs to: its token must be known and the
 * datagram must come from the address the session logged in from.
 * Otherwise answers no_session (or bye, for a retried quit) and NULL.
 */
static struct session *
server_lookup(struct server *srv, const struct net_addr *from,
    const struct proto_msg *m)
{
	struct proto_msg	 bye;
	struct session		*s;

	s = session_find_token(&srv->sessions, m->token);
	if (s != NULL && !s->dead && net_equal(&s->addr, from))
		return s;
	if (m->type == PROTO_QUIT && (s == NULL || s->dead) &&
	    server_recently_quit(srv, from, m->token)) {
		proto_init(&bye, PROTO_BYE);
		server_reply_unauth(srv, from, &bye);
		return NULL;
	}
	server_error(srv, from, PROTO_CODE_NO_SESSION,
	    "no such session: log in again", m->has_id, m->id, true);
	return NULL;
}

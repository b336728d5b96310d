/*
 * server: socket, event loop, dispatch per message type and fan-out
 * (server.h). Follows docs/protocol.md v1; every row of its tables is
 * handled here. Choices where the contract is silent:
 *
 *  - Replies to unauthenticated input (decode errors, no_session, login
 *    refusals, a repeated welcome, here) are rate limited per source
 *    through a fixed table of token buckets indexed by the address hash,
 *    so a flood of forged sources costs bounded memory and cannot turn
 *    the server into an amplifier. Replies to a session's own requests
 *    (slow_down, no_such_user, ...) are not: its chat bucket bounds them.
 *  - chat and msg share one rate bucket per session (burst 20, 10/s).
 *  - A retried quit whose session is already gone gets bye again (a
 *    small ring remembers recent quits), not no_session.
 *  - A chat is kept for history only if its replayed form (with
 *    "history":true) also fits in a datagram.
 *  - welcome and users list the asker's own name first, so a list cut
 *    to fit a datagram (the rest counted in "more") still holds it.
 *  - A login of a name whose session is marked dead but not yet removed
 *    removes it at once and succeeds.
 *  - --no-rate-limit drops the chat bucket, for benchmarks.
 *  - /kick (protocol.md, "Kick"): the others get leave "kicked" at once;
 *    the kicked session gets the same leave and stays, out of the room
 *    (no fan-out, not listed, its name still reserved, its requests
 *    answered with that leave again), until its queue is empty or a
 *    retransmit fails. Its removal then tells nobody: the room knows.
 *  - Storms (N logins or N quits at once make N^2 joins or leaves): a
 *    new login is not answered, and a session that quit (bye sent) is
 *    not yet removed, while too many reliable messages are unacked in
 *    all (server_busy); removal also waits while one live session's
 *    queue is half full (server_peak), so the few that stay are not
 *    flooded past PROTO_MAX_UNACKED. The client's own login retries
 *    bring it back; the leaves follow as the acks come in.
 *
 * Fan-out cost: a reliable message is encoded once into a shared body
 * (shared/reliable.h) with a hole for the seq; each recipient's queue
 * entry holds a reference, and its datagram is rendered straight into
 * the send batch. Acks in the exact form clients send skip cJSON.
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
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "announce.h"
#include "clock.h"
#include "console.h"
#include "history.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server.h"
#include "session.h"
#include "transcript.h"
#include "utf8.h"

#define SERVER_BATCH		64	/* datagrams per recvmmsg */
#define SERVER_SEND_BATCH	64	/* datagrams per sendmmsg */
#define SERVER_SLOT		2048	/* receive slot: room to see > 1400 */
/*
 * The timers run only once the socket is empty: under a burst the acks
 * that would cancel a retransmit are still in the socket buffer, and
 * running the timers first would resend what was acked, which only adds
 * to the burst. A server that cannot catch up still runs them after
 * SERVER_DRAIN_MS (expiry must not starve); the round bound is a guard.
 */
#define SERVER_DRAIN_MS		PROTO_RETRY_FIRST_MS
#define SERVER_RECV_ROUNDS	100000
/* A login storm sends N acks per join; the buffer absorbs the burst. */
#define SERVER_SOCKBUF		(32 * 1024 * 1024)
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
/*
 * The same holds for leaving: a quit storm makes N leaves per quit. A
 * session that quit gets its bye at once, but its removal (and the
 * leave to everyone) waits while the server is busy as above, checked
 * again every SERVER_LEAVE_RETRY_MS, at most SERVER_LEAVE_DEFER_MS.
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
#define SERVER_ERR_SLOTS	4096	/* per-source buckets, a power of 2 */
#define SERVER_ERR_BURST	10	/* unauthenticated replies per source */
#define SERVER_ERR_RATE		5
#define SERVER_CHAT_BURST	20
#define SERVER_CHAT_RATE	10
#define SERVER_QUITS		64	/* recent quits answered with bye again */
#define SERVER_POLL_MAX_MS	60000
#define SERVER_SHUTDOWN_TEXT	"server is shutting down"

struct server_out {
	struct net_addr	 to;
	size_t		 len;
	char		 buf[PROTO_MAX_DGRAM];
};

struct server_quit {
	char		 token[PROTO_TOKEN_LEN + 1];
	struct net_addr	 addr;
};

/* All the loop state. */
struct server {
	const struct options	*opt;
	int			 fd;
	int			 sigpipe[2];
	int			 stdin_fd;	/* -1 once stdin is closed */
	struct net_addr		 bound;
	uint64_t		 now;		/* monotonic ms of this wake */
	uint64_t		 expire_ms;	/* silence that expires a session */
	uint64_t		 unacked;	/* queue entries of all sessions */
	size_t			 in_room;	/* neither dead nor kicked */
	size_t			 peak;		/* fullest live queue, at most; */
	bool			 peak_known;	/* computed once per timer run */
	bool			 trace;
	struct session_table	 sessions;
	struct history		 history;
	struct proto_msg	 in;		/* the datagram being handled */
	struct announce		 announce;
	struct announce_control	 control;
	struct transcript	 transcript;
	struct console_cmd	 cmd;		/* the operator line being run */
	struct session_bucket	 limit[SERVER_ERR_SLOTS];	/* per source */
	struct server_quit	 quits[SERVER_QUITS];
	size_t			 nquits;

	struct mmsghdr		 rmsg[SERVER_BATCH];
	struct iovec		 riov[SERVER_BATCH];
	struct sockaddr_storage	 raddr[SERVER_BATCH];
	char			 rbuf[SERVER_BATCH][SERVER_SLOT];

	struct server_out	 out[SERVER_SEND_BATCH];
	size_t			 nout;
	struct mmsghdr		 smsg[SERVER_SEND_BATCH];
	struct iovec		 siov[SERVER_SEND_BATCH];
};

/* Passed through reliable_tick to the resend callback. */
struct server_tick {
	struct server	*srv;
	struct session	*s;
};

static volatile sig_atomic_t server_stop;
static int	 server_sigfd = -1;

static struct server *server_new(const struct options *);
static void	 server_free(struct server *);
static void	 server_signals(struct server *);
static void	 server_background(void);
static void	 server_control(struct server *);
static void	 server_signal_cb(int);
static int	 server_poll(struct server *);
static int	 server_timeout(struct server *);
static void	 server_recv(struct server *);
static void	 server_datagram(struct server *, const struct net_addr *,
		    const char *, size_t, bool);
static void	 server_dispatch(struct server *, const struct net_addr *,
		    struct proto_msg *);
static struct session *server_lookup(struct server *,
		    const struct net_addr *, const struct proto_msg *);
static void	 server_login(struct server *, const struct net_addr *,
		    const struct proto_msg *);
static bool	 server_busy(const struct server *);
static bool	 server_password_ok(const struct server *,
		    const struct proto_msg *);
static struct session *server_create(struct server *,
		    const struct net_addr *, const char *);
static void	 server_welcome(struct server *, struct session *, bool);
static void	 server_replay(struct server *, struct session *);
static void	 server_discover(struct server *, const struct net_addr *);
static bool	 server_repeated(struct server *, struct session *,
		    const struct proto_msg *);
static bool	 server_text_accept(struct server *, struct session *,
		    const struct proto_msg *, enum proto_type, struct session **,
		    struct proto_msg *);
static void	 server_chat(struct server *, struct session *,
		    const struct proto_msg *);
static void	 server_msg(struct server *, struct session *,
		    const struct proto_msg *);
static void	 server_rename(struct server *, struct session *,
		    const struct proto_msg *);
static bool	 server_rate_ok(struct server *, struct session *,
		    const struct proto_msg *);
static void	 server_who(struct server *, struct session *);
static void	 server_quit(struct server *, struct session *);
static bool	 server_recently_quit(const struct server *,
		    const struct net_addr *, const char *);
static void	 server_users(const struct server *, const struct session *,
		    struct proto_msg *);
static bool	 server_fits(const struct proto_msg *);
static void	 server_ack(struct server *, struct session *, uint64_t);
static void	 server_simple(struct server *, const struct net_addr *,
		    enum proto_type);
static void	 server_error(struct server *, const struct net_addr *,
		    const char *, const char *, bool, uint64_t, bool);
static void	 server_decode_error(struct server *, const struct net_addr *,
		    enum proto_err, const struct proto_msg *);
static bool	 server_limit_ok(struct server *, const struct net_addr *);
static void	 server_reply(struct server *, const struct net_addr *,
		    const struct proto_msg *);
static void	 server_reliable(struct server *, struct session *,
		    struct proto_msg *);
static int	 server_body(struct proto_msg *, struct reliable_body **);
static void	 server_queue(struct server *, struct session *,
		    struct reliable_body *);
static void	 server_fanout(struct server *, struct session *,
		    struct proto_msg *);
static void	 server_mark_dead(struct server *, struct session *,
		    enum proto_reason);
static void	 server_out_of_room(struct server *, const struct session *);
static void	 server_remove(struct server *, struct session *,
		    enum proto_reason);
static void	 server_timers(struct server *);
static void	 server_session_timer(struct server *, struct session *);
static size_t	 server_peak(struct server *);
static uint64_t	 server_deadline(const struct server *,
		    const struct session *);
static void	 server_resend_cb(void *, const struct reliable_entry *);
static int	 server_console_cb(void *, const char *, size_t, bool,
		    char *);
static void	 server_print(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	 server_who_table(struct server *);
static struct session *server_kick_find(struct server *,
		    const struct console_cmd *);
static int	 server_kick(struct server *, const struct console_cmd *, bool,
		    char *);
static void	 server_kicked_request(struct server *, struct session *,
		    const struct proto_msg *);
static void	 server_announce(struct server *, const char *);
static void	 server_record(struct server *,
		    const struct transcript_event *);
static void	 server_stdin(struct server *);
static void	 server_shutdown(struct server *);
static void	 server_send(struct server *, const struct net_addr *,
		    const char *, size_t);
static void	 server_send_body(struct server *, const struct net_addr *,
		    const struct reliable_body *, uint64_t);
static struct server_out *server_out_slot(struct server *,
		    const struct net_addr *);
static void	 server_out_trace(struct server *, const struct server_out *);
static void	 server_flush(struct server *);

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
	    "heartbeat %ds)\n", host, net_port(&srv->bound), room,
	    opt->heartbeat);
	while (!server_stop) {
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
	struct server	*srv;
	char		 errbuf[256];
	uint64_t	 seed;
	size_t		 i;

	server_background();
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		err(1, "calloc");
	srv->opt = opt;
	srv->stdin_fd = fcntl(STDIN_FILENO, F_GETFD) == -1 ? -1 : STDIN_FILENO;
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
	if (session_table_init(&srv->sessions, (size_t)opt->max_clients * 2,
	    seed) == -1 || history_init(&srv->history, opt->history) == -1)
		errx(1, "out of memory");
	announce_init(&srv->announce);
	server_control(srv);
	for (i = 0; i < SERVER_BATCH; i++) {
		srv->riov[i].iov_base = srv->rbuf[i];
		srv->riov[i].iov_len = sizeof(srv->rbuf[i]);
		srv->rmsg[i].msg_hdr.msg_iov = &srv->riov[i];
		srv->rmsg[i].msg_hdr.msg_iovlen = 1;
		srv->rmsg[i].msg_hdr.msg_name = &srv->raddr[i];
	}
	server_signals(srv);
	srv->now = clock_ms();
	return srv;
}

static void
server_free(struct server *srv)
{
	server_sigfd = -1;
	close(srv->fd);
	close(srv->sigpipe[0]);
	close(srv->sigpipe[1]);
	announce_control_close(&srv->control);
	transcript_close(&srv->transcript);
	session_table_free(&srv->sessions);
	history_free(&srv->history);
	free(srv);
}

/* The operator's control socket; the server runs on without one. */
static void
server_control(struct server *srv)
{
	char	 path[sizeof(srv->control.path)], errbuf[256];

	announce_control_init(&srv->control);
	if (srv->opt->control != NULL) {
		if (snprintf(path, sizeof(path), "%s", srv->opt->control) >=
		    (int)sizeof(path)) {
			log_info("no control socket: path too long");
			return;
		}
	} else {
		announce_control_path(net_port(&srv->bound), path,
		    sizeof(path));
	}
	if (announce_control_open(&srv->control, path, errbuf,
	    sizeof(errbuf)) == -1)
		log_info("no control socket: %s", errbuf);
}

/* SIGINT and SIGTERM set a flag and wake poll through the self-pipe. */
static void
server_signals(struct server *srv)
{
	struct sigaction	 sa;

	if (pipe2(srv->sigpipe, O_NONBLOCK | O_CLOEXEC) == -1)
		err(1, "pipe");
	server_sigfd = srv->sigpipe[1];
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = server_signal_cb;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		err(1, "sigaction");
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
	server_stop = 1;
	c = (char)sig;
	if (server_sigfd != -1 && write(server_sigfd, &c, 1) == -1) {
		/* The pipe is full: poll is awake already. */
	}
	errno = saved;
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
	char		 drain[64];

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
		while (read(srv->sigpipe[0], drain, sizeof(drain)) > 0)
			continue;
	}
	if (pfd[0].revents != 0)
		server_recv(srv);
	if (srv->stdin_fd != -1 && pfd[2].revents != 0)
		server_stdin(srv);
	announce_control_handle(&srv->control, pfd + 3, nctl,
	    server_console_cb, srv);
	server_timers(srv);
	server_flush(srv);
	return 0;
}

/* Milliseconds to the earliest session deadline, -1 for none. */
static int
server_timeout(struct server *srv)
{
	struct session	*s;
	uint64_t	 now;

	if ((s = session_earliest(&srv->sessions)) == NULL ||
	    s->deadline == UINT64_MAX)
		return -1;
	now = clock_ms();
	if (s->deadline <= now)
		return 0;
	if (s->deadline - now > SERVER_POLL_MAX_MS)
		return SERVER_POLL_MAX_MS;
	return (int)(s->deadline - now);
}

/*
 * Reads batches until the socket is empty or SERVER_DRAIN_MS have gone.
 * What a batch makes is sent before the next is read, so a fan-out does
 * not wait for the drain to end.
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
			return;
		}
		/* A long drain must not leave "now" behind for the timers. */
		srv->now = clock_ms();
		for (i = 0; i < n; i++) {
			h = &srv->rmsg[i].msg_hdr;
			memcpy(&from.ss, &srv->raddr[i], sizeof(from.ss));
			from.len = h->msg_namelen;
			server_datagram(srv, &from, srv->rbuf[i],
			    srv->rmsg[i].msg_len,
			    (h->msg_flags & MSG_TRUNC) != 0);
		}
		server_flush(srv);
		if (n < SERVER_BATCH || srv->now - start >= SERVER_DRAIN_MS)
			return;
	}
}

/* One datagram: length, decode, then the handler of its type. */
static void
server_datagram(struct server *srv, const struct net_addr *from,
    const char *buf, size_t len, bool truncated)
{
	struct proto_msg	*m = &srv->in;
	enum proto_err		 e;
	char			 peer[NET_ADDRSTRLEN];

	if (len > SERVER_SLOT)
		len = SERVER_SLOT;
	if (srv->trace) {
		net_format(from, peer, sizeof(peer));
		log_trace_dgram("in", peer, buf, len);
	}
	if (truncated || len > PROTO_MAX_DGRAM) {
		proto_init(m, PROTO_NONE);
		server_decode_error(srv, from, PROTO_ERR_TOO_LONG, m);
		return;
	}
	/* Half of a busy server's input is acks: they skip the parser. */
	if (!proto_decode_ack_fast(buf, len, m) &&
	    (e = proto_decode(buf, len, PROTO_FROM_CLIENT, m)) != PROTO_OK) {
		server_decode_error(srv, from, e, m);
		return;
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
		server_login(srv, from, m);
		return;
	case PROTO_DISCOVER:
		server_discover(srv, from);
		return;
	default:
		break;
	}
	if ((s = server_lookup(srv, from, m)) == NULL)
		return;
	s->last_heard = srv->now;
	if (s->kicked) {
		server_kicked_request(srv, s, m);
		return;
	}
	switch (m->type) {
	case PROTO_CHAT:
		server_chat(srv, s, m);
		break;
	case PROTO_MSG:
		server_msg(srv, s, m);
		break;
	case PROTO_RENAME:
		server_rename(srv, s, m);
		break;
	case PROTO_WHO:
		server_who(srv, s);
		break;
	case PROTO_PING:
		server_simple(srv, &s->addr, PROTO_PONG);
		break;
	case PROTO_ACK:
		/* A duplicate ack is normal: the first one crossed a resend. */
		if (reliable_ack(&s->queue, m->seq) == 0)
			srv->unacked--;
		break;
	case PROTO_QUIT:
		server_quit(srv, s);
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
	struct session	*s;

	s = session_find_token(&srv->sessions, m->token);
	if (s != NULL && !s->dead && net_equal(&s->addr, from))
		return s;
	if (m->type == PROTO_QUIT && (s == NULL || s->dead) &&
	    server_recently_quit(srv, from, m->token)) {
		server_simple(srv, from, PROTO_BYE);
		return NULL;
	}
	server_error(srv, from, PROTO_CODE_NO_SESSION,
	    "no such session: log in again", m->has_id, m->id, true);
	return NULL;
}

/* ---- login ---- */

static void
server_login(struct server *srv, const struct net_addr *from,
    const struct proto_msg *m)
{
	struct session	*s;

	if (m->version != PROTO_VERSION) {
		server_decode_error(srv, from, PROTO_ERR_BAD_VERSION, m);
		return;
	}
	if (proto_check_name(m->name) != 0) {
		server_decode_error(srv, from, PROTO_ERR_BAD_NAME, m);
		return;
	}
	if (!server_password_ok(srv, m)) {
		server_error(srv, from, PROTO_CODE_BAD_PASSWORD,
		    "wrong or missing password", false, 0, true);
		return;
	}
	if ((s = session_find_name(&srv->sessions, m->name)) != NULL &&
	    s->dead) {
		/* Going anyway: let the name go now. */
		server_remove(srv, s, s->dead_reason);
		s = NULL;
	}
	if (s != NULL) {
		/* Kicked: the name is free once that session is gone. */
		if (s->kicked || !net_equal(&s->addr, from)) {
			server_error(srv, from, PROTO_CODE_NAME_TAKEN,
			    "that name is taken", false, 0, true);
			return;
		}
		/* The first welcome was lost: the same one again. */
		s->last_heard = srv->now;
		server_welcome(srv, s, true);
		return;
	}
	if (srv->sessions.count >= (size_t)srv->opt->max_clients) {
		server_error(srv, from, PROTO_CODE_FULL, "the server is full",
		    false, 0, true);
		return;
	}
	if (server_busy(srv)) {
		log_debug("login of %s put off: %llu unacked", m->name,
		    (unsigned long long)srv->unacked);
		return;
	}
	if ((s = server_create(srv, from, m->name)) == NULL)
		return;
	server_welcome(srv, s, false);
	server_replay(srv, s);
}

/* Too many joins still unacked to take one more login now. */
static bool
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

/* Compares in time independent of where the first difference is. */
static bool
server_password_ok(const struct server *srv, const struct proto_msg *m)
{
	const char	*want;
	size_t		 i, wlen, glen;
	unsigned char	 diff;

	if ((want = srv->opt->password) == NULL)
		return true;
	if (!m->has_password)
		return false;
	wlen = strlen(want);
	glen = strlen(m->password);
	diff = wlen != glen;
	for (i = 0; i < glen; i++)
		diff |= (unsigned char)m->password[i] ^
		    (unsigned char)want[i % (wlen + 1)];
	return diff == 0;
}

/* A new session with a fresh token; others get join. */
static struct session *
server_create(struct server *srv, const struct net_addr *from,
    const char *name)
{
	static const char	 hex[] = "0123456789abcdef";
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
	session_set_deadline(&srv->sessions, s, server_deadline(srv, s));
	srv->in_room++;
	net_format(from, peer, sizeof(peer));
	log_info("join %s from %s", s->name, peer);

	proto_init(&m, PROTO_JOIN);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	m.ts = clock_wall_ms();
	server_fanout(srv, s, &m);
	server_record(srv, &(struct transcript_event){ .type = "join",
	    .ts = m.ts, .name = m.name });
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
	if (srv->opt->motd != NULL) {
		snprintf(m.motd, sizeof(m.motd), "%s", srv->opt->motd);
		m.has_motd = true;
	}
	server_users(srv, s, &m);
	if (!limited || server_limit_ok(srv, &s->addr))
		server_reply(srv, &s->addr, &m);
}

/* The recent chats, oldest first, as reliable chat with history. */
static void
server_replay(struct server *srv, struct session *s)
{
	const struct history_entry	*e;
	struct proto_msg		 m;
	size_t				 i;

	for (i = 0; (e = history_at(&srv->history, i)) != NULL; i++) {
		proto_init(&m, PROTO_CHAT);
		snprintf(m.from, sizeof(m.from), "%s", e->from);
		snprintf(m.text, sizeof(m.text), "%s", e->text);
		m.ts = e->ts;
		m.history = true;
		server_reliable(srv, s, &m);
	}
}

static void
server_discover(struct server *srv, const struct net_addr *from)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_HERE);
	m.version = PROTO_VERSION;
	snprintf(m.room, sizeof(m.room), "%s", srv->opt->room);
	m.port = net_port(&srv->bound);
	/* Not sessions.count: a kicked or departing one is not online. */
	m.user_count = (int)srv->in_room;
	if (server_limit_ok(srv, from))
		server_reply(srv, from, &m);
}

/* ---- requests of a session ---- */

/* A request whose id s already had acted on: its ack again, no more. */
static bool
server_repeated(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	if (!reliable_dedup_seen(&s->dedup, m->id))
		return false;
	/* The first ack was lost. */
	server_ack(srv, s, m->id);
	return true;
}

/*
 * The steps chat and msg share before forwarding m->text: a repeat is
 * only acked again; then the text is checked, msg's recipient is found
 * (into *to; NULL for chat), fwd is built as type from s and must fit
 * a datagram with any seq, and the rate bucket must allow it. The order
 * decides which error a request with several faults gets. Every refusal
 * is answered here; true means fwd is ready and m is acked.
 */
static bool
server_text_accept(struct server *srv, struct session *s,
    const struct proto_msg *m, enum proto_type type, struct session **to,
    struct proto_msg *fwd)
{
	if (server_repeated(srv, s, m))
		return false;
	if (proto_check_text(m->text, strlen(m->text)) != PROTO_OK) {
		server_decode_error(srv, &s->addr, PROTO_ERR_BAD_TEXT, m);
		return false;
	}
	if (to != NULL) {
		*to = session_find_name(&srv->sessions, m->to);
		if (*to == NULL || (*to)->dead || (*to)->kicked) {
			server_error(srv, &s->addr, PROTO_CODE_NO_SUCH_USER,
			    "no such user", true, m->id, false);
			return false;
		}
	}
	proto_init(fwd, type);
	snprintf(fwd->from, sizeof(fwd->from), "%s", s->name);
	snprintf(fwd->text, sizeof(fwd->text), "%s", m->text);
	fwd->ts = clock_wall_ms();
	if (!server_fits(fwd)) {
		server_decode_error(srv, &s->addr, PROTO_ERR_TOO_LONG, m);
		return false;
	}
	if (!server_rate_ok(srv, s, m))
		return false;
	server_ack(srv, s, m->id);
	return true;
}

/* To everyone else, and kept for history if its replay fits too. */
static void
server_chat(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;

	if (!server_text_accept(srv, s, m, PROTO_CHAT, NULL, &fwd))
		return;
	server_fanout(srv, s, &fwd);
	s->chats++;
	server_record(srv, &(struct transcript_event){ .type = "chat",
	    .ts = fwd.ts, .from = fwd.from, .text = fwd.text });
	fwd.history = true;
	if (server_fits(&fwd))
		history_push(&srv->history, fwd.from, fwd.text, fwd.ts);
	reliable_dedup_mark(&s->dedup, m->id);
}

/* To the one session named in m->to. */
static void
server_msg(struct server *srv, struct session *s, const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct session		*to;

	if (!server_text_accept(srv, s, m, PROTO_MSG, &to, &fwd))
		return;
	server_reliable(srv, to, &fwd);
	reliable_dedup_mark(&s->dedup, m->id);
}

static void
server_rename(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	struct proto_msg	 fwd;
	struct session		*other;

	if (server_repeated(srv, s, m))
		return;
	if (proto_check_name(m->name) != 0) {
		server_decode_error(srv, &s->addr, PROTO_ERR_BAD_NAME, m);
		return;
	}
	if ((other = session_find_name(&srv->sessions, m->name)) == s) {
		/* Already so named: nothing for the others to see. */
		server_ack(srv, s, m->id);
		reliable_dedup_mark(&s->dedup, m->id);
		return;
	}
	if (other != NULL) {
		server_error(srv, &s->addr, PROTO_CODE_NAME_TAKEN,
		    "that name is taken", true, m->id, false);
		return;
	}
	proto_init(&fwd, PROTO_RENAME);
	snprintf(fwd.from, sizeof(fwd.from), "%s", s->name);
	snprintf(fwd.to, sizeof(fwd.to), "%s", m->name);
	fwd.ts = clock_wall_ms();
	log_info("rename %s -> %s", fwd.from, fwd.to);
	session_rename(&srv->sessions, s, m->name);
	server_ack(srv, s, m->id);
	server_fanout(srv, s, &fwd);
	server_record(srv, &(struct transcript_event){ .type = "rename",
	    .ts = fwd.ts, .from = fwd.from, .to = fwd.to });
	reliable_dedup_mark(&s->dedup, m->id);
}

/*
 * Whether s may send one more chat or msg now; if not, answers
 * slow_down. --no-rate-limit lets everything through (benchmarks).
 */
static bool
server_rate_ok(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	if (srv->opt->no_rate_limit)
		return true;
	if (session_bucket_take(&s->bucket, srv->now, SERVER_CHAT_BURST,
	    SERVER_CHAT_RATE))
		return true;
	server_error(srv, &s->addr, PROTO_CODE_SLOW_DOWN,
	    "too many messages: slow down", true, m->id, false);
	return false;
}

static void
server_who(struct server *srv, struct session *s)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_USERS);
	server_users(srv, s, &m);
	server_reply(srv, &s->addr, &m);
}

static void
server_quit(struct server *srv, struct session *s)
{
	struct server_quit	*q;

	server_simple(srv, &s->addr, PROTO_BYE);
	q = &srv->quits[srv->nquits++ % SERVER_QUITS];
	snprintf(q->token, sizeof(q->token), "%s", s->token);
	q->addr = s->addr;
	server_mark_dead(srv, s, PROTO_REASON_QUIT);
}

static bool
server_recently_quit(const struct server *srv, const struct net_addr *from,
    const char *token)
{
	size_t	 i;

	for (i = 0; i < SERVER_QUITS && i < srv->nquits; i++) {
		if (strcmp(srv->quits[i].token, token) == 0 &&
		    net_equal(&srv->quits[i].addr, from))
			return true;
	}
	return false;
}

/* ---- building replies ---- */

/*
 * The names online into m->users, own first: when the list is cut to
 * fit a datagram, the asker's own name must still be on it.
 * m->more counts the names left out.
 */
static void
server_users(const struct server *srv, const struct session *own,
    struct proto_msg *m)
{
	struct session	*s;

	proto_add_user(m, own->name);
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s != own && !s->dead && !s->kicked &&
		    proto_add_user(m, s->name) == -1)
			m->more++;
	}
}

/* Whether m, with the largest seq it could get, fits in a datagram. */
static bool
server_fits(const struct proto_msg *m)
{
	struct proto_msg	 t;
	char			 buf[PROTO_MAX_DGRAM];

	t = *m;
	t.seq = PROTO_INT_MAX;
	return proto_encode(&t, PROTO_FROM_SERVER, buf, sizeof(buf)) != -1;
}

static void
server_ack(struct server *srv, struct session *s, uint64_t id)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_ACK);
	m.id = id;
	m.has_id = true;
	server_reply(srv, &s->addr, &m);
}

/* A reply with no fields (pong, bye). */
static void
server_simple(struct server *srv, const struct net_addr *to,
    enum proto_type type)
{
	struct proto_msg	 m;

	proto_init(&m, type);
	server_reply(srv, to, &m);
}

/*
 * An error reply. limited: it answers unauthenticated input, so it goes
 * through the per-source limiter (the source may be forged).
 */
static void
server_error(struct server *srv, const struct net_addr *to, const char *code,
    const char *text, bool has_id, uint64_t id, bool limited)
{
	struct proto_msg	 m;

	if (limited && !server_limit_ok(srv, to))
		return;
	proto_init(&m, PROTO_ERROR);
	snprintf(m.code, sizeof(m.code), "%s", code);
	snprintf(m.text, sizeof(m.text), "%s", text);
	m.has_id = has_id;
	m.id = id;
	server_reply(srv, to, &m);
}

static void
server_decode_error(struct server *srv, const struct net_addr *to,
    enum proto_err e, const struct proto_msg *m)
{
	char	 peer[NET_ADDRSTRLEN];

	if (log_get_level() >= LOG_DEBUG) {
		net_format(to, peer, sizeof(peer));
		log_debug("bad: %s from %s", proto_err_code(e), peer);
	}
	server_error(srv, to, proto_err_code(e), proto_err_text(e),
	    m->has_id, m->id, true);
}

/*
 * Whether the per-source limit lets one more unauthenticated reply go to
 * to. Sources that share a slot share its bucket: stricter, never looser.
 */
static bool
server_limit_ok(struct server *srv, const struct net_addr *to)
{
	struct session_bucket	*b;

	b = &srv->limit[net_hash(to) & (SERVER_ERR_SLOTS - 1)];
	return session_bucket_take(b, srv->now, SERVER_ERR_BURST,
	    SERVER_ERR_RATE);
}

/* An unreliable reply: encode and send once. */
static void
server_reply(struct server *srv, const struct net_addr *to,
    const struct proto_msg *m)
{
	char	 buf[PROTO_MAX_DGRAM];
	int	 len;

	if ((len = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof(buf))) < 0) {
		log_error("cannot encode %s", proto_type_name(m->type));
		return;
	}
	server_send(srv, to, buf, len);
}

/* A reliable message to one session (msg, history). */
static void
server_reliable(struct server *srv, struct session *s, struct proto_msg *m)
{
	struct reliable_body	*b;

	if (server_body(m, &b) == -1)
		return;
	server_queue(srv, s, b);
	reliable_body_unref(b);
}

/*
 * m encoded once into *bp, with a hole for the seq that each recipient's
 * queue entry fills in: one allocation per message, however many get
 * it. Encoded with the largest seq, so every real seq fits where that
 * one did. -1 if m cannot be encoded (nobody gets it); 0 with *bp NULL
 * if out of memory (its recipients are dropped, as for a failed queue).
 */
static int
server_body(struct proto_msg *m, struct reliable_body **bp)
{
	char	 buf[PROTO_MAX_DGRAM];
	size_t	 off, n;
	int	 len;

	*bp = NULL;
	m->seq = PROTO_INT_MAX;
	if ((len = proto_encode_seq(m, buf, sizeof(buf), &off, &n)) < 0) {
		log_error("cannot encode %s", proto_type_name(m->type));
		return -1;
	}
	*bp = reliable_body_new(buf, off, buf + off + n, (size_t)len - off - n);
	if (*bp == NULL)
		log_error("out of memory for a %s", proto_type_name(m->type));
	return 0;
}

/*
 * b to s under its next seq: sent now and queued for retransmission.
 * Too many unacked, or no body (it could not be made), marks s dead.
 */
static void
server_queue(struct server *srv, struct session *s, struct reliable_body *b)
{
	uint64_t	 due;

	if (b == NULL || reliable_push_body(&s->queue, s->next_seq, b,
	    srv->now) == -1) {
		server_mark_dead(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	srv->unacked++;
	server_send_body(srv, &s->addr, b, s->next_seq);
	s->next_seq++;
	if (s->queue.count > PROTO_MAX_UNACKED) {
		server_mark_dead(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	due = srv->now + PROTO_RETRY_FIRST_MS;
	if (due < s->deadline)
		session_set_deadline(&srv->sessions, s, due);
}

/* m to every live session but except (NULL: all), each with its seq. */
static void
server_fanout(struct server *srv, struct session *except, struct proto_msg *m)
{
	struct reliable_body	*b;
	struct session		*s;

	if (server_body(m, &b) == -1)
		return;
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s != except && !s->dead && !s->kicked)
			server_queue(srv, s, b);
	}
	reliable_body_unref(b);
}

/* ---- removal and timers ---- */

/* Removal is deferred to the timer run: the caller may be walking. */
static void
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
static void
server_out_of_room(struct server *srv, const struct session *s)
{
	if (!s->dead && !s->kicked)
		srv->in_room--;
}

/*
 * Frees s now and tells the others it left. Not during a session walk.
 * A kicked session's leave went out at the kick: nobody is told again.
 */
static void
server_remove(struct server *srv, struct session *s, enum proto_reason reason)
{
	struct proto_msg	 m;

	server_out_of_room(srv, s);
	if (s->kicked) {
		log_debug("kicked %s is gone (%s)", s->name,
		    s->queue.count == 0 ? "its leave was acked" :
		    "its leave was not acked");
		srv->unacked -= s->queue.count;
		session_remove(&srv->sessions, s);
		return;
	}
	log_info("leave %s (%s)", s->name, proto_reason_name(reason));
	proto_init(&m, PROTO_LEAVE);
	snprintf(m.name, sizeof(m.name), "%s", s->name);
	m.reason = reason;
	m.ts = clock_wall_ms();
	srv->unacked -= s->queue.count;
	session_remove(&srv->sessions, s);
	server_fanout(srv, NULL, &m);
	srv->peak++;	/* the leave added one to every live queue */
	server_record(srv, &(struct transcript_event){ .type = "leave",
	    .ts = m.ts, .name = m.name, .reason = proto_reason_name(reason) });
}

/*
 * Runs every session whose deadline has passed, earliest first. Each
 * step removes a session or moves its deadline past now, so the loop
 * ends; the bound is a guard, not the expected exit.
 */
static void
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
	if (srv->now >= s->last_heard + srv->expire_ms) {
		server_remove(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	tick.srv = srv;
	tick.s = s;
	before = s->queue.count;
	if (reliable_tick(&s->queue, srv->now, server_resend_cb, NULL,
	    &tick) > 0) {
		srv->unacked -= before - s->queue.count;
		server_remove(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
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
static uint64_t
server_deadline(const struct server *srv, const struct session *s)
{
	uint64_t	 d, due;

	d = s->last_heard + srv->expire_ms;
	if (reliable_next_due(&s->queue, &due) && due < d)
		d = due;
	return d;
}

static void
server_resend_cb(void *arg, const struct reliable_entry *e)
{
	struct server_tick	*tick = arg;

	if (e->body != NULL)
		server_send_body(tick->srv, &tick->s->addr, e->body, e->key);
	else
		server_send(tick->srv, &tick->s->addr, e->data, e->len);
}

/* ---- the operator: console, announcements, kick, transcript ---- */

static void
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
static int
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
 * /kick NAME: the room (the kicked one included) gets leave "kicked"
 * now, one body for all; from here on the session only waits for its
 * acks (server_kicked_request, server_session_timer). why goes to the
 * log and the transcript: the contract's leave has no field for it.
 * Answers the operator on stdout (from stdin) or in reply (remote).
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
	server_fanout(srv, NULL, &m);
	/* Its last reliable message: nothing is queued to it after this. */
	server_out_of_room(srv, s);
	s->kicked = true;
	s->kick_seq = s->next_seq - 1;
	server_record(srv, &(struct transcript_event){ .type = "leave",
	    .ts = m.ts, .name = m.name, .reason = "kicked",
	    .text = why[0] != '\0' ? why : NULL });
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
static void
server_kicked_request(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	struct server_tick	 tick;
	struct reliable_entry	*e;
	size_t			 i;

	switch (m->type) {
	case PROTO_ACK:
		if (reliable_ack(&s->queue, m->seq) == 0)
			srv->unacked--;
		if (s->queue.count == 0)
			server_mark_dead(srv, s, PROTO_REASON_KICKED);
		return;
	case PROTO_QUIT:
		server_quit(srv, s);
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

static void
server_announce(struct server *srv, const char *text)
{
	struct proto_msg	 m;
	size_t			 len;
	int			 i;

	proto_init(&m, PROTO_ANNOUNCE);
	snprintf(m.text, sizeof(m.text), "%s", text);
	m.ts = clock_wall_ms();
	/* Heavy JSON escaping may not fit: cut until it does. */
	len = strlen(m.text);
	for (i = 0; i < 16 && !server_fits(&m) && len > 0; i++) {
		len = utf8_prefix(m.text, len, len > 100 ? len - 100 : 0);
		m.text[len] = '\0';
	}
	if (len == 0 || !server_fits(&m))
		return;
	log_debug("announce to %zu: %s", srv->sessions.count, m.text);
	server_fanout(srv, NULL, &m);
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .text = m.text });
}

/* One transcript line, if asked for; a failing write is said once. */
static void
server_record(struct server *srv, const struct transcript_event *e)
{
	char	 errbuf[sizeof(srv->transcript.path) + 256];

	if (srv->transcript.fd != -1 && transcript_write(&srv->transcript, e,
	    errbuf, sizeof(errbuf)) == -1 && errbuf[0] != '\0')
		log_error("%s", errbuf);
}

/* SIGINT/SIGTERM: one best-effort announce to everyone, not queued. */
static void
server_shutdown(struct server *srv)
{
	struct proto_msg	 m;
	struct session		*s;

	log_info("shutting down");
	proto_init(&m, PROTO_ANNOUNCE);
	snprintf(m.text, sizeof(m.text), "%s", SERVER_SHUTDOWN_TEXT);
	m.ts = clock_wall_ms();
	server_record(srv, &(struct transcript_event){ .type = "announce",
	    .ts = m.ts, .text = m.text });
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s->dead || s->kicked)
			continue;
		m.seq = s->next_seq++;
		server_reply(srv, &s->addr, &m);
	}
	server_flush(srv);
}

/* ---- batched sending ---- */

/* The next free slot of the send batch (flushing a full one), to to. */
static struct server_out *
server_out_slot(struct server *srv, const struct net_addr *to)
{
	struct server_out	*o;

	if (srv->nout == SERVER_SEND_BATCH)
		server_flush(srv);
	o = &srv->out[srv->nout++];
	o->to = *to;
	return o;
}

static void
server_out_trace(struct server *srv, const struct server_out *o)
{
	char	 peer[NET_ADDRSTRLEN];

	if (srv->trace) {
		net_format(&o->to, peer, sizeof(peer));
		log_trace_dgram("out", peer, o->buf, o->len);
	}
}

static void
server_send(struct server *srv, const struct net_addr *to, const char *buf,
    size_t len)
{
	struct server_out	*o;

	o = server_out_slot(srv, to);
	o->len = len;
	memcpy(o->buf, buf, len);
	server_out_trace(srv, o);
}

/* A shared body with seq filled in, rendered straight into the batch. */
static void
server_send_body(struct server *srv, const struct net_addr *to,
    const struct reliable_body *b, uint64_t seq)
{
	struct server_out	*o;

	o = server_out_slot(srv, to);
	if ((o->len = reliable_body_render(b, seq, o->buf,
	    sizeof(o->buf))) == 0) {
		/* Cannot happen: the body was made with the widest seq. */
		srv->nout--;
		return;
	}
	server_out_trace(srv, o);
}

/*
 * Sends the batch. A datagram the kernel refuses is skipped (the
 * retransmit queue covers what mattered); a full socket buffer drops the
 * rest of the batch for the same reason.
 */
static void
server_flush(struct server *srv)
{
	size_t	 i, off;
	int	 n;

	for (i = 0; i < srv->nout; i++) {
		srv->siov[i].iov_base = srv->out[i].buf;
		srv->siov[i].iov_len = srv->out[i].len;
		memset(&srv->smsg[i].msg_hdr, 0, sizeof(srv->smsg[i].msg_hdr));
		srv->smsg[i].msg_hdr.msg_name = &srv->out[i].to.ss;
		srv->smsg[i].msg_hdr.msg_namelen = srv->out[i].to.len;
		srv->smsg[i].msg_hdr.msg_iov = &srv->siov[i];
		srv->smsg[i].msg_hdr.msg_iovlen = 1;
	}
	for (off = 0; off < srv->nout; ) {
		n = sendmmsg(srv->fd, srv->smsg + off, srv->nout - off, 0);
		if (n > 0) {
			off += n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			log_debug("send buffer full: %zu dropped",
			    srv->nout - off);
			break;
		}
		log_debug("sendmmsg: %s", strerror(errno));
		off++;
	}
	srv->nout = 0;
}

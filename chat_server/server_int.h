/*
 * server_int.h: what the server_*.c files share, private to them (the
 * public interface is server.h, server_run). All the loop state is one
 * struct server. The server's files, one job each, like tmux's server.c,
 * server-client.c and cmd-*.c (the prototypes below go in this order):
 *
 *   server.c        the socket, signals, the poll loop, receiving
 *                   (recvmmsg) and dispatch of a datagram to its handler
 *   server_login.c  login, welcome, history replay, discover/here
 *   server_req.c    the requests of a session: chat, msg, rename (in
 *                   id order, repeats answered alike), who, quit; the
 *                   chat rate limit
 *   server_out.c    replies, errors and their per-source limit, the "no
 *                   amplification" rule (server_reply_unauth), reliable
 *                   queueing, fan-out, the batched send (sendmmsg)
 *   server_timer.c  timers: retransmits, expiry, removal of sessions
 *   server_op.c     the operator: console lines, /who, /kick, /msg,
 *                   /rename, /topic, announce, history, transcript
 *   server_drain.c  shutdown: what is unacked delivered first, bounded
 *   server_mod.c    moderation: /mute, /ban, /slow, reserved names, and
 *                   the checks the request and login paths make
 *   server_class.c  --classroom: the course's text protocol, its
 *                   sessions and the text line of each event
 *   cmd.c           the table of the operator's commands (cmd.h)
 *
 * Storms (N logins or N quits at once make N^2 joins or leaves): a new
 * login is not answered, and a session that quit (bye sent) is not yet
 * removed, while too many reliable messages are unacked in all
 * (server_busy); removal also waits while one live session's queue is
 * half full (server_peak), so the few that stay are not flooded past
 * PROTO_MAX_UNACKED. The client's own login retries bring it back; the
 * leaves follow as the acks come in.
 */
#ifndef SERVER_INT_H
#define SERVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "announce.h"
#include "auth.h"
#include "cmd.h"
#include "console.h"
#include "history.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "resume.h"
#include "server.h"
#include "session.h"
#include "term.h"
#include "trace.h"
#include "transcript.h"

#define SERVER_BATCH		64	/* datagrams per recvmmsg */
#define SERVER_SEND_BATCH	64	/* datagrams per sendmmsg */
#define SERVER_SLOT		2048	/* receive slot: room to see > 1400 */
#define SERVER_ERR_SLOTS	4096	/* per-source buckets, a power of 2 */
#define SERVER_QUITS		64	/* recent quits answered with bye again */
#define SERVER_MODS		256	/* mutes and bans in force at once */

struct server_out {
	struct net_addr	 to;
	size_t		 len;
	char		 buf[PROTO_MAX_DGRAM];
};

struct server_quit {
	char		 token[PROTO_TOKEN_LEN + 1];
	struct net_addr	 addr;
};

/* A mute (of a name) or a ban (of a name or an address), server_mod.c. */
struct server_mod {
	bool		 used;
	bool		 ban;
	bool		 addr;		/* key is a host, not a name */
	char		 key[NET_ADDRSTRLEN];	/* longer than any name */
	uint64_t	 until;		/* monotonic ms; UINT64_MAX: for good */
};

/* Whether nobody may take a name, and why (server_reserved). */
enum server_reserve {
	SERVER_FREE = 0,
	SERVER_RESERVED,	/* --reserve: kept for someone by the operator */
	SERVER_RESERVED_OP,	/* the operator's own, or one like it */
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
	int			 resend_send;	/* of a resend being made, or 0 */
	uint64_t		 resend_since_ms; /* and the time since its first */
	bool			 class_told;	/* the --classroom hint was logged */
	bool			 draining;	/* stopping: server_drain.c */
	uint64_t		 drain_until;	/* and when it stops anyway */
	uint64_t		 acked_at;	/* the last ack of a request, ms */
	struct session_table	 sessions;
	struct history		 history;
	struct resume		 resume;	/* ended sessions' next ids */
	char			 run[PROTO_RUN_LEN + 1];	/* this start */
	uint64_t		 next_mid;	/* next chat or announce */
	struct proto_msg	 in;		/* the datagram being handled */
	const char		*in_raw;	/* and its bytes */
	/*
	 * Of the datagram being handled, for the "no amplification" rule
	 * (server_reply_unauth): its source and UDP payload size, whether
	 * that source is proven to have a session (a session's token from
	 * its address, or a login with a valid cookie), and whether it was
	 * answered already.
	 */
	struct net_addr		 in_from;
	size_t			 in_len;
	bool			 in_session;
	bool			 in_answered;
	struct auth_key		 cookie_key;	/* random at each start */
	struct proto_msg	 held_in;	/* a held request, again */
	struct announce		 announce;
	struct announce_control	 control;
	struct transcript	 transcript;
	struct term		 term;		/* the console at a terminal */
	bool			 stdin_tty;	/* stdin is the console's */
	const char		**names;	/* for Tab: max_clients + 1 */
	struct server_mod	 mods[SERVER_MODS];
	uint64_t		 slow_ms;	/* /slow; 0: off */
	char			 topic[PROTO_TEXT_MAX + 1];	/* "": none */
	struct session_bucket	 limit[SERVER_ERR_SLOTS];	/* per source */
	struct server_quit	 quits[SERVER_QUITS];
	size_t			 nquits;

	struct mmsghdr		 rmsg[SERVER_BATCH];
	struct iovec		 riov[SERVER_BATCH];
	struct sockaddr_storage	 raddr[SERVER_BATCH];
	char			 rbuf[SERVER_BATCH][SERVER_SLOT];

	struct server_out	 out[SERVER_SEND_BATCH];
	size_t			 nout;
	/* Cap batch (server_out.c): sessions with queued, unsent messages */
	struct session		**pend;
	size_t			 npend, pend_cap;
	/* and the batch datagram being filled: out[pack_slot], for pack_s. */
	const struct session	*pack_s;
	size_t			 pack_slot, pack_n;
	int			 pack_send;	/* its resends' send number, */
	uint64_t		 pack_since_ms;	/* for the trace, or 0 */
	struct mmsghdr		 smsg[SERVER_SEND_BATCH];
	struct iovec		 siov[SERVER_SEND_BATCH];
};

/* Passed through reliable_tick to the resend callback. */
struct server_tick {
	struct server	*srv;
	struct session	*s;
};

/* server_login.c */
/* A login: a new session, the same welcome again, or a refusal. */
void	 server_login(struct server *, const struct net_addr *,
		    const struct proto_msg *);
/* Too many joins still unacked to take one more login now. */
bool	 server_busy(const struct server *);
/* Answers discover with here, through the per-source limit. */
void	 server_discover(struct server *, const struct net_addr *);
/* A new session for login's name (and cid); others get join. */
struct session *server_create(struct server *, const struct net_addr *,
		    const struct proto_msg *);

/* server_req.c */
/*
 * chat (to everyone else, kept for history), msg (to m->to) or rename
 * (the new name to everyone): acted on in id order, each id once, the
 * raw datagram (srv->in_raw) held if it is early.
 */
void	 server_request(struct server *, struct session *,
		    const struct proto_msg *);
/*
 * A chat from s, accepted (JSON or classroom): to everyone else under
 * the run's next mid, recorded, kept for history if its replay fits.
 * b and len: the chat already encoded under that mid (server_encode),
 * or NULL to encode it here.
 */
void	 server_chat_out(struct server *, struct session *,
		    struct proto_msg *, struct reliable_body *, int);
/* who: the users list to s. */
void	 server_who(struct server *, struct session *);
/* quit: bye, remembered for retries, s marked dead; text for its leave. */
void	 server_quit(struct server *, struct session *, const char *);
/* Whether token quit lately from that address: bye again. */
bool	 server_recently_quit(const struct server *,
		    const struct net_addr *, const char *);

/* server_out.c */
/* The names online into m->users, the asker's own first. */
void	 server_users(const struct server *, const struct session *,
		    struct proto_msg *);
/* Whether m, with the largest seq it could get, fits a datagram. */
bool	 server_fits(const struct proto_msg *);
/* text into m->text, cut (at a character) until m fits; false if not. */
bool	 server_fit_text(struct proto_msg *, const char *);
/* The ack of request id to s. */
void	 server_ack(struct server *, struct session *, uint64_t);
/* A reply with no fields (pong, bye). */
void	 server_simple(struct server *, const struct net_addr *,
		    enum proto_type);
/* An error reply; limited: through the per-source limit. */
void	 server_error(struct server *, const struct net_addr *,
		    const char *, const char *, bool, uint64_t, bool);
/* The error reply for a proto_err, per-source limited. */
void	 server_decode_error(struct server *, const struct net_addr *,
		    enum proto_err, const struct proto_msg *);
/* Whether the per-source limit lets one more reply go to to. */
bool	 server_limit_ok(struct server *, const struct net_addr *);
/*
 * A reply to input not tied to a session (errors, cookie, here, bye to
 * a retried quit): the per-source limit, and to a source without a
 * session the "no amplification" rule. Every such reply goes here.
 */
void	 server_reply_unauth(struct server *, const struct net_addr *,
		    const struct proto_msg *);
/* An unreliable reply: encode and send once. */
void	 server_reply(struct server *, const struct net_addr *,
		    const struct proto_msg *);
/* A reliable message to one session (msg, history). */
void	 server_reliable(struct server *, struct session *,
		    struct proto_msg *);
/* m reliably to every live session but except (NULL: all). */
void	 server_fanout(struct server *, struct session *,
		    struct proto_msg *);
/*
 * m encoded once for all its recipients, the seq left open: into *bp
 * (unref it after), the largest length a copy can have, -1 if m does
 * not fit a datagram. The _body forms send such an encoding (m itself
 * to classroom sessions): a fit checked by encoding is not encoded again.
 */
int	 server_encode(struct proto_msg *, struct reliable_body **);
void	 server_reliable_body(struct server *, struct session *,
		    const struct proto_msg *, struct reliable_body *);
void	 server_fanout_body(struct server *, struct session *,
		    const struct proto_msg *, struct reliable_body *);
/* A --trace line for a datagram in or out, if the filter takes it. */
void	 server_trace(struct server *, enum trace_dir,
		    const struct net_addr *, const char *, size_t);
/* A datagram of len bytes into the send batch, to to. */
void	 server_send(struct server *, const struct net_addr *,
		    const char *, size_t);
/* A shared body with seq filled in, into the send batch. */
void	 server_send_body(struct server *, const struct net_addr *,
		    const struct reliable_body *, uint64_t);
/* Packs what is pending, sends the batch (sendmmsg) and empties it. */
void	 server_flush(struct server *);
/* An ack from s, by seq or cumulative (upto, seqs). */
void	 server_acked(struct server *, struct session *,
		    const struct proto_msg *);
/* Cap batch: each pending session's queued messages into the batch. */
void	 server_pack_pending(struct server *);
/* A queue entry of s into the open pack (a retransmission, say). */
void	 server_pack_entry(struct server *, struct session *,
		    const struct reliable_entry *);
/* Ends the open pack, if any. */
void	 server_pack_close(struct server *);
/* s leaves the pending list and the open pack (before it is freed). */
void	 server_unpend(struct server *, struct session *);

/* server_timer.c */
/* Drops s at the next timer run; safe during a session walk. */
void	 server_mark_dead(struct server *, struct session *,
		    enum proto_reason);
/* s, in the room until now, is no longer: before it is marked so. */
void	 server_out_of_room(struct server *, const struct session *);
/* Frees s now and tells the others it left. Not during a walk. */
void	 server_remove(struct server *, struct session *,
		    enum proto_reason);
/* Runs every session whose deadline has passed. */
void	 server_timers(struct server *);
/* The earlier of s's next retransmit and its silence expiry. */
uint64_t	 server_deadline(const struct server *,
		    const struct session *);
/* Sends a queue entry again (reliable_tick callback; arg: tick). */
void	 server_resend_cb(void *, const struct reliable_entry *);

/* server_op.c */
/* Reads operator lines from stdin; stops watching it at EOF. */
void	 server_stdin(struct server *);
/* Runs one operator line (announce.h callback; arg: srv). */
int	 server_console_cb(void *, const char *, size_t, bool, char *,
		    size_t);
/* The live session a command's NAME (or @ADDRESS) means, or NULL. */
struct session *server_target(struct server *, const char *, bool,
		    struct cmd_out *);
/* Kicks s (why: "" or the reason), saying so in out. */
void	 server_kick_session(struct server *, struct session *,
		    const char *, struct cmd_out *);
/* A kicked session's datagram: acks count, the rest gets its leave. */
void	 server_kicked_request(struct server *, struct session *,
		    const struct proto_msg *);
/* A chat or announce into the history, as it was sent. */
void	 server_keep(struct server *, const struct proto_msg *);
/* One transcript line, if --transcript asked for it. */
void	 server_record(struct server *,
		    const struct transcript_event *);
/* The topic in a welcome (m), while one is set. */
void	 server_welcome_topic(const struct server *, struct proto_msg *);
/* The commands of cmd.c's table (cmd.h) that server_op.c runs. */
int	 server_cmd_announce(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_kick(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_msg(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_rename(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_topic(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_who(struct server *, const struct cmd_args *,
		    struct cmd_out *);

/* server_drain.c */
/* The first SIGINT/SIGTERM: the shutdown announce; taking nothing new. */
void	 server_drain_start(struct server *);
/* Whether the drain is over: nothing owed, or --drain-ms passed. */
bool	 server_drain_done(struct server *);
/* timeout (ms, -1: none) cut to what is left of the drain at now. */
int	 server_drain_timeout(const struct server *, uint64_t, int);
/* A session's timer while draining: its unacked messages again. */
void	 server_drain_timer(struct server *, struct session *);
/* The end: the transcript's leaves, the log line. */
void	 server_shutdown(struct server *);

/* server_mod.c */
/* Whether s is muted; server_muted_error answers request id so. */
bool	 server_muted(struct server *, const struct session *);
void	 server_muted_error(struct server *, struct session *, uint64_t);
/* Whether slow mode lets s chat now; if not, answers slow_down. */
bool	 server_slow_ok(struct server *, struct session *,
		    const struct proto_msg *);
/* Whether name may log in from there; if not, answers why (banned...). */
bool	 server_admit(struct server *, const struct net_addr *,
		    const char *);
/* server_admit's verdict without answering (a classroom login): why not. */
const char	*server_kept_out(struct server *, const struct net_addr *,
		    const char *);
/*
 * Whether nobody may take name, and why: the one rule for a login (JSON
 * or classroom), a rename and the operator's /rename.
 */
enum server_reserve	 server_reserved(const struct server *, const char *);
/* A refused login: the error (per-source limited) and a log line. */
void	 server_refused(struct server *, const struct net_addr *,
		    const char *, const char *, const char *);
/* A rename from -> to: a mute follows the student. */
void	 server_renamed(struct server *, const char *, const char *);
/* "muted 5m" for /who's note column, "" if nothing to say. */
void	 server_mod_note(struct server *, const struct session *, char *,
		    size_t);
/* The commands of cmd.c's table (cmd.h) that server_mod.c runs. */
int	 server_cmd_ban(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_bans(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_mute(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_slow(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_unban(struct server *, const struct cmd_args *,
		    struct cmd_out *);
int	 server_cmd_unmute(struct server *, const struct cmd_args *,
		    struct cmd_out *);

/* server_class.c */
/* A classroom datagram (classproto_is_request): L, C or Q. */
void	 server_class_datagram(struct server *, const struct net_addr *,
		    const char *, size_t);
/* m as a classroom session's text line, sent once. */
void	 server_class_send(struct server *, struct session *,
		    const struct proto_msg *);
/* The silence that expires s, classroom or not (ms). */
uint64_t	 server_class_idle(const struct server *,
		    const struct session *);

#endif /* SERVER_INT_H */

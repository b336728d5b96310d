/*
 * netproc_priv: what the network process's files (netproc.c,
 * netproc_recv.c, netproc_login.c, netproc_view.c, netproc_user.c)
 * share and nothing else sees: its state and the functions one file
 * calls in another.
 */
#ifndef NETPROC_PRIV_H
#define NETPROC_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "chatlog.h"
#include "client.h"
#include "filter.h"
#include "front.h"
#include "login.h"
#include "netproc.h"
#include "proto.h"
#include "reliable.h"

/* Quit: resend every 250 ms, give bye 1 s in all. */
#define NP_QUIT_RETRY_MS	250
#define NP_QUIT_WAIT_MS		1000
/* Queue keys of the id-less requests; request ids stay below 2^53. */
#define NP_KEY_PING		UINT64_MAX
#define NP_KEY_WHO		(UINT64_MAX - 1)
/* /who lines typed before the first answer came that each get a list. */
#define NP_WHO_OWED_MAX		8
/* Datagrams read in one turn before timers get a look. */
#define NP_BATCH		64
/*
 * slow_down (a burst of 20, then 10 a second: docs/protocol.md): the
 * refused line is kept and tried again, the k-th still waiting in the
 * queue k * this much later, so a pasted block goes out at the rate the
 * server refills and in order, instead of losing every line past 20.
 */
#define NP_SLOW_STEP_MS		110
#define NP_SAFE_MAX		(PROTO_MAX_DGRAM * 3 + 1)
/* Own chats remembered, to recognise them in a replay after a re-login. */
#define NP_OWN_RECENT		64

struct netproc {
	const struct netproc_conf *c;
	struct client_shared	*sh;
	const struct front_ops	*front;
	pid_t			 kbd_pid;
	struct reliable_queue	 q;
	struct reliable_window	 w;
	struct client_note	*reqs;		/* what each pending id was */
	size_t			 nreqs, capreqs;
	int			 relogin;	/* logging in again */
	struct login_retry	 lr;
	int			 quitting;
	uint64_t		 quit_deadline, quit_next;
	struct client_alive	 alive;		/* heard from the server lately? */
	int			 who_owed;	/* /who lines still to answer */
	char			 cookie[PROTO_COOKIE_MAX + 1]; /* re-login's */
	uint64_t		 resume_id;	/* the last welcome's next_id */
	uint64_t		 lines;		/* front ids of our lines */
	char			 quit_text[PROTO_TEXT_MAX + 1];
	/*
	 * What is already on screen, so that the history a re-login replays
	 * does not show it twice: the server's run and the highest mid shown
	 * in it (mids only grow, and reach us in order), and hashes of our
	 * own acked chats (an ack carries no mid). A server without mids:
	 * the newest chat received (its ts, and a hash of it for a tie on
	 * ts) instead.
	 */
	char			 run[PROTO_RUN_LEN + 1];
	uint64_t		 mid_high;
	uint64_t		 seen_ts, seen_hash;
	uint64_t		 own[NP_OWN_RECENT];
	size_t			 nown;
	int			 done, status;
	bool			 ack_due;	/* a batch's cumulative ack */
	/* /away (netproc_user.c): what arrived since, for /back. */
	int			 away, away_privs, away_mentions;
	struct proto_msg	 m;
	struct filter		 filter;	/* /filter, /ignore */
	struct chatlog		 log;		/* fd -1: none */
};

/* netproc.c: showing lines, requests, the quit, the retransmit queue. */
void	 np_show(struct netproc *, enum front_kind, time_t,
		    struct front_item *);
void	 np_local(struct netproc *, enum front_kind, const char *);
void	 np_fatal(struct netproc *, enum front_kind, const char *);
time_t	 np_when(const struct proto_msg *);
struct client_note *np_req_find(struct netproc *, uint64_t);
struct client_note *np_req_answered(struct netproc *, uint64_t);
void	 np_req_drop(struct netproc *, uint64_t);
int	 np_read_notes(struct netproc *);
void	 np_timers(struct netproc *);

/* netproc_recv.c: a datagram from the server; acks. */
void	 np_read_sock(struct netproc *);
void	 np_topic(struct netproc *, time_t, const char *);
void	 np_acked(struct netproc *, uint64_t);

/* netproc_view.c: the user's filter, ignore list, log and search. */
void	 np_view_start(struct netproc *);
bool	 np_view_keep(struct netproc *, const struct front_item *);
void	 np_view_own(struct netproc *, const struct client_note *);
void	 np_view_note(struct netproc *, const struct client_note *);
void	 np_view_end(struct netproc *);

/* netproc_user.c: /query, /r, /away, /names, the topic. */
void	 np_user_note(struct netproc *, const struct client_note *);
void	 np_user_heard(struct netproc *, const struct proto_msg *, int);
void	 np_user_set_topic(struct netproc *, const char *);
void	 np_user_renamed(struct netproc *, const char *, const char *);

/* netproc_login.c: logging in again, Resume, the cookie. */
bool	 np_renumber(struct netproc *, struct client_note *);
int	 np_login_refusal(const char *);
void	 np_reconnecting(struct netproc *);
void	 np_taken(struct netproc *, const struct proto_msg *);
void	 np_relogin_begin(struct netproc *);
void	 np_welcome(struct netproc *, const struct proto_msg *);
void	 np_set_life(struct netproc *);
bool	 np_expired(struct netproc *, uint64_t);
void	 np_cookie(struct netproc *, const struct proto_msg *);
void	 np_hello(struct netproc *);

#endif /* NETPROC_PRIV_H */

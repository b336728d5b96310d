/*
 * login: getting a session (docs/protocol.md, "Sessions"). A login is
 * not reliable on the wire: the client sends it again 250 ms later,
 * doubling, until a welcome or an error arrives, about 5 s in all.
 * Protocol 2 proves the address first: the first login carries no
 * cookie and is padded to PROTO_PAD_MIN bytes; the server answers it
 * with a cookie, and the same login goes again with the cookie and,
 * for a room with a password, the proof (the password never travels).
 * Every login carries this process's cid (Resume).
 * main() uses login_run (blocking, before fork); the network process
 * logs in again after no_session with login_send, timed by struct
 * login_retry (pure: the caller passes "now", so unit tests need no
 * clock).
 */
#ifndef LOGIN_H
#define LOGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "proto.h"

/* Sends of a login before giving up, and the wait after the last one. */
#define LOGIN_SENDS		5
#define LOGIN_GIVE_UP_MS	5000
/* Logging in again: the login timing, then a login every this often. */
#define LOGIN_RETRY_MAX_MS	2000
/*
 * A re-login refused with name_taken is most likely our own old session
 * (we came back from another address, say), which the server expires
 * after PROTO_EXPIRE_BEATS silent heartbeats. So we keep trying that
 * long after the first refusal, plus this margin: the server's timers
 * may run a little late, its removals may wait up to 5 s under load
 * (docs/design.md), and our next try is up to 2 s away.
 */
#define LOGIN_TAKEN_MARGIN_MS	10000

enum login_result {
	LOGIN_OK,		/* reply is the welcome */
	LOGIN_REFUSED,		/* reply is the error (code, text) */
	LOGIN_NO_ANSWER,	/* nothing from the server in time */
	LOGIN_SYSERR,		/* the socket failed; errno says why */
};

/*
 * Sends one login datagram for name. Without a cookie (NULL) it is the
 * first one, padded; with one it carries it and, if password is not
 * NULL, the proof of password for it. The same datagram as the last one
 * sent is a retransmission, and --trace says which send it is, as for
 * any other resend. 0 or -1.
 */
int		 login_send(int fd, const struct net_addr *srv, const char *name,
		    const char *password, const char *cookie);
/* A new round of logging in: the next login_send is a first send. */
void		 login_send_anew(void);

/*
 * This process's cid: 16 random lowercase hex digits, chosen on the
 * first call. The network process is forked after the first login, so
 * both processes of a client send the same one.
 */
const char	*login_cid(void);

/*
 * A cookie answer m: copies its cookie into cookie (PROTO_COOKIE_MAX + 1
 * bytes) and returns true if it is not the one we already have, so the
 * login goes again at once; a repeat of ours (the server refuses it for
 * some other reason) waits for the next scheduled login, so a server and
 * a client cannot bounce logins and cookies without end.
 */
bool		 login_cookie_take(char *cookie, const struct proto_msg *m);

/*
 * Reads one datagram from fd if it came from srv and decodes it into
 * *m. Returns 1 for a message, 0 for nothing usable (would block, other
 * source, undecodable), -1 on a socket error.
 */
int		 login_recv(int fd, const struct net_addr *srv, struct proto_msg *m);

/*
 * Logs in: sends, retries, waits, and repeats the login with the cookie
 * the server answers (a new cookie at once; the first one also starts
 * the wait anew, the server being there). Other datagrams (history
 * that raced ahead of a lost welcome, say) are dropped; the server
 * retransmits them.
 */
enum login_result login_run(int fd, const struct net_addr *srv,
		    const char *name, const char *password, struct proto_msg *reply);

/*
 * The timing of logging in again (network process), all in clock_ms()
 * milliseconds. A login goes out at once, then 250 ms later, doubling,
 * then every LOGIN_RETRY_MAX_MS, with no end while the server is silent
 * (it may be restarting). name_taken answers make it try every
 * LOGIN_RETRY_MAX_MS until login_taken_bound_ms() after the first one.
 */
struct login_retry {
	uint64_t	 next_ms;	/* when the next login is due */
	uint32_t	 interval_ms;	/* the wait after that one */
	uint64_t	 heard_ms;	/* start, or the server's last answer */
	uint64_t	 taken_until_ms; /* 0, or the end of name_taken retries */
};

enum login_taken {
	LOGIN_TAKEN_FIRST,	/* the first name_taken: tell the user */
	LOGIN_TAKEN_AGAIN,	/* still taken, still within the bound */
	LOGIN_TAKEN_GIVE_UP,	/* still taken past the bound */
};

/* How long name_taken answers are retried, for a heartbeat in seconds. */
uint64_t	 login_taken_bound_ms(int heartbeat);

/* Starts logging in again at now: the first login is due at once. */
void		 login_retry_start(struct login_retry *r, uint64_t now);

/* True if a login is due at now; if so the next one is scheduled. */
bool		 login_retry_due(struct login_retry *r, uint64_t now);

/* The server answered (anything) at now. */
void		 login_retry_heard(struct login_retry *r, uint64_t now);

/* True once the server has said nothing for LOGIN_GIVE_UP_MS. */
bool		 login_retry_silent(const struct login_retry *r, uint64_t now);

/*
 * A name_taken answer at now, with the heartbeat of our last welcome:
 * the next login is put LOGIN_RETRY_MAX_MS away. *until_ms (if not NULL)
 * gets the time tries end.
 */
enum login_taken login_retry_taken(struct login_retry *r, uint64_t now,
		    int heartbeat, uint64_t *until_ms);

#endif /* LOGIN_H */

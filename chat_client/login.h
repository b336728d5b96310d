/*
 * login: getting a session (docs/protocol.md, "Sessions"). A login is
 * not reliable on the wire: the client sends it again 250 ms later,
 * doubling, until a welcome or an error arrives, about 5 s in all.
 * main() uses login_run (blocking, before fork); the network process
 * logs in again after no_session with login_send and its own timers.
 */
#ifndef LOGIN_H
#define LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "proto.h"

/* Sends of a login before giving up, and the wait after the last one. */
#define LOGIN_SENDS		5
#define LOGIN_GIVE_UP_MS	5000

enum login_result {
	LOGIN_OK,		/* reply is the welcome */
	LOGIN_REFUSED,		/* reply is the error (code, text) */
	LOGIN_NO_ANSWER,	/* nothing from the server in time */
	LOGIN_SYSERR,		/* the socket failed; errno says why */
};

/* Sends one login datagram for name (password may be NULL). 0 or -1. */
int		 login_send(int fd, const struct net_addr *srv, const char *name,
		    const char *password);

/*
 * Reads one datagram from fd if it came from srv and decodes it into
 * *m. Returns 1 for a message, 0 for nothing usable (would block, other
 * source, undecodable), -1 on a socket error.
 */
int		 login_recv(int fd, const struct net_addr *srv, struct proto_msg *m);

/*
 * Logs in: sends, retries, waits. Other datagrams (history that raced
 * ahead of a lost welcome, say) are dropped; the server retransmits them.
 */
enum login_result login_run(int fd, const struct net_addr *srv,
		    const char *name, const char *password, struct proto_msg *reply);

#endif /* LOGIN_H */

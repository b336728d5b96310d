/*
 * classroom: chat_client --classroom, a client for the course's own
 * plain-text chat servers (docs/protocol.md, "Classroom text protocol";
 * the words are shared/classproto.h). "L NAME" until OK, "C NAME TEXT"
 * per line, "Q NAME" on quit; every line the server sends is shown, with
 * its sender when one can be read from it. Nothing is acknowledged or
 * sent again, and the user is told so once at the start.
 *
 * The same two processes and front ends (front.h) as the JSON client:
 * the keyboard process is kbd.c's with a line hook of ours; the network
 * process is ours, not netproc.c: it gets each line through the note
 * pipe (client.h), sends it, shows it and shows what arrives.
 */
#ifndef CLASSROOM_H
#define CLASSROOM_H

#include "client.h"
#include "front.h"
#include "net.h"

/* How long L NAME waits for its answer; it is sent once (see .c). */
#define CLASSROOM_LOGIN_MS	3000
/* How long Q NAME waits for EXIT before the client exits anyway. */
#define CLASSROOM_QUIT_MS	1000

enum classroom_login {
	CLASSROOM_OK,		/* OK */
	CLASSROOM_TAKEN,	/* 该用户已存在 or 该用户存在 */
	CLASSROOM_NO_ANSWER,	/* nothing within CLASSROOM_LOGIN_MS */
	CLASSROOM_SYSERR,	/* cannot send: errno */
};

/* Sends L name to srv and waits for OK or the refusal. */
enum classroom_login classroom_login(int sock, const struct net_addr *srv,
		    const char *name);

/*
 * Runs the room with front (already set up for shared, as main.c does
 * for the JSON client) until the user quits or the terminal goes: forks
 * the network process, runs the keyboard in this one. Returns the exit
 * status.
 */
int		 classroom_run(struct client_shared *shared,
		    const struct front_ops *front, int sock,
		    const struct net_addr *srv);

#endif /* CLASSROOM_H */

/*
 * kbd: the keyboard process (the parent after fork). It reads lines
 * from the front end, turns them into requests (command.c) and tells
 * the network process about every request and every local line through
 * the note pipe (client.h); the network process alone encodes and sends
 * requests (who excepted: it sends that one itself). It reaps the
 * network process and exits when it does.
 */
#ifndef KBD_H
#define KBD_H

#include <sys/types.h>

#include "client.h"
#include "front.h"
#include "net.h"

struct kbd {
	struct client_shared	*shared;
	const struct front_ops	*front;
	int			 sock;		/* the UDP socket, shared */
	struct net_addr		 srv;
	int			 notefd;	/* write end of the note pipe */
	pid_t			 child;		/* the network process */
	char			 quit_text[PROTO_TEXT_MAX + 1]; /* /quit TEXT */
	/*
	 * What a typed line does; returns 1 when the user quits. NULL: the
	 * chat commands (command.c) as requests. classroom.c sets its own.
	 */
	int			(*line)(struct kbd *, const char *);
};

/* Runs until the network process has gone; returns the exit status. */
int		 kbd_run(struct kbd *k);

/* A note of kind with text to the network process (client.h). */
void		 kbd_local(struct kbd *k, int kind, const char *text);

#endif /* KBD_H */

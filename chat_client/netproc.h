/*
 * netproc: the network process (the child after fork). It owns the
 * message window: receives everything from the server, acks every seq,
 * shows each reliable message once and in order, shows and retransmits
 * the requests the keyboard process sent, pings, logs in again after
 * no_session and sends quit when told to.
 */
#ifndef NETPROC_H
#define NETPROC_H

#include "client.h"
#include "filter.h"
#include "front.h"
#include "net.h"

struct netproc_conf {
	struct client_shared	*shared;
	const struct front_ops	*front;
	int			 sock;		/* the UDP socket, shared */
	struct net_addr		 srv;
	int			 notefd;	/* read end of the note pipe */
	const char		*password;	/* for logging in again, or NULL */
	const char		*motd;		/* the welcome's, or NULL */
	const char		*topic;		/* the welcome's, or NULL */
	const char		*run;		/* the welcome's, or "" */
	const struct filter	*filter;	/* the config's filter and
						   ignore; NULL: none */
	int			 log;		/* keep the room's log */
	const char		*conf_path;	/* where /ignore keeps its list;
						   NULL: nowhere */
};

/* Runs until bye, a finished quit or the parent's death; exit status. */
int		 netproc_run(const struct netproc_conf *conf);

#endif /* NETPROC_H */

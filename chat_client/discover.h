/*
 * discover: finding chat servers on the LAN (docs/protocol.md,
 * "Discovery"). discover_run broadcasts discover and collects the here
 * answers of one second; the rest is pure (no socket, no clock) so that
 * unit tests feed it datagrams: discover_add validates, de-duplicates
 * and sanitises one answer, discover_sort and the formatters make the
 * list a person or a script reads. Never prints.
 */
#ifndef DISCOVER_H
#define DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "proto.h"

/* How long answers are collected: the contract's one second. */
#define DISCOVER_WAIT_MS	1000
/* UDP is lossy: the discover goes out this often, this far apart. */
#define DISCOVER_SENDS		3
#define DISCOVER_RESEND_MS	300
/* Servers kept; more answers are dropped (a class fits many times). */
#define DISCOVER_MAX		128
/* Interfaces broadcast to; a host with more is unusual. */
#define DISCOVER_IFACES_MAX	32
/* A sanitised room: each byte may become up to 3 (U+FFFD). */
#define DISCOVER_ROOM_MAX	(PROTO_ROOM_MAX_BYTES * 3 + 1)
/* One formatted line: address, room and count. */
#define DISCOVER_LINE_MAX	(NET_ADDRSTRLEN + DISCOVER_ROOM_MAX + 32)

/* One server that answered. */
struct discover_server {
	struct net_addr	addr;		/* where to log in: source host, here's port */
	struct net_addr	from;		/* the answer's source, for de-duplication */
	bool		local;		/* from an address of this host */
	char		room[DISCOVER_ROOM_MAX];	/* sanitised for a terminal */
	int		users;		/* online when it answered */
};

struct discover {
	struct discover_server	servers[DISCOVER_MAX];
	size_t			n;
};

enum discover_add_result {
	DISCOVER_NEW,		/* a server not seen before */
	DISCOVER_SEEN,		/* one already listed answered again */
	DISCOVER_REFUSED,	/* not a valid here of our version, or list full */
};

/* Empties the list. */
void		 discover_init(struct discover *d);

/*
 * Takes one datagram (len bytes) that came from `from`; local says from
 * is an address of this host. A valid here of our protocol version is
 * listed once per source address; all the answers of this host on the
 * same port are one server (a server on this host hears both the
 * 127.0.0.1 unicast and the broadcasts, and answers each from a
 * different address), listed under its non-loopback address if it gave
 * one, so others on the LAN can use what is shown.
 */
enum discover_add_result discover_add(struct discover *d,
		    const struct net_addr *from, bool local, const char *buf,
		    size_t len);

/* Orders the list by address, then port, whatever order answers came in. */
void		 discover_sort(struct discover *d);

/* For people: "10.0.0.1:8888  #lobby  3 users". */
void		 discover_format(const struct discover_server *s, char *buf,
		    size_t len);

/*
 * For scripts (--discover): "10.0.0.1:8888<TAB>lobby<TAB>3". A sanitised
 * room holds no tab or newline (they show as ^I, ^J), so fields split
 * on tabs.
 */
void		 discover_format_tab(const struct discover_server *s,
		    char *buf, size_t len);

/*
 * Sends discover {v:1} to port at 255.255.255.255, at the directed
 * broadcast address of every IPv4 interface that is up and can
 * broadcast, and at 127.0.0.1 (a server on this host is found even
 * without a broadcast interface); again DISCOVER_SENDS times in all;
 * collects answers for DISCOVER_WAIT_MS into *d (sorted). Returns 0,
 * or -1 with err filled when no discover could be sent at all.
 */
int		 discover_run(struct discover *d, int port, char *err,
		    size_t errlen);

#endif /* DISCOVER_H */

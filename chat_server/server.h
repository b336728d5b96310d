/*
 * server: the chat server proper (protocol version 2, docs/protocol.md).
 * One non-blocking UDP socket, one poll() loop over it, stdin and the
 * control socket (the operator's console, announce.h and console.h) and
 * a self-pipe for signals; timers from the session table's deadline heap
 * on CLOCK_MONOTONIC. --transcript records the room (transcript.h).
 * This is its whole public interface; it is made of server.c and the
 * server_*.c files, one job each, which share server_int.h.
 */
#ifndef SERVER_H
#define SERVER_H

#include <stdbool.h>

#include "trace.h"

/* Bounds of the numeric options, checked by main.c. */
#define SERVER_HEARTBEAT_MAX	3600
#define SERVER_CLIENTS_MAX	100000
/*
 * A newcomer gets the whole history as reliable messages at once, so it
 * must stay well under PROTO_MAX_UNACKED or the replay alone would
 * expire the session.
 */
#define SERVER_HISTORY_MAX	200
/* --classroom-idle: 10 minutes by default, at most a day. */
#define SERVER_CLASS_IDLE_DEFAULT 600
#define SERVER_CLASS_IDLE_MAX	86400
/* --drain-ms: how long a stopping server resends what is unacked. */
#define SERVER_DRAIN_DEFAULT_MS	1000
#define SERVER_DRAIN_MAX_MS	60000
/* Who a /msg from the operator is from; no student may take the name. */
#define SERVER_OPERATOR		"operator"

/* What main.c read from the command line. */
struct options {
	const char	*bind;		/* NULL: all interfaces */
	int		 port;
	const char	*room;
	int		 heartbeat;	/* seconds */
	int		 max_clients;
	int		 max_per_host;	/* sessions from one IP address */
	int		 history;	/* chats kept for newcomers */
	int		 drain_ms;	/* stopping: unacked resent this long */
	char		*password;	/* NULL: none asked */
	const char	*motd;		/* NULL: none */
	const char	*control;	/* control socket; NULL: the default */
	bool		 port_given;	/* -p on the command line */
	char		*ctl_line;	/* --who, --announce...: run, exit */
	char		**reserved;	/* --reserve: names nobody may take */
	size_t		 nreserved;
	char		*reserve_buf;	/* what reserved points into */
	const char	*transcript;	/* --transcript file; NULL: none */
	bool		 timestamps;	/* log time stamps at a terminal too */
	bool		 trace;
	struct trace_filter trace_filter; /* which datagrams --trace shows */
	bool		 quiet;
	bool		 no_rate_limit;	/* no slow_down: for benchmarks */
	bool		 classroom;	/* --classroom: the text protocol too */
	int		 classroom_idle; /* seconds that expire a classroom one */
	const char	*user;		/* as root: run as this; NULL: nobody */
	bool		 no_sandbox;	/* no seccomp, no Landlock */
};

/*
 * Whether the widest welcome still fits one datagram with opt's room and
 * motd and this topic (NULL: none); checked for --motd and /topic.
 */
bool	 server_welcome_fits(const struct options *opt, const char *topic);

/*
 * Runs the server until SIGINT or SIGTERM (then what is unacked is
 * resent for at most drain_ms; a second signal ends that). Start-up failures (cannot
 * bind) exit with err(3); returns the exit status otherwise.
 */
int	 server_run(const struct options *opt);

#endif /* SERVER_H */

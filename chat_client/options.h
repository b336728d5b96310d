/*
 * options: what chat_client was asked to do, from its configuration file
 * (~/.config/lanchat/client.conf or --config), LANCHAT_SERVER and
 * LANCHAT_NAME, and its command line, which wins. Bad options are
 * refused here (exit 2, cli.h); -h and -V print and exit.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include "conf.h"
#include "filter.h"
#include "trace.h"

#define OPTIONS_PROG		"chat_client"
#define OPTIONS_VERSION		"1.0"

struct options {
	const char	*server;	/* HOST[:PORT] as typed; NULL: discover */
	const char	*name;		/* NULL: ask */
	char		*password;	/* NULL: none */
	int		 port;		/* to discover on; --server's default */
	int		 plain;
	int		 discover;	/* --discover: list the servers, exit */
	int		 classroom;	/* --classroom: the course's protocol */
	const char	*trace;		/* --trace FILE; NULL: none */
	struct trace_filter trace_filter; /* --trace-type, --trace-name */
	int		 log;		/* keep the room's log (--log, --no-log) */
	int		 colour;	/* --colour */
	struct filter	 filter;	/* --filter, --ignore */
	const char	*conf_path;	/* where /ignore keeps its list */
};

/*
 * Fills *opt from the configuration, the environment and argv; *c holds
 * the strings opt points into, until conf_free(c) at exit.
 */
void	 options_load(struct options *opt, struct conf *c, int argc,
	    char **argv);

#endif /* OPTIONS_H */

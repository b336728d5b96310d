/*
 * options: chat_client's command line, read after its configuration
 * file and environment (conf.h): client.conf, then LANCHAT_SERVER and
 * LANCHAT_NAME, then the arguments, the last one winning. The usage
 * below matches docs/chat_client.1.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "options.h"
#include "passwd.h"
#include "proto.h"

enum {
	OPT_PLAIN = 256,
	OPT_PASSWORD_FILE,
	OPT_DISCOVER,
	OPT_CLASSROOM,
	OPT_TRACE,
	OPT_TRACE_NAME,
	OPT_TRACE_TYPE,
	OPT_FILTER,
	OPT_LOG,
	OPT_NO_LOG,
	OPT_COLOUR,
	OPT_IGNORE,
};

static const struct option options_longopts[] = {
	{ "classroom",		no_argument,		NULL, OPT_CLASSROOM },
	{ "color",		required_argument,	NULL, OPT_COLOUR },
	{ "colour",		required_argument,	NULL, OPT_COLOUR },
	{ "discover",		no_argument,		NULL, OPT_DISCOVER },
	{ "filter",		required_argument,	NULL, OPT_FILTER },
	{ "help",		no_argument,		NULL, 'h' },
	{ "ignore",		required_argument,	NULL, OPT_IGNORE },
	{ "log",		required_argument,	NULL, OPT_LOG },
	{ "name",		required_argument,	NULL, 'n' },
	{ "no-log",		no_argument,		NULL, OPT_NO_LOG },
	{ "password-file",	required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "plain",		no_argument,		NULL, OPT_PLAIN },
	{ "port",		required_argument,	NULL, 'p' },
	{ "server",		required_argument,	NULL, 's' },
	{ "trace",		required_argument,	NULL, OPT_TRACE },
	{ "trace-name",		required_argument,	NULL, OPT_TRACE_NAME },
	{ "trace-type",		required_argument,	NULL, OPT_TRACE_TYPE },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 }
};

static void	 options_usage(FILE *);
static void	 options_config(struct conf *, int, char **);
static const char *options_conf_path(const struct conf *);
static void	 options_parse(int, char **, struct options *);
static int	 options_port(const char *);
static int	 options_on_off(const char *, const char *);
static void	 options_more(int, const char *, struct options *);

/*
 * ~/.config/lanchat/client.conf (or --config FILE), then LANCHAT_SERVER
 * and LANCHAT_NAME, then the command line: the last one wins (conf.h).
 */
static void
options_config(struct conf *c, int argc, char **argv)
{
	static const char *const deny[] = { "discover", "help", "version",
	    NULL };
	static const char *const env[] = { "LANCHAT_SERVER", "server",
	    "LANCHAT_NAME", "name", NULL };
	struct conf_spec	 spec = { options_longopts, deny, NULL, env };
	char			 path[4096], errbuf[CONF_LINE_MAX + 256];

	spec.defpath = conf_user_path("client.conf", path, sizeof(path));
	if (conf_load(c, &spec, argc, argv, errbuf, sizeof(errbuf)) == -1)
		cli_bad(OPTIONS_PROG, "%s", errbuf);
	cli_conf(c);
}

/*
 * The file /ignore keeps its list in: the one read, else the default
 * one (made when first needed); NULL without a home.
 */
static const char *
options_conf_path(const struct conf *c)
{
	static char	 path[4096];

	if (c->path[0] != '\0') {
		snprintf(path, sizeof(path), "%s", c->path);
		return path;
	}
	return conf_user_path("client.conf", path, sizeof(path));
}

static void
options_usage(FILE *f)
{
	fprintf(f,
"usage: chat_client [-hV] [-s host[:port]] [-p port] [-n name] [--plain]\n"
"                   [--password-file file] [--discover] [--config file]\n"
"                   [--filter joins|none] [--ignore names] [--log on|off]\n"
"                   [--no-log] [--colour on|off]\n"
"                   [--trace file [--trace-type types] [--trace-name names]]\n"
"       chat_client --classroom -s host[:port] [-n name] [--plain]\n"
"                   [--trace file ...]\n"
"  -s, --server HOST[:PORT]  server to join: IPv4, [IPv6] or a hostname;\n"
"                            without it, the one server on the LAN that\n"
"                            answers a broadcast discover (asks if several)\n"
"  -p, --port PORT           port to discover on, and --server's default\n"
"                            (%d)\n"
"  -n, --name NAME           your name (asked for when absent)\n"
"      --plain               one line per event on stdout, no full screen\n"
"      --password-file FILE  its first line is the server's password\n"
"      --discover            list the servers that answer within 1 s, one\n"
"                            a line (address:port TAB room TAB users), exit\n"
"      --classroom           join a server that speaks the course's plain-text\n"
"                            protocol (L NAME, C NAME TEXT, Q NAME): no acks,\n"
"                            so a line can be lost; needs --server\n"
"      --trace FILE          one line per datagram in and out, to FILE: time,\n"
"                            peer, size, what it is, the datagram (secrets cut)\n"
"      --trace-type TYPES    only these kinds: JSON types, classroom, bad,\n"
"                            resend; -TYPE leaves one out (-ack,-ping,-pong)\n"
"      --trace-name NAMES    only datagrams naming these users\n"
"      --config FILE         options as key = value lines (default\n"
"                            ~/.config/lanchat/client.conf if it exists;\n"
"                            then LANCHAT_SERVER and LANCHAT_NAME, then\n"
"                            the command line, which wins)\n"
"      --filter joins|none   hide joins and leaves (/filter toggles)\n"
"      --ignore NAMES        hide these people's lines (/ignore adds)\n"
"      --log on|off, --no-log  keep the room's log in\n"
"                            ~/.local/share/lanchat/logs/ (on)\n"
"      --colour on|off       colours on the full screen (on; NO_COLOR)\n"
"  -h, --help                this help\n"
"  -V, --version             print the version\n"
"Type /help once connected for the commands.\n",
	    PROTO_PORT);
}


static void
options_parse(int argc, char **argv, struct options *opt)
{
	char	 errbuf[PATH_MAX + 128];	/* a whole path and the words */
	int	 c;

	memset(opt, 0, sizeof(*opt));
	opt->port = PROTO_PORT;
	trace_filter_init(&opt->trace_filter);
	opt->log = 1;
	opt->colour = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hn:p:s:V", options_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			options_usage(stdout);
			exit(0);
		case 'n':
			opt->name = optarg;
			break;
		case 'p':
			opt->port = options_port(optarg);
			break;
		case 's':
			opt->server = optarg;
			break;
		case 'V':
			printf("chat_client %s (protocol %d)\n",
			    OPTIONS_VERSION, PROTO_VERSION);
			exit(0);
		case OPT_CLASSROOM:
			opt->classroom = 1;
			break;
		case OPT_DISCOVER:
			opt->discover = 1;
			break;
		case OPT_PASSWORD_FILE:
			free(opt->password);
			opt->password = NULL;
			if (passwd_read(optarg, &opt->password, errbuf,
			    sizeof(errbuf)) == -1)
				cli_bad(OPTIONS_PROG, "%s", errbuf);
			break;
		case OPT_PLAIN:
			opt->plain = 1;
			break;
		case OPT_TRACE:
			opt->trace = optarg;
			break;
		case OPT_TRACE_NAME:
			if (trace_filter_names(&opt->trace_filter, optarg,
			    errbuf, sizeof(errbuf)) == -1)
				cli_bad(OPTIONS_PROG, "%s", errbuf);
			break;
		case OPT_TRACE_TYPE:
			if (trace_filter_kinds(&opt->trace_filter, optarg,
			    errbuf, sizeof(errbuf)) == -1)
				cli_bad(OPTIONS_PROG, "%s", errbuf);
			break;
		case OPT_FILTER:
		case OPT_LOG:
		case OPT_NO_LOG:
		case OPT_COLOUR:
		case OPT_IGNORE:
			options_more(c, argv[optind - 1], opt);
			break;
		case ':':
			cli_bad(OPTIONS_PROG, "option %s needs a value",
			    argv[optind - 1]);
		default:
			cli_bad(OPTIONS_PROG, "unknown option %s",
			    argv[optind - 1]);
		}
	}
	cli_conf(NULL);
	if (optind < argc)
		cli_bad(OPTIONS_PROG, "unexpected argument '%s'", argv[optind]);
	if (opt->server != NULL && opt->server[0] == '\0')
		cli_bad(OPTIONS_PROG, "--server needs a host (HOST[:PORT])");
	if (opt->discover && opt->server != NULL)
		cli_bad(OPTIONS_PROG, "--discover looks for servers; --server "
		    "names one: give one of them");
	if (opt->classroom && (opt->server == NULL || opt->discover))
		cli_bad(OPTIONS_PROG, "--classroom needs --server HOST[:PORT]: a "
		    "classroom server does not answer a discover");
	if (opt->trace == NULL && (opt->trace_filter.nnames > 0 ||
	    ~opt->trace_filter.kinds != 0))
		cli_bad(OPTIONS_PROG, "--trace-type and --trace-name pick lines "
		    "of --trace FILE: give that too");
	if (opt->classroom && opt->password != NULL)
		cli_bad(OPTIONS_PROG, "--classroom and --password-file: the "
		    "classroom protocol has no password");
	if (opt->name != NULL && proto_check_name(opt->name) != 0)
		cli_bad(OPTIONS_PROG, "'%s' is not a valid name: 1-%d characters, "
		    "no spaces or control characters, not starting with / # @",
		    opt->name, PROTO_NAME_MAX_CHARS);
}

/* on or off (yes, no, ... as conf_bool); anything else is refused. */
static int
options_on_off(const char *opt, const char *v)
{
	int	 r;

	if ((r = conf_bool(v)) == -1)
		cli_bad(OPTIONS_PROG, "%s takes on or off, not '%s'", opt, v);
	return r;
}

/*
 * The options of what is shown and kept (a config file's filter, log,
 * colour and ignore lines, mostly). --ignore adds to the list: a file's
 * line and the command line's both count.
 */
static void
options_more(int c, const char *arg, struct options *opt)
{
	char	 bad[PROTO_NAME_MAX_BYTES * 4 + 1];
	char	 name[64];

	/* "colour", as a file's key or the option without its dashes. */
	arg += strspn(arg, "-");
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
	switch (c) {
	case OPT_FILTER:
		if (strcasecmp(optarg, "joins") == 0)
			opt->filter.joins = 1;
		else if (strcasecmp(optarg, "none") == 0)
			opt->filter.joins = 0;
		else
			cli_bad(OPTIONS_PROG, "%s takes joins or none, not '%s'",
			    name, optarg);
		break;
	case OPT_LOG:
		opt->log = options_on_off(name, optarg);
		break;
	case OPT_NO_LOG:
		opt->log = 0;
		break;
	case OPT_COLOUR:
		opt->colour = options_on_off(name, optarg);
		break;
	case OPT_IGNORE:
		if (filter_ignore_parse(&opt->filter, optarg, bad,
		    sizeof(bad)) == -1)
			cli_bad(OPTIONS_PROG, "%s: '%s' is not a name to ignore "
			    "(or more than %d of them)", name, bad,
			    FILTER_IGNORE_MAX);
		break;
	}
}

/* A port a client can send to: 1-65535. */
static int
options_port(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v < 1 || v > 65535)
		cli_bad(OPTIONS_PROG, "bad port '%s' (1-65535)", s);
	return (int)v;
}

void
options_load(struct options *opt, struct conf *c, int argc, char **argv)
{
	options_config(c, argc, argv);
	options_parse(c->argc, c->argv, opt);
	opt->conf_path = options_conf_path(c);
}

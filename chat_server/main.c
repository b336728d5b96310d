/*
 * chat_server: the LAN group chat server. This file reads the command
 * line into struct options and hands over to server_run (server.c).
 * A bad option or value is one line on stderr and exit status 2; the
 * usage below matches docs/chat_server.1.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "cli.h"
#include "conf.h"
#include "log.h"
#include "passwd.h"
#include "proto.h"
#include "server.h"
#include "utf8.h"

#define MAIN_PROG		"chat_server"
#define CHAT_SERVER_VERSION	"1.0"
#define MAIN_CONF		"/etc/lanchat/server.conf"

enum {
	OPT_ANNOUNCE = 256,
	OPT_CLASSROOM,
	OPT_CLASSROOM_IDLE,
	OPT_CONTROL,
	OPT_HEARTBEAT,
	OPT_HISTORY,
	OPT_KICK,
	OPT_MAX_CLIENTS,
	OPT_MAX_PER_HOST,
	OPT_MOTD,
	OPT_NO_RATE_LIMIT,
	OPT_NO_SANDBOX,
	OPT_PASSWORD_FILE,
	OPT_ROOM,
	OPT_TRACE,
	OPT_TRANSCRIPT,
	OPT_USER,
};

static const struct option main_longopts[] = {
	{ "announce",		required_argument,	NULL, OPT_ANNOUNCE },
	{ "bind",		required_argument,	NULL, 'b' },
	{ "classroom",		no_argument,		NULL, OPT_CLASSROOM },
	{ "classroom-idle",	required_argument,	NULL, OPT_CLASSROOM_IDLE },
	{ "control",		required_argument,	NULL, OPT_CONTROL },
	{ "heartbeat",		required_argument,	NULL, OPT_HEARTBEAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "history",		required_argument,	NULL, OPT_HISTORY },
	{ "kick",		required_argument,	NULL, OPT_KICK },
	{ "max-clients",	required_argument,	NULL, OPT_MAX_CLIENTS },
	{ "max-per-host",	required_argument,	NULL, OPT_MAX_PER_HOST },
	{ "motd",		required_argument,	NULL, OPT_MOTD },
	{ "no-rate-limit",	no_argument,		NULL, OPT_NO_RATE_LIMIT },
	{ "no-sandbox",		no_argument,		NULL, OPT_NO_SANDBOX },
	{ "password-file",	required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "port",		required_argument,	NULL, 'p' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "room",		required_argument,	NULL, OPT_ROOM },
	{ "trace",		no_argument,		NULL, OPT_TRACE },
	{ "transcript",		required_argument,	NULL, OPT_TRANSCRIPT },
	{ "user",		required_argument,	NULL, OPT_USER },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 }
};

static void	 main_usage(FILE *);
static void	 main_config(struct conf *, int, char **);
static int	 main_number(const char *, const char *, long, long);
static bool	 main_room_ok(const char *);
static void	 main_options(int, char **, struct options *);
static int	 main_control(const struct options *);
static bool	 main_welcome_fits(const struct options *);

int
main(int argc, char **argv)
{
	static struct conf	 conf;	/* opt points into it until exit */
	struct options		 opt;
	int			 rc;

	main_config(&conf, argc, argv);
	main_options(conf.argc, conf.argv, &opt);
	if (opt.announce != NULL || opt.kick != NULL)
		return main_control(&opt);
	cli_std_fds();
	if (opt.trace)
		log_init("chat_server", LOG_TRACE);
	else
		log_init("chat_server", opt.quiet ? LOG_QUIET : LOG_INFO);
	rc = server_run(&opt);
	free(opt.password);
	conf_free(&conf);
	return rc;
}

/*
 * The configuration file's options (--config FILE, else MAIN_CONF if it
 * is there) go before the command line's, so the command line wins.
 * What runs a command on a running server is never taken from a file.
 */
static void
main_config(struct conf *c, int argc, char **argv)
{
	static const char *const deny[] = { "announce", "help", "kick",
	    "version", NULL };
	struct conf_spec	 spec = { main_longopts, deny, MAIN_CONF, NULL };
	char			 errbuf[CONF_LINE_MAX + 256];

	if (conf_load(c, &spec, argc, argv, errbuf, sizeof(errbuf)) == -1)
		cli_bad(MAIN_PROG, "%s", errbuf);
	cli_conf(c);
}


static void
main_usage(FILE *f)
{
	fprintf(f,
"usage: chat_server [-hqV] [-b addr] [-p port] [--room name] "
"[--heartbeat seconds]\n"
"                   [--max-clients n] [--max-per-host n] [--history n]\n"
"                   [--password-file file] [--motd text] [--control path]\n"
"                   [--transcript file] [--no-rate-limit] [--trace]\n"
"                   [--classroom] [--classroom-idle seconds]\n"
"                   [--config file] [--user name] [--no-sandbox]\n"
"       chat_server [-p port] [--control path] --announce text\n"
"       chat_server [-p port] [--control path] --kick name\n"
"  -b, --bind ADDR         address to listen on (default: all, IPv6 and IPv4)\n"
"  -p, --port PORT         UDP port (default %d; 0 lets the OS pick)\n"
"      --room NAME         room name shown to clients (default lobby)\n"
"      --heartbeat SECONDS liveness interval; 3 silent beats expire "
"(default %d)\n"
"      --max-clients N     sessions at most (default 1024)\n"
"      --max-per-host N    sessions from one IP address at most (default %d)\n"
"      --history N         recent chats replayed to newcomers, 0-%d "
"(default 50)\n"
"      --password-file F   its first line is the password to log in\n"
"      --motd TEXT         message of the day sent in welcome\n"
"      --control PATH      control socket for --announce and --kick\n"
"                          (default: the abstract name @chat_server-UID-PORT)\n"
"      --transcript FILE   append chats, joins, leaves, renames and\n"
"                          announcements to FILE as JSON lines (mode 0600;\n"
"                          private messages are never written)\n"
"      --announce TEXT     have the server on --port announce TEXT, exit\n"
"      --kick NAME         have the server on --port remove NAME, exit\n"
"      --no-rate-limit     no per-session chat limit (burst 20, then 10/s):\n"
"                          for benchmarks on a trusted network only\n"
"      --trace             print every datagram in and out on stderr\n"
"      --classroom         also serve the course's plain-text clients\n"
"                          (L NAME, C NAME TEXT, Q NAME) in the same room;\n"
"                          no password, for a trusted network only\n"
"      --classroom-idle S  silence that ends a classroom client's session\n"
"                          (default %d)\n"
"      --config FILE       read options from FILE as key = value lines\n"
"                          (default " MAIN_CONF " if it exists);\n"
"                          the command line wins\n"
"      --user NAME         started as root: the user to run as once the\n"
"                          socket is bound (default nobody)\n"
"      --no-sandbox        no seccomp filter and no Landlock rules\n"
"  -q, --quiet             log errors only\n"
"  -h, --help              this help\n"
"  -V, --version           print the version\n"
"Lines typed on standard input are announced to every client, but a line\n"
"starting with / is a command: /who, /kick NAME [reason], /help (//text\n"
"announces /text). --announce and --kick work only for the server's own\n"
"user.\n",
	    PROTO_PORT, PROTO_HEARTBEAT_DEFAULT, PROTO_MAX_PER_HOST_DEFAULT,
	    SERVER_HISTORY_MAX, SERVER_CLASS_IDLE_DEFAULT);
}


/* A whole decimal number in [min, max], or exit 2 naming the option. */
static int
main_number(const char *opt, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		cli_bad(MAIN_PROG, "bad %s '%s': want a number from %ld to %ld",
		    opt, s, min, max);
	return (int)v;
}

/* The name rules, but up to PROTO_ROOM_MAX_BYTES (proto.h). */
static bool
main_room_ok(const char *s)
{
	size_t		 len, off;
	uint32_t	 cp;
	int		 n;

	len = strlen(s);
	if (len == 0 || len > PROTO_ROOM_MAX_BYTES || !utf8_valid(s, len) ||
	    strchr("/#@", s[0]) != NULL)
		return false;
	for (off = 0; off < len; off += n) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0 ||
		    utf8_is_control(cp) || utf8_is_bidi(cp) ||
		    utf8_is_space(cp))
			return false;
	}
	return true;
}

static void
main_options(int argc, char **argv, struct options *opt)
{
	char	 errbuf[PATH_MAX + 128];	/* a whole path and the words */
	int	 c;

	memset(opt, 0, sizeof(*opt));
	opt->port = PROTO_PORT;
	opt->room = "lobby";
	opt->heartbeat = PROTO_HEARTBEAT_DEFAULT;
	opt->max_clients = 1024;
	opt->max_per_host = PROTO_MAX_PER_HOST_DEFAULT;
	opt->history = 50;
	opt->classroom_idle = SERVER_CLASS_IDLE_DEFAULT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:hp:qV", main_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			opt->bind = optarg;
			break;
		case 'h':
			main_usage(stdout);
			exit(0);
		case 'p':
			opt->port = main_number("--port", optarg, 0, 65535);
			break;
		case 'q':
			opt->quiet = true;
			break;
		case 'V':
			printf("chat_server %s (protocol %d)\n",
			    CHAT_SERVER_VERSION, PROTO_VERSION);
			exit(0);
		case OPT_ANNOUNCE:
			if (optarg[0] == '\0')
				cli_bad(MAIN_PROG, "--announce needs a text");
			opt->announce = optarg;
			break;
		case OPT_CLASSROOM:
			opt->classroom = true;
			break;
		case OPT_CLASSROOM_IDLE:
			opt->classroom_idle = main_number("--classroom-idle",
			    optarg, 1, SERVER_CLASS_IDLE_MAX);
			break;
		case OPT_CONTROL:
			opt->control = optarg;
			break;
		case OPT_HEARTBEAT:
			opt->heartbeat = main_number("--heartbeat", optarg, 1,
			    SERVER_HEARTBEAT_MAX);
			break;
		case OPT_KICK:
			if (optarg[0] == '\0')
				cli_bad(MAIN_PROG, "--kick needs a name");
			opt->kick = optarg;
			break;
		case OPT_HISTORY:
			opt->history = main_number("--history", optarg, 0,
			    SERVER_HISTORY_MAX);
			break;
		case OPT_MAX_CLIENTS:
			opt->max_clients = main_number("--max-clients", optarg,
			    1, SERVER_CLIENTS_MAX);
			break;
		case OPT_MAX_PER_HOST:
			opt->max_per_host = main_number("--max-per-host",
			    optarg, 1, SERVER_CLIENTS_MAX);
			break;
		case OPT_MOTD:
			if (proto_check_text(optarg, strlen(optarg)) != PROTO_OK)
				cli_bad(MAIN_PROG, "bad --motd: want 1-%d "
				    "bytes of UTF-8 without control characters",
				    PROTO_TEXT_MAX);
			opt->motd = optarg;
			break;
		case OPT_NO_RATE_LIMIT:
			opt->no_rate_limit = true;
			break;
		case OPT_NO_SANDBOX:
			opt->no_sandbox = true;
			break;
		case OPT_PASSWORD_FILE:
			free(opt->password);
			opt->password = NULL;
			if (passwd_read(optarg, &opt->password, errbuf,
			    sizeof(errbuf)) == -1)
				cli_bad(MAIN_PROG, "%s", errbuf);
			break;
		case OPT_ROOM:
			if (!main_room_ok(optarg))
				cli_bad(MAIN_PROG, "bad --room '%s': 1-%d "
				    "bytes, no spaces or control characters",
				    optarg, PROTO_ROOM_MAX_BYTES);
			opt->room = optarg;
			break;
		case OPT_TRACE:
			opt->trace = true;
			break;
		case OPT_TRANSCRIPT:
			if (optarg[0] == '\0')
				cli_bad(MAIN_PROG,
				    "--transcript needs a file name");
			opt->transcript = optarg;
			break;
		case OPT_USER:
			opt->user = optarg;
			break;
		case ':':
			cli_bad(MAIN_PROG, "option '%s' needs a value",
			    argv[optind - 1]);
		default:
			cli_bad(MAIN_PROG, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	cli_conf(NULL);
	if (optind < argc)
		cli_bad(MAIN_PROG, "unexpected argument '%s'", argv[optind]);
	if (opt->announce != NULL && opt->kick != NULL)
		cli_bad(MAIN_PROG, "--announce and --kick: one at a time");
	if (opt->classroom && opt->password != NULL)
		cli_bad(MAIN_PROG, "--classroom and --password-file: a "
		    "classroom client cannot send a password, so the room "
		    "would be open to it; use one or the other");
	if (opt->motd != NULL && !main_welcome_fits(opt))
		cli_bad(MAIN_PROG, "bad --motd: with JSON escaping a welcome "
		    "would not fit in %d bytes", PROTO_MAX_DGRAM);
}

/*
 * Whether the largest welcome the server could send (the longest name,
 * listed, and a count of the others) still fits in one datagram with
 * this room and motd; '"' and '\\' take two bytes once escaped.
 */
static bool
main_welcome_fits(const struct options *opt)
{
	static const char	 longest[] = "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad";	/* 16 x U+4E2D */
	struct proto_msg	*m;
	char			 buf[PROTO_MAX_DGRAM];
	bool			 fits;
	int			 n;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		err(1, "calloc");
	proto_init(m, PROTO_WELCOME);
	snprintf(m->name, sizeof(m->name), "%s", longest);
	memset(m->token, 'f', PROTO_TOKEN_LEN);
	m->token[PROTO_TOKEN_LEN] = '\0';
	m->heartbeat = opt->heartbeat;
	snprintf(m->room, sizeof(m->room), "%s", opt->room);
	snprintf(m->motd, sizeof(m->motd), "%s", opt->motd);
	m->has_motd = true;
	proto_add_user(m, longest);
	m->more = SERVER_CLIENTS_MAX;
	/* proto_encode leaves out names that do not fit: look for it. */
	n = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof(buf));
	fits = n > 0 && memmem(buf, n, longest, sizeof(longest) - 1) != NULL;
	free(m);
	return fits;
}

/*
 * --announce and --kick: one console line to the running server
 * (console.h), and why it failed if it did. A text that starts with '/'
 * gets a second one, so it is announced as written, never run.
 */
static int
main_control(const struct options *opt)
{
	char	 path[108], errbuf[ANNOUNCE_REPLY_MAX + 128];
	char	 line[ANNOUNCE_LINE_MAX];
	size_t	 skip;

	if (opt->control != NULL)
		snprintf(path, sizeof(path), "%s", opt->control);
	else
		announce_control_path(opt->port, path, sizeof(path));
	if (opt->kick != NULL) {
		if (strpbrk(opt->kick, " \t") != NULL)
			cli_bad(MAIN_PROG, "bad --kick '%s': one name, "
			    "no spaces", opt->kick);
		snprintf(line, sizeof(line), "/kick %s", opt->kick);
	} else {
		skip = strspn(opt->announce, " \t");
		snprintf(line, sizeof(line), "%s%s",
		    opt->announce[skip] == '/' ? "/" : "", opt->announce + skip);
	}
	if (announce_send(path, line, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	return 0;
}

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
#include <unistd.h>

#include "announce.h"
#include "cli.h"
#include "conf.h"
#include "log.h"
#include "passwd.h"
#include "proto.h"
#include "server.h"
#include "trace.h"
#include "utf8.h"

#define MAIN_PROG		"chat_server"
#define CHAT_SERVER_VERSION	"1.0"
#define MAIN_CONF		"/etc/lanchat/server.conf"

enum {
	OPT_ANNOUNCE = 256,
	OPT_BAN,
	OPT_BANS,
	OPT_CLASSROOM,
	OPT_CLASSROOM_IDLE,
	OPT_CMD,
	OPT_CONTROL,
	OPT_DRAIN_MS,
	OPT_HEARTBEAT,
	OPT_HISTORY,
	OPT_KICK,
	OPT_MAX_CLIENTS,
	OPT_MAX_PER_HOST,
	OPT_MOTD,
	OPT_MSG,
	OPT_MUTE,
	OPT_NO_RATE_LIMIT,
	OPT_NO_SANDBOX,
	OPT_PASSWORD_FILE,
	OPT_RENAME,
	OPT_RESERVE,
	OPT_ROOM,
	OPT_SLOW,
	OPT_TIMESTAMPS,
	OPT_TOPIC,
	OPT_TRACE,
	OPT_TRACE_NAME,
	OPT_TRACE_TYPE,
	OPT_TRANSCRIPT,
	OPT_UNBAN,
	OPT_UNMUTE,
	OPT_USER,
	OPT_WHO,
};

/*
 * The options that run one console command on a running server, through
 * its control socket (cmd.h has the commands): the option's value and
 * the words after the options make the command's arguments, so
 * "--mute alice 10" is "/mute alice 10".
 */
struct main_ctl {
	int		 opt;
	const char	*cmd;		/* NULL: --cmd, the line as given */
};

static const struct main_ctl main_ctls[] = {
	{ OPT_ANNOUNCE,	"/announce" },
	{ OPT_BAN,	"/ban" },
	{ OPT_BANS,	"/bans" },
	{ OPT_CMD,	NULL },
	{ OPT_KICK,	"/kick" },
	{ OPT_MSG,	"/msg" },
	{ OPT_MUTE,	"/mute" },
	{ OPT_RENAME,	"/rename" },
	{ OPT_SLOW,	"/slow" },
	{ OPT_TOPIC,	"/topic" },
	{ OPT_UNBAN,	"/unban" },
	{ OPT_UNMUTE,	"/unmute" },
	{ OPT_WHO,	"/who" },
};

static const struct option main_longopts[] = {
	{ "announce",		required_argument,	NULL, OPT_ANNOUNCE },
	{ "ban",		required_argument,	NULL, OPT_BAN },
	{ "bans",		no_argument,		NULL, OPT_BANS },
	{ "bind",		required_argument,	NULL, 'b' },
	{ "classroom",		no_argument,		NULL, OPT_CLASSROOM },
	{ "classroom-idle",	required_argument,	NULL, OPT_CLASSROOM_IDLE },
	{ "cmd",		required_argument,	NULL, OPT_CMD },
	{ "control",		required_argument,	NULL, OPT_CONTROL },
	{ "drain-ms",		required_argument,	NULL, OPT_DRAIN_MS },
	{ "heartbeat",		required_argument,	NULL, OPT_HEARTBEAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "history",		required_argument,	NULL, OPT_HISTORY },
	{ "kick",		required_argument,	NULL, OPT_KICK },
	{ "max-clients",	required_argument,	NULL, OPT_MAX_CLIENTS },
	{ "max-per-host",	required_argument,	NULL, OPT_MAX_PER_HOST },
	{ "motd",		required_argument,	NULL, OPT_MOTD },
	{ "msg",		required_argument,	NULL, OPT_MSG },
	{ "mute",		required_argument,	NULL, OPT_MUTE },
	{ "no-rate-limit",	no_argument,		NULL, OPT_NO_RATE_LIMIT },
	{ "no-sandbox",		no_argument,		NULL, OPT_NO_SANDBOX },
	{ "password-file",	required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "port",		required_argument,	NULL, 'p' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "rename",		required_argument,	NULL, OPT_RENAME },
	{ "reserve",		required_argument,	NULL, OPT_RESERVE },
	{ "room",		required_argument,	NULL, OPT_ROOM },
	{ "slow",		required_argument,	NULL, OPT_SLOW },
	{ "timestamps",		no_argument,		NULL, OPT_TIMESTAMPS },
	{ "topic",		required_argument,	NULL, OPT_TOPIC },
	{ "trace",		optional_argument,	NULL, OPT_TRACE },
	{ "trace-name",		required_argument,	NULL, OPT_TRACE_NAME },
	{ "trace-type",		required_argument,	NULL, OPT_TRACE_TYPE },
	{ "transcript",		required_argument,	NULL, OPT_TRANSCRIPT },
	{ "unban",		required_argument,	NULL, OPT_UNBAN },
	{ "unmute",		required_argument,	NULL, OPT_UNMUTE },
	{ "user",		required_argument,	NULL, OPT_USER },
	{ "version",		no_argument,		NULL, 'V' },
	{ "who",		no_argument,		NULL, OPT_WHO },
	{ NULL,			0,			NULL, 0 }
};

static void	 main_usage(FILE *);
static void	 main_config(struct conf *, int, char **);
static int	 main_number(const char *, const char *, long, long);
static bool	 main_room_ok(const char *);
static void	 main_options(int, char **, struct options *);
static const struct main_ctl *main_ctl_find(int);
static void	 main_reserve(struct options *, const char *);
static void	 main_ctl_line(struct options *, int, const char *, char **,
		    int);
static int	 main_control(const struct options *);
static void	 main_trace(struct options *, int, const char *);

int
main(int argc, char **argv)
{
	static struct conf	 conf;	/* opt points into it until exit */
	struct options		 opt;
	int			 rc;

	main_config(&conf, argc, argv);
	main_options(conf.argc, conf.argv, &opt);
	if (opt.ctl_line != NULL)
		return main_control(&opt);
	cli_std_fds();
	if (opt.trace)
		log_init("chat_server", LOG_TRACE);
	else
		log_init("chat_server", opt.quiet ? LOG_QUIET : LOG_INFO);
	/* A log kept in a file or a journal needs the time of each line. */
	log_set_stamps(opt.timestamps || !isatty(STDERR_FILENO));
	rc = server_run(&opt);
	free(opt.password);
	free(opt.reserved);
	free(opt.reserve_buf);
	conf_free(&conf);
	return rc;
}

/* --trace[=TYPES], --trace-type, --trace-name: each turns tracing on. */
static void
main_trace(struct options *opt, int c, const char *arg)
{
	char	 errbuf[160];
	int	 r = 0;

	opt->trace = true;
	if (c == OPT_TRACE_NAME)
		r = trace_filter_names(&opt->trace_filter, arg, errbuf,
		    sizeof(errbuf));
	else if (arg != NULL)
		r = trace_filter_kinds(&opt->trace_filter, arg, errbuf,
		    sizeof(errbuf));
	if (r == -1)
		cli_bad(MAIN_PROG, "%s", errbuf);
}

/*
 * The configuration file's options (--config FILE, else MAIN_CONF if it
 * is there) go before the command line's, so the command line wins.
 * What runs a command on a running server is never taken from a file.
 */
static void
main_config(struct conf *c, int argc, char **argv)
{
	static const char *const deny[] = { "announce", "ban", "bans", "cmd",
	    "help", "kick", "msg", "mute", "rename", "slow", "topic", "unban",
	    "unmute", "version", "who", NULL };
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
"                   [--password-file file] [--motd text] "
"[--reserve name,...]\n"
"                   [--control path] [--transcript file] [--timestamps]\n"
"                   [--no-rate-limit] [--trace[=types]] [--trace-name names]\n"
"                   [--classroom] [--classroom-idle seconds] [--drain-ms ms]\n"
"                   [--config file] [--user name] [--no-sandbox]\n"
"       chat_server [-p port] [--control path] --who | --bans\n"
"       chat_server [-p port] [--control path] --announce text | "
"--topic text |\n"
"                   --kick name [reason] | --msg name text | "
"--mute name [minutes] |\n"
"                   --unmute name | --ban name|@addr [minutes] | "
"--unban name|@addr |\n"
"                   --slow seconds | --rename name new | --cmd '/command ...'\n"
"  -b, --bind ADDR         address to listen on (default: all, IPv6 and IPv4)\n"
"  -p, --port PORT         UDP port (default %d; 0 lets the OS pick)\n"
"      --room NAME         room name shown to clients (default lobby)\n"
"      --heartbeat SECONDS liveness interval; 3 silent beats expire "
"(default %d)\n"
"      --max-clients N     sessions at most (default 1024)\n"
"      --max-per-host N    sessions from one host at most (default %d): an IP\n"
"                          address, a whole /64 for IPv6 off our own links\n"
"      --history N         recent chats replayed to newcomers, 0-%d "
"(default 50)\n"
"      --password-file F   its first line is the password to log in\n"
"      --motd TEXT         message of the day sent in welcome\n"
"      --reserve NAMES     names, comma-separated, nobody may log in as\n"
"                          (\"" SERVER_OPERATOR "\" is always reserved)\n"
"      --control PATH      control socket for --who, --announce and the rest\n"
"                          (default: $XDG_RUNTIME_DIR/chat_server-PORT.sock,\n"
"                          or in /run/user/UID or /tmp/chat_server-UID)\n"
"      --transcript FILE   append chats, joins, leaves, renames and\n"
"                          announcements to FILE as JSON lines (mode 0600;\n"
"                          private messages are never written)\n"
"      --timestamps        time stamps on log lines at a terminal too (a log\n"
"                          to a file or pipe always has them)\n"
"      --no-rate-limit     no per-session chat limit (burst 20, then 10/s):\n"
"                          for benchmarks on a trusted network only\n"
"      --trace[=TYPES]     one line per datagram in and out on stderr:\n"
"                          time, peer, size, what it is, the datagram\n"
"                          (secrets cut); TYPES as --trace-type\n"
"      --trace-type TYPES  only these kinds: JSON types, classroom, bad,\n"
"                          resend; -TYPE leaves one out (-ack,-ping,-pong)\n"
"      --trace-name NAMES  only datagrams of these users (comma-separated)\n"
"      --classroom         also serve the course's plain-text clients\n"
"                          (L NAME, C NAME TEXT, Q NAME) in the same room;\n"
"                          no password, for a trusted network only\n"
"      --classroom-idle S  silence that ends a classroom client's session\n"
"                          (default %d)\n"
"      --drain-ms MS       on SIGINT or SIGTERM, resend what clients have\n"
"                          not acked for at most MS, 0-%d (default %d);\n"
"                          a second signal stops at once\n"
"      --config FILE       read options from FILE as key = value lines\n"
"                          (default " MAIN_CONF " if it exists);\n"
"                          the command line wins\n"
"      --user NAME         started as root: the user to run as once the\n"
"                          socket is bound (default nobody)\n"
"      --no-sandbox        no seccomp filter and no Landlock rules\n"
"  -q, --quiet             log errors only\n"
"  -h, --help              this help\n"
"  -V, --version           print the version\n"
"On a running server (found by -p PORT, or the only one of this user):\n"
"      --who               who is in the room\n"
"      --announce TEXT     announce TEXT to everyone\n"
"      --kick, --msg, --mute, --unmute, --ban, --unban, --bans, --slow,\n"
"      --topic, --rename   the console command of that name, with the words\n"
"                          that follow as its arguments\n"
"      --cmd LINE          any console line, e.g. --cmd '/mute alice 10'\n"
"Lines typed on standard input are announced to every client, but a line\n"
"starting with / is a command (/help lists them; //text announces /text).\n"
"The commands on a running server work only for the server's own user.\n",
	    PROTO_PORT, PROTO_HEARTBEAT_DEFAULT, PROTO_MAX_PER_HOST_DEFAULT,
	    SERVER_HISTORY_MAX, SERVER_CLASS_IDLE_DEFAULT, SERVER_DRAIN_MAX_MS,
	    SERVER_DRAIN_DEFAULT_MS);
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
	char		 errbuf[PATH_MAX + 128];	/* a path and the words */
	const char	*ctl_arg = NULL;
	int		 c, ctl = 0;

	memset(opt, 0, sizeof(*opt));
	opt->port = PROTO_PORT;
	trace_filter_init(&opt->trace_filter);
	opt->room = "lobby";
	opt->heartbeat = PROTO_HEARTBEAT_DEFAULT;
	opt->max_clients = 1024;
	opt->max_per_host = PROTO_MAX_PER_HOST_DEFAULT;
	opt->history = 50;
	opt->drain_ms = SERVER_DRAIN_DEFAULT_MS;
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
			opt->port_given = true;
			break;
		case 'q':
			opt->quiet = true;
			break;
		case 'V':
			printf("chat_server %s (protocol %d)\n",
			    CHAT_SERVER_VERSION, PROTO_VERSION);
			exit(0);
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
		case OPT_HISTORY:
			opt->history = main_number("--history", optarg, 0,
			    SERVER_HISTORY_MAX);
			break;
		case OPT_DRAIN_MS:
			opt->drain_ms = main_number("--drain-ms", optarg, 0,
			    SERVER_DRAIN_MAX_MS);
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
		case OPT_RESERVE:
			main_reserve(opt, optarg);
			break;
		case OPT_ROOM:
			if (!main_room_ok(optarg))
				cli_bad(MAIN_PROG, "bad --room '%s': 1-%d "
				    "bytes, no spaces or control characters",
				    optarg, PROTO_ROOM_MAX_BYTES);
			opt->room = optarg;
			break;
		case OPT_TIMESTAMPS:
			opt->timestamps = true;
			break;
		case OPT_TRACE:
		case OPT_TRACE_TYPE:
		case OPT_TRACE_NAME:
			main_trace(opt, c, optarg);
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
			if (main_ctl_find(c) == NULL)
				cli_bad(MAIN_PROG, "unknown option '%s'",
				    argv[optind - 1]);
			if (ctl != 0)
				cli_bad(MAIN_PROG, "one command at a time: "
				    "%s", argv[optind - 1]);
			ctl = c;
			ctl_arg = optarg;
		}
	}
	cli_conf(NULL);
	if (ctl != 0)
		main_ctl_line(opt, ctl, ctl_arg, argv + optind, argc - optind);
	else if (optind < argc)
		cli_bad(MAIN_PROG, "unexpected argument '%s'", argv[optind]);
	if (opt->classroom && opt->password != NULL)
		cli_bad(MAIN_PROG, "--classroom and --password-file: a "
		    "classroom client cannot send a password, so the room "
		    "would be open to it; use one or the other");
	if (opt->motd != NULL && !server_welcome_fits(opt, NULL))
		cli_bad(MAIN_PROG, "bad --motd: with JSON escaping a welcome "
		    "would not fit in %d bytes", PROTO_MAX_DGRAM);
}

static const struct main_ctl *
main_ctl_find(int opt)
{
	size_t	 i;

	for (i = 0; i < sizeof(main_ctls) / sizeof(main_ctls[0]); i++) {
		if (main_ctls[i].opt == opt)
			return &main_ctls[i];
	}
	return NULL;
}

/* --reserve a,b,c: added to what earlier --reserve options gave. */
static void
main_reserve(struct options *opt, const char *list)
{
	char	*buf, *p, *name, **v;
	size_t	 n, old = opt->reserve_buf != NULL ?
		    strlen(opt->reserve_buf) + 1 : 0;

	/* One buffer for every list: the names point into it. */
	if ((buf = malloc(old + strlen(list) + 1)) == NULL)
		err(1, "malloc");
	for (n = 0; n < opt->nreserved; n++)
		opt->reserved[n] = buf + (opt->reserved[n] - opt->reserve_buf);
	if (old > 0)
		memcpy(buf, opt->reserve_buf, old);
	free(opt->reserve_buf);
	opt->reserve_buf = buf;
	p = buf + old;
	memcpy(p, list, strlen(list) + 1);
	while ((name = strsep(&p, ",")) != NULL) {
		if (name[0] == '\0')
			continue;
		if (proto_check_name(name) != 0)
			cli_bad(MAIN_PROG, "bad --reserve name '%s': not a name "
			    "a student could take", name);
		if ((v = realloc(opt->reserved, (opt->nreserved + 1) *
		    sizeof(*v))) == NULL)
			err(1, "realloc");
		opt->reserved = v;
		opt->reserved[opt->nreserved++] = name;
	}
}

/*
 * The console line of a --who, --mute ... option: the command, the
 * option's value, then the words after the options, one space apart.
 */
static void
main_ctl_line(struct options *opt, int c, const char *arg, char **rest,
    int nrest)
{
	const struct main_ctl	*m = main_ctl_find(c);
	char			*line;
	size_t			 len, cap;
	int			 i;

	if (c == OPT_KICK && (arg[0] == '\0' || strpbrk(arg, " \t") != NULL))
		cli_bad(MAIN_PROG, "bad --kick '%s': one name, no spaces; the "
		    "reason follows it", arg);
	if ((c == OPT_ANNOUNCE || c == OPT_CMD) && arg[0] == '\0')
		cli_bad(MAIN_PROG, "%s needs a text", c == OPT_CMD ? "--cmd" :
		    "--announce");
	cap = ANNOUNCE_LINE_MAX;
	if ((line = malloc(cap)) == NULL)
		err(1, "malloc");
	len = (size_t)snprintf(line, cap, "%s%s%s", m->cmd != NULL ? m->cmd :
	    "", m->cmd != NULL && arg != NULL ? " " : "",
	    arg != NULL ? arg : "");
	for (i = 0; i < nrest && len < cap; i++)
		len += (size_t)snprintf(line + len, cap - len, " %s", rest[i]);
	if (len >= cap)
		cli_bad(MAIN_PROG, "the command is too long");
	opt->ctl_line = line;
}

/*
 * --who, --announce and the rest: one console line to the running
 * server (cmd.h), what it printed on stdout, or why it failed.
 */
static int
main_control(const struct options *opt)
{
	char	 path[108], errbuf[ANNOUNCE_REPLY_MAX + 128], *out;

	if (opt->control != NULL)
		snprintf(path, sizeof(path), "%s", opt->control);
	else if (announce_control_find(opt->port, opt->port_given, path,
	    sizeof(path), errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	if ((out = malloc(ANNOUNCE_REPLY_MAX)) == NULL)
		err(1, "malloc");
	if (announce_send(path, opt->ctl_line, out, ANNOUNCE_REPLY_MAX, errbuf,
	    sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	fputs(out, stdout);
	free(out);
	free(opt->ctl_line);
	return 0;
}

/*
 * chat_client: options (options.c), name, login, then fork into the
 * keyboard process (parent, kbd.c) and the network process (child,
 * netproc.c), which share
 * the UDP socket, a note pipe and the mmap block of client.h. Without
 * --server the server is found first (discover.c), still before curses
 * starts, so the choosing is plain stdio. --classroom logs in and runs
 * the room with classroom.c instead (a course's text-protocol server).
 */
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "askpass.h"
#include "auth.h"
#include "classroom.h"
#include "cli.h"
#include "client.h"
#include "conf.h"
#include "discover.h"
#include "front.h"
#include "kbd.h"
#include "login.h"
#include "net.h"
#include "options.h"
#include "netproc.h"
#include "proto.h"
#include "utf8.h"

static int	 main_ask_password(struct options *, const char *);
static const char *main_ctype_var(char *, size_t);
static void	 main_locale(const struct options *);
static int	 main_read_line(char *, size_t);
static int	 main_ask_name(char *, size_t);
static void	 main_discover(const struct options *, struct discover *);
static int	 main_discover_list(const struct options *);
static void	 main_discover_pick(const struct options *, struct net_addr *);
static size_t	 main_ask_server(const struct discover *);
static void	 main_login(struct options *, int, const struct net_addr *,
		    const char *, struct proto_msg *);
static struct client_shared *main_shared(const struct proto_msg *,
		    const struct net_addr *);
static const struct front_ops *main_front_init(const struct options *,
		    struct client_shared *);
static int	 main_fork(struct options *, struct client_shared *, int,
		    const struct net_addr *, const struct proto_msg *);
static int	 main_child(struct options *, struct client_shared *,
		    const struct front_ops *, int, const struct net_addr *,
		    const struct proto_msg *, int);
static int	 main_parent(struct client_shared *, struct kbd *);
static int	 main_classroom(struct options *, int, const struct net_addr *);


int
main(int argc, char **argv)
{
	static struct proto_msg	 welcome;
	static struct conf	 conf;	/* opt points into it until exit */
	struct options		 opt;
	struct net_addr		 srv;
	struct client_shared	*sh;
	char			 errbuf[256];
	int			 sock, rc;

	if (cli_std_fds() == -1)
		_exit(1);
	options_load(&opt, &conf, argc, argv);
	if (opt.discover)
		return main_discover_list(&opt);
	main_locale(&opt);
	if (opt.server == NULL)
		main_discover_pick(&opt, &srv);
	else if (net_parse_addr(opt.server, opt.port, &srv, errbuf,
	    sizeof(errbuf)) == -1) {
		/* A bad port is a bad option, as with -p (exit 2). */
		if (strncmp(errbuf, "bad port", 8) == 0)
			cli_bad(OPTIONS_PROG, "bad port in --server '%s' "
			    "(1-65535)", opt.server);
		errx(1, "%s", errbuf);
	} else if (net_port(&srv) == 0)
		/* The parser takes 0 ("the OS picks", for a server): not here. */
		cli_bad(OPTIONS_PROG, "bad port in --server '%s' (1-65535)",
		    opt.server);
	if ((sock = net_udp_client(&srv, 0, errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);
	if (opt.trace != NULL &&
	    client_trace_open(opt.trace, &opt.trace_filter) == -1)
		err(1, "cannot open the trace file %s", opt.trace);
	if (opt.classroom)
		return main_classroom(&opt, sock, &srv);
	/* libsodium, for the password proof (shared/auth.h). */
	if (auth_init() == -1)
		errx(1, "cannot initialise libsodium");
	main_login(&opt, sock, &srv, opt.name, &welcome);
	if ((sh = main_shared(&welcome, &srv)) == NULL)
		err(1, "cannot set up shared memory");
	sh->colour_off = !opt.colour;
	rc = main_fork(&opt, sh, sock, &srv, &welcome);
	free(opt.password);
	client_shared_free(sh);
	close(sock);
	conf_free(&conf);
	return rc;
}

/*
 * The variable that decides LC_CTYPE, in POSIX order (LC_ALL, LC_CTYPE,
 * LANG), as "NAME=value" in buf; "" if none is set.
 */
static const char *
main_ctype_var(char *buf, size_t cap)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char	*v;
	size_t		 i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i])) != NULL && *v != '\0') {
			snprintf(buf, cap, "%s=%s", vars[i], v);
			break;
		}
	}
	return buf;
}

/*
 * The full-screen front end writes UTF-8 through ncursesw, so it needs a
 * UTF-8 locale: any other would show mojibake, and plain output is UTF-8
 * too, so there is no fallback. Decided here, before the socket exists,
 * so a refusal leaves no session behind on the server. Without a
 * terminal the front end falls back to plain anyway (main_front_init),
 * so the locale does not matter then.
 */
static void
main_locale(const struct options *opt)
{
	const char	*cs;
	char		 var[256];

	if (opt->plain || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return;
	/* All of it if possible; only the character set matters here. */
	if (setlocale(LC_ALL, "") == NULL && setlocale(LC_CTYPE, "") == NULL) {
		/*
		 * A locale that is not installed (LANG=en_US.UTF-8 on a system
		 * without its locale data, common on a fresh Debian). If it
		 * names UTF-8, the terminal is UTF-8 all the same and only the
		 * character set matters here: C.UTF-8 serves, as in tmux.
		 * Otherwise say which setting is wrong, not "ANSI_X3.4-1968".
		 */
		main_ctype_var(var, sizeof(var));
		if ((strcasestr(var, "UTF-8") != NULL ||
		    strcasestr(var, "UTF8") != NULL) &&
		    setlocale(LC_CTYPE, "C.UTF-8") != NULL)
			return;
		errx(1, "the locale %s is not installed; set LANG=C.UTF-8 (or "
		    "another UTF-8 locale 'locale -a' lists), or use --plain",
		    var);
	}
	cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") != 0)
		errx(1, "the terminal's character set is %s (%s), not UTF-8; "
		    "set LANG=C.UTF-8 (or another UTF-8 locale), or use --plain",
		    cs, main_ctype_var(var, sizeof(var))[0] != '\0' ? var :
		    "no LANG set");
}

/*
 * One line from stdin, byte by byte: stdio would read ahead and swallow
 * lines the keyboard process must see. Returns 0, or -1 at end of input.
 */
static int
main_read_line(char *buf, size_t cap)
{
	size_t	 len = 0;
	ssize_t	 n;
	char	 ch;

	for (;;) {
		n = read(STDIN_FILENO, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (ch == '\n')
			break;
		if (len + 1 < cap)
			buf[len++] = ch;
	}
	buf[len] = '\0';
	return n <= 0 && len == 0 ? -1 : 0;
}

/* Asks for a name until a valid one is typed. -1 at end of input. */
static int
main_ask_name(char *name, size_t cap)
{
	char	 line[256], safe[256];
	size_t	 a, b;

	for (;;) {
		printf("name: ");
		fflush(stdout);
		if (main_read_line(line, sizeof(line)) == -1)
			return -1;
		a = strspn(line, " \t\r");
		b = strlen(line);
		while (b > a && strchr(" \t\r", line[b - 1]) != NULL)
			b--;
		line[b] = '\0';
		if (b - a < cap && proto_check_name(line + a) == 0) {
			memcpy(name, line + a, b - a + 1);
			return 0;
		}
		utf8_sanitize(line + a, b - a, safe, sizeof(safe));
		printf("error: '%s' is not a valid name: 1-%d characters, no "
		    "spaces or control characters, not starting with / # @\n",
		    safe, PROTO_NAME_MAX_CHARS);
	}
}

/* The answers to a discover on opt->port; exits 1 if none could be sent. */
static void
main_discover(const struct options *opt, struct discover *d)
{
	char	errbuf[256];

	if (discover_run(d, opt->port, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
}

/*
 * --discover: one server a line on stdout, tab-separated for scripts
 * (discover_format_tab); exit 1 when none answered.
 */
static int
main_discover_list(const struct options *opt)
{
	static struct discover	 d;
	char			 line[DISCOVER_LINE_MAX];
	size_t			 i;

	main_discover(opt, &d);
	for (i = 0; i < d.n; i++) {
		discover_format_tab(&d.servers[i], line, sizeof(line));
		printf("%s\n", line);
	}
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	if (d.n == 0) {
		warnx("no chat server answered a discover on port %d within "
		    "1 s", opt->port);
		return 1;
	}
	return 0;
}

/*
 * No --server: the server that answers a discover. One is taken, and
 * named on stderr. From several a person picks (stdin a terminal); a
 * script must not guess, so it gets the list and exit 2. None: exit 1.
 */
static void
main_discover_pick(const struct options *opt, struct net_addr *srv)
{
	static struct discover	 d;
	char			 line[DISCOVER_LINE_MAX], where[NET_ADDRSTRLEN];
	size_t			 i, pick = 0;

	main_discover(opt, &d);
	if (d.n == 0)
		errx(1, "no chat server answered a discover on port %d within "
		    "1 s; start one, or give --server HOST[:PORT]", opt->port);
	if (d.n == 1) {
		discover_format(&d.servers[0], line, sizeof(line));
		warnx("found one chat server: %s", line);
	} else if (!isatty(STDIN_FILENO)) {
		warnx("%zu chat servers answered on port %d:", d.n, opt->port);
		for (i = 0; i < d.n; i++) {
			discover_format(&d.servers[i], line, sizeof(line));
			fprintf(stderr, "%zu) %s\n", i + 1, line);
		}
		net_format(&d.servers[0].addr, where, sizeof(where));
		errx(2, "several chat servers answered; choose one with "
		    "--server HOST[:PORT] (--server %s, say)", where);
	} else
		pick = main_ask_server(&d);
	*srv = d.servers[pick].addr;
}

/*
 * Lists d numbered on stdout and asks for a number until one is typed
 * (Enter alone: 1). Exits 1 at end of input.
 */
static size_t
main_ask_server(const struct discover *d)
{
	char	 line[256], *end;
	size_t	 i, a, b;
	long	 v;

	printf("%zu chat servers answered:\n", d->n);
	for (i = 0; i < d->n; i++) {
		discover_format(&d->servers[i], line, sizeof(line));
		printf("%zu) %s\n", i + 1, line);
	}
	for (;;) {
		printf("server (1-%zu, Enter for 1): ", d->n);
		fflush(stdout);
		if (main_read_line(line, sizeof(line)) == -1)
			errx(1, "no server chosen");
		a = strspn(line, " \t\r");
		b = strlen(line);
		while (b > a && strchr(" \t\r", line[b - 1]) != NULL)
			b--;
		line[b] = '\0';
		if (a == b)
			return 0;
		errno = 0;
		v = strtol(line + a, &end, 10);
		if (line[a] >= '0' && line[a] <= '9' && *end == '\0' &&
		    errno == 0 && v >= 1 && (size_t)v <= d->n)
			return (size_t)v - 1;
		printf("error: type a number from 1 to %zu\n", d->n);
	}
}

/*
 * Logs in, asking for a name (again after bad_name or name_taken) when
 * none was given, or when the one given is refused and a person is
 * there to type another (stdin a terminal: make run's $USER may be
 * taken by another make run). A script is not asked. Exits 1 when the
 * server does not answer or refuses.
 */
static void
main_login(struct options *opt, int sock, const struct net_addr *srv,
    const char *given, struct proto_msg *reply)
{
	static char	 name[PROTO_NAME_MAX_BYTES + 1];
	char		 where[NET_ADDRSTRLEN], safe[PROTO_STR_MAX * 3 + 1];
	int		 retry;

	for (;;) {
		if (given == NULL) {
			if (main_ask_name(name, sizeof(name)) == -1)
				errx(1, "no name given");
		} else if (given != name)
			snprintf(name, sizeof(name), "%s", given);
		/*
		 * A person at a terminal sees at once what the client waits
		 * for (up to LOGIN_GIVE_UP_MS when no server is there);
		 * scripts reading a pipe are not told.
		 */
		if (isatty(STDERR_FILENO)) {
			net_format(srv, where, sizeof(where));
			utf8_sanitize(name, strlen(name), safe, sizeof(safe));
			fprintf(stderr, "chat_client: connecting to %s as %s ...\n",
			    where, safe);
		}
		switch (login_run(sock, srv, name, opt->password, reply)) {
		case LOGIN_OK:
			return;
		case LOGIN_NO_ANSWER:
			net_format(srv, where, sizeof(where));
			/* What to check next, for whoever mistyped an address. */
			errx(1, "no server answered at %s within %d s; is "
			    "chat_server running there, on that port?", where,
			    LOGIN_GIVE_UP_MS / 1000);
		case LOGIN_SYSERR:
			net_format(srv, where, sizeof(where));
			err(1, "cannot talk to %s", where);
		case LOGIN_REFUSED:
			break;
		}
		utf8_sanitize(reply->text, strlen(reply->text), safe,
		    sizeof(safe));
		if (strcmp(reply->code,
		    proto_err_code(PROTO_ERR_BAD_VERSION)) == 0)
			errx(1, "the server speaks another version of the chat "
			    "protocol than this client (version %d); update "
			    "whichever is older (server: %s)", PROTO_VERSION,
			    safe[0] != '\0' ? safe : reply->code);
		if (strcmp(reply->code, PROTO_CODE_BAD_PASSWORD) == 0) {
			if (main_ask_password(opt, safe) == -1)
				exit(1);
			given = name;	/* the same name, with the password */
			continue;
		}
		retry = (given == NULL || isatty(STDIN_FILENO)) &&
		    (strcmp(reply->code, PROTO_CODE_NAME_TAKEN) == 0 ||
		    strcmp(reply->code, proto_err_code(PROTO_ERR_BAD_NAME)) == 0);
		if (!retry)
			errx(1, "%s", safe[0] != '\0' ? safe : reply->code);
		printf("error: %s\n", safe);
		given = NULL;
	}
}

/*
 * bad_password: at a terminal the password is asked (askpass.h) until
 * the server takes it or the user gives up (Enter alone, end of input);
 * it is used for the proof only, never sent. Elsewhere the user is told
 * how to give it. Returns 0 with opt->password set, or -1 (said why).
 */
static int
main_ask_password(struct options *opt, const char *said)
{
	char	 line[1024];
	int	 r = ASKPASS_NO_TTY;

	if (isatty(STDIN_FILENO))
		r = askpass(opt->password != NULL ? "wrong password\npassword "
		    "(Enter alone gives up): " : "password (Enter alone gives "
		    "up): ", line, sizeof(line));
	if (r == ASKPASS_NO_TTY)
		warnx("%s: the room has a password; give it with "
		    "--password-file FILE (its first line is the password), "
		    "or start at a terminal to be asked for it",
		    opt->password != NULL ? "wrong password" : said);
	if (r == ASKPASS_NONE)
		warnx("no password given");
	if (r != ASKPASS_OK)
		return -1;
	free(opt->password);
	opt->password = strdup(line);
	explicit_bzero(line, sizeof(line));
	if (opt->password == NULL)
		err(1, "out of memory");
	return 0;
}

/* The shared block, filled from the welcome. */
static struct client_shared *
main_shared(const struct proto_msg *w, const struct net_addr *srv)
{
	struct client_shared	*sh;

	if ((sh = client_shared_new()) == NULL)
		return NULL;
	memcpy(sh->token, w->token, sizeof(sh->token));
	snprintf(sh->name, sizeof(sh->name), "%s", w->name);
	utf8_sanitize(w->room, strlen(w->room), sh->room, sizeof(sh->room));
	net_format(srv, sh->server, sizeof(sh->server));
	sh->heartbeat = w->heartbeat;
	/* Resume: a server before it says nothing, and ids start at 1. */
	sh->next_id = w->next_id != 0 ? w->next_id : 1;
	sh->conn = FRONT_CONNECTED;
	client_users_set(sh, w->users, w->nusers, w->more);
	client_touch(sh);
	return sh;
}

/*
 * The chosen front end, set up in the keyboard process before fork: the
 * network process inherits it. The full-screen one falls back to plain
 * when it cannot start (no terminal, say).
 */
static const struct front_ops *
main_front_init(const struct options *opt, struct client_shared *sh)
{
	const struct front_ops	*front = opt->plain ? &plain_front : &ui_front;

	if (front->init(sh) == 0)
		return front;
	front = &plain_front;
	front->init(sh);
	return front;
}

/*
 * The child: the network process. It calls init again to take its half
 * of the inherited front end; failing that (out of memory) it cannot
 * show anything, so it ends and the keyboard process restores the
 * terminal.
 */
static int
main_child(struct options *opt, struct client_shared *sh,
    const struct front_ops *front, int sock, const struct net_addr *srv,
    const struct proto_msg *welcome, int notefd)
{
	struct netproc_conf	 nc;
	int			 rc;

	sh->net_pid = getpid();
	if (front->init(sh) == -1) {
		warnx("cannot set up the message window");
		close(notefd);
		return 1;
	}
	memset(&nc, 0, sizeof(nc));
	nc.shared = sh;
	nc.front = front;
	nc.sock = sock;
	nc.srv = *srv;
	nc.notefd = notefd;
	nc.password = opt->password;
	nc.motd = welcome->has_motd ? welcome->motd : NULL;
	nc.topic = welcome->has_topic ? welcome->topic : NULL;
	nc.run = welcome->run;
	nc.filter = &opt->filter;
	nc.log = opt->log;
	nc.conf_path = opt->conf_path;
	rc = netproc_run(&nc);
	close(notefd);
	return rc;
}

/* The parent: the keyboard process, which also tells the block its child. */
static int
main_parent(struct client_shared *sh, struct kbd *k)
{
	int	 rc;

	client_lock(sh);
	sh->net_pid = k->child;
	client_unlock(sh);
	rc = kbd_run(k);
	k->front->end();
	close(k->notefd);
	return rc;
}

/*
 * --classroom: L NAME until OK (asking for another name when the server
 * says it is taken and none was given), then the room (classroom.c)
 * with the front end set up here, as main_fork does.
 */
static int
main_classroom(struct options *opt, int sock, const struct net_addr *srv)
{
	static char		 name[PROTO_NAME_MAX_BYTES + 1];
	struct client_shared	*sh;
	const struct front_ops	*front;
	char			 where[NET_ADDRSTRLEN];
	char			 safe[PROTO_NAME_MAX_BYTES * 3 + 1];

	net_format(srv, where, sizeof(where));
	for (;;) {
		if (opt->name != NULL)
			snprintf(name, sizeof(name), "%s", opt->name);
		else if (main_ask_name(name, sizeof(name)) == -1)
			errx(1, "no name given");
		utf8_sanitize(name, strlen(name), safe, sizeof(safe));
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "chat_client: connecting to %s as %s "
			    "(classroom mode) ...\n", where, safe);
		switch (classroom_login(sock, srv, name)) {
		case CLASSROOM_OK:
			break;
		case CLASSROOM_NO_ANSWER:
			errx(1, "no classroom server answered 'L %s' at %s "
			    "within %d s; is it running there, on that port?",
			    safe, where, CLASSROOM_LOGIN_MS / 1000);
		case CLASSROOM_SYSERR:
			err(1, "cannot talk to %s", where);
		case CLASSROOM_TAKEN:
			if (opt->name != NULL)
				errx(1, "the name %s is taken (the server "
				    "said so)", safe);
			printf("error: the name %s is taken\n", safe);
			continue;
		}
		break;
	}
	if ((sh = client_shared_new()) == NULL)
		err(1, "cannot set up shared memory");
	snprintf(sh->name, sizeof(sh->name), "%s", name);
	snprintf(sh->room, sizeof(sh->room), "classroom");
	snprintf(sh->server, sizeof(sh->server), "%s", where);
	snprintf(sh->conn_text, sizeof(sh->conn_text), "no delivery "
	    "guarantee");
	sh->conn = FRONT_CONNECTED;
	client_users_add(sh, name);
	sh->kbd_pid = getpid();
	front = main_front_init(opt, sh);
	fflush(stdout);
	return classroom_run(sh, front, sock, srv);
}

/*
 * Sets up the front end, then forks; the parent runs the keyboard, the
 * child the network. The front end starts before fork so that curses is
 * initialised once, in one process, and the child inherits it.
 */
static int
main_fork(struct options *opt, struct client_shared *sh, int sock,
    const struct net_addr *srv, const struct proto_msg *welcome)
{
	struct kbd	 k;
	int		 fds[2], e;
	pid_t		 pid;

	memset(&k, 0, sizeof(k));
	if (pipe(fds) == -1)
		err(1, "pipe");
	sh->kbd_pid = getpid();
	k.front = main_front_init(opt, sh);
	fflush(stdout);
	if ((pid = fork()) == -1) {
		e = errno;
		/* A quit, as far as end() can tell: no "network ended" note. */
		sh->quitting = 1;
		k.front->end();
		errno = e;
		err(1, "fork");
	}
	if (pid == 0) {
		close(fds[1]);
		return main_child(opt, sh, k.front, sock, srv, welcome,
		    fds[0]);
	}
	close(fds[0]);
	k.shared = sh;
	k.sock = sock;
	k.srv = *srv;
	k.notefd = fds[1];
	k.child = pid;
	return main_parent(sh, &k);
}

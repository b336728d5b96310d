/*
 * kbd: the keyboard process (kbd.h), following the client section of
 * docs/design.md. The loop is:
 *
 *   signal flags -> reap the child / start quitting / relayout
 *   front->read_line (returns every 250 ms at worst, so flags are seen)
 *   command_parse -> note to the network process, then the datagram
 *
 * The note is written before the datagram is sent: the network process
 * then always knows a request before its ack can arrive.
 *
 * Suspending: Ctrl-Z is a key of the full-screen front end (raw mode),
 * which stops our process group (a wrapper such as make run's script
 * too); SIGTSTP from outside does the same through front->suspend. The
 * network process ignores it and keeps the session alive meanwhile
 * (ui.c says how it stays off the terminal). Without a suspend
 * member (plain) SIGTSTP keeps its default: the whole job stops. A
 * SIGCONT we did not ask for (after kill -STOP) has the front end take
 * the terminal back (front->resume).
 *
 * Quitting (/quit, end of input, SIGINT, SIGTERM, SIGHUP): the network
 * process is told, sends quit and waits at most 1 s for bye; we wait a
 * little longer for it and kill it only if it hangs.
 */
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "kbd.h"

/* How long the network process may take to finish a quit. */
#define KBD_QUIT_WAIT_MS	2000
#define KBD_LINE_MAX		(PROTO_TEXT_MAX * 8)

static volatile sig_atomic_t	 kbd_got_quit;
static volatile sig_atomic_t	 kbd_got_chld;
static volatile sig_atomic_t	 kbd_got_winch;
static volatile sig_atomic_t	 kbd_got_tstp;
static volatile sig_atomic_t	 kbd_got_cont;

static void	 kbd_signal(int);
static void	 kbd_catch_stops(const struct kbd *);
static int	 kbd_reap(struct kbd *, int *);
static void	 kbd_note(struct kbd *, struct client_note *);
static void	 kbd_request(struct kbd *, int, const struct command *);
static void	 kbd_who(struct kbd *);
static void	 kbd_nick(struct kbd *, const struct command *);
static void	 kbd_help(struct kbd *);
static void	 kbd_setting(struct kbd *, int, const struct command *);
static void	 kbd_chat(struct kbd *, struct command *);
static void	 kbd_query(struct kbd *, const struct command *);
static void	 kbd_reply(struct kbd *, struct command *);
static void	 kbd_mouse(struct kbd *);
static int	 kbd_line(struct kbd *, const char *);
static int	 kbd_quit(struct kbd *);

static void
kbd_signal(int sig)
{
	switch (sig) {
	case SIGCHLD:
		kbd_got_chld = 1;
		break;
	case SIGWINCH:
		kbd_got_winch = 1;
		break;
	case SIGTSTP:
		kbd_got_tstp = 1;
		break;
	case SIGCONT:
		kbd_got_cont = 1;
		break;
	default:
		kbd_got_quit = 1;
		break;
	}
}

/*
 * SIGTSTP and SIGCONT become flags when the front end handles them.
 * This also replaces the SIGTSTP handler ncurses installed, which knows
 * nothing of the other process or the terminal lock.
 */
static void
kbd_catch_stops(const struct kbd *k)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = kbd_signal;
	if (k->front->suspend != NULL)
		sigaction(SIGTSTP, &sa, NULL);
	if (k->front->resume != NULL)
		sigaction(SIGCONT, &sa, NULL);
}

/*
 * Reaps children without blocking. Returns 1 once the network process
 * is gone, with *status the exit status we should pass on.
 */
static int
kbd_reap(struct kbd *k, int *status)
{
	pid_t	 pid;
	int	 st, gone = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid != k->child)
			continue;
		gone = 1;
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	return gone;
}

/* One atomic record to the network process. */
static void
kbd_note(struct kbd *k, struct client_note *n)
{
	ssize_t	 w;

	n->sent_ms = clock_ms();
	n->when = (int64_t)time(NULL);
	do
		w = write(k->notefd, n, sizeof(*n));
	while (w < 0 && errno == EINTR);
}

void
kbd_local(struct kbd *k, int kind, const char *text)
{
	struct client_note	 n;

	memset(&n, 0, sizeof(n));
	n.kind = kind;
	snprintf(n.text, sizeof(n.text), "%s", text);
	kbd_note(k, &n);
}

static void
kbd_help(struct kbd *k)
{
	char		 help[COMMAND_HELP_MAX], line[128];
	const char	*s = help;
	size_t		 n;

	command_help(help, sizeof(help));
	while (*s != '\0') {
		n = strcspn(s, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		kbd_local(k, CLIENT_NOTE_INFO, line);
		s += n;
		if (*s == '\n')
			s++;
	}
}

/*
 * /filter, /ignore, /unignore, /search: the network process keeps what
 * is shown, so it acts on them and says what it did.
 */
static void
kbd_setting(struct kbd *k, int kind, const struct command *c)
{
	struct client_note	 n;

	memset(&n, 0, sizeof(n));
	n.kind = kind;
	snprintf(n.to, sizeof(n.to), "%s", c->to);
	snprintf(n.text, sizeof(n.text), "%s", c->text);
	kbd_note(k, &n);
}

/*
 * A reliable request: checked for size (a user-facing error before an
 * id is taken), then noted; the network process encodes and sends it.
 */
static void
kbd_request(struct kbd *k, int kind, const struct command *c)
{
	struct client_note	 n;
	char			 token[PROTO_TOKEN_LEN + 1];
	char			 buf[PROTO_MAX_DGRAM + 1];

	memset(&n, 0, sizeof(n));
	n.kind = kind;
	n.action = c->kind == COMMAND_ACTION;
	snprintf(n.to, sizeof(n.to), "%s", c->to);
	snprintf(n.text, sizeof(n.text), "%s", c->text);
	/* The size does not depend on the id: check before taking one. */
	n.id = PROTO_INT_MAX;
	if (client_encode(&n, "", buf, sizeof(buf)) < 0) {
		kbd_local(k, CLIENT_NOTE_ERROR, "message is too long to send "
		    "once escaped; shorten it");
		return;
	}
	(void)client_request_begin(k->shared, &n, token);
	kbd_note(k, &n);
}

static void
kbd_who(struct kbd *k)
{
	struct client_note	 n;
	char			 token[PROTO_TOKEN_LEN + 1];
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 len;

	memset(&n, 0, sizeof(n));
	n.kind = CLIENT_NOTE_WHO;
	kbd_note(k, &n);
	client_get_token(k->shared, token);
	len = client_encode_simple(PROTO_WHO, token, buf, sizeof(buf));
	if (len > 0)
		client_send(k->shared, k->sock, &k->srv, buf, (size_t)len);
}

/* /nick: to the name we already have is said here, not sent. */
static void
kbd_nick(struct kbd *k, const struct command *c)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1], text[PROTO_NAME_MAX_BYTES + 32];

	client_get_name(k->shared, name);
	if (strcmp(name, c->to) != 0) {
		kbd_request(k, CLIENT_NOTE_RENAME, c);
		return;
	}
	snprintf(text, sizeof(text), "you are already %s", name);
	kbd_local(k, CLIENT_NOTE_INFO, text);
}

/* A line of text: to the room, or in a /query to its target alone. */
static void
kbd_chat(struct kbd *k, struct command *c)
{
	client_lock(k->shared);
	memcpy(c->to, k->shared->query, sizeof(c->to));
	client_unlock(k->shared);
	kbd_request(k, c->to[0] != '\0' ? CLIENT_NOTE_MSG : CLIENT_NOTE_CHAT,
	    c);
}

/*
 * /query: the target is set here, before the next line is read, so that
 * line already goes to it; the network process says so and redraws the
 * status bar.
 */
static void
kbd_query(struct kbd *k, const struct command *c)
{
	client_lock(k->shared);
	memcpy(k->shared->query, c->to, sizeof(k->shared->query));
	client_unlock(k->shared);
	kbd_setting(k, CLIENT_NOTE_QUERY, c);
}

/* /r TEXT: to whoever wrote to us privately last (the network process
 * keeps the name). */
static void
kbd_reply(struct kbd *k, struct command *c)
{
	client_lock(k->shared);
	memcpy(c->to, k->shared->last_private, sizeof(c->to));
	client_unlock(k->shared);
	if (c->to[0] == '\0') {
		kbd_local(k, CLIENT_NOTE_ERROR, "nobody has written to you "
		    "privately yet; /msg NAME TEXT");
		return;
	}
	kbd_request(k, CLIENT_NOTE_MSG, c);
}

/* /mouse: the front end's mouse reports off or on, said as a line. */
static void
kbd_mouse(struct kbd *k)
{
	if (k->front->mouse == NULL)
		kbd_local(k, CLIENT_NOTE_INFO, "no mouse here (--plain)");
	else if (k->front->mouse())
		kbd_local(k, CLIENT_NOTE_INFO, "mouse on: the wheel scrolls; "
		    "Shift+drag selects text");
	else
		kbd_local(k, CLIENT_NOTE_INFO, "mouse off: a drag selects "
		    "text; PageUp and PageDown scroll");
}

/* Handles one typed line. Returns 1 when the user asked to quit. */
static int
kbd_line(struct kbd *k, const char *line)
{
	static struct command	 c;

	command_parse(line, &c);
	switch (c.kind) {
	case COMMAND_NONE:
		break;
	case COMMAND_CHAT:
		kbd_chat(k, &c);
		break;
	case COMMAND_ACTION:
		kbd_request(k, CLIENT_NOTE_CHAT, &c);
		break;
	case COMMAND_MSG:
		kbd_request(k, CLIENT_NOTE_MSG, &c);
		break;
	case COMMAND_NICK:
		kbd_nick(k, &c);
		break;
	case COMMAND_WHO:
		kbd_who(k);
		break;
	case COMMAND_HELP:
		kbd_help(k);
		break;
	case COMMAND_CLEAR:
		kbd_local(k, CLIENT_NOTE_CLEAR, "");
		break;
	case COMMAND_ERROR:
		kbd_local(k, CLIENT_NOTE_ERROR, c.error);
		break;
	case COMMAND_QUIT:
		snprintf(k->quit_text, sizeof(k->quit_text), "%s", c.text);
		return 1;
	case COMMAND_FILTER:
		kbd_setting(k, CLIENT_NOTE_FILTER, &c);
		break;
	case COMMAND_IGNORE:
		kbd_setting(k, CLIENT_NOTE_IGNORE, &c);
		break;
	case COMMAND_UNIGNORE:
		kbd_setting(k, CLIENT_NOTE_UNIGNORE, &c);
		break;
	case COMMAND_SEARCH:
		kbd_setting(k, CLIENT_NOTE_SEARCH, &c);
		break;
	/* Private talk, away, the nick list, the topic. */
	case COMMAND_QUERY:
		kbd_query(k, &c);
		break;
	case COMMAND_REPLY:
		kbd_reply(k, &c);
		break;
	case COMMAND_AWAY:
		kbd_local(k, CLIENT_NOTE_AWAY, c.text);
		break;
	case COMMAND_BACK:
		kbd_local(k, CLIENT_NOTE_BACK, "");
		break;
	case COMMAND_NAMES:
		kbd_local(k, CLIENT_NOTE_NAMES, "");
		break;
	case COMMAND_TOPIC:
		kbd_local(k, CLIENT_NOTE_TOPIC, "");
		break;
	case COMMAND_MOUSE:
		kbd_mouse(k);
		break;
	}
	return 0;
}

/*
 * Asks the network process to quit and waits for it (it gives bye 1 s).
 * Returns the exit status.
 */
static int
kbd_quit(struct kbd *k)
{
	struct client_note	 n;
	uint64_t		 deadline;
	int			 status = 0, st;

	client_lock(k->shared);
	k->shared->quitting = 1;
	client_unlock(k->shared);
	memset(&n, 0, sizeof(n));
	n.kind = CLIENT_NOTE_QUIT;
	snprintf(n.text, sizeof(n.text), "%s", k->quit_text);
	kbd_note(k, &n);
	deadline = clock_ms() + KBD_QUIT_WAIT_MS;
	while (clock_ms() < deadline) {
		if (kbd_reap(k, &status))
			return status;
		poll(NULL, 0, 10);	/* SIGCHLD cuts this short */
	}
	/* It hangs: a quit must not. */
	kill(k->child, SIGKILL);
	while (waitpid(k->child, &st, 0) < 0 && errno == EINTR)
		;
	return 1;
}

int
kbd_run(struct kbd *k)
{
	static char	 line[KBD_LINE_MAX];
	int		 r, status = 1;

	/* No SA_RESTART: a signal interrupts read_line's wait. */
	client_signals(kbd_signal, kbd_signal);
	kbd_catch_stops(k);
	for (;;) {
		/* Reaped every turn, not only on SIGCHLD: no race to lose. */
		kbd_got_chld = 0;
		if (kbd_reap(k, &status))
			return status;
		if (kbd_got_quit)
			return kbd_quit(k);
		if (kbd_got_winch) {
			kbd_got_winch = 0;
			k->front->resize();
		}
		if (kbd_got_tstp) {
			kbd_got_tstp = 0;
			k->front->suspend();
		}
		if (kbd_got_cont) {
			kbd_got_cont = 0;
			k->front->resume();
		}
		r = k->front->read_line(line, sizeof(line));
		if (r == 0)
			return kbd_quit(k);
		if (r == 1 && (k->line != NULL ? k->line(k, line) :
		    kbd_line(k, line)))
			return kbd_quit(k);
	}
}

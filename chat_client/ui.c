/*
 * ui: the ncursesw full-screen front end (front.h).
 *
 *   row 0            status bar          } drawn by the network process
 *   rows 1..LINES-2  message window      }
 *   row LINES-1      input line            drawn by the keyboard process
 *
 * Two processes share one terminal. The rules that keep it sane:
 *
 *  - curses is initialised once, by the keyboard process before fork(),
 *    so the network process inherits the very same state and no
 *    start-up string or first clear reaches the terminal twice (see
 *    ui_init). Only the keyboard process sets the terminal's modes back:
 *    endwin().
 *  - Each process draws only its own rows, always under client_lock,
 *    and flushes with wnoutrefresh of its own windows plus doupdate, so
 *    ncurses never emits a cell outside those rows. Scrolling
 *    optimisations (idlok) stay off: they would move the other's rows.
 *  - Before releasing the lock the terminal cursor is left at the input
 *    cursor, whose position the keyboard process keeps in the shared
 *    block (cursor_row/col). Each process has its own idea of where the
 *    terminal cursor is; after taking the lock we make it true with an
 *    absolute move (mvcur from an unknown position), so no relative
 *    motion is ever computed from a stale position.
 *  - Keys are read with poll() first, then under the lock with nodelay
 *    wget_wch, so get_wch's implicit refresh never runs unlocked.
 *  - The keyboard process asks the network process to scroll or redraw
 *    through a small ui block of our own (shared memory) and SIGWINCH,
 *    which the network process answers with front->resize().
 *  - Ctrl-Z (ui_suspend) stops the whole process group, as vim and less
 *    do, so a wrapper (make run, a script) stops with us and the shell
 *    gets the terminal back. The network process, in that group too,
 *    ignores SIGTSTP and runs on, so the session stays alive (acks,
 *    pings) and the lines that arrive are kept; but while the shared
 *    "suspended" flag
 *    is set the terminal belongs to the shell, so it writes nothing (no
 *    update, no cursor move, no bell). On fg the keyboard process takes
 *    the terminal back, clears it and asks for a full repaint.
 *
 * ncurses lives only in this file. Every string we get is sanitised.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "client.h"
#include "front.h"
#include "lineedit.h"
#include "paste.h"
#include "utf8.h"
#include "wrap.h"

#define UI_UNUSED(x)	(void)(x)

/* Kept messages; each wraps into one or more rows, so >= 2000 rows. */
#define UI_SCROLLBACK	2000
/* A composed line: marks, names and a 1000-byte text fit easily. */
#define UI_BODY_MAX	2048
/*
 * "HH:MM:SS " before every message; continuation rows indent as much,
 * except the full-width rows of a long word (wrap.h).
 */
#define UI_TIME_COLS	9
/* read_line returns -1 this often so the caller sees its flags. */
#define UI_POLL_MS	250
/* Milliseconds ncurses waits for the rest of an escape sequence. */
#define UI_ESCDELAY	25
#define UI_PROMPT	"> "
#define UI_PROMPT_COLS	2
#define UI_CTRL(c)	((c) & 0x1f)
/* Our codes for the bracketed paste marks, ESC[200~ and ESC[201~. */
#define UI_KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define UI_KEY_PASTE_END	(KEY_MAX + 2)

/* Colour pairs: names hash into the first six. */
enum {
	UI_PAIR_NAME = 1,	/* .. UI_PAIR_NAME + UI_NAME_COLOURS - 1 */
	UI_PAIR_FAILED = 7,
	UI_PAIR_ANNOUNCE = 8,
	UI_PAIR_MENTION = 9,
	UI_PAIR_STATUS = 10,
	UI_PAIR_PRIVATE = 11,
};
#define UI_NAME_COLOURS	6

enum ui_role {
	UI_KBD,
	UI_NET,
};

/*
 * What the keyboard process asks of the network process. Lives in
 * shared memory of our own; every field is guarded by client_lock.
 */
struct ui_shared {
	int		 scroll_pages;	/* + older, - newer */
	int		 scroll_end;	/* back to the newest */
	int		 redraw;	/* Ctrl-L */
	int		 suspended;	/* Ctrl-Z: the terminal is not ours */
};

/* One message of the scrollback, as front_item gave it. */
struct ui_msg {
	enum front_kind	 kind;
	time_t		 when;
	int		 own, history, mention, action;
	enum front_state state;
	uint64_t	 id;
	char		*a;		/* from, or name */
	char		*b;		/* to */
	char		*text;		/* text, or reason */
};

/* An attribute run inside a composed body. */
struct ui_span {
	size_t		 start, end;
	attr_t		 attr;
	short		 pair;
};
#define UI_MAXSPANS	6

struct ui_body {
	char		 s[UI_BODY_MAX];
	size_t		 len;
	struct ui_span	 span[UI_MAXSPANS];
	int		 nspan;
	attr_t		 base;		/* attributes of the whole line */
	short		 pair;
};

/*
 * The state of this process's half of the UI. front_ops has no context
 * argument, so it is one file-level struct (as plain.c does).
 */
struct ui {
	struct client_shared	*sh;
	struct ui_shared	*us;
	enum ui_role		 role;
	pid_t			 curses_pid;	/* who ran newterm; 0: nobody */
	int			 ended;
	int			 colour;
	int			 rows, cols;	/* the size we laid out for */
	WINDOW			*status, *msgs, *input;
	WINDOW			*shadow;	/* network: over the input row */

	/* Network process: the scrollback and how far we look back. */
	struct ui_msg		*ring;
	size_t			 first, n;
	size_t			 clear_at;	/* messages older than /clear */
	int			 scroll;	/* rows up from the newest */
	struct wrap_row		*wrows;

	/* Keyboard process: the editor and a one-shot notice. */
	struct lineedit		*le;
	struct paste		*paste;		/* a bracketed paste */
	size_t			 asking;	/* "send N lines?" shown: N */
	const char		*notice;
	char			 notice_buf[48];
	size_t			 over;		/* bytes refused since the last
						   Enter: that Enter sends nothing */
	int			 keys_left;	/* ncurses may hold typed keys */
	int			 detached;	/* told to end while stopped: the
						   terminal stays the shell's */
};

static struct ui	 ui;
static volatile sig_atomic_t ui_winch;
static volatile sig_atomic_t ui_cont;	/* SIGCONT during ui_suspend */
static volatile sig_atomic_t ui_quit_sig; /* SIGTERM, ... during ui_suspend */
/* The signals that end us, noted in ui_quit_sig while suspended. */
static const int	 ui_quits[] = { SIGTERM, SIGHUP, SIGINT };
#define UI_NQUITS	(sizeof(ui_quits) / sizeof(ui_quits[0]))

static int	 ui_init(struct client_shared *);
static void	 ui_end(void);
static int	 ui_read_line(char *, size_t);
static void	 ui_show(const struct front_item *);
static void	 ui_mark(uint64_t, enum front_state);
static void	 ui_status(void);
static void	 ui_clear(void);
static void	 ui_resize(void);
static void	 ui_stop(void);
static void	 ui_resume(void);

static int	 ui_shared_map(void);
static int	 ui_curses_start(void);
static int	 ui_term_usable(const char *);
static void	 ui_kbd_free(void);
static void	 ui_catch_winch(void);
static void	 ui_modes(void);
static void	 ui_shadow(void);
static void	 ui_colours(void);
static void	 ui_layout(void);
static void	 ui_winch_cb(int);
static void	 ui_cont_cb(int);
static void	 ui_quit_cb(int);
static void	 ui_quits_catch(struct sigaction *);
static void	 ui_quits_restore(const struct sigaction *);
static int	 ui_quit_now(int);
static void	 ui_begin(void);
static void	 ui_finish(void);
static void	 ui_cursor_to(int, int);
static void	 ui_sync_size(void);
static void	 ui_put_clipped(WINDOW *, const char *, int);
static void	 ui_draw_status(void);
static void	 ui_draw_msgs(void);
static void	 ui_draw_row(int, const struct ui_msg *, const struct ui_body *,
		    const struct wrap_row *, int);
static void	 ui_draw_input(void);
static int	 ui_net_setup(void);
static void	 ui_net_requests(void);
static void	 ui_store(const struct front_item *);
static void	 ui_msg_free(struct ui_msg *);
static struct ui_msg *ui_msg_at(size_t);
static void	 ui_compose(const struct ui_msg *, struct ui_body *);
static void	 ui_add(struct ui_body *, const char *, attr_t, short);
static short	 ui_name_pair(const char *);
static size_t	 ui_msg_rows(const struct ui_msg *, struct ui_body *);
static int	 ui_total_rows(int);
static int	 ui_gap(int);
static void	 ui_blank_rows(int, int *, int *);
static int	 ui_key(int, wint_t, char *, size_t);
static int	 ui_key_code(int, char *, size_t);
static int	 ui_key_char(wint_t, char *, size_t);
static void	 ui_insert(wint_t);
static void	 ui_escape(void);
static void	 ui_full(size_t);
static void	 ui_paste_mode(int);
static int	 ui_paste_key(int, wint_t, char *, size_t);
static void	 ui_paste_end(void);
static int	 ui_paste_answer(int, wint_t, char *, size_t);
static int	 ui_enter(char *, size_t);
static void	 ui_complete(int);
static int	 ui_more_keys(void);
static void	 ui_ask_net(int, int, int);
static void	 ui_suspend(void);
static int	 ui_foreground(void);
static int	 ui_is_foreground(void);
static void	 ui_detach(int);

const struct front_ops ui_front = {
	.init = ui_init,
	.end = ui_end,
	.read_line = ui_read_line,
	.show = ui_show,
	.mark = ui_mark,
	.status = ui_status,
	.clear = ui_clear,
	.resize = ui_resize,
	.suspend = ui_stop,
	.resume = ui_resume,
};

/*
 * Called twice, and curses starts once. The keyboard process calls it
 * before fork (net_pid still 0): it starts curses and draws the input
 * row. The network process calls it again after fork and finds that
 * state in its inherited memory: it only takes its half, the status bar
 * and the message rows. main() has already refused a locale that is not
 * UTF-8, before login.
 */
static int
ui_init(struct client_shared *shared)
{
	ui.sh = shared;
	if (ui.curses_pid != 0 && ui.curses_pid != getpid()) {
		ui.role = UI_NET;
		/* The line editor is the keyboard process's. */
		ui_kbd_free();
		return ui_net_setup();
	}
	/* Nothing to inherit: only the keyboard process, before fork. */
	if (getpid() != shared->kbd_pid || shared->net_pid != 0)
		return -1;
	ui.role = UI_KBD;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	if (ui_shared_map() < 0 || ui_curses_start() < 0)
		return -1;
	return 0;
}

/* Made before fork, so the network process inherits it. */
static int
ui_shared_map(void)
{
	void	*p;

	p = mmap(NULL, sizeof(*ui.us), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	ui.us = p;
	return 0;
}

/*
 * Starts curses in the keyboard process, before fork. The first update
 * clears the screen and draws the input row; the network process
 * inherits a screen it knows is clear and draws only its own rows.
 */
static int
ui_curses_start(void)
{
	const char	*term = getenv("TERM");

	ui_catch_winch();
	ui.le = calloc(1, sizeof(*ui.le));
	ui.paste = calloc(1, sizeof(*ui.paste));
	if (ui.le == NULL || ui.paste == NULL) {
		ui_kbd_free();
		return -1;
	}
	if (!ui_term_usable(term) || newterm(NULL, stdout, stdin) == NULL) {
		ui_kbd_free();
		/* main_front_init goes on in plain mode: say so. */
		fprintf(stderr, "chat_client: cannot start the full screen "
		    "(TERM=%s); one line per event instead, as with --plain\n",
		    term != NULL ? term : "");
		return -1;
	}
	ui.curses_pid = getpid();
	ui_modes();
	ui_colours();
	ui_layout();
	lineedit_init(ui.le);
	define_key("\033[200~", UI_KEY_PASTE_BEGIN);
	define_key("\033[201~", UI_KEY_PASTE_END);
	ui_begin();
	ui_draw_input();
	ui_finish();
	ui_paste_mode(1);
	return 0;
}

/* The keyboard process's own state: the editor and the paste. */
static void
ui_kbd_free(void)
{
	free(ui.le);
	free(ui.paste);
	ui.le = NULL;
	ui.paste = NULL;
}

/*
 * Bracketed paste on or off (xterm's mode 2004): on, the terminal wraps
 * a paste in ESC[200~ and ESC[201~, so it is one edit, not typed keys
 * (ui_paste_key). Only while the screen is ours: a shell after Ctrl-Z
 * or after we end must not get the marks. Called with nothing of
 * ncurses' left to write.
 */
static void
ui_paste_mode(int on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

/*
 * No TERM, an empty one, or "dumb" (Emacs' shell buffer, IDE consoles):
 * no cursor addressing, yet newterm accepts "dumb" and then draws a
 * screen nobody sees. Those are line-mode terminals.
 */
static int
ui_term_usable(const char *term)
{
	return term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

/*
 * ncurses installs a SIGWINCH handler of its own when none is set, and
 * then resizes inside getch/doupdate behind our back; set ours first
 * (the client's own handler, installed later, replaces it).
 */
static void
ui_catch_winch(void)
{
	struct sigaction	 sa, old;

	if (sigaction(SIGWINCH, NULL, &old) == 0 &&
	    old.sa_handler == SIG_DFL) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = ui_winch_cb;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, NULL);
	}
}

/* Terminal modes and update policy, which the network process inherits. */
static void
ui_modes(void)
{
	raw();		/* Ctrl-C is a key: it ends input like Ctrl-D */
	noecho();
	nonl();
	/*
	 * doupdate gives up half-way when keys are waiting; the network
	 * process never reads them, so its lines would wait for the next
	 * update. Always finish an update.
	 */
	typeahead(-1);
	set_escdelay(UI_ESCDELAY);
}

static void
ui_colours(void)
{
	static const short	 names[UI_NAME_COLOURS] = { COLOR_RED,
	    COLOR_GREEN, COLOR_YELLOW, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN };
	const char		*nc = getenv("NO_COLOR");
	short			 i;

	/* https://no-color.org: present and not empty means no colour. */
	ui.colour = has_colors() && (nc == NULL || *nc == '\0');
	if (!ui.colour)
		return;
	start_color();
	use_default_colors();
	for (i = 0; i < UI_NAME_COLOURS; i++)
		init_pair(UI_PAIR_NAME + i, names[i], -1);
	init_pair(UI_PAIR_FAILED, COLOR_RED, -1);
	init_pair(UI_PAIR_ANNOUNCE, COLOR_BLACK, COLOR_YELLOW);
	init_pair(UI_PAIR_MENTION, COLOR_YELLOW, -1);
	init_pair(UI_PAIR_STATUS, COLOR_WHITE, COLOR_BLUE);
	init_pair(UI_PAIR_PRIVATE, COLOR_MAGENTA, -1);
}

/* (Re)creates the three windows for the current LINES x COLS. */
static void
ui_layout(void)
{
	int	 mh = LINES - 2 > 1 ? LINES - 2 : 1;

	if (ui.status != NULL) {
		delwin(ui.status);
		delwin(ui.msgs);
		delwin(ui.input);
		delwin(ui.shadow);
	}
	ui.rows = LINES;
	ui.cols = COLS;
	ui.status = newwin(1, COLS, 0, 0);
	ui.msgs = newwin(mh, COLS, LINES > 2 ? 1 : 0, 0);
	ui.input = newwin(1, COLS, LINES - 1, 0);
	ui.shadow = newwin(1, COLS, LINES - 1, 0);
	keypad(ui.input, TRUE);
	nodelay(ui.input, TRUE);
	/* Scrolling by the terminal would move the other process's rows. */
	idlok(ui.msgs, FALSE);
	scrollok(ui.msgs, FALSE);
	leaveok(ui.status, TRUE);
	leaveok(ui.msgs, TRUE);
}

static void
ui_winch_cb(int sig)
{
	UI_UNUSED(sig);
	ui_winch = 1;
}

static void
ui_cont_cb(int sig)
{
	UI_UNUSED(sig);
	ui_cont = 1;
}

static void
ui_quit_cb(int sig)
{
	ui_quit_sig = sig;
}

/*
 * While stopped, or waiting to be the foreground job, a signal that
 * ends us is only noted (ui_quit_sig, cleared here): what it means
 * depends on where we are when we wake (ui_quit_now). old gets the
 * UI_NQUITS handlers it replaces.
 */
static void
ui_quits_catch(struct sigaction *old)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ui_quit_cb;
	for (i = 0; i < UI_NQUITS; i++)
		sigaction(ui_quits[i], &sa, &old[i]);
	ui_quit_sig = 0;
}

static void
ui_quits_restore(const struct sigaction *old)
{
	size_t	 i;

	for (i = 0; i < UI_NQUITS; i++)
		sigaction(ui_quits[i], &old[i], NULL);
}

/*
 * Acts on sig, a signal noted by ui_quits_catch (0: none): in the
 * foreground it is raised, to quit as usual with the terminal; in the
 * background ui_detach quits without it. Returns -1 once detached.
 */
static int
ui_quit_now(int sig)
{
	if (sig == 0)
		return 0;
	if (ui_is_foreground()) {
		raise(sig);
		return 0;
	}
	ui_detach(sig);
	return -1;
}

/* Takes the terminal and makes ncurses' idea of the cursor true. */
static void
ui_begin(void)
{
	int	 r, c;

	client_lock(ui.sh);
	if (ui.us->suspended)
		return;		/* draw into our windows only, not the terminal */
	ui_sync_size();
	r = ui.sh->cursor_row;
	c = ui.sh->cursor_col;
	if (r < 0 || r >= LINES || c < 0 || c >= COLS) {
		r = LINES - 1;
		c = 0;
	}
	ui_cursor_to(r, c);
}

/*
 * Moves the terminal cursor to (r, c) by absolute addressing: from an
 * unknown position mvcur never uses relative motions, nor re-prints
 * what it believes is on the screen to move right (the other process's
 * row may hold anything). mvcur writes through stdio, so flush it now,
 * before ncurses' own buffer.
 */
static void
ui_cursor_to(int r, int c)
{
	mvcur(-1, -1, r, c);
	fflush(stdout);
}

/*
 * Flushes our windows and leaves the cursor on the input line, then
 * gives the terminal back.
 */
static void
ui_finish(void)
{
	int	 r, c;

	if (ui.role == UI_KBD && ui.us->suspended) {
		/* Detached (ui_suspend): the terminal is the shell's. */
	} else if (ui.role == UI_KBD) {
		wnoutrefresh(ui.input);
		getyx(ui.input, r, c);
		ui.sh->cursor_row = LINES - 1;
		ui.sh->cursor_col = c;
		UI_UNUSED(r);
		doupdate();
	} else if (!ui.us->suspended) {
		wnoutrefresh(ui.status);
		wnoutrefresh(ui.msgs);
		ui_shadow();
		/*
		 * doupdate would reach the input cursor moving along the
		 * input row, which this process cannot see: leave the
		 * cursor where it is and then address it absolutely.
		 */
		setsyx(-1, -1);
		doupdate();
		r = ui.sh->cursor_row;
		c = ui.sh->cursor_col;
		if (r < 0 || r >= LINES || c < 0 || c >= COLS) {
			r = LINES - 1;
			c = 0;
		}
		ui_cursor_to(r, c);
	}
	client_unlock(ui.sh);
}

/*
 * doupdate optimises over the whole screen: it clears to the end of the
 * screen when the bottom rows look blank to it, and scrolls with delete
 * line when a block of rows moved down to the bottom. In the network
 * process the input row always looks blank, so both would wipe or move
 * what the user is typing. We stop that by making the input row
 * non-blank and unchanged in this process's view: the same filler in
 * its next screen (newscr) and in what it believes is on the terminal
 * (curscr). Equal rows are never written, so the filler never shows;
 * a non-blank bottom-right cell rules out clear-to-end-of-screen, and
 * an unmoved bottom row keeps every scroll inside the message rows,
 * where ncurses uses a scroll region. (The one other way the filler
 * could leak, cursor motion along that row, is ruled out in ui_finish.)
 */
static void
ui_shadow(void)
{
	mvwhline(ui.shadow, 0, 0, '~', COLS);
	wnoutrefresh(ui.shadow);
	mvwhline(curscr, LINES - 1, 0, '~', COLS);
}

/*
 * Under the lock: if the terminal's size is not the one we laid out
 * for, resize curses and our windows and redraw all of our rows. The
 * other process does the same for its rows when it next draws.
 */
static void
ui_sync_size(void)
{
	struct winsize	 ws;

	ui_winch = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 ||
	    ws.ws_col == 0)
		return;
	if (ws.ws_row == ui.rows && ws.ws_col == ui.cols)
		return;
	resize_term(ws.ws_row, ws.ws_col);
	ui_layout();
	if (ui.role == UI_KBD) {
		ui_draw_input();
		redrawwin(ui.input);
	} else {
		ui_draw_status();
		ui_draw_msgs();
		redrawwin(ui.status);
		redrawwin(ui.msgs);
	}
}

static void
ui_end(void)
{
	char	 why[sizeof(ui.sh->end_text)];
	size_t	 i;
	pid_t	 fg;
	int	 quitting;

	if (ui.ended || ui.curses_pid == 0)
		return;
	ui.ended = 1;
	if (ui.role == UI_NET) {
		/* The keyboard process owns the terminal's modes: no endwin. */
		for (i = 0; i < ui.n; i++)
			ui_msg_free(ui_msg_at(i));
		free(ui.ring);
		free(ui.wrows);
		ui.ring = NULL;
		ui.wrows = NULL;
		ui.n = 0;
		return;
	}
	client_lock(ui.sh);
	/*
	 * Ended in the background (kill %1 of a stopped job: our own
	 * Ctrl-Z, where endwin has run already, or kill -STOP, after which
	 * the shell set its own modes): the terminal is the shell's, and
	 * endwin would only stop us on SIGTTOU for good.
	 */
	fg = tcgetpgrp(STDIN_FILENO);
	if (!ui.detached && (fg == -1 || fg == getpgrp())) {
		ui_paste_mode(0);
		endwin();
	}
	quitting = ui.sh->quitting;
	snprintf(why, sizeof(why), "%s", ui.sh->end_text);
	client_unlock(ui.sh);
	/* The user did not ask to leave: the network side ended first. */
	if (why[0] != '\0')
		fprintf(stderr, "chat_client: %s\n", why);
	else if (!quitting)
		fprintf(stderr, "chat_client: the network process has ended; "
		    "terminal restored\n");
	ui_kbd_free();
}

/* ---- keyboard process ---- */

static int
ui_read_line(char *buf, size_t cap)
{
	struct pollfd	 pfd;
	wint_t		 wch;
	int		 k, r = -1, got = 0;

	if (ui.detached) {
		/* Quitting without the terminal: no key is ours to read. */
		poll(NULL, 0, UI_POLL_MS);
		return -1;
	}
	/* Pasted lines the user agreed to send, one a call. */
	if (ui.asking == 0 && paste_next(ui.paste, buf, cap))
		return 1;
	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (!ui.keys_left) {
		if (poll(&pfd, 1, UI_POLL_MS) <= 0 || ui_winch) {
			if (ui_winch) {
				ui_begin();	/* relays out if resized */
				ui_finish();
			}
			return -1;
		}
		if ((pfd.revents & (POLLHUP | POLLERR)) &&
		    !(pfd.revents & POLLIN))
			return 0;
	}
	ui.keys_left = 0;
	ui_begin();
	while (r < 0 && !ui.detached && (k = wget_wch(ui.input, &wch)) != ERR) {
		got = 1;
		r = ui_key(k, wch, buf, cap);
	}
	/* A line returned early may leave keys buffered inside ncurses. */
	ui.keys_left = r >= 0;
	ui_draw_input();
	ui_finish();
	if (!got && (pfd.revents & POLLHUP))
		return 0;
	return r;
}

/* One key: 1 a line is in buf, 0 end of input, -1 keep reading. */
static int
ui_key(int k, wint_t wch, char *buf, size_t cap)
{
	int	 r;

	if (ui.paste->on || ui.asking > 0 ||
	    (k == KEY_CODE_YES && wch == UI_KEY_PASTE_BEGIN))
		return ui_paste_key(k, wch, buf, cap);
	ui.notice = NULL;
	/* A Tab cycle lasts while Tab and Shift-Tab follow each other. */
	if (!(k == KEY_CODE_YES && (wch == KEY_BTAB || wch == KEY_RESIZE)) &&
	    !(k != KEY_CODE_YES && wch == UI_CTRL('I')))
		lineedit_complete_stop(ui.le);
	if (k == KEY_CODE_YES)
		r = ui_key_code((int)wch, buf, cap);
	else
		r = ui_key_char(wch, buf, cap);
	if (ui.le->len == 0)
		ui.over = 0;	/* nothing left of the cut line */
	return r;
}

static int
ui_key_code(int key, char *buf, size_t cap)
{
	switch (key) {
	case KEY_LEFT:
		lineedit_left(ui.le);
		break;
	case KEY_RIGHT:
		lineedit_right(ui.le);
		break;
	case KEY_HOME:
		lineedit_home(ui.le);
		break;
	case KEY_END:
		lineedit_end(ui.le);
		ui_ask_net(0, 1, 0);	/* End also means "back to newest" */
		break;
	case KEY_BACKSPACE:
		lineedit_backspace(ui.le);
		break;
	case KEY_DC:
		lineedit_delete(ui.le);
		break;
	case KEY_UP:
		lineedit_history_up(ui.le);
		break;
	case KEY_DOWN:
		lineedit_history_down(ui.le);
		break;
	case KEY_PPAGE:
		ui_ask_net(1, 0, 0);
		break;
	case KEY_NPAGE:
		ui_ask_net(-1, 0, 0);
		break;
	case KEY_BTAB:
		ui_complete(-1);
		break;
	case KEY_ENTER:
		return ui_enter(buf, cap);
	default:
		break;		/* KEY_RESIZE: ui_begin already relaid out */
	}
	return -1;
}

static int
ui_key_char(wint_t c, char *buf, size_t cap)
{
	switch (c) {
	case UI_CTRL('A'):
		lineedit_home(ui.le);
		break;
	case UI_CTRL('E'):
		lineedit_end(ui.le);
		break;
	case UI_CTRL('B'):
		lineedit_left(ui.le);
		break;
	case UI_CTRL('F'):
		lineedit_right(ui.le);
		break;
	case UI_CTRL('H'):
	case 0x7f:
		lineedit_backspace(ui.le);
		break;
	case UI_CTRL('C'):
		return 0;
	case UI_CTRL('D'):
		if (ui.le->len == 0)
			return 0;
		lineedit_delete(ui.le);
		break;
	case UI_CTRL('U'):
		lineedit_kill_start(ui.le);
		break;
	case UI_CTRL('K'):
		lineedit_kill_end(ui.le);
		break;
	case UI_CTRL('W'):
		lineedit_kill_word(ui.le);
		break;
	case UI_CTRL('Y'):
		if (lineedit_yank(ui.le) == LINEEDIT_TOO_LONG)
			ui_full(ui.le->kill_len);
		break;
	case UI_CTRL('P'):
		lineedit_history_up(ui.le);
		break;
	case UI_CTRL('N'):
		lineedit_history_down(ui.le);
		break;
	case UI_CTRL('I'):
		if (ui_more_keys()) {
			/* Pasted: a tab in the text, said as a space. */
			lineedit_complete_stop(ui.le);
			ui_insert(' ');
		} else
			ui_complete(1);
		break;
	case UI_CTRL('L'):
		clearok(curscr, TRUE);
		ui_ask_net(0, 0, 1);
		break;
	case UI_CTRL('Z'):
		ui_suspend();
		break;
	case UI_CTRL('J'):
	case UI_CTRL('M'):
		return ui_enter(buf, cap);
	case 0x1b:
		ui_escape();
		break;
	default:
		ui_insert(c);
		break;
	}
	return -1;
}

/*
 * ESC. A key that came with it (ncurses waits UI_ESCDELAY for one) is
 * Alt+key, which means nothing here: it is dropped, not typed, so
 * Alt-b does not insert a "b".
 */
static void
ui_escape(void)
{
	wint_t	 wch;

	(void)wget_wch(ui.input, &wch);
}

/* Inserts a typed character (other control keys mean nothing here). */
static void
ui_insert(wint_t c)
{
	if (c < 0x20 || c == 0x7f)
		return;
	if (lineedit_insert(ui.le, (uint32_t)c) == LINEEDIT_TOO_LONG)
		ui_full(c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
}

/*
 * A key inside a bracketed paste, or while "send N lines?" is asked.
 * Returns as ui_key does: 1 once the user agreed (buf holds the first
 * line; read_line hands out the others), else -1.
 */
static int
ui_paste_key(int k, wint_t wch, char *buf, size_t cap)
{
	if (k == KEY_CODE_YES && wch == UI_KEY_PASTE_BEGIN) {
		lineedit_complete_stop(ui.le);
		paste_begin(ui.paste);	/* a new paste replaces a question */
		ui.asking = 0;
		ui.notice = NULL;
	} else if (ui.paste->on && k == KEY_CODE_YES) {
		if (wch == UI_KEY_PASTE_END)
			ui_paste_end();
	} else if (ui.paste->on)
		paste_add(ui.paste, (uint32_t)wch);
	else if (k != KEY_CODE_YES || wch != KEY_RESIZE)
		return ui_paste_answer(k, wch, buf, cap);
	return -1;
}

/*
 * The paste is complete. One line goes into the editor as if typed
 * (nothing is sent before Enter, so a pasted /command waits too);
 * several are kept, and the input row asks before sending them.
 */
static void
ui_paste_end(void)
{
	struct paste	*p = ui.paste;
	size_t		 n, off = 0;
	uint32_t	 cp;
	int		 k;

	n = paste_end(p, ui.le->buf, ui.le->cur, ui.le->buf + ui.le->cur,
	    ui.le->len - ui.le->cur);
	if (n > 1) {
		ui.asking = n;
		snprintf(ui.notice_buf, sizeof(ui.notice_buf),
		    "send %zu lines? (y/n)", n);
		ui.notice = ui.notice_buf;
		return;
	}
	while (off < p->len && (k = utf8_decode(p->buf + off, p->len - off,
	    &cp)) > 0) {
		ui_insert(cp);
		off += (size_t)k;
	}
	if (p->dropped > 0)
		ui_full(p->dropped);
}

/* y sends the pasted lines, n (or Esc, Ctrl-C, Ctrl-G) drops them. */
static int
ui_paste_answer(int k, wint_t wch, char *buf, size_t cap)
{
	if (k != KEY_CODE_YES && (wch == 'y' || wch == 'Y')) {
		ui.asking = 0;
		ui.notice = NULL;
		lineedit_clear(ui.le);
		return paste_next(ui.paste, buf, cap) ? 1 : -1;
	}
	if (k != KEY_CODE_YES && (wch == 'n' || wch == 'N' || wch == 0x1b ||
	    wch == UI_CTRL('C') || wch == UI_CTRL('G'))) {
		if (wch == 0x1b)
			ui_escape();
		ui.asking = 0;
		paste_drop(ui.paste);
		ui.notice = "paste not sent";
		return -1;
	}
	beep();
	return -1;
}

/* The editor refused n bytes whole: say so on the input row. */
static void
ui_full(size_t n)
{
	ui.over += n;
	ui.notice = "full: 1000 bytes";
	beep();
}

/*
 * Enter. A line that lost bytes to the limit (a long paste ends with
 * its own Enter) is not sent cut: the first Enter only says how much
 * did not fit; another Enter sends what the line shows.
 */
static int
ui_enter(char *buf, size_t cap)
{
	if (ui.over > 0) {
		snprintf(ui.notice_buf, sizeof(ui.notice_buf),
		    "not sent: %zu byte%s over", ui.over,
		    ui.over == 1 ? "" : "s");
		ui.notice = ui.notice_buf;
		ui.over = 0;
		beep();
		return -1;
	}
	lineedit_accept(ui.le, buf, cap);
	return 1;
}

/*
 * Tab (dir 1) and Shift-Tab (-1): names come from the shared user list
 * (we hold the lock). A Tab that could only add the common prefix of
 * several matches beeps and says how many a further Tab cycles through.
 */
static void
ui_complete(int dir)
{
	const char	*names[CLIENT_MAX_USERS];
	char		 me[PROTO_NAME_MAX_BYTES * 3 + 1];
	size_t		 k, n;
	int		 i;

	/* Not our own name: nobody addresses or /msg's themselves. */
	utf8_sanitize(ui.sh->name, strlen(ui.sh->name), me, sizeof(me));
	for (i = 0, k = 0; i < ui.sh->nusers; i++)
		if (strcmp(ui.sh->users[i], me) != 0)
			names[k++] = ui.sh->users[i];
	n = dir > 0 ? lineedit_complete(ui.le, names, k) :
	    lineedit_complete_back(ui.le, names, k);
	if (n == 0 || ui.le->comp.shown[0] == '\0')
		beep();
	if (n > 1 && ui.le->comp.shown[0] == '\0') {
		snprintf(ui.notice_buf, sizeof(ui.notice_buf),
		    "%zu matches, Tab cycles", n);
		ui.notice = ui.notice_buf;
	}
}

/*
 * Is another key already waiting behind this one? A terminal hands over
 * a paste in one burst, while a key typed by hand comes alone: a Tab
 * with more behind it is part of a paste (a row of a table, say), and
 * completing there would glue the cells together or turn a pasted word
 * into a name. The key looked at is pushed back for the next read.
 */
static int
ui_more_keys(void)
{
	wint_t	 wch;
	int	 k;

	if ((k = wget_wch(ui.input, &wch)) == ERR)
		return 0;
	if (k == KEY_CODE_YES)
		ungetch((int)wch);
	else
		unget_wch((wchar_t)wch);
	return 1;
}

/*
 * Records a request for the network process and wakes it with SIGWINCH,
 * to which it answers with front->resize(). We hold the lock, so it
 * acts once we have finished drawing.
 */
static void
ui_ask_net(int pages, int end, int redraw)
{
	ui.us->scroll_pages += pages;
	ui.us->scroll_end |= end;
	ui.us->redraw |= redraw;
	if (ui.sh->net_pid > 0)
		kill(ui.sh->net_pid, SIGWINCH);
}

/* Keyboard process: SIGTSTP from outside (kill -TSTP), as Ctrl-Z. */
static void
ui_stop(void)
{
	if (ui.curses_pid == 0 || ui.ended || ui.role != UI_KBD || ui.detached)
		return;
	ui_begin();
	ui_suspend();
	ui_draw_input();
	ui_finish();
}

/*
 * Keyboard process: continued after a stop of the whole job we did not
 * make (kill -STOP): the shell has set the terminal to its own modes
 * and written over the screen. Our own Ctrl-Z never comes here (its
 * SIGCONT goes to ui_cont_cb).
 */
static void
ui_resume(void)
{
	if (ui.curses_pid == 0 || ui.ended || ui.role != UI_KBD || ui.detached)
		return;
	if (ui_foreground() == -1)
		return;
	ui_begin();
	reset_prog_mode();
	ui_paste_mode(1);
	clearok(curscr, TRUE);
	ui_draw_input();
	ui_ask_net(0, 0, 1);
	ui_finish();
}

/*
 * Ctrl-Z, under the lock: gives the terminal back to the shell and
 * stops until fg, then takes the terminal back and has everything
 * repainted. Raw mode makes Ctrl-Z a key, so this is our own SIGTSTP,
 * sent to our whole process group as the terminal would send it: a
 * wrapper that started us (make run's script, make itself) must stop
 * too, or it keeps the job in the foreground and the shell never gets
 * the terminal back. The network process ignores SIGTSTP
 * (ui_net_setup): it is not stopped (the session would expire after
 * three heartbeats) but only told not to draw. SIGTSTP with its
 * default action, not SIGSTOP: in an orphaned process group (no job
 * control shell) the kernel discards it and we carry on at once
 * instead of stopping for good.
 */
static void
ui_suspend(void)
{
	struct sigaction	 sa, old_tstp, old_cont, old_quit[UI_NQUITS];
	sigset_t		 set, mask;

	ui.us->suspended = 1;
	ui_paste_mode(0);
	endwin();
	fflush(stdout);
	client_unlock(ui.sh);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ui_cont_cb;
	sigaction(SIGCONT, &sa, &old_cont);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old_tstp);
	ui_quits_catch(old_quit);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_UNBLOCK, &set, &mask);
	ui_cont = 0;
	/* Stops here; SIGCONT's handler has run when kill returns. */
	kill(0, SIGTSTP);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	sigaction(SIGCONT, &old_cont, NULL);
	ui_quits_restore(old_quit);
	if (ui_quit_now(ui_quit_sig) == -1) {
		client_lock(ui.sh);
		return;
	}
	if (!ui_cont)
		ui.notice = "no job control: not stopped";
	else if (ui_foreground() == -1) {
		client_lock(ui.sh);
		return;
	}

	client_lock(ui.sh);
	ui.us->suspended = 0;
	ui_paste_mode(1);
	ui_sync_size();			/* the shell's window may have changed */
	/* The next doupdate leaves endwin's mode and redraws all our rows. */
	clearok(curscr, TRUE);
	ui_ask_net(0, 0, 1);
}

/*
 * After SIGCONT: bg resumes us without the terminal, and curses would
 * then stop us on SIGTTOU while we hold the lock, blocking the network
 * process. Stop again until we are the foreground job (what an
 * ordinary curses program shows as "Stopped (tty output)"). Returns 0
 * then, or -1 if told to end meanwhile while still in the background
 * (ui_detach has run).
 */
static int
ui_foreground(void)
{
	struct sigaction	 dfl, old, old_quit[UI_NQUITS];
	pid_t			 fg;
	int			 sig;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTTOU, &dfl, &old);
	ui_quits_catch(old_quit);
	while (ui_quit_sig == 0 && (fg = tcgetpgrp(STDIN_FILENO)) != -1 &&
	    fg != getpgrp()) {
		kill(getpid(), SIGTTOU);
		poll(NULL, 0, 100);	/* discarded (orphaned): do not spin */
	}
	sig = ui_quit_sig;
	sigaction(SIGTTOU, &old, NULL);
	ui_quits_restore(old_quit);
	/* kill %1 after bg, or after kill -STOP: SIGTERM, then SIGCONT. */
	return ui_quit_now(sig);
}

static int
ui_is_foreground(void)
{
	return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/*
 * Told to end while in the background (kill %1 sends SIGTERM, then
 * SIGCONT, to a stopped job; a hangup too): taking the terminal back
 * would only stop us again on SIGTTOU, the quit never made. The
 * terminal stays the shell's (it set its own modes when the job
 * stopped), nothing more is drawn or read by either process, and the
 * keyboard process quits as the signal asks once its own handler has
 * it. The lock is not held.
 */
static void
ui_detach(int sig)
{
	client_lock(ui.sh);
	ui.us->suspended = 1;
	client_unlock(ui.sh);
	ui.detached = 1;
	raise(sig);
}

/* The input row: prompt, the visible slice, a counter or notice. */
static void
ui_draw_input(void)
{
	char	 counter[32];
	size_t	 start, end;
	int	 right, width, col;

	if (ui.notice != NULL)
		snprintf(counter, sizeof(counter), "%s", ui.notice);
	else
		lineedit_counter(ui.le, counter, sizeof(counter));
	right = counter[0] != '\0' ? (int)strlen(counter) + 1 : 0;
	width = COLS - UI_PROMPT_COLS - right;
	if (width < 2) {
		right = 0;
		width = COLS - UI_PROMPT_COLS > 1 ? COLS - UI_PROMPT_COLS : 1;
	}
	lineedit_view(ui.le, width, &start, &end, &col);
	werase(ui.input);
	wattr_set(ui.input, A_BOLD, 0, NULL);
	mvwaddstr(ui.input, 0, 0, UI_PROMPT);
	wattr_set(ui.input, A_NORMAL, 0, NULL);
	waddnstr(ui.input, ui.le->buf + start, (int)(end - start));
	if (right > 0) {
		wattr_set(ui.input, ui.notice ? A_BOLD | A_REVERSE : A_DIM,
		    0, NULL);
		mvwaddstr(ui.input, 0, COLS - right + 1, counter);
		wattr_set(ui.input, A_NORMAL, 0, NULL);
	}
	wmove(ui.input, 0, UI_PROMPT_COLS + col < COLS ?
	    UI_PROMPT_COLS + col : COLS - 1);
}

/* ---- network process ---- */

static int
ui_net_setup(void)
{
	struct sigaction	 sa;

	/*
	 * A stop of the whole job (Ctrl-Z: ui_suspend; kill -TSTP %1)
	 * must not stop us: we keep the session alive while the keyboard
	 * process is stopped. This
	 * also drops the SIGTSTP handler ncurses set up before fork, which
	 * would write to the terminal from here.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	ui.ring = calloc(UI_SCROLLBACK, sizeof(*ui.ring));
	ui.wrows = calloc(UI_BODY_MAX, sizeof(*ui.wrows));
	if (ui.ring == NULL || ui.wrows == NULL)
		return -1;
	ui.first = ui.n = 0;
	ui.scroll = 0;
	ui_begin();
	ui_draw_status();
	ui_draw_msgs();
	ui_finish();
	return 0;
}

static void
ui_show(const struct front_item *item)
{
	struct ui_body	 body;
	int		 ring;

	int		 h, gap;

	if (ui.ring == NULL)
		return;
	h = getmaxy(ui.msgs);
	gap = ui_gap(h);
	ui_store(item);
	ui_begin();
	if (ui.scroll > 0)	/* keep the lines being read in place */
		ui.scroll += (int)ui_msg_rows(ui_msg_at(ui.n - 1), &body) -
		    (gap - ui_gap(h));
	ui_draw_msgs();
	ring = !item->history && (item->kind == FRONT_ANNOUNCE ||
	    item->kind == FRONT_MSG_IN || (item->mention && !item->own));
	if (ring && !ui.us->suspended)
		beep();
	ui_finish();
}

static void
ui_mark(uint64_t id, enum front_state state)
{
	struct ui_msg	*m;
	size_t		 i;

	for (i = ui.n; i > 0; i--) {
		m = ui_msg_at(i - 1);
		if (m->own && m->id == id) {
			m->state = state;
			break;
		}
	}
	ui_begin();
	ui_draw_msgs();
	ui_finish();
}

static void
ui_status(void)
{
	if (ui.ring == NULL)
		return;
	ui_begin();
	ui_draw_status();
	ui_finish();
}

/*
 * /clear, as irssi's: the view is emptied, the scrollback kept. The
 * messages so far are pushed up out of view by blank rows (ui_gap)
 * that the next messages take over; PageUp reaches the old ones.
 */
static void
ui_clear(void)
{
	ui.clear_at = ui.n;
	ui.scroll = 0;
	ui_begin();
	ui_draw_msgs();
	ui_finish();
}

/*
 * Blank rows between the messages older than /clear and the newer
 * ones: as many as the newer ones leave empty of a window h rows high,
 * so the old ones stay just out of view until newer ones fill it.
 */
static int
ui_gap(int h)
{
	struct ui_body	 b;
	size_t		 i;
	int		 rows = 0;

	if (ui.clear_at == 0)
		return 0;
	for (i = ui.n; i > ui.clear_at && rows < h; i--)
		rows += (int)ui_msg_rows(ui_msg_at(i - 1), &b);
	return rows < h ? h - rows : 0;
}

/* Either process: SIGWINCH (a resize, or the keyboard process asks). */
static void
ui_resize(void)
{
	if (ui.curses_pid == 0 || ui.ended)
		return;
	ui_begin();
	if (ui.role == UI_NET) {
		ui_net_requests();
		ui_draw_status();
		ui_draw_msgs();
	} else
		ui_draw_input();
	ui_finish();
}

/* Under the lock: scroll and redraw requests from the keyboard. */
static void
ui_net_requests(void)
{
	int	 h = getmaxy(ui.msgs), step = h > 2 ? h - 1 : 1, total;

	if (ui.us->redraw) {
		redrawwin(ui.status);
		redrawwin(ui.msgs);
	}
	if (ui.us->scroll_end)
		ui.scroll = 0;
	ui.scroll += ui.us->scroll_pages * step;
	total = ui_total_rows(h);
	if (ui.scroll > total - h)
		ui.scroll = total - h;
	if (ui.scroll < 0)
		ui.scroll = 0;
	ui.us->redraw = ui.us->scroll_end = ui.us->scroll_pages = 0;
}

static void
ui_store(const struct front_item *it)
{
	struct ui_msg	*m;
	const char	*a, *t;

	if (ui.n == UI_SCROLLBACK) {
		ui_msg_free(ui_msg_at(0));
		ui.first = (ui.first + 1) % UI_SCROLLBACK;
		ui.n--;
		if (ui.clear_at > 0)
			ui.clear_at--;
	}
	m = ui_msg_at(ui.n);
	memset(m, 0, sizeof(*m));
	m->kind = it->kind;
	m->when = it->when;
	m->own = it->own;
	m->history = it->history;
	m->mention = it->mention;
	m->action = it->action;
	m->state = it->state;
	m->id = it->id;
	a = it->kind == FRONT_JOIN || it->kind == FRONT_LEAVE ? it->name :
	    it->from;
	t = it->kind == FRONT_LEAVE ? it->reason : it->text;
	m->a = strdup(a != NULL ? a : "");
	m->b = strdup(it->to != NULL ? it->to : "");
	m->text = strdup(t != NULL ? t : "");
	if (m->a == NULL || m->b == NULL || m->text == NULL) {
		ui_msg_free(m);
		return;		/* out of memory: drop the line, not us */
	}
	ui.n++;
}

static void
ui_msg_free(struct ui_msg *m)
{
	free(m->a);
	free(m->b);
	free(m->text);
	m->a = m->b = m->text = NULL;
}

/* The i-th kept message, oldest first. */
static struct ui_msg *
ui_msg_at(size_t i)
{
	return &ui.ring[(ui.first + i) % UI_SCROLLBACK];
}

/*
 * The text of a message after its time, with attribute runs: marks
 * spelled out in words so a monochrome terminal loses nothing.
 */
static void
ui_compose(const struct ui_msg *m, struct ui_body *b)
{
	short	 np = ui_name_pair(m->a), fail = UI_PAIR_FAILED;

	b->len = 0;
	b->nspan = 0;
	b->s[0] = '\0';
	b->base = m->history ? A_DIM : A_NORMAL;
	b->pair = 0;
	if (m->history)
		ui_add(b, "[history] ", A_DIM, 0);
	if (m->own && m->state == FRONT_FAILED) {
		b->pair = UI_PAIR_FAILED;
		ui_add(b, "[not delivered] ", A_BOLD, fail);
	}
	switch (m->kind) {
	case FRONT_CHAT:
		ui_add(b, m->action ? "* " : "<", A_NORMAL, 0);
		ui_add(b, m->a, A_BOLD, np);
		ui_add(b, m->action ? " " : "> ", A_NORMAL, 0);
		ui_add(b, m->text, m->mention && !m->own ? A_BOLD | A_STANDOUT :
		    A_NORMAL, m->mention && !m->own ? UI_PAIR_MENTION : 0);
		break;
	case FRONT_MSG_IN:
		/* Said to us alone: it stands out (and rings) as a mention. */
		ui_add(b, "[private] *", A_BOLD, UI_PAIR_PRIVATE);
		ui_add(b, m->a, A_BOLD, np);
		ui_add(b, "* ", A_BOLD, UI_PAIR_PRIVATE);
		ui_add(b, m->text, A_BOLD | A_STANDOUT, UI_PAIR_MENTION);
		break;
	case FRONT_MSG_OUT:
		ui_add(b, "[private] -> *", A_BOLD, UI_PAIR_PRIVATE);
		ui_add(b, m->b, A_BOLD, ui_name_pair(m->b));
		ui_add(b, "* ", A_BOLD, UI_PAIR_PRIVATE);
		ui_add(b, m->text, A_NORMAL, 0);
		break;
	case FRONT_JOIN:
		ui_add(b, "-- ", A_DIM, 0);
		ui_add(b, m->a, A_DIM, np);
		ui_add(b, " joined", A_DIM, 0);
		break;
	case FRONT_LEAVE:
		ui_add(b, "-- ", A_DIM, 0);
		ui_add(b, m->a, A_DIM, np);
		ui_add(b, " left", A_DIM, 0);
		if (m->text[0] != '\0') {
			ui_add(b, " (", A_DIM, 0);
			ui_add(b, m->text, A_DIM, 0);
			ui_add(b, ")", A_DIM, 0);
		}
		break;
	case FRONT_RENAME:
		ui_add(b, "-- ", A_DIM, 0);
		ui_add(b, m->a, A_DIM, np);
		ui_add(b, " is now ", A_DIM, 0);
		ui_add(b, m->b, A_DIM, ui_name_pair(m->b));
		break;
	case FRONT_ANNOUNCE:
		ui_add(b, "!! ", A_BOLD | A_REVERSE, UI_PAIR_ANNOUNCE);
		ui_add(b, m->text, A_BOLD | A_REVERSE, UI_PAIR_ANNOUNCE);
		break;
	case FRONT_USERS:
		ui_add(b, "-- users: ", A_DIM, 0);
		ui_add(b, m->text, A_NORMAL, 0);
		break;
	case FRONT_ERROR:
		ui_add(b, "error: ", A_BOLD, fail);
		ui_add(b, m->text, A_BOLD, fail);
		break;
	case FRONT_INFO:
		ui_add(b, "-- ", A_DIM, 0);
		ui_add(b, m->text, A_DIM, 0);
		break;
	}
	/* Own lines stay dim until the server has them. */
	if (m->own && m->state == FRONT_PENDING)
		b->base |= A_DIM;
}

/* Appends s as one run, merging runs with the same look. */
static void
ui_add(struct ui_body *b, const char *s, attr_t attr, short pair)
{
	size_t		 n = strlen(s);
	struct ui_span	*sp;

	if (n > sizeof(b->s) - 1 - b->len)
		n = utf8_prefix(s, n, sizeof(b->s) - 1 - b->len);
	if (!ui.colour)
		pair = 0;
	sp = b->nspan > 0 ? &b->span[b->nspan - 1] : NULL;
	if (sp == NULL || sp->attr != attr || sp->pair != pair) {
		if (b->nspan == UI_MAXSPANS)
			return;
		sp = &b->span[b->nspan++];
		sp->start = b->len;
		sp->attr = attr;
		sp->pair = pair;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	sp->end = b->len;
}

/* A stable colour per name (FNV-1a), so a name is easy to follow. */
static short
ui_name_pair(const char *name)
{
	uint32_t	 h = 2166136261u;

	if (!ui.colour)
		return 0;
	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return (short)(UI_PAIR_NAME + h % UI_NAME_COLOURS);
}

/* Rows m takes in the message window; fills ui.wrows and b. */
static size_t
ui_msg_rows(const struct ui_msg *m, struct ui_body *b)
{
	int	 w = getmaxx(ui.msgs) - UI_TIME_COLS;
	size_t	 n;

	if (w < 1)
		w = 1;
	ui_compose(m, b);
	n = wrap(b->s, b->len, w, w, getmaxx(ui.msgs), ui.wrows, UI_BODY_MAX);
	/* Every row holds a byte at least, so this never cuts; be sure. */
	return n < UI_BODY_MAX ? n : UI_BODY_MAX;
}

/* All rows in the scrollback, counting no further than needed. */
static int
ui_total_rows(int h)
{
	struct ui_body	 b;
	size_t		 i;
	int		 total = 0, gap = ui_gap(h);

	for (i = ui.n; i > 0 && total < ui.scroll + 4 * h; i--) {
		if (i == ui.clear_at)
			total += gap;
		total += (int)ui_msg_rows(ui_msg_at(i - 1), &b);
	}
	return total;
}

/*
 * The message rows, newest at the bottom, ui.scroll rows up. Scrolled
 * back, the last row says how many messages are below the view, so
 * the count grows as new ones arrive (WeeChat's -MORE(n)-).
 */
static void
ui_draw_msgs(void)
{
	struct ui_body	 b;
	size_t		 i, nrows, r, below = 0;
	int		 h = getmaxy(ui.msgs), y = h - 1, skip = ui.scroll;
	int		 hidden, gap = ui_gap(h);
	char		 mark[64];

	werase(ui.msgs);
	for (i = ui.n; i > 0 && y >= 0; i--) {
		if (i == ui.clear_at) {
			ui_blank_rows(gap, &skip, &y);
			if (y < 0)
				break;
		}
		nrows = ui_msg_rows(ui_msg_at(i - 1), &b);
		/* Any row below the view, or under the marker, hides it. */
		hidden = ui.scroll > 0 && y == h - 1;
		for (r = nrows; r > 0 && y >= 0; r--) {
			if (skip > 0) {
				skip--;
				hidden = 1;
				continue;
			}
			ui_draw_row(y--, ui_msg_at(i - 1), &b, &ui.wrows[r - 1],
			    r == 1);
		}
		below += hidden;
	}
	if (ui.scroll > 0) {
		snprintf(mark, sizeof(mark), "-- %zu more below (End: "
		    "newest) --", below);
		wmove(ui.msgs, h - 1, 0);
		wclrtoeol(ui.msgs);
		wattr_set(ui.msgs, A_REVERSE | A_BOLD, 0, NULL);
		ui_put_clipped(ui.msgs, mark, getmaxx(ui.msgs));
		wattr_set(ui.msgs, A_NORMAL, 0, NULL);
	}
}

/* n blank rows going up from row *y, the first *skip below the view. */
static void
ui_blank_rows(int n, int *skip, int *y)
{
	int	 k = n < *skip ? n : *skip;

	*skip -= k;
	*y -= n - k;
}

/* One row of a message; the first shows the time. */
static void
ui_draw_row(int y, const struct ui_msg *m, const struct ui_body *b,
    const struct wrap_row *row, int first)
{
	char		 t[16];
	struct tm	 tm;
	size_t		 from, to;
	int		 i;

	wmove(ui.msgs, y, 0);
	if (first && localtime_r(&m->when, &tm) != NULL) {
		strftime(t, sizeof(t), "%H:%M:%S ", &tm);
		wattr_set(ui.msgs, A_DIM, 0, NULL);
		waddnstr(ui.msgs, t, UI_TIME_COLS);
	}
	/* A long word's rows start at column 0: selected whole, no gaps. */
	wmove(ui.msgs, y, row->full ? 0 : UI_TIME_COLS);
	for (i = 0; i < b->nspan; i++) {
		from = b->span[i].start > row->off ? b->span[i].start :
		    row->off;
		to = b->span[i].end < row->off + row->len ? b->span[i].end :
		    row->off + row->len;
		if (from >= to)
			continue;
		wattr_set(ui.msgs, b->span[i].attr | b->base,
		    b->pair ? b->pair : b->span[i].pair, NULL);
		waddnstr(ui.msgs, b->s + from, (int)(to - from));
	}
	wattr_set(ui.msgs, A_NORMAL, 0, NULL);
}

/* Writes s, cutting it at a character that would pass maxcols. */
static void
ui_put_clipped(WINDOW *w, const char *s, int maxcols)
{
	size_t	 len = strlen(s), off = 0;
	uint32_t cp;
	int	 n, cols = 0, cw;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n <= 0)
			break;
		cw = utf8_cp_width(cp);
		if (cols + cw > maxcols)
			break;
		cols += cw;
		off += (size_t)n;
	}
	waddnstr(w, s, (int)off);
}

/* " state  #room  name  N online  server" as a bar. */
static void
ui_draw_status(void)
{
	static const char *const states[] = { "connected", "reconnecting...",
	    "no answer from server" };
	char		 line[512];
	const char	*st;
	int		 users = ui.sh->nusers + ui.sh->more_users;

	st = ui.sh->conn <= FRONT_NO_ANSWER ? states[ui.sh->conn] : "?";
	if (ui.sh->conn_text[0] != '\0')	/* the reason, if netproc has one */
		st = ui.sh->conn_text;
	/*
	 * Most telling first: the state ("no answer from server" must never
	 * be cut); a narrow terminal cuts the server address.
	 */
	snprintf(line, sizeof(line), " %s  #%s  %s  %d online  %s", st,
	    ui.sh->room[0] ? ui.sh->room : "chat", ui.sh->name, users,
	    ui.sh->server);
	/* Reverse video reads as a bar on any terminal; colour if allowed. */
	wbkgdset(ui.status, ' ' | (ui.colour ? COLOR_PAIR(UI_PAIR_STATUS) :
	    A_REVERSE));
	werase(ui.status);
	wattr_set(ui.status, (ui.colour ? A_NORMAL : A_REVERSE) |
	    (ui.sh->conn != FRONT_CONNECTED ? A_BOLD : 0),
	    ui.colour ? UI_PAIR_STATUS : 0, NULL);
	wmove(ui.status, 0, 0);
	ui_put_clipped(ui.status, line, COLS);
	wattr_set(ui.status, A_NORMAL, 0, NULL);
}

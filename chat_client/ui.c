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
 * ncurses lives only in the ui files: this one (set-up, the terminal
 * lock, resizing, suspending), ui_input.c (the keyboard process's keys
 * and input row), ui_msgs.c (the scrollback and the message rows),
 * ui_names.c (the list of names beside them) and ui_status.c (the
 * status bar and the once-a-turn flush); ui_priv.h is what they share. Every string we get is sanitised.
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
#include "command.h"
#include "compose.h"
#include "front.h"
#include "lineedit.h"
#include "paste.h"
#include "ui_priv.h"
#include "utf8.h"
#include "wrap.h"

struct ui		 ui;
volatile sig_atomic_t	 ui_winch;
static volatile sig_atomic_t ui_cont;	/* SIGCONT during ui_suspend */
static volatile sig_atomic_t ui_quit_sig; /* SIGTERM, ... during ui_suspend */
/* The signals that end us, noted in ui_quit_sig while suspended. */
static const int	 ui_quits[] = { SIGTERM, SIGHUP, SIGINT };
#define UI_NQUITS	(sizeof(ui_quits) / sizeof(ui_quits[0]))

static int	 ui_init(struct client_shared *);
static int	 ui_shared_map(void);
static int	 ui_curses_start(void);
static void	 ui_kbd_free(void);
static void	 ui_report_modes(int);
static int	 ui_term_usable(const char *);
static void	 ui_catch_winch(void);
static void	 ui_commands(void);
static void	 ui_modes(void);
static void	 ui_colours(void);
static void	 ui_layout(void);
static void	 ui_winch_cb(int);
static void	 ui_cont_cb(int);
static void	 ui_quit_cb(int);
static void	 ui_quits_catch(struct sigaction *);
static void	 ui_quits_restore(const struct sigaction *);
static int	 ui_quit_now(int);
static void	 ui_cursor_to(int, int);
static void	 ui_shadow(void);
static void	 ui_sync_size(void);
static void	 ui_end(void);
static void	 ui_stop(void);
static void	 ui_resume(void);
static int	 ui_foreground(void);
static int	 ui_is_foreground(void);
static void	 ui_detach(int);
static int	 ui_net_setup(void);
static void	 ui_resize(void);

const struct front_ops ui_front = {
	.init = ui_init,
	.end = ui_end,
	.read_line = ui_read_line,
	.show = ui_show,
	.mark = ui_mark,
	.status = ui_status,
	.clear = ui_clear,
	.search = ui_search,
	.resize = ui_resize,
	.flush = ui_flush,
	.names = ui_names,
	.suspend = ui_stop,
	.resume = ui_resume,
	.mouse = ui_mouse,
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
	ui_commands();
	define_key("\033[200~", UI_KEY_PASTE_BEGIN);
	define_key("\033[201~", UI_KEY_PASTE_END);
	define_key("\033[I", UI_KEY_FOCUS_IN);
	define_key("\033[O", UI_KEY_FOCUS_OUT);
	ui_begin();
	ui_draw_input();
	ui_finish();
	ui_report_modes(1);
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
 * What the terminal reports, on or off: bracketed paste (xterm's mode
 * 2004: a paste comes wrapped in ESC[200~ and ESC[201~, so it is one
 * edit, not typed keys: ui_paste_key) and focus (mode 1004: ESC[I and
 * ESC[O when the window gains and loses focus, for the unread marker).
 * Only while the screen is ours: a shell after Ctrl-Z or after we end
 * must not get them. Called with nothing of ncurses' left to write.
 */
static void
ui_report_modes(int on)
{
	fputs(on ? "\033[?2004h\033[?1004h" : "\033[?1004l\033[?2004l",
	    stdout);
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

/* Tab completes the commands of the table (command.c), no other list. */
static void
ui_commands(void)
{
	size_t	 n;

	n = command_names(ui.commands, COMMAND_NAMES_MAX);
	if (n > COMMAND_NAMES_MAX)
		n = COMMAND_NAMES_MAX;
	lineedit_set_commands(ui.le, ui.commands, n);
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
	/*
	 * The wheel scrolls (ui_input.c). Asking for it has the terminal
	 * report clicks too, so selecting text takes Shift+drag, as in
	 * WeeChat with its mouse on; no click means anything here. /mouse
	 * turns it off (ui_mouse).
	 */
	mousemask(UI_MOUSE_EVENTS, NULL);
	mouseinterval(0);
}

static void
ui_colours(void)
{
	static const short	 names[UI_NAME_COLOURS] = { COLOR_RED,
	    COLOR_GREEN, COLOR_YELLOW, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN };
	const char		*nc = getenv("NO_COLOR");
	short			 i;

	/*
	 * https://no-color.org: present and not empty means no colour; so
	 * does colour = off in client.conf.
	 */
	ui.colour = has_colors() && (nc == NULL || *nc == '\0') &&
	    !ui.sh->colour_off;
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
void
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
void
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
		ui_debug_draws();
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
		ui_report_modes(0);
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
	ui_report_modes(1);
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
void
ui_suspend(void)
{
	struct sigaction	 sa, old_tstp, old_cont, old_quit[UI_NQUITS];
	sigset_t		 set, mask;

	ui.us->suspended = 1;
	ui_report_modes(0);
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
	ui.us->unfocused = 0;	/* fg was typed here: the window has focus */
	ui_report_modes(1);
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
		ui.dirty = 0;
	} else
		ui_draw_input();
	ui_finish();
}

/*
 * ui_input: the keyboard process's half of the full screen (ui.c says
 * how the two processes share the terminal): keys read under the lock,
 * the line editor, Tab completion, bracketed paste, and the input row;
 * the wheel, focus reports and F2 become requests to the network
 * process (ui_ask_net).
 * All keys read in one turn are drawn once, at the end of the turn.
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

static int	 ui_key(int, wint_t, char *, size_t);
static int	 ui_key_code(int, char *, size_t);
static int	 ui_key_char(wint_t, char *, size_t);
static void	 ui_escape(void);
static void	 ui_insert(wint_t);
static int	 ui_paste_key(int, wint_t, char *, size_t);
static void	 ui_paste_end(void);
static int	 ui_paste_answer(int, wint_t, char *, size_t);
static void	 ui_full(size_t);
static int	 ui_enter(char *, size_t);
static int	 ui_search_key(char *, size_t);
static void	 ui_complete(int);
static int	 ui_more_keys(void);
static void	 ui_focus(int);
static void	 ui_wheel(void);

int
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

	if (k == KEY_CODE_YES && (wch == UI_KEY_FOCUS_IN ||
	    wch == UI_KEY_FOCUS_OUT)) {
		ui_focus(wch == UI_KEY_FOCUS_IN);
		return -1;
	}
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
	case KEY_MOUSE:
		ui_wheel();
		break;
	case KEY_F(2):
		ui.us->names = !ui.us->names;
		ui_ask_net(0, 0, 0);
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
		if (!ui.brackets && ui_more_keys()) {
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
	case UI_CTRL('R'):
		return ui_search_key(buf, cap);
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
		ui.brackets = 1;
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
 * Ctrl-R: /search for what the input line holds, which stays there to
 * be typed on; each Ctrl-R goes further back (the line empty: the last
 * text again), as a shell's reverse search does.
 */
static int
ui_search_key(char *buf, size_t cap)
{
	snprintf(buf, cap, "/search %.*s", (int)ui.le->len, ui.le->buf);
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
 * Only a guess, for terminals that do not mark pastes: a busy machine
 * can hand over a typed Tab with the next key. Once the terminal has
 * marked one paste (ui.brackets) it is not asked.
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
 * The terminal gained or lost focus (mode 1004, ui.c): lines that come
 * while it is away get the unread marker and are counted.
 */
static void
ui_focus(int in)
{
	ui.us->unfocused = !in;
	ui_ask_net(0, 0, 0);
}

/* A mouse event: the wheel scrolls, clicks mean nothing. */
static void
ui_wheel(void)
{
	MEVENT	 ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		ui_ask_rows(UI_WHEEL_ROWS);
	else if (ev.bstate & BUTTON5_PRESSED)
		ui_ask_rows(-UI_WHEEL_ROWS);
}

/*
 * /mouse: the mouse reports off, so that a plain drag selects text and
 * the wheel is the terminal's again, or on again. Returns 1 if on.
 */
int
ui_mouse(void)
{
	int	 on;

	if (ui.curses_pid == 0 || ui.ended)
		return 0;
	ui_begin();
	ui.mouse_off = !ui.mouse_off;
	on = !ui.mouse_off;
	mousemask(on ? UI_MOUSE_EVENTS : 0, NULL);
	ui_finish();
	return on;
}

/* As ui_ask_net, rows at a time (the wheel). */
void
ui_ask_rows(int rows)
{
	ui.us->scroll_rows += rows;
	ui_ask_net(0, 0, 0);
}

/*
 * Records a request for the network process and wakes it with SIGWINCH,
 * to which it answers with front->resize(). We hold the lock, so it
 * acts once we have finished drawing.
 */
void
ui_ask_net(int pages, int end, int redraw)
{
	ui.us->scroll_pages += pages;
	ui.us->scroll_end |= end;
	ui.us->redraw |= redraw;
	if (ui.sh->net_pid > 0)
		kill(ui.sh->net_pid, SIGWINCH);
}

/* The input row: prompt, the visible slice, a counter or notice. */
void
ui_draw_input(void)
{
	char	 counter[32], shown[LINEEDIT_SHOWN_MAX];
	size_t	 start, end, n;
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
	n = lineedit_shown(ui.le, start, end, shown, sizeof(shown));
	werase(ui.input);
	wattr_set(ui.input, A_BOLD, 0, NULL);
	mvwaddstr(ui.input, 0, 0, UI_PROMPT);
	wattr_set(ui.input, A_NORMAL, 0, NULL);
	waddnstr(ui.input, shown, (int)n);
	if (right > 0) {
		wattr_set(ui.input, ui.notice ? A_BOLD | A_REVERSE : A_DIM,
		    0, NULL);
		mvwaddstr(ui.input, 0, COLS - right + 1, counter);
		wattr_set(ui.input, A_NORMAL, 0, NULL);
	}
	wmove(ui.input, 0, UI_PROMPT_COLS + col < COLS ?
	    UI_PROMPT_COLS + col : COLS - 1);
}

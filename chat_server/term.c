/*
 * term: the console at a terminal (term.h). The screen is plain VT100:
 * the prompt is one line, redrawn with CR, the text and "erase to end of
 * line"; the edited text scrolls sideways in it (lineedit_view). What the
 * line holds is always valid UTF-8 without controls or bidi controls
 * (lineedit's invariant); it is written as lineedit_shown draws it, a
 * default-ignorable character as U+FFFD, as the client's input row.
 *
 * Raw mode here keeps ISIG (Ctrl-C stops the server, Ctrl-Z suspends
 * it) and output processing (a log line's "\n" is CR LF), and turns
 * off IXON: a Ctrl-S would otherwise hold every write of the server to
 * its terminal, and with them the whole room.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lineedit.h"
#include "term.h"
#include "utf8.h"

#define TERM_COLS_DEFAULT	80
#define TERM_DRAW_MAX		(LINEEDIT_SHOWN_MAX + 256)

static enum term_keycode term_skip(struct term_keys *, unsigned char,
		    uint32_t *);
static enum term_keycode term_escape(struct term_keys *, unsigned char,
		    uint32_t *);
static enum term_keycode term_utf8(struct term_keys *, unsigned char,
		    uint32_t *);
static enum term_keycode term_control(unsigned char);
static enum term_keycode term_sequence(const unsigned char *, size_t);
static bool	 term_foreground(int);
static void	 term_write(int, const char *, size_t);
static void	 term_draw(struct term *);
static void	 term_hide(struct term *);
static void	 term_key_do(struct term *, enum term_keycode, uint32_t);
static void	 term_enter(struct term *);
static void	 term_tab(struct term *, int);
static void	 term_bell(struct term *);

/* ---- keys ---- */

enum term_keycode
term_key(struct term_keys *k, unsigned char c, uint32_t *cp)
{
	if (k->skip != 0)
		return term_skip(k, c, cp);
	if (k->len > 0 && k->seq[0] == 0x1b)
		return term_escape(k, c, cp);
	if (k->len > 0)
		return term_utf8(k, c, cp);
	if (c == 0x1b) {
		k->seq[0] = c;
		k->len = 1;
		return TERM_NONE;
	}
	if (c < 0x20 || c == 0x7f)
		return term_control(c);
	if (c < 0x80) {
		*cp = c;
		return TERM_CHAR;
	}
	k->want = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xc2 && c <= 0xdf ? 2 : 0;
	if (k->want == 0)
		return TERM_NONE;	/* not a first byte: dropped */
	k->seq[0] = c;
	k->len = 1;
	return TERM_NONE;
}

/*
 * The rest of a sequence that means nothing here: a CSI too long to
 * keep, up to its final byte; a string (OSC, DCS, APC, PM, SOS: what a
 * terminal may answer to a query) up to BEL or ST.
 */
static enum term_keycode
term_skip(struct term_keys *k, unsigned char c, uint32_t *cp)
{
	if (k->skip == TERM_SKIP_CSI) {
		if (c >= 0x40 && c <= 0x7e)
			k->skip = 0;
		else if (c < 0x20) {
			k->skip = 0;
			return term_key(k, c, cp);
		}
		return TERM_NONE;
	}
	if (c == 0x07 || c == 0x1b) {
		/* ESC: the ST's first byte; its '\\' is then dropped. */
		k->skip = 0;
		if (c == 0x1b)
			return term_key(k, c, cp);
	}
	return TERM_NONE;
}

/* A byte after ESC. */
static enum term_keycode
term_escape(struct term_keys *k, unsigned char c, uint32_t *cp)
{
	size_t	 n;

	if (k->len == 1) {
		if (c == '[' || c == 'O') {
			k->seq[k->len++] = c;
			return TERM_NONE;
		}
		/* Alt with an arrow (ESC ESC [ A): the arrow. */
		if (c == 0x1b)
			return TERM_NONE;
		k->len = 0;
		if (strchr("]P_^X", c) != NULL)
			k->skip = TERM_SKIP_STRING;
		/* Alt-key, or a lone Esc: nothing, not even the key. */
		return TERM_NONE;
	}
	if (c < 0x20) {
		/* Not a sequence after all (Esc [ then Enter): the key. */
		k->len = 0;
		return term_key(k, c, cp);
	}
	k->seq[k->len++] = c;
	/* SS3 takes one final byte; CSI ends at 0x40-0x7e. */
	if ((k->seq[1] == 'O' && k->len == 3) ||
	    (k->seq[1] == '[' && c >= 0x40 && c <= 0x7e)) {
		n = k->len;
		k->len = 0;
		return term_sequence(k->seq, n);
	}
	if (c > 0x7e || k->len == sizeof(k->seq)) {
		k->len = 0;
		k->skip = TERM_SKIP_CSI;
	}
	return TERM_NONE;
}

/* A byte inside a UTF-8 character. */
static enum term_keycode
term_utf8(struct term_keys *k, unsigned char c, uint32_t *cp)
{
	int	 n;

	if ((c & 0xc0) != 0x80) {
		k->len = 0;
		return term_key(k, c, cp);
	}
	k->seq[k->len++] = c;
	if (k->len < k->want)
		return TERM_NONE;
	n = utf8_decode((const char *)k->seq, k->len, cp);
	k->len = 0;
	return n == (int)k->want ? TERM_CHAR : TERM_NONE;
}

/* The emacs keys readline and the chat client share. */
static enum term_keycode
term_control(unsigned char c)
{
	switch (c) {
	case 0x01:	return TERM_HOME;	/* Ctrl-A */
	case 0x02:	return TERM_LEFT;	/* Ctrl-B */
	case 0x04:	return TERM_DELETE;	/* Ctrl-D */
	case 0x05:	return TERM_END;	/* Ctrl-E */
	case 0x06:	return TERM_RIGHT;	/* Ctrl-F */
	case 0x08:	return TERM_BACKSPACE;	/* Ctrl-H */
	case 0x09:	return TERM_TAB;
	case 0x0a:	return TERM_ENTER;
	case 0x0b:	return TERM_KILL_END;	/* Ctrl-K */
	case 0x0c:	return TERM_REDRAW;	/* Ctrl-L */
	case 0x0d:	return TERM_ENTER;
	case 0x0e:	return TERM_DOWN;	/* Ctrl-N */
	case 0x10:	return TERM_UP;		/* Ctrl-P */
	case 0x15:	return TERM_KILL_START;	/* Ctrl-U */
	case 0x17:	return TERM_KILL_WORD;	/* Ctrl-W */
	case 0x19:	return TERM_YANK;	/* Ctrl-Y */
	case 0x7f:	return TERM_BACKSPACE;
	default:	return TERM_NONE;
	}
}

/* A whole ESC [ ... or ESC O x: the key it is, or TERM_NONE. */
static enum term_keycode
term_sequence(const unsigned char *s, size_t len)
{
	unsigned char	 fin = s[len - 1];
	int		 num;

	switch (fin) {
	case 'A':	return TERM_UP;
	case 'B':	return TERM_DOWN;
	case 'C':	return TERM_RIGHT;
	case 'D':	return TERM_LEFT;
	case 'H':	return TERM_HOME;
	case 'F':	return TERM_END;
	case 'Z':	return TERM_BACKTAB;
	case '~':
		num = atoi((const char *)s + 2);
		if (num == 1 || num == 7)
			return TERM_HOME;
		if (num == 4 || num == 8)
			return TERM_END;
		if (num == 3)
			return TERM_DELETE;
		return TERM_NONE;	/* Insert, Page Up/Down, F5..., paste */
	default:
		return TERM_NONE;
	}
}

/* ---- the terminal ---- */

void
term_init(struct term *t)
{
	memset(t, 0, sizeof(*t));
	t->in = t->out = -1;
}

static bool
term_foreground(int fd)
{
	pid_t	 pg;

	return (pg = tcgetpgrp(fd)) != -1 && pg == getpgrp();
}

int
term_start(struct term *t, int in, int out, const char *prompt,
    term_line_cb line_cb, term_names_cb names_cb, void *arg)
{
	struct termios	 raw;

	if (t->on || !isatty(in) || !isatty(out) || !term_foreground(in) ||
	    tcgetattr(in, &t->saved) == -1)
		return -1;
	if (t->le == NULL) {
		if ((t->le = calloc(1, sizeof(*t->le))) == NULL)
			return -1;
		lineedit_init(t->le);
	}
	raw = t->saved;
	raw.c_lflag &= ~(ICANON | ECHO | IEXTEN);
	raw.c_iflag &= ~(IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSAFLUSH, &raw) == -1)
		return -1;
	t->in = in;
	t->out = out;
	t->prompt = prompt;
	t->line_cb = line_cb;
	t->names_cb = names_cb;
	t->arg = arg;
	t->on = true;
	t->keys.len = 0;
	term_draw(t);
	return 0;
}

void
term_stop(struct term *t)
{
	if (!t->on)
		return;
	term_hide(t);
	tcsetattr(t->in, TCSAFLUSH, &t->saved);
	t->on = false;
}

void
term_free(struct term *t)
{
	term_stop(t);
	free(t->le);
	t->le = NULL;
}

/* All of buf, through EINTR; a terminal that fails is left alone. */
static void
term_write(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* The prompt line: prompt, the visible part of the text, the cursor. */
static void
term_draw(struct term *t)
{
	struct winsize	 ws;
	char		 buf[TERM_DRAW_MAX], shown[LINEEDIT_SHOWN_MAX];
	size_t		 start, end, len;
	int		 cols, pw, col, n;

	cols = ioctl(t->out, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ?
	    ws.ws_col : TERM_COLS_DEFAULT;
	pw = (int)utf8_width(t->prompt, strlen(t->prompt));
	lineedit_view(t->le, cols - pw - 1, &start, &end, &col);
	len = lineedit_shown(t->le, start, end, shown, sizeof(shown));
	n = snprintf(buf, sizeof(buf), "\r%s%.*s\033[K\r", t->prompt,
	    (int)len, shown);
	if (n > 0 && (size_t)n < sizeof(buf) && pw + col > 0)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "\033[%dC",
		    pw + col);
	if (n > 0 && (size_t)n < sizeof(buf))
		term_write(t->out, buf, (size_t)n);
	t->shown = true;
}

static void
term_hide(struct term *t)
{
	if (t->shown)
		term_write(t->out, "\r\033[K", 4);
	t->shown = false;
}

void
term_print(struct term *t, int fd, const char *buf, size_t len)
{
	/* A log sent to a file (2>log) does not touch the screen. */
	if (!t->on || (fd != t->out && !isatty(fd))) {
		term_write(fd, buf, len);
		return;
	}
	term_hide(t);
	term_write(fd, buf, len);
	term_draw(t);
}

void
term_redraw(struct term *t)
{
	if (t->on)
		term_draw(t);
}

int
term_read(struct term *t)
{
	unsigned char	 buf[256];
	enum term_keycode k;
	uint32_t	 cp;
	ssize_t		 n, i;

	if ((n = read(t->in, buf, sizeof(buf))) == -1 &&
	    (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	for (i = 0; i < n && t->on; i++) {
		if ((k = term_key(&t->keys, buf[i], &cp)) != TERM_NONE)
			term_key_do(t, k, cp);
	}
	if (t->on)
		term_draw(t);
	return 0;
}

/* One key on the line. */
static void
term_key_do(struct term *t, enum term_keycode k, uint32_t cp)
{
	struct lineedit	*le = t->le;

	if (k != TERM_TAB && k != TERM_BACKTAB)
		lineedit_complete_stop(le);
	switch (k) {
	case TERM_CHAR:
		if (lineedit_insert(le, cp) != LINEEDIT_OK)
			term_bell(t);
		break;
	case TERM_ENTER:	term_enter(t);			break;
	case TERM_TAB:		term_tab(t, 1);			break;
	case TERM_BACKTAB:	term_tab(t, -1);		break;
	case TERM_BACKSPACE:	lineedit_backspace(le);		break;
	case TERM_DELETE:	lineedit_delete(le);		break;
	case TERM_LEFT:		lineedit_left(le);		break;
	case TERM_RIGHT:	lineedit_right(le);		break;
	case TERM_UP:		lineedit_history_up(le);	break;
	case TERM_DOWN:		lineedit_history_down(le);	break;
	case TERM_HOME:		lineedit_home(le);		break;
	case TERM_END:		lineedit_end(le);		break;
	case TERM_KILL_START:	lineedit_kill_start(le);	break;
	case TERM_KILL_END:	lineedit_kill_end(le);		break;
	case TERM_KILL_WORD:	lineedit_kill_word(le);		break;
	case TERM_YANK:
		if (lineedit_yank(le) != LINEEDIT_OK)
			term_bell(t);
		break;
	case TERM_REDRAW:
		term_write(t->out, "\033[H\033[2J", 7);
		break;
	case TERM_NONE:
		break;
	}
}

/*
 * Enter: the line stays on screen after its prompt, as in a shell, and
 * what it prints comes under it; then a fresh prompt.
 */
static void
term_enter(struct term *t)
{
	char	 line[LINEEDIT_MAX + 1];
	size_t	 len;

	lineedit_end(t->le);
	term_draw(t);
	term_write(t->out, "\r\n", 2);
	t->shown = false;
	lineedit_accept(t->le, line, sizeof(line));
	len = strlen(line);
	if (len > 0)
		t->line_cb(t->arg, line, len);
	if (t->on)
		term_draw(t);
}

static void
term_tab(struct term *t, int dir)
{
	const char *const	*names;
	size_t			 n = 0, matches;

	names = t->names_cb != NULL ? t->names_cb(t->arg, &n) : NULL;
	matches = dir > 0 ? lineedit_complete(t->le, names, n) :
	    lineedit_complete_back(t->le, names, n);
	if (matches == 0)
		term_bell(t);
}

static void
term_bell(struct term *t)
{
	term_write(t->out, "\a", 1);
}

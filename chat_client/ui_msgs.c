/*
 * ui_msgs: the network process's message window (ui.c says how the two
 * processes share the terminal). Keeps the scrollback, maps compose.c's
 * pieces to curses attributes, wraps (wrap.c) and draws the rows,
 * scrolled back or not. show, mark and clear only note that the rows
 * changed; ui_flush (ui_status.c) draws them once per loop turn. While
 * the user is away (suspended, unfocused) or scrolled back, new lines
 * are counted for the status bar, and the first one while away gets
 * the unread marker before it.
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

static void	 ui_show_one(const struct front_item *);
static int	 ui_gap(int);
static void	 ui_store(const struct front_item *);
static void	 ui_compose(const struct ui_msg *, struct ui_body *);
static attr_t	 ui_attr(int);
static short	 ui_pair(enum compose_colour, const char *);
static void	 ui_add(struct ui_body *, const char *, attr_t, short);
static short	 ui_name_pair(const char *);
static size_t	 ui_msg_rows(const struct ui_msg *, struct ui_body *);
static int	 ui_total_rows(int);
static void	 ui_blank_rows(int, int *, int *);
static void	 ui_draw_row(int, const struct ui_body *,
		    const struct wrap_row *, int, size_t, size_t);
static void	 ui_put_run(const struct ui_body *, int, size_t, size_t,
		    size_t, size_t);
static size_t	 ui_rows_after(size_t, int);

/*
 * The network process's front calls only mark what changed (tmux's
 * CLIENT_REDRAW flags); ui_flush draws it once per loop turn, so a
 * burst of chats or acks costs one repaint, not one each.
 */
void
ui_show(const struct front_item *item)
{
	struct front_item	 mark;
	int			 absent, count;

	if (ui.ring == NULL)
		return;
	client_lock(ui.sh);
	absent = ui_absent();
	client_unlock(ui.sh);
	/* What others said, or the server, not our own lines or history. */
	count = !item->history && !item->own;
	if (count && absent && !ui.marked) {
		/* irssi's and WeeChat's read marker: here you left off. */
		memset(&mark, 0, sizeof(mark));
		mark.kind = FRONT_INFO;
		mark.when = item->when;
		mark.text = UI_MARKER_TEXT;
		ui_show_one(&mark);
		ui.marked = 1;
	}
	if (count && (absent || ui.scroll > 0)) {
		ui.unseen++;
		if (item->kind == FRONT_MSG_IN)
			ui.unseen_priv++;
		ui.dirty |= UI_DIRTY_STATUS;
	}
	ui_show_one(item);
}

static void
ui_show_one(const struct front_item *item)
{
	struct ui_body	 body;
	int		 h, gap;

	h = getmaxy(ui.msgs);
	gap = ui_gap(h);
	ui_store(item);
	if (ui.scroll == 0)	/* a search's "no earlier line" has been read */
		ui.search_note[0] = '\0';
	if (ui.scroll > 0)	/* keep the lines being read in place */
		ui.scroll += (int)ui_msg_rows(ui_msg_at(ui.n - 1), &body) -
		    (gap - ui_gap(h));
	if (!item->history && (item->kind == FRONT_ANNOUNCE ||
	    item->kind == FRONT_MSG_IN || (item->mention && !item->own)))
		ui.bell = 1;
	ui.dirty |= UI_DIRTY_MSGS;
	ui.shows++;
}

/*
 * Under the lock: the user cannot see new lines now (Ctrl-Z, or the
 * terminal reported that it lost focus).
 */
int
ui_absent(void)
{
	return ui.us->suspended || ui.us->unfocused;
}

/*
 * Under the lock: the user is back and at the newest lines: the counts
 * of unseen lines end, and the next absence gets a new marker.
 */
void
ui_seen(void)
{
	if (ui_absent())
		return;
	ui.marked = 0;
	if (ui.scroll > 0 || (ui.unseen == 0 && ui.unseen_priv == 0))
		return;
	ui.unseen = ui.unseen_priv = 0;
	ui.dirty |= UI_DIRTY_STATUS;
}

void
ui_mark(uint64_t id, enum front_state state)
{
	struct ui_msg	*m;
	size_t		 i;

	for (i = ui.n; i > 0; i--) {
		m = ui_msg_at(i - 1);
		if (m->own && m->id == id) {
			m->state = state;
			ui.dirty |= UI_DIRTY_MSGS;
			break;
		}
	}
}

/*
 * /clear, as irssi's: the view is emptied, the scrollback kept. The
 * messages so far are pushed up out of view by blank rows (ui_gap)
 * that the next messages take over; PageUp reaches the old ones.
 */
void
ui_clear(void)
{
	ui.clear_at = ui.n;
	ui.scroll = 0;
	ui.search_note[0] = '\0';
	ui.dirty |= UI_DIRTY_MSGS;
}

/* Rows below message t: the newer messages, and the gap of /clear. */
static size_t
ui_rows_after(size_t t, int h)
{
	struct ui_body	 b;
	size_t		 i, rows = 0;

	for (i = t + 1; i < ui.n; i++)
		rows += ui_msg_rows(ui_msg_at(i), &b);
	if (ui.clear_at > t)
		rows += (size_t)ui_gap(h);
	return rows;
}

/*
 * /search (front.h): the newest message older than the one found last
 * (or than the newest, for a new text) whose words hold text, any case
 * of ASCII, is put in the middle of the window and its match drawn in
 * reverse; the row at the bottom says what happened.
 */
void
ui_search(const char *text)
{
	struct ui_body	 b;
	size_t		 i, start = ui.n, serial;
	int		 h = getmaxy(ui.msgs), total, rows;

	if (ui.ring == NULL)
		return;
	if (text[0] != '\0' && strcmp(text, ui.search_text) != 0) {
		snprintf(ui.search_text, sizeof(ui.search_text), "%s", text);
		ui.hit = 0;
	} else if (ui.search_text[0] == '\0') {
		snprintf(ui.search_note, sizeof(ui.search_note),
		    "-- /search TEXT: what to look for --");
		ui.dirty |= UI_DIRTY_MSGS;
		return;
	} else if (ui.hit > 0 && ui.hit - 1 >= ui.stored - ui.n)
		start = ui.hit - 1 - (ui.stored - ui.n);
	for (i = start; i > 0; i--) {
		ui_msg_rows(ui_msg_at(i - 1), &b);
		if (strcasestr(b.s, ui.search_text) != NULL)
			break;
	}
	if (i == 0) {
		snprintf(ui.search_note, sizeof(ui.search_note),
		    "-- no earlier line has \"%s\" (End: newest) --",
		    ui.search_text);
		ui.dirty |= UI_DIRTY_MSGS;
		return;
	}
	serial = ui.stored - ui.n + (i - 1);
	ui.hit = serial + 1;
	rows = (int)ui_msg_rows(ui_msg_at(i - 1), &b);
	ui.scroll = (int)ui_rows_after(i - 1, h) - (h - rows) / 2;
	total = ui_total_rows(h);
	if (ui.scroll > total - h)
		ui.scroll = total - h;
	if (ui.scroll < 0)
		ui.scroll = 0;
	/* Not scrolled, the bottom row may be the match: leave it be. */
	if (ui.scroll == 0)
		ui.search_note[0] = '\0';
	else
		snprintf(ui.search_note, sizeof(ui.search_note), "-- \"%s\" "
		    "found (/search: further back; End: newest) --",
		    ui.search_text);
	ui.dirty |= UI_DIRTY_MSGS;
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

/* Under the lock: scroll and redraw requests from the keyboard. */
void
ui_net_requests(void)
{
	int	 h = getmaxy(ui.msgs), step = h > 2 ? h - 1 : 1, total;

	if (ui.us->redraw) {
		redrawwin(ui.status);
		redrawwin(ui.msgs);
	}
	if (ui.us->names != ui.names_on) {
		ui.names_on = ui.us->names;
		ui.dirty |= UI_DIRTY_MSGS;
	}
	if (ui.us->scroll_end) {
		ui.scroll = 0;
		ui.hit = 0;
		ui.search_note[0] = '\0';
	}
	if (ui.us->scroll_pages != 0 || ui.us->scroll_rows != 0)
		ui.search_note[0] = '\0';
	ui.scroll += ui.us->scroll_pages * step + ui.us->scroll_rows;
	total = ui_total_rows(h);
	if (ui.scroll > total - h)
		ui.scroll = total - h;
	if (ui.scroll < 0)
		ui.scroll = 0;
	ui.us->redraw = ui.us->scroll_end = ui.us->scroll_pages = 0;
	ui.us->scroll_rows = 0;
	ui_seen();
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
	ui.stored++;
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

void
ui_msg_free(struct ui_msg *m)
{
	free(m->a);
	free(m->b);
	free(m->text);
	m->a = m->b = m->text = NULL;
}

/* The i-th kept message, oldest first. */
struct ui_msg *
ui_msg_at(size_t i)
{
	return &ui.ring[(ui.first + i) % UI_SCROLLBACK];
}

/*
 * The text of a message after its time, with attribute runs: compose.c
 * decides the words and looks, this only maps them to curses.
 */
static void
ui_compose(const struct ui_msg *m, struct ui_body *b)
{
	struct front_item	 it;
	struct compose_line	 l;
	int			 i;

	memset(&it, 0, sizeof(it));
	it.kind = m->kind;
	it.when = m->when;
	it.from = it.name = m->a;
	it.to = m->b;
	it.text = it.reason = m->text;
	it.own = m->own;
	it.history = m->history;
	it.action = m->action;
	it.mention = m->mention;
	it.state = m->state;
	it.id = m->id;
	compose_item(&it, &l);
	b->len = 0;
	b->nspan = 0;
	b->s[0] = '\0';
	snprintf(b->time, sizeof(b->time), "%s ", l.time);
	b->base = ui_attr(l.base);
	b->pair = l.colour != COMPOSE_COLOUR_NONE ?
	    ui_pair(l.colour, "") : 0;
	for (i = 0; i < l.npiece; i++)
		ui_add(b, l.piece[i].s, ui_attr(l.piece[i].attr),
		    ui_pair(l.piece[i].colour, l.piece[i].s));
}

/* compose.h's attributes as curses'. */
static attr_t
ui_attr(int a)
{
	attr_t	 r = A_NORMAL;

	if (a & COMPOSE_BOLD)
		r |= A_BOLD;
	if (a & COMPOSE_DIM)
		r |= A_DIM;
	if (a & COMPOSE_STANDOUT)
		r |= A_STANDOUT;
	if (a & COMPOSE_REVERSE)
		r |= A_REVERSE;
	return r;
}

/* compose.h's colour roles as our pairs; a name's by its hash. */
static short
ui_pair(enum compose_colour c, const char *s)
{
	switch (c) {
	case COMPOSE_COLOUR_NONE:
		break;
	case COMPOSE_COLOUR_NAME:
		return ui_name_pair(s);
	case COMPOSE_COLOUR_FAILED:
		return UI_PAIR_FAILED;
	case COMPOSE_COLOUR_ANNOUNCE:
		return UI_PAIR_ANNOUNCE;
	case COMPOSE_COLOUR_MENTION:
		return UI_PAIR_MENTION;
	case COMPOSE_COLOUR_PRIVATE:
		return UI_PAIR_PRIVATE;
	}
	return 0;
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
	int	 w = ui_msgs_cols() - UI_TIME_COLS;
	size_t	 n;

	if (w < 1)
		w = 1;
	ui_compose(m, b);
	n = wrap(b->s, b->len, w, w, ui_msgs_cols(), ui.wrows, UI_BODY_MAX);
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
void
ui_draw_msgs(void)
{
	struct ui_body	 b;
	size_t		 i, nrows, r, below = 0;
	int		 h = getmaxy(ui.msgs), y = h - 1, skip = ui.scroll;
	int		 hidden, gap = ui_gap(h);
	char		 mark[64];
	const char	*p, *bottom;
	size_t		 hs, he;

	werase(ui.msgs);
	for (i = ui.n; i > 0 && y >= 0; i--) {
		if (i == ui.clear_at) {
			ui_blank_rows(gap, &skip, &y);
			if (y < 0)
				break;
		}
		nrows = ui_msg_rows(ui_msg_at(i - 1), &b);
		hs = he = 0;
		if (ui.hit == ui.stored - ui.n + i &&
		    (p = strcasestr(b.s, ui.search_text)) != NULL) {
			hs = (size_t)(p - b.s);
			he = hs + strlen(ui.search_text);
		}
		/* Any row below the view, or under the marker, hides it. */
		hidden = ui.scroll > 0 && y == h - 1;
		for (r = nrows; r > 0 && y >= 0; r--) {
			if (skip > 0) {
				skip--;
				hidden = 1;
				continue;
			}
			ui_draw_row(y--, &b, &ui.wrows[r - 1], r == 1, hs,
			    he);
		}
		below += hidden;
	}
	if (ui.scroll > 0 || ui.search_note[0] != '\0') {
		snprintf(mark, sizeof(mark), "-- %zu more below (End: "
		    "newest) --", below);
		bottom = ui.search_note[0] != '\0' ? ui.search_note : mark;
		wmove(ui.msgs, h - 1, 0);
		wclrtoeol(ui.msgs);
		wattr_set(ui.msgs, A_REVERSE | A_BOLD, 0, NULL);
		ui_put_clipped(ui.msgs, bottom, ui_msgs_cols());
		wattr_set(ui.msgs, A_NORMAL, 0, NULL);
	}
	ui_draw_names();
}

/* n blank rows going up from row *y, the first *skip below the view. */
static void
ui_blank_rows(int n, int *skip, int *y)
{
	int	 k = n < *skip ? n : *skip;

	*skip -= k;
	*y -= n - k;
}

/*
 * One row of a message; the first shows the time. Bytes [hs, he) of the
 * body are a /search match: drawn in reverse.
 */
static void
ui_draw_row(int y, const struct ui_body *b, const struct wrap_row *row,
    int first, size_t hs, size_t he)
{
	size_t		 from, to;
	int		 i;

	wmove(ui.msgs, y, 0);
	if (first) {
		wattr_set(ui.msgs, A_DIM, 0, NULL);
		waddnstr(ui.msgs, b->time, UI_TIME_COLS);
	}
	/* A long word's rows start at column 0: selected whole, no gaps. */
	wmove(ui.msgs, y, row->full ? 0 : UI_TIME_COLS);
	for (i = 0; i < b->nspan; i++) {
		from = b->span[i].start > row->off ? b->span[i].start :
		    row->off;
		to = b->span[i].end < row->off + row->len ? b->span[i].end :
		    row->off + row->len;
		if (from < to)
			ui_put_run(b, i, from, to, hs, he);
	}
	wattr_set(ui.msgs, A_NORMAL, 0, NULL);
}

/* Bytes [from, to) of span i, the part inside [hs, he) reversed. */
static void
ui_put_run(const struct ui_body *b, int i, size_t from, size_t to,
    size_t hs, size_t he)
{
	attr_t	 a = b->span[i].attr | b->base;
	short	 pair = b->pair ? b->pair : b->span[i].pair;
	size_t	 cut[4], k;

	cut[0] = from;
	cut[1] = hs > from && hs < to ? hs : from;
	cut[2] = he > cut[1] && he < to ? he : (hs < to && he > from ? to :
	    cut[1]);
	cut[3] = to;
	for (k = 0; k < 3; k++) {
		if (cut[k + 1] <= cut[k])
			continue;
		wattr_set(ui.msgs, k == 1 ? a | A_REVERSE | A_BOLD : a, pair,
		    NULL);
		waddnstr(ui.msgs, b->s + cut[k], (int)(cut[k + 1] - cut[k]));
	}
}

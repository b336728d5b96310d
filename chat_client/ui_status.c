/*
 * ui_status: the network process's status bar, and ui_flush, which
 * draws once per loop turn what the turn's events marked (tmux's
 * server_client_check_redraw): the status bar, the message rows, a
 * bell, under one take of the terminal lock (ui_begin, ui_finish).
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

static void	 ui_status_marks(char *, size_t);

void
ui_status(void)
{
	if (ui.ring == NULL)
		return;
	ui.dirty |= UI_DIRTY_STATUS;
	/* The list of names may have changed, and its width. */
	ui_names_measure();
	if (ui.names_on)
		ui.dirty |= UI_DIRTY_MSGS;
}

/*
 * CHAT_CLIENT_DEBUG_DRAWS=FILE: at the end, "LINES REPAINTS" into FILE,
 * so a test can see that a burst of lines is drawn in a few repaints.
 */
void
ui_debug_draws(void)
{
	const char	*path = getenv("CHAT_CLIENT_DEBUG_DRAWS");
	FILE		*f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "%lu %lu\n", ui.shows, ui.draws);
	fclose(f);
}

/* Network process, once per loop turn: draws what was marked. */
void
ui_flush(void)
{
	if (ui.ring == NULL || ui.role != UI_NET ||
	    (ui.dirty == 0 && !ui.bell))
		return;
	ui_begin();
	if (ui.dirty & UI_DIRTY_STATUS)
		ui_draw_status();
	if (ui.dirty & UI_DIRTY_MSGS)
		ui_draw_msgs();
	if (ui.bell && !ui.us->suspended)
		beep();
	ui.dirty = 0;
	ui.bell = 0;
	ui.draws++;
	ui_finish();
}

/* Writes s, cutting it at a character that would pass maxcols. */
void
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

/*
 * What the user's own states add: the /query target, away, and what
 * came unseen (the private ones, then all), e.g. "  [query bob]  [away]
 *  [2 private]  +5".
 */
static void
ui_status_marks(char *out, size_t cap)
{
	size_t	 len = 0;

	out[0] = '\0';
	if (ui.sh->query[0] != '\0')
		len += (size_t)snprintf(out + len, cap - len, "  [query %s]",
		    ui.sh->query);
	if (ui.sh->away && len < cap)
		len += (size_t)snprintf(out + len, cap - len, "  [away]");
	if (ui.unseen_priv > 0 && len < cap)
		len += (size_t)snprintf(out + len, cap - len, "  [%u private]",
		    ui.unseen_priv);
	if (ui.unseen > 0 && len < cap)
		snprintf(out + len, cap - len, "  +%u", ui.unseen);
}

/*
 * " state  #room  name  [query bob]  +5  N online  N hidden  topic
 * server" as a bar.
 */
void
ui_draw_status(void)
{
	static const char *const states[] = { "connected", "reconnecting...",
	    "no answer from server" };
	char		 line[1024], marks[128], hidden[32];
	const char	*st;
	int		 users = ui.sh->nusers + ui.sh->more_users;

	st = ui.sh->conn <= FRONT_NO_ANSWER ? states[ui.sh->conn] : "?";
	if (ui.sh->conn_text[0] != '\0')	/* the reason, if netproc has one */
		st = ui.sh->conn_text;
	ui_status_marks(marks, sizeof(marks));
	/*
	 * Most telling first: the state ("no answer from server" must never
	 * be cut), then what needs the user; a narrow terminal cuts the
	 * topic and the server address.
	 */
	if (ui.sh->hidden > 0)	/* /filter and /ignore at work */
		snprintf(hidden, sizeof(hidden), "  %lu hidden",
		    ui.sh->hidden);
	else
		hidden[0] = '\0';
	snprintf(line, sizeof(line), " %s  #%s  %s%s  %d online%s  %s%s%s",
	    st, ui.sh->room[0] ? ui.sh->room : "chat", ui.sh->name, marks,
	    users, hidden, ui.sh->topic, ui.sh->topic[0] != '\0' ? "  " : "",
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

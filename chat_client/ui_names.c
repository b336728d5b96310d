/*
 * ui_names: the list of names online, a column at the right of the
 * message window (irssi's and WeeChat's nicklist), shown or hidden by
 * F2 (the keyboard process: ui_input.c) or /names (the network process:
 * front's names). The choice lives in the shared ui block (us->names);
 * the network process, which draws the column, keeps a copy taken
 * under the lock (ui.names_on) and the width of the longest name
 * (ui.names_w), so that wrapping, done outside the lock too, sees one
 * width. Below UI_NAMES_MIN_COLS columns the list
 * stays hidden and the messages have the whole width.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "ui_priv.h"
#include "utf8.h"

static int	 ui_names_cmp(const void *, const void *);

/* Network process: /names shows or hides the list. */
void
ui_names(void)
{
	if (ui.ring == NULL)
		return;
	client_lock(ui.sh);
	ui.us->names = !ui.us->names;
	ui.names_on = ui.us->names;
	client_unlock(ui.sh);
	ui.dirty |= UI_DIRTY_MSGS;
}

/*
 * Network process, the user list may have changed (front's status):
 * the longest name, up to UI_NAMES_MAX_WIDTH, sets the list's width,
 * kept so that wrapping outside the lock sees it.
 */
void
ui_names_measure(void)
{
	size_t	 w, max = 6;	/* "+N more" */
	int	 i;

	client_lock(ui.sh);
	for (i = 0; i < ui.sh->nusers; i++) {
		w = utf8_width(ui.sh->users[i], strlen(ui.sh->users[i]));
		if (w > max)
			max = w;
	}
	client_unlock(ui.sh);
	ui.names_w = max < UI_NAMES_MAX_WIDTH ? (int)max : UI_NAMES_MAX_WIDTH;
}

/* Columns the list takes (a bar, a space, the names), 0 when hidden. */
int
ui_names_width(void)
{
	if (!ui.names_on || getmaxx(ui.msgs) < UI_NAMES_MIN_COLS)
		return 0;
	return ui.names_w + 2;
}

/* Columns left for the messages. */
int
ui_msgs_cols(void)
{
	int	 w = getmaxx(ui.msgs) - ui_names_width();

	return w > 1 ? w : 1;
}

static int
ui_names_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Under the lock: the column, names sorted, each cut to fit; one that
 * does not fit in the rows is counted on the last row ("+3 more").
 */
void
ui_draw_names(void)
{
	const char	*names[CLIENT_MAX_USERS];
	char		 more[32];
	int		 w = ui_names_width(), h = getmaxy(ui.msgs);
	int		 x, i, n = ui.sh->nusers, left;

	if (w == 0)
		return;
	x = getmaxx(ui.msgs) - w;
	for (i = 0; i < n; i++)
		names[i] = ui.sh->users[i];
	qsort(names, (size_t)n, sizeof(names[0]), ui_names_cmp);
	wattr_set(ui.msgs, A_DIM, 0, NULL);
	mvwvline(ui.msgs, 0, x, ACS_VLINE, h);
	wattr_set(ui.msgs, A_NORMAL, 0, NULL);
	left = n + ui.sh->more_users;
	for (i = 0; i < n && i < h; i++) {
		if (i == h - 1 && left > 1)
			break;
		wmove(ui.msgs, i, x + 2);
		ui_put_clipped(ui.msgs, names[i], ui.names_w);
		left--;
	}
	if (left > 0 && i < h) {
		snprintf(more, sizeof(more), "+%d more", left);
		wmove(ui.msgs, i, x + 2);
		ui_put_clipped(ui.msgs, more, ui.names_w);
	}
}

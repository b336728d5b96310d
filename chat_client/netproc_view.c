/*
 * netproc_view: what the network process does for the user's own
 * choices: the lines /filter and /ignore hide (counted for the status
 * bar), the ignore list kept in the config file, the room's log
 * (chatlog.h) and /search, which the full screen answers.
 *
 * The log holds every line of the room in plain mode's words, as the
 * screen would show it without /filter (a filter hides noise from the
 * eyes, not from the record), but not the lines of people ignored, nor
 * our own words to the user (help, errors). An own line is logged once
 * the server has it, as plain mode prints it. Replayed history is not
 * logged: each login would write it again.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chatlog.h"
#include "compose.h"
#include "conf.h"
#include "filter.h"
#include "netproc_priv.h"
#include "utf8.h"

static void	 np_view_log(struct netproc *, const struct front_item *);
static void	 np_view_hidden(struct netproc *);
static void	 np_view_filter(struct netproc *, const struct client_note *);
static void	 np_view_ignore(struct netproc *, const struct client_note *);
static void	 np_view_unignore(struct netproc *, const struct client_note *);
static void	 np_view_ignore_keep(struct netproc *, const char *);
static void	 np_view_search(struct netproc *, const struct client_note *);

void
np_view_start(struct netproc *np)
{
	char	 path[CHATLOG_PATH_MAX], err[CHATLOG_PATH_MAX + 128];
	char	 server[NET_ADDRSTRLEN], room[PROTO_ROOM_MAX_BYTES + 1];

	if (np->c->filter != NULL)
		np->filter = *np->c->filter;
	np->log.fd = -1;
	if (!np->c->log)
		return;
	client_lock(np->sh);
	snprintf(server, sizeof(server), "%s", np->sh->server);
	snprintf(room, sizeof(room), "%s", np->sh->room);
	client_unlock(np->sh);
	if (chatlog_path(server, room, path, sizeof(path)) == NULL)
		np_local(np, FRONT_ERROR, "no log: neither XDG_DATA_HOME nor "
		    "HOME is set");
	else if (chatlog_open(&np->log, path, err, sizeof(err)) == -1)
		np_local(np, FRONT_ERROR, err);
}

void
np_view_end(struct netproc *np)
{
	chatlog_close(&np->log);
}

/* One line of the log, in plain mode's words. */
static void
np_view_log(struct netproc *np, const struct front_item *it)
{
	struct compose_line	 l;
	char			 line[PROTO_MAX_DGRAM * 3];

	if (np->log.fd == -1)
		return;
	compose_item(it, &l);
	compose_plain(&l, line, sizeof(line));
	chatlog_write(&np->log, it->when, line);
}

/* The status bar's count of hidden lines. */
static void
np_view_hidden(struct netproc *np)
{
	client_lock(np->sh);
	np->sh->hidden = filter_hidden(&np->filter);
	client_unlock(np->sh);
	np->front->status();
}

/*
 * A line from the room (or our own) about to be shown: logged unless
 * its sender is ignored or it is an own line not yet acked; false if
 * the user chose not to see it.
 */
bool
np_view_keep(struct netproc *np, const struct front_item *it)
{
	bool	 ignored;

	ignored = !it->own && (it->kind == FRONT_CHAT ||
	    it->kind == FRONT_MSG_IN) && it->from != NULL &&
	    filter_ignored(&np->filter, it->from);
	/* A replay is what was said before: the log has it once. */
	if (!ignored && !it->history && !(it->own && it->state != FRONT_DONE))
		np_view_log(np, it);
	if (!filter_hides(&np->filter, it))
		return true;
	np_view_hidden(np);
	return false;
}

/* Our chat or private message, acked: into the log. */
void
np_view_own(struct netproc *np, const struct client_note *n)
{
	struct front_item	 it;
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 safe[PROTO_MAX_DGRAM * 3], to[PROTO_MAX_DGRAM];

	if (n->kind != CLIENT_NOTE_CHAT && n->kind != CLIENT_NOTE_MSG)
		return;
	memset(&it, 0, sizeof(it));
	client_get_name(np->sh, name);
	utf8_sanitize(n->text, strlen(n->text), safe, sizeof(safe));
	utf8_sanitize(n->to, strlen(n->to), to, sizeof(to));
	it.kind = n->kind == CLIENT_NOTE_MSG ? FRONT_MSG_OUT : FRONT_CHAT;
	it.when = (time_t)n->when;
	it.from = name;
	it.to = to;
	it.text = safe;
	it.own = 1;
	it.action = n->action;
	np_view_log(np, &it);
}

void
np_view_note(struct netproc *np, const struct client_note *n)
{
	switch (n->kind) {
	case CLIENT_NOTE_FILTER:
		np_view_filter(np, n);
		break;
	case CLIENT_NOTE_IGNORE:
		np_view_ignore(np, n);
		break;
	case CLIENT_NOTE_UNIGNORE:
		np_view_unignore(np, n);
		break;
	case CLIENT_NOTE_SEARCH:
		np_view_search(np, n);
		break;
	default:
		break;
	}
}

/* /filter joins toggles; /filter alone says the state. */
static void
np_view_filter(struct netproc *np, const struct client_note *n)
{
	char	 text[256];

	if (n->text[0] != '\0') {
		np->filter.joins = !np->filter.joins;
		np_view_hidden(np);
	}
	filter_state(&np->filter, text, sizeof(text));
	np_local(np, FRONT_INFO, text);
}

/* /ignore NAME, or /ignore alone: the list and what it hid. */
static void
np_view_ignore(struct netproc *np, const struct client_note *n)
{
	char	 list[FILTER_LIST_MAX], text[FILTER_LIST_MAX + 128];
	int	 r;

	if (n->to[0] == '\0') {
		filter_ignore_list(&np->filter, list, sizeof(list));
		if (list[0] == '\0')
			snprintf(text, sizeof(text), "ignoring nobody "
			    "(/ignore NAME hides NAME's lines)");
		else
			snprintf(text, sizeof(text), "ignoring: %s (%lu "
			    "line%s hidden)", list, np->filter.hid_ignored,
			    np->filter.hid_ignored == 1 ? "" : "s");
		np_local(np, FRONT_INFO, text);
		return;
	}
	if ((r = filter_ignore_add(&np->filter, n->to)) == -1) {
		np_local(np, FRONT_ERROR, "the ignore list is full "
		    "(/unignore someone first)");
		return;
	}
	if (r == 1) {
		snprintf(text, sizeof(text), "already ignoring %s", n->to);
		np_local(np, FRONT_INFO, text);
		return;
	}
	snprintf(text, sizeof(text), "ignoring %s: their chats and private "
	    "messages are not shown", n->to);
	np_view_ignore_keep(np, text);
}

static void
np_view_unignore(struct netproc *np, const struct client_note *n)
{
	char	 text[PROTO_NAME_MAX_BYTES + 64];

	if (filter_ignore_remove(&np->filter, n->to) == -1) {
		snprintf(text, sizeof(text), "you are not ignoring %s", n->to);
		np_local(np, FRONT_ERROR, text);
		return;
	}
	snprintf(text, sizeof(text), "no longer ignoring %s", n->to);
	np_view_ignore_keep(np, text);
}

/*
 * Says what /ignore or /unignore did, and keeps the list in the config
 * file's ignore line (conf_set keeps the user's other lines).
 */
static void
np_view_ignore_keep(struct netproc *np, const char *did)
{
	char	 list[FILTER_LIST_MAX], err[4096 + 128];
	char	 text[sizeof(err) + 256];

	filter_ignore_list(&np->filter, list, sizeof(list));
	if (np->c->conf_path == NULL)
		snprintf(text, sizeof(text), "%s (for this session: no HOME "
		    "to keep client.conf in)", did);
	else if (conf_set(np->c->conf_path, "ignore", list, err,
	    sizeof(err)) == -1)
		snprintf(text, sizeof(text), "%s (for this session: %s)", did,
		    err);
	else
		snprintf(text, sizeof(text), "%s (kept in %s)", did,
		    np->c->conf_path);
	np_local(np, FRONT_INFO, text);
}

/* The full screen scrolls; plain mode has no scrollback to search. */
static void
np_view_search(struct netproc *np, const struct client_note *n)
{
	char	 text[CHATLOG_PATH_MAX + 128];

	if (np->front->search != NULL) {
		np->front->search(n->text);
		return;
	}
	if (np->log.fd != -1)
		snprintf(text, sizeof(text), "/search scrolls the full screen; "
		    "here your terminal has the lines, and %s", np->log.path);
	else
		snprintf(text, sizeof(text), "/search scrolls the full screen; "
		    "here your terminal has the lines");
	np_local(np, FRONT_ERROR, text);
}

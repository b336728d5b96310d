/*
 * netproc_user: the network process's side of the user's own states,
 * none of which the server knows of (protocol 2 has no away and no
 * query): /query's line and status bar, who wrote to us privately last
 * (for /r), /away and what it counts for /back, the topic for the
 * status bar and /topic, and /names.
 *
 * /away is local only: nothing is sent and nobody is told, so nobody
 * gets an automatic answer (a bot-like reply would be noise in a small
 * room, and protocol 2 has no way to say "away" to others). It marks
 * the status bar and counts the private messages and mentions that
 * arrive until /back, which says how many there were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netproc_priv.h"
#include "utf8.h"

static void	 np_user_query(struct netproc *, const char *);
static void	 np_user_away(struct netproc *, const char *);
static void	 np_user_back(struct netproc *);
static void	 np_user_names(struct netproc *);
static void	 np_user_topic(struct netproc *);

/* A note of the keyboard process about the user's own states. */
void
np_user_note(struct netproc *np, const struct client_note *n)
{
	switch (n->kind) {
	case CLIENT_NOTE_QUERY:
		np_user_query(np, n->to);
		break;
	case CLIENT_NOTE_AWAY:
		np_user_away(np, n->text);
		break;
	case CLIENT_NOTE_BACK:
		np_user_back(np);
		break;
	case CLIENT_NOTE_NAMES:
		np_user_names(np);
		break;
	case CLIENT_NOTE_TOPIC:
		np_user_topic(np);
		break;
	default:
		break;
	}
}

/*
 * A chat or msg being shown (not history): a msg names who /r answers,
 * and while away both are counted. An ignored sender's lines are never
 * shown, so they neither count nor become /r's target.
 */
void
np_user_heard(struct netproc *np, const struct proto_msg *m, int mention)
{
	if (m->history || filter_ignored(&np->filter, m->from))
		return;
	if (m->type == PROTO_MSG) {
		client_lock(np->sh);
		snprintf(np->sh->last_private, sizeof(np->sh->last_private),
		    "%s", m->from);
		client_unlock(np->sh);
	}
	if (!np->away)
		return;
	if (m->type == PROTO_MSG)
		np->away_privs++;
	else if (mention)
		np->away_mentions++;
}

/*
 * Someone was renamed: a /query with them, and /r, follow the new name
 * (names as the server spells them).
 */
void
np_user_renamed(struct netproc *np, const char *from, const char *to)
{
	client_lock(np->sh);
	if (strcmp(np->sh->query, from) == 0)
		snprintf(np->sh->query, sizeof(np->sh->query), "%s", to);
	if (strcmp(np->sh->last_private, from) == 0)
		snprintf(np->sh->last_private, sizeof(np->sh->last_private),
		    "%s", to);
	client_unlock(np->sh);
}

/* The topic for the status bar and /topic (text sanitised, "": none). */
void
np_user_set_topic(struct netproc *np, const char *text)
{
	client_lock(np->sh);
	utf8_sanitize(text, strlen(text), np->sh->topic,
	    sizeof(np->sh->topic));
	client_unlock(np->sh);
	np->front->status();
}

static void
np_user_query(struct netproc *np, const char *to)
{
	char	 line[PROTO_NAME_MAX_BYTES * 2 + 96];

	if (to[0] != '\0')
		snprintf(line, sizeof(line), "talking to %s privately: what "
		    "you type goes to %s alone (/query alone: to the room)",
		    to, to);
	else
		snprintf(line, sizeof(line), "talking to the room again");
	np_local(np, FRONT_INFO, line);
	np->front->status();
}

static void
np_user_away(struct netproc *np, const char *text)
{
	char	 line[PROTO_TEXT_MAX + 128];

	if (!np->away)
		np->away_privs = np->away_mentions = 0;
	np->away = 1;
	client_lock(np->sh);
	np->sh->away = 1;
	client_unlock(np->sh);
	snprintf(line, sizeof(line), "you are marked away%s%s (here only: "
	    "nobody is told); /back counts what you missed",
	    text[0] != '\0' ? ": " : "", text);
	np_local(np, FRONT_INFO, line);
	np->front->status();
}

static void
np_user_back(struct netproc *np)
{
	char	 line[128];

	if (!np->away) {
		np_local(np, FRONT_INFO, "you were not away");
		return;
	}
	np->away = 0;
	client_lock(np->sh);
	np->sh->away = 0;
	client_unlock(np->sh);
	snprintf(line, sizeof(line), "back; while away: %d private "
	    "message%s, %d mention%s", np->away_privs,
	    np->away_privs == 1 ? "" : "s", np->away_mentions,
	    np->away_mentions == 1 ? "" : "s");
	np_local(np, FRONT_INFO, line);
	np->front->status();
}

/*
 * /names: the full screen toggles its list; a front end without one
 * (plain) prints the names once, as /who's answer looks.
 */
static void
np_user_names(struct netproc *np)
{
	struct front_item	 it;
	char			 list[CLIENT_MAX_USERS *
				    (PROTO_NAME_MAX_BYTES + 2) + 32];
	size_t			 len = 0;
	int			 i;

	if (np->front->names != NULL) {
		np->front->names();
		return;
	}
	list[0] = '\0';
	client_lock(np->sh);
	for (i = 0; i < np->sh->nusers && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i > 0 ? ", " : "", np->sh->users[i]);
	if (np->sh->more_users > 0 && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, " and %d more",
		    np->sh->more_users);
	client_unlock(np->sh);
	memset(&it, 0, sizeof(it));
	it.text = list;
	np_show(np, FRONT_USERS, time(NULL), &it);
}

static void
np_user_topic(struct netproc *np)
{
	char	 line[CLIENT_TOPIC_MAX + 32];

	client_lock(np->sh);
	if (np->sh->topic[0] != '\0')
		snprintf(line, sizeof(line), "topic: %s", np->sh->topic);
	else
		snprintf(line, sizeof(line), "no topic is set");
	client_unlock(np->sh);
	np_local(np, FRONT_INFO, line);
}

/*
 * compose: a message's look, once, for both front ends (compose.h).
 * The words are those chat_client(1) shows under "plain mode" and
 * "full screen"; the full screen adds only the marks flagged screen.
 */
#include <stdio.h>
#include <string.h>

#include "compose.h"
#include "utf8.h"

static void	 compose_add(struct compose_line *, const char *, int,
		    enum compose_colour);
static void	 compose_mark(struct compose_line *, const char *, int,
		    enum compose_colour);
static void	 compose_time(time_t, char *, size_t);
static void	 compose_chat(const struct front_item *, struct compose_line *);
static void	 compose_private(const struct front_item *,
		    struct compose_line *);
static void	 compose_note(const struct front_item *, struct compose_line *);

/* Short names for the two colours most pieces take. */
#define CNAME	COMPOSE_COLOUR_NAME
#define CNONE	COMPOSE_COLOUR_NONE

static void
compose_add(struct compose_line *l, const char *s, int attr,
    enum compose_colour colour)
{
	struct compose_piece	*p;

	if (l->npiece == COMPOSE_MAXPIECES)
		return;
	p = &l->piece[l->npiece++];
	p->s = s != NULL ? s : "";
	p->attr = attr;
	p->colour = colour;
	p->screen = 0;
}

/* A mark only the full screen spells out. */
static void
compose_mark(struct compose_line *l, const char *s, int attr,
    enum compose_colour colour)
{
	compose_add(l, s, attr, colour);
	if (l->npiece > 0)
		l->piece[l->npiece - 1].screen = 1;
}

static void
compose_time(time_t when, char *t, size_t cap)
{
	struct tm	 tm;

	if (localtime_r(&when, &tm) == NULL ||
	    strftime(t, cap, "%H:%M:%S", &tm) == 0)
		snprintf(t, cap, "--:--:--");
}

/* <alice> text, or * alice waves; a mention of us stands out. */
static void
compose_chat(const struct front_item *it, struct compose_line *l)
{
	int	 hot = it->mention && !it->own;

	compose_add(l, it->action ? "* " : "<", 0, CNONE);
	compose_add(l, it->from, COMPOSE_BOLD, CNAME);
	compose_add(l, it->action ? " " : "> ", 0, CNONE);
	compose_add(l, it->text, hot ? COMPOSE_BOLD | COMPOSE_STANDOUT : 0,
	    hot ? COMPOSE_COLOUR_MENTION : CNONE);
}

/* *bob* text, or -> *bob* text. */
static void
compose_private(const struct front_item *it, struct compose_line *l)
{
	int	 in = it->kind == FRONT_MSG_IN;

	compose_mark(l, "[private] ", COMPOSE_BOLD, COMPOSE_COLOUR_PRIVATE);
	compose_add(l, in ? "*" : "-> *", COMPOSE_BOLD,
	    COMPOSE_COLOUR_PRIVATE);
	compose_add(l, in ? it->from : it->to, COMPOSE_BOLD, CNAME);
	compose_add(l, "* ", COMPOSE_BOLD, COMPOSE_COLOUR_PRIVATE);
	/* Said to us alone: it stands out (and rings) as a mention. */
	if (in)
		compose_add(l, it->text, COMPOSE_BOLD | COMPOSE_STANDOUT,
		    COMPOSE_COLOUR_MENTION);
	else
		compose_add(l, it->text, 0, CNONE);
}

/* The "-- " lines: joins, leaves, renames, users, notes. */
static void
compose_note(const struct front_item *it, struct compose_line *l)
{
	const int	 d = COMPOSE_DIM;

	switch (it->kind) {
	case FRONT_JOIN:
		compose_add(l, "-- ", d, CNONE);
		compose_add(l, it->name, d, CNAME);
		compose_add(l, " joined", d, CNONE);
		break;
	case FRONT_LEAVE:
		compose_add(l, "-- ", d, CNONE);
		compose_add(l, it->name, d, CNAME);
		compose_add(l, " left", d, CNONE);
		if (it->reason != NULL && it->reason[0] != '\0') {
			compose_add(l, " (", d, CNONE);
			compose_add(l, it->reason, d, CNONE);
			compose_add(l, ")", d, CNONE);
		}
		break;
	case FRONT_RENAME:
		compose_add(l, "-- ", d, CNONE);
		compose_add(l, it->from, d, CNAME);
		compose_add(l, " is now ", d, CNONE);
		compose_add(l, it->to, d, CNAME);
		break;
	case FRONT_USERS:
		compose_add(l, "-- users: ", d, CNONE);
		compose_add(l, it->text, 0, CNONE);
		break;
	default:
		compose_add(l, "-- ", d, CNONE);
		compose_add(l, it->text, d, CNONE);
		break;
	}
}

void
compose_item(const struct front_item *it, struct compose_line *l)
{
	int	 failed = it->own && it->state == FRONT_FAILED;

	memset(l, 0, sizeof(*l));
	compose_time(it->when, l->time, sizeof(l->time));
	l->base = it->history ? COMPOSE_DIM : 0;
	if (it->history)
		compose_add(l, "[history] ", COMPOSE_DIM, CNONE);
	if (failed) {
		l->colour = COMPOSE_COLOUR_FAILED;
		compose_mark(l, "[not delivered] ", COMPOSE_BOLD,
		    COMPOSE_COLOUR_FAILED);
	}
	switch (it->kind) {
	case FRONT_CHAT:
		compose_chat(it, l);
		break;
	case FRONT_MSG_IN:
	case FRONT_MSG_OUT:
		compose_private(it, l);
		break;
	case FRONT_ANNOUNCE:
		compose_add(l, "!! ", COMPOSE_BOLD | COMPOSE_REVERSE,
		    COMPOSE_COLOUR_ANNOUNCE);
		compose_add(l, it->text, COMPOSE_BOLD | COMPOSE_REVERSE,
		    COMPOSE_COLOUR_ANNOUNCE);
		break;
	case FRONT_ERROR:
		compose_add(l, "error: ", COMPOSE_BOLD, COMPOSE_COLOUR_FAILED);
		compose_add(l, it->text, COMPOSE_BOLD, COMPOSE_COLOUR_FAILED);
		break;
	default:
		compose_note(it, l);
		break;
	}
	/* Own lines stay dim until the server has them. */
	if (it->own && it->state == FRONT_PENDING)
		l->base |= COMPOSE_DIM;
}

void
compose_plain(const struct compose_line *l, char *buf, size_t cap)
{
	size_t	 len, n;
	int	 i;

	if (cap == 0)
		return;
	len = (size_t)snprintf(buf, cap, "%s ", l->time);
	for (i = 0; i < l->npiece && len < cap - 1; i++) {
		if (l->piece[i].screen)
			continue;
		n = strlen(l->piece[i].s);
		if (n > cap - 1 - len)
			n = utf8_prefix(l->piece[i].s, n, cap - 1 - len);
		memcpy(buf + len, l->piece[i].s, n);
		len += n;
		buf[len] = '\0';
	}
}

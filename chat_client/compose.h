/*
 * compose: the one place a message's look is decided. It turns a
 * front_item (chat, action, private message in or out, join, leave
 * with words, rename, announce, users, error, notes such as the topic)
 * into pieces of text, each with attributes and a colour role, plus the
 * time. ui_msgs.c draws the pieces with curses; plain.c prints them as
 * one line with stdio (compose_plain). Pure: no terminal, no state.
 *
 * Marks are spelled out in words ("[history] ", "[not delivered] ",
 * "[private] ") so a monochrome terminal loses nothing; the ones plain
 * mode does not print (a private line is "*bob* text" there, and a
 * failed own line is never printed) are flagged screen-only.
 */
#ifndef COMPOSE_H
#define COMPOSE_H

#include <stddef.h>
#include <time.h>

#include "front.h"

/* Attributes of a piece (or of the whole line). */
#define COMPOSE_BOLD		0x01
#define COMPOSE_DIM		0x02
#define COMPOSE_STANDOUT	0x04
#define COMPOSE_REVERSE		0x08

/* What colour a piece takes where colour is allowed. */
enum compose_colour {
	COMPOSE_COLOUR_NONE,
	COMPOSE_COLOUR_NAME,		/* the colour of the piece's name */
	COMPOSE_COLOUR_FAILED,
	COMPOSE_COLOUR_ANNOUNCE,
	COMPOSE_COLOUR_MENTION,
	COMPOSE_COLOUR_PRIVATE,
};

struct compose_piece {
	const char		*s;	/* into the item, or a literal */
	int			 attr;
	enum compose_colour	 colour;
	int			 screen;	/* a mark plain mode leaves out */
};

#define COMPOSE_MAXPIECES	12
#define COMPOSE_TIME_MAX	16

struct compose_line {
	char			 time[COMPOSE_TIME_MAX];	/* "HH:MM:SS" */
	struct compose_piece	 piece[COMPOSE_MAXPIECES];
	int			 npiece;
	int			 base;		/* attributes of the whole line */
	enum compose_colour	 colour;	/* of the whole line, or NONE */
};

/* Composes it into *l; l points into it, so it must outlive l. */
void		 compose_item(const struct front_item *it,
		    struct compose_line *l);

/*
 * The line as plain mode prints it, "12:00:01 <alice> text", into buf
 * (cap bytes, NUL-terminated, cut at a character boundary).
 */
void		 compose_plain(const struct compose_line *l, char *buf,
		    size_t cap);

#endif /* COMPOSE_H */

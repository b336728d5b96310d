/*
 * filter: what the user chose not to see. /filter joins hides joins and
 * leaves (a kick still shows: it is news, not noise); /ignore NAME hides
 * NAME's chats, actions and private messages. Hidden lines are counted,
 * so the status bar and /filter can say how many went by. Names are
 * compared byte for byte, as the server compares them. Pure: the
 * network process asks filter_hides for each line it would show.
 */
#ifndef FILTER_H
#define FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "front.h"
#include "proto.h"

/* People one client ignores at most. */
#define FILTER_IGNORE_MAX	64
/* Room for the list as "a b c" (the config file's ignore line). */
#define FILTER_LIST_MAX	(FILTER_IGNORE_MAX * (PROTO_NAME_MAX_BYTES + 1) + 1)

struct filter {
	int		 joins;		/* joins and leaves hidden */
	unsigned long	 hid_joins, hid_leaves, hid_ignored;
	size_t		 nignore;
	char		 ignore[FILTER_IGNORE_MAX][PROTO_NAME_MAX_BYTES + 1];
};

/*
 * Whether it is hidden; a hidden line is counted. An own line, an
 * error or a note of ours is never hidden.
 */
bool		 filter_hides(struct filter *f, const struct front_item *it);

bool		 filter_ignored(const struct filter *f, const char *name);

/* 0: added; 1: already there; -1: the list is full. */
int		 filter_ignore_add(struct filter *f, const char *name);
/* 0: removed; -1: not there. */
int		 filter_ignore_remove(struct filter *f, const char *name);

/*
 * Adds the names of list (separated by blanks or commas), each checked
 * with the server's name rules. Returns 0, or -1 with the first bad
 * name (cut to fit) in bad.
 */
int		 filter_ignore_parse(struct filter *f, const char *list,
		    char *bad, size_t badlen);

/* The names as "a b c" (the config file's form); "" for none. */
void		 filter_ignore_list(const struct filter *f, char *buf,
		    size_t cap);

/* Every line hidden so far. */
unsigned long	 filter_hidden(const struct filter *f);

/*
 * What /filter says: "joins and leaves hidden (3 joins, 2 leaves so
 * far)" or "joins and leaves shown".
 */
void		 filter_state(const struct filter *f, char *buf, size_t cap);

#endif /* FILTER_H */

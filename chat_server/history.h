/*
 * history: a ring of the last N chats and announcements (kind, sender,
 * text, time, message number, action) that the server replays to a
 * newcomer after its welcome, each as it was first sent. N is
 * --history; 0 keeps nothing. Tested in tests/unit/test_history.c.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct history_entry {
	enum proto_type	 type;		/* PROTO_CHAT or PROTO_ANNOUNCE */
	bool		 action;	/* a chat's "/me" */
	uint64_t	 ts;		/* wall-clock ms, as sent */
	uint64_t	 mid;		/* its message number in this run */
	char		 from[PROTO_NAME_MAX_BYTES + 1];	/* chat only */
	char		 text[PROTO_TEXT_MAX + 1];
};

struct history {
	struct history_entry	*ring;
	size_t			 cap;
	size_t			 head;	/* the oldest entry */
	size_t			 count;
};

/* An empty ring of cap entries (0: keep nothing). 0, or -1 out of memory. */
int		 history_init(struct history *h, size_t cap);
void		 history_free(struct history *h);

/* Appends a copy of e, dropping the oldest when full. */
void		 history_push(struct history *h, const struct history_entry *e);

/* Number of entries, and entry i (0 = oldest), or NULL past the end. */
size_t		 history_count(const struct history *h);
const struct history_entry *history_at(const struct history *h, size_t i);

#endif /* HISTORY_H */

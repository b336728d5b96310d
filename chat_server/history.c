/*
 * history: the ring of recent chats and announcements (history.h).
 * Entries are fixed-size and allocated once at start, so pushing never
 * allocates and the memory is bounded by --history.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"

int
history_init(struct history *h, size_t cap)
{
	memset(h, 0, sizeof(*h));
	if (cap == 0)
		return 0;
	if ((h->ring = calloc(cap, sizeof(*h->ring))) == NULL)
		return -1;
	h->cap = cap;
	return 0;
}

void
history_free(struct history *h)
{
	free(h->ring);
	memset(h, 0, sizeof(*h));
}

void
history_push(struct history *h, const struct history_entry *e)
{
	struct history_entry	*slot;

	if (h->cap == 0)
		return;
	if (h->count == h->cap) {
		slot = &h->ring[h->head];
		h->head = (h->head + 1) % h->cap;
	} else {
		slot = &h->ring[(h->head + h->count) % h->cap];
		h->count++;
	}
	*slot = *e;
}

size_t
history_count(const struct history *h)
{
	return h->count;
}

const struct history_entry *
history_at(const struct history *h, size_t i)
{
	if (i >= h->count)
		return NULL;
	return &h->ring[(h->head + i) % h->cap];
}

/*
 * resume: the table of ended sessions' cid and next request id
 * (resume.h). A ring of cap fixed-size entries, allocated once, holds
 * them in the order they were put; the oldest slot is reused when the
 * ring is full. A name put again leaves a hole where it was (unlinked
 * from its chain, not moved), so the ring order stays the put order and
 * putting is O(1) plus one chain walk. The hash is shared/hash.c's,
 * seeded, as names come from the network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "resume.h"

static uint32_t	*resume_bucket(const struct resume *, const char *);
static struct resume_entry *resume_find(const struct resume *,
		    const char *);
static void	 resume_unlink(struct resume *, struct resume_entry *);

int
resume_init(struct resume *r, size_t cap, uint64_t seed)
{
	size_t	 n;

	memset(r, 0, sizeof(*r));
	if (cap == 0)
		cap = 1;
	if (cap > UINT32_MAX - 1)
		return -1;
	for (n = 1; n < cap; n <<= 1)
		continue;
	r->ring = calloc(cap, sizeof(*r->ring));
	r->buckets = calloc(n, sizeof(*r->buckets));
	if (r->ring == NULL || r->buckets == NULL) {
		resume_free(r);
		return -1;
	}
	r->cap = cap;
	r->mask = n - 1;
	r->seed = seed;
	return 0;
}

void
resume_free(struct resume *r)
{
	free(r->ring);
	free(r->buckets);
	memset(r, 0, sizeof(*r));
}

static uint32_t *
resume_bucket(const struct resume *r, const char *name)
{
	return &r->buckets[hash_str(r->seed, name) & r->mask];
}

static struct resume_entry *
resume_find(const struct resume *r, const char *name)
{
	uint32_t	 i;

	for (i = *resume_bucket(r, name); i != 0; i = r->ring[i - 1].chain) {
		if (strcmp(r->ring[i - 1].name, name) == 0)
			return &r->ring[i - 1];
	}
	return NULL;
}

/* Takes e out of its chain; its slot becomes a hole. */
static void
resume_unlink(struct resume *r, struct resume_entry *e)
{
	uint32_t	*pp, want;

	want = (uint32_t)(e - r->ring) + 1;
	for (pp = resume_bucket(r, e->name); *pp != 0;
	    pp = &r->ring[*pp - 1].chain) {
		if (*pp == want) {
			*pp = e->chain;
			break;
		}
	}
	e->chain = 0;
	e->used = false;
	r->live--;
}

void
resume_put(struct resume *r, const char *name, const char *cid,
    uint64_t next_id)
{
	struct resume_entry	*e;
	uint32_t		*b;

	if ((e = resume_find(r, name)) != NULL)
		resume_unlink(r, e);
	if (r->count == r->cap) {
		if (r->ring[r->head].used)
			resume_unlink(r, &r->ring[r->head]);
		r->head = (r->head + 1) % r->cap;
		r->count--;
	}
	e = &r->ring[(r->head + r->count++) % r->cap];
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->cid, sizeof(e->cid), "%s", cid != NULL ? cid : "");
	e->next_id = next_id;
	e->used = true;
	r->live++;
	b = resume_bucket(r, e->name);
	e->chain = *b;
	*b = (uint32_t)(e - r->ring) + 1;
}

uint64_t
resume_next_id(const struct resume *r, const char *name, const char *cid)
{
	const struct resume_entry	*e;

	if (cid == NULL || cid[0] == '\0' ||
	    (e = resume_find(r, name)) == NULL || e->cid[0] == '\0' ||
	    strcmp(e->cid, cid) != 0)
		return 1;
	return e->next_id;
}

size_t
resume_count(const struct resume *r)
{
	return r->live;
}

/*
 * resume: what the server remembers of sessions that ended, so that a
 * client logging in again learns which of its requests were already
 * acted on (docs/protocol.md, "Resume"). Per name (the name a session
 * had when it ended): the client's cid and the next request id the
 * server expected of that session. A login with the same name and cid
 * is told that id in its welcome (next_id); any other login, 1.
 *
 * Bounded: a fixed ring of entries in the order they were put, the
 * oldest dropped when it is full, and a chained hash by name (seeded,
 * like session.c's) for O(1) lookup. The contract asks for 10 minutes
 * at least; nothing is dropped by age, only by room, so the server
 * sizes the ring for more session ends than 10 minutes can see in a
 * normal room. No socket, no clock: tested in tests/unit/test_resume.c.
 */
#ifndef RESUME_H
#define RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"


struct resume_entry {
	uint32_t	 chain;		/* next in the hash chain, index + 1 */
	bool		 used;		/* false: dropped or put again later */
	uint64_t	 next_id;
	char		 cid[PROTO_CID_LEN + 1];
	char		 name[PROTO_NAME_MAX_BYTES + 1];
};

struct resume {
	struct resume_entry	*ring;
	uint32_t		*buckets;	/* first entry's index + 1 */
	size_t			 cap;
	size_t			 mask;		/* buckets - 1 */
	size_t			 head;		/* the oldest slot */
	size_t			 count;		/* slots in use, holes too */
	size_t			 live;		/* entries that can match */
	uint64_t		 seed;
};

/*
 * An empty table for cap entries (at least 1) with the hash seed.
 * Returns 0, or -1 out of memory.
 */
int		 resume_init(struct resume *r, size_t cap, uint64_t seed);
void		 resume_free(struct resume *r);

/*
 * Remembers that name's last session had client id cid ("" for none:
 * then no login matches) and expected request next_id. Replaces what
 * the name had before; drops the oldest entry if the table is full.
 */
void		 resume_put(struct resume *r, const char *name, const char *cid,
		    uint64_t next_id);

/*
 * The next_id for a login of name with cid (NULL or "" for none): the
 * remembered id if both match, else 1.
 */
uint64_t	 resume_next_id(const struct resume *r, const char *name,
		    const char *cid);

/* Entries remembered (for tests and the log). */
size_t		 resume_count(const struct resume *r);

#endif /* RESUME_H */

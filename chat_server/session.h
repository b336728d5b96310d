/*
 * session: the server's table of logged-in clients. O(1) lookup by name,
 * by token and by confusable skeleton (three chained hash tables with a
 * per-process seed, so a client cannot aim names at one bucket), the
 * number of sessions per host (--max-per-host, a fourth table: an IP
 * address, or an IPv6 /64 off the server's own links, net_host_key), a
 * list in login order for fan-out, and a min-heap of per-session
 * deadlines so the loop wakes for the earliest retransmit or expiry
 * without scanning every session.
 *
 * The table owns its sessions and their retransmit queues. It knows no
 * socket and no clock: callers pass "now" and decide what a deadline
 * means (server_timer.c). Tested in tests/unit/test_session.c.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"

/*
 * A token bucket: up to burst events at once, refilled at per_sec per
 * second. Counted in thousandths so the refill needs no floating point.
 */
struct session_bucket {
	uint64_t	 last_ms;
	uint64_t	 milli;
	bool		 started;
};

/* The sessions of one host (any port), while it has any. */
struct session_host {
	struct session_host	*next;		/* hash chain */
	unsigned char		 key[NET_KEY_BYTES];	/* host */
	size_t			 count;
};

/* This machine's IPv6 links known at most (session_set_links). */
#define SESSION_LINKS_MAX	32

/* Request outcomes kept per session: as far as an early id is held. */
#define SESSION_OUTCOMES	RELIABLE_WINDOW

/* The hash indexes: a chain link in each session, buckets in the table. */
enum session_index {
	SESSION_BY_NAME,
	SESSION_BY_TOKEN,
	SESSION_BY_SKELETON,	/* name.h; several sessions may share one */
	SESSION_NINDEX
};

struct session {
	struct session		*chain[SESSION_NINDEX];	/* hash chains */
	struct session		*prev;		/* all sessions, login order */
	struct session		*next;
	size_t			 heap_idx;
	uint64_t		 deadline;	/* heap key, monotonic ms */
	uint64_t		 last_heard;	/* last valid datagram, ms */
	uint64_t		 next_seq;	/* of the next reliable message */
	bool			 dead;		/* to be removed by the timer run */
	bool			 classroom;	/* speaks the text protocol */
	/*
	 * Kicked by the operator: out of the room (no fan-out, not listed),
	 * kept only until its own leave (seq kick_seq) and what it had
	 * unacked before are acked or fail (protocol.md, "Kick").
	 */
	bool			 kicked;
	enum proto_reason	 dead_reason;
	uint64_t		 dead_since;	/* ms, when marked dead */
	uint64_t		 kick_seq;
	uint64_t		 stop_seq;	/* the shutdown announce's; 0: none */
	uint64_t		 chats;		/* chats forwarded, for /who */
	uint64_t		 joined;	/* login, ms, for /who */
	uint64_t		 last_chat;	/* ms of the last chat; 0: none */
	/*
	 * Cap batch (server_out.c): its login asked for caps (the welcome
	 * lists them), and for batch. Reliable messages from pend_seq up
	 * are queued, not sent yet: they go out packed when the loop turn's
	 * sends are flushed; pending says it is on the server's list.
	 */
	bool			 has_caps;
	bool			 batch;
	bool			 pending;
	uint64_t		 pend_seq;
	struct net_addr		 addr;
	struct reliable_queue	 queue;		/* unacked, keyed by seq */
	/*
	 * Requests in id order (server_req.c): held.next is the next id to
	 * act on, held keeps early ones; outcome[id % SESSION_OUTCOMES] is
	 * how each of the last SESSION_OUTCOMES ids was answered, so a
	 * repeat gets the same answer.
	 */
	struct reliable_window	 held;
	size_t			 held_bytes;	/* of the datagrams in held */
	uint8_t			 outcome[SESSION_OUTCOMES];
	uint64_t		 first_id;	/* the welcome's next_id */
	struct session_bucket	 bucket;	/* chat rate */
	char			*leave_text;	/* quit words for the leave */
	char			 cid[PROTO_CID_LEN + 1];	/* "" for none */
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 token[PROTO_TOKEN_LEN + 1];
	char			*skeleton;	/* of name (name.h), malloc'd */
	struct session_host	*host;		/* its host's count */
};

struct session_table {
	struct session	**index[SESSION_NINDEX];	/* buckets */
	struct session_host **hosts;			/* buckets */
	size_t		  mask;		/* buckets - 1, a power of two less one */
	uint64_t	  seed;
	size_t		  count;
	struct session	 *head;
	struct session	 *tail;
	struct session	**heap;		/* min-heap on deadline */
	size_t		  heap_len;
	size_t		  heap_cap;
	struct name_checker	  names;	/* makes the skeletons */
	struct net_prefix  links[SESSION_LINKS_MAX];	/* our IPv6 /64s */
	size_t		  nlinks;
};

/*
 * Sets up an empty table with at least buckets hash buckets (rounded up
 * to a power of two) and the hash seed. Returns 0, or -1 out of memory
 * or without ICU's confusable data.
 */
int		 session_table_init(struct session_table *t, size_t buckets,
		    uint64_t seed);
/* Frees every session and the table. */
void		 session_table_free(struct session_table *t);

/*
 * Adds a session (name and token must not be in the table; name valid)
 * with next seq 1, next request id 1, last heard now and deadline
 * UINT64_MAX. Returns it, or NULL out of memory.
 */
struct session	*session_add(struct session_table *t, const char *name,
		    const char *token, const struct net_addr *addr, uint64_t now);
/* Unlinks s from every index and frees it (queue, held requests). */
void		 session_remove(struct session_table *t, struct session *s);

struct session	*session_find_name(const struct session_table *t,
		    const char *name);
struct session	*session_find_token(const struct session_table *t,
		    const char *token);
/*
 * A session other than skip (NULL: any) whose name looks like name: the
 * same confusable skeleton (Cyrillic "а" + "lice" and "alice", "rn" and
 * "m"; name.h). The same name has the same skeleton, so look for the
 * name itself first where that means something else. NULL when there
 * is none, or when name has no skeleton (not valid UTF-8, out of memory).
 */
struct session	*session_find_skeleton(const struct session_table *t,
		    const char *name, const struct session *skip);

/*
 * The IPv6 /64s of this machine's links (net_ipv6_prefixes; at most
 * SESSION_LINKS_MAX are kept): a peer in one of them is one host of the
 * LAN and counts by its whole address, not by the /64 (net_host_key).
 * Only while the table is empty.
 */
void		 session_set_links(struct session_table *t,
		    const struct net_prefix *links, size_t n);

/*
 * How many sessions come from addr's host, any port: its IP address, or
 * its /64 for IPv6 off the server's links (net_host_key).
 */
size_t		 session_host_count(const struct session_table *t,
		    const struct net_addr *addr);

/*
 * Renames s (name must be free and valid). Returns 0, or -1 out of
 * memory with s unchanged.
 */
int		 session_rename(struct session_table *t, struct session *s,
		    const char *name);

/* Moves s to deadline in the heap (earlier or later). */
void		 session_set_deadline(struct session_table *t, struct session *s,
		    uint64_t deadline);
/* The session with the earliest deadline, or NULL if the table is empty. */
struct session	*session_earliest(const struct session_table *t);

/* Takes one event from b at now; false if the bucket is empty. */
bool		 session_bucket_take(struct session_bucket *b, uint64_t now,
		    unsigned burst, unsigned per_sec);

#endif /* SESSION_H */

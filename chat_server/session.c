/*
 * session: the session table (session.h). Three chained hash tables
 * (name, token, skeleton) over one set of sessions, a fourth of per-IP
 * counts (an entry lives while its address has a session, so a flood
 * of addresses leaves nothing behind), a doubly linked list
 * in login order for fan-out and removal in O(1), and a binary min-heap
 * of deadlines. Several sessions may share a skeleton (the server
 * decides who may log in), so a skeleton chain is searched to the end.
 *
 * The bucket count is fixed at init (the server sizes it from
 * --max-clients), so chains stay short without rehashing. The hash is
 * shared/hash.c's, from a random per-process seed: names and addresses
 * come from the network, and a fixed hash would let a client pile them
 * into one chain (one IPv6 /64 holds plenty of addresses to aim with).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "session.h"

static uint64_t	 session_hash(const struct session_table *, const char *);
static struct session_host **session_host_slot(const struct session_table *,
		    const struct net_addr *, unsigned char *);
static int	 session_host_take(struct session_table *, struct session *);
static void	 session_host_drop(struct session_table *, struct session *);
static void	 session_heap_swap(struct session_table *, size_t, size_t);
static void	 session_heap_up(struct session_table *, size_t);
static void	 session_heap_down(struct session_table *, size_t);
static int	 session_heap_push(struct session_table *, struct session *);
static void	 session_heap_remove(struct session_table *, struct session *);
static const char *session_key(const struct session *, enum session_index);
static void	 session_link(struct session_table *, struct session *,
		    enum session_index);
static void	 session_unlink(struct session_table *, struct session *,
		    enum session_index);
static struct session *session_find(const struct session_table *,
		    enum session_index, const char *, const struct session *);
static char	*session_skeleton(const struct session_table *, const char *);
static void	 session_free(struct session *);

int
session_table_init(struct session_table *t, size_t buckets, uint64_t seed)
{
	size_t	 n, i;

	memset(t, 0, sizeof(*t));
	for (n = 1; n < buckets && n < ((size_t)1 << 30); n <<= 1)
		continue;
	t->mask = n - 1;
	for (i = 0; i < SESSION_NINDEX; i++) {
		if ((t->index[i] = calloc(n, sizeof(*t->index[i]))) == NULL)
			break;
	}
	t->hosts = calloc(n, sizeof(*t->hosts));
	if (i < SESSION_NINDEX || t->hosts == NULL ||
	    name_checker_open(&t->names, NULL, 0) == -1) {
		session_table_free(t);
		return -1;
	}
	t->seed = seed;
	return 0;
}

void
session_table_free(struct session_table *t)
{
	struct session	*s, *next;
	size_t		 i;

	for (s = t->head; s != NULL; s = next) {
		next = s->next;
		session_host_drop(t, s);
		session_free(s);
	}
	for (i = 0; i < SESSION_NINDEX; i++)
		free(t->index[i]);
	free(t->hosts);
	free(t->heap);
	name_checker_close(&t->names);
	memset(t, 0, sizeof(*t));
}

/* hash.h: seeded, so a client cannot aim names at one chain. */
static uint64_t
session_hash(const struct session_table *t, const char *s)
{
	return hash_str(t->seed, s);
}

struct session *
session_add(struct session_table *t, const char *name, const char *token,
    const struct net_addr *addr, uint64_t now)
{
	struct session	*s;
	size_t		 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->skeleton = session_skeleton(t, name)) == NULL) {
		free(s);
		return NULL;
	}
	s->addr = *addr;
	if (session_host_take(t, s) == -1) {
		free(s->skeleton);
		free(s);
		return NULL;
	}
	if (session_heap_push(t, s) == -1) {
		session_host_drop(t, s);
		free(s->skeleton);
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->token, sizeof(s->token), "%s", token);
	s->next_seq = 1;
	s->last_heard = now;
	s->joined = now;
	reliable_queue_init(&s->queue);
	reliable_window_init(&s->held);
	s->first_id = 1;

	for (i = 0; i < SESSION_NINDEX; i++)
		session_link(t, s, i);

	s->prev = t->tail;
	if (t->tail != NULL)
		t->tail->next = s;
	else
		t->head = s;
	t->tail = s;
	t->count++;
	return s;
}

void
session_remove(struct session_table *t, struct session *s)
{
	size_t	 i;

	session_heap_remove(t, s);
	for (i = 0; i < SESSION_NINDEX; i++)
		session_unlink(t, s, i);
	session_host_drop(t, s);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		t->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		t->tail = s->prev;
	t->count--;
	session_free(s);
}

/* What a session owns, and itself. */
static void
session_free(struct session *s)
{
	reliable_queue_free(&s->queue);
	reliable_window_free(&s->held);
	free(s->leave_text);
	free(s->skeleton);
	free(s);
}

static const char *
session_key(const struct session *s, enum session_index i)
{
	switch (i) {
	case SESSION_BY_NAME:
		return s->name;
	case SESSION_BY_TOKEN:
		return s->token;
	default:
		return s->skeleton;
	}
}

static void
session_link(struct session_table *t, struct session *s,
    enum session_index i)
{
	size_t	 b;

	b = session_hash(t, session_key(s, i)) & t->mask;
	s->chain[i] = t->index[i][b];
	t->index[i][b] = s;
}

static void
session_unlink(struct session_table *t, struct session *s,
    enum session_index i)
{
	struct session	**pp;

	pp = &t->index[i][session_hash(t, session_key(s, i)) & t->mask];
	for (; *pp != NULL; pp = &(*pp)->chain[i]) {
		if (*pp == s) {
			*pp = s->chain[i];
			break;
		}
	}
	s->chain[i] = NULL;
}

/* The first session other than skip whose key i is key. */
static struct session *
session_find(const struct session_table *t, enum session_index i,
    const char *key, const struct session *skip)
{
	struct session	*s;

	s = t->index[i][session_hash(t, key) & t->mask];
	for (; s != NULL; s = s->chain[i]) {
		if (s != skip && strcmp(session_key(s, i), key) == 0)
			return s;
	}
	return NULL;
}

/* The skeleton of name, malloc'd; NULL if it has none or out of memory. */
static char *
session_skeleton(const struct session_table *t, const char *name)
{
	char	 skel[NAME_SKELETON_MAX];

	if (name_skeleton(&t->names, name, skel, sizeof(skel)) == -1)
		return NULL;
	return strdup(skel);
}

struct session *
session_find_name(const struct session_table *t, const char *name)
{
	return session_find(t, SESSION_BY_NAME, name, NULL);
}

struct session *
session_find_token(const struct session_table *t, const char *token)
{
	return session_find(t, SESSION_BY_TOKEN, token, NULL);
}

struct session *
session_find_skeleton(const struct session_table *t, const char *name,
    const struct session *skip)
{
	char	 skel[NAME_SKELETON_MAX];

	if (name_skeleton(&t->names, name, skel, sizeof(skel)) == -1)
		return NULL;
	return session_find(t, SESSION_BY_SKELETON, skel, skip);
}

void
session_set_links(struct session_table *t, const struct net_prefix *links,
    size_t n)
{
	if (n > SESSION_LINKS_MAX)
		n = SESSION_LINKS_MAX;
	if (n > 0)
		memcpy(t->links, links, n * sizeof(*links));
	t->nlinks = n;
}

/*
 * The chain slot where addr's host is, or would go; its key (every port
 * of one host, every address of a remote IPv6 /64, is one entry) into
 * key.
 */
static struct session_host **
session_host_slot(const struct session_table *t, const struct net_addr *addr,
    unsigned char *key)
{
	struct session_host	**pp;

	net_host_key(addr, t->links, t->nlinks, key);
	pp = &t->hosts[hash_bytes(t->seed, key, NET_KEY_BYTES) & t->mask];
	for (; *pp != NULL; pp = &(*pp)->next) {
		if (memcmp((*pp)->key, key, NET_KEY_BYTES) == 0)
			break;
	}
	return pp;
}

/* Counts s at its IP address (a new entry for the first). 0, or -1. */
static int
session_host_take(struct session_table *t, struct session *s)
{
	struct session_host	**pp;
	unsigned char		  key[NET_KEY_BYTES];

	pp = session_host_slot(t, &s->addr, key);
	if (*pp == NULL) {
		if ((*pp = calloc(1, sizeof(**pp))) == NULL)
			return -1;
		memcpy((*pp)->key, key, NET_KEY_BYTES);
	}
	(*pp)->count++;
	s->host = *pp;
	return 0;
}

/* Uncounts s; the entry of its address goes with its last session. */
static void
session_host_drop(struct session_table *t, struct session *s)
{
	struct session_host	**pp, *h;
	unsigned char		  key[NET_KEY_BYTES];

	if ((h = s->host) == NULL)
		return;
	s->host = NULL;
	if (--h->count > 0)
		return;
	pp = session_host_slot(t, &s->addr, key);
	*pp = h->next;
	free(h);
}

size_t
session_host_count(const struct session_table *t, const struct net_addr *addr)
{
	struct session_host	**pp;
	unsigned char		  key[NET_KEY_BYTES];

	pp = session_host_slot(t, addr, key);
	return *pp != NULL ? (*pp)->count : 0;
}

int
session_rename(struct session_table *t, struct session *s, const char *name)
{
	char	*skel;

	if ((skel = session_skeleton(t, name)) == NULL)
		return -1;
	session_unlink(t, s, SESSION_BY_NAME);
	session_unlink(t, s, SESSION_BY_SKELETON);
	free(s->skeleton);
	s->skeleton = skel;
	snprintf(s->name, sizeof(s->name), "%s", name);
	session_link(t, s, SESSION_BY_NAME);
	session_link(t, s, SESSION_BY_SKELETON);
	return 0;
}

/* ---- the deadline heap ---- */

static void
session_heap_swap(struct session_table *t, size_t i, size_t j)
{
	struct session	*a;

	a = t->heap[i];
	t->heap[i] = t->heap[j];
	t->heap[j] = a;
	t->heap[i]->heap_idx = i;
	t->heap[j]->heap_idx = j;
}

static void
session_heap_up(struct session_table *t, size_t i)
{
	size_t	 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (t->heap[parent]->deadline <= t->heap[i]->deadline)
			break;
		session_heap_swap(t, i, parent);
		i = parent;
	}
}

static void
session_heap_down(struct session_table *t, size_t i)
{
	size_t	 l, r, min;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		min = i;
		if (l < t->heap_len &&
		    t->heap[l]->deadline < t->heap[min]->deadline)
			min = l;
		if (r < t->heap_len &&
		    t->heap[r]->deadline < t->heap[min]->deadline)
			min = r;
		if (min == i)
			break;
		session_heap_swap(t, i, min);
		i = min;
	}
}

/* Adds s with deadline UINT64_MAX (the bottom of the heap). */
static int
session_heap_push(struct session_table *t, struct session *s)
{
	struct session	**h;
	size_t		  cap;

	if (t->heap_len == t->heap_cap) {
		cap = t->heap_cap == 0 ? 16 : t->heap_cap * 2;
		if ((h = realloc(t->heap, cap * sizeof(*h))) == NULL)
			return -1;
		t->heap = h;
		t->heap_cap = cap;
	}
	s->deadline = UINT64_MAX;
	s->heap_idx = t->heap_len;
	t->heap[t->heap_len++] = s;
	return 0;
}

static void
session_heap_remove(struct session_table *t, struct session *s)
{
	size_t	 i;

	i = s->heap_idx;
	t->heap_len--;
	if (i == t->heap_len)
		return;
	session_heap_swap(t, i, t->heap_len);
	session_heap_up(t, i);
	session_heap_down(t, i);
}

void
session_set_deadline(struct session_table *t, struct session *s,
    uint64_t deadline)
{
	uint64_t	 old;

	old = s->deadline;
	s->deadline = deadline;
	if (deadline < old)
		session_heap_up(t, s->heap_idx);
	else if (deadline > old)
		session_heap_down(t, s->heap_idx);
}

struct session *
session_earliest(const struct session_table *t)
{
	return t->heap_len > 0 ? t->heap[0] : NULL;
}

/* ---- rate limiting ---- */

bool
session_bucket_take(struct session_bucket *b, uint64_t now, unsigned burst,
    unsigned per_sec)
{
	uint64_t	 cap;

	cap = (uint64_t)burst * 1000;
	if (!b->started) {
		b->started = true;
		b->milli = cap;
	} else if (now > b->last_ms) {
		/* per_sec events per 1000 ms is per_sec milli-events per ms. */
		b->milli += (now - b->last_ms) * per_sec;
		if (b->milli > cap)
			b->milli = cap;
	}
	b->last_ms = now;
	if (b->milli < 1000)
		return false;
	b->milli -= 1000;
	return true;
}

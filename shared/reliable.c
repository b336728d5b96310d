/*
 * reliable: the retransmit queue and the receiver's reorder window
 * (shared/reliable.h). It follows the "Reliability" section of
 * docs/protocol.md: 250 ms, doubling, at most 1 s apart, until the
 * queue's life (3 heartbeats) after the first send; or, for a queue
 * without a life, protocol 1's 5 sends in all and failure one more
 * doubled interval after the last send.
 *
 * No clock and no socket: every timing decision takes "now" from the
 * caller, so the unit tests drive it with a fake clock.
 *
 * Queue removal is eager, not lazy: an ack in the middle of the ring
 * closes the hole at once by sliding the shorter side of the ring over
 * it. Most acks hit the oldest entry, which costs O(1); an out-of-order
 * ack costs O(n) moves of small structs (the datagrams are not copied).
 * Keeping the ring free of holes means reliable_at(q, i) and q->count
 * always mean "the i-th pending message" and "how many are pending".
 *
 * An entry holds either its own copy of the datagram (data) or a
 * reference to a body shared by the entries of one fan-out: a server
 * sending one chat to a thousand sessions then allocates once, not a
 * thousand times, and each entry differs only in its key (the seq).
 */
#include <stdlib.h>
#include <string.h>

#include "reliable.h"

static struct reliable_entry *reliable_slot_of(struct reliable_queue *,
	    size_t);
static int	 reliable_grow(struct reliable_queue *);
static void	 reliable_remove_at(struct reliable_queue *, size_t);
static char	*reliable_copy(const char *, size_t);
static void	 reliable_slot_clear(struct reliable_slot *);
static void	 reliable_entry_release(struct reliable_entry *);
static struct reliable_entry *reliable_append(struct reliable_queue *,
	    uint64_t, uint64_t);
static bool	 reliable_retry(const struct reliable_queue *,
	    struct reliable_entry *, uint64_t);

/* A private copy of a datagram; never malloc(0), so data != NULL. */
static char *
reliable_copy(const char *data, size_t len)
{
	char	*p;

	p = malloc(len > 0 ? len : 1);
	if (p != NULL && len > 0)
		memcpy(p, data, len);
	return p;
}

/* ---- shared bodies ---- */

struct reliable_body *
reliable_body_new(const char *head, size_t head_len, const char *tail,
    size_t tail_len)
{
	struct reliable_body	*b;

	if (head_len > PROTO_MAX_DGRAM || tail_len > PROTO_MAX_DGRAM - head_len)
		return NULL;
	if ((b = malloc(sizeof(*b) + head_len + tail_len)) == NULL)
		return NULL;
	b->refs = 1;
	b->head_len = (uint16_t)head_len;
	b->tail_len = (uint16_t)tail_len;
	memcpy(b->data, head, head_len);
	memcpy(b->data + head_len, tail, tail_len);
	return b;
}

void
reliable_body_unref(struct reliable_body *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

size_t
reliable_body_render(const struct reliable_body *b, uint64_t seq, char *buf,
    size_t cap)
{
	char	 d[20];
	size_t	 n = 0, len;

	do {
		d[sizeof(d) - ++n] = (char)('0' + seq % 10);
		seq /= 10;
	} while (seq != 0);
	len = (size_t)b->head_len + n + b->tail_len;
	if (len > cap)
		return 0;
	memcpy(buf, b->data, b->head_len);
	memcpy(buf + b->head_len, d + sizeof(d) - n, n);
	memcpy(buf + b->head_len + n, b->data + b->head_len, b->tail_len);
	return len;
}

/* ---- the retransmit queue ---- */

/* Lets go of what an entry holds: its copy or its share of a body. */
static void
reliable_entry_release(struct reliable_entry *e)
{
	free(e->data);
	e->data = NULL;
	reliable_body_unref(e->body);
	e->body = NULL;
}

void
reliable_queue_init(struct reliable_queue *q)
{
	q->ring = NULL;
	q->cap = 0;
	q->head = 0;
	q->count = 0;
	q->life_ms = 0;
}

void
reliable_queue_free(struct reliable_queue *q)
{
	uint64_t	 life = q->life_ms;
	size_t		 i;

	for (i = 0; i < q->count; i++)
		reliable_entry_release(reliable_slot_of(q, i));
	free(q->ring);
	reliable_queue_init(q);
	q->life_ms = life;
}

void
reliable_queue_set_life(struct reliable_queue *q, uint64_t life_ms)
{
	q->life_ms = life_ms;
}

/* The ring position of logical entry i (0 = oldest); cap is a power of 2. */
static struct reliable_entry *
reliable_slot_of(struct reliable_queue *q, size_t i)
{
	return &q->ring[(q->head + i) & (q->cap - 1)];
}

struct reliable_entry *
reliable_at(struct reliable_queue *q, size_t i)
{
	if (i >= q->count)
		return NULL;
	return reliable_slot_of(q, i);
}

/* Doubles the ring (16 entries at first), unwrapping it to start at 0. */
static int
reliable_grow(struct reliable_queue *q)
{
	struct reliable_entry	*ring;
	size_t			 cap, i;

	cap = q->cap == 0 ? 16 : q->cap * 2;
	if (cap < q->cap || cap > SIZE_MAX / sizeof(*ring))
		return -1;
	ring = malloc(cap * sizeof(*ring));
	if (ring == NULL)
		return -1;
	for (i = 0; i < q->count; i++)
		ring[i] = *reliable_slot_of(q, i);
	free(q->ring);
	q->ring = ring;
	q->cap = cap;
	q->head = 0;
	return 0;
}

/* A new newest entry, first sent at now, holding nothing yet; or NULL. */
static struct reliable_entry *
reliable_append(struct reliable_queue *q, uint64_t key, uint64_t now)
{
	struct reliable_entry	*e;

	if (q->count == q->cap && reliable_grow(q) == -1)
		return NULL;
	e = reliable_slot_of(q, q->count);
	e->key = key;
	reliable_restart(e, now);
	e->len = 0;
	e->data = NULL;
	e->body = NULL;
	return e;
}

int
reliable_push(struct reliable_queue *q, uint64_t key, const char *data,
    size_t len, uint64_t now)
{
	struct reliable_entry	*e;
	char			*copy;

	if ((copy = reliable_copy(data, len)) == NULL)
		return -1;
	if ((e = reliable_append(q, key, now)) == NULL) {
		free(copy);
		return -1;
	}
	e->len = len;
	e->data = copy;
	q->count++;
	return 0;
}

int
reliable_push_body(struct reliable_queue *q, uint64_t key,
    struct reliable_body *b, uint64_t now)
{
	struct reliable_entry	*e;

	if ((e = reliable_append(q, key, now)) == NULL)
		return -1;
	b->refs++;
	e->body = b;
	q->count++;
	return 0;
}

/*
 * Drops logical entry i (its data already freed), keeping the order of
 * the rest. Slides whichever side of i is shorter over the hole.
 */
static void
reliable_remove_at(struct reliable_queue *q, size_t i)
{
	size_t	 j;

	if (i < q->count / 2) {
		for (j = i; j > 0; j--)
			*reliable_slot_of(q, j) = *reliable_slot_of(q, j - 1);
		q->head = (q->head + 1) & (q->cap - 1);
	} else {
		for (j = i; j + 1 < q->count; j++)
			*reliable_slot_of(q, j) = *reliable_slot_of(q, j + 1);
	}
	q->count--;
	if (q->count == 0)
		q->head = 0;
}

int
reliable_ack(struct reliable_queue *q, uint64_t key)
{
	struct reliable_entry	*e;
	size_t			 i;

	/* Oldest first: in-order acks are the common case and cost O(1). */
	for (i = 0; i < q->count; i++) {
		e = reliable_slot_of(q, i);
		if (e->key == key) {
			reliable_entry_release(e);
			reliable_remove_at(q, i);
			return 0;
		}
	}
	return -1;
}

/* Keys are pushed in increasing order, so "up to" is a prefix. */
size_t
reliable_ack_upto(struct reliable_queue *q, uint64_t upto,
    const uint64_t *keys, size_t n)
{
	size_t	 acked = 0, i;

	while (q->count > 0 && reliable_slot_of(q, 0)->key <= upto) {
		reliable_entry_release(reliable_slot_of(q, 0));
		reliable_remove_at(q, 0);
		acked++;
	}
	for (i = 0; i < n; i++) {
		if (keys[i] > upto && reliable_ack(q, keys[i]) == 0)
			acked++;
	}
	return acked;
}

/*
 * A linear scan: a queue is per session and holds at most a few hundred
 * entries (the server expires a session past PROTO_MAX_UNACKED), and the
 * due times are not monotonic in send order once retries start, so a heap
 * would buy little for its bookkeeping.
 */
bool
reliable_next_due(const struct reliable_queue *q, uint64_t *due)
{
	const struct reliable_entry	*e;
	uint64_t			 min = UINT64_MAX;
	size_t				 i;

	if (q->count == 0)
		return false;
	for (i = 0; i < q->count; i++) {
		e = &q->ring[(q->head + i) & (q->cap - 1)];
		if (e->due_ms < min)
			min = e->due_ms;
	}
	*due = min;
	return true;
}

void
reliable_restart(struct reliable_entry *e, uint64_t now)
{
	e->first_ms = now;
	e->sends = 1;
	e->interval_ms = PROTO_RETRY_FIRST_MS;
	e->due_ms = now + PROTO_RETRY_FIRST_MS;
}

/*
 * A due entry: true if it is to be sent again, with its next due time
 * set; false if it has failed. Due times count from now, not from the
 * due time: a late tick must not burst.
 */
static bool
reliable_retry(const struct reliable_queue *q, struct reliable_entry *e,
    uint64_t now)
{
	uint64_t	 end;

	if (q->life_ms == 0) {
		if (e->sends >= PROTO_RETRY_SENDS)
			return false;
		e->interval_ms *= 2;
		e->due_ms = now + e->interval_ms;
		return true;
	}
	end = e->first_ms + q->life_ms;
	if (now >= end)
		return false;
	if (e->interval_ms < PROTO_RETRY_MAX_MS)
		e->interval_ms *= 2;
	if (e->interval_ms > PROTO_RETRY_MAX_MS)
		e->interval_ms = PROTO_RETRY_MAX_MS;
	/* The end of its life is a due time too: it fails on time. */
	e->due_ms = now + e->interval_ms < end ? now + e->interval_ms : end;
	return true;
}

int
reliable_tick(struct reliable_queue *q, uint64_t now,
    reliable_resend_cb resend, reliable_fail_cb fail, void *arg)
{
	struct reliable_entry	*e;
	size_t			 i = 0;
	int			 failed = 0;

	while (i < q->count) {
		e = reliable_slot_of(q, i);
		if (e->due_ms > now) {
			i++;
			continue;
		}
		if (reliable_retry(q, e, now)) {
			e->sends++;
			if (resend != NULL)
				resend(arg, e);
			i++;
			continue;
		}
		if (fail != NULL)
			fail(arg, e);
		reliable_entry_release(e);
		reliable_remove_at(q, i);
		failed++;
	}
	return failed;
}

int
reliable_replace(struct reliable_entry *e, const char *data, size_t len)
{
	char	*copy;

	copy = reliable_copy(data, len);
	if (copy == NULL)
		return -1;
	reliable_entry_release(e);
	e->data = copy;
	e->len = len;
	return 0;
}

/* ---- the receiver's reorder window ---- */

void
reliable_window_init(struct reliable_window *w)
{
	w->next = 1;
	w->slots = NULL;
}

static void
reliable_slot_clear(struct reliable_slot *s)
{
	free(s->data);
	s->data = NULL;
	s->len = 0;
	s->used = false;
}

void
reliable_window_reset(struct reliable_window *w)
{
	size_t	 i;

	if (w->slots != NULL) {
		for (i = 0; i < RELIABLE_WINDOW; i++)
			reliable_slot_clear(&w->slots[i]);
	}
	w->next = 1;
}

void
reliable_window_free(struct reliable_window *w)
{
	reliable_window_reset(w);
	free(w->slots);
	w->slots = NULL;
}

/*
 * Seq s lives in slot s % RELIABLE_WINDOW: only seqs in
 * (next, next + RELIABLE_WINDOW) are ever held, so no two collide, and
 * slot next % RELIABLE_WINDOW is the one pop looks at.
 *
 * A hold that cannot be stored (no memory, or a datagram over
 * PROTO_MAX_DGRAM that pop could not hand back) is answered FAR: not
 * acked, so the sender retransmits it later.
 */
enum reliable_verdict
reliable_window_offer(struct reliable_window *w, uint64_t seq,
    const char *data, size_t len)
{
	struct reliable_slot	*s;

	if (seq == 0)
		return RELIABLE_FAR;
	if (seq < w->next)
		return RELIABLE_DUP;
	if (seq == w->next) {
		/* A held copy of it (the caller did not pop) is now stale. */
		if (w->slots != NULL)
			reliable_slot_clear(&w->slots[seq % RELIABLE_WINDOW]);
		w->next++;
		return RELIABLE_DELIVER;
	}
	if (seq - w->next >= RELIABLE_WINDOW || len > PROTO_MAX_DGRAM)
		return RELIABLE_FAR;
	if (w->slots == NULL) {
		w->slots = calloc(RELIABLE_WINDOW, sizeof(*w->slots));
		if (w->slots == NULL)
			return RELIABLE_FAR;
	}
	s = &w->slots[seq % RELIABLE_WINDOW];
	if (s->used)
		return RELIABLE_DUP;
	s->data = reliable_copy(data, len);
	if (s->data == NULL)
		return RELIABLE_FAR;
	s->len = len;
	s->used = true;
	return RELIABLE_HOLD;
}

bool
reliable_window_held(const struct reliable_window *w, uint64_t seq)
{
	return w->slots != NULL && seq >= w->next &&
	    seq - w->next < RELIABLE_WINDOW &&
	    w->slots[seq % RELIABLE_WINDOW].used;
}

bool
reliable_window_pop(struct reliable_window *w, char *buf, size_t cap,
    size_t *len)
{
	struct reliable_slot	*s;

	if (w->slots == NULL)
		return false;
	s = &w->slots[w->next % RELIABLE_WINDOW];
	if (!s->used || s->len > cap)
		return false;
	if (s->len > 0)
		memcpy(buf, s->data, s->len);
	*len = s->len;
	reliable_slot_clear(s);
	w->next++;
	return true;
}

/*
 * reliable: what makes UDP delivery reliable, on both sides, with no
 * clock and no socket of its own (the caller passes "now" in ms, so the
 * timing is unit-testable with a fake clock).
 *
 *  - reliable_queue: messages sent and not yet acknowledged, keyed by
 *    seq (server to client) or id (client to server). Protocol 2: a
 *    message is retransmitted 250 ms after the first send, then 500,
 *    then every 1000 ms (doubling, at most PROTO_RETRY_MAX_MS apart),
 *    with no limit on the number of sends; it has failed when it is
 *    still unacked the queue's life after its first send
 *    (reliable_queue_set_life: 3 heartbeats). A queue whose life was
 *    never set keeps the timing of protocol 1: 250, 500, 1000, 2000 ms,
 *    5 sends in all, failed one more doubled interval after the last.
 *  - reliable_window: the receiver's reorder window. Delivers each seq
 *    exactly once, in order, holding early arrivals until the gap fills.
 */
#ifndef RELIABLE_H
#define RELIABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* ---- the retransmit queue ---- */

/*
 * A datagram with a hole where its seq goes, shared by every queue entry
 * of one fan-out: one allocation per message instead of one copy per
 * recipient. The bytes are the head (up to the seq digits), then the
 * tail (after them); an entry renders it with its own key as the seq.
 */
struct reliable_body {
	unsigned	 refs;
	uint16_t	 head_len;
	uint16_t	 tail_len;
	char		 data[];	/* head, then tail */
};

struct reliable_entry {
	uint64_t	 key;		/* seq or id */
	uint64_t	 first_ms;	/* the first send (or reliable_restart) */
	uint64_t	 due_ms;	/* next retransmit, or failure after the last */
	uint32_t	 interval_ms;	/* current interval, doubles */
	int		 sends;		/* sends so far, from 1 */
	size_t		 len;
	char		*data;		/* the datagram, owned by the queue */
	struct reliable_body *body;	/* or this, shared (data is NULL) */
};

/*
 * Entries in send order, a growable ring. Memory is allocated when the
 * first entry is pushed and released when the queue is freed, so an idle
 * queue costs only this struct.
 */
struct reliable_queue {
	struct reliable_entry	*ring;
	size_t			 cap;	/* 0 or a power of two */
	size_t			 head;	/* oldest */
	size_t			 count;
	uint64_t		 life_ms; /* 0: protocol 1's 5 sends */
};

void	 reliable_queue_init(struct reliable_queue *q);
void	 reliable_queue_free(struct reliable_queue *q);

/*
 * Switches q to the timing of protocol 2: retransmit without a limit on
 * sends, at most PROTO_RETRY_MAX_MS apart, and fail an entry still
 * unacked life_ms after its first send (3 heartbeats). Entries already
 * queued follow it from their next retransmission. 0 goes back to
 * protocol 1's 5 sends. reliable_queue_free keeps it.
 */
void	 reliable_queue_set_life(struct reliable_queue *q, uint64_t life_ms);

/*
 * Records a datagram just sent for the first time at now. The queue keeps
 * a copy. Returns 0, or -1 if out of memory.
 */
int	 reliable_push(struct reliable_queue *q, uint64_t key, const char *data,
	    size_t len, uint64_t now);

/*
 * A body of head_len + tail_len bytes (at most PROTO_MAX_DGRAM) holding
 * one reference, or NULL if out of memory or too long.
 */
struct reliable_body *reliable_body_new(const char *head, size_t head_len,
	    const char *tail, size_t tail_len);
/* Drops a reference; the last one frees the body. NULL is ignored. */
void	 reliable_body_unref(struct reliable_body *b);
/*
 * Writes the head, seq in decimal and the tail into buf (cap bytes).
 * Returns the length, or 0 if it does not fit.
 */
size_t	 reliable_body_render(const struct reliable_body *b, uint64_t seq,
	    char *buf, size_t cap);

/*
 * Like reliable_push, but the entry shares b (it takes a reference) and
 * is sent again as b rendered with key as its seq.
 */
int	 reliable_push_body(struct reliable_queue *q, uint64_t key,
	    struct reliable_body *b, uint64_t now);

/* Forgets key. Returns 0 if it was pending, -1 if not (duplicate ack). */
int	 reliable_ack(struct reliable_queue *q, uint64_t key);

/*
 * A cumulative ack: forgets every key up to upto, and each of the n keys
 * in keys. Returns how many were pending.
 */
size_t	 reliable_ack_upto(struct reliable_queue *q, uint64_t upto,
	    const uint64_t *keys, size_t n);

/* The earliest due time of any entry; false if the queue is empty. */
bool	 reliable_next_due(const struct reliable_queue *q, uint64_t *due);

/*
 * Called by reliable_tick for each entry due for a resend; e->sends
 * already counts this send (a trace may say "send 3").
 */
typedef void (*reliable_resend_cb)(void *arg, const struct reliable_entry *e);
/* Called by reliable_tick for each entry that failed; it is then removed. */
typedef void (*reliable_fail_cb)(void *arg, const struct reliable_entry *e);

/*
 * Runs the timers at now: every due entry with time (or, without a
 * life, sends) left is passed to resend (and its sends, interval and
 * due time advance); every due entry past its life (or its last send)
 * is passed to fail and removed. Either callback may be NULL. Returns
 * the number of entries that failed. The callbacks must not push to or
 * ack in q.
 */
int	 reliable_tick(struct reliable_queue *q, uint64_t now,
	    reliable_resend_cb resend, reliable_fail_cb fail, void *arg);

/* Entry i (0 = oldest) of the queue, i < q->count. */
struct reliable_entry *reliable_at(struct reliable_queue *q, size_t i);

/*
 * Replaces the stored datagram of entry e (after a new token, say); a
 * shared body is let go.
 */
int	 reliable_replace(struct reliable_entry *e, const char *data, size_t len);

/*
 * Entry e counts as first sent at now (a new session, or a request the
 * server put off): one send, the first interval, a whole life ahead.
 */
void	 reliable_restart(struct reliable_entry *e, uint64_t now);

/* ---- the receiver's reorder window ---- */

/* How far ahead of the next expected seq an early arrival is held. */
#define RELIABLE_WINDOW	PROTO_MAX_UNACKED

enum reliable_verdict {
	RELIABLE_DELIVER,	/* seq is the next expected: deliver it now */
	RELIABLE_HOLD,		/* early: held, ack it, deliver later */
	RELIABLE_DUP,		/* already delivered or held: ack it, drop it */
	RELIABLE_FAR,		/* beyond the window: drop it, do not ack */
};

struct reliable_slot {
	bool	 used;
	size_t	 len;
	char	*data;
};

struct reliable_window {
	uint64_t		 next;	/* next seq to deliver, starts at 1 */
	struct reliable_slot	*slots;	/* RELIABLE_WINDOW, allocated on first hold */
};

void	 reliable_window_init(struct reliable_window *w);
void	 reliable_window_free(struct reliable_window *w);
/* Back to "next is 1", dropping held messages (a new session). */
void	 reliable_window_reset(struct reliable_window *w);

/*
 * Offers a received message with seq and its datagram. DELIVER advances
 * next; the caller handles the message, then drains reliable_window_pop
 * for held messages that are now in order. HOLD copies the datagram.
 */
enum reliable_verdict reliable_window_offer(struct reliable_window *w,
	    uint64_t seq, const char *data, size_t len);

/* Whether seq is held (arrived early, not yet popped). */
bool	 reliable_window_held(const struct reliable_window *w, uint64_t seq);

/*
 * If the next expected seq is held, copies its datagram to buf (cap
 * bytes, PROTO_MAX_DGRAM is enough), sets *len, advances, returns true.
 */
bool	 reliable_window_pop(struct reliable_window *w, char *buf, size_t cap,
	    size_t *len);

#endif /* RELIABLE_H */

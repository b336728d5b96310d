/*
 * Unit tests for shared/reliable.c with a fake clock: the retransmit
 * schedule of docs/protocol.md ("Reliability"), acks in and out of
 * order, ring growth, the reorder window, and the fan-out's shared
 * bodies (rendered per seq, one body in many queues), made by
 * proto_encode_seq as server_out.c makes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"
#include "reliable.h"

#define UNUSED(x)	((void)(x))
#define MAX_EVENTS	64

/* What the callbacks saw, in order. */
struct events {
	int		 resends;
	int		 fails;
	uint64_t	 resend_key[MAX_EVENTS];
	uint64_t	 fail_key[MAX_EVENTS];
	char		 fail_data[MAX_EVENTS][16];
};

static void
resend_cb(void *arg, const struct reliable_entry *e)
{
	struct events	*ev = arg;

	assert_true(ev->resends < MAX_EVENTS);
	ev->resend_key[ev->resends++] = e->key;
}

static void
fail_cb(void *arg, const struct reliable_entry *e)
{
	struct events	*ev = arg;

	assert_true(ev->fails < MAX_EVENTS);
	assert_true(e->len < sizeof(ev->fail_data[0]));
	memcpy(ev->fail_data[ev->fails], e->data, e->len);
	ev->fail_data[ev->fails][e->len] = '\0';
	ev->fail_key[ev->fails++] = e->key;
}

static void
push_str(struct reliable_queue *q, uint64_t key, const char *s, uint64_t now)
{
	assert_int_equal(reliable_push(q, key, s, strlen(s), now), 0);
}

/* Keys of the queue, oldest first, must be exactly want[0..n). */
static void
assert_keys(struct reliable_queue *q, const uint64_t *want, size_t n)
{
	size_t	 i;

	assert_int_equal(q->count, n);
	for (i = 0; i < n; i++)
		assert_int_equal(reliable_at(q, i)->key, want[i]);
	assert_null(reliable_at(q, n));
}

/*
 * Ticks every millisecond from 0 to 9000 and records when the resends
 * and the failure happen: sends at 0 (push), 250, 750, 1750, 3750, and
 * failure at 7750.
 */
static void
test_schedule_exact(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 t, times[8], fail_at = 0, due;
	int			 n = 0, before;
	const uint64_t		 want[] = { 250, 750, 1750, 3750 };

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	push_str(&q, 7, "hello", 0);
	assert_true(reliable_next_due(&q, &due));
	assert_int_equal(due, 250);
	assert_int_equal(reliable_at(&q, 0)->sends, 1);
	for (t = 0; t <= 9000; t++) {
		before = ev.resends;
		if (reliable_tick(&q, t, resend_cb, fail_cb, &ev) == 1)
			fail_at = t;
		if (ev.resends != before) {
			assert_true(n < 8);
			times[n++] = t;
		}
	}
	assert_int_equal(n, 4);
	assert_memory_equal(times, want, sizeof(want));
	assert_int_equal(fail_at, 7750);
	assert_int_equal(ev.fails, 1);
	assert_int_equal(ev.fail_key[0], 7);
	assert_string_equal(ev.fail_data[0], "hello");
	assert_int_equal(q.count, 0);
	assert_false(reliable_next_due(&q, &due));
	reliable_queue_free(&q);
}

/* The same schedule seen through next_due, as an event loop would. */
static void
test_schedule_next_due(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 due;
	const uint64_t		 want[] = { 250, 750, 1750, 3750, 7750 };
	const uint32_t		 ivl[] = { 500, 1000, 2000, 4000 };
	size_t			 i;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	push_str(&q, 1, "x", 0);
	for (i = 0; i < 5; i++) {
		assert_true(reliable_next_due(&q, &due));
		assert_int_equal(due, want[i]);
		/* One ms early nothing happens. */
		assert_int_equal(reliable_tick(&q, due - 1, resend_cb, fail_cb,
		    &ev), 0);
		assert_int_equal(ev.resends, (int)i);
		reliable_tick(&q, due, resend_cb, fail_cb, &ev);
		if (i < 4) {
			assert_int_equal(reliable_at(&q, 0)->sends, (int)i + 2);
			assert_int_equal(reliable_at(&q, 0)->interval_ms,
			    ivl[i]);
		}
	}
	assert_int_equal(ev.resends, 4);
	assert_int_equal(ev.fails, 1);
	assert_int_equal(q.count, 0);
	reliable_queue_free(&q);
}

/*
 * Protocol 2 (a queue with a life of 3 heartbeats of 5 s): 250 ms,
 * doubling to 1 s apart, then every second, with no limit on sends;
 * the entry fails exactly at first send + life, not a ms earlier.
 */
static void
test_life_schedule(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 t, times[32], want[32], fail_at = 0, w;
	int			 n = 0, nw = 0, before, last_sends = 0;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	reliable_queue_set_life(&q, 15000);
	push_str(&q, 7, "hello", 0);
	want[nw++] = 250;
	want[nw++] = 750;
	for (w = 1750; w < 15000; w += 1000)
		want[nw++] = w;
	for (t = 0; t <= 20000; t++) {
		before = ev.resends;
		if (q.count > 0)
			last_sends = reliable_at(&q, 0)->sends;
		if (reliable_tick(&q, t, resend_cb, fail_cb, &ev) == 1)
			fail_at = t;
		if (ev.resends != before) {
			assert_true(n < 32);
			times[n++] = t;
		}
	}
	/* 250, 750, 1750, then every 1000 ms: 2750 ... 14750. */
	assert_int_equal(nw, 16);
	assert_int_equal(want[2], 1750);
	assert_int_equal(want[3], 2750);
	assert_int_equal(n, nw);
	assert_memory_equal(times, want, sizeof(want[0]) * (size_t)nw);
	assert_int_equal(last_sends, 17);	/* far past protocol 1's 5 */
	assert_int_equal(fail_at, 15000);
	assert_int_equal(ev.fails, 1);
	assert_string_equal(ev.fail_data[0], "hello");
	assert_int_equal(q.count, 0);
	reliable_queue_free(&q);
}

/* What resend sees: sends counts this send; intervals stop at 1 s. */
struct sends_seen {
	int		 n;
	int		 sends[32];
	uint32_t	 interval[32];
};

static void
sends_cb(void *arg, const struct reliable_entry *e)
{
	struct sends_seen	*s = arg;

	assert_true(s->n < 32);
	s->sends[s->n] = e->sends;
	s->interval[s->n++] = e->interval_ms;
}

static void
test_life_sends_count(void **state)
{
	struct reliable_queue	 q;
	struct sends_seen	 seen;
	uint64_t		 due;
	int			 i;

	UNUSED(state);
	memset(&seen, 0, sizeof(seen));
	reliable_queue_init(&q);
	reliable_queue_set_life(&q, 60000);
	push_str(&q, 1, "x", 0);
	for (i = 0; i < 10; i++) {
		assert_true(reliable_next_due(&q, &due));
		assert_int_equal(reliable_tick(&q, due, sends_cb, NULL,
		    &seen), 0);
	}
	for (i = 0; i < 10; i++) {
		assert_int_equal(seen.sends[i], i + 2);
		assert_true(seen.interval[i] <= PROTO_RETRY_MAX_MS);
	}
	assert_int_equal(seen.interval[0], 500);
	assert_int_equal(seen.interval[1], 1000);
	assert_int_equal(seen.interval[9], 1000);
	reliable_queue_free(&q);
}

/*
 * A life shorter than the schedule: the end of life is itself a due
 * time, so the failure is on time even between two retransmissions;
 * a late tick sends once, not a burst.
 */
static void
test_life_short_and_late(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 due;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	reliable_queue_set_life(&q, 600);
	push_str(&q, 3, "a", 100);
	assert_int_equal(reliable_tick(&q, 350, resend_cb, fail_cb, &ev), 0);
	assert_int_equal(ev.resends, 1);
	assert_true(reliable_next_due(&q, &due));
	assert_int_equal(due, 700);		/* the end of life, not 850 */
	assert_int_equal(reliable_tick(&q, 699, resend_cb, fail_cb, &ev), 0);
	assert_int_equal(reliable_tick(&q, 700, resend_cb, fail_cb, &ev), 1);
	assert_int_equal(ev.resends, 1);
	assert_int_equal(ev.fails, 1);

	/* Nothing ran for 5 s: one resend now, the next 500 ms later. */
	reliable_queue_set_life(&q, 15000);
	push_str(&q, 4, "b", 0);
	assert_int_equal(reliable_tick(&q, 5000, resend_cb, fail_cb, &ev), 0);
	assert_int_equal(ev.resends, 2);
	assert_true(reliable_next_due(&q, &due));
	assert_int_equal(due, 5500);
	reliable_queue_free(&q);
}

/*
 * reliable_restart gives an entry a whole new life (a new session); the
 * life survives reliable_queue_free; a life of 0 is protocol 1 again.
 */
static void
test_life_restart(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 t;
	int			 failed = 0;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	assert_int_equal(q.life_ms, 0);
	reliable_queue_set_life(&q, 3000);
	push_str(&q, 5, "c", 0);
	for (t = 0; t < 2000; t += 10)
		failed += reliable_tick(&q, t, NULL, NULL, NULL);
	reliable_restart(reliable_at(&q, 0), 2000);
	assert_int_equal(reliable_at(&q, 0)->sends, 1);
	assert_int_equal(reliable_at(&q, 0)->due_ms, 2250);
	for (; t < 4990; t += 10)
		failed += reliable_tick(&q, t, NULL, NULL, NULL);
	assert_int_equal(failed, 0);	/* alive past its first 3 s */
	for (; t <= 5000; t += 10)
		failed += reliable_tick(&q, t, NULL, NULL, NULL);
	assert_int_equal(failed, 1);	/* at 2000 + 3000 */
	reliable_queue_free(&q);
	assert_int_equal(q.life_ms, 3000);

	reliable_queue_set_life(&q, 0);
	push_str(&q, 6, "d", 0);
	for (t = 0, failed = 0; t <= 7750; t += 250)
		failed += reliable_tick(&q, t, resend_cb, fail_cb, &ev);
	assert_int_equal(failed, 1);
	assert_int_equal(ev.resends, 4);	/* protocol 1: 5 sends */
	reliable_queue_free(&q);
}

/* NULL callbacks are allowed; the count of failures is still returned. */
static void
test_tick_null_callbacks(void **state)
{
	struct reliable_queue	 q;
	uint64_t		 t;
	int			 failed = 0;

	UNUSED(state);
	reliable_queue_init(&q);
	push_str(&q, 1, "a", 0);
	push_str(&q, 2, "b", 0);
	for (t = 0; t <= 8000; t += 50)
		failed += reliable_tick(&q, t, NULL, NULL, NULL);
	assert_int_equal(failed, 2);
	assert_int_equal(q.count, 0);
	reliable_queue_free(&q);
}

static void
test_ack_stops_resends(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	uint64_t		 t;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	push_str(&q, 1, "one", 0);
	push_str(&q, 2, "two", 0);
	for (t = 0; t <= 300; t++)
		reliable_tick(&q, t, resend_cb, fail_cb, &ev);
	assert_int_equal(ev.resends, 2);
	assert_int_equal(reliable_ack(&q, 1), 0);
	assert_int_equal(reliable_ack(&q, 1), -1);	/* duplicate ack */
	assert_int_equal(reliable_ack(&q, 99), -1);	/* never sent */
	for (t = 301; t <= 9000; t++)
		reliable_tick(&q, t, resend_cb, fail_cb, &ev);
	/* Key 2 got its 3 further resends and failed; key 1 nothing more. */
	assert_int_equal(ev.resends, 2 + 3);
	assert_int_equal(ev.fails, 1);
	assert_int_equal(ev.fail_key[0], 2);
	for (t = 0; t < (uint64_t)ev.resends; t++)
		assert_true(t < 2 || ev.resend_key[t] == 2);
	reliable_queue_free(&q);
}

/* Acks from the middle and the tail keep the order of the rest. */
static void
test_ack_out_of_order(void **state)
{
	struct reliable_queue	 q;
	uint64_t		 k;
	const uint64_t		 a[] = { 1, 2, 4, 5, 6, 7, 8, 9, 10 };
	const uint64_t		 b[] = { 1, 2, 4, 5, 6, 7, 9 };
	const uint64_t		 c[] = { 2, 5, 7 };

	UNUSED(state);
	reliable_queue_init(&q);
	for (k = 1; k <= 10; k++)
		assert_int_equal(reliable_push(&q, k, "d", 1, k), 0);
	assert_int_equal(reliable_ack(&q, 3), 0);
	assert_keys(&q, a, 9);
	assert_int_equal(reliable_ack(&q, 10), 0);
	assert_int_equal(reliable_ack(&q, 8), 0);
	assert_keys(&q, b, 7);
	assert_int_equal(reliable_ack(&q, 1), 0);
	assert_int_equal(reliable_ack(&q, 9), 0);
	assert_int_equal(reliable_ack(&q, 4), 0);
	assert_int_equal(reliable_ack(&q, 6), 0);
	assert_keys(&q, c, 3);
	/* The remaining entries still carry their own data and timing. */
	assert_int_equal(reliable_at(&q, 1)->due_ms, 5 + 250);
	/* Reuse after emptying. */
	assert_int_equal(reliable_ack(&q, 2), 0);
	assert_int_equal(reliable_ack(&q, 5), 0);
	assert_int_equal(reliable_ack(&q, 7), 0);
	assert_int_equal(q.count, 0);
	push_str(&q, 11, "again", 0);
	assert_keys(&q, (const uint64_t[]){ 11 }, 1);
	reliable_queue_free(&q);
}

/*
 * A cumulative ack forgets everything up to upto and the listed keys
 * above it, nothing else; keys already gone and keys at or below upto
 * in the list are not counted twice.
 */
static void
test_ack_upto(void **state)
{
	struct reliable_queue	 q;
	uint64_t		 k;
	const uint64_t		 seqs[] = { 7, 9, 9, 3, 40 };
	const uint64_t		 left[] = { 6, 8, 10 };

	UNUSED(state);
	reliable_queue_init(&q);
	for (k = 1; k <= 10; k++)
		assert_int_equal(reliable_push(&q, k, "d", 1, k), 0);
	assert_int_equal(reliable_ack(&q, 2), 0);
	assert_int_equal(reliable_ack_upto(&q, 5, seqs, 5), 4 + 2);
	assert_keys(&q, left, 3);
	assert_int_equal(reliable_ack_upto(&q, 5, NULL, 0), 0);
	assert_int_equal(reliable_ack_upto(&q, 100, NULL, 0), 3);
	assert_int_equal(q.count, 0);
	reliable_queue_free(&q);
}

/*
 * Growth past 256 while the ring is wrapped (head not at 0), then acks
 * from both halves: order and data survive every move.
 */
static void
test_growth_wrapped(void **state)
{
	struct reliable_queue	 q;
	struct reliable_entry	*e;
	char			 buf[32];
	uint64_t		 k;
	size_t			 i;
	int			 n;

	UNUSED(state);
	reliable_queue_init(&q);
	assert_null(q.ring);
	assert_int_equal(q.cap, 0);
	for (k = 1; k <= 10; k++) {
		n = snprintf(buf, sizeof(buf), "m%llu", (unsigned long long)k);
		assert_int_equal(reliable_push(&q, k, buf, (size_t)n, 0), 0);
	}
	for (k = 1; k <= 7; k++)
		assert_int_equal(reliable_ack(&q, k), 0);
	for (k = 11; k <= 600; k++) {
		n = snprintf(buf, sizeof(buf), "m%llu", (unsigned long long)k);
		assert_int_equal(reliable_push(&q, k, buf, (size_t)n, k), 0);
	}
	assert_int_equal(q.count, 600 - 7);
	assert_true(q.cap >= q.count);
	assert_int_equal(q.cap & (q.cap - 1), 0);
	assert_int_equal(reliable_ack(&q, 300), 0);
	assert_int_equal(reliable_ack(&q, 12), 0);
	assert_int_equal(reliable_ack(&q, 590), 0);
	for (i = 0, k = 8; k <= 600; k++) {
		if (k == 300 || k == 12 || k == 590)
			continue;
		e = reliable_at(&q, i++);
		assert_int_equal(e->key, k);
		n = snprintf(buf, sizeof(buf), "m%llu", (unsigned long long)k);
		assert_int_equal(e->len, (size_t)n);
		assert_memory_equal(e->data, buf, (size_t)n);
	}
	assert_int_equal(i, q.count);
	reliable_queue_free(&q);
	assert_null(q.ring);
	assert_int_equal(q.count, 0);
}

/* next_due is the minimum, not the oldest entry's due time. */
static void
test_next_due_min(void **state)
{
	struct reliable_queue	 q;
	uint64_t		 due;

	UNUSED(state);
	reliable_queue_init(&q);
	assert_false(reliable_next_due(&q, &due));
	push_str(&q, 1, "a", 0);		/* due 250 */
	reliable_tick(&q, 250, NULL, NULL, NULL);	/* due 750 */
	push_str(&q, 2, "b", 300);		/* due 550 */
	assert_true(reliable_next_due(&q, &due));
	assert_int_equal(due, 550);
	assert_int_equal(reliable_ack(&q, 2), 0);
	assert_true(reliable_next_due(&q, &due));
	assert_int_equal(due, 750);
	reliable_queue_free(&q);
}

static void
test_replace(void **state)
{
	struct reliable_queue	 q;
	struct events		 ev;
	struct reliable_entry	*e;

	UNUSED(state);
	memset(&ev, 0, sizeof(ev));
	reliable_queue_init(&q);
	push_str(&q, 1, "old-token", 0);
	e = reliable_at(&q, 0);
	assert_int_equal(reliable_replace(e, "new", 3), 0);
	assert_int_equal(e->len, 3);
	assert_memory_equal(e->data, "new", 3);
	assert_int_equal(e->sends, 1);
	reliable_tick(&q, 100000, NULL, NULL, NULL);
	reliable_tick(&q, 200000, NULL, NULL, NULL);
	reliable_tick(&q, 300000, NULL, NULL, NULL);
	reliable_tick(&q, 400000, NULL, NULL, NULL);
	reliable_tick(&q, 500000, resend_cb, fail_cb, &ev);
	assert_int_equal(ev.fails, 1);
	assert_string_equal(ev.fail_data[0], "new");
	reliable_queue_free(&q);
}

/* ---- window ---- */

static enum reliable_verdict
offer_str(struct reliable_window *w, uint64_t seq, const char *s)
{
	return reliable_window_offer(w, seq, s, strlen(s));
}

static void
assert_pop(struct reliable_window *w, const char *want)
{
	char	 buf[PROTO_MAX_DGRAM];
	size_t	 len = 0;

	assert_true(reliable_window_pop(w, buf, sizeof(buf), &len));
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
}

static void
assert_no_pop(struct reliable_window *w)
{
	char	 buf[PROTO_MAX_DGRAM];
	size_t	 len = 0;

	assert_false(reliable_window_pop(w, buf, sizeof(buf), &len));
}

static void
test_window_in_order(void **state)
{
	struct reliable_window	 w;
	uint64_t		 s;

	UNUSED(state);
	reliable_window_init(&w);
	assert_int_equal(w.next, 1);
	for (s = 1; s <= 1000; s++)
		assert_int_equal(offer_str(&w, s, "m"), RELIABLE_DELIVER);
	assert_int_equal(w.next, 1001);
	assert_null(w.slots);		/* nothing held, nothing allocated */
	assert_no_pop(&w);
	assert_int_equal(offer_str(&w, 1000, "m"), RELIABLE_DUP);
	assert_int_equal(offer_str(&w, 1, "m"), RELIABLE_DUP);
	reliable_window_free(&w);
}

static void
test_window_reorder(void **state)
{
	struct reliable_window	 w;

	UNUSED(state);
	reliable_window_init(&w);
	assert_int_equal(offer_str(&w, 3, "three"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 2, "two"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 5, "five"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 3, "three"), RELIABLE_DUP);
	assert_no_pop(&w);
	assert_int_equal(w.next, 1);
	assert_int_equal(offer_str(&w, 1, "one"), RELIABLE_DELIVER);
	assert_pop(&w, "two");
	assert_pop(&w, "three");
	assert_no_pop(&w);		/* 4 is missing */
	assert_int_equal(w.next, 4);
	assert_int_equal(offer_str(&w, 2, "two"), RELIABLE_DUP);
	assert_int_equal(offer_str(&w, 5, "five"), RELIABLE_DUP);
	assert_int_equal(offer_str(&w, 4, "four"), RELIABLE_DELIVER);
	assert_pop(&w, "five");
	assert_no_pop(&w);
	assert_int_equal(w.next, 6);
	assert_int_equal(offer_str(&w, 6, "six"), RELIABLE_DELIVER);
	reliable_window_free(&w);
}

static void
test_window_far(void **state)
{
	struct reliable_window	 w;
	char			 big[PROTO_MAX_DGRAM + 1];

	UNUSED(state);
	reliable_window_init(&w);
	assert_int_equal(offer_str(&w, 0, "zero"), RELIABLE_FAR);
	assert_int_equal(offer_str(&w, 1 + RELIABLE_WINDOW, "far"),
	    RELIABLE_FAR);
	assert_int_equal(offer_str(&w, UINT64_MAX, "far"), RELIABLE_FAR);
	assert_int_equal(offer_str(&w, RELIABLE_WINDOW, "edge"),
	    RELIABLE_HOLD);
	memset(big, 'x', sizeof(big));
	assert_int_equal(reliable_window_offer(&w, 2, big, sizeof(big)),
	    RELIABLE_FAR);
	assert_int_equal(w.next, 1);
	/* Deliver 1 .. WINDOW-1, and the held edge comes out last. */
	while (w.next < RELIABLE_WINDOW)
		assert_int_equal(offer_str(&w, w.next, "m"), RELIABLE_DELIVER);
	assert_pop(&w, "edge");
	assert_int_equal(w.next, RELIABLE_WINDOW + 1);
	/* The window slid: what was far is now near. */
	assert_int_equal(offer_str(&w, 2 * RELIABLE_WINDOW, "edge2"),
	    RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 2 * RELIABLE_WINDOW + 1, "far"),
	    RELIABLE_FAR);
	reliable_window_free(&w);
}

/* A full window held, every slot, popped in one chain. */
static void
test_window_full_chain(void **state)
{
	struct reliable_window	 w;
	char			 buf[32];
	uint64_t		 s;
	int			 n;

	UNUSED(state);
	reliable_window_init(&w);
	reliable_window_reset(&w);	/* reset before any hold is fine */
	for (s = RELIABLE_WINDOW; s >= 2; s--) {
		n = snprintf(buf, sizeof(buf), "s%llu", (unsigned long long)s);
		assert_int_equal(reliable_window_offer(&w, s, buf, (size_t)n),
		    RELIABLE_HOLD);
	}
	assert_int_equal(offer_str(&w, 1, "s1"), RELIABLE_DELIVER);
	for (s = 2; s <= RELIABLE_WINDOW; s++) {
		snprintf(buf, sizeof(buf), "s%llu", (unsigned long long)s);
		assert_pop(&w, buf);
	}
	assert_no_pop(&w);
	assert_int_equal(w.next, RELIABLE_WINDOW + 1);
	reliable_window_free(&w);
}

static void
test_window_reset(void **state)
{
	struct reliable_window	 w;

	UNUSED(state);
	reliable_window_init(&w);
	assert_int_equal(offer_str(&w, 1, "a"), RELIABLE_DELIVER);
	assert_int_equal(offer_str(&w, 3, "held"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 4, "held"), RELIABLE_HOLD);
	reliable_window_reset(&w);	/* frees the held copies (ASan) */
	assert_int_equal(w.next, 1);
	assert_no_pop(&w);
	assert_int_equal(offer_str(&w, 3, "new3"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 1, "new1"), RELIABLE_DELIVER);
	assert_no_pop(&w);
	assert_int_equal(offer_str(&w, 2, "new2"), RELIABLE_DELIVER);
	assert_pop(&w, "new3");
	reliable_window_free(&w);
	reliable_window_free(&w);	/* twice is harmless */
}

/* A pop buffer too small leaves the message held, not truncated. */
/* held: only what arrived early and is not popped; next may start late. */
static void
test_window_held(void **state)
{
	struct reliable_window	 w;

	UNUSED(state);
	reliable_window_init(&w);
	assert_false(reliable_window_held(&w, 3));
	w.next = 10;		/* a resumed session's first request id */
	assert_int_equal(offer_str(&w, 12, "c"), RELIABLE_HOLD);
	assert_true(reliable_window_held(&w, 12));
	assert_false(reliable_window_held(&w, 11));
	assert_false(reliable_window_held(&w, 10));
	assert_false(reliable_window_held(&w, 12 + RELIABLE_WINDOW));
	assert_int_equal(offer_str(&w, 10, "a"), RELIABLE_DELIVER);
	assert_int_equal(offer_str(&w, 11, "b"), RELIABLE_DELIVER);
	assert_true(reliable_window_held(&w, 12));
	assert_pop(&w, "c");
	assert_false(reliable_window_held(&w, 12));
	assert_int_equal(w.next, 13);
	reliable_window_free(&w);
}

static void
test_window_pop_small_buf(void **state)
{
	struct reliable_window	 w;
	char			 buf[4];
	size_t			 len = 0;

	UNUSED(state);
	reliable_window_init(&w);
	assert_int_equal(offer_str(&w, 2, "too long"), RELIABLE_HOLD);
	assert_int_equal(offer_str(&w, 1, "a"), RELIABLE_DELIVER);
	assert_false(reliable_window_pop(&w, buf, sizeof(buf), &len));
	assert_int_equal(w.next, 2);
	assert_pop(&w, "too long");
	reliable_window_free(&w);
}

/* A join encoded once and rendered with each seq is what proto_encode says. */
static void
test_body_render(void **state)
{
	struct proto_msg	 m;
	struct reliable_body	*b;
	char			 enc[PROTO_MAX_DGRAM], want[PROTO_MAX_DGRAM];
	char			 got[PROTO_MAX_DGRAM];
	static const uint64_t	 seqs[] = { 1, 9, 10, 12345, PROTO_INT_MAX };
	size_t			 off, n, i, len;
	int			 elen, wlen;

	(void)state;
	proto_init(&m, PROTO_CHAT);
	snprintf(m.from, sizeof(m.from), "%s", "\xe4\xb8\xad\"q");
	snprintf(m.text, sizeof(m.text), "%s", "a \"quoted\" \\ text");
	m.ts = 1764000000000ULL;
	m.seq = PROTO_INT_MAX;
	elen = proto_encode_seq(&m, enc, sizeof(enc), &off, &n);
	assert_true(elen > 0);
	assert_int_equal(n, 16);
	b = reliable_body_new(enc, off, enc + off + n, (size_t)elen - off - n);
	assert_non_null(b);
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		m.seq = seqs[i];
		wlen = proto_encode(&m, PROTO_FROM_SERVER, want, sizeof(want));
		len = reliable_body_render(b, seqs[i], got, sizeof(got));
		assert_int_equal(len, wlen);
		assert_memory_equal(got, want, len);
	}
	assert_int_equal(reliable_body_render(b, 1, got, 10), 0);
	reliable_body_unref(b);

	/* No seq, no span: welcome and ack are not fanned out. */
	proto_init(&m, PROTO_PONG);
	assert_int_equal(proto_encode_seq(&m, enc, sizeof(enc), &off, &n), -1);
}

struct body_resend {
	char	 buf[PROTO_MAX_DGRAM];
	size_t	 len;
	int	 calls;
};

static void
body_resend_cb(void *arg, const struct reliable_entry *e)
{
	struct body_resend	*r = arg;

	assert_null(e->data);
	r->len = reliable_body_render(e->body, e->key, r->buf, sizeof(r->buf));
	r->calls++;
}

/*
 * One body in three queues (three sessions' in the server) under
 * different seqs: shared, not copied; resent with the entry's own seq;
 * freed when the last entry goes (by ack, and by freeing a queue with
 * entries left, as removing a session does).
 */
static void
test_body_shared(void **state)
{
	struct reliable_queue	 q[3];
	struct reliable_body	*b;
	struct proto_msg	 m;
	struct body_resend	 r;
	char			 enc[PROTO_MAX_DGRAM], want[PROTO_MAX_DGRAM];
	size_t			 off, n, i;
	int			 elen, wlen;

	(void)state;
	proto_init(&m, PROTO_JOIN);
	snprintf(m.name, sizeof(m.name), "%s", "newcomer");
	m.ts = 5;
	m.seq = PROTO_INT_MAX;
	elen = proto_encode_seq(&m, enc, sizeof(enc), &off, &n);
	assert_true(elen > 0);
	b = reliable_body_new(enc, off, enc + off + n, (size_t)elen - off - n);
	assert_non_null(b);
	for (i = 0; i < 3; i++) {
		reliable_queue_init(&q[i]);
		assert_int_equal(reliable_push_body(&q[i], 7 + i, b, 1000), 0);
	}
	assert_int_equal(b->refs, 4);

	memset(&r, 0, sizeof(r));
	assert_int_equal(reliable_tick(&q[1], 1000 + PROTO_RETRY_FIRST_MS,
	    body_resend_cb, NULL, &r), 0);
	assert_int_equal(r.calls, 1);
	m.seq = 8;
	wlen = proto_encode(&m, PROTO_FROM_SERVER, want, sizeof(want));
	assert_int_equal(r.len, wlen);
	assert_memory_equal(r.buf, want, r.len);

	assert_int_equal(reliable_ack(&q[0], 7), 0);
	assert_int_equal(reliable_ack(&q[0], 7), -1);
	assert_int_equal(b->refs, 3);
	reliable_queue_free(&q[2]);
	assert_int_equal(b->refs, 2);
	reliable_body_unref(b);		/* the fan-out's own reference */
	assert_int_equal(reliable_ack(&q[1], 8), 0);	/* frees it */
	reliable_queue_free(&q[0]);
	reliable_queue_free(&q[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule_exact),
		cmocka_unit_test(test_schedule_next_due),
		cmocka_unit_test(test_tick_null_callbacks),
		cmocka_unit_test(test_life_schedule),
		cmocka_unit_test(test_life_sends_count),
		cmocka_unit_test(test_life_short_and_late),
		cmocka_unit_test(test_life_restart),
		cmocka_unit_test(test_ack_stops_resends),
		cmocka_unit_test(test_ack_out_of_order),
		cmocka_unit_test(test_ack_upto),
		cmocka_unit_test(test_growth_wrapped),
		cmocka_unit_test(test_next_due_min),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_window_in_order),
		cmocka_unit_test(test_window_reorder),
		cmocka_unit_test(test_window_far),
		cmocka_unit_test(test_window_full_chain),
		cmocka_unit_test(test_window_reset),
		cmocka_unit_test(test_window_held),
		cmocka_unit_test(test_window_pop_small_buf),
		cmocka_unit_test(test_body_render),
		cmocka_unit_test(test_body_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

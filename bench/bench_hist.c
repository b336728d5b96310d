/*
 * bench_hist: a latency histogram in microseconds. Values below 2048
 * have a bucket each; above, each power of two is cut into 1024 buckets,
 * so a percentile is off by at most 0.1 %. That keeps millions of
 * deliveries in a fixed 230 kB instead of one number each.
 */
#include <stdlib.h>

#include "bench.h"

#define HIST_SUB_BITS	10
#define HIST_SUB	(1 << HIST_SUB_BITS)
#define HIST_LINEAR	(2 * HIST_SUB)
/* 2^40 us is twelve days: more than any run is allowed to last. */
#define HIST_TOP_BIT	40
#define HIST_BUCKETS	(HIST_LINEAR + (HIST_TOP_BIT - HIST_SUB_BITS) * HIST_SUB)

static size_t	 hist_index(uint64_t v);
static uint64_t	 hist_value(size_t i);

static size_t
hist_index(uint64_t v)
{
	int	 top, shift;

	if (v < HIST_LINEAR)
		return v;
	if (v >= (UINT64_C(1) << HIST_TOP_BIT))
		v = (UINT64_C(1) << HIST_TOP_BIT) - 1;
	top = 63 - __builtin_clzll(v);
	shift = top - HIST_SUB_BITS;
	return HIST_LINEAR + (size_t)(top - HIST_SUB_BITS - 1) * HIST_SUB +
	    (size_t)((v >> shift) - HIST_SUB);
}

/* The smallest value that falls in bucket i. */
static uint64_t
hist_value(size_t i)
{
	size_t	 k;
	int	 shift;

	if (i < HIST_LINEAR)
		return i;
	k = i - HIST_LINEAR;
	shift = (int)(k / HIST_SUB) + 1;
	return (uint64_t)(k % HIST_SUB + HIST_SUB) << shift;
}

int
bench_hist_init(struct bench_hist *h)
{
	h->b = calloc(HIST_BUCKETS, sizeof *h->b);
	h->count = h->sum = h->max = 0;
	return h->b == NULL ? -1 : 0;
}

void
bench_hist_free(struct bench_hist *h)
{
	free(h->b);
	h->b = NULL;
}

void
bench_hist_add(struct bench_hist *h, uint64_t v)
{
	h->b[hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

/* The value below which pct percent of the samples fall (0 if none). */
uint64_t
bench_hist_pct(const struct bench_hist *h, double pct)
{
	uint64_t	 rank, seen;
	size_t		 i;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(pct / 100.0 * (double)h->count + 0.999999);
	if (rank < 1)
		rank = 1;
	seen = 0;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			return hist_value(i) < h->max ? hist_value(i) : h->max;
	}
	return h->max;
}

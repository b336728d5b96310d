/*
 * bench_load: N chat clients in one process, one UDP socket each, all on
 * loopback, speaking protocol v1 (docs/protocol.md) to the server.
 *
 * A run has four phases, each bounded in time:
 *   login	every client logs in (at most LOAD_LOGIN_WINDOW at once,
 *		login retried 250 ms doubling as the contract says)
 *   settle	until the N(N-1)/2 joins have arrived and been acked, so
 *		"RSS after logins" is read from a quiet server
 *   run	closed loop: S senders keep at most W chats in flight, M in
 *		all; a chat is in flight until all N-1 others have it
 *   quit	every client quits, briefly, acking the leaves
 *
 * Every reliable message is acked exactly as a real client would (the
 * acks are half the server's load); chat requests carry ids and are
 * retransmitted 250 ms doubling until acked (shared/reliable). Each text
 * is "b MSGNO T_US" padded with '_', T_US the send time on
 * CLOCK_MONOTONIC, so a receiver knows the message and its latency.
 *
 * By default the server runs with --no-rate-limit and the senders are
 * not paced. Under --rate-limited the server allows each session a burst
 * of 20 chats and then 10 a second; senders follow the same token bucket
 * (--pace) so the run shows fan-out rather than refusals, and the time
 * the window had room while no sender had a token is reported: when it
 * is large, the rate limit, not the server, set the pace.
 *
 * The bench shares the machine with the server it measures, so its cost
 * per delivery is kept low: the server's chats for this run are read by
 * a scanner of the one form proto_encode writes (load_scan_chat), not by
 * cJSON; anything else goes through proto_decode. Acks are a template
 * per session with the seq digits written in. Retransmits seen and
 * socket drops are counted per phase, so the load's figures are its own.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "proto.h"
#include "reliable.h"

#define LOAD_BATCH		64
#define LOAD_EVENTS		1024
#define LOAD_LOGIN_WINDOW	64
#define LOAD_LOGIN_MS		30000
#define LOAD_JOIN_BACKLOG	1024
#define LOAD_LOGIN_IV_MAX	2000
#define LOAD_SETTLE_MS		10000
#define LOAD_SETTLE_QUIET_MS	200
#define LOAD_QUIT_MS		2000
#define LOAD_QUIT_IV_MS		500
#define LOAD_TICK_MS		10
#define LOAD_EXPIRE_EVERY_MS	100
/*
 * A chat not delivered everywhere this long after its last send is given
 * up on: the request's retransmits (7.75 s) are over, and so are the
 * server's (3.75 s) for any receiver it reached.
 */
#define LOAD_GIVEUP_US		(12 * 1000000ULL)
/*
 * A sender keeps this many tokens in hand: the server's bucket sees our
 * chats later than we send them and with jitter (queued behind acks, up
 * to hundreds of ms under load), so a bucket run to exactly empty here
 * would now and then be short there (slow_down). 5 tokens absorb 500 ms.
 */
#define LOAD_PACE_CUSHION	5.0
/*
 * A sender refused with slow_down waits this long before its next chat,
 * so that even unpaced (--pace off) the bench does not spin on refusals.
 */
#define LOAD_SLOW_DOWN_US	100000ULL
/* The digits that stand for seq in an ack template. */
#define LOAD_SEQ_MARK		"9007199254740991"
/* A protocol integer (at most PROTO_INT_MAX) has at most this many digits. */
#define LOAD_INT_DIGITS		16
/*
 * The chat scanner is checked against proto_decode on the first chats it
 * reads and then one in this many, so a scanner that drifted from the
 * encoder shows in the figures (scanner mismatches) at little cost.
 */
#define LOAD_SCAN_CHECK_FIRST	256
#define LOAD_SCAN_CHECK_EVERY	1024

enum load_phase {
	PH_LOGIN,
	PH_SETTLE,
	PH_RUN,
	PH_QUIT,
};

enum msg_state {
	MSG_UNSENT,
	MSG_SENT,
	MSG_DONE,
	MSG_EXPIRED,
};

struct bmsg {
	uint64_t	 t_us;		/* last send */
	uint32_t	 ndeliv;	/* distinct receivers so far */
	int32_t		 sender;
	uint8_t		 state;
};

struct bclient {
	int			 fd;
	int			 idx;
	bool			 online;
	bool			 bye;
	bool			 counted;	/* in the login window */
	int			 login_sends;
	uint64_t		 login_due;	/* ms */
	uint32_t		 login_iv;
	uint64_t		 last_send;	/* ms, for pings */
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 token[PROTO_TOKEN_LEN + 1];
	/* the server's address check; "": none yet */
	char			 cookie[PROTO_COOKIE_MAX + 1];
	/* an ack with the seq cut out: head, digits, tail */
	char			 ack[PROTO_MAX_DGRAM];
	size_t			 ack_len, ack_seq_off;
	/* a bit per seq received, to see retransmits */
	uint64_t		*seen;
	size_t			 seen_words;
	/* cap batch: every seq up to upto received; the highest received */
	uint64_t		 upto, top;
	bool			 ack_due;	/* a cumulative ack to send */
	/* senders only */
	struct reliable_queue	 rq;
	uint64_t		 next_id;
	uint32_t		*id_msg;	/* msgno + 1 of each request id */
	size_t			 id_cap;
	double			 tokens;
	uint64_t		 tokens_us;
	uint64_t		 hold_us;	/* after slow_down, no chat until */
};

struct load {
	const struct bench_opts	*o;
	struct bench_result	*r;
	struct bench_server	*sv;
	int			 n, s, w;
	long			 m;
	struct bclient		*c;
	struct bmsg		*msg;
	uint64_t		*rcpt;		/* per message, a bit per receiver */
	size_t			 rwords;
	int			 ep;
	enum load_phase		 phase;
	long			 next_msg;	/* next never-sent message */
	long			 oldest;	/* no message before is in flight */
	long			 inflight;
	long			*retry;		/* refused with slow_down */
	long			 nretry;
	int			 rr;		/* next sender to try */
	int			 heartbeat_ms;
	uint64_t		 joins;
	int			 logins_out;
	int			 byes;
	int			 quit_want;	/* sessions that should say bye */
	uint64_t		 t_first_us, t_last_us, t_rx_us;
	uint64_t		 last_tick, last_expire, last_fill_us;
	bool			 paced;
	uint64_t		 paced_us;
	uint64_t		 rx_bytes, rx_chats;
	size_t			 prefix_len;
	uint64_t		 nscanned;	/* chats the scanner read */
	uint64_t		 server_drops, client_drops;	/* last read */
	char			 prefix[8];
	uint8_t			 ports[65536 / 8];	/* our clients' ports */
	struct bench_hist	 hist;
	struct proto_msg	 in;		/* decoded datagram */
	struct proto_msg	 out;		/* datagram being encoded */
	char			 text[PROTO_TEXT_MAX + 1];
	char			 obuf[PROTO_MAX_DGRAM + 1];
	struct mmsghdr		 rmm[LOAD_BATCH];
	struct iovec		 riov[LOAD_BATCH];
	char			 rbuf[LOAD_BATCH][PROTO_MAX_DGRAM + 1];
	struct mmsghdr		 smm[LOAD_BATCH];
	struct iovec		 siov[LOAD_BATCH];
	char			 sbuf[LOAD_BATCH][PROTO_MAX_DGRAM];
	int			 nsend;
	struct epoll_event	 evs[LOAD_EVENTS];
};

/* What reliable_tick's callbacks need. */
struct load_cb {
	struct load	*l;
	struct bclient	*c;
};

static int	 load_setup(struct load *l, char *err, size_t errlen);
static void	 load_free(struct load *l);
static int	 load_loop(struct load *l, enum load_phase ph,
		    uint64_t deadline_ms, const char **why);
static bool	 load_phase_done(struct load *l, uint64_t now_ms);
static void	 load_tick(struct load *l, uint64_t now_ms);
static void	 load_read(struct load *l, struct bclient *c);
static void	 load_message(struct load *l, struct bclient *c,
		    const char *buf, size_t len, uint64_t now_us);
static void	 load_queue_upto(struct load *l, struct bclient *c);
static void	 load_datagram(struct load *l, struct bclient *c,
		    const char *buf, size_t len, uint64_t now_us);
static void	 load_welcome(struct load *l, struct bclient *c);
static void	 load_cookie(struct load *l, struct bclient *c);
static void	 load_error(struct load *l, struct bclient *c);
static void	 load_drop_requests(struct load *l, struct bclient *c);
static bool	 load_scan_chat(const struct load *l, const char *buf,
		    size_t len, uint64_t *seq, unsigned long *msgno,
		    uint64_t *t_us);
static void	 load_scan_check(struct load *l, const char *buf,
		    size_t len, uint64_t seq, unsigned long msgno,
		    uint64_t t_us);
static const char *load_scan_u64(const char *p, const char *end,
		    uint64_t *v);
static const char *load_scan_lit(const char *p, const char *end,
		    const char *lit, size_t n);
static bool	 load_reliable(struct load *l, struct bclient *c,
		    uint64_t seq);
static void	 load_decoded_chat(struct load *l, struct bclient *c,
		    size_t len, uint64_t now_us);
static void	 load_delivery(struct load *l, struct bclient *c,
		    unsigned long msgno, uint64_t t_us, size_t len,
		    uint64_t now_us);
static void	 load_queue_ack(struct load *l, struct bclient *c,
		    uint64_t seq);
static void	 load_flush(struct load *l, struct bclient *c);
static void	 load_send(struct load *l, struct bclient *c, const char *buf,
		    int len, uint64_t now_ms);
static void	 load_encode_send(struct load *l, struct bclient *c,
		    uint64_t now_ms);
static void	 load_login(struct load *l, struct bclient *c, uint64_t now_ms);
static uint64_t	 load_join_backlog(struct load *l);
static void	 load_fill(struct load *l, uint64_t now_us);
static struct bclient *load_pick(struct load *l, uint64_t now_us);
static void	 load_chat(struct load *l, struct bclient *c, long msgno,
		    uint64_t now_us);
static void	 load_expire(struct load *l, uint64_t now_us);
static void	 load_resend_cb(void *arg, const struct reliable_entry *e);
static void	 load_fail_cb(void *arg, const struct reliable_entry *e);
static int	 load_seen(struct bclient *c, uint64_t seq);
static bool	 load_seen_bit(const struct bclient *c, uint64_t seq);
static enum bench_phase load_bench_phase(enum load_phase ph);
static void	 load_drops(struct load *l, enum bench_phase ph);
static void	 load_figures(struct load *l, uint64_t end_us);
static bool	 load_server_gone(struct load *l);

/* ---- set-up ---- */

static int
load_setup(struct load *l, char *err, size_t errlen)
{
	struct epoll_event	 ev;
	struct net_addr		 bound;
	const char		*host;
	int			 i;
	uint32_t		 rnd;

	l->c = calloc(l->n, sizeof *l->c);
	l->msg = calloc(l->m, sizeof *l->msg);
	l->rwords = ((size_t)l->n + 63) / 64;
	l->rcpt = calloc((size_t)l->m * l->rwords, sizeof *l->rcpt);
	l->retry = calloc(l->m, sizeof *l->retry);
	if (l->c == NULL || l->msg == NULL || l->rcpt == NULL ||
	    l->retry == NULL || bench_hist_init(&l->hist) == -1) {
		snprintf(err, errlen, "out of memory for %d clients and %ld "
		    "messages", l->n, l->m);
		return -1;
	}
	if ((l->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	/* Names are unique per run, so a rerun against a live server works. */
	if (net_random(&rnd, sizeof rnd) == -1)
		rnd = (uint32_t)getpid();
	snprintf(l->prefix, sizeof l->prefix, "%04x", rnd & 0xffff);
	l->prefix_len = strlen(l->prefix);
	host = l->sv->addr.ss.ss_family == AF_INET6 ? "::1" : "127.0.0.1";
	for (i = 0; i < l->n; i++)
		l->c[i].fd = -1;
	for (i = 0; i < l->n; i++) {
		struct bclient	*c = &l->c[i];

		c->idx = i;
		snprintf(c->name, sizeof c->name, "%s-%d", l->prefix, i);
		reliable_queue_init(&c->rq);
		c->next_id = 1;
		c->fd = net_udp_server(host, 0, 0, &bound, err, errlen);
		if (c->fd == -1)
			return -1;
		l->ports[net_port(&bound) / 8] |= 1 << (net_port(&bound) % 8);
		if (connect(c->fd, (struct sockaddr *)&l->sv->addr.ss,
		    l->sv->addr.len) == -1) {
			snprintf(err, errlen, "connect: %s", strerror(errno));
			return -1;
		}
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
			snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
			return -1;
		}
	}
	/* The headers are set once: the kernel writes only lengths and flags. */
	for (i = 0; i < LOAD_BATCH; i++) {
		l->riov[i].iov_base = l->rbuf[i];
		l->riov[i].iov_len = sizeof l->rbuf[i];
		l->rmm[i].msg_hdr.msg_iov = &l->riov[i];
		l->rmm[i].msg_hdr.msg_iovlen = 1;
		l->siov[i].iov_base = l->sbuf[i];
		l->smm[i].msg_hdr.msg_iov = &l->siov[i];
		l->smm[i].msg_hdr.msg_iovlen = 1;
	}
	l->heartbeat_ms = PROTO_HEARTBEAT_DEFAULT * 1000;
	return 0;
}

static void
load_free(struct load *l)
{
	int	 i;

	for (i = 0; l->c != NULL && i < l->n; i++) {
		if (l->c[i].fd != -1)
			close(l->c[i].fd);
		reliable_queue_free(&l->c[i].rq);
		free(l->c[i].seen);
		free(l->c[i].id_msg);
	}
	if (l->ep > 0)
		close(l->ep);
	free(l->c);
	free(l->msg);
	free(l->rcpt);
	free(l->retry);
	bench_hist_free(&l->hist);
}

/* ---- the loop ---- */

/*
 * Runs phase ph until it is done (0), or the deadline, a signal or the
 * server's death stops it (-1, *why says which).
 */
static int
load_loop(struct load *l, enum load_phase ph, uint64_t deadline_ms,
    const char **why)
{
	uint64_t	 now;
	int		 nev, i;

	l->phase = ph;
	for (;;) {
		now = clock_ms();
		if (bench_stop) {
			*why = "interrupted";
			return -1;
		}
		if (now >= deadline_ms) {
			*why = "timeout";
			return -1;
		}
		if (ph == PH_RUN)
			load_fill(l, clock_us());
		if (now - l->last_tick >= LOAD_TICK_MS) {
			load_tick(l, now);
			if (load_server_gone(l)) {
				*why = "server exited";
				return -1;
			}
		}
		if (load_phase_done(l, now))
			return 0;
		nev = epoll_wait(l->ep, l->evs, LOAD_EVENTS, LOAD_TICK_MS);
		for (i = 0; i < nev; i++)
			load_read(l, &l->c[l->evs[i].data.u32]);
	}
}

static bool
load_phase_done(struct load *l, uint64_t now_ms)
{
	uint64_t	 want;

	switch (l->phase) {
	case PH_LOGIN:
		return l->r->online == l->n;
	case PH_SETTLE:
		want = (uint64_t)l->n * (uint64_t)(l->n - 1) / 2;
		return l->joins >= want &&
		    now_ms - l->t_rx_us / 1000 >= LOAD_SETTLE_QUIET_MS;
	case PH_RUN:
		return l->next_msg == l->m && l->inflight == 0 &&
		    l->nretry == 0;
	case PH_QUIT:
		return l->byes >= l->quit_want;
	}
	return true;
}

/* Timers: logins, quits, pings, request retransmits, given-up chats. */
static void
load_tick(struct load *l, uint64_t now_ms)
{
	struct load_cb	 cb;
	int		 i;

	l->last_tick = now_ms;
	for (i = 0; i < l->n; i++) {
		struct bclient	*c = &l->c[i];

		if (l->phase == PH_QUIT) {
			if (!c->bye && c->online && now_ms >= c->login_due) {
				proto_init(&l->out, PROTO_QUIT);
				load_encode_send(l, c, now_ms);
				c->login_due = now_ms + LOAD_QUIT_IV_MS;
			}
			continue;
		}
		if (!c->online) {
			load_login(l, c, now_ms);
			continue;
		}
		if (now_ms - c->last_send >= (uint64_t)l->heartbeat_ms) {
			proto_init(&l->out, PROTO_PING);
			load_encode_send(l, c, now_ms);
			l->r->pings_sent++;
		}
		if (c->rq.count > 0) {
			cb.l = l;
			cb.c = c;
			l->r->req_failed += reliable_tick(&c->rq, now_ms,
			    load_resend_cb, load_fail_cb, &cb);
		}
	}
	if (l->phase == PH_RUN &&
	    now_ms - l->last_expire >= LOAD_EXPIRE_EVERY_MS) {
		l->last_expire = now_ms;
		load_expire(l, clock_us());
	}
}

/* A server that died under load stops the run, which says so. */
static bool
load_server_gone(struct load *l)
{
	return l->sv->pid > 0 && !bench_server_alive(l->sv);
}

/*
 * One recvmmsg batch from one client socket, then its acks in one go:
 * with cap batch a single cumulative ack for all it read, as TCP acks
 * what one read returned; without it one ack per reliable message.
 */
static void
load_read(struct load *l, struct bclient *c)
{
	uint64_t	 now;
	int		 i, r;

	r = recvmmsg(c->fd, l->rmm, LOAD_BATCH, MSG_DONTWAIT, NULL);
	if (r <= 0)
		return;
	now = clock_us();
	l->t_rx_us = now;
	if (l->phase == PH_RUN) {
		l->r->rx_batches++;
		l->r->rx_dgrams += (uint64_t)r;
	}
	for (i = 0; i < r; i++)
		load_datagram(l, c, l->rbuf[i], l->rmm[i].msg_len, now);
	/* One cumulative ack covers the whole read (cap batch). */
	if (c->ack_due)
		load_queue_upto(l, c);
	load_flush(l, c);
}

/* ---- what the server sends ---- */

/*
 * A datagram: a batch is split into its messages, each handled as if it
 * came alone; the cumulative ack that covers them waits for the end of
 * the read (load_read).
 */
static void
load_datagram(struct load *l, struct bclient *c, const char *buf,
    size_t len, uint64_t now_us)
{
	size_t	 pos = 0, off, n;
	int	 r;

	if (len > 10 && buf[9] == 'b' && !l->o->no_batch) {
		while ((r = proto_batch_next(buf, len, &pos, &off, &n)) == 1)
			load_message(l, c, buf + off, n, now_us);
		if (r == -1 && pos == 0)
			load_message(l, c, buf, len, now_us);	/* not a batch */
		else if (r == -1)
			l->r->bad_dgrams++;
	} else
		load_message(l, c, buf, len, now_us);
}

static void
load_message(struct load *l, struct bclient *c, const char *buf,
    size_t len, uint64_t now_us)
{
	unsigned long	 msgno;
	uint64_t	 seq, t_us;

	if (l->phase == PH_RUN)
		l->r->rx_msgs++;

	if (load_scan_chat(l, buf, len, &seq, &msgno, &t_us)) {
		if (l->phase == PH_RUN)
			l->r->fast_dgrams++;
		if (l->nscanned++ < LOAD_SCAN_CHECK_FIRST ||
		    l->nscanned % LOAD_SCAN_CHECK_EVERY == 0)
			load_scan_check(l, buf, len, seq, msgno, t_us);
		if (load_reliable(l, c, seq))
			load_delivery(l, c, msgno, t_us, len, now_us);
		return;
	}
	if (proto_decode(buf, len, PROTO_FROM_SERVER, &l->in) != PROTO_OK) {
		l->r->bad_dgrams++;
		return;
	}
	switch (l->in.type) {
	case PROTO_WELCOME:
		load_welcome(l, c);
		break;
	case PROTO_COOKIE:
		load_cookie(l, c);
		break;
	case PROTO_ACK:
		reliable_ack(&c->rq, l->in.id);
		break;
	case PROTO_ERROR:
		load_error(l, c);
		break;
	case PROTO_BYE:
		if (!c->bye)
			l->byes++;
		c->bye = true;
		break;
	case PROTO_CHAT:
		if (load_reliable(l, c, l->in.seq))
			load_decoded_chat(l, c, len, now_us);
		break;
	case PROTO_JOIN:
		if (load_reliable(l, c, l->in.seq))
			l->joins++;
		break;
	case PROTO_LEAVE:
		if (load_reliable(l, c, l->in.seq) &&
		    l->in.reason == PROTO_REASON_TIMEOUT)
			l->r->timeouts++;
		break;
	case PROTO_MSG:
	case PROTO_RENAME:
	case PROTO_ANNOUNCE:
		(void)load_reliable(l, c, l->in.seq);
		break;
	default:
		break;
	}
}

/*
 * The fast path: a chat of this run in exactly the form the server's
 * proto_encode writes it,
 *	{"type":"chat","seq":S,"ts":T,"mid":N,"from":"PREFIX-I",
 *	    "text":"b M T_US___"}
 * (protocol 2's mid; a chat without one is read too)
 * read with a few compares instead of cJSON (which was a fifth of the
 * bench's CPU). It accepts only what proto_decode accepts with the same
 * meaning (plain ASCII, no escapes, numbers in range, the field order the
 * encoder uses); anything else, history included, returns false and goes
 * through proto_decode, so every check still applies to every datagram.
 */
static bool
load_scan_chat(const struct load *l, const char *buf, size_t len,
    uint64_t *seq, unsigned long *msgno, uint64_t *t_us)
{
	const char	*p, *end, *name, *text;
	uint64_t	 ts, m;

#define LIT(s)	(p = load_scan_lit(p, end, (s), sizeof(s) - 1)) == NULL
	p = buf;
	end = buf + len;
	if (LIT("{\"type\":\"chat\",\"seq\":") ||
	    (p = load_scan_u64(p, end, seq)) == NULL || *seq == 0 ||
	    LIT(",\"ts\":") || (p = load_scan_u64(p, end, &ts)) == NULL)
		return false;
	if (load_scan_lit(p, end, ",\"mid\":", 7) != NULL &&
	    ((p = load_scan_u64(p + 7, end, &m)) == NULL || m == 0))
		return false;
	if (LIT(",\"from\":\""))
		return false;
	name = p;
	if ((p = load_scan_lit(p, end, l->prefix, l->prefix_len)) == NULL ||
	    LIT("-") || (p = load_scan_u64(p, end, &m)) == NULL ||
	    p - name > PROTO_NAME_MAX_BYTES || LIT("\",\"text\":\"b "))
		return false;
	text = p - 2;
	if ((p = load_scan_u64(p, end, &m)) == NULL || LIT(" ") ||
	    (p = load_scan_u64(p, end, t_us)) == NULL)
		return false;
	while (p < end && *p == '_')
		p++;
	if (p - text > PROTO_TEXT_MAX || LIT("\"}") || p != end)
		return false;
#undef LIT
	*msgno = (unsigned long)m;
	return true;
}

/* Does proto_decode read what the scanner read? A mismatch is counted. */
static void
load_scan_check(struct load *l, const char *buf, size_t len, uint64_t seq,
    unsigned long msgno, uint64_t t_us)
{
	char		*end;
	const char	*t = l->in.text;

	if (proto_decode(buf, len, PROTO_FROM_SERVER, &l->in) != PROTO_OK ||
	    l->in.type != PROTO_CHAT || l->in.seq != seq || l->in.history ||
	    strncmp(l->in.from, l->prefix, l->prefix_len) != 0 ||
	    strncmp(t, "b ", 2) != 0 || strtoul(t + 2, &end, 10) != msgno ||
	    strtoull(end, NULL, 10) != t_us)
		l->r->scan_mismatch++;
}

/* A JSON integer without sign, exponent or leading zero, <= PROTO_INT_MAX. */
static const char *
load_scan_u64(const char *p, const char *end, uint64_t *v)
{
	const char	*start = p;

	*v = 0;
	while (p < end && *p >= '0' && *p <= '9' &&
	    p - start < LOAD_INT_DIGITS)
		*v = *v * 10 + (uint64_t)(*p++ - '0');
	if (p == start || p == end || (*p >= '0' && *p <= '9') ||
	    (*start == '0' && p - start > 1) || *v > PROTO_INT_MAX)
		return NULL;
	return p;
}

static const char *
load_scan_lit(const char *p, const char *end, const char *lit, size_t n)
{
	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

/* A session: keep the token, and cut an ack template around seq. */
static void
load_welcome(struct load *l, struct bclient *c)
{
	char	*mark;
	int	 len;

	if (c->online)
		return;
	memcpy(c->token, l->in.token, sizeof c->token);
	if (l->in.heartbeat > 0)
		l->heartbeat_ms = l->in.heartbeat * 1000;
	proto_init(&l->out, PROTO_ACK);
	memcpy(l->out.token, c->token, sizeof l->out.token);
	l->out.seq = PROTO_INT_MAX;
	len = proto_encode(&l->out, PROTO_FROM_CLIENT, c->ack, sizeof c->ack);
	mark = len > 0 ? memmem(c->ack, len, LOAD_SEQ_MARK,
	    strlen(LOAD_SEQ_MARK)) : NULL;
	if (mark == NULL)
		return;		/* no template: no session, login again */
	c->ack_len = len;
	c->ack_seq_off = mark - c->ack;
	c->online = true;
	if (c->counted)
		l->logins_out--;
	c->counted = false;
	l->r->online++;
	if (c->seen != NULL)
		memset(c->seen, 0, c->seen_words * sizeof *c->seen);
	c->upto = c->top = 0;
	c->ack_due = false;
}

/* The address check: the login goes again at once, with the cookie. */
static void
load_cookie(struct load *l, struct bclient *c)
{
	memcpy(c->cookie, l->in.cookie, sizeof c->cookie);
	if (c->online || c->bye || !c->counted)
		return;
	c->login_due = 0;
	load_login(l, c, clock_ms());
}

static void
load_error(struct load *l, struct bclient *c)
{
	uint32_t	 msgno;

	if (strcmp(l->in.code, PROTO_CODE_NO_SESSION) == 0) {
		/* After our own quit, late acks and pings meet no session. */
		if (l->phase == PH_QUIT)
			return;
		/* Expired or restarted: log in again, as a client would. */
		l->r->no_session++;
		if (c->online) {
			c->online = false;
			l->r->online--;
			c->login_sends = 0;
			c->login_due = 0;
			load_drop_requests(l, c);
		}
		return;
	}
	if (strcmp(l->in.code, PROTO_CODE_SLOW_DOWN) == 0)
		l->r->slow_down++;
	else
		l->r->other_errors++;
	if (!l->in.has_id || reliable_ack(&c->rq, l->in.id) == -1)
		return;
	c->tokens = 0;
	c->hold_us = clock_us() + LOAD_SLOW_DOWN_US;
	/* A refused chat was not forwarded: send it again later. */
	if (l->in.id < c->id_cap && (msgno = c->id_msg[l->in.id]) > 0 &&
	    l->msg[msgno - 1].state == MSG_SENT &&
	    l->msg[msgno - 1].ndeliv == 0 &&
	    strcmp(l->in.code, PROTO_CODE_SLOW_DOWN) == 0)
		l->retry[l->nretry++] = msgno - 1;
}

/*
 * The session is gone: its pending requests carry a dead token and would
 * only fetch no_session again. Chats nobody got are sent again later.
 */
static void
load_drop_requests(struct load *l, struct bclient *c)
{
	struct reliable_entry	*e;
	uint32_t		 msgno;
	size_t			 i;

	for (i = 0; i < c->rq.count; i++) {
		e = reliable_at(&c->rq, i);
		if (e->key < c->id_cap && (msgno = c->id_msg[e->key]) > 0 &&
		    l->msg[msgno - 1].state == MSG_SENT &&
		    l->msg[msgno - 1].ndeliv == 0)
			l->retry[l->nretry++] = msgno - 1;
	}
	reliable_queue_free(&c->rq);
}

/*
 * Acks a reliable message and counts one seq seen twice, in the phase it
 * came in. True if the message is new and should be acted on.
 */
static bool
load_reliable(struct load *l, struct bclient *c, uint64_t seq)
{
	int	 seen;

	if (!c->online || c->bye)
		return false;	/* cannot ack yet (or any more) */
	if (l->o->no_batch)
		load_queue_ack(l, c, seq);
	else
		c->ack_due = true;
	seen = load_seen(c, seq);
	if (!l->o->no_batch && seen != -1) {
		if (seq > c->top)
			c->top = seq;
		while (c->upto < c->top && load_seen_bit(c, c->upto + 1))
			c->upto++;
	}
	switch (seen) {
	case 1:
		l->r->retransmits_seen[load_bench_phase(l->phase)]++;
		return false;
	case -1:
		return false;
	}
	return true;
}

static enum bench_phase
load_bench_phase(enum load_phase ph)
{
	switch (ph) {
	case PH_LOGIN:
	case PH_SETTLE:
		return BENCH_PH_LOGIN;
	case PH_RUN:
		return BENCH_PH_LOAD;
	case PH_QUIT:
		break;
	}
	return BENCH_PH_QUIT;
}

static bool
load_seen_bit(const struct bclient *c, uint64_t seq)
{
	return seq / 64 < c->seen_words &&
	    (c->seen[seq / 64] & (UINT64_C(1) << (seq % 64))) != 0;
}

/* Marks seq seen: 0 if new, 1 if seen before, -1 if out of memory. */
static int
load_seen(struct bclient *c, uint64_t seq)
{
	uint64_t	*p;
	size_t		 w, nw;

	w = seq / 64;
	if (w >= c->seen_words) {
		nw = c->seen_words > 0 ? c->seen_words : 16;
		while (nw <= w)
			nw *= 2;
		if ((p = realloc(c->seen, nw * sizeof *p)) == NULL)
			return -1;
		memset(p + c->seen_words, 0, (nw - c->seen_words) * sizeof *p);
		c->seen = p;
		c->seen_words = nw;
	}
	if (c->seen[w] & (UINT64_C(1) << (seq % 64)))
		return 1;
	c->seen[w] |= UINT64_C(1) << (seq % 64);
	return 0;
}

/* A chat proto_decode read: is it one of ours, and which? */
static void
load_decoded_chat(struct load *l, struct bclient *c, size_t len,
    uint64_t now_us)
{
	const char	*t = l->in.text;
	char		*end;
	unsigned long	 msgno;
	uint64_t	 t_us;

	if (strncmp(l->in.from, l->prefix, l->prefix_len) != 0 ||
	    l->in.history || strncmp(t, "b ", 2) != 0) {
		l->r->foreign++;
		return;
	}
	msgno = strtoul(t + 2, &end, 10);
	t_us = strtoull(end, NULL, 10);
	load_delivery(l, c, msgno, t_us, len, now_us);
}

/* Chat msgno reached client c: from this run, how late, the first time? */
static void
load_delivery(struct load *l, struct bclient *c, unsigned long msgno,
    uint64_t t_us, size_t len, uint64_t now_us)
{
	uint64_t	*bits;
	struct bmsg	*m;

	if (msgno >= (unsigned long)l->m ||
	    l->msg[msgno].state == MSG_UNSENT) {
		l->r->foreign++;
		return;
	}
	m = &l->msg[msgno];
	if (m->sender == c->idx) {
		l->r->self_deliveries++;
		return;
	}
	bits = &l->rcpt[msgno * l->rwords + c->idx / 64];
	if (*bits & (UINT64_C(1) << (c->idx % 64))) {
		l->r->dup_deliveries++;
		return;
	}
	*bits |= UINT64_C(1) << (c->idx % 64);
	l->r->deliveries++;
	l->rx_bytes += len;
	l->rx_chats++;
	bench_hist_add(&l->hist, now_us >= t_us ? now_us - t_us : 0);
	if (++m->ndeliv == (uint32_t)(l->n - 1) && m->state == MSG_SENT) {
		m->state = MSG_DONE;
		l->inflight--;
		l->r->done++;
		l->t_last_us = now_us;
	}
}

/* ---- what the clients send ---- */

/* Fills in the seq of c's ack template; the batch goes out in load_flush. */
static void
load_queue_ack(struct load *l, struct bclient *c, uint64_t seq)
{
	char	 digits[24], *p;
	size_t	 dl, mark, tail;

	if (l->nsend == LOAD_BATCH)
		load_flush(l, c);
	/* The digits backwards, then in order: snprintf was most of this. */
	dl = 0;
	do {
		digits[sizeof digits - 1 - dl++] = (char)('0' + seq % 10);
		seq /= 10;
	} while (seq > 0 && dl < sizeof digits);
	memmove(digits, digits + sizeof digits - dl, dl);
	mark = sizeof(LOAD_SEQ_MARK) - 1;
	tail = c->ack_len - c->ack_seq_off - mark;
	p = l->sbuf[l->nsend];
	memcpy(p, c->ack, c->ack_seq_off);
	memcpy(p + c->ack_seq_off, digits, dl);
	memcpy(p + c->ack_seq_off + dl, c->ack + c->ack_seq_off + mark, tail);
	l->siov[l->nsend].iov_len = c->ack_seq_off + dl + tail;
	l->nsend++;
	l->r->acks_sent++;
}

/* Appends v in decimal at p; returns the end. */
static char *
load_put_u64(char *p, uint64_t v)
{
	char	 d[24];
	size_t	 n = 0;

	do {
		d[sizeof d - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	memcpy(p, d + sizeof d - n, n);
	return p + n;
}

/*
 * One cumulative ack for what c received (cap batch): upto, and the
 * seqs held above it (at most PROTO_ACK_SEQS_MAX), from the template's
 * head (up to "seq":).
 */
static void
load_queue_upto(struct load *l, struct bclient *c)
{
	static const char	 upto[] = "\"upto\":";
	static const char	 seqs[] = ",\"seqs\":[";
	uint64_t		 s;
	size_t			 head;
	char			*p;
	int			 n;

	c->ack_due = false;
	if (l->nsend == LOAD_BATCH)
		load_flush(l, c);
	/* The template's head ends with "seq": (6 bytes). */
	head = c->ack_seq_off - 6;
	p = l->sbuf[l->nsend];
	memcpy(p, c->ack, head);
	p += head;
	memcpy(p, upto, sizeof upto - 1);
	p = load_put_u64(p + sizeof upto - 1, c->upto);
	if (c->top > c->upto) {
		memcpy(p, seqs, sizeof seqs - 1);
		p += sizeof seqs - 1;
		n = 0;
		for (s = c->upto + 2; s <= c->top &&
		    n < PROTO_ACK_SEQS_MAX; s++) {
			if (!load_seen_bit(c, s))
				continue;
			if (n++ > 0)
				*p++ = ',';
			p = load_put_u64(p, s);
		}
		*p++ = ']';
	}
	*p++ = '}';
	l->siov[l->nsend].iov_len = (size_t)(p - l->sbuf[l->nsend]);
	l->nsend++;
	l->r->acks_sent++;
}

/* Sends the queued acks of c with sendmmsg; a full socket drops the rest. */
static void
load_flush(struct load *l, struct bclient *c)
{
	int	 r, done, tries;

	if (l->nsend == 0)
		return;
	done = 0;
	for (tries = 0; done < l->nsend && tries < 3; tries++) {
		r = sendmmsg(c->fd, l->smm + done, l->nsend - done, 0);
		if (r > 0)
			done += r;
		else if (r == -1 && errno != EINTR && errno != EAGAIN &&
		    errno != ENOBUFS)
			break;
	}
	c->last_send = clock_ms();
	l->nsend = 0;
}

static void
load_send(struct load *l, struct bclient *c, const char *buf, int len,
    uint64_t now_ms)
{
	(void)l;
	if (len > 0)
		(void)send(c->fd, buf, len, 0);
	c->last_send = now_ms;
}

/* Encodes l->out with c's token and sends it. */
static void
load_encode_send(struct load *l, struct bclient *c, uint64_t now_ms)
{
	int	 len;

	memcpy(l->out.token, c->token, sizeof l->out.token);
	len = proto_encode(&l->out, PROTO_FROM_CLIENT, l->obuf,
	    sizeof l->obuf);
	load_send(l, c, l->obuf, len, now_ms);
}

/*
 * Joins the server has yet to deliver, counting those the logins now
 * under way will cause: with k sessions online it has sent k(k-1)/2 in
 * all, and each pending login adds k more. Logins wait while this is
 * high: at N = 1000 the half million joins, sent in a burst, overflow
 * the server's socket with acks and the retransmits expire sessions.
 */
static uint64_t
load_join_backlog(struct load *l)
{
	uint64_t	 k, want;

	k = l->r->online > 0 ? (uint64_t)l->r->online : 0;
	want = k * (k > 0 ? k - 1 : 0) / 2 + (uint64_t)l->logins_out * k;
	return want > l->joins ? want - l->joins : 0;
}

/* Sends or resends c's login: 250 ms doubling, a window of logins at once. */
static void
load_login(struct load *l, struct bclient *c, uint64_t now_ms)
{
	int	 len;

	if (now_ms < c->login_due)
		return;
	if (!c->counted) {
		if (l->logins_out >= LOAD_LOGIN_WINDOW || (l->logins_out > 0 &&
		    load_join_backlog(l) > LOAD_JOIN_BACKLOG))
			return;
		l->logins_out++;
		c->counted = true;
		c->login_sends = 0;
	}
	proto_init(&l->out, PROTO_LOGIN);
	l->out.version = PROTO_VERSION;
	snprintf(l->out.name, sizeof l->out.name, "%s", c->name);
	/* As a client does: the first login padded, then with the cookie. */
	if (c->cookie[0] != '\0') {
		memcpy(l->out.cookie, c->cookie, sizeof l->out.cookie);
		l->out.has_cookie = true;
	} else {
		l->out.pad_to = PROTO_PAD_MIN;
	}
	if (!l->o->no_batch) {
		l->out.has_caps = true;
		l->out.caps = PROTO_CAP_BATCH;
	}
	len = proto_encode(&l->out, PROTO_FROM_CLIENT, l->obuf,
	    sizeof l->obuf);
	load_send(l, c, l->obuf, len, now_ms);
	c->login_iv = c->login_sends == 0 ? PROTO_RETRY_FIRST_MS :
	    c->login_iv * 2;
	if (c->login_iv > LOAD_LOGIN_IV_MAX)
		c->login_iv = LOAD_LOGIN_IV_MAX;
	c->login_sends++;
	c->login_due = now_ms + c->login_iv;
}

/*
 * Sends chats while the window has room: refused ones first (they keep
 * their place in the window), then new ones. Notes whether it stopped
 * because no sender had a token, for the "paced" figure.
 */
static void
load_fill(struct load *l, uint64_t now_us)
{
	struct bclient	*c;
	long		 msgno;
	bool		 paced;

	if (l->paced && l->last_fill_us > 0)
		l->paced_us += now_us - l->last_fill_us;
	l->last_fill_us = now_us;
	paced = false;
	while (l->nretry > 0 || (l->inflight < l->w && l->next_msg < l->m)) {
		if ((c = load_pick(l, now_us)) == NULL) {
			paced = true;
			break;
		}
		if (l->nretry > 0)
			msgno = l->retry[--l->nretry];
		else {
			msgno = l->next_msg++;
			l->inflight++;
			l->r->sent++;
		}
		load_chat(l, c, msgno, now_us);
	}
	l->paced = paced;
}

/* The next sender, round-robin, that is online and has a token. */
static struct bclient *
load_pick(struct load *l, uint64_t now_us)
{
	struct bclient	*c;
	double		 burst;
	int		 i;

	burst = l->o->pace_burst;
	for (i = 0; i < l->s; i++) {
		c = &l->c[l->rr];
		l->rr = (l->rr + 1) % l->s;
		if (!c->online || c->hold_us > now_us)
			continue;
		if (l->o->pace_burst == 0)
			return c;
		c->tokens += (double)(now_us - c->tokens_us) / 1e6 *
		    l->o->pace_rate;
		c->tokens_us = now_us;
		if (c->tokens > burst)
			c->tokens = burst;
		if (c->tokens >= 1.0 + LOAD_PACE_CUSHION) {
			c->tokens -= 1.0;
			return c;
		}
	}
	return NULL;
}

/* Sends message msgno from c: text "b MSGNO T_US" padded to the size. */
static void
load_chat(struct load *l, struct bclient *c, long msgno, uint64_t now_us)
{
	uint32_t	*p;
	size_t		 ncap;
	int		 len, tl;
	uint64_t	 id;

	id = c->next_id++;
	if (id >= c->id_cap) {
		ncap = c->id_cap > 0 ? c->id_cap * 2 : 1024;
		while (ncap <= id)
			ncap *= 2;
		if ((p = realloc(c->id_msg, ncap * sizeof *p)) == NULL)
			return;
		memset(p + c->id_cap, 0, (ncap - c->id_cap) * sizeof *p);
		c->id_msg = p;
		c->id_cap = ncap;
	}
	c->id_msg[id] = (uint32_t)msgno + 1;
	tl = snprintf(l->text, sizeof l->text, "b %ld %llu", msgno,
	    (unsigned long long)now_us);
	while (tl < l->o->size && tl < PROTO_TEXT_MAX)
		l->text[tl++] = '_';
	l->text[tl] = '\0';
	proto_init(&l->out, PROTO_CHAT);
	memcpy(l->out.token, c->token, sizeof l->out.token);
	l->out.id = id;
	l->out.has_id = true;
	memcpy(l->out.text, l->text, tl + 1);
	len = proto_encode(&l->out, PROTO_FROM_CLIENT, l->obuf,
	    sizeof l->obuf);
	if (len <= 0)
		return;
	load_send(l, c, l->obuf, len, now_us / 1000);
	reliable_push(&c->rq, id, l->obuf, len, now_us / 1000);
	l->msg[msgno].state = MSG_SENT;
	l->msg[msgno].t_us = now_us;
	l->msg[msgno].sender = c->idx;
	if (l->t_first_us == 0)
		l->t_first_us = now_us;
}

static void
load_resend_cb(void *arg, const struct reliable_entry *e)
{
	struct load_cb	*cb = arg;

	load_send(cb->l, cb->c, e->data, (int)e->len, clock_ms());
	cb->l->r->req_retransmits++;
}

static void
load_fail_cb(void *arg, const struct reliable_entry *e)
{
	(void)arg;
	(void)e;
}

/* Gives up on chats in flight too long, so one loss cannot stall the window. */
static void
load_expire(struct load *l, uint64_t now_us)
{
	struct bmsg	*m;
	long		 i;

	while (l->oldest < l->next_msg &&
	    (l->msg[l->oldest].state == MSG_DONE ||
	    l->msg[l->oldest].state == MSG_EXPIRED))
		l->oldest++;
	for (i = l->oldest; i < l->next_msg; i++) {
		m = &l->msg[i];
		if (m->state == MSG_SENT && now_us - m->t_us > LOAD_GIVEUP_US) {
			m->state = MSG_EXPIRED;
			l->inflight--;
			l->r->expired++;
		}
	}
}

/* ---- the figures ---- */

/*
 * Charges the socket drops since the last call to phase ph, so drops at
 * login or quit do not pollute the load's; BENCH_PH_COUNT only starts
 * the count.
 */
static void
load_drops(struct load *l, enum bench_phase ph)
{
	uint64_t	 sd, cd;

	if (bench_udp_drops(net_port(&l->sv->addr), l->ports, &sd, &cd) == -1)
		return;
	if (ph < BENCH_PH_COUNT) {
		l->r->server_drops[ph] += sd - l->server_drops;
		l->r->client_drops[ph] += cd - l->client_drops;
	} else
		l->r->have_drops = true;
	l->server_drops = sd;
	l->client_drops = cd;
}

static void
load_figures(struct load *l, uint64_t end_us)
{
	struct bench_result	*r = l->r;
	long			 i;

	for (i = 0; i < l->next_msg; i++) {
		if (l->msg[i].state == MSG_EXPIRED)
			r->lost += (uint64_t)(l->n - 1) - l->msg[i].ndeliv;
		else if (l->msg[i].state == MSG_SENT)
			r->unfinished++;
	}
	if (r->complete && l->t_last_us > l->t_first_us)
		end_us = l->t_last_us;
	r->seconds = l->t_first_us > 0 && end_us > l->t_first_us ?
	    (double)(end_us - l->t_first_us) / 1e6 : 0;
	if (r->seconds > 0) {
		r->msgs_per_s = (double)r->done / r->seconds;
		r->deliv_per_s = (double)r->deliveries / r->seconds;
		r->paced_frac = (double)l->paced_us / 1e6 / r->seconds;
		if (r->paced_frac > 1)
			r->paced_frac = 1;
	}
	r->pace_cap = l->o->pace_burst > 0 ? l->s * l->o->pace_rate : 0;
	r->lat_p50 = bench_hist_pct(&l->hist, 50);
	r->lat_p90 = bench_hist_pct(&l->hist, 90);
	r->lat_p99 = bench_hist_pct(&l->hist, 99);
	r->lat_max = l->hist.max;
	r->lat_mean = l->hist.count > 0 ?
	    (double)l->hist.sum / (double)l->hist.count : 0;
	if (l->rx_chats > 0)
		r->dgram_size = (int)(l->rx_bytes / l->rx_chats);
}

/* ---- the run ---- */

int
bench_load(const struct bench_opts *o, struct bench_server *sv,
    struct bench_result *r, char *err, size_t errlen)
{
	struct load	*l;
	const char	*why;
	double		 cpu0, scpu0;
	uint64_t	 t0;
	int		 rc;

	if ((l = calloc(1, sizeof *l)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->o = o;
	l->r = r;
	l->sv = sv;
	l->n = r->n;
	l->s = r->s;
	l->w = r->w;
	l->m = r->m;
	rc = -1;
	why = NULL;
	if (load_setup(l, err, errlen) == -1)
		goto out;
	r->have_server = sv->pid > 0;
	if (r->have_server)
		r->rss_before_kb = bench_proc_kb(sv->pid, "VmRSS");
	load_drops(l, BENCH_PH_COUNT);

	t0 = clock_ms();
	if (load_loop(l, PH_LOGIN, t0 + (o->timeout_s * 1000 < LOAD_LOGIN_MS ?
	    (uint64_t)(o->timeout_s * 1000) : LOAD_LOGIN_MS), &why) == -1) {
		snprintf(err, errlen, "%d of %d clients logged in, then %s",
		    r->online, l->n, why);
		goto out;
	}
	r->login_s = (double)(clock_ms() - t0) / 1000;
	r->logged_in = r->online;
	if (load_loop(l, PH_SETTLE, clock_ms() + LOAD_SETTLE_MS, &why) == -1 &&
	    strcmp(why, "timeout") != 0) {
		snprintf(err, errlen, "while settling after logins: %s", why);
		goto out;
	}
	if (r->have_server)
		r->rss_login_kb = bench_proc_kb(sv->pid, "VmRSS");

	cpu0 = bench_proc_cpu(0);
	scpu0 = r->have_server ? bench_proc_cpu(sv->pid) : 0;
	why = NULL;
	load_drops(l, BENCH_PH_LOGIN);
	r->complete = load_loop(l, PH_RUN, clock_ms() +
	    (uint64_t)(o->timeout_s * 1000), &why) == 0;
	load_figures(l, clock_us());
	load_drops(l, BENCH_PH_LOAD);
	snprintf(r->stop_reason, sizeof r->stop_reason, "%s",
	    why != NULL ? why : "all messages finished");
	r->bench_cpu_s = bench_proc_cpu(0) - cpu0;
	if (r->have_server) {
		r->server_cpu_s = bench_proc_cpu(sv->pid) - scpu0;
		r->hwm_kb = bench_proc_kb(sv->pid, "VmHWM");
	}

	/* Quit politely, briefly: a shared server should not keep ghosts. */
	l->quit_want = r->online;
	if (!bench_stop && (why == NULL || strcmp(why, "server exited") != 0))
		(void)load_loop(l, PH_QUIT, clock_ms() + LOAD_QUIT_MS, &why);
	load_drops(l, BENCH_PH_QUIT);
	rc = 0;
out:
	load_free(l);
	free(l);
	return rc;
}

/* What the server will send for our chat: encode one and measure it. */
int
bench_forward_size(int text_size)
{
	struct proto_msg	*m;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 len;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return text_size + 100;
	proto_init(m, PROTO_CHAT);
	m->seq = 123456;
	m->ts = clock_wall_ms();
	snprintf(m->from, sizeof m->from, "ffff-123");
	len = snprintf(m->text, sizeof m->text, "b 12345 %llu",
	    (unsigned long long)clock_us());
	while (len < text_size && len < PROTO_TEXT_MAX)
		m->text[len++] = '_';
	m->text[len] = '\0';
	len = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof buf);
	free(m);
	return len > 0 ? len : text_size + 100;
}

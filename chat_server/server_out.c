/*
 * server_out: everything the server sends (server_int.h): replies and
 * errors, the per-source limit on unauthenticated replies, the "no
 * amplification" rule of protocol.md, reliable messages (queued for
 * retransmission) and their fan-out, the send batch and its flush
 * (sendmmsg), the trace of outgoing datagrams.
 *
 * No amplification: every reply to input not tied to a session (decode
 * errors, no_session, the cookie, login refusals, here, bye to a
 * retried quit) goes through server_reply_unauth, and nowhere else is
 * anything sent to an address without a session. While the datagram
 * being handled comes from such an address, it gets at most one reply,
 * of at most PROTO_AMPLIFY times its UDP payload; an error that would be
 * larger goes without its text, and if still too large, nothing goes
 * (an empty datagram is never answered). A source proven to have a
 * session (its token from its address, or a login with a valid cookie)
 * is past the rule: welcome, users and history may be larger.
 *
 * Choices where the contract is silent:
 *
 *  - Replies to unauthenticated input are also rate limited per source
 *    through a fixed table of token buckets indexed by the address hash,
 *    so a flood of forged sources costs bounded memory. Replies to a
 *    session's own requests (slow_down, no_such_user, ...) are not: its
 *    chat bucket bounds them.
 *  - welcome and users list the asker's own name first, so a list cut
 *    to fit a datagram (the rest counted in "more") still holds it.
 *
 * Fan-out cost: a reliable message is encoded once into a shared body
 * (shared/reliable.h) with a hole for the seq; each recipient's queue
 * entry holds a reference, and its datagram is rendered straight into
 * the send batch. Acks in the exact form clients send skip cJSON
 * (server.c).
 *
 * Cap batch (protocol.md, "Batching"): a reliable message for a session
 * that asked for it is queued, not sent; the session goes on the
 * pending list. server_flush, once the datagrams waiting in the socket
 * are read (server_recv) and at the end of each loop turn, packs each
 * pending session's new messages, in seq order, into as few
 * {"type":"batch","msgs":[...]} datagrams as fit PROTO_MAX_DGRAM,
 * written straight into the send batch from the shared
 * bodies: nothing waits for a batch to fill, and nothing is encoded
 * again. Retransmissions due in one timer run pack the same way. A
 * pack of one message goes alone, as it would without the cap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "log.h"
#include "net.h"
#include "proto.h"
#include "reliable.h"
#include "server_int.h"
#include "session.h"
#include "trace.h"
#include "utf8.h"

#define SERVER_ERR_BURST	10	/* unauthenticated replies per source */
#define SERVER_ERR_RATE		5

static int	 server_encode_unauth(struct server *,
		    const struct net_addr *, const struct proto_msg *, char *);
static void	 server_queue(struct server *, struct session *,
		    struct reliable_body *);
static struct server_out *server_out_slot(struct server *,
		    const struct net_addr *);
static void	 server_out_trace(struct server *, const struct server_out *);
static void	 server_pend(struct server *, struct session *);
static void	 server_pack_add(struct server *, struct session *,
		    const struct reliable_body *, const char *, size_t,
		    uint64_t);
static void	 server_sendmmsg(struct server *);

/* A batch datagram: this, the messages separated by commas, then "]}". */
static const char server_pack_head[] = "{\"type\":\"batch\",\"msgs\":[";
#define SERVER_PACK_HEAD	(sizeof(server_pack_head) - 1)

/*
 * The names online into m->users, own first: when the list is cut to
 * fit a datagram, the asker's own name must still be on it.
 * m->more counts the names left out.
 */
void
server_users(const struct server *srv, const struct session *own,
    struct proto_msg *m)
{
	struct session	*s;

	proto_add_user(m, own->name);
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s != own && !s->dead && !s->kicked &&
		    proto_add_user(m, s->name) == -1)
			m->more++;
	}
}

/* Whether m, with the largest seq it could get, fits in a datagram. */
bool
server_fits(const struct proto_msg *m)
{
	struct proto_msg	 t;
	char			 buf[PROTO_MAX_DGRAM];

	t = *m;
	t.seq = PROTO_INT_MAX;
	return proto_encode(&t, PROTO_FROM_SERVER, buf, sizeof(buf)) != -1;
}

/*
 * text (valid UTF-8) as m->text, at most PROTO_TEXT_MAX bytes. Heavy
 * JSON escaping may keep even that from fitting (an announcement, a
 * quit's or a kick's words): cut it, 100 bytes at a time at a character
 * boundary, until m fits. false if even "" does not.
 */
bool
server_fit_text(struct proto_msg *m, const char *text)
{
	size_t	 len;
	int	 i;

	len = utf8_prefix(text, strlen(text), PROTO_TEXT_MAX);
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	for (i = 0; i < 16 && len > 0 && !server_fits(m); i++) {
		len = utf8_prefix(m->text, len, len > 100 ? len - 100 : 0);
		m->text[len] = '\0';
	}
	return server_fits(m);
}

void
server_ack(struct server *srv, struct session *s, uint64_t id)
{
	char	 buf[64];
	int	 len;

	if ((len = proto_encode_id_ack(id, buf, sizeof(buf))) > 0)
		server_send(srv, &s->addr, buf, (size_t)len);
	srv->acked_at = srv->now;	/* a stopping server waits a little */
}

/* A reply with no fields (pong, bye). */
void
server_simple(struct server *srv, const struct net_addr *to,
    enum proto_type type)
{
	struct proto_msg	 m;

	proto_init(&m, type);
	server_reply(srv, to, &m);
}

/*
 * An error reply. limited: it answers unauthenticated input, so it goes
 * through the per-source limiter (the source may be forged).
 */
void
server_error(struct server *srv, const struct net_addr *to, const char *code,
    const char *text, bool has_id, uint64_t id, bool limited)
{
	struct proto_msg	 m;

	proto_init(&m, PROTO_ERROR);
	snprintf(m.code, sizeof(m.code), "%s", code);
	snprintf(m.text, sizeof(m.text), "%s", text);
	m.has_id = has_id;
	m.id = id;
	if (limited)
		server_reply_unauth(srv, to, &m);
	else
		server_reply(srv, to, &m);
}

void
server_decode_error(struct server *srv, const struct net_addr *to,
    enum proto_err e, const struct proto_msg *m)
{
	char	 peer[NET_ADDRSTRLEN];

	if (log_get_level() >= LOG_DEBUG) {
		net_format(to, peer, sizeof(peer));
		log_debug("bad: %s from %s", proto_err_code(e), peer);
	}
	server_error(srv, to, proto_err_code(e), proto_err_text(e),
	    m->has_id, m->id, true);
}

/*
 * Whether the per-source limit lets one more unauthenticated reply go to
 * to. Sources that share a slot share its bucket: stricter, never looser.
 */
bool
server_limit_ok(struct server *srv, const struct net_addr *to)
{
	struct session_bucket	*b;

	b = &srv->limit[net_hash(to) & (SERVER_ERR_SLOTS - 1)];
	return session_bucket_take(b, srv->now, SERVER_ERR_BURST,
	    SERVER_ERR_RATE);
}

void
server_reply_unauth(struct server *srv, const struct net_addr *to,
    const struct proto_msg *m)
{
	char	 buf[PROTO_MAX_DGRAM];
	int	 len;

	if (srv->in_session)
		len = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof(buf));
	else
		len = server_encode_unauth(srv, to, m, buf);
	if (len <= 0 || !server_limit_ok(srv, to))
		return;
	srv->in_answered = true;
	server_send(srv, to, buf, len);
}

/*
 * m into buf as the "no amplification" rule allows it to go to to, an
 * address without a session: the source of the datagram being handled,
 * not answered yet, at most PROTO_AMPLIFY times its size (an error
 * without its text if need be). The length, or -1: nothing may go.
 */
static int
server_encode_unauth(struct server *srv, const struct net_addr *to,
    const struct proto_msg *m, char *buf)
{
	struct proto_msg	 bare;
	size_t			 cap;
	int			 len;

	if (srv->in_answered || !net_equal(to, &srv->in_from))
		return -1;
	cap = srv->in_len * PROTO_AMPLIFY;
	if (cap > PROTO_MAX_DGRAM)
		cap = PROTO_MAX_DGRAM;
	if ((len = proto_encode(m, PROTO_FROM_SERVER, buf, cap)) > 0 ||
	    m->type != PROTO_ERROR || m->text[0] == '\0')
		return len;
	bare = *m;
	bare.text[0] = '\0';
	return proto_encode(&bare, PROTO_FROM_SERVER, buf, cap);
}

/* An unreliable reply: encode and send once. */
void
server_reply(struct server *srv, const struct net_addr *to,
    const struct proto_msg *m)
{
	char	 buf[PROTO_MAX_DGRAM];
	int	 len;

	if ((len = proto_encode(m, PROTO_FROM_SERVER, buf, sizeof(buf))) < 0) {
		log_error("cannot encode %s", proto_type_name(m->type));
		return;
	}
	server_send(srv, to, buf, len);
}

/* A reliable message to one session (msg, history). */
void
server_reliable(struct server *srv, struct session *s, struct proto_msg *m)
{
	struct reliable_body	*b;

	if (server_encode(m, &b) == -1) {
		log_error("cannot encode %s", proto_type_name(m->type));
		return;
	}
	server_reliable_body(srv, s, m, b);
	reliable_body_unref(b);
}

void
server_reliable_body(struct server *srv, struct session *s,
    const struct proto_msg *m, struct reliable_body *b)
{
	if (s->classroom)
		server_class_send(srv, s, m);
	else
		server_queue(srv, s, b);
}

/*
 * m encoded once into *bp, with a hole for the seq that each recipient's
 * queue entry fills in: one allocation per message, however many get
 * it. Encoded with the largest seq, so every real seq fits where that
 * one did, and the length returned is the largest any recipient's copy
 * can have. -1 if m does not fit a datagram (*bp NULL; nobody gets it);
 * *bp NULL with a length if out of memory (its recipients are dropped,
 * as for a failed queue).
 */
int
server_encode(struct proto_msg *m, struct reliable_body **bp)
{
	char	 buf[PROTO_MAX_DGRAM];
	size_t	 off, n;
	int	 len;

	*bp = NULL;
	m->seq = PROTO_INT_MAX;
	if ((len = proto_encode_seq(m, buf, sizeof(buf), &off, &n)) < 0)
		return -1;
	*bp = reliable_body_new(buf, off, buf + off + n, (size_t)len - off - n);
	if (*bp == NULL)
		log_error("out of memory for a %s", proto_type_name(m->type));
	return len;
}

/*
 * b to s under its next seq: sent now and queued for retransmission.
 * Too many unacked, or no body (it could not be made), marks s dead.
 */
static void
server_queue(struct server *srv, struct session *s, struct reliable_body *b)
{
	uint64_t	 due;

	if (b == NULL || reliable_push_body(&s->queue, s->next_seq, b,
	    srv->now) == -1) {
		server_mark_dead(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	srv->unacked++;
	if (s->batch)
		server_pend(srv, s);
	else
		server_send_body(srv, &s->addr, b, s->next_seq);
	s->next_seq++;
	if (s->queue.count > PROTO_MAX_UNACKED) {
		server_mark_dead(srv, s, PROTO_REASON_TIMEOUT);
		return;
	}
	due = srv->now + PROTO_RETRY_FIRST_MS;
	if (due < s->deadline)
		session_set_deadline(&srv->sessions, s, due);
}

/* m to every live session but except (NULL: all), each with its seq. */
void
server_fanout(struct server *srv, struct session *except, struct proto_msg *m)
{
	struct reliable_body	*b;

	if (server_encode(m, &b) == -1) {
		log_error("cannot encode %s", proto_type_name(m->type));
		return;
	}
	server_fanout_body(srv, except, m, b);
	reliable_body_unref(b);
}

void
server_fanout_body(struct server *srv, struct session *except,
    const struct proto_msg *m, struct reliable_body *b)
{
	struct session	*s;

	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (s != except && !s->dead && !s->kicked)
			server_reliable_body(srv, s, m, b);
	}
}

/* The next free slot of the send batch (flushing a full one), to to. */
static struct server_out *
server_out_slot(struct server *srv, const struct net_addr *to)
{
	struct server_out	*o;

	if (srv->nout == SERVER_SEND_BATCH)
		server_sendmmsg(srv);
	o = &srv->out[srv->nout++];
	o->to = *to;
	return o;
}

/*
 * One --trace line for a datagram to or from addr, if the filter takes
 * it. The session at addr names the line; srv->resend_send is the send
 * number of a retransmission being made (server_resend_cb).
 */
void
server_trace(struct server *srv, enum trace_dir dir,
    const struct net_addr *addr, const char *buf, size_t len)
{
	struct trace_dgram	 d;
	struct session		*s;
	char			 peer[NET_ADDRSTRLEN], line[TRACE_LINE_MAX];

	memset(&d, 0, sizeof(d));
	net_format(addr, peer, sizeof(peer));
	for (s = srv->sessions.head; s != NULL; s = s->next) {
		if (!s->dead && net_equal(&s->addr, addr)) {
			d.who = s->name;
			break;
		}
	}
	d.wall_ms = clock_wall_ms();
	d.dir = dir;
	d.peer = peer;
	d.buf = buf;
	d.len = len;
	d.send = dir == TRACE_OUT ? srv->resend_send : 0;
	d.since_ms = srv->resend_since_ms;
	if (!trace_match(&srv->opt->trace_filter, &d))
		return;
	trace_format(&d, line, sizeof(line));
	log_trace("%s", line);
}

void
server_send(struct server *srv, const struct net_addr *to, const char *buf,
    size_t len)
{
	struct server_out	*o;

	o = server_out_slot(srv, to);
	o->len = len;
	memcpy(o->buf, buf, len);
	if (srv->trace)
		server_trace(srv, TRACE_OUT, &o->to, o->buf, o->len);
}

/* A shared body with seq filled in, rendered straight into the batch. */
void
server_send_body(struct server *srv, const struct net_addr *to,
    const struct reliable_body *b, uint64_t seq)
{
	struct server_out	*o;

	o = server_out_slot(srv, to);
	if ((o->len = reliable_body_render(b, seq, o->buf,
	    sizeof(o->buf))) == 0) {
		/* Cannot happen: the body was made with the widest seq. */
		srv->nout--;
		return;
	}
	if (srv->trace)
		server_trace(srv, TRACE_OUT, &o->to, o->buf, o->len);
}

/*
 * s's message under seq s->next_seq was queued, not sent: it goes out
 * at the next flush. Without room on the list, everything pending is
 * packed and sent now.
 */
static void
server_pend(struct server *srv, struct session *s)
{
	struct session	**p;
	size_t		  cap;

	if (s->pending)
		return;
	if (srv->npend == srv->pend_cap) {
		cap = srv->pend_cap == 0 ? 64 : srv->pend_cap * 2;
		if ((p = reallocarray(srv->pend, cap, sizeof(*p))) == NULL) {
			server_pack_pending(srv);
			if (srv->npend == srv->pend_cap) {
				/* Cannot happen: the list was just emptied. */
				return;
			}
		} else {
			srv->pend = p;
			srv->pend_cap = cap;
		}
	}
	s->pending = true;
	s->pend_seq = s->next_seq;
	srv->pend[srv->npend++] = s;
}

/* s leaves the pending list (before it is freed). */
void
server_unpend(struct server *srv, struct session *s)
{
	size_t	 i;

	if (srv->pack_s == s)
		server_pack_close(srv);
	if (!s->pending)
		return;
	s->pending = false;
	for (i = 0; i < srv->npend; i++) {
		if (srv->pend[i] == s) {
			srv->pend[i] = srv->pend[--srv->npend];
			return;
		}
	}
}

/* Every pending session's queued messages, packed into the send batch. */
void
server_pack_pending(struct server *srv)
{
	struct session		*s;
	size_t			 i, j;

	for (i = 0; i < srv->npend; i++) {
		s = srv->pend[i];
		s->pending = false;
		if (s->dead)
			continue;
		/* Keys grow along the queue: the new ones are its tail. */
		for (j = s->queue.count; j > 0; j--) {
			if (reliable_at(&s->queue, j - 1)->key < s->pend_seq)
				break;
		}
		for (; j < s->queue.count; j++)
			server_pack_entry(srv, s, reliable_at(&s->queue, j));
		server_pack_close(srv);
	}
	srv->npend = 0;
}

void
server_pack_entry(struct server *srv, struct session *s,
    const struct reliable_entry *e)
{
	server_pack_add(srv, s, e->body, e->data, e->len, e->key);
	/* The trace of the pack says it is a resend (server_resend_cb). */
	if (srv->resend_send > srv->pack_send && srv->pack_s == s) {
		srv->pack_send = srv->resend_send;
		srv->pack_since_ms = srv->resend_since_ms;
	}
}

/*
 * One message for s (body rendered with seq, or data as it is) into the
 * open pack, closing it and opening another when it would not fit.
 */
static void
server_pack_add(struct server *srv, struct session *s,
    const struct reliable_body *b, const char *data, size_t len,
    uint64_t seq)
{
	struct server_out	*o;
	size_t			 pos, room, n;
	int			 tries;

	if (srv->pack_s != s)
		server_pack_close(srv);
	for (tries = 0; tries < 2; tries++) {
		if (srv->pack_s == NULL) {
			o = server_out_slot(srv, &s->addr);
			memcpy(o->buf, server_pack_head, SERVER_PACK_HEAD);
			o->len = SERVER_PACK_HEAD;
			srv->pack_slot = srv->nout - 1;
			srv->pack_s = s;
			srv->pack_n = 0;
			srv->pack_send = 0;
		}
		o = &srv->out[srv->pack_slot];
		pos = o->len + (srv->pack_n > 0);
		room = PROTO_MAX_DGRAM - 2 - pos;	/* "]}" */
		if (b != NULL)
			n = reliable_body_render(b, seq, o->buf + pos, room);
		else if ((n = len) <= room)
			memcpy(o->buf + pos, data, len);
		else
			n = 0;
		if (n > 0) {
			if (srv->pack_n > 0)
				o->buf[o->len] = ',';
			o->len = pos + n;
			srv->pack_n++;
			return;
		}
		if (srv->pack_n == 0) {
			/* Too big for a batch: alone, as without the cap. */
			if (b != NULL)
				o->len = reliable_body_render(b, seq, o->buf,
				    sizeof(o->buf));
			else {
				memcpy(o->buf, data, len);
				o->len = len;
			}
			srv->pack_s = NULL;
			if (o->len == 0)
				srv->nout--;	/* cannot happen */
			else
				server_out_trace(srv, o);
			return;
		}
		server_pack_close(srv);
	}
}

static void
server_out_trace(struct server *srv, const struct server_out *o)
{
	if (srv->trace)
		server_trace(srv, TRACE_OUT, &o->to, o->buf, o->len);
}

/* Ends the open pack: one message goes alone, more as a batch. */
void
server_pack_close(struct server *srv)
{
	struct server_out	*o;
	uint64_t		 since;
	int			 send;

	if (srv->pack_s == NULL)
		return;
	o = &srv->out[srv->pack_slot];
	srv->pack_s = NULL;
	if (srv->pack_n == 0) {
		/* Cannot happen: a pack opens for a message. */
		if (srv->pack_slot == srv->nout - 1)
			srv->nout--;
		else
			o->len = 0;
		return;
	}
	if (srv->pack_n == 1) {
		o->len -= SERVER_PACK_HEAD;
		memmove(o->buf, o->buf + SERVER_PACK_HEAD, o->len);
	} else {
		o->buf[o->len++] = ']';
		o->buf[o->len++] = '}';
	}
	send = srv->resend_send;
	since = srv->resend_since_ms;
	srv->resend_send = srv->pack_send;
	srv->resend_since_ms = srv->pack_since_ms;
	server_out_trace(srv, o);
	srv->resend_send = send;
	srv->resend_since_ms = since;
}

/* An ack from s: by seq, or cumulative (upto and seqs). */
void
server_acked(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	if (m->has_upto)
		srv->unacked -= reliable_ack_upto(&s->queue, m->upto, m->seqs,
		    (size_t)m->nseqs);
	/* A duplicate ack is normal: the first one crossed a resend. */
	if (m->seq != 0 && reliable_ack(&s->queue, m->seq) == 0)
		srv->unacked--;
}

/* The pending packs, then the send batch. */
void
server_flush(struct server *srv)
{
	server_pack_pending(srv);
	server_sendmmsg(srv);
}

/*
 * Sends the batch. A datagram the kernel refuses is skipped (the
 * retransmit queue covers what mattered); a full socket buffer drops the
 * rest of the batch for the same reason.
 */
static void
server_sendmmsg(struct server *srv)
{
	size_t	 i, off;
	int	 n;

	server_pack_close(srv);
	for (i = 0; i < srv->nout; i++) {
		srv->siov[i].iov_base = srv->out[i].buf;
		srv->siov[i].iov_len = srv->out[i].len;
		memset(&srv->smsg[i].msg_hdr, 0, sizeof(srv->smsg[i].msg_hdr));
		srv->smsg[i].msg_hdr.msg_name = &srv->out[i].to.ss;
		srv->smsg[i].msg_hdr.msg_namelen = srv->out[i].to.len;
		srv->smsg[i].msg_hdr.msg_iov = &srv->siov[i];
		srv->smsg[i].msg_hdr.msg_iovlen = 1;
	}
	for (off = 0; off < srv->nout; ) {
		n = sendmmsg(srv->fd, srv->smsg + off, srv->nout - off, 0);
		if (n > 0) {
			off += n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			log_debug("send buffer full: %zu dropped",
			    srv->nout - off);
			break;
		}
		log_debug("sendmmsg: %s", strerror(errno));
		off++;
	}
	srv->nout = 0;
}

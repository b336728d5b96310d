/*
 * login: the login exchange (login.h). The timing follows the
 * reliability rule of docs/protocol.md (250 ms, doubling) for LOGIN_SENDS
 * sends, then waits out LOGIN_GIVE_UP_MS from the first send. Logging
 * in again (struct login_retry) keeps the same start, never stops while
 * the server is silent, and gives a name_taken refusal the time a stale
 * session of ours can live before it ends.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "client.h"
#include "clock.h"
#include "login.h"

/*
 * The last login sent, for --trace: the same bytes again are a resend
 * (send 2, 3, ... of the one first sent at first_ms). A new cookie or
 * name makes a new datagram, whose first send is a first again.
 */
static struct {
	char		 buf[PROTO_MAX_DGRAM + 1];
	size_t		 len;
	int		 sends;
	uint64_t	 first_ms;
} login_last;

static void	 login_trace(const struct net_addr *, const char *, size_t);

const char *
login_cid(void)
{
	static const char	 hex[] = "0123456789abcdef";
	static char		 cid[PROTO_CID_LEN + 1];
	unsigned char		 r[PROTO_CID_LEN / 2];
	uint64_t		 v;
	size_t			 i;

	if (cid[0] != '\0')
		return cid;
	if (getentropy(r, sizeof(r)) == -1) {
		/* Unique enough: Resume only needs it to differ from others'. */
		v = clock_ms() ^ ((uint64_t)getpid() << 40);
		memcpy(r, &v, sizeof(r));
	}
	for (i = 0; i < sizeof(r); i++) {
		cid[2 * i] = hex[r[i] >> 4];
		cid[2 * i + 1] = hex[r[i] & 0xf];
	}
	cid[PROTO_CID_LEN] = '\0';
	return cid;
}

int
login_send(int fd, const struct net_addr *srv, const char *name,
    const char *password, const char *cookie)
{
	static struct proto_msg	 m;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 n;

	proto_init(&m, PROTO_LOGIN);
	m.version = PROTO_VERSION;
	snprintf(m.name, sizeof(m.name), "%s", name);
	snprintf(m.cid, sizeof(m.cid), "%s", login_cid());
	m.has_cid = true;
	/* Packed reliable messages, acked cumulatively (netproc_recv.c). */
	m.has_caps = true;
	m.caps = PROTO_CAP_BATCH;
	if (cookie == NULL || cookie[0] == '\0')
		m.pad_to = PROTO_PAD_MIN;
	else {
		snprintf(m.cookie, sizeof(m.cookie), "%s", cookie);
		m.has_cookie = true;
		if (password != NULL) {
			auth_proof(password, strlen(password), m.cookie,
			    m.proof);
			m.has_proof = true;
		}
	}
	n = proto_encode(&m, PROTO_FROM_CLIENT, buf, sizeof(buf));
	if (n < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	login_trace(srv, buf, (size_t)n);
	if (sendto(fd, buf, (size_t)n, 0, (const struct sockaddr *)&srv->ss,
	    srv->len) < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	return 0;
}

void
login_send_anew(void)
{
	login_last.len = 0;
	login_last.sends = 0;
}

/* The trace line of a login about to go out: a first send or a resend. */
static void
login_trace(const struct net_addr *srv, const char *buf, size_t len)
{
	uint64_t	 now = clock_ms();

	if (login_last.sends == 0 || len != login_last.len ||
	    memcmp(buf, login_last.buf, len) != 0) {
		memcpy(login_last.buf, buf, len);
		login_last.len = len;
		login_last.sends = 0;
		login_last.first_ms = now;
	}
	login_last.sends++;
	client_trace_resent(srv, buf, len, login_last.sends,
	    now - login_last.first_ms);
}

int
login_recv(int fd, const struct net_addr *srv, struct proto_msg *m)
{
	char		 buf[PROTO_MAX_DGRAM + 1];
	struct net_addr	 from;
	ssize_t		 n;

	from.len = sizeof(from.ss);
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from.ss,
	    &from.len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNREFUSED)
			return 0;
		return -1;
	}
	if (!net_equal(&from, srv))
		return 0;
	client_trace(TRACE_IN, &from, buf, (size_t)n);
	if (proto_decode(buf, (size_t)n, PROTO_FROM_SERVER, m) != PROTO_OK)
		return 0;
	return 1;
}

bool
login_cookie_take(char *cookie, const struct proto_msg *m)
{
	if (strcmp(cookie, m->cookie) == 0)
		return false;
	snprintf(cookie, PROTO_COOKIE_MAX + 1, "%s", m->cookie);
	return true;
}

enum login_result
login_run(int fd, const struct net_addr *srv, const char *name,
    const char *password, struct proto_msg *reply)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	char		 cookie[PROTO_COOKIE_MAX + 1] = "";
	uint64_t	 start, now, next, wait;
	uint32_t	 interval = PROTO_RETRY_FIRST_MS;
	int		 sends = 0, cookies = 0, r;

	start = next = clock_ms();
	login_send_anew();
	for (;;) {
		now = clock_ms();
		if (now >= next && sends < LOGIN_SENDS) {
			if (login_send(fd, srv, name, password, cookie) == -1)
				return LOGIN_SYSERR;
			sends++;
			next = now + interval;
			interval *= 2;
		}
		if (now >= start + LOGIN_GIVE_UP_MS)
			return LOGIN_NO_ANSWER;
		wait = (sends < LOGIN_SENDS ? next : start + LOGIN_GIVE_UP_MS);
		wait = wait > now ? wait - now : 0;
		if (poll(&pfd, 1, (int)wait) < 0 && errno != EINTR)
			return LOGIN_SYSERR;
		while ((r = login_recv(fd, srv, reply)) == 1) {
			if (reply->type == PROTO_WELCOME)
				return LOGIN_OK;
			if (reply->type == PROTO_ERROR)
				return LOGIN_REFUSED;
			if (reply->type != PROTO_COOKIE ||
			    !login_cookie_take(cookie, reply))
				continue;
			/*
			 * The login again with it, at once. The first cookie
			 * says the server is there: the wait starts anew.
			 */
			if (cookies++ == 0)
				start = clock_ms();
			sends = 0;
			next = clock_ms();
			interval = PROTO_RETRY_FIRST_MS;
		}
		if (r == -1)
			return LOGIN_SYSERR;
	}
}

uint64_t
login_taken_bound_ms(int heartbeat)
{
	if (heartbeat < 1)
		heartbeat = PROTO_HEARTBEAT_DEFAULT;
	return (uint64_t)heartbeat * 1000 * PROTO_EXPIRE_BEATS +
	    LOGIN_TAKEN_MARGIN_MS;
}

void
login_retry_start(struct login_retry *r, uint64_t now)
{
	r->next_ms = now;
	r->interval_ms = PROTO_RETRY_FIRST_MS;
	r->heard_ms = now;
	r->taken_until_ms = 0;
}

bool
login_retry_due(struct login_retry *r, uint64_t now)
{
	if (now < r->next_ms)
		return false;
	r->next_ms = now + r->interval_ms;
	r->interval_ms *= 2;
	if (r->interval_ms > LOGIN_RETRY_MAX_MS)
		r->interval_ms = LOGIN_RETRY_MAX_MS;
	return true;
}

void
login_retry_heard(struct login_retry *r, uint64_t now)
{
	if (now > r->heard_ms)
		r->heard_ms = now;
}

bool
login_retry_silent(const struct login_retry *r, uint64_t now)
{
	return now >= r->heard_ms + LOGIN_GIVE_UP_MS;
}

enum login_taken
login_retry_taken(struct login_retry *r, uint64_t now, int heartbeat,
    uint64_t *until_ms)
{
	enum login_taken	 t = LOGIN_TAKEN_AGAIN;

	login_retry_heard(r, now);
	if (r->taken_until_ms == 0) {
		r->taken_until_ms = now + login_taken_bound_ms(heartbeat);
		t = LOGIN_TAKEN_FIRST;
	} else if (now >= r->taken_until_ms)
		t = LOGIN_TAKEN_GIVE_UP;
	/*
	 * Every login sent before this answer is refused the same way:
	 * waiting a whole interval from the last answer keeps us from
	 * asking again and again within one round.
	 */
	r->next_ms = now + LOGIN_RETRY_MAX_MS;
	r->interval_ms = LOGIN_RETRY_MAX_MS;
	if (until_ms != NULL)
		*until_ms = r->taken_until_ms;
	return t;
}

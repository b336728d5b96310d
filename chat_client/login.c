/*
 * login: the login exchange (login.h). The timing follows the
 * reliability rule of docs/protocol.md (250 ms, doubling) for LOGIN_SENDS
 * sends, then waits out LOGIN_GIVE_UP_MS from the first send.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "login.h"

int
login_send(int fd, const struct net_addr *srv, const char *name,
    const char *password)
{
	static struct proto_msg	 m;
	char			 buf[PROTO_MAX_DGRAM + 1];
	int			 n;

	proto_init(&m, PROTO_LOGIN);
	m.version = PROTO_VERSION;
	snprintf(m.name, sizeof(m.name), "%s", name);
	if (password != NULL) {
		snprintf(m.password, sizeof(m.password), "%s", password);
		m.has_password = true;
	}
	n = proto_encode(&m, PROTO_FROM_CLIENT, buf, sizeof(buf));
	if (n < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	if (sendto(fd, buf, (size_t)n, 0, (const struct sockaddr *)&srv->ss,
	    srv->len) < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	return 0;
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
	if (proto_decode(buf, (size_t)n, PROTO_FROM_SERVER, m) != PROTO_OK)
		return 0;
	return 1;
}

enum login_result
login_run(int fd, const struct net_addr *srv, const char *name,
    const char *password, struct proto_msg *reply)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	uint64_t	 start, now, next, wait;
	uint32_t	 interval = PROTO_RETRY_FIRST_MS;
	int		 sends = 0, r;

	start = next = clock_ms();
	for (;;) {
		now = clock_ms();
		if (now >= next && sends < LOGIN_SENDS) {
			if (login_send(fd, srv, name, password) == -1)
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
		}
		if (r == -1)
			return LOGIN_SYSERR;
	}
}

/*
 * discover: finding chat servers on the LAN (discover.h). Follows
 * docs/protocol.md, "Discovery": discover is broadcast to the port and
 * the here answers of one second are listed. Choices the contract
 * leaves open:
 * - Besides 255.255.255.255 (which Linux sends out of one interface
 *   only, the one its route picks) the discover goes to the directed
 *   broadcast of every IPv4 interface, and to 127.0.0.1.
 * - The address of a server is the answer's source address with the
 *   answer's port; an answer of another protocol version is dropped, as
 *   we could not log in there.
 * - Answers are compared by source address; those of this host on one
 *   port are one server (discover_add says why).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "discover.h"
#include "utf8.h"

static struct discover_server *discover_find(struct discover *,
		    const struct net_addr *, bool, int);
static void	 discover_fill(struct discover_server *,
		    const struct net_addr *, bool, const struct proto_msg *);
static int	 discover_cmp(const void *, const void *);
static void	 discover_v4(struct net_addr *, uint32_t, int);
static size_t	 discover_targets(const struct net_iface *, size_t, int,
		    struct net_addr *);
static int	 discover_send_all(int, const struct net_addr *, size_t,
		    const char *, size_t);
static bool	 discover_is_local(const struct net_addr *,
		    const struct net_iface *, size_t);
static void	 discover_drain(int, struct discover *,
		    const struct net_iface *, size_t);

void
discover_init(struct discover *d)
{
	d->n = 0;
}

/* The listed server an answer from `from` (local, saying port) repeats. */
static struct discover_server *
discover_find(struct discover *d, const struct net_addr *from, bool local,
    int port)
{
	struct discover_server	*s;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		s = &d->servers[i];
		if (local && s->local && net_port(&s->addr) == port)
			return s;
		if (net_equal(&s->from, from))
			return s;
	}
	return NULL;
}

/* Fills s from a valid here; the room is sanitised here, once. */
static void
discover_fill(struct discover_server *s, const struct net_addr *from,
    bool local, const struct proto_msg *m)
{
	s->from = *from;
	s->addr = *from;
	net_set_port(&s->addr, m->port);
	s->local = local;
	utf8_sanitize(m->room, strlen(m->room), s->room, sizeof(s->room));
	s->users = m->user_count;
}

enum discover_add_result
discover_add(struct discover *d, const struct net_addr *from, bool local,
    const char *buf, size_t len)
{
	struct proto_msg	 m;
	struct discover_server	*s;

	if (proto_decode(buf, len, PROTO_FROM_SERVER, &m) != PROTO_OK ||
	    m.type != PROTO_HERE || m.version != PROTO_VERSION)
		return DISCOVER_REFUSED;
	if ((s = discover_find(d, from, local, m.port)) != NULL) {
		/* Shown to a class, 127.0.0.1 would mean each one's own host. */
		if (s->local && net_is_loopback(&s->from) &&
		    !net_is_loopback(from))
			discover_fill(s, from, local, &m);
		return DISCOVER_SEEN;
	}
	if (d->n == DISCOVER_MAX)
		return DISCOVER_REFUSED;
	discover_fill(&d->servers[d->n++], from, local, &m);
	return DISCOVER_NEW;
}

/* IPv4 before IPv6, then the address as a number, then the port. */
static int
discover_cmp(const void *pa, const void *pb)
{
	const struct discover_server	*a = pa, *b = pb;
	const struct sockaddr_in	*a4, *b4;
	const struct sockaddr_in6	*a6, *b6;
	uint32_t			 x, y;
	int				 c, fa, fb;

	fa = a->addr.ss.ss_family;
	fb = b->addr.ss.ss_family;
	if (fa != fb)
		return fa == AF_INET ? -1 : fb == AF_INET ? 1 : fa - fb;
	if (fa == AF_INET) {
		a4 = (const struct sockaddr_in *)&a->addr.ss;
		b4 = (const struct sockaddr_in *)&b->addr.ss;
		x = ntohl(a4->sin_addr.s_addr);
		y = ntohl(b4->sin_addr.s_addr);
		if (x != y)
			return x < y ? -1 : 1;
	} else if (fa == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)&a->addr.ss;
		b6 = (const struct sockaddr_in6 *)&b->addr.ss;
		c = memcmp(&a6->sin6_addr, &b6->sin6_addr, 16);
		if (c != 0)
			return c;
	}
	return net_port(&a->addr) - net_port(&b->addr);
}

void
discover_sort(struct discover *d)
{
	if (d->n > 1)
		qsort(d->servers, d->n, sizeof(d->servers[0]), discover_cmp);
}

void
discover_format(const struct discover_server *s, char *buf, size_t len)
{
	char	where[NET_ADDRSTRLEN];

	net_format(&s->addr, where, sizeof(where));
	snprintf(buf, len, "%s  #%s  %d user%s", where, s->room, s->users,
	    s->users == 1 ? "" : "s");
}

void
discover_format_tab(const struct discover_server *s, char *buf, size_t len)
{
	char	where[NET_ADDRSTRLEN];

	net_format(&s->addr, where, sizeof(where));
	snprintf(buf, len, "%s\t%s\t%d", where, s->room, s->users);
}

/* The IPv4 address host (host order) with port. */
static void
discover_v4(struct net_addr *a, uint32_t host, int port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a->ss;

	memset(a, 0, sizeof(*a));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(host);
	a->len = sizeof(*sin);
	net_set_port(a, port);
}

/*
 * Where a discover goes: the limited broadcast, 127.0.0.1 and each
 * interface's directed broadcast. to has room for nifs + 2.
 */
static size_t
discover_targets(const struct net_iface *ifs, size_t nifs, int port,
    struct net_addr *to)
{
	size_t	n = 0, i;

	discover_v4(&to[n++], INADDR_BROADCAST, port);
	discover_v4(&to[n++], INADDR_LOOPBACK, port);
	for (i = 0; i < nifs; i++) {
		if (ifs[i].can_bcast)
			to[n++] = ifs[i].bcast;
	}
	return n;
}

/*
 * One discover to every target. Returns how many sends the OS took;
 * errno is the last failure's. Some fail as a rule (255.255.255.255
 * with no default route, say), so one failure is no failure.
 */
static int
discover_send_all(int fd, const struct net_addr *to, size_t nto,
    const char *dgram, size_t len)
{
	size_t	i;
	int	ok = 0, e = 0;

	for (i = 0; i < nto; i++) {
		if (sendto(fd, dgram, len, 0, (const struct sockaddr *)&to[i].ss,
		    to[i].len) >= 0)
			ok++;
		else
			e = errno;
	}
	errno = e;
	return ok;
}

/* from is one of this host's addresses. */
static bool
discover_is_local(const struct net_addr *from, const struct net_iface *ifs,
    size_t nifs)
{
	size_t	i;

	if (net_is_loopback(from))
		return true;
	for (i = 0; i < nifs; i++) {
		if (net_same_host(from, &ifs[i].addr))
			return true;
	}
	return false;
}

/* Reads every datagram waiting; what is not a valid here is dropped. */
static void
discover_drain(int fd, struct discover *d, const struct net_iface *ifs,
    size_t nifs)
{
	char		 buf[PROTO_MAX_DGRAM + 1];
	struct net_addr	 from;
	ssize_t		 n;

	for (;;) {
		memset(&from, 0, sizeof(from));
		from.len = sizeof(from.ss);
		n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from.ss, &from.len);
		if (n < 0) {
			/* A refused unicast may surface here; it is no answer. */
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			return;
		}
		(void)discover_add(d, &from, discover_is_local(&from, ifs,
		    nifs), buf, (size_t)n);
	}
}

int
discover_run(struct discover *d, int port, char *err, size_t errlen)
{
	struct net_iface	 ifs[DISCOVER_IFACES_MAX];
	struct net_addr		 to[DISCOVER_IFACES_MAX + 2];
	struct proto_msg	 m;
	struct pollfd		 pfd;
	char			 dgram[PROTO_MAX_DGRAM];
	uint64_t		 start, now, due;
	size_t			 nifs, nto;
	int			 fd, len, r, sends = 0;

	discover_init(d);
	proto_init(&m, PROTO_DISCOVER);
	m.version = PROTO_VERSION;
	/* So that the here fits the server's no-amplification budget. */
	m.pad_to = PROTO_PAD_MIN;
	if ((len = proto_encode(&m, PROTO_FROM_CLIENT, dgram,
	    sizeof(dgram))) < 0) {
		snprintf(err, errlen, "cannot encode a discover");
		return -1;
	}
	if ((fd = net_udp_broadcast(err, errlen)) == -1)
		return -1;
	/* Without the list, the broadcast and 127.0.0.1 still go out. */
	r = net_ipv4_ifaces(ifs, DISCOVER_IFACES_MAX, port, NULL, 0);
	nifs = r < 0 ? 0 : (size_t)r;
	nto = discover_targets(ifs, nifs, port, to);
	pfd.fd = fd;
	pfd.events = POLLIN;
	start = clock_ms();
	for (;;) {
		now = clock_ms();
		if (sends < DISCOVER_SENDS &&
		    now >= start + (uint64_t)sends * DISCOVER_RESEND_MS) {
			r = discover_send_all(fd, to, nto, dgram, (size_t)len);
			if (r == 0 && sends == 0) {
				snprintf(err, errlen, "cannot send a discover to "
				    "port %d: %s", port, strerror(errno));
				close(fd);
				return -1;
			}
			sends++;
		}
		if (now >= start + DISCOVER_WAIT_MS)
			break;
		due = start + DISCOVER_WAIT_MS;
		if (sends < DISCOVER_SENDS &&
		    start + (uint64_t)sends * DISCOVER_RESEND_MS < due)
			due = start + (uint64_t)sends * DISCOVER_RESEND_MS;
		r = poll(&pfd, 1, due > now ? (int)(due - now) : 0);
		if (r > 0)
			discover_drain(fd, d, ifs, nifs);
		else if (r < 0 && errno != EINTR)
			break;	/* what came so far is still an answer */
	}
	discover_drain(fd, d, ifs, nifs);
	close(fd);
	discover_sort(d);
	return 0;
}

/*
 * net: address parsing and formatting, UDP socket set-up, OS randomness.
 *
 * Address forms (net_parse_addr): "1.2.3.4", "1.2.3.4:99", "host",
 * "host:99", "[::1]", "[::1]:99" and a bare IPv6 literal "::1" (more
 * than one colon and no brackets can only be IPv6 without a port).
 * Ports 0-65535 are accepted: 0 means "the OS picks" to a server.
 *
 * Addresses are compared in a canonical form in which a v4-mapped IPv6
 * address (::ffff:1.2.3.4, what a dual-stack socket reports for an IPv4
 * peer) is the IPv4 address itself, so a session keyed by address does
 * not depend on which kind of socket heard the peer.
 *
 * Interfaces (net_ipv4_ifaces) are read with getifaddrs: IPv4 only,
 * because discovery broadcasts and IPv6 has no broadcast. The server
 * reads its IPv6 links' prefixes (net_ipv6_prefixes) to tell a peer on
 * its own LAN, one host among many in that /64, from a remote one that
 * may own the whole /64 (net_host_key).
 *
 * Never prints: failures fill the caller's err buffer.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

/* Longest DNS name (253) plus room to say it was too long. */
#define NET_HOST_MAX	256

/* An address reduced to what identifies a peer. */
struct net_key {
	int		family;		/* AF_INET or AF_INET6, 0 if unknown */
	unsigned char	addr[16];	/* 4 bytes used for AF_INET */
	uint32_t	scope;		/* IPv6 link-local interface */
	uint16_t	port;		/* host order */
};

static void	net_err(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	net_split(const char *, char *, size_t, const char **,
		    bool *, char *, size_t);
static int	net_parse_port(const char *, int *, char *, size_t);
static int	net_resolve(const char *, bool, int, struct net_addr *,
		    char *, size_t);
static int	net_bind_one(int, const struct sockaddr *, socklen_t, int,
		    struct net_addr *, char *, size_t);
static int	net_bind_any(int, int, struct net_addr *, char *, size_t);
static int	net_bind_host(const char *, int, int, struct net_addr *,
		    char *, size_t);
static void	net_key(const struct net_addr *, struct net_key *);
static void	net_key_out(const struct net_key *, unsigned char *);
static bool	net_link_local(const unsigned char *);
static bool	net_shared_link(const unsigned char *,
		    const struct net_prefix *, size_t);
static void	net_from_sin(struct net_addr *, const struct sockaddr *, int);

static void
net_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Splits s into host (copied into host, hostlen bytes) and the port
 * text (*port, NULL when there is none). *bracketed says the host was
 * written "[...]" and so must be an IPv6 literal.
 */
static int
net_split(const char *s, char *host, size_t hostlen, const char **port,
    bool *bracketed, char *err, size_t errlen)
{
	const char	*colon, *end, *orig = s;
	size_t		 n;

	*port = NULL;
	*bracketed = false;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL) {
			net_err(err, errlen, "bad address '%s': missing ']'", s);
			return -1;
		}
		if (end[1] == ':')
			*port = end + 2;
		else if (end[1] != '\0') {
			net_err(err, errlen,
			    "bad address '%s': expected ':port' after ']'", s);
			return -1;
		}
		*bracketed = true;
		s++;
		n = (size_t)(end - s);
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		*port = colon + 1;
		n = (size_t)(colon - s);
	} else
		n = strlen(s);	/* no colon, or a bare IPv6 literal */
	if (n == 0) {
		net_err(err, errlen, "bad address '%s': missing host", orig);
		return -1;
	}
	if (n >= hostlen) {
		net_err(err, errlen, "bad address: host name too long");
		return -1;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

static int
net_parse_port(const char *s, int *port, char *err, size_t errlen)
{
	char	*end;
	long	 v;

	if (s[0] < '0' || s[0] > '9') {
		net_err(err, errlen, "bad port '%s'", s);
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 65535) {
		net_err(err, errlen, "bad port '%s' (0-65535)", s);
		return -1;
	}
	*port = (int)v;
	return 0;
}

void
net_set_port(struct net_addr *a, int port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)port);
	else if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port =
		    htons((uint16_t)port);
}

/* The first UDP result for host, with port set. */
static int
net_resolve(const char *host, bool numeric, int port, struct net_addr *out,
    char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	int		 rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if (numeric)
		hints.ai_flags = AI_NUMERICHOST;
	if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0 && numeric) {
		net_err(err, errlen, "bad address '[%s]': brackets must hold "
		    "an IPv6 address", host);
		return -1;
	}
	if (rc != 0) {
		net_err(err, errlen, "cannot resolve '%s': %s", host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	if (res == NULL || res->ai_addrlen > sizeof out->ss) {
		if (res != NULL)
			freeaddrinfo(res);
		net_err(err, errlen, "cannot resolve '%s': no address", host);
		return -1;
	}
	memset(out, 0, sizeof *out);
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	net_set_port(out, port);
	return 0;
}

int
net_parse_addr(const char *s, int default_port, struct net_addr *out,
    char *err, size_t errlen)
{
	char		 host[NET_HOST_MAX];
	const char	*ptext;
	bool		 bracketed;
	int		 port = default_port;

	if (s == NULL || *s == '\0') {
		net_err(err, errlen, "empty address");
		return -1;
	}
	if (net_split(s, host, sizeof host, &ptext, &bracketed, err,
	    errlen) == -1)
		return -1;
	if (ptext != NULL && net_parse_port(ptext, &port, err, errlen) == -1)
		return -1;
	if (port < 0 || port > 65535) {
		net_err(err, errlen, "bad port '%d' (0-65535)", port);
		return -1;
	}
	return net_resolve(host, bracketed, port, out, err, errlen);
}

void
net_set_buffers(int fd, int bytes)
{
	if (bytes <= 0)
		return;
	/* The FORCE options pass rmem_max/wmem_max but need CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes,
	    sizeof bytes) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
		    sizeof bytes);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes,
	    sizeof bytes) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes,
		    sizeof bytes);
}

/*
 * A non-blocking socket bound to sa. Returns the fd, or -1 with err
 * filled and errno kept from the failing call.
 */
static int
net_bind_one(int family, const struct sockaddr *sa, socklen_t salen,
    int bufsize, struct net_addr *bound, char *err, size_t errlen)
{
	struct net_addr	 want;
	char		 text[NET_ADDRSTRLEN];
	int		 fd, off = 0, saved;

	memset(&want, 0, sizeof want);
	memcpy(&want.ss, sa, salen);
	want.len = salen;
	net_format(&want, text, sizeof text);
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		saved = errno;	/* net_bind_any looks at it */
		net_err(err, errlen, "cannot open a socket for %s: %s", text,
		    strerror(saved));
		errno = saved;
		return -1;
	}
	/* "::" must also take IPv4 peers whatever the sysctl default is. */
	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
		    sizeof off);
	if (bind(fd, sa, salen) == -1)
		goto fail;
	net_set_buffers(fd, bufsize);
	if (bound != NULL) {
		memset(bound, 0, sizeof *bound);
		bound->len = sizeof bound->ss;
		if (getsockname(fd, (struct sockaddr *)&bound->ss,
		    &bound->len) == -1)
			goto fail;
	}
	return fd;
fail:
	saved = errno;
	net_err(err, errlen, "cannot bind %s: %s", text, strerror(saved));
	close(fd);
	errno = saved;
	return -1;
}

/* Dual stack "::", or 0.0.0.0 where the kernel has no IPv6. */
static int
net_bind_any(int port, int bufsize, struct net_addr *bound, char *err,
    size_t errlen)
{
	struct sockaddr_in6	sin6;
	struct sockaddr_in	sin;
	int			fd;

	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	sin6.sin6_port = htons((uint16_t)port);
	fd = net_bind_one(AF_INET6, (struct sockaddr *)&sin6, sizeof sin6,
	    bufsize, bound, err, errlen);
	if (fd != -1 || (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL))
		return fd;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	sin.sin_port = htons((uint16_t)port);
	return net_bind_one(AF_INET, (struct sockaddr *)&sin, sizeof sin,
	    bufsize, bound, err, errlen);
}

/* A socket bound to the first address of host that binds. */
static int
net_bind_host(const char *host, int port, int bufsize,
    struct net_addr *bound, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res, *ai;
	char		 service[8], first[256];
	int		 fd = -1, rc;

	snprintf(service, sizeof service, "%d", port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, service, &hints, &res)) != 0) {
		net_err(err, errlen, "cannot resolve '%s': %s", host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	/* The first failure is the one worth reporting. */
	first[0] = '\0';
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		fd = net_bind_one(ai->ai_family, ai->ai_addr, ai->ai_addrlen,
		    bufsize, bound, first[0] == '\0' ? first : NULL,
		    sizeof first);
	}
	freeaddrinfo(res);
	if (fd == -1)
		net_err(err, errlen, "%s", first);
	return fd;
}

int
net_udp_server(const char *bind_host, int port, int bufsize,
    struct net_addr *bound, char *err, size_t errlen)
{
	char	host[NET_HOST_MAX];
	size_t	n;

	if (port < 0 || port > 65535) {
		net_err(err, errlen, "bad port '%d' (0-65535)", port);
		return -1;
	}
	if (bind_host == NULL || *bind_host == '\0')
		return net_bind_any(port, bufsize, bound, err, errlen);
	/* Take "[::1]" as well as "::1": users copy what net_format prints. */
	n = strlen(bind_host);
	if (n >= 2 && bind_host[0] == '[' && bind_host[n - 1] == ']') {
		bind_host++;
		n -= 2;
	}
	if (n >= sizeof host) {
		net_err(err, errlen, "bad address: host name too long");
		return -1;
	}
	memcpy(host, bind_host, n);
	host[n] = '\0';
	return net_bind_host(host, port, bufsize, bound, err, errlen);
}

int
net_udp_client(const struct net_addr *peer, int bufsize, char *err,
    size_t errlen)
{
	int	fd;

	fd = socket(peer->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		net_err(err, errlen, "cannot open a UDP socket: %s",
		    strerror(errno));
		return -1;
	}
	net_set_buffers(fd, bufsize);
	return fd;
}

int
net_udp_broadcast(char *err, size_t errlen)
{
	int	fd, on = 1, saved;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		net_err(err, errlen, "cannot open a UDP socket: %s",
		    strerror(errno));
		return -1;
	}
	/* Without it a send to a broadcast address fails with EACCES. */
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) == -1) {
		saved = errno;
		close(fd);
		net_err(err, errlen, "cannot allow broadcasts: %s",
		    strerror(saved));
		return -1;
	}
	return fd;
}

/* An IPv4 net_addr from sa (AF_INET), with port. */
static void
net_from_sin(struct net_addr *a, const struct sockaddr *sa, int port)
{
	memset(a, 0, sizeof *a);
	memcpy(&a->ss, sa, sizeof(struct sockaddr_in));
	a->len = sizeof(struct sockaddr_in);
	net_set_port(a, port);
}

int
net_ipv4_ifaces(struct net_iface *out, size_t max, int port, char *err,
    size_t errlen)
{
	struct ifaddrs	*ifs, *i;
	size_t		 n = 0;

	if (getifaddrs(&ifs) == -1) {
		net_err(err, errlen, "cannot list the network interfaces: %s",
		    strerror(errno));
		return -1;
	}
	for (i = ifs; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_UP) == 0)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		net_from_sin(&out[n].addr, i->ifa_addr, 0);
		/* ifa_broadaddr is only meaningful with IFF_BROADCAST. */
		if ((i->ifa_flags & IFF_BROADCAST) != 0 &&
		    (i->ifa_flags & IFF_LOOPBACK) == 0 &&
		    i->ifa_broadaddr != NULL &&
		    i->ifa_broadaddr->sa_family == AF_INET) {
			net_from_sin(&out[n].bcast, i->ifa_broadaddr, port);
			out[n].can_bcast = true;
		}
		n++;
	}
	freeifaddrs(ifs);
	return (int)n;
}

int
net_ipv6_prefixes(struct net_prefix *out, size_t max, char *err,
    size_t errlen)
{
	struct ifaddrs			*ifs, *i;
	const struct sockaddr_in6	*sin6;
	const unsigned char		*b;
	size_t				 n = 0, j;

	if (getifaddrs(&ifs) == -1) {
		net_err(err, errlen, "cannot list the network interfaces: %s",
		    strerror(errno));
		return -1;
	}
	for (i = ifs; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
		    (i->ifa_flags & IFF_UP) == 0 ||
		    (i->ifa_flags & IFF_LOOPBACK) != 0)
			continue;
		sin6 = (const struct sockaddr_in6 *)i->ifa_addr;
		b = sin6->sin6_addr.s6_addr;
		if (net_link_local(b) || net_shared_link(b, out, n))
			continue;
		for (j = 0; j < sizeof out[n].bytes; j++)
			out[n].bytes[j] = b[j];
		n++;
	}
	freeifaddrs(ifs);
	return (int)n;
}

/* fe80::/10: the same /64 on every link, for every host on it. */
static bool
net_link_local(const unsigned char *addr)
{
	return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;
}

/* Whether IPv6 addr is on a /64 that many hosts share (net_host_key). */
static bool
net_shared_link(const unsigned char *addr, const struct net_prefix *local,
    size_t nlocal)
{
	size_t	i;

	if (net_link_local(addr))
		return true;
	for (i = 0; i < nlocal; i++) {
		if (memcmp(addr, local[i].bytes, sizeof local[i].bytes) == 0)
			return true;
	}
	return false;
}

/* Canonical form: v4-mapped IPv6 becomes IPv4. */
static void
net_key(const struct net_addr *a, struct net_key *k)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	memset(k, 0, sizeof *k);
	if (a->ss.ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)&a->ss;
		k->family = AF_INET;
		memcpy(k->addr, &sin->sin_addr, 4);
		k->port = ntohs(sin->sin_port);
	} else if (a->ss.ss_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)&a->ss;
		k->port = ntohs(sin6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			k->family = AF_INET;
			memcpy(k->addr, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			k->family = AF_INET6;
			memcpy(k->addr, &sin6->sin6_addr, 16);
			k->scope = sin6->sin6_scope_id;
		}
	}
}

void
net_format_host(const struct net_addr *a, char *buf, size_t len)
{
	struct net_key	k;
	char		text[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE];

	if (len == 0)
		return;
	net_key(a, &k);
	if (k.family == 0 ||
	    inet_ntop(k.family, k.addr, text, sizeof text) == NULL) {
		snprintf(buf, len, "(unknown address)");
		return;
	}
	if (k.family == AF_INET6 && k.scope != 0) {
		if (if_indextoname(k.scope, ifname) != NULL)
			snprintf(buf, len, "%s%%%s", text, ifname);
		else
			snprintf(buf, len, "%s%%%u", text, (unsigned)k.scope);
	} else
		snprintf(buf, len, "%s", text);
}

void
net_format(const struct net_addr *a, char *buf, size_t len)
{
	char	host[NET_ADDRSTRLEN];
	int	family;

	if (len == 0)
		return;
	net_format_host(a, host, sizeof host);
	family = a->ss.ss_family;
	if (family == AF_INET6 && strchr(host, ':') != NULL)
		snprintf(buf, len, "[%s]:%d", host, net_port(a));
	else if (family == AF_INET || family == AF_INET6)
		snprintf(buf, len, "%s:%d", host, net_port(a));
	else
		snprintf(buf, len, "%s", host);
}

int
net_port(const struct net_addr *a)
{
	struct net_key	k;

	net_key(a, &k);
	return k.port;
}

bool
net_equal(const struct net_addr *a, const struct net_addr *b)
{
	struct net_key	ka, kb;

	net_key(a, &ka);
	net_key(b, &kb);
	return ka.family == kb.family && ka.port == kb.port &&
	    ka.scope == kb.scope && memcmp(ka.addr, kb.addr, 16) == 0;
}

bool
net_same_host(const struct net_addr *a, const struct net_addr *b)
{
	struct net_key	ka, kb;

	net_key(a, &ka);
	net_key(b, &kb);
	return ka.family != 0 && ka.family == kb.family &&
	    ka.scope == kb.scope && memcmp(ka.addr, kb.addr, 16) == 0;
}

bool
net_is_loopback(const struct net_addr *a)
{
	static const unsigned char	v6_loopback[16] = { [15] = 1 };
	struct net_key			k;

	net_key(a, &k);
	if (k.family == AF_INET)
		return k.addr[0] == 127;
	return k.family == AF_INET6 && memcmp(k.addr, v6_loopback, 16) == 0;
}

/* k as NET_KEY_BYTES bytes. */
static void
net_key_out(const struct net_key *k, unsigned char *out)
{
	out[0] = (unsigned char)k->family;
	out[1] = (unsigned char)(k->family >> 8);
	memcpy(out + 2, k->addr, 16);
	memcpy(out + 18, &k->scope, 4);
	out[22] = (unsigned char)(k->port >> 8);
	out[23] = (unsigned char)k->port;
}

void
net_key_bytes(const struct net_addr *a, unsigned char out[NET_KEY_BYTES])
{
	struct net_key	k;

	net_key(a, &k);
	net_key_out(&k, out);
}

void
net_host_key(const struct net_addr *a, const struct net_prefix *local,
    size_t nlocal, unsigned char out[NET_KEY_BYTES])
{
	struct net_key	k;

	net_key(a, &k);
	k.port = 0;
	if (k.family == AF_INET6 && !net_shared_link(k.addr, local, nlocal)) {
		memset(k.addr + 8, 0, 8);
		k.scope = 0;
	}
	net_key_out(&k, out);
}

/*
 * FNV-1a over the canonical key, then a 64-bit finaliser so that the
 * low bits (what a table masks with) depend on every input byte. It is
 * unkeyed: fine for a LAN, where a peer picks at most its own port.
 */
uint64_t
net_hash(const struct net_addr *a)
{
	unsigned char	bytes[NET_KEY_BYTES];
	uint64_t	h = UINT64_C(14695981039346656037);
	size_t		i;

	net_key_bytes(a, bytes);
	for (i = 0; i < sizeof bytes; i++) {
		h ^= bytes[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

int
net_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	size_t		 done = 0;
	ssize_t		 r;

	while (done < n) {
		r = getrandom(p + done, n - done, 0);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

/*
 * net: addresses and UDP sockets. Parses "host", "host:port",
 * "[v6addr]:port" and bare IPv6 literals; resolves hostnames; sets up
 * non-blocking UDP sockets; lists the IPv4 interfaces that are up and
 * their broadcast addresses; formats addresses for logs. Never prints:
 * failures fill err (errlen bytes) with words a user can act on.
 */
#ifndef NET_H
#define NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Big enough for "[ffff:...:ffff%ifname]:65535". */
#define NET_ADDRSTRLEN	80

struct net_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

/* One IPv4 address of an interface that is up (net_ipv4_ifaces). */
struct net_iface {
	struct net_addr	addr;		/* the interface's address, port 0 */
	struct net_addr	bcast;		/* its directed broadcast, if can_bcast */
	bool		can_bcast;	/* IFF_BROADCAST and not IFF_LOOPBACK */
};

/* The first 64 bits of an IPv6 address: its network, a link's prefix. */
struct net_prefix {
	unsigned char	bytes[8];
};

/*
 * Parses s as a host with an optional port (default_port when absent)
 * and resolves it (first result, UDP). Returns 0, or -1 with err filled
 * ("cannot resolve 'foo': Name or service not known", "bad port '99999'").
 */
int	 net_parse_addr(const char *s, int default_port, struct net_addr *out,
	    char *err, size_t errlen);

/*
 * A non-blocking UDP socket bound to bind_host (NULL: all interfaces,
 * IPv6 dual stack "::", falling back to IPv4 0.0.0.0 where IPv6 is off)
 * and port (0: the OS picks). Receive and send buffers are raised to
 * bufsize bytes where the OS allows (0: leave them). *bound gets the
 * address actually bound. Returns the fd, or -1 with err filled
 * ("cannot bind 0.0.0.0:8888: Address already in use").
 */
int	 net_udp_server(const char *bind_host, int port, int bufsize,
	    struct net_addr *bound, char *err, size_t errlen);

/*
 * A non-blocking UDP socket for talking to peer (same family, unbound:
 * the OS picks a port at the first send). Returns the fd or -1 with err.
 */
int	 net_udp_client(const struct net_addr *peer, int bufsize, char *err,
	    size_t errlen);

/*
 * A non-blocking IPv4 UDP socket allowed to send to broadcast addresses
 * (SO_BROADCAST). Returns the fd or -1 with err.
 */
int	 net_udp_broadcast(char *err, size_t errlen);

/*
 * The IPv4 addresses of the interfaces that are up (getifaddrs), loopback
 * included, at most max of them into out; each broadcast address gets
 * port. Returns how many, or -1 with err.
 */
int	 net_ipv4_ifaces(struct net_iface *out, size_t max, int port,
	    char *err, size_t errlen);

/*
 * The /64 prefixes of the global and unique local IPv6 addresses of the
 * interfaces that are up (getifaddrs; loopback and link-local left out),
 * each once, at most max of them into out. Returns how many, or -1 with
 * err.
 */
int	 net_ipv6_prefixes(struct net_prefix *out, size_t max, char *err,
	    size_t errlen);

/* Raises SO_RCVBUF and SO_SNDBUF to bytes (SO_*BUFFORCE when root). */
void	 net_set_buffers(int fd, int bytes);

/* "127.0.0.1:8888", "[::1]:8888"; a v4-mapped IPv6 address prints as IPv4. */
void	 net_format(const struct net_addr *a, char *buf, size_t len);

/* Host part alone ("127.0.0.1", "::1") and the port. */
void	 net_format_host(const struct net_addr *a, char *buf, size_t len);
int	 net_port(const struct net_addr *a);

/* Same family, address and port (v4-mapped IPv6 equals its IPv4). */
bool	 net_equal(const struct net_addr *a, const struct net_addr *b);

/* Same host, ports ignored (v4-mapped IPv6 equals its IPv4). */
bool	 net_same_host(const struct net_addr *a, const struct net_addr *b);

/* 127.0.0.0/8, ::1 or v4-mapped 127.0.0.0/8. */
bool	 net_is_loopback(const struct net_addr *a);

/* Sets the port of an IPv4 or IPv6 address. */
void	 net_set_port(struct net_addr *a, int port);

/*
 * The address as bytes for hashing and MACs: family, address, IPv6
 * scope, port. Two addresses net_equal says are equal (v4-mapped IPv6
 * and its IPv4) give the same bytes, and no two others do.
 */
#define NET_KEY_BYTES	24
void	 net_key_bytes(const struct net_addr *a,
	    unsigned char out[NET_KEY_BYTES]);

/*
 * The host a (any port) is, as bytes for hashing (port 0): what a
 * per-host limit counts as one. IPv4 (and v4-mapped IPv6) is the whole
 * address. IPv6 is its /64, all a home or a site is given and a host
 * can take addresses in at will, except where the /64 is a link that
 * many hosts share: link-local (fe80::/10) and the nlocal prefixes of
 * local (this machine's links, net_ipv6_prefixes), where the whole
 * address counts, as over IPv4.
 */
void	 net_host_key(const struct net_addr *a,
	    const struct net_prefix *local, size_t nlocal,
	    unsigned char out[NET_KEY_BYTES]);

/* A hash of family, address and port, consistent with net_equal. */
uint64_t net_hash(const struct net_addr *a);

/* Fills buf with n random bytes from the OS (getrandom). 0 or -1. */
int	 net_random(void *buf, size_t n);

#endif /* NET_H */

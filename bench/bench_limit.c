/*
 * bench_limit: the machine's ceiling for what the server does, measured
 * with no server at all. A forked sender pushes datagrams of the
 * forwarded chat's size round-robin to nsockets loopback sockets with
 * sendmmsg; the parent drains them with epoll and recvmmsg. Both are
 * pinned like the server and the bench, so the figure is "what two
 * CPUs and this kernel deliver one way", and the server's deliveries/s
 * divided by it says how much of that the server gets.
 *
 * The sender keeps at most a window of datagrams unreceived (a counter
 * in shared memory), so the ceiling is not inflated by datagrams the
 * kernel drops at full receive buffers. The rate is taken between the
 * first and the last datagram received.
 *
 * With a CPU of its own the drainer polls without sleeping while the
 * sender runs. A drainer that sleeps in epoll_wait makes every send
 * pay for waking it across CPUs (on a VM an inter-processor interrupt
 * and a VM exit), which a loaded server never pays because its peers
 * are never asleep: measured here, that cost alone held the ceiling
 * about 20 % below what the machine can carry.
 */
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "proto.h"

#define LIMIT_BATCH	64
#define LIMIT_WINDOW	4096
#define LIMIT_PER_SOCK	64
/* The receiver stops this long after the sender stopped and all went quiet. */
#define LIMIT_QUIET_MS	200

/* Counters both processes see. */
struct limit_shared {
	_Atomic uint64_t	 sent;
	_Atomic uint64_t	 received;
	_Atomic int		 done;
};

struct limit {
	int			 n;
	int			*fds;
	struct net_addr		*addrs;
	int			 size;
	double			 max_s;
	long			 max_count;
	struct limit_shared	*sh;
};

static int	 limit_open(struct limit *l, char *err, size_t errlen);
static void	 limit_close(struct limit *l);
static void	 limit_send(struct limit *l, int cpu);
static int	 limit_drain(struct limit *l, bool spin,
		    struct bench_ceiling *out, char *err, size_t errlen);

/* nsockets receivers on 127.0.0.1, each on a port the OS picks. */
static int
limit_open(struct limit *l, char *err, size_t errlen)
{
	int	 i;

	l->fds = calloc(l->n, sizeof *l->fds);
	l->addrs = calloc(l->n, sizeof *l->addrs);
	if (l->fds == NULL || l->addrs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < l->n; i++)
		l->fds[i] = -1;
	for (i = 0; i < l->n; i++) {
		l->fds[i] = net_udp_server("127.0.0.1", 0, 0, &l->addrs[i],
		    err, errlen);
		if (l->fds[i] == -1)
			return -1;
	}
	return 0;
}

static void
limit_close(struct limit *l)
{
	int	 i;

	for (i = 0; l->fds != NULL && i < l->n; i++)
		if (l->fds[i] != -1)
			close(l->fds[i]);
	free(l->fds);
	free(l->addrs);
	l->fds = NULL;
	l->addrs = NULL;
}

/*
 * The child: batches of LIMIT_BATCH datagrams, round-robin over the
 * receivers, while fewer than the window are unreceived.
 */
static void
limit_send(struct limit *l, int cpu)
{
	struct mmsghdr	 mm[LIMIT_BATCH];
	struct iovec	 iov;
	char		*buf;
	uint64_t	 sent, window, end_ms;
	int		 fd, i, k, next, r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	bench_pin(cpu);
	window = (uint64_t)l->n * LIMIT_PER_SOCK;
	if (window > LIMIT_WINDOW)
		window = LIMIT_WINDOW;
	if ((buf = malloc(l->size)) == NULL)
		_exit(1);
	memset(buf, 'x', l->size);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		_exit(1);
	iov.iov_base = buf;
	iov.iov_len = l->size;
	end_ms = clock_ms() + (uint64_t)(l->max_s * 1000);
	sent = 0;
	next = 0;
	while (sent < (uint64_t)l->max_count && !bench_stop) {
		if (sent - atomic_load(&l->sh->received) + LIMIT_BATCH > window) {
			if (clock_ms() >= end_ms)
				break;
			sched_yield();
			continue;
		}
		if (clock_ms() >= end_ms)
			break;
		k = 0;
		for (i = 0; i < LIMIT_BATCH &&
		    sent + (uint64_t)k < (uint64_t)l->max_count; i++, k++) {
			memset(&mm[k], 0, sizeof mm[k]);
			mm[k].msg_hdr.msg_iov = &iov;
			mm[k].msg_hdr.msg_iovlen = 1;
			mm[k].msg_hdr.msg_name = &l->addrs[next].ss;
			mm[k].msg_hdr.msg_namelen = l->addrs[next].len;
			next = (next + 1) % l->n;
		}
		r = sendmmsg(fd, mm, k, 0);
		if (r > 0) {
			sent += r;
			atomic_store(&l->sh->sent, sent);
		} else if (r == -1 && errno != EINTR && errno != EAGAIN &&
		    errno != ENOBUFS)
			break;
	}
	atomic_store(&l->sh->done, 1);
	_exit(0);
}

/*
 * The parent: recvmmsg on every ready socket until the sender is done;
 * spin says whether to poll without sleeping while it sends.
 */
static int
limit_drain(struct limit *l, bool spin, struct bench_ceiling *out,
    char *err, size_t errlen)
{
	struct epoll_event	 ev, evs[256];
	struct mmsghdr		 mm[LIMIT_BATCH];
	struct iovec		 iov[LIMIT_BATCH];
	static char		 bufs[LIMIT_BATCH][PROTO_MAX_DGRAM + 100];
	uint64_t		 got, first_us, last_us, quiet_ms;
	int			 ep, i, j, r, nev;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		epoll_ctl(ep, EPOLL_CTL_ADD, l->fds[i], &ev);
	}
	for (j = 0; j < LIMIT_BATCH; j++) {
		iov[j].iov_base = bufs[j];
		iov[j].iov_len = sizeof bufs[j];
	}
	got = first_us = last_us = 0;
	quiet_ms = 0;
	for (;;) {
		if (spin && !atomic_load(&l->sh->done)) {
			if ((nev = epoll_wait(ep, evs, 256, 0)) == 0)
				continue;
		} else
			nev = epoll_wait(ep, evs, 256, 20);
		if (nev <= 0) {
			if (atomic_load(&l->sh->done) &&
			    (got >= atomic_load(&l->sh->sent) ||
			    (quiet_ms += 20) >= LIMIT_QUIET_MS))
				break;
			continue;
		}
		for (i = 0; i < nev; i++) {
			for (j = 0; j < LIMIT_BATCH; j++) {
				memset(&mm[j].msg_hdr, 0, sizeof mm[j].msg_hdr);
				mm[j].msg_hdr.msg_iov = &iov[j];
				mm[j].msg_hdr.msg_iovlen = 1;
			}
			r = recvmmsg(l->fds[evs[i].data.u32], mm, LIMIT_BATCH,
			    MSG_DONTWAIT, NULL);
			if (r <= 0)
				continue;
			if (got == 0)
				first_us = clock_us();
			got += r;
			last_us = clock_us();
		}
		quiet_ms = 0;
		atomic_store(&l->sh->received, got);
		if (atomic_load(&l->sh->done) &&
		    got >= atomic_load(&l->sh->sent))
			break;
	}
	close(ep);
	out->sent = atomic_load(&l->sh->sent);
	out->received = got;
	out->seconds = (double)(last_us - first_us) / 1e6;
	out->per_s = out->seconds > 0 ? (double)got / out->seconds : 0;
	return 0;
}

int
bench_limit(int nsockets, int size, double max_s, long max_count,
    const int cpus[2], struct bench_ceiling *out, char *err, size_t errlen)
{
	struct limit	 l;
	pid_t		 pid;
	int		 rc;

	memset(&l, 0, sizeof l);
	memset(out, 0, sizeof *out);
	l.n = nsockets;
	l.size = size;
	l.max_s = max_s;
	l.max_count = max_count;
	out->nsockets = nsockets;
	out->size = size;
	l.sh = mmap(NULL, sizeof *l.sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l.sh == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return -1;
	}
	atomic_init(&l.sh->sent, 0);
	atomic_init(&l.sh->received, 0);
	atomic_init(&l.sh->done, 0);
	rc = -1;
	if (limit_open(&l, err, errlen) == -1)
		goto out;
	pid = fork();
	if (pid == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		limit_send(&l, cpus[0]);
	bench_pin(cpus[1]);
	rc = limit_drain(&l, cpus[0] != cpus[1], out, err, errlen);
	if (rc == -1)
		kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
out:
	limit_close(&l);
	munmap(l.sh, sizeof *l.sh);
	return rc;
}

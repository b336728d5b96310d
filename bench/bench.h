/*
 * bench: the fan-out benchmark (docs/bench.md). One process plays N chat
 * clients against a chat_server on loopback and measures how fast and
 * how faithfully the server fans chats out; a second measurement, the
 * ceiling, times bare UDP on the same machine so the server's figure can
 * be read as a fraction of what the kernel allows.
 *
 * The pieces, one file each:
 *   chat_bench.c	options, the order of a run, the printed figures
 *   bench_load.c	the clients: login, closed-loop chats, acks, loss
 *   bench_limit.c	the ceiling: sendmmsg in one process, recvmmsg in another
 *   bench_server.c	starting and stopping the server, /proc figures
 *   bench_hist.c	the latency histogram
 */
#ifndef BENCH_H
#define BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net.h"

/* Exit status for a refused command line (non-loopback --server, say). */
#define BENCH_EXIT_USAGE	2

/*
 * The server's chat rate limit. By default the bench lifts it on the
 * server it starts (--no-rate-limit) and does not pace, so a run measures
 * fan-out; --rate-limited, or a --server the bench did not start, keeps
 * it and paces the senders to this token bucket.
 */
#define BENCH_PACE_BURST	20
#define BENCH_PACE_RATE		10

/* The phases whose retransmits and socket drops are counted apart. */
enum bench_phase {
	BENCH_PH_LOGIN,		/* logins and the settle after them */
	BENCH_PH_LOAD,		/* the chats: the figures that matter */
	BENCH_PH_QUIT,
	BENCH_PH_COUNT,
};

/* What the command line asked for. */
struct bench_opts {
	int		 nclients;	/* N */
	int		 nsenders;	/* S */
	int		 window;	/* W: messages in flight at most */
	long		 nmsgs;		/* M */
	int		 size;		/* bytes of chat text */
	double		 timeout_s;	/* wall time of one load run */
	const char	*server;	/* HOST:PORT of a running server, or NULL */
	const char	*server_bin;
	const char	*server_args;	/* extra words for a started server */
	bool		 rate_limited;	/* keep the server's chat limit */
	int		 pace_burst;	/* 0: senders are not paced */
	double		 pace_rate;	/* chats per second per sender */
	double		 limit_s;	/* the ceiling's time bound */
	long		 limit_count;	/* the ceiling's datagram bound */
	bool		 sweep;
	bool		 no_batch;	/* protocol 2 without cap batch */
	int		 compare;	/* rounds of batch, then --no-batch */
	bool		 limit_only;
	bool		 json;
};

/* A histogram of microsecond values with 0.1 % resolution. */
struct bench_hist {
	uint64_t	*b;
	uint64_t	 count;
	uint64_t	 sum;
	uint64_t	 max;
};

int		 bench_hist_init(struct bench_hist *h);
void		 bench_hist_free(struct bench_hist *h);
void		 bench_hist_add(struct bench_hist *h, uint64_t v);
uint64_t	 bench_hist_pct(const struct bench_hist *h, double pct);

/* The ceiling: bare loopback UDP, one-way, sendmmsg to recvmmsg. */
struct bench_ceiling {
	int		 nsockets;
	int		 size;		/* datagram bytes */
	uint64_t	 sent;
	uint64_t	 received;
	double		 seconds;
	double		 per_s;		/* datagrams received per second */
};

/*
 * Measures the ceiling over nsockets receivers with datagrams of size
 * bytes, for at most max_s seconds or max_count datagrams. cpus[0] runs
 * the sender, cpus[1] the receiver (-1: no pinning). 0 or -1 with err.
 */
int		 bench_limit(int nsockets, int size, double max_s,
		    long max_count, const int cpus[2], struct bench_ceiling *out,
		    char *err, size_t errlen);

/* A server the bench started, or the address of one it did not. */
struct bench_server {
	pid_t		 pid;		/* -1: not ours */
	int		 errfd;		/* its stderr, a deleted temp file */
	int		 status;	/* wait status once it has exited, or -1 */
	struct net_addr	 addr;
};

/* unlimited adds --no-rate-limit to the server's command line. */
int		 bench_server_start(struct bench_server *sv, const char *bin,
		    const char *extra, bool unlimited, int max_clients, int cpu,
		    char *err, size_t errlen);
/* False once the server has exited (it is then reaped and forgotten). */
bool		 bench_server_alive(struct bench_server *sv);
/* SIGTERM, then SIGKILL after 5 s. Returns the wait status or -1. */
int		 bench_server_stop(struct bench_server *sv);
/* The last bytes of the server's stderr, for a failure message. */
void		 bench_server_tail(const struct bench_server *sv, char *buf,
		    size_t len);

/* A "Vm...:" line of /proc/PID/status in kB, or -1. */
long		 bench_proc_kb(pid_t pid, const char *field);
/* User plus system CPU seconds of a process (pid 0: this one), or -1. */
double		 bench_proc_cpu(pid_t pid);
/* Udp RcvbufErrors and SndbufErrors of /proc/net/snmp. 0 or -1. */
int		 bench_snmp_udp(uint64_t *rcvbuf, uint64_t *sndbuf);
/*
 * Receive drops of single sockets from /proc/net/udp and udp6: the one
 * on server_port, and the sum over the ports set in the 65536-bit map
 * mine (the bench's clients). Unlike RcvbufErrors these are ours alone.
 */
int		 bench_udp_drops(int server_port, const uint8_t *mine,
		    uint64_t *server_drops, uint64_t *client_drops);
/* The first two CPUs this process may use; -1 where there are fewer. */
void		 bench_cpus(int cpus[2]);
/* Pins the calling process to cpu (ignored when -1). */
void		 bench_pin(int cpu);
/* True if a is in 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104. */
bool		 bench_is_loopback(const struct net_addr *a);

/* Figures of one load run. */
struct bench_result {
	int		 n, s, w, size;
	bool		 batch;		/* the clients asked for cap batch */
	long		 m;
	bool		 complete;
	char		 stop_reason[128];
	/* logins */
	int		 online;	/* sessions now */
	int		 logged_in;	/* sessions when the logins were done */
	double		 login_s;
	/* messages and deliveries */
	long		 sent;		/* messages sent at least once */
	long		 done;		/* delivered to all N-1 others */
	long		 expired;	/* given up on after BENCH_MSG_GIVEUP_MS */
	long		 unfinished;	/* in flight when the run stopped */
	uint64_t	 deliveries;	/* distinct (message, receiver) pairs */
	uint64_t	 lost;		/* missing deliveries of finished messages */
	uint64_t	 dup_deliveries;	/* one message twice under new seqs */
	/* one seq twice at one client, per phase; [BENCH_PH_LOAD] is the figure */
	uint64_t	 retransmits_seen[BENCH_PH_COUNT];
	uint64_t	 self_deliveries;	/* a sender got its own chat */
	uint64_t	 foreign;	/* chats not from this run */
	uint64_t	 req_retransmits;	/* chat requests resent */
	uint64_t	 req_failed;	/* chat requests never acked */
	uint64_t	 slow_down;
	uint64_t	 no_session;
	uint64_t	 other_errors;
	uint64_t	 timeouts;	/* leave reason timeout seen */
	uint64_t	 bad_dgrams;	/* undecodable datagrams from the server */
	uint64_t	 acks_sent;
	uint64_t	 fast_dgrams;	/* load phase: chats read by the scanner */
	uint64_t	 scan_mismatch;	/* scanner and proto_decode disagreed */
	uint64_t	 rx_dgrams, rx_batches;	/* load phase: per recvmmsg */
	uint64_t	 rx_msgs;	/* load phase: messages in rx_dgrams */
	uint64_t	 pings_sent;
	double		 seconds;	/* first send to last completion */
	double		 msgs_per_s;
	double		 deliv_per_s;
	uint64_t	 lat_p50, lat_p90, lat_p99, lat_max;
	double		 lat_mean;
	/* pacing: share of the run the window had room but no sender a token */
	double		 paced_frac;
	double		 pace_cap;	/* S x rate, messages per second */
	/* the server */
	bool		 have_server;
	long		 rss_before_kb, rss_login_kb, hwm_kb;
	double		 per_session_kb;
	double		 server_cpu_s;
	double		 bench_cpu_s;
	/* the kernel, system-wide */
	bool		 have_snmp;
	uint64_t	 rcvbuf_errors, sndbuf_errors;
	/* receive drops per phase: the server's socket, the clients' */
	bool		 have_drops;
	uint64_t	 server_drops[BENCH_PH_COUNT];
	uint64_t	 client_drops[BENCH_PH_COUNT];
	/* the ceiling */
	bool		 have_ceiling;
	struct bench_ceiling ceiling;
	double		 ceiling_frac;
	int		 dgram_size;	/* bytes of a forwarded chat */
};

/*
 * Runs one load: logs n clients in to the server at sv, sends m chats,
 * quits. Fills *r. Returns 0, or -1 with err when it could not even
 * begin (sockets, logins). A stop on timeout or signal returns 0 with
 * r->complete false.
 */
int		 bench_load(const struct bench_opts *o, struct bench_server *sv,
		    struct bench_result *r, char *err, size_t errlen);

/* The size of the chat datagram the server forwards for our text. */
int		 bench_forward_size(int text_size);

/* Set by SIGINT/SIGTERM/SIGHUP: stop and report what there is. */
extern volatile sig_atomic_t bench_stop;

#endif /* BENCH_H */

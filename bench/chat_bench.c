/*
 * chat_bench: the fan-out benchmark (docs/bench.md).
 *
 *   chat_bench [-n N] [-s S] [-w W] [-m M] [--size BYTES] [--timeout S]
 *              [--server HOST:PORT | --server-bin PATH --server-args 'ARGS']
 *              [--rate-limited] [--pace BURST:RATE | --pace off]
 *              [--sweep] [--limit] [--json]
 *
 * A run: start the server (127.0.0.1, port 0, --no-rate-limit, pinned to
 * the first CPU, the bench on the second), log N clients in, send M
 * chats from S of them with at most W in flight, unpaced, stop the
 * server, then measure the ceiling (bare UDP over N sockets) and print
 * the figures. --rate-limited keeps the server's chat limit and paces
 * the senders to it, to show what a limited server does; so does a
 * --server the bench did not start, whose limit it cannot lift.
 *
 * Safety: the bench talks only to loopback. A --server that is not
 * 127.0.0.0/8 or ::1 is refused with exit status 2; nothing is broadcast;
 * every phase is bounded in count and in wall time.
 *
 * Exit status: 0 figures printed (a run stopped by --timeout is marked
 * incomplete but still exits 0), 1 a run could not be made or the server
 * failed (died, sanitizer report), 2 a bad command line.
 */
#include <sys/wait.h>

#include <err.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "proto.h"

#define SWEEP_RUNS		3
#define DEFAULT_SERVER_BIN	"build/chat_server"

volatile sig_atomic_t	 bench_stop;

static const int	 sweep_n[SWEEP_RUNS] = { 10, 100, 1000 };

static void	 usage(int status);
static void	 opts_parse(int argc, char **argv, struct bench_opts *o);
static long	 opt_num(const char *name, const char *s, long min, long max);
static void	 opt_pace(const char *s, struct bench_opts *o);
static void	 opt_defaults(struct bench_opts *o);
static void	 on_signal(int sig);
static int	 run_one(const struct bench_opts *o, int n, long m,
		    const int cpus[2], struct bench_result *r);
static int	 run_server_verdict(struct bench_server *sv);
static void	 run_ceiling(const struct bench_opts *o, const int cpus[2],
		    struct bench_result *r);
static void	 print_block(const struct bench_opts *o,
		    const struct bench_result *r);
static void	 print_json(const struct bench_opts *o,
		    const struct bench_result *r, bool last);
static void	 print_table(const struct bench_result *rs, int nr);
static void	 print_ceiling(const struct bench_ceiling *c);
static double	 per_delivery(double cpu_s, const struct bench_result *r);

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: chat_bench [-n N] [-s S] [-w W] [-m M] [--size BYTES] "
	    "[--timeout SECONDS]\n"
	    "                  [--server HOST:PORT | --server-bin PATH "
	    "--server-args 'ARGS']\n"
	    "                  [--rate-limited] [--pace BURST:RATE | --pace off]\n"
	    "                  [--limit-time S] [--limit-count C]\n"
	    "                  [--sweep] [--no-batch | --compare K] [--limit] "
	    "[--json]\n"
	    "  -n, --clients N    clients logged in (100)\n"
	    "  -s, --senders S    clients that send (10)\n"
	    "  -w, --window W     chats in flight at most (32)\n"
	    "  -m, --messages M   chats in all (20000)\n"
	    "      --size BYTES   chat text size (64)\n"
	    "      --timeout S    wall time of the load, then stop (60)\n"
	    "      --server H:P   use a running server on loopback\n"
	    "      --server-bin P server to start (" DEFAULT_SERVER_BIN ")\n"
	    "      --server-args A extra words for the started server\n"
	    "      --rate-limited keep the started server's chat limit and pace "
	    "to it\n"
	    "      --pace B:R     per-sender token bucket (off; 20:10, the "
	    "server's limit,\n"
	    "                     with --rate-limited or --server); off: none\n"
	    "      --sweep        N = 10, 100, 1000 with M scaled by 100/N\n"
	    "      --no-batch     clients do not ask for cap batch (protocol 2 "
	    "without it)\n"
	    "      --compare K    K rounds of a batch run then a --no-batch "
	    "run; medians, ratio\n"
	    "      --limit        measure only the ceiling\n"
	    "      --limit-time S, --limit-count C\n"
	    "                     bounds of the ceiling's run (2 s, 5000000 "
	    "datagrams)\n"
	    "      --json         machine-readable output\n");
	exit(status);
}

static long
opt_num(const char *name, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "chat_bench: %s must be %ld to %ld, not '%s'\n",
		    name, min, max, s);
		exit(BENCH_EXIT_USAGE);
	}
	return v;
}

static void
opt_pace(const char *s, struct bench_opts *o)
{
	int	 burst;
	double	 rate;

	if (strcmp(s, "off") == 0 || strcmp(s, "0") == 0) {
		o->pace_burst = 0;
		return;
	}
	if (sscanf(s, "%d:%lf", &burst, &rate) != 2 || burst < 1 ||
	    !(rate > 0)) {
		fprintf(stderr, "chat_bench: --pace wants BURST:RATE (20:10) "
		    "or off, not '%s'\n", s);
		exit(BENCH_EXIT_USAGE);
	}
	o->pace_burst = burst;
	o->pace_rate = rate;
}

enum {
	OPT_SIZE = 256, OPT_TIMEOUT, OPT_SERVER, OPT_SERVER_BIN,
	OPT_SERVER_ARGS, OPT_PACE, OPT_SWEEP, OPT_LIMIT, OPT_JSON,
	OPT_NO_BATCH, OPT_COMPARE,
	OPT_LIMIT_TIME, OPT_LIMIT_COUNT, OPT_RATE_LIMITED,
};

static void
opts_parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "clients", required_argument, NULL, 'n' },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ "no-batch", no_argument, NULL, OPT_NO_BATCH },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "limit", no_argument, NULL, OPT_LIMIT },
		{ "limit-count", required_argument, NULL, OPT_LIMIT_COUNT },
		{ "limit-time", required_argument, NULL, OPT_LIMIT_TIME },
		{ "messages", required_argument, NULL, 'm' },
		{ "pace", required_argument, NULL, OPT_PACE },
		{ "rate-limited", no_argument, NULL, OPT_RATE_LIMITED },
		{ "senders", required_argument, NULL, 's' },
		{ "server", required_argument, NULL, OPT_SERVER },
		{ "server-args", required_argument, NULL, OPT_SERVER_ARGS },
		{ "server-bin", required_argument, NULL, OPT_SERVER_BIN },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "sweep", no_argument, NULL, OPT_SWEEP },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	struct net_addr	 a;
	char		 e[256];
	int		 ch;

	memset(o, 0, sizeof *o);
	o->nclients = 100;
	o->nsenders = 10;
	o->window = 32;
	o->nmsgs = 20000;
	o->size = 64;
	o->timeout_s = 60;
	o->server_bin = DEFAULT_SERVER_BIN;
	o->pace_burst = -1;	/* not given: opt_defaults decides */
	o->pace_rate = BENCH_PACE_RATE;
	o->limit_s = 2;
	o->limit_count = 5000000;
	while ((ch = getopt_long(argc, argv, "hm:n:s:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
			break;
		case 'm':
			o->nmsgs = opt_num("-m", optarg, 1, 100000000);
			break;
		case 'n':
			o->nclients = (int)opt_num("-n", optarg, 2, 60000);
			break;
		case 's':
			o->nsenders = (int)opt_num("-s", optarg, 1, 60000);
			break;
		case 'w':
			o->window = (int)opt_num("-w", optarg, 1, 1000000);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_LIMIT:
			o->limit_only = true;
			break;
		case OPT_LIMIT_COUNT:
			o->limit_count = opt_num("--limit-count", optarg, 1000,
			    1000000000);
			break;
		case OPT_LIMIT_TIME:
			o->limit_s = (double)opt_num("--limit-time", optarg, 1,
			    60);
			break;
		case OPT_PACE:
			opt_pace(optarg, o);
			break;
		case OPT_RATE_LIMITED:
			o->rate_limited = true;
			break;
		case OPT_SERVER:
			o->server = optarg;
			break;
		case OPT_SERVER_ARGS:
			o->server_args = optarg;
			break;
		case OPT_SERVER_BIN:
			o->server_bin = optarg;
			break;
		case OPT_SIZE:
			o->size = (int)opt_num("--size", optarg, 32,
			    PROTO_TEXT_MAX);
			break;
		case OPT_SWEEP:
			o->sweep = true;
			break;
		case OPT_NO_BATCH:
			o->no_batch = true;
			break;
		case OPT_COMPARE:
			o->compare = (int)opt_num("--compare", optarg, 1, 15);
			break;
		case OPT_TIMEOUT:
			o->timeout_s = (double)opt_num("--timeout", optarg, 1,
			    3600);
			break;
		default:
			usage(BENCH_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(BENCH_EXIT_USAGE);
	opt_defaults(o);
	if (o->nsenders > o->nclients)
		o->nsenders = o->nclients;
	/* The one network-safety gate: loopback or nothing. */
	if (o->server != NULL) {
		if (net_parse_addr(o->server, PROTO_PORT, &a, e, sizeof e) == -1)
			errx(BENCH_EXIT_USAGE, "--server: %s", e);
		if (!bench_is_loopback(&a))
			errx(BENCH_EXIT_USAGE, "--server %s is not a loopback "
			    "address (127.0.0.0/8 or ::1): refused", o->server);
	}
}

/*
 * The figures are fan-out figures: a started server runs with
 * --no-rate-limit and the senders are not paced. Where the limit stays
 * (--rate-limited, or a --server we cannot restart) the senders follow
 * the server's bucket, unless --pace said otherwise.
 */
static void
opt_defaults(struct bench_opts *o)
{
	if (o->server != NULL)
		o->rate_limited = true;
	if (o->pace_burst == -1)
		o->pace_burst = o->rate_limited ? BENCH_PACE_BURST : 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

/*
 * One measured run at n clients and m messages: server up, load, server
 * down, kernel counters, ceiling. Returns 0, or -1 after saying why.
 */
static int
run_one(const struct bench_opts *o, int n, long m, const int cpus[2],
    struct bench_result *r)
{
	struct bench_server	 sv;
	uint64_t		 rb0, sb0, rb1, sb1;
	char			 e[512];
	int			 rc;

	memset(r, 0, sizeof *r);
	r->batch = !o->no_batch;
	r->n = n;
	r->s = o->nsenders < n ? o->nsenders : n;
	r->w = o->window;
	r->m = m;
	r->size = o->size;
	memset(&sv, 0, sizeof sv);
	sv.pid = -1;
	sv.errfd = -1;
	if (o->server != NULL) {
		if (net_parse_addr(o->server, PROTO_PORT, &sv.addr, e,
		    sizeof e) == -1)
			errx(BENCH_EXIT_USAGE, "--server: %s", e);
	} else if (bench_server_start(&sv, o->server_bin, o->server_args,
	    !o->rate_limited, n + 64, cpus[0], e, sizeof e) == -1) {
		warnx("cannot start %s: %s", o->server_bin, e);
		bench_server_stop(&sv);
		return -1;
	}
	bench_pin(cpus[1]);
	r->have_snmp = bench_snmp_udp(&rb0, &sb0) == 0;
	rc = bench_load(o, &sv, r, e, sizeof e);
	if (rc == -1) {
		warnx("run N=%d: %s", n, e);
		snprintf(r->stop_reason, sizeof r->stop_reason, "%.120s", e);
	}
	if (r->have_snmp && bench_snmp_udp(&rb1, &sb1) == 0) {
		r->rcvbuf_errors = rb1 - rb0;
		r->sndbuf_errors = sb1 - sb0;
	}
	if (r->rss_login_kb > 0 && r->rss_before_kb > 0)
		r->per_session_kb = (double)(r->rss_login_kb -
		    r->rss_before_kb) / n;
	if (o->server == NULL && run_server_verdict(&sv) == -1)
		rc = -1;
	if (sv.errfd != -1)
		close(sv.errfd);
	if (rc == 0 && !bench_stop)
		run_ceiling(o, cpus, r);
	return rc;
}

/* Stops the server; -1 if it died early, failed or a sanitizer spoke. */
static int
run_server_verdict(struct bench_server *sv)
{
	char	 tail[4096];
	int	 st;
	bool	 alive;

	alive = sv->pid > 0;
	st = bench_server_stop(sv);
	bench_server_tail(sv, tail, sizeof tail);
	if (strstr(tail, "Sanitizer") != NULL ||
	    strstr(tail, "runtime error:") != NULL) {
		warnx("server sanitizer report:\n%s", tail);
		return -1;
	}
	if (!alive) {
		warnx("server exited during the run (status %d):\n%s", st, tail);
		return -1;
	}
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) &&
	    !(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)) {
		warnx("server stopped with status %d:\n%s", st, tail);
		return -1;
	}
	return 0;
}

static void
run_ceiling(const struct bench_opts *o, const int cpus[2],
    struct bench_result *r)
{
	char	 e[256];

	if (bench_limit(r->n, bench_forward_size(o->size), o->limit_s,
	    o->limit_count, cpus, &r->ceiling, e, sizeof e) == -1) {
		warnx("ceiling: %s", e);
		return;
	}
	r->have_ceiling = r->ceiling.per_s > 0;
	if (r->have_ceiling)
		r->ceiling_frac = r->deliv_per_s / r->ceiling.per_s;
}

/* ---- output ---- */

/* CPU microseconds per delivery: steadier than rates on a busy host. */
static double
per_delivery(double cpu_s, const struct bench_result *r)
{
	return r->deliveries > 0 ? cpu_s * 1e6 / (double)r->deliveries : 0;
}

static void
print_ceiling(const struct bench_ceiling *c)
{
	printf("  ceiling           %.0f datagrams/s (one way, sendmmsg -> "
	    "recvmmsg over %d sockets, %d bytes; %llu of %llu in %.2f s)\n",
	    c->per_s, c->nsockets, c->size, (unsigned long long)c->received,
	    (unsigned long long)c->sent, c->seconds);
}

static void
print_block(const struct bench_opts *o, const struct bench_result *r)
{
	printf("chat_bench: N=%d clients, S=%d senders, W=%d in flight, "
	    "M=%ld messages, text %d bytes, %s\n", r->n, r->s, r->w, r->m,
	    r->size, r->batch ? "cap batch" : "no batch (--no-batch)");
	printf("  complete          %s (%ld of %ld messages finished in "
	    "%.2f s; stop: %s)\n", r->complete ? "yes" : "NO, INCOMPLETE",
	    r->done + r->expired, r->m, r->seconds, r->stop_reason);
	printf("  logins            %d of %d in %.2f s\n", r->logged_in, r->n,
	    r->login_s);
	printf("  messages/s        %.0f\n", r->msgs_per_s);
	if (r->have_ceiling)
		printf("  deliveries/s      %.0f = %.1f %% of ceiling %.0f\n",
		    r->deliv_per_s, 100 * r->ceiling_frac, r->ceiling.per_s);
	else
		printf("  deliveries/s      %.0f (no ceiling measured)\n",
		    r->deliv_per_s);
	printf("  latency us        p50 %llu  p90 %llu  p99 %llu  max %llu  "
	    "mean %.0f\n", (unsigned long long)r->lat_p50,
	    (unsigned long long)r->lat_p90, (unsigned long long)r->lat_p99,
	    (unsigned long long)r->lat_max, r->lat_mean);
	printf("  deliveries        %llu\n", (unsigned long long)r->deliveries);
	printf("  lost deliveries   %llu (%ld messages given up on)\n",
	    (unsigned long long)r->lost, r->expired);
	printf("  unfinished        %ld messages in flight at the stop\n",
	    r->unfinished);
	printf("  dup deliveries    %llu\n",
	    (unsigned long long)r->dup_deliveries);
	printf("  retransmits seen  %llu during the load (a seq received twice "
	    "by a client); %llu at login, %llu at quit\n",
	    (unsigned long long)r->retransmits_seen[BENCH_PH_LOAD],
	    (unsigned long long)r->retransmits_seen[BENCH_PH_LOGIN],
	    (unsigned long long)r->retransmits_seen[BENCH_PH_QUIT]);
	printf("  request resends   %llu chat requests resent, %llu never "
	    "acked\n", (unsigned long long)r->req_retransmits,
	    (unsigned long long)r->req_failed);
	printf("  slow_down errors  %llu\n", (unsigned long long)r->slow_down);
	printf("  other errors      %llu no_session, %llu other, %llu leave "
	    "timeout, %llu undecodable, %llu self, %llu foreign\n",
	    (unsigned long long)r->no_session,
	    (unsigned long long)r->other_errors,
	    (unsigned long long)r->timeouts,
	    (unsigned long long)r->bad_dgrams,
	    (unsigned long long)r->self_deliveries,
	    (unsigned long long)r->foreign);
	if (o->server != NULL)
		printf("  rate limit        whatever the running server has "
		    "(--server: the bench cannot lift it)\n");
	else if (o->rate_limited)
		printf("  rate limit        ON: the server's per-session chat "
		    "limit (--rate-limited)\n");
	else
		printf("  rate limit        off: server started with "
		    "--no-rate-limit, senders unpaced (fan-out)\n");
	if (o->pace_burst > 0)
		printf("  pacing            %d burst, %.0f/s per sender (cap "
		    "%.0f msg/s); window waited on pacing %.0f %% of the "
		    "run\n", o->pace_burst, o->pace_rate, r->pace_cap,
		    100 * r->paced_frac);
	else
		printf("  pacing            off\n");
	if (o->pace_burst > 0 && r->paced_frac > 0.5)
		printf("  NOTE              RATE-LIMITED: the server's per-session "
		    "chat limit, not fan-out, set this pace\n");
	if (r->slow_down > 0)
		printf("  NOTE              the server refused %llu chats with "
		    "slow_down\n", (unsigned long long)r->slow_down);
	if (r->have_server) {
		printf("  server RSS        peak %ld kB (VmHWM); %ld kB before "
		    "logins, %ld kB after\n", r->hwm_kb, r->rss_before_kb,
		    r->rss_login_kb);
		printf("  memory/session    %.2f kB ((VmRSS after %d logins - "
		    "VmRSS before) / %d)\n", r->per_session_kb, r->n, r->n);
		printf("  CPU               server %.2f s (%.2f us per delivery), "
		    "bench %.2f s (%.2f us), over %.2f s of run\n",
		    r->server_cpu_s, per_delivery(r->server_cpu_s, r),
		    r->bench_cpu_s, per_delivery(r->bench_cpu_s, r),
		    r->seconds);
	} else
		printf("  server            not started by the bench: no RSS "
		    "or CPU figures\n");
	if (r->have_snmp)
		printf("  kernel UDP        RcvbufErrors +%llu, SndbufErrors "
		    "+%llu (/proc/net/snmp, whole host)\n",
		    (unsigned long long)r->rcvbuf_errors,
		    (unsigned long long)r->sndbuf_errors);
	if (r->have_drops)
		printf("  socket drops      load: server socket %llu, client "
		    "sockets %llu; login %llu/%llu, quit %llu/%llu "
		    "(/proc/net/udp drops, this run only)\n",
		    (unsigned long long)r->server_drops[BENCH_PH_LOAD],
		    (unsigned long long)r->client_drops[BENCH_PH_LOAD],
		    (unsigned long long)r->server_drops[BENCH_PH_LOGIN],
		    (unsigned long long)r->client_drops[BENCH_PH_LOGIN],
		    (unsigned long long)r->server_drops[BENCH_PH_QUIT],
		    (unsigned long long)r->client_drops[BENCH_PH_QUIT]);
	printf("  bench reads       %.1f datagrams per recvmmsg, %.1f %% of "
	    "messages by the chat scanner, %llu scanner mismatches\n",
	    r->rx_batches > 0 ? (double)r->rx_dgrams /
	    (double)r->rx_batches : 0, r->rx_msgs > 0 ? 100.0 *
	    (double)r->fast_dgrams / (double)r->rx_msgs : 0,
	    (unsigned long long)r->scan_mismatch);
	if (r->rx_dgrams > 0)
		printf("  messages/datagram %.2f received during the load\n",
		    (double)r->rx_msgs / (double)r->rx_dgrams);
	if (r->have_ceiling)
		print_ceiling(&r->ceiling);
}

static void
print_json(const struct bench_opts *o, const struct bench_result *r,
    bool last)
{
	printf("{\"batch\":%s,", r->batch ? "true" : "false");
	printf("\"n\":%d,\"s\":%d,\"w\":%d,\"m\":%ld,\"size\":%d,"
	    "\"complete\":%s,\"stop\":\"%s\",\"logged_in\":%d,\"login_s\":%.3f,"
	    "\"sent\":%ld,\"done\":%ld,\"expired\":%ld,\"unfinished\":%ld,"
	    "\"seconds\":%.3f,\"msgs_per_s\":%.1f,\"deliv_per_s\":%.1f,"
	    "\"deliveries\":%llu,\"lost\":%llu,\"dup_deliveries\":%llu,"
	    "\"retransmits_seen\":%llu,\"req_retransmits\":%llu,"
	    "\"req_failed\":%llu,\"slow_down\":%llu,\"no_session\":%llu,"
	    "\"other_errors\":%llu,\"leave_timeouts\":%llu,"
	    "\"lat_p50_us\":%llu,\"lat_p90_us\":%llu,\"lat_p99_us\":%llu,"
	    "\"lat_max_us\":%llu,\"rate_limited\":%s,\"pace_burst\":%d,"
	    "\"pace_rate\":%.1f,\"paced_frac\":%.3f,",
	    r->n, r->s, r->w, r->m, r->size, r->complete ? "true" : "false",
	    r->stop_reason, r->logged_in, r->login_s, r->sent, r->done,
	    r->expired, r->unfinished, r->seconds, r->msgs_per_s,
	    r->deliv_per_s, (unsigned long long)r->deliveries,
	    (unsigned long long)r->lost, (unsigned long long)r->dup_deliveries,
	    (unsigned long long)r->retransmits_seen[BENCH_PH_LOAD],
	    (unsigned long long)r->req_retransmits,
	    (unsigned long long)r->req_failed,
	    (unsigned long long)r->slow_down,
	    (unsigned long long)r->no_session,
	    (unsigned long long)r->other_errors,
	    (unsigned long long)r->timeouts,
	    (unsigned long long)r->lat_p50, (unsigned long long)r->lat_p90,
	    (unsigned long long)r->lat_p99, (unsigned long long)r->lat_max,
	    o->rate_limited ? "true" : "false", o->pace_burst, o->pace_rate,
	    r->paced_frac);
	printf("\"server_hwm_kb\":%ld,\"rss_before_kb\":%ld,"
	    "\"rss_login_kb\":%ld,\"per_session_kb\":%.3f,"
	    "\"server_cpu_s\":%.3f,\"bench_cpu_s\":%.3f,"
	    "\"server_us_per_delivery\":%.3f,"
	    "\"rcvbuf_errors\":%llu,\"sndbuf_errors\":%llu,"
	    "\"server_drops\":%llu,\"client_drops\":%llu,"
	    "\"login_retransmits_seen\":%llu,\"quit_retransmits_seen\":%llu,"
	    "\"login_drops\":[%llu,%llu],\"quit_drops\":[%llu,%llu],"
	    "\"bench_us_per_delivery\":%.3f,\"dgrams_per_read\":%.2f,"
	    "\"scan_mismatch\":%llu,"
	    "\"ceiling_per_s\":%.1f,\"ceiling_frac\":%.4f,"
	    "\"ceiling_size\":%d}%s\n",
	    r->hwm_kb, r->rss_before_kb, r->rss_login_kb, r->per_session_kb,
	    r->server_cpu_s, r->bench_cpu_s,
	    per_delivery(r->server_cpu_s, r),
	    (unsigned long long)r->rcvbuf_errors,
	    (unsigned long long)r->sndbuf_errors,
	    (unsigned long long)r->server_drops[BENCH_PH_LOAD],
	    (unsigned long long)r->client_drops[BENCH_PH_LOAD],
	    (unsigned long long)r->retransmits_seen[BENCH_PH_LOGIN],
	    (unsigned long long)r->retransmits_seen[BENCH_PH_QUIT],
	    (unsigned long long)r->server_drops[BENCH_PH_LOGIN],
	    (unsigned long long)r->client_drops[BENCH_PH_LOGIN],
	    (unsigned long long)r->server_drops[BENCH_PH_QUIT],
	    (unsigned long long)r->client_drops[BENCH_PH_QUIT],
	    per_delivery(r->bench_cpu_s, r), r->rx_batches > 0 ?
	    (double)r->rx_dgrams / (double)r->rx_batches : 0,
	    (unsigned long long)r->scan_mismatch, r->ceiling.per_s,
	    r->ceiling_frac, r->ceiling.size, last ? "" : ",");
}

static void
print_table(const struct bench_result *rs, int nr)
{
	const struct bench_result	*r;
	int				 i;

	printf("%6s %6s %7s %6s %9s %11s %6s %8s %8s %9s %6s %6s %8s %9s %8s "
	    "%10s %10s %s\n", "N", "batch", "M", "done", "msgs/s", "deliv/s",
	    "ceil%",
	    "p50us", "p99us", "maxus", "lost", "dup", "retrans", "slowdown",
	    "kB/sess", "srv us/dlv", "bch us/dlv", "drops srv/cli");
	for (i = 0; i < nr; i++) {
		r = &rs[i];
		printf("%6d %6s %7ld %6s %9.0f %11.0f %6.1f %8llu %8llu %9llu "
		    "%6llu %6llu %8llu %9llu %8.2f %10.2f %10.2f %llu/%llu\n",
		    r->n, r->batch ? "yes" : "no", r->m, r->complete ? "yes" : "NO", r->msgs_per_s,
		    r->deliv_per_s,
		    100 * r->ceiling_frac, (unsigned long long)r->lat_p50,
		    (unsigned long long)r->lat_p99,
		    (unsigned long long)r->lat_max,
		    (unsigned long long)r->lost,
		    (unsigned long long)r->dup_deliveries,
		    (unsigned long long)r->retransmits_seen[BENCH_PH_LOAD],
		    (unsigned long long)r->slow_down, r->per_session_kb,
		    per_delivery(r->server_cpu_s, r),
		    per_delivery(r->bench_cpu_s, r),
		    (unsigned long long)r->server_drops[BENCH_PH_LOAD],
		    (unsigned long long)r->client_drops[BENCH_PH_LOAD]);
	}
}

/* The median of the k values at v (sorted in place). */
static double
median(double *v, int k)
{
	double	 x;
	int	 i, j;

	for (i = 1; i < k; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (k == 0)
		return 0;
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/*
 * --compare: per N, the medians of the batch runs and of the --no-batch
 * runs (interleaved, so both saw the same load) and their ratio.
 */
static void
print_compare(const struct bench_result *rs, int nr)
{
	double	 d[2][16], p[2][16], kb[2][16], md[2], mp[2], mk[2];
	int	 i, j, b, k[2], n;

	printf("\n%6s %6s %5s %12s %9s %8s %6s %6s\n", "N", "batch", "runs",
	    "deliv/s med", "p99us med", "kB/sess", "lost", "dup");
	for (i = 0; i < nr; i = j) {
		n = rs[i].n;
		k[0] = k[1] = 0;
		for (j = i; j < nr && rs[j].n == n; j++) {
			b = rs[j].batch ? 1 : 0;
			if (k[b] >= 16)
				continue;
			d[b][k[b]] = rs[j].deliv_per_s;
			p[b][k[b]] = (double)rs[j].lat_p99;
			kb[b][k[b]] = rs[j].per_session_kb;
			k[b]++;
		}
		for (b = 1; b >= 0; b--) {
			uint64_t lost = 0, dup = 0;
			int	 x;

			for (x = i; x < j; x++) {
				if (rs[x].batch == (b == 1)) {
					lost += rs[x].lost;
					dup += rs[x].dup_deliveries;
				}
			}
			md[b] = median(d[b], k[b]);
			mp[b] = median(p[b], k[b]);
			mk[b] = median(kb[b], k[b]);
			printf("%6d %6s %5d %12.0f %9.0f %8.2f %6llu %6llu\n", n,
			    b ? "yes" : "no", k[b], md[b], mp[b], mk[b],
			    (unsigned long long)lost, (unsigned long long)dup);
		}
		printf("%6d  ratio batch / no-batch deliveries/s: %.2f\n", n,
		    md[0] > 0 ? md[1] / md[0] : 0);
	}
}

int
main(int argc, char **argv)
{
	struct bench_opts	 o, ob;
	struct bench_result	*rs;
	struct bench_ceiling	 c;
	struct sigaction	 sa;
	char			 e[256];
	int			 cpus[2], i, k, nr, nn, per, status, n;
	long			 m;

	opts_parse(argc, argv, &o);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	bench_cpus(cpus);

	if (o.limit_only) {
		if (bench_limit(o.nclients, bench_forward_size(o.size),
		    o.limit_s, o.limit_count, cpus, &c, e, sizeof e) == -1)
			errx(1, "ceiling: %s", e);
		print_ceiling(&c);
		return 0;
	}
	nn = o.sweep ? SWEEP_RUNS : 1;
	per = o.compare > 0 ? 2 * o.compare : 1;
	if ((rs = calloc((size_t)(nn * per), sizeof *rs)) == NULL)
		err(1, "calloc");
	status = 0;
	nr = 0;
	for (i = 0; i < nn && !bench_stop; i++) {
		n = o.sweep ? sweep_n[i] : o.nclients;
		m = o.sweep ? (long)llround((double)o.nmsgs * 100 / n) :
		    o.nmsgs;
		for (k = 0; k < per && !bench_stop; k++) {
			ob = o;
			if (o.compare > 0)
				ob.no_batch = k % 2 == 1;
			if (run_one(&ob, n, m > 0 ? m : 1, cpus, &rs[nr]) == -1)
				status = 1;
			nr++;
		}
	}
	if (o.json) {
		printf("{\"runs\":[\n");
		for (i = 0; i < nr; i++)
			print_json(&o, &rs[i], i == nr - 1);
		printf("]}\n");
	} else {
		for (i = 0; i < nr; i++) {
			print_block(&o, &rs[i]);
			if (i < nr - 1)
				printf("\n");
		}
		if (o.sweep || o.compare > 0) {
			printf("\n");
			print_table(rs, nr);
		}
		if (o.compare > 0)
			print_compare(rs, nr);
	}
	free(rs);
	return bench_stop ? 1 : status;
}

/*
 * bench_server: the server under test as a child process, and the /proc
 * figures read about it and about the machine.
 *
 * The server runs on 127.0.0.1, port 0, its stderr in a deleted temp
 * file: the bench reads the "listening on HOST PORT" line from it, and
 * a file (unlike a pipe) never blocks a chatty server while the bench is
 * busy. The child asks for SIGTERM when the bench dies (PR_SET_PDEATHSIG)
 * and an atexit handler stops it on every exit path of the bench, so no
 * server outlives a run.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"

#define SERVER_MAX_ARGS		64
#define SERVER_START_MS		10000
#define SERVER_STOP_MS		5000

/*
 * The pid of the server we started, for the atexit handler: the one
 * place where a file static is simpler than threading state through.
 */
static pid_t	 server_child = -1;

static void	 server_atexit(void);
static int	 server_split(char *words, char **argv, int max);
static void	 server_exec(char **argv, int cpu);
static int	 server_wait_port(struct bench_server *sv, char *err,
		    size_t errlen);
static void	 server_sleep_ms(int ms);

static void
server_atexit(void)
{
	if (server_child > 0) {
		kill(server_child, SIGTERM);
		server_sleep_ms(200);
		kill(server_child, SIGKILL);
		waitpid(server_child, NULL, 0);
		server_child = -1;
	}
}

static void
server_sleep_ms(int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Splits words on blanks in place (no quoting). Returns the count. */
static int
server_split(char *words, char **argv, int max)
{
	char	*p, *save;
	int	 n;

	n = 0;
	if (words == NULL)
		return 0;
	for (p = strtok_r(words, " \t\n", &save); p != NULL && n < max;
	    p = strtok_r(NULL, " \t\n", &save))
		argv[n++] = p;
	return n;
}

/* In the child: stdin and stdout to /dev/null, pinned, then exec. */
static void
server_exec(char **argv, int cpu)
{
	int	 fd;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(127);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	bench_pin(cpu);
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, "chat_bench: cannot run %s: %s\n", argv[0],
	    strerror(errno));
	_exit(127);
}

int
bench_server_start(struct bench_server *sv, const char *bin,
    const char *extra, bool unlimited, int max_clients, int cpu, char *err,
    size_t errlen)
{
	char	 path[] = "/tmp/chat_bench.XXXXXX";
	char	 maxc[16], *words, *argv[SERVER_MAX_ARGS + 16];
	int	 argc;
	pid_t	 pid;

	snprintf(maxc, sizeof maxc, "%d", max_clients);
	words = extra != NULL ? strdup(extra) : NULL;
	argc = 0;
	argv[argc++] = (char *)bin;
	argv[argc++] = "-b";
	argv[argc++] = "127.0.0.1";
	argv[argc++] = "-p";
	argv[argc++] = "0";
	argv[argc++] = "--max-clients";
	argv[argc++] = maxc;
	/* Every client is on 127.0.0.1. */
	argv[argc++] = "--max-per-host";
	argv[argc++] = maxc;
	if (unlimited)
		argv[argc++] = "--no-rate-limit";
	argc += server_split(words, argv + argc, SERVER_MAX_ARGS);
	argv[argc] = NULL;

	sv->pid = -1;
	sv->status = -1;
	sv->errfd = mkostemp(path, O_CLOEXEC);
	if (sv->errfd == -1) {
		snprintf(err, errlen, "cannot make a temp file: %s",
		    strerror(errno));
		free(words);
		return -1;
	}
	unlink(path);
	if (server_child == -1)
		atexit(server_atexit);
	pid = fork();
	if (pid == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		free(words);
		return -1;
	}
	if (pid == 0) {
		dup2(sv->errfd, STDERR_FILENO);
		server_exec(argv, cpu);
	}
	free(words);
	sv->pid = server_child = pid;
	return server_wait_port(sv, err, errlen);
}

/* Reads "listening on HOST PORT" from the server's stderr, or gives up. */
static int
server_wait_port(struct bench_server *sv, char *err, size_t errlen)
{
	char		 buf[4096], host[64], *p, tail[512];
	uint64_t	 deadline;
	ssize_t		 n;
	int		 port;

	deadline = clock_ms() + SERVER_START_MS;
	while (clock_ms() < deadline && !bench_stop) {
		n = pread(sv->errfd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		p = strstr(buf, "listening on ");
		if (p != NULL && sscanf(p, "listening on %63s %d", host,
		    &port) == 2) {
			memset(&sv->addr, 0, sizeof sv->addr);
			if (net_parse_addr("127.0.0.1", port, &sv->addr, err,
			    errlen) == -1)
				return -1;
			return 0;
		}
		if (waitpid(sv->pid, NULL, WNOHANG) == sv->pid) {
			sv->pid = server_child = -1;
			bench_server_tail(sv, tail, sizeof tail);
			snprintf(err, errlen, "server exited at start: %s",
			    tail);
			return -1;
		}
		server_sleep_ms(10);
	}
	snprintf(err, errlen, "server printed no 'listening on' line in %d s",
	    SERVER_START_MS / 1000);
	return -1;
}

bool
bench_server_alive(struct bench_server *sv)
{
	int	 status;

	if (sv->pid <= 0)
		return false;
	if (waitpid(sv->pid, &status, WNOHANG) != sv->pid)
		return true;
	sv->pid = server_child = -1;
	sv->status = status;
	return false;
}

int
bench_server_stop(struct bench_server *sv)
{
	uint64_t	 deadline;
	int		 status;

	if (sv->pid <= 0)
		return sv->status;
	kill(sv->pid, SIGTERM);
	deadline = clock_ms() + SERVER_STOP_MS;
	for (;;) {
		if (waitpid(sv->pid, &status, WNOHANG) == sv->pid)
			break;
		if (clock_ms() >= deadline) {
			kill(sv->pid, SIGKILL);
			waitpid(sv->pid, &status, 0);
			break;
		}
		server_sleep_ms(10);
	}
	sv->pid = server_child = -1;
	sv->status = status;
	return status;
}

void
bench_server_tail(const struct bench_server *sv, char *buf, size_t len)
{
	off_t	 end, from;
	ssize_t	 n;
	size_t	 i;

	buf[0] = '\0';
	if (sv->errfd < 0 || len < 2)
		return;
	end = lseek(sv->errfd, 0, SEEK_END);
	from = end > (off_t)(len - 1) ? end - (off_t)(len - 1) : 0;
	n = pread(sv->errfd, buf, len - 1, from);
	buf[n > 0 ? n : 0] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < ' ' && buf[i] != '\n')
			buf[i] = '?';
}

long
bench_proc_kb(pid_t pid, const char *field)
{
	char	 path[64], line[256];
	size_t	 flen;
	long	 kb;
	FILE	*f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	kb = -1;
	flen = strlen(field);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			kb = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

double
bench_proc_cpu(pid_t pid)
{
	char			 path[64], buf[1024], *p;
	unsigned long		 ut, st;
	FILE			*f;
	size_t			 n;

	if (pid == 0)
		pid = getpid();
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int
bench_snmp_udp(uint64_t *rcvbuf, uint64_t *sndbuf)
{
	char			 names[1024], vals[1024], *np, *vp, *ns, *vs;
	char			*n, *v;
	FILE			*f;
	int			 found;

	if ((f = fopen("/proc/net/snmp", "r")) == NULL)
		return -1;
	found = 0;
	while (fgets(names, sizeof names, f) != NULL) {
		if (strncmp(names, "Udp:", 4) != 0)
			continue;
		if (fgets(vals, sizeof vals, f) == NULL)
			break;
		np = names;
		vp = vals;
		while ((n = strtok_r(np, " \n", &ns)) != NULL &&
		    (v = strtok_r(vp, " \n", &vs)) != NULL) {
			np = vp = NULL;
			if (strcmp(n, "RcvbufErrors") == 0) {
				*rcvbuf = strtoull(v, NULL, 10);
				found++;
			} else if (strcmp(n, "SndbufErrors") == 0) {
				*sndbuf = strtoull(v, NULL, 10);
				found++;
			}
		}
		break;
	}
	fclose(f);
	return found == 2 ? 0 : -1;
}

/* Adds the drops of the sockets in one /proc/net/udp-style table. */
static void
server_drops_file(const char *path, int server_port, const uint8_t *mine,
    uint64_t *server_drops, uint64_t *client_drops)
{
	char		 line[512], local[128];
	unsigned	 port;
	unsigned long long drops;
	char		*colon, *last;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%*s %127s", local) != 1 ||
		    (colon = strrchr(local, ':')) == NULL ||
		    sscanf(colon + 1, "%x", &port) != 1 || port > 65535)
			continue;
		/* drops is the last field. */
		line[strcspn(line, "\n")] = '\0';
		while ((last = strrchr(line, ' ')) != NULL && last[1] == '\0')
			*last = '\0';
		if ((last = strrchr(line, ' ')) == NULL)
			continue;
		drops = strtoull(last + 1, NULL, 10);
		if ((int)port == server_port)
			*server_drops += drops;
		else if (mine != NULL && (mine[port / 8] & (1 << (port % 8))))
			*client_drops += drops;
	}
	fclose(f);
}

int
bench_udp_drops(int server_port, const uint8_t *mine, uint64_t *server_drops,
    uint64_t *client_drops)
{
	*server_drops = *client_drops = 0;
	server_drops_file("/proc/net/udp", server_port, mine, server_drops,
	    client_drops);
	server_drops_file("/proc/net/udp6", server_port, mine, server_drops,
	    client_drops);
	return 0;
}

void
bench_cpus(int cpus[2])
{
	cpu_set_t	 set;
	int		 i, k;

	cpus[0] = cpus[1] = -1;
	if (sched_getaffinity(0, sizeof set, &set) == -1)
		return;
	if (CPU_COUNT(&set) < 2)
		return;
	for (i = 0, k = 0; i < CPU_SETSIZE && k < 2; i++)
		if (CPU_ISSET(i, &set))
			cpus[k++] = i;
}

void
bench_pin(int cpu)
{
	cpu_set_t	 set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

bool
bench_is_loopback(const struct net_addr *a)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;
	const uint8_t			*b;

	if (a->ss.ss_family == AF_INET) {
		s4 = (const struct sockaddr_in *)&a->ss;
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (a->ss.ss_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)&a->ss;
		if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			return true;
		b = s6->sin6_addr.s6_addr;
		return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && b[12] == 127;
	}
	return false;
}

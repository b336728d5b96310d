/*
 * client: the block the two client processes share and its lock
 * (client.h). The mutex is process-shared and robust: a process killed
 * while drawing must not freeze the other one, so the next locker gets
 * EOWNERDEAD, marks the mutex consistent and carries on (the worst left
 * behind is half a line on the screen).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "clock.h"
#include "net.h"
#include "utf8.h"

/* --trace: like the log's state, one per process (client_trace_open). */
static int			 client_trace_fd = -1;
static struct trace_filter	 client_trace_filter;
static int			 client_trace_send;	/* of a resend */
static uint64_t			 client_trace_since_ms;

/* A note must reach the other process whole: one write(2) under PIPE_BUF. */
_Static_assert(sizeof(struct client_note) <= PIPE_BUF,
    "struct client_note must fit in PIPE_BUF for atomic pipe writes");

static void	 client_copy_name(char *dst, const char *src);
static int	 client_users_find(struct client_shared *, const char *);

struct client_shared *
client_shared_new(void)
{
	struct client_shared	*sh;
	pthread_mutexattr_t	 attr;
	void			*p;

	p = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	sh = p;
	memset(sh, 0, sizeof(*sh));
	if (pthread_mutexattr_init(&attr) != 0)
		goto fail;
	if (pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutex_init(&sh->lock, &attr) != 0) {
		pthread_mutexattr_destroy(&attr);
		goto fail;
	}
	pthread_mutexattr_destroy(&attr);
	sh->next_id = 1;
	sh->conn = FRONT_CONNECTED;
	sh->heartbeat = PROTO_HEARTBEAT_DEFAULT;
	return sh;
fail:
	munmap(p, sizeof(*sh));
	return NULL;
}

void
client_shared_free(struct client_shared *sh)
{
	if (sh != NULL)
		munmap(sh, sizeof(*sh));
}

void
client_lock(struct client_shared *sh)
{
	int	 r;

	for (;;) {
		r = pthread_mutex_lock(&sh->lock);
		if (r == 0)
			return;
		if (r == EOWNERDEAD) {
			/* The other process died holding it; the data is plain. */
			pthread_mutex_consistent(&sh->lock);
			return;
		}
		if (r != EINTR && r != EAGAIN)
			return;	/* ENOTRECOVERABLE cannot happen: we always recover */
	}
}

void
client_unlock(struct client_shared *sh)
{
	pthread_mutex_unlock(&sh->lock);
}

uint64_t
client_next_id(struct client_shared *sh)
{
	uint64_t	 id;

	client_lock(sh);
	id = sh->next_id++;
	client_unlock(sh);
	return id;
}

bool
client_request_begin(struct client_shared *sh, struct client_note *n,
    char *token)
{
	bool	 now;

	client_lock(sh);
	n->id = sh->next_id++;
	n->id_gen = sh->id_gen;
	memcpy(token, sh->token, sizeof(sh->token));
	now = sh->conn == FRONT_CONNECTED;
	client_unlock(sh);
	return now;
}

void
client_get_token(struct client_shared *sh, char *token)
{
	client_lock(sh);
	memcpy(token, sh->token, sizeof(sh->token));
	client_unlock(sh);
}

void
client_get_name(struct client_shared *sh, char *name)
{
	client_lock(sh);
	memcpy(name, sh->name, sizeof(sh->name));
	client_unlock(sh);
}

void
client_touch(struct client_shared *sh)
{
	uint64_t	 now = clock_ms();

	client_lock(sh);
	sh->last_send_ms = now;
	client_unlock(sh);
}

enum front_conn
client_get_conn(struct client_shared *sh)
{
	enum front_conn	 c;

	client_lock(sh);
	c = sh->conn;
	client_unlock(sh);
	return c;
}

bool
client_set_conn(struct client_shared *sh, enum front_conn c)
{
	return client_set_conn_text(sh, c, NULL);
}

bool
client_set_conn_text(struct client_shared *sh, enum front_conn c,
    const char *text)
{
	char	 clean[sizeof(sh->conn_text)];
	bool	 changed;

	clean[0] = '\0';
	if (text != NULL)
		utf8_sanitize(text, strlen(text), clean, sizeof(clean));
	client_lock(sh);
	changed = sh->conn != c || strcmp(sh->conn_text, clean) != 0;
	sh->conn = c;
	memcpy(sh->conn_text, clean, sizeof(clean));
	client_unlock(sh);
	return changed;
}

void
client_alive_init(struct client_alive *a, uint64_t now)
{
	a->heard_ms = now;
	a->wait_ms = 0;
}

void
client_alive_heard(struct client_alive *a, uint64_t now)
{
	if (now > a->heard_ms)
		a->heard_ms = now;
}

/* Called on every timer run: the clock starts when waiting starts. */
void
client_alive_waiting(struct client_alive *a, bool waiting, uint64_t now)
{
	if (!waiting)
		a->wait_ms = 0;
	else if (a->wait_ms == 0)
		a->wait_ms = now;
}

/*
 * Silence counts from the later of "began waiting" and "last heard": a
 * busy link with answers flowing never looks silent, and an idle one is
 * not judged on the quiet before we asked anything.
 */
bool
client_alive_silent(const struct client_alive *a, uint64_t now)
{
	uint64_t	 when;

	return client_alive_deadline(a, &when) && now >= when;
}

bool
client_alive_deadline(const struct client_alive *a, uint64_t *when)
{
	if (a->wait_ms == 0)
		return false;
	*when = (a->wait_ms > a->heard_ms ? a->wait_ms : a->heard_ms) +
	    CLIENT_NO_ANSWER_MS;
	return true;
}

/* Names come validated from proto; sanitising again costs nothing. */
static void
client_copy_name(char *dst, const char *src)
{
	utf8_sanitize(src, strlen(src), dst, PROTO_NAME_MAX_BYTES + 1);
}

/* Index of name in the list or -1; caller holds the lock. */
static int
client_users_find(struct client_shared *sh, const char *name)
{
	char	 clean[PROTO_NAME_MAX_BYTES + 1];
	int	 i;

	client_copy_name(clean, name);
	for (i = 0; i < sh->nusers; i++)
		if (strcmp(sh->users[i], clean) == 0)
			return i;
	return -1;
}

void
client_users_set(struct client_shared *sh, const char *const *names, int n,
    int more)
{
	int	 i;

	client_lock(sh);
	sh->nusers = 0;
	for (i = 0; i < n && i < CLIENT_MAX_USERS; i++)
		client_copy_name(sh->users[sh->nusers++], names[i]);
	sh->more_users = more + (n - sh->nusers);
	client_unlock(sh);
}

void
client_users_add(struct client_shared *sh, const char *name)
{
	client_lock(sh);
	if (client_users_find(sh, name) < 0) {
		if (sh->nusers < CLIENT_MAX_USERS)
			client_copy_name(sh->users[sh->nusers++], name);
		else
			sh->more_users++;
	}
	client_unlock(sh);
}

void
client_users_remove(struct client_shared *sh, const char *name)
{
	int	 i;

	client_lock(sh);
	i = client_users_find(sh, name);
	if (i >= 0) {
		/* Keep the order the server gave: shift the tail down. */
		memmove(sh->users[i], sh->users[i + 1],
		    (size_t)(sh->nusers - i - 1) * sizeof(sh->users[0]));
		sh->nusers--;
	} else if (sh->more_users > 0)
		sh->more_users--;
	client_unlock(sh);
}

void
client_users_rename(struct client_shared *sh, const char *from,
    const char *to)
{
	int	 i;

	client_lock(sh);
	i = client_users_find(sh, from);
	if (i >= 0)
		client_copy_name(sh->users[i], to);
	client_unlock(sh);
}

int
client_encode(const struct client_note *n, const char *token, char *buf,
    size_t cap)
{
	struct proto_msg	 m;

	switch (n->kind) {
	case CLIENT_NOTE_CHAT:
		proto_init(&m, PROTO_CHAT);
		break;
	case CLIENT_NOTE_MSG:
		proto_init(&m, PROTO_MSG);
		snprintf(m.to, sizeof(m.to), "%s", n->to);
		break;
	case CLIENT_NOTE_RENAME:
		proto_init(&m, PROTO_RENAME);
		snprintf(m.name, sizeof(m.name), "%s", n->to);
		break;
	default:
		return -1;
	}
	snprintf(m.token, sizeof(m.token), "%s", token);
	m.id = n->id;
	m.has_id = true;
	m.action = n->kind == CLIENT_NOTE_CHAT && n->action;
	if (n->kind != CLIENT_NOTE_RENAME)
		snprintf(m.text, sizeof(m.text), "%s", n->text);
	return proto_encode(&m, PROTO_FROM_CLIENT, buf, cap);
}

int
client_encode_simple(enum proto_type type, const char *token, char *buf,
    size_t cap)
{
	struct proto_msg	 m;

	proto_init(&m, type);
	snprintf(m.token, sizeof(m.token), "%s", token);
	return proto_encode(&m, PROTO_FROM_CLIENT, buf, cap);
}

int
client_send(struct client_shared *sh, int fd, const struct net_addr *srv,
    const char *buf, size_t len)
{
	ssize_t	 n;

	client_trace(TRACE_OUT, srv, buf, len);
	n = sendto(fd, buf, len, 0, (const struct sockaddr *)&srv->ss,
	    srv->len);
	client_touch(sh);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != ECONNREFUSED && errno != ENOBUFS)
		return -1;
	return 0;
}

int
client_resend(struct client_shared *sh, int fd, const struct net_addr *srv,
    const struct reliable_entry *e)
{
	int	 r;

	client_trace_send = e->sends;
	client_trace_since_ms = clock_ms() - e->first_ms;
	r = client_send(sh, fd, srv, e->data, e->len);
	client_trace_send = 0;
	return r;
}

void
client_trace_resent(const struct net_addr *peer, const char *buf,
    size_t len, int send, uint64_t since_ms)
{
	client_trace_send = send;
	client_trace_since_ms = since_ms;
	client_trace(TRACE_OUT, peer, buf, len);
	client_trace_send = 0;
}

int
client_trace_open(const char *path, const struct trace_filter *f)
{
	client_trace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	client_trace_filter = *f;
	return client_trace_fd == -1 ? -1 : 0;
}

void
client_trace(enum trace_dir dir, const struct net_addr *peer,
    const char *buf, size_t len)
{
	struct trace_dgram	 d;
	char			 addr[NET_ADDRSTRLEN], line[TRACE_LINE_MAX];
	size_t			 n;
	int			 saved = errno;

	if (client_trace_fd == -1)
		return;
	memset(&d, 0, sizeof(d));
	net_format(peer, addr, sizeof(addr));
	d.wall_ms = clock_wall_ms();
	d.dir = dir;
	d.peer = addr;
	d.buf = buf;
	d.len = len;
	d.send = dir == TRACE_OUT ? client_trace_send : 0;
	d.since_ms = client_trace_since_ms;
	if (trace_match(&client_trace_filter, &d)) {
		n = trace_format(&d, line, sizeof(line) - 1);
		line[n++] = '\n';
		/* A lost trace line is not worth stopping the chat for. */
		if (write(client_trace_fd, line, n) == -1)
			errno = saved;
	}
	errno = saved;
}

void
client_signals(void (*cb)(int), void (*chld)(int))
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cb;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* A byte that continues an ASCII word. */
static bool
client_word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* ASCII letters folded: what a person typing a name by hand gets wrong. */
static bool
client_name_at(const char *p, const char *name, size_t n)
{
	size_t	 i;
	char	 a, b;

	for (i = 0; i < n; i++) {
		a = p[i];
		b = name[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

bool
client_mentions(const char *text, const char *name)
{
	size_t		 n = strlen(name), len = strlen(text), i;

	if (n == 0)
		return false;
	for (i = 0; i + n <= len; i++) {
		if (!client_name_at(text + i, name, n))
			continue;
		if (i > 0 && client_word_byte(text[i - 1]))
			continue;
		if (client_word_byte(text[i + n]))
			continue;
		return true;
	}
	return false;
}

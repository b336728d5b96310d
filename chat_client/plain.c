/*
 * plain: the stdio front end (front.h), for scripts, bots and tests.
 * One event per line on stdout, flushed per line, each written under the
 * shared terminal lock so the two processes never interleave:
 *
 *   12:00:01 <alice> text            12:00:01 -- alice joined
 *   12:00:01 *alice* text            12:00:01 -- alice left (quit)
 *   12:00:01 -> *bob* text           12:00:01 -- alice is now alicia
 *   12:00:01 !! text                 12:00:01 -- users: alice, bob
 *   12:00:01 error: text             12:00:01 [history] <alice> text
 *   12:00:01 * alice waves           12:00:01 -- bob left (quit: bye)
 *
 * Own lines are printed once acked, not when sent: a script reading
 * stdout then knows the server has the line. A pending own line is kept
 * here until mark() says acked (print it) or failed (drop it; the
 * network process shows the failure as an error line). Times are local.
 * /clear, the status bar and resizing mean nothing here. The words
 * of each line are compose.c's, the same as the full screen's.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "compose.h"
#include "front.h"

/* How long read_line waits before returning -1 so flags get checked. */
#define PLAIN_POLL_MS	250
#define PLAIN_LINE_MAX	(PROTO_MAX_DGRAM * 3)

struct plain_pending {
	uint64_t	 id;
	char		*line;
};

struct plain {
	struct client_shared	*shared;
	struct plain_pending	*pending;
	size_t			 npending, cappending;
	char			 in[8192];	/* read but not yet returned */
	size_t			 inlen;
	int			 eof;
	int			 skipping;	/* dropping the rest of a long line */
};

static struct plain	 plain;

static int	 plain_init(struct client_shared *);
static void	 plain_end(void);
static int	 plain_read_line(char *, size_t);
static void	 plain_show(const struct front_item *);
static void	 plain_mark(uint64_t, enum front_state);
static void	 plain_status(void);
static void	 plain_clear(void);
static void	 plain_resize(void);
static void	 plain_write(const char *);
static int	 plain_take_line(char *, size_t);
static void	 plain_keep(uint64_t, const char *);

const struct front_ops plain_front = {
	.init = plain_init,
	.end = plain_end,
	.read_line = plain_read_line,
	.show = plain_show,
	.mark = plain_mark,
	.status = plain_status,
	.clear = plain_clear,
	.resize = plain_resize,
};

static int
plain_init(struct client_shared *shared)
{
	plain.shared = shared;
	return 0;
}

static void
plain_end(void)
{
	size_t	 i;

	for (i = 0; i < plain.npending; i++)
		free(plain.pending[i].line);
	free(plain.pending);
	plain.pending = NULL;
	plain.npending = plain.cappending = 0;
	fflush(stdout);
}

/*
 * Moves one complete line from the input buffer to buf. A line longer
 * than cap is cut (at cap - 1 bytes; the command module refuses it as too
 * long anyway) and the rest of it skipped. Returns 1 if a line was taken.
 */
static int
plain_take_line(char *buf, size_t cap)
{
	char	*nl;
	size_t	 n, take;

	nl = memchr(plain.in, '\n', plain.inlen);
	if (nl == NULL && !(plain.eof && plain.inlen > 0)) {
		if (plain.inlen == sizeof(plain.in) && plain.skipping) {
			plain.inlen = 0;
			return -1;
		}
		if (plain.inlen == sizeof(plain.in)) {
			/* A line longer than our buffer: return its start. */
			take = cap - 1 < plain.inlen ? cap - 1 : plain.inlen;
			memcpy(buf, plain.in, take);
			buf[take] = '\0';
			plain.inlen = 0;
			plain.skipping = 1;
			return 1;
		}
		return 0;
	}
	n = nl != NULL ? (size_t)(nl - plain.in) : plain.inlen;
	take = n < cap - 1 ? n : cap - 1;
	memcpy(buf, plain.in, take);
	buf[take] = '\0';
	if (take > 0 && buf[take - 1] == '\r')
		buf[take - 1] = '\0';
	if (nl != NULL)
		n++;
	memmove(plain.in, plain.in + n, plain.inlen - n);
	plain.inlen -= n;
	if (plain.skipping) {
		plain.skipping = 0;
		return -1;
	}
	return 1;
}

static int
plain_read_line(char *buf, size_t cap)
{
	struct pollfd	 pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	ssize_t		 n;
	int		 r;

	if (cap < 2)
		return -1;
	for (;;) {
		r = plain_take_line(buf, cap);
		if (r == 1)
			return 1;
		if (r == -1)	/* the tail of a cut line: drop it */
			continue;
		if (plain.eof)
			return 0;
		if (poll(&pfd, 1, PLAIN_POLL_MS) <= 0)
			return -1;	/* a signal or a timeout */
		n = read(STDIN_FILENO, plain.in + plain.inlen,
		    sizeof(plain.in) - plain.inlen);
		if (n < 0)
			return errno == EINTR || errno == EAGAIN ? -1 : 0;
		if (n == 0)
			plain.eof = 1;
		plain.inlen += (size_t)n;
	}
}

static void
plain_write(const char *line)
{
	int	 bad;

	if (plain.shared != NULL)
		client_lock(plain.shared);
	bad = fputs(line, stdout) == EOF;
	bad |= fputc('\n', stdout) == EOF;
	bad |= fflush(stdout) == EOF;
	if (bad && errno == EPIPE) {
		/*
		 * Whoever read us is gone (the script or bot at the other end
		 * of the pipe ended; SIGPIPE is ignored): nobody sees the room
		 * any more, so leave it as on SIGHUP, instead of staying in it
		 * unseen and holding the name for as long as stdin stays open.
		 */
		raise(SIGTERM);
	}
	clearerr(stdout);
	if (plain.shared != NULL)
		client_unlock(plain.shared);
}

static void
plain_keep(uint64_t id, const char *line)
{
	struct plain_pending	*p;
	size_t			 cap;
	char			*copy;

	if (plain.npending == plain.cappending) {
		cap = plain.cappending ? plain.cappending * 2 : 16;
		p = realloc(plain.pending, cap * sizeof(*p));
		if (p == NULL)
			return;
		plain.pending = p;
		plain.cappending = cap;
	}
	if ((copy = strdup(line)) == NULL)
		return;
	plain.pending[plain.npending].id = id;
	plain.pending[plain.npending].line = copy;
	plain.npending++;
}

static void
plain_show(const struct front_item *it)
{
	struct compose_line	 l;
	char			 line[PLAIN_LINE_MAX];

	compose_item(it, &l);
	compose_plain(&l, line, sizeof(line));
	if (it->own && it->state == FRONT_PENDING)
		plain_keep(it->id, line);
	else if (!(it->own && it->state == FRONT_FAILED))
		plain_write(line);
}

static void
plain_mark(uint64_t id, enum front_state state)
{
	size_t	 i;

	for (i = 0; i < plain.npending; i++) {
		if (plain.pending[i].id != id)
			continue;
		if (state == FRONT_DONE)
			plain_write(plain.pending[i].line);
		if (state == FRONT_PENDING)
			return;
		free(plain.pending[i].line);
		plain.pending[i] = plain.pending[--plain.npending];
		return;
	}
}

static void
plain_status(void)
{
}

static void
plain_clear(void)
{
}

static void
plain_resize(void)
{
}

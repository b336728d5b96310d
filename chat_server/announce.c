/*
 * announce: stdin lines to announcement texts (announce.h). A line is
 * cleaned the way a client cleans what its user types (protocol.md,
 * "Names and text"), so an announcement always passes the text rules.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "announce.h"
#include "proto.h"
#include "utf8.h"

static size_t	 announce_trim(char *, size_t);
static void	 announce_line(const char *, size_t, announce_cb, void *);

void
announce_init(struct announce *a)
{
	a->len = 0;
	a->skipping = false;
}

/* Trims white space at both ends of s (len bytes) in place. */
static size_t
announce_trim(char *s, size_t len)
{
	size_t		 off, start, end;
	uint32_t	 cp;
	int		 n;
	bool		 seen;

	start = end = 0;
	seen = false;
	for (off = 0; off < len; off += n) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0)
			n = 1;
		else if (utf8_is_space(cp))
			continue;
		if (!seen)
			start = off;
		seen = true;
		end = off + n;
	}
	if (!seen)
		return 0;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return end - start;
}

size_t
announce_clean(const char *line, size_t len, char *out, size_t cap)
{
	char	 tmp[ANNOUNCE_LINE_MAX];
	size_t	 i, n;

	if (cap == 0)
		return 0;
	if (len > sizeof(tmp))
		len = sizeof(tmp);
	for (i = 0; i < len; i++)
		tmp[i] = line[i] == '\t' ? ' ' : line[i];
	/* A CR before the LF is line ending, not text. */
	if (len > 0 && tmp[len - 1] == '\r')
		len--;
	n = utf8_sanitize(tmp, len, out, cap);
	n = announce_trim(out, n);
	n = utf8_prefix(out, n, PROTO_TEXT_MAX);
	out[n] = '\0';
	return announce_trim(out, n);
}

static void
announce_line(const char *line, size_t len, announce_cb cb, void *arg)
{
	/* Sanitising may triple a byte (an invalid byte becomes U+FFFD). */
	char	 text[ANNOUNCE_LINE_MAX * 3 + 1];

	if (announce_clean(line, len, text, sizeof(text)) > 0)
		cb(arg, text);
}

int
announce_read(struct announce *a, int fd, announce_cb cb, void *arg)
{
	ssize_t	 n;
	char	*nl;
	size_t	 used;

	n = read(fd, a->buf + a->len, sizeof(a->buf) - a->len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		if (a->len > 0 && !a->skipping)
			announce_line(a->buf, a->len, cb, arg);
		a->len = 0;
		return -1;
	}
	a->len += n;
	while ((nl = memchr(a->buf, '\n', a->len)) != NULL) {
		used = nl - a->buf;
		if (!a->skipping)
			announce_line(a->buf, used, cb, arg);
		a->skipping = false;
		memmove(a->buf, nl + 1, a->len - used - 1);
		a->len -= used + 1;
	}
	if (a->len == sizeof(a->buf)) {
		/* Overlong: announce its head, skip the rest up to the newline. */
		if (!a->skipping)
			announce_line(a->buf, a->len, cb, arg);
		a->skipping = true;
		a->len = 0;
	}
	return 0;
}

/*
 * paste: collects a bracketed paste and splits it into lines (paste.h).
 */
#include <string.h>

#include "paste.h"
#include "utf8.h"

static void	 paste_put(struct paste *, const char *, size_t);
static void	 paste_q(struct paste *, const char *, size_t);
static void	 paste_q_line(struct paste *, const char *, size_t, int);

void
paste_begin(struct paste *p)
{
	p->on = 1;
	p->len = p->dropped = 0;
	p->cr = 0;
	p->qlen = p->qoff = 0;
}

static void
paste_put(struct paste *p, const char *s, size_t n)
{
	if (p->len + n > sizeof(p->buf)) {
		p->dropped += n;
		return;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
}

void
paste_add(struct paste *p, uint32_t cp)
{
	char	 enc[4];
	int	 n;

	if (cp == '\n' && p->cr) {
		p->cr = 0;
		return;		/* the \n of \r\n */
	}
	p->cr = cp == '\r';
	if (cp == '\r' || cp == '\n')
		paste_put(p, "\n", 1);
	else if (cp == '\t')
		paste_put(p, " ", 1);
	else if (!utf8_is_control(cp) && (n = utf8_encode(cp, enc)) > 0)
		paste_put(p, enc, (size_t)n);
}

size_t
paste_end(struct paste *p, const char *head, size_t hlen, const char *tail,
    size_t tlen)
{
	const char	*s, *nl;
	size_t		 n = 1, left;

	p->on = 0;
	while (p->len > 0 && p->buf[p->len - 1] == '\n')
		p->len--;
	if (memchr(p->buf, '\n', p->len) == NULL)
		return 1;
	/* The first line: what was typed, then the paste's first line. */
	p->qlen = p->qoff = 0;
	nl = memchr(p->buf, '\n', p->len);
	paste_q(p, head, hlen);
	paste_q_line(p, p->buf, (size_t)(nl - p->buf), hlen == 0);
	for (s = nl + 1; ; s = nl + 1) {
		paste_q(p, "\n", 1);
		n++;
		left = p->len - (size_t)(s - p->buf);
		if ((nl = memchr(s, '\n', left)) == NULL) {
			paste_q_line(p, s, left, 1);
			break;
		}
		paste_q_line(p, s, (size_t)(nl - s), 1);
	}
	paste_q(p, tail, tlen);
	return n;
}

/* Appends to q; PASTE_MAX of paste and two lines typed always fit. */
static void
paste_q(struct paste *p, const char *s, size_t n)
{
	if (p->qlen + n > sizeof(p->q))
		n = sizeof(p->q) - p->qlen;
	memcpy(p->q + p->qlen, s, n);
	p->qlen += n;
}

/* A pasted line: one starting with / is said, never run. */
static void
paste_q_line(struct paste *p, const char *s, size_t n, int start)
{
	if (start && n > 0 && s[0] == '/')
		paste_q(p, "/", 1);
	paste_q(p, s, n);
}

int
paste_next(struct paste *p, char *out, size_t cap)
{
	const char	*s, *nl;
	size_t		 n;

	if (cap == 0 || p->qoff >= p->qlen)
		return 0;
	s = p->q + p->qoff;
	nl = memchr(s, '\n', p->qlen - p->qoff);
	n = nl != NULL ? (size_t)(nl - s) : p->qlen - p->qoff;
	p->qoff += n + (nl != NULL);
	/* command_parse measures and refuses a line over the limit. */
	if (n > cap - 1)
		n = utf8_prefix(s, n, cap - 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

void
paste_drop(struct paste *p)
{
	p->on = 0;
	p->len = 0;
	p->qlen = p->qoff = 0;
}

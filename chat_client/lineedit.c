/*
 * lineedit: the keyboard process's UTF-8 line editor (lineedit.h).
 * Follows the readline/emacs key meanings the design names (Ctrl-A/E/
 * U/K/W/Y, history, Tab). The buffer holds valid UTF-8 without control
 * characters at every moment, so display and sending need no checks.
 */
#include <stdio.h>
#include <string.h>

#include "lineedit.h"
#include "utf8.h"

static const char *const lineedit_commands[] = {
	"/clear", "/help", "/msg", "/nick", "/quit", "/who",
};
#define LINEEDIT_NCOMMANDS \
	(sizeof(lineedit_commands) / sizeof(lineedit_commands[0]))

static void	lineedit_cut(struct lineedit *, size_t, size_t, int);
static int	lineedit_cp_at(const struct lineedit *, size_t, uint32_t *);
static int	lineedit_space_at(const struct lineedit *, size_t);
static void	lineedit_load(struct lineedit *, const char *);
static size_t	lineedit_common(const char *, const char *, int);
static int	lineedit_byte_eq(char, char, int);
static size_t	lineedit_match(const char *const *, size_t, const char *,
		    size_t, int, const char **, size_t *);
static int	lineedit_width(const struct lineedit *, size_t, size_t);

void
lineedit_init(struct lineedit *le)
{
	memset(le, 0, sizeof(*le));
}

void
lineedit_clear(struct lineedit *le)
{
	le->len = le->cur = le->scroll = 0;
	le->buf[0] = '\0';
	le->hist_pos = le->hist_n;
}

enum lineedit_err
lineedit_insert(struct lineedit *le, uint32_t cp)
{
	char	 b[4];
	int	 n;

	if ((n = utf8_encode(cp, b)) < 0)
		return LINEEDIT_INVALID;
	return lineedit_insert_str(le, b, (size_t)n);
}

enum lineedit_err
lineedit_insert_str(struct lineedit *le, const char *s, size_t len)
{
	size_t	 off;
	uint32_t cp;
	int	 n;

	/* Check everything first: a refused insert changes nothing. */
	for (off = 0; off < len; off += (size_t)n) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n <= 0 || utf8_is_control(cp) || utf8_is_bidi(cp))
			return LINEEDIT_INVALID;
	}
	if (le->len + len > LINEEDIT_MAX)
		return LINEEDIT_TOO_LONG;
	memmove(le->buf + le->cur + len, le->buf + le->cur,
	    le->len - le->cur + 1);
	memcpy(le->buf + le->cur, s, len);
	le->len += len;
	le->cur += len;
	return LINEEDIT_OK;
}

int
lineedit_left(struct lineedit *le)
{
	if (le->cur == 0)
		return 0;
	le->cur = utf8_prev(le->buf, le->len, le->cur);
	return 1;
}

int
lineedit_right(struct lineedit *le)
{
	if (le->cur == le->len)
		return 0;
	le->cur = utf8_next(le->buf, le->len, le->cur);
	return 1;
}

void
lineedit_home(struct lineedit *le)
{
	le->cur = 0;
}

void
lineedit_end(struct lineedit *le)
{
	le->cur = le->len;
}

int
lineedit_backspace(struct lineedit *le)
{
	if (le->cur == 0)
		return 0;
	lineedit_cut(le, utf8_prev(le->buf, le->len, le->cur), le->cur, 0);
	return 1;
}

int
lineedit_delete(struct lineedit *le)
{
	if (le->cur == le->len)
		return 0;
	lineedit_cut(le, le->cur, utf8_next(le->buf, le->len, le->cur), 0);
	return 1;
}

void
lineedit_kill_start(struct lineedit *le)
{
	lineedit_cut(le, 0, le->cur, 1);
}

void
lineedit_kill_end(struct lineedit *le)
{
	lineedit_cut(le, le->cur, le->len, 1);
}

/* Ctrl-W: the spaces before the cursor, then the word before them. */
void
lineedit_kill_word(struct lineedit *le)
{
	size_t	 from = le->cur;

	while (from > 0 && lineedit_space_at(le,
	    utf8_prev(le->buf, le->len, from)))
		from = utf8_prev(le->buf, le->len, from);
	while (from > 0 && !lineedit_space_at(le,
	    utf8_prev(le->buf, le->len, from)))
		from = utf8_prev(le->buf, le->len, from);
	lineedit_cut(le, from, le->cur, 1);
}

enum lineedit_err
lineedit_yank(struct lineedit *le)
{
	return lineedit_insert_str(le, le->kill, le->kill_len);
}

void
lineedit_history_add(struct lineedit *le, const char *line)
{
	size_t	 last;

	if (*line == '\0' || strlen(line) > LINEEDIT_MAX)
		return;
	if (le->hist_n > 0) {
		last = (le->hist_first + le->hist_n - 1) % LINEEDIT_HISTORY;
		if (strcmp(le->hist[last], line) == 0) {
			le->hist_pos = le->hist_n;
			return;
		}
	}
	if (le->hist_n == LINEEDIT_HISTORY) {
		/* Full: the oldest line makes room. */
		le->hist_first = (le->hist_first + 1) % LINEEDIT_HISTORY;
		le->hist_n--;
	}
	strcpy(le->hist[(le->hist_first + le->hist_n) % LINEEDIT_HISTORY],
	    line);
	le->hist_n++;
	le->hist_pos = le->hist_n;
}

int
lineedit_history_up(struct lineedit *le)
{
	if (le->hist_pos == 0)
		return 0;
	if (le->hist_pos == le->hist_n)
		memcpy(le->saved, le->buf, le->len + 1);
	le->hist_pos--;
	lineedit_load(le, le->hist[(le->hist_first + le->hist_pos) %
	    LINEEDIT_HISTORY]);
	return 1;
}

int
lineedit_history_down(struct lineedit *le)
{
	if (le->hist_pos >= le->hist_n)
		return 0;
	le->hist_pos++;
	if (le->hist_pos == le->hist_n)
		lineedit_load(le, le->saved);
	else
		lineedit_load(le, le->hist[(le->hist_first + le->hist_pos) %
		    LINEEDIT_HISTORY]);
	return 1;
}

void
lineedit_accept(struct lineedit *le, char *out, size_t cap)
{
	size_t	 n = le->len < cap ? le->len : cap - 1;

	memcpy(out, le->buf, n);
	out[n] = '\0';
	lineedit_history_add(le, le->buf);
	lineedit_clear(le);
}

size_t
lineedit_complete(struct lineedit *le, const char *const *names, size_t n)
{
	const char *const *set = names;
	const char	*first = NULL;
	size_t		 start = le->cur, wlen, common = 0, matches;

	while (start > 0 && !lineedit_space_at(le,
	    utf8_prev(le->buf, le->len, start)))
		start = utf8_prev(le->buf, le->len, start);
	wlen = le->cur - start;
	if (start == 0 && wlen > 0 && le->buf[0] == '/') {
		set = lineedit_commands;
		n = LINEEDIT_NCOMMANDS;
	}
	/* Exact case first; else ASCII case folded, as IRC clients do. */
	matches = lineedit_match(set, n, le->buf + start, wlen, 0, &first,
	    &common);
	if (matches == 0 && (matches = lineedit_match(set, n, le->buf + start,
	    wlen, 1, &first, &common)) > 0)
		memcpy(le->buf + start, first, wlen);	/* same bytes long */
	if (matches == 0)
		return 0;
	/* common never ends inside a character: both strings are UTF-8. */
	common = utf8_prefix(first, strlen(first), common);
	if (lineedit_insert_str(le, first + wlen, common - wlen) ==
	    LINEEDIT_OK && matches == 1)
		(void)lineedit_insert(le, ' ');
	return matches;
}

void
lineedit_view(struct lineedit *le, int width, size_t *start, size_t *end,
    int *col)
{
	size_t	 e;
	uint32_t cp;
	int	 w, n;

	if (width < 2)
		width = 2;
	/* Keep the cursor visible, with its own column at the far right. */
	if (le->cur < le->scroll)
		le->scroll = le->cur;
	while (lineedit_width(le, le->scroll, le->cur) > width - 1)
		le->scroll = utf8_next(le->buf, le->len, le->scroll);
	/* A wider field (a resize, a deletion) shows more on the left. */
	while (le->scroll > 0 && lineedit_width(le, utf8_prev(le->buf,
	    le->len, le->scroll), le->cur) <= width - 1)
		le->scroll = utf8_prev(le->buf, le->len, le->scroll);
	/* Then show as much after it as fits without splitting a char. */
	w = lineedit_width(le, le->scroll, le->cur);
	for (e = le->cur; e < le->len; e += (size_t)n) {
		n = lineedit_cp_at(le, e, &cp);
		if (w + utf8_cp_width(cp) > width)
			break;
		w += utf8_cp_width(cp);
	}
	*start = le->scroll;
	*end = e;
	*col = lineedit_width(le, le->scroll, le->cur);
}

const char *
lineedit_counter(const struct lineedit *le, char *out, size_t cap)
{
	if (le->len < LINEEDIT_WARN) {
		if (cap > 0)
			out[0] = '\0';
		return out;
	}
	snprintf(out, cap, "%zu/%d", le->len, LINEEDIT_MAX);
	return out;
}

/* Removes [from, to); kill says whether it goes to the kill buffer. */
static void
lineedit_cut(struct lineedit *le, size_t from, size_t to, int kill)
{
	if (from >= to)
		return;
	if (kill) {
		memcpy(le->kill, le->buf + from, to - from);
		le->kill_len = to - from;
		le->kill[le->kill_len] = '\0';
	}
	memmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	le->cur = from;
}

static int
lineedit_cp_at(const struct lineedit *le, size_t off, uint32_t *cp)
{
	int	 n = utf8_decode(le->buf + off, le->len - off, cp);

	/* The buffer is valid UTF-8; this only guards against a bug. */
	if (n <= 0) {
		*cp = 0xfffd;
		n = 1;
	}
	return n;
}

static int
lineedit_space_at(const struct lineedit *le, size_t off)
{
	uint32_t cp;

	(void)lineedit_cp_at(le, off, &cp);
	return utf8_is_space(cp);
}

static void
lineedit_load(struct lineedit *le, const char *line)
{
	le->len = strlen(line);
	memcpy(le->buf, line, le->len + 1);
	le->cur = le->len;
	le->scroll = 0;
}

/*
 * The entries of set that start with the word w (wlen bytes), with
 * ASCII letters folded if fold: how many, the first, and how long a
 * prefix they all share.
 */
static size_t
lineedit_match(const char *const *set, size_t n, const char *w, size_t wlen,
    int fold, const char **first, size_t *common)
{
	size_t	 i, matches = 0;

	for (i = 0; i < n; i++) {
		if (strlen(set[i]) < wlen ||
		    lineedit_common(set[i], w, fold) < wlen)
			continue;
		if (matches++ == 0) {
			*first = set[i];
			*common = strlen(*first);
		} else if (lineedit_common(*first, set[i], fold) < *common)
			*common = lineedit_common(*first, set[i], fold);
	}
	return matches;
}

/* Equal bytes; with fold, ASCII letters of either case too. */
static int
lineedit_byte_eq(char a, char b, int fold)
{
	if (fold && a >= 'A' && a <= 'Z')
		a = (char)(a - 'A' + 'a');
	if (fold && b >= 'A' && b <= 'Z')
		b = (char)(b - 'A' + 'a');
	return a == b;
}

static size_t
lineedit_common(const char *a, const char *b, int fold)
{
	size_t	 i = 0;

	while (a[i] != '\0' && lineedit_byte_eq(a[i], b[i], fold))
		i++;
	return i;
}

static int
lineedit_width(const struct lineedit *le, size_t from, size_t to)
{
	return (int)utf8_width(le->buf + from, to - from);
}

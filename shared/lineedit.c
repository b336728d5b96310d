/*
 * lineedit: the UTF-8 line editor of the client's keyboard process and
 * the server's console (lineedit.h).
 * Follows the readline/emacs key meanings the design names (Ctrl-A/E/
 * U/K/W/Y, history, Tab). The buffer holds valid UTF-8 without control
 * characters at every moment, so sending needs no checks; it is drawn
 * in the chat view's safe form (utf8_safe_char), in which an invisible
 * character becomes visible and may change its width.
 */
#include <stdio.h>
#include <string.h>

#include "lineedit.h"
#include "utf8.h"

static void	lineedit_cut(struct lineedit *, size_t, size_t, int);
static int	lineedit_cp_at(const struct lineedit *, size_t, uint32_t *);
static int	lineedit_space_at(const struct lineedit *, size_t);
static void	lineedit_load(struct lineedit *, const char *);
static size_t	lineedit_common(const char *, const char *, int);
static int	lineedit_byte_eq(char, char, int);
static size_t	lineedit_match(const char *const *, size_t, const char *,
		    size_t, int, const char **, size_t *);
static void	lineedit_columns(const struct lineedit *, int *);
static size_t	lineedit_step(struct lineedit *, const char *const *, size_t,
		    int);
static size_t	lineedit_first(struct lineedit *, const char *const *,
		    size_t);
static size_t	lineedit_cycle(struct lineedit *, const char *const *,
		    size_t, int);
static void	lineedit_arm(struct lineedit *);
static int	lineedit_put_match(struct lineedit *, const char *);
static size_t	lineedit_pick(const char *const *, size_t, const char *, int,
		    const char *, int, const char **);
static int	lineedit_order(const char *, const char *);
static int	lineedit_allowed(const char *, size_t);

void
lineedit_init(struct lineedit *le)
{
	memset(le, 0, sizeof(*le));
}

void
lineedit_set_commands(struct lineedit *le, const char *const *commands,
    size_t n)
{
	le->commands = commands;
	le->ncommands = n;
}

void
lineedit_clear(struct lineedit *le)
{
	le->len = le->cur = le->scroll = 0;
	le->buf[0] = '\0';
	le->hist_pos = le->hist_n;
	le->comp.on = 0;
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
	/* Check everything first: a refused insert changes nothing. */
	if (!lineedit_allowed(s, len))
		return LINEEDIT_INVALID;
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
	return lineedit_step(le, names, n, 1);
}

size_t
lineedit_complete_back(struct lineedit *le, const char *const *names,
    size_t n)
{
	return lineedit_step(le, names, n, -1);
}

void
lineedit_complete_stop(struct lineedit *le)
{
	le->comp.on = 0;
}

void
lineedit_view(struct lineedit *le, int width, size_t *start, size_t *end,
    int *col)
{
	int	 cols[LINEEDIT_MAX + 1];
	size_t	 e;

	if (width < 2)
		width = 2;
	lineedit_columns(le, cols);
	/* Keep the cursor visible, with its own column at the far right. */
	if (le->cur < le->scroll)
		le->scroll = le->cur;
	while (cols[le->cur] - cols[le->scroll] > width - 1)
		le->scroll = utf8_next(le->buf, le->len, le->scroll);
	/* A wider field (a resize, a deletion) shows more on the left. */
	while (le->scroll > 0 && cols[le->cur] - cols[utf8_prev(le->buf,
	    le->len, le->scroll)] <= width - 1)
		le->scroll = utf8_prev(le->buf, le->len, le->scroll);
	/* Then show as much after it as fits without splitting a char. */
	for (e = le->cur; e < le->len; ) {
		size_t	 next = utf8_next(le->buf, le->len, e);

		if (cols[next] - cols[le->scroll] > width)
			break;
		e = next;
	}
	*start = le->scroll;
	*end = e;
	*col = cols[le->cur] - cols[le->scroll];
}

size_t
lineedit_shown(const struct lineedit *le, size_t start, size_t end,
    char *out, size_t cap)
{
	uint32_t prev = UINT32_MAX;
	size_t	 off = 0, w = 0, flen;
	char	 form[4];
	int	 used;

	if (cap == 0)
		return 0;
	if (end > le->len)
		end = le->len;
	/* From the start: an emoji before start decides what follows. */
	while (off < end) {
		flen = utf8_safe_char(le->buf + off, le->len - off, &prev,
		    form, &used);
		if (off >= start) {
			if (flen > cap - 1 - w)
				break;
			memcpy(out + w, form, flen);
			w += flen;
		}
		off += (size_t)used;
	}
	out[w] = '\0';
	return w;
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

/*
 * The columns the line takes as drawn (lineedit_shown) up to each
 * character boundary off: cols[off]. Other entries are left as they are.
 */
static void
lineedit_columns(const struct lineedit *le, int *cols)
{
	uint32_t prev = UINT32_MAX;
	size_t	 off = 0, flen;
	char	 form[4];
	int	 used, c = 0;

	cols[0] = 0;
	while (off < le->len) {
		flen = utf8_safe_char(le->buf + off, le->len - off, &prev,
		    form, &used);
		c += (int)utf8_width(form, flen);
		off += (size_t)used;
		cols[off] = c;
	}
}

/*
 * One Tab (dir 1) or Shift-Tab (dir -1): the next step of the cycle
 * the last Tab left, or a fresh completion. The cursor and length
 * check is a second fence behind lineedit_complete_stop: an edit the
 * caller forgot to report still ends the cycle.
 */
static size_t
lineedit_step(struct lineedit *le, const char *const *names, size_t n,
    int dir)
{
	if (le->comp.on && le->cur == le->comp.end &&
	    le->len == le->comp.len)
		return lineedit_cycle(le, names, n, dir);
	le->comp.on = 0;
	return lineedit_first(le, names, n);
}

/* The first Tab on a word: a unique match, or the common prefix. */
static size_t
lineedit_first(struct lineedit *le, const char *const *names, size_t n)
{
	const char *const *set = names;
	const char	*first = NULL;
	size_t		 start = le->cur, wlen, common = 0, matches;
	int		 commands = 0;

	while (start > 0 && !lineedit_space_at(le,
	    utf8_prev(le->buf, le->len, start)))
		start = utf8_prev(le->buf, le->len, start);
	wlen = le->cur - start;
	if (start == 0 && wlen > 0 && le->buf[0] == '/') {
		set = le->commands;
		n = le->ncommands;
		commands = 1;
	}
	if (wlen > LINEEDIT_COMP_MAX)
		return 0;	/* longer than any name or command */
	/* Kept as typed: the cycle matches it again on every Tab. */
	memcpy(le->comp.word, le->buf + start, wlen);
	le->comp.word[wlen] = '\0';
	le->comp.commands = commands;
	le->comp.start = start;
	le->comp.shown[0] = '\0';
	/* Exact case first; else ASCII case folded, as IRC clients do. */
	matches = lineedit_match(set, n, le->buf + start, wlen, 0, &first,
	    &common);
	if (matches == 0)
		matches = lineedit_match(set, n, le->buf + start, wlen, 1,
		    &first, &common);
	if (matches == 0)
		return 0;
	if (matches == 1) {
		if (lineedit_put_match(le, first) == 0)
			snprintf(le->comp.shown, sizeof(le->comp.shown), "%s",
			    first);
	} else {
		/* The name's spelling: same bytes long (ASCII letters). */
		memcpy(le->buf + start, first, wlen);
		/* common never ends inside a character: both are UTF-8. */
		common = utf8_prefix(first, strlen(first), common);
		(void)lineedit_insert_str(le, first + wlen, common - wlen);
	}
	lineedit_arm(le);
	return matches;
}

/* A later Tab: the match after (dir 1) or before (-1) the one shown. */
static size_t
lineedit_cycle(struct lineedit *le, const char *const *names, size_t n,
    int dir)
{
	const char *const *set = names;
	const char	*pick = NULL;
	size_t		 matches;

	if (le->comp.commands) {
		set = le->commands;
		n = le->ncommands;
	}
	/* Matched anew: the user list may have changed since. */
	matches = lineedit_pick(set, n, le->comp.word, 0, le->comp.shown,
	    dir, &pick);
	if (matches == 0)
		matches = lineedit_pick(set, n, le->comp.word, 1,
		    le->comp.shown, dir, &pick);
	if (matches == 0 || lineedit_put_match(le, pick) == -1) {
		le->comp.on = 0;
		return matches;
	}
	snprintf(le->comp.shown, sizeof(le->comp.shown), "%s", pick);
	lineedit_arm(le);
	return matches;
}

/* Remembers where this Tab left the line, for the next one. */
static void
lineedit_arm(struct lineedit *le)
{
	le->comp.on = 1;
	le->comp.end = le->cur;
	le->comp.len = le->len;
}

/*
 * Replaces the text from comp.start to the cursor with name and its
 * suffix. -1, changing nothing, if the result would not fit or name
 * holds a character the line may not (names come sanitised, but the
 * line's invariant is checked here, not assumed).
 */
static int
lineedit_put_match(struct lineedit *le, const char *name)
{
	const char	*suffix;
	char		 put[LINEEDIT_COMP_MAX + 8];
	size_t		 start = le->comp.start, plen;

	suffix = !le->comp.commands && start == 0 ? ": " : " ";
	if (strlen(name) > LINEEDIT_COMP_MAX)
		return -1;
	plen = (size_t)snprintf(put, sizeof(put), "%s%s", name, suffix);
	if (!lineedit_allowed(put, plen) ||
	    le->len - (le->cur - start) + plen > LINEEDIT_MAX)
		return -1;
	memmove(le->buf + start + plen, le->buf + le->cur,
	    le->len - le->cur + 1);
	memcpy(le->buf + start, put, plen);
	le->len = le->len - (le->cur - start) + plen;
	le->cur = start + plen;
	return 0;
}

/*
 * The entries of set that start with w (folded if fold): how many, and
 * in *pick the one after "after" in lineedit_order (dir 1) or before it
 * (dir -1), wrapping round; with after "", the first or the last. An
 * entry that left since (after no longer in set) still has a place in
 * the order, so the cycle goes on from where it was.
 */
static size_t
lineedit_pick(const char *const *set, size_t n, const char *w, int fold,
    const char *after, int dir, const char **pick)
{
	const char	*next = NULL, *wrap = NULL;
	size_t		 i, wlen = strlen(w), matches = 0;
	int		 c;

	for (i = 0; i < n; i++) {
		if (strlen(set[i]) < wlen ||
		    lineedit_common(set[i], w, fold) < wlen)
			continue;
		matches++;
		/* wrap: the extreme in the direction we start from. */
		if (wrap == NULL || lineedit_order(set[i], wrap) * dir < 0)
			wrap = set[i];
		if (after[0] == '\0')
			continue;
		c = lineedit_order(set[i], after) * dir;
		if (c > 0 && (next == NULL ||
		    lineedit_order(set[i], next) * dir < 0))
			next = set[i];
	}
	*pick = next != NULL ? next : wrap;
	return matches;
}

/* Case-insensitive (ASCII) order, bytes breaking ties: "al" < "Bo". */
static int
lineedit_order(const char *a, const char *b)
{
	size_t	 i = 0;
	int	 ca, cb;

	for (;; i++) {
		ca = (unsigned char)a[i];
		cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == '\0')
			break;
	}
	return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
}

/*
 * Valid UTF-8 without control characters, bidi controls or bidi marks:
 * what the input row may show (it is drawn unsanitised).
 */
static int
lineedit_allowed(const char *s, size_t len)
{
	size_t	 off;
	uint32_t cp;
	int	 n;

	for (off = 0; off < len; off += (size_t)n) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n <= 0 || utf8_is_control(cp) || utf8_is_bidi(cp) ||
		    utf8_is_bidi_mark(cp))
			return 0;
	}
	return 1;
}

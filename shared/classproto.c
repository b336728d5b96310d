/*
 * classproto: the classroom text protocol (classproto.h). The words are
 * the course's, in UTF-8 literals here and nowhere else. The client's
 * reader is lenient (course copies differ in small ways); the writer
 * sends exactly the forms of docs/protocol.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classproto.h"
#include "proto.h"
#include "utf8.h"

#define CLASSPROTO_WELCOME	"欢迎"
#define CLASSPROTO_SAID		"说"
#define CLASSPROTO_WIDE_COLON	"："
/* A line as printf writes it, before it is cut to a datagram. */
#define CLASSPROTO_WORK		4096

/* "NAME 进入聊天室" and its forms: the longest first. */
static const char *const classproto_joined[] = {
	"进入了聊天室", "进入聊天室", "加入了聊天室", "加入聊天室",
};
static const char *const classproto_left[] = {
	"退出了聊天室", "退出聊天室", "离开了聊天室", "离开聊天室",
};
/* What a notice may end with after its last word. */
static const char *const classproto_marks[] = {
	"!", "！", "~", "。", ".",
};

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static bool	 classproto_is(const char *, size_t, const char *);
static bool	 classproto_starts(const char *, size_t, const char *);
static bool	 classproto_ends(const char *, size_t, const char *);
static void	 classproto_trim(const char **, size_t *);
static void	 classproto_trim_marks(const char *, size_t *);
static bool	 classproto_word(const char *, size_t);
static bool	 classproto_notice(const char *, size_t,
		    struct classproto_line *);
static bool	 classproto_said(const char *, size_t,
		    struct classproto_line *);
static size_t	 classproto_colon(const char *, size_t, size_t *);

bool
classproto_is_request(const char *buf, size_t len)
{
	if (len == 0 || strchr("LCQ", buf[0]) == NULL || buf[0] == '\0')
		return false;
	return len == 1 || buf[1] == ' ';
}

void
classproto_parse_request(const char *buf, size_t len,
    struct classproto_req *r)
{
	const char	*sp;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	memset(r, 0, sizeof(*r));
	r->cmd = buf[0] == 'L' ? CLASSPROTO_LOGIN : buf[0] == 'C' ?
	    CLASSPROTO_CHAT : CLASSPROTO_QUIT;
	if (len <= 2) {
		r->name = buf + len;
		return;
	}
	r->name = buf + 2;
	r->name_len = len - 2;
	if (r->cmd != CLASSPROTO_CHAT)
		return;
	if ((sp = memchr(r->name, ' ', r->name_len)) == NULL)
		return;
	r->text = sp + 1;
	r->text_len = (size_t)(buf + len - r->text);
	r->name_len = (size_t)(sp - r->name);
}

size_t
classproto_format(enum classproto_kind kind, const char *name,
    const char *text, char *buf, size_t cap)
{
	char	 work[CLASSPROTO_WORK];
	size_t	 len, max;
	int	 n;

	switch (kind) {
	case CLASSPROTO_LINE_OK:
		n = snprintf(work, sizeof(work), "%s", CLASSPROTO_OK);
		break;
	case CLASSPROTO_LINE_TAKEN:
		n = snprintf(work, sizeof(work), "%s", CLASSPROTO_TAKEN);
		break;
	case CLASSPROTO_LINE_EXIT:
		n = snprintf(work, sizeof(work), "%s", CLASSPROTO_EXIT);
		break;
	case CLASSPROTO_LINE_CHAT:
		n = snprintf(work, sizeof(work), "%s : %s", name, text);
		break;
	case CLASSPROTO_LINE_ACTION:
		n = snprintf(work, sizeof(work), "* %s %s", name, text);
		break;
	case CLASSPROTO_LINE_PRIVATE:
		n = snprintf(work, sizeof(work), "%s (私聊) : %s", name, text);
		break;
	case CLASSPROTO_LINE_JOIN:
		n = snprintf(work, sizeof(work), "欢迎%s进入聊天室", name);
		break;
	case CLASSPROTO_LINE_LEAVE:
		n = snprintf(work, sizeof(work), "%s退出了聊天室", name);
		break;
	case CLASSPROTO_LINE_RENAME:
		n = snprintf(work, sizeof(work), "%s改名为%s", name, text);
		break;
	case CLASSPROTO_LINE_ANNOUNCE:
		n = snprintf(work, sizeof(work), "%s : %s",
		    CLASSPROTO_ADMIN_MSG, text);
		break;
	default:
		n = 0;
		break;
	}
	if (n < 0 || cap == 0)
		return 0;
	len = (size_t)n < sizeof(work) ? (size_t)n : sizeof(work) - 1;
	max = cap - 1 < CLASSPROTO_DGRAM_MAX ? cap - 1 : CLASSPROTO_DGRAM_MAX;
	len = utf8_prefix(work, len, max);
	memcpy(buf, work, len);
	buf[len] = '\0';
	return len;
}

void
classproto_parse_line(const char *s, size_t len, struct classproto_line *l)
{
	const char	*t = s;
	size_t		 n = len;

	memset(l, 0, sizeof(*l));
	l->kind = CLASSPROTO_RAW;
	l->text = s;
	l->text_len = len;
	classproto_trim(&t, &n);
	if (classproto_is(t, n, CLASSPROTO_OK))
		l->kind = CLASSPROTO_LINE_OK;
	else if (classproto_is(t, n, CLASSPROTO_TAKEN) ||
	    classproto_is(t, n, "该用户存在"))
		l->kind = CLASSPROTO_LINE_TAKEN;
	else if (n == 4 && strncasecmp(t, CLASSPROTO_EXIT, 4) == 0)
		l->kind = CLASSPROTO_LINE_EXIT;
	else if (!classproto_notice(t, n, l))
		classproto_said(t, n, l);
}

static bool
classproto_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(s, word, len) == 0;
}

static bool
classproto_starts(const char *s, size_t len, const char *word)
{
	return len >= strlen(word) && memcmp(s, word, strlen(word)) == 0;
}

static bool
classproto_ends(const char *s, size_t len, const char *word)
{
	size_t	 n = strlen(word);

	return len >= n && memcmp(s + len - n, word, n) == 0;
}

/* Spaces and tabs off both ends. */
static void
classproto_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* The exclamation marks (and spaces) a notice may end with. */
static void
classproto_trim_marks(const char *s, size_t *len)
{
	size_t	 i;
	bool	 again = true;

	while (again) {
		again = false;
		while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
			(*len)--;
		for (i = 0; i < nitems(classproto_marks); i++) {
			if (classproto_ends(s, *len, classproto_marks[i])) {
				*len -= strlen(classproto_marks[i]);
				again = true;
			}
		}
	}
}

/* What can be a sender's name: a short word, no space, tab or colon. */
static bool
classproto_word(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > PROTO_NAME_MAX_BYTES)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == ':')
			return false;
	}
	return true;
}

/* 管理员消息 : TEXT, 欢迎NAME进入聊天室, NAME退出了聊天室. */
static bool
classproto_notice(const char *s, size_t len, struct classproto_line *l)
{
	const char	*name;
	size_t		 n, i, colon, after;

	if (classproto_starts(s, len, CLASSPROTO_ADMIN_MSG)) {
		n = strlen(CLASSPROTO_ADMIN_MSG);
		colon = classproto_colon(s + n, len - n, &after);
		if (colon != len - n && strspn(s + n, " ") == colon) {
			l->kind = CLASSPROTO_LINE_ANNOUNCE;
			l->text = s + n + after;
			l->text_len = len - n - after;
			classproto_trim(&l->text, &l->text_len);
			return true;
		}
	}
	classproto_trim_marks(s, &len);
	for (i = 0; i < nitems(classproto_joined); i++) {
		if (!classproto_starts(s, len, CLASSPROTO_WELCOME) ||
		    !classproto_ends(s, len, classproto_joined[i]))
			continue;
		if (len < strlen(CLASSPROTO_WELCOME) +
		    strlen(classproto_joined[i]))
			return false;
		name = s + strlen(CLASSPROTO_WELCOME);
		n = len - strlen(CLASSPROTO_WELCOME) -
		    strlen(classproto_joined[i]);
		classproto_trim(&name, &n);
		if (!classproto_word(name, n))
			return false;
		l->kind = CLASSPROTO_LINE_JOIN;
		l->name = name;
		l->name_len = n;
		return true;
	}
	for (i = 0; i < nitems(classproto_left); i++) {
		if (!classproto_ends(s, len, classproto_left[i]))
			continue;
		name = s;
		n = len - strlen(classproto_left[i]);
		classproto_trim(&name, &n);
		if (!classproto_word(name, n))
			return false;
		l->kind = CLASSPROTO_LINE_LEAVE;
		l->name = name;
		l->name_len = n;
		return true;
	}
	return false;
}

/* NAME : TEXT, NAME: TEXT, NAME 说: TEXT, NAME说：TEXT. */
static bool
classproto_said(const char *s, size_t len, struct classproto_line *l)
{
	const char	*name = s;
	size_t		 n, colon, after;

	if ((colon = classproto_colon(s, len, &after)) == len)
		return false;
	n = colon;
	classproto_trim(&name, &n);
	if (classproto_ends(name, n, CLASSPROTO_SAID)) {
		n -= strlen(CLASSPROTO_SAID);
		classproto_trim(&name, &n);
	}
	if (!classproto_word(name, n))
		return false;
	l->kind = CLASSPROTO_LINE_CHAT;
	l->name = name;
	l->name_len = n;
	l->text = s + after;
	l->text_len = len - after;
	while (l->text_len > 0 && *l->text == ' ') {
		l->text++;
		l->text_len--;
	}
	return true;
}

/*
 * The first colon that ends a sender: ':' before a space or the line's
 * end (so "http://x" is no sender), or a full-width colon. Returns its
 * offset and sets *after past it; len if there is none.
 */
static size_t
classproto_colon(const char *s, size_t len, size_t *after)
{
	size_t	 i, wide = strlen(CLASSPROTO_WIDE_COLON);

	for (i = 0; i < len; i++) {
		if (s[i] == ':' && (i + 1 == len || s[i + 1] == ' ')) {
			*after = i + 1;
			return i;
		}
		if (classproto_starts(s + i, len - i, CLASSPROTO_WIDE_COLON)) {
			*after = i + wide;
			return i;
		}
	}
	*after = len;
	return len;
}

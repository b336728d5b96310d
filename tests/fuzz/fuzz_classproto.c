/*
 * libFuzzer harness for shared/classproto.c, on what students' programs
 * and servers may send. Any input bytes; checks:
 *  - a classroom request splits into slices inside the datagram, the
 *    name before the text, the text to the end but for the line end;
 *  - a line read by the client gives slices inside the line, a sender
 *    with no space, tab or colon;
 *  - a line the server writes from valid UTF-8 stays under 1024 bytes,
 *    is valid UTF-8, NUL-terminated, and fits any buffer size;
 *  - a chat line written for a name that can be a sender reads back as
 *    that name and text.
 * Built by scripts/fuzz (make fuzz).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classproto.h"
#include "utf8.h"

#define FUZZ_MAX	2048

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_request(const char *, size_t);
static void	check_line(const char *, size_t);
static void	check_format(const char *, size_t);

/* abort() makes a finding; assert() could be compiled out. */
#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static bool
inside(const char *p, size_t n, const char *s, size_t len)
{
	return p >= s && p + n <= s + len;
}

static void
check_request(const char *s, size_t len)
{
	struct classproto_req	 r;

	if (!classproto_is_request(s, len))
		return;
	classproto_parse_request(s, len, &r);
	CHECK(inside(r.name, r.name_len, s, len));
	if (r.text != NULL) {
		CHECK(r.cmd == CLASSPROTO_CHAT);
		CHECK(inside(r.text, r.text_len, s, len));
		CHECK(r.text == r.name + r.name_len + 1);
		CHECK(memchr(r.name, ' ', r.name_len) == NULL);
	}
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	CHECK(inside(r.name, r.name_len, s, len));
	if (r.text != NULL)
		CHECK(r.text + r.text_len == s + len);
}

static void
check_line(const char *s, size_t len)
{
	struct classproto_line	 l;
	size_t			 i;

	classproto_parse_line(s, len, &l);
	if (l.text != NULL)
		CHECK(inside(l.text, l.text_len, s, len));
	if (l.kind == CLASSPROTO_LINE_CHAT || l.kind == CLASSPROTO_LINE_JOIN ||
	    l.kind == CLASSPROTO_LINE_LEAVE) {
		CHECK(l.name_len > 0 && inside(l.name, l.name_len, s, len));
		for (i = 0; i < l.name_len; i++)
			CHECK(l.name[i] != ' ' && l.name[i] != '\t' &&
			    l.name[i] != ':');
	}
}

static void
check_format(const char *s, size_t len)
{
	char			 name[64], text[FUZZ_MAX + 1];
	char			 buf[CLASSPROTO_DGRAM_MAX + 1];
	size_t			 nlen, n, cap;
	struct classproto_line	 l;
	int			 kind;

	if (len < 2 || (unsigned char)s[0] >= 0x80 || !utf8_valid(s, len) ||
	    memchr(s, '\0', len) != NULL)
		return;
	nlen = utf8_prefix(s + 1, len - 1, (unsigned char)s[0] % 49);
	memcpy(name, s + 1, nlen);
	name[nlen] = '\0';
	memcpy(text, s + 1 + nlen, len - 1 - nlen);
	text[len - 1 - nlen] = '\0';
	for (kind = CLASSPROTO_LINE_OK; kind <= CLASSPROTO_LINE_ANNOUNCE;
	    kind++) {
		for (cap = 1; cap <= sizeof(buf); cap += cap < 16 ? 1 : 97) {
			n = classproto_format(kind, name, text, buf, cap);
			CHECK(n < cap && n <= CLASSPROTO_DGRAM_MAX);
			CHECK(buf[n] == '\0' && utf8_valid(buf, n));
		}
	}
	if (nlen == 0 || strpbrk(name, " \t:\n\r") != NULL ||
	    strstr(name, "：") != NULL || strncmp(name, "管理员消息", 15) == 0)
		return;
	/* Whole lines only: cut, the text would not read back. */
	n = classproto_format(CLASSPROTO_LINE_CHAT, name, text, buf,
	    sizeof(buf));
	if (n != nlen + 3 + strlen(text) || strchr(text, '\n') != NULL ||
	    text[0] == ' ' || text[0] == '\t')
		return;
	classproto_parse_line(buf, n, &l);
	/* A name ending in 说 reads as its speaker without it. */
	if (nlen >= 3 && strcmp(name + nlen - 3, "说") == 0)
		return;
	CHECK(l.kind == CLASSPROTO_LINE_CHAT);
	CHECK(l.name_len == nlen && memcmp(l.name, name, nlen) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;

	if (size > FUZZ_MAX)
		return 0;
	check_request(s, size);
	check_line(s, size);
	check_format(s, size);
	return 0;
}

/*
 * transcript: the JSON-lines record of the room (transcript.h).
 *
 * The encoder is written here rather than through cJSON: the strings it
 * writes are already checked (names, texts) or cleaned (announcements),
 * the object is flat, and a line per chat should cost one pass over the
 * text, not a tree. It still makes valid JSON of any bytes, so a bug
 * upstream cannot turn into a line a reader fails to parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transcript.h"
#include "utf8.h"

/* Appends to a fixed buffer; once something does not fit, it stays full. */
struct transcript_buf {
	char	*p;
	size_t	 cap;
	size_t	 len;
	bool	 full;
};

static void	 transcript_put(struct transcript_buf *, const char *, size_t);
static void	 transcript_string(struct transcript_buf *, const char *);
static void	 transcript_field(struct transcript_buf *, const char *,
		    const char *);

void
transcript_init(struct transcript *t)
{
	t->fd = -1;
	t->failed = false;
	t->torn = false;
	t->path[0] = '\0';
}

int
transcript_open(struct transcript *t, const char *path, char *err,
    size_t errlen)
{
	struct stat	 st;

	transcript_init(t);
	if (snprintf(t->path, sizeof(t->path), "%s", path) >=
	    (int)sizeof(t->path)) {
		snprintf(err, errlen, "cannot open transcript '%s': path too "
		    "long", path);
		return -1;
	}
	/*
	 * O_NONBLOCK so that a FIFO with no reader fails here instead of
	 * hanging the start-up, and kept for anything but a regular file: a
	 * FIFO or terminal whose reader stalls must cost the transcript
	 * lines (a write fails with EAGAIN, reported), not stop the server
	 * in write(2) with everyone's chat.
	 */
	t->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY, 0600);
	if (t->fd == -1) {
		snprintf(err, errlen, "cannot open transcript '%s': %s (give "
		    "--transcript a file in a folder you can write)", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(t->fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot use transcript '%s': not a "
		    "file", path);
		transcript_close(t);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		fcntl(t->fd, F_SETFL, O_APPEND);
	return 0;
}

void
transcript_close(struct transcript *t)
{
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
}

static void
transcript_put(struct transcript_buf *b, const char *s, size_t n)
{
	if (b->full || n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/*
 * s as a JSON string. Valid UTF-8 other than the escapes is copied as
 * it is (a reader sees the names and texts as typed); an invalid byte
 * becomes U+FFFD, so the line is always valid UTF-8 as JSON requires.
 * U+2028 and U+2029 are escaped because JavaScript and many line-based
 * tools take them for line breaks.
 */
static void
transcript_string(struct transcript_buf *b, const char *s)
{
	char		 esc[8];
	size_t		 len, off;
	uint32_t	 cp;
	int		 n;

	transcript_put(b, "\"", 1);
	len = strlen(s);
	for (off = 0; off < len; off += n) {
		if ((n = utf8_decode(s + off, len - off, &cp)) <= 0) {
			transcript_put(b, "\\ufffd", 6);
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			transcript_put(b, esc, 2);
		} else if (utf8_is_control(cp) || cp == 0x2028 ||
		    cp == 0x2029) {
			snprintf(esc, sizeof(esc), "\\u%04" PRIx32, cp);
			transcript_put(b, esc, 6);
		} else
			transcript_put(b, s + off, n);
	}
	transcript_put(b, "\"", 1);
}

/* ,"key":"value" when value is not NULL. */
static void
transcript_field(struct transcript_buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	transcript_put(b, ",", 1);
	transcript_string(b, key);
	transcript_put(b, ":", 1);
	transcript_string(b, value);
}

size_t
transcript_encode(const struct transcript_event *e, char *buf, size_t cap)
{
	struct transcript_buf	 b;
	char			 ts[32];
	int			 n;

	b.p = buf;
	b.cap = cap;
	b.len = 0;
	b.full = false;
	n = snprintf(ts, sizeof(ts), "{\"ts\":%" PRIu64, e->ts);
	transcript_put(&b, ts, (size_t)n);
	if (e->mid != 0) {
		n = snprintf(ts, sizeof(ts), ",\"mid\":%" PRIu64, e->mid);
		transcript_put(&b, ts, (size_t)n);
	}
	transcript_field(&b, "type", e->type);
	transcript_field(&b, "name", e->name);
	transcript_field(&b, "from", e->from);
	transcript_field(&b, "to", e->to);
	transcript_field(&b, "reason", e->reason);
	transcript_field(&b, "addr", e->addr);
	transcript_field(&b, "text", e->text);
	if (e->action)
		transcript_put(&b, ",\"action\":true", 14);
	transcript_put(&b, "}\n", 2);
	return b.full ? 0 : b.len;
}

int
transcript_write(struct transcript *t, const struct transcript_event *e,
    char *err, size_t errlen)
{
	char	 line[TRANSCRIPT_LINE_MAX + 1];
	size_t	 len, lead, done;
	ssize_t	 n;
	off_t	 end;
	int	 saved;

	if (errlen > 0)
		err[0] = '\0';
	if (t->fd == -1)
		return 0;
	/* After a torn line, a newline first: this one starts a line. */
	lead = t->torn ? 1 : 0;
	line[0] = '\n';
	if ((len = transcript_encode(e, line + lead, sizeof(line) - 1)) == 0) {
		saved = EMSGSIZE;
		goto fail;
	}
	len += lead;
	/* Short only when the disk fills up or a pipe's reader is behind. */
	for (done = 0; done < len; ) {
		if ((n = write(t->fd, line + done, len - done)) > 0)
			done += (size_t)n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	if (done == len) {
		t->torn = false;
		return 0;
	}
	saved = n == 0 ? EIO : errno;
	/*
	 * The next line must not be glued to the head of this one: the
	 * head is cut off again where the file allows (a regular file, our
	 * bytes last in it, O_APPEND), else the next line starts with a
	 * newline of its own.
	 */
	if (done > 0 && ((end = lseek(t->fd, 0, SEEK_CUR)) < (off_t)done ||
	    ftruncate(t->fd, end - (off_t)done) == -1))
		t->torn = true;
fail:
	if (!t->failed)
		snprintf(err, errlen, "cannot write to transcript '%s': %s "
		    "(the server goes on; events may be missing from it)",
		    t->path, strerror(saved));
	t->failed = true;
	return -1;
}

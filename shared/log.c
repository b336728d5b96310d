/*
 * log: "prog: message" lines on stderr, filtered by level. The only
 * file in shared/ that writes anything.
 *
 * Every line, whatever its source, goes through one escaper: control
 * bytes (C0, DEL, C1), bidi controls and marks (U+061C, U+200E, U+200F
 * reorder a line as much), the Unicode line and paragraph separators
 * (U+2028, U+2029: line breaks to many viewers) and bytes
 * that are not valid UTF-8 are written as \xNN. Callers are meant to
 * sanitise peer strings first; this is the second fence, so that
 * neither a forgotten sanitise nor a hostile datagram in a trace can
 * move the operator's cursor, change colours or split one log line
 * into two. A backslash itself is left alone so that JSON in traces
 * stays readable.
 *
 * Each line is assembled in one buffer and written with one write(2),
 * so lines from the client's two processes never interleave mid-line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"

/* A 1400-byte datagram fully escaped (4 bytes each) plus the prefix. */
#define LOG_LINE_MAX	8192
/* What ends a line that did not fit. */
#define LOG_CUT		"[...]"

static const char	*log_prog;
static enum log_level	 log_level = LOG_INFO;
static int		 log_stamps;
static void		(*log_writer)(void *, const char *, size_t);
static void		*log_writer_arg;

static void	log_vline(bool, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
static void	log_write(bool, const char *, size_t);

void
log_init(const char *prog, enum log_level level)
{
	const char *slash;

	if (prog != NULL && (slash = strrchr(prog, '/')) != NULL)
		prog = slash + 1;
	log_prog = prog;
	log_level = level;
}

void
log_set_stamps(int on)
{
	log_stamps = on;
}

void
log_set_writer(void (*fn)(void *, const char *, size_t), void *arg)
{
	log_writer = fn;
	log_writer_arg = arg;
}

void
log_stamp(char *buf, size_t cap)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 date[32], zone[8];

	gettimeofday(&tv, NULL);
	if (cap == 0 || localtime_r(&tv.tv_sec, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0 ||
	    strftime(zone, sizeof zone, "%z", &tm) != 5) {
		if (cap > 0)
			buf[0] = '\0';
		return;
	}
	/* %z is +hhmm; ISO 8601's extended form wants +hh:mm. */
	snprintf(buf, cap, "%s.%03d%.3s:%s", date, (int)(tv.tv_usec / 1000),
	    zone, zone + 3);
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(true, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < LOG_INFO)
		return;
	va_start(ap, fmt);
	log_vline(true, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < LOG_DEBUG)
		return;
	va_start(ap, fmt);
	log_vline(true, fmt, ap);
	va_end(ap);
}

void
log_trace(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < LOG_TRACE)
		return;
	va_start(ap, fmt);
	log_vline(false, fmt, ap);
	va_end(ap);
}

size_t
log_escape(const char *s, size_t len, char *out, size_t cap)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 in = 0, w = 0, room, i, n;
	uint32_t		 cp;
	int			 d;
	bool			 bad;

	if (cap < sizeof LOG_CUT)
		return 0;
	room = cap - sizeof LOG_CUT;	/* keeps space for the cut mark */
	while (in < len) {
		d = utf8_decode(s + in, len - in, &cp);
		bad = d <= 0 || utf8_is_control(cp) || utf8_is_bidi(cp) ||
		    utf8_is_bidi_mark(cp) || cp == 0x2028 || cp == 0x2029;
		n = d <= 0 ? 1 : (size_t)d;
		if (w + (bad ? 4 * n : n) > room)
			break;
		for (i = 0; i < n; i++) {
			if (!bad) {
				out[w++] = s[in + i];
				continue;
			}
			out[w++] = '\\';
			out[w++] = 'x';
			out[w++] = hex[u[in + i] >> 4];
			out[w++] = hex[u[in + i] & 0xf];
		}
		in += n;
	}
	if (in < len) {
		memcpy(out + w, LOG_CUT, sizeof LOG_CUT - 1);
		w += sizeof LOG_CUT - 1;
	}
	out[w] = '\0';
	return w;
}

static void
log_vline(bool stamp, const char *fmt, va_list ap)
{
	char	msg[LOG_LINE_MAX];
	int	n;

	n = vsnprintf(msg, sizeof msg, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof msg)
		n = (int)sizeof msg - 1;
	log_write(stamp, msg, (size_t)n);
}

/*
 * body is escaped. One write per line. A trace line carries its own
 * time (trace.c), so it gets no stamp.
 */
static void
log_write(bool stamp_it, const char *body, size_t len)
{
	char		 line[LOG_LINE_MAX], stamp[40];
	const char	*prog;
	size_t		 w, off;
	ssize_t		 r;
	int		 n, saved = errno;

	prog = log_prog != NULL ? log_prog : program_invocation_short_name;
	stamp[0] = '\0';
	if (log_stamps && stamp_it)
		log_stamp(stamp, sizeof stamp);
	n = snprintf(line, sizeof line, "%s%s%s: ", stamp,
	    stamp[0] != '\0' ? " " : "", prog);
	if (n < 0 || (size_t)n >= sizeof line / 4)
		n = 0;
	w = (size_t)n;
	w += log_escape(body, len, line + w, sizeof line - w - 1);
	line[w++] = '\n';
	if (log_writer != NULL) {
		log_writer(log_writer_arg, line, w);
		errno = saved;
		return;
	}
	for (off = 0; off < w; off += (size_t)r) {
		r = write(STDERR_FILENO, line + off, w - off);
		if (r == -1 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0)
			break;
	}
	errno = saved;
}

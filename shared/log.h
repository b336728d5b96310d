/*
 * log: leveled log lines on stderr, "prog: message". The one place in
 * shared/ that writes; programs call it from their edges, never from
 * library code. Lines with peer data must pass utf8_sanitize first
 * (every line is escaped again here, as a second fence).
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>

enum log_level {
	LOG_QUIET = 0,	/* errors only */
	LOG_INFO,	/* start, join, leave, warnings (default) */
	LOG_DEBUG,
	LOG_TRACE,	/* every datagram in and out */
};

void	 log_init(const char *prog, enum log_level level);
/*
 * Starts every line with the local time, ISO 8601 with milliseconds and
 * the UTC offset ("2026-03-02T14:05:09.031+01:00 prog: ..."), for a log
 * kept in a file; a person at a terminal sees the lines as they come.
 */
void	 log_set_stamps(int on);
/*
 * Hands every finished line (newline included) to fn instead of writing
 * it to stderr: the server's console prints it above its prompt. NULL:
 * stderr again.
 */
void	 log_set_writer(void (*fn)(void *arg, const char *line, size_t len),
	    void *arg);
/* The time stamp log_set_stamps writes, for now, into buf (cap bytes). */
void	 log_stamp(char *buf, size_t cap);
enum log_level log_get_level(void);
void	 log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* At LOG_TRACE only: the --trace lines, which carry their own time (no stamp). */
void	 log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * s escaped as every log line is (control, bidi and invalid bytes as
 * \xNN) into out (cap bytes, NUL-terminated; 4 x len + 6 is enough).
 * Returns the length; when s does not fit, the output ends in "[...]".
 */
size_t	 log_escape(const char *s, size_t len, char *out, size_t cap);

#endif /* LOG_H */

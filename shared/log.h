/*
 * log: leveled log lines on stderr, "prog: message". The one place in
 * shared/ that writes; programs call it from their edges, never from
 * library code. Lines with peer data must pass utf8_sanitize first
 * (log_trace_dgram does it itself).
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
enum log_level log_get_level(void);
void	 log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* At LOG_TRACE only: per-datagram notes ("bad: ... from ADDR"). */
void	 log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * At LOG_TRACE, one line for a datagram: direction ("in"/"out"), peer
 * address text, and the bytes with control and non-UTF-8 bytes escaped.
 */
void	 log_trace_dgram(const char *dir, const char *peer, const char *buf,
	    size_t len);

/*
 * s escaped as every log line is (control, bidi and invalid bytes as
 * \xNN) into out (cap bytes, NUL-terminated; 4 x len + 6 is enough).
 * Returns the length; when s does not fit, the output ends in "[...]".
 */
size_t	 log_escape(const char *s, size_t len, char *out, size_t cap);

#endif /* LOG_H */

/*
 * trace: one line per datagram for --trace, the same on both programs,
 * for a student to read: when (wall clock, ms), in or out, the peer (and
 * whose session it is), the size, what it is in words (its type, seq or
 * id, names; an ack says which seq or id it acks; a retransmission says
 * which send it is and how long after the first), then the datagram.
 *
 *   10:07:44.123 out 127.0.0.1:40000 (bob) 98 bytes: chat seq 4 from
 *       alice [resent: send 2, 250 ms after send 1]  {"type":"chat",...}
 *
 * (one line; wrapped here). Secrets never appear: a "password" value is
 * hidden, and the token, cookie and proof are cut to their first
 * TRACE_SECRET_KEEP characters, enough to tell sessions apart. A login's
 * padding is shown by its length. Control, bidi and invalid bytes are
 * escaped as \xNN (log_escape), so a hostile datagram cannot drive the
 * terminal or split the line.
 *
 * The filter picks lines by kind (a JSON type, "classroom" for the text
 * protocol, "bad" for neither, "resend" for any retransmission; a "-"
 * before a word leaves that kind out) and by name (a datagram whose
 * session, name, from or to is one of the names).
 *
 * Pure: no I/O, no clock, no allocation; the callers write the line.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* Characters of a token, cookie or proof that a trace shows. */
#define TRACE_SECRET_KEEP	6
/* Room for one line: a 1400-byte datagram fully escaped, and words. */
#define TRACE_LINE_MAX		8192
/* Names in one --trace-name. */
#define TRACE_NAMES_MAX		8

enum trace_dir {
	TRACE_IN,
	TRACE_OUT,
};

/* One datagram as the caller saw it. */
struct trace_dgram {
	uint64_t	 wall_ms;	/* when, ms since the Unix epoch */
	enum trace_dir	 dir;
	const char	*peer;		/* "127.0.0.1:5000" */
	const char	*who;		/* the name of the peer's session, or NULL */
	const char	*buf;
	size_t		 len;
	int		 send;		/* 2, 3, ... for a retransmission */
	uint64_t	 since_ms;	/* ms since its first send (send >= 2) */
};

struct trace_filter {
	uint32_t	 kinds;		/* bit per kind shown */
	int		 nnames;	/* 0: any name */
	char		 names[TRACE_NAMES_MAX][PROTO_NAME_MAX_BYTES + 1];
};

/* Every datagram, any name. */
void	 trace_filter_init(struct trace_filter *f);

/*
 * Kinds from a comma-separated list ("chat,ack", "-ping,-pong"). A list
 * of exclusions only starts from every kind. 0, or -1 with the reason
 * in err (an unknown word).
 */
int	 trace_filter_kinds(struct trace_filter *f, const char *list,
	    char *err, size_t errlen);

/* Names from a comma-separated list. 0, or -1 with the reason in err. */
int	 trace_filter_names(struct trace_filter *f, const char *list,
	    char *err, size_t errlen);

/* Whether d passes f. */
bool	 trace_match(const struct trace_filter *f, const struct trace_dgram *d);

/*
 * The line for d into out (cap bytes, TRACE_LINE_MAX is enough), with no
 * newline, NUL-terminated. Returns its length.
 */
size_t	 trace_format(const struct trace_dgram *d, char *out, size_t cap);

#endif /* TRACE_H */

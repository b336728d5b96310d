/*
 * trace: the --trace line of a datagram and its filter (trace.h).
 *
 * The datagram is read by a small JSON scanner, not by proto.c: a trace
 * must show every datagram, bad ones included, as it came, with only
 * the secrets cut. The scanner walks strings, numbers and brackets,
 * knows the key of each value, rewrites the values of the secret keys
 * and notes the fields the words are made of (type, seq, id, names; the
 * types and seqs inside a batch; an ack's upto and seqs). Anything it
 * cannot make sense of is copied as it is.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "classproto.h"
#include "log.h"
#include "trace.h"

#define TRACE_DEPTH	8	/* nesting the scanner follows */
#define TRACE_KEY_MAX	16	/* the keys it cares for are shorter */
#define TRACE_FIELD_MAX	(PROTO_NAME_MAX_BYTES + 1)
#define TRACE_REDACT_MAX (PROTO_MAX_DGRAM * 2 + 256)

/* The kinds a filter knows; a bit each, in this order. */
static const char *const trace_kinds[] = {
	"login", "cookie", "welcome", "error", "ack", "chat", "msg",
	"rename", "who", "users", "ping", "pong", "quit", "bye", "join",
	"leave", "announce", "topic", "batch", "discover", "here",
	"classroom", "bad", "resend",
};
#define TRACE_NKINDS	(sizeof(trace_kinds) / sizeof(trace_kinds[0]))
#define TRACE_KIND_RESEND	(TRACE_NKINDS - 1)
#define TRACE_KIND_BAD		(TRACE_NKINDS - 2)
#define TRACE_KIND_CLASS	(TRACE_NKINDS - 3)

/* What the scanner found at the top level of a JSON datagram. */
struct trace_fields {
	bool	 json;
	char	 type[TRACE_KEY_MAX];
	char	 seq[24], id[24], upto[24], code[32];
	char	 name[TRACE_FIELD_MAX], from[TRACE_FIELD_MAX];
	char	 to[TRACE_FIELD_MAX];
	char	 seqs[96];		/* an ack's seqs, "14 15" */
	char	 inner[160];		/* a batch's "chat seq 4, join seq 5" */
	int	 ninner;
};

struct trace_scan {
	struct trace_fields	*f;
	char			*out;	/* the datagram, secrets cut */
	size_t			 w, cap;
	int			 depth;
	bool			 obj[TRACE_DEPTH + 1];
	bool			 want_key[TRACE_DEPTH + 1];
	bool			 hide[TRACE_DEPTH + 1];
	char			 key[TRACE_DEPTH + 1][TRACE_KEY_MAX];
};

static int	 trace_kind_find(const char *, size_t);
static void	 trace_scan(struct trace_fields *, const char *, size_t,
		    char *, size_t, size_t *);
static size_t	 trace_string_end(const char *, size_t, size_t);
static size_t	 trace_scalar_end(const char *, size_t, size_t);
static void	 trace_put(struct trace_scan *, const char *, size_t);
static void	 trace_open(struct trace_scan *, char);
static void	 trace_value(struct trace_scan *, const char *, size_t, bool);
static void	 trace_note(struct trace_scan *, const char *, const char *,
		    size_t);
static void	 trace_copy(char *, size_t, const char *, size_t);
static void	 trace_words(const struct trace_dgram *,
		    const struct trace_fields *, char *, size_t);
static void	 trace_class_words(const struct trace_dgram *, char *, size_t);
static int	 trace_kind_of(const struct trace_dgram *,
		    const struct trace_fields *);
static bool	 trace_names_match(const struct trace_filter *,
		    const struct trace_dgram *, const struct trace_fields *);

void
trace_filter_init(struct trace_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->kinds = ~(uint32_t)0;
}

int
trace_filter_kinds(struct trace_filter *f, const char *list, char *err,
    size_t errlen)
{
	const char	*p, *end;
	size_t		 n;
	bool		 neg, any_pos = false;
	uint32_t	 add = 0, drop = 0;
	int		 k;

	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchrnul(p, ',');
		neg = *p == '-';
		n = (size_t)(end - p) - neg;
		if (n == 0)
			continue;
		if ((k = trace_kind_find(p + neg, n)) == -1) {
			snprintf(err, errlen, "unknown trace kind '%.*s' (one "
			    "of: a JSON type, classroom, bad, resend)",
			    (int)n, p + neg);
			return -1;
		}
		if (neg)
			drop |= (uint32_t)1 << k;
		else {
			add |= (uint32_t)1 << k;
			any_pos = true;
		}
	}
	f->kinds = (any_pos ? add : ~(uint32_t)0) & ~drop;
	return 0;
}

int
trace_filter_names(struct trace_filter *f, const char *list, char *err,
    size_t errlen)
{
	const char	*p, *end;
	size_t		 n;

	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchrnul(p, ',');
		if ((n = (size_t)(end - p)) == 0)
			continue;
		if (f->nnames == TRACE_NAMES_MAX || n > PROTO_NAME_MAX_BYTES) {
			snprintf(err, errlen, "at most %d names of at most %d "
			    "bytes to trace", TRACE_NAMES_MAX,
			    PROTO_NAME_MAX_BYTES);
			return -1;
		}
		memcpy(f->names[f->nnames], p, n);
		f->names[f->nnames++][n] = '\0';
	}
	return 0;
}

bool
trace_match(const struct trace_filter *f, const struct trace_dgram *d)
{
	struct trace_fields	 fl;
	char			 scratch[TRACE_REDACT_MAX];
	size_t			 n;
	int			 k;

	trace_scan(&fl, d->buf, d->len, scratch, sizeof(scratch), &n);
	k = trace_kind_of(d, &fl);
	if ((f->kinds & ((uint32_t)1 << k)) == 0 && !(d->send >= 2 &&
	    (f->kinds & ((uint32_t)1 << TRACE_KIND_RESEND)) != 0))
		return false;
	return trace_names_match(f, d, &fl);
}

size_t
trace_format(const struct trace_dgram *d, char *out, size_t cap)
{
	struct trace_fields	 fl;
	char			 body[TRACE_REDACT_MAX], words[512];
	char			 when[16], head[1024];
	struct tm		 tm;
	time_t			 t;
	size_t			 n, w;
	int			 h;

	if (cap == 0)
		return 0;
	trace_scan(&fl, d->buf, d->len, body, sizeof(body), &n);
	trace_words(d, &fl, words, sizeof(words));
	t = (time_t)(d->wall_ms / 1000);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "??:??:??");
	h = snprintf(head, sizeof(head), "%s.%03u %s %s%s%s%s %zu bytes: %s",
	    when, (unsigned)(d->wall_ms % 1000),
	    d->dir == TRACE_IN ? "in " : "out", d->peer != NULL ? d->peer :
	    "?", d->who != NULL ? " (" : "", d->who != NULL ? d->who : "",
	    d->who != NULL ? ")" : "", d->len, words);
	if (h < 0)
		h = 0;
	if (d->send >= 2 && (size_t)h < sizeof(head))
		h += snprintf(head + h, sizeof(head) - (size_t)h,
		    " [resent: send %d, %llu ms after send 1]", d->send,
		    (unsigned long long)d->since_ms);
	if ((size_t)h >= sizeof(head))
		h = (int)sizeof(head) - 1;
	head[h++] = ' ';
	head[h++] = ' ';
	w = log_escape(head, (size_t)h, out, cap / 4);
	w += log_escape(body, n, out + w, cap - w);
	return w;
}

static int
trace_kind_find(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < TRACE_NKINDS; i++) {
		if (strlen(trace_kinds[i]) == n &&
		    memcmp(trace_kinds[i], s, n) == 0)
			return (int)i;
	}
	return -1;
}

static int
trace_kind_of(const struct trace_dgram *d, const struct trace_fields *fl)
{
	int	 k;

	if (fl->json && (k = trace_kind_find(fl->type,
	    strlen(fl->type))) != -1 && k < (int)TRACE_KIND_CLASS)
		return k;
	if (!fl->json && (d->dir == TRACE_OUT ||
	    classproto_is_request(d->buf, d->len)))
		return TRACE_KIND_CLASS;
	return TRACE_KIND_BAD;
}

static bool
trace_names_match(const struct trace_filter *f, const struct trace_dgram *d,
    const struct trace_fields *fl)
{
	struct classproto_req	 r;
	char			 cname[TRACE_FIELD_MAX] = "";
	int			 i;

	if (f->nnames == 0)
		return true;
	if (!fl->json && classproto_is_request(d->buf, d->len)) {
		classproto_parse_request(d->buf, d->len, &r);
		trace_copy(cname, sizeof(cname), r.name, r.name_len);
	}
	for (i = 0; i < f->nnames; i++) {
		if ((d->who != NULL && strcmp(d->who, f->names[i]) == 0) ||
		    strcmp(fl->name, f->names[i]) == 0 ||
		    strcmp(fl->from, f->names[i]) == 0 ||
		    strcmp(fl->to, f->names[i]) == 0 ||
		    strcmp(cname, f->names[i]) == 0)
			return true;
	}
	return false;
}

/* s (n bytes) into dst as a string, cut to fit. */
static void
trace_copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* What the datagram is, in words. */
static void
trace_words(const struct trace_dgram *d, const struct trace_fields *fl,
    char *out, size_t cap)
{
	size_t	 w;

	if (!fl->json) {
		trace_class_words(d, out, cap);
		return;
	}
	if (strcmp(fl->type, "ack") == 0 && fl->id[0] != '\0')
		w = (size_t)snprintf(out, cap, "ack of id %s", fl->id);
	else if (strcmp(fl->type, "ack") == 0 && fl->upto[0] != '\0')
		w = (size_t)snprintf(out, cap, "ack of every seq up to %s%s%s",
		    fl->upto, fl->seqs[0] != '\0' ? " and of seq " : "",
		    fl->seqs);
	else if (strcmp(fl->type, "ack") == 0)
		w = (size_t)snprintf(out, cap, "ack of seq %s", fl->seq);
	else if (strcmp(fl->type, "batch") == 0)
		w = (size_t)snprintf(out, cap, "batch of %d: %s", fl->ninner,
		    fl->inner);
	else
		w = (size_t)snprintf(out, cap, "%s%s%s%s%s%s%s%s%s%s%s%s%s",
		    fl->type[0] != '\0' ? fl->type : "JSON without a type",
		    fl->seq[0] != '\0' ? " seq " : "", fl->seq,
		    fl->id[0] != '\0' ? " id " : "", fl->id,
		    fl->code[0] != '\0' ? " " : "", fl->code,
		    fl->from[0] != '\0' ? " from " : "", fl->from,
		    fl->to[0] != '\0' ? " to " : "", fl->to,
		    fl->name[0] != '\0' ? " " : "", fl->name);
	if (w >= cap)
		out[cap - 1] = '\0';
}

/* A classroom request by its command and name, a line from the server. */
static void
trace_class_words(const struct trace_dgram *d, char *out, size_t cap)
{
	static const char *const cmds[] = { "login", "chat", "quit" };
	struct classproto_req	 r;
	char			 name[TRACE_FIELD_MAX];

	if (!classproto_is_request(d->buf, d->len)) {
		snprintf(out, cap, d->dir == TRACE_OUT ? "classroom line" :
		    "neither JSON nor classroom");
		return;
	}
	classproto_parse_request(d->buf, d->len, &r);
	trace_copy(name, sizeof(name), r.name, r.name_len);
	snprintf(out, cap, "classroom %c (%s) %s", d->buf[0],
	    cmds[r.cmd], name);
}

/*
 * Scans buf into *fl and writes it with the secrets cut into out (cap
 * bytes; *outlen its length). A datagram not starting with '{' is
 * copied as it is.
 */
static void
trace_scan(struct trace_fields *fl, const char *buf, size_t len, char *out,
    size_t cap, size_t *outlen)
{
	struct trace_scan	 sc;
	size_t			 i, j;

	memset(fl, 0, sizeof(*fl));
	memset(&sc, 0, sizeof(sc));
	sc.f = fl;
	sc.out = out;
	sc.cap = cap;
	fl->json = len > 0 && buf[0] == '{';
	for (i = 0; i < len; i = j) {
		j = i + 1;
		if (!fl->json) {
			j = len;
			trace_put(&sc, buf, len);
		} else if (buf[i] == '"') {
			j = trace_string_end(buf, len, i);
			trace_value(&sc, buf + i, j - i, true);
		} else if (buf[i] == '{' || buf[i] == '[')
			trace_open(&sc, buf[i]);
		else if (buf[i] == '}' || buf[i] == ']') {
			if (sc.depth > 0)
				sc.depth--;
			trace_put(&sc, buf + i, 1);
		} else if (buf[i] == ',') {
			sc.want_key[sc.depth] = sc.obj[sc.depth];
			trace_put(&sc, buf + i, 1);
		} else if (strchr(" \t\r\n:", buf[i]) != NULL)
			trace_put(&sc, buf + i, 1);
		else {
			if ((j = trace_scalar_end(buf, len, i)) == i)
				j = i + 1;
			trace_value(&sc, buf + i, j - i, false);
		}
	}
	if (sc.w >= cap)
		sc.w = cap - 1;
	out[sc.w] = '\0';
	*outlen = sc.w;
}

/* The index after the string that starts at i (its closing quote). */
static size_t
trace_string_end(const char *buf, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (buf[i] == '\\')
			i++;
		else if (buf[i] == '"')
			return i + 1;
	}
	return len;
}

static size_t
trace_scalar_end(const char *buf, size_t len, size_t i)
{
	while (i < len && strchr(",}] \t\r\n\"{[:", buf[i]) == NULL)
		i++;
	return i;
}

static void
trace_put(struct trace_scan *sc, const char *s, size_t n)
{
	if (sc->w + n >= sc->cap)
		n = sc->w + 1 < sc->cap ? sc->cap - sc->w - 1 : 0;
	memcpy(sc->out + sc->w, s, n);
	sc->w += n;
}

/* A '{' or '[': its values inherit a password's hiding. */
static void
trace_open(struct trace_scan *sc, char c)
{
	int	 d = sc->depth;

	trace_put(sc, &c, 1);
	if (d == TRACE_DEPTH)
		return;
	sc->depth = d + 1;
	sc->obj[d + 1] = c == '{';
	sc->want_key[d + 1] = c == '{';
	sc->hide[d + 1] = sc->hide[d] || (sc->obj[d] &&
	    strcmp(sc->key[d], "password") == 0);
	/* An array's values are its field's. */
	if (c == '{')
		sc->key[d + 1][0] = '\0';
	else
		memcpy(sc->key[d + 1], sc->key[d], TRACE_KEY_MAX);
}

/*
 * A string (with its quotes) or a bare scalar: a key, or the value of
 * the current key, written as it is or cut.
 */
static void
trace_value(struct trace_scan *sc, const char *s, size_t n, bool str)
{
	const char	*key = sc->key[sc->depth];
	const char	*dot;
	char		 cut[96];
	size_t		 in, keep;

	if (str && sc->want_key[sc->depth]) {
		in = n >= 2 ? n - 2 : 0;
		trace_copy(sc->key[sc->depth], TRACE_KEY_MAX, s + 1, in);
		sc->want_key[sc->depth] = false;
		trace_put(sc, s, n);
		return;
	}
	in = str && n >= 2 ? n - 2 : n;
	if (sc->hide[sc->depth] || strcmp(key, "password") == 0) {
		trace_put(sc, "\"(hidden)\"", 10);
		return;
	}
	trace_note(sc, key, str ? s + 1 : s, in);
	if (str && (strcmp(key, "token") == 0 || strcmp(key, "cookie") == 0 ||
	    strcmp(key, "proof") == 0) && in > TRACE_SECRET_KEEP) {
		/* A cookie's window before its '.' tells nobody apart. */
		keep = (dot = memrchr(s + 1, '.', in)) != NULL ?
		    (size_t)(dot - s) : 0;
		keep = keep < 24 && keep + TRACE_SECRET_KEEP < in ?
		    keep + TRACE_SECRET_KEEP : TRACE_SECRET_KEEP;
		snprintf(cut, sizeof(cut), "\"%.*s…\"", (int)keep, s + 1);
		trace_put(sc, cut, strlen(cut));
	} else if (str && strcmp(key, "pad") == 0 && sc->depth == 1) {
		snprintf(cut, sizeof(cut), "\"(%zu bytes of padding)\"", in);
		trace_put(sc, cut, strlen(cut));
	} else
		trace_put(sc, s, n);
}

/* Notes a value the words are made of. */
static void
trace_note(struct trace_scan *sc, const char *key, const char *s, size_t n)
{
	struct trace_fields	*fl = sc->f;
	size_t			 w;
	char			*dst = NULL;
	size_t			 cap = 0;

	if (sc->depth == 1) {
		if (strcmp(key, "type") == 0)
			dst = fl->type, cap = sizeof(fl->type);
		else if (strcmp(key, "seq") == 0)
			dst = fl->seq, cap = sizeof(fl->seq);
		else if (strcmp(key, "id") == 0)
			dst = fl->id, cap = sizeof(fl->id);
		else if (strcmp(key, "upto") == 0)
			dst = fl->upto, cap = sizeof(fl->upto);
		else if (strcmp(key, "code") == 0)
			dst = fl->code, cap = sizeof(fl->code);
		else if (strcmp(key, "name") == 0)
			dst = fl->name, cap = sizeof(fl->name);
		else if (strcmp(key, "from") == 0)
			dst = fl->from, cap = sizeof(fl->from);
		else if (strcmp(key, "to") == 0)
			dst = fl->to, cap = sizeof(fl->to);
		if (dst != NULL)
			trace_copy(dst, cap, s, n);
		return;
	}
	w = strlen(fl->seqs);
	if (sc->depth == 2 && strcmp(key, "seqs") == 0)
		snprintf(fl->seqs + w, sizeof(fl->seqs) - w, "%s%.*s",
		    w > 0 ? " " : "", (int)n, s);
	w = strlen(fl->inner);
	if (sc->depth == 3 && strcmp(key, "type") == 0)
		snprintf(fl->inner + w, sizeof(fl->inner) - w, "%s%.*s",
		    fl->ninner++ > 0 ? ", " : "", (int)n, s);
	else if (sc->depth == 3 && strcmp(key, "seq") == 0)
		snprintf(fl->inner + w, sizeof(fl->inner) - w, " seq %.*s",
		    (int)n, s);
}

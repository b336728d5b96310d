/*
 * server_mod: moderation (server_int.h): mutes, bans, slow mode and
 * reserved names, the operator's commands that set them, and the checks
 * the request and login paths make, each one call:
 *
 *   server_muted      in server_req.c: a muted session's chat or msg
 *                     is answered error "muted" (server_muted_error),
 *                     which uses up its id
 *   server_slow_ok    in server_req.c: a chat too soon in slow mode gets
 *                     "slow_down", which does not (the client sends it
 *                     again later)
 *   server_admit      in server_login.c: a banned name or address gets
 *                     error "banned", a reserved name "name_taken"
 *   server_reserved   which names nobody may take (the table below),
 *                     for server_admit, server_kept_out, a rename
 *                     (server_req.c: "name_taken") and /rename
 *   server_refused    every refused login: the error and a log line
 *                     with the address
 *   server_kept_out,  in server_class.c: the same checks for a
 *   server_muted      classroom student, whose refusals are its own
 *                     words (a muted student's chat is dropped)
 *
 * A mute is kept by name, so a muted student who logs in again or
 * renames is still muted (a rename carries it: server_renamed). A ban
 * is by name or by address (a host, any port): /ban NAME keeps the name
 * out, /ban @ADDRESS the machine whatever name it picks. Both may last
 * MINUTES or until the server stops; an expired entry is free again.
 * Times are on the monotonic clock.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classproto.h"
#include "clock.h"
#include "cmd.h"
#include "console.h"
#include "log.h"
#include "name.h"
#include "net.h"
#include "proto.h"
#include "server_int.h"
#include "session.h"

#define SERVER_MINUTES_MAX	(60 * 24 * 365)
#define SERVER_SLOW_MAX		3600

/*
 * The names nobody may take, the one place that says so. Besides those
 * of --reserve (kept for someone: the teacher's, say), the operator's
 * own: "operator", whom the console's /msg comes from, and the two a
 * classroom client reads as the operator (its announcements and
 * messages). With --classroom a name that only looks like one of those
 * two (the same confusable skeleton) is the operator's too: a student's
 * screen could not tell them apart.
 */
static const struct {
	const char	*name;
	bool		 lookalike;	/* with --classroom, look-alikes too */
} server_operator_names[] = {
	{ SERVER_OPERATOR,	false },
	{ CLASSPROTO_ADMIN,	true },
	{ CLASSPROTO_ADMIN_MSG,	true },
};

static bool	 server_banned(struct server *, const struct net_addr *,
		    const char *);
static struct server_mod *server_ban_of(struct server *,
		    const struct net_addr *, const char *);
static struct server_mod *server_mod_find(struct server *, bool,
		    const char *);
static struct server_mod *server_mod_add(struct server *, bool,
		    const char *, bool, int);
static bool	 server_mod_live(const struct server *,
		    const struct server_mod *);
static int	 server_minutes(const struct cmd_args *, int,
		    struct cmd_out *);
static void	 server_mod_left(const struct server *,
		    const struct server_mod *, char *, size_t);
static int	 server_host(const char *, char *, size_t);
static const char *server_reserved_why(enum server_reserve);

/* ---- the checks ---- */

bool
server_muted(struct server *srv, const struct session *s)
{
	return server_mod_find(srv, false, s->name) != NULL;
}

void
server_muted_error(struct server *srv, struct session *s, uint64_t id)
{
	struct server_mod	*mu;
	char			 text[160], left[48];

	left[0] = '\0';
	if ((mu = server_mod_find(srv, false, s->name)) != NULL)
		server_mod_left(srv, mu, left, sizeof(left));
	snprintf(text, sizeof(text), "you are muted by the operator%s", left);
	server_error(srv, &s->addr, PROTO_CODE_MUTED, text, true, id, false);
}

bool
server_slow_ok(struct server *srv, struct session *s,
    const struct proto_msg *m)
{
	char		 text[160];
	uint64_t	 wait;

	if (m->type != PROTO_CHAT || srv->slow_ms == 0 || s->last_chat == 0 ||
	    srv->now - s->last_chat >= srv->slow_ms)
		return true;
	wait = (srv->slow_ms - (srv->now - s->last_chat) + 999) / 1000;
	snprintf(text, sizeof(text), "slow mode: one message every %llu s "
	    "(wait %llu s)", (unsigned long long)(srv->slow_ms / 1000),
	    (unsigned long long)wait);
	server_error(srv, &s->addr, PROTO_CODE_SLOW_DOWN, text, true, m->id,
	    false);
	return false;
}

bool
server_admit(struct server *srv, const struct net_addr *from,
    const char *name)
{
	const char	*why;

	if ((why = server_reserved_why(server_reserved(srv, name))) != NULL) {
		server_refused(srv, from, name, PROTO_CODE_NAME_TAKEN, why);
		return false;
	}
	return !server_banned(srv, from, name);
}

const char *
server_kept_out(struct server *srv, const struct net_addr *from,
    const char *name)
{
	const char	*why;

	if ((why = server_reserved_why(server_reserved(srv, name))) != NULL)
		return why;
	if (server_ban_of(srv, from, name) != NULL)
		return "the name or the address is banned";
	return NULL;
}

/* The ban in force on name or on from's host, or NULL. */
static struct server_mod *
server_ban_of(struct server *srv, const struct net_addr *from,
    const char *name)
{
	struct server_mod	*b;
	char			 host[NET_ADDRSTRLEN];

	net_format_host(from, host, sizeof(host));
	if ((b = server_mod_find(srv, true, name)) == NULL)
		b = server_mod_find(srv, true, host);
	return b;
}

/* Whether a login of name from is banned; if so, answers banned. */
static bool
server_banned(struct server *srv, const struct net_addr *from,
    const char *name)
{
	struct server_mod	*b;
	char			 text[128], left[48];

	if ((b = server_ban_of(srv, from, name)) == NULL)
		return false;
	server_mod_left(srv, b, left, sizeof(left));
	snprintf(text, sizeof(text), "you are banned from this room%s", left);
	server_refused(srv, from, name, PROTO_CODE_BANNED, text);
	return true;
}

enum server_reserve
server_reserved(const struct server *srv, const char *name)
{
	char	 skel[NAME_SKELETON_MAX], want[NAME_SKELETON_MAX];
	size_t	 i;
	bool	 like;

	like = srv->opt->classroom && name_skeleton(&srv->sessions.names,
	    name, skel, sizeof(skel)) != -1;
	for (i = 0; i < sizeof(server_operator_names) /
	    sizeof(server_operator_names[0]); i++) {
		if (strcmp(name, server_operator_names[i].name) == 0)
			return SERVER_RESERVED_OP;
		if (like && server_operator_names[i].lookalike &&
		    name_skeleton(&srv->sessions.names,
		    server_operator_names[i].name, want, sizeof(want)) != -1 &&
		    strcmp(skel, want) == 0)
			return SERVER_RESERVED_OP;
	}
	for (i = 0; i < srv->opt->nreserved; i++) {
		if (strcmp(name, srv->opt->reserved[i]) == 0)
			return SERVER_RESERVED;
	}
	return SERVER_FREE;
}

/* The words of a refusal for server_reserved's verdict r, NULL if free. */
static const char *
server_reserved_why(enum server_reserve r)
{
	switch (r) {
	case SERVER_RESERVED_OP:
		return "that name is reserved for the operator";
	case SERVER_RESERVED:
		return "that name is reserved";
	default:
		return NULL;
	}
}

void
server_refused(struct server *srv, const struct net_addr *from,
    const char *name, const char *code, const char *text)
{
	char	 peer[NET_ADDRSTRLEN], safe[CONSOLE_SHOWN_MAX], why[32];
	size_t	 i;

	net_format(from, peer, sizeof(peer));
	console_show_name(name, safe, sizeof(safe));
	/* The code in words: "bad password", "name taken", "banned". */
	for (i = 0; code[i] != '\0' && i < sizeof(why) - 1; i++)
		why[i] = code[i] == '_' ? ' ' : code[i];
	why[i] = '\0';
	log_info("refused login of %s from %s: %s", safe, peer, why);
	server_error(srv, from, code, text, false, 0, true);
}

void
server_renamed(struct server *srv, const char *from, const char *to)
{
	struct server_mod	*mu;

	if ((mu = server_mod_find(srv, false, from)) != NULL)
		snprintf(mu->key, sizeof(mu->key), "%s", to);
}

/* ---- the table ---- */

static bool
server_mod_live(const struct server *srv, const struct server_mod *m)
{
	return m->used && m->until > srv->now;
}

/* The live mute (ban false) or ban of key (a name or a host), or NULL. */
static struct server_mod *
server_mod_find(struct server *srv, bool ban, const char *key)
{
	size_t	 i;

	for (i = 0; i < SERVER_MODS; i++) {
		if (server_mod_live(srv, &srv->mods[i]) &&
		    srv->mods[i].ban == ban &&
		    strcmp(srv->mods[i].key, key) == 0)
			return &srv->mods[i];
	}
	return NULL;
}

/* Sets (or renews) a mute or ban of key for minutes (0: for good). */
static struct server_mod *
server_mod_add(struct server *srv, bool ban, const char *key, bool addr,
    int minutes)
{
	struct server_mod	*m;
	size_t			 i;

	if ((m = server_mod_find(srv, ban, key)) == NULL) {
		for (i = 0; i < SERVER_MODS; i++) {
			if (!server_mod_live(srv, &srv->mods[i])) {
				m = &srv->mods[i];
				break;
			}
		}
	}
	if (m == NULL)
		return NULL;
	m->used = true;
	m->ban = ban;
	m->addr = addr;
	snprintf(m->key, sizeof(m->key), "%s", key);
	m->until = minutes == 0 ? UINT64_MAX :
	    srv->now + (uint64_t)minutes * 60000;
	return m;
}

/* " (for 5 more minutes)" or "" for good. */
static void
server_mod_left(const struct server *srv, const struct server_mod *m,
    char *buf, size_t cap)
{
	uint64_t	 min;

	if (m->until == UINT64_MAX) {
		buf[0] = '\0';
		return;
	}
	min = (m->until - srv->now + 59999) / 60000;
	snprintf(buf, cap, " (for %llu more minute%s)",
	    (unsigned long long)min, min == 1 ? "" : "s");
}

/* Word i as MINUTES (absent: 0, for good), or -1 with the usage. */
static int
server_minutes(const struct cmd_args *a, int i, struct cmd_out *out)
{
	char	*end;
	long	 v;

	if (a->nwords <= i)
		return 0;
	v = strtol(a->word[i], &end, 10);
	if (a->word[i][0] < '0' || a->word[i][0] > '9' || *end != '\0' ||
	    v < 1 || v > SERVER_MINUTES_MAX) {
		cmd_printf(out, "bad MINUTES '%.20s': want 1 to %d; usage: %s",
		    a->word[i], SERVER_MINUTES_MAX, a->entry->usage);
		return -1;
	}
	return (int)v;
}

/*
 * "@ADDRESS" (an IP, with or without the port /who shows) as the host
 * text net_format_host writes, so it compares with a session's. No name
 * lookup: the server must not wait on DNS.
 */
static int
server_host(const char *typed, char *host, size_t cap)
{
	char			 buf[NET_ADDRSTRLEN + 8], *p;
	struct net_addr		 a;
	struct sockaddr_in	*v4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6	*v6 = (struct sockaddr_in6 *)&a.ss;

	snprintf(buf, sizeof(buf), "%s", typed + 1);
	if (buf[0] == '[' && (p = strchr(buf, ']')) != NULL) {
		*p = '\0';
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
	} else if ((p = strchr(buf, ':')) != NULL && strchr(p + 1, ':') == NULL)
		*p = '\0';	/* IPv4:port */
	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		a.len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		a.len = sizeof(*v6);
	} else
		return -1;
	net_format_host(&a, host, cap);
	return 0;
}

/* ---- the commands ---- */

int
server_cmd_mute(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct session	*s;
	char		 shown[CONSOLE_SHOWN_MAX], left[48];
	int		 minutes;

	if ((minutes = server_minutes(a, 1, out)) == -1)
		return -1;
	if ((s = server_target(srv, a->word[0], a->word_ok[0], out)) == NULL)
		return -1;
	console_show_name(s->name, shown, sizeof(shown));
	if (server_mod_add(srv, false, s->name, false, minutes) == NULL) {
		cmd_printf(out, "too many mutes and bans: /unban or /unmute "
		    "some first");
		return -1;
	}
	server_mod_left(srv, server_mod_find(srv, false, s->name), left,
	    sizeof(left));
	log_info("mute %s%s", shown, left);
	cmd_printf(out, "%s is muted%s\n", shown, left);
	return 0;
}

int
server_cmd_unmute(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct server_mod	*mu;
	struct session		*s;
	char			 shown[CONSOLE_SHOWN_MAX];
	const char		*name = a->word[0];

	if ((s = server_target(srv, a->word[0], a->word_ok[0], NULL)) != NULL)
		name = s->name;
	console_show_name(name, shown, sizeof(shown));
	if ((mu = server_mod_find(srv, false, name)) == NULL) {
		cmd_printf(out, "%s is not muted (/bans lists the mutes)",
		    shown);
		return -1;
	}
	mu->used = false;
	log_info("unmute %s", shown);
	cmd_printf(out, "%s may speak again\n", shown);
	return 0;
}

int
server_cmd_ban(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct session	*s, *next;
	char		 key[NET_ADDRSTRLEN], shown[CONSOLE_SHOWN_MAX];
	char		 host[NET_ADDRSTRLEN], left[48];
	bool		 addr = a->word[0][0] == '@';
	int		 minutes;

	if ((minutes = server_minutes(a, 1, out)) == -1)
		return -1;
	if (addr && server_host(a->word[0], key, sizeof(key)) == -1) {
		cmd_printf(out, "bad address '%.60s': an IP address as /who "
		    "shows it, e.g. @192.168.1.23", a->word[0] + 1);
		return -1;
	}
	if (!addr && (s = server_target(srv, a->word[0], a->word_ok[0],
	    NULL)) != NULL)
		snprintf(key, sizeof(key), "%s", s->name);
	else if (!addr && (!a->word_ok[0] || proto_check_name(a->word[0]))) {
		cmd_printf(out, "'%.60s' cannot be a name: usage: %s",
		    a->word[0], a->entry->usage);
		return -1;
	} else if (!addr)
		memcpy(key, a->word[0], strlen(a->word[0]) + 1);
	if (server_mod_add(srv, true, key, addr, minutes) == NULL) {
		cmd_printf(out, "too many mutes and bans: /unban or /unmute "
		    "some first");
		return -1;
	}
	console_show_name(key, shown, sizeof(shown));
	server_mod_left(srv, server_mod_find(srv, true, key), left,
	    sizeof(left));
	log_info("ban %s%s%s", addr ? "@" : "", shown, left);
	cmd_printf(out, "%s%s is banned%s\n", addr ? "@" : "", shown, left);
	for (s = srv->sessions.head; s != NULL; s = next) {
		next = s->next;
		net_format_host(&s->addr, host, sizeof(host));
		if (s->dead || s->kicked || strcmp(addr ? host : s->name, key))
			continue;
		server_kick_session(srv, s, "banned", out);
	}
	return 0;
}

int
server_cmd_unban(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	struct server_mod	*b;
	char			 key[NET_ADDRSTRLEN], shown[CONSOLE_SHOWN_MAX];
	bool			 addr = a->word[0][0] == '@';

	if (addr && server_host(a->word[0], key, sizeof(key)) == -1)
		snprintf(key, sizeof(key), "%s", a->word[0] + 1);
	else if (!addr)
		snprintf(key, sizeof(key), "%.*s", (int)sizeof(key) - 1,
		    a->word[0]);
	console_show_name(key, shown, sizeof(shown));
	if ((b = server_mod_find(srv, true, key)) == NULL) {
		cmd_printf(out, "%s%s is not banned (/bans lists the bans)",
		    addr ? "@" : "", shown);
		return -1;
	}
	b->used = false;
	log_info("unban %s%s", addr ? "@" : "", shown);
	cmd_printf(out, "%s%s may log in again\n", addr ? "@" : "", shown);
	return 0;
}

int
server_cmd_bans(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	const struct server_mod	*m;
	char			 shown[CONSOLE_SHOWN_MAX], left[48];
	size_t			 i, n = 0;

	(void)a;
	for (i = 0; i < SERVER_MODS; i++) {
		m = &srv->mods[i];
		if (!server_mod_live(srv, m))
			continue;
		console_show_name(m->key, shown, sizeof(shown));
		server_mod_left(srv, m, left, sizeof(left));
		cmd_printf(out, "%s %s%s%s\n", m->ban ? "ban " : "mute",
		    m->addr ? "@" : "", shown, left[0] != '\0' ? left :
		    " (until the server stops)");
		n++;
	}
	if (n == 0)
		cmd_printf(out, "no bans or mutes\n");
	if (srv->slow_ms != 0)
		cmd_printf(out, "slow mode: one chat every %llu s\n",
		    (unsigned long long)(srv->slow_ms / 1000));
	return 0;
}

int
server_cmd_slow(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	char	*end;
	long	 v;

	v = strtol(a->word[0], &end, 10);
	if (a->word[0][0] < '0' || a->word[0][0] > '9' || *end != '\0' ||
	    v < 0 || v > SERVER_SLOW_MAX) {
		cmd_printf(out, "bad SECONDS '%.20s': want 0 (off) to %d",
		    a->word[0], SERVER_SLOW_MAX);
		return -1;
	}
	srv->slow_ms = (uint64_t)v * 1000;
	if (v == 0) {
		log_info("slow mode off");
		cmd_printf(out, "slow mode is off\n");
	} else {
		log_info("slow mode: %ld s", v);
		cmd_printf(out, "slow mode: at most one chat per student every "
		    "%ld s\n", v);
	}
	return 0;
}

void
server_mod_note(struct server *srv, const struct session *s, char *buf,
    size_t cap)
{
	struct server_mod	*mu;
	char			 left[24];

	buf[0] = '\0';
	if ((mu = server_mod_find(srv, false, s->name)) == NULL)
		return;
	if (mu->until == UINT64_MAX)
		snprintf(buf, cap, "muted");
	else {
		console_duration((mu->until - srv->now + 999) / 1000, left,
		    sizeof(left));
		snprintf(buf, cap, "muted %s", left);
	}
}

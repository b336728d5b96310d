/*
 * announce: the operator's lines in (announce.h). What a line means is
 * cmd.c's business; this file only frames lines and serves the control
 * socket.
 *
 * The control socket is SOCK_SEQPACKET: one message is one console line
 * (and one answer), and the kernel keeps its boundary, so a connection
 * needs no buffer of its own. By default it is a file in a directory
 * only the server's user can write (announce_control_dir): Linux's
 * abstract namespace, used before, has no permissions, and another
 * local user could take the name before the server started, leaving
 * the operator without --announce. A socket left by a killed server is
 * replaced (nobody answers on it). Both ends still check the other with
 * SO_PEERCRED: the server lets in only its own user, and the caller
 * talks only to a server of its own user (an explicit --control @name
 * could have been taken). A socket file is made mode 0600.
 *
 * Started as root, the server becomes nobody (or --user) once the socket
 * is bound, and nobody may not write root's 0700 directory, so it could
 * not remove the socket at exit. Neither a directory fd (unlinkat checks
 * the directory's permissions all the same) nor a directory nobody may
 * write (any other process of nobody's could then take the name) helps:
 * a child forked before the drop stays root, holds the directory open,
 * waits for the end of a pipe the server holds, and removes the socket
 * if it is still the one the server made (announce_control_remover).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "announce.h"
#include "clock.h"

#define ANNOUNCE_TIMEOUT_S	5

static void	 announce_line(const char *, size_t, announce_cb, void *);
static socklen_t announce_sockaddr(const char *, struct sockaddr_un *,
		    char *, size_t);
static int	 announce_bind(int, const struct sockaddr_un *, socklen_t);
static bool	 announce_alive(const struct sockaddr_un *, socklen_t);
static bool	 announce_is_socket(const char *);
static bool	 announce_dir_ok(const char *, char *, size_t);
static bool	 announce_same_user(int);
static void	 announce_accept(struct announce_control *);
static void	 announce_serve(struct announce_control *, int, announce_cb,
		    void *);
static void	 announce_drop(struct announce_control *, int);
static void	 announce_remover_run(int, int, const char *,
		    const struct stat *) __attribute__((noreturn));

void
announce_init(struct announce *a)
{
	a->len = 0;
	a->skipping = false;
}

/* One line to the callback; what it answers matters only remotely. */
static void
announce_line(const char *line, size_t len, announce_cb cb, void *arg)
{
	char	 reply[ANNOUNCE_REPLY_MAX];

	reply[0] = '\0';
	cb(arg, line, len, false, reply, sizeof(reply));
}

int
announce_read(struct announce *a, int fd, announce_cb cb, void *arg)
{
	ssize_t	 n;
	char	*nl;
	size_t	 used;

	n = read(fd, a->buf + a->len, sizeof(a->buf) - a->len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		if (a->len > 0 && !a->skipping)
			announce_line(a->buf, a->len, cb, arg);
		a->len = 0;
		return -1;
	}
	a->len += n;
	while ((nl = memchr(a->buf, '\n', a->len)) != NULL) {
		used = nl - a->buf;
		if (!a->skipping)
			announce_line(a->buf, used, cb, arg);
		a->skipping = false;
		memmove(a->buf, nl + 1, a->len - used - 1);
		a->len -= used + 1;
	}
	if (a->len == sizeof(a->buf)) {
		/* Overlong: announce its head, skip the rest up to the newline. */
		if (!a->skipping)
			announce_line(a->buf, a->len, cb, arg);
		a->skipping = true;
		a->len = 0;
	}
	return 0;
}

/* ---- the control socket ---- */

/*
 * Whether dir is a directory (not a link) of this user that nobody else
 * may write; if not, err says what is wrong and what to do.
 */
static bool
announce_dir_ok(const char *dir, char *err, size_t errlen)
{
	struct stat	 st;

	if (lstat(dir, &st) == -1) {
		snprintf(err, errlen, "cannot use %s: %s", dir,
		    strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory (a link or a file "
		    "is there): remove it, or give --control a path in a "
		    "directory of yours", dir);
		return false;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s belongs to user %u with mode %03o, so "
		    "another user could take the control socket: remove it "
		    "(as root: rm -r %s) and start the server again, or give "
		    "--control a path in a directory of yours", dir,
		    (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777), dir);
		return false;
	}
	return true;
}

int
announce_control_dir(bool create, char *buf, size_t len, char *err,
    size_t errlen)
{
	const char	*xdg, *tmp;
	char		 why[512];

	xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg != NULL && xdg[0] == '/' && announce_dir_ok(xdg, why,
	    sizeof(why))) {
		snprintf(buf, len, "%s", xdg);
		return 0;
	}
	snprintf(buf, len, "/run/user/%u", (unsigned)geteuid());
	if (announce_dir_ok(buf, why, sizeof(why)))
		return 0;
	tmp = getenv("TMPDIR");
	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if (snprintf(buf, len, "%s/chat_server-%u", tmp,
	    (unsigned)geteuid()) >= (int)len) {
		snprintf(err, errlen, "TMPDIR is too long for a control socket "
		    "path: give --control a shorter path");
		return -1;
	}
	if (create && mkdir(buf, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "cannot make %s: %s (give --control a "
		    "path in a directory of yours)", buf, strerror(errno));
		return -1;
	}
	if (!announce_dir_ok(buf, err, errlen))
		return -1;
	return 0;
}

int
announce_control_path(int port, bool create, char *buf, size_t len,
    char *err, size_t errlen)
{
	char	 dir[108];

	if (announce_control_dir(create, dir, sizeof(dir), err, errlen) == -1)
		return -1;
	if (snprintf(buf, len, "%s/chat_server-%d.sock", dir, port) >=
	    (int)len) {
		snprintf(err, errlen, "%s is too long a directory for a control "
		    "socket: give --control a shorter path", dir);
		return -1;
	}
	return 0;
}

int
announce_control_find(int port, bool given, char *buf, size_t len,
    char *err, size_t errlen)
{
	char		 dir[108], found[108], ports[128];
	struct dirent	*d;
	DIR		*dp;
	size_t		 n = 0, plen = 0;
	int		 p;

	if (announce_control_path(port, false, buf, len, err, errlen) == -1)
		return -1;
	if (given || announce_is_socket(buf))
		return 0;
	/* No server on the default port: the only one of this user's. */
	if (announce_control_dir(false, dir, sizeof(dir), err, errlen) == -1 ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (sscanf(d->d_name, "chat_server-%d.sock", &p) != 1 ||
		    snprintf(found, sizeof(found), "%s/%s", dir, d->d_name) >=
		    (int)sizeof(found) || !announce_is_socket(found))
			continue;
		if (n++ == 0)
			snprintf(buf, len, "%s", found);
		if (plen < sizeof(ports))
			plen += (size_t)snprintf(ports + plen,
			    sizeof(ports) - plen, "%s%d", n > 1 ? ", " : "", p);
	}
	closedir(dp);
	if (n > 1) {
		snprintf(err, errlen, "servers run on ports %s: say which with "
		    "-p PORT", ports);
		return -1;
	}
	return 0;
}

/*
 * The address of path, "@name" meaning the abstract name. Returns its
 * length, or 0 with err filled.
 */
static socklen_t
announce_sockaddr(const char *path, struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	size_t	 len;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	len = strlen(path);
	if (len == 0 || len >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "bad control socket path '%s'", path);
		return 0;
	}
	memcpy(sun->sun_path, path, len);
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
	    (path[0] == '@' ? 0 : 1));
}

/* A file-system socket gets mode 0600 from the start (no chmod window). */
static int
announce_bind(int fd, const struct sockaddr_un *sun, socklen_t len)
{
	mode_t	 old;
	int	 r;

	old = umask(0177);
	r = bind(fd, (const struct sockaddr *)sun, len);
	umask(old);
	return r;
}

/* Whether a server answers on sun (else the file is a stale leftover). */
static bool
announce_alive(const struct sockaddr_un *sun, socklen_t len)
{
	int	 fd;
	bool	 alive;

	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return true;
	alive = connect(fd, (const struct sockaddr *)sun, len) == 0 ||
	    errno != ECONNREFUSED;
	close(fd);
	return alive;
}

/* Whether path itself (not what a link points to) is a socket. */
static bool
announce_is_socket(const char *path)
{
	struct stat	 st;

	return lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/*
 * Whether the peer of a connected UNIX socket runs as this user. Root
 * counts as everyone's: a server started as root runs as --user
 * (sandbox.h) and root, who started it, must still reach it.
 */
static bool
announce_same_user(int fd)
{
	struct ucred	 cred;
	socklen_t	 len;

	len = sizeof(cred);
	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	    (cred.uid == geteuid() || cred.uid == 0 || geteuid() == 0);
}

void
announce_control_init(struct announce_control *c)
{
	int	 i;

	c->fd = -1;
	for (i = 0; i < ANNOUNCE_CONNS; i++)
		c->conns[i] = -1;
	c->path[0] = '\0';
	c->remover = -1;
}

int
announce_control_open(struct announce_control *c, const char *path,
    char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	bool			 file, sock = true;

	announce_control_init(c);
	if ((len = announce_sockaddr(path, &sun, err, errlen)) == 0)
		return -1;
	file = path[0] != '@';
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (c->fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/*
	 * Only a socket nobody answers on is a leftover to replace: any
	 * other file there (--control given a file by mistake) is the
	 * user's, and connect() refuses on it just the same.
	 */
	if (announce_bind(c->fd, &sun, len) == -1 && (errno != EADDRINUSE ||
	    !file || !(sock = announce_is_socket(path)) ||
	    announce_alive(&sun, len) || unlink(path) == -1 ||
	    announce_bind(c->fd, &sun, len) == -1)) {
		snprintf(err, errlen, "cannot listen on %s: %s", path,
		    !sock ? "a file that is not a socket is there" :
		    errno == EADDRINUSE || errno == 0 ?
		    "another server uses it" : strerror(errno));
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	if (listen(c->fd, 8) == -1) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		close(c->fd);
		c->fd = -1;
		if (file)
			unlink(path);
		return -1;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	return 0;
}

void
announce_control_close(struct announce_control *c)
{
	int	 i;

	for (i = 0; i < ANNOUNCE_CONNS; i++)
		announce_drop(c, i);
	if (c->fd != -1) {
		close(c->fd);
		if (c->path[0] != '@' && c->remover == -1)
			unlink(c->path);
		c->fd = -1;
	}
	if (c->remover != -1) {
		/* The remover's cue; the kernel gives it at any exit too. */
		close(c->remover);
		c->remover = -1;
	}
}

int
announce_control_remover(struct announce_control *c, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		 dir[sizeof(c->path)], *slash;
	const char	*base;
	int		 dfd, p[2];
	pid_t		 pid;

	if (c->fd == -1 || c->path[0] == '@' || c->remover != -1)
		return 0;
	snprintf(dir, sizeof(dir), "%s", c->path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		base = c->path;
		snprintf(dir, sizeof(dir), ".");
	} else {
		base = c->path + (slash - dir) + 1;
		slash[slash == dir ? 1 : 0] = '\0';
	}
	/* The directory held, so no link put in the path later counts. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		snprintf(err, errlen, "%s: %s", c->path, strerror(errno));
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		snprintf(err, errlen, "cannot start the socket's remover: %s",
		    strerror(errno));
		close(dfd);
		return -1;
	}
	if (pid == 0)
		announce_remover_run(p[0], dfd, base, &st);
	close(p[0]);
	close(dfd);
	c->remover = p[1];
	return 0;
}

/*
 * The remover: every other descriptor closed, deaf to the signals that
 * stop the server (Ctrl-C reaches the whole process group), it reads
 * the pipe until the server's end closes it, then removes the socket if
 * it is still the same file (a new server may have replaced it).
 */
static void
announce_remover_run(int in, int dfd, const char *base,
    const struct stat *made)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				    SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE,
				    SIGUSR1, SIGUSR2 };
	struct stat		 st;
	char			 name[sizeof(((struct announce_control *)0)->path)];
	char			 buf[64];
	size_t			 i;
	ssize_t			 n;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_IGN);
	snprintf(name, sizeof(name), "%s", base);
	/* Out of the way first: either may be 3 or 4 already. */
	if ((in = fcntl(in, F_DUPFD, 10)) == -1 ||
	    (dfd = fcntl(dfd, F_DUPFD, 10)) == -1 ||
	    dup2(in, 3) == -1 || dup2(dfd, 4) == -1)
		_exit(1);
	close_range(0, 2, 0);
	close_range(5, ~0U, 0);
	prctl(PR_SET_NAME, "chat_server-rm", 0, 0, 0);
	while ((n = read(3, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno != EINTR)
			break;
	}
	if (fstatat(4, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == made->st_dev && st.st_ino == made->st_ino)
		unlinkat(4, name, 0);
	_exit(0);
}

int
announce_control_pollfds(const struct announce_control *c,
    struct pollfd *pfd)
{
	int	 i, n;

	if (c->fd == -1)
		return 0;
	n = 0;
	pfd[n].fd = c->fd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (i = 0; i < ANNOUNCE_CONNS; i++) {
		if (c->conns[i] == -1)
			continue;
		pfd[n].fd = c->conns[i];
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

void
announce_control_handle(struct announce_control *c, const struct pollfd *pfd,
    int n, announce_cb cb, void *arg)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		if (pfd[i].fd == c->fd)
			announce_accept(c);
		else
			announce_serve(c, pfd[i].fd, cb, arg);
	}
}

/*
 * A peer that is not the server's own user is refused at once. With
 * every place taken, one that has been silent too long is dropped for
 * the newcomer: else a few connections left open and idle (a stopped
 * or stuck caller) would lock the operator out until a restart.
 */
static void
announce_accept(struct announce_control *c)
{
	static const char	 refused[] = "error: not allowed";
	static const char	 busy[] = "error: busy, try again";
	uint64_t		 now;
	int			 fd, i;

	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	if (!announce_same_user(fd)) {
		send(fd, refused, sizeof(refused) - 1, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	now = clock_ms();
	for (i = 0; i < ANNOUNCE_CONNS; i++) {
		if (c->conns[i] != -1 &&
		    now - c->since[i] >= ANNOUNCE_STALE_MS)
			announce_drop(c, i);
		if (c->conns[i] == -1) {
			c->conns[i] = fd;
			c->since[i] = now;
			return;
		}
	}
	send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
	close(fd);
}

/* One message is one console line; answer it and hang up. */
static void
announce_serve(struct announce_control *c, int fd, announce_cb cb, void *arg)
{
	char		 buf[ANNOUNCE_LINE_MAX], reply[ANNOUNCE_REPLY_MAX];
	struct iovec	 iov[2];
	struct msghdr	 mh;
	ssize_t		 n;
	int		 i;

	n = recv(fd, buf, sizeof(buf), 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		reply[0] = '\0';
		/* One message: the verdict, then what the command printed. */
		iov[0].iov_base = cb(arg, buf, (size_t)n, true, reply,
		    sizeof(reply)) == 0 ? "ok\n" : "error: ";
		iov[0].iov_len = strlen(iov[0].iov_base);
		iov[1].iov_base = reply;
		iov[1].iov_len = strlen(reply);
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = 2;
		sendmsg(fd, &mh, MSG_NOSIGNAL);
	}
	for (i = 0; i < ANNOUNCE_CONNS; i++) {
		if (c->conns[i] == fd)
			announce_drop(c, i);
	}
}

static void
announce_drop(struct announce_control *c, int i)
{
	if (c->conns[i] != -1) {
		close(c->conns[i]);
		c->conns[i] = -1;
	}
}

int
announce_send(const char *path, const char *line, char *out, size_t cap,
    char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct timeval		 tv;
	char			*reply;
	socklen_t		 len;
	ssize_t			 n;
	int			 fd;
	bool			 sent;

	if ((len = announce_sockaddr(path, &sun, err, errlen)) == 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	tv.tv_sec = ANNOUNCE_TIMEOUT_S;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		snprintf(err, errlen, "no server listens on %s: %s%s", path,
		    strerror(errno), path[0] == '@' ? "" :
		    " (is chat_server running, as this user, on that port?)");
		close(fd);
		return -1;
	}
	if (!announce_same_user(fd)) {
		snprintf(err, errlen, "%s belongs to another user", path);
		close(fd);
		return -1;
	}
	if ((reply = malloc(ANNOUNCE_REPLY_MAX + 8)) == NULL) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return -1;
	}
	/*
	 * A server that refused us at once (busy) answered and hung up
	 * without reading our line: the send may fail (EPIPE), the first
	 * recv does (ECONNRESET, for the line it dropped), but its answer
	 * is still queued behind that error, to read and say.
	 */
	sent = send(fd, line, strlen(line), MSG_NOSIGNAL) != -1;
	if ((n = recv(fd, reply, ANNOUNCE_REPLY_MAX + 7, 0)) == -1 &&
	    errno == ECONNRESET)
		n = recv(fd, reply, ANNOUNCE_REPLY_MAX + 7, 0);
	close(fd);
	reply[n > 0 ? n : 0] = '\0';
	/* Unsent, the line cannot have been done, whatever came back. */
	if (n <= 0 || (!sent && strncmp(reply, "error: ", 7) != 0)) {
		snprintf(err, errlen, "no answer from the server on %s", path);
		free(reply);
		return -1;
	}
	if (strncmp(reply, "ok\n", 3) != 0 && strcmp(reply, "ok") != 0) {
		snprintf(err, errlen, "%s", reply);
		free(reply);
		return -1;
	}
	snprintf(out, cap, "%s", reply + (reply[2] == '\n' ? 3 : 2));
	free(reply);
	return 0;
}

/*
 * conf: a configuration file as the arguments it stands for (conf.h).
 * The grammar is the one of ngIRCd's and Samba's files without
 * sections: key = value, '#' comments on lines of their own. A comment
 * after a value is not one: a motd may hold a '#'.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"

/* A growing argv and, beside it, where each came from. */
struct conf_list {
	char		**argv;
	char		**from;
	int		 n;
	int		 cap;
};

static int	 conf_add(struct conf_list *, const char *, const char *);
static void	 conf_list_free(struct conf_list *);
static char	*conf_trim(char *);
static const struct option *conf_find(const struct option *, const char *);
static bool	 conf_denied(const char *const *, const char *);
static int	 conf_line(struct conf_list *, const struct conf_spec *,
		    const char *, char *, char *, size_t);
static int	 conf_file(struct conf_list *, const struct conf_spec *,
		    FILE *, const char *, char *, size_t);
static int	 conf_env(struct conf_list *, const struct conf_spec *,
		    char *, size_t);
static int	 conf_split(int, char **, const char **, struct conf_list *,
		    char *, size_t);
static int	 conf_open(const struct conf_spec *, const char *, FILE **,
		    char *, size_t, char *, size_t);
static bool	 conf_is_key(const char *, const char *);
static int	 conf_copy_set(FILE *, FILE *, const char *, const char *);
static void	 conf_err(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

int
conf_load(struct conf *c, const struct conf_spec *spec, int argc,
    char **argv, char *err, size_t errlen)
{
	struct conf_list	 all, rest;
	const char		*given = NULL;
	FILE			*f;
	int			 i;

	memset(c, 0, sizeof(*c));
	memset(&all, 0, sizeof(all));
	memset(&rest, 0, sizeof(rest));
	if (conf_split(argc, argv, &given, &rest, err, errlen) == -1 ||
	    conf_add(&all, argc > 0 ? argv[0] : "", NULL) == -1)
		goto fail;
	if (conf_open(spec, given, &f, c->path, sizeof(c->path), err,
	    errlen) == -1)
		goto fail;
	if (f != NULL) {
		i = conf_file(&all, spec, f, c->path, err, errlen);
		fclose(f);
		if (i == -1)
			goto fail;
	}
	if (conf_env(&all, spec, err, errlen) == -1)
		goto fail;
	c->nfrom = all.n - 1;
	for (i = 0; i < rest.n; i++) {
		if (conf_add(&all, rest.argv[i], NULL) == -1)
			goto nomem;
	}
	if (conf_add(&all, NULL, NULL) == -1)
		goto nomem;
	conf_list_free(&rest);
	c->argv = all.argv;
	c->from = all.from;
	c->argc = all.n - 1;
	return 0;
nomem:
	conf_err(err, errlen, "out of memory");
fail:
	conf_list_free(&all);
	conf_list_free(&rest);
	c->path[0] = '\0';
	return -1;
}

const char *
conf_where(const struct conf *c, int i)
{
	if (i < 1 || i > c->nfrom)
		return NULL;
	return c->from[i];
}

void
conf_free(struct conf *c)
{
	struct conf_list	 l;

	l.argv = c->argv;
	l.from = c->from;
	l.n = c->argc;
	conf_list_free(&l);
	memset(c, 0, sizeof(*c));
}

const char *
conf_user_path(const char *name, char *buf, size_t len)
{
	const char	*dir;
	int		 n;

	if ((dir = getenv("XDG_CONFIG_HOME")) != NULL && dir[0] == '/')
		n = snprintf(buf, len, "%s/lanchat/%s", dir, name);
	else if ((dir = getenv("HOME")) != NULL && dir[0] != '\0')
		n = snprintf(buf, len, "%s/.config/lanchat/%s", dir, name);
	else
		return NULL;
	return n < 0 || (size_t)n >= len ? NULL : buf;
}

/*
 * The command line without --config, into rest (copies of the pointers'
 * strings), and the last --config's file in *given. After "--" nothing
 * is an option.
 */
static int
conf_split(int argc, char **argv, const char **given, struct conf_list *rest,
    char *err, size_t errlen)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				conf_err(err, errlen, "--config needs a file");
				return -1;
			}
			*given = argv[++i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			if (argv[i][9] == '\0') {
				conf_err(err, errlen, "--config needs a file");
				return -1;
			}
			*given = argv[i] + 9;
		} else if (conf_add(rest, argv[i], NULL) == -1)
			goto nomem;
	}
	for (; i < argc; i++) {
		if (conf_add(rest, argv[i], NULL) == -1)
			goto nomem;
	}
	return 0;
nomem:
	conf_err(err, errlen, "out of memory");
	return -1;
}

/*
 * The file to read in *fp: the given one, or the default; NULL for a
 * default that is not there. Returns -1 with err filled when the given
 * file, or a default that is there, cannot be opened.
 */
static int
conf_open(const struct conf_spec *spec, const char *given, FILE **fp,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	*fp = NULL;
	path[0] = '\0';
	if (given == NULL && spec->defpath == NULL)
		return 0;
	snprintf(path, pathlen, "%s", given != NULL ? given : spec->defpath);
	if ((*fp = fopen(path, "r")) != NULL)
		return 0;
	if (given == NULL && errno == ENOENT) {
		path[0] = '\0';
		return 0;
	}
	conf_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
	return -1;
}

/* Every line of f, into l. */
static int
conf_file(struct conf_list *l, const struct conf_spec *spec, FILE *f,
    const char *path, char *err, size_t errlen)
{
	char	 buf[CONF_LINE_MAX + 2], where[4096 + 32];
	size_t	 len;
	int	 lineno;

	for (lineno = 1; fgets(buf, sizeof(buf), f) != NULL; lineno++) {
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		len = strlen(buf);
		if (len > CONF_LINE_MAX && buf[len - 1] != '\n') {
			conf_err(err, errlen, "%s: line longer than %d bytes",
			    where, CONF_LINE_MAX);
			return -1;
		}
		if (conf_line(l, spec, where, buf, err, errlen) == -1)
			return -1;
	}
	if (ferror(f)) {
		conf_err(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* One line: nothing, or one argument "--key=value" (or "--key"). */
static int
conf_line(struct conf_list *l, const struct conf_spec *spec,
    const char *where, char *line, char *err, size_t errlen)
{
	const struct option	*o;
	char			*key, *value, *eq, arg[CONF_LINE_MAX + 8];
	size_t			 len;
	int			 yes;

	key = conf_trim(line);
	if (key[0] == '\0' || key[0] == '#')
		return 0;
	if ((eq = strchr(key, '=')) == NULL) {
		key[strcspn(key, " \t")] = '\0';
		conf_err(err, errlen, "%s: key '%s' needs '= value'", where,
		    key);
		return -1;
	}
	*eq = '\0';
	key = conf_trim(key);
	value = conf_trim(eq + 1);
	len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	if (key[0] == '\0') {
		conf_err(err, errlen, "%s: '=' without a key", where);
		return -1;
	}
	if ((o = conf_find(spec->opts, key)) == NULL) {
		conf_err(err, errlen, "%s: unknown key '%s'", where, key);
		return -1;
	}
	if (conf_denied(spec->deny, key)) {
		conf_err(err, errlen, "%s: key '%s' cannot be set in a file, "
		    "only on the command line", where, key);
		return -1;
	}
	/* An optional value (trace = chat,ack) may also be yes or no. */
	if (o->has_arg == no_argument || (o->has_arg == optional_argument &&
	    conf_bool(value) != -1)) {
		if ((yes = conf_bool(value)) == -1) {
			conf_err(err, errlen, "%s: key '%s' takes yes or no, "
			    "not '%s'", where, key, value);
			return -1;
		}
		if (!yes)
			return 0;
		snprintf(arg, sizeof(arg), "--%s", key);
	} else {
		if (value[0] == '\0' && o->has_arg == required_argument) {
			conf_err(err, errlen, "%s: key '%s' needs a value",
			    where, key);
			return -1;
		}
		snprintf(arg, sizeof(arg), "--%s=%s", key, value);
	}
	if (conf_add(l, arg, where) == -1) {
		conf_err(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* The set variables of spec->env, as their options. */
static int
conf_env(struct conf_list *l, const struct conf_spec *spec, char *err,
    size_t errlen)
{
	const char	*v;
	char		*arg;
	size_t		 i;
	int		 rc;

	for (i = 0; spec->env != NULL && spec->env[i] != NULL; i += 2) {
		if ((v = getenv(spec->env[i])) == NULL || v[0] == '\0')
			continue;
		if (asprintf(&arg, "--%s=%s", spec->env[i + 1], v) == -1) {
			conf_err(err, errlen, "out of memory");
			return -1;
		}
		rc = conf_add(l, arg, spec->env[i]);
		free(arg);
		if (rc == -1) {
			conf_err(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* s without the blanks (and a line's \r\n) at its ends. */
static char *
conf_trim(char *s)
{
	size_t	 len;

	s += strspn(s, " \t");
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	return s;
}

int
conf_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* The option named exactly key (no abbreviations in a file). */
static const struct option *
conf_find(const struct option *opts, const char *key)
{
	for (; opts->name != NULL; opts++) {
		if (strcmp(opts->name, key) == 0)
			return opts;
	}
	return NULL;
}

static bool
conf_denied(const char *const *deny, const char *key)
{
	for (; deny != NULL && *deny != NULL; deny++) {
		if (strcmp(*deny, key) == 0)
			return true;
	}
	return false;
}

/* Appends a copy of arg (NULL ends the argv) and of where. */
static int
conf_add(struct conf_list *l, const char *arg, const char *where)
{
	char	**argv, **from;
	int	  cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 16 : l->cap * 2;
		if ((argv = reallocarray(l->argv, cap, sizeof(*argv))) == NULL)
			return -1;
		l->argv = argv;
		if ((from = reallocarray(l->from, cap, sizeof(*from))) == NULL)
			return -1;
		l->from = from;
		l->cap = cap;
	}
	l->argv[l->n] = NULL;
	l->from[l->n] = NULL;
	if ((arg != NULL && (l->argv[l->n] = strdup(arg)) == NULL) ||
	    (where != NULL && (l->from[l->n] = strdup(where)) == NULL)) {
		free(l->argv[l->n]);
		return -1;
	}
	l->n++;
	return 0;
}

/* Frees the n entries and the NULL that may end them. */
static void
conf_list_free(struct conf_list *l)
{
	int	 i;

	for (i = 0; i < l->n; i++) {
		free(l->argv[i]);
		free(l->from[i]);
	}
	free(l->argv);
	free(l->from);
	memset(l, 0, sizeof(*l));
}

static void
conf_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Is line a "key = ..." line of this key? */
static bool
conf_is_key(const char *line, const char *key)
{
	size_t	 n;

	line += strspn(line, " \t");
	n = strlen(key);
	if (line[0] == '#' || strncmp(line, key, n) != 0)
		return false;
	line += n;
	line += strspn(line, " \t");
	return *line == '=';
}

/* Copies in (NULL: nothing) to out with key's line set. 0 or -1. */
static int
conf_copy_set(FILE *in, FILE *out, const char *key, const char *value)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	bool	 done = value[0] == '\0', nl = true;

	while (in != NULL && (n = getline(&line, &cap, in)) != -1) {
		nl = line[n - 1] == '\n';
		if (!conf_is_key(line, key))
			fputs(line, out);
		else if (!done) {
			fprintf(out, "%s = %s\n", key, value);
			done = true;
		}
	}
	free(line);
	if (in != NULL && ferror(in))
		return -1;
	if (!done)
		fprintf(out, "%s%s = %s\n", nl ? "" : "\n", key, value);
	return 0;
}

int
conf_mkdirs(char *path)
{
	char	*p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int
conf_set(const char *path, const char *key, const char *value, char *err,
    size_t errlen)
{
	char		 real[PATH_MAX], tmp[PATH_MAX + 16];
	struct stat	 st;
	FILE		*in, *out;
	mode_t		 mode = 0600;
	int		 fd, rc;

	if (realpath(path, real) == NULL) {
		if (errno != ENOENT || strlen(path) >= sizeof(real)) {
			conf_err(err, errlen, "cannot write %s: %s", path,
			    strerror(errno));
			return -1;
		}
		snprintf(real, sizeof(real), "%s", path);
		/* A new user has no ~/.config (nor ~/.config/lanchat) yet. */
		if (conf_mkdirs(real) == -1) {
			conf_err(err, errlen, "cannot make the folders of %s: %s",
			    real, strerror(errno));
			return -1;
		}
	}
	if ((in = fopen(real, "r")) != NULL && fstat(fileno(in), &st) == 0)
		mode = st.st_mode & 07777;
	snprintf(tmp, sizeof(tmp), "%s.new", real);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode))
	    == -1 || (out = fdopen(fd, "w")) == NULL) {
		conf_err(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		if (in != NULL)
			fclose(in);
		return -1;
	}
	fchmod(fd, mode);	/* whatever the umask took away */
	rc = conf_copy_set(in, out, key, value);
	if (in != NULL)
		fclose(in);
	if (fflush(out) == EOF || fsync(fd) == -1)
		rc = -1;
	if (fclose(out) == EOF)
		rc = -1;
	if (rc == -1 || rename(tmp, real) == -1) {
		conf_err(err, errlen, "cannot write %s: %s", real,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

# Build, run, check, bench, fuzz. See README.md.
#
#   make            build build/chat_server and build/chat_client
#   make run        start a local server (if none answers) and open a client
#   make check      every test, then every test again under ASan + UBSan
#   make bench      the fan-out benchmark
#   make fuzz       libFuzzer on the datagram decoder and the UTF-8 validator
#   make install    the programs, man pages, service units and the default
#                   /etc/lanchat/server.conf under PREFIX (/usr/local)
#   make deb        the Debian package lanchat_VERSION_ARCH.deb in build-deb/
#
# BUILD picks the output folder; SAN=1 builds with the sanitizers.

BUILD   ?= build
SAN     ?=
CC      ?= cc
PKGS     = libcjson ncursesw libsodium icu-uc icu-i18n
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Only the server sandboxes itself (chat_server/sandbox.c).
SERVER_PKGS = libseccomp
SERVER_CFLAGS := $(shell pkg-config --cflags $(SERVER_PKGS) 2>/dev/null)
SERVER_LIBS   := $(shell pkg-config --libs $(SERVER_PKGS) 2>/dev/null)

WARN     = -std=c11 -Wall -Wextra -Werror
CPPFLAGS = -D_GNU_SOURCE -Ishared
ifeq ($(SAN),1)
OPT      = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    = -fsanitize=address,undefined
else
OPT      = -O2 -g
LDSAN    =
endif
CFLAGS  ?=
LDFLAGS ?=
ALL_CFLAGS = $(WARN) $(OPT) $(CPPFLAGS) $(PKG_CFLAGS) $(SERVER_CFLAGS) $(CFLAGS)
LDLIBS   = $(PKG_LIBS)

SHARED_SRC = $(wildcard shared/*.c)
SERVER_SRC = $(wildcard chat_server/*.c)
CLIENT_SRC = $(wildcard chat_client/*.c)
BENCH_SRC  = $(wildcard bench/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

SHARED_OBJ = $(call obj,$(SHARED_SRC))
SERVER_OBJ = $(call obj,$(SERVER_SRC))
CLIENT_OBJ = $(call obj,$(CLIENT_SRC))
BENCH_OBJ  = $(call obj,$(BENCH_SRC))
UNIT_BIN   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

PROGS = $(BUILD)/chat_server $(BUILD)/chat_client

.PHONY: all deps deps-run deps-test progs run check test unit bench fuzz \
	install deb clean
# Every entry point installs what is missing first, then builds in a
# fresh make: the pkg-config flags above are read when make starts, so
# on a new machine they exist only after install-deps has run. Building
# needs only the build set; the tests' packages come with the targets
# that run tests (scripts/install-deps says which is which).
all: deps
	@$(MAKE) --no-print-directory progs

progs: $(PROGS)

deps:
	@scripts/install-deps build

deps-run:
	@scripts/install-deps run

deps-test:
	@scripts/install-deps test

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libshared.a: $(SHARED_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/chat_server: $(SERVER_OBJ) $(BUILD)/libshared.a
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(SERVER_LIBS)

$(BUILD)/chat_client: $(CLIENT_OBJ) $(BUILD)/libshared.a
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/chat_bench: $(BENCH_OBJ) $(BUILD)/libshared.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS) -lm

# A unit test tests/unit/test_M.c links the module M from chat_server/ or
# chat_client/ when one exists, plus everything in shared/.
define unit_rule
$(BUILD)/tests/$(1): tests/unit/$(1).c $(call obj,$(wildcard chat_server/$(1:test_%=%).c chat_client/$(1:test_%=%).c)) $(BUILD)/libshared.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -Itests/unit -Ichat_server -Ichat_client -o $$@ $$^ $$(LDLIBS) -lcmocka
endef
$(foreach t,$(UNIT_SRC:tests/unit/%.c=%),$(eval $(call unit_rule,$(t))))
# The command table parses with console.c (its execs are stubs there).
$(BUILD)/tests/test_cmd: $(call obj,chat_server/console.c)

unit: deps-test
	@$(MAKE) --no-print-directory $(UNIT_BIN)

# The suite against one build, without the sanitizer pass.
test: deps-test
	@$(MAKE) --no-print-directory progs $(UNIT_BIN) $(BUILD)/chat_bench
	@tests/run $(BUILD)

check: deps-test
	@$(MAKE) --no-print-directory -s progs $(UNIT_BIN) $(BUILD)/chat_bench
	@$(MAKE) --no-print-directory -s BUILD=build-asan SAN=1 progs \
		$(UNIT_BIN:$(BUILD)/%=build-asan/%) build-asan/chat_bench
	@tests/run $(BUILD) build-asan

run: deps-run
	@$(MAKE) --no-print-directory progs
	@scripts/run-local $(BUILD)

bench: deps-test
	@$(MAKE) --no-print-directory progs $(BUILD)/chat_bench
	$(BUILD)/chat_bench --server-bin $(BUILD)/chat_server --compare 3 $(BENCH_ARGS)

FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps fuzz
	@scripts/fuzz $(FUZZ_SECONDS)

# The service units get the programs' directory and the configuration's
# written in; an existing server.conf is never overwritten.
PREFIX     ?= /usr/local
DESTDIR    ?=
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
UNITS       = chat_server.service chat_server@.service
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/lanchat
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/chat_server.1 docs/chat_client.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/
	for u in $(UNITS); do \
		sed -e 's|@BINDIR@|$(PREFIX)/bin|g' \
		    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		    contrib/systemd/$$u.in >$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	[ -e $(DESTDIR)$(SYSCONFDIR)/lanchat/server.conf ] || \
		install -m 644 contrib/server.conf \
		    $(DESTDIR)$(SYSCONFDIR)/lanchat/server.conf

# lanchat_VERSION_ARCH.deb in build-deb/, with dpkg-deb (scripts/mkdeb).
deb: deps-test
	@scripts/mkdeb build-deb

clean:
	rm -rf build build-asan build-fuzz build-deb

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

/*
 * libFuzzer harness for proto_decode, in both directions. When a datagram
 * decodes, it checks what the rest of the programs rely on:
 * - every string field is valid UTF-8, and what came from a client
 *   obeys the name and text rules;
 * - the canonical encoding decodes again to the same message, and
 *   encodes to the same bytes (encode . decode is idempotent);
 * - re-encoding fails only near the size limit (numbers written as 1e15
 *   grow when written out in full; nothing else grows).
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 *   clang -std=c11 -D_GNU_SOURCE -Ishared $(pkg-config --cflags libcjson) \
 *       -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_proto.c \
 *       shared/proto.c shared/utf8.c -lcjson
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Room for the few bytes a re-encoding may add to a full datagram. */
#define FUZZ_GROWTH	128

static struct proto_msg	fuzz_a, fuzz_b;
static char		fuzz_e1[PROTO_MAX_DGRAM + 1];
static char		fuzz_e2[PROTO_MAX_DGRAM + 1];

static void
fuzz_assert(int cond)
{
	if (!cond)
		abort();
}

static int
fuzz_valid_str(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* Every string is valid UTF-8; client strings obey their rules. */
static void
fuzz_check_fields(const struct proto_msg *m, enum proto_dir dir)
{
	int	i;

	fuzz_assert(fuzz_valid_str(m->name) && fuzz_valid_str(m->to) &&
	    fuzz_valid_str(m->from) && fuzz_valid_str(m->text) &&
	    fuzz_valid_str(m->code) && fuzz_valid_str(m->room) &&
	    fuzz_valid_str(m->motd) && fuzz_valid_str(m->topic) &&
	    fuzz_valid_str(m->cookie));
	fuzz_assert(strlen(m->cookie) <= PROTO_COOKIE_MAX &&
	    m->has_cookie == (m->cookie[0] != '\0'));
	fuzz_assert(m->proof[0] == '\0' ||
	    proto_is_hex(m->proof, PROTO_PROOF_LEN));
	fuzz_assert(m->cid[0] == '\0' || proto_is_hex(m->cid, PROTO_CID_LEN));
	fuzz_assert(m->run[0] == '\0' || proto_is_hex(m->run, PROTO_RUN_LEN));
	fuzz_assert(m->nseqs >= 0 && m->nseqs <= PROTO_ACK_SEQS_MAX);
	for (i = 0; i < m->nseqs; i++)
		fuzz_assert(m->seqs[i] > m->upto && m->seqs[i] <= PROTO_INT_MAX);
	fuzz_assert(m->nusers >= 0 && m->nusers <= PROTO_MAX_USERS);
	for (i = 0; i < m->nusers; i++)
		fuzz_assert(fuzz_valid_str(m->users[i]) &&
		    strlen(m->users[i]) <= PROTO_NAME_MAX_BYTES);
	fuzz_assert(m->token[0] == '\0' ||
	    strlen(m->token) == PROTO_TOKEN_LEN);
	if (dir != PROTO_FROM_CLIENT)
		return;
	if (m->type == PROTO_LOGIN || m->type == PROTO_RENAME)
		fuzz_assert(proto_check_name(m->name) == 0);
	if (m->type == PROTO_CHAT || m->type == PROTO_MSG)
		fuzz_assert(proto_check_text(m->text, strlen(m->text)) ==
		    PROTO_OK);
	/* A quit's text is dropped, never refused, if it breaks the rules. */
	if (m->type == PROTO_QUIT && m->text[0] != '\0')
		fuzz_assert(proto_check_text(m->text, strlen(m->text)) ==
		    PROTO_OK);
	if (m->type == PROTO_MSG)
		fuzz_assert(m->to[0] == '\0' || proto_check_name(m->to) == 0);
	if (m->type == PROTO_CHAT || m->type == PROTO_MSG ||
	    m->type == PROTO_RENAME)
		fuzz_assert(m->has_id && m->id >= 1 && m->id <= PROTO_INT_MAX);
}

/* b is a re-decoding of a: equal, but for names moved into "more". */
static void
fuzz_check_same(const struct proto_msg *a, const struct proto_msg *b)
{
	int	i;

	fuzz_assert(a->type == b->type && a->has_id == b->has_id &&
	    a->id == b->id && a->seq == b->seq && a->ts == b->ts &&
	    a->version == b->version && a->reason == b->reason &&
	    a->history == b->history && a->heartbeat == b->heartbeat &&
	    a->port == b->port && a->user_count == b->user_count &&
	    a->has_motd == b->has_motd &&
	    a->mid == b->mid && a->action == b->action &&
	    a->has_upto == b->has_upto && a->upto == b->upto &&
	    a->nseqs == b->nseqs && a->has_cookie == b->has_cookie &&
	    a->has_proof == b->has_proof && a->has_cid == b->has_cid &&
	    a->has_caps == b->has_caps && a->caps == b->caps &&
	    a->next_id == b->next_id && a->has_topic == b->has_topic);
	for (i = 0; i < a->nseqs; i++)
		fuzz_assert(a->seqs[i] == b->seqs[i]);
	fuzz_assert(strcmp(a->token, b->token) == 0 &&
	    strcmp(a->name, b->name) == 0 && strcmp(a->to, b->to) == 0 &&
	    strcmp(a->from, b->from) == 0 && strcmp(a->text, b->text) == 0 &&
	    strcmp(a->code, b->code) == 0 && strcmp(a->room, b->room) == 0 &&
	    strcmp(a->motd, b->motd) == 0 &&
	    strcmp(a->cookie, b->cookie) == 0 &&
	    strcmp(a->proof, b->proof) == 0 && strcmp(a->cid, b->cid) == 0 &&
	    strcmp(a->run, b->run) == 0 && strcmp(a->topic, b->topic) == 0);
	fuzz_assert(b->nusers <= a->nusers);
	for (i = 0; i < b->nusers; i++)
		fuzz_assert(strcmp(a->users[i], b->users[i]) == 0);
	if (a->more < INT_MAX - PROTO_MAX_USERS)
		fuzz_assert((long)a->nusers + a->more ==
		    (long)b->nusers + b->more);
}

static void
fuzz_dir(const uint8_t *data, size_t size, enum proto_dir dir)
{
	enum proto_err	err;
	int		n1, n2;

	err = proto_decode((const char *)data, size, dir, &fuzz_a);
	fuzz_assert(err >= PROTO_OK && err < PROTO_ERR_COUNT);
	if (err == PROTO_ERR_BAD_TYPE || err == PROTO_ERR_BAD_JSON)
		fuzz_assert(fuzz_a.type == PROTO_NONE);
	fuzz_assert(!fuzz_a.has_id ||
	    (fuzz_a.id >= 1 && fuzz_a.id <= PROTO_INT_MAX));
	if (err != PROTO_OK)
		return;
	fuzz_check_fields(&fuzz_a, dir);

	n1 = proto_encode(&fuzz_a, dir, fuzz_e1, sizeof fuzz_e1);
	if (n1 < 0) {
		fuzz_assert(size + FUZZ_GROWTH > PROTO_MAX_DGRAM);
		return;
	}
	fuzz_assert(n1 <= PROTO_MAX_DGRAM);
	fuzz_assert(proto_decode(fuzz_e1, (size_t)n1, dir, &fuzz_b) ==
	    PROTO_OK);
	fuzz_check_same(&fuzz_a, &fuzz_b);
	n2 = proto_encode(&fuzz_b, dir, fuzz_e2, sizeof fuzz_e2);
	fuzz_assert(n2 == n1 && memcmp(fuzz_e1, fuzz_e2, (size_t)n1) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dir(data, size, PROTO_FROM_CLIENT);
	fuzz_dir(data, size, PROTO_FROM_SERVER);
	return 0;
}

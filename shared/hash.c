/* hash: a seeded hash of bytes for hash tables (hash.h). */
#include "hash.h"

#define HASH_FNV_BASIS	0xcbf29ce484222325ULL
#define HASH_FNV_PRIME	0x100000001b3ULL

static uint64_t	 hash_finish(uint64_t);

/* splitmix64's finish: every input bit reaches the low (bucket) bits. */
static uint64_t
hash_finish(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

uint64_t
hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char	*b = p;
	uint64_t		 h = HASH_FNV_BASIS ^ seed;
	size_t			 i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= HASH_FNV_PRIME;
	}
	return hash_finish(h);
}

/* One pass, no strlen: a token is hashed for every ack the server reads. */
uint64_t
hash_str(uint64_t seed, const char *s)
{
	uint64_t	 h = HASH_FNV_BASIS ^ seed;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= HASH_FNV_PRIME;
	}
	return hash_finish(h);
}

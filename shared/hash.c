/* hash: a seeded hash of bytes for hash tables (hash.h). */
#include <string.h>

#include "hash.h"

uint64_t
hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char	*b = p;
	uint64_t		 h;
	size_t			 i;

	h = 0xcbf29ce484222325ULL ^ seed;
	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

uint64_t
hash_str(uint64_t seed, const char *s)
{
	return hash_bytes(seed, s, strlen(s));
}

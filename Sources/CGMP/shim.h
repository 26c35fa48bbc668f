#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H
#include <gmp.h>
#include <stdlib.h>

// GMP defines these as macros; Swift cannot import function-like macros.
static inline int cgmp_mpz_sgn(const mpz_t z) { return mpz_sgn(z); }
static inline int cgmp_mpq_sgn(const mpq_t q) { return mpq_sgn(q); }
static inline mpz_ptr cgmp_mpq_numref(mpq_ptr q) { return mpq_numref(q); }
static inline mpz_ptr cgmp_mpq_denref(mpq_ptr q) { return mpq_denref(q); }
static inline mpz_srcptr cgmp_mpq_numref_const(mpq_srcptr q) { return mpq_numref(q); }
static inline mpz_srcptr cgmp_mpq_denref_const(mpq_srcptr q) { return mpq_denref(q); }
static inline int cgmp_mpz_odd_p(const mpz_t z) { return mpz_odd_p(z); }
static inline int cgmp_mpz_cmp_si(const mpz_t z, long v) { return mpz_cmp_si(z, v); }
static inline int cgmp_mpq_cmp_si(const mpq_t q, long n, unsigned long d) { return mpq_cmp_si(q, n, d); }

/// Frees a string returned by mpz_get_str / mpq_get_str with a NULL buffer.
static inline void cgmp_free_string(char *s) {
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(s, strlen(s) + 1);
}
#endif

/*
 * secret.h - wiping secrets and comparing them in constant time.
 */
#ifndef PPTPKIT_BASE_SECRET_H
#define PPTPKIT_BASE_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Zeroes n bytes at p in a way the compiler may not elide. */
void secret_wipe(void *p, size_t n);

/* True iff the n bytes at a and b are equal; time depends only on n. */
bool secret_eq(const void *a, const void *b, size_t n);

#endif

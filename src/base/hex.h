/*
 * hex.h - hexadecimal digits and strings of them, as people and peers
 * write octets (an NT hash on a command line, a challenge in an MS-CHAP
 * message, \x escapes in a configuration file).
 */
#ifndef PPTPKIT_BASE_HEX_H
#define PPTPKIT_BASE_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The value of hex digit c ('0'-'9', 'a'-'f', 'A'-'F'): 0 to 15, or -1
 * for any other character. */
int hex_digit(int c);

/*
 * Decodes exactly 2 * n hex digits at s (either case; no spaces, no "0x";
 * s need not be NUL-terminated) into out[n], two digits an octet, the
 * first the high nibble.  Returns 0, or ERR_FORMAT at the first character
 * that is not a hex digit; out[n] is then wiped, since what it holds may
 * be meant for a secret.
 */
int hex_decode(const void *s, uint8_t *out, size_t n) MUST_CHECK;

#endif

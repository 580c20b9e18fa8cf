/*
 * fuzz_common.h - shared bits for the libFuzzer harnesses in fuzz/.
 *
 * Each harness defines LLVMFuzzerTestOneInput, feeds the bytes to one decoder
 * (or core) and, when the decoder accepts them, re-encodes and prints the
 * result, so the encoder and printer are fuzzed too.  Seeds live in
 * fuzz/corpus/<harness name>/.
 */
#ifndef PPTPKIT_FUZZ_COMMON_H
#define PPTPKIT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../src/base/sbuf.h"
#include "../src/wire/cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a finding) when cond is false: an invariant the fuzzer broke. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

#endif

/*
 * fuzz_inspect.c - the capture analyzer's pure entry point, inspect_packet,
 * fed arbitrary frames: the first octet picks the link type, the rest is
 * the frame.  One analysis lives across inputs (as across a capture's
 * packets), so reassembly, correlation and the bounded tables are driven
 * by long sequences; every 4096 inputs both reports are rendered.  A
 * password is set, so CHAP verification and MPPE decryption run too.
 */
#include <stdio.h>

#include "fuzz_common.h"
#include "../src/inspect/inspect.h"

static const int dlts[] = { 1, 113, 276, 101, 0, 108, 228, 229 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct inspect *ins;
	static unsigned n;
	static FILE *null;

	char err[128];

	if (ins == NULL) {
		if ((ins = inspect_new()) == NULL)
			return 0;
		if (ins_crypt_open(ins, NULL, "fuzz", NULL, NULL, err,
		    sizeof(err)) != 0)
			return 0;
	}
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (size < 1)
		return 0;
	inspect_packet(ins, (uint64_t)n * 1000, dlts[data[0] & 7], data + 1,
	    size - 1);
	if (++n % 4096 == 0) {
		inspect_report_text(ins, "fuzz", null);
		inspect_report_json(ins, "fuzz", null);
	}
	return 0;
}

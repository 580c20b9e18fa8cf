/*
 * inspect_live.c - `pptpkit inspect --live IFACE`.
 */
#include "../base/err.h"
#include "../inspect/inspect_int.h"

int
inspect_live(struct inspect *ins, const char *iface, bool json, FILE *out,
    char *err, size_t errlen)
{
	(void)ins, (void)iface, (void)json, (void)out;
	snprintf(err, errlen, "not built yet");
	return ERR_SYS;
}

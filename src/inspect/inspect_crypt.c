/*
 * inspect_crypt.c - MS-CHAP verification and MPPE decryption
 * (inspect_crypt.h).
 */
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"

void
ins_crypt_chap(struct inspect *ins, struct ins_call *call, int d,
    const struct chap_msg *m)
{
	(void)ins, (void)call, (void)d, (void)m;
}

void
ins_crypt_cp(struct inspect *ins, struct ins_call *call, int d,
    uint16_t proto, const uint8_t *p, size_t n)
{
	(void)ins, (void)call, (void)d, (void)proto, (void)p, (void)n;
}

void
ins_crypt_mppe(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	(void)ins, (void)call, (void)d, (void)p, (void)n;
}

void
ins_crypt_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color)
{
	(void)ins, (void)c, (void)out, (void)color;
}

void
ins_crypt_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c)
{
	(void)w, (void)ins, (void)c;
}

size_t
ins_crypt_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	(void)ins, (void)c, (void)out, (void)cap;
	return 0;
}

int
ins_crypt_open(struct inspect *ins, const char *user, const char *password,
    const char *nt_hash_hex, const char *decrypt_out, char *err,
    size_t errlen)
{
	(void)ins, (void)user, (void)password, (void)nt_hash_hex;
	(void)decrypt_out;
	snprintf(err, errlen, "decryption is not built yet");
	return -1;
}

void
ins_crypt_close(struct inspect *ins)
{
	(void)ins;
}

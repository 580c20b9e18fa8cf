/*
 * test_mschap_msg.c - the text inside MS-CHAP Success and Failure packets
 * (src/wire/mschap_msg.c): the MS-CHAPv2 Success message with the RFC 2759
 * 9.2 Authenticator Response (RFC 2759 5), the Failure message of RFC 2759
 * 6 and RFC 2433 3 with its variants and malformed forms, error code names,
 * truncation and bit-flip sweeps, and DOMAIN\user names.
 */
#include "t.h"
#include "../src/wire/ppp_auth.h"

#define S_OK	"S=407A5589115FD0D6209F510FE9C04566932CDA56"

static int
success(const char *s, uint8_t ar[20], char *text, size_t textsz)
{
	return mschapv2_success_parse((const uint8_t *)s, strlen(s), ar,
	    text, textsz);
}

TEST(mschapv2_success_message)
{
	static const char msg[] = S_OK " M=Access granted";
	uint8_t ar[20], want[20], out[128];
	char text[64], small[4];
	struct wr w;

	CHECK_EQ(t_unhex("407A5589115FD0D6209F510FE9C04566932CDA56", want, 20),
	    20);
	CHECK_OK(success(msg, ar, text, sizeof(text)));
	CHECK_MEM(ar, want, 20);
	CHECK_STR(text, "Access granted");
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschapv2_success_format(&w, ar, text));
	CHECK_EQ(wr_len(&w), strlen(msg));
	CHECK_MEM(out, msg, strlen(msg));

	/* no M=; lowercase hex; a counted NUL; the text cut to fit */
	memset(ar, 0, 20);
	CHECK_OK(success(S_OK, ar, text, sizeof(text)));
	CHECK_MEM(ar, want, 20);
	CHECK_STR(text, "");
	memset(ar, 0, 20);
	CHECK_OK(success("S=407a5589115fd0d6209f510fe9c04566932cda56 M=x",
	    ar, text, sizeof(text)));
	CHECK_MEM(ar, want, 20);
	CHECK_STR(text, "x");
	CHECK_OK(mschapv2_success_parse((const uint8_t *)S_OK "\0", 43, ar,
	    NULL, 0));
	CHECK_OK(success(msg, ar, small, sizeof(small)));
	CHECK_STR(small, "Acc");
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschapv2_success_format(&w, want, NULL));
	CHECK_EQ(wr_len(&w), 42);
	CHECK_MEM(out, S_OK, 42);

	/* malformed */
	memset(ar, 0xee, 20);
	CHECK_ERR(success("S=407A5589115FD0D6209F510FE9C04566932CDA5", ar,
	    text, sizeof(text)), ERR_FORMAT);		/* 39 digits */
	CHECK_ERR(success("S=407A5589115FD0D6209F510FE9C04566932CDA5 M=hi",
	    ar, text, sizeof(text)), ERR_FORMAT);	/* 39 + M= */
	CHECK_ERR(success(S_OK "7", ar, text, sizeof(text)), ERR_FORMAT);
	CHECK_ERR(success("S=407A5589115FD0D6209F510FE9C04566932CDA5G", ar,
	    text, sizeof(text)), ERR_FORMAT);		/* not hex */
	CHECK_ERR(success(S_OK "M=x", ar, text, sizeof(text)), ERR_FORMAT);
	CHECK_ERR(success(S_OK " X=x", ar, text, sizeof(text)), ERR_FORMAT);
	CHECK_ERR(success("s=407A5589115FD0D6209F510FE9C04566932CDA56", ar,
	    text, sizeof(text)), ERR_FORMAT);
	CHECK_ERR(success("", ar, text, sizeof(text)), ERR_FORMAT);
	CHECK_STR(text, "");
	CHECK_EQ(ar[0], 0xee);			/* untouched on error */
}

static int
failure(const char *s, struct mschap_failure *f)
{
	return mschap_failure_parse((const uint8_t *)s, strlen(s), f);
}

/* Parses s, formats the result and expects s back. */
static void
failure_round_trip(const char *s)
{
	struct mschap_failure f;
	uint8_t out[512];
	struct wr w;

	CHECK_OK(failure(s, &f));
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschap_failure_format(&w, &f));
	CHECK_EQ(wr_len(&w), strlen(s));
	if (wr_len(&w) == strlen(s))
		CHECK_MEM(out, s, strlen(s));
}

TEST(mschap_failure_message)
{
	static const char full[] = "E=691 R=1 C=00112233445566778899AABBCCDDEEFF"
	    " V=3 M=Authentication failure";
	uint8_t chal[16];
	struct mschap_failure f;
	struct sbuf sb;
	char text[512];

	CHECK_OK(failure(full, &f));
	CHECK_EQ(f.error, MSCHAP_ERROR_AUTHENTICATION_FAILURE);
	CHECK(f.has_retry && f.retry);
	CHECK(f.has_challenge);
	CHECK_EQ(f.challenge_len, 16);
	CHECK_EQ(t_unhex("00112233445566778899AABBCCDDEEFF", chal, 16), 16);
	CHECK_MEM(f.challenge, chal, 16);
	CHECK(f.has_version);
	CHECK_EQ(f.version, 3);
	CHECK(f.has_message);
	CHECK_STR(f.message, "Authentication failure");
	sbuf_init(&sb, text, sizeof(text));
	mschap_failure_print(&f, &sb);
	CHECK_STR(sbuf_str(&sb), "E=691(authentication-failure) R=1 "
	    "C=00112233445566778899aabbccddeeff V=3 "
	    "M=\"Authentication failure\"");
	failure_round_trip(full);

	/* variants: no M; MS-CHAPv1 8-octet C; no C; E alone */
	failure_round_trip("E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3");
	CHECK_OK(failure("E=691 R=1 C=0011223344556677 V=2", &f));
	CHECK_EQ(f.challenge_len, 8);
	CHECK_MEM(f.challenge, chal, 8);
	CHECK(!f.has_message);
	failure_round_trip("E=691 R=1 C=0011223344556677 V=2");
	CHECK_OK(failure("E=648 R=0 V=3", &f));
	CHECK_EQ(f.error, MSCHAP_ERROR_PASSWD_EXPIRED);
	CHECK(f.has_retry && !f.retry);
	CHECK(!f.has_challenge);
	failure_round_trip("E=648 R=0 V=3");
	failure_round_trip("E=649");
	failure_round_trip("E=709 R=0 M=");
	/* lowercase hex, extra spaces, a counted NUL, padded E */
	CHECK_OK(failure("E=0000000691  R=1   C=00112233445566778899aabbccddeeff "
	    "M=two  spaces ", &f));
	CHECK_EQ(f.error, 691);
	CHECK_MEM(f.challenge, chal, 16);
	CHECK_STR(f.message, "two  spaces ");
	CHECK_OK(mschap_failure_parse((const uint8_t *)"E=691 R=0\0", 10, &f));
	CHECK(f.has_retry);
	/* an M= longer than the buffer is cut */
	char longm[400] = "E=691 M=";
	memset(longm + 8, 'x', 300);
	longm[308] = '\0';
	CHECK_OK(failure(longm, &f));
	CHECK_EQ(strlen(f.message), 255);

	/* malformed */
	CHECK_ERR(failure("E=abc R=1", &f), ERR_FORMAT);
	CHECK_ERR(failure("E= R=1", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=4294967296", &f), ERR_FORMAT);
	CHECK_OK(failure("E=4294967295", &f));
	CHECK_ERR(failure("E=691 R=1 C=0011223344556677889", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 R=1 C=00112233445566778899AABBCCDDEE", &f),
	    ERR_FORMAT);				/* 30 digits */
	CHECK_ERR(failure("E=691 C=00112233445566778899AABBCCDDEEFG", &f),
	    ERR_FORMAT);
	CHECK_ERR(failure("E=691 R=2", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 R=", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 V=x", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 R=1 R=0", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 E=691", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 X=1", &f), ERR_FORMAT);
	CHECK_ERR(failure("E=691 R", &f), ERR_FORMAT);
	CHECK_ERR(failure("R=1 E=691", &f), ERR_FORMAT);
	CHECK_ERR(failure("M=hello", &f), ERR_FORMAT);
	CHECK_ERR(failure("", &f), ERR_FORMAT);
	CHECK_ERR(failure("   ", &f), ERR_FORMAT);
	CHECK_ERR(failure("Authentication failed", &f), ERR_FORMAT);
	CHECK_EQ(f.error, 0);			/* zeroed on error */
}

TEST(mschap_failure_format_refuses_bad_challenge)
{
	struct mschap_failure f;
	uint8_t out[64];
	struct wr w;

	memset(&f, 0, sizeof(f));
	f.error = 691;
	f.has_challenge = true;
	f.challenge_len = 12;
	wr_init(&w, out, sizeof(out));
	CHECK_ERR(mschap_failure_format(&w, &f), ERR_RANGE);
	CHECK_EQ(wr_len(&w), 0);
	f.challenge_len = 16;
	wr_init(&w, out, 20);
	CHECK_ERR(mschap_failure_format(&w, &f), ERR_NOSPACE);
}

TEST(mschap_error_names)
{
	CHECK_STR(mschap_error_name(646), "restricted-logon-hours");
	CHECK_STR(mschap_error_name(647), "account-disabled");
	CHECK_STR(mschap_error_name(648), "password-expired");
	CHECK_STR(mschap_error_name(649), "no-dialin-permission");
	CHECK_STR(mschap_error_name(691), "authentication-failure");
	CHECK_STR(mschap_error_name(709), "changing-password");
	CHECK(mschap_error_name(0) == NULL);
	CHECK(mschap_error_name(690) == NULL);
}

/* Every truncation and bit flip of the message texts parses or gives
 * ERR_FORMAT; what parses formats again. */
TEST(mschap_text_mutations)
{
	static const char *const msgs[] = {
		S_OK " M=Access granted",
		"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure",
		"E=691 R=1 C=0011223344556677 V=2",
	};
	uint8_t buf[128], out[512], ar[20];
	struct mschap_failure f;
	struct wr w;
	char text[64];
	size_t i, n, len, bit;
	int ret;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		len = strlen(msgs[i]);
		for (n = 0; n <= len + len * 8; n++) {
			size_t use = n <= len ? n : len;

			memcpy(buf, msgs[i], len);
			if (n > len) {
				bit = n - len - 1;
				buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			}
			if (i == 0) {
				ret = mschapv2_success_parse(buf, use, ar,
				    text, sizeof(text));
				CHECK(ret == 0 || ret == ERR_FORMAT);
				if (ret != 0)
					continue;
				wr_init(&w, out, sizeof(out));
				CHECK_OK(mschapv2_success_format(&w, ar, text));
			} else {
				ret = mschap_failure_parse(buf, use, &f);
				CHECK(ret == 0 || ret == ERR_FORMAT);
				if (ret != 0)
					continue;
				wr_init(&w, out, sizeof(out));
				CHECK_OK(mschap_failure_format(&w, &f));
			}
		}
	}
	/* truncations inside S= are all refused */
	len = strlen(S_OK);
	for (n = 0; n < len; n++)
		CHECK_ERR(mschapv2_success_parse((const uint8_t *)S_OK, n, ar,
		    text, sizeof(text)), ERR_FORMAT);
}

TEST(mschap_split_domain_names)
{
	const char *user;
	size_t ulen;

	mschap_split_domain("CORP\\alice", 10, &user, &ulen);
	CHECK_EQ(ulen, 5);
	CHECK_MEM(user, "alice", 5);
	mschap_split_domain("alice", 5, &user, &ulen);
	CHECK_EQ(ulen, 5);
	CHECK_MEM(user, "alice", 5);
	mschap_split_domain("A\\B\\bob", 7, &user, &ulen);
	CHECK_EQ(ulen, 3);
	CHECK_MEM(user, "bob", 3);
	mschap_split_domain("CORP\\", 5, &user, &ulen);
	CHECK_EQ(ulen, 0);
	/* only len counts: a backslash after it is not seen */
	mschap_split_domain("bob\\x", 3, &user, &ulen);
	CHECK_EQ(ulen, 3);
	CHECK_MEM(user, "bob", 3);
	mschap_split_domain(NULL, 0, &user, &ulen);
	CHECK_EQ(ulen, 0);
	CHECK(user == NULL);
}

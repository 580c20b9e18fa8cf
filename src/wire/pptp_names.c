/*
 * pptp_names.c - names for every PPTP control code and the one-line printer
 * for control messages: RFC 2637 1.4 (message types), 2.1-2.15 (result
 * codes, reasons, capabilities, bearer and framing types) and 2.16 (general
 * error codes).
 *
 * Names are the RFC's words as single tokens, so a log line stays
 * key=value.  Tables use designated initialisers; a code the RFC does not
 * define has no entry (NULL) and prints as its number.
 */
#include "pptp_msg.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const ctrl_short[] = {
	[PPTP_SCCRQ] = "SCCRQ",
	[PPTP_SCCRP] = "SCCRP",
	[PPTP_STOPCCRQ] = "StopCCRQ",
	[PPTP_STOPCCRP] = "StopCCRP",
	[PPTP_ECHORQ] = "EchoRQ",
	[PPTP_ECHORP] = "EchoRP",
	[PPTP_OCRQ] = "OCRQ",
	[PPTP_OCRP] = "OCRP",
	[PPTP_ICRQ] = "ICRQ",
	[PPTP_ICRP] = "ICRP",
	[PPTP_ICCN] = "ICCN",
	[PPTP_CCRQ] = "CCRQ",
	[PPTP_CDN] = "CDN",
	[PPTP_WEN] = "WEN",
	[PPTP_SLI] = "SLI",
};

static const char *const ctrl_long[] = {
	[PPTP_SCCRQ] = "Start-Control-Connection-Request",
	[PPTP_SCCRP] = "Start-Control-Connection-Reply",
	[PPTP_STOPCCRQ] = "Stop-Control-Connection-Request",
	[PPTP_STOPCCRP] = "Stop-Control-Connection-Reply",
	[PPTP_ECHORQ] = "Echo-Request",
	[PPTP_ECHORP] = "Echo-Reply",
	[PPTP_OCRQ] = "Outgoing-Call-Request",
	[PPTP_OCRP] = "Outgoing-Call-Reply",
	[PPTP_ICRQ] = "Incoming-Call-Request",
	[PPTP_ICRP] = "Incoming-Call-Reply",
	[PPTP_ICCN] = "Incoming-Call-Connected",
	[PPTP_CCRQ] = "Call-Clear-Request",
	[PPTP_CDN] = "Call-Disconnect-Notify",
	[PPTP_WEN] = "WAN-Error-Notify",
	[PPTP_SLI] = "Set-Link-Info",
};

static const char *const sccrp_results[] = {		/* 2.2 */
	[PPTP_SCCRP_SUCCESS] = "Success",
	[PPTP_SCCRP_GENERAL_ERROR] = "General-Error",
	[PPTP_SCCRP_EXISTS] = "Channel-Exists",
	[PPTP_SCCRP_NOT_AUTHORIZED] = "Not-Authorized",
	[PPTP_SCCRP_BAD_VERSION] = "Bad-Protocol-Version",
};

static const char *const ok_results[] = {		/* 2.4 and 2.6 */
	[PPTP_STOPCCRP_OK] = "OK",
	[PPTP_STOPCCRP_GENERAL_ERROR] = "General-Error",
};

static const char *const ocrp_results[] = {		/* 2.8 */
	[PPTP_OCRP_CONNECTED] = "Connected",
	[PPTP_OCRP_GENERAL_ERROR] = "General-Error",
	[PPTP_OCRP_NO_CARRIER] = "No-Carrier",
	[PPTP_OCRP_BUSY] = "Busy",
	[PPTP_OCRP_NO_DIAL_TONE] = "No-Dial-Tone",
	[PPTP_OCRP_TIMEOUT] = "Time-out",
	[PPTP_OCRP_DO_NOT_ACCEPT] = "Do-Not-Accept",
};

static const char *const icrp_results[] = {		/* 2.10 */
	[PPTP_ICRP_CONNECT] = "Connect",
	[PPTP_ICRP_GENERAL_ERROR] = "General-Error",
	[PPTP_ICRP_DO_NOT_ACCEPT] = "Do-Not-Accept",
};

static const char *const cdn_results[] = {		/* 2.13 */
	[PPTP_CDN_LOST_CARRIER] = "Lost-Carrier",
	[PPTP_CDN_GENERAL_ERROR] = "General-Error",
	[PPTP_CDN_ADMIN_SHUTDOWN] = "Admin-Shutdown",
	[PPTP_CDN_REQUEST] = "Request",
};

static const char *const general_errors[] = {		/* 2.16 */
	[PPTP_GENERR_NONE] = "None",
	[PPTP_GENERR_NOT_CONNECTED] = "Not-Connected",
	[PPTP_GENERR_BAD_FORMAT] = "Bad-Format",
	[PPTP_GENERR_BAD_VALUE] = "Bad-Value",
	[PPTP_GENERR_NO_RESOURCE] = "No-Resource",
	[PPTP_GENERR_BAD_CALL_ID] = "Bad-Call-ID",
	[PPTP_GENERR_PAC_ERROR] = "PAC-Error",
};

static const char *const stop_reasons[] = {		/* 2.3 */
	[PPTP_STOP_NONE] = "None",
	[PPTP_STOP_PROTOCOL] = "Stop-Protocol",
	[PPTP_STOP_LOCAL_SHUTDOWN] = "Stop-Local-Shutdown",
};

static const char *const bearer_types[] = {		/* 2.7, 2.9 */
	[PPTP_BEARER_ANALOG] = "analog",
	[PPTP_BEARER_DIGITAL] = "digital",
	[PPTP_BEARER_ANY] = "any",
};

static const char *const framing_types[] = {		/* 2.7, 2.11 */
	[PPTP_FRAMING_ASYNC] = "async",
	[PPTP_FRAMING_SYNC] = "sync",
	[PPTP_FRAMING_ANY] = "any",
};

static const char *
lookup(const char *const *tab, size_t n, uint32_t code)
{
	return code < n ? tab[code] : NULL;
}

#define LOOKUP(tab, code) lookup((tab), NELEM(tab), (code))

const char *
pptp_ctrl_type_name(uint16_t ctrl_type)
{
	return LOOKUP(ctrl_short, ctrl_type);
}

const char *
pptp_ctrl_type_long_name(uint16_t ctrl_type)
{
	return LOOKUP(ctrl_long, ctrl_type);
}

const char *
pptp_result_name(uint16_t ctrl_type, uint8_t result)
{
	switch (ctrl_type) {
	case PPTP_SCCRP:	return LOOKUP(sccrp_results, result);
	case PPTP_STOPCCRP:
	case PPTP_ECHORP:	return LOOKUP(ok_results, result);
	case PPTP_OCRP:		return LOOKUP(ocrp_results, result);
	case PPTP_ICRP:		return LOOKUP(icrp_results, result);
	case PPTP_CDN:		return LOOKUP(cdn_results, result);
	}
	return NULL;
}

const char *
pptp_general_error_name(uint8_t error)
{
	return LOOKUP(general_errors, error);
}

const char *
pptp_stop_reason_name(uint8_t reason)
{
	return LOOKUP(stop_reasons, reason);
}

const char *
pptp_bearer_type_name(uint32_t type)
{
	return LOOKUP(bearer_types, type);
}

const char *
pptp_framing_type_name(uint32_t type)
{
	return LOOKUP(framing_types, type);
}

/* Bit 0 and bit 1 are the only capability bits defined (RFC 2637 2.1). */
static void
caps_print(uint32_t caps, const char *bit0, const char *bit1,
    struct sbuf *sb)
{
	const char *sep = "";
	uint32_t rest = caps & ~UINT32_C(3);

	if (caps == 0) {
		sbuf_printf(sb, "none");
		return;
	}
	if (caps & 1) {
		sbuf_printf(sb, "%s", bit0);
		sep = ",";
	}
	if (caps & 2) {
		sbuf_printf(sb, "%s%s", sep, bit1);
		sep = ",";
	}
	if (rest != 0)
		sbuf_printf(sb, "%s0x%x", sep, (unsigned)rest);
}

void
pptp_framing_caps_print(uint32_t caps, struct sbuf *sb)
{
	caps_print(caps, "async", "sync", sb);
}

void
pptp_bearer_caps_print(uint32_t caps, struct sbuf *sb)
{
	caps_print(caps, "analog", "digital", sb);
}

/* " key=Name", or " key=N" when the code has no name. */
static void
code_print(struct sbuf *sb, const char *key, const char *name, uint32_t code)
{
	if (name != NULL)
		sbuf_printf(sb, " %s=%s", key, name);
	else
		sbuf_printf(sb, " %s=%u", key, (unsigned)code);
}

static void
str_print(struct sbuf *sb, const char *key, const char *s, size_t width)
{
	sbuf_printf(sb, " %s=\"", key);
	sbuf_escaped(sb, s, width);
	sbuf_printf(sb, "\"");
}

static void
reserved_print(struct sbuf *sb, const char *key, uint32_t v)
{
	if (v != 0)
		sbuf_printf(sb, " %s=0x%x", key, (unsigned)v);
}

static void
result_error_print(struct sbuf *sb, uint16_t type, uint8_t result,
    uint8_t error)
{
	code_print(sb, "result", pptp_result_name(type, result), result);
	code_print(sb, "error", pptp_general_error_name(error), error);
}

/* Version, capabilities, channels, firmware, host and vendor: SCCRQ/SCCRP. */
static void
scc_print(struct sbuf *sb, uint32_t framing, uint32_t bearer,
    uint16_t max_channels, uint16_t firmware, const char *host,
    const char *vendor)
{
	sbuf_printf(sb, " framing=");
	pptp_framing_caps_print(framing, sb);
	sbuf_printf(sb, " bearer=");
	pptp_bearer_caps_print(bearer, sb);
	sbuf_printf(sb, " max_channels=%u firmware=0x%x", max_channels,
	    firmware);
	str_print(sb, "host", host, PPTP_HOST_NAME_LEN);
	str_print(sb, "vendor", vendor, PPTP_VENDOR_LEN);
}

static void
version_print(struct sbuf *sb, uint16_t version)
{
	sbuf_printf(sb, " version=%u.%u", version >> 8, version & 0xff);
}

static void
body_print(const struct pptp_msg *m, struct sbuf *sb)
{
	const struct pptp_sccrq *scq = &m->u.sccrq;
	const struct pptp_sccrp *scp = &m->u.sccrp;
	const struct pptp_ocrq *ocq = &m->u.ocrq;
	const struct pptp_ocrp *ocp = &m->u.ocrp;
	const struct pptp_icrq *icq = &m->u.icrq;
	const struct pptp_icrp *icp = &m->u.icrp;
	const struct pptp_iccn *icc = &m->u.iccn;
	const struct pptp_cdn *cdn = &m->u.cdn;
	const struct pptp_wen *wen = &m->u.wen;
	uint16_t t = m->ctrl_type;

	switch (t) {
	case PPTP_SCCRQ:
		version_print(sb, scq->version);
		scc_print(sb, scq->framing_caps, scq->bearer_caps,
		    scq->max_channels, scq->firmware_rev, scq->host_name,
		    scq->vendor);
		reserved_print(sb, "reserved1", scq->reserved1);
		break;
	case PPTP_SCCRP:
		version_print(sb, scp->version);
		result_error_print(sb, t, scp->result, scp->error);
		scc_print(sb, scp->framing_caps, scp->bearer_caps,
		    scp->max_channels, scp->firmware_rev, scp->host_name,
		    scp->vendor);
		break;
	case PPTP_STOPCCRQ:
		code_print(sb, "reason",
		    pptp_stop_reason_name(m->u.stopccrq.reason),
		    m->u.stopccrq.reason);
		reserved_print(sb, "reserved1", m->u.stopccrq.reserved1);
		reserved_print(sb, "reserved2", m->u.stopccrq.reserved2);
		break;
	case PPTP_STOPCCRP:
		result_error_print(sb, t, m->u.stopccrp.result,
		    m->u.stopccrp.error);
		reserved_print(sb, "reserved1", m->u.stopccrp.reserved1);
		break;
	case PPTP_ECHORQ:
		sbuf_printf(sb, " id=0x%x", (unsigned)m->u.echorq.id);
		break;
	case PPTP_ECHORP:
		sbuf_printf(sb, " id=0x%x", (unsigned)m->u.echorp.id);
		result_error_print(sb, t, m->u.echorp.result,
		    m->u.echorp.error);
		reserved_print(sb, "reserved1", m->u.echorp.reserved1);
		break;
	case PPTP_OCRQ:
		sbuf_printf(sb, " call_id=%u serial=%u min_bps=%u max_bps=%u",
		    ocq->call_id, ocq->call_serial, (unsigned)ocq->min_bps,
		    (unsigned)ocq->max_bps);
		code_print(sb, "bearer",
		    pptp_bearer_type_name(ocq->bearer_type), ocq->bearer_type);
		code_print(sb, "framing",
		    pptp_framing_type_name(ocq->framing_type),
		    ocq->framing_type);
		sbuf_printf(sb, " window=%u ppd=%u phone_len=%u",
		    ocq->recv_window, ocq->ppd, ocq->phone_len);
		str_print(sb, "phone", ocq->phone, PPTP_PHONE_LEN);
		str_print(sb, "subaddress", ocq->subaddress, PPTP_SUBADDR_LEN);
		reserved_print(sb, "reserved1", ocq->reserved1);
		break;
	case PPTP_OCRP:
		sbuf_printf(sb, " call_id=%u peer_call_id=%u", ocp->call_id,
		    ocp->peer_call_id);
		result_error_print(sb, t, ocp->result, ocp->error);
		sbuf_printf(sb, " cause=%u speed=%u window=%u ppd=%u"
		    " channel=%u", ocp->cause, (unsigned)ocp->connect_speed,
		    ocp->recv_window, ocp->ppd, (unsigned)ocp->phys_channel);
		break;
	case PPTP_ICRQ:
		sbuf_printf(sb, " call_id=%u serial=%u", icq->call_id,
		    icq->call_serial);
		code_print(sb, "bearer",
		    pptp_bearer_type_name(icq->bearer_type), icq->bearer_type);
		sbuf_printf(sb, " channel=%u dialed_len=%u dialing_len=%u",
		    (unsigned)icq->phys_channel, icq->dialed_len,
		    icq->dialing_len);
		str_print(sb, "dialed", icq->dialed, PPTP_PHONE_LEN);
		str_print(sb, "dialing", icq->dialing, PPTP_PHONE_LEN);
		str_print(sb, "subaddress", icq->subaddress, PPTP_SUBADDR_LEN);
		break;
	case PPTP_ICRP:
		sbuf_printf(sb, " call_id=%u peer_call_id=%u", icp->call_id,
		    icp->peer_call_id);
		result_error_print(sb, t, icp->result, icp->error);
		sbuf_printf(sb, " window=%u ptd=%u", icp->recv_window,
		    icp->ptd);
		reserved_print(sb, "reserved1", icp->reserved1);
		break;
	case PPTP_ICCN:
		sbuf_printf(sb, " peer_call_id=%u speed=%u window=%u ptd=%u",
		    icc->peer_call_id, (unsigned)icc->connect_speed,
		    icc->recv_window, icc->ptd);
		code_print(sb, "framing",
		    pptp_framing_type_name(icc->framing_type),
		    icc->framing_type);
		reserved_print(sb, "reserved1", icc->reserved1);
		break;
	case PPTP_CCRQ:
		sbuf_printf(sb, " call_id=%u", m->u.ccrq.call_id);
		reserved_print(sb, "reserved1", m->u.ccrq.reserved1);
		break;
	case PPTP_CDN:
		sbuf_printf(sb, " call_id=%u", cdn->call_id);
		result_error_print(sb, t, cdn->result, cdn->error);
		sbuf_printf(sb, " cause=%u", cdn->cause);
		str_print(sb, "stats", cdn->call_stats, PPTP_STATS_LEN);
		reserved_print(sb, "reserved1", cdn->reserved1);
		break;
	case PPTP_WEN:
		sbuf_printf(sb, " peer_call_id=%u crc=%u framing=%u"
		    " hw_overruns=%u buf_overruns=%u timeout=%u alignment=%u",
		    wen->peer_call_id, (unsigned)wen->crc_errors,
		    (unsigned)wen->framing_errors, (unsigned)wen->hw_overruns,
		    (unsigned)wen->buf_overruns, (unsigned)wen->timeout_errors,
		    (unsigned)wen->align_errors);
		reserved_print(sb, "reserved1", wen->reserved1);
		break;
	case PPTP_SLI:
		sbuf_printf(sb, " peer_call_id=%u send_accm=0x%08x"
		    " recv_accm=0x%08x", m->u.sli.peer_call_id,
		    (unsigned)m->u.sli.send_accm, (unsigned)m->u.sli.recv_accm);
		reserved_print(sb, "reserved1", m->u.sli.reserved1);
		break;
	}
}

void
pptp_msg_print(const struct pptp_msg *m, struct sbuf *sb)
{
	const char *name = pptp_ctrl_type_name(m->ctrl_type);

	if (name == NULL) {
		sbuf_printf(sb, "PPTP ctrl_type=%u", m->ctrl_type);
	} else {
		sbuf_printf(sb, "%s %s", name,
		    pptp_ctrl_type_long_name(m->ctrl_type));
		body_print(m, sb);
	}
	reserved_print(sb, "reserved0", m->reserved0);
}

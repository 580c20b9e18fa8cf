/*
 * server_pns.h - a minimal PPTP client (PNS, RFC 2637 1.3) for the server's
 * end-to-end test: per client, the control connection core
 * (src/pptp/ctrl.h, PNS role) over a TCP socket and a tunnel call
 * (src/tunnel/call.h: PPP client, GRE window, TUN) over one shared raw GRE
 * socket, all on one event loop in a thread of its own, inside a network
 * namespace.  Every control and PPP event a client sees is recorded in
 * order ("established,call-up,auth-ok,ip-up,call-down:cdn/3,...").
 *
 * The test thread talks to the loop thread only through the atomics and
 * the mutex-guarded event string; the other fields of a client are written
 * before the atomic flag that announces them.  Test support, not product.
 */
#ifndef PPTPKIT_TESTS_SERVER_PNS_H
#define PPTPKIT_TESTS_SERVER_PNS_H

#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../src/event/loop.h"
#include "../src/os/tcp.h"
#include "../src/pptp/ctrl.h"
#include "../src/tunnel/call.h"
#include "../src/tunnel/gre_mux.h"

#define PNS_MAX		8

struct pns_client {
	char		 user[64], pass[64];
	struct pns	*pns;
	/* the loop thread's */
	struct tcp_conn	 tcp;
	bool		 started, connected, io_added, done, hangup;
	unsigned	 io_events;
	struct ctrl	 ctrl;
	struct ev_timer	 timer;
	struct tunnel_call *call;
	/* shared */
	atomic_int	 cmd;		/* 1 connect, 2 hang up */
	atomic_bool	 ip_up, ppp_down, call_down, closed;
	uint32_t	 local, peer;	/* IP_UP, host order */
	unsigned	 mppe_bits;
	bool		 stateless, orderly;
	uint16_t	 server_call_id;
	int		 reason;	/* enum ppp_down_reason */
	int		 close_cause;	/* enum ctrl_close_cause */
	int		 cdn_result;
	char		 ifname[IFNAMSIZ];
	pthread_mutex_t	 mu;
	char		 seq[512];
};

struct pns {
	char		 ns[32];
	struct in_addr	 server;
	pthread_t	 th;
	atomic_int	 state;		/* 0 starting, 1 running, -1 failed,
					 * 2 done */
	atomic_bool	 stop;
	struct ev_loop	*loop;
	struct gre_mux	*mux;
	struct ev_timer	 tick;
	struct pns_client cl[PNS_MAX];
	unsigned	 n;
};

/* Sets up p for n clients (user[i], pass[i]) talking to server (dotted
 * quad) from netns ns; starts the loop thread and waits until it runs.
 * true on success. */
bool pns_start(struct pns *p, const char *ns, const char *server,
    const char *const *users, const char *const *passwords, unsigned n);
/* Asks client i to connect (SCCRQ, OCRQ, PPP) / to hang up (LCP
 * Terminate, then Stop-Control-Connection). */
void pns_connect(struct pns *p, unsigned i);
void pns_hangup(struct pns *p, unsigned i);
/* Stops the thread and frees everything. */
void pns_stop(struct pns *p);
/* Waits up to ms for the flag. */
bool pns_wait(atomic_bool *flag, int ms);
/* true when event a was recorded before event b (substrings of the event
 * string); notes the events otherwise. */
bool pns_seq_order(struct pns_client *c, const char *a, const char *b);

#endif

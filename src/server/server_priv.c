/*
 * server_priv.c - `--user NAME`: after set-up, become an unprivileged user
 * but keep the two capabilities a running PAC needs for new sessions:
 *   CAP_NET_ADMIN  create TUN devices (TUNSETIFF) and configure them over
 *                  rtnetlink (MTU, link up, point-to-point address);
 *   CAP_NET_RAW    the raw GRE socket (opened at start-up; kept so the
 *                  kernel never refuses what it sends, and for a future
 *                  reopen).
 * Port 1723 is bound before the drop, so CAP_NET_BIND_SERVICE is not kept.
 * /dev/net/tun must be readable and writable by the user (mode 0666 is the
 * usual udev rule): the drop is refused otherwise, since every new session
 * opens it.
 *
 * The sequence is the classic one, with the raw system calls (no libcap):
 * PR_SET_KEEPCAPS, setgroups/setgid/setuid (the permitted set survives,
 * the effective set is cleared), capset() to make the two capabilities
 * permitted, effective and inheritable, then PR_CAP_AMBIENT_RAISE so the
 * ip-up/ip-down scripts (executed as the user) keep them too.  Every other
 * capability is gone from the permitted set for good.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../base/log.h"
#include "server.h"

int
srv_priv_drop(const char *user)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
	const struct passwd *pw;
	uint32_t keep = (1u << CAP_NET_ADMIN) | (1u << CAP_NET_RAW);
	gid_t gid;
	uid_t uid;
	int fd;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL)
		return errno != 0 ? ERR_SYS : ERR_NOTFOUND;
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0)
		return 0;		/* root asked for root: nothing to do */
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0 ||
	    setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
		return ERR_SYS;
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	data[0].effective = data[0].permitted = data[0].inheritable = keep;
	data[1].effective = data[1].permitted = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) != 0)
		return ERR_SYS;
	(void)prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
	/* Root for good would be a failure of all of the above. */
	if (setuid(0) == 0) {
		errno = EPERM;
		return ERR_SYS;
	}
	/* Every session opens /dev/net/tun afresh: as the user now, with
	 * its file permissions (0666 on most systems, by udev rule). */
	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0)
		return ERR_SYS;
	close(fd);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (long)CAP_NET_ADMIN,
	    0L, 0L) != 0 || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
	    (long)CAP_NET_RAW, 0L, 0L) != 0)
		log_msg(LOG_WARN, "server", "event=privileges warning=\"no "
		    "ambient capabilities (kernel before 4.3?): scripts run "
		    "without CAP_NET_ADMIN\"");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * zc_probe's try of SOCKET_URING_OP_TX_TIMESTAMP (Linux 6.17, tstamp.c
 * reads sampled requests' stamps with it): a datagram on loopback from a
 * socket that stamps every send in the driver, then the command on a
 * CQE32 ring must post that stamp.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <unistd.h>

#include "internal.h"

#ifndef SOCKET_URING_OP_TX_TIMESTAMP
#define SOCKET_URING_OP_TX_TIMESTAMP 4
#endif

#define TRY_WAIT_NS (1000ULL * 1000000ULL)

/* a connected UDP socket on loopback that stamps its sends: its fd, or -errno */
static int stamping_socket(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	unsigned flags = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
			 SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* port 9 (discard) on loopback: nobody listens, the send leaves anyway */
	sin.sin_port = htons(9);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) ||
	    send(fd, "z", 1, 0) != 1) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int zc_probe_tx_timestamp(void)
{
	struct __kernel_timespec wait = { .tv_nsec = TRY_WAIT_NS };
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, ret;

	ret = zc_ring_init(4, &ring, &p);
	if (ret)
		return ret;
	fd = stamping_socket();
	if (fd < 0) {
		ret = fd;
		goto out_ring;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = SOCKET_URING_OP_TX_TIMESTAMP;
	ret = io_uring_submit(&ring);
	if (ret != 1) {
		ret = ret < 0 ? ret : -EIO;
		goto out;
	}
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &wait);
	if (ret)
		goto out;
	/* a stamp comes flagged F_MORE (the command stays armed); an error ends it */
	ret = (cqe->flags & IORING_CQE_F_MORE) ? 0 : cqe->res < 0 ? cqe->res : -EPROTO;
	io_uring_cqe_seen(&ring, cqe);
out:
	close(fd);
out_ring:
	io_uring_queue_exit(&ring);
	return ret;
}

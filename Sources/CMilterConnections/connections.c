#define _GNU_SOURCE
#include "gcm_connections.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Descriptors beyond this are passed through uncounted (the daemon raises its limit to 65,536). */
#define TRACKED 65536

static atomic_int enabled, max_open, handshake_timeout, open_count, layout_unknown, stopping;
static atomic_long refused;
/* Per descriptor: when accept() counted it (monotonic seconds + 1; 0 = not counted), and whether the
   milter protocol started on it. */
static atomic_long accepted_at[TRACKED];
static atomic_char negotiated[TRACKED];

static long now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec;
}

typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*close_fn)(int);

static close_fn real_close_fn(void) {
    static _Atomic(close_fn) cached;
    close_fn fn = atomic_load(&cached);
    if (!fn) {
        fn = (close_fn)dlsym(RTLD_NEXT, "close");
        atomic_store(&cached, fn);
    }
    return fn;
}

void gcm_connections_limit(int max_connections, int handshake_timeout_seconds) {
    atomic_store(&max_open, max_connections);
    atomic_store(&handshake_timeout, handshake_timeout_seconds);
    atomic_store(&enabled, 1);
}

int accept(int listener, struct sockaddr *address, socklen_t *length) {
    static _Atomic(accept_fn) cached;
    accept_fn real = atomic_load(&cached);
    if (!real) {
        real = (accept_fn)dlsym(RTLD_NEXT, "accept");
        atomic_store(&cached, real);
    }
    if (!real) { errno = ENOSYS; return -1; }
    int fd = real(listener, address, length);
    if (fd >= 0 && atomic_load(&stopping)) {
        real_close_fn()(fd);
        errno = ECONNABORTED;
        return -1;
    }
    if (fd < 0 || !atomic_load(&enabled) || fd >= TRACKED) return fd;
    if (atomic_fetch_add(&open_count, 1) >= atomic_load(&max_open)) {
        atomic_fetch_sub(&open_count, 1);
        atomic_fetch_add(&refused, 1);
        real_close_fn()(fd);
        errno = ECONNABORTED;
        return -1;
    }
    atomic_store(&negotiated[fd], 0);
    atomic_store(&accepted_at[fd], now_seconds() + 1);
    return fd;
}

int close(int fd) {
    if (fd >= 0 && fd < TRACKED && atomic_exchange(&accepted_at[fd], 0) != 0) atomic_fetch_sub(&open_count, 1);
    close_fn real = real_close_fn();
    if (!real) { errno = ENOSYS; return -1; }
    return real(fd);
}

int gcm_connection_negotiated(const void *ctx) {
    /* libmilter's SMFICTX begins { pthread_t ctx_id; int ctx_sd; ... } in every release since 8.12. A
       descriptor that accept() did not count means the layout is not that one: then reaping is turned
       off for good rather than closing sessions that did negotiate. */
    const int fd = *(const int *)((const char *)ctx + sizeof(pthread_t));
    if (fd < 0 || fd >= TRACKED || atomic_load(&accepted_at[fd]) == 0) {
        if (atomic_load(&enabled)) atomic_store(&layout_unknown, 1);
        return 0;
    }
    atomic_store(&negotiated[fd], 1);
    return 1;
}

int gcm_connections_reap(void) {
    if (!atomic_load(&enabled) || atomic_load(&layout_unknown)) return -1;
    const long deadline = now_seconds() + 1 - atomic_load(&handshake_timeout);
    int reaped = 0;
    for (int fd = 0; fd < TRACKED; fd++) {
        const long at = atomic_load(&accepted_at[fd]);
        if (at == 0 || at > deadline || atomic_load(&negotiated[fd])) continue;
        /* Mark it, so it is shut down once: libmilter closes it when it reads the end of the stream. */
        atomic_store(&negotiated[fd], 1);
        if (shutdown(fd, SHUT_RDWR) == 0) reaped++;
    }
    return reaped;
}

long gcm_connections_refused(void) { return atomic_load(&refused); }

void gcm_connections_stop_accepting(void) { atomic_store(&stopping, 1); }

static struct sockaddr_storage wake_address;
static socklen_t wake_length;

int gcm_connections_wake_at(int listener) {
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(listener, (struct sockaddr *)&address, &length) != 0) return -1;
    if (address.ss_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&address;
        if (in->sin_addr.s_addr == htonl(INADDR_ANY)) in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (address.ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&address;
        if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr)) in6->sin6_addr = in6addr_loopback;
    }
    wake_address = address;
    wake_length = length;
    return 0;
}

int gcm_connections_wake(void) {
    if (wake_length == 0) { errno = EDESTADDRREQ; return -1; }
    int fd = socket(wake_address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    /* Non-blocking: a loopback or unix connect completes or queues at once; the poll wakes either way. */
    int rc = connect(fd, (const struct sockaddr *)&wake_address, wake_length);
    int saved = errno;
    real_close_fn()(fd);
    if (rc != 0 && saved != EINPROGRESS && saved != EAGAIN) { errno = saved; return -1; }
    return 0;
}

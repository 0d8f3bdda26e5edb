#define _GNU_SOURCE
#include "gcm_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int gcm_spawn_piped(const char *path, pid_t *pid, int *to_child, int *from_child) {
    int in[2], out[2];
    /* A socket pair for the child's input: writes use MSG_NOSIGNAL, so a helper that exits early gives
       EPIPE, not a SIGPIPE that would kill the milter. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return errno;
    if (pipe2(out, O_CLOEXEC) != 0) {
        int saved = errno;
        close(in[0]); close(in[1]);
        return saved;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    char *const argv[] = {(char *)path, NULL};
    char *const envp[] = {"PATH=/usr/bin:/bin", NULL};
    int rc = posix_spawn(pid, path, &actions, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]); close(out[0]);
        return rc;
    }
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    *to_child = in[1];
    *from_child = out[0];
    return 0;
}

int gcm_spawn_wait(pid_t pid, int *status) {
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) { *status = -1; return -1; }
    }
    return WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? 0 : -1;
}

ssize_t gcm_spawn_send(int fd, const void *bytes, size_t length) {
    return send(fd, bytes, length, MSG_NOSIGNAL);
}

#ifndef GCM_SPAWN_H
#define GCM_SPAWN_H
#include <stddef.h>
#include <sys/types.h>

/* Starts `path` with no arguments and a minimal environment, its standard input and output connected
   to pipes whose other ends are returned (close-on-exec, non-blocking), standard error to /dev/null, and
   every other descriptor of this process closed in the child: an MTA connection or a state file must
   never reach a helper. Returns 0, or an errno. In C because pipe2 and
   posix_spawn_file_actions_addclosefrom_np are GNU extensions Swift's Glibc module does not show. */
int gcm_spawn_piped(const char *path, pid_t *pid, int *to_child, int *from_child);

/* Writes to the child's input without raising SIGPIPE (the input is a socket). */
ssize_t gcm_spawn_send(int fd, const void *bytes, size_t length);

/* waitpid(2) for `pid`, retried on EINTR; 0 when it exited with status 0, else -1 (*status set). */
int gcm_spawn_wait(pid_t pid, int *status);

#endif

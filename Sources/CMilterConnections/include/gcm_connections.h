#ifndef GCM_CONNECTIONS_H
#define GCM_CONNECTIONS_H

/* Bounds on the connections libmilter accepts, which it does not bound itself: every connection costs a
   descriptor, and 1,100 idle ones from any local user used to exhaust the 1,024 the daemon had, after
   which Postfix waited 10 s per message and delivered without a verdict.

   This executable's accept() and close() interpose libc's for libmilter.so (as sigwait does, see
   gcm_signals.h). accept() counts the connections; past the cap it closes the new one at once, so the
   MTA answers it with its default_action without waiting, and returns ECONNABORTED, which libmilter's
   accept loop takes in its stride. close() forgets a counted connection. gcm_connections_reap() shuts
   down connections that sent nothing the milter protocol could start a session with (no option
   negotiation) within the handshake timeout; libmilter then sees the end of the stream and closes
   them itself. An MTA negotiates as soon as it connects. */

/* Turns the bounds on (before serving). */
void gcm_connections_limit(int max_connections, int handshake_timeout_seconds);

/* Marks the connection of a libmilter context as negotiated. Returns 1 when the context's descriptor
   was one accept() counted; 0 otherwise, which turns reaping off for good (see connections.c). */
int gcm_connection_negotiated(const void *ctx);

/* Shuts down the connections silent past the handshake timeout; returns how many, or -1 when reaping
   is off (bounds not enabled, or libmilter's context could not be read). */
int gcm_connections_reap(void);

/* A stop: from now on every connection accept() takes is closed at once and reported as ECONNABORTED,
   so the MTA answers it with its default_action without waiting while open sessions finish. The
   listening socket itself stays open: closing or shutting it down under libmilter's poll() would make
   libmilter abort every session. */
void gcm_connections_stop_accepting(void);

/* Wakes libmilter's accept loop, which holds its listener lock across a poll of up to 5 s: smfi_stop()
   waits for that lock, and the loop notices the stop only after the poll. gcm_connections_wake_at()
   reads the listening socket's address once (a wildcard address becomes loopback); each
   gcm_connections_wake() then connects to it and closes at once. Both return 0, or -1 with errno set. */
int gcm_connections_wake_at(int listener);
int gcm_connections_wake(void);

/* Connections refused at the cap so far. */
long gcm_connections_refused(void);

#endif

package io.tracewatch.cli;

import java.io.IOException;
import java.net.ServerSocket;

/** Local ports a command listens on: a busy one is one line before anything starts, not a server's stack of errors. */
final class Ports {
    private Ports() {}

    /** Refuses a port another process listens on; 0 (any free port) always passes. */
    static int requireFree(String what, int port) {
        if (port != 0) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException busy) {
                throw new UsageException(what + " " + port + " is in use: stop what listens there, or choose another port");
            }
        }
        return port;
    }

    /** The preferred port when it is free, else any free one. */
    static int preferredOrFree(int preferred) throws IOException {
        try (ServerSocket socket = new ServerSocket(preferred)) {
            return preferred;
        } catch (IOException busy) {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}

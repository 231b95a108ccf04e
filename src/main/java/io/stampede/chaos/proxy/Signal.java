package io.stampede.chaos.proxy;

/** The ends a link's pipes carry after the data, so that an end never overtakes data before it. */
enum Signal {
    /** The sender closed its side: half-close the receiver's side. */
    END,
    /** A toxic closed the connection: close both sockets once the data before it is written. */
    CLOSE
}

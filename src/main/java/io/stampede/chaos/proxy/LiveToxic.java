package io.stampede.chaos.proxy;

import io.stampede.chaos.proxy.toxics.Toxic;

/** A toxic on a proxy: as asked for (attributes completed) and built, shared by all its connections. */
record LiveToxic(ToxicSpec spec, Toxic toxic) {
}

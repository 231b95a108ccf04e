package io.stampede.chaos.proxy.toxics;

import java.util.List;

/**
 * Passes everything through unchanged. The proxy runs it in place of a toxic on the connections
 * the toxic's toxicity spared, and at the head of every chain (where removing the first real
 * toxic needs a stage to pause). Registered as type {@code noop}, as in Toxiproxy.
 */
public final class NoopToxic implements Toxic {

    public static final NoopToxic INSTANCE = new NoopToxic();

    public static final ToxicType TYPE = new ToxicType("noop", List.of(), attributes -> INSTANCE);

    private NoopToxic() {
    }

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            stub.send(chunk);
        }
    }
}

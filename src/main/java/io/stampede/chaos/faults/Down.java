package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import java.util.List;

/**
 * Takes the target off the network: the TCP fault proxy refuses new connections and closes open
 * ones (Toxiproxy's disabled proxy); the rollback lets traffic through again. The process is untouched.
 */
public record Down() implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        target.tcpProxy().enabled(false);
        return new Injection() {
            @Override
            public String detail() {
                return "connections refused at " + target.tcpProxy().listen();
            }

            @Override
            public void rollback() {
                target.tcpProxy().enabled(true);
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return null;
    }

    @Override
    public Front front() {
        return Front.TCP;
    }

    @Override
    public String describe() {
        return "down";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("down", List.of(), true, p -> new Down());
        }
    }
}

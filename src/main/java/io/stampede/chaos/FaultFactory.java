package io.stampede.chaos;

import java.util.List;
import java.util.function.Function;

/**
 * Makes a {@link Fault} from its parameters in a plan's {@code chaos:} entry or on the command line.
 * Found with {@link java.util.ServiceLoader}, so outside faults plug in like built-in ones.
 */
public interface FaultFactory {

    /** The name written after {@code fault:}, e.g. {@code kill}. */
    String kind();

    /** The fault's own parameter names (beyond the schedule's), for validation and help. */
    List<String> parameters();

    /** True when the fault needs a {@code duration} (pause, latency), false when it is instant (kill). */
    boolean lasting();

    Fault create(FaultParams params);

    /** The usual factory: a kind, its parameters, and a constructor. Built-in faults extend it. */
    abstract class Simple implements FaultFactory {
        private final String kind;
        private final List<String> parameters;
        private final boolean lasting;
        private final Function<FaultParams, Fault> constructor;

        protected Simple(String kind, List<String> parameters, boolean lasting,
                         Function<FaultParams, Fault> constructor) {
            this.kind = kind;
            this.parameters = List.copyOf(parameters);
            this.lasting = lasting;
            this.constructor = constructor;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public List<String> parameters() {
            return parameters;
        }

        @Override
        public boolean lasting() {
            return lasting;
        }

        @Override
        public Fault create(FaultParams params) {
            return constructor.apply(params);
        }
    }
}

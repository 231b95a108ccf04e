package io.stampede.chaos;

/** A target known only by its network address: network and HTTP faults act on it through its {@link Fronts}. */
public record AddressHandle(String name, Fronts fronts) implements TargetHandle {

    public AddressHandle(String name) {
        this(name, Fronts.NONE);
    }

    @Override
    public Kind kind() {
        return Kind.ADDRESS;
    }

    @Override
    public AddressHandle withFronts(Fronts fronts) {
        return new AddressHandle(name, fronts);
    }
}

package io.stampede.stats;

/** What statistics are grouped by, as in Locust: the request's method and its (possibly templated) name. */
public record RequestKey(String method, String name) implements Comparable<RequestKey> {

    @Override
    public int compareTo(RequestKey other) {
        int byName = name.compareTo(other.name);
        return byName != 0 ? byName : method.compareTo(other.method);
    }
}

package io.stampede.stats;

/** Failures are grouped by request and by error text, as in Locust's failures table. */
public record FailureKey(String method, String name, String error) implements Comparable<FailureKey> {

    public RequestKey request() {
        return new RequestKey(method, name);
    }

    @Override
    public int compareTo(FailureKey other) {
        int byRequest = request().compareTo(other.request());
        return byRequest != 0 ? byRequest : error.compareTo(other.error);
    }
}

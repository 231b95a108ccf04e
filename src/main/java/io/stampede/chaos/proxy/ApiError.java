package io.stampede.chaos.proxy;

/**
 * An API failure as Toxiproxy reports it: an HTTP status and a message, sent as
 * {@code {"error": "<message>", "status": <status>}}. The messages start as Toxiproxy's do
 * ({@code proxy not found}, {@code bad request body: ...}), so clients that match on them work.
 */
final class ApiError extends RuntimeException {

    static final int BAD_REQUEST = 400;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int CONFLICT = 409;
    static final int INTERNAL = 500;

    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiError badBody(String detail) {
        return new ApiError(BAD_REQUEST, "bad request body: " + detail);
    }

    static ApiError missingField(String field) {
        return new ApiError(BAD_REQUEST, "missing required field: " + field);
    }

    static ApiError proxyNotFound() {
        return new ApiError(NOT_FOUND, "proxy not found");
    }

    static ApiError proxyExists() {
        return new ApiError(CONFLICT, "proxy already exists");
    }

    static ApiError toxicNotFound() {
        return new ApiError(NOT_FOUND, "toxic not found");
    }

    static ApiError toxicExists() {
        return new ApiError(CONFLICT, "toxic already exists");
    }

    static ApiError invalidStream() {
        return new ApiError(BAD_REQUEST, "stream was invalid, can be either upstream or downstream");
    }

    static ApiError invalidToxicType(String detail) {
        return new ApiError(BAD_REQUEST, "invalid toxic type: " + detail);
    }
}

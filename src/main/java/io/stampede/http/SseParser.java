package io.stampede.http;

/**
 * Turns an event stream's lines into events, as the HTML standard's "event stream interpretation"
 * says: {@code event:}, {@code data:} (several join with newlines) and {@code id:} fields, a blank
 * line ends an event, a line starting with {@code :} is a comment, an event with no data is not
 * dispatched. One per stream; fed by one thread.
 */
final class SseParser {

    /** An event as it came: {@code type} is {@code message} when the stream named none. */
    record Event(String type, String data, String id) {
    }

    static final String DEFAULT_TYPE = "message";

    private String type;
    private StringBuilder data;
    private String lastId;

    /** Feeds one line (without its end); returns the event a blank line completes, or null. */
    Event line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // retry: and unknown fields change nothing a load test measures
            }
        }
        return null;
    }

    private Event dispatch() {
        Event event = data == null ? null
                : new Event(type == null || type.isEmpty() ? DEFAULT_TYPE : type, data.toString(), lastId);
        type = null;
        data = null;
        return event;
    }
}

package io.stampede.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request line and its headers, put together and written out as ISO-8859-1 bytes into an array
 * that one user reuses for all its requests. A header set again by name (any case) replaces the
 * earlier one, keeping its place. Carriage returns and line feeds in a name, value or target become
 * spaces (or %0D, %0A), so no value can end the head early or add a header of its own.
 */
final class RequestHead {

    private final List<String> names = new ArrayList<>(8);
    private final List<String> values = new ArrayList<>(8);
    private String method;
    private String target;
    private byte[] bytes = new byte[256];
    private int length;

    void start(String method, String target) {
        this.method = method;
        this.target = target;
        names.clear();
        values.clear();
    }

    /** Sets a header, replacing one of the same name. */
    void set(String name, String value) {
        int i = indexOf(name);
        if (i < 0) {
            add(name, value);
        } else {
            names.set(i, name);
            values.set(i, value);
        }
    }

    /** Adds a header after the others, even if one of that name is there. */
    void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** The value of a header set so far, by any case of its name; null if none. */
    String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values.get(i);
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The request target as started, for HTTP/2's :path. */
    String target() {
        return target;
    }

    /** How many headers are set; with {@link #name} and {@link #value}, what HTTP/2 sends as fields. */
    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    String value(int i) {
        return values.get(i);
    }

    void remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
    }

    /** Writes the head out; {@link #bytes()} holds it, {@link #length()} long. */
    void encode() {
        length = 0;
        text(method);
        put(' ');
        targetText(target);
        ascii(" HTTP/1.1\r\n");
        for (int i = 0; i < names.size(); i++) {
            text(names.get(i));
            ascii(": ");
            text(values.get(i));
            ascii("\r\n");
        }
        ascii("\r\n");
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    private void targetText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ' ' -> ascii("%20");
                case '\r' -> ascii("%0D");
                case '\n' -> ascii("%0A");
                default -> put(c < 0x100 ? c : '?');
            }
        }
    }

    private void text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            put(c == '\r' || c == '\n' ? ' ' : c < 0x100 ? c : '?');
        }
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void put(char c) {
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[length++] = (byte) c;
    }
}

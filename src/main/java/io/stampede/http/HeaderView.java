package io.stampede.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;

/**
 * A response's headers as the lower-case-name map {@link io.stampede.api.Response} expects, read from
 * the parsed fields only when asked. Most responses are never asked: building the map for
 * each one (names lowered, values cut out, lists) was a fifth of a request's garbage.
 */
final class HeaderView extends AbstractMap<String, List<String>> {

    private final List<HttpField> headers;
    private Map<String, List<String>> all;

    HeaderView(List<HttpField> headers) {
        this.headers = headers;
    }

    /** The values of one header, by a case-insensitive name; a scan is cheaper than a map for a few headers. */
    @Override
    public List<String> get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> values = null;
        for (HttpField header : headers) {
            if (header.getName().equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(1);
                }
                values.add(header.getValue());
            }
        }
        return values;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        if (all == null) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (HttpField header : headers) {
                map.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(header.getValue());
            }
            all = map;
        }
        return all.entrySet();
    }
}

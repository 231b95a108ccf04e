package io.stampede.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stampede.StampedeException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each value was written, so every message about a
 * plan can name its file, line, column and field. Jackson parses; this only keeps the locations that
 * Jackson's own tree drops.
 */
final class YamlNode {

    enum Kind { OBJECT, ARRAY, SCALAR, NULL }

    private final Kind kind;
    private final String file;
    private final String path;
    private final int line;
    private final int column;
    private final Map<String, YamlNode> fields;
    private final List<YamlNode> items;
    private final String text;
    private final JsonToken scalarToken;

    private YamlNode(Kind kind, String file, String path, JsonLocation location, Map<String, YamlNode> fields,
                     List<YamlNode> items, String text, JsonToken scalarToken) {
        this.kind = kind;
        this.file = file;
        this.path = path;
        this.line = location.getLineNr();
        this.column = location.getColumnNr();
        this.fields = fields;
        this.items = items;
        this.text = text;
        this.scalarToken = scalarToken;
    }

    /** Parses one YAML document; syntax errors become {@link StampedeException.BadInput} with the position. */
    static YamlNode parse(Reader reader, String file) {
        try (JsonParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new StampedeException.BadInput(file + ": the plan file is empty");
            }
            return read(parser, file, "");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new StampedeException.BadInput(where + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new StampedeException.BadInput(file + ": cannot read: " + e.getMessage());
        }
    }

    private static YamlNode read(JsonParser parser, String file, String path) throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> fields = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    fields.put(key, read(parser, file, childPath));
                }
                return new YamlNode(Kind.OBJECT, file, path, location, fields, List.of(), null, null);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, file, path + "[" + items.size() + "]"));
                }
                return new YamlNode(Kind.ARRAY, file, path, location, Map.of(), items, null, null);
            }
            case VALUE_NULL -> {
                return new YamlNode(Kind.NULL, file, path, location, Map.of(), List.of(), null, token);
            }
            default -> {
                return new YamlNode(Kind.SCALAR, file, path, location, Map.of(), List.of(), parser.getText(), token);
            }
        }
    }

    /** "plan.yaml:7:10: load.users" — the prefix of every message about this value. */
    String where() {
        return file + ":" + line + ":" + column + (path.isEmpty() ? "" : ": " + path);
    }

    StampedeException.BadInput error(String message) {
        return new StampedeException.BadInput(where() + ": " + message);
    }

    String path() {
        return path;
    }

    Kind kind() {
        return kind;
    }

    /** Checks this is a mapping with only {@code validKeys}; names the valid keys otherwise. */
    Map<String, YamlNode> object(Collection<String> validKeys) {
        if (kind != Kind.OBJECT) {
            throw error("expected a mapping (key: value), got " + describe());
        }
        for (Map.Entry<String, YamlNode> field : fields.entrySet()) {
            if (!validKeys.contains(field.getKey())) {
                YamlNode value = field.getValue();
                throw new StampedeException.BadInput(file + ":" + value.line + ":" + value.column + ": "
                        + (path.isEmpty() ? "" : path + ": ") + "unknown key '" + field.getKey()
                        + "'; valid keys: " + String.join(", ", validKeys));
            }
        }
        return fields;
    }

    /** A mapping with any keys (e.g. headers). */
    Map<String, YamlNode> anyObject() {
        if (kind != Kind.OBJECT) {
            throw error("expected a mapping (key: value), got " + describe());
        }
        return fields;
    }

    List<YamlNode> array() {
        if (kind != Kind.ARRAY) {
            throw error("expected a list, got " + describe());
        }
        return items;
    }

    /** A scalar as text (numbers and booleans too, as written). */
    String text() {
        if (kind != Kind.SCALAR) {
            throw error("expected a single value, got " + describe());
        }
        return text;
    }

    int intValue() {
        if (kind == Kind.SCALAR && scalarToken == JsonToken.VALUE_NUMBER_INT) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException tooBig) {
                throw error("number " + text + " is too large");
            }
        }
        throw error("expected a whole number, got " + describe());
    }

    double doubleValue() {
        if (kind == Kind.SCALAR && (scalarToken == JsonToken.VALUE_NUMBER_INT || scalarToken == JsonToken.VALUE_NUMBER_FLOAT)) {
            return Double.parseDouble(text);
        }
        throw error("expected a number, got " + describe());
    }

    boolean booleanValue() {
        if (kind == Kind.SCALAR && (scalarToken == JsonToken.VALUE_TRUE || scalarToken == JsonToken.VALUE_FALSE)) {
            return scalarToken == JsonToken.VALUE_TRUE;
        }
        throw error("expected true or false, got " + describe());
    }

    /** A located text value for {@link PlanDraft}. */
    Located<String> located() {
        return new Located<>(text(), where());
    }

    private String describe() {
        return switch (kind) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case NULL -> "nothing";
            case SCALAR -> "'" + text + "'";
        };
    }
}

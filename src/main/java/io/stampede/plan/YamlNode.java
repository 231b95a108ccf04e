package io.stampede.plan;

import com.fasterxml.jackson.core.JsonToken;
import io.stampede.StampedeException;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML document as a tree that remembers where each value was written, so every message about a
 * plan can name its file, line, column and field. SnakeYAML parses (the parser under Jackson's YAML
 * module); this keeps the locations that a data-binding tree drops.
 */
final class YamlNode {

    enum Kind { OBJECT, ARRAY, SCALAR, NULL }

    /** Values that aliases may copy in all: a plan needs a few hundred; a "billion laughs" file stops here. */
    static final int MAX_EXPANDED_VALUES = 100_000;

    private final Kind kind;
    private final String file;
    private final String path;
    private final int line;
    private final int column;
    private final Map<String, YamlNode> fields;
    private final List<YamlNode> items;
    private final String text;
    private final JsonToken scalarToken;
    /** Values in this subtree, itself included: what expanding an alias to it costs. */
    private final int size;

    private YamlNode(Kind kind, String file, String path, Mark mark, Map<String, YamlNode> fields,
                     List<YamlNode> items, String text, JsonToken scalarToken) {
        // SnakeYAML counts from 0; editors and our messages from 1
        this(kind, file, path, mark.getLine() + 1, mark.getColumn() + 1, fields, items, text, scalarToken);
    }

    private YamlNode(Kind kind, String file, String path, int line, int column, Map<String, YamlNode> fields,
                     List<YamlNode> items, String text, JsonToken scalarToken) {
        this.kind = kind;
        this.file = file;
        this.path = path;
        this.line = line;
        this.column = column;
        this.fields = fields;
        this.items = items;
        this.text = text;
        this.scalarToken = scalarToken;
        this.size = 1 + fields.values().stream().mapToInt(f -> f.size).sum() + items.stream().mapToInt(i -> i.size).sum();
    }

    /**
     * Parses one YAML document; syntax errors become {@link StampedeException.BadInput} with the position.
     * SnakeYAML's events are read directly (not Jackson's tokens) because they keep what a plan needs:
     * every value's position, and the anchors of single values, so aliases expand as YAML says.
     */
    static YamlNode parse(Reader reader, String file) {
        Events events = new Events(new Yaml(new LoaderOptions()).parse(reader).iterator(), file);
        try {
            events.next(); // stream start
            Event start = events.next();
            if (start instanceof StreamEndEvent) {
                throw new StampedeException.BadInput(file + ": the plan file is empty");
            }
            Event first = events.next();
            if (first instanceof DocumentEndEvent) {
                throw new StampedeException.BadInput(file + ": the plan file is empty");
            }
            YamlNode root = new Anchors(file, events).read(first, "");
            events.next(); // document end
            Event after = events.next();
            if (after instanceof DocumentStartEvent) {
                throw new StampedeException.BadInput(events.where(after.getStartMark())
                        + ": a second YAML document (after '---'); a plan file holds one");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new StampedeException.BadInput((at == null ? file : events.where(at)) + ": not valid YAML: " + yamlProblem(e));
        } catch (YAMLException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CharacterCodingException) {
                throw new StampedeException.BadInput(file + ": not UTF-8 text; save the plan as UTF-8");
            }
            throw new StampedeException.BadInput(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse("").strip());
        }
    }

    /**
     * Parses every document of a multi-document stream ({@code ---} between them), as OpenSLO files
     * hold an SLO, its SLI and its data source together; each document has its own anchors, as YAML
     * says. Errors as {@link #parse}; an empty document is left out.
     */
    static List<YamlNode> parseAll(Reader reader, String file) {
        Events events = new Events(new Yaml(new LoaderOptions()).parse(reader).iterator(), file);
        List<YamlNode> documents = new ArrayList<>();
        try {
            events.next(); // stream start
            for (Event start = events.next(); start instanceof DocumentStartEvent; start = events.next()) {
                Event first = events.next();
                if (first instanceof DocumentEndEvent) {
                    continue;
                }
                documents.add(new Anchors(file, events).read(first, ""));
                events.next(); // document end
            }
            return documents;
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new StampedeException.BadInput((at == null ? file : events.where(at)) + ": not valid YAML: " + yamlProblem(e));
        } catch (YAMLException e) {
            throw new StampedeException.BadInput(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse("").strip());
        }
    }

    /**
     * SnakeYAML's message without its excerpt of the file (the location says where): the problem and
     * its hint, e.g. "found character '\t(TAB)' that cannot start any token. (Do not use \t(TAB) for
     * indentation)", on one line.
     */
    private static String yamlProblem(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext() + ": ";
        return (context + problem).replaceAll("\\s+", " ").strip();
    }

    /** The event stream, with the file name for positions. */
    private record Events(Iterator<Event> iterator, String file) {
        Event next() {
            return iterator.next();
        }

        String where(Mark mark) {
            return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        }
    }

    /**
     * Builds the tree, expanding aliases ({@code *name}) to the value anchored earlier with
     * {@code &name}, and merge keys ({@code <<: *base}) into mappings, as YAML 1.1 does; a key
     * written twice in one mapping is refused instead of the last one winning silently.
     */
    private static final class Anchors {
        private static final Resolver RESOLVER = new Resolver();
        private final String file;
        private final Events events;
        private final Map<String, YamlNode> anchored = new HashMap<>();
        private long expanded;

        Anchors(String file, Events events) {
            this.file = file;
            this.events = events;
        }

        YamlNode read(Event event, String path) {
            if (event instanceof AliasEvent alias) {
                String name = alias.getAnchor();
                YamlNode target = anchored.get(name);
                if (target == null) {
                    throw new StampedeException.BadInput(events.where(event.getStartMark())
                            + (path.isEmpty() ? "" : ": " + path) + ": the alias *" + name + " names no anchor &" + name + " above it");
                }
                expanded += target.size;
                if (expanded > MAX_EXPANDED_VALUES) {
                    throw new StampedeException.BadInput(events.where(event.getStartMark())
                            + ": aliases expand to more than " + MAX_EXPANDED_VALUES + " values; a plan needs far fewer");
                }
                return target.at(path);
            }
            YamlNode node = readValue(event, path);
            if (event instanceof NodeEvent anchoredEvent && anchoredEvent.getAnchor() != null) {
                anchored.put(anchoredEvent.getAnchor(), node);
            }
            return node;
        }

        private YamlNode readValue(Event event, String path) {
            Mark mark = event.getStartMark();
            switch (event) {
                case MappingStartEvent ignored -> {
                    Map<String, YamlNode> fields = new LinkedHashMap<>();
                    Map<String, YamlNode> merged = new LinkedHashMap<>();
                    Map<String, Integer> keyLines = new HashMap<>();
                    for (Event keyEvent = events.next(); !(keyEvent instanceof MappingEndEvent); keyEvent = events.next()) {
                        if (!(keyEvent instanceof ScalarEvent keyScalar)) {
                            throw new StampedeException.BadInput(events.where(keyEvent.getStartMark())
                                    + (path.isEmpty() ? "" : ": " + path) + ": a key is a single word, not a list or a mapping");
                        }
                        String key = keyScalar.getValue();
                        String childPath = path.isEmpty() ? key : path + "." + key;
                        YamlNode value = read(events.next(), childPath);
                        if (key.equals("<<") && keyScalar.getImplicit().canOmitTagInPlainScalar()) {
                            merge(value, path, merged);
                            continue;
                        }
                        Integer first = keyLines.putIfAbsent(key, keyScalar.getStartMark().getLine() + 1);
                        if (first != null) {
                            throw new StampedeException.BadInput(events.where(keyEvent.getStartMark()) + ": "
                                    + (path.isEmpty() ? "" : path + ": ") + "duplicate key '" + key
                                    + "' (first at line " + first + "); give each key once");
                        }
                        fields.put(key, value);
                    }
                    merged.forEach(fields::putIfAbsent); // the mapping's own keys win over merged ones
                    return new YamlNode(Kind.OBJECT, file, path, mark, fields, List.of(), null, null);
                }
                case SequenceStartEvent ignored -> {
                    List<YamlNode> items = new ArrayList<>();
                    for (Event item = events.next(); !(item instanceof SequenceEndEvent); item = events.next()) {
                        items.add(read(item, path + "[" + items.size() + "]"));
                    }
                    return new YamlNode(Kind.ARRAY, file, path, mark, Map.of(), items, null, null);
                }
                case ScalarEvent scalar -> {
                    JsonToken token = scalarType(scalar);
                    return new YamlNode(token == JsonToken.VALUE_NULL ? Kind.NULL : Kind.SCALAR, file, path, mark, Map.of(),
                            List.of(), scalar.getValue(), token);
                }
                default -> throw new StampedeException.BadInput(events.where(mark) + ": unexpected YAML " + event);
            }
        }

        /** What a scalar is by YAML 1.1's rules: a quoted one is text; a plain one may be a number, a boolean or null. */
        private static JsonToken scalarType(ScalarEvent scalar) {
            Tag tag;
            if (scalar.getTag() != null && !scalar.getTag().equals("!")) {
                tag = new Tag(scalar.getTag());
            } else if (scalar.getImplicit().canOmitTagInPlainScalar()) {
                tag = RESOLVER.resolve(NodeId.scalar, scalar.getValue(), true);
            } else {
                tag = Tag.STR;
            }
            if (tag.equals(Tag.INT)) {
                return JsonToken.VALUE_NUMBER_INT;
            } else if (tag.equals(Tag.FLOAT)) {
                return JsonToken.VALUE_NUMBER_FLOAT;
            } else if (tag.equals(Tag.BOOL)) {
                return TRUE_WORDS.contains(scalar.getValue().toLowerCase(Locale.ROOT)) ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
            } else if (tag.equals(Tag.NULL)) {
                return JsonToken.VALUE_NULL;
            }
            return JsonToken.VALUE_STRING;
        }

        private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "y", "on");

        /** {@code <<: *base} or {@code <<: [*a, *b]}: the earlier mapping's keys, for those not already merged. */
        private void merge(YamlNode value, String path, Map<String, YamlNode> into) {
            List<YamlNode> sources = value.kind == Kind.ARRAY ? value.items : List.of(value);
            for (YamlNode source : sources) {
                if (source.kind != Kind.OBJECT) {
                    throw source.error("a merge key (<<) takes a mapping or a list of mappings, got " + source.describe());
                }
                source.at(path).fields.forEach(into::putIfAbsent);
            }
        }
    }

    /** The same value reached by another path (through an alias), for messages about where it is used. */
    private YamlNode at(String newPath) {
        Map<String, YamlNode> newFields = new LinkedHashMap<>();
        fields.forEach((key, value) -> newFields.put(key, value.at(newPath.isEmpty() ? key : newPath + "." + key)));
        List<YamlNode> newItems = new ArrayList<>();
        for (YamlNode item : items) {
            newItems.add(item.at(newPath + "[" + newItems.size() + "]"));
        }
        return new YamlNode(kind, file, newPath, line, column, newFields, newItems, text, scalarToken);
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

    /**
     * Like {@link #object} for the top of a plan, where keys starting with {@code x-} are left for
     * the user (a place to define anchors, as in Compose files) and not returned.
     */
    Map<String, YamlNode> objectWithExtensions(Collection<String> validKeys) {
        if (kind != Kind.OBJECT) {
            throw error("expected a mapping (key: value), got " + describe());
        }
        Map<String, YamlNode> own = new LinkedHashMap<>(fields);
        own.keySet().removeIf(key -> key.startsWith(EXTENSION_PREFIX));
        return new YamlNode(kind, file, path, line, column, own, items, text, scalarToken).object(validKeys);
    }

    /** Keys with this prefix at the top of a plan are the user's own (e.g. for anchors). */
    static final String EXTENSION_PREFIX = "x-";

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
            case SCALAR -> Problems.quoted(text);
        };
    }
}

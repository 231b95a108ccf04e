package io.stampede.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.stampede.web.RunControl.ControlException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a command's body into its record ({@link ControlBodies}), refusing what Jackson would
 * otherwise coerce: a string "10" or a float 1.5 for a whole number, a number or a boolean for a
 * string. Every refusal is one {@link ControlException} (400) naming the field and quoting the value
 * as it was sent; never Jackson's own message.
 */
final class ControlJson {

    /** Jackson, strict: only the JSON types a field declares. */
    private static final ObjectMapper BODIES = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** What a field of each type takes, for the message when it got something else. */
    private static final Map<Class<?>, String> EXPECTED = Map.of(
            Integer.class, "expected a whole number, got ",
            Number.class, "expected a number, got ",
            String.class, "expected a string, got ");
    /** A run time sent as a number that is no whole number of seconds; anything else not text is "expected a string". */
    private static final String EXPECTED_SECONDS = "expected seconds as a whole number 0 or more, or a duration such as \"5m\"; got ";

    private ControlJson() {
    }

    /** The body (empty: {}) as a {@code type}; a 400 {@link ControlException} when it is not one. */
    static <T extends Record> T read(byte[] body, Class<T> type) {
        ObjectNode json = object(body);
        List<RecordComponent> fields = Arrays.asList(type.getRecordComponents());
        onlyKnown(json, fields);
        try {
            return BODIES.treeToValue(json, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ControlException refusal) {
                throw refusal; // the record's own check
            }
            throw ControlException.badInput("the body could not be read: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String field = field(e);
            RecordComponent component = fields.stream().filter(f -> f.getName().equals(field)).findFirst().orElse(null);
            if (component == null) {
                throw ControlException.badInput("the body could not be read: " + e.getOriginalMessage());
            }
            throw ControlException.badInput(field + ": " + expected(component.getType(), json.get(field)) + json.get(field));
        }
    }

    private static String expected(Class<?> type, JsonNode value) {
        if (type == ControlBodies.RunTime.class) {
            return value.isNumber() ? EXPECTED_SECONDS : EXPECTED.get(String.class);
        }
        return EXPECTED.get(type);
    }

    /** The field being read when Jackson refused: from the exception's path, else from its parser. */
    private static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException bind && !bind.getPath().isEmpty()) {
            return bind.getPath().get(0).getFieldName();
        }
        if (e.getProcessor() instanceof JsonParser parser) {
            try {
                return parser.currentName();
            } catch (IOException unreadable) {
                return null;
            }
        }
        return null;
    }

    private static ObjectNode object(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return BODIES.createObjectNode();
        }
        JsonNode node;
        try {
            node = BODIES.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ControlException.badInput("the body holds a value too long for any field (a number of 1,000 digits or more?)");
        } catch (JsonProcessingException e) {
            throw ControlException.badInput("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ControlException.badInput("the body could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ControlException.badInput("the body must be a JSON object, like {\"users\": 10}");
        }
        return object;
    }

    /** Unknown fields first, before any value, as a body's first problem. */
    private static void onlyKnown(ObjectNode json, List<RecordComponent> fields) {
        List<String> valid = fields.stream().map(RecordComponent::getName).toList();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!valid.contains(name)) {
                throw ControlException.badInput("unknown field '" + name + "'; "
                        + (valid.isEmpty() ? "this command takes none" : "valid fields: " + String.join(", ", valid)));
            }
        }
    }
}

package io.stampede.chaos.proxy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Toxiproxy's JSON, both ways: the shapes it answers with, and reading request bodies with its
 * leniency (unknown fields ignored, null as absent) but with a 400 naming the field for a wrong
 * type, where Go would say "cannot unmarshal".
 */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ApiJson() {
    }

    /** {@code {"name", "listen", "upstream", "enabled", "toxics": [...]}}. */
    static ObjectNode proxy(FaultProxy proxy) {
        ObjectNode json = NODES.objectNode();
        json.put("name", proxy.name());
        json.put("listen", proxy.listen());
        json.put("upstream", proxy.upstream());
        json.put("enabled", proxy.enabled());
        json.set("toxics", toxics(proxy.toxics()));
        return json;
    }

    static ArrayNode proxies(List<FaultProxy> proxies) {
        ArrayNode array = NODES.arrayNode();
        proxies.forEach(proxy -> array.add(proxy(proxy)));
        return array;
    }

    static ArrayNode toxics(List<ToxicSpec> toxics) {
        ArrayNode array = NODES.arrayNode();
        toxics.forEach(toxic -> array.add(toxic(toxic)));
        return array;
    }

    /** {@code {"attributes": {...}, "name", "type", "stream", "toxicity"}}, Toxiproxy's field order. */
    static ObjectNode toxic(ToxicSpec toxic) {
        ObjectNode json = NODES.objectNode();
        ObjectNode attributes = json.putObject("attributes");
        toxic.attributes().forEach(attributes::put);
        json.put("name", toxic.name());
        json.put("type", toxic.type());
        json.put("stream", toxic.stream().wireName());
        json.put("toxicity", toxic.toxicity());
        return json;
    }

    static ObjectNode error(ApiError error) {
        ObjectNode json = NODES.objectNode();
        json.put("error", error.getMessage());
        json.put("status", error.status());
        return json;
    }

    /** A request body as a JSON value; an empty or malformed body is a 400, as Go's decoder has it. */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badBody("EOF");
        }
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw ApiError.badBody("EOF");
            }
            return json;
        } catch (JacksonException malformed) {
            throw ApiError.badBody(firstLine(malformed.getOriginalMessage()));
        } catch (IOException unreadable) {
            throw ApiError.badBody(firstLine(unreadable.getMessage()));
        }
    }

    /** The body as an object; anything else is a 400. */
    static JsonNode object(JsonNode json, String what) {
        if (!json.isObject()) {
            throw ApiError.badBody(what + " must be a JSON object, got " + kind(json));
        }
        return json;
    }

    /** A string field, or {@code fallback} when absent or null. */
    static String text(JsonNode object, String field, String fallback) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw ApiError.badBody(field + " must be a string, got " + kind(value));
        }
        return value.asText();
    }

    static boolean bool(JsonNode object, String field, boolean fallback) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiError.badBody(field + " must be true or false, got " + kind(value));
        }
        return value.asBoolean();
    }

    static double number(JsonNode object, String field, double fallback) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw ApiError.badBody(field + " must be a number, got " + kind(value));
        }
        return value.asDouble();
    }

    /** The {@code attributes} object as whole numbers, in the order given; empty when absent. */
    static Map<String, Long> attributes(JsonNode object) {
        Map<String, Long> attributes = new LinkedHashMap<>();
        JsonNode value = object.get("attributes");
        if (value == null || value.isNull()) {
            return attributes;
        }
        if (!value.isObject()) {
            throw ApiError.badBody("attributes must be an object, got " + kind(value));
        }
        for (Map.Entry<String, JsonNode> attribute : value.properties()) {
            JsonNode number = attribute.getValue();
            if (!number.isNumber() || !(number.isIntegralNumber() || number.canConvertToExactIntegral())
                    || !number.canConvertToLong()) {
                throw ApiError.badBody("attribute " + attribute.getKey() + " must be a whole number, got " + kind(number));
            }
            attributes.put(attribute.getKey(), number.asLong());
        }
        return attributes;
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "the number " + value.asText();
            case BOOLEAN -> value.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package io.stampede.testing;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.HashSet;
import java.util.Set;

/**
 * Every field name Jackson writes for a record and what it holds (rows, nested records), seen through
 * unwrapped parts: the names a reader of that JSON may rely on. Contract tests check what a reader
 * reads (live.js, the report's Java) against these.
 */
public final class JsonNames {

    private JsonNames() {
    }

    public static Set<String> written(ObjectMapper json, Class<?>... roots) {
        Set<String> names = new HashSet<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> root : roots) {
            collect(json, json.constructType(root), names, seen);
        }
        return names;
    }

    private static void collect(ObjectMapper json, JavaType type, Set<String> names, Set<Class<?>> seen) {
        if (type.isContainerType()) {
            collect(json, type.getContentType(), names, seen);
            return;
        }
        Class<?> raw = type.getRawClass();
        if (!raw.getName().startsWith("io.stampede.") || raw.isEnum() || !seen.add(raw)) {
            return; // a JDK value, an enum (a word, no fields), or done already
        }
        for (BeanPropertyDefinition property : json.getSerializationConfig().introspect(type).findProperties()) {
            if (!unwrapped(property)) {
                names.add(property.getName());
            }
            collect(json, property.getPrimaryType(), names, seen);
        }
    }

    private static boolean unwrapped(BeanPropertyDefinition property) {
        for (AnnotatedMember member : new AnnotatedMember[] {property.getAccessor(), property.getField()}) {
            if (member != null && member.hasAnnotation(JsonUnwrapped.class)) {
                return true;
            }
        }
        return false;
    }
}

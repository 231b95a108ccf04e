package io.stampede.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stampede.deploy.Kube.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Writes the objects as YAML, one file per object, numbered in the order to apply them; the same input gives the same bytes. */
public final class ManifestFiles {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS) // args: ["--expect-workers", "3"], strings as the API wants
            .build())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The names {@link #fileName} gives. */
    private static final Pattern RENDERED = Pattern.compile("[0-9]{2}-(secret|configmap|service|job)-[a-z0-9.-]+\\.yaml");

    private ManifestFiles() {
    }

    public static String yaml(Resource resource) {
        try {
            return YAML.writeValueAsString(resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's name: its place, kind and name, e.g. 03-job-stampede-coordinator.yaml. */
    public static String fileName(int index, Resource resource) {
        return String.format(Locale.ROOT, "%02d-%s-%s.yaml", index, resource.kind().toLowerCase(Locale.ROOT), resource.metadata().name());
    }

    /**
     * Writes each object into {@code dir} (created when missing) and returns the files written. Files an
     * earlier render wrote there go first, so that {@code kubectl apply -f DIR} applies this render alone
     * (a Secret left from a render without --existing-secret, say); other files are left alone.
     */
    public static List<Path> write(Path dir, List<Resource> resources) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> earlier = Files.list(dir)) {
            for (Path file : earlier.filter(f -> RENDERED.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.delete(file);
            }
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            Path file = dir.resolve(fileName(i, resources.get(i)));
            Files.deleteIfExists(file);
            if (resources.get(i) instanceof Kube.Secret) { // it holds the token: readable by its owner only
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, yaml(resources.get(i)));
            written.add(file);
        }
        return written;
    }
}

package io.stampede.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files {@code k8s render} wrote, each read back strictly with the Kubernetes API's model, as {@link KubernetesManifestsTest} does. */
public final class RenderedManifests {

    /** The names {@link ManifestFiles#fileName} gives; a user's own files beside them are left out. */
    private static final Pattern RENDERED = Pattern.compile("[0-9]{2}-[a-z]+-[a-z0-9.-]+\\.yaml");

    private RenderedManifests() {
    }

    /** Every rendered file of {@code dir} in the order to apply them, read by the API model; an unknown field or a wrong type fails. */
    public static List<HasMetadata> read(Path dir) throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> RENDERED.matcher(f.getFileName().toString()).matches()).sorted().toList()) {
                objects.add(KubernetesManifestsTest.readStrictly(Files.readString(file)));
            }
        }
        return objects;
    }
}

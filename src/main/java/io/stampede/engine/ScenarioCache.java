package io.stampede.engine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Compiled scenarios kept between runs, in the user's cache folder ({@code $XDG_CACHE_HOME} or
 * {@code ~/.cache}, then {@code stampede/scenarios}), so an unchanged scenario skips javac (about
 * 0.6 s of start-up). A folder is named by a hash of the source, its file name, the Java version,
 * Stampede's jar (path, size, time) and the compile-time rules' version ({@link ExitRule#VERSION}),
 * so any change compiles again. Only used when Stampede runs
 * from jars: a class folder (a development build) changes without its time changing.
 */
final class ScenarioCache {

    private static final String COMPLETE = ".complete";

    private final Path root;
    private final String classPathStamp;

    ScenarioCache(Path root, String classPathStamp) {
        this.root = root;
        this.classPathStamp = classPathStamp;
    }

    /** The cache for this process; empty when the class path holds folders or there is no home folder. */
    static Optional<ScenarioCache> forThisProcess() {
        StringBuilder stamp = new StringBuilder(System.getProperty("java.version")).append('\n');
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            try {
                if (!Files.isRegularFile(jar)) {
                    return Optional.empty();
                }
                stamp.append(jar.toAbsolutePath()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home == null ? null : Path.of(home, ".cache");
        return base == null ? Optional.empty() : Optional.of(new ScenarioCache(base.resolve("stampede").resolve("scenarios"), stamp.toString()));
    }

    /** The folder for this source's classes; it holds them when {@link #isComplete} says so. */
    Path folderFor(Path source, byte[] content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(classPathStamp.getBytes(StandardCharsets.UTF_8));
            sha.update(ExitRule.VERSION.getBytes(StandardCharsets.UTF_8)); // classes compiled before a rule are not served
            sha.update(source.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(content);
            return root.resolve(HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static boolean isComplete(Path folder) {
        return Files.isRegularFile(folder.resolve(COMPLETE));
    }

    /** A fresh folder to compile into, next to where it will be kept. */
    Path workFolder() throws IOException {
        Files.createDirectories(root);
        return Files.createTempDirectory(root, "compiling-");
    }

    /** Keeps the compiled {@code work} folder as {@code folder}; when another run kept it first, that one is used. */
    static Path keep(Path work, Path folder) {
        try {
            Files.writeString(work.resolve(COMPLETE), "");
            try {
                Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
                return folder;
            } catch (FileSystemException raced) {
                // another run kept it first: Linux's ENOTEMPTY comes as a plain FileSystemException ("Directory not empty")
                if (!Files.isDirectory(folder)) {
                    throw raced;
                }
                delete(work);
                return isComplete(folder) ? folder : work;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

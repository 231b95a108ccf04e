package io.stampede.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Class-data sharing for the {@code stampede} child JVMs the end-to-end tests start, as the launcher
 * has it for users ({@code ./stampede}, README "Class-data sharing"): an archive of the classes a short
 * run of a Java scenario loads, recorded once (a child run with {@code -XX:ArchiveClassesAtExit}), which
 * every child then maps, so its JDK, Jetty, Jackson and compiler classes come loaded and verified.
 * Hundreds of child JVMs start in a suite, most of their CPU class loading: a coordinator and a
 * worker of a 3 s cluster run took 1.9 and 2.5 s of CPU with an archive against 2.7 and 2.9 without.
 *
 * <p>An archive takes classes from jars only, so the class path's folders (target/classes,
 * target/test-classes) reach the children as jars, named by their content and made again when a
 * class changes; the archive is named by the whole class path. Two test JVMs share both: the first to
 * need one makes it, the other starts its children without an archive until it is there. With
 * {@code -Dstampede.childCds=false}, or where target/ cannot be written, children start as before.
 */
final class ChildClassData {

    private static final Path DIR = Path.of("target", "child-jvm").toAbsolutePath();
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("stampede.childCds", "true"));
    /** CDS says nothing: a child's stderr is what a user of the jar sees (tests compare it whole). */
    private static final List<String> QUIET = Runtime.version().feature() >= 25
            ? List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:aot=off")
            : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    /** The recording run: a Java scenario compiled and run against a loopback server, results written. */
    private static final String RECORDING_TIME = "2s";
    /** Generous for one JVM start, a compile, a 2 s run and the archive's writing, on a busy machine. */
    private static final Duration RECORDING_LIMIT = Duration.ofSeconds(180);

    private static String classPath;
    private static Path archive;
    private static boolean failed;

    private ChildClassData() {
    }

    /** The JVM options and the class path for a child, the test JVM's own when there is no archive. */
    static synchronized Launch launch() {
        if (!ENABLED || failed) {
            return new Launch(List.of(), System.getProperty("java.class.path"));
        }
        try {
            if (classPath == null) {
                Files.createDirectories(DIR);
                classPath = jarredClassPath();
                archive = DIR.resolve("stampede-" + fingerprint(classPath + File.pathSeparator + System.getProperty("java.home"))
                        + ".jsa");
            }
            if (!Files.isRegularFile(archive)) {
                record();
            }
        } catch (IOException | RuntimeException e) {
            failed = true; // start them as before, the test JVM's class path and no archive
            return new Launch(List.of(), System.getProperty("java.class.path"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Launch(List.of(), classPath);
        }
        if (!Files.isRegularFile(archive)) {
            return new Launch(List.of(), classPath);
        }
        List<String> options = new ArrayList<>(QUIET);
        options.add("-XX:SharedArchiveFile=" + archive);
        return new Launch(options, classPath);
    }

    /** What a child starts with. */
    record Launch(List<String> options, String classPath) {
    }

    /** Records the archive, unless another test JVM is recording it now (its children start without one till then). */
    private static void record() throws IOException, InterruptedException {
        try (FileChannel lock = FileChannel.open(DIR.resolve("recording.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.tryLock()) {
            if (held == null || Files.isRegularFile(archive)) {
                return;
            }
            Path work = Files.createTempDirectory(DIR, "recording");
            HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            target.createContext("/", exchange -> {
                byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            target.start();
            try {
                Path scenario = Files.writeString(work.resolve("Recording.java"), """
                        import io.stampede.api.*;
                        import java.time.Duration;
                        public class Recording extends User {
                            @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                            @Task public void index() { http().get("/", Check.status(200)); }
                        }
                        """);
                Path recorded = work.resolve("stampede.jsa");
                List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
                command.addAll(StampedeProcess.JVM_OPTIONS);
                command.addAll(QUIET);
                command.addAll(List.of("-XX:ArchiveClassesAtExit=" + recorded, "-cp", classPath, "io.stampede.cli.Main", "run", "-f",
                        scenario.toString(), "-H", "http://127.0.0.1:" + target.getAddress().getPort(), "-u", "2", "-r", "100", "-t",
                        RECORDING_TIME, "--headless", "--results", work.resolve("results").toString()));
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(work.resolve("output.txt").toFile()).start();
                if (!process.waitFor(RECORDING_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("the recording run did not end within " + RECORDING_LIMIT);
                }
                if (process.exitValue() != 0 || !Files.isRegularFile(recorded)) {
                    throw new IOException("the recording run ended " + process.exitValue() + ": " + work.resolve("output.txt"));
                }
                Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                target.stop(0);
                deleteTree(work);
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The test JVM's class path with each folder replaced by a jar of it. */
    private static String jarredClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            entries.add(Files.isDirectory(path) ? jarOf(path).toString() : entry);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The folder as a jar named by its content (paths, sizes, times): made once, shared by every test JVM. */
    private static Path jarOf(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        StringBuilder content = new StringBuilder(folder.toAbsolutePath().toString());
        for (Path file : files) {
            content.append('\n').append(folder.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                    .append(Files.getLastModifiedTime(file).toMillis());
        }
        Path jar = DIR.resolve(folder.getFileName() + "-" + fingerprint(content.toString()) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path partial = Files.createTempFile(DIR, folder.getFileName().toString(), ".partial");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out)) {
            for (Path file : files) {
                JarEntry entry = new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/'));
                entry.setLastModifiedTime(Files.getLastModifiedTime(file));
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        try {
            Files.createLink(jar, partial); // whole or not there, and never over one in use: an archive checks its jars' times
        } catch (FileAlreadyExistsException madeMeanwhile) {
            // the other test JVM's, the same content
        } finally {
            Files.delete(partial);
        }
        return jar;
    }

    private static String fingerprint(String text) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.api.TlsSettings;
import io.stampede.api.User;
import io.stampede.deploy.ClusterLayout;
import io.stampede.deploy.ClusterLayout.MountedFile;
import io.stampede.deploy.ClusterLayout.PrivateValue;
import io.stampede.deploy.KubernetesManifests;
import io.stampede.engine.DeclaredTls;
import io.stampede.engine.ScenarioCompiler;
import io.stampede.http.TlsDraft;
import io.stampede.input.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import io.stampede.plan.ScenarioTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files a plan takes to the cluster, read when rendering: the plan, the {@code scenario:} it names, the
 * TLS files of its {@code http.tls} section (the run's and each host's) and of the Java scenario's
 * {@code tls()}, each at its path under the plan's folder, so the plan, unchanged, finds them in the pod
 * where it found them here; and the files the run flags name ({@code -f}, {@code --ca-file},
 * {@code --client-cert}, {@code --client-key}), beside the plan under their own names, the flags rewritten
 * to name them there. CA files and scenarios are public and go into the ConfigMap; client certificates and
 * keys ({@code cert}, {@code key}: a PKCS#12 {@code cert} holds the key too), and a plan or scenario that
 * holds a password ({@code password}, {@code caPassword}), go into a Secret, never a ConfigMap; so do the
 * secret flags ({@link SecretFlag}: {@code --client-cert-password}, {@code --web-auth}, or their variables set
 * when rendering), which the coordinator gets as environment variables, never among its arguments: the API
 * would put a {@code $(NAME)} argument's value into the container's command line, which {@code ps} shows.
 *
 * @param plan     the plan's path under its folder
 * @param shared   the plan (unless it holds a password), then the scenario and CA files: the ConfigMap
 * @param secret   the client certificates and keys, and what holds a password: the plan's keys Secret
 * @param values   the secret flags' values, kept in the same Secret
 * @param runFlags the run flags as the coordinator's container is given them
 */
record K8sPlanFiles(String plan, List<MountedFile> shared, List<MountedFile> secret, List<PrivateValue> values,
        List<String> runFlags) {

    /** What a ConfigMap or Secret key may hold (the API's rule); a file's path becomes its key. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    /** The secret flags a run flag may give, each kept in the plan's keys Secret under its variable's name. */
    private static final List<SecretFlag> CARRIED = List.of(SecretFlag.CLIENT_CERT_PASSWORD, SecretFlag.WEB_AUTH);

    /** A run flag that names a file, and whether the file is private. */
    private enum FileFlag {
        SCENARIO("-f/--file", false, "-f", "--file"),
        CA_FILE("--ca-file", false, "--ca-file"),
        CLIENT_CERT("--client-cert", true, "--client-cert"),
        CLIENT_KEY("--client-key", true, "--client-key");

        final String where;
        final boolean secret;
        final List<String> names;

        FileFlag(String where, boolean secret, String... names) {
            this.where = where;
            this.secret = secret;
            this.names = List.of(names);
        }

        static Optional<FileFlag> named(String name) {
            return Arrays.stream(values()).filter(flag -> flag.names.contains(name)).findFirst();
        }
    }

    private static final String PLANS = "plan's";

    /**
     * The plan, read as a run reads it (so its mistakes are found here), the files it names and those of the run flags;
     * a secret flag's value from the run flags, else from {@code environment} (as a run would take it).
     */
    static K8sPlanFiles of(Path plan, List<String> runFlags, Map<String, String> environment) throws IOException {
        PlanDraft draft = PlanFile.read(plan);
        Path folder = plan.toAbsolutePath().normalize().getParent();
        Bundle bundle = new Bundle();
        String planPath = plan.getFileName().toString();
        bundle.put(planPath, Files.readAllBytes(plan), holdsPassword(draft.tls()), planPath);
        Located<Path> scenario = draft.scenarioFile();
        if (scenario != null) {
            bundle.add(folder, PLANS, scenario, "scenario", "scenario file", false);
        }
        addTlsFiles(bundle, folder, PLANS, draft.tls());

        List<String> flags = new ArrayList<>();
        Path flagScenario = null;
        for (int i = 0; i < runFlags.size(); i++) {
            String arg = runFlags.get(i);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            boolean joined = !name.equals(arg);
            boolean separate = !joined && i + 1 < runFlags.size();
            Optional<FileFlag> fileFlag = FileFlag.named(name).filter(flag -> joined || separate);
            Optional<SecretFlag> secret = CARRIED.stream().filter(flag -> flag.flag().equals(name)).findFirst()
                    .filter(flag -> joined || separate);
            if (name.equals(SecretFlag.CLUSTER_TOKEN.flag())) {
                throw new StampedeException.BadInput(name + ": the cluster's token is its Secret's, which the coordinator and"
                        + " the workers read: set " + SecretFlag.CLUSTER_TOKEN_ENV + " when rendering, or give --existing-secret");
            } else if (secret.isPresent()) {
                String value = joined ? arg.substring(equals + 1) : runFlags.get(++i);
                bundle.values.removeIf(earlier -> earlier.env().equals(secret.get().env())); // given twice: run refuses it, one key
                bundle.values.add(new PrivateValue(secret.get().env(), value)); // the variable, not an argument: see above
            } else if (fileFlag.isPresent()) {
                FileFlag flag = fileFlag.get();
                Path file = Path.of(joined ? arg.substring(equals + 1) : runFlags.get(++i));
                String inPod = KubernetesManifests.PLAN_DIR + "/" + bundle.addBeside(flag, file);
                flags.add(ClusterLayout.literal(name));
                flags.add(ClusterLayout.literal(inPod));
                if (flag == FileFlag.SCENARIO) {
                    flagScenario = file;
                }
            } else {
                flags.add(ClusterLayout.literal(arg));
            }
        }
        for (SecretFlag flag : CARRIED) {
            Located<String> fromEnvironment = flag.value(null, environment);
            if (fromEnvironment != null && bundle.values.stream().noneMatch(value -> value.env().equals(flag.env()))) {
                bundle.values.add(new PrivateValue(flag.env(), fromEnvironment.value()));
            }
        }
        // the run's scenario: -f's when given (it replaces the plan's), in the pod beside the plan: its folder is the plan's
        if (flagScenario != null) {
            scenarioTls(bundle, flagScenario, flagScenario.getFileName().toString(),
                    flagScenario.toAbsolutePath().normalize().getParent(), "scenario's");
        } else if (scenario != null) {
            scenarioTls(bundle, scenario.value(), folder.relativize(scenario.value().toAbsolutePath().normalize()).toString()
                    .replace('\\', '/'), folder, PLANS);
        }
        return new K8sPlanFiles(planPath, List.copyOf(bundle.shared.values()), List.copyOf(bundle.secret.values()),
                List.copyOf(bundle.values), flags);
    }

    /**
     * The TLS files a Java scenario's {@code tls()} names, found by compiling it and calling it as the run
     * does, carried at their paths under {@code folder}: the folder that is the plan's in the pod. The scenario
     * (at {@code path} there) goes into the Secret when it declares a password.
     */
    private static void scenarioTls(Bundle bundle, Path scenario, String path, Path folder, String folderName) throws IOException {
        if (!scenario.getFileName().toString().endsWith(".java") || !Files.isRegularFile(scenario)) {
            return; // the run reports it, as it does without Kubernetes
        }
        if (!new String(Files.readAllBytes(scenario), StandardCharsets.UTF_8).contains(TlsSettings.class.getSimpleName())) {
            return; // no tls() declaration: it names its return type (a final class); compiling would find nothing
        }
        List<Class<? extends User>> users = ScenarioCompiler.compile(scenario);
        Optional<DeclaredTls> declared = DeclaredTls.find(users, scenario);
        if (declared.isEmpty()) {
            return;
        }
        PlanDraft alone = new PlanDraft();
        ScenarioTls.underlay(alone, declared.get().tls(), scenario, declared.get().declaredBy());
        if (holdsPassword(alone.tls())) {
            bundle.put(path, Files.readAllBytes(scenario), true, scenario.toString());
        }
        addTlsFiles(bundle, folder, folderName, alone.tls());
    }

    private static void addTlsFiles(Bundle bundle, Path folder, String folderName, TlsDraft draft) throws IOException {
        List<TlsDraft> tls = new ArrayList<>(List.of(draft));
        draft.hosts().forEach(host -> tls.add(host.tls()));
        for (TlsDraft settings : tls) {
            bundle.add(folder, folderName, settings.caFile(), null, "TLS file", false);
            bundle.add(folder, folderName, settings.cert(), null, "TLS file", true);
            bundle.add(folder, folderName, settings.key(), null, "TLS file", true);
        }
    }

    /** True when the settings (the run's or a host's) hold a password: then their text is a Secret's, not a ConfigMap's. */
    private static boolean holdsPassword(TlsDraft draft) {
        List<TlsDraft> tls = new ArrayList<>(List.of(draft));
        draft.hosts().forEach(host -> tls.add(host.tls()));
        return tls.stream().anyMatch(settings -> settings.password() != null || settings.caPassword() != null);
    }

    /** The files collected so far, by their path under the plan's folder; a file that is private in one place is private. */
    private static final class Bundle {
        final Map<String, MountedFile> shared;
        final Map<String, MountedFile> secret;
        final List<PrivateValue> values;

        Bundle() {
            this.shared = new LinkedHashMap<>();
            this.secret = new LinkedHashMap<>();
            this.values = new ArrayList<>();
        }

        /**
         * Reads {@code file} at its path under {@code folder} (the {@code folderName} folder); {@code field} names it
         * in messages when its location does not (a plan's {@code where} names the field for TLS files).
         */
        void add(Path folder, String folderName, Located<Path> file, String field, String what, boolean isPrivate)
                throws IOException {
            if (file == null) {
                return;
            }
            String where = file.where() + (field == null ? "" : ": " + field);
            Path relative = folder.relativize(file.value().toAbsolutePath().normalize());
            if (relative.startsWith("..") || relative.isAbsolute()) {
                throw new StampedeException.BadInput(where + ": " + file.value()
                        + " is outside the " + folderName + " folder; only that folder goes to the cluster");
            }
            String path = relative.toString().replace('\\', '/');
            put(path, read(file.value(), where, what), isPrivate, where + ": " + file.value());
        }

        /** Reads a run flag's file, to go beside the plan under its own name; returns that name. */
        String addBeside(FileFlag flag, Path file) throws IOException {
            String name = file.getFileName().toString();
            if (flag == FileFlag.SCENARIO) { // -f's own message, as before the TLS flags came
                PlanFile.checkSize(file, flag.where + ": " + file, PlanFile.MAX_PLAN_BYTES, "scenario file");
                if (!Files.exists(file)) {
                    throw new StampedeException.BadInput(flag.where + ": " + file + ": no such file");
                }
            }
            put(name, read(file, flag.where, flag == FileFlag.SCENARIO ? "scenario file" : "TLS file"), flag.secret,
                    flag.where + ": " + file);
            return name;
        }

        private static byte[] read(Path file, String where, String what) throws IOException {
            PlanFile.checkSize(file, where, PlanFile.MAX_PLAN_BYTES, what);
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new StampedeException.BadInput(where + ": file not found: " + file);
            } catch (AccessDeniedException e) {
                throw new StampedeException.BadInput(where + ": cannot read " + file + " (permission denied)");
            } catch (IOException e) { // a folder, say
                throw new StampedeException.BadInput(where + ": cannot read " + file + ": " + e.getMessage());
            }
        }

        /** {@code content} at {@code path}: a path taken by other bytes is refused, naming {@code where}. */
        void put(String path, byte[] content, boolean isPrivate, String where) {
            if (!KEY.matcher(KubernetesManifests.configMapKey(new MountedFile(path, new byte[0]))).matches()) {
                throw new StampedeException.BadInput(where + ": " + path
                        + ": a file that goes to the cluster is named with letters, digits, '-', '_', '.' and '/' only (the API's rule for keys)");
            }
            MountedFile earlier = shared.containsKey(path) ? shared.get(path) : secret.get(path);
            if (earlier != null && !Arrays.equals(earlier.content(), content)) {
                throw new StampedeException.BadInput(where + ": another file at " + path + " is already beside the plan");
            }
            MountedFile file = new MountedFile(path, content);
            if (isPrivate || secret.containsKey(path)) { // a file both public and private (a PKCS#12 as CA and identity) is private
                shared.remove(path);
                secret.putIfAbsent(path, file);
            } else {
                shared.putIfAbsent(path, file);
            }
        }
    }
}

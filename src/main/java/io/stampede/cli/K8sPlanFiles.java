package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.deploy.ClusterLayout.MountedFile;
import io.stampede.deploy.KubernetesManifests;
import io.stampede.http.TlsDraft;
import io.stampede.input.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files a plan takes to the cluster, read when rendering: the plan, the {@code scenario:} it names and
 * the TLS files of its {@code http.tls} section (the run's and each host's), each at its path under the
 * plan's folder, so the plan, unchanged, finds them in the pod where it found them here. CA files are
 * public and go into the ConfigMap; client certificates and keys ({@code cert}, {@code key}: a PKCS#12
 * {@code cert} holds the key too) go into a Secret, never a ConfigMap.
 *
 * @param shared  the plan first, then the scenario and CA files: the ConfigMap
 * @param secret the client certificates and keys: the plan's keys Secret
 */
record K8sPlanFiles(List<MountedFile> shared, List<MountedFile> secret) {

    /** What a ConfigMap or Secret key may hold (the API's rule); a file's path becomes its key. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    /** The plan, read as a run reads it (so its mistakes are found here), and the files it names. */
    static K8sPlanFiles of(Path plan) throws IOException {
        PlanDraft draft = PlanFile.read(plan);
        Path folder = plan.toAbsolutePath().normalize().getParent();
        Map<String, MountedFile> shared = new LinkedHashMap<>();
        Map<String, MountedFile> secret = new LinkedHashMap<>();
        shared.put(plan.getFileName().toString(), new MountedFile(plan.getFileName().toString(), Files.readAllBytes(plan)));
        Located<Path> scenario = draft.scenarioFile();
        if (scenario != null) {
            add(shared, folder, scenario, "scenario", "scenario file");
        }
        List<TlsDraft> tls = new ArrayList<>(List.of(draft.tls()));
        draft.tls().hosts().forEach(host -> tls.add(host.tls()));
        for (TlsDraft settings : tls) {
            add(shared, folder, settings.caFile(), null, "TLS file");
            add(secret, folder, settings.cert(), null, "TLS file");
            add(secret, folder, settings.key(), null, "TLS file");
        }
        secret.keySet().forEach(shared::remove); // a file both public and private (a PKCS#12 as CA and identity) is private
        return new K8sPlanFiles(List.copyOf(shared.values()), List.copyOf(secret.values()));
    }

    /**
     * Reads {@code file} into {@code into} at its path under the plan's folder; {@code field} names it in
     * messages when its location does not (a plan's {@code where} names the field for TLS files).
     */
    private static void add(Map<String, MountedFile> into, Path folder, Located<Path> file, String field, String what)
            throws IOException {
        if (file == null) {
            return;
        }
        String where = file.where() + (field == null ? "" : ": " + field);
        Path relative = folder.relativize(file.value().toAbsolutePath().normalize());
        if (relative.startsWith("..") || relative.isAbsolute()) {
            throw new StampedeException.BadInput(where + ": " + file.value()
                    + " is outside the plan's folder; only that folder goes to the cluster");
        }
        String path = relative.toString().replace('\\', '/');
        if (!KEY.matcher(KubernetesManifests.configMapKey(new MountedFile(path, new byte[0]))).matches()) {
            throw new StampedeException.BadInput(where + ": " + path
                    + ": a file that goes to the cluster is named with letters, digits, '-', '_', '.' and '/' only (the API's rule for keys)");
        }
        PlanFile.checkSize(file.value(), where, PlanFile.MAX_PLAN_BYTES, what);
        try {
            into.putIfAbsent(path, new MountedFile(path, Files.readAllBytes(file.value())));
        } catch (NoSuchFileException e) {
            throw new StampedeException.BadInput(where + ": file not found: " + file.value());
        } catch (AccessDeniedException e) {
            throw new StampedeException.BadInput(where + ": cannot read " + file.value() + " (permission denied)");
        }
    }
}

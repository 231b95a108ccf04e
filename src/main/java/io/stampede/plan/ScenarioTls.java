package io.stampede.plan;

import io.stampede.api.Load;
import io.stampede.api.TlsSettings;
import io.stampede.http.TlsDraft;
import io.stampede.input.Located;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lays the TLS settings a Java scenario declares ({@code public static TlsSettings tls()}) under a
 * draft: the plan file's {@code http.tls} values and then the flags win. Each value keeps its origin
 * ({@code ApiUser.java:12: http.tls.caFile}); files are relative to the scenario file's folder.
 */
public final class ScenarioTls {

    private ScenarioTls() {
    }

    /** @param declaredBy where the declaration is when a value has no line: {@code "File.java: ApiUser.tls()"} */
    public static void underlay(PlanDraft draft, TlsSettings tls, Path file, String declaredBy) {
        List<TlsDraft.HostTls> hosts = new ArrayList<>();
        for (TlsSettings.Host host : tls.hosts()) {
            String at = host.line() > 0 ? file + ":" + host.line() : declaredBy;
            hosts.add(new TlsDraft.HostTls(new Located<>(host.host(), at + ": http.tls.hosts"),
                    values(host.tls(), file, declaredBy)));
        }
        TlsDraft common = values(tls, file, declaredBy);
        draft.tlsUnder(new TlsDraft(common.caFile(), common.caPassword(), common.insecure(), common.cert(), common.key(),
                common.password(), common.minVersion(), common.maxVersion(), hosts));
    }

    private static TlsDraft values(TlsSettings tls, Path file, String declaredBy) {
        Map<String, Load.Setting> values = tls.settings().stream().collect(Collectors.toMap(Load.Setting::key, s -> s));
        return new TlsDraft(path(values, "caFile", file, declaredBy), text(values, "caPassword", file, declaredBy),
                text(values, "insecure", file, declaredBy), path(values, "cert", file, declaredBy),
                path(values, "key", file, declaredBy), text(values, "password", file, declaredBy),
                text(values, "minVersion", file, declaredBy), text(values, "maxVersion", file, declaredBy));
    }

    private static Located<String> text(Map<String, Load.Setting> values, String key, Path file, String declaredBy) {
        Load.Setting s = values.get(key);
        if (s == null) {
            return null;
        }
        String at = s.line() > 0 ? file + ":" + s.line() : declaredBy;
        return new Located<>(s.value(), at + ": http.tls." + key);
    }

    private static Located<Path> path(Map<String, Load.Setting> values, String key, Path file, String declaredBy) {
        Located<String> text = text(values, key, file, declaredBy);
        return text == null ? null : new Located<>(PlanFile.resolve(file, text.value()), text.where());
    }
}

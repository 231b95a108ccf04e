package io.stampede.plan;

import io.stampede.api.Load;
import io.stampede.engine.LoadDraft;
import io.stampede.input.Located;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lays the load a Java scenario declares ({@code public static Load load()}) under a draft: the
 * plan file's {@code load:} values and then the flags win. Values stay text with their origin
 * ({@code WebsiteUser.java:14: load.users}), so {@link PlanDraft#toPlan()} checks them with the
 * same messages as plan-file values.
 */
public final class ScenarioLoad {

    private ScenarioLoad() {
    }

    /**
     * Fills what the draft leaves open. When the draft already chose the other model (a plan file
     * with {@code arrivalRate} under a closed Java model, or the reverse), the Java model is ignored
     * except for its run time.
     *
     * @param declaredBy where the declaration is when a value has no line: {@code "File.java: WebsiteUser.load()"}
     */
    public static void underlay(PlanDraft draft, Load load, String file, String declaredBy) {
        Map<String, Located<String>> values = load.settings().stream()
                .collect(Collectors.toMap(Load.Setting::key, s -> located(s, file, declaredBy, "load.")));
        if (draft.runTime() == null) draft.runTime(values.get("runTime"));
        boolean draftOpen = draft.arrivalRate() != null || draft.maxConcurrency() != null || draft.preAllocated() != null
                || draft.stages().stream().anyMatch(st -> st.value().arrivalRate() != null);
        boolean draftClosed = draft.users() != null || draft.spawnRate() != null
                || draft.stages().stream().anyMatch(st -> st.value().users() != null);
        switch (load) {
            case Load.Closed closed -> {
                if (draftOpen) {
                    return;
                }
                if (draft.users() == null) draft.users(values.get("users"));
                if (draft.spawnRate() == null) draft.spawnRate(values.get("spawnRate"));
            }
            case Load.Open open -> {
                if (draftClosed) {
                    return;
                }
                if (draft.arrivalRate() == null) draft.arrivalRate(values.get("arrivalRate"));
                if (draft.maxConcurrency() == null) draft.maxConcurrency(values.get("maxConcurrency"));
                if (draft.preAllocated() == null) draft.preAllocated(values.get("preAllocated"));
            }
        }
        if (draft.stages().isEmpty() && !load.stages().isEmpty()) {
            List<Located<LoadDraft.Stage>> stages = new ArrayList<>();
            for (int i = 0; i < load.stages().size(); i++) {
                List<Load.Setting> stage = load.stages().get(i);
                String prefix = "load.stages[" + i + "].";
                Map<String, Located<String>> fields = stage.stream()
                        .collect(Collectors.toMap(Load.Setting::key, s -> located(s, file, declaredBy, prefix)));
                int line = stage.get(0).line();
                String where = (line > 0 ? file + ":" + line : declaredBy) + ": load.stages[" + i + "]";
                stages.add(new Located<>(new LoadDraft.Stage(fields.get("duration"), fields.get("users"),
                        fields.get("spawnRate"), fields.get("arrivalRate")), where));
            }
            draft.stages(stages);
        }
    }

    private static Located<String> located(Load.Setting setting, String file, String declaredBy, String prefix) {
        String at = setting.line() > 0 ? file + ":" + setting.line() : declaredBy;
        return new Located<>(setting.value(), at + ": " + prefix + setting.key());
    }
}

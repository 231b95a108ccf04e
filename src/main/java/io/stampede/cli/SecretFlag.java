package io.stampede.cli;

import io.stampede.deploy.KubernetesManifests;
import io.stampede.input.Located;
import java.util.List;
import java.util.Map;

/**
 * A flag whose value is a secret, and the environment variable that gives it instead: a command
 * line is public ({@code ps} and {@code /proc/PID/cmdline} show it to every user of the machine, a
 * pod's arguments to whoever reads the pod), an environment is not. The flag wins when both are
 * given, as {@code --cluster-token} always did: one command's choice over the shell's standing one.
 *
 * @param flag the flag's name, as messages name the value when the flag gave it
 * @param env  the environment variable's name, as messages name the value when it gave it
 */
record SecretFlag(String flag, String env) {

    static final String CLUSTER_TOKEN_ENV = KubernetesManifests.TOKEN_ENV;
    static final String CLIENT_CERT_PASSWORD_ENV = "STAMPEDE_CLIENT_CERT_PASSWORD";
    static final String WEB_AUTH_ENV = "STAMPEDE_WEB_AUTH";
    /** Ends each secret flag's help, after its variable's name. */
    static final String HELP = ", which ps does not show; the flag wins";

    static final SecretFlag CLUSTER_TOKEN = new SecretFlag("--cluster-token", CLUSTER_TOKEN_ENV);
    static final SecretFlag CLIENT_CERT_PASSWORD = new SecretFlag("--client-cert-password", CLIENT_CERT_PASSWORD_ENV);
    static final SecretFlag WEB_AUTH = new SecretFlag("--web-auth", WEB_AUTH_ENV);
    /** Every secret flag: {@code k8s render} keeps each out of the coordinator's arguments. */
    static final List<SecretFlag> ALL = List.of(CLUSTER_TOKEN, CLIENT_CERT_PASSWORD, WEB_AUTH);

    /** The flag's value when given, else this process's environment's; null when neither gives one. */
    Located<String> value(String given) {
        return value(given, System.getenv());
    }

    /** The flag's value when given, else {@code env}'s; null when neither gives one (an empty value gives none). */
    Located<String> value(String given, Map<String, String> environment) {
        if (given != null) {
            return given.isEmpty() ? null : new Located<>(given, flag);
        }
        String set = environment.get(env);
        return set == null || set.isEmpty() ? null : new Located<>(set, env);
    }
}

package io.stampede.deploy;

import java.util.regex.Pattern;

/** The shapes of the names a layout carries, checked before anything is written: each problem is one line naming the flag. */
public final class Names {

    /**
     * An image reference as Docker's distribution/reference grammar has it: [registry[:port]/]path[:tag][@digest],
     * path components lower case.
     */
    private static final Pattern IMAGE = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[\\w][\\w.-]{0,127})?"
                    + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
    private static final int IMAGE_MAX_CHARS = 255;
    /** An RFC 1123 label, as namespaces are; a Service's name (RFC 1035) must also start with a letter. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int DNS_LABEL_MAX_CHARS = 63;
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int SUBDOMAIN_MAX_CHARS = 253;
    /** Room for the longest suffix ("-coordinator") and an indexed Job's pod suffix within a 63-character label. */
    public static final int NAME_MAX_CHARS = 30;
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");

    private Names() {
    }

    /** Null when {@code image} is a valid reference, else why not. */
    public static String imageProblem(String image) {
        if (image.length() > IMAGE_MAX_CHARS) {
            return "'" + image + "' is longer than " + IMAGE_MAX_CHARS + " characters";
        }
        if (!IMAGE.matcher(image).matches()) {
            return "'" + image + "' is not an image reference ([registry/]name[:tag][@digest], name in lower case, e.g. stampede:local)";
        }
        return null;
    }

    public static String namespaceProblem(String namespace) {
        if (namespace.length() > DNS_LABEL_MAX_CHARS || !DNS_LABEL.matcher(namespace).matches()) {
            return "'" + namespace + "' is not a namespace name (lower case letters, digits and '-', at most " + DNS_LABEL_MAX_CHARS + ")";
        }
        return null;
    }

    /** A Secret's name: an RFC 1123 subdomain (labels joined by dots). */
    public static String secretNameProblem(String name) {
        if (name.length() > SUBDOMAIN_MAX_CHARS || !SUBDOMAIN.matcher(name).matches()) {
            return "'" + name + "' is not a Secret name (lower case letters, digits, '-' and '.', at most " + SUBDOMAIN_MAX_CHARS + ")";
        }
        return null;
    }

    public static String nameProblem(String name) {
        if (name.length() > NAME_MAX_CHARS || !RESOURCE_NAME.matcher(name).matches()) {
            return "'" + name + "' is not a name for the objects (a lower case letter, then letters, digits and '-', at most "
                    + NAME_MAX_CHARS + ")";
        }
        return null;
    }

    public static String quantityProblem(String quantity) {
        if (!QUANTITY.matcher(quantity).matches()) {
            return "'" + quantity + "' is not a Kubernetes quantity (e.g. 500m, 2 for CPU; 512Mi, 2Gi for memory)";
        }
        return null;
    }
}

package dev.clcrec.data.pickle;

import dev.clcrec.data.DatasetFormatException;

/** A pickle names a global (class or function) outside the whitelist; nothing was constructed. */
public final class PickleClassRefusedException extends DatasetFormatException {
    private final String className;

    public PickleClassRefusedException(String source, String className, java.util.Set<String> allowed) {
        super(source + ": pickle refers to '" + className + "', which this loader refuses to build"
                + " (allowed: " + new java.util.TreeSet<>(allowed) + ")");
        this.className = className;
    }

    public String className() {
        return className;
    }
}

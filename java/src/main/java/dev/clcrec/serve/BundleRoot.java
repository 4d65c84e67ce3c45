package dev.clcrec.serve;

import dev.clcrec.bundle.BundleFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one folder {@code POST /v1/admin/reload} may load bundles from, and the rules for naming one.
 *
 * <p>A caller names a bundle relative to the root ({@code "v2"}, {@code "current"}) or by an absolute path
 * inside it. A name that leads outside, lexically ({@code ..}, another absolute path) or through a symbolic
 * link, is refused with one fixed 403 that does not depend on what exists there: a lexical escape is
 * refused before the file system is touched, and a link that leaves the root gets the same reply whether
 * its target exists or not. Errors about bundles inside the root name files relative to the root, never
 * by their absolute path.
 */
final class BundleRoot {
    private static final String OUTSIDE = "the bundle must be a folder under the server's bundle root, named "
            + "relative to it (e.g. \"v2\")";

    private final Path root;     // absolute and normalised, as configured
    private final Path realRoot; // the same with every link resolved

    /**
     * @throws IllegalArgumentException when {@code root} is not an existing folder (names it: the
     *     operator's own configuration)
     */
    BundleRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("bundle root " + this.root + " does not exist or cannot be read");
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("bundle root " + this.root + " is not a folder");
        }
        if (realRoot.getParent() == null) {
            // e.g. --model /bundle: its parent is the file system root, under which every folder lies
            throw new IllegalArgumentException("bundle root " + this.root + " is the file system root, which would "
                    + "let a reload load any folder; name a folder that holds only bundles");
        }
    }

    Path path() {
        return root;
    }

    /**
     * The real path of the bundle {@code name} names, inside the root; or the lexical path inside the root
     * when nothing is there (loading it then fails with a message naming it relative to the root).
     *
     * @throws ApiError 400 for a name that is not a path, 403 for one outside the root
     */
    Path resolve(String name) {
        Path asked;
        try {
            asked = Path.of(name);
        } catch (InvalidPathException e) {
            throw ApiError.badRequest("bundle", "\"bundle\" is not a valid path name");
        }
        Path lexical = (asked.isAbsolute() ? asked : root.resolve(asked)).normalize();
        Path inside;
        if (lexical.startsWith(root)) {
            inside = root.relativize(lexical);
        } else if (lexical.startsWith(realRoot)) {
            inside = realRoot.relativize(lexical);
        } else {
            throw outside();
        }
        if (inside.toString().isEmpty()) {
            throw outside(); // the root itself holds bundles; it is not one
        }
        Path candidate = realRoot.resolve(inside);
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            if (passesThroughLink(inside)) {
                throw outside(); // a dangling link could point anywhere: answer as for outside
            }
            return candidate;
        } catch (IOException e) {
            throw outside();
        }
        if (!real.startsWith(realRoot) || real.equals(realRoot)) {
            throw outside();
        }
        return real;
    }

    /** Whether any existing prefix of {@code inside} (under the real root) is a symbolic link. */
    private boolean passesThroughLink(Path inside) {
        Path p = realRoot;
        for (Path segment : inside) {
            p = p.resolve(segment);
            if (Files.isSymbolicLink(p)) {
                return true;
            }
            if (!Files.exists(p)) {
                return false;
            }
        }
        return false;
    }

    private static ApiError outside() {
        return new ApiError(403, "forbidden", "bundle", OUTSIDE);
    }

    /** {@code e}'s message with every path under the root written relative to it. */
    String describe(BundleFormatException e) {
        String m = e.getMessage();
        for (Path p : new Path[] {realRoot, root}) {
            String prefix = p.toString().endsWith(p.getFileSystem().getSeparator()) ? p.toString()
                    : p + p.getFileSystem().getSeparator();
            m = m.replace(prefix, "");
        }
        return m;
    }
}

package dev.clcrec.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which bundle is in force for a state directory, durably, and the ones before it for rollback:
 * {@code DIR/models/CURRENT}, a small text file replaced atomically (written aside, synced, renamed):
 *
 * <pre>
 * clcrec-models 1
 * base /path/of/the/--model/bundle
 * /DIR/models/retrain-20261203T141502-1     (in force)
 * /path/of/the/--model/bundle               (the one before)
 * </pre>
 *
 * Retrained bundles live in {@code DIR/models/} and are complete (moved into place by the bundle
 * writer) before CURRENT names them, so a crash at any point leaves CURRENT naming complete bundles.
 * A CURRENT written over another base bundle (the operator deployed a new one) is ignored: the
 * deployed bundle wins. Refused candidates are kept aside under {@code DIR/models/refused/}.
 */
final class ModelHistory {
    private static final System.Logger LOG = System.getLogger(ModelHistory.class.getName());
    private static final String HEADER = "clcrec-models 1";
    static final String CURRENT = "CURRENT";
    static final String REFUSED = "refused";

    private final Path dir;
    private final Path base;
    private int keep;
    private int sequence;

    ModelHistory(Path stateDir, Path base, int keep) {
        this.dir = stateDir.resolve("models").toAbsolutePath();
        this.base = base.toAbsolutePath().normalize();
        this.keep = keep;
    }

    synchronized void keep(int k) {
        keep = k;
    }

    Path directory() {
        return dir;
    }

    /** The bundles in force and before, newest first; just the base bundle when nothing was swapped in. */
    synchronized List<Path> entries() {
        Path f = dir.resolve(CURRENT);
        if (!Files.isRegularFile(f)) {
            return List.of(base);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        if (lines.size() < 3 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("base ")) {
            throw new IllegalStateException(f + ": not a model history (expected '" + HEADER
                    + "', a base line and at least one bundle)");
        }
        if (!Path.of(lines.get(1).substring(5)).equals(base)) {
            LOG.log(System.Logger.Level.WARNING, "{0} was written over base bundle {1}; serving the bundle given now, {2}",
                    f, lines.get(1).substring(5), base);
            return List.of(base);
        }
        return lines.subList(2, lines.size()).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** Makes {@code bundle} the one in force (durably), keeping at most {@code keep} bundles in all. */
    synchronized void push(Path bundle) {
        List<Path> next = new ArrayList<>();
        next.add(bundle.toAbsolutePath());
        for (Path p : entries()) {
            if (next.size() < keep && !p.equals(next.getFirst())) {
                next.add(p);
            }
        }
        write(next);
        prune(next);
    }

    /** Returns to the bundle before the one in force (durably) and returns it. */
    synchronized Path rollback() {
        List<Path> now = entries();
        if (now.size() < 2) {
            throw new IllegalStateException("no earlier bundle to roll back to (the history holds only " + now.getFirst()
                    + ")");
        }
        List<Path> next = now.subList(1, now.size());
        write(next);
        prune(next);
        return next.getFirst();
    }

    /** A fresh folder name for a candidate bundle (not created). */
    synchronized Path newCandidate() {
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
        Path p;
        do {
            p = dir.resolve("retrain-" + stamp + "-" + ++sequence);
        } while (Files.exists(p));
        return p;
    }

    /** Moves a refused candidate to {@code refused/} with the reason, keeping the newest {@code keep}. */
    synchronized Path keepAside(Path candidate, String reason) {
        try {
            Path refused = Files.createDirectories(dir.resolve(REFUSED));
            Path target = refused.resolve(candidate.getFileName());
            Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(target.resolve("REFUSED.txt"), reason + "\n", StandardCharsets.UTF_8);
            try (Stream<Path> s = Files.list(refused)) {
                List<Path> all = s.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
                for (int i = 0; i < all.size() - keep; i++) {
                    deleteTree(all.get(i));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the refused candidate " + candidate + " aside", e);
        }
    }

    /** Removes what a crash may have left: half-written bundles and candidates never put in force. */
    synchronized void cleanUp() {
        if (Files.isDirectory(dir)) {
            prune(entries());
        }
    }

    /** Deletes a retrain's scratch folder (its warm-start checkpoint). */
    void cleanUpWork(Path work) {
        if (Files.exists(work)) {
            deleteTree(work);
        }
    }

    private void write(List<Path> bundles) {
        StringBuilder s = new StringBuilder(HEADER).append('\n').append("base ").append(base).append('\n');
        bundles.forEach(b -> s.append(b).append('\n'));
        try {
            Files.createDirectories(dir);
            byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            dev.clcrec.state.AtomicFile.write(dir.resolve(CURRENT), out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CURRENT), e);
        }
    }

    /** Deletes bundles under the models folder that the history does not name (refused ones stay). */
    private void prune(List<Path> kept) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && !name.equals(REFUSED) && !kept.contains(p.toAbsolutePath())) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot prune " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
        }
    }
}

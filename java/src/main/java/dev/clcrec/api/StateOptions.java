package dev.clcrec.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a serving {@link Recommender} keeps what it is told (added and removed items, recorded
 * interactions) so that a restart, a deploy or a crash loses no acknowledged change: a state
 * directory holding a journal and snapshots (see {@code dev/clcrec/state/FORMAT.md}).
 *
 * @param directory     the state directory (created if missing; one server at a time)
 * @param snapshotEvery write a snapshot, and start a fresh journal, after this many journal records
 */
public record StateOptions(Path directory, long snapshotEvery) {
    public static final long DEFAULT_SNAPSHOT_EVERY = 100_000;

    public StateOptions {
        Objects.requireNonNull(directory, "directory");
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be >= 1, got " + snapshotEvery);
        }
    }

    public StateOptions(Path directory) {
        this(directory, DEFAULT_SNAPSHOT_EVERY);
    }
}

package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run keeps its best epoch for a {@link LearningRateDecay} to go back to: the best checkpoint
 * where this process writes one, otherwise a private temporary file written at each new best and
 * removed on close (ranks of a data-parallel group other than the leader, and runs that save no
 * best checkpoint). Owned by one training loop.
 */
final class RestorePoint implements AutoCloseable {
    private final Path path;
    private final boolean temporary;
    private boolean held;

    private RestorePoint(Path path, boolean temporary, boolean held) {
        this.path = path;
        this.temporary = temporary;
        this.held = held;
    }

    /**
     * @param bestCheckpoint the run's best checkpoint, or null
     * @param writesBest     whether this process writes {@code bestCheckpoint}
     * @param resumed        whether the run resumed, so that an existing best checkpoint is its own
     *                       (a new run's first epoch is always its first best)
     */
    static RestorePoint open(Path bestCheckpoint, boolean writesBest, boolean resumed) {
        if (bestCheckpoint != null && writesBest) {
            return new RestorePoint(bestCheckpoint, false, resumed && Files.isRegularFile(bestCheckpoint));
        }
        try {
            return new RestorePoint(Files.createTempFile("clcrec-best-", ".ckpt"), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file for the best epoch's weights: " + e.getMessage(), e);
        }
    }

    /** Records the model as the best epoch's (the best checkpoint itself was just written by the run). */
    void update(ClcrecModel model, TrainingState state) {
        if (temporary) {
            model.save(path, state.toJson());
        }
        held = true;
    }

    /** Whether a best epoch is held (not yet, on a rank that resumed before its next best). */
    boolean held() {
        return held;
    }

    /** Puts the model back to the best epoch; the model keeps its step size. */
    void restore(ClcrecModel model) {
        if (!held) {
            throw new IllegalStateException("no best epoch is held to restore");
        }
        model.restore(path);
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a leftover temporary file is harmless; the run's outcome does not depend on it
            }
        }
    }
}

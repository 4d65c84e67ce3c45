package dev.clcrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Everything beyond the model's own checkpoint that exact continuation needs, stored as a small
 * JSON sidecar ({@code <checkpoint>.state.json}). The sampler needs only the seed and the next epoch:
 * every batch is a function of (seed, epoch, batch index).
 *
 * @param nextEpoch the epoch training continues with
 * @param samplingKey seed and sampling settings; a resume with different ones is refused
 * @param bestRecall the best value of the selection criterion so far
 * @param selection the selection criterion ({@code val:all:recall@10}); null in states written
 *                  before it was recorded, which always selected on validation Recall over all items
 */
public record TrainingState(int formatVersion, long nextEpoch, String samplingKey, double bestRecall, long bestEpoch,
                            int epochsWithoutImprovement, long stepCount, List<EpochRecord> history,
                            String selection) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TrainingState {
        history = List.copyOf(history);
    }

    public static Path sidecar(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".state.json");
    }

    /** Writes the sidecar of {@code checkpoint} atomically (temporary file, then rename). */
    public void writeFor(Path checkpoint) {
        Path target = sidecar(checkpoint);
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training state " + target + ": " + e.getMessage(), e);
        }
    }

    /** The sidecar of {@code checkpoint}, or null when it has none (a bare model to fine-tune). */
    public static TrainingState readFor(Path checkpoint) {
        Path file = sidecar(checkpoint);
        if (!Files.exists(file)) {
            return null;
        }
        TrainingState s;
        try {
            s = JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training state " + file + ": " + e.getMessage(), e);
        }
        if (s.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(file + ": training state format " + s.formatVersion()
                    + " is not the supported " + FORMAT_VERSION);
        }
        return s;
    }
}

package dev.clcrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything beyond the model's own weights that exact continuation needs. It is stored inside the
 * checkpoint unit itself ({@link dev.clcrec.engine.ClcrecModel#save(java.nio.file.Path, byte[])}),
 * so the weights and the state always come from the same epoch. The sampler needs only the seed and
 * the next epoch: every batch is a function of (seed, epoch, batch index).
 *
 * @param nextEpoch the epoch training continues with
 * @param samplingKey seed and sampling settings; a resume with different ones is refused
 * @param bestRecall the best value of the selection criterion so far
 * @param selection the selection criterion ({@code val:all:recall@10}); null in states written
 *                  before it was recorded, which always selected on validation Recall over all items
 * @param lrDecays how often the step size was lowered ({@link LearningRateDecay}); 0 in states
 *                 written before it was recorded
 * @param averageDecay the decay of the run's weight average ({@link TrainOptions#averageDecay()}); 0 when
 *                     it kept none, as every state written before it was recorded
 */
public record TrainingState(int formatVersion, long nextEpoch, String samplingKey, double bestRecall, long bestEpoch,
                            int epochsWithoutImprovement, long stepCount, List<EpochRecord> history,
                            String selection, int lrDecays, double averageDecay) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TrainingState {
        history = List.copyOf(history);
    }

    /** A state of a run that kept no weight average. */
    public TrainingState(int formatVersion, long nextEpoch, String samplingKey, double bestRecall, long bestEpoch,
                         int epochsWithoutImprovement, long stepCount, List<EpochRecord> history, String selection,
                         int lrDecays) {
        this(formatVersion, nextEpoch, samplingKey, bestRecall, bestEpoch, epochsWithoutImprovement, stepCount,
                history, selection, lrDecays, 0);
    }

    /** A state of a run whose step size was never lowered. */
    public TrainingState(int formatVersion, long nextEpoch, String samplingKey, double bestRecall, long bestEpoch,
                         int epochsWithoutImprovement, long stepCount, List<EpochRecord> history, String selection) {
        this(formatVersion, nextEpoch, samplingKey, bestRecall, bestEpoch, epochsWithoutImprovement, stepCount,
                history, selection, 0);
    }

    /** UTF-8 JSON, as stored in the checkpoint unit. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the training state: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the state stored in {@code checkpoint} (its bytes are already checksum-verified); a
     * state of another format, or one that does not describe a consistent run, is refused naming it.
     */
    public static TrainingState fromJson(byte[] json, Path checkpoint) {
        TrainingState s;
        try {
            s = JSON.readValue(json, TrainingState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(checkpoint + ": unreadable training state: " + e.getMessage(), e);
        }
        if (s.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(checkpoint + ": training state format " + s.formatVersion()
                    + " is not the supported " + FORMAT_VERSION);
        }
        if (s.nextEpoch() < 0 || s.stepCount() < 0 || s.epochsWithoutImprovement() < 0 || s.lrDecays() < 0
                || !(s.averageDecay() >= 0 && s.averageDecay() < 1)
                || s.samplingKey() == null
                || s.history().size() != s.nextEpoch()) {
            throw new IllegalArgumentException(checkpoint + ": inconsistent training state (next epoch "
                    + s.nextEpoch() + ", " + s.history().size() + " epochs of history)");
        }
        return s;
    }
}

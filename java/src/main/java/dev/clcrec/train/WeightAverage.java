package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exponential moving average of a model's parameters over epochs (Polyak averaging): after each
 * epoch {@code average = decay * average + (1 - decay) * weights}, starting from the first epoch's
 * weights. At the small fixed step sizes the thin-content defaults use, validation accuracy moves by
 * several percent from one epoch to the next while the weights drift slowly; the average evaluates
 * the drift, not the last epoch's noise.
 *
 * <p>Held on the heap (a copy of every parameter); the model's own weights are never changed here
 * except by {@link #averageIn} and {@link #putInto}, and by {@link #restore} on a resume.
 * A run saves the average beside its last checkpoint ({@link #fileBeside}), the one before it kept
 * ({@link #previousBeside}).
 */
final class WeightAverage {
    private final double decay;
    private final Map<String, float[]> average = new LinkedHashMap<>();

    /** @param decay the weight of the past, in [0, 1); 0 keeps only the last epoch */
    WeightAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("the averaging decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /** Whether an epoch has been averaged in yet. */
    boolean started() {
        return !average.isEmpty();
    }

    /**
     * Averages in the model's current weights (the first call takes them as they are) and puts the
     * average into the model in their place; returns the weights it replaced, read once for both, or
     * null on the first call, where the average is the model's weights and nothing is replaced.
     */
    Map<String, float[]> averageIn(ClcrecModel model) {
        Map<String, float[]> trained = weights(model);
        if (!started()) {
            trained.forEach((name, w) -> average.put(name, w.clone()));
            return null;
        }
        for (Map.Entry<String, float[]> e : average.entrySet()) {
            float[] a = e.getValue();
            float[] w = trained.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (decay * a[i] + (1 - decay) * w[i]);
            }
        }
        put(model, average);
        return trained;
    }

    /** Takes the model's current weights as the average, as after a resume from a saved average. */
    void reset(ClcrecModel model) {
        average.clear();
        average.putAll(weights(model));
    }

    /** Puts the average into the model (its own weights are lost: they are in the last checkpoint). */
    void putInto(ClcrecModel model) {
        if (!started()) {
            throw new IllegalStateException("nothing averaged yet");
        }
        put(model, average);
    }

    /**
     * Before a new average is saved to {@code file}: keeps the one there as {@link #previousBeside}.
     * The last checkpoint is written after the average, so a crash between the two leaves the last
     * checkpoint one epoch behind the new average and level with the previous one.
     */
    static void keepPrevious(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Path previous = previousBeside(file);
        try {
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + file + " as " + previous + ": " + e.getMessage(), e);
        }
    }

    /**
     * Continues the average of the run {@code resumeFrom} belongs to: reads the average saved beside it
     * after the same epoch (the newest, or the one before it after a crash), then puts the model back to
     * {@code resumeFrom}'s own weights and optimizer state. Refuses, naming the files, where there is none.
     */
    void restore(ClcrecModel model, TrainingState resume, Path resumeFrom) {
        if (resumeFrom == null) {
            throw new IllegalArgumentException("a run that averages its weights resumes from a checkpoint with the "
                    + "average saved beside it, and none was given");
        }
        Path file = fileBeside(resumeFrom);
        List<String> found = new ArrayList<>();
        for (Path candidate : List.of(file, previousBeside(file))) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            TrainingState saved = TrainingState.fromJson(model.restore(candidate), candidate);
            if (saved.nextEpoch() == resume.nextEpoch()) {
                reset(model);
                model.restore(resumeFrom);
                return;
            }
            found.add(candidate + " (after epoch " + (saved.nextEpoch() - 1) + ")");
        }
        model.restore(resumeFrom);
        throw new IllegalArgumentException("a run that averages its weights resumes with the average saved beside its "
                + "checkpoint after the same epoch, " + (resume.nextEpoch() - 1) + " for " + resumeFrom + "; "
                + (found.isEmpty() ? file + " does not exist" : "found " + String.join(", ", found)));
    }

    /** Sets the model's parameters to {@code values}. */
    static void put(ClcrecModel model, Map<String, float[]> values) {
        values.forEach(model::setParameter);
    }

    /** Where a run saves the average beside its last checkpoint: {@code last.ckpt}, {@code last.average.ckpt}. */
    static Path fileBeside(Path checkpoint) {
        return withSuffix(checkpoint, ".average");
    }

    /** The average a run saved the epoch before {@code average}: {@code last.average.previous.ckpt}. */
    static Path previousBeside(Path average) {
        return withSuffix(average, ".previous");
    }

    /** {@code dir/name.ckpt} with {@code suffix}: {@code dir/name<suffix>.ckpt}. */
    private static Path withSuffix(Path file, String suffix) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".ckpt") ? name.substring(0, name.length() - ".ckpt".length()) : name;
        return file.resolveSibling(stem + suffix + ".ckpt");
    }

    static Map<String, float[]> weights(ClcrecModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (String name : model.parameterNames()) {
            copy.put(name, model.parameter(name));
        }
        return copy;
    }
}

package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of a model's parameters over epochs (Polyak averaging): after each
 * epoch {@code average = decay * average + (1 - decay) * weights}, starting from the first epoch's
 * weights. At the small fixed step sizes the thin-content defaults use, validation accuracy moves by
 * several percent from one epoch to the next while the weights drift slowly; the average evaluates
 * the drift, not the last epoch's noise.
 *
 * <p>Held on the heap (a copy of every parameter); the model's own weights are never changed here
 * except by {@link #swapIn}, which hands back what it replaced.
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

    double decay() {
        return decay;
    }

    /** Whether an epoch has been averaged in yet. */
    boolean started() {
        return !average.isEmpty();
    }

    /** Averages in the model's current weights (the first call takes them as they are). */
    void update(ClcrecModel model) {
        if (!started()) {
            average.putAll(weights(model));
            return;
        }
        for (Map.Entry<String, float[]> e : average.entrySet()) {
            float[] a = e.getValue();
            float[] w = model.parameter(e.getKey());
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (decay * a[i] + (1 - decay) * w[i]);
            }
        }
    }

    /** Takes the model's current weights as the average, as after a resume from a saved average. */
    void reset(ClcrecModel model) {
        average.clear();
        average.putAll(weights(model));
    }

    /** Puts the average into the model and returns the weights it replaced. */
    Map<String, float[]> swapIn(ClcrecModel model) {
        if (!started()) {
            throw new IllegalStateException("nothing averaged yet");
        }
        Map<String, float[]> replaced = weights(model);
        put(model, average);
        return replaced;
    }

    /** Sets the model's parameters to {@code values}. */
    static void put(ClcrecModel model, Map<String, float[]> values) {
        values.forEach(model::setParameter);
    }

    /** Where a run saves the average beside its last checkpoint: {@code last.ckpt}, {@code last.average.ckpt}. */
    static java.nio.file.Path fileBeside(java.nio.file.Path checkpoint) {
        return withSuffix(checkpoint, ".average");
    }

    /** The average a run saved the epoch before {@code average}: {@code last.average.previous.ckpt}. */
    static java.nio.file.Path previousBeside(java.nio.file.Path average) {
        return withSuffix(average, ".previous");
    }

    /** {@code dir/name.ckpt} with {@code suffix}: {@code dir/name<suffix>.ckpt}. */
    private static java.nio.file.Path withSuffix(java.nio.file.Path file, String suffix) {
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

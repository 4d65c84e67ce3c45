package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_fold_in_options;
import dev.clcrec.ffi.clcrec_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fits a user the model never saw to the model's frozen item representations with its user-item
 * objective (the native {@code clcrec_fold_in_user}): the user's items against shared negatives,
 * at the model's temperature and regulariser weight.
 *
 * @param tempValue    the model's softmax temperature
 * @param regWeight    the model's regulariser weight
 * @param learningRate Adam step size of the fit
 * @param steps        Adam steps
 */
public record UserFoldIn(double tempValue, double regWeight, double learningRate, int steps) {
    public UserFoldIn {
        if (!(tempValue > 0) || !(regWeight >= 0) || !(learningRate > 0) || steps < 1) {
            throw new IllegalArgumentException("fold-in needs temp_value > 0, reg_weight >= 0, learning_rate > 0 and"
                    + " steps >= 1");
        }
    }

    /** The settings for a model: its temperature and regulariser, with the fit's own step size and count. */
    public static UserFoldIn forModel(ModelConfig config) {
        return new UserFoldIn(config.tempValue(), config.regWeight(), 0.05, 60);
    }

    /**
     * The fitted embedding (dim floats), starting from zero.
     *
     * @param items     rows x dim floats in native memory: the user's items first ({@code positives} rows),
     *                  then negatives; read in place by the native fit
     */
    public float[] fit(MemorySegment items, int rows, int dim, int positives) {
        if (items.byteSize() != (long) rows * dim * Float.BYTES) {
            throw new IllegalArgumentException("items holds " + items.byteSize() / Float.BYTES + " floats, not " + rows
                    + " x " + dim);
        }
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment user = arena.allocate(ValueLayout.JAVA_FLOAT, dim);
            MemorySegment options = clcrec_fold_in_options.allocate(arena);
            clcrec_fold_in_options.temp_value(options, tempValue);
            clcrec_fold_in_options.reg_weight(options, regWeight);
            clcrec_fold_in_options.learning_rate(options, learningRate);
            clcrec_fold_in_options.num_steps(options, steps);
            Status.check(clcrec_h.clcrec_fold_in_user(items, rows, dim, positives, options, user, dim),
                    "clcrec_fold_in_user");
            return user.toArray(ValueLayout.JAVA_FLOAT);
        }
    }
}

package dev.clcrec.engine;

import java.util.Objects;

/**
 * Everything that shapes a model: sizes, hyperparameters of the loss and the optimizer, and where it
 * runs. Mirrors clcrec.h's {@code clcrec_config}. Invalid values are rejected here, before any native
 * call, so the error names the Java component.
 *
 * @param numUser            users, ids 0..numUser-1
 * @param numItem            items, ids 0..numItem-1
 * @param numWarmItem        items 0..numWarmItem-1 are warm (ranked by id embedding), the rest cold
 * @param dimE               id embedding / representation width (reference 64)
 * @param hiddenDim          encoder hidden width (reference 256)
 * @param wordDim            word table width for word-level text (reference 128)
 * @param tempValue          softmax temperature, &gt; 0
 * @param lrLambda           weight of the R-E loss; 1 - lrLambda weighs the U-I loss
 * @param regWeight          weight of the embedding-norm regulariser
 * @param learningRate       Adam step size, &gt; 0
 * @param device             where tensors live
 * @param deviceIndex        CUDA ordinal (ignored on CPU)
 * @param numThreads         LibTorch intra-op threads; 0 or less means all cores
 * @param trainWordEmbedding true: the word table learns; false: frozen as in the reference
 * @param seed               seeds parameter initialisation
 * @param kernels            the CPU kernels or the device-generic path (read when the model is created)
 * @param reTempValue        temperature of the R-E term alone, &gt; 0; 0 means {@code tempValue} for both terms (the
 *                           reference's one temperature)
 */
public record ModelConfig(long numUser, long numItem, long numWarmItem, int dimE, int hiddenDim, int wordDim,
        double tempValue, double lrLambda, double regWeight, double learningRate, Device device, int deviceIndex,
        int numThreads, boolean trainWordEmbedding, long seed, Kernels kernels, double reTempValue) {

    public ModelConfig {
        positive("numUser", numUser);
        positive("numItem", numItem);
        if (numWarmItem < 0 || numWarmItem > numItem) {
            throw new IllegalArgumentException("numWarmItem must be in 0..numItem (" + numItem + "), got " + numWarmItem);
        }
        positive("dimE", dimE);
        positive("hiddenDim", hiddenDim);
        positive("wordDim", wordDim);
        if (!(tempValue > 0) || Double.isInfinite(tempValue)) {
            throw new IllegalArgumentException("tempValue must be positive and finite, got " + tempValue);
        }
        if (!(reTempValue >= 0) || Double.isInfinite(reTempValue)) {
            throw new IllegalArgumentException("reTempValue must be positive and finite, or 0 for tempValue, got "
                    + reTempValue);
        }
        finite("lrLambda", lrLambda);
        finite("regWeight", regWeight);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(kernels, "kernels");
        if (deviceIndex < 0) {
            throw new IllegalArgumentException("deviceIndex must be >= 0, got " + deviceIndex);
        }
    }

    /** A config whose R-E term uses {@code tempValue}, as the reference's one temperature does. */
    public ModelConfig(long numUser, long numItem, long numWarmItem, int dimE, int hiddenDim, int wordDim,
            double tempValue, double lrLambda, double regWeight, double learningRate, Device device, int deviceIndex,
            int numThreads, boolean trainWordEmbedding, long seed, Kernels kernels) {
        this(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight, learningRate,
                device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, 0.0);
    }

    /** The R-E term's temperature: {@code reTempValue}, or {@code tempValue} where that is 0. */
    public double effectiveReTempValue() {
        return reTempValue > 0 ? reTempValue : tempValue;
    }

    /**
     * The reference's defaults (REFERENCE.md, "default" column): dim_E 64, hidden 256, word width 128,
     * temp_value 1, lr_lambda 1, reg_weight 0.1, l_r 0.001, seed 1; device AUTO, all cores, kernels AUTO
     * (the CPU kernels unless CLCREC_KERNELS says otherwise). The word
     * table trains (the reference's frozen table is a bug; use withTrainWordEmbedding(false) to match it).
     */
    public static ModelConfig defaults(long numUser, long numItem, long numWarmItem) {
        return new ModelConfig(numUser, numItem, numWarmItem, 64, 256, 128,
                1.0, 1.0, 0.1, 0.001, Device.AUTO, 0, 0, true, 1L, Kernels.AUTO);
    }

    public ModelConfig withNumUser(long v) {
        return new ModelConfig(v, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withNumItem(long v) {
        return new ModelConfig(numUser, v, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withNumWarmItem(long v) {
        return new ModelConfig(numUser, numItem, v, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withDimE(int v) {
        return new ModelConfig(numUser, numItem, numWarmItem, v, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withHiddenDim(int v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, v, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withWordDim(int v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, v, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withTempValue(double v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, v, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withLrLambda(double v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, v, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withRegWeight(double v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, v,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withLearningRate(double v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                v, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withDevice(Device v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, v, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withDeviceIndex(int v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, v, numThreads, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withNumThreads(int v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, v, trainWordEmbedding, seed, kernels, reTempValue);
    }

    public ModelConfig withTrainWordEmbedding(boolean v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, v, seed, kernels, reTempValue);
    }

    public ModelConfig withSeed(long v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, v, kernels, reTempValue);
    }

    public ModelConfig withKernels(Kernels v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, v, reTempValue);
    }

    public ModelConfig withReTempValue(double v) {
        return new ModelConfig(numUser, numItem, numWarmItem, dimE, hiddenDim, wordDim, tempValue, lrLambda, regWeight,
                learningRate, device, deviceIndex, numThreads, trainWordEmbedding, seed, kernels, v);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }
}

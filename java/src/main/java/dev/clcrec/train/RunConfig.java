package dev.clcrec.train;

import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import java.nio.file.Path;

/**
 * Everything one training run needs besides the data.
 *
 * @param model hyperparameters, device and threads (sizes are taken from the dataset)
 * @param ks evaluation cutoffs; must include options.selectionK()
 * @param evalBlock users per top-K call (the reference's --step)
 * @param resumeFrom checkpoint to continue from (exactly, when it carries a training state), or null
 * @param distill    teacher-student distillation of the encoder after training (Distillation), or null: none
 * @param fusionWeights candidate weights of content evidence on cold items, chosen on validation after
 *                      training (ContentFusionChoice); empty: none (the model ranks alone)
 */
public record RunConfig(ModelConfig model, SamplingConfig sampling, TrainOptions options, int[] ks, int evalBlock,
                        Path resumeFrom, Distillation.Options distill, double[] fusionWeights) {
    /** Without content fusion. */
    public RunConfig(ModelConfig model, SamplingConfig sampling, TrainOptions options, int[] ks, int evalBlock,
                     Path resumeFrom, Distillation.Options distill) {
        this(model, sampling, options, ks, evalBlock, resumeFrom, distill, new double[0]);
    }

    /** Without distillation. */
    public RunConfig(ModelConfig model, SamplingConfig sampling, TrainOptions options, int[] ks, int evalBlock,
                     Path resumeFrom) {
        this(model, sampling, options, ks, evalBlock, resumeFrom, null);
    }

    public RunConfig {
        ks = ks.clone();
        fusionWeights = fusionWeights == null ? new double[0] : fusionWeights.clone();
        for (double w : fusionWeights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("fusion weight must be a finite number >= 0, got " + w);
            }
        }
        int sel = options.selectionK();
        if (java.util.Arrays.stream(ks).noneMatch(k -> k == sel)) {
            int[] withSel = java.util.Arrays.copyOf(ks, ks.length + 1);
            withSel[ks.length] = sel;
            java.util.Arrays.sort(withSel);
            ks = withSel;
        }
    }

    @Override
    public int[] ks() {
        return ks.clone();
    }

    @Override
    public double[] fusionWeights() {
        return fusionWeights.clone();
    }

    /** Whether a weight above 0 is among the candidates (else the model ranks alone). */
    public boolean fusesContent() {
        return java.util.Arrays.stream(fusionWeights).anyMatch(w -> w > 0);
    }

    public RunConfig withModel(ModelConfig m) {
        return new RunConfig(m, sampling, options, ks, evalBlock, resumeFrom, distill, fusionWeights);
    }

    public RunConfig withSampling(SamplingConfig s) {
        return new RunConfig(model, s, options, ks, evalBlock, resumeFrom, distill, fusionWeights);
    }

    /** The evaluated cutoffs grow to include the new options' selection cutoff. */
    public RunConfig withOptions(TrainOptions o) {
        return new RunConfig(model, sampling, o, ks, evalBlock, resumeFrom, distill, fusionWeights);
    }

    /** Initialisation and sampling both seeded with {@code seed}, as --seed does. */
    public RunConfig withSeed(long seed) {
        return new RunConfig(model.withSeed(seed), sampling.withSeed(seed), options, ks, evalBlock, resumeFrom, distill,
                fusionWeights);
    }

    public RunConfig withDistill(Distillation.Options d) {
        return new RunConfig(model, sampling, options, ks, evalBlock, resumeFrom, d, fusionWeights);
    }

    public RunConfig withFusionWeights(double... weights) {
        return new RunConfig(model, sampling, options, ks, evalBlock, resumeFrom, distill, weights);
    }
}

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
 */
public record RunConfig(ModelConfig model, SamplingConfig sampling, TrainOptions options, int[] ks, int evalBlock,
                        Path resumeFrom) {
    public RunConfig {
        ks = ks.clone();
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
}

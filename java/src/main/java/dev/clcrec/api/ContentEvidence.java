package dev.clcrec.api;

import dev.clcrec.eval.ContentVectors;
import dev.clcrec.eval.FusionCalibration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a served model needs to fuse content evidence into its cold items' scores, as training chose
 * (dev.clcrec.train.ContentFusionChoice): every model item's content unit vector, for users'
 * profiles and the model's own cold items, and the calibration over the model's cold items. A user's
 * profile is the mean unit vector of its items; a cold item's evidence is its unit vector's dot
 * product with the profile. Immutable.
 */
final class ContentEvidence {
    private static final System.Logger LOG = System.getLogger(ContentEvidence.class.getName());

    final FusionCalibration calibration;
    final int width;
    private final float[] items; // numItem x width

    private ContentEvidence(FusionCalibration calibration, float[] items) {
        this.calibration = calibration;
        this.width = calibration.width();
        this.items = items;
    }

    /**
     * The evidence of a model fusing at {@code weight}, or null when it does not (weight 0, or fewer
     * than two cold items to calibrate on, which is logged).
     *
     * @param contentVectors numItem x width unit vectors (ContentVectors), may be null when weight is 0
     * @param representation numItem x dimE, the model's ranking vectors
     */
    static ContentEvidence of(double weight, float[] contentVectors, float[] representation, int dimE, int numItem,
                              int numWarmItem) {
        if (weight == 0) {
            return null;
        }
        if (numItem - numWarmItem < 2) {
            LOG.log(System.Logger.Level.WARNING, "content fusion (weight {0}) is off: the model has {1} cold items "
                    + "and the calibration needs at least two", weight, numItem - numWarmItem);
            return null;
        }
        int width = contentVectors.length / numItem;
        return new ContentEvidence(FusionCalibration.over(representation, dimE, contentVectors, width, numWarmItem,
                weight), contentVectors);
    }

    double weight() {
        return calibration.weight();
    }

    /** A model item's unit vector (a copy). */
    float[] modelItem(int dense) {
        return Arrays.copyOfRange(items, dense * width, (dense + 1) * width);
    }

    /** A new item's unit vector from its checked content, modalities in the model's order. */
    static float[] unit(Map<String, float[]> features, List<String> modalityNames) {
        float[][] parts = new float[modalityNames.size()][];
        for (int m = 0; m < parts.length; m++) {
            parts[m] = features.get(modalityNames.get(m));
        }
        return ContentVectors.unit(parts);
    }

    /**
     * The mean unit vector of the model items {@code modelItems[from..to)} followed by {@code others},
     * summed in that order (as the content-profile baseline sums a user's training items); null for none.
     */
    float[] profile(int[] modelItems, int from, int to, List<float[]> others) {
        int len = to - from + others.size();
        if (len == 0) {
            return null;
        }
        float[] p = new float[width];
        for (int i = from; i < to; i++) {
            int o = modelItems[i] * width;
            for (int c = 0; c < width; c++) {
                p[c] += items[o + c] / len;
            }
        }
        for (float[] v : others) {
            for (int c = 0; c < width; c++) {
                p[c] += v[c] / len;
            }
        }
        return p;
    }

    /** How one user's cold items are fused, or null when they are not (FusionCalibration#forUser). */
    FusionCalibration.User forUser(float[] user, int offset, float[] profile) {
        return profile == null ? null : calibration.forUser(user, offset, profile);
    }
}

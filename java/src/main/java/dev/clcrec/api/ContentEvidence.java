package dev.clcrec.api;

import dev.clcrec.eval.FusionCalibration;
import dev.clcrec.eval.ProfileEvidence;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a served model needs to fuse content evidence into its cold items' scores, as training chose
 * (dev.clcrec.train.ContentFusionChoice): the content space of the model's items
 * ({@link ProfileEvidence}: users' profiles, new items' vectors) and the calibration over the
 * model's cold items. A cold item's evidence for a user is its vector's dot product with the user's
 * profile. Immutable.
 */
final class ContentEvidence {
    private static final System.Logger LOG = System.getLogger(ContentEvidence.class.getName());

    final FusionCalibration calibration;
    private final ProfileEvidence space;

    private ContentEvidence(FusionCalibration calibration, ProfileEvidence space) {
        this.calibration = calibration;
        this.space = space;
    }

    /**
     * The evidence of a model fusing at {@code weight}, or null when it does not (weight 0, or fewer
     * than two cold items to calibrate on, which is logged).
     *
     * @param space          the content space of the model's items; may be null when weight is 0
     * @param representation numItem x dimE, the model's ranking vectors
     */
    static ContentEvidence of(double weight, ProfileEvidence space, float[] representation, int dimE, int numItem,
                              int numWarmItem) {
        if (weight == 0) {
            return null;
        }
        if (space.numItem() != numItem) {
            throw new IllegalArgumentException("the content space has " + space.numItem() + " items, the model "
                    + numItem);
        }
        if (numItem - numWarmItem < 2) {
            LOG.log(System.Logger.Level.WARNING, "content fusion (weight {0}) is off: the model has {1} cold items "
                    + "and the calibration needs at least two", weight, numItem - numWarmItem);
            return null;
        }
        return new ContentEvidence(FusionCalibration.over(representation, dimE, space.items(), space.width(),
                numWarmItem, weight), space);
    }

    double weight() {
        return calibration.weight();
    }

    /** A model item's vector (a copy). */
    float[] modelItem(int dense) {
        int w = space.width();
        return Arrays.copyOfRange(space.items(), dense * w, (dense + 1) * w);
    }

    /** A new item's vector from its checked content, modalities in the model's order. */
    float[] vector(Map<String, float[]> features, List<String> modalityNames) {
        float[][] parts = new float[modalityNames.size()][];
        for (int m = 0; m < parts.length; m++) {
            parts[m] = features.get(modalityNames.get(m));
        }
        return space.vector(parts);
    }

    /** A user's profile: see {@link ProfileEvidence#profile}; null when there are no items. */
    float[] profile(int[] modelItems, int from, int to, List<float[]> others) {
        return space.profile(modelItems, from, to, others);
    }

    /** How one user's cold items are fused, or null when they are not (FusionCalibration#forUser). */
    FusionCalibration.User forUser(float[] user, int offset, float[] profile) {
        return profile == null ? null : calibration.forUser(user, offset, profile);
    }
}

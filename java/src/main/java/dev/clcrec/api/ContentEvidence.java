package dev.clcrec.api;

import dev.clcrec.data.Interactions;
import dev.clcrec.eval.EvidenceProfile;
import dev.clcrec.eval.EvidenceRow;
import dev.clcrec.eval.FusionCalibration;
import dev.clcrec.eval.ProfileEvidence;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.sampling.ItemSets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a served model needs to fuse content evidence into its cold items' scores, as training chose
 * (dev.clcrec.train.ContentFusionChoice): the content space of the model's items
 * ({@link ProfileEvidence}: users' profiles, new items' vectors) and the calibration over the
 * model's cold items. A cold item's evidence for a user is its vector's dot product with the user's
 * profile. Immutable.
 */
final class ContentEvidence {
    private static final System.Logger LOG = System.getLogger(ContentEvidence.class.getName());

    private static final Catalog.ColdFusion NONE = new Catalog.ColdFusion(null, null);

    final FusionCalibration calibration;
    private final ProfileEvidence space;
    /** Each model user's fusion over its training items alone, once asked for (NONE: not fused). */
    private final AtomicReferenceArray<Catalog.ColdFusion> ofModelUser;

    private ContentEvidence(FusionCalibration calibration, ProfileEvidence space, int numUser) {
        this.calibration = calibration;
        this.space = space;
        this.ofModelUser = new AtomicReferenceArray<>(numUser);
    }

    /**
     * The evidence of a model fusing at {@code weight}, or null when it does not (weight 0, or fewer
     * than {@link FusionCalibration#MIN_ITEMS} cold items to calibrate on, which is logged).
     *
     * @param space          the content space of the model's items; may be null when weight is 0
     * @param representation numItem x dimE, the model's ranking vectors
     */
    static ContentEvidence of(double weight, ProfileEvidence space, float[] representation, int dimE, int numItem,
                              int numWarmItem, int numUser) {
        if (weight == 0) {
            return null;
        }
        if (space.numItem() != numItem) {
            throw new IllegalArgumentException("the content space has " + space.numItem() + " items, the model "
                    + numItem);
        }
        if (numItem - numWarmItem < FusionCalibration.MIN_ITEMS) {
            LOG.log(System.Logger.Level.WARNING, "content fusion (weight {0}) is off: the model has {1} cold items "
                    + "and the calibration needs at least {2}; new items are ranked by the model alone", weight,
                    numItem - numWarmItem, FusionCalibration.MIN_ITEMS);
            return null;
        }
        return new ContentEvidence(FusionCalibration.over(representation, dimE, space, numWarmItem, weight), space,
                numUser);
    }

    double weight() {
        return calibration.weight();
    }

    /** The evidence as the evaluator ranks it: each user's profile of its training items. */
    ScoreRanker ranker(ItemSets train) {
        return space.ranker(train);
    }

    /** A model item in the space (a copy). */
    EvidenceRow modelItem(int dense) {
        return space.row(dense);
    }

    /** A new item in the space, from its checked content, modalities in the model's order. */
    EvidenceRow row(Map<String, float[]> features, List<String> modalityNames) {
        float[][] parts = new float[modalityNames.size()][];
        for (int m = 0; m < parts.length; m++) {
            parts[m] = features.get(modalityNames.get(m));
        }
        return space.row(parts);
    }

    /**
     * How a user's cold items are fused given its vector and the vectors of its items (the model
     * items {@code modelItems[from..to)}, then {@code others}), or null when they are not.
     */
    Catalog.ColdFusion forUser(float[] user, int offset, int[] modelItems, int from, int to,
                               List<EvidenceRow> others) {
        EvidenceProfile profile = space.profile(modelItems, from, to, others);
        FusionCalibration.User fused = profile == null ? null : calibration.forUser(user, offset, profile);
        return fused == null ? null : new Catalog.ColdFusion(fused, profile);
    }

    /**
     * {@link #forUser} for a model user with nothing recorded (its training items alone), computed
     * once per user: the profile and calibration then never change for this model.
     */
    Catalog.ColdFusion forModelUser(int modelUser, float[] users, int dimE, Interactions train) {
        Catalog.ColdFusion f = ofModelUser.get(modelUser);
        if (f == null) {
            f = forUser(users, modelUser * dimE, train.columns(), (int) train.offsets()[modelUser],
                    (int) train.offsets()[modelUser + 1], List.of());
            ofModelUser.set(modelUser, f == null ? NONE : f); // a race computes the same value twice
        }
        return f == NONE ? null : f;
    }
}

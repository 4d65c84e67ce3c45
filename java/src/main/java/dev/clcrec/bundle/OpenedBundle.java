package dev.clcrec.bundle;

import dev.clcrec.data.Interactions;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.eval.ProfileEvidence;
import java.nio.file.Path;
import java.util.List;

/**
 * A verified bundle with its model loaded into the engine. The caller owns {@code model} and closes it.
 *
 * @param modalities the content modalities new items must bring, with their widths, in encoder order
 * @param evidence   the content space of the bundle's items when the bundle fuses content evidence,
 *                   else null
 */
public record OpenedBundle(Path dir, BundleManifest manifest, ClcrecModel model, List<String> userIds,
                           List<String> itemIds, Interactions train, List<BundleManifest.Modality> modalities,
                           boolean wordText, ProfileEvidence evidence) {

    /** The weight of content evidence on cold items; 0 when none. */
    public double fusionWeight() {
        return manifest.contentFusion() == null ? 0 : manifest.contentFusion().weight();
    }
}

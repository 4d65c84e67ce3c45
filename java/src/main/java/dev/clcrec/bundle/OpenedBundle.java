package dev.clcrec.bundle;

import dev.clcrec.data.Interactions;
import dev.clcrec.engine.ClcrecModel;
import java.nio.file.Path;
import java.util.List;

/**
 * A verified bundle with its model loaded into the engine. The caller owns {@code model} and closes it.
 *
 * @param modalities the content modalities new items must bring, with their widths, in encoder order
 */
public record OpenedBundle(Path dir, BundleManifest manifest, ClcrecModel model, List<String> userIds,
                           List<String> itemIds, Interactions train, List<BundleManifest.Modality> modalities,
                           boolean wordText) {}

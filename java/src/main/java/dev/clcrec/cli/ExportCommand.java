package dev.clcrec.cli;

import dev.clcrec.api.Recommender;
import dev.clcrec.bundle.BundleManifest;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code export}: writes the servable bundle of an existing checkpoint. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes DIR/bundle (checkpoint, config, content, ids, training items, checksummed manifest) "
                + "for a checkpoint and the dataset it was trained on, for `serve` or Recommender.open.")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions m;
    @Option(names = "--out", required = true, description = "Output directory; the bundle goes to DIR/bundle.")
    Path out;
    @Option(names = "--content-fusion", paramLabel = "WEIGHT", defaultValue = "0", description = "The weight of "
            + "content evidence on new items the bundle serves with: the one training chose (results.json, "
            + "content_fusion.weight; a bundle written by train carries it already). 0 = the model alone "
            + "(default ${DEFAULT-VALUE}).")
    double contentFusion;

    @Override
    public Integer call() {
        new FlagChecks(spec).nonNegativeFinite("--content-fusion", contentFusion);
        try (Dataset data = Datasets.open(DataPaths.resolve(spec, m.dataPath));
             Recommender rec = Recommender.load(m.model, data,
                     ContentSelection.select(data.content(), m.hasV, m.hasA, m.hasT), m.device(), m.threads,
                     contentFusion)) {
            Path bundle = out.resolve("bundle");
            BundleManifest manifest = rec.saveBundle(bundle);
            spec.commandLine().getOut().printf("wrote %s (model %s, %d users, %d items, content fusion %s)%n", bundle,
                    manifest.modelVersion(), manifest.numUser(), manifest.numItem(),
                    manifest.contentFusion() == null ? "none" : "weight " + manifest.contentFusion().weight());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

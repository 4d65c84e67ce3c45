package dev.clcrec.data.synthetic;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.reference.ReferenceLayoutWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Generates a synthetic dataset (our layout), optionally also converted to the reference layout. */
@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Write a seeded synthetic dataset with planted structure (content predicts taste).")
public final class SyntheticCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "small", description = "small, movielens or amazon")
    String preset;

    @Option(names = {"-o", "--output"}, required = true, description = "output directory (our layout)")
    Path output;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--reference-output", description = "also write the reference's Data/<name>/ layout here")
    Path referenceOutput;

    @Option(names = "--torch-visual", description = "in the reference layout, write feat_v.pt (torch.save) like Amazon")
    boolean torchVisual;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        SyntheticGenerator.write(SyntheticConfig.preset(preset, seed), output);
        try (Dataset d = Datasets.open(output)) {
            System.out.printf("wrote %s to %s in %.1f s%n", d, output, (System.nanoTime() - t0) / 1e9);
            if (referenceOutput != null) {
                ReferenceLayoutWriter.write(d, referenceOutput, torchVisual);
                System.out.printf("wrote the reference layout to %s%n", referenceOutput);
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SyntheticCommand()).execute(args));
    }
}

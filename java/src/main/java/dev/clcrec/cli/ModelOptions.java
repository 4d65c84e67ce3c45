package dev.clcrec.cli;

import dev.clcrec.engine.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that open a trained model over its dataset. */
final class ModelOptions {
    @Option(names = "--data_path", required = true, description = "The dataset the model was trained on.")
    String dataPath;
    @Option(names = {"--model", "--PATH_weight_load"}, required = true, description = "Checkpoint to open.")
    Path model;
    @Option(names = "--has_v", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "Visual features were used: True|False (as at training).")
    boolean hasV;
    @Option(names = "--has_a", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "Acoustic features were used: True|False.")
    boolean hasA;
    @Option(names = "--has_t", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "Textual features were used: True|False.")
    boolean hasT;
    @Option(names = "--threads", defaultValue = "0", description = "LibTorch threads; 0 = all cores.")
    int threads;
    @Option(names = "--no-cuda", description = "Use the CPU even if a GPU is available.")
    boolean noCuda;

    /** Range checks of the shared flags; each error names its flag. */
    void check(picocli.CommandLine.Model.CommandSpec spec) {
        new FlagChecks(spec).intRange("--threads", threads, 0, FlagChecks.MAX_THREADS);
    }

    Device device() {
        return noCuda ? Device.CPU : Device.AUTO;
    }
}
